//! Biennial pairing rules.
#![allow(clippy::unwrap_used)]

use matching::AuthorityId;
use matching::pairing::*;

fn ids(names: &[&str]) -> Vec<AuthorityId> {
    names.iter().map(|n| AuthorityId::new(*n)).collect()
}

fn ten() -> PairingProblem {
    PairingProblem {
        authorities: ids(&[
            "Derby",
            "Derbyshire",
            "Leicester",
            "Leicestershire",
            "Lincolnshire",
            "North Northamptonshire",
            "West Northamptonshire",
            "Nottingham",
            "Nottinghamshire",
            "Rutland",
        ]),
        history: vec![],
        groups: vec![],
        rules: PairingRules::default(),
        seed: 1,
        names: Default::default(),
    }
}

fn check(problem: &PairingProblem, solution: &PairingSolution) {
    let mut challenged: Vec<&AuthorityId> = solution.pairs.iter().map(|p| &p.challenged).collect();
    challenged.sort();
    challenged.dedup();
    assert_eq!(
        challenged.len(),
        problem.authorities.len(),
        "everyone is challenged exactly once"
    );
    for p in &solution.pairs {
        assert_ne!(p.challenger, p.challenged);
        assert!(!p.explanation.is_empty());
        if problem.rules.no_reciprocal {
            assert!(
                !solution
                    .pairs
                    .iter()
                    .any(|q| q.challenger == p.challenged && q.challenged == p.challenger)
            );
        }
    }
}

#[test]
fn nobody_challenges_itself_and_no_reciprocal_pairs() {
    let problem = ten();
    let solution = choose_pairings(&problem).unwrap();
    check(&problem, &solution);
}

#[test]
fn no_pairing_is_repeated_from_the_last_cycle() {
    let mut problem = ten();
    let first = choose_pairings(&problem).unwrap();
    problem.history.push(PairingCycle {
        year: 2025,
        pairs: first
            .pairs
            .iter()
            .map(|p| Pairing {
                challenger: p.challenger.clone(),
                challenged: p.challenged.clone(),
            })
            .collect(),
    });
    let second = choose_pairings(&problem).unwrap();
    check(&problem, &second);
    for p in &second.pairs {
        assert!(
            !first
                .pairs
                .iter()
                .any(|q| q.challenger == p.challenger && q.challenged == p.challenged)
        );
    }
}

#[test]
fn within_and_across_groups() {
    let mut problem = ten();
    let a = &problem.authorities;
    problem.groups = vec![a[0..3].to_vec(), a[3..6].to_vec(), a[6..10].to_vec()];
    problem.rules.groups = GroupRule::WithinGroups;
    let group_of =
        |x: &AuthorityId, p: &PairingProblem| p.groups.iter().position(|g| g.contains(x));
    let within = choose_pairings(&problem).unwrap();
    check(&problem, &within);
    assert!(
        within
            .pairs
            .iter()
            .all(|p| group_of(&p.challenger, &problem) == group_of(&p.challenged, &problem))
    );
    problem.rules.groups = GroupRule::AcrossGroups;
    let across = choose_pairings(&problem).unwrap();
    check(&problem, &across);
    assert!(
        across
            .pairs
            .iter()
            .all(|p| group_of(&p.challenger, &problem) != group_of(&p.challenged, &problem))
    );
}

#[test]
fn deterministic_with_a_seed_and_seed_sensitive() {
    let problem = ten();
    assert_eq!(
        choose_pairings(&problem).unwrap(),
        choose_pairings(&problem).unwrap()
    );
    let other: Vec<PairingSolution> = (2..6)
        .map(|seed| choose_pairings(&PairingProblem { seed, ..ten() }).unwrap())
        .collect();
    assert!(
        other
            .iter()
            .any(|s| *s != choose_pairings(&problem).unwrap())
    );
}

#[test]
fn impossible_rules_are_explained() {
    let mut problem = ten();
    problem.groups = vec![problem.authorities[0..2].to_vec()];
    problem.rules.groups = GroupRule::WithinGroups;
    let error = choose_pairings(&problem).unwrap_err();
    let text = error.to_string();
    assert!(text.contains("To relax"), "{text}");
    problem.rules.no_reciprocal = true;
    problem.groups = vec![problem.authorities.clone()];
    problem.authorities.truncate(2);
    problem.groups = vec![problem.authorities.clone()];
    let error = choose_pairings(&problem).unwrap_err();
    assert!(error.to_string().contains("reciprocal"), "{error}");
}
