//! Local search on a complete assignment: ejection moves between two challenges over a contested
//! reviewer.
//!
//! Re-solving one challenge with the rest fixed ([`Assignment::improve`]) cannot use a reviewer whom
//! another team holds on an overlapping day or who is at their yearly cap. The ejection move does: for a
//! challenge `A` and a reviewer `r` who would improve it but is blocked by a team `B`, clear both teams,
//! re-solve `B` exactly without `r` (it may take `A`'s former members), then re-solve `A` exactly (now
//! free to take `r`). The move is kept only when the true lexicographic objective strictly falls; the
//! change is evaluated incrementally (the two teams' own terms plus the load cost of every reviewer whose
//! load moved), so a move costs two team searches whatever the instance size. Both teams come from the
//! exact team search with every other booking respected, so no hard rule can break.

use crate::assignment::Assignment;
use crate::model::{Model, unpaired};
use crate::objective::load_cost;
use crate::team::{Pick, TeamSearch};
use std::time::Instant;

/// Most blocked candidates tried per seat group in one pass; the best ones come first.
const CANDIDATES_PER_GROUP: usize = 12;

/// Runs passes of ejection moves over `order` until a pass changes nothing or `deadline` passes.
/// Returns how many moves were kept. Never makes the objective worse.
///
/// `min_gain` is how much cheaper (fixed cost plus the load of the seat given up) a blocked reviewer
/// must be than the member they would displace to be tried: `weights.depth / 2` tries only moves that
/// can gain depth, which is where the gap is measured; 0 tries every move that can help some level.
pub(crate) fn eject_and_improve(
    model: &Model<'_>,
    search: &TeamSearch<'_>,
    assignment: &mut Assignment,
    order: &[usize],
    min_gain: i128,
    deadline: Instant,
) -> u32 {
    if !assignment.is_complete() {
        return 0;
    }
    let mut kept = 0;
    loop {
        let mut changed = false;
        for &a in order {
            if Instant::now() >= deadline {
                return kept;
            }
            let cands = blocked_candidates(model, assignment, a, min_gain);
            for (r, b) in cands {
                if try_ejection(model, search, assignment, a, r, b) {
                    kept += 1;
                    changed = true;
                    break;
                }
            }
        }
        if !changed {
            return kept;
        }
    }
}

/// Reviewers who would lower `a`'s own cost in some seat group (a smaller fixed cost than the worst
/// member there, or a theme the team lacks) but are blocked, each with a team whose release would
/// free them, best first.
fn blocked_candidates(
    model: &Model<'_>,
    assignment: &Assignment,
    a: usize,
    min_gain: i128,
) -> Vec<(u32, usize)> {
    let challenge = &model.challenges[a];
    let w = &model.weights;
    let picks = &assignment.picks[a];
    let team_mask = picks.iter().fold(challenge.pinned_mask, |m, p| m | p.mask);
    let lacking = challenge.full_mask() & !team_mask;
    let mut found: Vec<(i128, u32, usize)> = Vec::new();
    for (g, group) in challenge.groups.iter().enumerate() {
        if group.need == 0 {
            continue;
        }
        // A member's worth to the team: their fixed cost plus the load cost of their seat here.
        let Some(worst) = picks
            .iter()
            .filter(|p| p.group == g)
            .map(|p| p.fixed + last_seat_cost(model, assignment, p.reviewer))
            .max()
        else {
            continue;
        };
        let mut in_group: Vec<(i128, u32, usize)> = Vec::new();
        for class in &group.classes {
            let adds_cover = class.mask & lacking != 0;
            for cand in &class.candidates {
                let fixed = cand.fixed_cost(w);
                if fixed + min_gain >= worst && !adds_cover {
                    // Sorted by fixed cost, and a blocked reviewer's seat here costs at least zero.
                    break;
                }
                let r = cand.reviewer;
                if picks.iter().any(|p| p.reviewer == r)
                    || assignment.marginal_cost(model, a, r).is_some()
                {
                    continue;
                }
                if let Some(b) = releasing_team(model, assignment, a, r) {
                    in_group.push((fixed, r, b));
                }
            }
        }
        in_group.sort_unstable();
        in_group.truncate(CANDIDATES_PER_GROUP);
        found.extend(in_group);
    }
    found.sort_unstable();
    found.dedup_by_key(|(_, r, _)| *r);
    found.into_iter().map(|(_, r, b)| (r, b)).collect()
}

/// The load cost of the last seat `r` holds (what moving one of their seats elsewhere keeps paying).
fn last_seat_cost(model: &Model<'_>, assignment: &Assignment, r: u32) -> i128 {
    let facts = &model.reviewers[r as usize];
    let load = facts.base + assignment.load[r as usize];
    model.weights.load
        * (i128::from(load_cost(load)) - i128::from(load_cost(load.saturating_sub(1))))
}

/// The one team whose release would make `r` free for `a`, if there is one: the team holding them on
/// a day `a` needs, or (when they are at their cap and booked on no such day) their first team.
fn releasing_team(model: &Model<'_>, assignment: &Assignment, a: usize, r: u32) -> Option<usize> {
    let overlapping = &model.challenges[a].overlapping;
    let booked = &assignment.booked[r as usize];
    let mut clashing = booked
        .iter()
        .filter(|c| overlapping.binary_search(c).is_ok());
    match (clashing.next(), clashing.next()) {
        (Some(&b), None) => Some(b as usize),
        (Some(_), Some(_)) => None,
        (None, _) => booked.first().map(|&b| b as usize),
    }
}

/// One ejection move (see the module docs); keeps it only if the objective strictly falls.
fn try_ejection(
    model: &Model<'_>,
    search: &TeamSearch<'_>,
    assignment: &mut Assignment,
    a: usize,
    r: u32,
    b: usize,
) -> bool {
    let old_a = assignment.picks[a].clone();
    let old_b = assignment.picks[b].clone();
    let restore = |assignment: &mut Assignment| {
        assignment.clear(a);
        assignment.clear(b);
        assignment.set(a, old_a.clone());
        assignment.set(b, old_b.clone());
    };
    // B first, with A's team still held, so B cannot simply take A's members.
    assignment.clear(b);
    let Some(new_b) = assignment.solve_one_excluding(model, search, b, Some(r)) else {
        restore(assignment);
        return false;
    };
    assignment.set(b, new_b.picks);
    assignment.clear(a);
    let Some(new_a) = assignment.solve_one(model, search, a) else {
        restore(assignment);
        return false;
    };
    assignment.set(a, new_a.picks);
    // A released members B may want back.
    assignment.improve(model, search, b);
    let delta = change_in_objective(model, assignment, &[(a, &old_a), (b, &old_b)], &[a, b]);
    if delta < 0 {
        true
    } else {
        restore(assignment);
        false
    }
}

/// The change in the scalar objective from teams `before` (challenge, old picks) to the current teams
/// of `now`: their own terms plus the load cost of every reviewer on either side.
pub(crate) fn change_in_objective(
    model: &Model<'_>,
    assignment: &Assignment,
    before: &[(usize, &Vec<Pick>)],
    now: &[usize],
) -> i128 {
    let mut delta = 0i128;
    // (reviewer, seats gained) over the changed teams.
    let mut moved: Vec<(u32, i32)> = Vec::new();
    for &(c, picks) in before {
        delta -= team_terms(model, c, picks);
        moved.extend(picks.iter().map(|p| (p.reviewer, -1)));
    }
    for &c in now {
        let picks = &assignment.picks[c];
        delta += team_terms(model, c, picks);
        moved.extend(picks.iter().map(|p| (p.reviewer, 1)));
    }
    moved.sort_unstable();
    for run in moved.chunk_by(|x, y| x.0 == y.0) {
        let gained: i32 = run.iter().map(|(_, g)| g).sum();
        if gained != 0 {
            let r = run[0].0 as usize;
            let after = model.reviewers[r].base + assignment.load[r];
            let before = after.wrapping_add_signed(-gained);
            delta +=
                model.weights.load * (i128::from(load_cost(after)) - i128::from(load_cost(before)));
        }
    }
    delta
}

/// One team's terms of the objective apart from load: members' fixed costs, uncovered themes, pairing.
fn team_terms(model: &Model<'_>, c: usize, picks: &[Pick]) -> i128 {
    let challenge = &model.challenges[c];
    let w = &model.weights;
    let (mask, flags, fixed) = picks.iter().fold(
        (challenge.pinned_mask, challenge.pinned_flags, 0i128),
        |(m, f, x), p| (m | p.mask, f | p.flags, x + p.fixed),
    );
    fixed
        + w.uncovered * i128::from((challenge.full_mask() & !mask).count_ones())
        + if unpaired(flags) { w.unpaired } else { 0 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instances::generate_custom;
    use crate::model::Model;
    use crate::rules::check_teams;

    /// On random instances every kept move lowers the objective exactly as counted, and the final
    /// teams break no hard rule.
    #[test]
    fn ejection_never_worsens_and_never_breaks_a_rule() {
        for seed in 0..12u64 {
            let problem = generate_custom(40, 8, 6, seed);
            let Ok(model) = Model::build(&problem) else {
                continue;
            };
            let search = TeamSearch {
                weights: &model.weights,
                reviewers: &model.reviewers,
                authority_cap: problem.options.max_per_authority,
                node_limit: 200_000,
            };
            let order: Vec<usize> = (0..model.challenges.len()).collect();
            let mut assignment = Assignment::empty(&model);
            for &c in &order {
                if let Some(answer) = assignment.solve_one(&model, &search, c) {
                    assignment.set(c, answer.picks);
                }
            }
            if !assignment.is_complete() {
                continue;
            }
            let before = assignment.breakdown(&model).scalar;
            let deadline = Instant::now() + std::time::Duration::from_secs(5);
            let mut expected = before;
            // Step by step, so each move's counted change can be checked from scratch.
            loop {
                let snapshot = assignment.clone();
                let mut moved = false;
                'outer: for &a in &order {
                    for (r, b) in blocked_candidates(&model, &assignment, a, 0) {
                        let old = [
                            (a, assignment.picks[a].clone()),
                            (b, assignment.picks[b].clone()),
                        ];
                        if try_ejection(&model, &search, &mut assignment, a, r, b) {
                            let refs: Vec<(usize, &Vec<Pick>)> =
                                old.iter().map(|(c, p)| (*c, p)).collect();
                            expected += change_in_objective(&model, &assignment, &refs, &[a, b]);
                            moved = true;
                            break 'outer;
                        }
                    }
                }
                if !moved {
                    assert_eq!(assignment, snapshot);
                    break;
                }
                assert_eq!(assignment.breakdown(&model).scalar, expected);
                assert!(expected < before);
            }
            let mut again = assignment.clone();
            eject_and_improve(&model, &search, &mut again, &order, 0, deadline);
            assert_eq!(again, assignment);
            let teams = crate::explain::build_teams(&model, &assignment);
            assert!(check_teams(&problem, &teams).is_empty());
        }
    }
}
