//! The restricted master programme of a Dantzig–Wolfe decomposition, whose duals are the Lagrangian
//! prices. The ascent and subgradient steps stall far below the best prices on large problems (on the
//! national instance the depth bound sat 12 points under the optimum for 60 s): the relaxed teams tie
//! over hundreds of interchangeable experts, and a step that moves one price at a time cannot see that
//! a few contested ones are worth a whole depth point. The master sees every team found so far at
//! once: it is the linear programme "choose a convex combination of known teams per challenge, within
//! every reviewer's cap and days, paying their convex load cost", and its duals price each reviewer
//! (and reviewer-day) at what the combination says they are worth. Pricing the teams at those duals
//! (one exact team search per challenge, [`crate::dual::Dual::evaluate`]) both gives a valid bound and
//! proposes the teams the master lacks; when none is missing, the bound equals the master's optimum
//! (to the programme's tolerance), the best any prices can give.
//!
//! The programme is solved in floating point (Clarabel, an interior-point method: its duals sit in the
//! middle of the optimal face, which keeps consecutive prices steady); the bound is then evaluated
//! exactly in integers, so rounding can only weaken it, never make it wrong. Costs are counted in the
//! unit the caller gives (the weight of the first level the bound leaves open, never coarser than the
//! load level's), less each challenge's cheapest known team: the levels above are then whole multiples
//! of a large number, the open level is counted exactly and the levels below are fractions.

use crate::assignment::team_cost_without_load;
use crate::dual::unit_load_cost;
use crate::model::Model;
use crate::team::Pick;
use good_lp::constraint::ConstraintReference;
use good_lp::solvers::clarabel::{ClarabelProblem, ClarabelSolution};
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

/// A team's weight in the master's solution above which it counts as used (an interior-point
/// solution gives every team a trace of weight).
const USED: f64 = 1e-4;

/// The cost, in the programme's unit above the dearest known team, of leaving a challenge without
/// a team. Every challenge has this choice, so the programme is always feasible (before a first
/// complete set of teams is found, the known ones may clash on every combination); any real team
/// is cheaper, so it is chosen only while none fits.
const NO_TEAM_PENALTY: f64 = 1e6;

/// The highest price the master may set, so that a wild dual cannot overflow a team's cost.
const MAX_PRICE: i128 = i128::MAX >> 24;

/// A known team and its cost without the load (which the master counts per reviewer).
struct Column {
    challenge: usize,
    /// (reviewer, seat group) for each member, sorted: the same people in other seats may cost
    /// differently (a change from the previous team, say).
    seats: Vec<(u32, usize)>,
    /// Reviewers on the team, sorted.
    members: Vec<u32>,
    cost: i128,
    /// The last solve that used it (or the solve count when it was added).
    last_used: u32,
}

/// The teams found so far, and the master programme's last duals.
pub(crate) struct Master {
    columns: Vec<Column>,
    /// The known teams, by challenge and seats.
    known: BTreeSet<(usize, Vec<(u32, usize)>)>,
    /// Each challenge's convexity dual from the last solve, in objective units (`None` before it).
    team_value: Option<Vec<i128>>,
    /// The unit of the last solve, in objective units.
    unit: i128,
    solves: u32,
    /// Solve to Clarabel's default tolerance whatever the size (once a looser one left the bound
    /// short of the programme's optimum).
    precise: bool,
    /// The last solve's optimum in objective units, without the terms no choice changes
    /// ([`crate::dual::fixed_terms`]).
    optimum: Option<i128>,
}

/// What one solve of the master gives: the prices.
pub(crate) struct MasterPrices {
    pub seat_price: Vec<i128>,
    /// (reviewer, day, price), positive prices only.
    pub day_price: Vec<(u32, u32, i128)>,
}

/// The programme being built: its variables' roles and the rows whose duals are read back.
struct Formulation {
    chosen: Vec<Variable>,
    one_team: Vec<ConstraintReference>,
    cap_rows: Vec<(u32, ConstraintReference)>,
    day_rows: Vec<(u32, u32, ConstraintReference)>,
    objective: Expression,
}

impl Master {
    pub(crate) fn new() -> Self {
        Self {
            columns: Vec::new(),
            known: BTreeSet::new(),
            team_value: None,
            unit: 1,
            solves: 0,
            precise: false,
            optimum: None,
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
        let mut seats: Vec<(u32, usize)> = picks.iter().map(|p| (p.reviewer, p.group)).collect();
        seats.sort_unstable();
        if !self.known.insert((challenge, seats.clone())) {
            return false;
        }
        let mut members: Vec<u32> = seats.iter().map(|&(r, _)| r).collect();
        members.dedup();
        self.columns.push(Column {
            challenge,
            seats,
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

    /// Clarabel's linear solver and tolerance for the next solve (see [`LARGE_PROGRAMME`]).
    fn precision(&self) -> (&'static str, f64) {
        let large = self.columns.len() >= LARGE_PROGRAMME;
        let method = if large { "faer" } else { "qdldl" };
        let tolerance = if large && !self.precise { 1e-4 } else { 1e-8 };
        (method, tolerance)
    }

    /// Whether the bound a round evaluated at the last solve's prices (`bound`, without the terms no
    /// choice changes) has reached that solve's optimum, within half a unit. When no team would
    /// lower the programme it has, unless the duals were too loose; then [`Self::solve_precisely`].
    pub(crate) fn bound_reaches_optimum(&self, bound: i128) -> bool {
        self.optimum
            .is_none_or(|optimum| bound >= optimum - self.unit / 2)
    }

    /// Whether the next solve is to Clarabel's default tolerance already.
    pub(crate) fn is_precise(&self) -> bool {
        self.precision().1 <= 1e-8
    }

    /// Solves to Clarabel's default tolerance from now on, whatever the size.
    pub(crate) fn solve_precisely(&mut self) {
        self.precise = true;
    }

    /// The unit it counts in, in objective units.
    pub(crate) fn unit(&self) -> i128 {
        self.unit
    }

    /// Counts in `unit` (objective units) from the next solve on. A change of unit drops the last
    /// duals: offered teams are then judged only by whether they are new.
    pub(crate) fn count_in(&mut self, unit: i128) {
        let unit = unit.max(1);
        if unit != self.unit {
            self.unit = unit;
            self.team_value = None;
            self.optimum = None;
        }
    }

    /// Solves the master over the known teams within `seconds`. `None` if Clarabel fails; the
    /// caller then moves the prices itself.
    pub(crate) fn solve(&mut self, model: &Model<'_>, seconds: f64) -> Option<MasterPrices> {
        self.forget_unused();
        let baseline = self.baseline(model);
        let (seat_price, cost) = self.fold_single_challenge_reviewers(model, &baseline);
        let (mut programme, formulation) = self.formulate(model, cost);
        let (method, tolerance) = self.precision();
        programme
            .settings()
            .time_limit(seconds.max(0.0))
            .tol_gap_abs(tolerance)
            .tol_gap_rel(tolerance)
            .tol_feas(tolerance)
            .direct_solve_method(method.to_owned())
            // One thread: the same input always gives the same duals, and so the same teams.
            .max_threads(1);
        let solution = programme.solve().ok()?;
        Some(self.read_back(model, solution, formulation, seat_price, &baseline))
    }

    /// Each challenge's cheapest known team (its cost without the load), `None` for a challenge with
    /// none yet (the no-team choice then costs the penalty above nothing).
    fn baseline(&self, model: &Model<'_>) -> Vec<i128> {
        let mut baseline: Vec<Option<i128>> = vec![None; model.challenges.len()];
        for column in &self.columns {
            let b = &mut baseline[column.challenge];
            *b = Some(b.map_or(column.cost, |b| b.min(column.cost)));
        }
        baseline.into_iter().map(|b| b.unwrap_or(0)).collect()
    }

    /// A reviewer held by one challenge's teams only takes one seat, within any cap, at their
    /// first seat's load cost: that cost joins their teams' and their price is that cost (the
    /// programme with a row for them has the same optimum, and this price among its duals). Most
    /// reviewers are such, and the programme has no row or variable for them. Returns the prices
    /// so set (zero elsewhere) and each team's cost above its challenge's baseline.
    fn fold_single_challenge_reviewers(
        &self,
        model: &Model<'_>,
        baseline: &[i128],
    ) -> (Vec<i128>, Vec<i128>) {
        let mut seat_price = vec![0i128; model.reviewers.len()];
        let mut cost: Vec<i128> = self
            .columns
            .iter()
            .map(|column| column.cost - baseline[column.challenge])
            .collect();
        for (r, columns) in self.holding() {
            if self.challenges_holding(&columns) == 1 && model.reviewers[r as usize].spare > 0 {
                seat_price[r as usize] = unit_load_cost(model, r as usize, 1);
                for j in columns {
                    cost[j] += seat_price[r as usize];
                }
            }
        }
        (seat_price, cost)
    }

    /// Per reviewer on any known team, the teams holding them.
    fn holding(&self) -> BTreeMap<u32, Vec<usize>> {
        let mut holding: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
        for (j, column) in self.columns.iter().enumerate() {
            for &r in &column.members {
                holding.entry(r).or_default().push(j);
            }
        }
        holding
    }

    /// How many different challenges the teams `columns` are for.
    fn challenges_holding(&self, columns: &[usize]) -> u32 {
        let challenges: BTreeSet<usize> =
            columns.iter().map(|&j| self.columns[j].challenge).collect();
        challenges.len() as u32
    }

    /// The programme: one team (or none, at a penalty) per challenge; every reviewer held by more
    /// than one challenge's teams within their cap and on one challenge a day, paying their load.
    fn formulate(&self, model: &Model<'_>, cost: Vec<i128>) -> (ClarabelProblem, Formulation) {
        let unit = self.unit as f64;
        let mut vars = ProblemVariables::new();
        let chosen: Vec<Variable> = cost.iter().map(|_| vars.add(variable().min(0.0))).collect();
        let mut objective: Expression = cost
            .iter()
            .zip(&chosen)
            .map(|(&cost, &x)| (cost as f64 / unit) * x)
            .sum();
        let dearest = cost.iter().copied().max().unwrap_or(0) as f64 / unit;
        let mut teams_of: Vec<Expression> = vec![Expression::from(0.0); model.challenges.len()];
        for (column, &x) in self.columns.iter().zip(&chosen) {
            teams_of[column.challenge] += x;
        }
        for teams in &mut teams_of {
            let none = vars.add(variable().min(0.0));
            objective += (dearest + NO_TEAM_PENALTY) * none;
            *teams += none;
        }
        // Every reviewer held by more than one challenge gets one variable per further seat,
        // priced at that seat's load cost (convex, so the programme fills them in turn). Seats
        // beyond one more than the challenges holding them cannot be used, and the next seat's
        // cost alone caps their price as all the rest would (the costs rise), so the duals stay
        // those of the full programme.
        let shared: Vec<(u32, Vec<usize>)> = self
            .holding()
            .into_iter()
            .filter(|(r, columns)| {
                self.challenges_holding(columns) > 1 || model.reviewers[*r as usize].spare == 0
            })
            .collect();
        let mut seats: BTreeMap<u32, Expression> = BTreeMap::new();
        for (r, columns) in &shared {
            let usable = model.reviewers[*r as usize]
                .spare
                .min(self.challenges_holding(columns) + 1);
            let mut taken = Expression::from(0.0);
            for n in 1..=usable {
                let seat = vars.add(variable().min(0.0).max(1.0));
                objective += (unit_load_cost(model, *r as usize, n) as f64 / unit) * seat;
                taken += seat;
            }
            seats.insert(*r, taken);
        }

        let mut programme = vars.minimise(objective.clone()).using(clarabel);
        let one_team = teams_of
            .into_iter()
            .map(|teams| programme.add_constraint(teams.eq(1.0)))
            .collect();
        let mut cap_rows = Vec::new();
        let mut day_rows = Vec::new();
        for (r, columns) in &shared {
            let sits: Expression = columns.iter().map(|&j| Expression::from(chosen[j])).sum();
            let row = programme.add_constraint((sits - seats[r].clone()).leq(0.0));
            cap_rows.push((*r, row));
            for (day, on_day) in days_shared(model, &self.columns, columns) {
                let sits: Expression = on_day.iter().map(|&j| Expression::from(chosen[j])).sum();
                day_rows.push((*r, day, programme.add_constraint(sits.leq(1.0))));
            }
        }
        let formulation = Formulation {
            chosen,
            one_team,
            cap_rows,
            day_rows,
            objective,
        };
        (programme, formulation)
    }

    /// The prices from a solution's duals, and which teams it used.
    fn read_back(
        &mut self,
        model: &Model<'_>,
        mut solution: ClarabelSolution,
        formulation: Formulation,
        mut seat_price: Vec<i128>,
        baseline: &[i128],
    ) -> MasterPrices {
        let unit = self.unit as f64;
        self.solves += 1;
        for (column, &x) in self.columns.iter_mut().zip(&formulation.chosen) {
            if solution.value(x) > USED {
                column.last_used = self.solves;
            }
        }
        self.optimum = Some(
            (solution.eval(&formulation.objective) * unit).round() as i128
                + baseline.iter().sum::<i128>(),
        );
        let duals = solution.compute_dual();
        // A `≤` row of a minimisation has a non-positive dual: its negation is the price.
        let price = |d: f64| ((-d).max(0.0) * unit).round().min(MAX_PRICE as f64) as i128;
        for (r, row) in formulation.cap_rows {
            seat_price[r as usize] = price(duals.dual(row));
        }
        // No reviewer is priced below their first seat's load cost: up to it the price costs the
        // reviewer's side of the bound nothing and only makes teams dearer, so the bound can only
        // gain (it matters for reviewers on no known team, and interior duals of unused ones).
        for (r, p) in seat_price.iter_mut().enumerate() {
            if model.reviewers[r].spare > 0 {
                *p = (*p).max(unit_load_cost(model, r, 1));
            }
        }
        let day_price = formulation
            .day_rows
            .into_iter()
            .map(|(r, day, row)| (r, day, price(duals.dual(row))))
            .filter(|&(_, _, p)| p > 0)
            .collect();
        self.team_value = Some(
            formulation
                .one_team
                .into_iter()
                .enumerate()
                .map(|(c, row)| (duals.dual(row) * unit).round() as i128 + baseline[c])
                .collect(),
        );
        MasterPrices {
            seat_price,
            day_price,
        }
    }

    /// Drops the teams no solve has used lately: the programme's size, and so each solve's time,
    /// then follows the teams that matter rather than every team ever priced (on the stress
    /// instance a master of every team took 15 s a solve by the sixth round). The last solution's
    /// teams are always kept; a dropped team the prices want again is offered again.
    fn forget_unused(&mut self) {
        let solves = self.solves;
        let known = &mut self.known;
        self.columns.retain(|column| {
            let keep = solves - column.last_used <= UNUSED_SOLVES_KEPT;
            if !keep {
                known.remove(&(column.challenge, column.seats.clone()));
            }
            keep
        });
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
