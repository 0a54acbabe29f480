//! Seeded plain assignment forms for the benchmark: the CSV files other reviewer-assignment
//! tools read, at national size (2,000 reviewers × 300 challenges, teams of 4, about 50,000
//! scored pairs, about 1,700 forbidden pairs, caps of 1 to 3) and at ten times that. The same
//! size and seed always give the same files.

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{RngCore, SeedableRng};

/// The three files and the team size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlainFiles {
    pub scores: String,
    pub constraints: String,
    pub max_load: String,
    pub team_size: u32,
}

/// `scale` 1 is national; 10 is ten times national in reviewers, challenges and pairs.
pub fn plain_form(scale: usize, seed: u64) -> PlainFiles {
    let reviewers = 2_000 * scale;
    let challenges = 300 * scale;
    let pairs_per_challenge = 167;
    let forbidden_per_challenge = 6;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut below = |n: usize| usize::try_from(rng.next_u64() % n as u64).unwrap_or(0);
    let mut scores = String::from("challenge,reviewer,score\n");
    let mut constraints = String::from("challenge,reviewer,constraint\n");
    for challenge in 0..challenges {
        let mut chosen = std::collections::BTreeSet::new();
        while chosen.len() < pairs_per_challenge {
            chosen.insert(below(reviewers));
        }
        for reviewer in chosen {
            let score = below(10_000) as f64 / 10_000.0;
            scores.push_str(&format!("c{challenge},r{reviewer},{score}\n"));
        }
        for _ in 0..forbidden_per_challenge {
            constraints.push_str(&format!("c{challenge},r{},-1\n", below(reviewers)));
        }
    }
    let mut max_load = String::from("reviewer,max\n");
    for reviewer in 0..reviewers {
        max_load.push_str(&format!("r{reviewer},{}\n", 1 + below(3)));
    }
    PlainFiles {
        scores,
        constraints,
        max_load,
        team_size: 4,
    }
}
