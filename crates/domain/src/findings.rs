//! What a challenge finds: the evidence reviewers record on the day, the findings written for
//! each KLOE from that evidence, and the workflow a report's versions go through. Every piece
//! of free text passes [`crate::personal_data`] first: the team writes about services, never
//! about an identifiable child.

use crate::case_sample::CaseReference;
use crate::forms::FieldProblem;
use crate::ids::{ActivityId, EvidenceId};
use crate::personal_data::find_personal_data;
use crate::text::{MultiLine, limits};

/// The longest evidence note: a few paragraphs typed on a phone, or written up after the day.
pub const NOTE_LIMIT: usize = limits::NARRATIVE;
/// The longest finding: a sentence or two for a slide, a paragraph for the written report.
pub const FINDING_LIMIT: usize = limits::STATEMENT;
/// The longest comment on a finding or a report.
pub const COMMENT_LIMIT: usize = limits::SHORT_NOTE;

vocabulary!(
    /// What a note of evidence says about the area: the two sides a finding is built from.
    EvidenceKind {
        Strength => "strength", "Strength";
        AreaForDevelopment => "development", "Area for development";
        Other => "other", "Other";
    }
);

vocabulary!(
    /// The three parts of a KLOE's findings, in the order a report gives them.
    FindingKind {
        Strength => "strength", "Strength";
        AreaForDevelopment => "development", "Area for development";
        Recommendation => "recommendation", "Recommendation";
    }
);

impl FindingKind {
    /// The heading over a list of findings of this kind.
    pub fn heading(self) -> &'static str {
        match self {
            Self::Strength => "Strengths",
            Self::AreaForDevelopment => "Areas for development",
            Self::Recommendation => "Recommendations",
        }
    }
}

vocabulary!(
    /// The two reports a challenge produces: slides for every challenge, and a written report
    /// for a two-day one.
    ReportFormat {
        SlideDeck => "pptx", "Slide deck";
        WrittenReport => "docx", "Written report";
    }
);

impl ReportFormat {
    pub fn extension(self) -> &'static str {
        self.code()
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Self::SlideDeck => {
                "application/vnd.openxmlformats-officedocument.presentationml.presentation"
            }
            Self::WrittenReport => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
        }
    }
}

vocabulary!(
    /// Where a report version is: the team's draft, shared with the host's LA lead for a
    /// factual-accuracy check, or final.
    ReportStatus {
        Draft => "draft", "Draft";
        Shared => "shared", "Shared for accuracy check";
        Final => "final", "Final";
    }
);

impl ReportStatus {
    pub fn tag_class(self) -> &'static str {
        match self {
            Self::Draft => "govuk-tag--grey",
            Self::Shared => "govuk-tag--yellow",
            Self::Final => "govuk-tag--green",
        }
    }

    /// The host reads a version once it has been shared with them.
    pub fn seen_by_host(self) -> bool {
        matches!(self, Self::Shared | Self::Final)
    }
}

/// The evidence form exactly as typed, so nothing is lost to an error or a draft.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EvidenceAnswers {
    pub activity: String,
    pub kloe: String,
    pub case_reference: String,
    pub kind: String,
    pub note: String,
}

/// What the evidence form may refer to on this challenge.
#[derive(Clone, Copy, Debug)]
pub struct EvidenceContext<'a> {
    pub activities: &'a [ActivityId],
    pub kloe_count: usize,
    pub case_references: &'a [CaseReference],
}

/// A note of evidence. A draft may leave anything but the note's checks unanswered; a
/// recorded note has a KLOE, a kind and a note, and an activity when the timetable has any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvidenceEntry {
    pub activity: Option<ActivityId>,
    /// 1-based, as people number KLOEs.
    pub kloe: Option<u8>,
    pub case_reference: Option<CaseReference>,
    pub kind: Option<EvidenceKind>,
    pub note: String,
}

impl EvidenceAnswers {
    pub fn from_entry(entry: &EvidenceEntry) -> Self {
        Self {
            activity: entry.activity.map(|id| id.to_string()).unwrap_or_default(),
            kloe: entry.kloe.map(|kloe| kloe.to_string()).unwrap_or_default(),
            case_reference: entry
                .case_reference
                .as_ref()
                .map(|reference| reference.to_string())
                .unwrap_or_default(),
            kind: entry
                .kind
                .map(|kind| kind.code().to_owned())
                .unwrap_or_default(),
            note: entry.note.clone(),
        }
    }

    /// A draft keeps whatever parses, but never personal data: the check on the note is the
    /// one rule a draft must pass, because it is stored.
    pub fn check_draft(
        &self,
        context: EvidenceContext<'_>,
    ) -> Result<EvidenceEntry, Vec<FieldProblem>> {
        let note = checked_text("note", "Note", &self.note, NOTE_LIMIT, false)
            .map_err(|problem| vec![problem])?;
        Ok(EvidenceEntry {
            activity: activity_of(&self.activity, context),
            kloe: kloe_of(&self.kloe, context.kloe_count),
            case_reference: case_of(&self.case_reference, context),
            kind: EvidenceKind::parse(self.kind.trim()),
            note,
        })
    }

    /// The note ready to record, or every problem in the order of the form.
    pub fn check(&self, context: EvidenceContext<'_>) -> Result<EvidenceEntry, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let activity = activity_of(&self.activity, context);
        if activity.is_none() && !context.activities.is_empty() {
            problems.push(FieldProblem::new(
                "activity",
                "Select the activity the evidence comes from",
            ));
        }
        let kloe = kloe_of(&self.kloe, context.kloe_count);
        if kloe.is_none() {
            problems.push(FieldProblem::new(
                "kloe",
                "Select the KLOE the evidence is about",
            ));
        }
        let case_reference = case_of(&self.case_reference, context);
        if case_reference.is_none() && !self.case_reference.trim().is_empty() {
            problems.push(FieldProblem::new(
                "case_reference",
                "Select a case from the case sample, or no case",
            ));
        }
        let kind = EvidenceKind::parse(self.kind.trim());
        if kind.is_none() {
            problems.push(FieldProblem::new(
                "kind",
                "Select whether this is a strength, an area for development or other",
            ));
        }
        let note = checked_text("note", "Note", &self.note, NOTE_LIMIT, true)
            .map_err(|found| problems.push(found))
            .ok();
        match (kloe, kind, note) {
            (Some(kloe), Some(kind), Some(note)) if problems.is_empty() => Ok(EvidenceEntry {
                activity,
                kloe: Some(kloe),
                case_reference,
                kind: Some(kind),
                note,
            }),
            _ => Err(problems),
        }
    }
}

/// The finding form exactly as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FindingAnswers {
    pub kloe: String,
    pub kind: String,
    pub text: String,
    pub evidence: Vec<String>,
}

/// A checked finding: which KLOE, which part, its words and the evidence behind it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FindingEntry {
    pub kloe: u8,
    pub kind: FindingKind,
    pub text: String,
    pub evidence: Vec<EvidenceId>,
}

impl FindingAnswers {
    /// `recorded` is the challenge's recorded evidence: a finding may cite only those notes.
    pub fn check(
        &self,
        kloe_count: usize,
        recorded: &[EvidenceId],
    ) -> Result<FindingEntry, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let kloe = kloe_of(&self.kloe, kloe_count);
        if kloe.is_none() {
            problems.push(FieldProblem::new(
                "kloe",
                "Select the KLOE this finding answers",
            ));
        }
        let kind = FindingKind::parse(self.kind.trim());
        if kind.is_none() {
            problems.push(FieldProblem::new(
                "kind",
                "Select whether this is a strength, an area for development or a recommendation",
            ));
        }
        let text = checked_text("text", "Finding", &self.text, FINDING_LIMIT, true)
            .map_err(|found| problems.push(found))
            .ok();
        let mut evidence = Vec::new();
        for raw in self.evidence.iter().filter(|raw| !raw.trim().is_empty()) {
            match raw.trim().parse::<EvidenceId>() {
                Ok(id) if recorded.contains(&id) => {
                    if !evidence.contains(&id) {
                        evidence.push(id);
                    }
                }
                _ => {
                    problems.push(FieldProblem::new(
                        "evidence",
                        "Select evidence from this challenge's notes",
                    ));
                    break;
                }
            }
        }
        match (kloe, kind, text) {
            (Some(kloe), Some(kind), Some(text)) if problems.is_empty() => Ok(FindingEntry {
                kloe,
                kind,
                text,
                evidence,
            }),
            _ => Err(problems),
        }
    }
}

/// A comment on a finding or a report version: required, bounded, free of personal data.
pub fn check_comment(text: &str) -> Result<String, FieldProblem> {
    checked_text("comment", "Comment", text, COMMENT_LIMIT, true)
}

/// Trimmed text within `limit` characters with no identifying detail in it.
fn checked_text(
    field: &str,
    label: &str,
    text: &str,
    limit: usize,
    required: bool,
) -> Result<String, FieldProblem> {
    let missing = format!("the {}", label.to_lowercase());
    let checked = if required {
        MultiLine::required(label, &missing, text, limit)
    } else {
        MultiLine::parse(label, text, limit)
    };
    let text = checked
        .map_err(|found| FieldProblem::new(field, found.to_string()))?
        .into_string();
    match find_personal_data(&text) {
        Some(found) => Err(FieldProblem::new(field, found.message())),
        None => Ok(text),
    }
}

fn activity_of(raw: &str, context: EvidenceContext<'_>) -> Option<ActivityId> {
    raw.trim()
        .parse::<ActivityId>()
        .ok()
        .filter(|id| context.activities.contains(id))
}

fn kloe_of(raw: &str, kloe_count: usize) -> Option<u8> {
    raw.trim()
        .parse::<u8>()
        .ok()
        .filter(|number| (1..=kloe_count).contains(&usize::from(*number)))
}

fn case_of(raw: &str, context: EvidenceContext<'_>) -> Option<CaseReference> {
    let reference = CaseReference::parse(raw).ok()?;
    context
        .case_references
        .contains(&reference)
        .then_some(reference)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(text: &str) -> CaseReference {
        CaseReference::parse(text).unwrap_or_else(|_| unreachable!())
    }

    fn fields(problems: Vec<FieldProblem>) -> Vec<String> {
        problems.into_iter().map(|problem| problem.field).collect()
    }

    #[test]
    fn a_complete_note_is_recorded_and_an_empty_one_names_every_field() {
        let activity = ActivityId::new();
        let cases = [reference("DER-2027-01")];
        let context = EvidenceContext {
            activities: &[activity],
            kloe_count: 2,
            case_references: &cases,
        };
        let answers = EvidenceAnswers {
            activity: activity.to_string(),
            kloe: "2".into(),
            case_reference: "der-2027-01".into(),
            kind: "strength".into(),
            note: "  Plans are co-produced with families.  ".into(),
        };
        let entry = answers
            .check(context)
            .unwrap_or_else(|problems| panic!("{problems:?}"));
        assert_eq!(entry.kloe, Some(2));
        assert_eq!(entry.case_reference, Some(reference("DER-2027-01")));
        assert_eq!(entry.note, "Plans are co-produced with families.");
        assert_eq!(EvidenceAnswers::from_entry(&entry).kloe, "2");

        let empty = EvidenceAnswers::default().check(context);
        assert_eq!(
            fields(empty.err().unwrap_or_default()),
            ["activity", "kloe", "kind", "note"]
        );
        let out_of_range = EvidenceAnswers {
            kloe: "3".into(),
            case_reference: "NOT-1999-01".into(),
            ..answers
        };
        assert_eq!(
            fields(out_of_range.check(context).err().unwrap_or_default()),
            ["kloe", "case_reference"]
        );
    }

    #[test]
    fn a_draft_keeps_what_parses_but_never_personal_data() {
        let context = EvidenceContext {
            activities: &[],
            kloe_count: 1,
            case_references: &[],
        };
        let half = EvidenceAnswers {
            kloe: "1".into(),
            note: "Half a thought".into(),
            ..EvidenceAnswers::default()
        };
        let draft = half
            .check_draft(context)
            .unwrap_or_else(|problems| panic!("{problems:?}"));
        assert_eq!((draft.kloe, draft.kind), (Some(1), None));

        let identifying = EvidenceAnswers {
            note: "Spoke about NHS number 943 476 5919".into(),
            ..EvidenceAnswers::default()
        };
        assert_eq!(
            fields(identifying.check_draft(context).err().unwrap_or_default()),
            ["note"]
        );
    }

    #[test]
    fn a_finding_cites_only_this_challenges_recorded_evidence() {
        let recorded = EvidenceId::new();
        let answers = FindingAnswers {
            kloe: "1".into(),
            kind: "recommendation".into(),
            text: "Publish the graduated approach.".into(),
            evidence: vec![recorded.to_string(), recorded.to_string()],
        };
        let entry = answers
            .check(1, &[recorded])
            .unwrap_or_else(|problems| panic!("{problems:?}"));
        assert_eq!(entry.evidence, [recorded]);
        assert_eq!(entry.kind, FindingKind::Recommendation);

        let stranger = FindingAnswers {
            evidence: vec![EvidenceId::new().to_string()],
            ..answers.clone()
        };
        assert_eq!(
            fields(stranger.check(1, &[recorded]).err().unwrap_or_default()),
            ["evidence"]
        );
        assert_eq!(
            fields(
                FindingAnswers::default()
                    .check(1, &[])
                    .err()
                    .unwrap_or_default()
            ),
            ["kloe", "kind", "text"]
        );
    }

    #[test]
    fn comments_are_required_bounded_and_checked_for_identifiers() {
        assert!(check_comment("  ").is_err());
        assert!(check_comment(&"x".repeat(COMMENT_LIMIT + 1)).is_err());
        assert!(check_comment("Lives at NG1 5FS").is_err());
        assert_eq!(
            check_comment(" The figure is from 2025. ").ok().as_deref(),
            Some("The figure is from 2025.")
        );
    }

    #[test]
    fn codes_round_trip() {
        for kind in FindingKind::ALL {
            assert_eq!(FindingKind::parse(kind.code()), Some(kind));
        }
        for status in ReportStatus::ALL {
            assert_eq!(ReportStatus::parse(status.code()), Some(status));
        }
        assert_eq!(
            ReportFormat::parse("docx"),
            Some(ReportFormat::WrittenReport)
        );
    }
}
