//! The hard rules: which reviewer may sit in which seat, and an independent checker that a set of teams
//! breaks none of them. The checker is public so the web layer can run it on manual edits too.

use crate::calendar::{long_date, visits_overlap};
use crate::ids::{AuthorityId, ChallengeId, ReviewerId, Role};
use crate::problem::{Challenge, Problem, Reviewer};
use crate::solution::{NotChosen, Solution, Team};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A broken hard rule, found by [`check_hard_rules`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Violation {
    #[error("challenge {challenge} has no team")]
    MissingTeam { challenge: ChallengeId },
    #[error("team for unknown challenge {challenge}")]
    UnknownChallenge { challenge: ChallengeId },
    #[error("challenge {challenge} has a team twice")]
    DuplicateTeam { challenge: ChallengeId },
    #[error("reviewer {reviewer} on challenge {challenge} is not in the pool")]
    UnknownReviewer {
        challenge: ChallengeId,
        reviewer: ReviewerId,
    },
    #[error("challenge {challenge} has no seat group {seat}")]
    UnknownSeat { challenge: ChallengeId, seat: usize },
    #[error(
        "seat group {seat} ({role}) on challenge {challenge} needs {expected} members but has {actual}"
    )]
    SeatNotFilled {
        challenge: ChallengeId,
        seat: usize,
        role: Role,
        expected: u32,
        actual: u32,
    },
    #[error("{reviewer} cannot fill a {role} seat on challenge {challenge}")]
    NotQualified {
        challenge: ChallengeId,
        reviewer: ReviewerId,
        role: Role,
    },
    #[error("{reviewer} holds more than one seat on challenge {challenge}")]
    SeatedTwice {
        challenge: ChallengeId,
        reviewer: ReviewerId,
    },
    #[error("{reviewer} would review their own authority on challenge {challenge}")]
    OwnAuthority {
        challenge: ChallengeId,
        reviewer: ReviewerId,
    },
    #[error("{reviewer} declared a conflict with {authority} (challenge {challenge})")]
    DeclaredConflict {
        challenge: ChallengeId,
        reviewer: ReviewerId,
        authority: AuthorityId,
    },
    #[error("{reviewer} is from the host's NHS board (challenge {challenge})")]
    SameNhsBoard {
        challenge: ChallengeId,
        reviewer: ReviewerId,
    },
    #[error("{reviewer} is unavailable on {} (challenge {challenge})", long_date(*date))]
    Unavailable {
        challenge: ChallengeId,
        reviewer: ReviewerId,
        date: NaiveDate,
    },
    #[error("{reviewer} is booked on overlapping challenges {first} and {second}")]
    OverlappingBookings {
        reviewer: ReviewerId,
        first: ChallengeId,
        second: ChallengeId,
    },
    #[error("{reviewer} would hold {load} assignments this year, over the cap of {max}")]
    OverLoadCap {
        reviewer: ReviewerId,
        load: u32,
        max: u32,
    },
    #[error(
        "{reviewer} is untrained and seat group {seat} on challenge {challenge} is not a shadowing seat"
    )]
    Untrained {
        challenge: ChallengeId,
        seat: usize,
        reviewer: ReviewerId,
    },
    #[error("pinned member {reviewer} is missing from seat group {seat} on challenge {challenge}")]
    PinnedMissing {
        challenge: ChallengeId,
        seat: usize,
        reviewer: ReviewerId,
    },
    #[error(
        "{count} members from {authority} on challenge {challenge}, more than the limit of {max}"
    )]
    TooManyFromAuthority {
        challenge: ChallengeId,
        authority: AuthorityId,
        count: u32,
        max: u32,
    },
    #[error("{reviewer} declined challenge {challenge}")]
    Declined {
        challenge: ChallengeId,
        reviewer: ReviewerId,
    },
}

/// Checks every hard rule on a set of teams, independently of how they were made.
/// An empty result means the teams are valid for `problem`.
pub fn check_hard_rules(problem: &Problem, solution: &Solution) -> Vec<Violation> {
    check_teams(problem, &solution.teams)
}

/// As [`check_hard_rules`], for bare teams (for example a manual edit).
pub fn check_teams(problem: &Problem, teams: &[Team]) -> Vec<Violation> {
    let mut violations = Vec::new();
    let reviewers: BTreeMap<&ReviewerId, &Reviewer> =
        problem.reviewers.iter().map(|r| (&r.id, r)).collect();
    let challenges: BTreeMap<&ChallengeId, &Challenge> =
        problem.challenges.iter().map(|c| (&c.id, c)).collect();

    let mut seen: BTreeMap<&ChallengeId, ()> = BTreeMap::new();
    for team in teams {
        if seen.insert(&team.challenge, ()).is_some() {
            violations.push(Violation::DuplicateTeam {
                challenge: team.challenge.clone(),
            });
        }
    }
    for challenge in &problem.challenges {
        if !seen.contains_key(&challenge.id) {
            violations.push(Violation::MissingTeam {
                challenge: challenge.id.clone(),
            });
        }
    }

    // Reviewer → the challenges they sit on, for overlap and load.
    let mut bookings: BTreeMap<&ReviewerId, Vec<&Challenge>> = BTreeMap::new();
    for team in teams {
        let Some(challenge) = challenges.get(&team.challenge).copied() else {
            violations.push(Violation::UnknownChallenge {
                challenge: team.challenge.clone(),
            });
            continue;
        };
        check_team(problem, challenge, team, &reviewers, &mut violations);
        let mut members: Vec<&ReviewerId> = team.members().collect();
        members.sort();
        members.dedup();
        for member in members {
            bookings.entry(member).or_default().push(challenge);
        }
    }

    for (reviewer_id, booked) in &bookings {
        for (i, first) in booked.iter().enumerate() {
            for second in &booked[i + 1..] {
                if visits_overlap(&first.dates, &second.dates) {
                    violations.push(Violation::OverlappingBookings {
                        reviewer: (*reviewer_id).clone(),
                        first: first.id.clone(),
                        second: second.id.clone(),
                    });
                }
            }
        }
        if let Some(reviewer) = reviewers.get(reviewer_id) {
            let load = reviewer.current_load + booked.len() as u32;
            if load > reviewer.max_per_year {
                violations.push(Violation::OverLoadCap {
                    reviewer: (*reviewer_id).clone(),
                    load,
                    max: reviewer.max_per_year,
                });
            }
        }
    }
    violations
}

fn check_team(
    problem: &Problem,
    challenge: &Challenge,
    team: &Team,
    reviewers: &BTreeMap<&ReviewerId, &Reviewer>,
    violations: &mut Vec<Violation>,
) {
    let cid = || challenge.id.clone();
    let mut filled = vec![0u32; challenge.seats.len()];
    let mut seated: BTreeMap<&ReviewerId, u32> = BTreeMap::new();
    let mut per_authority: BTreeMap<&AuthorityId, u32> = BTreeMap::new();
    for seat_team in &team.seats {
        let Some(seat) = challenge.seats.get(seat_team.seat) else {
            violations.push(Violation::UnknownSeat {
                challenge: cid(),
                seat: seat_team.seat,
            });
            continue;
        };
        filled[seat_team.seat] += seat_team.members.len() as u32;
        for member in &seat_team.members {
            let rid = &member.reviewer;
            *seated.entry(rid).or_default() += 1;
            let Some(reviewer) = reviewers.get(rid) else {
                violations.push(Violation::UnknownReviewer {
                    challenge: cid(),
                    reviewer: rid.clone(),
                });
                continue;
            };
            *per_authority.entry(&reviewer.home_authority).or_default() += 1;
            if !reviewer.roles.contains(&seat.role) {
                violations.push(Violation::NotQualified {
                    challenge: cid(),
                    reviewer: rid.clone(),
                    role: seat.role.clone(),
                });
            }
            if reviewer.home_authority == challenge.host_authority {
                violations.push(Violation::OwnAuthority {
                    challenge: cid(),
                    reviewer: rid.clone(),
                });
            }
            if reviewer.conflicts.contains(&challenge.host_authority) {
                violations.push(Violation::DeclaredConflict {
                    challenge: cid(),
                    reviewer: rid.clone(),
                    authority: challenge.host_authority.clone(),
                });
            }
            if challenge.declined.contains(rid) {
                violations.push(Violation::Declined {
                    challenge: cid(),
                    reviewer: rid.clone(),
                });
            }
            if problem.options.forbid_same_nhs_board
                && challenge.host_nhs_board.is_some()
                && reviewer.nhs_board == challenge.host_nhs_board
            {
                violations.push(Violation::SameNhsBoard {
                    challenge: cid(),
                    reviewer: rid.clone(),
                });
            }
            if let Some(date) = challenge
                .dates
                .iter()
                .find(|d| reviewer.unavailable.contains(d))
            {
                violations.push(Violation::Unavailable {
                    challenge: cid(),
                    reviewer: rid.clone(),
                    date: *date,
                });
            }
            if !reviewer.trained && !seat.shadowing {
                violations.push(Violation::Untrained {
                    challenge: cid(),
                    seat: seat_team.seat,
                    reviewer: rid.clone(),
                });
            }
        }
    }
    for (index, seat) in challenge.seats.iter().enumerate() {
        if filled[index] != seat.count {
            violations.push(Violation::SeatNotFilled {
                challenge: cid(),
                seat: index,
                role: seat.role.clone(),
                expected: seat.count,
                actual: filled[index],
            });
        }
    }
    for (reviewer, count) in seated {
        if count > 1 {
            violations.push(Violation::SeatedTwice {
                challenge: cid(),
                reviewer: reviewer.clone(),
            });
        }
    }
    if let Some(max) = problem.options.max_per_authority {
        for (authority, count) in per_authority {
            if count > max {
                violations.push(Violation::TooManyFromAuthority {
                    challenge: cid(),
                    authority: authority.clone(),
                    count,
                    max,
                });
            }
        }
    }
    for pin in &challenge.pinned {
        let kept = team
            .seats
            .iter()
            .any(|s| s.seat == pin.seat && s.members.iter().any(|m| m.reviewer == pin.reviewer));
        if !kept {
            violations.push(Violation::PinnedMissing {
                challenge: cid(),
                seat: pin.seat,
                reviewer: pin.reviewer.clone(),
            });
        }
    }
}

/// Per-pair rules that do not depend on other assignments, evaluated quickly for the solver, the
/// explanations and the infeasibility diagnosis alike.
#[derive(Debug)]
pub(crate) struct PairRules<'p> {
    problem: &'p Problem,
    /// For each reviewer (by index), the challenges (by index) they are pinned on.
    pinned_on: Vec<Vec<usize>>,
    /// For each reviewer, seats pinned in this problem (they count toward the load cap).
    pinned_load: Vec<u32>,
}

impl<'p> PairRules<'p> {
    pub(crate) fn new(problem: &'p Problem) -> Self {
        let index: BTreeMap<&ReviewerId, usize> = problem
            .reviewers
            .iter()
            .enumerate()
            .map(|(i, r)| (&r.id, i))
            .collect();
        let mut pinned_on = vec![Vec::new(); problem.reviewers.len()];
        let mut pinned_load = vec![0u32; problem.reviewers.len()];
        for (c, challenge) in problem.challenges.iter().enumerate() {
            for pin in &challenge.pinned {
                if let Some(&r) = index.get(&pin.reviewer) {
                    pinned_on[r].push(c);
                    pinned_load[r] += 1;
                }
            }
        }
        Self {
            problem,
            pinned_on,
            pinned_load,
        }
    }

    pub(crate) fn pinned_load(&self, reviewer: usize) -> u32 {
        self.pinned_load[reviewer]
    }

    /// Seats still open to a reviewer this year once pins are counted.
    pub(crate) fn spare_load(&self, reviewer: usize) -> u32 {
        let r = &self.problem.reviewers[reviewer];
        r.max_per_year
            .saturating_sub(r.current_load + self.pinned_load[reviewer])
    }

    /// The first rule stopping `reviewer` from the seat group (`None`: eligible), ignoring pins on this
    /// challenge and assignments the solver makes. Assumes the reviewer holds the seat's role.
    pub(crate) fn rejection(
        &self,
        challenge: usize,
        seat: usize,
        reviewer: usize,
    ) -> Option<NotChosen> {
        let c = &self.problem.challenges[challenge];
        let r = &self.problem.reviewers[reviewer];
        self.rejection_for_challenge(challenge, reviewer)
            .or_else(|| (!r.trained && !c.seats[seat].shadowing).then_some(NotChosen::Untrained))
    }

    /// The seat-independent part of [`Self::rejection`].
    pub(crate) fn rejection_for_challenge(
        &self,
        challenge: usize,
        reviewer: usize,
    ) -> Option<NotChosen> {
        let c = &self.problem.challenges[challenge];
        let r = &self.problem.reviewers[reviewer];
        if r.home_authority == c.host_authority {
            return Some(NotChosen::OwnAuthority);
        }
        if r.conflicts.contains(&c.host_authority) {
            return Some(NotChosen::DeclaredConflict {
                authority: c.host_authority.clone(),
            });
        }
        if c.declined.contains(&r.id) {
            return Some(NotChosen::Declined);
        }
        if self.problem.options.forbid_same_nhs_board
            && c.host_nhs_board.is_some()
            && r.nhs_board == c.host_nhs_board
        {
            return Some(NotChosen::SameNhsBoard);
        }
        if let Some(date) = c.dates.iter().find(|d| r.unavailable.contains(d)) {
            return Some(NotChosen::Unavailable { date: *date });
        }
        for &other in &self.pinned_on[reviewer] {
            if other != challenge && visits_overlap(&c.dates, &self.problem.challenges[other].dates)
            {
                return Some(NotChosen::BookedElsewhere {
                    challenge: self.problem.challenges[other].id.clone(),
                });
            }
        }
        let pinned_here = self.pinned_on[reviewer].contains(&challenge);
        if !pinned_here && self.spare_load(reviewer) == 0 {
            return Some(NotChosen::LoadCap {
                max_per_year: r.max_per_year,
            });
        }
        None
    }
}
