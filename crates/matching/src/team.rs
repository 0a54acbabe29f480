//! The exact best team for one challenge, given a cost per candidate.
//!
//! Costs are additive per member except theme coverage and the new/experienced pairing, which depend only
//! on each member's class (coverage mask, experience). So: (1) per class keep only a shortlist of the
//! cheapest candidates, large enough that any optimal team can be rewritten to use shortlisted people only
//! (see [`shortlist_sizes`]); (2) a dynamic programme over seats × (coverage, experience) state, ignoring
//! "one seat per person" and the authority limit, gives an admissible completion bound; (3) a
//! depth-first branch and bound over the shortlist, guided and pruned by that bound, finds the optimum.

use crate::model::{Candidate, ChallengeModel, ReviewerFacts, unpaired};
use crate::objective::Weights;

const UNREACHABLE: i128 = i128::MAX / 4;

/// One shortlisted person for one seat group.
#[derive(Debug, Clone, Copy)]
struct TeamOption {
    reviewer: u32,
    authority: u32,
    mask: u16,
    flags: u8,
    fixed: i128,
    cost: i128,
    candidate: Candidate,
}

/// One proposed member: seat group index, reviewer index, class, and cost as searched (fixed + extra).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Pick {
    pub group: usize,
    pub reviewer: u32,
    pub mask: u16,
    pub flags: u8,
    /// The candidate's fixed cost (changes, depth, travel) without the caller's extra.
    pub fixed: i128,
    pub candidate: Candidate,
}

/// The result of one team search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TeamAnswer {
    /// The seats left open by pins, filled.
    pub picks: Vec<Pick>,
    /// Sum of the picks' costs plus coverage and pairing penalties (pins' fixed costs excluded).
    pub cost: i128,
    /// A proven lower bound on `cost` over all teams (equal to `cost` when `proven`).
    pub lower_bound: i128,
    pub proven: bool,
}

/// Inputs shared by every team search in one solve.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TeamSearch<'a> {
    pub weights: &'a Weights,
    pub reviewers: &'a [ReviewerFacts],
    pub authority_cap: Option<u32>,
    pub node_limit: u64,
}

/// Shortlist length per class and the most taken from one authority within it.
///
/// Exactness: take an optimal team T (S members) with member x of class k not shortlisted. If x was
/// skipped because `per_authority` people of x's own authority come before it, one of them is not in T
/// and can replace x without changing any authority count. Otherwise `per_class` people of class k come
/// before x: at most S − 1 of them are in T and at most ⌊(S − 1)/K⌋ authorities are full in T − x,
/// contributing at most `per_authority` each, so one shortlisted person can replace x at no greater
/// cost with the same coverage and experience.
fn shortlist_sizes(team_size: u32, authority_cap: Option<u32>) -> (usize, usize) {
    let s = team_size.max(1) as usize;
    match authority_cap {
        None => (s, usize::MAX),
        Some(k) => {
            let full_authorities = (s - 1) / (k.max(1) as usize);
            ((s - 1) + full_authorities * s + 1, s)
        }
    }
}

impl TeamSearch<'_> {
    /// The best team for `challenge` when candidate `r` costs its fixed cost plus `extra(r)`
    /// (`None` excludes them). `extra_floor` must not exceed any `extra` value; it lets the scan of each
    /// class stop early. Returns `None` when no team can be formed.
    pub(crate) fn best_team(
        &self,
        challenge: &ChallengeModel,
        extra: &dyn Fn(u32) -> Option<i128>,
        extra_floor: i128,
    ) -> Option<TeamAnswer> {
        let (per_class, per_authority) = shortlist_sizes(challenge.team_size, self.authority_cap);
        let mut groups: Vec<(usize, u32, Vec<TeamOption>)> = Vec::new();
        for (g, group) in challenge.groups.iter().enumerate() {
            if group.need == 0 {
                continue;
            }
            let mut options = Vec::new();
            for class in &group.classes {
                let flags = class.experience.flag();
                let mut taken: Vec<TeamOption> = Vec::with_capacity(per_class + 1);
                for cand in &class.candidates {
                    let fixed = cand.fixed_cost(self.weights);
                    if let Some(last) = taken.last()
                        && taken.len() == per_class
                        && fixed + extra_floor > last.cost
                    {
                        break;
                    }
                    let Some(extra_cost) = extra(cand.reviewer) else {
                        continue;
                    };
                    let option = TeamOption {
                        reviewer: cand.reviewer,
                        authority: self.reviewers[cand.reviewer as usize].authority,
                        mask: class.mask,
                        flags,
                        fixed,
                        cost: fixed + extra_cost,
                        candidate: *cand,
                    };
                    admit(&mut taken, option, per_class, per_authority);
                }
                options.extend(taken);
            }
            options.sort_by_key(|o| (o.cost, o.reviewer));
            groups.push((g, group.need, options));
        }
        // Most constrained seat groups first: fewer branches near the root.
        groups.sort_by_key(|(g, need, options)| (options.len() / (*need as usize).max(1), *g));
        self.search(challenge, &groups)
    }

    fn search(
        &self,
        challenge: &ChallengeModel,
        groups: &[(usize, u32, Vec<TeamOption>)],
    ) -> Option<TeamAnswer> {
        let full = challenge.full_mask();
        let states = (full as usize + 1) * 4;
        let terminal = |state: usize| -> i128 {
            let mask = (state / 4) as u16;
            let flags = (state % 4) as u8;
            let uncovered = (full & !mask).count_ones();
            self.weights.uncovered * i128::from(uncovered)
                + if unpaired(flags) {
                    self.weights.unpaired
                } else {
                    0
                }
        };
        // Seats in order: (group position in `groups`, is the first seat of its group).
        let mut seats: Vec<usize> = Vec::new();
        for (position, (_, need, _)) in groups.iter().enumerate() {
            seats.extend(std::iter::repeat_n(position, *need as usize));
        }
        let n = seats.len();

        // Cheapest option per (class state) per group, for the completion bound.
        let class_minima: Vec<Vec<(usize, i128)>> = groups
            .iter()
            .map(|(_, _, options)| {
                let mut minima: Vec<(usize, i128)> = Vec::new();
                for o in options {
                    let key = o.mask as usize * 4 + o.flags as usize;
                    if !minima.iter().any(|(k, _)| *k == key) {
                        minima.push((key, o.cost));
                    }
                }
                minima
            })
            .collect();
        let mut bound = vec![UNREACHABLE; (n + 1) * states];
        for s in 0..states {
            bound[n * states + s] = terminal(s);
        }
        for i in (0..n).rev() {
            for s in 0..states {
                let mut best = UNREACHABLE;
                for &(key, cost) in &class_minima[seats[i]] {
                    let next = combine(s, key);
                    let rest = bound[(i + 1) * states + next];
                    if rest < UNREACHABLE {
                        best = best.min(cost + rest);
                    }
                }
                bound[i * states + s] = best;
            }
        }
        let floor: Vec<i128> = (0..=n)
            .map(|i| {
                bound[i * states..(i + 1) * states]
                    .iter()
                    .copied()
                    .min()
                    .unwrap_or(UNREACHABLE)
            })
            .collect();

        let start = challenge.pinned_mask as usize * 4 + challenge.pinned_flags as usize;
        let root_bound = bound[start];
        if root_bound >= UNREACHABLE {
            return None;
        }
        let mut dfs = Dfs {
            search: self,
            groups,
            seats: &seats,
            states,
            bound: &bound,
            floor: &floor,
            used: challenge.pinned_reviewers.clone(),
            authorities: challenge.pinned_authorities.clone(),
            path: Vec::with_capacity(n),
            best_cost: UNREACHABLE,
            best_path: Vec::new(),
            nodes: 0,
            aborted: false,
        };
        dfs.dive(start);
        dfs.explore(0, start, 0, 0);
        if dfs.best_cost >= UNREACHABLE {
            return None;
        }
        let proven = !dfs.aborted;
        let picks = dfs
            .best_path
            .iter()
            .zip(seats.iter())
            .map(|(&pos, &group)| {
                let option = groups[group].2[pos];
                Pick {
                    group: groups[group].0,
                    reviewer: option.reviewer,
                    mask: option.mask,
                    flags: option.flags,
                    fixed: option.fixed,
                    candidate: option.candidate,
                }
            })
            .collect();
        Some(TeamAnswer {
            picks,
            cost: dfs.best_cost,
            lower_bound: if proven {
                dfs.best_cost
            } else {
                root_bound.min(dfs.best_cost)
            },
            proven,
        })
    }
}

/// Adds `option` to a class shortlist kept sorted by (cost, reviewer), at most `per_class` long and with
/// at most `per_authority` from one authority.
fn admit(taken: &mut Vec<TeamOption>, option: TeamOption, per_class: usize, per_authority: usize) {
    let key = (option.cost, option.reviewer);
    if taken.len() == per_class
        && taken
            .last()
            .is_some_and(|last| (last.cost, last.reviewer) <= key)
    {
        return;
    }
    let position = taken.partition_point(|o| (o.cost, o.reviewer) < key);
    taken.insert(position, option);
    if per_authority != usize::MAX {
        let mut seen = 0usize;
        let mut i = 0;
        while i < taken.len() {
            if taken[i].authority == option.authority {
                seen += 1;
                if seen > per_authority {
                    taken.remove(i);
                    continue;
                }
            }
            i += 1;
        }
    }
    taken.truncate(per_class);
}

fn combine(state: usize, class_key: usize) -> usize {
    let mask = (state / 4) | (class_key / 4);
    let flags = (state % 4) | (class_key % 4);
    mask * 4 + flags
}

struct Dfs<'a> {
    search: &'a TeamSearch<'a>,
    groups: &'a [(usize, u32, Vec<TeamOption>)],
    seats: &'a [usize],
    states: usize,
    bound: &'a [i128],
    floor: &'a [i128],
    used: Vec<u32>,
    authorities: Vec<u32>,
    path: Vec<usize>,
    best_cost: i128,
    best_path: Vec<usize>,
    nodes: u64,
    aborted: bool,
}

impl Dfs<'_> {
    fn allowed(&self, option: &TeamOption) -> bool {
        if self.used.contains(&option.reviewer) {
            return false;
        }
        match self.search.authority_cap {
            Some(cap) => {
                (self
                    .authorities
                    .iter()
                    .filter(|&&a| a == option.authority)
                    .count() as u32)
                    < cap
            }
            None => true,
        }
    }

    fn first_position(&self, seat: usize) -> usize {
        if seat > 0 && self.seats[seat - 1] == self.seats[seat] {
            self.path[seat - 1] + 1
        } else {
            0
        }
    }

    fn push(&mut self, option: &TeamOption, position: usize) {
        self.used.push(option.reviewer);
        self.authorities.push(option.authority);
        self.path.push(position);
    }

    fn pop(&mut self) {
        self.used.pop();
        self.authorities.pop();
        self.path.pop();
    }

    /// A greedy descent following the completion bound: a good first incumbent, often the optimum.
    fn dive(&mut self, start: usize) {
        let depth_at_start = self.path.len();
        let mut state = start;
        let mut cost = 0i128;
        for seat in 0..self.seats.len() {
            let options = &self.groups[self.seats[seat]].2;
            let mut chosen: Option<(i128, usize)> = None;
            for (position, &option) in options.iter().enumerate().skip(self.first_position(seat)) {
                let next = combine(state, option.mask as usize * 4 + option.flags as usize);
                let f = cost + option.cost + self.bound[(seat + 1) * self.states + next];
                if chosen.is_none_or(|(best, _)| f < best) && self.allowed(&option) {
                    chosen = Some((f, position));
                }
            }
            let Some((_, position)) = chosen else { break };
            let option = options[position];
            state = combine(state, option.mask as usize * 4 + option.flags as usize);
            cost += option.cost;
            self.push(&option, position);
        }
        if self.path.len() == self.seats.len() {
            let total = cost + self.bound[self.seats.len() * self.states + state];
            if total < self.best_cost {
                self.best_cost = total;
                self.best_path = self.path.clone();
            }
        }
        while self.path.len() > depth_at_start {
            self.pop();
        }
    }

    fn explore(&mut self, seat: usize, state: usize, cost: i128, _depth: usize) {
        if self.aborted {
            return;
        }
        self.nodes += 1;
        if self.nodes > self.search.node_limit {
            self.aborted = true;
            return;
        }
        if seat == self.seats.len() {
            let total = cost + self.bound[seat * self.states + state];
            if total < self.best_cost {
                self.best_cost = total;
                self.best_path = self.path.clone();
            }
            return;
        }
        let options = &self.groups[self.seats[seat]].2;
        let floor = self.floor[seat + 1];
        let mut children: Vec<(i128, usize, usize)> = Vec::new();
        for (position, option) in options.iter().enumerate().skip(self.first_position(seat)) {
            if cost + option.cost + floor >= self.best_cost {
                break;
            }
            let next = combine(state, option.mask as usize * 4 + option.flags as usize);
            let f = cost + option.cost + self.bound[(seat + 1) * self.states + next];
            if f < self.best_cost && self.allowed(option) {
                children.push((f, position, next));
            }
        }
        children.sort_unstable();
        for (f, position, next) in children {
            if f >= self.best_cost {
                break;
            }
            let option = options[position];
            self.push(&option, position);
            self.explore(seat + 1, next, cost + option.cost, 0);
            self.pop();
            if self.aborted {
                return;
            }
        }
    }
}
