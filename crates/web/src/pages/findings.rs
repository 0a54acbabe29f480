//! What the team finds: evidence recorded on the day (a reviewer's own notes, drafts kept on
//! the server so a phone that loses signal loses nothing) and the findings per KLOE that whoever
//! leads the challenge writes from it, with the team's comments. Routes are in [`routes`].

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use chrono::Utc;
use domain::findings::{
    COMMENT_LIMIT, EvidenceAnswers, EvidenceContext, EvidenceKind, FINDING_LIMIT, FindingAnswers,
    FindingKind, NOTE_LIMIT, check_comment,
};
use domain::{Action, ChallengeId, EvidenceId, FindingId, Principal};

use crate::extract::Id;
use serde::Deserialize;
use services::challenge_view::last_kept_challenge_view;
use services::findings::{self, CitedFinding, EvidenceChoices};
use store::{Author, EvidenceNote, Finding, StoreError};

use crate::components::{
    CheckboxItem, Checkboxes, ErrorSummary, NotificationBanner, Radios, Select, SelectItem,
    Textarea,
};
use crate::forms::FormErrors;
use crate::pages::challenges::{ChallengePath, LoadedChallenge, load_challenge};
use crate::pages::{Chrome, Notice, see_other};
use crate::route::{Route, route};
use crate::visitor::Visitor;
use crate::{AppError, AppState};

const NAV: &str = "/challenges";

pub fn routes() -> Vec<Route> {
    vec![
        route(Method::GET, "/challenges/{id}/evidence", get(show_evidence)),
        route(
            Method::POST,
            "/challenges/{id}/evidence",
            post(add_evidence),
        ),
        route(
            Method::GET,
            "/challenges/{id}/evidence/{note}",
            get(show_note),
        ),
        route(
            Method::POST,
            "/challenges/{id}/evidence/{note}",
            post(change_note),
        ),
        route(Method::GET, "/challenges/{id}/findings", get(show_findings)),
        route(Method::POST, "/challenges/{id}/findings", post(add_finding)),
        route(
            Method::GET,
            "/challenges/{id}/findings/{finding}",
            get(show_finding),
        ),
        route(
            Method::POST,
            "/challenges/{id}/findings/{finding}",
            post(change_finding),
        ),
        route(
            Method::POST,
            "/challenges/{id}/findings/{finding}/comments",
            post(comment_on_finding),
        ),
    ]
}

/// Evidence and findings are written on the visit and while reporting.
fn findings_open(loaded: &LoadedChallenge) -> bool {
    loaded.record.state.may_record_evidence()
}

fn evidence_href(loaded: &LoadedChallenge) -> String {
    format!("{}/evidence", loaded.href())
}

fn findings_href(loaded: &LoadedChallenge) -> String {
    format!("{}/findings", loaded.href())
}

fn author(principal: &Principal) -> Author<'_> {
    Author {
        user: principal.user_id,
        name: &principal.name,
    }
}

fn banner(notice: &str) -> Option<NotificationBanner> {
    let heading = match notice {
        "draft" => "Your draft has been saved. Only you can see it until you record it.",
        "recorded" => "Your evidence has been recorded",
        "added" => "The finding has been added",
        "changed" => "The finding has been changed",
        "commented" => "Your comment has been added",
        "closed" => {
            return Some(NotificationBanner {
                success: false,
                heading:
                    "Evidence and findings can be changed only during the visit and while reporting"
                        .into(),
            });
        }
        _ => return None,
    };
    Some(NotificationBanner::success(heading))
}

// ---- Evidence ---------------------------------------------------------------------------

#[derive(Clone, Debug, Default, Deserialize)]
pub struct EvidenceForm {
    #[serde(default)]
    activity: String,
    #[serde(default)]
    kloe: String,
    #[serde(default)]
    case_reference: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    note: String,
    /// Which button was pressed: `record` or `draft`.
    #[serde(default)]
    save: String,
}

impl EvidenceForm {
    fn answers(&self) -> EvidenceAnswers {
        EvidenceAnswers {
            activity: self.activity.clone(),
            kloe: self.kloe.clone(),
            case_reference: self.case_reference.clone(),
            kind: self.kind.clone(),
            note: self.note.clone(),
        }
    }

    fn from_answers(answers: EvidenceAnswers) -> Self {
        Self {
            activity: answers.activity,
            kloe: answers.kloe,
            case_reference: answers.case_reference,
            kind: answers.kind,
            note: answers.note,
            save: String::new(),
        }
    }

    fn records(&self) -> bool {
        self.save != "draft"
    }
}

/// What the evidence form may offer the visitor on this challenge.
struct EvidenceFields {
    activity: Select,
    kloe: Radios,
    case_reference: Select,
    kind: Radios,
    note: Textarea,
}

fn select(
    name: &str,
    label: &str,
    empty: &str,
    options: Vec<(String, String)>,
    chosen: &str,
    errors: &FormErrors,
) -> Select {
    let mut items = vec![SelectItem {
        value: String::new(),
        text: empty.to_owned(),
        selected: chosen.is_empty(),
    }];
    items.extend(options.into_iter().map(|(value, text)| SelectItem {
        selected: value == chosen,
        value,
        text,
    }));
    Select {
        id: name.to_owned(),
        name: name.to_owned(),
        label: label.to_owned(),
        hint: None,
        error: errors.get(name),
        items,
    }
}

fn kloe_options(kloes: &[String]) -> Vec<(String, String)> {
    kloes
        .iter()
        .enumerate()
        .map(|(index, question)| {
            (
                (index + 1).to_string(),
                format!("KLOE {}: {question}", index + 1),
            )
        })
        .collect()
}

fn radios(
    name: &str,
    legend: &str,
    options: &[(String, String)],
    chosen: &str,
    errors: &FormErrors,
) -> Radios {
    let options: Vec<(&str, &str)> = options
        .iter()
        .map(|(value, text)| (value.as_str(), text.as_str()))
        .collect();
    let mut radios = Radios::new(name, legend, &options, chosen).errors(errors);
    radios.legend_classes = Some("govuk-fieldset__legend--s");
    radios
}

fn evidence_fields(
    form: &EvidenceForm,
    choices: &EvidenceChoices,
    errors: &FormErrors,
) -> EvidenceFields {
    let activities = choices
        .activities
        .iter()
        .map(|activity| {
            (
                activity.id.to_string(),
                format!(
                    "{} {}–{}: {}",
                    activity.day.format("%-d %b"),
                    activity.starts.format("%H:%M"),
                    activity.ends.format("%H:%M"),
                    activity.title
                ),
            )
        })
        .collect();
    let cases = choices
        .cases
        .iter()
        .map(|case| (case.to_string(), case.to_string()))
        .collect();
    let kinds: Vec<(String, String)> = EvidenceKind::ALL
        .iter()
        .map(|kind| (kind.code().to_owned(), kind.label().to_owned()))
        .collect();
    let mut note = Textarea::new("note", "Note", &form.note)
        .hint("What you saw or heard, and where. Do not include names, dates of birth, addresses, NHS numbers or unique pupil numbers.")
        .limit(NOTE_LIMIT)
        .errors(errors);
    note.rows = 6;
    EvidenceFields {
        activity: select(
            "activity",
            "Activity",
            "Choose the activity",
            activities,
            &form.activity,
            errors,
        ),
        kloe: radios(
            "kloe",
            "Which KLOE is this evidence about?",
            &kloe_options(&choices.kloes),
            &form.kloe,
            errors,
        ),
        case_reference: select(
            "case_reference",
            "Case (optional)",
            "No case",
            cases,
            &form.case_reference,
            errors,
        ),
        kind: radios("kind", "What does it show?", &kinds, &form.kind, errors),
        note,
    }
}

/// A note as a line of a list.
struct NoteRow {
    kloe: String,
    kind: String,
    case_reference: String,
    note: String,
    author: String,
    edit_href: Option<String>,
    draft: bool,
}

fn note_row(note: &EvidenceNote, edit_href: Option<String>) -> NoteRow {
    NoteRow {
        kloe: note
            .entry
            .kloe
            .map(|k| format!("KLOE {k}"))
            .unwrap_or_else(|| "No KLOE yet".into()),
        kind: note
            .entry
            .kind
            .map(|kind| kind.label().to_owned())
            .unwrap_or_default(),
        case_reference: note
            .entry
            .case_reference
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
        note: note.entry.note.clone(),
        author: note.author_name.clone(),
        edit_href,
        draft: !note.recorded,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/findings/evidence.html")]
pub struct EvidencePage {
    chrome: Chrome,
    banner: Option<NotificationBanner>,
    summary: Option<ErrorSummary>,
    back: String,
    caption: String,
    heading: &'static str,
    action: String,
    form: Option<EvidenceFields>,
    own: Vec<NoteRow>,
    /// The team's recorded notes, for those who may read them.
    team: Option<Vec<NoteRow>>,
    closed: bool,
    /// What someone typed when recording closed under them: shown back so it is never lost.
    unsaved: Option<String>,
}

async fn evidence_page(
    state: &AppState,
    visitor: &Visitor,
    loaded: &LoadedChallenge,
    principal: &Principal,
    form: &EvidenceForm,
    errors: &FormErrors,
    banner: Option<NotificationBanner>,
) -> Result<EvidencePage, AppError> {
    let href = evidence_href(loaded);
    let read = findings::evidence(
        &state.store,
        Some(principal),
        loaded.on(),
        loaded.evidence_choices(),
        Utc::now(),
    )
    .await?;
    let open = read.open;
    let own = read
        .own
        .iter()
        .map(|note| note_row(note, open.then(|| format!("{href}/{}", note.id))))
        .collect();
    let team = read
        .team
        .map(|notes| notes.iter().map(|note| note_row(note, None)).collect());
    Ok(EvidencePage {
        chrome: Chrome::new(visitor, "Evidence", NAV).with_errors(!errors.is_empty()),
        banner,
        summary: (!errors.is_empty()).then(|| ErrorSummary::of(errors)),
        back: loaded.href(),
        caption: loaded.title(),
        heading: "Evidence",
        action: href,
        form: (read.records && open).then(|| evidence_fields(form, &read.choices, errors)),
        own,
        team,
        closed: !open,
        unsaved: None,
    })
}

pub async fn show_evidence(
    State(state): State<AppState>,
    visitor: Visitor,
    loaded: LoadedChallenge,
    Query(notice): Query<Notice>,
) -> Result<EvidencePage, AppError> {
    // The read model lets in those who record evidence here or read the team's.
    let principal = visitor.principal.as_ref().ok_or(AppError::SignInRequired)?;
    let form = EvidenceForm::default();
    evidence_page(
        &state,
        &visitor,
        &loaded,
        principal,
        &form,
        &FormErrors::default(),
        banner(&notice.notice),
    )
    .await
}

/// What became of a note sent to be saved.
enum Saved {
    /// Saved; the banner's notice.
    Notice(&'static str),
    /// An answer needs changing: the form again with every answer as typed.
    Problems(FormErrors),
    /// Recording has closed (perhaps while they typed): the text is shown back with why.
    Refused,
    /// Something the answers were checked against changed before the note was written:
    /// nothing was saved, and they are checked again on a fresh reading.
    Moved,
}

/// How many fresh readings a note is checked against before its author is asked to save it
/// again: the version a note carries covers every challenge's teams and timetables, so another
/// challenge's change can land between a reading and the write.
const FRESH_READINGS: usize = 3;

/// Check and save a note (new when `existing` is None). A note once recorded is always
/// checked in full, whichever button was pressed: the team reads it.
async fn save_note(
    state: &AppState,
    visitor: &Visitor,
    loaded: &LoadedChallenge,
    existing: Option<&EvidenceNote>,
    form: &EvidenceForm,
) -> Result<Saved, AppError> {
    let records = form.records() || existing.is_some_and(|note| note.recorded);
    let principal = visitor.authorise(&Action::RecordEvidence(loaded.access.clone()))?;
    if !findings_open(loaded) {
        return Ok(Saved::Refused);
    }
    let choices = loaded.evidence_choices();
    let activity_ids: Vec<_> = choices.activities.iter().map(|a| a.id).collect();
    let context = EvidenceContext {
        activities: &activity_ids,
        kloe_count: choices.kloes.len(),
        case_references: &choices.cases,
    };
    let answers = form.answers();
    let checked = if records {
        answers.check(context)
    } else {
        answers.check_draft(context)
    };
    let entry = match checked {
        Ok(entry) => entry,
        Err(problems) => return Ok(Saved::Problems(FormErrors::from_problems(problems))),
    };
    match state
        .store
        .save_evidence(
            loaded.record.id,
            existing.map(|note| note.id),
            &entry,
            records,
            author(principal),
            Some(loaded.read_at),
            Utc::now(),
        )
        .await
    {
        Ok(_) => Ok(Saved::Notice(if records { "recorded" } else { "draft" })),
        Err(StoreError::Stale) => Ok(Saved::Moved),
        // Closed between loading the challenge and saving: the same as closed before.
        Err(StoreError::Conflict(_)) if !still_open(state, loaded).await? => Ok(Saved::Refused),
        Err(StoreError::Conflict(message)) => {
            let mut errors = FormErrors::default();
            errors.add("note", message);
            Ok(Saved::Problems(errors))
        }
        Err(StoreError::NotFound) => Err(AppError::NotFound),
        Err(other) => Err(other.into()),
    }
}

const CHANGED_WHILE_SAVING: &str = "A timetable, team or case sample changed as you saved, so your note was not saved: check your answers and save it again";

/// Save a note against `loaded`, a fresh reading, and against fresh readings again while what
/// was read moves under it, a few times at most. Gives the reading the outcome came from.
async fn save_on_fresh_readings(
    state: &AppState,
    visitor: &Visitor,
    mut loaded: LoadedChallenge,
    existing: Option<&EvidenceNote>,
    form: &EvidenceForm,
) -> Result<(LoadedChallenge, Saved), AppError> {
    let mut reading = 1;
    loop {
        let outcome = save_note(state, visitor, &loaded, existing, form).await?;
        if !matches!(outcome, Saved::Moved) || reading == FRESH_READINGS {
            return Ok((loaded, outcome));
        }
        loaded = load_challenge(state, visitor, loaded.record.id).await?;
        reading += 1;
    }
}

/// What the form says when what a note was checked against kept moving as it was saved.
fn changed_while_saving() -> FormErrors {
    let mut errors = FormErrors::default();
    errors.add("note", CHANGED_WHILE_SAVING);
    errors
}

/// The challenge as last kept for `visitor`, read from nothing and so possibly out of date:
/// only for saving a note, whose write carries `read_at` and is refused if it has moved (see
/// `last_kept_challenge_view`). None when nothing is kept.
fn last_kept_challenge(
    state: &AppState,
    visitor: &Visitor,
    id: ChallengeId,
) -> Option<LoadedChallenge> {
    let principal = visitor.principal.as_ref()?;
    let (view, read_at) = last_kept_challenge_view(&state.views, id)?;
    Some(LoadedChallenge::of(principal, view, read_at))
}

/// Whether the challenge is still in the visit or reporting, read afresh.
async fn still_open(state: &AppState, loaded: &LoadedChallenge) -> Result<bool, AppError> {
    Ok(state
        .store
        .challenge(loaded.record.id)
        .await?
        .is_some_and(|record| record.state.may_record_evidence()))
}

/// The evidence page with the refused text shown back under the reason, answered 409.
async fn refused_note(
    state: &AppState,
    visitor: &Visitor,
    loaded: &LoadedChallenge,
    form: &EvidenceForm,
) -> Result<Response, AppError> {
    let principal = visitor.authorise(&Action::RecordEvidence(loaded.access.clone()))?;
    let mut page = evidence_page(
        state,
        visitor,
        loaded,
        principal,
        form,
        &FormErrors::default(),
        Some(NotificationBanner {
            success: false,
            heading: "Your note was not saved: evidence can be recorded only during the visit and while reporting. Copy your text below to keep it.".into(),
        }),
    )
    .await?;
    page.unsaved = Some(form.note.clone());
    Ok((StatusCode::CONFLICT, page).into_response())
}

pub async fn add_evidence(
    State(state): State<AppState>,
    visitor: Visitor,
    ChallengePath(id): ChallengePath,
    Form(form): Form<EvidenceForm>,
) -> Result<Response, AppError> {
    // During a visit the team records note after note: each is first saved against the
    // challenge as last kept, whose version the note's own INSERT checks (no read of its own).
    // A refusal, a denial or problems with the answers are decided again on a fresh reading;
    // any other error is the request's.
    if let Some(kept) = last_kept_challenge(&state, &visitor, id) {
        match save_note(&state, &visitor, &kept, None, &form).await {
            Ok(Saved::Notice(notice)) => return Ok(saved(&kept, notice)),
            Ok(Saved::Problems(_) | Saved::Refused | Saved::Moved)
            | Err(AppError::Forbidden | AppError::NotFound) => {}
            Err(other) => return Err(other),
        }
    }
    let loaded = load_challenge(&state, &visitor, id).await?;
    let (loaded, outcome) = save_on_fresh_readings(&state, &visitor, loaded, None, &form).await?;
    let errors = match outcome {
        Saved::Notice(notice) => return Ok(saved(&loaded, notice)),
        Saved::Refused => return refused_note(&state, &visitor, &loaded, &form).await,
        Saved::Problems(errors) => errors,
        Saved::Moved => changed_while_saving(),
    };
    let principal = visitor.authorise(&Action::RecordEvidence(loaded.access.clone()))?;
    let page = evidence_page(&state, &visitor, &loaded, principal, &form, &errors, None).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// Back to the evidence page, with the banner for `notice`.
fn saved(loaded: &LoadedChallenge, notice: &str) -> Response {
    see_other(&format!("{}?notice={notice}", evidence_href(loaded)))
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/findings/evidence_note.html")]
pub struct NotePage {
    chrome: Chrome,
    summary: Option<ErrorSummary>,
    back: String,
    caption: String,
    action: String,
    form: EvidenceFields,
    draft: bool,
}

fn note_page(
    visitor: &Visitor,
    loaded: &LoadedChallenge,
    note: &EvidenceNote,
    form: &EvidenceForm,
    errors: &FormErrors,
) -> NotePage {
    let choices = loaded.evidence_choices();
    NotePage {
        chrome: Chrome::new(visitor, "Your evidence", NAV).with_errors(!errors.is_empty()),
        summary: (!errors.is_empty()).then(|| ErrorSummary::of(errors)),
        back: evidence_href(loaded),
        caption: loaded.title(),
        action: format!("{}/{}", evidence_href(loaded), note.id),
        form: evidence_fields(form, &choices, errors),
        draft: !note.recorded,
    }
}

async fn own_note(
    state: &AppState,
    visitor: &Visitor,
    loaded: &LoadedChallenge,
    id: EvidenceId,
) -> Result<EvidenceNote, AppError> {
    let principal = visitor.authorise(&Action::RecordEvidence(loaded.access.clone()))?;
    state
        .store
        .own_evidence_note(loaded.record.id, id, principal.user_id)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn show_note(
    State(state): State<AppState>,
    visitor: Visitor,
    loaded: LoadedChallenge,
    Id((_, note)): Id<(ChallengeId, EvidenceId)>,
) -> Result<Response, AppError> {
    let note = own_note(&state, &visitor, &loaded, note).await?;
    if !findings_open(&loaded) {
        return Ok(see_other(&format!(
            "{}?notice=closed",
            evidence_href(&loaded)
        )));
    }
    let form = EvidenceForm::from_answers(EvidenceAnswers::from_entry(&note.entry));
    Ok(note_page(&visitor, &loaded, &note, &form, &FormErrors::default()).into_response())
}

pub async fn change_note(
    State(state): State<AppState>,
    visitor: Visitor,
    loaded: LoadedChallenge,
    Id((_, note)): Id<(ChallengeId, EvidenceId)>,
    Form(form): Form<EvidenceForm>,
) -> Result<Response, AppError> {
    let note = own_note(&state, &visitor, &loaded, note).await?;
    let (loaded, outcome) =
        save_on_fresh_readings(&state, &visitor, loaded, Some(&note), &form).await?;
    let errors = match outcome {
        Saved::Notice(notice) => return Ok(saved(&loaded, notice)),
        Saved::Refused => return refused_note(&state, &visitor, &loaded, &form).await,
        Saved::Problems(errors) => errors,
        Saved::Moved => changed_while_saving(),
    };
    let page = note_page(&visitor, &loaded, &note, &form, &errors);
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

// ---- Findings ---------------------------------------------------------------------------

#[derive(Clone, Debug, Default, Deserialize)]
pub struct FindingForm {
    #[serde(default)]
    kloe: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    evidence: Vec<String>,
}

impl FindingForm {
    fn answers(&self) -> FindingAnswers {
        FindingAnswers {
            kloe: self.kloe.clone(),
            kind: self.kind.clone(),
            text: self.text.clone(),
            evidence: self.evidence.clone(),
        }
    }

    fn of(finding: &Finding) -> Self {
        Self {
            kloe: finding.entry.kloe.to_string(),
            kind: finding.entry.kind.code().to_owned(),
            text: finding.entry.text.clone(),
            evidence: finding
                .entry
                .evidence
                .iter()
                .map(ToString::to_string)
                .collect(),
        }
    }
}

struct FindingFields {
    kloe: Radios,
    kind: Radios,
    text: Textarea,
    evidence: Checkboxes,
}

fn finding_fields(
    form: &FindingForm,
    kloes: &[String],
    evidence: &[EvidenceNote],
    errors: &FormErrors,
) -> FindingFields {
    let kinds: Vec<(String, String)> = FindingKind::ALL
        .iter()
        .map(|kind| (kind.code().to_owned(), kind.label().to_owned()))
        .collect();
    let mut text = Textarea::new("text", "Finding", &form.text)
        .hint("As it will read in the report. Do not include anything that identifies a child or family.")
        .limit(FINDING_LIMIT)
        .errors(errors);
    text.rows = 4;
    FindingFields {
        kloe: radios(
            "kloe",
            "Which KLOE does it answer?",
            &kloe_options(kloes),
            &form.kloe,
            errors,
        ),
        kind: radios(
            "kind",
            "What kind of finding is it?",
            &kinds,
            &form.kind,
            errors,
        ),
        text,
        evidence: Checkboxes {
            id_prefix: "evidence".into(),
            name: "evidence".into(),
            legend: "The evidence behind it (optional)".into(),
            legend_classes: Some("govuk-fieldset__legend--s"),
            hint: evidence
                .is_empty()
                .then(|| "No evidence has been recorded yet".to_owned()),
            error: errors.get("evidence"),
            items: evidence
                .iter()
                .map(|note| CheckboxItem {
                    value: note.id.to_string(),
                    text: format!(
                        "KLOE {}, {}: {}",
                        note.entry.kloe.unwrap_or_default(),
                        note.entry
                            .kind
                            .map(EvidenceKind::label)
                            .unwrap_or_default()
                            .to_lowercase(),
                        note.entry.note
                    ),
                    hint: Some(format!("Recorded by {}", note.author_name)),
                    checked: form.evidence.contains(&note.id.to_string()),
                })
                .collect(),
        },
    }
}

/// One finding as the page lists it.
struct FindingRow {
    id: String,
    text: String,
    evidence: Vec<String>,
    comments: Vec<(String, String)>,
    edit_href: Option<String>,
    /// The comment form, for those who may comment while findings are open.
    comment: Option<(String, Textarea)>,
}

/// A KLOE with its findings in their three parts.
struct KloeSection {
    number: usize,
    question: String,
    parts: Vec<(&'static str, Vec<FindingRow>)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/findings/findings.html")]
pub struct FindingsPage {
    chrome: Chrome,
    banner: Option<NotificationBanner>,
    summary: Option<ErrorSummary>,
    back: String,
    caption: String,
    action: String,
    kloes: Vec<KloeSection>,
    form: Option<FindingFields>,
    closed: bool,
    writer: Option<String>,
    /// A comment refused because the findings closed while it was typed, shown back to copy.
    unsaved: Option<String>,
}

#[allow(clippy::too_many_arguments)]
async fn findings_page(
    state: &AppState,
    visitor: &Visitor,
    loaded: &LoadedChallenge,
    principal: &Principal,
    form: &FindingForm,
    typed_comment: Option<(FindingId, &str)>,
    errors: &FormErrors,
    banner: Option<NotificationBanner>,
) -> Result<FindingsPage, AppError> {
    let href = findings_href(loaded);
    let read = findings::findings(&state.store, Some(principal), loaded.on(), Utc::now()).await?;
    let (open, writes, comments) = (read.open, read.writes, read.comments);
    let sections = read
        .sections
        .into_iter()
        .zip(&read.kloes)
        .enumerate()
        .map(|(index, (parts, question))| KloeSection {
            number: index + 1,
            question: question.clone(),
            parts: parts
                .into_iter()
                .map(|(kind, cited)| {
                    let rows = cited
                        .into_iter()
                        .map(|CitedFinding { finding, evidence }| FindingRow {
                            id: finding.id.to_string(),
                            text: finding.entry.text.clone(),
                            evidence,
                            comments: finding
                                .comments
                                .iter()
                                .map(|c| (c.author_name.clone(), c.text.clone()))
                                .collect(),
                            edit_href: writes.then(|| format!("{href}/{}", finding.id)),
                            comment: comments.then(|| {
                                let field = format!("comment-{}", finding.id);
                                let typed = typed_comment
                                    .filter(|(id, _)| *id == finding.id)
                                    .map_or("", |(_, text)| text);
                                let mut box_ = Textarea::new("comment", "Add a comment", typed)
                                    .limit(COMMENT_LIMIT);
                                box_.error = errors.get(&field);
                                box_.id = field;
                                box_.rows = 2;
                                (format!("{href}/{}/comments", finding.id), box_)
                            }),
                        })
                        .collect();
                    (kind.heading(), rows)
                })
                .collect(),
        })
        .collect();
    Ok(FindingsPage {
        chrome: Chrome::new(visitor, "Findings", NAV).with_errors(!errors.is_empty()),
        banner,
        summary: (!errors.is_empty()).then(|| ErrorSummary::of(errors)),
        back: loaded.href(),
        caption: loaded.title(),
        action: href,
        kloes: sections,
        form: writes.then(|| finding_fields(form, &read.kloes, &read.evidence, errors)),
        closed: !open,
        writer: (!writes).then(|| {
            if loaded.record.kind.led_by_coordinator() {
                "The co-ordinator writes the findings of a two-day challenge.".to_owned()
            } else {
                "The lead reviewer writes the findings of a one-day challenge.".to_owned()
            }
        }),
        unsaved: None,
    })
}

fn discussing(visitor: &Visitor, loaded: &LoadedChallenge) -> Result<Principal, AppError> {
    visitor
        .authorise(&Action::DiscussFindings(loaded.access.clone()))
        .or_else(|_| visitor.authorise(&Action::WriteFindings(loaded.access.clone())))
        .cloned()
}

pub async fn show_findings(
    State(state): State<AppState>,
    visitor: Visitor,
    loaded: LoadedChallenge,
    Query(notice): Query<Notice>,
) -> Result<FindingsPage, AppError> {
    // The read model lets in those who write the findings or discuss them.
    let principal = visitor.principal.as_ref().ok_or(AppError::SignInRequired)?;
    findings_page(
        &state,
        &visitor,
        &loaded,
        principal,
        &FindingForm::default(),
        None,
        &FormErrors::default(),
        banner(&notice.notice),
    )
    .await
}

/// Check a finding against the challenge's KLOEs and recorded evidence.
async fn check_finding(
    state: &AppState,
    loaded: &LoadedChallenge,
    form: &FindingForm,
) -> Result<Result<domain::findings::FindingEntry, FormErrors>, AppError> {
    let recorded = state.store.recorded_evidence_ids(loaded.record.id).await?;
    Ok(form
        .answers()
        .check(loaded.record.kloes.len(), &recorded)
        .map_err(FormErrors::from_problems))
}

/// Where a saved finding goes: the list with a notice; a conflict (the challenge moved on, or
/// evidence went away meanwhile) as an error on the form.
fn after_finding_saved(
    result: Result<(), StoreError>,
    loaded: &LoadedChallenge,
    notice: &str,
) -> Result<Result<Response, FormErrors>, AppError> {
    match result {
        Ok(()) => Ok(Ok(see_other(&format!(
            "{}?notice={notice}",
            findings_href(loaded)
        )))),
        Err(StoreError::Conflict(message)) => {
            let mut errors = FormErrors::default();
            errors.add("text", message);
            Ok(Err(errors))
        }
        Err(StoreError::NotFound) => Err(AppError::NotFound),
        Err(other) => Err(other.into()),
    }
}

pub async fn add_finding(
    State(state): State<AppState>,
    visitor: Visitor,
    loaded: LoadedChallenge,
    Form(form): Form<FindingForm>,
) -> Result<Response, AppError> {
    let principal = visitor.authorise(&Action::WriteFindings(loaded.access.clone()))?;
    let outcome = match check_finding(&state, &loaded, &form).await? {
        Ok(entry) => {
            let saved = state
                .store
                .add_finding(loaded.record.id, &entry, principal.user_id, Utc::now())
                .await
                .map(|_| ());
            after_finding_saved(saved, &loaded, "added")?
        }
        Err(errors) => Err(errors),
    };
    match outcome {
        Ok(response) => Ok(response),
        Err(errors) => {
            let page = findings_page(
                &state, &visitor, &loaded, principal, &form, None, &errors, None,
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/findings/finding.html")]
pub struct FindingPage {
    chrome: Chrome,
    summary: Option<ErrorSummary>,
    back: String,
    caption: String,
    action: String,
    form: FindingFields,
}

async fn finding_page(
    state: &AppState,
    visitor: &Visitor,
    loaded: &LoadedChallenge,
    principal: &Principal,
    finding: FindingId,
    form: &FindingForm,
    errors: &FormErrors,
) -> Result<FindingPage, AppError> {
    let evidence = state
        .store
        .evidence(loaded.record.id, Some(principal.user_id), Utc::now())
        .await?;
    let kloes: Vec<String> = loaded
        .record
        .kloes
        .iter()
        .map(|k| k.question.clone())
        .collect();
    Ok(FindingPage {
        chrome: Chrome::new(visitor, "Change a finding", NAV).with_errors(!errors.is_empty()),
        summary: (!errors.is_empty()).then(|| ErrorSummary::of(errors)),
        back: findings_href(loaded),
        caption: loaded.title(),
        action: format!("{}/{finding}", findings_href(loaded)),
        form: finding_fields(form, &kloes, &evidence, errors),
    })
}

async fn load_finding(
    state: &AppState,
    loaded: &LoadedChallenge,
    id: FindingId,
) -> Result<Finding, AppError> {
    state
        .store
        .findings(loaded.record.id)
        .await?
        .into_iter()
        .find(|finding| finding.id == id)
        .ok_or(AppError::NotFound)
}

pub async fn show_finding(
    State(state): State<AppState>,
    visitor: Visitor,
    loaded: LoadedChallenge,
    Id((_, finding)): Id<(ChallengeId, FindingId)>,
) -> Result<Response, AppError> {
    let principal = visitor.authorise(&Action::WriteFindings(loaded.access.clone()))?;
    let finding = load_finding(&state, &loaded, finding).await?;
    if !findings_open(&loaded) {
        return Ok(see_other(&format!(
            "{}?notice=closed",
            findings_href(&loaded)
        )));
    }
    let form = FindingForm::of(&finding);
    Ok(finding_page(
        &state,
        &visitor,
        &loaded,
        principal,
        finding.id,
        &form,
        &FormErrors::default(),
    )
    .await?
    .into_response())
}

pub async fn change_finding(
    State(state): State<AppState>,
    visitor: Visitor,
    loaded: LoadedChallenge,
    Id((_, finding)): Id<(ChallengeId, FindingId)>,
    Form(form): Form<FindingForm>,
) -> Result<Response, AppError> {
    let principal = visitor.authorise(&Action::WriteFindings(loaded.access.clone()))?;
    let finding = load_finding(&state, &loaded, finding).await?;
    let outcome = match check_finding(&state, &loaded, &form).await? {
        Ok(entry) => {
            let saved = state
                .store
                .update_finding(
                    loaded.record.id,
                    finding.id,
                    &entry,
                    principal.user_id,
                    Utc::now(),
                )
                .await;
            after_finding_saved(saved, &loaded, "changed")?
        }
        Err(errors) => Err(errors),
    };
    match outcome {
        Ok(response) => Ok(response),
        Err(errors) => {
            let page = finding_page(
                &state, &visitor, &loaded, principal, finding.id, &form, &errors,
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct CommentForm {
    #[serde(default)]
    comment: String,
}

pub async fn comment_on_finding(
    State(state): State<AppState>,
    visitor: Visitor,
    loaded: LoadedChallenge,
    Id((_, finding)): Id<(ChallengeId, FindingId)>,
    Form(form): Form<CommentForm>,
) -> Result<Response, AppError> {
    let principal = discussing(&visitor, &loaded)?;
    let finding = load_finding(&state, &loaded, finding).await?;
    let text = match check_comment(&form.comment) {
        Ok(text) => text,
        Err(problem) => {
            // The comment box sits beside each finding: show the page with the error on it.
            let mut errors = FormErrors::default();
            errors.add(format!("comment-{}", finding.id), problem.message);
            let page = findings_page(
                &state,
                &visitor,
                &loaded,
                &principal,
                &FindingForm::default(),
                Some((finding.id, &form.comment)),
                &errors,
                None,
            )
            .await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    match state
        .store
        .comment_on_finding(
            loaded.record.id,
            finding.id,
            &text,
            author(&principal),
            Utc::now(),
        )
        .await
    {
        Ok(()) => Ok(see_other(&format!(
            "{}?notice=commented",
            findings_href(&loaded)
        ))),
        Err(StoreError::Conflict(_)) => {
            // The findings closed while the comment was typed: show the text back with the
            // reason rather than redirect it away, as a refused evidence note is.
            let mut page = findings_page(
                &state,
                &visitor,
                &loaded,
                &principal,
                &FindingForm::default(),
                None,
                &FormErrors::default(),
                Some(NotificationBanner {
                    success: false,
                    heading: "Your comment was not saved: findings can be discussed only during the visit and while reporting. Copy your text below to keep it.".into(),
                }),
            )
            .await?;
            page.unsaved = Some(form.comment.clone());
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}
