//! The problem compiled for solving: indices instead of strings, impossible reviewer × seat pairs pruned,
//! and the remaining candidates grouped per seat group into classes of equal theme coverage and
//! experience, each sorted by their fixed cost. Everything is sorted, so nothing depends on hash order.

use crate::ids::{AuthorityId, ReviewerId, Role};
use crate::objective::{LevelRanges, Weights};
use crate::problem::{Problem, ProblemError};
use crate::rules::PairRules;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// Experience, as the pairing objective sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Experience {
    New,
    Some,
    Experienced,
}

impl Experience {
    /// Bit flags: 1 = a new reviewer present, 2 = an experienced one present.
    pub(crate) fn flag(self) -> u8 {
        match self {
            Experience::New => 1,
            Experience::Some => 0,
            Experience::Experienced => 2,
        }
    }
}

/// A team with a new reviewer but nobody experienced pays the pairing penalty.
pub(crate) fn unpaired(flags: u8) -> bool {
    flags & 1 == 1 && flags & 2 == 0
}

#[derive(Debug, Clone)]
pub(crate) struct ReviewerFacts {
    pub authority: u32,
    pub experience: Experience,
    pub current: u32,
    /// Current load plus seats pinned in this problem.
    pub base: u32,
    /// How many more seats the cap allows.
    pub spare: u32,
}

/// A reviewer who may fill a seat group, with the fixed parts of their cost there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Candidate {
    pub reviewer: u32,
    pub depth_shortfall: u16,
    /// True when the challenge has a previous team and this reviewer was not in this seat group.
    pub is_change: bool,
    pub travel: u32,
}

impl Candidate {
    pub(crate) fn fixed_cost(&self, w: &Weights) -> i128 {
        let change = if self.is_change { w.changes } else { 0 };
        change + w.depth * i128::from(self.depth_shortfall) + w.travel * i128::from(self.travel)
    }
}

/// Candidates of one seat group sharing a coverage mask and experience.
#[derive(Debug, Clone)]
pub(crate) struct CandidateClass {
    pub mask: u16,
    pub experience: Experience,
    /// Sorted by fixed cost, then reviewer index.
    pub candidates: Vec<Candidate>,
}

#[derive(Debug, Clone)]
pub(crate) struct SeatGroup {
    pub seat: usize,
    /// Seats still to fill after pins.
    pub need: u32,
    pub classes: Vec<CandidateClass>,
}

#[derive(Debug, Clone)]
pub(crate) struct ChallengeModel {
    pub days: Vec<u32>,
    pub theme_count: u32,
    /// Other challenges sharing a day with this one.
    pub overlapping: Vec<u32>,
    pub groups: Vec<SeatGroup>,
    pub team_size: u32,
    /// Coverage mask, experience flags, home authorities and reviewers of the pinned members.
    pub pinned_mask: u16,
    pub pinned_flags: u8,
    pub pinned_authorities: Vec<u32>,
    pub pinned_reviewers: Vec<u32>,
    /// Depth shortfall and travel of pinned members (constant).
    pub pinned_depth_shortfall: u64,
    pub pinned_travel: u64,
    /// The host authority's index in the travel matrix.
    pub host: usize,
}

impl ChallengeModel {
    pub(crate) fn full_mask(&self) -> u16 {
        if self.theme_count == 0 {
            0
        } else {
            ((1u32 << self.theme_count) - 1) as u16
        }
    }
}

/// The compiled problem.
#[derive(Debug)]
pub(crate) struct Model<'p> {
    pub problem: &'p Problem,
    pub rules: PairRules<'p>,
    pub weights: Weights,
    pub reviewers: Vec<ReviewerFacts>,
    pub challenges: Vec<ChallengeModel>,
    pub reviewer_index: BTreeMap<ReviewerId, u32>,
    pub candidate_pairs: u64,
    pub pruned_pairs: u64,
    travel: TravelMatrix<'p>,
}

/// Fails only when the weights would overflow (absurdly large problems).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    #[error(transparent)]
    Problem(#[from] ProblemError),
    #[error("the problem is too large for exact lexicographic weights")]
    TooLarge,
    /// Building the model or the first complete set of teams outlasted the time limit.
    #[error("the time limit of {limit_ms} ms passed before a complete set of teams was found")]
    TimeLimit { limit_ms: u64 },
}

impl ModelError {
    pub(crate) fn time_limit(problem: &Problem) -> Self {
        Self::TimeLimit {
            limit_ms: (problem.options.time_limit_seconds * 1000.0)
                .round()
                .max(0.0) as u64,
        }
    }
}

impl<'p> Model<'p> {
    #[cfg(test)]
    pub(crate) fn build(problem: &'p Problem) -> Result<Self, ModelError> {
        Self::build_until(problem, None)
    }

    /// [`Model::build`], giving up with [`ModelError::TimeLimit`] once `deadline` passes (on
    /// the largest instances the candidate pairs alone take seconds).
    pub(crate) fn build_until(
        problem: &'p Problem,
        deadline: Option<std::time::Instant>,
    ) -> Result<Self, ModelError> {
        problem.validate()?;
        let rules = PairRules::new(problem);
        let experienced_after = problem.options.experienced_after.max(1);

        let mut authority_ids: Vec<AuthorityId> = Vec::new();
        for r in &problem.reviewers {
            authority_ids.push(r.home_authority.clone());
        }
        authority_ids.sort();
        authority_ids.dedup();
        let authority_of: BTreeMap<&AuthorityId, u32> = authority_ids
            .iter()
            .enumerate()
            .map(|(i, a)| (a, i as u32))
            .collect();

        let reviewer_index: BTreeMap<ReviewerId, u32> = problem
            .reviewers
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.clone(), i as u32))
            .collect();

        let reviewers: Vec<ReviewerFacts> = problem
            .reviewers
            .iter()
            .enumerate()
            .map(|(i, r)| ReviewerFacts {
                authority: authority_of.get(&r.home_authority).copied().unwrap_or(0),
                experience: if r.past_challenges == 0 {
                    Experience::New
                } else if r.past_challenges >= experienced_after {
                    Experience::Experienced
                } else {
                    Experience::Some
                },
                current: r.current_load,
                base: r.current_load + rules.pinned_load(i),
                spare: rules.spare_load(i),
            })
            .collect();

        let mut all_days: Vec<NaiveDate> = problem
            .challenges
            .iter()
            .flat_map(|c| c.dates.iter().copied())
            .collect();
        all_days.sort_unstable();
        all_days.dedup();
        let day_index = |d: &NaiveDate| all_days.binary_search(d).unwrap_or(0) as u32;

        let mut by_role: BTreeMap<&Role, Vec<usize>> = BTreeMap::new();
        for (i, r) in problem.reviewers.iter().enumerate() {
            let mut roles: Vec<&Role> = r.roles.iter().collect();
            roles.sort();
            roles.dedup();
            for role in roles {
                by_role.entry(role).or_default().push(i);
            }
        }

        let travel = TravelMatrix::new(problem);
        let mut on_day: Vec<Vec<u32>> = vec![Vec::new(); all_days.len()];
        let mut challenges = Vec::with_capacity(problem.challenges.len());
        let mut candidate_pairs = 0u64;
        let mut pruned_pairs = 0u64;
        let mut ranges = LevelRanges::default();

        // Per reviewer: the challenge (plus one) whose facts `pair_facts` holds, and those facts
        // (coverage mask, depth shortfall, travel; `None` when a seat-independent rule rejects them).
        let mut seen = vec![0usize; problem.reviewers.len()];
        let mut pair_facts: Vec<Option<(u16, u16, u32)>> = vec![None; problem.reviewers.len()];
        for (c, challenge) in problem.challenges.iter().enumerate() {
            if deadline.is_some_and(|deadline| std::time::Instant::now() >= deadline) {
                return Err(ModelError::time_limit(problem));
            }
            let mut days: Vec<u32> = challenge.dates.iter().map(day_index).collect();
            days.sort_unstable();
            days.dedup();
            for &d in &days {
                on_day[d as usize].push(c as u32);
            }
            let mut themes = challenge.themes.clone();
            themes.sort();
            themes.dedup();
            let theme_count = themes.len() as u32;
            let host = travel.host(&challenge.host_authority);
            let previous = problem
                .options
                .previous
                .iter()
                .find(|p| p.challenge == challenge.id);

            let expertise_of = |r: usize| -> (u16, u16) {
                let reviewer = &problem.reviewers[r];
                let mut mask = 0u16;
                let mut points = 0u32;
                for (t, theme) in themes.iter().enumerate() {
                    if let Some(level) = reviewer.expertise.get(theme) {
                        points += level.points();
                        if level.covers() {
                            mask |= 1 << t;
                        }
                    }
                }
                (mask, (3 * theme_count - points) as u16)
            };

            let mut pinned_mask = 0u16;
            let mut pinned_flags = 0u8;
            let mut pinned_authorities = Vec::new();
            let mut pinned_reviewers = Vec::new();
            let mut pinned_depth_shortfall = 0u64;
            let mut pinned_travel = 0u64;
            for pin in &challenge.pinned {
                if let Some(&r) = reviewer_index.get(&pin.reviewer) {
                    let (mask, shortfall) = expertise_of(r as usize);
                    pinned_mask |= mask;
                    pinned_flags |= reviewers[r as usize].experience.flag();
                    pinned_authorities.push(reviewers[r as usize].authority);
                    pinned_reviewers.push(r);
                    pinned_depth_shortfall += u64::from(shortfall);
                    pinned_travel += u64::from(travel.cost(&problem.reviewers[r as usize], host));
                }
            }

            let mut groups = Vec::with_capacity(challenge.seats.len());
            let mut max_travel = 0u32;
            let mut need_total = 0u32;
            for (s, seat) in challenge.seats.iter().enumerate() {
                let pinned_here = challenge.pinned.iter().filter(|p| p.seat == s).count() as u32;
                let need = seat.count.saturating_sub(pinned_here);
                need_total += need;
                let mut classes: BTreeMap<(u16, Experience), Vec<Candidate>> = BTreeMap::new();
                if need > 0 {
                    for &r in by_role.get(&seat.role).map(Vec::as_slice).unwrap_or(&[]) {
                        if pinned_reviewers.contains(&(r as u32)) {
                            continue;
                        }
                        // The seat-independent rules, coverage and travel, once per challenge and
                        // reviewer however many seat groups they could fill (as `rules.rejection`).
                        if seen[r] != c + 1 {
                            seen[r] = c + 1;
                            pair_facts[r] =
                                rules.rejection_for_challenge(c, r).is_none().then(|| {
                                    let (mask, shortfall) = expertise_of(r);
                                    (mask, shortfall, travel.cost_for(r, host))
                                });
                        }
                        let untrained = !problem.reviewers[r].trained && !seat.shadowing;
                        let Some((mask, depth_shortfall, cost)) =
                            pair_facts[r].filter(|_| !untrained)
                        else {
                            pruned_pairs += 1;
                            continue;
                        };
                        candidate_pairs += 1;
                        max_travel = max_travel.max(cost);
                        let is_change = previous.is_some_and(|p| {
                            !p.members
                                .iter()
                                .any(|m| m.seat == s && m.reviewer == problem.reviewers[r].id)
                        });
                        classes
                            .entry((mask, reviewers[r].experience))
                            .or_default()
                            .push(Candidate {
                                reviewer: r as u32,
                                depth_shortfall,
                                is_change,
                                travel: cost,
                            });
                    }
                }
                groups.push(SeatGroup {
                    seat: s,
                    need,
                    classes: classes
                        .into_iter()
                        .map(|((mask, experience), candidates)| CandidateClass {
                            mask,
                            experience,
                            candidates,
                        })
                        .collect(),
                });
            }

            ranges.changes += u64::from(need_total);
            ranges.uncovered += u64::from(theme_count);
            ranges.depth += u64::from(need_total) * 3 * u64::from(theme_count);
            ranges.travel += u64::from(need_total) * u64::from(max_travel);
            ranges.unpaired += 1;
            challenges.push(ChallengeModel {
                days,
                theme_count,
                overlapping: Vec::new(),
                groups,
                team_size: challenge.team_size(),
                pinned_mask,
                pinned_flags,
                pinned_authorities,
                pinned_reviewers,
                pinned_depth_shortfall,
                pinned_travel,
                host,
            });
        }

        let max_cap = problem
            .reviewers
            .iter()
            .map(|r| r.max_per_year)
            .max()
            .unwrap_or(0);
        ranges.load = ranges.changes * crate::objective::marginal_load_cost(max_cap);
        let mut weights = Weights::from_ranges(ranges).ok_or(ModelError::TooLarge)?;
        if !problem.options.balance_load {
            weights.load = 0;
        }

        for same_day in &on_day {
            for &c in same_day {
                let overlapping = &mut challenges[c as usize].overlapping;
                overlapping.extend(same_day.iter().copied().filter(|&o| o != c));
            }
        }
        for challenge in &mut challenges {
            challenge.overlapping.sort_unstable();
            challenge.overlapping.dedup();
        }

        let mut model = Model {
            problem,
            rules,
            weights,
            reviewers,
            challenges,
            reviewer_index,
            candidate_pairs,
            pruned_pairs,
            travel,
        };
        model.sort_candidates();
        Ok(model)
    }

    /// Reviewer `r`'s travel cost to challenge `c`'s host, from the matrix (as `Travel::cost`).
    pub(crate) fn travel_cost(&self, r: usize, c: usize) -> u32 {
        self.travel.cost_for(r, self.challenges[c].host)
    }

    fn sort_candidates(&mut self) {
        let w = self.weights;
        for challenge in &mut self.challenges {
            for group in &mut challenge.groups {
                for class in &mut group.classes {
                    class
                        .candidates
                        .sort_by_key(|cand| (cand.fixed_cost(&w), cand.reviewer));
                }
            }
        }
    }
}

/// Travel costs between reviewer locations and hosts, looked up once per distinct pair of authorities.
#[derive(Debug)]
struct TravelMatrix<'p> {
    problem: &'p Problem,
    locations: BTreeMap<&'p AuthorityId, usize>,
    hosts: BTreeMap<&'p AuthorityId, usize>,
    costs: Vec<u32>,
    /// Each reviewer's location index (by reviewer index).
    reviewer_location: Vec<usize>,
}

impl<'p> TravelMatrix<'p> {
    fn new(problem: &'p Problem) -> Self {
        let mut locations: BTreeMap<&AuthorityId, usize> = BTreeMap::new();
        for r in &problem.reviewers {
            let n = locations.len();
            locations.entry(r.travels_from()).or_insert(n);
        }
        let mut hosts: BTreeMap<&AuthorityId, usize> = BTreeMap::new();
        for c in &problem.challenges {
            let n = hosts.len();
            hosts.entry(&c.host_authority).or_insert(n);
        }
        let table: BTreeMap<(&AuthorityId, &AuthorityId), u32> = problem
            .travel
            .table
            .iter()
            .flat_map(|e| [((&e.from, &e.to), e.cost), ((&e.to, &e.from), e.cost)])
            .collect();
        let mut costs = vec![0; locations.len() * hosts.len()];
        for (from, &l) in &locations {
            for (to, &h) in &hosts {
                costs[l * hosts.len() + h] = if from == to {
                    0
                } else if let Some(&cost) = table.get(&(*from, *to)) {
                    cost
                } else {
                    problem.travel.estimate(from, to)
                };
            }
        }
        let reviewer_location = problem
            .reviewers
            .iter()
            .map(|r| locations.get(r.travels_from()).copied().unwrap_or(0))
            .collect();
        Self {
            problem,
            locations,
            hosts,
            costs,
            reviewer_location,
        }
    }

    fn host(&self, host: &AuthorityId) -> usize {
        self.hosts.get(host).copied().unwrap_or(0)
    }

    /// As [`Self::cost`], by reviewer index (every reviewer's location is in the matrix).
    fn cost_for(&self, reviewer: usize, host: usize) -> u32 {
        self.costs[self.reviewer_location[reviewer] * self.hosts.len() + host]
    }

    fn cost(&self, reviewer: &crate::problem::Reviewer, host: usize) -> u32 {
        match self.locations.get(reviewer.travels_from()) {
            Some(&l) => self.costs[l * self.hosts.len() + host],
            None => self.problem.travel.default_cost,
        }
    }
}
