//! What the demo's finished challenges found: evidence recorded on the visit, findings per
//! KLOE citing it, reports made from them, shared with the host, commented on and made final,
//! and an action plan whose RAG statuses moved over the months since. Written through the
//! store's public calls and the same report writer the pages use.

use anyhow::Context;
use chrono::{DateTime, Duration, Utc};
use domain::findings::{EvidenceEntry, EvidenceKind, FindingEntry, FindingKind, ReportFormat};
use domain::next_steps::{ActionEntry, ProgressNote, Rag};
use domain::{EvidenceId, Principal};
use store::{Author, ChallengeRecord, Store};

/// Three notes per KLOE: what the team saw that works, what does not yet, and context.
const EVIDENCE: [(EvidenceKind, &str); 3] = [
    (
        EvidenceKind::Strength,
        "Parents in the focus group said their child's plan describes them as they are, and that they were asked what mattered before it was written.",
    ),
    (
        EvidenceKind::AreaForDevelopment,
        "In four of the six sampled cases the health advice arrived after week 12, and the plans repeat it without saying what will be provided.",
    ),
    (
        EvidenceKind::Other,
        "Caseworkers each hold about 190 cases; the service restructured last spring and two team manager posts are vacant.",
    ),
];

/// Two findings of each kind per KLOE, the first of each citing the evidence above.
const FINDINGS: [(FindingKind, &str); 6] = [
    (
        FindingKind::Strength,
        "Families feel listened to: plans are written with them and describe the child's strengths as well as their needs.",
    ),
    (
        FindingKind::Strength,
        "Leaders know their service well; the self-evaluation matched what the team found.",
    ),
    (
        FindingKind::AreaForDevelopment,
        "Health advice often arrives late and is copied into plans rather than turned into provision that can be measured.",
    ),
    (
        FindingKind::AreaForDevelopment,
        "Caseloads are high, and annual reviews slip when the team is stretched.",
    ),
    (
        FindingKind::Recommendation,
        "Agree with health partners a shared timetable for advice, with named contacts and escalation when it is late.",
    ),
    (
        FindingKind::Recommendation,
        "Review caseloads and protect time for annual reviews, reporting progress to the SEND partnership board each quarter.",
    ),
];

/// Evidence and findings for every KLOE, as the co-ordinator records them on the visit.
pub async fn record_findings(
    store: &Store,
    record: &ChallengeRecord,
    coordinator: &Principal,
    at: DateTime<Utc>,
) -> anyhow::Result<()> {
    let author = Author {
        user: coordinator.user_id,
        name: &coordinator.name,
    };
    for number in 1..=record.kloes.len() {
        let kloe = u8::try_from(number).context("KLOE number")?;
        let mut notes: Vec<(EvidenceKind, EvidenceId)> = Vec::new();
        for (kind, note) in EVIDENCE {
            let entry = EvidenceEntry {
                activity: None,
                kloe: Some(kloe),
                case_reference: None,
                kind: Some(kind),
                note: note.to_owned(),
            };
            let id = store
                .save_evidence(record.id, None, &entry, true, author, at)
                .await?;
            notes.push((kind, id));
        }
        for (index, (kind, text)) in FINDINGS.into_iter().enumerate() {
            let cites = |wanted: EvidenceKind| {
                notes
                    .iter()
                    .filter(|(kind, _)| *kind == wanted)
                    .map(|(_, id)| *id)
                    .collect::<Vec<_>>()
            };
            let evidence = match (kind, index % 2) {
                (FindingKind::Strength, 0) => cites(EvidenceKind::Strength),
                (FindingKind::AreaForDevelopment, 0) => cites(EvidenceKind::AreaForDevelopment),
                (FindingKind::AreaForDevelopment, _) => cites(EvidenceKind::Other),
                _ => Vec::new(),
            };
            let entry = FindingEntry {
                kloe,
                kind,
                text: text.to_owned(),
                evidence,
            };
            store
                .add_finding(record.id, &entry, coordinator.user_id, at)
                .await?;
        }
    }
    Ok(())
}

/// Every report the challenge owes: made, shared with the host, commented on by its lead,
/// and made final a week later.
pub async fn finalise_reports(
    store: &Store,
    record: &ChallengeRecord,
    coordinator: &Principal,
    host_lead: &Principal,
    at: DateTime<Utc>,
) -> anyhow::Result<()> {
    let formats: &[ReportFormat] = if record.kind.led_by_coordinator() {
        &[ReportFormat::SlideDeck, ReportFormat::WrittenReport]
    } else {
        &[ReportFormat::SlideDeck]
    };
    let author = Author {
        user: coordinator.user_id,
        name: &coordinator.name,
    };
    for format in formats {
        let bytes = web::report_files::make_report(
            store,
            record.id,
            *format,
            "Final",
            Some(coordinator.user_id),
            at,
        )
        .await
        .with_context(|| format!("making the {}", format.label()))?;
        let version = store
            .add_report_version(record.id, *format, bytes, author, at)
            .await?;
        store
            .share_report(record.id, version.id, coordinator.user_id, at)
            .await?;
        let lead = Author {
            user: host_lead.user_id,
            name: &host_lead.name,
        };
        store
            .comment_on_report(
                record.id,
                version.id,
                "The caseload figure is from March; it is now about 170 after two new caseworkers started.",
                lead,
                at + Duration::days(3),
            )
            .await?;
        store
            .finalise_report(
                record.id,
                version.id,
                coordinator.user_id,
                at + Duration::days(7),
            )
            .await?;
    }
    Ok(())
}

/// The host's action plan: an action per recommendation, then updates month by month up to
/// `until`, so the board's chart has a history to show.
pub async fn plan_next_steps(
    store: &Store,
    record: &ChallengeRecord,
    host_lead: &Principal,
    at: DateTime<Utc>,
    until: DateTime<Utc>,
) -> anyhow::Result<()> {
    let prefix: String = record
        .authority
        .as_str()
        .chars()
        .filter(char::is_ascii_alphabetic)
        .take(3)
        .collect::<String>()
        .to_uppercase();
    let findings = store.findings(record.id).await?;
    let recommendations = findings
        .iter()
        .filter(|finding| finding.entry.kind == FindingKind::Recommendation);
    let start = at.date_naive();
    for (index, finding) in recommendations.enumerate() {
        let theme = record
            .kloes
            .get(usize::from(finding.entry.kloe) - 1)
            .and_then(|kloe| kloe.themes.first())
            .cloned()
            .context("a KLOE with a theme")?;
        let months = i64::try_from(index % 3).unwrap_or(0);
        let mut entry = ActionEntry {
            reference: format!("{prefix}-{}", index + 1),
            answers: format!(
                "KLOE {} recommendation: {}",
                finding.entry.kloe, finding.entry.text
            ),
            theme,
            action: finding.entry.text.clone(),
            owner: [
                "Head of SEND",
                "Designated Clinical Officer",
                "SEND partnership board chair",
            ][index % 3]
                .to_owned(),
            partners: "Parent carer forum, integrated care board".to_owned(),
            start,
            due: start + Duration::days(90 + 60 * months),
            milestones:
                "Plan agreed with partners; first quarterly report to the partnership board"
                    .to_owned(),
            baseline: "45% of advice within 6 weeks".to_owned(),
            target: "90% within 6 weeks".to_owned(),
            rag: Rag::Red,
            progress: Vec::new(),
            impact: String::new(),
        };
        let id = store
            .save_action(record.id, None, &entry, host_lead, at)
            .await?;
        // About a month apart, each action moves on: red, amber, then green or complete.
        let path = [Rag::Amber, Rag::Green, Rag::Complete];
        for (step, rag) in path.iter().enumerate().take(1 + index % 3) {
            let when = at + Duration::days(25 * (i64::try_from(step).unwrap_or(0) + 1));
            if when >= until {
                break;
            }
            entry.rag = *rag;
            entry.progress.push(ProgressNote {
                on: when.date_naive(),
                text: format!(
                    "Reported to the partnership board: {}",
                    rag.label().to_lowercase()
                ),
            });
            if *rag == Rag::Complete {
                entry.impact =
                    "Parents at the forum said advice now arrives in time for the plan meeting."
                        .to_owned();
            }
            store
                .save_action(record.id, Some(id), &entry, host_lead, when)
                .await?;
        }
    }
    Ok(())
}
