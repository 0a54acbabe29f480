//! The restricted master programme of a Dantzig–Wolfe decomposition, whose duals are the Lagrangian
//! prices. The ascent and subgradient steps stall far below the best prices on large problems (on the
//! national instance the depth bound sat 12 points under the optimum for 60 s): the relaxed teams tie
//! over hundreds of interchangeable experts, and a step that moves one price at a time cannot see that
//! a few contested ones are worth a whole depth point. The master sees every team found so far at
//! once: it is the linear programme "choose a convex combination of known teams per challenge, within
//! every reviewer's cap and days, paying their convex load cost", and its duals price each reviewer
//! (and reviewer-day) at what the combination says they are worth. Pricing the teams at those duals
//! (one exact team search per challenge, [`crate::dual::Dual::evaluate`]) both gives a valid bound and
//! proposes the teams the master lacks; when none is missing, the bound equals the master's optimum,
//! the best any prices can give.
//!
//! The programme is solved in floating point (Clarabel, an interior-point method: its duals sit in the
//! middle of the optimal face, which keeps consecutive prices steady); the bound is then evaluated
//! exactly in integers, so rounding can only weaken it, never make it wrong. Costs are counted in the
//! unit the caller gives (the weight of the first level the bound leaves open, never coarser than the
//! load level's), less each challenge's cheapest known team: the levels above are then whole multiples
//! of a large number, the open level is counted exactly and the levels below are fractions.

use crate::assignment::team_cost_without_load;
use crate::dual::Dual;
use crate::model::Model;
use crate::objective::marginal_load_cost;
use crate::team::Pick;
use good_lp::constraint::ConstraintReference;
use good_lp::{
    DualValues, Expression, ProblemVariables, Solution, SolutionWithDual, SolverModel, Variable,
    clarabel, variable,
};
use std::collections::{BTreeMap, BTreeSet};

/// How many solves in a row a team may go unused before the master forgets it.
const UNUSED_SOLVES_KEPT: u32 = 10;

/// From this many teams on, the master is solved for speed rather than precision: its linear
/// systems are factorised with faer's supernodal LDL instead of QDLDL, and Clarabel stops at a
/// tolerance of 1e-4 instead of its default 1e-8. Measured: on the stress instance QDLDL took 17 s a
/// solve at 10,200 teams (the factorisation was 63 % of the run), faer at 1e-4 under 5 s at 13,600;
/// below it, QDLDL is quicker (0.1-0.2 s a solve on national, faer 0.1-0.7 s) and the default
/// tolerance is what proves the regional instance's travel and pairing levels (at 1e-4 the duals
/// leave a travel unit open). The bound is evaluated exactly at the duals either way, so the looser
/// tolerance can only weaken it.
const LARGE_PROGRAMME: usize = 5_000;

/// Clarabel's linear solver and tolerance for a master of `columns` teams.
fn precision(columns: usize) -> (&'static str, f64) {
    if columns >= LARGE_PROGRAMME {
        ("faer", 1e-4)
    } else {
        ("qdldl", 1e-8)
    }
}

/// A team's weight in the master's solution above which it counts as used (an interior-point
/// solution gives every team a trace of weight).
const USED: f64 = 1e-4;

/// A known team and its cost without the load (which the master counts per reviewer).
struct Column {
    challenge: usize,
    /// Reviewers on the team, sorted.
    members: Vec<u32>,
    cost: i128,
    /// The last solve that used it (0: none yet).
    last_used: u32,
}

/// The teams found so far, and the master programme's last duals.
pub(crate) struct Master {
    columns: Vec<Column>,
    known: BTreeSet<(usize, Vec<u32>)>,
    /// Each challenge's convexity dual from the last solve, in objective units (`None` before it).
    team_value: Option<Vec<i128>>,
    /// The unit of the last solve, in objective units.
    unit: i128,
    solves: u32,
}

/// What one solve of the master gives: the prices.
pub(crate) struct MasterPrices {
    pub seat_price: Vec<i128>,
    /// (reviewer, day, price), positive prices only.
    pub day_price: Vec<(u32, u32, i128)>,
}

impl Master {
    pub(crate) fn new() -> Self {
        Self {
            columns: Vec::new(),
            known: BTreeSet::new(),
            team_value: None,
            unit: 1,
            solves: 0,
        }
    }

    /// Adds `picks` as a team for `challenge` unless already known or, once the master has been solved,
    /// unless it would not lower the master's optimum (its cost at the prices, `priced_cost` as the team
    /// search counts it, is no lower than the challenge's dual). Returns whether it was added.
    pub(crate) fn offer(
        &mut self,
        model: &Model<'_>,
        challenge: usize,
        picks: &[Pick],
        priced_cost: Option<i128>,
    ) -> bool {
        if let (Some(values), Some(priced)) = (&self.team_value, priced_cost)
            && priced >= values[challenge] - self.unit / 1000
        {
            return false;
        }
        let mut members: Vec<u32> = picks.iter().map(|p| p.reviewer).collect();
        members.sort_unstable();
        if !self.known.insert((challenge, members.clone())) {
            return false;
        }
        self.columns.push(Column {
            challenge,
            members,
            cost: team_cost_without_load(model, challenge, picks),
            last_used: self.solves,
        });
        true
    }

    /// Whether the master has been solved (and its duals can judge new teams).
    pub(crate) fn has_prices(&self) -> bool {
        self.team_value.is_some()
    }

    /// Solves the master over the known teams. `None` when some challenge has no known team yet or
    /// the solver fails (the caller falls back to subgradient steps).
    pub(crate) fn solve(
        &mut self,
        model: &Model<'_>,
        unit: i128,
        seconds: f64,
    ) -> Option<MasterPrices> {
        self.unit = unit;
        let unit = unit as f64;
        self.forget_unused();
        let mut baseline: Vec<Option<i128>> = vec![None; model.challenges.len()];
        for column in &self.columns {
            let b = &mut baseline[column.challenge];
            *b = Some(b.map_or(column.cost, |b| b.min(column.cost)));
        }
        let baseline: Vec<i128> = baseline.into_iter().collect::<Option<_>>()?;

        // Per reviewer on any known team: the columns holding them, and how many challenges those are.
        let mut holding: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
        for (j, column) in self.columns.iter().enumerate() {
            for &r in &column.members {
                holding.entry(r).or_default().push(j);
            }
        }
        let challenges_holding = |columns: &[usize]| {
            let mut challenges: Vec<usize> =
                columns.iter().map(|&j| self.columns[j].challenge).collect();
            challenges.sort_unstable();
            challenges.dedup();
            challenges.len() as u32
        };
        let seat_cost = |r: u32, n: u32| {
            model.weights.load
                * i128::from(marginal_load_cost(model.reviewers[r as usize].base + n - 1))
        };
        // A reviewer held by one challenge's teams only takes one seat, within any cap, at their
        // first seat's load cost: that cost joins their teams' and their price is that cost (the
        // programme with a row for them would give the same optimum with that dual). Most
        // reviewers are such, and the programme has no row or variable for them.
        let mut seat_price = vec![0i128; model.reviewers.len()];
        let mut cost = self
            .columns
            .iter()
            .map(|column| column.cost - baseline[column.challenge])
            .collect::<Vec<_>>();
        holding.retain(|&r, columns| {
            if challenges_holding(columns) > 1 || model.reviewers[r as usize].spare == 0 {
                return true;
            }
            seat_price[r as usize] = seat_cost(r, 1);
            for &j in columns.iter() {
                cost[j] += seat_price[r as usize];
            }
            false
        });

        let mut vars = ProblemVariables::new();
        let chosen: Vec<Variable> = self
            .columns
            .iter()
            .map(|_| vars.add(variable().min(0.0)))
            .collect();
        let mut objective: Expression = cost
            .iter()
            .zip(&chosen)
            .map(|(&cost, &x)| (cost as f64 / unit) * x)
            .sum();
        // Every other reviewer gets one variable per further seat, priced at that seat's load cost
        // (convex, so the programme fills them in turn). Seats beyond one more than the challenges
        // holding them cannot be used, and the next seat's cost alone caps their price as all the
        // rest would (the costs rise), so the duals stay those of the full programme.
        let mut seats: BTreeMap<u32, Expression> = BTreeMap::new();
        for (&r, columns) in &holding {
            let usable = model.reviewers[r as usize]
                .spare
                .min(challenges_holding(columns) + 1);
            let mut taken = Expression::from(0.0);
            for n in 1..=usable {
                let seat = vars.add(variable().min(0.0).max(1.0));
                objective += (seat_cost(r, n) as f64 / unit) * seat;
                taken += seat;
            }
            seats.insert(r, taken);
        }

        let mut programme = vars.minimise(objective).using(clarabel);
        let mut teams_of: Vec<Expression> = vec![Expression::from(0.0); model.challenges.len()];
        for (column, &x) in self.columns.iter().zip(&chosen) {
            teams_of[column.challenge] += x;
        }
        let one_team: Vec<ConstraintReference> = teams_of
            .into_iter()
            .map(|teams| programme.add_constraint(teams.eq(1.0)))
            .collect();
        let mut cap_rows: Vec<(u32, ConstraintReference)> = Vec::new();
        let mut day_rows: Vec<(u32, u32, ConstraintReference)> = Vec::new();
        for (&r, columns) in &holding {
            let sits: Expression = columns.iter().map(|&j| Expression::from(chosen[j])).sum();
            let row = programme.add_constraint((sits - seats[&r].clone()).leq(0.0));
            cap_rows.push((r, row));
            for (day, on_day) in days_shared(model, &self.columns, columns) {
                let sits: Expression = on_day.iter().map(|&j| Expression::from(chosen[j])).sum();
                day_rows.push((r, day, programme.add_constraint(sits.leq(1.0))));
            }
        }

        let (method, tolerance) = precision(self.columns.len());
        programme
            .settings()
            .time_limit(seconds.max(0.0))
            .tol_gap_abs(tolerance)
            .tol_gap_rel(tolerance)
            .tol_feas(tolerance)
            .direct_solve_method(method.to_owned())
            // One thread: the same input always gives the same duals, and so the same teams.
            .max_threads(1);
        let mut solution = programme.solve().ok()?;
        self.solves += 1;
        for (column, &x) in self.columns.iter_mut().zip(&chosen) {
            if solution.value(x) > USED {
                column.last_used = self.solves;
            }
        }
        let duals = solution.compute_dual();
        // A `≤` row of a minimisation has a non-positive dual: its negation is the price.
        let price = |d: f64| ((-d).max(0.0) * unit).round() as i128;
        for (r, row) in cap_rows {
            seat_price[r as usize] = price(duals.dual(row));
        }
        let day_price = day_rows
            .into_iter()
            .map(|(r, day, row)| (r, day, price(duals.dual(row))))
            .filter(|&(_, _, p)| p > 0)
            .collect();
        self.team_value = Some(
            one_team
                .into_iter()
                .enumerate()
                .map(|(c, row)| (duals.dual(row) * unit).round() as i128 + baseline[c])
                .collect(),
        );
        Some(MasterPrices {
            seat_price,
            day_price,
        })
    }

    /// Drops the teams no solve has used lately: the programme's size, and so each solve's time,
    /// then follows the teams that matter rather than every team ever priced (on the stress
    /// instance a master of every team took 15 s a solve by the sixth round). The last solution's
    /// teams are always kept, so the programme stays feasible; a dropped team the prices want
    /// again is offered again.
    fn forget_unused(&mut self) {
        let solves = self.solves;
        let known = &mut self.known;
        self.columns.retain(|column| {
            let keep = solves - column.last_used <= UNUSED_SOLVES_KEPT;
            if !keep {
                known.remove(&(column.challenge, column.members.clone()));
            }
            keep
        });
    }
}

impl Dual {
    /// Replaces every price with the master's.
    pub(crate) fn set_prices(&mut self, prices: &MasterPrices) {
        self.seat_price.clone_from(&prices.seat_price);
        for days in &mut self.day_price {
            days.clear();
        }
        for &(r, day, price) in &prices.day_price {
            self.set_day_price(r, day, price);
        }
    }
}

/// The days on which two or more different challenges among `columns` (indices into `all`, the teams
/// holding one reviewer) would seat them, with the teams on each.
fn days_shared(model: &Model<'_>, all: &[Column], columns: &[usize]) -> Vec<(u32, Vec<usize>)> {
    let mut by_day: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
    for &j in columns {
        for &day in &model.challenges[all[j].challenge].days {
            by_day.entry(day).or_default().push(j);
        }
    }
    by_day
        .into_iter()
        .filter(|(_, on_day)| {
            on_day
                .iter()
                .any(|&j| all[j].challenge != all[on_day[0]].challenge)
        })
        .collect()
}
