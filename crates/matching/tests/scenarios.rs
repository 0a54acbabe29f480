//! Crafted scenarios: every infeasibility message, re-composition after a drop-out, explanations.
#![allow(clippy::unwrap_used)]

use crate::common;

use common::*;
use matching::recompose::recompose_after_dropout;
use matching::*;

fn derby_visit() -> Challenge {
    challenge(
        "derby-1",
        "Derby",
        vec![day(2027, 3, 12)],
        &[("lead_reviewer", 1), ("parent_carer", 1)],
    )
}

fn lead(id: &str, home: &str) -> Reviewer {
    reviewer(id, &["lead_reviewer"], home)
}

fn infeasible(problem: &Problem) -> Infeasibility {
    match solve(problem) {
        Err(SolveError::Infeasible(infeasibility)) => infeasibility,
        other => panic!("expected infeasible, got {:?}", other.map(|s| s.teams)),
    }
}

fn only_reason(problem: &Problem) -> Diagnosis {
    let infeasibility = infeasible(problem);
    assert_eq!(infeasibility.reasons.len(), 1, "{infeasibility}");
    infeasibility.reasons.into_iter().next().unwrap()
}

#[test]
fn no_parent_carer_outside_derby_is_free() {
    let mut away = reviewer("pc-away", &["parent_carer"], "Nottingham");
    away.unavailable = vec![day(2027, 3, 12)];
    let p = problem(
        vec![derby_visit()],
        vec![
            lead("lead", "Leicester"),
            reviewer("pc-home", &["parent_carer"], "Derby"),
            away,
        ],
    );
    let reason = only_reason(&p);
    assert_eq!(reason.seat, Some(1));
    assert_eq!(reason.role, Some(Role::new("parent_carer")));
    assert!(
        reason
            .message
            .starts_with("no parent carer outside Derby is free on 12 March 2027"),
        "{}",
        reason.message
    );
    assert!(reason.message.contains("1 parent carer from Derby itself"));
    assert!(reason.message.contains("unavailable on 12 March 2027"));
    assert!(reason.relax.iter().any(|r| r.contains("another authority")));
}

#[test]
fn each_binding_rule_is_named() {
    type BreakRule = Box<dyn Fn(&mut Reviewer, &mut Problem)>;
    let cases: Vec<(BreakRule, BindingRule, &str)> = vec![
        (
            Box::new(|r, _| r.trained = false),
            BindingRule::Untrained,
            "shadowing",
        ),
        (
            Box::new(|r, _| r.conflicts = vec![AuthorityId::new("Derby")]),
            BindingRule::DeclaredConflict,
            "conflicts",
        ),
        (
            Box::new(|r, _| {
                r.max_per_year = 2;
                r.current_load = 2;
            }),
            BindingRule::LoadCap,
            "cap",
        ),
        (
            Box::new(|r, p| {
                r.nhs_board = Some(BoardId::new("ICB"));
                p.challenges[0].host_nhs_board = Some(BoardId::new("ICB"));
                p.options.forbid_same_nhs_board = true;
            }),
            BindingRule::SameNhsBoard,
            "NHS board",
        ),
        (
            Box::new(|r, p| p.challenges[0].declined = vec![r.id.clone()]),
            BindingRule::Declined,
            "add another",
        ),
        (
            Box::new(|r, _| r.home_authority = AuthorityId::new("Derby")),
            BindingRule::OwnAuthority,
            "another authority",
        ),
        (
            Box::new(|r, _| r.roles = vec![Role::new("dco")]),
            BindingRule::NoOneHoldsRole,
            "add a parent carer",
        ),
    ];
    for (break_it, rule, relax_hint) in cases {
        let mut p = problem(vec![derby_visit()], vec![lead("lead", "Leicester")]);
        let mut carer = reviewer("pc", &["parent_carer"], "Nottingham");
        break_it(&mut carer, &mut p);
        p.reviewers.push(carer);
        let reason = only_reason(&p);
        assert_eq!(reason.rule, rule, "{}", reason.message);
        assert!(
            reason.message.contains("Derby") && reason.message.contains("12 March 2027"),
            "{}",
            reason.message
        );
        assert!(
            reason.relax.iter().any(|r| r.contains(relax_hint)),
            "{rule:?}: {:?}",
            reason.relax
        );
    }
}

#[test]
fn overlapping_pinned_booking_is_named() {
    let mut other = challenge(
        "leic-1",
        "Leicester",
        vec![day(2027, 3, 12)],
        &[("parent_carer", 1)],
    );
    other.pinned = vec![SeatMember {
        seat: 0,
        reviewer: ReviewerId::new("pc"),
    }];
    let p = problem(
        vec![derby_visit(), other],
        vec![
            lead("lead", "Nottingham"),
            reviewer("pc", &["parent_carer"], "Lincoln"),
        ],
    );
    let reason = only_reason(&p);
    assert_eq!(reason.rule, BindingRule::OverlappingBooking);
    assert!(
        reason
            .message
            .contains("already booked on an overlapping challenge")
    );
}

#[test]
fn authority_limit_and_one_seat_per_person_are_named() {
    let mut p = problem(
        vec![challenge(
            "derby-1",
            "Derby",
            vec![day(2027, 3, 12)],
            &[("la_officer", 2)],
        )],
        vec![
            reviewer("a", &["la_officer"], "Leicester"),
            reviewer("b", &["la_officer"], "Leicester"),
        ],
    );
    p.options.max_per_authority = Some(1);
    let reason = only_reason(&p);
    assert_eq!(reason.rule, BindingRule::AuthorityLimit);
    assert!(reason.relax.iter().any(|r| r.contains("max_per_authority")));

    let p = problem(
        vec![challenge(
            "derby-1",
            "Derby",
            vec![day(2027, 3, 12)],
            &[("lead_reviewer", 1), ("la_officer", 1)],
        )],
        vec![reviewer(
            "both",
            &["lead_reviewer", "la_officer"],
            "Leicester",
        )],
    );
    let reason = only_reason(&p);
    assert_eq!(reason.rule, BindingRule::OneSeatPerPerson);
}

#[test]
fn a_pinned_member_who_breaks_a_rule_is_named() {
    let mut visit = derby_visit();
    visit.pinned = vec![SeatMember {
        seat: 0,
        reviewer: ReviewerId::new("lead"),
    }];
    let mut p = problem(
        vec![visit],
        vec![
            lead("lead", "Derby"),
            reviewer("pc", &["parent_carer"], "Lincoln"),
        ],
    );
    p.authority_names
        .insert(AuthorityId::new("Derby"), "Derby City".to_owned());
    let reason = only_reason(&p);
    assert_eq!(reason.rule, BindingRule::PinnedMemberBreaksRule);
    assert!(
        reason.message.contains("would review their own authority"),
        "{}",
        reason.message
    );
    assert!(reason.message.contains("Derby City"));
}

#[test]
fn capacity_across_challenges_is_explained() {
    // Two visits on the same day, one parent carer in the pool.
    let p = problem(
        vec![
            challenge(
                "derby-1",
                "Derby",
                vec![day(2027, 3, 12)],
                &[("parent_carer", 1)],
            ),
            challenge(
                "leic-1",
                "Leicester",
                vec![day(2027, 3, 12)],
                &[("parent_carer", 1)],
            ),
        ],
        vec![reviewer("pc", &["parent_carer"], "Lincoln")],
    );
    let infeasibility = infeasible(&p);
    assert!(
        infeasibility
            .reasons
            .iter()
            .any(|r| r.rule == BindingRule::Capacity),
        "{infeasibility}"
    );
    assert!(infeasibility.to_string().contains("overlapping"));
}

fn pool_problem() -> Problem {
    let mut p = instances::generate_custom(120, 8, 10, 3);
    p.options.max_per_authority = Some(2);
    p
}

#[test]
fn re_composition_after_a_drop_out_changes_exactly_one_seat() {
    let p = pool_problem();
    let first = solve(&p).unwrap();
    let team = &first.teams[2];
    let dropped = team.seats[1].members[0].reviewer.clone();
    let second = recompose_after_dropout(&p, &first, &team.challenge, &dropped).unwrap();
    assert_eq!(second.objective.changes, 1);
    let mut changed = 0;
    for (before, after) in first.teams.iter().zip(&second.teams) {
        for (a, b) in before.seats.iter().zip(&after.seats) {
            let a: Vec<_> = a.members.iter().map(|m| &m.reviewer).collect();
            let b: Vec<_> = b.members.iter().map(|m| &m.reviewer).collect();
            changed += a.iter().filter(|m| !b.contains(m)).count();
        }
    }
    assert_eq!(changed, 1);
    assert!(!second.teams[2].members().any(|m| *m == dropped));
    let mut next_problem = p.clone();
    next_problem.challenges[2].declined.push(dropped);
    assert!(check_hard_rules(&next_problem, &second).is_empty());
}

#[test]
fn members_and_alternates_are_explained() {
    let p = pool_problem();
    let solution = solve(&p).unwrap();
    for team in &solution.teams {
        for seat in &team.seats {
            for member in &seat.members {
                assert!(
                    member.why.summary.contains("seats this year"),
                    "{}",
                    member.why.summary
                );
            }
            for (i, alternate) in seat.alternates.iter().enumerate() {
                assert_eq!(alternate.rank as usize, i + 1);
                assert!(!alternate.explanation.is_empty());
            }
        }
    }
    let all: Vec<&Alternate> = solution
        .teams
        .iter()
        .flat_map(|t| t.seats.iter().flat_map(|s| s.alternates.iter()))
        .collect();
    assert!(
        all.iter()
            .any(|a| matches!(a.reason, NotChosen::WeakerMatch { .. }))
    );
    assert!(
        all.iter()
            .any(|a| !matches!(a.reason, NotChosen::WeakerMatch { .. }))
    );
}

#[test]
fn the_checker_catches_a_manual_edit_that_breaks_rules() {
    let p = pool_problem();
    let mut solution = solve(&p).unwrap();
    let host_member = p
        .reviewers
        .iter()
        .find(|r| {
            r.home_authority == p.challenges[0].host_authority
                && r.roles.contains(&solution.teams[0].seats[0].role)
        })
        .cloned();
    if let Some(host_member) = host_member {
        solution.teams[0].seats[0].members[0].reviewer = host_member.id.clone();
        let violations = check_hard_rules(&p, &solution);
        assert!(
            violations
                .iter()
                .any(|v| matches!(v, Violation::OwnAuthority { .. })),
            "{violations:?}"
        );
    }
    solution.teams[1].seats[0].members.clear();
    assert!(
        check_hard_rules(&p, &solution)
            .iter()
            .any(|v| matches!(v, Violation::SeatNotFilled { .. }))
    );
}

#[test]
fn dates_read_like_gov_uk() {
    assert_eq!(calendar::long_date(day(2027, 3, 12)), "12 March 2027");
}
