//! The objective: its levels in order of priority, the lexicographic weights that make one scalar of
//! them, and what a lower bound proves about each level.

use crate::solution::{LevelProof, ObjectiveBreakdown};
use serde::{Deserialize, Serialize};

/// The objective's levels, highest priority first. Every level is minimised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Seats changed from the previous teams (re-composition only).
    Changes,
    /// KLOE themes without a strong or specialist member.
    UncoveredThemes,
    /// Depth points short of "specialist in every theme" per seat.
    DepthShortfall,
    /// Convex load cost.
    LoadCost,
    Travel,
    /// Teams with a new reviewer and no experienced one.
    UnpairedNewReviewers,
}

impl Level {
    pub const ALL: [Level; 6] = [
        Level::Changes,
        Level::UncoveredThemes,
        Level::DepthShortfall,
        Level::LoadCost,
        Level::Travel,
        Level::UnpairedNewReviewers,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Level::Changes => "changes",
            Level::UncoveredThemes => "uncovered_themes",
            Level::DepthShortfall => "depth_shortfall",
            Level::LoadCost => "load_cost",
            Level::Travel => "travel",
            Level::UnpairedNewReviewers => "unpaired_new_reviewers",
        }
    }

    /// Plain-English phrase for "worse by N of these".
    pub fn describe(self, units: u64) -> String {
        match self {
            Level::Changes => format!("{units} more change(s) to the previous team"),
            Level::UncoveredThemes => format!("{units} more theme(s) left without a strong member"),
            Level::DepthShortfall => format!("{units} fewer depth point(s) of expertise"),
            Level::LoadCost => format!("a less fair spread of work (load cost +{units})"),
            Level::Travel => format!("{units} more travel"),
            Level::UnpairedNewReviewers => "a new reviewer without an experienced one".to_owned(),
        }
    }
}

/// The convex load cost of holding `load` assignments in a year (HotCRP-style: each extra seat costs more).
pub fn load_cost(load: u32) -> u64 {
    u64::from(load) * u64::from(load)
}

/// Cost of one more seat for someone already holding `load`.
pub fn marginal_load_cost(load: u32) -> u64 {
    2 * u64::from(load) + 1
}

/// Integer weights per level; each exceeds twice the largest possible total of all lower levels, so the
/// scalar orders solutions lexicographically and a bound proves levels one by one (see [`prove_levels`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Weights {
    pub changes: i128,
    pub uncovered: i128,
    pub depth: i128,
    pub load: i128,
    pub travel: i128,
    pub unpaired: i128,
}

/// The largest value each level can take on the variable part of the problem.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct LevelRanges {
    pub changes: u64,
    pub uncovered: u64,
    pub depth: u64,
    pub load: u64,
    pub travel: u64,
    pub unpaired: u64,
}

impl Weights {
    pub(crate) fn from_ranges(r: LevelRanges) -> Option<Self> {
        let unpaired: i128 = 1;
        let mut below: i128 = 0;
        let next = |weight: i128, range: u64, below: &mut i128| -> Option<i128> {
            *below = below.checked_add(weight.checked_mul(i128::from(range))?)?;
            below.checked_add(1)?.checked_mul(2)
        };
        let travel = next(unpaired, r.unpaired, &mut below)?;
        let load = next(travel, r.travel, &mut below)?;
        let depth = next(load, r.load, &mut below)?;
        let uncovered = next(depth, r.depth, &mut below)?;
        let changes = next(uncovered, r.uncovered, &mut below)?;
        // The scalar itself must fit too.
        changes.checked_mul(i128::from(r.changes) + 1)?;
        Some(Self {
            changes,
            uncovered,
            depth,
            load,
            travel,
            unpaired,
        })
    }

    pub fn of(&self, level: Level) -> i128 {
        match level {
            Level::Changes => self.changes,
            Level::UncoveredThemes => self.uncovered,
            Level::DepthShortfall => self.depth,
            Level::LoadCost => self.load,
            Level::Travel => self.travel,
            Level::UnpairedNewReviewers => self.unpaired,
        }
    }
}

impl ObjectiveBreakdown {
    pub(crate) fn level_value(&self, level: Level) -> u64 {
        match level {
            Level::Changes => self.changes,
            Level::UncoveredThemes => self.uncovered_themes,
            Level::DepthShortfall => self.depth_shortfall,
            Level::LoadCost => self.load_cost,
            Level::Travel => self.travel,
            Level::UnpairedNewReviewers => self.unpaired_new_reviewers,
        }
    }

    pub(crate) fn scalar_with(&self, w: &Weights) -> i128 {
        Level::ALL
            .iter()
            .map(|&level| w.of(level) * i128::from(self.level_value(level)))
            .sum()
    }
}

/// What a lower bound `bound` on the scalar proves about each level of a solution.
///
/// With `D = scalar − bound`: improving a level by one unit, with the levels above unchanged, lowers the
/// scalar by more than half that level's weight (the weights are built with a factor 2), so a level
/// whose half-weight exceeds `D` cannot improve. At the first level where it can, at most
/// `floor(D / weight + 1/2)` units can be gained. Returns the per-level proof and the headline gap:
/// that number relative to the level's value (0 when every level is proven).
pub(crate) fn prove_levels(
    w: &Weights,
    breakdown: &ObjectiveBreakdown,
    bound: i128,
) -> (Vec<LevelProof>, f64) {
    let slack = (breakdown.scalar - bound).max(0);
    let mut proofs = Vec::new();
    let mut headline = 0.0;
    let mut open = false;
    for level in Level::ALL {
        let value = breakdown.level_value(level);
        let weight = w.of(level);
        if open {
            proofs.push(LevelProof {
                level: level.name().to_owned(),
                value,
                proven_optimal: false,
                max_improvement: None,
            });
            continue;
        }
        if weight == 0 {
            // A switched-off level (for example load balancing in the plain assignment form).
            proofs.push(LevelProof {
                level: level.name().to_owned(),
                value,
                proven_optimal: true,
                max_improvement: Some(0),
            });
            continue;
        }
        let max_gain = (2 * slack + weight) / (2 * weight);
        let max_gain = u64::try_from(max_gain).unwrap_or(u64::MAX).min(value);
        if max_gain == 0 {
            proofs.push(LevelProof {
                level: level.name().to_owned(),
                value,
                proven_optimal: true,
                max_improvement: Some(0),
            });
        } else {
            open = true;
            headline = max_gain as f64 / value.max(1) as f64;
            proofs.push(LevelProof {
                level: level.name().to_owned(),
                value,
                proven_optimal: false,
                max_improvement: Some(max_gain),
            });
        }
    }
    (proofs, headline)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_dominate_everything_below() {
        let ranges = LevelRanges {
            changes: 5,
            uncovered: 10,
            depth: 100,
            load: 50,
            travel: 1000,
            unpaired: 3,
        };
        let w = Weights::from_ranges(ranges).expect("fits");
        assert!(w.travel > 2 * 3);
        assert!(w.load > 2 * (w.travel * 1000 + 3));
        assert!(w.depth > 2 * (w.load * 50 + w.travel * 1000 + 3));
        assert!(w.changes > w.uncovered * 10);
    }

    #[test]
    fn a_tight_bound_proves_every_level() {
        let w = Weights::from_ranges(LevelRanges {
            changes: 1,
            uncovered: 1,
            depth: 1,
            load: 1,
            travel: 1,
            unpaired: 1,
        })
        .expect("fits");
        let b = ObjectiveBreakdown {
            changes: 0,
            uncovered_themes: 0,
            depth: 3,
            depth_shortfall: 0,
            load_cost: 1,
            travel: 1,
            unpaired_new_reviewers: 0,
            scalar: w.load + w.travel,
        };
        let (levels, gap) = prove_levels(&w, &b, b.scalar);
        assert!(levels.iter().all(|l| l.proven_optimal));
        assert_eq!(gap, 0.0);
        let (levels, gap) = prove_levels(&w, &b, b.scalar - w.load);
        assert!(levels[..3].iter().all(|l| l.proven_optimal));
        assert!(!levels[3].proven_optimal);
        assert!(gap > 0.0);
    }
}
