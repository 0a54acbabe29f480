//! The Lagrangian lower bound. Each reviewer's load ties the challenges together (the yearly cap, the
//! convex load cost, one visit per day); pricing a reviewer's seats (λ) and their days (μ) splits the
//! problem into one exact team search per challenge plus a one-line choice of load per reviewer. Any
//! prices give a valid bound; the master programme's duals ([`crate::master`]) set them, and
//! [`crate::ascent`] with subgradient steps move them when it cannot.

use crate::master::MasterPrices;
use crate::model::{ChallengeModel, Model};
use crate::objective::{load_cost, marginal_load_cost};
use crate::team::{Pick, TeamSearch};

/// The first Polyak step's fraction of the distance to the target. Small, because the subgradient
/// steps start from the ascent's prices, which are already close to the best ones: larger steps throw
/// them away and take dozens of rounds to climb back.
const INITIAL_STEP_SCALE: f64 = 0.1;

/// Prices (in objective units) and step-size state of the subgradient method.
#[derive(Debug)]
pub(crate) struct Dual {
    pub seat_price: Vec<i128>,
    /// Per reviewer, sorted (day, price) pairs; only days some teams would share get a price.
    pub day_price: Vec<Vec<(u32, i128)>>,
    step_scale: f64,
    best_bound: Option<i128>,
    rounds_without_progress: u32,
    pub rounds: u32,
}

/// One evaluation of the Lagrangian: the relaxed teams behind the bound and its subgradient.
#[derive(Debug)]
pub(crate) struct DualRound {
    pub teams: Vec<Vec<Pick>>,
    /// Each team's cost at the prices of this round (as the team search counts it).
    pub costs: Vec<i128>,
    /// True when the relaxed teams already respect every load cap and day.
    pub teams_feasible: bool,
    pub bound: i128,
    seat_gradient: Vec<f64>,
    day_gradient: Vec<(u32, u32, f64)>,
}

impl Dual {
    pub(crate) fn new(model: &Model<'_>) -> Self {
        let seat_price = model
            .reviewers
            .iter()
            .map(|r| model.weights.load * i128::from(marginal_load_cost(r.base)))
            .collect();
        Self {
            seat_price,
            day_price: vec![Vec::new(); model.reviewers.len()],
            step_scale: INITIAL_STEP_SCALE,
            best_bound: None,
            rounds_without_progress: 0,
            rounds: 0,
        }
    }

    pub(crate) fn best_bound(&self) -> Option<i128> {
        self.best_bound
    }

    /// Whether further subgradient steps are unlikely to help.
    pub(crate) fn converged(&self) -> bool {
        self.step_scale < 1e-3
    }

    /// What reviewer `r` costs `challenge` on top of their fixed cost: the seat price plus the prices of
    /// the challenge's days.
    pub(crate) fn extra(&self, challenge: &ChallengeModel, r: u32) -> i128 {
        let mut cost = self.seat_price[r as usize];
        for &(day, p) in &self.day_price[r as usize] {
            if challenge.days.binary_search(&day).is_ok() {
                cost += p;
            }
        }
        cost
    }

    /// A lower bound on every `extra` value, which lets the team search stop scanning a class early.
    pub(crate) fn extra_floor(&self) -> i128 {
        self.seat_price.iter().copied().min().unwrap_or(0).max(0)
    }

    /// Evaluates the Lagrangian at the current prices (a valid lower bound, kept if the best so far).
    /// `Err(c)` means challenge `c` has no team even when relaxed.
    pub(crate) fn evaluate(
        &mut self,
        model: &Model<'_>,
        search: &TeamSearch<'_>,
    ) -> Result<DualRound, usize> {
        self.rounds += 1;
        let floor = self.extra_floor();
        let mut seats_taken = vec![0u32; model.reviewers.len()];
        let mut day_use: Vec<(u32, u32)> = Vec::new();
        let mut teams = Vec::with_capacity(model.challenges.len());
        let mut costs = Vec::with_capacity(model.challenges.len());
        let mut bound = fixed_terms(model);
        for (c, challenge) in model.challenges.iter().enumerate() {
            let extra = |r: u32| Some(self.extra(challenge, r));
            let answer = search.best_team(challenge, &extra, floor).ok_or(c)?;
            bound += answer.lower_bound;
            for pick in &answer.picks {
                seats_taken[pick.reviewer as usize] += 1;
                for &day in &challenge.days {
                    day_use.push((pick.reviewer, day));
                }
            }
            teams.push(answer.picks);
            costs.push(answer.cost);
        }

        let mut seat_gradient = vec![0f64; model.reviewers.len()];
        let mut teams_feasible = true;
        for (r, facts) in model.reviewers.iter().enumerate() {
            let (best, best_load) = best_load_choice(model, r, self.seat_price[r]);
            bound += best;
            seat_gradient[r] = f64::from(seats_taken[r]) - f64::from(best_load);
            if seats_taken[r] > facts.spare {
                teams_feasible = false;
            }
        }

        day_use.sort_unstable();
        let mut day_gradient: Vec<(u32, u32, f64)> = Vec::new();
        for run in day_use.chunk_by(|a, b| a == b) {
            if run.len() > 1 {
                teams_feasible = false;
                day_gradient.push((run[0].0, run[0].1, (run.len() - 1) as f64));
            }
        }
        for (r, prices) in self.day_price.iter().enumerate() {
            for &(day, p) in prices {
                bound -= p;
                if day_use.binary_search(&(r as u32, day)).is_err() {
                    day_gradient.push((r as u32, day, -1.0));
                }
            }
        }

        self.record(bound);
        Ok(DualRound {
            teams,
            costs,
            teams_feasible,
            bound,
            seat_gradient,
            day_gradient,
        })
    }

    fn record(&mut self, bound: i128) {
        if self.best_bound.is_none_or(|b| bound > b) {
            self.best_bound = Some(bound);
            self.rounds_without_progress = 0;
        } else {
            self.rounds_without_progress += 1;
            if self.rounds_without_progress >= 8 {
                self.step_scale /= 2.0;
                self.rounds_without_progress = 0;
            }
        }
    }

    /// One Polyak subgradient step from `round` towards `target` (the best known objective).
    pub(crate) fn subgradient_step(
        &mut self,
        model: &Model<'_>,
        round: &DualRound,
        target: Option<i128>,
    ) {
        let w = &model.weights;
        let norm: f64 = round.seat_gradient.iter().map(|g| g * g).sum::<f64>()
            + round
                .day_gradient
                .iter()
                .map(|(_, _, g)| g * g)
                .sum::<f64>();
        if norm <= 0.0 {
            return;
        }
        let bound = round.bound;
        let goal = target.unwrap_or(bound + bound.abs() / 20 + w.load);
        let distance = (goal - bound).max(w.unpaired) as f64;
        let step = self.step_scale * distance / norm;
        let moved = |p: i128, g: f64| (p + (step * g).round() as i128).max(0);
        for (p, &g) in self.seat_price.iter_mut().zip(&round.seat_gradient) {
            *p = moved(*p, g);
        }
        for &(r, day, g) in &round.day_gradient {
            let prices = &mut self.day_price[r as usize];
            match prices.binary_search_by_key(&day, |(d, _)| *d) {
                Ok(k) => prices[k].1 = moved(prices[k].1, g),
                Err(k) if g > 0.0 => prices.insert(k, (day, moved(0, g))),
                Err(_) => {}
            }
            prices.retain(|(_, p)| *p > 0);
        }
    }

    /// Replaces every price with the master programme's.
    pub(crate) fn set_prices(&mut self, prices: &MasterPrices) {
        self.seat_price.clone_from(&prices.seat_price);
        for days in &mut self.day_price {
            days.clear();
        }
        for &(r, day, price) in &prices.day_price {
            self.set_day_price(r, day, price);
        }
    }

    /// Sets the price of reviewer `r` on `day` (dropping it at zero).
    pub(crate) fn set_day_price(&mut self, r: u32, day: u32, price: i128) {
        let prices = &mut self.day_price[r as usize];
        match prices.binary_search_by_key(&day, |(d, _)| *d) {
            Ok(k) => prices[k].1 = price,
            Err(k) => prices.insert(k, (day, price)),
        }
        prices.retain(|(_, p)| *p > 0);
    }

    pub(crate) fn day_price_of(&self, r: u32, day: u32) -> i128 {
        let prices = &self.day_price[r as usize];
        prices
            .binary_search_by_key(&day, |(d, _)| *d)
            .map_or(0, |k| prices[k].1)
    }
}

/// The objective's terms no choice changes: the pinned members' depth shortfall and travel, and each
/// reviewer's load cost from their current load to their base (current plus pins).
pub(crate) fn fixed_terms(model: &Model<'_>) -> i128 {
    let w = &model.weights;
    let pinned: i128 = model
        .challenges
        .iter()
        .map(|c| {
            w.depth * i128::from(c.pinned_depth_shortfall) + w.travel * i128::from(c.pinned_travel)
        })
        .sum();
    let base_load: i128 = model
        .reviewers
        .iter()
        .map(|facts| w.load * i128::from(load_cost(facts.base) - load_cost(facts.current)))
        .sum();
    pinned + base_load
}

/// The reviewer's side of the Lagrangian at seat price `price`: min over extra load L of
/// W·(f(base+L) − f(base)) − price·L, a convex one-dimensional choice. Returns (value, L).
fn best_load_choice(model: &Model<'_>, r: usize, price: i128) -> (i128, u32) {
    let facts = &model.reviewers[r];
    let (mut running, mut best, mut best_load) = (0i128, 0i128, 0u32);
    for extra_load in 1..=facts.spare {
        let step = unit_load_cost(model, r, extra_load) - price;
        if step > 0 {
            break;
        }
        running += step;
        if running < best {
            best = running;
            best_load = extra_load;
        }
    }
    (best, best_load)
}

/// The load cost of reviewer `r`'s `n`-th new seat.
pub(crate) fn unit_load_cost(model: &Model<'_>, r: usize, n: u32) -> i128 {
    let facts = &model.reviewers[r];
    model.weights.load * i128::from(marginal_load_cost(facts.base + n - 1))
}
