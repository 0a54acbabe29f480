//! Demo challenges: twelve one-day and two-day challenges across the ten authorities, at
//! least one in every state of the lifecycle. Each is taken to its state the way people
//! would, through the store's public calls: the LA lead's request, the co-ordinator's KLOEs,
//! the project manager's visit plan, a team composed by the engine and confirmed, the
//! members' answers, the lead's timetable, and every move checked by
//! `domain::lifecycle::check_transition` first. The steps are dated over the months before
//! today, so timelines read as they would have happened.
//!
//! The demo reviewers have seats to show: reviewer1 has accepted a place on Derby's scheduled
//! challenge and has an invitation waiting on Derbyshire's. Derby has no open request or
//! scoping challenge, so a new request can be made.
//!
//! Seeded once: a database that already has challenges is left alone.

use std::collections::HashMap;

use anyhow::{Context, anyhow, bail, ensure};
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc, Weekday};
use domain::challenge::{
    ChallengeKind, ChallengeRequest, InvitationResponse, Kloe, KloeAnswers, MemberStatus, Partner,
    SeatRole, VisitFormat, VisitPlan, visit_days,
};
use domain::clock::{uk_date, uk_to_utc};
use domain::lifecycle::{ChallengeState, Mover, Readiness, check_transition};
use domain::pool::DateRange;
use domain::timetable::{ActivityKind, ActivityPlan};
use domain::{
    AuthoritySlug, ChallengeId, EmailAddress, PoolMemberId, Principal, TeamMemberId, ThemeCode,
    UserId,
};
use services::Settings;
use services::composition::{check_team, fits_seat};
use services::journey::{self, Agreement, Scheme};
use services::scenario::ChallengeWalk;
use store::{ChallengeFilter, ChallengeRecord, NewTeamMember, Store, TeamMember};

use crate::demo_findings;

use ChallengeState as S;

/// A KLOE as the demo writes it: the question and its theme codes.
type KloeText = (&'static str, &'static [&'static str]);

/// When the visit is, if it has been planned.
#[derive(Clone, Copy, Debug)]
enum Visit {
    /// Not planned yet.
    Unplanned,
    /// The first day, this many days from today (moved forward to a weekday).
    InDays(i64),
    /// Under way: a two-day visit whose second day is today (or the last weekday).
    UnderWay,
}

/// How a demo reviewer answers their invitation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Answer {
    Accepts,
    /// Has not answered yet.
    Waits,
}

/// One demo challenge: what was asked for and how far it has gone.
struct Plan {
    authority: &'static str,
    kind: ChallengeKind,
    format: VisitFormat,
    partners: &'static [Partner],
    focus: &'static str,
    /// The KLOEs as the lead asked for them.
    requested: &'static [KloeText],
    /// The KLOEs the co-ordinator and the lead settled on (a second version), if they differ.
    revised: &'static [KloeText],
    target: ChallengeState,
    visit: Visit,
    /// Team members (besides any demo reviewer) who have accepted, and who declined, when
    /// the team is confirmed but not everyone has answered; later states need everyone.
    accepted: usize,
    declined: usize,
    /// Demo reviewers (1 to 6) the project manager puts on the team, and their answers.
    demo_reviewers: &'static [(usize, Answer)],
    cancel_reason: Option<&'static str>,
}

impl Plan {
    fn everyone_accepts(&self) -> bool {
        self.target > S::TeamConfirmed && self.target != S::Cancelled
    }
}

use Partner::{NhsBoard, ParentCarerForum, Schools, SocialCare};

const EHCP_QUALITY: KloeText = (
    "How well do EHC plans capture the voice of the child or young person and set outcomes that \
     are specific and measurable, and how well do education, health and care partners assure \
     their quality?",
    &["EHCP_QUALITY", "COPRODUCTION"],
);
const TIMELINESS: KloeText = (
    "What lies behind the fall in EHC needs assessments completed within 20 weeks, and how \
     effective is the recovery plan, including advice from health and educational psychology?",
    &["EHCNA_TIMELINESS", "WORKFORCE"],
);
const ADULTHOOD: KloeText = (
    "How well are young people with EHC plans prepared for adulthood from Year 9: employment, \
     independent living, friendships and community, and the move to adult health services?",
    &["PFA", "TRANSITIONS"],
);
const COPRODUCTION: KloeText = (
    "How well do leaders co-produce the SEND strategy and services with the parent carer forum \
     and young people, and what difference has it made to families' experience?",
    &["COPRODUCTION", "COMMUNICATION"],
);
const INCLUSION: KloeText = (
    "How consistently do mainstream schools deliver ordinarily available provision, and how \
     well are SENCOs supported to meet needs early without an EHC plan?",
    &["INCLUSION", "IDENTIFICATION"],
);
const ANNUAL_REVIEWS: KloeText = (
    "Are annual reviews held on time, and do they lead to amended plans within the statutory \
     timescales, especially at phase transfer?",
    &["ANNUAL_REVIEWS", "TRANSITIONS"],
);
const SEMH: KloeText = (
    "How well are children with social, emotional and mental health needs helped to stay in \
     school, and how is alternative provision commissioned and its quality assured?",
    &["SEMH", "ALTERNATIVE_PROVISION", "ATTENDANCE_EXCLUSIONS"],
);
const HEALTH: KloeText = (
    "How effectively do health partners contribute to EHC needs assessments, and how long do \
     families wait for a neurodevelopmental assessment?",
    &["HEALTH", "JOINT_COMMISSIONING"],
);
const GOVERNANCE: KloeText = (
    "How well does the SEND partnership board use data and feedback from families to understand \
     its impact and hold partners to account?",
    &["LEADERSHIP_GOVERNANCE", "OUTCOMES"],
);
const DISAGREEMENT: KloeText = (
    "Why are appeals to the tribunal rising, and how well does the area resolve disagreements \
     early through information, advice and mediation?",
    &["DISAGREEMENT_RESOLUTION", "COMMUNICATION"],
);
const SHORT_BREAKS: KloeText = (
    "How well do short breaks and social care support for disabled children meet families' \
     needs, and how are social care outcomes written into EHC plans?",
    &["SOCIAL_CARE", "EHCP_QUALITY"],
);
const SUFFICIENCY: KloeText = (
    "How well do partners plan the sufficiency of specialist places and use high needs funding \
     to support children closer to home?",
    &["JOINT_COMMISSIONING", "HIGH_NEEDS_FINANCE"],
);

/// The demo challenges, oldest visit first.
fn plans() -> Vec<Plan> {
    use ChallengeKind::{OneDay, TwoDay};
    use VisitFormat::{Hybrid, OnSite, Virtual};
    vec![
        Plan {
            authority: "north-northamptonshire",
            kind: TwoDay,
            format: Hybrid,
            partners: &[NhsBoard, ParentCarerForum, Schools],
            focus: "The new authority's EHC plan quality and its co-production with families \
                    since the reorganisation.",
            requested: &[EHCP_QUALITY],
            revised: &[EHCP_QUALITY, COPRODUCTION, GOVERNANCE],
            target: S::Closed,
            visit: Visit::InDays(-200),
            accepted: 0,
            declined: 0,
            demo_reviewers: &[],
            cancel_reason: None,
        },
        Plan {
            authority: "derby",
            kind: OneDay,
            format: Virtual,
            partners: &[ParentCarerForum],
            focus: "Timeliness of EHC needs assessments after a year of rising requests.",
            requested: &[TIMELINESS],
            revised: &[],
            target: S::Closed,
            visit: Visit::InDays(-150),
            accepted: 0,
            declined: 0,
            demo_reviewers: &[],
            cancel_reason: None,
        },
        Plan {
            authority: "rutland",
            kind: OneDay,
            format: OnSite,
            partners: &[NhsBoard, ParentCarerForum],
            focus: "Preparing for adulthood in a small rural authority where most young people \
                    travel out of county for college.",
            requested: &[ADULTHOOD],
            revised: &[],
            target: S::NextSteps,
            visit: Visit::InDays(-60),
            accepted: 0,
            declined: 0,
            demo_reviewers: &[],
            cancel_reason: None,
        },
        Plan {
            authority: "nottinghamshire",
            kind: OneDay,
            format: Hybrid,
            partners: &[Schools, ParentCarerForum],
            focus: "Inclusion in mainstream schools and support for SENCOs.",
            requested: &[INCLUSION],
            revised: &[],
            target: S::Reporting,
            visit: Visit::InDays(-14),
            accepted: 0,
            declined: 0,
            demo_reviewers: &[],
            cancel_reason: None,
        },
        Plan {
            authority: "nottingham",
            kind: TwoDay,
            format: OnSite,
            partners: &[NhsBoard, ParentCarerForum, SocialCare],
            focus: "Social, emotional and mental health needs, attendance and alternative \
                    provision.",
            requested: &[SEMH, HEALTH],
            revised: &[SEMH, HEALTH, COPRODUCTION],
            target: S::Visit,
            visit: Visit::UnderWay,
            accepted: 0,
            declined: 0,
            demo_reviewers: &[],
            cancel_reason: None,
        },
        Plan {
            authority: "derby",
            kind: TwoDay,
            format: Hybrid,
            partners: &[NhsBoard, ParentCarerForum, Schools],
            focus: "EHC plan quality and annual reviews at phase transfer, with the parent \
                    carer forum.",
            requested: &[EHCP_QUALITY, ANNUAL_REVIEWS],
            revised: &[EHCP_QUALITY, ANNUAL_REVIEWS, COPRODUCTION],
            target: S::Scheduled,
            visit: Visit::InDays(24),
            accepted: 0,
            declined: 0,
            demo_reviewers: &[(1, Answer::Accepts)],
            cancel_reason: None,
        },
        Plan {
            authority: "derbyshire",
            kind: OneDay,
            format: Hybrid,
            partners: &[NhsBoard, ParentCarerForum],
            focus: "Health partners' contribution to EHC needs assessments and waiting times \
                    for neurodevelopmental assessment.",
            requested: &[HEALTH],
            revised: &[],
            target: S::TeamConfirmed,
            visit: Visit::InDays(38),
            accepted: 2,
            declined: 0,
            demo_reviewers: &[(1, Answer::Waits)],
            cancel_reason: None,
        },
        Plan {
            authority: "lincolnshire",
            kind: OneDay,
            format: Hybrid,
            partners: &[SocialCare, ParentCarerForum],
            focus: "Short breaks and social care for disabled children across a large rural \
                    county.",
            requested: &[SHORT_BREAKS],
            revised: &[],
            target: S::TeamProposed,
            visit: Visit::InDays(52),
            accepted: 0,
            declined: 0,
            demo_reviewers: &[],
            cancel_reason: None,
        },
        Plan {
            authority: "leicester",
            kind: TwoDay,
            format: OnSite,
            partners: &[NhsBoard, ParentCarerForum, Schools, SocialCare],
            focus: "Preparing for adulthood and the sufficiency of specialist places.",
            requested: &[ADULTHOOD, SUFFICIENCY],
            revised: &[],
            target: S::TeamConfirmed,
            visit: Visit::InDays(66),
            accepted: 2,
            declined: 1,
            demo_reviewers: &[],
            cancel_reason: None,
        },
        Plan {
            authority: "leicestershire",
            kind: TwoDay,
            format: Hybrid,
            partners: &[NhsBoard, ParentCarerForum],
            focus: "Disagreement resolution and communication with families.",
            requested: &[DISAGREEMENT],
            revised: &[DISAGREEMENT, COPRODUCTION],
            target: S::Scoping,
            visit: Visit::Unplanned,
            accepted: 0,
            declined: 0,
            demo_reviewers: &[],
            cancel_reason: None,
        },
        Plan {
            authority: "leicester",
            kind: OneDay,
            format: OnSite,
            partners: &[ParentCarerForum],
            focus: "Timeliness of EHC needs assessments.",
            requested: &[TIMELINESS],
            revised: &[],
            target: S::Cancelled,
            visit: Visit::Unplanned,
            accepted: 0,
            declined: 0,
            demo_reviewers: &[],
            cancel_reason: Some(
                "The area SEND inspection was announced for the same month. We will ask for a \
                 new challenge once the inspection report is published.",
            ),
        },
        Plan {
            authority: "west-northamptonshire",
            kind: TwoDay,
            format: OnSite,
            partners: &[NhsBoard, ParentCarerForum, Schools],
            focus: "Inclusion and co-production: how well families and schools are part of \
                    the local offer.",
            requested: &[INCLUSION, COPRODUCTION],
            revised: &[],
            target: S::Requested,
            visit: Visit::Unplanned,
            accepted: 0,
            declined: 0,
            demo_reviewers: &[],
            cancel_reason: None,
        },
    ]
}

/// Weekdays only: `day` itself, or the next weekday after it.
fn weekday_from(day: NaiveDate) -> NaiveDate {
    match day.weekday() {
        Weekday::Sat => day + Duration::days(2),
        Weekday::Sun => day + Duration::days(1),
        _ => day,
    }
}

/// `day` itself, or the last weekday before it.
fn weekday_until(day: NaiveDate) -> NaiveDate {
    match day.weekday() {
        Weekday::Sat => day - Duration::days(1),
        Weekday::Sun => day - Duration::days(2),
        _ => day,
    }
}

/// A UK wall-clock time on `day`.
fn uk(day: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    uk_to_utc(day.and_time(NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or_default()))
}

fn at_time(hour: u32, minute: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or_default()
}

/// The visit days of `plan`, relative to `today`.
fn plan_days(plan: &Plan, today: NaiveDate) -> Vec<NaiveDate> {
    let count = plan.kind.visit_day_count();
    match plan.visit {
        Visit::Unplanned => Vec::new(),
        Visit::InDays(offset) => visit_days(weekday_from(today + Duration::days(offset)), count),
        Visit::UnderWay => {
            let last = weekday_until(today);
            let first = (1..)
                .map(|back| last - Duration::days(back))
                .find(|day| !matches!(day.weekday(), Weekday::Sat | Weekday::Sun))
                .unwrap_or(last);
            visit_days(first, count)
        }
    }
}

/// Instants spread evenly between a start and an end, handed out in order.
struct Steps {
    next: DateTime<Utc>,
    gap: Duration,
}

impl Steps {
    fn between(start: DateTime<Utc>, end: DateTime<Utc>, count: i32) -> Self {
        let minutes = (end - start).num_minutes() / i64::from(count + 1);
        Self {
            next: start,
            gap: Duration::minutes(minutes.max(1)),
        }
    }

    fn take(&mut self) -> DateTime<Utc> {
        self.next += self.gap;
        self.next
    }
}

/// The people the demo acts as.
struct Cast {
    coordinator: Principal,
    project_manager: Principal,
    leads: HashMap<String, Principal>,
    /// reviewer1 … reviewer6, by number.
    reviewers: HashMap<usize, (Principal, PoolMemberId)>,
    themes: Vec<ThemeCode>,
}

async fn principal(store: &Store, email: &str) -> anyhow::Result<Principal> {
    let address = EmailAddress::parse(email).map_err(|problem| anyhow!("{email}: {problem}"))?;
    let (id, _) = store
        .credentials(&address)
        .await?
        .with_context(|| format!("the demo account {email}"))?;
    store
        .principal(id)
        .await?
        .with_context(|| format!("the demo account {email}"))
}

impl Cast {
    async fn load(store: &Store) -> anyhow::Result<Self> {
        let mut leads = HashMap::new();
        for authority in store.authorities().await? {
            let slug = authority.slug.as_str().to_owned();
            if let Ok(lead) = principal(store, &format!("lead.{slug}@example.org")).await {
                leads.insert(slug, lead);
            }
        }
        let mut reviewers = HashMap::new();
        for number in 1..=6 {
            let person = principal(store, &format!("reviewer{number}@example.org")).await?;
            if let Some(member) = store.pool_member_for_user(person.user_id).await? {
                reviewers.insert(number, (person, member.id));
            }
        }
        Ok(Self {
            coordinator: principal(store, "coordinator@example.org").await?,
            project_manager: principal(store, "pm@example.org").await?,
            leads,
            reviewers,
            themes: store.themes().await?.into_iter().map(|t| t.code).collect(),
        })
    }

    fn lead(&self, authority: &str) -> anyhow::Result<&Principal> {
        self.leads
            .get(authority)
            .with_context(|| format!("the demo lead of {authority}"))
    }

    /// KLOEs checked as the forms check them (themes known, no personal data).
    fn kloes(
        &self,
        kind: ChallengeKind,
        texts: &[KloeText],
        for_agreement: bool,
    ) -> anyhow::Result<Vec<Kloe>> {
        let answers = KloeAnswers::from_kloes(
            &texts
                .iter()
                .map(|(question, themes)| Kloe {
                    question: (*question).split_whitespace().collect::<Vec<_>>().join(" "),
                    themes: themes.iter().filter_map(|t| ThemeCode::parse(t)).collect(),
                })
                .collect::<Vec<_>>(),
        );
        answers
            .check(kind, &self.themes, for_agreement)
            .map_err(|problems| anyhow!("demo KLOEs: {problems:?}"))
    }
}

/// Seed the demo challenges unless there are challenges already.
pub async fn seed(store: &Store, settings: &Settings, now: DateTime<Utc>) -> anyhow::Result<()> {
    if !store
        .challenges(&ChallengeFilter::default())
        .await?
        .is_empty()
    {
        return Ok(());
    }
    let started = std::time::Instant::now();
    let cast = Cast::load(store).await?;
    let today = uk_date(now);
    let plans = plans();
    // Requests first, in the order they were made, so references run in date order.
    let mut requests: Vec<(usize, DateTime<Utc>)> = plans
        .iter()
        .enumerate()
        .map(|(index, plan)| (index, requested_at(plan, today, now)))
        .collect();
    requests.sort_by_key(|(_, at)| *at);
    let mut ids = HashMap::new();
    for (index, at) in requests {
        let plan = &plans[index];
        let id = request(store, &cast, plan, today, at)
            .await
            .with_context(|| format!("the demo request for {}", plan.authority))?;
        ids.insert(index, (id, at));
    }
    for (index, plan) in plans.iter().enumerate() {
        let (id, requested) = ids[&index];
        let mut demo = Demo {
            store,
            settings,
            cast: &cast,
            plan,
            id,
            now,
            state: S::Requested,
        };
        demo.progress(today, requested)
            .await
            .with_context(|| format!("the demo challenge for {}", plan.authority))?;
    }
    tracing::info!(
        challenges = plans.len(),
        elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        "demo challenges seeded"
    );
    Ok(())
}

/// When the lead asked: about three months before a planned visit, or a few weeks ago.
fn requested_at(plan: &Plan, today: NaiveDate, now: DateTime<Utc>) -> DateTime<Utc> {
    let day = match (plan.target, plan_days(plan, today).first()) {
        (_, Some(first)) => {
            *first
                - Duration::days(if plan.kind == ChallengeKind::TwoDay {
                    95
                } else {
                    75
                })
        }
        (S::Requested, None) => today - Duration::days(3),
        (S::Cancelled, None) => today - Duration::days(45),
        (_, None) => today - Duration::days(24),
    };
    uk(weekday_until(day), 10, 15).min(now - Duration::hours(2))
}

async fn request(
    store: &Store,
    cast: &Cast,
    plan: &Plan,
    today: NaiveDate,
    at: DateTime<Utc>,
) -> anyhow::Result<ChallengeId> {
    let lead = cast.lead(plan.authority)?;
    let slug = AuthoritySlug::parse(plan.authority)?;
    let focus = plan.focus.split_whitespace().collect::<Vec<_>>().join(" ");
    domain::personal_data::check_free_text("focus", &focus)
        .map_err(|problem| anyhow!("{}", problem.message))?;
    // Two preferred windows: around the visit the project manager later chose, or ahead.
    let around = plan_days(plan, today)
        .first()
        .copied()
        .unwrap_or(today + Duration::days(120));
    let windows = vec![
        DateRange::new(around - Duration::days(14), around + Duration::days(14))?,
        DateRange::new(around + Duration::days(35), around + Duration::days(56))?,
    ];
    let request = ChallengeRequest {
        kind: plan.kind,
        format: plan.format,
        partners: plan.partners.to_vec(),
        windows,
        focus,
        kloes: cast.kloes(plan.kind, plan.requested, false)?,
    };
    Ok(store.request_challenge(lead, &slug, &request, at).await?)
}

/// One challenge on its way to its planned state.
struct Demo<'a> {
    store: &'a Store,
    settings: &'a Settings,
    cast: &'a Cast,
    plan: &'a Plan,
    id: ChallengeId,
    now: DateTime<Utc>,
    state: ChallengeState,
}

impl Demo<'_> {
    fn scheme(&self) -> Scheme<'_> {
        Scheme {
            store: self.store,
            settings: self.settings,
        }
    }

    /// The challenge walked by the use cases the pages call.
    fn walk(&self) -> ChallengeWalk<'_> {
        ChallengeWalk::new(self.scheme(), self.id)
    }

    async fn record(&self) -> anyhow::Result<ChallengeRecord> {
        self.store
            .challenge(self.id)
            .await?
            .context("the challenge just made")
    }

    /// What the lifecycle needs to know, asked of the store as the challenge pages ask it.
    async fn readiness(
        &self,
        today: NaiveDate,
        cancel_reason: Option<&str>,
    ) -> anyhow::Result<Readiness> {
        Ok(self
            .store
            .readiness(self.id, today, cancel_reason.map(str::to_owned))
            .await?)
    }

    /// Refuse a move the lifecycle or its mover would refuse.
    async fn check(
        &self,
        to: ChallengeState,
        mover: Mover,
        note: Option<&str>,
        at: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        let readiness = self.readiness(uk_date(at), note).await?;
        let transition = check_transition(self.state, to, &readiness)
            .map_err(|refused| anyhow!("{} → {}: {refused}", self.state.code(), to.code()))?;
        ensure!(
            transition.allows(mover),
            "{mover:?} may not move a challenge to {}",
            to.code()
        );
        ensure!(at <= self.now, "a demo step dated in the future");
        Ok(())
    }

    async fn advance(
        &mut self,
        to: ChallengeState,
        actor: &Principal,
        mover: Mover,
        note: Option<&str>,
        at: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        self.check(to, mover, note, at).await?;
        // The same use case the challenge page's move calls, so the host hears as they would.
        self.walk()
            .move_to(actor, to, note, at)
            .await
            .with_context(|| format!("{} → {}", self.state.code(), to.code()))?;
        self.state = to;
        Ok(())
    }

    async fn progress(&mut self, today: NaiveDate, requested: DateTime<Utc>) -> anyhow::Result<()> {
        let plan = self.plan;
        if plan.target == S::Requested {
            return Ok(());
        }
        let cast = self.cast;
        let days = plan_days(plan, today);
        // Everything before the visit happens by a week before it (or by now).
        let prepared_by = days
            .first()
            .map_or(self.now, |first| uk(*first - Duration::days(7), 16, 0))
            .min(self.now - Duration::hours(1));
        let mut steps = Steps::between(requested, prepared_by, 10);

        self.advance(
            S::Scoping,
            &cast.coordinator,
            Mover::Coordinator,
            None,
            steps.take(),
        )
        .await?;
        if !plan.revised.is_empty() {
            let kloes = cast.kloes(plan.kind, plan.revised, plan.target != S::Scoping)?;
            self.store
                .save_kloes(&cast.coordinator, self.id, &kloes, steps.take())
                .await?;
        }
        match plan.target {
            S::Scoping => return Ok(()),
            S::Cancelled => {
                let lead = cast.lead(plan.authority)?;
                let reason = plan.cancel_reason.unwrap_or("Withdrawn by the local area");
                return self
                    .advance(
                        S::Cancelled,
                        lead,
                        Mover::HostLead,
                        Some(reason),
                        steps.take(),
                    )
                    .await;
            }
            _ => {}
        }
        let agreed = self
            .walk()
            .agree_kloes(&cast.coordinator, steps.take())
            .await
            .map_err(|why| match why {
                journey::Refused::Invalid(problems) => {
                    anyhow!("KLOEs not ready to agree: {problems:?}")
                }
                other => anyhow!("agreeing the KLOEs: {other}"),
            })?;
        ensure!(
            agreed == Agreement::Agreed,
            "the KLOEs were settled already"
        );
        let pm = &cast.project_manager;
        self.store
            .plan_visit(
                pm,
                self.id,
                &VisitPlan {
                    days: days.clone(),
                    seats: plan.kind.default_seats(),
                },
                steps.take(),
            )
            .await?;

        self.propose(steps.take()).await?;
        if plan.target == S::TeamProposed {
            return Ok(());
        }
        self.confirm(steps.take()).await?;
        self.answer(&mut steps).await?;
        if plan.target == S::TeamConfirmed {
            return Ok(());
        }
        let lead = cast.lead(plan.authority)?;
        self.timetable(lead.user_id, steps.take()).await?;
        if matches!(plan.target, S::Scheduled | S::Visit) {
            // Case samples are working notes, deleted after the report; only the coming and
            // current visits keep theirs.
            self.case_sample(lead.user_id, steps.take()).await?;
        }
        self.advance(S::Scheduled, lead, Mover::HostLead, None, steps.take())
            .await?;
        let (Some(first), Some(last)) = (days.first(), days.last()) else {
            bail!("a scheduled challenge without visit days");
        };
        let later = |day: NaiveDate, hour| uk(day, hour, 0).min(self.now - Duration::minutes(5));
        let closing = later(*last + Duration::days(120), 11);
        for (to, actor, mover, at) in [
            (S::Visit, pm, Mover::ProjectManager, later(*first, 8)),
            (S::Reporting, pm, Mover::ProjectManager, later(*last, 18)),
            (
                S::NextSteps,
                &cast.coordinator,
                Mover::Coordinator,
                later(*last + Duration::days(35), 11),
            ),
            (
                S::Closed,
                &cast.coordinator,
                Mover::Coordinator,
                later(*last + Duration::days(120), 11),
            ),
        ] {
            if self.state == plan.target {
                break;
            }
            if to == S::NextSteps {
                let record = self.record().await?;
                let reported = at - Duration::days(10);
                demo_findings::finalise_reports(
                    self.store,
                    &record,
                    &cast.coordinator,
                    lead,
                    reported,
                )
                .await?;
            }
            self.advance(to, actor, mover, None, at).await?;
            let record = self.record().await?;
            match to {
                S::Reporting => {
                    demo_findings::record_findings(self.store, &record, &cast.coordinator, at)
                        .await?;
                }
                S::NextSteps => {
                    let planned = at + Duration::days(1);
                    demo_findings::plan_next_steps(self.store, &record, lead, planned, closing)
                        .await?;
                }
                _ => {}
            }
        }
        ensure!(
            self.state == plan.target,
            "stopped at {} instead of {}",
            self.state.code(),
            plan.target.code()
        );
        Ok(())
    }

    /// The engine's team, saved as the proposal; then the demo reviewers the project manager
    /// wants on it swapped in by hand, each only where the engine's rules still hold.
    async fn propose(&mut self, at: DateTime<Utc>) -> anyhow::Result<()> {
        let today = uk_date(at);
        self.check(S::TeamProposed, Mover::ProjectManager, None, at)
            .await?;
        self.walk()
            .propose_team(&self.cast.project_manager, at)
            .await
            .map_err(|why| anyhow!("proposing a team: {why}"))?;
        self.state = S::TeamProposed;
        for (number, _) in self.plan.demo_reviewers {
            let Some((_, member)) = self.cast.reviewers.get(number) else {
                continue;
            };
            if !self.seat_by_hand(*member, today, at).await? {
                tracing::warn!(
                    reviewer = number,
                    authority = self.plan.authority,
                    "no seat for the demo reviewer"
                );
            }
        }
        Ok(())
    }

    /// Put `member` in a proposed seat they fit, if the team still keeps every rule with
    /// them in it. True when they are on the team.
    async fn seat_by_hand(
        &self,
        member: PoolMemberId,
        today: NaiveDate,
        at: DateTime<Utc>,
    ) -> anyhow::Result<bool> {
        let record = self.record().await?;
        let team = self.store.team(self.id).await?;
        if team
            .iter()
            .any(|seat| seat.member == member && seat.status.holds_seat())
        {
            return Ok(true);
        }
        let person = self
            .store
            .pool_member(member)
            .await?
            .context("a demo reviewer's pool membership")?;
        // Their own kind of seat first; leading only when nothing else fits.
        let mut candidates: Vec<&TeamMember> = team
            .iter()
            .filter(|seat| seat.status == MemberStatus::Proposed)
            .filter(|seat| fits_seat(&person, seat.seat_role, &record.authority))
            .collect();
        candidates.sort_by_key(|seat| seat.seat_role == SeatRole::LeadReviewer);
        for seat in candidates {
            let mut trial = team.clone();
            for held in trial.iter_mut().filter(|held| held.id == seat.id) {
                held.member = member;
                held.user = person.user;
                held.name = person.profile.name.as_str().to_owned();
                held.email = person.profile.email.clone();
                held.reviewer_type = person.profile.reviewer_type;
            }
            let broken = check_team(
                self.store,
                &record,
                &trial,
                today,
                self.settings.max_per_authority,
            )
            .await
            .map_err(|error| anyhow!("checking a team: {error}"))?;
            if broken.is_empty() {
                self.store
                    .add_team_member(
                        &self.cast.project_manager,
                        self.id,
                        &NewTeamMember {
                            member,
                            seat_role: seat.seat_role,
                            shadowing: seat.shadowing,
                            reasons: "Chosen by the project manager.".to_owned(),
                        },
                        Some(seat.id),
                        at,
                    )
                    .await?;
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Confirm the team: everyone proposed is invited.
    async fn confirm(&mut self, at: DateTime<Utc>) -> anyhow::Result<()> {
        self.check(S::TeamConfirmed, Mover::ProjectManager, None, at)
            .await?;
        self.walk()
            .confirm_team(&self.cast.project_manager, at)
            .await
            .map_err(|why| anyhow!("confirming the team: {why}"))?;
        self.state = S::TeamConfirmed;
        Ok(())
    }

    /// The members' answers: everyone accepts for a challenge going beyond team confirmed;
    /// otherwise some accept, some decline and the rest have not answered yet.
    async fn answer(&self, steps: &mut Steps) -> anyhow::Result<()> {
        let team = self.store.team(self.id).await?;
        let demo: HashMap<PoolMemberId, Answer> = self
            .plan
            .demo_reviewers
            .iter()
            .filter_map(|(number, answer)| {
                self.cast
                    .reviewers
                    .get(number)
                    .map(|(_, member)| (*member, *answer))
            })
            .collect();
        let (mut accepting, mut declining) = (self.plan.accepted, self.plan.declined);
        let mut answers: Vec<(&TeamMember, InvitationResponse)> = Vec::new();
        for seat in team
            .iter()
            .filter(|seat| seat.status == MemberStatus::Invited)
        {
            let response = match demo.get(&seat.member) {
                Some(Answer::Waits) if !self.plan.everyone_accepts() => continue,
                Some(_) => InvitationResponse::Accept,
                None if self.plan.everyone_accepts() => InvitationResponse::Accept,
                None if accepting > 0 => {
                    accepting -= 1;
                    InvitationResponse::Accept
                }
                None if declining > 0 => {
                    declining -= 1;
                    InvitationResponse::Decline(
                        "I have a tribunal hearing on the second day that I cannot move. Please \
                         ask me again for the next one."
                            .to_owned(),
                    )
                }
                None => continue,
            };
            answers.push((seat, response));
        }
        let at = steps.take();
        for (offset, (seat, response)) in answers.into_iter().enumerate() {
            let when =
                (at + Duration::minutes(97 * i64::try_from(offset).unwrap_or(0))).min(self.now);
            let account = match seat.user {
                Some(user) => self.store.principal(user).await?,
                None => None,
            };
            match account {
                // Members with an account answer from "My challenges", as the page does.
                Some(member) => self
                    .walk()
                    .answer(&member, &response, when)
                    .await
                    .map_err(|why| anyhow!("{} answering: {why}", seat.name))?,
                // The rest of the demo pool has no accounts to sign in with: their answers are
                // recorded straight on their seats, so the demo teams show every kind of answer.
                None => {
                    let person = Principal::new(
                        UserId::new(),
                        seat.name.clone(),
                        seat.email.clone(),
                        vec![],
                    );
                    self.store
                        .respond_to_invitation(&person, seat.id, &response, None, when)
                        .await?;
                }
            }
        }
        Ok(())
    }

    /// The lead's timetable: the same shape each day, with the team split so nobody is in
    /// two places and no room is booked twice; the last day ends with the feedback.
    async fn timetable(&self, by: UserId, at: DateTime<Utc>) -> anyhow::Result<()> {
        let record = self.record().await?;
        let team = self.store.team(self.id).await?;
        let holding: Vec<&TeamMember> = team.iter().filter(|m| m.status.holds_seat()).collect();
        let of = |role: SeatRole| -> Vec<TeamMemberId> {
            holding
                .iter()
                .filter(|m| m.seat_role == role)
                .map(|m| m.id)
                .collect()
        };
        let lead = of(SeatRole::LeadReviewer);
        let officers = of(SeatRole::LaOfficer);
        let parent = of(SeatRole::ParentCarer);
        let health = of(SeatRole::Health);
        let everyone: Vec<TeamMemberId> = holding.iter().map(|m| m.id).collect();
        // Two groups for the parallel sessions: the lead with the first officer, and the
        // other officers with the health member.
        let first_group: Vec<TeamMemberId> = lead
            .iter()
            .chain(officers.iter().take(1))
            .copied()
            .collect();
        let second_group: Vec<TeamMemberId> = officers
            .iter()
            .skip(1)
            .chain(health.iter())
            .copied()
            .collect();
        let parent_group: Vec<TeamMemberId> = parent.clone();
        let online = record.format == VisitFormat::Virtual;
        let name = &record.authority_name;
        let room = |number: u8| {
            if online {
                format!("Online meeting room {number}")
            } else {
                format!("{name} council offices, meeting room {number}")
            }
        };
        let kloe = |n: usize| u8::try_from(n.min(record.kloes.len()).max(1)).ok();
        let count = record.visit_days.len();
        for (index, day) in record.visit_days.iter().enumerate() {
            let last = index + 1 == count;
            let main = kloe(index + 1);
            let mut plans = vec![
                (
                    (9, 0),
                    (9, 30),
                    ActivityKind::TeamHuddle,
                    "Team huddle and introductions".to_owned(),
                    room(1),
                    None,
                    everyone.clone(),
                ),
                (
                    (9, 45),
                    (11, 0),
                    ActivityKind::Interview,
                    "Meeting with the SEND leadership team".to_owned(),
                    room(1),
                    main,
                    first_group.clone(),
                ),
                (
                    (9, 45),
                    (12, 15),
                    ActivityKind::CaseSampling,
                    "Case sampling: EHC plans and case files".to_owned(),
                    room(2),
                    kloe(1),
                    second_group.clone(),
                ),
                (
                    (11, 15),
                    (12, 30),
                    ActivityKind::FocusGroupParents,
                    "Focus group with the parent carer forum".to_owned(),
                    if online {
                        "Online meeting room 3".to_owned()
                    } else {
                        format!("{name} parent carer forum, community room")
                    },
                    main,
                    lead.iter().chain(parent.iter()).copied().collect(),
                ),
                (
                    (13, 30),
                    (15, 0),
                    ActivityKind::SettingVisit,
                    "Visit to a mainstream secondary school with a resourced provision".to_owned(),
                    if online {
                        "Online meeting room 4".to_owned()
                    } else {
                        format!("A secondary school in {name}")
                    },
                    main,
                    officers
                        .iter()
                        .take(1)
                        .chain(parent_group.iter())
                        .copied()
                        .collect(),
                ),
                (
                    (13, 30),
                    (15, 0),
                    ActivityKind::FocusGroupYoungPeople,
                    "Focus group with young people".to_owned(),
                    if online {
                        "Online meeting room 5".to_owned()
                    } else {
                        format!("{name} youth centre")
                    },
                    kloe(count.max(2)),
                    lead.iter()
                        .chain(officers.iter().skip(1))
                        .chain(health.iter())
                        .copied()
                        .collect(),
                ),
            ];
            plans.push(if last {
                (
                    (15, 45),
                    (16, 45),
                    ActivityKind::FeedbackPresentation,
                    "Feedback to leaders and partners".to_owned(),
                    room(1),
                    None,
                    everyone.clone(),
                )
            } else {
                (
                    (15, 30),
                    (16, 30),
                    ActivityKind::TeamHuddle,
                    "End of day huddle: emerging findings".to_owned(),
                    room(1),
                    None,
                    everyone.clone(),
                )
            });
            for (offset, (starts, ends, kind, title, place, kloe, reviewers)) in
                plans.into_iter().enumerate()
            {
                let plan = ActivityPlan {
                    day: *day,
                    starts: at_time(starts.0, starts.1),
                    ends: at_time(ends.0, ends.1),
                    kind,
                    title,
                    place,
                    kloe,
                    reviewers,
                };
                let when = at + Duration::minutes(i64::try_from(index * 10 + offset).unwrap_or(0));
                self.store
                    .add_activity(self.id, &plan, by, when.min(self.now))
                    .await?;
            }
        }
        Ok(())
    }
}

/// Cases for the team to sample, as pseudonymous references with age band, need and setting.
const CASES: [(&str, &str, &str, &str); 5] = [
    (
        "11-15",
        "ASD",
        "mainstream_secondary",
        "Year 9 review due; plan last amended at phase transfer.",
    ),
    (
        "5-10",
        "SLCN",
        "mainstream_primary",
        "Speech and language therapy advice over a year old.",
    ),
    (
        "16-18",
        "SLD",
        "further_education",
        "Preparing for adulthood outcomes in the plan.",
    ),
    (
        "11-15",
        "SEMH",
        "alternative_provision",
        "Part-time timetable for two terms.",
    ),
    (
        "0-4",
        "PMLD",
        "early_years",
        "Needs assessment requested before school entry.",
    ),
];

impl Demo<'_> {
    async fn case_sample(&self, by: UserId, at: DateTime<Utc>) -> anyhow::Result<()> {
        let prefix: String = self
            .plan
            .authority
            .chars()
            .filter(char::is_ascii_alphabetic)
            .take(3)
            .collect::<String>()
            .to_ascii_uppercase();
        for (number, (age_band, need_type, setting_type, notes)) in CASES.iter().enumerate() {
            let entry = domain::case_sample::CaseAnswers {
                reference: format!("{prefix}-{}-{:02}", at.year(), number * 7 + 3),
                age_band: (*age_band).to_owned(),
                need_type: (*need_type).to_owned(),
                setting_type: (*setting_type).to_owned(),
                notes: (*notes).to_owned(),
            }
            .check()
            .map_err(|problems| anyhow!("a demo case: {problems:?}"))?;
            self.store.add_case(self.id, &entry, by, at).await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use domain::lifecycle::transition;

    use super::*;
    use domain::timetable::{ScheduledActivity, find_clashes};

    fn fail(error: impl std::fmt::Display) -> ! {
        panic!("{error}")
    }

    #[test]
    fn visits_fall_on_weekdays_and_the_visit_under_way_has_begun() {
        let monday = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_else(|| fail("date"));
        for offset in 0..7 {
            let today = monday + Duration::days(offset);
            for plan in plans() {
                let days = plan_days(&plan, today);
                assert!(
                    days.iter()
                        .all(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)),
                    "{} {days:?}",
                    plan.authority
                );
                if let Visit::UnderWay = plan.visit {
                    assert_eq!(days.len(), 2);
                    assert!(days[0] < today && days[1] <= today, "{today} {days:?}");
                    assert!(today - days[1] <= Duration::days(2), "{today} {days:?}");
                }
            }
        }
    }

    /// The whole demo on a fresh database: every state, all ten authorities, legal
    /// timelines, engine-made teams, timetables without clashes, and the seats the browser
    /// journeys need; a second run adds nothing.
    #[tokio::test]
    async fn every_state_across_the_ten_authorities() {
        let folder = tempfile::tempdir().unwrap_or_else(|error| fail(error));
        let url = format!(
            "sqlite://{}?mode=rwc",
            folder.path().join("demo.db").display()
        );
        let store = Store::open(&url).await.unwrap_or_else(|error| fail(error));
        crate::demo::seed(&store, crate::demo::DEFAULT_PASSWORD, &Settings::default())
            .await
            .unwrap_or_else(|error| fail(format!("{error:#}")));
        let today = uk_date(Utc::now());
        let all = store
            .challenges(&ChallengeFilter::default())
            .await
            .unwrap_or_else(|error| fail(error));
        assert_eq!(all.len(), plans().len());
        for state in ChallengeState::ALL {
            assert!(all.iter().any(|c| c.state == state), "{state:?}");
        }
        let authorities: BTreeSet<&str> = all.iter().map(|c| c.authority.as_str()).collect();
        assert_eq!(authorities.len(), 10, "{authorities:?}");
        for kind in [ChallengeKind::OneDay, ChallengeKind::TwoDay] {
            assert!(all.iter().filter(|c| c.kind == kind).count() >= 4);
        }

        let derby: Vec<_> = all
            .iter()
            .filter(|c| c.authority.as_str() == "derby")
            .collect();
        assert!(
            derby
                .iter()
                .all(|c| !matches!(c.state, S::Requested | S::Scoping)),
            "Derby can ask for a new challenge"
        );
        assert!(
            derby
                .iter()
                .any(|c| matches!(c.state, S::TeamConfirmed | S::Scheduled))
        );

        let themes: Vec<ThemeCode> = store
            .themes()
            .await
            .unwrap_or_else(|error| fail(error))
            .into_iter()
            .map(|t| t.code)
            .collect();
        let (mut invited, mut declined) = (0, 0);
        for summary in &all {
            let id = summary.id;
            let record = store
                .challenge(id)
                .await
                .unwrap_or_else(|error| fail(error))
                .unwrap_or_else(|| fail("the challenge"));
            let events = store
                .challenge_events(id)
                .await
                .unwrap_or_else(|error| fail(error));
            assert_eq!(
                events.first().map(|e| (e.from, e.to)),
                Some((None, S::Requested))
            );
            for pair in events.windows(2) {
                assert_eq!(pair[1].from, Some(pair[0].to), "{}", record.reference);
                assert!(pair[0].at <= pair[1].at);
                assert!(
                    pair[1]
                        .from
                        .and_then(|from| transition(from, pair[1].to))
                        .is_some()
                );
            }
            assert_eq!(events.last().map(|e| e.to), Some(record.state));
            assert!(events.iter().all(|e| e.at <= Utc::now()));
            assert_eq!(record.state == S::Cancelled, record.cancel_reason.is_some());

            let engaged = !matches!(record.state, S::Requested | S::Scoping | S::Cancelled);
            assert_eq!(record.kloes_agreed(), engaged, "{}", record.reference);
            if engaged {
                assert!(
                    KloeAnswers::from_kloes(&record.kloes)
                        .check(record.kind, &themes, true)
                        .is_ok(),
                    "{}",
                    record.reference
                );
                assert!(record.proposal.is_some());
                assert_eq!(record.visit_days.len(), record.kind.visit_day_count());
                let first = record.visit_days[0];
                if record.state >= S::Visit {
                    assert!(first <= today, "{} {first}", record.reference);
                } else {
                    assert!(first > today, "{} {first}", record.reference);
                }
            }
            let team = store.team(id).await.unwrap_or_else(|error| fail(error));
            let seats: usize = record.seats.iter().map(|s| usize::from(s.count)).sum();
            let holding = team.iter().filter(|m| m.status.holds_seat()).count();
            let statuses = |status| team.iter().filter(|m| m.status == status).count();
            if engaged {
                // Every seat filled by the engine; a decline frees one.
                assert_eq!(
                    holding + statuses(MemberStatus::Declined),
                    seats,
                    "{} seats filled",
                    record.reference
                );
            }
            match record.state {
                S::TeamProposed => assert_eq!(statuses(MemberStatus::Proposed), seats),
                S::TeamConfirmed => {
                    invited += statuses(MemberStatus::Invited);
                    declined += statuses(MemberStatus::Declined);
                    assert!(statuses(MemberStatus::Accepted) >= 2);
                }
                state if state > S::TeamConfirmed && state != S::Cancelled => {
                    assert_eq!(statuses(MemberStatus::Accepted), seats);
                    let timetable: Vec<ScheduledActivity> = store
                        .timetable(id)
                        .await
                        .unwrap_or_else(|error| fail(error))
                        .iter()
                        .map(store::Activity::scheduled)
                        .collect();
                    assert!(
                        record
                            .visit_days
                            .iter()
                            .all(|day| timetable.iter().any(|a| a.day == *day))
                    );
                    assert_eq!(find_clashes(&record.visit_days, &timetable), vec![]);
                    let cases = store
                        .case_sample(id)
                        .await
                        .unwrap_or_else(|error| fail(error));
                    let preparing = matches!(state, S::Scheduled | S::Visit);
                    assert_eq!(cases.len(), if preparing { CASES.len() } else { 0 });
                }
                _ => assert!(team.is_empty()),
            }
        }
        assert!(invited >= 3, "invitations waiting: {invited}");
        assert_eq!(declined, 1);

        // reviewer1 has accepted one seat and has an invitation to answer.
        let cast = Cast::load(&store).await.unwrap_or_else(|error| fail(error));
        let (reviewer1, _) = &cast.reviewers[&1];
        let seats = store
            .seats_of_user(reviewer1.user_id)
            .await
            .unwrap_or_else(|error| fail(error));
        let status_on = |state| {
            seats
                .iter()
                .find(|(summary, _)| summary.state == state)
                .map(|(_, seat)| seat.status)
        };
        assert_eq!(status_on(S::Scheduled), Some(MemberStatus::Accepted));
        assert_eq!(status_on(S::TeamConfirmed), Some(MemberStatus::Invited));

        seed(&store, &Settings::default(), Utc::now())
            .await
            .unwrap_or_else(|error| fail(format!("{error:#}")));
        assert_eq!(
            store
                .challenges(&ChallengeFilter::default())
                .await
                .map(|all| all.len())
                .unwrap_or_default(),
            plans().len(),
            "a second run adds nothing"
        );
    }
}
