//! Dual coordinate ascent on the Lagrangian prices (an auction, in effect). For one over-demanded
//! reviewer, the Lagrangian as a function of their seat price alone is concave and piecewise linear:
//! each challenge holding them pays the price until it reaches what they are worth to it (the cost of
//! its best team without them minus its team's cost without the price), and the reviewer's side gains
//! the price minus the load cost for every seat they take. Its maximum is at one of those breakpoints,
//! so it can be found exactly from a few team searches; the same holds for the price of one day. Raising
//! prices this way climbs straight to the depth scale that subgradient steps take hundreds of rounds to
//! reach. Only the challenges holding the reviewer are re-solved, and their teams stay optimal at the
//! new prices, so a sweep is cheap.

use crate::dual::{Dual, DualRound, unit_load_cost};
use crate::model::Model;
use crate::team::{TeamAnswer, TeamSearch};

/// One challenge holding the reviewer whose price is being set: what they are worth to it, and its
/// best team without them (`None`: it has no team without them).
struct Holder {
    challenge: usize,
    worth: Option<i128>,
    alternative: Option<TeamAnswer>,
}

/// The relaxed teams as the ascent updates them, with who sits on which.
struct Relaxed<'r> {
    round: &'r mut DualRound,
    /// Per reviewer, the challenges whose relaxed team holds them, sorted.
    holders: Vec<Vec<u32>>,
}

impl<'r> Relaxed<'r> {
    fn new(model: &Model<'_>, round: &'r mut DualRound) -> Self {
        let mut holders = vec![Vec::new(); model.reviewers.len()];
        for (c, team) in round.teams.iter().enumerate() {
            for pick in team {
                holders[pick.reviewer as usize].push(c as u32);
            }
        }
        Self { round, holders }
    }

    fn replace(&mut self, challenge: usize, answer: TeamAnswer) {
        for pick in &self.round.teams[challenge] {
            self.holders[pick.reviewer as usize].retain(|&c| c as usize != challenge);
        }
        for pick in &answer.picks {
            let list = &mut self.holders[pick.reviewer as usize];
            let position = list.partition_point(|&c| (c as usize) < challenge);
            list.insert(position, challenge as u32);
        }
        self.round.teams[challenge] = answer.picks;
        self.round.costs[challenge] = answer.cost;
    }
}

/// One sweep of exact price raises: every over-demanded reviewer's seat price, then every over-booked
/// reviewer-day's price. Updates `round`'s teams and costs to stay optimal at the new prices. Returns
/// whether any price rose (the caller re-evaluates the bound).
pub(crate) fn ascend(
    dual: &mut Dual,
    model: &Model<'_>,
    search: &TeamSearch<'_>,
    round: &mut DualRound,
) -> bool {
    let mut relaxed = Relaxed::new(model, round);
    let mut raised = false;
    for r in 0..model.reviewers.len() {
        if relaxed.holders[r].len() > model.reviewers[r].spare as usize {
            raised |= raise_seat_price(dual, model, search, &mut relaxed, r as u32);
        }
    }
    for r in 0..model.reviewers.len() {
        for day in over_booked_days(model, &relaxed.holders[r]) {
            raised |= raise_day_price(dual, model, search, &mut relaxed, r as u32, day);
        }
    }
    raised
}

/// Days on which the reviewer's relaxed teams overlap.
fn over_booked_days(model: &Model<'_>, holding: &[u32]) -> Vec<u32> {
    let mut days: Vec<u32> = holding
        .iter()
        .flat_map(|&c| model.challenges[c as usize].days.iter().copied())
        .collect();
    days.sort_unstable();
    days.chunk_by(|a, b| a == b)
        .filter(|run| run.len() > 1)
        .map(|run| run[0])
        .collect()
}

fn raise_seat_price(
    dual: &mut Dual,
    model: &Model<'_>,
    search: &TeamSearch<'_>,
    relaxed: &mut Relaxed<'_>,
    r: u32,
) -> bool {
    let current = dual.seat_price[r as usize];
    let holding = relaxed.holders[r as usize].clone();
    let holders = appraise(dual, model, search, relaxed, r, &holding, current);
    let spare = model.reviewers[r as usize].spare;
    let unit_costs: Vec<i128> = (1..=spare)
        .map(|n| unit_load_cost(model, r as usize, n))
        .collect();
    let price = best_price(current, &holders, &unit_costs);
    if price <= current {
        return false;
    }
    dual.seat_price[r as usize] = price;
    settle(relaxed, holders, price - current, price);
    true
}

fn raise_day_price(
    dual: &mut Dual,
    model: &Model<'_>,
    search: &TeamSearch<'_>,
    relaxed: &mut Relaxed<'_>,
    r: u32,
    day: u32,
) -> bool {
    let current = dual.day_price_of(r, day);
    let holding: Vec<u32> = relaxed.holders[r as usize]
        .iter()
        .copied()
        .filter(|&c| model.challenges[c as usize].days.contains(&day))
        .collect();
    if holding.len() < 2 {
        return false;
    }
    let holders = appraise(dual, model, search, relaxed, r, &holding, current);
    // One visit a day: a single unit of capacity that costs nothing to use.
    let price = best_price(current, &holders, &[0]);
    if price <= current {
        return false;
    }
    dual.set_day_price(r, day, price);
    settle(relaxed, holders, price - current, price);
    true
}

/// What reviewer `r` is worth to each challenge in `holding`, where they currently pay `current`.
fn appraise(
    dual: &Dual,
    model: &Model<'_>,
    search: &TeamSearch<'_>,
    relaxed: &Relaxed<'_>,
    r: u32,
    holding: &[u32],
    current: i128,
) -> Vec<Holder> {
    let floor = dual.extra_floor();
    holding
        .iter()
        .map(|&c| {
            let challenge = &model.challenges[c as usize];
            let extra = |other: u32| (other != r).then(|| dual.extra(challenge, other));
            let alternative = search.best_team(challenge, &extra, floor);
            let with = relaxed.round.costs[c as usize];
            Holder {
                challenge: c as usize,
                worth: alternative.as_ref().map(|a| a.cost - with + current),
                alternative,
            }
        })
        .collect()
}

/// Applies a new price: holders to whom the reviewer is worth no more than it switch to their best team
/// without them; the others pay `rise` more.
fn settle(relaxed: &mut Relaxed<'_>, holders: Vec<Holder>, rise: i128, price: i128) {
    for holder in holders {
        match (holder.worth, holder.alternative) {
            (Some(worth), Some(alternative)) if worth <= price => {
                relaxed.replace(holder.challenge, alternative);
            }
            _ => relaxed.round.costs[holder.challenge] += rise,
        }
    }
}

/// The price at or above `current` that maximises the Lagrangian in this one price:
/// Σ_holders min(worth, p) − Σ_units max(0, p − unit cost) (a holder with no alternative counts p).
/// Smallest maximiser; breakpoints only, since the function is piecewise linear and concave.
fn best_price(current: i128, holders: &[Holder], unit_costs: &[i128]) -> i128 {
    let value = |p: i128| -> i128 {
        let held: i128 = holders
            .iter()
            .map(|h| h.worth.map_or(p, |w| w.min(p)))
            .sum();
        let paid: i128 = unit_costs.iter().map(|&u| (p - u).max(0)).sum();
        held - paid
    };
    let mut candidates: Vec<i128> = holders
        .iter()
        .filter_map(|h| h.worth)
        .chain(unit_costs.iter().copied())
        .filter(|&p| p > current)
        .collect();
    candidates.sort_unstable();
    let mut best = (value(current), current);
    for p in candidates {
        let v = value(p);
        if v > best.0 {
            best = (v, p);
        }
    }
    best.1
}
