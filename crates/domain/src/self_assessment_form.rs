//! What an area writes in its self-assessment, parsed from the form: per strand a
//! self-rating, confidence, strengths, areas for development, evidence links, impact and
//! actions; a summary and top priorities. A draft may be incomplete; submitting needs every
//! rating and confidence, each missing one named next to its field.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::area_send_framework::{Confidence, FRAMEWORK_VERSION, SelfRating, Strand};
use crate::forms::FieldProblem;
use crate::personal_data::check_free_text;

vocabulary!(
    /// Where a version of a self-assessment stands.
    SelfAssessmentStatus {
        Draft => "draft", "Draft";
        Submitted => "submitted", "Submitted";
        SignedOff => "signed_off", "Signed off";
    }
);

/// Who signed a self-assessment off for the partnership, and on what day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignOff {
    pub for_authority: String,
    pub for_health: String,
    pub for_forum: String,
    pub on: chrono::NaiveDate,
}

/// The longest a signatory's name may be.
pub const SIGNATORY_MAX: usize = 120;

impl SignOff {
    /// The sign-off form's three names and date, each required and checked.
    pub fn parse(
        authority: &str,
        health: &str,
        forum: &str,
        on: &str,
        today: chrono::NaiveDate,
    ) -> Result<Self, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let mut name = |field: &str, who: &str, text: &str| {
            let text = text.trim().to_owned();
            if text.is_empty() {
                problems.push(FieldProblem::new(
                    field,
                    format!("Enter who signed for {who}"),
                ));
            } else if text.chars().nth(SIGNATORY_MAX).is_some() || text.contains(char::is_control) {
                problems.push(FieldProblem::new(
                    field,
                    format!("The name must be one line of {SIGNATORY_MAX} characters or fewer"),
                ));
            }
            text
        };
        let for_authority = name("for_authority", "the local authority", authority);
        let for_health = name("for_health", "health", health);
        let for_forum = name("for_forum", "the parent carer forum", forum);
        let on = match chrono::NaiveDate::parse_from_str(on.trim(), "%Y-%m-%d") {
            Ok(day) if day <= today => Some(day),
            Ok(_) => {
                problems.push(FieldProblem::new(
                    "signed_on",
                    "The date of signing must be today or earlier",
                ));
                None
            }
            Err(_) => {
                problems.push(FieldProblem::new(
                    "signed_on",
                    "Enter the date it was signed, like 2026-12-01",
                ));
                None
            }
        };
        match on {
            Some(on) if problems.is_empty() => Ok(Self {
                for_authority,
                for_health,
                for_forum,
                on,
            }),
            _ => Err(problems),
        }
    }
}

/// The longest a section's text field may be.
pub const SECTION_TEXT_MAX: usize = 3_000;
/// The longest the summary and the priorities may be.
pub const SUMMARY_MAX: usize = 5_000;
/// How many evidence links a section may hold.
pub const EVIDENCE_LINKS_MAX: usize = 20;

/// The free-text parts of a section, with their field suffix and label.
pub const SECTION_TEXTS: [(&str, &str); 5] = [
    ("strengths", "Strengths"),
    ("development", "Areas for development"),
    ("impact", "Impact"),
    ("actions", "Actions"),
    ("evidence", "Evidence"),
];

/// One strand's section.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    pub rating: Option<SelfRating>,
    pub confidence: Option<Confidence>,
    pub strengths: String,
    pub development: String,
    pub impact: String,
    pub actions: String,
    /// Links to the evidence, one per line, each `https://`.
    pub evidence: Vec<String>,
}

impl Section {
    /// The text of a free-text part by its field suffix (evidence as one link per line).
    pub fn text(&self, part: &str) -> String {
        match part {
            "strengths" => self.strengths.clone(),
            "development" => self.development.clone(),
            "impact" => self.impact.clone(),
            "actions" => self.actions.clone(),
            "evidence" => self.evidence.join("\n"),
            _ => String::new(),
        }
    }
}

/// A whole self-assessment's answers, as stored (JSON) and shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelfAssessmentAnswers {
    /// The framework edition the sections follow.
    pub framework: String,
    pub sections: BTreeMap<Strand, Section>,
    pub summary: String,
    pub priorities: String,
}

impl Default for SelfAssessmentAnswers {
    fn default() -> Self {
        Self {
            framework: FRAMEWORK_VERSION.to_owned(),
            sections: BTreeMap::new(),
            summary: String::new(),
            priorities: String::new(),
        }
    }
}

/// The form field of a strand's part: `needs_identified-rating`.
pub fn field(strand: Strand, part: &str) -> String {
    format!("{}-{part}", strand.code())
}

fn bounded(
    field: &str,
    label: &str,
    text: &str,
    max: usize,
    problems: &mut Vec<FieldProblem>,
) -> String {
    let text = text.trim().replace("\r\n", "\n");
    if text.chars().nth(max).is_some() {
        problems.push(FieldProblem::new(
            field,
            format!(
                "{label} must be {} characters or fewer",
                crate::text::grouped(max)
            ),
        ));
    } else if let Err(problem) = check_free_text(field, &text) {
        problems.push(problem);
    }
    text
}

impl SelfAssessmentAnswers {
    /// The answers a posted form holds, and what is wrong with them. Every typed value is
    /// kept in the answers so the form can show it again beside its problem.
    pub fn parse(form: &[(String, String)]) -> (Self, Vec<FieldProblem>) {
        let get = |name: &str| {
            form.iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
                .unwrap_or("")
        };
        let mut problems = Vec::new();
        let mut answers = Self::default();
        for strand in Strand::ALL {
            let mut section = Section::default();
            let rating = get(&field(strand, "rating"));
            section.rating = SelfRating::parse(rating);
            if section.rating.is_none() && !rating.is_empty() {
                problems.push(FieldProblem::new(
                    field(strand, "rating"),
                    "Choose a rating from the list",
                ));
            }
            let confidence = get(&field(strand, "confidence"));
            section.confidence = Confidence::parse(confidence);
            if section.confidence.is_none() && !confidence.is_empty() {
                problems.push(FieldProblem::new(
                    field(strand, "confidence"),
                    "Choose a confidence from the list",
                ));
            }
            for (part, label) in SECTION_TEXTS {
                let name = field(strand, part);
                let text = bounded(&name, label, get(&name), SECTION_TEXT_MAX, &mut problems);
                match part {
                    "strengths" => section.strengths = text,
                    "development" => section.development = text,
                    "impact" => section.impact = text,
                    "actions" => section.actions = text,
                    _ => {
                        section.evidence = text
                            .lines()
                            .map(str::trim)
                            .filter(|l| !l.is_empty())
                            .map(str::to_owned)
                            .collect();
                        if section.evidence.len() > EVIDENCE_LINKS_MAX {
                            problems.push(FieldProblem::new(
                                &name,
                                format!("Give at most {EVIDENCE_LINKS_MAX} evidence links"),
                            ));
                        } else if let Some(bad) = section
                            .evidence
                            .iter()
                            .find(|l| !l.starts_with("https://") || l.contains(char::is_whitespace))
                        {
                            problems.push(FieldProblem::new(
                                &name,
                                format!(
                                    "Evidence must be links starting https://, one on each line: ‘{}’ is not",
                                    bad.chars().take(60).collect::<String>()
                                ),
                            ));
                        }
                    }
                }
            }
            if section != Section::default() {
                answers.sections.insert(strand, section);
            }
        }
        answers.summary = bounded(
            "summary",
            "The summary",
            get("summary"),
            SUMMARY_MAX,
            &mut problems,
        );
        answers.priorities = bounded(
            "priorities",
            "The top priorities",
            get("priorities"),
            SUMMARY_MAX,
            &mut problems,
        );
        (answers, problems)
    }

    /// The section of a strand, empty when nothing is written for it.
    pub fn section(&self, strand: Strand) -> Section {
        self.sections.get(&strand).cloned().unwrap_or_default()
    }

    /// What stops these answers being submitted: each missing rating and confidence, and a
    /// missing summary, each next to its field.
    pub fn submission_problems(&self) -> Vec<FieldProblem> {
        let mut problems = Vec::new();
        for strand in Strand::ALL {
            let section = self.section(strand);
            if section.rating.is_none() {
                problems.push(FieldProblem::new(
                    field(strand, "rating"),
                    format!("Choose a self-rating for ‘{}’", strand.label()),
                ));
            }
            if section.confidence.is_none() {
                problems.push(FieldProblem::new(
                    field(strand, "confidence"),
                    format!("Choose how confident you are for ‘{}’", strand.label()),
                ));
            }
        }
        if self.summary.is_empty() {
            problems.push(FieldProblem::new("summary", "Enter a summary"));
        }
        problems
    }

    /// Last year's answers as this year's starting point: the text carried over, the
    /// ratings and confidence left to be chosen afresh.
    pub fn as_starting_point(&self) -> Self {
        let mut next = self.clone();
        next.framework = FRAMEWORK_VERSION.to_owned();
        for section in next.sections.values_mut() {
            section.rating = None;
            section.confidence = None;
        }
        next
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn a_draft_keeps_what_was_typed_and_submission_lists_each_missing_rating() {
        let (answers, problems) = SelfAssessmentAnswers::parse(&form(&[
            ("needs_identified-rating", "positive"),
            ("needs_identified-confidence", "high"),
            ("needs_identified-strengths", "  Timely assessments  "),
            (
                "needs_identified-evidence",
                "https://example.org/a\n\nhttps://example.org/b",
            ),
            ("summary", "A year of steady progress"),
        ]));
        assert!(problems.is_empty(), "{problems:?}");
        let section = answers.section(Strand::NeedsIdentified);
        assert_eq!(section.rating, Some(SelfRating::Positive));
        assert_eq!(section.strengths, "Timely assessments");
        assert_eq!(section.evidence.len(), 2);
        let missing = answers.submission_problems();
        assert_eq!(missing.len(), 2 * (Strand::ALL.len() - 1));
        assert!(missing.iter().any(|p| p.field == "right_help-rating"));
        assert!(!missing.iter().any(|p| p.field == "needs_identified-rating"));
    }

    #[test]
    fn bad_values_are_refused_next_to_their_field() {
        let long = "x".repeat(SECTION_TEXT_MAX + 1);
        let (answers, problems) = SelfAssessmentAnswers::parse(&form(&[
            ("right_help-rating", "excellent"),
            ("right_help-strengths", &long),
            ("right_help-evidence", "javascript:alert(1)"),
            ("summary", "Child's NHS number 943 476 5919"),
        ]));
        let fields: Vec<_> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "right_help-rating",
                "right_help-strengths",
                "right_help-evidence",
                "summary"
            ]
        );
        assert_eq!(
            answers.section(Strand::RightHelp).strengths.len(),
            long.len()
        );
    }

    #[test]
    fn last_years_text_starts_without_ratings() {
        let (answers, _) = SelfAssessmentAnswers::parse(&form(&[
            ("next_steps-rating", "inconsistent"),
            ("next_steps-actions", "Widen supported internships"),
        ]));
        let start = answers.as_starting_point();
        assert_eq!(start.section(Strand::NextSteps).rating, None);
        assert_eq!(
            start.section(Strand::NextSteps).actions,
            "Widen supported internships"
        );
    }
}
