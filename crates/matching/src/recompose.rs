//! Re-composition after a drop-out: keep everyone else, change as few seats as possible.

use crate::ids::{ChallengeId, ReviewerId};
use crate::problem::{PreviousTeam, Problem, SeatMember};
use crate::solution::{Solution, Team};
use crate::solver::{SolveError, solve};

/// The teams as "previous teams" for [`crate::Options::previous`].
pub fn previous_teams(teams: &[Team]) -> Vec<PreviousTeam> {
    teams
        .iter()
        .map(|team| PreviousTeam {
            challenge: team.challenge.clone(),
            members: team
                .seats
                .iter()
                .flat_map(|seat| {
                    seat.members.iter().map(move |m| SeatMember {
                        seat: seat.seat,
                        reviewer: m.reviewer.clone(),
                    })
                })
                .collect(),
        })
        .collect()
}

/// The problem to solve when `reviewer` drops out of `challenge` in `previous`: they are marked as
/// declined there, and the previous teams become the reference whose changes are minimised first.
pub fn dropout_problem(
    problem: &Problem,
    previous: &Solution,
    challenge: &ChallengeId,
    reviewer: &ReviewerId,
) -> Problem {
    let mut next = problem.clone();
    for c in next.challenges.iter_mut().filter(|c| &c.id == challenge) {
        if !c.declined.contains(reviewer) {
            c.declined.push(reviewer.clone());
        }
        c.pinned.retain(|p| &p.reviewer != reviewer);
    }
    next.options.previous = previous_teams(&previous.teams);
    next
}

/// Re-composes after `reviewer` drops out of `challenge`: everyone else stays where they can, and the
/// fewest possible seats change (that level outranks every other objective).
pub fn recompose_after_dropout(
    problem: &Problem,
    previous: &Solution,
    challenge: &ChallengeId,
    reviewer: &ReviewerId,
) -> Result<Solution, SolveError> {
    solve(&dropout_problem(problem, previous, challenge, reviewer))
}
