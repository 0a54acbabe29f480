//! The team composition problem as the caller states it: challenges with seats, the reviewer pool, travel
//! costs and options. These types are also the documented JSON input format (see `docs/solver.md`).

use crate::ids::{AuthorityId, BoardId, ChallengeId, ReviewerId, Role, ThemeId};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Most KLOE themes one challenge may name; coverage is tracked as a bit set per team.
pub const MAX_THEMES_PER_CHALLENGE: usize = 10;

/// Everything the solver needs: the challenges to staff, the pool, travel costs and options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    pub challenges: Vec<Challenge>,
    pub reviewers: Vec<Reviewer>,
    #[serde(default)]
    pub travel: Travel,
    #[serde(default)]
    pub options: Options,
    /// Display names for authorities used in explanations ("outside Derby"); the ID is used when absent.
    #[serde(default)]
    pub authority_names: BTreeMap<AuthorityId, String>,
}

/// One visit to one local area that needs a team.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Challenge {
    pub id: ChallengeId,
    /// Every day of the visit (one or more).
    pub dates: Vec<NaiveDate>,
    pub host_authority: AuthorityId,
    #[serde(default)]
    pub host_nhs_board: Option<BoardId>,
    /// The KLOE themes; each should be covered by a member with strong or specialist expertise.
    #[serde(default)]
    pub themes: Vec<ThemeId>,
    /// Seat groups: a role, how many of it, and whether untrained shadowing reviewers may sit there.
    pub seats: Vec<Seat>,
    /// Members who already accepted; always kept.
    #[serde(default)]
    pub pinned: Vec<SeatMember>,
    /// Reviewers who declined or dropped out of this challenge and must not be proposed again.
    #[serde(default)]
    pub declined: Vec<ReviewerId>,
}

/// A group of identical seats on a team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seat {
    pub role: Role,
    #[serde(default = "one")]
    pub count: u32,
    /// A shadowing seat may be filled by a reviewer who has not yet been trained.
    #[serde(default)]
    pub shadowing: bool,
}

fn one() -> u32 {
    1
}

/// A reviewer placed in a seat group (by index into `Challenge::seats`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SeatMember {
    pub seat: usize,
    pub reviewer: ReviewerId,
}

/// How much a reviewer knows about a theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Expertise {
    Some,
    Strong,
    Specialist,
}

impl Expertise {
    /// Depth points: some 1, strong 2, specialist 3.
    pub fn points(self) -> u32 {
        match self {
            Expertise::Some => 1,
            Expertise::Strong => 2,
            Expertise::Specialist => 3,
        }
    }

    /// Strong or specialist expertise covers a theme; "some" only adds depth.
    pub fn covers(self) -> bool {
        self >= Expertise::Strong
    }

    pub fn label(self) -> &'static str {
        match self {
            Expertise::Some => "some",
            Expertise::Strong => "strong",
            Expertise::Specialist => "specialist",
        }
    }
}

/// A member of the reviewer pool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reviewer {
    pub id: ReviewerId,
    /// Display name for explanations; the ID is used when absent.
    #[serde(default)]
    pub name: Option<String>,
    pub roles: Vec<Role>,
    pub home_authority: AuthorityId,
    #[serde(default)]
    pub nhs_board: Option<BoardId>,
    #[serde(default = "yes")]
    pub trained: bool,
    #[serde(default)]
    pub expertise: BTreeMap<ThemeId, Expertise>,
    /// Days the reviewer cannot attend (including days booked outside this problem).
    #[serde(default)]
    pub unavailable: Vec<NaiveDate>,
    /// Declared conflicts: authorities the reviewer must not review.
    #[serde(default)]
    pub conflicts: Vec<AuthorityId>,
    /// Yearly load cap, counting `current_load`.
    pub max_per_year: u32,
    /// Assignments already held this year, not counting seats pinned in this problem.
    #[serde(default)]
    pub current_load: u32,
    /// Challenges sat on in earlier years: 0 means new.
    #[serde(default)]
    pub past_challenges: u32,
    /// Where the reviewer travels from; the home authority when absent.
    #[serde(default)]
    pub location: Option<AuthorityId>,
}

fn yes() -> bool {
    true
}

impl Reviewer {
    pub fn display_name(&self) -> &str {
        self.name.as_deref().unwrap_or(self.id.as_str())
    }

    pub fn travels_from(&self) -> &AuthorityId {
        self.location.as_ref().unwrap_or(&self.home_authority)
    }
}

/// Travel cost between authorities: an explicit table first, then great-circle distance between
/// coordinates, then a default. Units are the caller's (minutes or km); the solver only compares them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Travel {
    /// Symmetric entries; `from`/`to` order does not matter.
    #[serde(default)]
    pub table: Vec<TravelCost>,
    /// Authority centroids; the cost is the distance in whole kilometres.
    #[serde(default)]
    pub coordinates: BTreeMap<AuthorityId, Coordinates>,
    /// Cost when neither the table nor coordinates know the pair.
    #[serde(default = "default_travel_cost")]
    pub default_cost: u32,
}

fn default_travel_cost() -> u32 {
    100
}

impl Default for Travel {
    fn default() -> Self {
        Self {
            table: Vec::new(),
            coordinates: BTreeMap::new(),
            default_cost: default_travel_cost(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TravelCost {
    pub from: AuthorityId,
    pub to: AuthorityId,
    pub cost: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Coordinates {
    pub lat: f64,
    pub lon: f64,
}

impl Travel {
    /// The cost of travelling from `from` to `to`: zero within an authority.
    pub fn cost(&self, from: &AuthorityId, to: &AuthorityId) -> u32 {
        if from == to {
            return 0;
        }
        if let Some(entry) = self
            .table
            .iter()
            .find(|e| (&e.from == from && &e.to == to) || (&e.from == to && &e.to == from))
        {
            return entry.cost;
        }
        self.estimate(from, to)
    }

    /// The cost when the table does not know the pair: distance between coordinates, else the default.
    pub fn estimate(&self, from: &AuthorityId, to: &AuthorityId) -> u32 {
        match (self.coordinates.get(from), self.coordinates.get(to)) {
            (Some(a), Some(b)) => great_circle_km(*a, *b),
            _ => self.default_cost,
        }
    }
}

fn great_circle_km(a: Coordinates, b: Coordinates) -> u32 {
    const EARTH_RADIUS_KM: f64 = 6371.0;
    let (lat1, lat2) = (a.lat.to_radians(), b.lat.to_radians());
    let dlat = lat2 - lat1;
    let dlon = (b.lon - a.lon).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
    let km = 2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin();
    // Distances are small positive numbers; rounding to whole km keeps the objective integral.
    km.round().clamp(0.0, f64::from(u32::MAX)) as u32
}

/// Solver options and the configured rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Options {
    /// Never place a reviewer from the host's NHS board.
    #[serde(default)]
    pub forbid_same_nhs_board: bool,
    /// At most this many members from one home authority per team.
    #[serde(default)]
    pub max_per_authority: Option<u32>,
    /// Wall-clock limit; past it the best team found is returned with its proven gap.
    #[serde(default = "default_time_limit")]
    pub time_limit_seconds: f64,
    /// Stop as soon as the proven relative gap is at most this (0 = prove optimality).
    #[serde(default)]
    pub gap_tolerance: f64,
    /// Seeds the order of restarts in the primal search; same input and seed give the same answer.
    #[serde(default)]
    pub seed: u64,
    /// Reviewers with at least this many past challenges count as experienced.
    #[serde(default = "default_experienced_after")]
    pub experienced_after: u32,
    /// The previous teams when re-composing: changing as few seats as possible then comes first.
    #[serde(default)]
    pub previous: Vec<PreviousTeam>,
    /// Spread work fairly (the convex load cost). The plain assignment form switches it off so that
    /// only scores count.
    #[serde(default = "yes")]
    pub balance_load: bool,
    /// Use the exact MIP certifier (good_lp) when the decomposition leaves a gap and the model is this
    /// small (candidate pairs); 0 disables it.
    #[serde(default = "default_mip_max_pairs")]
    pub mip_max_pairs: usize,
}

fn default_time_limit() -> f64 {
    30.0
}

fn default_experienced_after() -> u32 {
    3
}

fn default_mip_max_pairs() -> usize {
    200
}

impl Default for Options {
    fn default() -> Self {
        Self {
            forbid_same_nhs_board: false,
            max_per_authority: None,
            time_limit_seconds: default_time_limit(),
            gap_tolerance: 0.0,
            seed: 0,
            experienced_after: default_experienced_after(),
            previous: Vec::new(),
            balance_load: true,
            mip_max_pairs: default_mip_max_pairs(),
        }
    }
}

/// A team as it stood before a change (for re-composition).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviousTeam {
    pub challenge: ChallengeId,
    pub members: Vec<SeatMember>,
}

/// Why a problem cannot even be read as a problem (as opposed to having no feasible team).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProblemError {
    #[error("reviewer {0} appears more than once")]
    DuplicateReviewer(ReviewerId),
    #[error("challenge {0} appears more than once")]
    DuplicateChallenge(ChallengeId),
    #[error("challenge {0} has no visit date")]
    NoDates(ChallengeId),
    #[error("challenge {0} has no seats")]
    NoSeats(ChallengeId),
    #[error(
        "challenge {challenge} names {count} themes; at most {MAX_THEMES_PER_CHALLENGE} are supported"
    )]
    TooManyThemes {
        challenge: ChallengeId,
        count: usize,
    },
    #[error("challenge {challenge} pins {reviewer}, who is not in the pool")]
    UnknownPinnedReviewer {
        challenge: ChallengeId,
        reviewer: ReviewerId,
    },
    #[error(
        "challenge {challenge} pins a member to seat {seat}, but it has only {seats} seat groups"
    )]
    UnknownSeat {
        challenge: ChallengeId,
        seat: usize,
        seats: usize,
    },
    #[error("challenge {challenge} pins more members to seat {seat} than it has seats")]
    TooManyPinned { challenge: ChallengeId, seat: usize },
    #[error("challenge {challenge} pins {reviewer} more than once")]
    PinnedTwice {
        challenge: ChallengeId,
        reviewer: ReviewerId,
    },
    #[error("the previous team refers to unknown challenge {0}")]
    UnknownPreviousChallenge(ChallengeId),
    #[error("max_per_authority must be at least 1")]
    ZeroAuthorityCap,
}

impl Problem {
    /// Checks the problem is well formed (IDs unique, pins refer to real seats and reviewers).
    pub fn validate(&self) -> Result<(), ProblemError> {
        let mut reviewers = BTreeSet::new();
        for reviewer in &self.reviewers {
            if !reviewers.insert(&reviewer.id) {
                return Err(ProblemError::DuplicateReviewer(reviewer.id.clone()));
            }
        }
        let mut challenges = BTreeSet::new();
        for challenge in &self.challenges {
            if !challenges.insert(&challenge.id) {
                return Err(ProblemError::DuplicateChallenge(challenge.id.clone()));
            }
            challenge.validate(&reviewers)?;
        }
        for previous in &self.options.previous {
            if !challenges.contains(&previous.challenge) {
                return Err(ProblemError::UnknownPreviousChallenge(
                    previous.challenge.clone(),
                ));
            }
        }
        if self.options.max_per_authority == Some(0) {
            return Err(ProblemError::ZeroAuthorityCap);
        }
        Ok(())
    }

    /// The name to show for an authority.
    pub fn authority_name<'a>(&'a self, authority: &'a AuthorityId) -> &'a str {
        self.authority_names
            .get(authority)
            .map_or(authority.as_str(), String::as_str)
    }
}

impl Challenge {
    fn validate(&self, pool: &BTreeSet<&ReviewerId>) -> Result<(), ProblemError> {
        if self.dates.is_empty() {
            return Err(ProblemError::NoDates(self.id.clone()));
        }
        if self.seats.is_empty() {
            return Err(ProblemError::NoSeats(self.id.clone()));
        }
        let distinct_themes: BTreeSet<&ThemeId> = self.themes.iter().collect();
        if distinct_themes.len() > MAX_THEMES_PER_CHALLENGE {
            return Err(ProblemError::TooManyThemes {
                challenge: self.id.clone(),
                count: distinct_themes.len(),
            });
        }
        let mut pinned_per_seat = vec![0u32; self.seats.len()];
        let mut pinned_reviewers = BTreeSet::new();
        for pin in &self.pinned {
            if !pool.contains(&pin.reviewer) {
                return Err(ProblemError::UnknownPinnedReviewer {
                    challenge: self.id.clone(),
                    reviewer: pin.reviewer.clone(),
                });
            }
            let Some(count) = pinned_per_seat.get_mut(pin.seat) else {
                return Err(ProblemError::UnknownSeat {
                    challenge: self.id.clone(),
                    seat: pin.seat,
                    seats: self.seats.len(),
                });
            };
            *count += 1;
            if *count > self.seats[pin.seat].count {
                return Err(ProblemError::TooManyPinned {
                    challenge: self.id.clone(),
                    seat: pin.seat,
                });
            }
            if !pinned_reviewers.insert(&pin.reviewer) {
                return Err(ProblemError::PinnedTwice {
                    challenge: self.id.clone(),
                    reviewer: pin.reviewer.clone(),
                });
            }
        }
        Ok(())
    }

    /// Total number of seats on the team.
    pub fn team_size(&self) -> u32 {
        self.seats.iter().map(|seat| seat.count).sum()
    }
}
