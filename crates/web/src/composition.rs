//! Team composition for a challenge: translate the challenge and the active pool into the
//! engine's plain problem, solve it, and turn the answer into seats to save and a proposal to
//! show (each member's reasons, the ranked alternates per seat, and any seat the engine could
//! not fill with its diagnosis). Used by the challenge pages and by the demo seeder.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use domain::challenge::{MemberStatus, SeatRole, VisitFormat, can_lead};
use domain::pool::{ExpertiseLevel, HomeArea, MemberStatus as PoolStatus};
use domain::{AuthoritySlug, PoolMemberId};
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

/// A person with the engine's words about them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposedPerson {
    pub member: String,
    pub name: String,
    pub why: String,
}

/// A seat nobody can fill, with the rule that binds and what would relax it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnfilledSeat {
    pub role_label: String,
    pub message: String,
    pub relax: Vec<String>,
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
/// Members from one authority on one team.
const MAX_PER_AUTHORITY: u32 = 2;
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
    let input = EngineInput::new(challenge, team, &pool, &bookings, &boards, minimise_changes);
    let problem = input.problem();
    let solved = tokio::task::spawn_blocking(move || solve_filling_what_can_be(problem))
        .await
        .map_err(|e| CompositionError::Engine(e.to_string()))??;
    Ok(input.composed(solved))
}

/// The translated input, with what is needed to translate the answer back.
struct EngineInput<'a> {
    challenge: &'a ChallengeRecord,
    team: &'a [TeamMember],
    pool: &'a [PoolMember],
    bookings: &'a Bookings,
    boards: &'a HashMap<String, String>,
    minimise_changes: bool,
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
                max_per_authority: Some(MAX_PER_AUTHORITY),
                time_limit_seconds: TIME_LIMIT_SECONDS,
                seed: 1,
                previous,
                ..Options::default()
            },
            authority_names: BTreeMap::new(),
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

    fn composed(&self, solved: Solved) -> Composed {
        let mut seats = Vec::new();
        let mut proposal = Proposal {
            quality: solved.quality,
            unfilled: solved.unfilled,
            ..Proposal::default()
        };
        let team = solved.solution.teams.into_iter().next();
        for seat in team.map(|t| t.seats).unwrap_or_default() {
            let Some((role, shadowing, _)) = self.groups.get(seat.seat).copied() else {
                continue;
            };
            let person = |id: &ReviewerId, why: String| ProposedPerson {
                member: id.to_string(),
                name: self.name_of(id),
                why,
            };
            for member in seat.members.iter().filter(|m| !m.pinned) {
                if let Ok(id) = member.reviewer.as_str().parse::<PoolMemberId>() {
                    seats.push(NewTeamMember {
                        member: id,
                        seat_role: role,
                        shadowing,
                        reasons: member.why.summary.clone(),
                    });
                }
            }
            proposal.seats.push(ProposedSeat {
                role: role.code().to_owned(),
                role_label: role.label().to_owned(),
                shadowing,
                members: seat
                    .members
                    .iter()
                    .map(|m| person(&m.reviewer, m.why.summary.clone()))
                    .collect(),
                alternates: seat
                    .alternates
                    .iter()
                    .map(|a| person(&a.reviewer, a.explanation.clone()))
                    .collect(),
            });
        }
        Composed { seats, proposal }
    }
}

fn expertise(level: ExpertiseLevel) -> Expertise {
    match level {
        ExpertiseLevel::Some => Expertise::Some,
        ExpertiseLevel::Strong => Expertise::Strong,
        ExpertiseLevel::Specialist => Expertise::Specialist,
    }
}

/// The engine's solution, the seats it had to leave empty and how good the answer is.
struct Solved {
    solution: matching::Solution,
    unfilled: Vec<UnfilledSeat>,
    quality: String,
}

/// Solve; when a seat cannot be filled, record the engine's diagnosis, take that one seat
/// out and solve again, so the proposal fills everything that can be filled.
fn solve_filling_what_can_be(mut problem: Problem) -> Result<Solved, CompositionError> {
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
                    return Err(CompositionError::NoTeam(no_team_message(&infeasible)));
                };
                unfilled.push(seat);
            }
            Err(other) => return Err(CompositionError::Engine(other.to_string())),
        }
    }
    Err(CompositionError::Engine(
        "too many seats cannot be filled".into(),
    ))
}

/// The engine's diagnoses as sentences: what binds, and what would relax it.
fn no_team_message(infeasible: &matching::Infeasibility) -> String {
    infeasible
        .reasons
        .iter()
        .map(|d| {
            if d.relax.is_empty() {
                d.message.clone()
            } else {
                format!("{} What would help: {}.", d.message, d.relax.join("; "))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Take one seat of the first diagnosed seat group out of the problem, returning its diagnosis.
fn drop_one_seat(
    problem: &mut Problem,
    infeasible: &matching::Infeasibility,
) -> Option<UnfilledSeat> {
    let challenge = problem.challenges.first_mut()?;
    let diagnosis = infeasible.reasons.iter().find(|d| d.seat.is_some())?;
    let index = diagnosis.seat?;
    let seat = challenge.seats.get_mut(index)?;
    if seat.count == 0 {
        return None;
    }
    seat.count -= 1;
    let role_label = SeatRole::parse(seat.role.as_str())
        .map_or_else(|| seat.role.to_string(), |r| r.label().to_owned());
    Some(UnfilledSeat {
        role_label,
        message: diagnosis.message.clone(),
        relax: diagnosis.relax.clone(),
    })
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
    let input = EngineInput::new(challenge, &[], &pool, &bookings, &boards, false);
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
        .map(|violation| {
            let mut sentence = violation.to_string();
            for member in &pool {
                sentence = sentence.replace(&member.id.to_string(), member.profile.name.as_str());
            }
            sentence
                .replace(&format!(" (challenge {engine_id})"), "")
                .replace(&format!(" on challenge {engine_id}"), "")
                .replace(&format!("challenge {engine_id}"), "this challenge")
        })
        .collect())
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
