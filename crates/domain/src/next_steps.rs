//! Next steps: the area's action plan built from a challenge's recommendations, which the
//! regional board monitors until every action is done. An action is checked here whether it
//! was typed into the web form or read from a row of the uploaded spreadsheet, so both paths
//! keep the same rules and the same messages.

use chrono::{Datelike, NaiveDate};

use crate::forms::FieldProblem;
use crate::personal_data::find_personal_data;
use crate::pool::parse_date_parts;
use crate::text::{MultiLine, OneLine, TextProblem, limits};
use crate::theme::ThemeCode;

/// An action's reference, like `A1` or `SEND-03`.
pub const REFERENCE_LIMIT: usize = 20;
/// The owner (a name or a role), the partners, a baseline or a target: one line.
pub const SHORT_LIMIT: usize = limits::NAME;
/// The finding it answers, the action, its milestones, the evidence of impact, and each
/// progress note.
pub const LONG_LIMIT: usize = limits::SHORT_NOTE;
/// All of an action's progress notes together, as the form and the spreadsheet hold them.
pub const PROGRESS_LIMIT: usize = limits::NARRATIVE;

/// Where an action stands: red, amber or green while open; complete when done.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rag {
    Red,
    Amber,
    Green,
    Complete,
}

impl Rag {
    pub const ALL: [Rag; 4] = [Self::Red, Self::Amber, Self::Green, Self::Complete];

    pub fn code(self) -> &'static str {
        match self {
            Self::Red => "red",
            Self::Amber => "amber",
            Self::Green => "green",
            Self::Complete => "complete",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Red => "Red",
            Self::Amber => "Amber",
            Self::Green => "Green",
            Self::Complete => "Complete",
        }
    }

    /// Codes and the words a spreadsheet uses, in any case.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim().to_lowercase();
        Self::ALL
            .into_iter()
            .find(|rag| rag.code() == text || rag.label().to_lowercase() == text)
    }

    pub fn tag_class(self) -> &'static str {
        match self {
            Self::Red => "govuk-tag--red",
            Self::Amber => "govuk-tag--orange",
            Self::Green => "govuk-tag--green",
            Self::Complete => "govuk-tag--blue",
        }
    }

    pub fn is_open(self) -> bool {
        self != Self::Complete
    }

    /// An action in this state and due on `due` is overdue on `today`: open and past its date.
    pub fn is_overdue(self, due: NaiveDate, today: NaiveDate) -> bool {
        self.is_open() && due < today
    }
}

/// A progress note: what happened, and on which day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgressNote {
    pub on: NaiveDate,
    pub text: String,
}

/// One action of a plan, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionEntry {
    /// The area's own reference, such as `DER-3`; unique within the plan.
    pub reference: String,
    /// The finding or recommendation it answers, in words.
    pub answers: String,
    pub theme: ThemeCode,
    pub action: String,
    pub owner: String,
    pub partners: String,
    pub start: NaiveDate,
    pub due: NaiveDate,
    pub milestones: String,
    pub baseline: String,
    pub target: String,
    pub rag: Rag,
    pub progress: Vec<ProgressNote>,
    /// Including the voice of children, young people and families.
    pub impact: String,
}

impl ActionEntry {
    /// Open and past its due date on `today`.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.rag.is_overdue(self.due, today)
    }
}

/// An action as typed, or as read from a spreadsheet row: text everywhere, dates as
/// `dd/mm/yyyy` or `yyyy-mm-dd`, progress notes one per line, each starting with its date.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ActionAnswers {
    pub reference: String,
    pub answers: String,
    pub theme: String,
    pub action: String,
    pub owner: String,
    pub partners: String,
    pub start: String,
    pub due: String,
    pub milestones: String,
    pub baseline: String,
    pub target: String,
    pub rag: String,
    pub progress: String,
    pub impact: String,
}

/// How a field's answer is typed, checked and shown: a line or lines of text within a limit,
/// a theme code, a date, a RAG status, or progress notes one a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldShape {
    OneLine(usize),
    Lines(usize),
    Theme,
    Date,
    Rag,
    Progress,
}

/// How the history names a change to a field: its old and new value ("RAG Amber to Green"),
/// the notes added or removed, or only that it changed ("owner changed").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tracked {
    /// The history names the change from one value to the other, with these words first.
    Transition(&'static str),
    Notes,
    Detail,
}

#[derive(Debug)]
/// One field of an action: the one place that says what it is called on the form, on the
/// spreadsheet and in the history, how it is checked, and where its answer lives. The form,
/// the spreadsheet template, its reader, the action's page and its history are all built by
/// going through [`ACTION_FIELDS`], so a field added there appears in each of them.
pub struct ActionField {
    /// The form's name and id, and the key of its problems.
    pub key: &'static str,
    /// What a person calls it: in messages, on the action's page, in the history.
    pub label: &'static str,
    /// The form's label, before "(optional)" is added to a field that is not required.
    pub question: &'static str,
    /// The spreadsheet's column heading, which an upload must keep.
    pub column: &'static str,
    pub shape: FieldShape,
    pub required: bool,
    /// Help under the form's label.
    pub hint: Option<&'static str>,
    /// What to enter, for the spreadsheet's Instructions sheet.
    pub guidance: &'static str,
    pub tracked: Tracked,
    /// The answer as typed or read from a cell.
    pub answer: fn(&ActionAnswers) -> &String,
    pub answer_mut: fn(&mut ActionAnswers) -> &mut String,
    /// The checked value.
    pub value: fn(&ActionEntry) -> ActionValue<'_>,
}

/// A field's checked value, for pages and the history to show each shape its own way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActionValue<'a> {
    Text(&'a str),
    Theme(&'a ThemeCode),
    Date(NaiveDate),
    Rag(Rag),
    Progress(&'a [ProgressNote]),
}

impl ActionValue<'_> {
    /// As the form and the spreadsheet hold it (a date `dd/mm/yyyy`, a status as its word).
    pub fn answer_text(self) -> String {
        match self {
            Self::Text(text) => text.to_owned(),
            Self::Theme(code) => code.to_string(),
            Self::Date(date) => uk_date(date),
            Self::Rag(rag) => rag.label().to_owned(),
            Self::Progress(notes) => progress_text(notes),
        }
    }

    /// As a sentence shows it: a date as "30 September 2027".
    pub fn in_words(self) -> String {
        match self {
            Self::Date(date) => date.format("%-d %B %Y").to_string(),
            other => other.answer_text(),
        }
    }
}

/// Every field of an action, in the order of the form and the spreadsheet's columns.
pub const ACTION_FIELDS: [ActionField; 14] = [
    ActionField {
        key: "reference",
        label: "Reference",
        question: "Reference",
        column: "Reference",
        shape: FieldShape::OneLine(REFERENCE_LIMIT),
        required: true,
        hint: Some("Your own short reference, unique in this plan, for example DER-3."),
        guidance: "A short reference of your own for the action, for example DER-1. Keep it the \
                   same when you update the plan.",
        tracked: Tracked::Detail,
        answer: |a| &a.reference,
        answer_mut: |a| &mut a.reference,
        value: |e| ActionValue::Text(&e.reference),
    },
    ActionField {
        key: "answers",
        label: "Answers (finding or recommendation)",
        question: "Answers (finding or recommendation)",
        column: "Answers (finding or recommendation)",
        shape: FieldShape::Lines(LONG_LIMIT),
        required: true,
        hint: Some(
            "The recommendation or finding this action answers, in its words or by its number.",
        ),
        guidance: "The finding or recommendation from the report that this action answers.",
        tracked: Tracked::Detail,
        answer: |a| &a.answers,
        answer_mut: |a| &mut a.answers,
        value: |e| ActionValue::Text(&e.answers),
    },
    ActionField {
        key: "theme",
        label: "Theme",
        question: "Theme",
        column: "Theme (code)",
        shape: FieldShape::Theme,
        required: true,
        hint: None,
        guidance: "The code of the practice theme the action belongs to: choose from the list \
                   (the Themes sheet says what each code means).",
        tracked: Tracked::Detail,
        answer: |a| &a.theme,
        answer_mut: |a| &mut a.theme,
        value: |e| ActionValue::Theme(&e.theme),
    },
    ActionField {
        key: "action",
        label: "Action",
        question: "Action",
        column: "Action",
        shape: FieldShape::Lines(LONG_LIMIT),
        required: true,
        hint: None,
        guidance: "What will be done.",
        tracked: Tracked::Detail,
        answer: |a| &a.action,
        answer_mut: |a| &mut a.action,
        value: |e| ActionValue::Text(&e.action),
    },
    ActionField {
        key: "owner",
        label: "Owner",
        question: "Owner",
        column: "Owner",
        shape: FieldShape::OneLine(SHORT_LIMIT),
        required: true,
        hint: Some("The role that answers for it, for example Head of SEND."),
        guidance: "Who is accountable for the action: a role, not only a name.",
        tracked: Tracked::Detail,
        answer: |a| &a.owner,
        answer_mut: |a| &mut a.owner,
        value: |e| ActionValue::Text(&e.owner),
    },
    ActionField {
        key: "partners",
        label: "Partners",
        question: "Partners",
        column: "Partners",
        shape: FieldShape::OneLine(SHORT_LIMIT),
        required: false,
        hint: None,
        guidance: "Who else is involved: services, partners, the parent carer forum.",
        tracked: Tracked::Detail,
        answer: |a| &a.partners,
        answer_mut: |a| &mut a.partners,
        value: |e| ActionValue::Text(&e.partners),
    },
    ActionField {
        key: "start",
        label: "Start date",
        question: "Start date",
        column: "Start date",
        shape: FieldShape::Date,
        required: true,
        hint: Some("For example, 1 4 2027"),
        guidance: "When work starts, as dd/mm/yyyy.",
        tracked: Tracked::Detail,
        answer: |a| &a.start,
        answer_mut: |a| &mut a.start,
        value: |e| ActionValue::Date(e.start),
    },
    ActionField {
        key: "due",
        label: "Due date",
        question: "Due date",
        column: "Due date",
        shape: FieldShape::Date,
        required: true,
        hint: Some("For example, 30 9 2027"),
        guidance: "When the action is due to be complete, as dd/mm/yyyy.",
        tracked: Tracked::Transition("due date"),
        answer: |a| &a.due,
        answer_mut: |a| &mut a.due,
        value: |e| ActionValue::Date(e.due),
    },
    ActionField {
        key: "milestones",
        label: "Milestones",
        question: "Milestones",
        column: "Milestones",
        shape: FieldShape::Lines(LONG_LIMIT),
        required: false,
        hint: None,
        guidance: "The steps on the way, with their dates.",
        tracked: Tracked::Detail,
        answer: |a| &a.milestones,
        answer_mut: |a| &mut a.milestones,
        value: |e| ActionValue::Text(&e.milestones),
    },
    ActionField {
        key: "baseline",
        label: "Baseline",
        question: "Measure: baseline",
        column: "Baseline",
        shape: FieldShape::OneLine(SHORT_LIMIT),
        required: false,
        hint: None,
        guidance: "Where things stand now: a number or a description.",
        tracked: Tracked::Detail,
        answer: |a| &a.baseline,
        answer_mut: |a| &mut a.baseline,
        value: |e| ActionValue::Text(&e.baseline),
    },
    ActionField {
        key: "target",
        label: "Target",
        question: "Measure: target",
        column: "Target",
        shape: FieldShape::OneLine(SHORT_LIMIT),
        required: false,
        hint: None,
        guidance: "What success looks like, and by when.",
        tracked: Tracked::Detail,
        answer: |a| &a.target,
        answer_mut: |a| &mut a.target,
        value: |e| ActionValue::Text(&e.target),
    },
    ActionField {
        key: "rag",
        label: "RAG status",
        question: "RAG status",
        column: "RAG status",
        shape: FieldShape::Rag,
        required: true,
        hint: None,
        guidance: "Red, Amber, Green or Complete: choose from the list.",
        tracked: Tracked::Transition("RAG"),
        answer: |a| &a.rag,
        answer_mut: |a| &mut a.rag,
        value: |e| ActionValue::Rag(e.rag),
    },
    ActionField {
        key: "progress",
        label: "Progress notes",
        question: "Progress notes",
        column: "Progress notes",
        shape: FieldShape::Progress,
        required: false,
        hint: Some(
            "One note a line, each starting with its date, for example 14/05/2027: first \
             training session held.",
        ),
        guidance: "What has happened since the last update.",
        tracked: Tracked::Notes,
        answer: |a| &a.progress,
        answer_mut: |a| &mut a.progress,
        value: |e| ActionValue::Progress(&e.progress),
    },
    ActionField {
        key: "impact",
        label: "Evidence of impact",
        question: "Evidence of impact",
        column: "Evidence of impact",
        shape: FieldShape::Lines(LONG_LIMIT),
        required: false,
        hint: Some("Including what children, young people and families say."),
        guidance: "What difference the action has made to children, young people and families, \
                   and how you know.",
        tracked: Tracked::Detail,
        answer: |a| &a.impact,
        answer_mut: |a| &mut a.impact,
        value: |e| ActionValue::Text(&e.impact),
    },
];

/// The field with this key.
pub fn action_field(key: &str) -> Option<&'static ActionField> {
    ACTION_FIELDS.iter().find(|field| field.key == key)
}

impl ActionField {
    /// The form's label: the question, and "(optional)" when it may be left empty.
    pub fn form_label(&self) -> String {
        if self.required {
            self.question.to_owned()
        } else {
            format!("{} (optional)", self.question)
        }
    }

    /// The most characters the answer may hold, for the hint that states it.
    pub fn limit(&self) -> Option<usize> {
        match self.shape {
            FieldShape::OneLine(limit) | FieldShape::Lines(limit) => Some(limit),
            FieldShape::Progress => Some(PROGRESS_LIMIT),
            FieldShape::Theme | FieldShape::Date | FieldShape::Rag => None,
        }
    }
}

impl ActionAnswers {
    pub fn from_entry(entry: &ActionEntry) -> Self {
        let mut answers = Self::default();
        for field in &ACTION_FIELDS {
            *(field.answer_mut)(&mut answers) = (field.value)(entry).answer_text();
        }
        answers
    }

    /// [`ActionAnswers::check`] with a programme's own rule as well, its problem listed with
    /// the others in the order of the fields.
    pub fn check_with(
        &self,
        themes: &[ThemeCode],
        today: NaiveDate,
        rule: &dyn Fn(&ActionAnswers) -> Option<FieldProblem>,
    ) -> Result<ActionEntry, Vec<FieldProblem>> {
        let checked = self.check(themes, today);
        let Some(problem) = rule(self) else {
            return checked;
        };
        let mut problems = checked.err().unwrap_or_default();
        if !problems.iter().any(|p| p.field == problem.field) {
            problems.push(problem);
            sort_by_form_order(&mut problems);
        }
        Err(problems)
    }

    /// The action, or every problem keyed by field in the order of [`ACTION_FIELDS`].
    /// `themes` are the codes that exist; `today` refuses a progress note from the future.
    pub fn check(
        &self,
        themes: &[ThemeCode],
        today: NaiveDate,
    ) -> Result<ActionEntry, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let mut text = |key: &str| {
            let field = action_field(key).expect("a text field of the table");
            checked_text(field, (field.answer)(self))
                .map_err(|problem| problems.push(problem))
                .unwrap_or_default()
        };
        let reference = text("reference");
        let answers = text("answers");
        let action = text("action");
        let owner = text("owner");
        let partners = text("partners");
        let milestones = text("milestones");
        let baseline = text("baseline");
        let target = text("target");
        let impact = text("impact");
        let theme = ThemeCode::parse(self.theme.trim().to_uppercase().as_str())
            .filter(|code| themes.contains(code));
        let start = parse_date("start", "Start date", &self.start);
        let due = parse_date("due", "Due date", &self.due);
        let rag = Rag::parse(&self.rag);
        let progress = parse_progress(&self.progress, today);
        let mut keyed: Vec<FieldProblem> = Vec::new();
        if theme.is_none() {
            keyed.push(FieldProblem::new(
                "theme",
                "Select the theme the action addresses",
            ));
        }
        if let Err(found) = &start {
            keyed.push(found.clone());
        }
        if let Err(found) = &due {
            keyed.push(found.clone());
        }
        if let (Ok(start), Ok(due)) = (&start, &due)
            && due < start
        {
            keyed.push(FieldProblem::new(
                "due",
                "The due date must be the same as or after the start date",
            ));
        }
        if rag.is_none() {
            keyed.push(FieldProblem::new(
                "rag",
                "Select the RAG status: red, amber, green or complete",
            ));
        }
        if let Err(found) = &progress {
            keyed.push(found.clone());
        }
        problems.extend(keyed);
        sort_by_form_order(&mut problems);
        match (theme, start, due, rag, progress) {
            (Some(theme), Ok(start), Ok(due), Some(rag), Ok(progress)) if problems.is_empty() => {
                Ok(ActionEntry {
                    reference: reference.to_uppercase(),
                    answers,
                    theme,
                    action,
                    owner,
                    partners,
                    start,
                    due,
                    milestones,
                    baseline,
                    target,
                    rag,
                    progress,
                    impact,
                })
            }
            _ => Err(problems),
        }
    }
}

impl ActionEntry {
    /// What changed since `before`, in words for the action's history: each tracked value
    /// from old to new, the progress notes added or removed, then the other fields by name.
    /// `None` when nothing did.
    pub fn changes_since(&self, before: &ActionEntry) -> Option<String> {
        let mut changes = Vec::new();
        let mut details = Vec::new();
        for field in &ACTION_FIELDS {
            let (was, now) = ((field.value)(before), (field.value)(self));
            if was == now {
                continue;
            }
            match (field.tracked, was, now) {
                (Tracked::Transition(words), _, _) => {
                    changes.push(format!("{words} {} to {}", was.in_words(), now.in_words()));
                }
                (Tracked::Notes, ActionValue::Progress(was), ActionValue::Progress(now)) => {
                    changes.push(notes_changed(was, now));
                }
                _ => details.push(field.label.to_lowercase()),
            }
        }
        if !details.is_empty() {
            changes.push(format!("{} changed", in_a_list(&details)));
        }
        let mut summary = changes.join(", ");
        let first = summary.get(..1)?.to_uppercase();
        summary.replace_range(..1, &first);
        Some(summary)
    }
}

fn notes_changed(was: &[ProgressNote], now: &[ProgressNote]) -> String {
    let added = now.iter().filter(|note| !was.contains(note)).count();
    let gone = was.iter().filter(|note| !now.contains(note)).count();
    match (added, gone) {
        // The same notes, one of them now twice or once fewer.
        (0, 0) => "progress notes changed".to_owned(),
        (added, 0) => format!("{added} progress note(s) added"),
        (0, gone) => format!("{gone} progress note(s) removed"),
        (added, gone) => {
            format!("progress notes changed ({added} new or edited, {gone} replaced or removed)")
        }
    }
}

/// "owner", "owner and target", "owner, partners and target".
fn in_a_list(words: &[String]) -> String {
    match words {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// Check a whole plan, as uploaded: every row's problems, and references used twice.
/// `rows` pairs each row's spreadsheet row number with its answers.
pub fn check_plan(
    rows: &[(usize, ActionAnswers)],
    themes: &[ThemeCode],
    today: NaiveDate,
) -> Result<Vec<ActionEntry>, Vec<(usize, FieldProblem)>> {
    check_plan_with(rows, themes, today, &|_| None)
}

/// [`check_plan`] with a programme's own rule for each action as well (a biennial action must
/// name the priority it answers: `agreed_actions::AnswerLinks::problem`).
pub fn check_plan_with(
    rows: &[(usize, ActionAnswers)],
    themes: &[ThemeCode],
    today: NaiveDate,
    rule: &dyn Fn(&ActionAnswers) -> Option<FieldProblem>,
) -> Result<Vec<ActionEntry>, Vec<(usize, FieldProblem)>> {
    let mut entries = Vec::new();
    let mut problems = Vec::new();
    for (row, answers) in rows {
        match answers.check_with(themes, today, rule) {
            Ok(entry) => {
                if entries
                    .iter()
                    .any(|seen: &ActionEntry| seen.reference == entry.reference)
                {
                    problems.push((
                        *row,
                        FieldProblem::new(
                            "reference",
                            "Reference is used by an earlier row: each action needs its own",
                        ),
                    ));
                }
                entries.push(entry);
            }
            Err(found) => problems.extend(found.into_iter().map(|p| (*row, p))),
        }
    }
    if rows.is_empty() {
        problems.push((
            1,
            FieldProblem::new(
                "reference",
                "The spreadsheet has no actions: add a row for each action",
            ),
        ));
    }
    if problems.is_empty() {
        Ok(entries)
    } else {
        Err(problems)
    }
}

/// The label of a field key, for messages that name a spreadsheet column.
pub fn field_label(field: &str) -> &'static str {
    action_field(field).map_or("", |found| found.label)
}

/// The date an answer gives, typed `dd/mm/yyyy` or read from a date cell as `yyyy-mm-dd`;
/// `None` when it gives none (the check says why).
pub fn date_of_answer(text: &str) -> Option<NaiveDate> {
    parse_date("", "Date", text).ok()
}

/// `14/03/2027`, as the form and the spreadsheet show a date.
pub fn uk_date(date: NaiveDate) -> String {
    format!("{:02}/{:02}/{}", date.day(), date.month(), date.year())
}

/// Progress notes one per line, `dd/mm/yyyy: text`.
pub fn progress_text(notes: &[ProgressNote]) -> String {
    notes
        .iter()
        .map(|note| format!("{}: {}", uk_date(note.on), note.text))
        .collect::<Vec<_>>()
        .join("\n")
}

fn sort_by_form_order(problems: &mut [FieldProblem]) {
    let position = |key: &str| ACTION_FIELDS.iter().position(|field| field.key == key);
    problems.sort_by_key(|found| position(&found.field));
}

/// A text field's answer checked by its shape: bounded, on one line where the form has an
/// input, clean of control characters and of personal data, and present when required.
fn checked_text(field: &ActionField, value: &str) -> Result<String, FieldProblem> {
    check_text(field.key, field.label, value, field.shape, field.required)
}

fn check_text(
    key: &str,
    label: &str,
    value: &str,
    shape: FieldShape,
    required: bool,
) -> Result<String, FieldProblem> {
    let checked: Result<String, TextProblem> = match shape {
        FieldShape::OneLine(limit) => OneLine::parse(label, value, limit).map(OneLine::into_string),
        FieldShape::Lines(limit) => {
            MultiLine::parse(label, value, limit).map(MultiLine::into_string)
        }
        FieldShape::Theme | FieldShape::Date | FieldShape::Rag | FieldShape::Progress => {
            unreachable!("{key} is not a text field")
        }
    };
    let text = checked.map_err(|found| FieldProblem::new(key, found.to_string()))?;
    if required && text.is_empty() {
        return Err(FieldProblem::new(
            key,
            format!("Enter the {}", label.to_lowercase()),
        ));
    }
    match find_personal_data(&text) {
        Some(found) => Err(FieldProblem::new(key, found.message())),
        None => Ok(text),
    }
}

/// `dd/mm/yyyy` (or `d/m/yyyy`) as people type it, or `yyyy-mm-dd` as a spreadsheet's
/// date cell reads back.
fn parse_date(field: &str, what: &'static str, text: &str) -> Result<NaiveDate, FieldProblem> {
    let text = text.trim();
    let parts: Vec<&str> = text.split(['/', '-', '.']).collect();
    let parsed = match parts.as_slice() {
        [year, month, day] if year.len() == 4 => parse_date_parts(what, day, month, year),
        [day, month, year] => parse_date_parts(what, day, month, year),
        [""] => parse_date_parts(what, "", "", ""),
        _ => parse_date_parts(what, text, "", ""),
    };
    parsed.map_err(|found| {
        let message = match found {
            crate::pool::DateProblem::Missing(_) => format!("Enter the {}", what.to_lowercase()),
            crate::pool::DateProblem::ShortYear(_) => {
                format!("{what} must include a year with four digits, like 14/03/2027")
            }
            _ => format!("{what} must be a real date, like 14/03/2027"),
        };
        FieldProblem::new(field, &message)
    })
}

fn parse_progress(text: &str, today: NaiveDate) -> Result<Vec<ProgressNote>, FieldProblem> {
    let text = MultiLine::parse(field_label("progress"), text, PROGRESS_LIMIT)
        .map_err(|found| FieldProblem::new("progress", found.to_string()))?;
    let mut notes = Vec::new();
    for line in text
        .as_str()
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
    {
        let invalid = || {
            FieldProblem::new(
                "progress",
                "Start each progress note on its own line with its date, like 14/03/2027: what happened",
            )
        };
        let (date, words) = line.split_once(':').ok_or_else(invalid)?;
        let on = parse_date("progress", "Progress note date", date).map_err(|_| invalid())?;
        // A note records what has happened, so its day cannot be after today.
        if on > today {
            return Err(FieldProblem::new(
                "progress",
                format!(
                    "Progress note dates must be today or earlier: {} is in the future",
                    uk_date(on)
                ),
            ));
        }
        let words = check_text(
            "progress",
            field_label("progress"),
            words,
            FieldShape::Lines(LONG_LIMIT),
            true,
        )?;
        notes.push(ProgressNote { on, text: words });
    }
    notes.sort_by_key(|note| note.on);
    Ok(notes)
}

/// How many actions stood at each RAG status at the end of each month, from the month of the
/// first change to `today`'s month: the board's progress-over-time chart. `changes` are
/// (action, day of the change, RAG afterwards) in time order.
pub fn rag_by_month<A: Ord + Copy>(
    changes: &[(A, NaiveDate, Rag)],
    today: NaiveDate,
) -> Vec<(NaiveDate, [usize; 4])> {
    let Some(first) = changes.iter().map(|(_, on, _)| *on).min() else {
        return Vec::new();
    };
    let mut months = Vec::new();
    let mut month = first.with_day(1).unwrap_or(first);
    let mut standing = std::collections::BTreeMap::new();
    let mut pending = changes.iter().peekable();
    while month <= today {
        let next = month
            .checked_add_months(chrono::Months::new(1))
            .unwrap_or(today);
        while let Some((action, _, rag)) = pending.next_if(|(_, on, _)| *on < next) {
            standing.insert(*action, *rag);
        }
        let mut counts = [0; 4];
        for rag in standing.values() {
            counts[Rag::ALL.iter().position(|r| r == rag).unwrap_or(0)] += 1;
        }
        months.push((month, counts));
        if next <= month {
            break;
        }
        month = next;
    }
    months
}

#[cfg(test)]
mod tests {
    use super::*;

    fn themes() -> Vec<ThemeCode> {
        vec![ThemeCode::parse("EHCP_QUALITY").unwrap_or_else(|| unreachable!())]
    }

    /// A day after the sample's progress notes.
    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2027, 6, 1).unwrap_or_default()
    }

    fn answers() -> ActionAnswers {
        ActionAnswers {
            reference: "der-1".into(),
            answers: "Recommendation 1: co-produce plans".into(),
            theme: "ehcp_quality".into(),
            action: "Train caseworkers in co-production".into(),
            owner: "Head of SEND".into(),
            partners: "Parent carer forum".into(),
            start: "1/4/2027".into(),
            due: "2027-09-30".into(),
            milestones: "Training designed by June".into(),
            baseline: "40% of plans co-produced".into(),
            target: "80%".into(),
            rag: "Amber".into(),
            progress: "14/05/2027: First session held\n01/04/2027: Started".into(),
            impact: "Parents say they were heard".into(),
        }
    }

    fn fields(result: Result<ActionEntry, Vec<FieldProblem>>) -> Vec<String> {
        result
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|p| p.field)
            .collect()
    }

    #[test]
    fn a_progress_note_from_the_future_is_refused_and_a_short_year_is_named() {
        let mut ahead = answers();
        ahead.progress = "02/06/2027: Will have met the forum".into();
        let problems = ahead.check(&themes(), today()).err().unwrap_or_default();
        assert_eq!(
            problems,
            [FieldProblem::new(
                "progress",
                "Progress note dates must be today or earlier: 02/06/2027 is in the future"
            )]
        );
        let mut on_the_day = answers();
        on_the_day.progress = "01/06/2027: Met the forum".into();
        assert!(on_the_day.check(&themes(), today()).is_ok());
        let mut short = answers();
        short.due = "30/09/27".into();
        assert_eq!(
            short.check(&themes(), today()).err().unwrap_or_default(),
            [FieldProblem::new(
                "due",
                "Due date must include a year with four digits, like 14/03/2027"
            )]
        );
    }

    #[test]
    fn a_complete_action_round_trips_through_its_answers() {
        let entry = answers()
            .check(&themes(), today())
            .unwrap_or_else(|p| panic!("{p:?}"));
        assert_eq!(entry.reference, "DER-1");
        assert_eq!(entry.rag, Rag::Amber);
        assert_eq!(entry.progress.len(), 2);
        assert_eq!(entry.progress[0].text, "Started");
        let again = ActionAnswers::from_entry(&entry).check(&themes(), today());
        assert_eq!(again.as_ref(), Ok(&entry));
        let today = NaiveDate::from_ymd_opt(2027, 10, 1).unwrap_or_default();
        assert!(entry.is_overdue(today));
    }

    /// A spreadsheet row's cells are checked exactly as the form's fields: bounded, one line
    /// where the form has an input, no control characters anywhere.
    #[test]
    fn every_cell_is_bounded_and_clean() {
        let messages = |answers: ActionAnswers| -> Vec<(String, String)> {
            answers
                .check(&themes(), today())
                .err()
                .unwrap_or_default()
                .into_iter()
                .map(|p| (p.field, p.message))
                .collect()
        };
        let huge = ActionAnswers {
            action: "x".repeat(900_000),
            owner: "Head of SEND\nand deputy".into(),
            partners: "Forum\u{7}".into(),
            target: "y".repeat(SHORT_LIMIT + 1),
            reference: "DER\t1".into(),
            ..answers()
        };
        assert_eq!(
            messages(huge),
            [
                ("reference", "Reference must not contain control characters"),
                ("action", "Action must be 2,000 characters or fewer"),
                ("owner", "Owner must be on one line"),
                ("partners", "Partners must not contain control characters"),
                ("target", "Target must be 200 characters or fewer"),
            ]
            .map(|(field, message)| (field.to_owned(), message.to_owned()))
        );
        // Line breaks in a long cell are kept, as LF.
        let entry = ActionAnswers {
            milestones: "Designed by June\r\nDelivered by July".into(),
            ..answers()
        }
        .check(&themes(), today())
        .unwrap_or_else(|p| panic!("{p:?}"));
        assert_eq!(entry.milestones, "Designed by June\nDelivered by July");
        // The progress notes together are bounded, however many lines they run to.
        let many = "14/05/2027: a session held\n".repeat(PROGRESS_LIMIT / 20);
        assert_eq!(
            messages(ActionAnswers {
                progress: many,
                ..answers()
            }),
            [(
                "progress".to_owned(),
                "Progress notes must be 10,000 characters or fewer".to_owned()
            )]
        );
    }

    #[test]
    fn every_problem_is_named_in_the_order_of_the_form() {
        assert_eq!(
            fields(ActionAnswers::default().check(&themes(), today())),
            [
                "reference",
                "answers",
                "theme",
                "action",
                "owner",
                "start",
                "due",
                "rag"
            ]
        );
        let bad = ActionAnswers {
            theme: "NOT_A_THEME".into(),
            start: "31/02/2027".into(),
            due: "01/01/2027".into(),
            rag: "purple".into(),
            progress: "no date here".into(),
            owner: "Call about NHS number 943 476 5919".into(),
            ..answers()
        };
        assert_eq!(
            fields(bad.check(&themes(), today())),
            ["theme", "owner", "start", "rag", "progress"]
        );
        let backwards = ActionAnswers {
            start: "01/10/2027".into(),
            ..answers()
        };
        assert_eq!(fields(backwards.check(&themes(), today())), ["due"]);
    }

    #[test]
    fn the_chart_counts_each_actions_latest_status_at_each_month_end() {
        let day = |m, d| NaiveDate::from_ymd_opt(2027, m, d).unwrap_or_default();
        let changes = [
            (1, day(1, 10), Rag::Red),
            (2, day(1, 20), Rag::Green),
            (1, day(2, 5), Rag::Amber),
            (1, day(3, 1), Rag::Complete),
        ];
        let months = rag_by_month(&changes, day(3, 15));
        assert_eq!(
            months,
            vec![
                (day(1, 1), [1, 0, 1, 0]),
                (day(2, 1), [0, 1, 1, 0]),
                (day(3, 1), [0, 0, 1, 1]),
            ]
        );
        assert!(rag_by_month::<u8>(&[], day(3, 15)).is_empty());
    }

    /// The table's accessors are what the form, the spreadsheet and the history go through:
    /// each field must reach its own answer, and every answer must be reached.
    #[test]
    fn every_field_reads_and_writes_its_own_answer() {
        let mut answers = ActionAnswers::default();
        for field in &ACTION_FIELDS {
            *(field.answer_mut)(&mut answers) = field.key.to_owned();
        }
        for field in &ACTION_FIELDS {
            assert_eq!((field.answer)(&answers), field.key);
        }
        let every_answer = ActionAnswers {
            reference: "reference".into(),
            answers: "answers".into(),
            theme: "theme".into(),
            action: "action".into(),
            owner: "owner".into(),
            partners: "partners".into(),
            start: "start".into(),
            due: "due".into(),
            milestones: "milestones".into(),
            baseline: "baseline".into(),
            target: "target".into(),
            rag: "rag".into(),
            progress: "progress".into(),
            impact: "impact".into(),
        };
        assert_eq!(answers, every_answer);
    }

    #[test]
    fn the_history_names_each_change_in_words() {
        let before = answers()
            .check(&themes(), today())
            .unwrap_or_else(|p| panic!("{p:?}"));
        assert_eq!(before.changes_since(&before), None);
        let after = ActionAnswers {
            rag: "green".into(),
            due: "31/10/2027".into(),
            progress: format!("{}\n20/05/2027: Second session", answers().progress),
            owner: "Deputy head of SEND".into(),
            target: "90%".into(),
            ..answers()
        }
        .check(&themes(), today())
        .unwrap_or_else(|p| panic!("{p:?}"));
        assert_eq!(
            after.changes_since(&before).as_deref(),
            Some(
                "Due date 30 September 2027 to 31 October 2027, RAG Amber to Green, \
                 1 progress note(s) added, owner and target changed"
            )
        );
        let reworded = ActionEntry {
            milestones: "Training designed by July".into(),
            ..before.clone()
        };
        assert_eq!(
            reworded.changes_since(&before).as_deref(),
            Some("Milestones changed")
        );
    }

    #[test]
    fn a_plan_refuses_a_reference_used_twice_and_names_the_row() {
        let rows = vec![(2, answers()), (3, answers())];
        let problems = check_plan(&rows, &themes(), today())
            .err()
            .unwrap_or_default();
        assert_eq!(problems.len(), 1);
        assert_eq!(
            (problems[0].0, problems[0].1.field.as_str()),
            (3, "reference")
        );
        assert!(check_plan(&[], &themes(), today()).is_err());
    }
}
