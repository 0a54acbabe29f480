//! Team composition for a challenge: translate the challenge and the active pool into the
//! engine's plain problem, solve it, and turn the answer into seats to save and a proposal to
//! show (each member's reasons, the ranked alternates per seat, and any seat the engine could
//! not fill with its diagnosis). Used by the challenge pages and by the demo seeder.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use domain::challenge::{ChallengeKind, MemberStatus, SeatRole, VisitFormat, can_lead};
use domain::lifecycle::ChallengeState;
use domain::pool::{ExpertiseLevel, HomeArea, MemberStatus as PoolStatus};
use domain::{AuthoritySlug, ChallengeId, PoolMemberId};
use matching::{
    AuthorityId, BoardId, ChallengeId as EngineChallenge, Coordinates, Expertise, Options,
    PreviousTeam, Problem, ReviewerId, Role, Seat, SeatMember, SolveError, ThemeId, Travel,
};
use serde::{Deserialize, Serialize};
use store::{Bookings, ChallengeRecord, NewTeamMember, PoolFilter, PoolMember, Store, TeamMember};

/// The engine's answer as the team page shows it (kept as JSON on the challenge).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    pub seats: Vec<ProposedSeat>,
    pub unfilled: Vec<UnfilledSeat>,
    /// How sure the engine is: "optimal" or the proven gap.
    pub quality: String,
}

/// One seat group: who sits there and who else could.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposedSeat {
    pub role: String,
    pub role_label: String,
    pub shadowing: bool,
    pub members: Vec<ProposedPerson>,
    pub alternates: Vec<ProposedPerson>,
}

impl ProposedSeat {
    /// Whether anyone else could sit here.
    pub fn any_eligible(&self) -> bool {
        self.alternates.iter().any(|p| p.eligible)
    }

    /// Whether the alternates list people ruled out by a rule.
    pub fn any_ineligible(&self) -> bool {
        self.alternates.iter().any(|p| !p.eligible)
    }
}

/// A person with the engine's words about them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposedPerson {
    pub member: String,
    pub name: String,
    pub why: String,
    /// For an alternate: whether they could take the seat at all. Those who could are ranked
    /// first; the others are listed apart with the rule that rules them out.
    #[serde(default = "eligible_by_default")]
    pub eligible: bool,
}

fn eligible_by_default() -> bool {
    true
}

/// A seat nobody can fill: the counts behind it in the project manager's words, and what
/// would help, each with a link to act where there is one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnfilledSeat {
    pub role_label: String,
    pub message: String,
    /// Kept for proposals saved before `help`: the engine's own suggestions.
    #[serde(default)]
    pub relax: Vec<String>,
    #[serde(default)]
    pub help: Vec<Help>,
}

/// One thing that would let a seat be filled.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Help {
    pub text: String,
    /// Where to act on it, if there is a page for it.
    pub href: Option<String>,
    /// A change the team page can make on the spot, as a form (it changes something, so it
    /// is never a link).
    #[serde(default)]
    pub act: Option<HelpAct>,
}

/// What a piece of help does when the project manager acts on it from the team page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "act", rename_all = "snake_case")]
pub enum HelpAct {
    /// Turn one seat of this role (its code) into a shadowing seat, then re-compose.
    ShadowSeat { role: String },
    /// Email this pool member asking them to add the host to the places they travel to.
    AskToTravel { member: String, name: String },
}

/// The what-if page, pre-filled with an area and a kind, to try other dates.
pub fn what_if_href(area: &AuthoritySlug, kind: ChallengeKind) -> String {
    format!("/challenges/what-if?area={area}&kind={}", kind.code())
}

/// What composing produced: the new seats to save, and the proposal to show.
#[derive(Debug)]
pub struct Composed {
    pub seats: Vec<NewTeamMember>,
    pub proposal: Proposal,
}

/// Why the engine could not be asked.
#[derive(Debug, thiserror::Error)]
pub enum CompositionError {
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error("the team engine failed: {0}")]
    Engine(String),
    /// No team at all, for a reason that is not one seat's (for example too few authorities to
    /// respect the per-authority limit): the engine's words, for the project manager.
    #[error("{0}")]
    NoTeam(String),
}

/// The most seats the engine gives up on before it stops trying to fill the rest.
const MAX_UNFILLED_RETRIES: usize = 12;
/// Seconds the engine may search before returning its best team with the proven gap.
const TIME_LIMIT_SECONDS: f64 = 10.0;

/// Ask the engine for a team. Members who are invited or accepted stay in their seats; those
/// who declined or declared a conflict are never proposed again; with `minimise_changes` the
/// current team is the reference and as few seats as possible change (a re-composition).
pub async fn compose(
    store: &Store,
    challenge: &ChallengeRecord,
    team: &[TeamMember],
    minimise_changes: bool,
    today: NaiveDate,
    max_per_authority: u32,
) -> Result<Composed, CompositionError> {
    let pool = store
        .search_pool(&PoolFilter {
            status: Some(PoolStatus::Active),
            ..PoolFilter::default()
        })
        .await?;
    let bookings = store.bookings(challenge.id, today).await?;
    let boards: HashMap<String, String> = store
        .authorities()
        .await?
        .into_iter()
        .map(|a| (a.slug.as_str().to_owned(), a.nhs_board))
        .collect();
    let mut input = EngineInput::new(challenge, team, &pool, &bookings, &boards, minimise_changes);
    input.max_per_authority = max_per_authority;
    input.words = Words::load(store).await?;
    let problem = input.problem();
    let solved = tokio::task::spawn_blocking(move || solve_filling_what_can_be(problem))
        .await
        .map_err(|e| CompositionError::Engine(e.to_string()))?;
    match solved {
        Ok(solved) => Ok(input.composed(solved)),
        Err(Failure::NoTeam(infeasible)) => {
            Err(CompositionError::NoTeam(input.no_team_words(&infeasible)))
        }
        Err(Failure::Engine(why)) => Err(CompositionError::Engine(why)),
    }
}

/// Names for what the engine knows by code: authorities and themes.
#[derive(Debug, Default)]
struct Words {
    authorities: HashMap<String, String>,
    themes: HashMap<String, String>,
}

impl Words {
    async fn load(store: &Store) -> Result<Self, store::StoreError> {
        Ok(Self {
            authorities: store
                .authorities()
                .await?
                .into_iter()
                .map(|a| (a.slug.as_str().to_owned(), a.name))
                .collect(),
            themes: store
                .themes()
                .await?
                .into_iter()
                .map(|t| (t.code.as_str().to_owned(), t.label))
                .collect(),
        })
    }

    fn authority(&self, slug: &str) -> String {
        self.authorities
            .get(slug)
            .cloned()
            .unwrap_or_else(|| slug.replace('-', " "))
    }

    fn theme(&self, code: &str) -> String {
        self.themes
            .get(code)
            .cloned()
            .unwrap_or_else(|| code.replace('_', " ").to_lowercase())
    }
}

/// A challenge only asked about: an area, a kind and its visit days, with the kind's default
/// seats and no themes yet. Nothing is saved.
#[derive(Clone, Debug)]
pub struct WhatIf {
    pub authority: AuthoritySlug,
    pub kind: ChallengeKind,
    pub days: Vec<NaiveDate>,
}

/// Whether a challenge could be staffed: the team the engine would propose today for the
/// question's area and days, or the seats it could not fill with their diagnosis. The
/// project manager asks this before an area has requested anything, so nothing is saved.
pub async fn what_if(
    store: &Store,
    question: &WhatIf,
    today: NaiveDate,
    max_per_authority: u32,
) -> Result<Composed, CompositionError> {
    let authority = store
        .authorities()
        .await?
        .into_iter()
        .find(|a| a.slug == question.authority)
        .ok_or_else(|| {
            CompositionError::NoTeam(format!(
                "There is no authority called {}.",
                question.authority
            ))
        })?;
    let now = chrono::Utc::now();
    let record = ChallengeRecord {
        id: ChallengeId::new(),
        reference: String::new(),
        authority: authority.slug,
        authority_name: authority.name,
        kind: question.kind,
        format: VisitFormat::OnSite,
        partners: Vec::new(),
        windows: Vec::new(),
        focus: String::new(),
        state: ChallengeState::Requested,
        cancel_reason: None,
        kloes: Vec::new(),
        kloe_version: 0,
        kloes_agreed: None,
        visit_days: question.days.clone(),
        seats: question.kind.default_seats(),
        proposal: None,
        requested_at: now,
        updated_at: now,
    };
    compose(store, &record, &[], false, today, max_per_authority).await
}

/// The translated input, with what is needed to translate the answer back.
struct EngineInput<'a> {
    challenge: &'a ChallengeRecord,
    team: &'a [TeamMember],
    pool: &'a [PoolMember],
    bookings: &'a Bookings,
    boards: &'a HashMap<String, String>,
    minimise_changes: bool,
    max_per_authority: u32,
    words: Words,
    /// `(role, shadowing)` per engine seat group.
    groups: Vec<(SeatRole, bool, u32)>,
}

impl<'a> EngineInput<'a> {
    fn new(
        challenge: &'a ChallengeRecord,
        team: &'a [TeamMember],
        pool: &'a [PoolMember],
        bookings: &'a Bookings,
        boards: &'a HashMap<String, String>,
        minimise_changes: bool,
    ) -> Self {
        let mut groups = Vec::new();
        for seat in &challenge.seats {
            let trained_seats = u32::from(seat.count.saturating_sub(seat.shadowing));
            if trained_seats > 0 {
                groups.push((seat.role, false, trained_seats));
            }
            if seat.shadowing > 0 {
                groups.push((seat.role, true, u32::from(seat.shadowing)));
            }
        }
        Self {
            challenge,
            team,
            pool,
            bookings,
            boards,
            minimise_changes,
            max_per_authority: 2,
            words: Words::default(),
            groups,
        }
    }

    fn group_of(&self, role: SeatRole, shadowing: bool) -> Option<usize> {
        self.groups
            .iter()
            .position(|(r, s, _)| *r == role && *s == shadowing)
            .or_else(|| self.groups.iter().position(|(r, _, _)| *r == role))
    }

    fn problem(&self) -> Problem {
        let id = EngineChallenge::new(self.challenge.id.to_string());
        let host = AuthorityId::new(self.challenge.authority.as_str());
        let keep = |m: &&TeamMember| m.status.is_on_team();
        let pinned = self
            .team
            .iter()
            .filter(keep)
            .filter_map(|m| {
                self.group_of(m.seat_role, m.shadowing)
                    .map(|seat| SeatMember {
                        seat,
                        reviewer: ReviewerId::new(m.member.to_string()),
                    })
            })
            .collect();
        let declined = self
            .team
            .iter()
            .filter(|m| {
                matches!(
                    m.status,
                    MemberStatus::Declined | MemberStatus::ConflictDeclared | MemberStatus::Removed
                )
            })
            .map(|m| ReviewerId::new(m.member.to_string()))
            .collect();
        let mut themes: Vec<ThemeId> = self
            .challenge
            .kloes
            .iter()
            .flat_map(|k| k.themes.iter().map(|t| ThemeId::new(t.as_str())))
            .collect();
        themes.sort();
        themes.dedup();
        let previous = if self.minimise_changes {
            vec![PreviousTeam {
                challenge: id.clone(),
                members: self
                    .team
                    .iter()
                    .filter(|m| m.status.holds_seat())
                    .filter_map(|m| {
                        self.group_of(m.seat_role, m.shadowing)
                            .map(|seat| SeatMember {
                                seat,
                                reviewer: ReviewerId::new(m.member.to_string()),
                            })
                    })
                    .collect(),
            }]
        } else {
            Vec::new()
        };
        Problem {
            challenges: vec![matching::Challenge {
                id,
                dates: self.challenge.visit_days.clone(),
                host_nhs_board: self.boards.get(host.as_str()).map(BoardId::new),
                host_authority: host,
                themes,
                seats: self
                    .groups
                    .iter()
                    .map(|(role, shadowing, count)| Seat {
                        role: Role::new(role.code()),
                        count: *count,
                        shadowing: *shadowing,
                    })
                    .collect(),
                pinned,
                declined,
            }],
            reviewers: self.pool.iter().map(|m| self.reviewer(m)).collect(),
            travel: east_midlands_travel(),
            options: Options {
                max_per_authority: Some(self.max_per_authority),
                time_limit_seconds: TIME_LIMIT_SECONDS,
                seed: 1,
                previous,
                ..Options::default()
            },
            authority_names: self
                .words
                .authorities
                .iter()
                .map(|(slug, name)| (AuthorityId::new(slug.as_str()), name.clone()))
                .collect(),
        }
    }

    fn reviewer(&self, member: &PoolMember) -> matching::Reviewer {
        let profile = &member.profile;
        let past = self
            .bookings
            .past_challenges
            .get(&member.id)
            .copied()
            .unwrap_or(0);
        let mut roles = vec![Role::new(profile.reviewer_type.code())];
        if can_lead(
            profile.reviewer_type,
            member.is_trained(),
            past,
            &profile.experience,
        ) {
            roles.push(Role::new(SeatRole::LeadReviewer.code()));
        }
        let home = match &profile.home {
            HomeArea::Authority(slug) => slug.as_str().to_owned(),
            HomeArea::OutsideRegion(region) => format!("outside:{region}"),
        };
        matching::Reviewer {
            id: ReviewerId::new(member.id.to_string()),
            name: Some(profile.name.as_str().to_owned()),
            roles,
            nhs_board: self.boards.get(&home).map(BoardId::new),
            home_authority: AuthorityId::new(home),
            trained: member.is_trained(),
            expertise: profile
                .expertise
                .iter()
                .map(|(theme, level)| (ThemeId::new(theme.as_str()), expertise(*level)))
                .collect(),
            unavailable: self.unavailable(member),
            conflicts: profile
                .conflicts
                .iter()
                .map(|(slug, _)| AuthorityId::new(slug.as_str()))
                .collect(),
            max_per_year: u32::from(profile.max_per_year),
            current_load: self
                .bookings
                .load_this_year
                .get(&member.id)
                .copied()
                .unwrap_or(0),
            past_challenges: past,
            location: None,
        }
    }

    /// The visit days this member cannot do: their own unavailable periods, other bookings,
    /// and every day of an on-site visit for someone who only takes part online or does not
    /// travel to the host.
    fn unavailable(&self, member: &PoolMember) -> Vec<NaiveDate> {
        let profile = &member.profile;
        let cannot_travel = self.challenge.format == VisitFormat::OnSite
            && (profile.online_only
                || (!profile.travel_to.is_empty()
                    && !profile.travel_to.contains(&self.challenge.authority)));
        let booked = self.bookings.booked_days.get(&member.id);
        self.challenge
            .visit_days
            .iter()
            .copied()
            .filter(|day| {
                cannot_travel
                    || profile.unavailable.iter().any(|range| range.contains(*day))
                    || booked.is_some_and(|days| days.contains(day))
            })
            .collect()
    }

    fn name_of(&self, id: &ReviewerId) -> String {
        self.pool
            .iter()
            .find(|m| m.id.to_string() == id.as_str())
            .map(|m| m.profile.name.as_str().to_owned())
            .unwrap_or_else(|| id.to_string())
    }

    fn member(&self, id: &ReviewerId) -> Option<&PoolMember> {
        self.pool.iter().find(|m| m.id.to_string() == id.as_str())
    }

    fn host_name(&self) -> String {
        self.words.authority(self.challenge.authority.as_str())
    }

    /// Where someone comes from, in words: "Leicestershire, about 30 km away".
    fn home_words(&self, member: &PoolMember, travel: Option<u32>) -> String {
        match &member.profile.home {
            HomeArea::Authority(slug) => match travel {
                Some(km) if km > 0 => {
                    format!(
                        "{}, about {km} km away",
                        self.words.authority(slug.as_str())
                    )
                }
                _ => self.words.authority(slug.as_str()),
            },
            HomeArea::OutsideRegion(region) => format!("from outside the region ({region})"),
        }
    }

    /// Why the engine chose someone, in plain words with theme names.
    fn chosen_words(&self, id: &ReviewerId, reasons: &matching::MemberReasons) -> String {
        let Some(member) = self.member(id) else {
            return reasons.summary.clone();
        };
        let mut parts = vec![self.home_words(member, Some(reasons.travel))];
        if !reasons.covers_themes.is_empty() {
            let themes: Vec<String> = reasons
                .covers_themes
                .iter()
                .map(|t| self.words.theme(t.as_str()))
                .collect();
            parts.push(format!("knows {} well", join_words(&themes)));
        } else if reasons.depth > 0 {
            parts.push("knows something of the challenge's themes".to_owned());
        }
        parts.push(format!(
            "this would be challenge {} of the {} they offer this year",
            reasons.load_after, reasons.max_per_year
        ));
        let past = self
            .bookings
            .past_challenges
            .get(&member.id)
            .copied()
            .unwrap_or(0);
        parts.push(match past {
            0 => "new to reviewing".to_owned(),
            1 => "has sat on a challenge before".to_owned(),
            n => format!("has sat on {n} challenges before"),
        });
        sentence(&parts.join("; "))
    }

    /// Why someone on the alternates list is not on the team, and whether they could be.
    fn alternate_words(&self, alternate: &matching::Alternate) -> (String, bool) {
        use matching::NotChosen;
        let Some(member) = self.member(&alternate.reviewer) else {
            return (alternate.explanation.clone(), true);
        };
        let host = self.host_name();
        let home = self.home_words(member, None);
        let ruled_out = |why: String| (sentence(&format!("{home}: {why}")), false);
        match &alternate.reason {
            NotChosen::WeakerMatch { by } => (
                sentence(&format!("{home}: could sit here, but {}", weaker_words(by))),
                true,
            ),
            NotChosen::Unavailable { date } => ruled_out(self.away_words(member, *date)),
            NotChosen::OwnAuthority => ruled_out(format!("works in {host}")),
            NotChosen::DeclaredConflict { .. } => {
                ruled_out(format!("has declared a conflict with {host}"))
            }
            NotChosen::SameNhsBoard => ruled_out(format!("works for {host}'s NHS board")),
            NotChosen::Untrained => {
                ruled_out("is not yet trained, and this is not a shadowing seat".to_owned())
            }
            NotChosen::Declined => ruled_out("declined this challenge".to_owned()),
            NotChosen::LoadCap { max_per_year } => ruled_out(format!(
                "has already taken the {max_per_year} challenges they offer this year"
            )),
            NotChosen::BookedElsewhere { .. } => {
                ruled_out("is booked on another challenge on these days".to_owned())
            }
            NotChosen::AuthorityLimit { authority } => ruled_out(format!(
                "the team already has {} from {}, the most from one area",
                self.max_per_authority,
                self.words.authority(authority.as_str())
            )),
            NotChosen::AlreadyOnTeam => {
                ruled_out("already holds another seat on this team".to_owned())
            }
        }
    }

    /// The engine only knows a day someone cannot do; say which of our reasons it is.
    fn away_words(&self, member: &PoolMember, day: NaiveDate) -> String {
        let profile = &member.profile;
        let host = self.host_name();
        if self.challenge.format == VisitFormat::OnSite && profile.online_only {
            return "takes part online only".to_owned();
        }
        if self.challenge.format == VisitFormat::OnSite
            && !profile.travel_to.is_empty()
            && !profile.travel_to.contains(&self.challenge.authority)
        {
            return format!("does not travel to {host}");
        }
        if self
            .bookings
            .booked_days
            .get(&member.id)
            .is_some_and(|days| days.contains(&day))
        {
            return format!("is booked on another challenge on {}", long_date(day));
        }
        format!("has said they are unavailable on {}", long_date(day))
    }

    fn composed(&self, solved: Solved) -> Composed {
        let mut seats = Vec::new();
        let mut proposal = Proposal {
            quality: solved.quality,
            unfilled: solved
                .unfilled
                .iter()
                .map(|(group, _)| self.unfilled_words(*group))
                .collect(),
            ..Proposal::default()
        };
        let team = solved.solution.teams.into_iter().next();
        for seat in team.map(|t| t.seats).unwrap_or_default() {
            let Some((role, shadowing, _)) = self.groups.get(seat.seat).copied() else {
                continue;
            };
            let person = |id: &ReviewerId, why: String, eligible: bool| ProposedPerson {
                member: id.to_string(),
                name: self.name_of(id),
                why,
                eligible,
            };
            let mut members = Vec::new();
            for member in &seat.members {
                let why = self.chosen_words(&member.reviewer, &member.why);
                if !member.pinned
                    && let Ok(id) = member.reviewer.as_str().parse::<PoolMemberId>()
                {
                    seats.push(NewTeamMember {
                        member: id,
                        seat_role: role,
                        shadowing,
                        reasons: why.clone(),
                    });
                }
                members.push(person(&member.reviewer, why, true));
            }
            let mut alternates: Vec<ProposedPerson> = seat
                .alternates
                .iter()
                .map(|a| {
                    let (why, eligible) = self.alternate_words(a);
                    person(&a.reviewer, why, eligible)
                })
                .collect();
            // Those who could sit here first, in the engine's order; then the others.
            alternates.sort_by_key(|a| !a.eligible);
            proposal.seats.push(ProposedSeat {
                role: role.code().to_owned(),
                role_label: role.label().to_owned(),
                shadowing,
                members,
                alternates,
            });
        }
        Composed { seats, proposal }
    }

    /// The people of the pool who could ever fill a seat of this role, trained or not.
    fn of_role(&self, role: SeatRole) -> Vec<&PoolMember> {
        self.pool
            .iter()
            .filter(|m| m.status == PoolStatus::Active && role.fits(m.profile.reviewer_type))
            .filter(|m| {
                role != SeatRole::LeadReviewer
                    || can_lead(m.profile.reviewer_type, true, 1, &m.profile.experience)
            })
            .collect()
    }

    /// The first of our rules that keeps someone out of a seat on this challenge, in words;
    /// `None` when they could sit there.
    fn ruled_out(&self, member: &PoolMember, shadowing: bool) -> Option<Reason> {
        let profile = &member.profile;
        let host = &self.challenge.authority;
        if !shadowing && !member.is_trained() {
            return Some(Reason::Untrained);
        }
        if profile.home == HomeArea::Authority(host.clone()) {
            return Some(Reason::FromHost);
        }
        if profile.conflicts.iter().any(|(slug, _)| slug == host) {
            return Some(Reason::Conflict);
        }
        if self.team.iter().any(|m| {
            m.member == member.id
                && matches!(
                    m.status,
                    MemberStatus::Declined | MemberStatus::ConflictDeclared | MemberStatus::Removed
                )
        }) {
            return Some(Reason::Declined);
        }
        if self.challenge.format == VisitFormat::OnSite
            && (profile.online_only
                || (!profile.travel_to.is_empty() && !profile.travel_to.contains(host)))
        {
            return Some(Reason::DoesNotTravel);
        }
        let booked = self.bookings.booked_days.get(&member.id);
        if let Some(day) = self
            .challenge
            .visit_days
            .iter()
            .find(|day| booked.is_some_and(|days| days.contains(day)))
        {
            return Some(Reason::Booked(*day));
        }
        if let Some(day) = self.challenge.visit_days.iter().find(|day| {
            profile
                .unavailable
                .iter()
                .any(|range| range.contains(**day))
        }) {
            return Some(Reason::Away(*day));
        }
        let load = self
            .bookings
            .load_this_year
            .get(&member.id)
            .copied()
            .unwrap_or(0);
        if load >= u32::from(profile.max_per_year) {
            return Some(Reason::AtCap);
        }
        None
    }

    /// A seat the engine could not fill: the counts behind it, each rule in turn, and what
    /// would help, in the project manager's words.
    fn unfilled_words(&self, group: usize) -> UnfilledSeat {
        let Some((role, shadowing, need)) = self.groups.get(group).copied() else {
            return UnfilledSeat {
                role_label: String::new(),
                message: "A seat cannot be filled.".to_owned(),
                relax: Vec::new(),
                help: Vec::new(),
            };
        };
        let host = self.host_name();
        let days = long_dates(&self.challenge.visit_days);
        let noun = role_noun(role);
        let people = self.of_role(role);
        let mut counts: BTreeMap<Reason, usize> = BTreeMap::new();
        let mut eligible = 0usize;
        let mut would_travel = Vec::new();
        for member in &people {
            match self.ruled_out(member, shadowing) {
                None => eligible += 1,
                Some(reason) => {
                    if reason == Reason::DoesNotTravel && !member.profile.online_only {
                        would_travel.push(*member);
                    }
                    *counts.entry(reason).or_default() += 1;
                }
            }
        }
        let untrained = counts.get(&Reason::Untrained).copied().unwrap_or(0);
        let candidates = people.len() - untrained;
        let mut facts = vec![if shadowing {
            format!(
                "{} {} in the pool",
                count(people.len(), &noun),
                are(people.len())
            )
        } else {
            format!("{} {} trained", count(candidates, &noun), are(candidates))
        }];
        for (reason, n) in &counts {
            let n = *n;
            let fact = match reason {
                Reason::Untrained => continue,
                Reason::FromHost => format!("{n} {} from {host}", are(n)),
                Reason::Conflict => format!("{n} {} declared a conflict with {host}", have(n)),
                Reason::Declined => format!("{n} declined this challenge"),
                Reason::DoesNotTravel => format!("{n} {} not travel there", do_(n)),
                Reason::Booked(day) => {
                    format!(
                        "{n} {} booked on another challenge on {}",
                        are(n),
                        long_date(*day)
                    )
                }
                Reason::Away(day) => format!(
                    "{n} {} said they are unavailable on {}",
                    have(n),
                    long_date(*day)
                ),
                Reason::AtCap => format!(
                    "{n} {} already taken all the challenges they offer this year",
                    have(n)
                ),
            };
            facts.push(fact);
        }
        let headline = if eligible == 0 {
            format!("No {noun} can take this seat on {days}.")
        } else {
            format!(
                "Only {} can take the {need} {noun} seats on {days}.",
                count(eligible, &noun)
            )
        };
        let message = format!("{headline} {}.", capitalise(&facts.join("; ")));
        let mut help = Vec::new();
        let date_blocked = counts
            .keys()
            .any(|r| matches!(r, Reason::Booked(_) | Reason::Away(_)));
        if date_blocked {
            help.push(Help {
                text: "Try other dates: some people are busy on these days".to_owned(),
                href: Some(what_if_href(&self.challenge.authority, self.challenge.kind)),
                act: None,
            });
        }
        if !shadowing && untrained > 0 {
            help.push(Help {
                text: format!(
                    "Make it a shadowing seat: {} not yet trained could shadow",
                    count(untrained, &noun)
                ),
                href: None,
                act: Some(HelpAct::ShadowSeat {
                    role: role.code().to_owned(),
                }),
            });
        }
        // Whom to ask first: people otherwise free who do not list the host among the
        // places they travel to, nearest first.
        let travel = east_midlands_travel();
        would_travel.retain(|m| self.ruled_out_ignoring_travel(m, shadowing));
        would_travel.sort_by_key(|m| {
            let from = match &m.profile.home {
                HomeArea::Authority(slug) => slug.as_str().to_owned(),
                HomeArea::OutsideRegion(_) => String::new(),
            };
            travel.cost(
                &AuthorityId::new(from),
                &AuthorityId::new(self.challenge.authority.as_str()),
            )
        });
        for member in would_travel.iter().take(3) {
            help.push(Help {
                text: format!(
                    "Ask {} ({}) to add {host} to the places they travel to",
                    member.profile.name,
                    self.home_words(member, None)
                ),
                href: Some(format!("/pool/members/{}", member.id)),
                act: Some(HelpAct::AskToTravel {
                    member: member.id.to_string(),
                    name: member.profile.name.to_string(),
                }),
            });
        }
        if help.is_empty() {
            help.push(Help {
                text: format!("Recruit or train another {noun} from outside {host}"),
                href: Some("/pool".to_owned()),
                act: None,
            });
        }
        UnfilledSeat {
            role_label: role.label().to_owned(),
            message,
            relax: Vec::new(),
            help,
        }
    }

    /// Whether travel is all that keeps someone out.
    fn ruled_out_ignoring_travel(&self, member: &PoolMember, shadowing: bool) -> bool {
        let mut profile = member.profile.clone();
        profile.travel_to.clear();
        profile.online_only = false;
        let freed = PoolMember {
            profile,
            ..member.clone()
        };
        self.ruled_out(&freed, shadowing).is_none()
    }

    /// No team at all, for a reason that is not one seat's: in words, with whom to ask.
    fn no_team_words(&self, infeasible: &matching::Infeasibility) -> String {
        let host = self.host_name();
        let days = long_dates(&self.challenge.visit_days);
        let limited = infeasible
            .reasons
            .iter()
            .any(|d| d.rule == matching::BindingRule::AuthorityLimit);
        if limited {
            let mut areas: Vec<String> = Vec::new();
            for (role, shadowing, _) in &self.groups {
                for member in self.of_role(*role) {
                    if self.ruled_out(member, *shadowing).is_none() {
                        let area = self.home_words(member, None);
                        if !areas.contains(&area) {
                            areas.push(area);
                        }
                    }
                }
            }
            areas.sort();
            let size: u32 = self.groups.iter().map(|(_, _, n)| n).sum();
            let most = self.max_per_authority;
            let from = if areas.is_empty() {
                "nowhere".to_owned()
            } else {
                join_words(&areas)
            };
            return format!(
                "A team of {size} for {host} on {days} needs people from several areas, as no more than {most} may come from one area, but everyone who could sit on it comes from {from}. Ask people from other areas to add {host} to the places they travel to, or try other dates."
            );
        }
        format!(
            "No team can be formed for {host} on {days}: the people who could sit on it are booked or have taken all the challenges they offer. Try other dates, or add people to the pool."
        )
    }
}

/// The people a project manager may put in a seat by hand, the ones who could sit there
/// first (nearest, then least loaded) with their home, load and travel, then the others with
/// the rule that rules them out, rather than a list of the whole pool.
#[derive(Debug)]
pub struct SeatPicker {
    challenge: ChallengeRecord,
    team: Vec<TeamMember>,
    pool: Vec<PoolMember>,
    bookings: Bookings,
    boards: HashMap<String, String>,
    words: Words,
}

/// One choice in a seat's picker.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeatOption {
    pub member: PoolMemberId,
    pub text: String,
    pub eligible: bool,
}

impl SeatPicker {
    pub async fn load(
        store: &Store,
        challenge: &ChallengeRecord,
        team: &[TeamMember],
        today: NaiveDate,
    ) -> Result<Self, CompositionError> {
        let pool = store
            .search_pool(&PoolFilter {
                status: Some(PoolStatus::Active),
                ..PoolFilter::default()
            })
            .await?;
        let boards = store
            .authorities()
            .await?
            .into_iter()
            .map(|a| (a.slug.as_str().to_owned(), a.nhs_board))
            .collect();
        Ok(Self {
            challenge: challenge.clone(),
            team: team.to_vec(),
            pool,
            bookings: store.bookings(challenge.id, today).await?,
            boards,
            words: Words::load(store).await?,
        })
    }

    /// The choices for a seat of `role`, best first.
    pub fn options(&self, role: SeatRole, shadowing: bool) -> Vec<SeatOption> {
        let mut input = EngineInput::new(
            &self.challenge,
            &self.team,
            &self.pool,
            &self.bookings,
            &self.boards,
            false,
        );
        input.words = Words {
            authorities: self.words.authorities.clone(),
            themes: HashMap::new(),
        };
        let travel = east_midlands_travel();
        let host = AuthorityId::new(self.challenge.authority.as_str());
        let mut ranked: Vec<(bool, u32, u32, SeatOption)> = input
            .of_role(role)
            .into_iter()
            .filter(|m| {
                !self
                    .team
                    .iter()
                    .any(|t| t.member == m.id && t.status.holds_seat())
            })
            .map(|m| {
                let km = match &m.profile.home {
                    HomeArea::Authority(slug) => {
                        travel.cost(&AuthorityId::new(slug.as_str()), &host)
                    }
                    HomeArea::OutsideRegion(_) => travel.default_cost,
                };
                let load = self
                    .bookings
                    .load_this_year
                    .get(&m.id)
                    .copied()
                    .unwrap_or(0);
                let home = input.home_words(m, Some(km));
                let (text, eligible) = match input.ruled_out(m, shadowing) {
                    None => (
                        format!(
                            "{}: {home}; {load} of {} challenges this year",
                            m.profile.name, m.profile.max_per_year
                        ),
                        true,
                    ),
                    Some(reason) => (
                        format!(
                            "{}: cannot sit here, {}",
                            m.profile.name,
                            input.reason_words(reason)
                        ),
                        false,
                    ),
                };
                (
                    !eligible,
                    if eligible { km } else { 0 },
                    load,
                    SeatOption {
                        member: m.id,
                        text,
                        eligible,
                    },
                )
            })
            .collect();
        ranked.sort_by(|a, b| (a.0, a.1, a.2, &a.3.text).cmp(&(b.0, b.1, b.2, &b.3.text)));
        ranked.into_iter().map(|(_, _, _, option)| option).collect()
    }
}

impl EngineInput<'_> {
    /// One of our rules, about one person, in words.
    fn reason_words(&self, reason: Reason) -> String {
        let host = self.host_name();
        match reason {
            Reason::Untrained => "not yet trained".to_owned(),
            Reason::FromHost => format!("works in {host}"),
            Reason::Conflict => format!("has declared a conflict with {host}"),
            Reason::Declined => "declined this challenge".to_owned(),
            Reason::DoesNotTravel => format!("does not travel to {host}"),
            Reason::Booked(day) => format!("booked on another challenge on {}", long_date(day)),
            Reason::Away(day) => format!("unavailable on {}", long_date(day)),
            Reason::AtCap => "has taken all the challenges they offer this year".to_owned(),
        }
    }
}

/// Why someone cannot take a seat, in the order our checks run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Reason {
    Untrained,
    FromHost,
    Conflict,
    Declined,
    DoesNotTravel,
    Booked(NaiveDate),
    Away(NaiveDate),
    AtCap,
}

/// "parent carer", "local authority officer": the seat's people, for sentences.
fn role_noun(role: SeatRole) -> String {
    match role {
        SeatRole::LeadReviewer => "possible lead reviewer".to_owned(),
        SeatRole::Health => "health professional".to_owned(),
        other => other.label().to_lowercase(),
    }
}

fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn are(n: usize) -> &'static str {
    if n == 1 { "is" } else { "are" }
}

fn have(n: usize) -> &'static str {
    if n == 1 { "has" } else { "have" }
}

fn do_(n: usize) -> &'static str {
    if n == 1 { "does" } else { "do" }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().collect::<String>() + chars.as_str()
    })
}

/// A clause as a sentence: capitalised, with a full stop.
fn sentence(text: &str) -> String {
    let text = capitalise(text.trim());
    if text.ends_with('.') {
        text
    } else {
        format!("{text}.")
    }
}

/// "a, b and c".
fn join_words(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn long_date(day: NaiveDate) -> String {
    day.format("%-d %B %Y").to_string()
}

fn long_dates(days: &[NaiveDate]) -> String {
    let parts: Vec<String> = days.iter().map(|d| long_date(*d)).collect();
    join_words(&parts)
}

/// The engine's "weaker by" in words: what the team would lose with this person instead.
fn weaker_words(by: &str) -> String {
    let number = by
        .split(|c: char| !c.is_ascii_digit())
        .find(|part| !part.is_empty())
        .unwrap_or("");
    if by.contains("change(s) to the previous team") {
        "the team would change more than it needs to".to_owned()
    } else if by.contains("left without a strong member") {
        "the team would have fewer of the challenge's themes covered by someone who knows them well"
            .to_owned()
    } else if by.contains("depth point") {
        "the team would know the challenge's themes less well".to_owned()
    } else if by.contains("spread of work") {
        "they have more challenges this year, so the work would be shared less fairly".to_owned()
    } else if by.contains("more travel") {
        format!("the team would travel about {number} km further")
    } else if by.contains("new reviewer without an experienced one") {
        "a new reviewer would be left without an experienced one".to_owned()
    } else if by.contains("equally good") {
        "the engine's choice is just as good".to_owned()
    } else if by.contains("whole schedule") {
        "the engine's choice fits its other challenges better".to_owned()
    } else {
        by.to_owned()
    }
}

fn expertise(level: ExpertiseLevel) -> Expertise {
    match level {
        ExpertiseLevel::Some => Expertise::Some,
        ExpertiseLevel::Strong => Expertise::Strong,
        ExpertiseLevel::Specialist => Expertise::Specialist,
    }
}

/// The engine's solution, the seat groups it had to leave a seat empty in (one entry per
/// seat) and how good the answer is.
struct Solved {
    solution: matching::Solution,
    unfilled: Vec<(usize, matching::Diagnosis)>,
    quality: String,
}

/// Why solving gave no team at all.
enum Failure {
    NoTeam(matching::Infeasibility),
    Engine(String),
}

/// Solve; when a seat cannot be filled, record the engine's diagnosis, take that one seat
/// out and solve again, so the proposal fills everything that can be filled.
fn solve_filling_what_can_be(mut problem: Problem) -> Result<Solved, Failure> {
    let mut unfilled = Vec::new();
    for _ in 0..=MAX_UNFILLED_RETRIES {
        match matching::solve(&problem) {
            Ok(solution) => {
                let quality = if solution.proof.gap <= 0.0 {
                    "The engine proved this team is the best possible.".to_owned()
                } else {
                    format!(
                        "The engine's best team within its time limit, at most {:.1}% from the best possible.",
                        solution.proof.gap * 100.0
                    )
                };
                return Ok(Solved {
                    solution,
                    unfilled,
                    quality,
                });
            }
            Err(SolveError::Infeasible(infeasible)) => {
                let Some(seat) = drop_one_seat(&mut problem, &infeasible) else {
                    return Err(Failure::NoTeam(infeasible));
                };
                unfilled.push(seat);
            }
            Err(other) => return Err(Failure::Engine(other.to_string())),
        }
    }
    Err(Failure::Engine("too many seats cannot be filled".into()))
}

/// Take one seat of the first diagnosed seat group out of the problem, returning the group
/// and its diagnosis.
fn drop_one_seat(
    problem: &mut Problem,
    infeasible: &matching::Infeasibility,
) -> Option<(usize, matching::Diagnosis)> {
    let challenge = problem.challenges.first_mut()?;
    let diagnosis = infeasible.reasons.iter().find(|d| d.seat.is_some())?;
    let index = diagnosis.seat?;
    let seat = challenge.seats.get_mut(index)?;
    if seat.count == 0 {
        return None;
    }
    seat.count -= 1;
    Some((index, diagnosis.clone()))
}

/// Rough centres of the region's authorities, so "less travel" means fewer kilometres. An
/// authority outside the list costs the engine's default.
fn east_midlands_travel() -> Travel {
    const CENTRES: [(&str, f64, f64); 10] = [
        ("derby", 52.9225, -1.4746),
        ("derbyshire", 53.1380, -1.5550),
        ("leicester", 52.6369, -1.1398),
        ("leicestershire", 52.6480, -1.2070),
        ("lincolnshire", 53.2307, -0.5406),
        ("nottingham", 52.9548, -1.1581),
        ("nottinghamshire", 52.9300, -1.1270),
        ("rutland", 52.6700, -0.7270),
        ("north-northamptonshire", 52.3990, -0.7250),
        ("west-northamptonshire", 52.2405, -0.9027),
    ];
    Travel {
        coordinates: CENTRES
            .iter()
            .map(|(slug, lat, lon)| {
                (
                    AuthorityId::new(*slug),
                    Coordinates {
                        lat: *lat,
                        lon: *lon,
                    },
                )
            })
            .collect(),
        ..Travel::default()
    }
}

/// The people a project manager may put in a seat by hand: active, the right type, not from
/// the host authority. The engine's full rules are checked on the result.
pub fn fits_seat(member: &PoolMember, role: SeatRole, host: &AuthoritySlug) -> bool {
    role.fits(member.profile.reviewer_type)
        && member.status == PoolStatus::Active
        && member.profile.home != HomeArea::Authority(host.clone())
}

/// The engine's hard rules checked on the team as it stands (after a swap or an addition by
/// hand), as sentences naming people rather than ids. Empty when every rule holds.
pub async fn check_team(
    store: &Store,
    challenge: &ChallengeRecord,
    team: &[TeamMember],
    today: NaiveDate,
    max_per_authority: u32,
) -> Result<Vec<String>, CompositionError> {
    let pool = store.search_pool(&PoolFilter::default()).await?;
    let bookings = store.bookings(challenge.id, today).await?;
    let boards: HashMap<String, String> = store
        .authorities()
        .await?
        .into_iter()
        .map(|a| (a.slug.as_str().to_owned(), a.nhs_board))
        .collect();
    // Members on the team count as neither pinned nor declined here: the check is of them.
    let current: Vec<TeamMember> = team
        .iter()
        .filter(|m| m.status.holds_seat())
        .cloned()
        .collect();
    let mut input = EngineInput::new(challenge, &[], &pool, &bookings, &boards, false);
    input.max_per_authority = max_per_authority;
    input.words = Words::load(store).await?;
    let problem = input.problem();
    let engine_team = matching::Team {
        challenge: EngineChallenge::new(challenge.id.to_string()),
        seats: input
            .groups
            .iter()
            .enumerate()
            .map(|(index, (role, shadowing, _))| matching::SeatTeam {
                seat: index,
                role: Role::new(role.code()),
                shadowing: *shadowing,
                members: current
                    .iter()
                    .filter(|m| input.group_of(m.seat_role, m.shadowing) == Some(index))
                    .map(|m| matching::Member {
                        reviewer: ReviewerId::new(m.member.to_string()),
                        pinned: false,
                        why: no_reasons(),
                    })
                    .collect(),
                alternates: Vec::new(),
            })
            .collect(),
        uncovered_themes: Vec::new(),
        changes: 0,
    };
    let engine_id = challenge.id.to_string();
    Ok(matching::check_teams(&problem, &[engine_team])
        .into_iter()
        .map(|violation| input.violation_words(&violation, &engine_id))
        .collect())
}

impl EngineInput<'_> {
    /// A broken rule as the project manager says it, naming people and places.
    fn violation_words(&self, violation: &matching::Violation, engine_id: &str) -> String {
        use matching::Violation as V;
        let who = |id: &ReviewerId| self.name_of(id);
        let host = self.host_name();
        let seat = |index: usize| {
            self.groups.get(index).map_or_else(
                || "a".to_owned(),
                |(role, shadowing, _)| {
                    format!(
                        "the {}{}",
                        role.label().to_lowercase(),
                        if *shadowing { " (shadowing)" } else { "" }
                    )
                },
            )
        };
        match violation {
            V::SeatNotFilled {
                seat: index,
                expected,
                actual,
                ..
            } => {
                let missing = expected.saturating_sub(*actual);
                format!(
                    "{} seat needs {missing} more {}",
                    capitalise(&seat(*index)),
                    if missing == 1 { "person" } else { "people" }
                )
            }
            V::NotQualified { reviewer, role, .. } => format!(
                "{} cannot sit in a {} seat",
                who(reviewer),
                SeatRole::parse(role.as_str())
                    .map_or_else(|| role.to_string(), |r| r.label().to_lowercase())
            ),
            V::SeatedTwice { reviewer, .. } => {
                format!("{} holds more than one seat on this team", who(reviewer))
            }
            V::OwnAuthority { reviewer, .. } => {
                format!(
                    "{} works in {host}, the area being challenged",
                    who(reviewer)
                )
            }
            V::DeclaredConflict { reviewer, .. } => {
                format!("{} has declared a conflict with {host}", who(reviewer))
            }
            V::SameNhsBoard { reviewer, .. } => {
                format!("{} works for {host}'s NHS board", who(reviewer))
            }
            V::Unavailable { reviewer, date, .. } => match self.member(reviewer) {
                Some(member) => format!("{} {}", who(reviewer), self.away_words(member, *date)),
                None => format!("{} cannot come on {}", who(reviewer), long_date(*date)),
            },
            V::OverlappingBookings { reviewer, .. } => format!(
                "{} is booked on another challenge on these days",
                who(reviewer)
            ),
            V::OverLoadCap {
                reviewer,
                load,
                max,
                ..
            } => format!(
                "{} would have {load} challenges this year, more than the {max} they offer",
                who(reviewer)
            ),
            V::Untrained {
                reviewer,
                seat: index,
                ..
            } => format!(
                "{} is not yet trained, and {} seat is not a shadowing seat",
                who(reviewer),
                seat(*index)
            ),
            V::TooManyFromAuthority {
                authority,
                count,
                max,
                ..
            } => format!(
                "{count} members come from {}, more than the {max} allowed from one area",
                self.words.authority(authority.as_str())
            ),
            V::Declined { reviewer, .. } => format!("{} declined this challenge", who(reviewer)),
            other => other
                .to_string()
                .replace(&format!(" (challenge {engine_id})"), "")
                .replace(&format!(" on challenge {engine_id}"), "")
                .replace(&format!("challenge {engine_id}"), "this challenge"),
        }
    }
}

fn no_reasons() -> matching::MemberReasons {
    matching::MemberReasons {
        covers_themes: Vec::new(),
        depth: 0,
        load_after: 0,
        max_per_year: 0,
        travel: 0,
        new_reviewer: false,
        experienced: false,
        summary: String::new(),
    }
}

/// How the team as it stands, changed by hand, compares with the engine's proposal for the
/// same challenge: once someone swaps, adds or removes a member, "the engine proved this team
/// is the best possible" is no longer true of it, so the page says what the change costs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Comparison {
    /// Each seat that differs, in words.
    pub seats: Vec<String>,
    /// Themes the engine's team knew well and this one does not, and the reverse.
    pub themes: Vec<String>,
    /// The travel and the load, each against the engine's team.
    pub travel: String,
    pub load: String,
}

/// The comparison, or `None` while the team holds exactly the engine's people (or there is no
/// proposal to compare with).
pub async fn compare_with_engine(
    store: &Store,
    challenge: &ChallengeRecord,
    team: &[TeamMember],
    proposal: &Proposal,
    today: NaiveDate,
) -> Result<Option<Comparison>, store::StoreError> {
    let engine: Vec<(String, &str, &str)> = proposal
        .seats
        .iter()
        .flat_map(|seat| {
            seat.members
                .iter()
                .map(move |p| (p.member.clone(), p.name.as_str(), seat.role_label.as_str()))
        })
        .collect();
    if engine.is_empty() {
        return Ok(None);
    }
    let seated: Vec<&TeamMember> = team.iter().filter(|m| m.status.holds_seat()).collect();
    let mut engine_ids: Vec<&str> = engine.iter().map(|(id, _, _)| id.as_str()).collect();
    let mut seated_ids: Vec<String> = seated.iter().map(|m| m.member.to_string()).collect();
    engine_ids.sort_unstable();
    seated_ids.sort();
    if engine_ids == seated_ids {
        return Ok(None);
    }
    let mut seats = Vec::new();
    for (id, name, role) in &engine {
        if !seated_ids.contains(id) {
            seats.push(format!(
                "The engine put {name} in a {} seat; they are not on the team now",
                role.to_lowercase()
            ));
        }
    }
    for member in &seated {
        if !engine_ids.contains(&member.member.to_string().as_str()) {
            seats.push(format!(
                "{} is in a {} seat the engine did not give them",
                member.name,
                member.seat_role.label().to_lowercase()
            ));
        }
    }
    let words = Words::load(store).await?;
    let bookings = store.bookings(challenge.id, today).await?;
    let mut profiles: HashMap<String, PoolMember> = HashMap::new();
    for id in engine_ids
        .iter()
        .copied()
        .chain(seated_ids.iter().map(String::as_str))
    {
        if profiles.contains_key(id) {
            continue;
        }
        if let Some(member) = match id.parse::<PoolMemberId>() {
            Ok(parsed) => store.pool_member(parsed).await?,
            Err(_) => None,
        } {
            profiles.insert(id.to_owned(), member);
        }
    }
    let of = |ids: &[&str]| -> Vec<&PoolMember> {
        ids.iter().filter_map(|id| profiles.get(*id)).collect()
    };
    let engine_team = of(&engine_ids);
    let seated_refs: Vec<&str> = seated_ids.iter().map(String::as_str).collect();
    let this_team = of(&seated_refs);

    let mut codes: Vec<&domain::ThemeCode> = challenge
        .kloes
        .iter()
        .flat_map(|k| k.themes.iter())
        .collect();
    codes.sort();
    codes.dedup();
    let knows = |people: &[&PoolMember], code: &domain::ThemeCode| {
        people.iter().any(|m| {
            m.profile
                .expertise
                .iter()
                .any(|(c, level)| c == code && *level >= ExpertiseLevel::Strong)
        })
    };
    let mut themes = Vec::new();
    for code in codes {
        let label = words.theme(code.as_str());
        match (knows(&engine_team, code), knows(&this_team, code)) {
            (true, false) => themes.push(format!(
                "Theme lost: {label}. Someone on the engine's team knew it well; nobody on this team does"
            )),
            (false, true) => themes.push(format!(
                "Theme gained: {label}. Someone on this team knows it well; nobody on the engine's team did"
            )),
            _ => {}
        }
    }

    let travel = east_midlands_travel();
    let host = AuthorityId::new(challenge.authority.as_str());
    let km = |people: &[&PoolMember]| -> u32 {
        people
            .iter()
            .map(|m| match &m.profile.home {
                HomeArea::Authority(slug) => travel.cost(&AuthorityId::new(slug.as_str()), &host),
                HomeArea::OutsideRegion(_) => travel.default_cost,
            })
            .sum()
    };
    let (engine_km, this_km) = (km(&engine_team), km(&this_team));
    let travel = match this_km.cmp(&engine_km) {
        std::cmp::Ordering::Greater => format!(
            "The team travels about {} km further in all than the engine's ({this_km} km against {engine_km} km)",
            this_km - engine_km
        ),
        std::cmp::Ordering::Less => format!(
            "The team travels about {} km less in all than the engine's ({this_km} km against {engine_km} km)",
            engine_km - this_km
        ),
        std::cmp::Ordering::Equal => {
            format!("The team travels as far as the engine's ({this_km} km in all)")
        }
    };
    let load = |people: &[&PoolMember]| -> u32 {
        people
            .iter()
            .map(|m| bookings.load_this_year.get(&m.id).copied().unwrap_or(0))
            .sum()
    };
    let (engine_load, this_load) = (load(&engine_team), load(&this_team));
    let load = match this_load.cmp(&engine_load) {
        std::cmp::Ordering::Equal => format!(
            "Its members have already taken {} this year, as the engine's had",
            count(this_load as usize, "challenge")
        ),
        _ => format!(
            "Its members have already taken {} this year; the engine's had taken {}",
            count(this_load as usize, "challenge"),
            engine_load
        ),
    };
    Ok(Some(Comparison {
        seats,
        themes,
        travel,
        load,
    }))
}
