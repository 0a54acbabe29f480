//! Demo biennial cycles: 2024 run to the end (every area taking part, its pairing drawn by the
//! engine and published, every area's team lead named and a KLOE agreed and shared, two offers
//! of support, the cycle closed) and 2026 with its pairing published, drawn with 2024 in the engine's history so no
//! 2024 pair is repeated, and its KLOEs being drafted (three areas under way: one agreed, one
//! commented on). Each step goes through the same
//! `services::biennial` use cases as the pages, as the co-ordinator.
//!
//! Seeded once: a database that already has a cycle is left alone.

use anyhow::{Context, anyhow};
use chrono::{DateTime, Utc};
use domain::biennial::SupportOfferAnswers;
use domain::biennial::{CycleAnswers, CycleState, KloeDraftAnswers, MemberAnswers};
use domain::{EmailAddress, Principal, ProgrammeActivityId};
use services::Settings;
use services::biennial::{self as cycles, CommentAnswers};
use services::journey::{Refused, Scheme};
use store::Store;

fn failed(step: &str) -> impl FnOnce(Refused) -> anyhow::Error + '_ {
    move |why| match why {
        Refused::Invalid(problems) => anyhow!(
            "{step}: {}",
            problems
                .iter()
                .map(|p| format!("{}: {}", p.field, p.message))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        other => anyhow!("{step}: {other}"),
    }
}

/// One cycle's details as the co-ordinator would type them.
fn answers(
    year: i32,
    day: &str,
    kloes: &str,
    actions: &str,
    priorities: [(&str, &[&str]); 3],
    areas: &[String],
) -> CycleAnswers {
    let mut answers = CycleAnswers {
        year: year.to_string(),
        event_date: day.into(),
        venue: "East Midlands Conference Centre, Nottingham".into(),
        kloes_due: kloes.into(),
        actions_due: actions.into(),
        areas: areas.to_vec(),
        ..CycleAnswers::default()
    };
    let [(t1, th1), (t2, th2), (t3, th3)] = priorities;
    let themes = |codes: &[&str]| codes.iter().map(|c| (*c).to_owned()).collect();
    answers.priority_1 = t1.into();
    answers.priority_1_themes = themes(th1);
    answers.priority_2 = t2.into();
    answers.priority_2_themes = themes(th2);
    answers.priority_3 = t3.into();
    answers.priority_3_themes = themes(th3);
    answers
}

async fn coordinator(store: &Store) -> anyhow::Result<Principal> {
    principal(store, "coordinator@example.org").await
}

async fn walk_to(
    scheme: Scheme<'_>,
    by: &Principal,
    id: ProgrammeActivityId,
    target: CycleState,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    loop {
        let cycle = scheme
            .store
            .biennial_cycle(id)
            .await?
            .context("the demo cycle")?;
        if cycle.state == target {
            return Ok(());
        }
        match cycle.state {
            CycleState::Planning => {
                let seed = u64::try_from(cycle.details.year).unwrap_or(1);
                cycles::generate_pairing(scheme, by, &cycle, seed, now)
                    .await
                    .map_err(failed("generating the pairing"))?;
                let cycle = scheme
                    .store
                    .biennial_cycle(id)
                    .await?
                    .context("the demo cycle")?;
                cycles::publish_pairing(scheme, by, &cycle, now)
                    .await
                    .map_err(failed("publishing the pairing"))?;
            }
            CycleState::PairingPublished => {
                prepare(scheme, by, &cycle, Preparation::Whole, now).await?;
                let cycle = scheme
                    .store
                    .biennial_cycle(id)
                    .await?
                    .context("the demo cycle")?;
                cycles::move_cycle(scheme, by, &cycle, CycleState::KloesShared, now)
                    .await
                    .map_err(failed("sharing the KLOEs"))?;
            }
            state => {
                let next = state.next().context("a cycle past closed")?;
                cycles::move_cycle(scheme, by, &cycle, next, now)
                    .await
                    .map_err(failed("moving the cycle"))?;
            }
        }
    }
}

/// How far the areas have got with their teams and KLOEs.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Preparation {
    /// Every area named a team lead and drafted a KLOE, and the co-ordinator agreed it.
    Whole,
    /// The first few areas are under way: teams named, KLOEs drafted, one agreed.
    UnderWay,
}

/// What the demo's KLOE for a priority asks.
const QUESTIONS: [&str; 3] = [
    "How well do partners know how many children wait, and for how long?",
    "How well do young people and families shape the plans made with them?",
    "How well do leaders check that what they fund makes a difference?",
];

/// Each area's lead names its team lead and drafts a KLOE for the area it challenges.
async fn prepare(
    scheme: Scheme<'_>,
    coordinator: &Principal,
    cycle: &store::BiennialCycle,
    how: Preparation,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let pairs = match how {
        Preparation::Whole => cycle.pairs.len(),
        Preparation::UnderWay => 3,
    };
    for (index, pair) in cycle.pairs.iter().take(pairs).enumerate() {
        let area = &pair.pair.challenger;
        let Ok(lead) = principal(scheme.store, &format!("lead.{area}@example.org")).await else {
            continue;
        };
        let member = MemberAnswers {
            name: format!("{} Team Lead", title_case(area.as_str())),
            email: format!("team.{area}@example.org"),
            partner: "la".into(),
            team_lead: "yes".into(),
        };
        cycles::add_member(scheme, &lead, cycle, area, &member, now)
            .await
            .map_err(failed("naming a team"))?;
        let slot = index % cycle.details.priorities.len().max(1);
        let priority = &cycle.details.priorities[slot];
        let draft = KloeDraftAnswers {
            question: QUESTIONS[slot % QUESTIONS.len()].into(),
            priority: (slot + 1).to_string(),
            themes: priority
                .themes
                .iter()
                .map(|t| t.as_str().to_owned())
                .collect(),
        };
        let kloe = cycles::draft_kloe(scheme, &lead, cycle, area, &draft, now)
            .await
            .map_err(failed("drafting a KLOE"))?;
        if how == Preparation::Whole && index < 2 {
            let offer = SupportOfferAnswers {
                to: pair.pair.challenged.to_string(),
                what: "A walk-through of our EHC plan quality audit, and the tool we use for it."
                    .into(),
                who: "SEND quality assurance team".into(),
                contact: format!("send.quality@{area}.example.org"),
            };
            cycles::offer_support(scheme, &lead, cycle, area, &offer, now)
                .await
                .map_err(failed("offering support"))?;
        }
        if how == Preparation::Whole || index == 0 {
            cycles::agree_kloe(scheme, coordinator, cycle, kloe, now)
                .await
                .map_err(failed("agreeing a KLOE"))?;
        } else if index == 1 {
            let comment = CommentAnswers {
                comment: "Say which services the team should speak to.".into(),
            };
            cycles::comment_kloe(scheme, coordinator, cycle, kloe, &comment, now)
                .await
                .map_err(failed("commenting on a KLOE"))?;
        }
    }
    Ok(())
}

/// "north-northamptonshire" as "North Northamptonshire", for a demo member's name.
fn title_case(slug: &str) -> String {
    slug.split('-')
        .map(|word| {
            let mut letters = word.chars();
            letters
                .next()
                .map(|first| first.to_uppercase().chain(letters).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

async fn principal(store: &Store, email: &str) -> anyhow::Result<Principal> {
    let address = EmailAddress::parse(email).map_err(|p| anyhow!("{p}"))?;
    let (id, _) = store
        .credentials(&address)
        .await?
        .context("a demo account")?;
    store.principal(id).await?.context("a demo account")
}

pub async fn seed(store: &Store, settings: &Settings, now: DateTime<Utc>) -> anyhow::Result<()> {
    if !store.biennial_cycles().await?.is_empty() {
        return Ok(());
    }
    let scheme = Scheme { store, settings };
    let by = coordinator(store).await?;
    let areas: Vec<String> = cycles::region_areas(scheme)
        .await
        .map_err(failed("reading the areas"))?
        .into_iter()
        .map(|(slug, _)| slug.to_string())
        .collect();
    let past = answers(
        2024,
        "17/10/2024",
        "03/10/2024",
        "29/11/2024",
        [
            (
                "Timeliness and quality of EHC plans",
                &["EHCNA_TIMELINESS", "EHCP_QUALITY"],
            ),
            ("Preparing for adulthood", &["PFA", "TRANSITIONS"]),
            (
                "Co-production with families",
                &["COPRODUCTION", "COMMUNICATION"],
            ),
        ],
        &areas,
    );
    let first = cycles::create_cycle(scheme, &by, &past, now)
        .await
        .map_err(failed("planning 2024"))?;
    walk_to(scheme, &by, first, CycleState::Closed, now).await?;
    let current = answers(
        2026,
        "17/12/2026",
        "10/12/2026",
        "29/01/2027",
        [
            (
                "Inclusion and attendance",
                &["INCLUSION", "ATTENDANCE_EXCLUSIONS"],
            ),
            ("Social, emotional and mental health", &["SEMH", "HEALTH"]),
            (
                "Sufficiency and alternative provision",
                &["ALTERNATIVE_PROVISION", "HIGH_NEEDS_FINANCE"],
            ),
        ],
        &areas,
    );
    let second = cycles::create_cycle(scheme, &by, &current, now)
        .await
        .map_err(failed("planning 2026"))?;
    walk_to(scheme, &by, second, CycleState::PairingPublished, now).await?;
    let cycle = store
        .biennial_cycle(second)
        .await?
        .context("the 2026 cycle")?;
    prepare(scheme, &by, &cycle, Preparation::UnderWay, now).await?;
    Ok(())
}
