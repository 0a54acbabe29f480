//! A challenge's reports made from what the store holds: the record, the team, the timetable
//! and the findings with the evidence behind each, assembled into `documents`' plain report
//! model and written as a slide deck or a written report. The pages and the command line both
//! make reports here, so a report made in batch is the same file a person would get.

use chrono::{DateTime, Utc};
use documents::report::{ActivityLine, Finding, KloeFindings, ReportContent, TeamLine};
use domain::findings::{FindingKind, ReportFormat};
use domain::{ChallengeId, UserId};
use store::{ChallengeRecord, EvidenceNote, Store, StoreError};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum ReportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the report could not be written: {0}")]
    Document(#[from] documents::DocumentError),
    #[error("a one-day challenge has no written report: its slide deck is the report")]
    NoWrittenReport,
}

/// The file for `format`, labelled `version` ("Draft 3", "Final"). `by` is whoever asked for
/// it (None from the command line): reading the evidence is logged against them.
pub async fn make_report(
    store: &Store,
    challenge: ChallengeId,
    format: ReportFormat,
    version: &str,
    by: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<Vec<u8>, ReportError> {
    let record = store
        .challenge(challenge)
        .await?
        .ok_or(StoreError::NotFound)?;
    if format == ReportFormat::WrittenReport && !record.kind.led_by_coordinator() {
        return Err(ReportError::NoWrittenReport);
    }
    let content = report_content(store, &record, format, version, by, now).await?;
    Ok(match format {
        ReportFormat::SlideDeck => documents::pptx::slide_deck(&content)?,
        ReportFormat::WrittenReport => documents::docx::written_report(&content)?,
    })
}

/// The label a report made outside the Reports page carries: "Final" once this format's
/// report has been made final, else "Draft", so a closed challenge's report is never
/// labelled a draft.
pub async fn status_label(
    store: &Store,
    challenge: ChallengeId,
    format: ReportFormat,
) -> Result<String, StoreError> {
    let versions = store.report_versions(challenge).await?;
    let is_final = versions
        .iter()
        .any(|v| v.format == format && v.status == domain::findings::ReportStatus::Final);
    Ok(if is_final { "Final" } else { "Draft" }.to_owned())
}

async fn report_content(
    store: &Store,
    record: &ChallengeRecord,
    format: ReportFormat,
    version: &str,
    by: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<ReportContent, StoreError> {
    let team = store.team(record.id).await?;
    let timetable = store.timetable(record.id).await?;
    let findings = store.findings(record.id).await?;
    let evidence = store.evidence(record.id, by, now).await?;
    let themes = store.themes().await?;
    let theme_label = |code: &domain::ThemeCode| {
        themes
            .iter()
            .find(|theme| &theme.code == code)
            .map_or_else(|| code.to_string(), |theme| theme.label.clone())
    };
    let kloes = record
        .kloes
        .iter()
        .enumerate()
        .map(|(index, kloe)| {
            let number = index + 1;
            let of_kind = |kind: FindingKind| -> Vec<Finding> {
                findings
                    .iter()
                    .filter(|f| usize::from(f.entry.kloe) == number && f.entry.kind == kind)
                    .map(|f| Finding {
                        text: f.entry.text.clone(),
                        evidence: cited(&evidence, &timetable, &f.entry.evidence),
                    })
                    .collect()
            };
            KloeFindings {
                number,
                question: kloe.question.clone(),
                themes: kloe.themes.iter().map(theme_label).collect(),
                strengths: of_kind(FindingKind::Strength),
                areas_for_development: of_kind(FindingKind::AreaForDevelopment),
                recommendations: of_kind(FindingKind::Recommendation),
            }
        })
        .collect();
    Ok(ReportContent {
        title: format!("{}: {}", record.kind.label(), record.authority_name),
        area: format!("{} and its SEND partners", record.authority_name),
        reference: record.reference.clone(),
        kind: record.kind.label().to_owned(),
        version: version.to_owned(),
        generated_on: now.date_naive(),
        visit_dates: record.visit_days.clone(),
        focus: record
            .focus
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(str::to_owned)
            .collect(),
        team: team
            .iter()
            .filter(|member| member.status == domain::challenge::MemberStatus::Accepted)
            .map(|member| TeamLine {
                name: member.name.clone(),
                seat: member.seat_role.label().to_owned(),
            })
            .collect(),
        activities: timetable
            .iter()
            .map(|activity| ActivityLine {
                date: activity.day,
                start: activity.starts,
                end: activity.ends,
                kind: activity.kind.label().to_owned(),
                title: activity.title.clone(),
            })
            .collect(),
        kloes,
        what_happens_next: what_happens_next(record, format),
    })
}

/// Where the evidence behind a finding came from, summarised: the activities its notes were
/// taken in, in the order first cited, never the notes' own words. Working notes are deleted
/// after the reports are final (see ARCHITECTURE.md); a report kept for years must not carry
/// them word for word.
fn cited(
    evidence: &[EvidenceNote],
    timetable: &[store::Activity],
    ids: &[domain::EvidenceId],
) -> Vec<String> {
    let mut sources: Vec<String> = Vec::new();
    for note in ids
        .iter()
        .filter_map(|id| evidence.iter().find(|note| note.id == *id))
    {
        let source = match note
            .entry
            .activity
            .and_then(|id| timetable.iter().find(|activity| activity.id == id))
        {
            Some(activity) => format!(
                "{}: {} ({})",
                activity.kind.label(),
                activity.title,
                documents::report::long_date(activity.day)
            ),
            None => "the team's notes of the visit".to_owned(),
        };
        if !sources.contains(&source) {
            sources.push(source);
        }
    }
    sources
}

/// What follows, in each document's own words: the slides are presented at the end of the
/// visit, the written report follows them.
fn what_happens_next(record: &ChallengeRecord, format: ReportFormat) -> Vec<String> {
    let check = match format {
        ReportFormat::SlideDeck => {
            "The local area checks these slides for factual accuracy and the team makes them final."
        }
        ReportFormat::WrittenReport => {
            "The local area checks this report for factual accuracy and the team makes it final."
        }
    };
    let mut steps = vec![
        check.to_owned(),
        "The local area turns the recommendations into its next steps: an action plan with owners, dates and measures."
            .to_owned(),
        "The regional board monitors the action plan until every action is done.".to_owned(),
    ];
    if record.kind.led_by_coordinator() && format == ReportFormat::SlideDeck {
        steps.insert(
            1,
            "The co-ordinator writes the detailed written report that follows these slides."
                .to_owned(),
        );
    }
    steps
}
