//! What the solver hands back: teams per challenge and seat, the objective level by level, how far from
//! optimal it is proven to be, why each member was chosen and who the alternates are.

use crate::ids::{AuthorityId, ChallengeId, ReviewerId, Role, ThemeId};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A proposed set of teams. It is a proposal: the caller previews and applies it through its own checks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Solution {
    pub status: SolveStatus,
    /// One team per challenge, in the order of the problem's challenges.
    pub teams: Vec<Team>,
    pub objective: ObjectiveBreakdown,
    pub proof: OptimalityProof,
    pub diagnostics: Diagnostics,
}

/// How good the answer is known to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SolveStatus {
    /// Proven optimal.
    Optimal,
    /// Proven within `gap_tolerance` of optimal.
    WithinGap,
    /// The time limit stopped the search; the gap in `proof` still holds.
    TimeLimit,
    /// The bound stopped improving before the tolerance was met; the gap in `proof` holds.
    BestFound,
}

/// A team for one challenge.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Team {
    pub challenge: ChallengeId,
    pub seats: Vec<SeatTeam>,
    /// Themes no member covers with strong or specialist expertise.
    pub uncovered_themes: Vec<ThemeId>,
    /// Seats whose occupant differs from the previous team (re-composition only).
    pub changes: u32,
}

impl Team {
    /// Every member of the team, pinned or proposed.
    pub fn members(&self) -> impl Iterator<Item = &ReviewerId> {
        self.seats
            .iter()
            .flat_map(|seat| seat.members.iter().map(|member| &member.reviewer))
    }
}

/// The members in one seat group, and who else could have sat there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeatTeam {
    /// Index into the challenge's `seats`.
    pub seat: usize,
    pub role: Role,
    pub shadowing: bool,
    pub members: Vec<Member>,
    /// The best-ranked people who were not chosen, each with the reason.
    pub alternates: Vec<Alternate>,
}

/// A chosen (or pinned) member and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Member {
    pub reviewer: ReviewerId,
    pub pinned: bool,
    pub why: MemberReasons,
}

/// The facts behind choosing a member, plus one plain-English sentence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberReasons {
    /// Challenge themes this member covers with strong or specialist expertise.
    pub covers_themes: Vec<ThemeId>,
    /// Depth points on the challenge's themes (some 1, strong 2, specialist 3).
    pub depth: u32,
    /// Yearly load including this solution's seats, and the cap.
    pub load_after: u32,
    pub max_per_year: u32,
    pub travel: u32,
    pub new_reviewer: bool,
    pub experienced: bool,
    pub summary: String,
}

/// Someone who could have sat in a seat group, ranked, with why they were not chosen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alternate {
    pub rank: u32,
    pub reviewer: ReviewerId,
    pub reason: NotChosen,
    pub explanation: String,
}

/// Why an alternate is not on the team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NotChosen {
    Unavailable {
        date: NaiveDate,
    },
    OwnAuthority,
    DeclaredConflict {
        authority: AuthorityId,
    },
    SameNhsBoard,
    Untrained,
    Declined,
    LoadCap {
        max_per_year: u32,
    },
    BookedElsewhere {
        challenge: ChallengeId,
    },
    AuthorityLimit {
        authority: AuthorityId,
    },
    AlreadyOnTeam,
    /// Eligible and free, but the team would be worse with them: `by` names the first objective that loses.
    WeakerMatch {
        by: String,
    },
}

/// The objective, level by level in order of priority (lower is better except `depth`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectiveBreakdown {
    /// Seats changed from the previous teams (only when re-composing).
    pub changes: u64,
    /// (challenge, theme) pairs without a strong or specialist member.
    pub uncovered_themes: u64,
    /// Total depth points of members on their challenges' themes.
    pub depth: u64,
    /// The most depth points the seats could hold (3 per theme per seat); the shortfall is minimised.
    pub depth_shortfall: u64,
    /// Convex load cost: sum over reviewers of load² − current_load².
    pub load_cost: u64,
    pub travel: u64,
    /// Teams with a new reviewer but no experienced one.
    pub unpaired_new_reviewers: u64,
    /// The weighted scalar actually minimised (lexicographic weights); a decimal string in JSON because
    /// it can exceed what JSON numbers carry exactly.
    #[serde(with = "decimal_string")]
    pub scalar: i128,
}

/// How close to optimal the answer is proven to be.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OptimalityProof {
    /// Proven lower bound on the scalar objective (a decimal string in JSON).
    #[serde(with = "decimal_string")]
    pub bound: i128,
    /// (scalar − bound) / scalar.
    pub scalar_gap: f64,
    /// The honest headline: the relative gap at the first objective level not proven optimal
    /// (0 when every level is proven).
    pub gap: f64,
    /// Per level, top priority first.
    pub levels: Vec<LevelProof>,
    /// How the bound was obtained ("lagrangian", "mip", "trivial").
    pub method: String,
}

/// One objective level's proof status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LevelProof {
    pub level: String,
    pub value: u64,
    pub proven_optimal: bool,
    /// At most this many units better is possible at this level (given the levels above are optimal).
    pub max_improvement: Option<u64>,
}

/// Counters for the curious and for the benchmark.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostics {
    pub candidate_pairs: u64,
    pub pruned_pairs: u64,
    pub dual_iterations: u32,
    pub primal_passes: u32,
    pub elapsed_ms: u64,
}

/// Serialises the 128-bit scalars as decimal strings: JSON numbers lose precision past 2^53.
mod decimal_string {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &i128, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&value.to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i128, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}
