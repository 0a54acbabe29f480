//! Demo biennial cycles: 2024 run to the end (every area taking part, its pairing drawn by the
//! engine and published, every area's team lead named and a KLOE agreed and shared, two offers
//! of support, every area's agreed actions returned by the deadline and updated since, the cycle
//! closed) and 2026 with its pairing published, drawn with 2024 in the engine's history so no
//! 2024 pair is repeated, and its KLOEs being drafted (three areas under way: one agreed, one
//! commented on). Each step goes through the same
//! `services::biennial` and `services::next_steps` use cases as the pages, as the co-ordinator
//! or the area's LA lead. The 2024 steps are dated when they happened, so the returns are in
//! on time and the progress notes have a history.
//!
//! Seeded once: a database that already has a cycle is left alone.

use anyhow::{Context, anyhow};
use chrono::{DateTime, NaiveDate, Utc};
use domain::biennial::SupportOfferAnswers;
use domain::biennial::{CycleAnswers, CycleState, KloeDraftAnswers, MemberAnswers, TriadPairing};
use domain::next_steps::ActionAnswers;
use domain::{Action, EmailAddress, Principal, Programme, ProgrammeActivityId, ReturnKind};
use services::Settings;
use services::agreed_actions::answering;
use services::biennial::{self as cycles, CommentAnswers};
use services::journey::{Refused, Scheme};
use services::next_steps::{NextStepsOf, Permit, save_next_step};
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
    let first = cycles::create_cycle(scheme, &by, &past, at(day(2024, 5, 13)?))
        .await
        .map_err(failed("planning 2024"))?;
    for (state, on) in [
        (CycleState::PairingPublished, day(2024, 6, 10)?),
        (CycleState::KloesShared, day(2024, 10, 3)?),
        (CycleState::Actions, day(2024, 10, 18)?),
    ] {
        walk_to(scheme, &by, first, state, at(on)).await?;
    }
    agree_actions(store, first).await?;
    walk_to(
        scheme,
        &by,
        first,
        CycleState::Closed,
        at(day(2025, 1, 20)?),
    )
    .await?;
    keep_progress(store, first, now).await?;
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
    let current = CycleAnswers {
        triads: TriadPairing::OutsideTriad.code().into(),
        ..current
    };
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

/// `day` at half past nine, UK time: when a dated demo step happened.
fn at(day: NaiveDate) -> DateTime<Utc> {
    domain::clock::uk_to_utc(day.and_hms_opt(9, 30, 0).unwrap_or_default())
}

fn day(year: i32, month: u32, of: u32) -> anyhow::Result<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, of).context("a demo date")
}

/// One agreed action a team might write after the day, for a priority (0-based).
struct Idea {
    priority: usize,
    theme: &'static str,
    action: &'static str,
    owner: &'static str,
    partners: &'static str,
    baseline: &'static str,
    target: &'static str,
    milestones: &'static str,
}

/// The actions areas agreed in 2024, by the cycle's priorities: EHC plans, preparing for
/// adulthood, co-production. Each area takes some of them, in its own order.
const IDEAS: [Idea; 6] = [
    Idea {
        priority: 0,
        theme: "EHCNA_TIMELINESS",
        action: "Run a weekly panel that tracks every needs assessment past week 12 and chases late health and care advice.",
        owner: "Head of SEND assessment",
        partners: "ICB designated clinical officer; children's social care",
        baseline: "48% of plans issued within 20 weeks",
        target: "75% within 20 weeks",
        milestones: "Panel running by January; advice returned within 6 weeks by April",
    },
    Idea {
        priority: 0,
        theme: "EHCP_QUALITY",
        action: "Audit ten EHC plans a month with the parent carer forum, using the region's quality tool, and feed back to every plan writer.",
        owner: "SEND quality assurance lead",
        partners: "Parent carer forum; educational psychology service",
        baseline: "52% of audited plans good or better",
        target: "80% good or better",
        milestones: "Audit tool agreed; first moderation with the forum",
    },
    Idea {
        priority: 1,
        theme: "PFA",
        action: "Start preparing-for-adulthood outcomes at every year 9 annual review, with adult social care invited.",
        owner: "Preparing for adulthood co-ordinator",
        partners: "Adult social care; careers service; further education colleges",
        baseline: "30% of year 9 reviews with adulthood outcomes",
        target: "90% of year 9 reviews",
        milestones: "Review template changed; training for SENCOs in the spring term",
    },
    Idea {
        priority: 1,
        theme: "TRANSITIONS",
        action: "Agree a joint protocol for the move from children's to adult health services, starting at 14.",
        owner: "Designated clinical officer",
        partners: "Integrated care board; community paediatrics; adult learning disability team",
        baseline: "No shared protocol",
        target: "Protocol signed off and used for every young person from 14",
        milestones: "Draft to the partnership board; sign-off by the summer",
    },
    Idea {
        priority: 2,
        theme: "COPRODUCTION",
        action: "Refresh the local offer with the parent carer forum and publish what changed each term as 'you said, we did'.",
        owner: "Local offer manager",
        partners: "Parent carer forum; young people's SEND council",
        baseline: "Local offer last reviewed two years ago",
        target: "Termly updates, rated useful by most families surveyed",
        milestones: "Forum workshop; first 'you said, we did' published",
    },
    Idea {
        priority: 2,
        theme: "COMMUNICATION",
        action: "Give every family a named caseworker and a reply within five working days, tracked monthly.",
        owner: "SEND casework team manager",
        partners: "Parent carer forum; SENDIASS",
        baseline: "41% of queries answered within five working days",
        target: "90% within five working days",
        milestones: "Caseworker named on every plan; monthly report to the SEND board",
    },
];

/// How each action stood when the return went in, then in the spring and a year on.
const RAGS: [[&str; 3]; 5] = [
    ["green", "green", "complete"],
    ["amber", "green", "green"],
    ["amber", "red", "amber"],
    ["green", "amber", "green"],
    ["red", "amber", "amber"],
];

/// What a progress note says at each update.
const NOTES: [&str; 2] = [
    "Started as planned; the first figures went to the SEND partnership board.",
    "Reviewed at the partnership board: the measure has moved towards the target.",
];

/// The 2024 dates of the return, the spring update and the update a year on.
fn update_days() -> anyhow::Result<[NaiveDate; 3]> {
    Ok([day(2024, 11, 12)?, day(2025, 4, 15)?, day(2026, 3, 16)?])
}

/// Area `index`'s agreed actions, with their progress as of `update` (0 when returned).
fn area_actions(
    index: usize,
    kloe: Option<&services::agreed_actions::Answerable>,
    update: usize,
) -> anyhow::Result<Vec<ActionAnswers>> {
    let days = update_days()?;
    // Three to five actions each, every area starting from a different idea.
    let count = 3 + index % 3;
    let mut actions = Vec::new();
    for number in 0..count {
        let idea = &IDEAS[(index + number * 2 + number / 3) % IDEAS.len()];
        let priority = domain::agreed_actions::priority_code(idea.priority);
        // The first action answering the priority of the KLOE put to the area names it too.
        let answers = match kloe {
            Some(kloe)
                if kloe.serves.as_deref() == Some(priority.as_str())
                    && !actions
                        .iter()
                        .any(|a: &ActionAnswers| a.answers.contains(&kloe.code)) =>
            {
                format!("{priority} {}: {}", kloe.code, kloe.words)
            }
            _ => format!("{priority}: agreed with the challenging team on the day"),
        };
        let rag = RAGS[(index + number) % RAGS.len()];
        let progress = NOTES
            .iter()
            .zip(&days[1..])
            .take(update)
            .map(|(note, on)| format!("{}: {note}", on.format("%d/%m/%Y")))
            .collect::<Vec<_>>()
            .join("\n");
        actions.push(ActionAnswers {
            reference: format!("BA{}", number + 1),
            answers,
            theme: idea.theme.into(),
            action: idea.action.into(),
            owner: idea.owner.into(),
            partners: idea.partners.into(),
            start: "01/12/2024".into(),
            // Half are done within the year; the rest run into 2027, so a year on nothing
            // shows as overdue that an area would have closed.
            due: if number % 2 == 0 {
                "31/07/2025".into()
            } else {
                "31/03/2027".into()
            },
            milestones: idea.milestones.into(),
            baseline: idea.baseline.into(),
            target: idea.target.into(),
            rag: if update == 2 && number % 2 == 0 {
                "complete".into()
            } else {
                rag[update].into()
            },
            progress,
            impact: String::new(),
        });
    }
    Ok(actions)
}

/// Each area's 2024 agreed-actions returns, in turn: the LA lead enters the actions on the
/// return's page (so each names the cycle's priority and the KLOE it answers, checked) and
/// submits the return before the deadline.
async fn agree_actions(store: &Store, cycle: ProgrammeActivityId) -> anyhow::Result<()> {
    let returned = update_days()?[0];
    for (index, owed) in owed_returns(store, cycle).await?.iter().enumerate() {
        let lead = principal(store, &format!("lead.{}@example.org", owed.area)).await?;
        let links = answering(store, cycle, Programme::Biennial, &owed.area).await?;
        let keep = Action::KeepNextSteps(owed.area.clone());
        let permit = Permit {
            principal: Some(&lead),
            action: &keep,
        };
        let of = NextStepsOf {
            activity: cycle,
            area: &owed.area,
            links: links.links.as_ref(),
        };
        for answers in area_actions(index, links.kloes.first(), 0)? {
            save_next_step(store, permit, of, None, &answers, at(returned), returned)
                .await
                .map_err(failed("agreeing an action"))?;
        }
        // As the return's page does: the policy, then the store's own checks.
        domain::authorise(Some(&lead), &Action::SubmitReturn(owed.area.clone()))?;
        store.submit_return(owed.id, &lead, at(returned)).await?;
    }
    Ok(())
}

/// The areas' updates since: each action's RAG and progress notes, in the spring and a year
/// on (never after `now`, as a note cannot be from the future).
async fn keep_progress(
    store: &Store,
    cycle: ProgrammeActivityId,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let days = update_days()?;
    let today = domain::clock::uk_date(now);
    for (update, on) in days.iter().enumerate().skip(1) {
        if *on > today {
            break;
        }
        for (index, owed) in owed_returns(store, cycle).await?.iter().enumerate() {
            let lead = principal(store, &format!("lead.{}@example.org", owed.area)).await?;
            let links = answering(store, cycle, Programme::Biennial, &owed.area).await?;
            let keep = Action::KeepNextSteps(owed.area.clone());
            let permit = Permit {
                principal: Some(&lead),
                action: &keep,
            };
            let of = NextStepsOf {
                activity: cycle,
                area: &owed.area,
                links: links.links.as_ref(),
            };
            let kept = store
                .next_steps(&store::NextStepFilter {
                    area: Some(owed.area.clone()),
                    programme: Some(Programme::Biennial),
                })
                .await?;
            for answers in area_actions(index, links.kloes.first(), update)? {
                let existing = kept
                    .iter()
                    .find(|planned| {
                        planned.activity.id == cycle && planned.entry.reference == answers.reference
                    })
                    .map(|planned| planned.id)
                    .context("an agreed action just returned")?;
                save_next_step(store, permit, of, Some(existing), &answers, at(*on), *on)
                    .await
                    .map_err(failed("updating an action"))?;
            }
        }
    }
    Ok(())
}

/// The cycle's agreed-actions returns, one per area taking part, in the areas' order.
async fn owed_returns(
    store: &Store,
    cycle: ProgrammeActivityId,
) -> anyhow::Result<Vec<store::OwedReturn>> {
    let mut owed: Vec<_> = store
        .returns(&store::ReturnFilter {
            area: None,
            programme: Some(Programme::Biennial),
        })
        .await?
        .into_iter()
        .filter(|owed| owed.activity.id == cycle && owed.kind == ReturnKind::BiennialActions)
        .collect();
    owed.sort_by(|a, b| a.area.as_str().cmp(b.area.as_str()));
    Ok(owed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn every_area_returned_its_2024_agreed_actions_and_kept_them_up() {
        let folder = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
        let url = format!(
            "sqlite://{}?mode=rwc",
            folder.path().join("demo.db").display()
        );
        let store = Store::open(&url)
            .await
            .unwrap_or_else(|error| panic!("{error}"));
        crate::demo::seed(&store, "demo-password", &Settings::default())
            .await
            .unwrap_or_else(|error| panic!("{error:#}"));
        let cycle = store
            .biennial_cycles()
            .await
            .unwrap_or_default()
            .into_iter()
            .find(|cycle| cycle.year == 2024)
            .unwrap_or_else(|| panic!("the 2024 cycle"));
        assert_eq!(cycle.state, CycleState::Closed);
        let cycle = store
            .biennial_cycle(cycle.id)
            .await
            .unwrap_or_default()
            .unwrap_or_else(|| panic!("the 2024 cycle"));
        let owed = owed_returns(&store, cycle.id)
            .await
            .unwrap_or_else(|error| panic!("{error:#}"));
        assert_eq!(owed.len(), cycle.areas.len(), "one return per area");
        let mut named_kloes = 0;
        for owed in &owed {
            let (at, _) = owed
                .submitted
                .as_ref()
                .unwrap_or_else(|| panic!("{} returned its actions", owed.area));
            assert!(
                domain::clock::uk_date(*at) <= owed.due,
                "{} returned on time",
                owed.area
            );
            let actions: Vec<_> = store
                .next_steps(&store::NextStepFilter {
                    area: Some(owed.area.clone()),
                    programme: Some(Programme::Biennial),
                })
                .await
                .unwrap_or_default()
                .into_iter()
                .filter(|planned| planned.activity.id == cycle.id)
                .collect();
            assert!(
                (3..=5).contains(&actions.len()),
                "{}: {} actions",
                owed.area,
                actions.len()
            );
            let links = answering(&store, cycle.id, Programme::Biennial, &owed.area)
                .await
                .unwrap_or_default()
                .links
                .unwrap_or_else(|| panic!("a biennial return's rule"));
            for planned in &actions {
                let link = links
                    .link_of(&planned.entry.answers)
                    .unwrap_or_else(|problem| panic!("{}: {problem:?}", owed.area));
                named_kloes += usize::from(link.kloe.is_some());
                assert!(
                    !planned.entry.progress.is_empty(),
                    "{}: progress kept since",
                    owed.area
                );
            }
        }
        assert_eq!(named_kloes, owed.len(), "every area's KLOE answered once");
    }
}
