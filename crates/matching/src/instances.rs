//! Seeded synthetic instances for benchmarks and tests: a region, the nation, and a stress size.
//! The same size and seed always give the same problem.

use crate::ids::{AuthorityId, BoardId, ChallengeId, ReviewerId, Role, ThemeId};
use crate::problem::{Challenge, Coordinates, Expertise, Options, Problem, Reviewer, Seat, Travel};
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{RngCore, SeedableRng};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::str::FromStr;

/// The benchmark sizes from the issue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InstanceSize {
    /// 150 reviewers × 15 challenges, 10 authorities.
    Regional,
    /// 2,000 reviewers × 300 challenges, 153 authorities.
    National,
    /// 10,000 reviewers × 1,500 challenges, 153 authorities.
    Stress,
}

impl InstanceSize {
    pub const ALL: [InstanceSize; 3] = [
        InstanceSize::Regional,
        InstanceSize::National,
        InstanceSize::Stress,
    ];

    /// (reviewers, challenges, authorities)
    pub fn shape(self) -> (usize, usize, usize) {
        match self {
            InstanceSize::Regional => (150, 15, 10),
            InstanceSize::National => (2_000, 300, 153),
            InstanceSize::Stress => (10_000, 1_500, 153),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            InstanceSize::Regional => "regional",
            InstanceSize::National => "national",
            InstanceSize::Stress => "stress",
        }
    }
}

impl FromStr for InstanceSize {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "regional" => Ok(Self::Regional),
            "national" => Ok(Self::National),
            "stress" => Ok(Self::Stress),
            other => Err(format!(
                "unknown size {other:?}: use regional, national or stress"
            )),
        }
    }
}

/// A generated problem of one of the benchmark sizes.
pub fn generate(size: InstanceSize, seed: u64) -> Problem {
    let (reviewers, challenges, authorities) = size.shape();
    generate_custom(reviewers, challenges, authorities, seed)
}

struct Dice(ChaCha8Rng);

impl Dice {
    fn below(&mut self, n: usize) -> usize {
        (self.0.next_u64() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn between(&mut self, low: u32, high: u32) -> u32 {
        low + self.below((high - low + 1) as usize) as u32
    }
}

/// Working days of 2027, the year the generated visits fall in.
fn working_days() -> Vec<NaiveDate> {
    let mut days = Vec::new();
    let mut day = NaiveDate::from_ymd_opt(2027, 1, 4).unwrap_or_default();
    while day.year() == 2027 {
        if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            days.push(day);
        }
        day += Duration::days(1);
    }
    days
}

/// A generated problem of any shape (used by tests with small pools).
pub fn generate_custom(
    reviewer_count: usize,
    challenge_count: usize,
    authority_count: usize,
    seed: u64,
) -> Problem {
    let mut dice = Dice(ChaCha8Rng::seed_from_u64(seed));
    let authority_count = authority_count.max(2);
    let board_count = (authority_count / 4).max(2);
    let authorities: Vec<AuthorityId> = (0..authority_count)
        .map(|a| AuthorityId::new(format!("LA{a:03}")))
        .collect();
    let board_of = |a: usize| BoardId::new(format!("ICB{:02}", a % board_count));
    // Regional problems sit in a 1° box, national ones across England.
    let spread = if authority_count <= 12 { 1.0 } else { 5.0 };
    let mut coordinates = BTreeMap::new();
    for authority in &authorities {
        let lat = 52.0 + spread * (dice.below(1000) as f64 / 1000.0 - 0.5);
        let lon = -1.0 + spread * (dice.below(1000) as f64 / 1000.0 - 0.5);
        coordinates.insert(authority.clone(), Coordinates { lat, lon });
    }
    let themes: Vec<ThemeId> = (1..=12)
        .map(|t| ThemeId::new(format!("SEND{t:02}")))
        .collect();
    let days = working_days();
    let role = |name: &str| Role::new(name);

    let mut reviewers = Vec::with_capacity(reviewer_count);
    for i in 0..reviewer_count {
        let roles = match dice.below(100) {
            0..=19 => vec![role("lead_reviewer"), role("la_officer")],
            20..=59 => vec![role("la_officer")],
            60..=81 => vec![role("parent_carer")],
            _ => vec![role("dco")],
        };
        let home = dice.below(authority_count);
        let mut expertise = BTreeMap::new();
        for _ in 0..dice.between(1, 4) {
            let level = match dice.below(10) {
                0..=3 => Expertise::Some,
                4..=7 => Expertise::Strong,
                _ => Expertise::Specialist,
            };
            expertise.insert(themes[dice.below(themes.len())].clone(), level);
        }
        let unavailable = (0..dice.below(9))
            .map(|_| days[dice.below(days.len())])
            .collect();
        let conflicts = if dice.chance(10) {
            vec![authorities[dice.below(authority_count)].clone()]
        } else {
            Vec::new()
        };
        let max_per_year = dice.between(3, 6);
        reviewers.push(Reviewer {
            id: ReviewerId::new(format!("R{i:05}")),
            name: None,
            roles,
            home_authority: authorities[home].clone(),
            nhs_board: Some(board_of(home)),
            trained: dice.chance(90),
            expertise,
            unavailable,
            conflicts,
            max_per_year,
            current_load: dice.between(0, max_per_year / 2),
            past_challenges: match dice.below(100) {
                0..=24 => 0,
                25..=59 => dice.between(1, 2),
                _ => dice.between(3, 12),
            },
            location: None,
        });
    }

    let mut challenges = Vec::with_capacity(challenge_count);
    for i in 0..challenge_count {
        let host = dice.below(authority_count);
        let two_day = dice.chance(30);
        let start = dice.below(days.len() - 1);
        let dates = if two_day {
            vec![days[start], days[start + 1]]
        } else {
            vec![days[start]]
        };
        let theme_count = if two_day { dice.between(2, 3) } else { 1 };
        let mut kloes = Vec::new();
        while kloes.len() < theme_count as usize {
            let theme = themes[dice.below(themes.len())].clone();
            if !kloes.contains(&theme) {
                kloes.push(theme);
            }
        }
        let mut seats = vec![
            Seat {
                role: role("lead_reviewer"),
                count: 1,
                shadowing: false,
            },
            Seat {
                role: role("la_officer"),
                count: 2,
                shadowing: false,
            },
            Seat {
                role: role("parent_carer"),
                count: 1,
                shadowing: false,
            },
            Seat {
                role: role("dco"),
                count: 1,
                shadowing: false,
            },
        ];
        if two_day {
            seats.push(Seat {
                role: role("la_officer"),
                count: 1,
                shadowing: true,
            });
        }
        challenges.push(Challenge {
            id: ChallengeId::new(format!("C{i:04}")),
            dates,
            host_authority: authorities[host].clone(),
            host_nhs_board: Some(board_of(host)),
            themes: kloes,
            seats,
            pinned: Vec::new(),
            declined: Vec::new(),
        });
    }

    Problem {
        challenges,
        reviewers,
        travel: Travel {
            table: Vec::new(),
            coordinates,
            default_cost: 100,
        },
        options: Options {
            forbid_same_nhs_board: true,
            max_per_authority: Some(2),
            seed,
            ..Options::default()
        },
        authority_names: BTreeMap::new(),
    }
}
