//! Biennial pairing: which area's team challenges which. Every authority challenges exactly one other
//! and is challenged by exactly one; nobody challenges itself; optionally no reciprocal pairs; no pairing
//! repeated from the last cycle; optionally within or across the year's groups. Softer preferences
//! (`PairingPreferences`) are costs the search keeps as low as it can: not two areas served by the
//! same NHS board, not a pair from two cycles ago, optionally within or across groups; then pairs
//! not seen for longest. Ties are broken by the seed, so the same input and seed give the same answer.

use crate::ids::AuthorityId;
use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{RngCore, SeedableRng};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairingProblem {
    pub authorities: Vec<AuthorityId>,
    /// Earlier cycles, any order.
    #[serde(default)]
    pub history: Vec<PairingCycle>,
    /// This year's groups (for example triads); authorities in no group form a group of their own.
    #[serde(default)]
    pub groups: Vec<Vec<AuthorityId>>,
    #[serde(default)]
    pub rules: PairingRules,
    #[serde(default)]
    pub seed: u64,
    /// Display names for explanations.
    #[serde(default)]
    pub names: BTreeMap<AuthorityId, String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairingCycle {
    pub year: i32,
    pub pairs: Vec<Pairing>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Pairing {
    pub challenger: AuthorityId,
    pub challenged: AuthorityId,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairingRules {
    /// Forbid A→B together with B→A.
    #[serde(default)]
    pub no_reciprocal: bool,
    #[serde(default)]
    pub groups: GroupRule,
}

impl Default for PairingRules {
    fn default() -> Self {
        Self {
            no_reciprocal: true,
            groups: GroupRule::Any,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupRule {
    #[default]
    Any,
    WithinGroups,
    AcrossGroups,
}

/// The chosen pairs, each with why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairingSolution {
    pub pairs: Vec<ExplainedPairing>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExplainedPairing {
    pub challenger: AuthorityId,
    pub challenged: AuthorityId,
    pub explanation: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PairingError {
    #[error("{0} is listed twice")]
    Duplicate(AuthorityId),
    #[error("{0} is in a group but not in the list of authorities")]
    UnknownInGroup(AuthorityId),
    #[error("no pairing satisfies the rules: {reason} To relax: {relax}")]
    Infeasible { reason: String, relax: String },
}

/// The softer preferences: costs the engine keeps as low as it can, never rules. A pairing that
/// cannot avoid one still pairs everyone, and each pair's explanation says which it keeps.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairingPreferences {
    /// Each authority's NHS board: two served by the same board know each other's health
    /// partners already, so a pair across boards is preferred.
    #[serde(default)]
    pub nhs_boards: BTreeMap<AuthorityId, String>,
    /// Prefer (not require) pairs within or across this year's groups.
    #[serde(default)]
    pub groups: GroupRule,
    /// Let a pair from two cycles ago recur at no cost (avoided by default).
    #[serde(default)]
    pub allow_two_cycles_ago: bool,
    /// What the groups are called in the reasons ("triad"); "group" when not given.
    #[serde(default)]
    pub group_name: Option<String>,
}

/// What a softer preference costs when a pair breaks it: an NHS board shared outweighs a
/// recent repeat, which outweighs a group preference; any of them outweighs every recency cost.
const SAME_BOARD: u32 = 1_000;
const TWO_CYCLES_AGO: u32 = 500;
const GROUP_PREFERENCE: u32 = 200;

/// Nodes the search visits before it settles for the best pairing found so far.
const NODE_LIMIT: u64 = 2_000_000;

/// Chooses who challenges whom, with the default preferences (a pair from two cycles ago avoided).
pub fn choose_pairings(problem: &PairingProblem) -> Result<PairingSolution, PairingError> {
    choose_pairings_with(problem, &PairingPreferences::default())
}

/// The problem in indices: authorities sorted, groups and history resolved.
struct Indexed {
    authorities: Vec<AuthorityId>,
    group_of: Vec<usize>,
    last_seen: BTreeMap<(usize, usize), i32>,
    last_cycle: Vec<(usize, usize)>,
    /// The cycle before the last: its year and pairs.
    two_ago: Option<(i32, Vec<(usize, usize)>)>,
    /// Distinct history years, oldest first, for the recency cost.
    years: Vec<i32>,
}

fn index_problem(problem: &PairingProblem) -> Result<Indexed, PairingError> {
    let mut authorities = problem.authorities.clone();
    authorities.sort();
    for pair in authorities.windows(2) {
        if pair[0] == pair[1] {
            return Err(PairingError::Duplicate(pair[0].clone()));
        }
    }
    let n = authorities.len();
    let index = |a: &AuthorityId| authorities.binary_search(a).ok();
    let mut group_of = vec![usize::MAX; n];
    for (g, group) in problem.groups.iter().enumerate() {
        for a in group {
            let i = index(a).ok_or_else(|| PairingError::UnknownInGroup(a.clone()))?;
            group_of[i] = g;
        }
    }
    for (i, g) in group_of.iter_mut().enumerate() {
        if *g == usize::MAX {
            *g = problem.groups.len() + i;
        }
    }
    let mut years: Vec<i32> = problem.history.iter().map(|c| c.year).collect();
    years.sort_unstable();
    years.dedup();
    let last_year = years.last().copied();
    let two_ago_year = years.len().checked_sub(2).map(|at| years[at]);
    let mut last_seen: BTreeMap<(usize, usize), i32> = BTreeMap::new();
    let mut last_cycle: Vec<(usize, usize)> = Vec::new();
    let mut two_ago: Vec<(usize, usize)> = Vec::new();
    for cycle in &problem.history {
        for p in &cycle.pairs {
            if let (Some(a), Some(b)) = (index(&p.challenger), index(&p.challenged)) {
                let seen = last_seen.entry((a, b)).or_insert(cycle.year);
                *seen = (*seen).max(cycle.year);
                if Some(cycle.year) == last_year {
                    last_cycle.push((a, b));
                }
                if Some(cycle.year) == two_ago_year {
                    two_ago.push((a, b));
                }
            }
        }
    }
    Ok(Indexed {
        authorities,
        group_of,
        last_seen,
        last_cycle,
        two_ago: two_ago_year.map(|year| (year, two_ago)),
        years,
    })
}

/// Which of the hard rules a search keeps: all of them, or one let go to find the one that binds.
#[derive(Clone, Copy)]
struct HardRules {
    no_reciprocal: bool,
    groups: GroupRule,
    no_repeat: bool,
}

/// Chooses who challenges whom, keeping every rule and the softer `preferences` as well as it can.
pub fn choose_pairings_with(
    problem: &PairingProblem,
    preferences: &PairingPreferences,
) -> Result<PairingSolution, PairingError> {
    let indexed = index_problem(problem)?;
    let n = indexed.authorities.len();
    let board = |a: usize| preferences.nhs_boards.get(&indexed.authorities[a]);
    let cost = |a: usize, b: usize| -> u32 {
        let mut cost = 0;
        if board(a).is_some() && board(a) == board(b) {
            cost += SAME_BOARD;
        }
        if !preferences.allow_two_cycles_ago
            && indexed
                .two_ago
                .as_ref()
                .is_some_and(|(_, pairs)| pairs.contains(&(a, b)) || pairs.contains(&(b, a)))
        {
            cost += TWO_CYCLES_AGO;
        }
        let same_group = indexed.group_of[a] == indexed.group_of[b];
        cost += match preferences.groups {
            GroupRule::Any => 0,
            GroupRule::WithinGroups if !same_group => GROUP_PREFERENCE,
            GroupRule::AcrossGroups if same_group => GROUP_PREFERENCE,
            _ => 0,
        };
        // Pairs not seen for longest first: a pair seen in the k-th oldest year costs k + 1.
        if let Some(year) = indexed.last_seen.get(&(a, b)) {
            cost += u32::try_from(indexed.years.binary_search(year).unwrap_or(0)).unwrap_or(0) + 1;
        }
        cost
    };
    let options_under = |rules: HardRules, rng: &mut ChaCha8Rng| -> Vec<Vec<(u32, usize)>> {
        (0..n)
            .map(|a| {
                let mut list: Vec<(u32, u64, usize)> = (0..n)
                    .filter(|&b| {
                        a != b
                            && !(rules.no_repeat && indexed.last_cycle.contains(&(a, b)))
                            && match rules.groups {
                                GroupRule::Any => true,
                                GroupRule::WithinGroups => {
                                    indexed.group_of[a] == indexed.group_of[b]
                                }
                                GroupRule::AcrossGroups => {
                                    indexed.group_of[a] != indexed.group_of[b]
                                }
                            }
                    })
                    .map(|b| (cost(a, b), rng.next_u64(), b))
                    .collect();
                list.sort_unstable();
                list.into_iter().map(|(c, _, b)| (c, b)).collect()
            })
            .collect()
    };
    let rules = HardRules {
        no_reciprocal: problem.rules.no_reciprocal,
        groups: problem.rules.groups,
        no_repeat: true,
    };
    let options = options_under(rules, &mut ChaCha8Rng::seed_from_u64(problem.seed));
    if let Some(a) = (0..n).find(|&a| options[a].is_empty()) {
        return Err(infeasible_for(problem, &indexed.authorities[a]));
    }
    let Some(target) = best_pairing(&options, rules.no_reciprocal) else {
        return Err(binding_rule(problem, rules, |relaxed| {
            let options = options_under(relaxed, &mut ChaCha8Rng::seed_from_u64(problem.seed));
            options.iter().all(|o| !o.is_empty())
                && best_pairing(&options, relaxed.no_reciprocal).is_some()
        }));
    };
    let name = |a: usize| {
        problem
            .names
            .get(&indexed.authorities[a])
            .cloned()
            .unwrap_or_else(|| indexed.authorities[a].to_string())
    };
    let pairs = (0..n)
        .map(|a| {
            let b = target[a];
            let history = match indexed.last_seen.get(&(a, b)) {
                None => "they have not been paired this way before".to_owned(),
                Some(year) => format!("last paired this way in {year}"),
            };
            let two_ago = match &indexed.two_ago {
                Some((year, pairs)) if pairs.contains(&(a, b)) || pairs.contains(&(b, a)) => {
                    if preferences.allow_two_cycles_ago {
                        format!("; they were paired in {year}, two cycles ago, which is allowed")
                    } else {
                        format!(
                            "; they were paired in {year}, two cycles ago: no pairing keeping the rules avoided every such pair"
                        )
                    }
                }
                Some((year, _)) => format!("; not paired in {year}, two cycles ago, either"),
                None => String::new(),
            };
            let boards = match (board(a), board(b)) {
                (Some(x), Some(y)) if x == y => format!(
                    "; both are served by {x}: no pairing keeping the rules kept every area from its own NHS board"
                ),
                (Some(x), Some(y)) => format!("; different NHS boards ({x} and {y})"),
                _ => String::new(),
            };
            let same_group = indexed.group_of[a] == indexed.group_of[b];
            let noun = preferences.group_name.as_deref().unwrap_or("group");
            let group = match (problem.rules.groups, preferences.groups, same_group) {
                (GroupRule::WithinGroups, _, _) => format!("; both are in the same {noun} this year"),
                (GroupRule::AcrossGroups, _, _) => format!("; they are in different {noun}s this year"),
                (GroupRule::Any, GroupRule::WithinGroups, true) => format!("; in the same {noun}, as preferred"),
                (GroupRule::Any, GroupRule::WithinGroups, false) => format!("; in different {noun}s, against the preference for the same {noun} (no better pairing kept the other preferences)"),
                (GroupRule::Any, GroupRule::AcrossGroups, false) => format!("; in different {noun}s, as preferred"),
                (GroupRule::Any, GroupRule::AcrossGroups, true) => format!("; in the same {noun}, against the preference for different {noun}s (no better pairing kept the other preferences)"),
                (GroupRule::Any, GroupRule::Any, _) => String::new(),
            };
            let reciprocal = if target[b] == a {
                "; they challenge each other".to_owned()
            } else {
                format!("; {} challenges {}", name(b), name(target[b]))
            };
            ExplainedPairing {
                challenger: indexed.authorities[a].clone(),
                challenged: indexed.authorities[b].clone(),
                explanation: format!(
                    "{} challenges {}: {history}{two_ago}{boards}{group}{reciprocal}.",
                    name(a),
                    name(b)
                ),
            }
        })
        .collect();
    Ok(PairingSolution { pairs })
}

/// The cheapest complete pairing over `options` (each authority's targets, cheapest first), or
/// None if there is none. Branch and bound: a branch is cut once its cost plus the cheapest
/// option of every authority still to place cannot beat the best found. After `NODE_LIMIT`
/// nodes the best found so far stands, so the answer is still the same for the same input.
fn best_pairing(options: &[Vec<(u32, usize)>], no_reciprocal: bool) -> Option<Vec<usize>> {
    let n = options.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&a| (options[a].len(), a));
    let cheapest: Vec<u64> = order
        .iter()
        .map(|&a| options[a].first().map_or(0, |(c, _)| u64::from(*c)))
        .collect();
    // What the authorities from each depth on cost at least.
    let mut floor = vec![0u64; n + 1];
    for depth in (0..n).rev() {
        floor[depth] = floor[depth + 1] + cheapest[depth];
    }
    let mut search = PairingSearch {
        options,
        order: &order,
        floor: &floor,
        target: vec![usize::MAX; n],
        taken: vec![false; n],
        no_reciprocal,
        nodes: 0,
        best: None,
    };
    search.assign(0, 0);
    search.best.map(|(_, target)| target)
}

/// A search that found nothing: which rule binds, found by letting each go in turn.
fn binding_rule(
    problem: &PairingProblem,
    rules: HardRules,
    feasible: impl Fn(HardRules) -> bool,
) -> PairingError {
    let count = problem.authorities.len();
    if rules.no_reciprocal
        && feasible(HardRules {
            no_reciprocal: false,
            ..rules
        })
    {
        return PairingError::Infeasible {
            reason: format!(
                "with {count} areas taking part, every pairing has two areas challenge each other, and reciprocal pairs are not allowed."
            ),
            relax: "allow reciprocal pairs for this cycle, or bring back an area that opted out"
                .to_owned(),
        };
    }
    if rules.groups != GroupRule::Any
        && feasible(HardRules {
            groups: GroupRule::Any,
            ..rules
        })
    {
        return PairingError::Infeasible {
            reason:
                "the groups leave no way for every area to challenge one and be challenged by one."
                    .to_owned(),
            relax: "allow pairing across groups (or within them), or change the groups".to_owned(),
        };
    }
    if feasible(HardRules {
        no_repeat: false,
        ..rules
    }) {
        return PairingError::Infeasible {
            reason: format!(
                "with {count} areas taking part, every pairing repeats one of the last cycle's pairs."
            ),
            relax: "allow a repeat of the last cycle, or bring back an area that opted out"
                .to_owned(),
        };
    }
    PairingError::Infeasible {
        reason: format!(
            "with {count} areas taking part, no area can challenge another without breaking the reciprocal, repeat or group rule together."
        ),
        relax: "allow reciprocal pairs, allow pairing across groups, and allow a repeat of the last cycle, or bring back an area that opted out".to_owned(),
    }
}

fn infeasible_for(problem: &PairingProblem, authority: &AuthorityId) -> PairingError {
    let name = problem
        .names
        .get(authority)
        .cloned()
        .unwrap_or_else(|| authority.to_string());
    let reason = match problem.rules.groups {
        GroupRule::WithinGroups => format!(
            "{name} has nobody to challenge within its group (it cannot challenge itself, nor repeat the last cycle's pairing)."
        ),
        GroupRule::AcrossGroups => format!(
            "{name} has nobody to challenge outside its group that it did not challenge last cycle."
        ),
        GroupRule::Any => {
            format!("{name} has nobody to challenge that it did not challenge last cycle.")
        }
    };
    PairingError::Infeasible {
        reason,
        relax: "allow pairing across groups, add authorities, or allow a repeat of the last cycle"
            .to_owned(),
    }
}

struct PairingSearch<'a> {
    options: &'a [Vec<(u32, usize)>],
    order: &'a [usize],
    floor: &'a [u64],
    target: Vec<usize>,
    taken: Vec<bool>,
    no_reciprocal: bool,
    nodes: u64,
    best: Option<(u64, Vec<usize>)>,
}

impl PairingSearch<'_> {
    /// Place the authorities from `depth` on, having spent `spent`; true once the search should
    /// stop (the best found cannot be beaten, or the node limit is reached).
    fn assign(&mut self, depth: usize, spent: u64) -> bool {
        if depth == self.order.len() {
            let better = self.best.as_ref().is_none_or(|(cost, _)| spent < *cost);
            if better {
                self.best = Some((spent, self.target.clone()));
            }
            // Nothing is cheaper than every authority's cheapest option.
            return spent == self.floor[0];
        }
        self.nodes += 1;
        if self.nodes > NODE_LIMIT {
            return true;
        }
        let a = self.order[depth];
        for &(cost, b) in &self.options[a] {
            if self.taken[b] || (self.no_reciprocal && self.target[b] == a) {
                continue;
            }
            let spent = spent + u64::from(cost);
            if self
                .best
                .as_ref()
                .is_some_and(|(best, _)| spent + self.floor[depth + 1] >= *best)
            {
                // Options are cheapest first: the rest of this authority's cost no less.
                break;
            }
            self.target[a] = b;
            self.taken[b] = true;
            let stop = self.assign(depth + 1, spent);
            self.target[a] = usize::MAX;
            self.taken[b] = false;
            if stop {
                return true;
            }
        }
        false
    }
}
