//! The evidence and findings pages as read models: what the evidence form may offer (the
//! visitor's own activities first), the visitor's own notes and the team's recorded ones as
//! the policy lets them read them, and each KLOE's findings in their three parts with the
//! words of the evidence each cites. Reading the team's evidence is audit-logged by the store.

use chrono::{DateTime, Utc};
use domain::case_sample::CaseReference;
use domain::findings::FindingKind;
use domain::{Action, Principal, authorise};
use store::{
    Activity, CaseReferenceOnly, ChallengeRecord, EvidenceNote, Finding, Store, TeamMember,
};

use crate::journey::OnChallenge;
use crate::reads::Unreadable;

/// What the evidence form may offer on a challenge.
#[derive(Debug)]
pub struct EvidenceChoices {
    /// The timetable's activities, the visitor's own first.
    pub activities: Vec<Activity>,
    /// The KLOEs' questions, in order.
    pub kloes: Vec<String>,
    pub cases: Vec<CaseReference>,
}

/// The evidence choices on a challenge (its `record`, `timetable` and sampled `cases`, as
/// `challenge_view` keeps them) for the visitor whose seat is `membership`.
pub fn evidence_choices(
    record: &ChallengeRecord,
    timetable: &[Activity],
    cases: &[CaseReferenceOnly],
    membership: Option<&TeamMember>,
) -> EvidenceChoices {
    EvidenceChoices {
        activities: own_activities_first(timetable.to_vec(), membership),
        kloes: questions(record),
        cases: cases.iter().map(|case| case.reference.clone()).collect(),
    }
}

/// The visitor's own activities first, each part still in timetable order: a reviewer
/// recording on a phone between sessions finds the one they were just in near the top of
/// the list instead of scrolling past the whole team's day.
fn own_activities_first(
    mut activities: Vec<Activity>,
    membership: Option<&TeamMember>,
) -> Vec<Activity> {
    if let Some(seat) = membership {
        activities.sort_by_key(|activity| !activity.reviewers.contains(&seat.id));
    }
    activities
}

fn questions(record: &ChallengeRecord) -> Vec<String> {
    record.kloes.iter().map(|k| k.question.clone()).collect()
}

/// The evidence page's reading.
#[derive(Debug)]
pub struct EvidenceRead {
    /// Evidence is recorded during the visit and while reporting.
    pub open: bool,
    /// Whether the principal records evidence on this challenge.
    pub records: bool,
    pub choices: EvidenceChoices,
    /// The principal's own notes, drafts included (empty unless they record).
    pub own: Vec<EvidenceNote>,
    /// The team's recorded notes, for those who may read them.
    pub team: Option<Vec<EvidenceNote>>,
}

/// The evidence page of `on` for a principal who records or reads evidence there, offering
/// `choices` on the form.
pub async fn evidence(
    store: &Store,
    principal: Option<&Principal>,
    on: OnChallenge<'_>,
    choices: EvidenceChoices,
    now: DateTime<Utc>,
) -> Result<EvidenceRead, Unreadable> {
    let may = |action: &Action| authorise(principal, action).is_ok();
    let records = may(&Action::RecordEvidence(on.access.clone()));
    let reads_team = may(&Action::ViewEvidence(on.access.clone()));
    if !records {
        authorise(principal, &Action::ViewEvidence(on.access.clone()))?;
    }
    let principal = principal.ok_or(domain::Denied::SignInRequired)?;
    let own = if records {
        store.own_evidence(on.record.id, principal.user_id).await?
    } else {
        Vec::new()
    };
    let team = if reads_team {
        Some(
            store
                .evidence(on.record.id, Some(principal.user_id), now)
                .await?,
        )
    } else {
        None
    };
    Ok(EvidenceRead {
        open: on.record.state.may_record_evidence(),
        records,
        choices,
        own,
        team,
    })
}

/// The findings page's reading.
#[derive(Debug)]
pub struct FindingsRead {
    /// Findings are written during the visit and while reporting.
    pub open: bool,
    /// Whether the principal writes the findings now (open, and theirs to write).
    pub writes: bool,
    /// Whether the principal comments on them now.
    pub comments: bool,
    /// The team's recorded evidence, which a finding may cite.
    pub evidence: Vec<EvidenceNote>,
    /// The KLOEs' questions, in order.
    pub kloes: Vec<String>,
    /// For each KLOE in order, its findings in each kind's part, in `FindingKind::ALL` order.
    pub sections: Vec<Vec<(FindingKind, Vec<CitedFinding>)>>,
}

/// A finding with the words of the evidence notes it cites.
#[derive(Debug)]
pub struct CitedFinding {
    pub finding: Finding,
    pub evidence: Vec<String>,
}

/// The findings page of `on` for a principal who writes or discusses them.
pub async fn findings(
    store: &Store,
    principal: Option<&Principal>,
    on: OnChallenge<'_>,
    now: DateTime<Utc>,
) -> Result<FindingsRead, Unreadable> {
    let may = |action: &Action| authorise(principal, action).is_ok();
    if !may(&Action::DiscussFindings(on.access.clone())) {
        authorise(principal, &Action::WriteFindings(on.access.clone()))?;
    }
    let principal = principal.ok_or(domain::Denied::SignInRequired)?;
    let open = on.record.state.may_record_evidence();
    let evidence = store
        .evidence(on.record.id, Some(principal.user_id), now)
        .await?;
    let findings = store.findings(on.record.id).await?;
    let kloes = questions(on.record);
    let sections = by_kloe_and_kind(kloes.len(), &findings, &evidence);
    Ok(FindingsRead {
        open,
        writes: open && may(&Action::WriteFindings(on.access.clone())),
        comments: open && may(&Action::DiscussFindings(on.access.clone())),
        evidence,
        kloes,
        sections,
    })
}

/// For each of `kloe_count` KLOEs in order, its findings in each kind's part (in
/// `FindingKind::ALL` order), each with the words of the evidence it cites that is in
/// `evidence` (a note no longer there is left out).
fn by_kloe_and_kind(
    kloe_count: usize,
    findings: &[Finding],
    evidence: &[EvidenceNote],
) -> Vec<Vec<(FindingKind, Vec<CitedFinding>)>> {
    (1..=kloe_count)
        .map(|number| {
            FindingKind::ALL
                .iter()
                .map(|kind| {
                    let cited = findings
                        .iter()
                        .filter(|f| usize::from(f.entry.kloe) == number && f.entry.kind == *kind)
                        .map(|finding| CitedFinding {
                            evidence: finding
                                .entry
                                .evidence
                                .iter()
                                .filter_map(|id| evidence.iter().find(|note| note.id == *id))
                                .map(|note| note.entry.note.clone())
                                .collect(),
                            finding: finding.clone(),
                        })
                        .collect();
                    (*kind, cited)
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use domain::findings::{EvidenceEntry, FindingEntry};
    use domain::{ChallengeId, EvidenceId, FindingId};

    use super::*;

    fn note(challenge: ChallengeId, words: &str) -> EvidenceNote {
        EvidenceNote {
            id: EvidenceId::new(),
            challenge,
            author: None,
            author_name: "Lena Lead".into(),
            entry: EvidenceEntry {
                activity: None,
                kloe: Some(1),
                case_reference: None,
                kind: None,
                note: words.into(),
            },
            recorded: true,
            updated_at: crate::read_model_fixtures::made_at(),
        }
    }

    fn finding(
        challenge: ChallengeId,
        kloe: u8,
        kind: FindingKind,
        cites: Vec<EvidenceId>,
    ) -> Finding {
        Finding {
            id: FindingId::new(),
            challenge,
            entry: FindingEntry {
                kloe,
                kind,
                text: format!("KLOE {kloe}, {}", kind.label()),
                evidence: cites,
            },
            comments: Vec::new(),
            updated_at: crate::read_model_fixtures::made_at(),
        }
    }

    #[test]
    fn each_kloe_has_every_kinds_part_and_each_finding_the_words_it_cites() {
        let challenge = ChallengeId::new();
        let plans = note(challenge, "Plans are late");
        let gone = EvidenceId::new();
        let [first_kind, second_kind, _] = FindingKind::ALL;
        let findings = [
            finding(challenge, 2, second_kind, vec![plans.id, gone]),
            finding(challenge, 1, first_kind, vec![]),
            // A finding under a KLOE the challenge no longer has is not shown.
            finding(challenge, 3, first_kind, vec![]),
        ];
        let sections = by_kloe_and_kind(2, &findings, std::slice::from_ref(&plans));
        assert_eq!(sections.len(), 2);
        for parts in &sections {
            assert_eq!(
                parts.iter().map(|(kind, _)| *kind).collect::<Vec<_>>(),
                FindingKind::ALL
            );
        }
        let listed = |kloe: usize, kind: FindingKind| -> Vec<(FindingId, Vec<String>)> {
            sections[kloe - 1]
                .iter()
                .find(|(k, _)| *k == kind)
                .map(|(_, cited)| {
                    cited
                        .iter()
                        .map(|c| (c.finding.id, c.evidence.clone()))
                        .collect()
                })
                .unwrap_or_default()
        };
        assert_eq!(listed(1, first_kind), [(findings[1].id, vec![])]);
        assert!(listed(1, second_kind).is_empty());
        // The note no longer recorded is left out of what the finding cites.
        assert_eq!(
            listed(2, second_kind),
            [(findings[0].id, vec!["Plans are late".to_owned()])]
        );
    }
}
