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

/// Three notes per KLOE: what the team saw that works, what does not yet, and context. Each
/// of the first three KLOEs has its own, so the demo's reports read as real ones do.
const EVIDENCE: [[(EvidenceKind, &str); 3]; 3] = [
    [
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
    ],
    [
        (
            EvidenceKind::Strength,
            "Early years settings described a single request route for support, answered within two weeks, with a named inclusion adviser for each setting.",
        ),
        (
            EvidenceKind::AreaForDevelopment,
            "Secondary SENCOs said needs identified in primary are often reassessed from scratch after transfer, losing a term.",
        ),
        (
            EvidenceKind::Other,
            "Requests for assessment rose by a fifth last year; most came from schools rather than families.",
        ),
    ],
    [
        (
            EvidenceKind::Strength,
            "Young people at the college session said their preparing-for-adulthood reviews started at 14 and talked about work, friends and where they want to live.",
        ),
        (
            EvidenceKind::AreaForDevelopment,
            "Adult social care and children's services use different assessments, and transition plans were agreed late in three of the five cases sampled.",
        ),
        (
            EvidenceKind::Other,
            "The supported internship programme has twelve places and a waiting list; two employers joined this year.",
        ),
    ],
];

/// Two findings of each kind per KLOE, the first of each citing the evidence above; each of
/// the first three KLOEs has its own.
const FINDINGS: [[(FindingKind, &str); 6]; 3] = [
    [
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
    ],
    [
        (
            FindingKind::Strength,
            "Needs are picked up early in the early years: settings know where to ask and get an answer quickly.",
        ),
        (
            FindingKind::Strength,
            "Schools value the inclusion advisers and use the graduated approach toolkit consistently.",
        ),
        (
            FindingKind::AreaForDevelopment,
            "What is known about a child is not passed on well at the move to secondary school.",
        ),
        (
            FindingKind::AreaForDevelopment,
            "Rising requests for assessment suggest schools lack confidence in ordinary available provision.",
        ),
        (
            FindingKind::Recommendation,
            "Introduce a transfer profile that travels with every child on SEN support from primary to secondary.",
        ),
        (
            FindingKind::Recommendation,
            "Publish what schools are expected to provide from their own resources, and offer training on it each term.",
        ),
    ],
    [
        (
            FindingKind::Strength,
            "Preparing for adulthood starts early and young people help shape their own reviews.",
        ),
        (
            FindingKind::Strength,
            "The supported internship programme is valued by young people and employers alike.",
        ),
        (
            FindingKind::AreaForDevelopment,
            "Children's and adult services do not yet plan transitions together, so plans are agreed late.",
        ),
        (
            FindingKind::AreaForDevelopment,
            "There are too few supported internship places for the young people who want one.",
        ),
        (
            FindingKind::Recommendation,
            "Agree a joint transition protocol between children's and adult services, starting at 16.",
        ),
        (
            FindingKind::Recommendation,
            "Work with the college and local employers to double supported internship places within two years.",
        ),
    ],
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
        // A fourth KLOE, should a challenge have one, borrows the first's words.
        let set = (number - 1) % EVIDENCE.len();
        for (kind, note) in EVIDENCE[set] {
            let entry = EvidenceEntry {
                activity: None,
                kloe: Some(kloe),
                case_reference: None,
                kind: Some(kind),
                note: note.to_owned(),
            };
            let id = store
                .save_evidence(record.id, None, &entry, true, author, None, at)
                .await?;
            notes.push((kind, id));
        }
        for (index, (kind, text)) in FINDINGS[set].into_iter().enumerate() {
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
        let bytes = services::report_files::make_report(
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
