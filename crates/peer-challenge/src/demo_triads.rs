//! The demo's triad scrutiny, on last year's closed cycle: every area's self-assessment in
//! (the ones `demo_self_assessment` leaves unwritten are submitted here), a partner's
//! challenge question on each, each triad's conversation recorded, every area's development
//! plan returned with progress on its next steps, and a request for help and an offer of
//! support. Running the demo again adds nothing twice.

use anyhow::{Context, anyhow};
use chrono::{DateTime, Datelike, Duration, Utc};
use domain::area_send_framework::Strand;
use domain::next_steps::{ActionEntry, ProgressNote, Rag};
use domain::triads::{
    CommentSection, Conversation, ScrutinyComment, ScrutinyKind, Support, SupportKind,
};
use domain::{
    AuthoritySlug, EmailAddress, MultiLine, OneLine, Principal, Programme, ReturnKind, ThemeCode,
};
use store::Store;

async fn principal(store: &Store, email: &str) -> anyhow::Result<Option<Principal>> {
    let address = EmailAddress::parse(email).map_err(|problem| anyhow!("{problem}"))?;
    let Some((id, _)) = store.credentials(&address).await? else {
        return Ok(None);
    };
    Ok(store.principal(id).await?)
}

fn text(words: &str) -> anyhow::Result<MultiLine> {
    MultiLine::parse("demo", words, 10_000).map_err(|problem| anyhow!("{problem}"))
}

pub async fn seed(store: &Store, now: DateTime<Utc>) -> anyhow::Result<()> {
    let coordinator = principal(store, "coordinator@example.org")
        .await?
        .context("the demo co-ordinator")?;
    let today = now.date_naive();
    // As demo_self_assessment: before September, last autumn's cycle is the current one.
    let this_year = if today.month() >= 9 {
        today.year()
    } else {
        today.year() - 1
    };
    let Some(cycle) = store.annual_cycle(this_year - 1).await? else {
        return Ok(());
    };
    if cycle.published_at.is_none() {
        return Ok(());
    }
    for area in &cycle.areas {
        if store.self_assessment(cycle.id, area).await?.is_none() {
            let answers = crate::demo_self_assessment::demo_answers(cycle.year, true);
            store
                .save_self_assessment(cycle.id, area, &answers, &coordinator, now)
                .await?;
            store
                .submit_self_assessment(cycle.id, area, &coordinator, now)
                .await?;
        }
    }
    let questions = [
        (
            Strand::NeedsIdentified,
            ScrutinyKind::Question,
            "How many assessments finished within 20 weeks last quarter, and how do you know the advice was timely?",
        ),
        (
            Strand::RightHelp,
            ScrutinyKind::Comment,
            "The rating reads generous against the waiting times for therapies that families describe.",
        ),
        (
            Strand::NextSteps,
            ScrutinyKind::Question,
            "What do young people say about preparation for adulthood, and where is that written down?",
        ),
    ];
    for (number, triad) in cycle.triads.iter().enumerate() {
        for (index, area) in triad.iter().enumerate() {
            if !store.triad_comments(cycle.id, area).await?.is_empty() {
                continue;
            }
            let partner = &triad[(index + 1) % triad.len()];
            let Some(author) = principal(store, &format!("lead.{partner}@example.org")).await?
            else {
                continue;
            };
            let (strand, kind, words) = questions[index % questions.len()];
            let comment = ScrutinyComment {
                section: CommentSection::Strand(strand),
                kind,
                text: text(words)?,
            };
            store
                .add_triad_comment(cycle.id, area, &comment, partner, &author, now)
                .await?;
        }
        let number = i32::try_from(number + 1).unwrap_or(i32::MAX);
        if store.triad_conversation(cycle.id, number).await?.is_none() {
            let held_on = (cycle.timetable.conversations_from
                + Duration::days(7 * i64::from(number)))
            .min(today);
            let attended = triad
                .iter()
                .map(|area| {
                    OneLine::parse(
                        "demo",
                        "Director of children's services, designated clinical officer, parent carer forum chair",
                        500,
                    )
                    .map(|who| (area.clone(), who))
                    .map_err(|problem| anyhow!("{problem}"))
                })
                .collect::<anyhow::Result<Vec<_>>>()?;
            let conversation = Conversation {
                held_on,
                attended,
                agreed: text(
                    "Each area brings its 20-week timeliness by locality to the next meeting.\nShare one audit tool for EHC plan quality across the triad.\nThe forum chairs meet before the next self-assessment.",
                )?,
            };
            store
                .record_triad_conversation(cycle.id, number, &conversation, &coordinator, now)
                .await?;
        }
    }
    plans(store, &cycle, &coordinator, now).await?;
    if store.triad_support(cycle.id).await?.is_empty() {
        let asks: [(&str, SupportKind, Option<&str>, &str); 2] = [
            (
                "derby",
                SupportKind::Request,
                None,
                "Help to design a supported internship programme with local employers.",
            ),
            (
                "nottingham",
                SupportKind::Offer,
                Some("derby"),
                "Our preparation-for-adulthood lead can share the transitions protocol and visit.",
            ),
        ];
        for (from, kind, with, words) in asks {
            let from = AuthoritySlug::parse(from).map_err(|problem| anyhow!("{problem}"))?;
            let with = with
                .map(AuthoritySlug::parse)
                .transpose()
                .map_err(|problem| anyhow!("{problem}"))?;
            if !cycle.areas.contains(&from) {
                continue;
            }
            let support = Support {
                kind,
                with,
                text: text(words)?,
            };
            store
                .record_support(cycle.id, &from, &support, &coordinator, now)
                .await?;
        }
    }
    Ok(())
}

/// Every area's development plan: two next steps with progress, the return submitted.
async fn plans(
    store: &Store,
    cycle: &store::AnnualCycle,
    coordinator: &Principal,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let owed = store
        .returns(&store::ReturnFilter {
            area: None,
            programme: Some(Programme::Annual),
        })
        .await?;
    let start = cycle.timetable.plans_due;
    for (index, owed) in owed
        .iter()
        .filter(|r| r.activity.id == cycle.id && r.kind == ReturnKind::AnnualDevelopmentPlan)
        .enumerate()
    {
        if owed.submitted.is_some() {
            continue;
        }
        let prefix: String = owed
            .area
            .as_str()
            .chars()
            .filter(char::is_ascii_alphabetic)
            .take(3)
            .collect::<String>()
            .to_uppercase();
        let rags = [Rag::Green, Rag::Amber, Rag::Red, Rag::Complete];
        let steps = [
            (
                "EHCNA_TIMELINESS",
                "Weekly multi-agency panel for new requests, with health advice tracked to six weeks",
                "20-week timeliness by locality",
            ),
            (
                "EHCP_QUALITY",
                "Audit ten plans a month with the parent carer forum using the triad's shared tool",
                "the shared audit tool",
            ),
        ];
        for (step, (theme, action, answers)) in steps.iter().enumerate() {
            let entry = ActionEntry {
                reference: format!("{prefix}-{}", step + 1),
                answers: format!("Triad conversation: {answers}"),
                theme: ThemeCode::parse(theme).context("a SEND theme")?,
                action: (*action).to_owned(),
                owner: "Head of SEND".to_owned(),
                partners: "ICB, parent carer forum".to_owned(),
                start,
                due: start + Duration::days(180),
                milestones: "Quarterly report to the SEND partnership board".to_owned(),
                baseline: "Measured at the triad conversation".to_owned(),
                target: "Every locality within the regional average".to_owned(),
                rag: rags[(index + step) % rags.len()],
                progress: vec![ProgressNote {
                    on: start + Duration::days(45),
                    text: "First quarter: started in two localities; families' feedback gathered."
                        .to_owned(),
                }],
                impact: "Families say they hear sooner what happens next.".to_owned(),
            };
            store
                .save_next_step(cycle.id, &owed.area, None, &entry, coordinator, now)
                .await?;
        }
        store.submit_return(owed.id, coordinator, now).await?;
    }
    Ok(())
}
