//! The plain assignment as a minimum-cost flow, solved exactly and certified.
//!
//! When teams are plain (one seat group per challenge, no themes, no authority spread), choosing
//! who sits where is a bipartite b-matching: each challenge needs `demand` reviewers, each
//! reviewer sits on at most `capacity` challenges, each allowed pair costs something and may be
//! used once. Its linear programme is integral, so a min-cost flow finds the true optimum:
//! source → challenge (its demand) → reviewer (one seat per pair) → sink (the reviewer's cap).
//!
//! Primal-dual from a greedy start: each challenge first takes its cheapest pairs, with
//! potentials that make that pseudo-flow optimal for what it carries; the reviewers it
//! overloads (and challenges it leaves short) then send their excess along shortest paths
//! (Dijkstra on reduced costs, from one excess node at a time, stopping at the first node
//! still owed flow), so the work is proportional to the conflicts, not to the size. Every
//! step keeps node potentials under which no residual arc has a negative reduced cost, and
//! those potentials are the dual solution. [`Certificate::proves`] checks them against the
//! assignment on its own, so optimality is known without trusting the solver or an outside
//! oracle. [`FlowSolver`] keeps its flow and potentials between calls, so pairs priced in
//! later (column generation) restart from the last optimum rather than from nothing.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// One pair that may be assigned, and what it costs (lower is better).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pair {
    pub challenge: usize,
    pub reviewer: usize,
    pub cost: i64,
    /// The pair must be in every answer.
    pub forced: bool,
}

/// Challenges `0..demand.len()` and reviewers `0..capacity.len()`, and the pairs between them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlowProblem {
    pub demand: Vec<u32>,
    pub capacity: Vec<u32>,
    pub pairs: Vec<Pair>,
}

/// Why no assignment exists.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FlowError {
    #[error("a pair names challenge {challenge} or reviewer {reviewer}, which does not exist")]
    UnknownNode { challenge: usize, reviewer: usize },
    #[error("challenge {challenge} and reviewer {reviewer} are paired more than once")]
    DuplicatePair { challenge: usize, reviewer: usize },
    #[error("reviewer {reviewer} is forced onto more challenges than their cap of {capacity}")]
    ForcedOverCapacity { reviewer: usize, capacity: u32 },
    #[error("challenge {challenge} has more forced reviewers than the {demand} it needs")]
    ForcedOverDemand { challenge: usize, demand: u32 },
    #[error("the time limit passed before the optimum was found")]
    TimeLimit,
    #[error("challenge {challenge} can be given only {filled} of the {demand} reviewers it needs")]
    Short {
        challenge: usize,
        filled: u32,
        demand: u32,
    },
}

/// The optimum: which pairs (indices into [`FlowProblem::pairs`]), their total cost, and the
/// dual values that prove no assignment costs less.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlowSolution {
    pub chosen: Vec<usize>,
    pub cost: i64,
    pub certificate: Certificate,
}

/// Potentials on the source, challenges, reviewers and sink (in that order).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Certificate {
    pub potentials: Vec<i64>,
}

/// No arc, no node: the end of a predecessor chain.
const NONE: u32 = u32::MAX;

/// The residual network in flat arrays: arc `a` and its reverse `a ^ 1` are stored side by
/// side, each node lists the arcs leaving it. Node 0 is the source, which carries no arcs
/// here (a challenge's demand is its supply) but keeps its place in the certificate.
#[derive(Clone, Debug, Default)]
struct Network {
    head: Vec<u32>,
    residual: Vec<i32>,
    cost: Vec<i64>,
    out: Vec<Vec<u32>>,
    challenges: usize,
}

impl Network {
    fn challenge(&self, index: usize) -> usize {
        1 + index
    }

    fn reviewer(&self, index: usize) -> usize {
        1 + self.challenges + index
    }

    fn sink(&self) -> usize {
        self.out.len() - 1
    }

    fn new(challenges: usize, reviewers: usize, arcs: usize) -> Self {
        Self {
            head: Vec::with_capacity(2 * arcs),
            residual: Vec::with_capacity(2 * arcs),
            cost: Vec::with_capacity(2 * arcs),
            out: vec![Vec::new(); challenges + reviewers + 2],
            challenges,
        }
    }

    /// Adds `from → to` and its empty reverse; returns the forward arc.
    fn add(&mut self, from: usize, to: usize, capacity: i32, cost: i64) -> u32 {
        let forward = u32::try_from(self.head.len()).unwrap_or(NONE);
        self.head.extend([to as u32, from as u32]);
        self.residual.extend([capacity, 0]);
        self.cost.extend([cost, -cost]);
        self.out[from].push(forward);
        self.out[to].push(forward ^ 1);
        forward
    }

    fn push(&mut self, arc: u32, amount: i32) {
        self.residual[arc as usize] -= amount;
        self.residual[(arc ^ 1) as usize] += amount;
    }

    fn tail(&self, arc: u32) -> usize {
        self.head[(arc ^ 1) as usize] as usize
    }
}

/// Dijkstra's working arrays, kept between searches so a search costs what it touches.
#[derive(Clone, Debug, Default)]
struct Search {
    distance: Vec<i64>,
    /// The arc a node was last reached by.
    via: Vec<u32>,
    settled: Vec<bool>,
    touched: Vec<u32>,
    order: Vec<u32>,
    queue: BinaryHeap<Reverse<(i64, u32)>>,
}

impl Search {
    fn reset(&mut self, nodes: usize) {
        for &node in &self.touched {
            self.distance[node as usize] = i64::MAX;
            self.settled[node as usize] = false;
        }
        self.touched.clear();
        self.order.clear();
        self.queue.clear();
        if self.distance.len() != nodes {
            self.distance = vec![i64::MAX; nodes];
            self.via = vec![NONE; nodes];
            self.settled = vec![false; nodes];
        }
    }
}

/// The exact solver with its state: the flow so far, node imbalances and potentials. Build it
/// with [`FlowSolver::new`], [`FlowSolver::solve`], then [`FlowSolver::add_pair`] for pairs
/// priced in and solve again from where it stood.
#[derive(Clone, Debug)]
pub struct FlowSolver {
    problem: FlowProblem,
    network: Network,
    /// Supply left at a node (positive) or flow still owed to it (negative).
    excess: Vec<i64>,
    potentials: Vec<i64>,
    /// The forward arc of each pair (`NONE` for forced pairs, which are not in the network).
    pair_arc: Vec<u32>,
    search: Search,
    /// A failed solve spent the flow on a diagnosis: the next solve starts afresh.
    spoiled: bool,
    /// Past this, solving stops with [`FlowError::TimeLimit`].
    deadline: Option<std::time::Instant>,
}

impl FlowSolver {
    /// Checks the pairs, fixes the forced ones and sets up the greedy start.
    pub fn new(problem: FlowProblem) -> Result<Self, FlowError> {
        Self::with_deadline(problem, None)
    }

    /// Like [`FlowSolver::new`], giving up with [`FlowError::TimeLimit`] once `deadline`
    /// passes, here or in any later solve.
    pub fn with_deadline(
        problem: FlowProblem,
        deadline: Option<std::time::Instant>,
    ) -> Result<Self, FlowError> {
        let mut solver = Self {
            network: Network::default(),
            excess: Vec::new(),
            potentials: Vec::new(),
            pair_arc: Vec::new(),
            search: Search::default(),
            spoiled: false,
            deadline,
            problem,
        };
        solver.start()?;
        Ok(solver)
    }

    fn out_of_time(&self) -> bool {
        self.deadline
            .is_some_and(|deadline| std::time::Instant::now() >= deadline)
    }

    /// The problem as it stands, pairs priced in included.
    pub fn problem(&self) -> &FlowProblem {
        &self.problem
    }

    /// The greedy start: every challenge takes its cheapest pairs, each reviewer passes on to
    /// the sink what their cap allows and holds the rest as excess. With every reviewer's
    /// potential 0 and a challenge's potential minus the cost of the dearest pair it took,
    /// no residual arc has a negative reduced cost.
    fn start(&mut self) -> Result<(), FlowError> {
        let problem = &self.problem;
        let challenges = problem.demand.len();
        let reviewers = problem.capacity.len();
        let mut demand: Vec<i64> = problem.demand.iter().map(|&d| i64::from(d)).collect();
        let mut capacity: Vec<i64> = problem.capacity.iter().map(|&c| i64::from(c)).collect();
        for pair in &problem.pairs {
            if pair.challenge >= challenges || pair.reviewer >= reviewers {
                return Err(FlowError::UnknownNode {
                    challenge: pair.challenge,
                    reviewer: pair.reviewer,
                });
            }
            if pair.forced {
                demand[pair.challenge] -= 1;
                capacity[pair.reviewer] -= 1;
            }
        }
        let grouped = PairsByChallenge::new(problem);
        if let Some((challenge, reviewer)) = grouped.duplicate(problem) {
            return Err(FlowError::DuplicatePair {
                challenge,
                reviewer,
            });
        }
        if self.out_of_time() {
            return Err(FlowError::TimeLimit);
        }
        if let Some(reviewer) = capacity.iter().position(|&left| left < 0) {
            return Err(FlowError::ForcedOverCapacity {
                reviewer,
                capacity: problem.capacity[reviewer],
            });
        }
        if let Some(challenge) = demand.iter().position(|&left| left < 0) {
            return Err(FlowError::ForcedOverDemand {
                challenge,
                demand: problem.demand[challenge],
            });
        }

        let mut network = Network::new(challenges, reviewers, problem.pairs.len() + reviewers);
        // Room for each node's arcs up front: growing tens of thousands of lists one arc at a
        // time cost more than the search.
        for challenge in 0..challenges {
            let node = network.challenge(challenge);
            network.out[node].reserve_exact(grouped.of(challenge).len());
        }
        let mut degree = vec![1_usize; reviewers];
        for pair in &problem.pairs {
            degree[pair.reviewer] += 1;
        }
        for (reviewer, &arcs) in degree.iter().enumerate() {
            let node = network.reviewer(reviewer);
            network.out[node].reserve_exact(arcs);
        }
        let sink = network.sink();
        network.out[sink].reserve_exact(reviewers);
        let mut excess = vec![0_i64; network.out.len()];
        let mut potentials = vec![0_i64; network.out.len()];
        let mut pair_arc = vec![NONE; problem.pairs.len()];
        let mut inflow = vec![0_i64; reviewers];
        // Each challenge's free pairs, cheapest first, to take the first `demand` of them.
        let mut pairs: Vec<(i64, u32)> = Vec::new();
        for (challenge, &left) in demand.iter().enumerate() {
            // A clock read is cheap beside sorting a challenge's pairs.
            if self.out_of_time() {
                return Err(FlowError::TimeLimit);
            }
            pairs.clear();
            pairs.extend(
                grouped
                    .of(challenge)
                    .iter()
                    .filter(|&&index| !problem.pairs[index as usize].forced)
                    .map(|&index| (problem.pairs[index as usize].cost, index)),
            );
            let wanted = usize::try_from(left).unwrap_or(0);
            pairs.sort_unstable();
            let taken = wanted.min(pairs.len());
            // The dividing cost: taken pairs cost no more, the others no less.
            let threshold = match (taken, pairs.get(taken)) {
                (0, Some(&(cost, _))) => cost,
                (0, None) => 0,
                (_, _) => pairs[taken - 1].0,
            };
            let node = network.challenge(challenge);
            potentials[node] = -threshold;
            excess[node] = left - taken as i64;
            for (rank, &(cost, index)) in pairs.iter().enumerate() {
                let reviewer = problem.pairs[index as usize].reviewer;
                let arc = network.add(node, network.reviewer(reviewer), 1, cost);
                pair_arc[index as usize] = arc;
                if rank < taken {
                    network.push(arc, 1);
                    inflow[reviewer] += 1;
                }
            }
        }
        for reviewer in 0..reviewers {
            let node = network.reviewer(reviewer);
            let cap = i32::try_from(capacity[reviewer]).unwrap_or(i32::MAX);
            let arc = network.add(node, sink, cap, 0);
            let through = inflow[reviewer].min(capacity[reviewer]);
            network.push(arc, i32::try_from(through).unwrap_or(i32::MAX));
            excess[node] = inflow[reviewer] - through;
        }
        // The sink is owed every unit the challenges supply less what already reached it.
        let supplied: i64 = demand.iter().sum();
        let reached: i64 = (0..reviewers).map(|r| inflow[r].min(capacity[r])).sum();
        excess[sink] = reached - supplied;
        self.network = network;
        self.excess = excess;
        self.potentials = potentials;
        self.pair_arc = pair_arc;
        self.spoiled = false;
        Ok(())
    }

    /// Adds a pair priced in after a solve. If it would lower the cost at the current
    /// potentials it is used straight away, leaving its reviewer a unit too many and its
    /// challenge a unit short, for the next solve to settle.
    pub fn add_pair(&mut self, pair: Pair) {
        self.problem.pairs.push(pair);
        if self.spoiled || pair.forced {
            self.spoiled = true;
            self.pair_arc.push(NONE);
            return;
        }
        let from = self.network.challenge(pair.challenge);
        let to = self.network.reviewer(pair.reviewer);
        let arc = self.network.add(from, to, 1, pair.cost);
        self.pair_arc.push(arc);
        if pair.cost + self.potentials[from] - self.potentials[to] < 0 {
            self.network.push(arc, 1);
            self.excess[from] -= 1;
            self.excess[to] += 1;
        }
    }

    /// The optimum over the pairs given so far, or why none exists.
    pub fn solve(&mut self) -> Result<FlowSolution, FlowError> {
        if self.spoiled {
            self.start()?;
        }
        let nodes = self.network.out.len();
        let mut pending: Vec<usize> = (0..nodes).filter(|&n| self.excess[n] > 0).collect();
        let mut searches = 0_u32;
        while let Some(&from) = pending.last() {
            if self.excess[from] <= 0 {
                pending.pop();
                continue;
            }
            searches += 1;
            if searches.is_multiple_of(16) && self.out_of_time() {
                return Err(FlowError::TimeLimit);
            }
            if !self.shortest_path_from(from) {
                // A challenge whose supply can reach no node owed flow is short whatever the
                // others do; the flow and potentials are untouched, so pairs added for it
                // restart from here. An overloaded reviewer needs a diagnosis that spends
                // the flow to name a challenge.
                if let Some(challenge) =
                    (0..self.network.challenges).find(|&c| self.network.challenge(c) == from)
                {
                    let demand = self.problem.demand[challenge];
                    return Err(FlowError::Short {
                        challenge,
                        filled: u32::try_from(i64::from(demand) - self.excess[from]).unwrap_or(0),
                        demand,
                    });
                }
                self.spoiled = true;
                return Err(self.shortfall());
            }
        }
        Ok(self.solution())
    }

    /// Dijkstra from `from` on reduced costs to the nearest node owed flow; moves the
    /// potentials so the path's arcs become tight and sends what it can along it. `false`
    /// when no node owed flow can be reached.
    fn shortest_path_from(&mut self, from: usize) -> bool {
        let network = &mut self.network;
        let search = &mut self.search;
        let potentials = &mut self.potentials;
        search.reset(network.out.len());
        search.distance[from] = 0;
        search.via[from] = NONE;
        search.touched.push(from as u32);
        search.queue.push(Reverse((0, from as u32)));
        let mut target = None;
        while let Some(Reverse((reached, node))) = search.queue.pop() {
            let node = node as usize;
            if search.settled[node] || reached > search.distance[node] {
                continue;
            }
            search.settled[node] = true;
            search.order.push(node as u32);
            if self.excess[node] < 0 {
                target = Some((node, reached));
                break;
            }
            let base = reached + potentials[node];
            for &arc in &network.out[node] {
                if network.residual[arc as usize] <= 0 {
                    continue;
                }
                let to = network.head[arc as usize] as usize;
                if search.settled[to] {
                    continue;
                }
                let candidate = base + network.cost[arc as usize] - potentials[to];
                if candidate < search.distance[to] {
                    if search.distance[to] == i64::MAX {
                        search.touched.push(to as u32);
                    }
                    search.distance[to] = candidate;
                    search.via[to] = arc;
                    search.queue.push(Reverse((candidate, to as u32)));
                }
            }
        }
        let Some((target, length)) = target else {
            return false;
        };
        // Nodes settled before the target come closer by what they saved; the rest keep
        // their potentials (a shift of every node by the same amount changes nothing).
        for &node in &search.order {
            let node = node as usize;
            potentials[node] += search.distance[node] - length;
        }
        let mut amount = self.excess[from].min(-self.excess[target]);
        let mut node = target;
        while node != from {
            let arc = search.via[node];
            amount = amount.min(i64::from(network.residual[arc as usize]));
            node = network.tail(arc);
        }
        let amount_i32 = i32::try_from(amount).unwrap_or(i32::MAX);
        let mut node = target;
        while node != from {
            let arc = search.via[node];
            network.push(arc, amount_i32);
            node = network.tail(arc);
        }
        self.excess[from] -= amount;
        self.excess[target] += amount;
        true
    }

    /// Some excess cannot reach a node owed flow, so no assignment exists. To name a short
    /// challenge, every overloaded reviewer hands a challenge back and the flow is made as
    /// large as it can be, regardless of cost: a challenge still short then is short in every
    /// assignment this large.
    fn shortfall(&mut self) -> FlowError {
        let network = &mut self.network;
        let challenges = network.challenges;
        let reviewers = self.problem.capacity.len();
        for reviewer in 0..reviewers {
            let node = network.reviewer(reviewer);
            while self.excess[node] > 0 {
                let Some(&back) = network.out[node]
                    .iter()
                    .find(|&&arc| network.residual[arc as usize] > 0 && (arc & 1) == 1)
                else {
                    break;
                };
                let challenge = network.head[back as usize] as usize;
                network.push(back, 1);
                self.excess[node] -= 1;
                self.excess[challenge] += 1;
            }
        }
        let nodes = network.out.len();
        loop {
            let mut via = vec![NONE; nodes];
            let mut seen = vec![false; nodes];
            let mut queue: std::collections::VecDeque<usize> =
                (0..nodes).filter(|&n| self.excess[n] > 0).collect();
            for &node in &queue {
                seen[node] = true;
            }
            let mut found = None;
            while let Some(node) = queue.pop_front() {
                if self.excess[node] < 0 {
                    found = Some(node);
                    break;
                }
                for &arc in &network.out[node] {
                    let to = network.head[arc as usize] as usize;
                    if network.residual[arc as usize] > 0 && !seen[to] {
                        seen[to] = true;
                        via[to] = arc;
                        queue.push_back(to);
                    }
                }
            }
            if self
                .deadline
                .is_some_and(|deadline| std::time::Instant::now() >= deadline)
            {
                return FlowError::TimeLimit;
            }
            let Some(target) = found else { break };
            let mut node = target;
            while via[node] != NONE {
                let arc = via[node];
                network.push(arc, 1);
                node = network.tail(arc);
            }
            self.excess[node] -= 1;
            self.excess[target] += 1;
        }
        let challenge = (0..challenges)
            .find(|&c| self.excess[network.challenge(c)] > 0)
            .unwrap_or(0);
        let demand = self.problem.demand[challenge];
        let left = self.excess[network.challenge(challenge)];
        FlowError::Short {
            challenge,
            filled: u32::try_from(i64::from(demand) - left).unwrap_or(0),
            demand,
        }
    }

    /// The pairs carrying flow, and the potentials as the certificate.
    fn solution(&self) -> FlowSolution {
        let chosen: Vec<usize> = self
            .problem
            .pairs
            .iter()
            .enumerate()
            .filter(|&(index, pair)| {
                pair.forced || self.network.residual[self.pair_arc[index] as usize] == 0
            })
            .map(|(index, _)| index)
            .collect();
        let cost = chosen
            .iter()
            .map(|&index| self.problem.pairs[index].cost)
            .sum();
        let mut potentials = self.potentials.clone();
        // The source's arcs to the challenges are all full: only their reverses remain,
        // which a source potential at or below every challenge's keeps non-negative.
        potentials[0] = (0..self.network.challenges)
            .map(|c| potentials[self.network.challenge(c)])
            .min()
            .unwrap_or(0);
        FlowSolution {
            chosen,
            cost,
            certificate: Certificate { potentials },
        }
    }
}

/// The cheapest assignment that gives every challenge its demand, within every reviewer's cap,
/// using each pair at most once and every forced pair.
pub fn solve(problem: &FlowProblem) -> Result<FlowSolution, FlowError> {
    FlowSolver::new(problem.clone())?.solve()
}

/// The pairs' indices grouped by challenge, in the order given.
struct PairsByChallenge {
    first: Vec<usize>,
    indices: Vec<u32>,
}

impl PairsByChallenge {
    /// Pairs must name known challenges.
    fn new(problem: &FlowProblem) -> Self {
        let mut first = vec![0_usize; problem.demand.len() + 1];
        for pair in &problem.pairs {
            first[pair.challenge + 1] += 1;
        }
        for c in 1..first.len() {
            first[c] += first[c - 1];
        }
        let mut next = first.clone();
        let mut indices = vec![0_u32; problem.pairs.len()];
        for (index, pair) in problem.pairs.iter().enumerate() {
            indices[next[pair.challenge]] = index as u32;
            next[pair.challenge] += 1;
        }
        Self { first, indices }
    }

    fn of(&self, challenge: usize) -> &[u32] {
        &self.indices[self.first[challenge]..self.first[challenge + 1]]
    }

    /// A (challenge, reviewer) listed more than once, if any.
    fn duplicate(&self, problem: &FlowProblem) -> Option<(usize, usize)> {
        let mut last_seen_on = vec![usize::MAX; problem.capacity.len()];
        for challenge in 0..problem.demand.len() {
            for &index in self.of(challenge) {
                let reviewer = problem.pairs[index as usize].reviewer;
                if last_seen_on[reviewer] == challenge {
                    return Some((challenge, reviewer));
                }
                last_seen_on[reviewer] = challenge;
            }
        }
        None
    }
}

impl Certificate {
    /// Whether these potentials prove `solution` optimal for `problem`: the assignment is
    /// feasible (demands met, caps kept, pairs used once, forced pairs in) and no residual arc
    /// has a negative reduced cost, which by linear programming duality means no cheaper
    /// assignment exists.
    pub fn proves(&self, problem: &FlowProblem, solution: &FlowSolution) -> bool {
        let challenges = problem.demand.len();
        let reviewers = problem.capacity.len();
        if self.potentials.len() != challenges + reviewers + 2 {
            return false;
        }
        if problem
            .pairs
            .iter()
            .any(|pair| pair.challenge >= challenges || pair.reviewer >= reviewers)
        {
            return false;
        }
        // A pair listed twice would be two arcs, not the one seat the rules allow.
        if PairsByChallenge::new(problem).duplicate(problem).is_some() {
            return false;
        }
        let mut given = vec![0_u32; challenges];
        let mut load = vec![0_u32; reviewers];
        let mut used = vec![false; problem.pairs.len()];
        for &index in &solution.chosen {
            if index >= problem.pairs.len() || used[index] {
                return false;
            }
            used[index] = true;
            let pair = problem.pairs[index];
            given[pair.challenge] += 1;
            load[pair.reviewer] += 1;
        }
        let feasible = given == problem.demand
            && load.iter().zip(&problem.capacity).all(|(l, c)| l <= c)
            && problem
                .pairs
                .iter()
                .zip(&used)
                .all(|(pair, &used)| used || !pair.forced);
        if !feasible {
            return false;
        }
        let potential = &self.potentials;
        let challenge = |c: usize| potential[1 + c];
        let reviewer = |r: usize| potential[1 + challenges + r];
        let sink = potential[challenges + reviewers + 1];
        // Forced pairs sit outside the network: only the other pairs flow through it.
        let mut forced_on = vec![0_u32; challenges];
        let mut forced_of = vec![0_u32; reviewers];
        for pair in problem.pairs.iter().filter(|pair| pair.forced) {
            forced_on[pair.challenge] += 1;
            forced_of[pair.reviewer] += 1;
        }
        // Arcs source → challenge are saturated (every demand met): only their reverse arcs
        // remain, where flow went, and their reduced cost must not be negative.
        let source_ok = (0..challenges)
            .all(|c| problem.demand[c] == forced_on[c] || challenge(c) >= potential[0]);
        // Reviewer → sink: forward while under the cap, backward while flow goes through.
        let sink_ok = (0..reviewers).all(|r| {
            let forward = reviewer(r) - sink;
            let backward = sink - reviewer(r);
            (load[r] >= problem.capacity[r] || forward >= 0)
                && (load[r] == forced_of[r] || backward >= 0)
        });
        // Pairs: forward when unused, backward when used (forced pairs are fixed, not arcs).
        let pairs_ok = problem
            .pairs
            .iter()
            .zip(&used)
            .filter(|(pair, _)| !pair.forced)
            .all(|(pair, &used)| {
                let reduced = pair.cost + challenge(pair.challenge) - reviewer(pair.reviewer);
                if used { reduced <= 0 } else { reduced >= 0 }
            });
        source_ok && sink_ok && pairs_ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn pair(challenge: usize, reviewer: usize, cost: i64) -> Pair {
        Pair {
            challenge,
            reviewer,
            cost,
            forced: false,
        }
    }

    #[test]
    fn the_cheapest_assignment_is_found_and_proven() {
        // Reviewer 0 is best for both challenges but may sit on only one.
        let problem = FlowProblem {
            demand: vec![1, 1],
            capacity: vec![1, 1],
            pairs: vec![pair(0, 0, 1), pair(0, 1, 5), pair(1, 0, 2), pair(1, 1, 10)],
        };
        let solution = solve(&problem).expect("feasible");
        assert_eq!(solution.chosen, vec![1, 2]);
        assert_eq!(solution.cost, 7);
        assert!(solution.certificate.proves(&problem, &solution));
        let worse = FlowSolution {
            chosen: vec![0, 3],
            cost: 11,
            certificate: solution.certificate.clone(),
        };
        assert!(
            !worse.certificate.proves(&problem, &worse),
            "a costlier answer is not proven"
        );
    }

    #[test]
    fn forced_pairs_are_kept_and_a_shortfall_is_named() {
        let mut forced = pair(0, 1, 9);
        forced.forced = true;
        let problem = FlowProblem {
            demand: vec![1],
            capacity: vec![1, 1],
            pairs: vec![pair(0, 0, 1), forced],
        };
        let solution = solve(&problem).expect("feasible");
        assert_eq!(solution.chosen, vec![1]);
        assert!(solution.certificate.proves(&problem, &solution));
        let short = FlowProblem {
            demand: vec![2],
            capacity: vec![1, 1],
            pairs: vec![pair(0, 0, 1)],
        };
        assert_eq!(
            solve(&short),
            Err(FlowError::Short {
                challenge: 0,
                filled: 1,
                demand: 2
            })
        );
    }

    /// Every subset of the pairs that meets the rules, cheapest first: the truth on tiny cases.
    fn brute_force(problem: &FlowProblem) -> Option<i64> {
        let count = problem.pairs.len();
        (0_u32..(1 << count))
            .filter_map(|mask| {
                let chosen: Vec<usize> = (0..count).filter(|i| mask & (1 << i) != 0).collect();
                let mut given = vec![0_u32; problem.demand.len()];
                let mut load = vec![0_u32; problem.capacity.len()];
                for &i in &chosen {
                    given[problem.pairs[i].challenge] += 1;
                    load[problem.pairs[i].reviewer] += 1;
                }
                let forced_in = (0..count)
                    .filter(|&i| problem.pairs[i].forced)
                    .all(|i| chosen.contains(&i));
                let fits = given == problem.demand
                    && load.iter().zip(&problem.capacity).all(|(l, c)| l <= c);
                (forced_in && fits).then(|| chosen.iter().map(|&i| problem.pairs[i].cost).sum())
            })
            .min()
    }

    fn tiny_problem() -> impl Strategy<Value = FlowProblem> {
        (1_usize..=3, 1_usize..=4).prop_flat_map(|(challenges, reviewers)| {
            let cells = challenges * reviewers;
            (
                proptest::collection::vec(0_u32..=2, challenges),
                proptest::collection::vec(0_u32..=2, reviewers),
                proptest::collection::vec((any::<bool>(), -5_i64..=10, 0_u8..10), cells),
            )
                .prop_map(move |(demand, capacity, cells)| {
                    let pairs = cells
                        .into_iter()
                        .enumerate()
                        .filter(|(_, (offered, _, _))| *offered)
                        .map(|(cell, (_, cost, force))| Pair {
                            challenge: cell / reviewers,
                            reviewer: cell % reviewers,
                            cost,
                            forced: force == 0,
                        })
                        .collect();
                    FlowProblem {
                        demand,
                        capacity,
                        pairs,
                    }
                })
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        #[test]
        fn matches_brute_force_and_proves_itself(problem in tiny_problem()) {
            let truth = brute_force(&problem);
            match solve(&problem) {
                Ok(solution) => {
                    prop_assert_eq!(Some(solution.cost), truth);
                    prop_assert!(solution.certificate.proves(&problem, &solution));
                }
                Err(_) => prop_assert_eq!(truth, None),
            }
        }

        /// Pairs added after a solve (as pricing adds them) restart from the last optimum,
        /// with the new pairs possibly cheaper than anything in it, or after a shortfall:
        /// the answer is still the true optimum, and proven.
        #[test]
        fn pairs_added_later_give_the_same_optimum(problem in tiny_problem(), keep in 0_usize..6) {
            let truth = brute_force(&problem);
            let (mut first, mut later) = (Vec::new(), Vec::new());
            for (index, &pair) in problem.pairs.iter().enumerate() {
                if pair.forced || index % 6 < keep {
                    first.push(pair);
                } else {
                    later.push(pair);
                }
            }
            let Ok(mut solver) = FlowSolver::new(FlowProblem { pairs: first, ..problem.clone() }) else {
                prop_assert!(solve(&problem).is_err());
                return Ok(());
            };
            let _ = solver.solve();
            for pair in later {
                solver.add_pair(pair);
            }
            let grown = solver.problem().clone();
            match solver.solve() {
                Ok(solution) => {
                    prop_assert_eq!(Some(solution.cost), truth);
                    prop_assert!(solution.certificate.proves(&grown, &solution));
                }
                Err(_) => prop_assert_eq!(truth, None),
            }
        }
    }
}
