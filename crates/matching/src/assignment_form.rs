//! The plain assignment form that other reviewer-assignment tools read and write:
//! `scores.csv` rows `challenge,reviewer,score`; `constraints.csv` rows `challenge,reviewer,-1|0|1`
//! (−1 forbids the pair, 1 forces it); `max_load.csv` rows `reviewer,max`; a team size N.
//! The output is `{challenge: [{"user": reviewer, "aggregate_score": score}]}`.
//!
//! The form maps onto the team problem: one seat group of N per challenge, each reviewer their own
//! authority, the score as the pair's cost (`(best − score)` in thousandths, carried in the travel
//! table), load balancing off. So the optimum maximises the total score. A header row is allowed when
//! its third (or second) column is not a number; blank lines and lines starting with `#` are skipped.

use crate::flow::{self, FlowError, FlowProblem, FlowSolver, Pair};
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
    #[error("the time limit of {limit_ms} ms passed before the optimum was found and proven")]
    TimeLimit { limit_ms: u64 },
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
    /// Challenge name → the reviewers on it with their scores, highest first.
    pub teams: BTreeMap<String, Vec<AssignedUser>>,
    /// Challenge name → its next best eligible reviewers not on it (empty unless asked for).
    pub alternates: BTreeMap<String, Vec<Alternate>>,
    pub total_score: f64,
    /// The optimum was proven: the flow's certificate holds and no left-out pair prices in.
    pub certified: bool,
    /// How many unscored pairs pricing brought into the flow.
    pub pairs_priced_in: usize,
}

/// A reviewer who could sit on a challenge but is not on its team, and why not.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alternate {
    pub user: String,
    pub aggregate_score: f64,
    pub reason: AlternateReason,
}

/// Why an eligible reviewer is not on the team, where it is cheap to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AlternateReason {
    /// Their cap is spent on other challenges.
    LoadCap,
    /// They have room, so at the optimum they score no more than the team's weakest member
    /// who could be swapped out (otherwise the swap would score more).
    WeakerMatch,
}

/// The form's challenges and reviewers by index (names sorted), and its pairs.
struct Indexed<'a> {
    challenges: Vec<&'a str>,
    reviewers: Vec<&'a str>,
    /// The reviewer of each `max_load` row.
    capped: Vec<u32>,
    /// Scored pairs as (reviewer, score), grouped by challenge (`scored_from[c]..scored_from[c
    /// + 1]`), sorted by reviewer; the last row of a pair wins.
    scored: Vec<(u32, f64)>,
    scored_from: Vec<usize>,
    /// Per challenge, sorted reviewer indices.
    forbidden: Vec<Vec<u32>>,
    forced: Vec<Vec<u32>>,
}

impl Indexed<'_> {
    fn scored(&self, challenge: usize) -> &[(u32, f64)] {
        &self.scored[self.scored_from[challenge]..self.scored_from[challenge + 1]]
    }

    fn score(&self, challenge: usize, reviewer: u32) -> Option<f64> {
        let scored = self.scored(challenge);
        scored
            .binary_search_by_key(&reviewer, |&(r, _)| r)
            .ok()
            .map(|i| scored[i].1)
    }
}

/// A multiply-rotate hash (FxHash's) for short names: the default SipHash, built to resist
/// chosen keys, took a third of the solve numbering a million rows, and these names come
/// from the user's own files.
#[derive(Default, Clone, Copy)]
struct NameHash;

impl std::hash::BuildHasher for NameHash {
    type Hasher = NameHasher;
    fn build_hasher(&self) -> NameHasher {
        NameHasher(0)
    }
}

struct NameHasher(u64);

impl std::hash::Hasher for NameHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0_u8; 8];
            word.copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(K);
        }
        for &byte in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(byte)).wrapping_mul(K);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Numbers names in sorted order, so the output and every tie-break follow the names: the
/// names, and each given name's number, in the order given.
fn number<'a>(names: impl Iterator<Item = &'a str>) -> (Vec<&'a str>, Vec<u32>) {
    let mut seen: std::collections::HashMap<&str, u32, NameHash> =
        std::collections::HashMap::default();
    let mut first_seen = Vec::new();
    let given: Vec<u32> = names
        .map(|name| {
            *seen.entry(name).or_insert_with(|| {
                first_seen.push(name);
                (first_seen.len() - 1) as u32
            })
        })
        .collect();
    let mut order: Vec<u32> = (0..first_seen.len() as u32).collect();
    order.sort_unstable_by_key(|&i| first_seen[i as usize]);
    let mut rank = vec![0_u32; order.len()];
    for (sorted, &i) in order.iter().enumerate() {
        rank[i as usize] = sorted as u32;
    }
    let sorted = order.iter().map(|&i| first_seen[i as usize]).collect();
    (
        sorted,
        given.into_iter().map(|i| rank[i as usize]).collect(),
    )
}

impl AssignmentForm {
    fn indexed(&self) -> Result<Indexed<'_>, FormError> {
        let (challenges, challenge_ids) = number(
            self.scores
                .iter()
                .map(|s| s.challenge.as_str())
                .chain(self.constraints.iter().map(|c| c.challenge.as_str())),
        );
        if challenges.is_empty() {
            return Err(FormError::Empty);
        }
        let (reviewers, reviewer_ids) = number(
            self.scores
                .iter()
                .map(|s| s.reviewer.as_str())
                .chain(self.constraints.iter().map(|c| c.reviewer.as_str()))
                .chain(self.max_load.iter().map(|(r, _)| r.as_str())),
        );
        let rows = self.scores.len();
        let constraint_rows = rows..rows + self.constraints.len();
        let mut scored_rows: Vec<(u32, u32, usize)> = (0..rows)
            .map(|row| (challenge_ids[row], reviewer_ids[row], row))
            .collect();
        scored_rows.sort_unstable();
        let mut scored = Vec::with_capacity(rows);
        let mut scored_from = vec![0; challenges.len() + 1];
        for (i, &(c, r, row)) in scored_rows.iter().enumerate() {
            // A pair given twice keeps its last row, as a map would.
            if scored_rows
                .get(i + 1)
                .is_some_and(|&(nc, nr, _)| (nc, nr) == (c, r))
            {
                continue;
            }
            scored.push((r, self.scores[row].score));
            scored_from[c as usize + 1] = scored.len();
        }
        for c in 1..scored_from.len() {
            scored_from[c] = scored_from[c].max(scored_from[c - 1]);
        }
        let with = |wanted: PairConstraint| {
            let mut per: Vec<Vec<u32>> = vec![Vec::new(); challenges.len()];
            for (row, constraint) in constraint_rows.clone().zip(&self.constraints) {
                if constraint.constraint == wanted {
                    per[challenge_ids[row] as usize].push(reviewer_ids[row]);
                }
            }
            for list in &mut per {
                list.sort_unstable();
                list.dedup();
            }
            per
        };
        Ok(Indexed {
            forbidden: with(PairConstraint::Forbid),
            forced: with(PairConstraint::Force),
            capped: reviewer_ids[constraint_rows.end..].to_vec(),
            challenges,
            reviewers,
            scored,
            scored_from,
        })
    }

    /// The optimum by minimum-cost flow, with its certificate checked (see [`ExactAssignment`]).
    pub fn solve_exact(&self) -> Result<ExactAssignment, FormError> {
        self.solve_exact_with(&FormOptions::default())
    }

    /// [`Self::solve_exact`], listing `options.alternates` alternates per challenge, within
    /// `options.time_limit_seconds` from now.
    pub fn solve_exact_with(&self, options: &FormOptions) -> Result<ExactAssignment, FormError> {
        self.solve_exact_until(options, options.deadline_from(std::time::Instant::now()))
    }

    fn solve_exact_until(
        &self,
        options: &FormOptions,
        deadline: std::time::Instant,
    ) -> Result<ExactAssignment, FormError> {
        let out_of_time = || options.time_limit_error();
        if std::time::Instant::now() >= deadline {
            return Err(out_of_time());
        }
        let form = self.indexed()?;
        let best = form
            .scored
            .iter()
            .map(|&(_, score)| score)
            .fold(0.0_f64, f64::max);
        let cost_of = |score: f64| {
            ((best - score) * FLOW_SCALE)
                .round()
                .clamp(-FLOW_COST_CAP, FLOW_COST_CAP) as i64
        };
        let unscored_cost = cost_of(0.0);
        let uncapped = u32::try_from(form.challenges.len()).unwrap_or(u32::MAX);
        let mut capacity = vec![uncapped; form.reviewers.len()];
        for (&reviewer, (_, max)) in form.capped.iter().zip(&self.max_load) {
            capacity[reviewer as usize] = *max;
        }
        let mut problem = FlowProblem {
            demand: vec![self.team_size; form.challenges.len()],
            capacity,
            pairs: Vec::with_capacity(form.scored.len()),
        };
        // Pairs in the flow that are not scored (forced ones, then those priced in), per
        // challenge and sorted, so what is left out can be told at a glance.
        let mut extra: Vec<Vec<u32>> = vec![Vec::new(); form.challenges.len()];
        let mut score_of_pair = Vec::with_capacity(form.scored.len());
        for (c, extra_pairs) in extra.iter_mut().enumerate() {
            let forced = &form.forced[c];
            for &(r, score) in form.scored(c) {
                let is_forced = forced.binary_search(&r).is_ok();
                if is_forced || form.forbidden[c].binary_search(&r).is_err() {
                    problem.pairs.push(Pair {
                        challenge: c,
                        reviewer: r as usize,
                        cost: cost_of(score),
                        forced: is_forced,
                    });
                    score_of_pair.push(score);
                }
            }
            for &r in forced {
                if form.score(c, r).is_none() {
                    extra_pairs.push(r);
                    problem.pairs.push(Pair {
                        challenge: c,
                        reviewer: r as usize,
                        cost: unscored_cost,
                        forced: true,
                    });
                    score_of_pair.push(0.0);
                }
            }
        }
        let allowed_unscored = |c: usize, r: u32, extra: &[Vec<u32>]| {
            form.score(c, r).is_none()
                && extra[c].binary_search(&r).is_err()
                && form.forbidden[c].binary_search(&r).is_err()
        };
        let unscored = |c: usize, r: u32| Pair {
            challenge: c,
            reviewer: r as usize,
            cost: unscored_cost,
            forced: false,
        };
        let reviewer_count = u32::try_from(form.reviewers.len()).unwrap_or(u32::MAX);
        let mut priced_in = 0;
        let mut all_pairs_in = false;
        let flow_error = |error: FlowError| match error {
            FlowError::TimeLimit => out_of_time(),
            other => FormError::Infeasible(other.to_string()),
        };
        let mut solver = FlowSolver::with_deadline(problem, Some(deadline)).map_err(flow_error)?;
        let solution = loop {
            if std::time::Instant::now() >= deadline {
                return Err(out_of_time());
            }
            match solver.solve() {
                Err(FlowError::Short { challenge, .. }) => {
                    // Not enough scored candidates: every allowed unscored pair of this
                    // challenge may help, at the cost of a zero score.
                    let before = solver.problem().pairs.len();
                    let challenges: Vec<usize> = if (0..reviewer_count)
                        .all(|r| !allowed_unscored(challenge, r, &extra))
                    {
                        if all_pairs_in {
                            return Err(FormError::Infeasible(format!(
                                "challenge {} cannot be given {} reviewers within their caps and the forbidden pairs",
                                form.challenges[challenge], self.team_size
                            )));
                        }
                        // Others may have to give up a scarce reviewer for an unscored one:
                        // from now on the flow sees every allowed pair, so a shortfall left
                        // is a real one.
                        all_pairs_in = true;
                        (0..form.challenges.len()).collect()
                    } else {
                        vec![challenge]
                    };
                    for c in challenges {
                        for r in 0..reviewer_count {
                            if allowed_unscored(c, r, &extra) {
                                let at = extra[c].binary_search(&r).unwrap_or_else(|at| at);
                                extra[c].insert(at, r);
                                solver.add_pair(unscored(c, r));
                                score_of_pair.push(0.0);
                            }
                        }
                    }
                    priced_in += solver.problem().pairs.len() - before;
                }
                Err(other) => return Err(flow_error(other)),
                Ok(solution) => {
                    let entering =
                        price_unscored(solver.problem(), &solution, unscored_cost, |c, r| {
                            allowed_unscored(c, r, &extra)
                        });
                    if entering.is_empty() {
                        break solution;
                    }
                    priced_in += entering.len();
                    for (c, r) in entering {
                        let at = extra[c].binary_search(&r).unwrap_or_else(|at| at);
                        extra[c].insert(at, r);
                        solver.add_pair(unscored(c, r));
                        score_of_pair.push(0.0);
                    }
                }
            }
        };
        let problem = solver.problem();
        let certified = solution.certificate.proves(problem, &solution);
        let mut members: Vec<Vec<(u32, f64)>> = vec![Vec::new(); form.challenges.len()];
        let mut load = vec![0_u32; form.reviewers.len()];
        let mut total_score = 0.0;
        for &index in &solution.chosen {
            let pair = problem.pairs[index];
            members[pair.challenge].push((pair.reviewer as u32, score_of_pair[index]));
            load[pair.reviewer] += 1;
            total_score += score_of_pair[index];
        }
        let by_score = |a: &(u32, f64), b: &(u32, f64)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        let mut alternates = BTreeMap::new();
        if options.alternates > 0 {
            for (c, team) in members.iter().enumerate() {
                if c % 256 == 255 && std::time::Instant::now() >= deadline {
                    return Err(out_of_time());
                }
                let mut candidates: Vec<(u32, f64)> = form
                    .scored(c)
                    .iter()
                    .copied()
                    .filter(|&(r, _)| {
                        form.forbidden[c].binary_search(&r).is_err()
                            && team.iter().all(|&(m, _)| m != r)
                    })
                    .collect();
                // Unscored reviewers score 0: the first few by name are enough to fill up.
                candidates.extend(
                    (0..reviewer_count)
                        .filter(|&r| {
                            form.score(c, r).is_none()
                                && form.forbidden[c].binary_search(&r).is_err()
                                && team.iter().all(|&(m, _)| m != r)
                        })
                        .take(options.alternates)
                        .map(|r| (r, 0.0)),
                );
                candidates.sort_by(by_score);
                candidates.truncate(options.alternates);
                let listed = candidates
                    .into_iter()
                    .map(|(r, score)| Alternate {
                        user: form.reviewers[r as usize].to_owned(),
                        aggregate_score: score,
                        reason: if load[r as usize] >= problem.capacity[r as usize] {
                            AlternateReason::LoadCap
                        } else {
                            AlternateReason::WeakerMatch
                        },
                    })
                    .collect();
                alternates.insert(form.challenges[c].to_owned(), listed);
            }
        }
        let teams = members
            .into_iter()
            .enumerate()
            .map(|(c, mut team)| {
                team.sort_by(by_score);
                let users = team
                    .into_iter()
                    .map(|(r, score)| AssignedUser {
                        user: form.reviewers[r as usize].to_owned(),
                        aggregate_score: score,
                    })
                    .collect();
                (form.challenges[c].to_owned(), users)
            })
            .collect();
        Ok(ExactAssignment {
            teams,
            alternates,
            total_score,
            certified,
            pairs_priced_in: priced_in,
        })
    }

    /// `{challenge: [{"user": id, "aggregate_score": s}]}` from the exact optimum.
    pub fn exact_json(&self, exact: &ExactAssignment) -> BTreeMap<String, Vec<AssignedUser>> {
        exact.teams.clone()
    }
}

/// Unscored pairs left out of the flow whose reduced cost under the flow's dual is negative:
/// they would improve the answer, so they join the next round. For each challenge, reviewers
/// are tried from the highest potential down, stopping at the first that prices out.
fn price_unscored(
    problem: &FlowProblem,
    solution: &flow::FlowSolution,
    unscored_cost: i64,
    allowed_unscored: impl Fn(usize, u32) -> bool,
) -> Vec<(usize, u32)> {
    let challenges = problem.demand.len();
    let potential = &solution.certificate.potentials;
    let mut by_potential: Vec<u32> = (0..problem.capacity.len() as u32).collect();
    by_potential.sort_by_key(|&r| std::cmp::Reverse(potential[1 + challenges + r as usize]));
    let mut entering = Vec::new();
    for c in 0..challenges {
        for &r in &by_potential {
            let reduced = unscored_cost + potential[1 + c] - potential[1 + challenges + r as usize];
            if reduced >= 0 {
                break;
            }
            if allowed_unscored(c, r) {
                entering.push((c, r));
            }
        }
    }
    entering
}

/// The output when alternates are asked for: `{"assignments": {...}, "alternates": {...}}`.
#[derive(Serialize)]
struct WithAlternates<'a> {
    assignments: &'a BTreeMap<String, Vec<AssignedUser>>,
    alternates: &'a BTreeMap<String, Vec<Alternate>>,
}

/// What `solve --scores …` may ask for beyond the three files.
#[derive(Debug, Clone, PartialEq)]
pub struct FormOptions {
    /// Wall-clock seconds for the whole solve, explanations included.
    pub time_limit_seconds: f64,
    /// How many next best eligible reviewers to list per challenge (0: none, and the output
    /// keeps the plain shape).
    pub alternates: usize,
}

impl FormOptions {
    fn deadline_from(&self, started: std::time::Instant) -> std::time::Instant {
        let limit = std::time::Duration::try_from_secs_f64(self.time_limit_seconds.max(0.0))
            .unwrap_or(std::time::Duration::MAX);
        started
            .checked_add(limit)
            .unwrap_or(started + std::time::Duration::from_secs(86_400 * 365))
    }

    fn time_limit_error(&self) -> FormError {
        FormError::TimeLimit {
            limit_ms: (self.time_limit_seconds * 1000.0).round().max(0.0) as u64,
        }
    }
}

impl Default for FormOptions {
    fn default() -> Self {
        Self {
            time_limit_seconds: 30.0,
            alternates: 0,
        }
    }
}

/// Parses the three files, solves exactly by minimum-cost flow, and returns the output JSON
/// text. `progress` hears once, when the certified optimum is known (the flow takes a
/// fraction of a second, so there is nothing to report on the way).
pub fn solve_assignment_form(
    scores_csv: &str,
    constraints_csv: &str,
    max_load_csv: &str,
    team_size: u32,
    time_limit_seconds: f64,
    progress: &mut dyn FnMut(&Progress),
) -> Result<String, FormError> {
    let options = FormOptions {
        time_limit_seconds,
        ..FormOptions::default()
    };
    solve_form_with_details(
        scores_csv,
        constraints_csv,
        max_load_csv,
        team_size,
        &options,
        progress,
    )
    .map(|(json, _)| json)
}

/// [`solve_assignment_form`] with every option, returning the exact answer beside the JSON
/// text (for the benchmark, which reports whether it was certified).
pub fn solve_form_with_details(
    scores_csv: &str,
    constraints_csv: &str,
    max_load_csv: &str,
    team_size: u32,
    options: &FormOptions,
    progress: &mut dyn FnMut(&Progress),
) -> Result<(String, ExactAssignment), FormError> {
    let started = std::time::Instant::now();
    let deadline = options.deadline_from(started);
    // Reading is linear and not interruptible (about 0.05 s at national size); the limit is
    // checked as soon as it is done, and throughout the solve.
    let form = AssignmentForm::parse(scores_csv, constraints_csv, max_load_csv, team_size)?;
    let exact = form.solve_exact_until(options, deadline)?;
    let score = (exact.total_score * SCORE_SCALE).round() as i128;
    progress(&Progress {
        phase: Phase::Certify,
        round: 0,
        objective: Some(score),
        bound: exact.certified.then_some(score),
        gap: exact.certified.then_some(0.0),
        elapsed_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
    });
    let json = if options.alternates == 0 {
        serde_json::to_string_pretty(&exact.teams)
    } else {
        serde_json::to_string_pretty(&WithAlternates {
            assignments: &exact.teams,
            alternates: &exact.alternates,
        })
    }
    .map_err(|e| FormError::Solve(e.to_string()))?;
    Ok((json, exact))
}
