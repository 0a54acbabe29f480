//! The exact MIP certifier (good_lp; microlp by default, HiGHS with the `highs` feature) for problems
//! small enough to model whole, used when the Lagrangian bound leaves a gap.
//!
//! The lexicographic objective is solved level by level (minimise a level, then hold it at its optimum
//! while minimising the next) rather than as one weighted sum: the weights span many orders of magnitude
//! and a floating-point solver's tolerances would blur the lower levels. Levels the Lagrangian bound
//! already proves are held at the incumbent's value without a solve.

use crate::assignment::Assignment;
use crate::model::Model;
use crate::objective::{Level, marginal_load_cost, prove_levels};
use crate::team::Pick;
use good_lp::{
    Expression, ProblemVariables, Solution, SolverModel, Variable, WithTimeLimit, variable,
};
use std::collections::BTreeMap;
use std::time::Instant;

#[cfg(feature = "highs")]
use good_lp::highs as mip_solver;
#[cfg(not(feature = "highs"))]
use good_lp::microlp as mip_solver;

/// An optimal assignment and its (equal) bound, when every level's MIP finishes in time.
#[derive(Debug)]
pub(crate) struct Certified {
    pub assignment: Assignment,
    pub bound: i128,
}

/// One x variable: challenge, seat group, candidate.
struct Choice {
    challenge: usize,
    pick: Pick,
    var: Variable,
}

struct Formulation {
    vars: ProblemVariables,
    choices: Vec<Choice>,
    levels: BTreeMap<Level, Expression>,
    constraints: Vec<good_lp::Constraint>,
}

fn formulate(model: &Model<'_>) -> Formulation {
    let w = &model.weights;
    let mut vars = ProblemVariables::new();
    let mut choices = Vec::new();
    let mut constraints = Vec::new();
    let mut levels: BTreeMap<Level, Expression> = Level::ALL
        .iter()
        .map(|&l| (l, Expression::from(0.0)))
        .collect();
    let add_to = |levels: &mut BTreeMap<Level, Expression>,
                  level: Level,
                  coefficient: f64,
                  var: Variable| {
        if coefficient != 0.0
            && let Some(e) = levels.get_mut(&level)
        {
            e.add_mul(coefficient, var);
        }
    };
    let mut per_reviewer: Vec<Vec<usize>> = vec![Vec::new(); model.reviewers.len()];
    for (c, challenge) in model.challenges.iter().enumerate() {
        let first = choices.len();
        for (g, group) in challenge.groups.iter().enumerate() {
            if group.need == 0 {
                continue;
            }
            let mut seat_sum = Expression::from(0.0);
            for class in &group.classes {
                for cand in &class.candidates {
                    let var = vars.add(variable().binary());
                    seat_sum.add_mul(1.0, var);
                    add_to(
                        &mut levels,
                        Level::Changes,
                        f64::from(u8::from(cand.is_change)),
                        var,
                    );
                    add_to(
                        &mut levels,
                        Level::DepthShortfall,
                        f64::from(cand.depth_shortfall),
                        var,
                    );
                    add_to(&mut levels, Level::Travel, f64::from(cand.travel), var);
                    per_reviewer[cand.reviewer as usize].push(choices.len());
                    choices.push(Choice {
                        challenge: c,
                        pick: Pick {
                            group: g,
                            reviewer: cand.reviewer,
                            mask: class.mask,
                            flags: class.experience.flag(),
                            fixed: cand.fixed_cost(w),
                            candidate: *cand,
                        },
                        var,
                    });
                }
            }
            constraints.push(seat_sum.eq(f64::from(group.need)));
        }
        let mine = &choices[first..];
        // One seat per person, and the per-authority limit.
        let mut by_person: BTreeMap<u32, Vec<Variable>> = BTreeMap::new();
        let mut by_authority: BTreeMap<u32, Vec<Variable>> = BTreeMap::new();
        for choice in mine {
            by_person
                .entry(choice.pick.reviewer)
                .or_default()
                .push(choice.var);
            let authority = model.reviewers[choice.pick.reviewer as usize].authority;
            by_authority.entry(authority).or_default().push(choice.var);
        }
        for list in by_person.values().filter(|l| l.len() > 1) {
            constraints.push(sum(list).leq(1.0));
        }
        if let Some(cap) = model.problem.options.max_per_authority {
            for (authority, list) in &by_authority {
                let pinned = challenge
                    .pinned_authorities
                    .iter()
                    .filter(|a| *a == authority)
                    .count() as f64;
                let room = f64::from(cap) - pinned;
                let distinct_people = {
                    let mut people: Vec<u32> = mine
                        .iter()
                        .filter(|ch| {
                            model.reviewers[ch.pick.reviewer as usize].authority == *authority
                        })
                        .map(|ch| ch.pick.reviewer)
                        .collect();
                    people.dedup();
                    people.len() as f64
                };
                if distinct_people > room {
                    constraints.push(sum(list).leq(room));
                }
            }
        }
        // Coverage: a theme counts as covered only if a chosen member covers it.
        let full = challenge.full_mask();
        for t in 0..challenge.theme_count {
            let bit = 1u16 << t;
            if challenge.pinned_mask & bit != 0 || full & bit == 0 {
                continue;
            }
            let covered = vars.add(variable().min(0.0).max(1.0));
            let coverers: Vec<Variable> = mine
                .iter()
                .filter(|ch| ch.pick.mask & bit != 0)
                .map(|ch| ch.var)
                .collect();
            constraints.push(Expression::from(covered).leq(sum(&coverers)));
            if let Some(e) = levels.get_mut(&Level::UncoveredThemes) {
                e.add_mul(-1.0, covered);
                *e += 1.0;
            }
        }
        // Pairing: a team with a new member and no experienced one pays 1.
        if challenge.pinned_flags & 2 == 0 {
            let experienced: Vec<Variable> = mine
                .iter()
                .filter(|ch| ch.pick.flags & 2 != 0)
                .map(|ch| ch.var)
                .collect();
            let unpaired = vars.add(variable().min(0.0).max(1.0));
            if challenge.pinned_flags & 1 != 0 {
                constraints.push((Expression::from(unpaired) + sum(&experienced)).geq(1.0));
            } else {
                let mut new_people: Vec<u32> = mine
                    .iter()
                    .filter(|ch| ch.pick.flags & 1 != 0)
                    .map(|ch| ch.pick.reviewer)
                    .collect();
                new_people.sort_unstable();
                new_people.dedup();
                for person in new_people {
                    let theirs: Vec<Variable> = mine
                        .iter()
                        .filter(|ch| ch.pick.reviewer == person)
                        .map(|ch| ch.var)
                        .collect();
                    constraints
                        .push((Expression::from(unpaired) + sum(&experienced)).geq(sum(&theirs)));
                }
            }
            if let Some(e) = levels.get_mut(&Level::UnpairedNewReviewers) {
                e.add_mul(1.0, unpaired);
            }
        }
    }
    // Load: convex steps, and one visit per day.
    for (r, facts) in model.reviewers.iter().enumerate() {
        let mine = &per_reviewer[r];
        if mine.is_empty() {
            continue;
        }
        let seats: Vec<Variable> = mine.iter().map(|&i| choices[i].var).collect();
        let mut steps = Expression::from(0.0);
        for step in 0..facts.spare {
            let z = vars.add(variable().min(0.0).max(1.0));
            steps.add_mul(1.0, z);
            if let Some(e) = levels.get_mut(&Level::LoadCost) {
                e.add_mul(marginal_load_cost(facts.base + step) as f64, z);
            }
        }
        constraints.push(sum(&seats).eq(steps));
        let mut by_day: BTreeMap<u32, Vec<Variable>> = BTreeMap::new();
        for &i in mine {
            for &day in &model.challenges[choices[i].challenge].days {
                by_day.entry(day).or_default().push(choices[i].var);
            }
        }
        for list in by_day.values() {
            let mut challenges: Vec<usize> = Vec::new();
            for &i in mine {
                if list.contains(&choices[i].var) {
                    challenges.push(choices[i].challenge);
                }
            }
            challenges.dedup();
            if challenges.len() > 1 {
                constraints.push(sum(list).leq(1.0));
            }
        }
    }
    Formulation {
        vars,
        choices,
        levels,
        constraints,
    }
}

fn sum(vars: &[Variable]) -> Expression {
    let mut e = Expression::with_capacity(vars.len());
    for &v in vars {
        e.add_mul(1.0, v);
    }
    e
}

/// Solves the levels the incumbent does not already prove, one MIP each. `None` when a level does not
/// finish within `seconds` (the caller keeps its Lagrangian bound then).
pub(crate) fn certify(
    model: &Model<'_>,
    incumbent: &Assignment,
    bound: i128,
    seconds: f64,
) -> Option<Certified> {
    let started = Instant::now();
    let incumbent_breakdown = incumbent.breakdown(model);
    let (proofs, _) = prove_levels(&model.weights, &incumbent_breakdown, bound);
    let mut held: Vec<(Level, f64)> = Vec::new();
    let mut best: Option<Assignment> = None;
    for (level, proof) in Level::ALL.iter().zip(&proofs) {
        if model.weights.of(*level) == 0 {
            continue;
        }
        if proof.proven_optimal && best.is_none() {
            held.push((*level, incumbent_breakdown.level_value(*level) as f64));
            continue;
        }
        let remaining = seconds - started.elapsed().as_secs_f64();
        if remaining <= 0.0 {
            return None;
        }
        let Formulation {
            vars,
            choices,
            levels,
            constraints,
        } = formulate(model);
        let objective = levels.get(level)?.clone();
        let mut problem = vars
            .minimise(objective.clone())
            .using(mip_solver)
            .with_time_limit(remaining);
        for constraint in constraints {
            problem = problem.with(constraint);
        }
        for (held_level, value) in &held {
            let expression = levels.get(held_level)?.clone();
            problem = problem.with(expression.leq(value + 0.5));
        }
        let solution = problem.solve().ok()?;
        if !matches!(solution.status(), good_lp::solvers::SolutionStatus::Optimal) {
            return None;
        }
        let value = objective.eval_with(&solution).round();
        held.push((*level, value));
        let mut assignment = Assignment::empty(model);
        let mut picks: Vec<Vec<Pick>> = vec![Vec::new(); model.challenges.len()];
        for choice in &choices {
            if solution.value(choice.var) > 0.5 {
                picks[choice.challenge].push(choice.pick);
            }
        }
        for (c, team) in picks.into_iter().enumerate() {
            assignment.set(c, team);
        }
        best = Some(assignment);
    }
    let assignment = match best {
        Some(assignment) => assignment,
        None => incumbent.clone(),
    };
    let scalar = assignment.breakdown(model).scalar;
    Some(Certified {
        assignment,
        bound: scalar,
    })
}
