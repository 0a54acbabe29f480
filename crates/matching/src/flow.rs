//! The plain assignment as a minimum-cost flow, solved exactly and certified.
//!
//! When teams are plain (one seat group per challenge, no themes, no authority spread), choosing
//! who sits where is a bipartite b-matching: each challenge needs `demand` reviewers, each
//! reviewer sits on at most `capacity` challenges, each allowed pair costs something and may be
//! used once. Its linear programme is integral, so a min-cost flow finds the true optimum:
//! source → challenge (its demand) → reviewer (one seat per pair) → sink (the reviewer's cap).
//!
//! Successive shortest paths with Dijkstra on reduced costs: every augmentation keeps node
//! potentials under which no residual arc has a negative reduced cost, and those potentials are
//! the dual solution. [`Certificate::proves`] checks them against the assignment on its own, so
//! optimality is known without trusting the solver or an outside oracle.

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

#[derive(Clone, Copy, Debug)]
struct Arc {
    to: usize,
    capacity: i64,
    cost: i64,
    /// The index of the reverse arc in `to`'s list.
    reverse: usize,
    /// The pair this arc carries, for challenge → reviewer arcs.
    pair: Option<usize>,
}

/// The flow network: nodes are the source, the challenges, the reviewers and the sink.
struct Network {
    arcs: Vec<Vec<Arc>>,
    challenges: usize,
}

impl Network {
    fn source(&self) -> usize {
        0
    }

    fn challenge(&self, index: usize) -> usize {
        1 + index
    }

    fn reviewer(&self, index: usize) -> usize {
        1 + self.challenges + index
    }

    fn sink(&self) -> usize {
        self.arcs.len() - 1
    }

    fn new(challenges: usize, reviewers: usize) -> Self {
        Self {
            arcs: vec![Vec::new(); challenges + reviewers + 2],
            challenges,
        }
    }

    fn add(&mut self, from: usize, to: usize, capacity: i64, cost: i64, pair: Option<usize>) {
        let forward = self.arcs[from].len();
        let backward = self.arcs[to].len() + usize::from(from == to);
        self.arcs[from].push(Arc {
            to,
            capacity,
            cost,
            reverse: backward,
            pair,
        });
        self.arcs[to].push(Arc {
            to: from,
            capacity: 0,
            cost: -cost,
            reverse: forward,
            pair: None,
        });
    }

    /// Shortest reduced-cost distances from the source, stopping once the sink is settled:
    /// nodes not settled by then are as far as the sink for the potentials' update. `None`
    /// when the sink cannot be reached.
    fn distances_to_sink(&self, potentials: &[i64]) -> Option<Vec<i64>> {
        let nodes = self.arcs.len();
        let mut distance: Vec<Option<i64>> = vec![None; nodes];
        let mut settled = vec![false; nodes];
        let mut queue = BinaryHeap::new();
        distance[self.source()] = Some(0);
        queue.push(Reverse((0_i64, self.source())));
        let mut to_sink = None;
        while let Some(Reverse((reached, node))) = queue.pop() {
            if settled[node] {
                continue;
            }
            settled[node] = true;
            if node == self.sink() {
                to_sink = Some(reached);
                break;
            }
            for arc in &self.arcs[node] {
                if arc.capacity <= 0 || settled[arc.to] {
                    continue;
                }
                let candidate = reached + arc.cost + potentials[node] - potentials[arc.to];
                if distance[arc.to].is_none_or(|known| candidate < known) {
                    distance[arc.to] = Some(candidate);
                    queue.push(Reverse((candidate, arc.to)));
                }
            }
        }
        let to_sink = to_sink?;
        Some(
            (0..nodes)
                .map(|node| match distance[node] {
                    Some(d) if settled[node] => d.min(to_sink),
                    _ => to_sink,
                })
                .collect(),
        )
    }

    /// Whether the arc may carry flow now at no extra reduced cost.
    fn admissible(&self, from: usize, arc: &Arc, potentials: &[i64]) -> bool {
        arc.capacity > 0 && arc.cost + potentials[from] - potentials[arc.to] == 0
    }

    /// Breadth-first levels over the admissible arcs, from the source.
    fn admissible_levels(&self, potentials: &[i64]) -> Vec<Option<u32>> {
        let mut level = vec![None; self.arcs.len()];
        let mut queue = std::collections::VecDeque::from([self.source()]);
        level[self.source()] = Some(0);
        while let Some(node) = queue.pop_front() {
            let next = level[node].map(|l| l + 1);
            for arc in &self.arcs[node] {
                if level[arc.to].is_none() && self.admissible(node, arc, potentials) {
                    level[arc.to] = next;
                    queue.push_back(arc.to);
                }
            }
        }
        level
    }

    /// Send single units along admissible paths (reduced cost zero), as many as there are:
    /// Dinic's blocking flows on the admissible arcs' level graph, whose paths only go one
    /// level deeper at each step, so a node that leads nowhere is skipped for the phase.
    /// Returns how many units were sent.
    fn augment_admissible(&mut self, potentials: &[i64]) -> usize {
        let mut sent = 0;
        loop {
            let level = self.admissible_levels(potentials);
            if level[self.sink()].is_none() {
                return sent;
            }
            let mut next_arc = vec![0_usize; self.arcs.len()];
            while let Some(path) = self.level_path(potentials, &level, &mut next_arc) {
                for (from, index) in path {
                    let arc = self.arcs[from][index];
                    self.arcs[from][index].capacity -= 1;
                    self.arcs[arc.to][arc.reverse].capacity += 1;
                }
                sent += 1;
            }
        }
    }

    /// One source-to-sink path down the level graph, advancing each node's arc pointer past
    /// arcs that lead nowhere.
    fn level_path(
        &self,
        potentials: &[i64],
        level: &[Option<u32>],
        next_arc: &mut [usize],
    ) -> Option<Vec<(usize, usize)>> {
        let mut path: Vec<(usize, usize)> = Vec::new();
        let mut node = self.source();
        while node != self.sink() {
            let deeper = level[node].map(|l| l + 1);
            let step = (next_arc[node]..self.arcs[node].len()).find(|&index| {
                let arc = &self.arcs[node][index];
                level[arc.to] == deeper && self.admissible(node, arc, potentials)
            });
            match step {
                Some(index) => {
                    next_arc[node] = index;
                    path.push((node, index));
                    node = self.arcs[node][index].to;
                }
                None => {
                    next_arc[node] = self.arcs[node].len();
                    let (from, index) = path.pop()?;
                    next_arc[from] = index + 1;
                    node = from;
                }
            }
        }
        Some(path)
    }
}

/// The cheapest assignment that gives every challenge its demand, within every reviewer's cap,
/// using each pair at most once and every forced pair.
pub fn solve(problem: &FlowProblem) -> Result<FlowSolution, FlowError> {
    let challenges = problem.demand.len();
    let reviewers = problem.capacity.len();
    let mut demand: Vec<i64> = problem.demand.iter().map(|&d| i64::from(d)).collect();
    let mut capacity: Vec<i64> = problem.capacity.iter().map(|&c| i64::from(c)).collect();
    let mut chosen = Vec::new();
    let mut paired = std::collections::HashSet::new();
    for (index, pair) in problem.pairs.iter().enumerate() {
        if pair.challenge >= challenges || pair.reviewer >= reviewers {
            return Err(FlowError::UnknownNode {
                challenge: pair.challenge,
                reviewer: pair.reviewer,
            });
        }
        if !paired.insert((pair.challenge, pair.reviewer)) {
            return Err(FlowError::DuplicatePair {
                challenge: pair.challenge,
                reviewer: pair.reviewer,
            });
        }
        if pair.forced {
            chosen.push(index);
            demand[pair.challenge] -= 1;
            capacity[pair.reviewer] -= 1;
        }
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

    let mut network = Network::new(challenges, reviewers);
    for (challenge, &needed) in demand.iter().enumerate() {
        let node = network.challenge(challenge);
        network.add(network.source(), node, needed, 0, None);
    }
    for (reviewer, &cap) in capacity.iter().enumerate() {
        let node = network.reviewer(reviewer);
        network.add(node, network.sink(), cap, 0, None);
    }
    // Forced pairs are already in the answer; the others become one-seat arcs.
    for (index, pair) in problem.pairs.iter().enumerate() {
        if pair.forced {
            continue;
        }
        let from = network.challenge(pair.challenge);
        let to = network.reviewer(pair.reviewer);
        network.add(from, to, 1, pair.cost, Some(index));
    }

    let potentials = augment_until_full(&mut network, &problem.pairs)?;
    if let Some(challenge) = (0..challenges).find(|&c| {
        network.arcs[network.source()]
            .iter()
            .any(|arc| arc.to == network.challenge(c) && arc.capacity > 0)
    }) {
        let left = network.arcs[network.source()]
            .iter()
            .find(|arc| arc.to == network.challenge(challenge))
            .map_or(0, |arc| arc.capacity);
        let demand = problem.demand[challenge];
        let filled = u32::try_from(i64::from(demand) - left).unwrap_or(0);
        return Err(FlowError::Short {
            challenge,
            filled,
            demand,
        });
    }
    for arcs in &network.arcs {
        for arc in arcs {
            if let Some(pair) = arc.pair
                && arc.capacity == 0
            {
                chosen.push(pair);
            }
        }
    }
    chosen.sort_unstable();
    let cost = chosen.iter().map(|&index| problem.pairs[index].cost).sum();
    Ok(FlowSolution {
        chosen,
        cost,
        certificate: Certificate { potentials },
    })
}

/// Send one unit at a time along the cheapest path until no path is left, keeping potentials
/// under which every residual arc's reduced cost is at least zero.
fn augment_until_full(network: &mut Network, pairs: &[Pair]) -> Result<Vec<i64>, FlowError> {
    let nodes = network.arcs.len();
    // Costs may be negative: start from potentials that make every forward arc's reduced
    // cost non-negative (the cheapest pair into each reviewer, paths being two arcs long).
    let mut potentials = vec![0_i64; nodes];
    let cheapest = pairs.iter().map(|pair| pair.cost).min().unwrap_or(0).min(0);
    for reviewer in 0..(nodes - network.challenges - 2) {
        potentials[network.reviewer(reviewer)] = cheapest;
    }
    potentials[network.sink()] = cheapest;
    loop {
        let Some(distance) = network.distances_to_sink(&potentials) else {
            return Ok(potentials);
        };
        for (potential, d) in potentials.iter_mut().zip(distance) {
            *potential += d;
        }
        // Every shortest path now has reduced cost zero: send along all of them at once.
        if network.augment_admissible(&potentials) == 0 {
            return Ok(potentials);
        }
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
        let mut given = vec![0_u32; challenges];
        let mut load = vec![0_u32; reviewers];
        let mut used = std::collections::HashSet::new();
        for &index in &solution.chosen {
            let Some(pair) = problem.pairs.get(index) else {
                return false;
            };
            if !used.insert((pair.challenge, pair.reviewer)) {
                return false;
            }
            given[pair.challenge] += 1;
            load[pair.reviewer] += 1;
        }
        let feasible = given == problem.demand
            && load.iter().zip(&problem.capacity).all(|(l, c)| l <= c)
            && problem
                .pairs
                .iter()
                .filter(|pair| pair.forced)
                .all(|pair| used.contains(&(pair.challenge, pair.reviewer)));
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
            .filter(|pair| !pair.forced)
            .all(|pair| {
                let reduced = pair.cost + challenge(pair.challenge) - reviewer(pair.reviewer);
                if used.contains(&(pair.challenge, pair.reviewer)) {
                    reduced <= 0
                } else {
                    reduced >= 0
                }
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
    }
}
