//! Team composition and pairing solvers for Peer Challenge: a plain problem in, a solution and its reasons
//! out. Knows nothing of the web or the database; `domain` translates into and out of these types.
//!
//! Entry points: [`solve`] / [`solve_with_progress`] for teams, [`recompose::recompose_after_dropout`],
//! [`pairing::choose_pairings`] for the biennial event, [`check_hard_rules`] for any set of teams,
//! [`json_format::solve_json`] and [`assignment_form::solve_assignment_form`] for the CLI, and
//! [`benchmark::bench`] for `bench-solver`. See `docs/solver.md`.

mod ascent;
mod assignment;
pub mod assignment_form;
pub mod benchmark;
pub mod calendar;
mod dual;
mod explain;
pub mod flow;
pub mod ids;
pub mod infeasibility;
pub mod instances;
pub mod json_format;
mod local_search;
mod master;
mod mip;
mod model;
pub mod objective;
pub mod pairing;
pub mod plain_instances;
pub mod problem;
pub mod recompose;
pub mod rules;
pub mod solution;
pub mod solver;
mod team;

pub use ids::{AuthorityId, BoardId, ChallengeId, ReviewerId, Role, ThemeId};
pub use infeasibility::{BindingRule, Diagnosis, Infeasibility};
pub use model::ModelError;
pub use problem::{
    Challenge, Coordinates, Expertise, Options, PreviousTeam, Problem, ProblemError, Reviewer,
    Seat, SeatMember, Travel, TravelCost,
};
pub use rules::{Violation, check_hard_rules, check_teams};
pub use solution::*;
pub use solver::{Phase, Progress, SolveError, solve, solve_with_progress};
