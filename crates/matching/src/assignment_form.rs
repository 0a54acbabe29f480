//! The plain assignment form that other reviewer-assignment tools read and write:
//! `scores.csv` rows `challenge,reviewer,score`; `constraints.csv` rows `challenge,reviewer,-1|0|1`
//! (−1 forbids the pair, 1 forces it); `max_load.csv` rows `reviewer,max`; a team size N.
//! The output is `{challenge: [{"user": reviewer, "aggregate_score": score}]}`.
//!
//! The form maps onto the team problem: one seat group of N per challenge, each reviewer their own
//! authority, the score as the pair's cost (`(best − score)` in thousandths, carried in the travel
//! table), load balancing off. So the optimum maximises the total score. A header row is allowed when
//! its third (or second) column is not a number; blank lines and lines starting with `#` are skipped.

use crate::flow::{self, FlowError, FlowProblem, Pair};
use crate::ids::{AuthorityId, ChallengeId, ReviewerId, Role};
use crate::problem::{Challenge, Options, Problem, Reviewer, Seat, SeatMember, Travel, TravelCost};
use crate::solution::Solution;
use crate::solver::{Phase, Progress};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, PartialEq)]
pub struct ScoreRow {
    pub challenge: String,
    pub reviewer: String,
    pub score: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PairConstraint {
    Forbid,
    Neutral,
    Force,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConstraintRow {
    pub challenge: String,
    pub reviewer: String,
    pub constraint: PairConstraint,
}

/// A malformed file, with the file, row and column (1-based) in question.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormError {
    #[error("{file}, row {row}: expected {expected} columns, found {found}")]
    Columns {
        file: &'static str,
        row: usize,
        expected: usize,
        found: usize,
    },
    #[error("{file}, row {row}, column {column}: {message}")]
    Value {
        file: &'static str,
        row: usize,
        column: usize,
        message: String,
    },
    #[error("team size must be at least 1")]
    TeamSize,
    #[error("no challenges: scores.csv and constraints.csv name none")]
    Empty,
    #[error("no valid assignment: {0}")]
    Infeasible(String),
    #[error("{0}")]
    Solve(String),
}

/// Data rows as (1-based line number where the row starts, cells), read by the `csv` crate
/// (RFC 4180 quoting, so a quoted cell may hold a comma, a quote or a line break), trimmed,
/// skipping blank rows, `#` comment lines, a byte-order mark and a header row.
fn rows(
    text: &str,
    file: &'static str,
    columns: usize,
    numeric_column: usize,
) -> Result<Vec<(usize, Vec<String>)>, FormError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|error| FormError::Value {
            file,
            row: error.position().map_or(0, |at| at.line() as usize),
            column: 1,
            message: error.to_string(),
        })?;
        let row = record.position().map_or(0, |at| at.line() as usize);
        let cells: Vec<String> = record.iter().map(str::to_owned).collect();
        if cells.iter().all(String::is_empty) {
            continue;
        }
        if cells.len() != columns {
            return Err(FormError::Columns {
                file,
                row,
                expected: columns,
                found: cells.len(),
            });
        }
        let is_header = out.is_empty() && cells[numeric_column].parse::<f64>().is_err();
        if is_header {
            continue;
        }
        for (c, cell) in cells.iter().enumerate() {
            if cell.is_empty() {
                return Err(FormError::Value {
                    file,
                    row,
                    column: c + 1,
                    message: "empty cell".to_owned(),
                });
            }
        }
        out.push((row, cells));
    }
    Ok(out)
}

pub fn parse_scores(text: &str) -> Result<Vec<ScoreRow>, FormError> {
    rows(text, "scores.csv", 3, 2)?
        .into_iter()
        .map(|(row, cells)| {
            let score: f64 = cells[2].parse().map_err(|_| FormError::Value {
                file: "scores.csv",
                row,
                column: 3,
                message: format!("score {:?} is not a number", cells[2]),
            })?;
            if !score.is_finite() {
                return Err(FormError::Value {
                    file: "scores.csv",
                    row,
                    column: 3,
                    message: "score must be finite".to_owned(),
                });
            }
            Ok(ScoreRow {
                challenge: cells[0].clone(),
                reviewer: cells[1].clone(),
                score,
            })
        })
        .collect()
}

pub fn parse_constraints(text: &str) -> Result<Vec<ConstraintRow>, FormError> {
    rows(text, "constraints.csv", 3, 2)?
        .into_iter()
        .map(|(row, cells)| {
            let constraint = match cells[2].as_str() {
                "-1" => PairConstraint::Forbid,
                "0" => PairConstraint::Neutral,
                "1" | "+1" => PairConstraint::Force,
                other => {
                    return Err(FormError::Value {
                        file: "constraints.csv",
                        row,
                        column: 3,
                        message: format!("{other:?} must be -1 (forbid), 0 or 1 (force)"),
                    });
                }
            };
            Ok(ConstraintRow {
                challenge: cells[0].clone(),
                reviewer: cells[1].clone(),
                constraint,
            })
        })
        .collect()
}

pub fn parse_max_load(text: &str) -> Result<Vec<(String, u32)>, FormError> {
    rows(text, "max_load.csv", 2, 1)?
        .into_iter()
        .map(|(row, cells)| {
            let max: u32 = cells[1].parse().map_err(|_| FormError::Value {
                file: "max_load.csv",
                row,
                column: 2,
                message: format!("{:?} is not a whole number of challenges", cells[1]),
            })?;
            Ok((cells[0].clone(), max))
        })
        .collect()
}

/// One assigned reviewer in the output.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AssignedUser {
    pub user: String,
    pub aggregate_score: f64,
}

/// The parsed form, ready to solve.
#[derive(Debug, Clone, PartialEq)]
pub struct AssignmentForm {
    pub scores: Vec<ScoreRow>,
    pub constraints: Vec<ConstraintRow>,
    pub max_load: Vec<(String, u32)>,
    pub team_size: u32,
}

const SCORE_SCALE: f64 = 1000.0;
/// The flow's costs are whole numbers: scores are scaled by this much, enough to keep six
/// more decimals than the team engine's thousandths, so scores that differ in their fourth
/// decimal are never rounded into a tie. A pair's cost is capped well inside `i64`.
const FLOW_SCALE: f64 = 1e9;
const FLOW_COST_CAP: f64 = 1e15;

impl AssignmentForm {
    /// Parses the three files' text.
    pub fn parse(
        scores: &str,
        constraints: &str,
        max_load: &str,
        team_size: u32,
    ) -> Result<Self, FormError> {
        if team_size == 0 {
            return Err(FormError::TeamSize);
        }
        Ok(Self {
            scores: parse_scores(scores)?,
            constraints: parse_constraints(constraints)?,
            max_load: parse_max_load(max_load)?,
            team_size,
        })
    }

    fn score_map(&self) -> BTreeMap<(&str, &str), f64> {
        self.scores
            .iter()
            .map(|s| ((s.challenge.as_str(), s.reviewer.as_str()), s.score))
            .collect()
    }

    /// The team problem this form describes. Reviewers without a max load row are uncapped; pairs
    /// without a score row score 0.
    pub fn to_problem(&self, time_limit_seconds: f64) -> Result<Problem, FormError> {
        let challenges: BTreeSet<&str> = self
            .scores
            .iter()
            .map(|s| s.challenge.as_str())
            .chain(self.constraints.iter().map(|c| c.challenge.as_str()))
            .collect();
        if challenges.is_empty() {
            return Err(FormError::Empty);
        }
        let reviewers: BTreeSet<&str> = self
            .scores
            .iter()
            .map(|s| s.reviewer.as_str())
            .chain(self.constraints.iter().map(|c| c.reviewer.as_str()))
            .chain(self.max_load.iter().map(|(r, _)| r.as_str()))
            .collect();
        let caps: BTreeMap<&str, u32> = self
            .max_load
            .iter()
            .map(|(r, m)| (r.as_str(), *m))
            .collect();
        let scores = self.score_map();
        let best = scores.values().copied().fold(0.0f64, f64::max);
        let role = Role::new("reviewer");
        let day = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default();
        let mut table = Vec::new();
        for &c in &challenges {
            for &r in &reviewers {
                let score = scores.get(&(c, r)).copied().unwrap_or(0.0);
                let cost = ((best - score) * SCORE_SCALE)
                    .round()
                    .clamp(0.0, f64::from(u32::MAX)) as u32;
                table.push(TravelCost {
                    from: reviewer_place(r),
                    to: challenge_place(c),
                    cost,
                });
            }
        }
        let problem_challenges = challenges
            .iter()
            .enumerate()
            .map(|(i, &c)| {
                let of = |wanted: PairConstraint| -> Vec<&str> {
                    self.constraints
                        .iter()
                        .filter(|row| row.challenge == c && row.constraint == wanted)
                        .map(|row| row.reviewer.as_str())
                        .collect()
                };
                // Each challenge gets its own day so that one reviewer may sit on several.
                let date = day + chrono::Duration::days(i as i64);
                Challenge {
                    id: ChallengeId::new(c),
                    dates: vec![date],
                    host_authority: challenge_place(c),
                    host_nhs_board: None,
                    themes: Vec::new(),
                    seats: vec![Seat {
                        role: role.clone(),
                        count: self.team_size,
                        shadowing: false,
                    }],
                    pinned: of(PairConstraint::Force)
                        .into_iter()
                        .map(|r| SeatMember {
                            seat: 0,
                            reviewer: ReviewerId::new(r),
                        })
                        .collect(),
                    declined: of(PairConstraint::Forbid)
                        .into_iter()
                        .map(ReviewerId::new)
                        .collect(),
                }
            })
            .collect();
        let uncapped = challenges.len() as u32;
        let problem_reviewers = reviewers
            .iter()
            .map(|&r| Reviewer {
                id: ReviewerId::new(r),
                name: None,
                roles: vec![role.clone()],
                home_authority: reviewer_place(r),
                nhs_board: None,
                trained: true,
                expertise: BTreeMap::new(),
                unavailable: Vec::new(),
                conflicts: Vec::new(),
                max_per_year: caps.get(r).copied().unwrap_or(uncapped),
                current_load: 0,
                past_challenges: 1,
                location: None,
            })
            .collect();
        Ok(Problem {
            challenges: problem_challenges,
            reviewers: problem_reviewers,
            travel: Travel {
                table,
                coordinates: BTreeMap::new(),
                default_cost: 0,
            },
            options: Options {
                time_limit_seconds,
                balance_load: false,
                ..Options::default()
            },
            authority_names: BTreeMap::new(),
        })
    }

    /// `{challenge: [{"user": id, "aggregate_score": s}]}`, members by score, highest first.
    pub fn assignment_json(&self, solution: &Solution) -> BTreeMap<String, Vec<AssignedUser>> {
        let scores = self.score_map();
        solution
            .teams
            .iter()
            .map(|team| {
                let c = team.challenge.as_str();
                let mut users: Vec<AssignedUser> = team
                    .members()
                    .map(|r| AssignedUser {
                        user: r.to_string(),
                        aggregate_score: scores.get(&(c, r.as_str())).copied().unwrap_or(0.0),
                    })
                    .collect();
                users.sort_by(|a, b| {
                    b.aggregate_score
                        .total_cmp(&a.aggregate_score)
                        .then_with(|| a.user.cmp(&b.user))
                });
                (c.to_owned(), users)
            })
            .collect()
    }
}

fn reviewer_place(reviewer: &str) -> AuthorityId {
    AuthorityId::new(format!("reviewer:{reviewer}"))
}

fn challenge_place(challenge: &str) -> AuthorityId {
    AuthorityId::new(format!("challenge:{challenge}"))
}

/// The plain form's optimum, found by minimum-cost flow and certified: the flow's dual proves
/// no assignment over the pairs it was given scores more, and pricing every pair left out
/// (unscored pairs score 0 and are allowed unless forbidden) proves none of those would
/// either. Unscored pairs join the flow only when pricing or a shortfall asks for them, so a
/// national instance's 600,000 implicit pairs cost a scan, not a flow.
#[derive(Debug, Clone, PartialEq)]
pub struct ExactAssignment {
    /// Challenge name → the reviewers on it.
    pub teams: BTreeMap<String, Vec<String>>,
    pub total_score: f64,
    /// The optimum was proven: the flow's certificate holds and no left-out pair prices in.
    pub certified: bool,
    /// How many unscored pairs pricing brought into the flow.
    pub pairs_priced_in: usize,
}

/// The form's challenges and reviewers by index, and the pair each (challenge, reviewer) is.
struct Indexed<'a> {
    challenges: Vec<&'a str>,
    reviewers: Vec<&'a str>,
    scores: BTreeMap<(usize, usize), f64>,
    forbidden: std::collections::HashSet<(usize, usize)>,
    forced: std::collections::HashSet<(usize, usize)>,
}

impl AssignmentForm {
    fn indexed(&self) -> Result<Indexed<'_>, FormError> {
        let challenges: Vec<&str> = self
            .scores
            .iter()
            .map(|s| s.challenge.as_str())
            .chain(self.constraints.iter().map(|c| c.challenge.as_str()))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        if challenges.is_empty() {
            return Err(FormError::Empty);
        }
        let reviewers: Vec<&str> = self
            .scores
            .iter()
            .map(|s| s.reviewer.as_str())
            .chain(self.constraints.iter().map(|c| c.reviewer.as_str()))
            .chain(self.max_load.iter().map(|(r, _)| r.as_str()))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let challenge_of: BTreeMap<&str, usize> = challenges
            .iter()
            .enumerate()
            .map(|(i, c)| (*c, i))
            .collect();
        let reviewer_of: BTreeMap<&str, usize> =
            reviewers.iter().enumerate().map(|(i, r)| (*r, i)).collect();
        let key = |c: &str, r: &str| (challenge_of[c], reviewer_of[r]);
        let scores = self
            .scores
            .iter()
            .map(|s| (key(&s.challenge, &s.reviewer), s.score))
            .collect();
        let with = |wanted: PairConstraint| {
            self.constraints
                .iter()
                .filter(|row| row.constraint == wanted)
                .map(|row| key(&row.challenge, &row.reviewer))
                .collect()
        };
        Ok(Indexed {
            forbidden: with(PairConstraint::Forbid),
            forced: with(PairConstraint::Force),
            challenges,
            reviewers,
            scores,
        })
    }

    /// The optimum by minimum-cost flow, with its certificate checked (see [`ExactAssignment`]).
    pub fn solve_exact(&self) -> Result<ExactAssignment, FormError> {
        let form = self.indexed()?;
        let best = form.scores.values().copied().fold(0.0_f64, f64::max);
        let cost_of = |score: f64| {
            ((best - score) * FLOW_SCALE)
                .round()
                .clamp(-FLOW_COST_CAP, FLOW_COST_CAP) as i64
        };
        let unscored_cost = cost_of(0.0);
        let caps: BTreeMap<&str, u32> = self
            .max_load
            .iter()
            .map(|(r, m)| (r.as_str(), *m))
            .collect();
        let uncapped = u32::try_from(form.challenges.len()).unwrap_or(u32::MAX);
        let mut problem = FlowProblem {
            demand: vec![self.team_size; form.challenges.len()],
            capacity: form
                .reviewers
                .iter()
                .map(|r| caps.get(r).copied().unwrap_or(uncapped))
                .collect(),
            pairs: Vec::new(),
        };
        let mut in_flow = std::collections::HashSet::new();
        for (&(c, r), &score) in &form.scores {
            if !form.forbidden.contains(&(c, r)) {
                problem.pairs.push(flow_pair(c, r, cost_of(score), &form));
                in_flow.insert((c, r));
            }
        }
        for &(c, r) in &form.forced {
            if in_flow.insert((c, r)) {
                problem.pairs.push(flow_pair(c, r, unscored_cost, &form));
            }
        }
        let allowed_unscored =
            |c: usize, r: usize, in_flow: &std::collections::HashSet<(usize, usize)>| {
                !in_flow.contains(&(c, r)) && !form.forbidden.contains(&(c, r))
            };
        let mut priced_in = 0;
        let mut all_pairs_in = false;
        let solution = loop {
            match flow::solve(&problem) {
                Err(FlowError::Short { challenge, .. }) => {
                    // Not enough scored candidates: every allowed unscored pair of this
                    // challenge may help, at the cost of a zero score.
                    let before = problem.pairs.len();
                    for r in 0..form.reviewers.len() {
                        if allowed_unscored(challenge, r, &in_flow) {
                            in_flow.insert((challenge, r));
                            problem
                                .pairs
                                .push(flow_pair(challenge, r, unscored_cost, &form));
                        }
                    }
                    if problem.pairs.len() == before && !all_pairs_in {
                        // Others may have to give up a scarce reviewer for an unscored one:
                        // from now on the flow sees every allowed pair, so a shortfall left
                        // is a real one.
                        for c in 0..form.challenges.len() {
                            for r in 0..form.reviewers.len() {
                                if allowed_unscored(c, r, &in_flow) {
                                    in_flow.insert((c, r));
                                    problem.pairs.push(flow_pair(c, r, unscored_cost, &form));
                                }
                            }
                        }
                        all_pairs_in = true;
                    } else if problem.pairs.len() == before {
                        return Err(FormError::Infeasible(format!(
                            "challenge {} cannot be given {} reviewers within their caps and the forbidden pairs",
                            form.challenges[challenge], self.team_size
                        )));
                    }
                    priced_in += problem.pairs.len() - before;
                }
                Err(other) => return Err(FormError::Infeasible(other.to_string())),
                Ok(solution) => {
                    let entering =
                        price_unscored(&form, &problem, &solution, unscored_cost, &in_flow);
                    if entering.is_empty() {
                        break solution;
                    }
                    priced_in += entering.len();
                    for (c, r) in entering {
                        in_flow.insert((c, r));
                        problem.pairs.push(flow_pair(c, r, unscored_cost, &form));
                    }
                }
            }
        };
        let certified = solution.certificate.proves(&problem, &solution);
        let mut teams: BTreeMap<String, Vec<String>> = form
            .challenges
            .iter()
            .map(|c| ((*c).to_owned(), Vec::new()))
            .collect();
        let mut total_score = 0.0;
        for &index in &solution.chosen {
            let pair = problem.pairs[index];
            let challenge = form.challenges[pair.challenge];
            teams
                .entry(challenge.to_owned())
                .or_default()
                .push(form.reviewers[pair.reviewer].to_owned());
            total_score += form
                .scores
                .get(&(pair.challenge, pair.reviewer))
                .copied()
                .unwrap_or(0.0);
        }
        Ok(ExactAssignment {
            teams,
            total_score,
            certified,
            pairs_priced_in: priced_in,
        })
    }

    /// `{challenge: [{"user": id, "aggregate_score": s}]}` from the exact optimum.
    pub fn exact_json(&self, exact: &ExactAssignment) -> BTreeMap<String, Vec<AssignedUser>> {
        let scores = self.score_map();
        exact
            .teams
            .iter()
            .map(|(challenge, members)| {
                let mut users: Vec<AssignedUser> = members
                    .iter()
                    .map(|r| AssignedUser {
                        user: r.clone(),
                        aggregate_score: scores
                            .get(&(challenge.as_str(), r.as_str()))
                            .copied()
                            .unwrap_or(0.0),
                    })
                    .collect();
                users.sort_by(|a, b| {
                    b.aggregate_score
                        .total_cmp(&a.aggregate_score)
                        .then_with(|| a.user.cmp(&b.user))
                });
                (challenge.clone(), users)
            })
            .collect()
    }
}

fn flow_pair(challenge: usize, reviewer: usize, cost: i64, form: &Indexed<'_>) -> Pair {
    Pair {
        challenge,
        reviewer,
        cost,
        forced: form.forced.contains(&(challenge, reviewer)),
    }
}

/// Unscored pairs left out of the flow whose reduced cost under the flow's dual is negative:
/// they would improve the answer, so they join the next round. For each challenge, reviewers
/// are tried from the highest potential down, stopping at the first that prices out.
fn price_unscored(
    form: &Indexed<'_>,
    problem: &FlowProblem,
    solution: &flow::FlowSolution,
    unscored_cost: i64,
    in_flow: &std::collections::HashSet<(usize, usize)>,
) -> Vec<(usize, usize)> {
    let challenges = problem.demand.len();
    let potential = &solution.certificate.potentials;
    let mut by_potential: Vec<usize> = (0..problem.capacity.len()).collect();
    by_potential.sort_by_key(|&r| std::cmp::Reverse(potential[1 + challenges + r]));
    let mut entering = Vec::new();
    for c in 0..challenges {
        for &r in &by_potential {
            let reduced = unscored_cost + potential[1 + c] - potential[1 + challenges + r];
            if reduced >= 0 {
                break;
            }
            if !in_flow.contains(&(c, r)) && !form.forbidden.contains(&(c, r)) {
                entering.push((c, r));
            }
        }
    }
    entering
}

/// Parses the three files, solves exactly by minimum-cost flow, and returns the output JSON
/// text. `progress` hears once, when the certified optimum is known (the flow takes a
/// fraction of a second, so there is nothing to report on the way).
pub fn solve_assignment_form(
    scores_csv: &str,
    constraints_csv: &str,
    max_load_csv: &str,
    team_size: u32,
    _time_limit_seconds: f64,
    progress: &mut dyn FnMut(&Progress),
) -> Result<String, FormError> {
    let started = std::time::Instant::now();
    let form = AssignmentForm::parse(scores_csv, constraints_csv, max_load_csv, team_size)?;
    let exact = form.solve_exact()?;
    let score = (exact.total_score * SCORE_SCALE).round() as i128;
    progress(&Progress {
        phase: Phase::Certify,
        round: 0,
        objective: Some(score),
        bound: exact.certified.then_some(score),
        gap: exact.certified.then_some(0.0),
        elapsed_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
    });
    serde_json::to_string_pretty(&form.exact_json(&exact))
        .map_err(|e| FormError::Solve(e.to_string()))
}
