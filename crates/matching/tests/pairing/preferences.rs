//! The biennial pairing's softer preferences: kept whenever some pairing keeping the rules
//! keeps them (not the same NHS board, not a pair from two cycles ago, within or across groups
//! when preferred), never a refusal when they cannot be; each pair's explanation says which it
//! keeps; and a refusal names the rule that binds and what would relax it.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use matching::AuthorityId;
use matching::pairing::*;

fn ids(names: &[&str]) -> Vec<AuthorityId> {
    names.iter().map(|n| AuthorityId::new(*n)).collect()
}

fn problem(names: &[&str], seed: u64) -> PairingProblem {
    PairingProblem {
        authorities: ids(names),
        history: vec![],
        groups: vec![],
        rules: PairingRules::default(),
        seed,
        names: Default::default(),
    }
}

fn boards(of: &[(&str, &str)]) -> PairingPreferences {
    PairingPreferences {
        nhs_boards: of
            .iter()
            .map(|(a, b)| (AuthorityId::new(*a), (*b).to_owned()))
            .collect::<BTreeMap<_, _>>(),
        ..PairingPreferences::default()
    }
}

fn cycle(year: i32, pairs: &[(&str, &str)]) -> PairingCycle {
    PairingCycle {
        year,
        pairs: pairs
            .iter()
            .map(|(a, b)| Pairing {
                challenger: AuthorityId::new(*a),
                challenged: AuthorityId::new(*b),
            })
            .collect(),
    }
}

const SIX: [&str; 6] = ["a", "b", "c", "d", "e", "f"];

#[test]
fn areas_under_one_nhs_board_are_not_paired_when_another_way_exists() {
    let preferences = boards(&[
        ("a", "NHS North"),
        ("b", "NHS North"),
        ("c", "NHS North"),
        ("d", "NHS South"),
        ("e", "NHS South"),
        ("f", "NHS South"),
    ]);
    let board = |x: &AuthorityId| preferences.nhs_boards[x].clone();
    let mut shared_without = 0;
    for seed in 0..20 {
        let p = problem(&SIX, seed);
        let solution = choose_pairings_with(&p, &preferences).unwrap();
        for pair in &solution.pairs {
            assert_ne!(
                board(&pair.challenger),
                board(&pair.challenged),
                "seed {seed}"
            );
            assert!(
                pair.explanation
                    .contains("different NHS boards (NHS North and NHS South)")
                    || pair
                        .explanation
                        .contains("different NHS boards (NHS South and NHS North)"),
                "{}",
                pair.explanation
            );
        }
        let plain = choose_pairings(&p).unwrap();
        shared_without += plain
            .pairs
            .iter()
            .filter(|pair| board(&pair.challenger) == board(&pair.challenged))
            .count();
    }
    assert!(
        shared_without > 0,
        "without the preference some pairs share a board"
    );
}

#[test]
fn a_board_shared_by_every_area_still_pairs_them_and_says_so() {
    let preferences = boards(&[("a", "NHS One"), ("b", "NHS One"), ("c", "NHS One")]);
    let solution = choose_pairings_with(&problem(&["a", "b", "c"], 1), &preferences).unwrap();
    assert_eq!(solution.pairs.len(), 3);
    assert!(
        solution
            .pairs
            .iter()
            .all(|p| p.explanation.contains("both are served by NHS One"))
    );
}

#[test]
fn a_pair_from_two_cycles_ago_is_avoided_when_it_can_be() {
    let mut p = problem(&SIX, 3);
    // Two cycles ago (2022) and the last (2024): rings in opposite senses.
    p.history = vec![
        cycle(
            2022,
            &[
                ("a", "b"),
                ("b", "c"),
                ("c", "d"),
                ("d", "e"),
                ("e", "f"),
                ("f", "a"),
            ],
        ),
        cycle(
            2024,
            &[
                ("a", "c"),
                ("c", "e"),
                ("e", "a"),
                ("b", "d"),
                ("d", "f"),
                ("f", "b"),
            ],
        ),
    ];
    let two_ago = &p.history[0].pairs;
    for seed in 0..20 {
        let solution = choose_pairings(&PairingProblem { seed, ..p.clone() }).unwrap();
        for pair in &solution.pairs {
            assert!(
                !two_ago.iter().any(|q| (q.challenger == pair.challenger
                    && q.challenged == pair.challenged)
                    || (q.challenger == pair.challenged && q.challenged == pair.challenger)),
                "seed {seed}: {}",
                pair.explanation
            );
            assert!(
                pair.explanation
                    .contains("not paired in 2022, two cycles ago"),
                "{}",
                pair.explanation
            );
        }
    }
    // Three areas whose last cycle was one ring and the cycle before the other: the only
    // pairing left repeats 2022, and each pair says it could not be avoided.
    let mut three = problem(&["a", "b", "c"], 1);
    three.history = vec![
        cycle(2022, &[("a", "c"), ("c", "b"), ("b", "a")]),
        cycle(2024, &[("a", "b"), ("b", "c"), ("c", "a")]),
    ];
    let solution = choose_pairings(&three).unwrap();
    assert!(solution.pairs.iter().all(|p| {
        p.explanation
            .contains("paired in 2022, two cycles ago: no pairing keeping the rules avoided")
    }));
}

#[test]
fn a_group_preference_is_kept_where_it_can_be_and_never_refuses() {
    let mut p = problem(&SIX, 5);
    p.groups = vec![ids(&["a", "b", "c"]), ids(&["d", "e", "f"])];
    let within = PairingPreferences {
        groups: GroupRule::WithinGroups,
        ..PairingPreferences::default()
    };
    let group_of = |x: &AuthorityId| p.groups.iter().position(|g| g.contains(x));
    let solution = choose_pairings_with(&p, &within).unwrap();
    assert!(
        solution
            .pairs
            .iter()
            .all(|q| group_of(&q.challenger) == group_of(&q.challenged)
                && q.explanation.contains("in the same group, as preferred"))
    );
    // Two groups of two, no reciprocal pairs: within is impossible, so some pairs cross,
    // and say so, where the same rule as a hard one refuses.
    let mut four = problem(&["a", "b", "c", "d"], 5);
    four.groups = vec![ids(&["a", "b"]), ids(&["c", "d"])];
    let solution = choose_pairings_with(&four, &within).unwrap();
    assert!(solution.pairs.iter().any(|q| {
        q.explanation
            .contains("against the preference for the same group")
    }));
    // As a rule instead, each group of two could only challenge each other: that binds.
    four.rules.groups = GroupRule::WithinGroups;
    let refused = choose_pairings(&four).unwrap_err().to_string();
    assert!(
        refused.contains("reciprocal pairs are not allowed")
            && refused.contains("To relax: allow reciprocal pairs"),
        "{refused}"
    );
    // Groups of one and three, pairs allowed both ways: the group rule itself binds.
    four.rules.no_reciprocal = false;
    four.groups = vec![ids(&["a"]), ids(&["b", "c", "d"])];
    let refused = choose_pairings(&four).unwrap_err().to_string();
    assert!(
        refused.contains("nobody to challenge within its group"),
        "{refused}"
    );
}

#[test]
fn two_areas_left_with_reciprocity_forbidden_names_that_rule_and_its_relaxation() {
    let error = choose_pairings(&problem(&["derby", "rutland"], 1)).unwrap_err();
    let PairingError::Infeasible { reason, relax } = error else {
        panic!("infeasible expected");
    };
    assert!(
        reason.contains("reciprocal pairs are not allowed"),
        "{reason}"
    );
    assert!(relax.contains("allow reciprocal pairs"), "{relax}");
    // Two areas that challenged each other last time: the no-repeat rule binds.
    let mut two = problem(&["derby", "rutland"], 1);
    two.rules.no_reciprocal = false;
    two.history = vec![cycle(2024, &[("derby", "rutland"), ("rutland", "derby")])];
    let refused = choose_pairings(&two).unwrap_err().to_string();
    assert!(
        refused.contains("did not challenge last cycle")
            && refused.contains("allow a repeat of the last cycle"),
        "{refused}"
    );
}
