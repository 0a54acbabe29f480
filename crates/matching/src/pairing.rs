//! Biennial pairing: which area's team challenges which. Every authority challenges exactly one other
//! and is challenged by exactly one; nobody challenges itself; optionally no reciprocal pairs; no pairing
//! repeated from the last cycle; optionally within or across the year's groups. Pairs not seen for
//! longest are preferred; ties are broken by the seed, so the same input and seed give the same answer.

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

const NODE_LIMIT: u64 = 2_000_000;

/// Chooses who challenges whom.
pub fn choose_pairings(problem: &PairingProblem) -> Result<PairingSolution, PairingError> {
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
    // Most recent year each ordered pair happened, and the last cycle's pairs.
    let mut last_seen: BTreeMap<(usize, usize), i32> = BTreeMap::new();
    let last_year = problem.history.iter().map(|c| c.year).max();
    let mut last_cycle: Vec<(usize, usize)> = Vec::new();
    for cycle in &problem.history {
        for p in &cycle.pairs {
            if let (Some(a), Some(b)) = (index(&p.challenger), index(&p.challenged)) {
                let seen = last_seen.entry((a, b)).or_insert(cycle.year);
                *seen = (*seen).max(cycle.year);
                if Some(cycle.year) == last_year {
                    last_cycle.push((a, b));
                }
            }
        }
    }
    let mut rng = ChaCha8Rng::seed_from_u64(problem.seed);
    let allowed = |a: usize, b: usize| -> bool {
        a != b
            && !last_cycle.contains(&(a, b))
            && match problem.rules.groups {
                GroupRule::Any => true,
                GroupRule::WithinGroups => group_of[a] == group_of[b],
                GroupRule::AcrossGroups => group_of[a] != group_of[b],
            }
    };
    // Candidate targets per authority: never paired first, then longest ago; ties by the seed.
    let mut options: Vec<Vec<usize>> = Vec::with_capacity(n);
    for a in 0..n {
        let mut list: Vec<(i32, u64, usize)> = (0..n)
            .filter(|&b| allowed(a, b))
            .map(|b| {
                (
                    last_seen.get(&(a, b)).copied().unwrap_or(i32::MIN),
                    rng.next_u64(),
                    b,
                )
            })
            .collect();
        list.sort_unstable();
        options.push(list.into_iter().map(|(_, _, b)| b).collect());
    }
    if let Some(a) = (0..n).find(|&a| options[a].is_empty()) {
        return Err(infeasible_for(problem, &authorities[a]));
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&a| (options[a].len(), a));
    let mut search = PairingSearch {
        options: &options,
        order: &order,
        target: vec![usize::MAX; n],
        taken: vec![false; n],
        no_reciprocal: problem.rules.no_reciprocal,
        nodes: 0,
    };
    if !search.assign(0) {
        return Err(PairingError::Infeasible {
            reason: if search.nodes > NODE_LIMIT {
                "the search gave up before finding a pairing.".to_owned()
            } else {
                "every way of pairing breaks the reciprocal, repeat or group rule.".to_owned()
            },
            relax: "allow reciprocal pairs, allow pairing across groups, or allow a repeat of the last cycle".to_owned(),
        });
    }
    let name = |a: usize| {
        problem
            .names
            .get(&authorities[a])
            .cloned()
            .unwrap_or_else(|| authorities[a].to_string())
    };
    let pairs = (0..n)
        .map(|a| {
            let b = search.target[a];
            let history = match last_seen.get(&(a, b)) {
                None => "they have not been paired this way before".to_owned(),
                Some(year) => format!("last paired this way in {year}"),
            };
            let group = match problem.rules.groups {
                GroupRule::Any => String::new(),
                GroupRule::WithinGroups => "; both are in the same group this year".to_owned(),
                GroupRule::AcrossGroups => "; they are in different groups this year".to_owned(),
            };
            let reciprocal = if search.target[b] == a {
                "; they challenge each other".to_owned()
            } else {
                format!("; {} challenges {}", name(b), name(search.target[b]))
            };
            ExplainedPairing {
                challenger: authorities[a].clone(),
                challenged: authorities[b].clone(),
                explanation: format!(
                    "{} challenges {}: {history}{group}{reciprocal}.",
                    name(a),
                    name(b)
                ),
            }
        })
        .collect();
    Ok(PairingSolution { pairs })
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
    options: &'a [Vec<usize>],
    order: &'a [usize],
    target: Vec<usize>,
    taken: Vec<bool>,
    no_reciprocal: bool,
    nodes: u64,
}

impl PairingSearch<'_> {
    fn assign(&mut self, depth: usize) -> bool {
        if depth == self.order.len() {
            return true;
        }
        self.nodes += 1;
        if self.nodes > NODE_LIMIT {
            return false;
        }
        let a = self.order[depth];
        for &b in &self.options[a] {
            if self.taken[b] || (self.no_reciprocal && self.target[b] == a) {
                continue;
            }
            self.target[a] = b;
            self.taken[b] = true;
            if self.assign(depth + 1) {
                return true;
            }
            self.target[a] = usize::MAX;
            self.taken[b] = false;
        }
        false
    }
}
