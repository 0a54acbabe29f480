//! The evidence and findings pages as read models: what the evidence form may offer (the
//! visitor's own activities first), the visitor's own notes and the team's recorded ones as
//! the policy lets them read them, and each KLOE's findings in their three parts with the
//! words of the evidence each cites. Reading the team's evidence is audit-logged by the store.

use chrono::{DateTime, Utc};
use domain::case_sample::CaseReference;
use domain::findings::FindingKind;
use domain::{Action, Principal, authorise};
use store::{Activity, ChallengeRecord, EvidenceNote, Finding, Store, TeamMember};

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

/// The challenge's evidence choices for the visitor whose seat is `membership`.
pub async fn evidence_choices(
    store: &Store,
    record: &ChallengeRecord,
    membership: Option<&TeamMember>,
) -> Result<EvidenceChoices, Unreadable> {
    Ok(EvidenceChoices {
        activities: own_activities_first(store.timetable(record.id).await?, membership),
        kloes: questions(record),
        cases: store
            .case_references(record.id)
            .await?
            .into_iter()
            .map(|case| case.reference)
            .collect(),
    })
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

/// The evidence page of `on` for a principal who records or reads evidence there.
pub async fn evidence(
    store: &Store,
    principal: Option<&Principal>,
    on: OnChallenge<'_>,
    membership: Option<&TeamMember>,
    now: DateTime<Utc>,
) -> Result<EvidenceRead, Unreadable> {
    let may = |action: &Action| authorise(principal, action).is_ok();
    let records = may(&Action::RecordEvidence(on.access.clone()));
    let reads_team = may(&Action::ViewEvidence(on.access.clone()));
    if !records {
        authorise(principal, &Action::ViewEvidence(on.access.clone()))?;
    }
    let principal = principal.ok_or(domain::Denied::SignInRequired)?;
    let choices = evidence_choices(store, on.record, membership).await?;
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
    let sections = (1..=kloes.len())
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
        .collect();
    Ok(FindingsRead {
        open,
        writes: open && may(&Action::WriteFindings(on.access.clone())),
        comments: open && may(&Action::DiscussFindings(on.access.clone())),
        evidence,
        kloes,
        sections,
    })
}
