//! Triad scrutiny in the annual programme: the challenge comments and questions a triad's
//! leads write on each other's submitted self-assessments, the triad conversation's record,
//! and the requests for help and offers of support areas make. Each form's answers are
//! checked here, bounded and free of anything that identifies a child.

use chrono::NaiveDate;
use serde::Deserialize;

use crate::AuthoritySlug;
use crate::area_send_framework::Strand;
use crate::forms::FieldProblem;
use crate::personal_data::check_free_text;
use crate::text::{MultiLine, OneLine, limits};

vocabulary!(
    /// What a triad partner writes on a section: a challenge to the claim, or a question
    /// the area is asked to answer in the conversation.
    ScrutinyKind {
        Comment => "comment", "Challenge comment";
        Question => "question", "Question";
    }
);

vocabulary!(
    /// Which way help goes: an area asks for it, or offers it.
    SupportKind {
        Request => "request", "Request for help";
        Offer => "offer", "Offer of support";
    }
);

/// The section code a comment on the summary and priorities carries (strands have their own).
pub const OVERALL: &str = "overall";
/// The posted value naming the whole region as the other party of a request or offer.
pub const REGION: &str = "region";

/// A comment is a short note; the conversation's agreed points may run longer.
pub const COMMENT_MAX: usize = limits::SHORT_NOTE;
pub const AGREED_MAX: usize = limits::NARRATIVE;
pub const ATTENDEES_MAX: usize = limits::PLACE;
pub const SUPPORT_MAX: usize = limits::SHORT_NOTE;

/// Which part of a self-assessment a comment is on: one strand's section, or the whole.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommentSection {
    Strand(Strand),
    Overall,
}

impl CommentSection {
    pub fn code(self) -> &'static str {
        match self {
            Self::Strand(strand) => strand.code(),
            Self::Overall => OVERALL,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Strand(strand) => strand.label(),
            Self::Overall => "Summary and top priorities",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        if code == OVERALL {
            return Some(Self::Overall);
        }
        Strand::parse(code).map(Self::Strand)
    }

    /// Every section in the order the self-assessment shows them, the whole last.
    pub fn all() -> Vec<Self> {
        Strand::ALL
            .into_iter()
            .map(Self::Strand)
            .chain([Self::Overall])
            .collect()
    }
}

/// The comment form as posted.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct CommentAnswers {
    #[serde(default)]
    pub section: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub text: String,
}

/// A comment ready to keep.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScrutinyComment {
    pub section: CommentSection,
    pub kind: ScrutinyKind,
    pub text: MultiLine,
}

impl CommentAnswers {
    pub fn check(&self) -> Result<ScrutinyComment, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let section = CommentSection::parse(self.section.trim());
        if section.is_none() {
            problems.push(FieldProblem::new(
                "section",
                "Choose the section the comment is on",
            ));
        }
        let kind = ScrutinyKind::parse(self.kind.trim());
        if kind.is_none() {
            problems.push(FieldProblem::new(
                "kind",
                "Choose whether this is a challenge comment or a question",
            ));
        }
        let text = match MultiLine::required(
            "Comment",
            "your comment or question",
            &self.text,
            COMMENT_MAX,
        ) {
            Ok(text) => match check_free_text("text", text.as_str()) {
                Ok(()) => Some(text),
                Err(problem) => {
                    problems.push(problem);
                    None
                }
            },
            Err(problem) => {
                problems.push(FieldProblem::new("text", problem));
                None
            }
        };
        match (section, kind, text) {
            (Some(section), Some(kind), Some(text)) if problems.is_empty() => Ok(ScrutinyComment {
                section,
                kind,
                text,
            }),
            _ => Err(problems),
        }
    }
}

/// The field holding who attended for `area`.
pub fn attended_field(area: &AuthoritySlug) -> String {
    format!("attended-{area}")
}

/// The conversation's record as posted: the date, who attended for each area of the triad
/// (`attended-{area}`), and the agreed points.
#[derive(Clone, Debug, Default)]
pub struct ConversationAnswers {
    pub held_on: String,
    pub attended: Vec<(AuthoritySlug, String)>,
    pub agreed: String,
}

/// A triad conversation ready to keep.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conversation {
    pub held_on: NaiveDate,
    /// Who attended for each area of the triad; an empty line where nobody came.
    pub attended: Vec<(AuthoritySlug, OneLine)>,
    pub agreed: MultiLine,
}

impl ConversationAnswers {
    /// The answers for `areas` from a posted form, kept as typed.
    pub fn from_form(form: &[(String, String)], areas: &[AuthoritySlug]) -> Self {
        let get = |name: &str| {
            form.iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        Self {
            held_on: get("held_on"),
            attended: areas
                .iter()
                .map(|area| (area.clone(), get(&attended_field(area))))
                .collect(),
            agreed: get("agreed"),
        }
    }

    /// What `area`'s attendees were typed as.
    pub fn attended_by(&self, area: &AuthoritySlug) -> &str {
        self.attended
            .iter()
            .find(|(a, _)| a == area)
            .map_or("", |(_, v)| v.as_str())
    }

    /// A conversation is recorded once held: on or before `today`, someone there for at
    /// least one area, and the points agreed written down.
    pub fn check(&self, today: NaiveDate) -> Result<Conversation, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let held_on = match NaiveDate::parse_from_str(self.held_on.trim(), "%Y-%m-%d") {
            Ok(day) if day <= today => Some(day),
            Ok(_) => {
                problems.push(FieldProblem::new(
                    "held_on",
                    "The date of the conversation must be today or earlier",
                ));
                None
            }
            Err(_) => {
                problems.push(FieldProblem::new(
                    "held_on",
                    "Enter the date of the conversation, like 2027-01-20",
                ));
                None
            }
        };
        let mut attended = Vec::new();
        for (area, typed) in &self.attended {
            let field = attended_field(area);
            match OneLine::parse("Who attended", typed, ATTENDEES_MAX) {
                Ok(line) => attended.push((area.clone(), line)),
                Err(problem) => problems.push(FieldProblem::new(field, problem)),
            }
        }
        if problems.iter().all(|p| !p.field.starts_with("attended-"))
            && attended.iter().all(|(_, line)| line.is_empty())
        {
            let field = self
                .attended
                .first()
                .map_or_else(|| "held_on".to_owned(), |(area, _)| attended_field(area));
            problems.push(FieldProblem::new(
                field,
                "Enter who attended for at least one area",
            ));
        }
        let agreed = match MultiLine::required(
            "Agreed points",
            "the points agreed",
            &self.agreed,
            AGREED_MAX,
        ) {
            Ok(text) => match check_free_text("agreed", text.as_str()) {
                Ok(()) => Some(text),
                Err(problem) => {
                    problems.push(problem);
                    None
                }
            },
            Err(problem) => {
                problems.push(FieldProblem::new("agreed", problem));
                None
            }
        };
        match (held_on, agreed) {
            (Some(held_on), Some(agreed)) if problems.is_empty() => Ok(Conversation {
                held_on,
                attended,
                agreed,
            }),
            _ => Err(problems),
        }
    }
}

/// A request for help or an offer of support as posted.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct SupportAnswers {
    #[serde(default)]
    pub kind: String,
    /// Another area's slug, or [`REGION`].
    #[serde(default)]
    pub with: String,
    #[serde(default)]
    pub text: String,
}

/// A request or offer ready to keep: `with` None is the region as a whole.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Support {
    pub kind: SupportKind,
    pub with: Option<AuthoritySlug>,
    pub text: MultiLine,
}

impl SupportAnswers {
    /// `from` makes it; `areas` are the cycle's, any of which but `from` it may name.
    pub fn check(
        &self,
        from: &AuthoritySlug,
        areas: &[AuthoritySlug],
    ) -> Result<Support, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let kind = SupportKind::parse(self.kind.trim());
        if kind.is_none() {
            problems.push(FieldProblem::new(
                "support-kind",
                "Choose a request for help or an offer of support",
            ));
        }
        let with = match self.with.trim() {
            REGION => Some(None),
            code => match AuthoritySlug::parse(code) {
                Ok(slug) if &slug != from && areas.contains(&slug) => Some(Some(slug)),
                _ => {
                    problems.push(FieldProblem::new(
                        "with",
                        "Choose another area of the cycle, or the whole region",
                    ));
                    None
                }
            },
        };
        let text = match MultiLine::required(
            "What is asked or offered",
            "what is asked or offered",
            &self.text,
            SUPPORT_MAX,
        ) {
            Ok(text) => match check_free_text("support-text", text.as_str()) {
                Ok(()) => Some(text),
                Err(problem) => {
                    problems.push(problem);
                    None
                }
            },
            Err(problem) => {
                problems.push(FieldProblem::new("support-text", problem));
                None
            }
        };
        match (kind, with, text) {
            (Some(kind), Some(with), Some(text)) if problems.is_empty() => {
                Ok(Support { kind, with, text })
            }
            _ => Err(problems),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slug(s: &str) -> AuthoritySlug {
        AuthoritySlug::parse(s).unwrap_or_else(|_| unreachable!())
    }

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_else(|_| unreachable!())
    }

    #[test]
    fn a_comment_needs_a_section_a_kind_and_words_that_name_no_child() {
        let empty = CommentAnswers::default().check().err().unwrap_or_default();
        let fields: Vec<&str> = empty.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["section", "kind", "text"]);
        let strand = Strand::ALL[0];
        let good = CommentAnswers {
            section: strand.code().to_owned(),
            kind: "question".to_owned(),
            text: "What does the audit show?".to_owned(),
        }
        .check();
        assert_eq!(
            good.map(|c| (c.section, c.kind)),
            Ok((CommentSection::Strand(strand), ScrutinyKind::Question))
        );
        let naming = CommentAnswers {
            section: OVERALL.to_owned(),
            kind: "comment".to_owned(),
            text: "NHS number 943 476 5919 shows it".to_owned(),
        }
        .check()
        .err()
        .unwrap_or_default();
        assert_eq!(naming.len(), 1);
        assert_eq!(naming[0].field, "text");
    }

    #[test]
    fn a_conversation_is_recorded_once_held_with_someone_there() {
        let areas = [slug("derby"), slug("rutland")];
        let mut answers = ConversationAnswers {
            held_on: "2027-01-20".to_owned(),
            attended: areas.iter().map(|a| (a.clone(), String::new())).collect(),
            agreed: "Share the audit tool".to_owned(),
        };
        let problems = answers.check(day("2027-01-25")).err().unwrap_or_default();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].field, "attended-derby");
        answers.attended[1].1 = "Director of children's services".to_owned();
        assert!(answers.check(day("2027-01-25")).is_ok());
        let problems = answers.check(day("2027-01-19")).err().unwrap_or_default();
        assert_eq!(problems[0].field, "held_on");
    }

    #[test]
    fn support_goes_to_another_area_of_the_cycle_or_the_region() {
        let areas = [slug("derby"), slug("rutland")];
        let derby = slug("derby");
        let ask = |with: &str| SupportAnswers {
            kind: "offer".to_owned(),
            with: with.to_owned(),
            text: "Our transitions lead can visit".to_owned(),
        };
        assert_eq!(
            ask("rutland").check(&derby, &areas).map(|s| s.with),
            Ok(Some(slug("rutland")))
        );
        assert_eq!(ask(REGION).check(&derby, &areas).map(|s| s.with), Ok(None));
        for refused in ["derby", "leicester", ""] {
            let problems = ask(refused).check(&derby, &areas).err().unwrap_or_default();
            assert_eq!(problems.len(), 1, "{refused}");
            assert_eq!(problems[0].field, "with");
        }
    }
}
