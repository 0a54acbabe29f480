//! The team composition solver: a primal search (greedy construction, repair, exact one-challenge
//! re-optimisation) bracketed by the Lagrangian bound, and the exact MIP for small problems whose gap the
//! bound does not close. Same input and seed, same answer: every loop runs in a fixed order and the
//! work budgets are counts; the time limit is only a safety net.

use crate::ascent::ascend;
use crate::assignment::Assignment;
use crate::dual::{Dual, DualRound, fixed_terms};
use crate::explain::build_teams_until;
use crate::infeasibility::{Infeasibility, diagnose_pins, diagnose_unfilled};
use crate::local_search::eject_and_improve;
use crate::master::Master;
use crate::model::{Model, ModelError};
use crate::objective::{Level, Weights, prove_levels};
use crate::problem::Problem;
use crate::solution::{Diagnostics, ObjectiveBreakdown, OptimalityProof, Solution, SolveStatus};
use crate::team::TeamSearch;
use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{RngCore, SeedableRng};
use serde::Serialize;
use std::time::Instant;

/// Reported to the caller's progress hook during long solves.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Progress {
    pub phase: Phase,
    pub round: u32,
    pub objective: Option<i128>,
    pub bound: Option<i128>,
    /// Headline proven gap (see [`OptimalityProof::gap`]).
    pub gap: Option<f64>,
    pub elapsed_ms: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Model,
    Construct,
    Bound,
    Certify,
    Explain,
}

/// Why no solution came back.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SolveError {
    #[error(transparent)]
    Model(#[from] ModelError),
    #[error(transparent)]
    Infeasible(#[from] Infeasibility),
}

/// Most bound rounds (each one evaluation of the bound, or one repair at final prices).
const MAX_DUAL_ROUNDS: u32 = 400;
/// Repairs from the relaxed teams once the master's prices are final, each in another seeded order.
const REPAIRS_AT_FINAL_PRICES: u32 = 8;
/// Failed master solves after which the ascent and subgradient steps take over for good.
const MAX_MASTER_FAILURES: u32 = 3;
const SMALL_PROBLEM_DUAL_ROUNDS: u32 = 25;
/// Team-search nodes before a single challenge search gives up on proving its optimum.
const NODE_LIMIT: u64 = 200_000;
const MAX_IMPROVEMENT_PASSES: u32 = 8;
/// Once the ascent has stalled, relaxed teams are repaired into an incumbent every this many rounds: the
/// repair costs about two bound rounds and, near the best prices, is where most of the gap closes.
const PRIMAL_EVERY: u32 = 2;
/// Time set aside per candidate pair for the explanations (measured: about 0.8 s for the stress
/// instance's 18 M pairs on the benchmark machine; twice that reserved for noise).
const EXPLAIN_SECONDS_PER_PAIR: f64 = 1e-7;

/// Solves `problem` (see [`Problem`] and `docs/solver.md`).
pub fn solve(problem: &Problem) -> Result<Solution, SolveError> {
    solve_with_progress(problem, &mut |_| {})
}

/// As [`solve`], calling `progress` after each phase and bound round.
pub fn solve_with_progress(
    problem: &Problem,
    progress: &mut dyn FnMut(&Progress),
) -> Result<Solution, SolveError> {
    let started = Instant::now();
    let elapsed_ms = || started.elapsed().as_millis() as u64;
    // The limit covers everything, explanations included: past it, building the model or the
    // first teams gives up rather than run on.
    let final_deadline = started
        + std::time::Duration::try_from_secs_f64(problem.options.time_limit_seconds.max(0.0))
            .unwrap_or(std::time::Duration::from_secs(86_400 * 365));
    let model = Model::build_until(problem, Some(final_deadline))?;
    // The explanations (ranked alternates for every seat) come after the search and take time in
    // proportion to the candidate pairs; the search stops early enough to leave it that time.
    let limit = problem.options.time_limit_seconds;
    let search_limit =
        (limit - EXPLAIN_SECONDS_PER_PAIR * model.candidate_pairs as f64).max(0.6 * limit);
    let time_left = || search_limit - started.elapsed().as_secs_f64();
    progress(&Progress {
        phase: Phase::Model,
        round: 0,
        objective: None,
        bound: None,
        gap: None,
        elapsed_ms: elapsed_ms(),
    });
    if let Some(infeasibility) = diagnose_pins(&model) {
        return Err(infeasibility.into());
    }
    let search = TeamSearch {
        weights: &model.weights,
        reviewers: &model.reviewers,
        authority_cap: problem.options.max_per_authority,
        node_limit: NODE_LIMIT,
    };

    let mut passes = 0u32;
    let order = scarcity_order(&model);
    let mut best = construct(&model, &search, &order, &mut passes, final_deadline)?;
    let mut best_value = best.is_complete().then(|| best.breakdown(&model).scalar);
    progress(&Progress {
        phase: Phase::Construct,
        round: 0,
        objective: best_value,
        bound: None,
        gap: None,
        elapsed_ms: elapsed_ms(),
    });

    let deadline = started + std::time::Duration::from_secs_f64(search_limit.max(0.0));
    let mut dual = Dual::new(&model);
    // The master programme sets the prices; the ascent and subgradient steps only in a round where
    // it fails, and in every round once it has failed MAX_MASTER_FAILURES times.
    let mut master = Master::new();
    let mut master_failures = 0u32;
    offer_teams(&mut master, &model, &best);
    let mut rng = ChaCha8Rng::seed_from_u64(problem.options.seed);
    let mut hit_time_limit = false;
    // Without the master: exact price raises first, subgradient steps once they stall.
    let mut ascending = true;
    let mut previous_bound = i128::MIN;
    let mut last_primal_seconds = 0.0;
    // Once no team would lower the master, its prices are final: the rounds left only repair.
    let mut final_round: Option<DualRound> = None;
    let mut repairs_at_final_prices = 0u32;
    let mut rounds = 0u32;
    // Small problems go to the exact MIP soon; the bound only needs to prove the levels it easily can.
    let max_rounds = if model.candidate_pairs as usize <= problem.options.mip_max_pairs {
        SMALL_PROBLEM_DUAL_ROUNDS
    } else {
        MAX_DUAL_ROUNDS
    };
    while rounds < max_rounds && repairs_at_final_prices < REPAIRS_AT_FINAL_PRICES {
        if time_left() <= 0.0 {
            hit_time_limit = true;
            break;
        }
        rounds += 1;
        let prices_final = final_round.is_some();
        let mut round = match final_round.take() {
            Some(round) => round,
            None => match dual.evaluate(&model, &search) {
                Ok(round) => round,
                Err(challenge) => {
                    return Err(diagnose_unfilled(&model, &[challenge], true).into());
                }
            },
        };
        let mut step = MasterStep::Failed;
        if !prices_final && master_failures < MAX_MASTER_FAILURES {
            let unit = master_unit(&model.weights, &best, best_value, dual.best_bound(), &model);
            step = master_step(&mut master, &model, &mut dual, &round, unit, time_left());
            if matches!(step, MasterStep::Failed) {
                master_failures += 1;
                if time_left() <= 0.0 {
                    hit_time_limit = true;
                    break;
                }
            }
        }
        if !prices_final && matches!(step, MasterStep::Failed) {
            if master_failures >= MAX_MASTER_FAILURES && dual.converged() {
                break;
            }
            // The ascent stalls once a sweep no longer moves the bound by half a depth point.
            if ascending
                && dual.rounds > 1
                && round.bound < previous_bound + model.weights.depth / 2
            {
                ascending = false;
            }
            previous_bound = previous_bound.max(round.bound);
            if ascending {
                ascending = ascend(&mut dual, &model, &search, &mut round);
            }
            if !ascending {
                dual.subgradient_step(&model, &round, best_value);
            }
        }
        let now_final = prices_final || matches!(step, MasterStep::Final);
        let primal_due = round.teams_feasible
            || dual.rounds % PRIMAL_EVERY == 1
            || (ascending && matches!(step, MasterStep::Failed))
            || now_final;
        // A repair that cannot finish in time would only overrun the limit.
        if primal_due && time_left() > last_primal_seconds {
            let primal_started = Instant::now();
            let mut candidate =
                repair_relaxed(&model, &search, &dual, &round.teams, &mut rng, &mut passes);
            if candidate.is_complete() {
                eject_and_improve(
                    &model,
                    &search,
                    &mut candidate,
                    &order,
                    model.weights.depth / 2,
                    deadline,
                );
                let value = candidate.breakdown(&model).scalar;
                if best_value.is_none_or(|b| value < b) {
                    best = candidate;
                    best_value = Some(value);
                    offer_teams(&mut master, &model, &best);
                }
            }
            last_primal_seconds = primal_started.elapsed().as_secs_f64();
        }
        let bound = dual.best_bound();
        let gap = match (best_value, bound) {
            (Some(_), Some(bound)) => {
                Some(prove_levels(&model.weights, &best.breakdown(&model), bound).1)
            }
            _ => None,
        };
        progress(&Progress {
            phase: Phase::Bound,
            round: dual.rounds,
            objective: best_value,
            bound,
            gap,
            elapsed_ms: elapsed_ms(),
        });
        if gap.is_some_and(|g| g <= problem.options.gap_tolerance) {
            break;
        }
        // Final prices stay final unless the repair's teams leave a finer level open than the
        // one the master counted in: then the next round prices again in that level's unit.
        let finer_level_open =
            master_unit(&model.weights, &best, best_value, bound, &model) < master.unit();
        if now_final && !finer_level_open {
            repairs_at_final_prices += 1;
            final_round = Some(round);
        }
    }

    if !best.is_complete() {
        let unfilled: Vec<usize> = (0..model.challenges.len())
            .filter(|&c| !best.filled[c])
            .collect();
        return Err(diagnose_unfilled(&model, &unfilled, false).into());
    }
    // Whatever time the bound leaves goes to moves that only lower levels can gain from.
    eject_and_improve(&model, &search, &mut best, &order, 0, deadline);
    let mut bound = dual.best_bound().unwrap_or(i128::MIN / 2);
    let mut method = "lagrangian";
    let breakdown = best.breakdown(&model);
    if bound < breakdown.scalar
        && model.candidate_pairs as usize <= problem.options.mip_max_pairs
        && time_left() > 0.0
    {
        progress(&Progress {
            phase: Phase::Certify,
            round: dual.rounds,
            objective: best_value,
            bound: Some(bound),
            gap: None,
            elapsed_ms: elapsed_ms(),
        });
        if let Some(certified) = crate::mip::certify(&model, &best, bound, time_left()) {
            if certified.assignment.breakdown(&model).scalar < breakdown.scalar {
                best = certified.assignment;
            }
            if certified.bound > bound {
                bound = certified.bound;
                method = "mip";
            }
        }
    }
    let breakdown = best.breakdown(&model);
    let bound = bound.min(breakdown.scalar);
    let (levels, gap) = prove_levels(&model.weights, &breakdown, bound);
    let status = if bound == breakdown.scalar || gap == 0.0 {
        SolveStatus::Optimal
    } else if gap <= problem.options.gap_tolerance {
        SolveStatus::WithinGap
    } else if hit_time_limit || time_left() <= 0.0 {
        SolveStatus::TimeLimit
    } else {
        SolveStatus::BestFound
    };
    progress(&Progress {
        phase: Phase::Explain,
        round: dual.rounds,
        objective: Some(breakdown.scalar),
        bound: Some(bound),
        gap: Some(gap),
        elapsed_ms: elapsed_ms(),
    });
    let teams = build_teams_until(&model, &best, Some(final_deadline));
    let scalar_gap = if breakdown.scalar > 0 {
        (breakdown.scalar - bound) as f64 / breakdown.scalar as f64
    } else {
        0.0
    };
    Ok(Solution {
        status,
        teams,
        proof: OptimalityProof {
            bound,
            scalar_gap,
            gap,
            levels,
            method: method.to_owned(),
        },
        objective: breakdown,
        diagnostics: Diagnostics {
            candidate_pairs: model.candidate_pairs,
            pruned_pairs: model.pruned_pairs,
            dual_iterations: dual.rounds,
            primal_passes: passes,
            elapsed_ms: elapsed_ms(),
        },
    })
}

/// How one round went with the master programme.
enum MasterStep {
    /// Solved: the prices are its duals.
    Priced,
    /// No team would lower it and the bound has reached its optimum: the prices are final.
    Final,
    /// Clarabel failed (or ran out of time): the prices are to be moved another way.
    Failed,
}

/// Offers the round's relaxed teams to the master and, unless none would lower it, solves it and
/// sets the prices. If none would but the bound falls short of its optimum (duals too loose), it is
/// solved again to full precision.
fn master_step(
    master: &mut Master,
    model: &Model<'_>,
    dual: &mut Dual,
    round: &DualRound,
    unit: i128,
    seconds: f64,
) -> MasterStep {
    // In a finer unit than the last solve's, its duals no longer judge teams well enough: teams
    // gaining only at the newly open level would be turned away.
    master.count_in(unit);
    let mut new_teams = false;
    for (c, picks) in round.teams.iter().enumerate() {
        new_teams |= master.offer(model, c, picks, Some(round.costs[c]));
    }
    if !new_teams && master.has_prices() {
        if master.bound_reaches_optimum(round.bound - fixed_terms(model)) || master.is_precise() {
            return MasterStep::Final;
        }
        master.solve_precisely();
    }
    match master.solve(model, seconds) {
        Some(prices) => {
            dual.set_prices(&prices);
            MasterStep::Priced
        }
        None => MasterStep::Failed,
    }
}

/// Offers every team of `assignment` to the master (an incumbent's teams keep it feasible with
/// real teams, and let it see them).
fn offer_teams(master: &mut Master, model: &Model<'_>, assignment: &Assignment) {
    for (c, picks) in assignment.picks.iter().enumerate() {
        if assignment.filled[c] {
            master.offer(model, c, picks, None);
        }
    }
}

/// The unit the master counts in: the weight of the first level the bound leaves open, but never
/// coarser than the lowest weighted level from the load level down. Coarser units let the
/// interior-point method's tolerance blur the load level, which then floods the master with teams
/// differing only below it (measured: 3x slower solves on national).
fn master_unit(
    w: &Weights,
    best: &Assignment,
    best_value: Option<i128>,
    bound: Option<i128>,
    model: &Model<'_>,
) -> i128 {
    let finest_coarse = [w.load, w.travel, w.unpaired]
        .into_iter()
        .find(|&weight| weight > 0)
        .unwrap_or(1);
    let open = match (best_value, bound) {
        (Some(_), Some(bound)) => open_level_weight(w, &best.breakdown(model), bound),
        _ => finest_coarse,
    };
    open.min(finest_coarse).max(1)
}

/// The weight of the first level `bound` does not prove optimal for `breakdown` (the lowest level's
/// when every level is proven).
fn open_level_weight(w: &Weights, breakdown: &ObjectiveBreakdown, bound: i128) -> i128 {
    let (levels, _) = prove_levels(w, breakdown, bound);
    let open = levels
        .iter()
        .position(|level| !level.proven_optimal)
        .unwrap_or(Level::ALL.len() - 1);
    w.of(Level::ALL[open]).max(1)
}

/// A complete assignment from relaxed teams: each team that still fits is kept (in a seeded order),
/// the rest are filled at their true cost plus the prices (which steer them away from reviewers other
/// teams need), then repaired and improved at true cost.
fn repair_relaxed(
    model: &Model<'_>,
    search: &TeamSearch<'_>,
    dual: &Dual,
    teams: &[Vec<crate::team::Pick>],
    rng: &mut ChaCha8Rng,
    passes: &mut u32,
) -> Assignment {
    let order = seeded_order(model, rng);
    let mut candidate = Assignment::empty(model);
    for &c in &order {
        let picks = &teams[c];
        let fits = picks
            .iter()
            .all(|p| candidate.marginal_cost(model, c, p.reviewer).is_some())
            && !has_duplicates(picks);
        if fits {
            candidate.set(c, picks.clone());
        }
    }
    for &c in &order {
        if !candidate.filled[c] {
            let challenge = &model.challenges[c];
            let extra = |r: u32| {
                candidate
                    .marginal_cost(model, c, r)
                    .map(|cost| cost + dual.extra(challenge, r))
            };
            if let Some(answer) = search.best_team(challenge, &extra, dual.extra_floor()) {
                candidate.set(c, answer.picks);
            }
        }
    }
    fill_and_improve(model, search, &mut candidate, &order, passes);
    candidate
}

fn has_duplicates(picks: &[crate::team::Pick]) -> bool {
    picks
        .iter()
        .enumerate()
        .any(|(i, p)| picks[..i].iter().any(|q| q.reviewer == p.reviewer))
}

/// Challenges with the fewest candidates per open seat first: they are the easiest to strand.
fn scarcity_order(model: &Model<'_>) -> Vec<usize> {
    let mut order: Vec<(u64, usize)> = model
        .challenges
        .iter()
        .enumerate()
        .map(|(c, challenge)| {
            let scarcity = challenge
                .groups
                .iter()
                .filter(|g| g.need > 0)
                .map(|g| {
                    g.classes
                        .iter()
                        .map(|k| k.candidates.len() as u64)
                        .sum::<u64>()
                        / u64::from(g.need)
                })
                .min()
                .unwrap_or(u64::MAX);
            (scarcity, c)
        })
        .collect();
    order.sort_unstable();
    order.into_iter().map(|(_, c)| c).collect()
}

fn seeded_order(model: &Model<'_>, rng: &mut ChaCha8Rng) -> Vec<usize> {
    let mut keyed: Vec<(u64, usize)> = (0..model.challenges.len())
        .map(|c| (rng.next_u64(), c))
        .collect();
    keyed.sort_unstable();
    keyed.into_iter().map(|(_, c)| c).collect()
}

/// The first complete set of teams: greedy by scarcity, repaired, improved while time allows.
/// Gives up with the time limit error if the limit passes before every team is filled.
fn construct(
    model: &Model<'_>,
    search: &TeamSearch<'_>,
    order: &[usize],
    passes: &mut u32,
    deadline: Instant,
) -> Result<Assignment, SolveError> {
    let mut assignment = Assignment::empty(model);
    let out_of_time = || Instant::now() >= deadline;
    for &c in order {
        if out_of_time() {
            return Err(ModelError::time_limit(model.problem).into());
        }
        if !assignment.filled[c]
            && let Some(answer) = assignment.solve_one(model, search, c)
        {
            assignment.set(c, answer.picks);
        }
    }
    for &c in order {
        if out_of_time() {
            return Err(ModelError::time_limit(model.problem).into());
        }
        if !assignment.filled[c] {
            repair(model, search, &mut assignment, c);
        }
    }
    for _ in 0..MAX_IMPROVEMENT_PASSES {
        *passes += 1;
        let mut changed = false;
        for &c in order {
            if out_of_time() {
                return Ok(assignment);
            }
            changed |= assignment.improve(model, search, c);
        }
        if !changed {
            break;
        }
    }
    Ok(assignment)
}

/// Fills every open challenge in `order`, repairs the ones that cannot be filled by freeing a blocking
/// reviewer, then re-optimises challenge by challenge until nothing improves.
fn fill_and_improve(
    model: &Model<'_>,
    search: &TeamSearch<'_>,
    assignment: &mut Assignment,
    order: &[usize],
    passes: &mut u32,
) {
    for &c in order {
        if !assignment.filled[c]
            && let Some(answer) = assignment.solve_one(model, search, c)
        {
            assignment.set(c, answer.picks);
        }
    }
    for &c in order {
        if !assignment.filled[c] {
            repair(model, search, assignment, c);
        }
    }
    for _ in 0..MAX_IMPROVEMENT_PASSES {
        *passes += 1;
        let mut changed = false;
        for &c in order {
            changed |= assignment.improve(model, search, c);
        }
        if !changed {
            break;
        }
    }
}

/// Tries to fill `challenge` by moving one blocking reviewer off another team (which is re-solved
/// without them). Kept only if both teams end up filled.
fn repair(
    model: &Model<'_>,
    search: &TeamSearch<'_>,
    assignment: &mut Assignment,
    challenge: usize,
) -> bool {
    let mut blockers: Vec<(i128, u32)> = Vec::new();
    for group in model.challenges[challenge]
        .groups
        .iter()
        .filter(|g| g.need > 0)
    {
        for class in &group.classes {
            for cand in &class.candidates {
                if assignment
                    .marginal_cost(model, challenge, cand.reviewer)
                    .is_none()
                {
                    blockers.push((cand.fixed_cost(&model.weights), cand.reviewer));
                }
            }
        }
    }
    blockers.sort_unstable();
    blockers.dedup_by_key(|(_, r)| *r);
    for &(_, reviewer) in blockers.iter().take(40) {
        let holding: Vec<u32> = assignment.booked[reviewer as usize].clone();
        for other in holding {
            let other = other as usize;
            let snapshot = assignment.clone();
            assignment.clear(other);
            let Some(other_answer) =
                assignment.solve_one_excluding(model, search, other, Some(reviewer))
            else {
                *assignment = snapshot;
                continue;
            };
            assignment.set(other, other_answer.picks);
            if let Some(answer) = assignment.solve_one(model, search, challenge) {
                assignment.set(challenge, answer.picks);
                return true;
            }
            *assignment = snapshot;
        }
    }
    false
}
