//! The JSON form of `peer-challenge solve --input problem.json`: a [`Problem`] in, a [`SolveOutcome`] out.
//! Both schemas are documented in `docs/solver.md`.

use crate::infeasibility::Infeasibility;
use crate::problem::Problem;
use crate::solution::Solution;
use crate::solver::{Progress, SolveError, solve_with_progress};
use serde::{Deserialize, Serialize};

/// What a solve produced: teams, or why there are none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum SolveOutcome {
    Solved { solution: Solution },
    Infeasible { infeasibility: Infeasibility },
}

impl SolveOutcome {
    pub fn to_json_pretty(&self) -> Result<String, JsonSolveError> {
        serde_json::to_string_pretty(self).map_err(JsonSolveError::Write)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum JsonSolveError {
    #[error("problem JSON is not valid (line {line}, column {column}): {message}")]
    Read {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("could not write the result: {0}")]
    Write(serde_json::Error),
    #[error(transparent)]
    Model(#[from] crate::model::ModelError),
}

/// Parses a problem, with the position of the first error.
pub fn read_problem(json: &str) -> Result<Problem, JsonSolveError> {
    serde_json::from_str(json).map_err(|e| JsonSolveError::Read {
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })
}

/// Reads a problem from JSON text, optionally overrides its time limit, and solves it.
/// Infeasibility is an outcome, not an error: it carries its explanation.
pub fn solve_json(
    json: &str,
    time_limit_seconds: Option<f64>,
    progress: &mut dyn FnMut(&Progress),
) -> Result<SolveOutcome, JsonSolveError> {
    let mut problem = read_problem(json)?;
    if let Some(limit) = time_limit_seconds {
        problem.options.time_limit_seconds = limit;
    }
    solve_problem(&problem, progress)
}

/// Solves an already-parsed problem into an outcome.
pub fn solve_problem(
    problem: &Problem,
    progress: &mut dyn FnMut(&Progress),
) -> Result<SolveOutcome, JsonSolveError> {
    match solve_with_progress(problem, progress) {
        Ok(solution) => Ok(SolveOutcome::Solved { solution }),
        Err(SolveError::Infeasible(infeasibility)) => {
            Ok(SolveOutcome::Infeasible { infeasibility })
        }
        Err(SolveError::Model(error)) => Err(error.into()),
    }
}
