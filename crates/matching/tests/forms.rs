//! The CLI formats: JSON problem/result and the plain assignment CSV form.
#![allow(clippy::unwrap_used)]

use matching::assignment_form::*;
use matching::json_format::*;

const SCORES: &str = "challenge,reviewer,score\nc1,alice,0.9\nc1,bob,0.5\nc1,carol,0.7\nc2,alice,0.8\nc2,bob,0.6\nc2,carol,0.1\n";

#[test]
fn solves_the_plain_assignment_form() {
    let constraints = "c2,carol,1\nc1,alice,-1\n";
    let max_load = "reviewer,max\nalice,1\nbob,2\ncarol,2\n";
    let json = solve_assignment_form(SCORES, constraints, max_load, 2, 5.0, &mut |_| {}).unwrap();
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let users = |c: &str| -> Vec<String> {
        value[c]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["user"].as_str().unwrap().to_owned())
            .collect()
    };
    // alice is forbidden on c1; carol is forced on c2; alice's cap of 1 is spent on c2.
    assert_eq!(users("c1"), vec!["carol", "bob"]);
    assert_eq!(users("c2"), vec!["alice", "carol"]);
    assert_eq!(value["c2"][0]["aggregate_score"].as_f64().unwrap(), 0.8);
}

#[test]
fn alternates_are_the_next_best_eligible_reviewers_with_why_they_are_out() {
    // c1: alice is forbidden; bob and carol sit on it; dave (0.4) and an unscored erin (0)
    // come next. c2: alice and bob sit on it; carol is at her cap of 1 (spent on c1).
    let scores = format!("{SCORES}c1,dave,0.4\n");
    let constraints = "c1,alice,-1\nc2,erin,0\n";
    let max_load = "alice,1\nbob,2\ncarol,1\ndave,0\n";
    let options = FormOptions {
        alternates: 2,
        ..FormOptions::default()
    };
    let (json, exact) =
        solve_form_with_details(&scores, constraints, max_load, 2, &options, &mut |_| {}).unwrap();
    assert!(exact.certified);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let listed = |c: &str| -> Vec<(String, String)> {
        value["alternates"][c]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                (
                    a["user"].as_str().unwrap().to_owned(),
                    a["reason"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    assert_eq!(value["assignments"]["c1"][0]["user"], "carol");
    // Never alice on c1 (forbidden), never a member; dave is at his cap of 0.
    assert_eq!(
        listed("c1"),
        vec![
            ("dave".to_owned(), "load_cap".to_owned()),
            ("erin".to_owned(), "weaker_match".to_owned())
        ]
    );
    assert_eq!(
        listed("c2"),
        vec![
            ("carol".to_owned(), "load_cap".to_owned()),
            ("dave".to_owned(), "load_cap".to_owned())
        ]
    );
    // Without alternates the output keeps the plain shape other tools read.
    let plain = solve_assignment_form(&scores, constraints, max_load, 2, 5.0, &mut |_| {}).unwrap();
    let value: serde_json::Value = serde_json::from_str(&plain).unwrap();
    assert!(value.get("assignments").is_none() && value["c1"].is_array());
}

#[test]
fn the_time_limit_holds_on_a_form_quick_to_read_and_slow_to_solve() {
    // 2,000 challenges named only by neutral constraints and 4,000 reviewers with caps, no
    // scores: every pair is unscored, so shortfalls bring pairs into the flow challenge by
    // challenge, and each round solves a larger flow (seconds of work in all).
    let constraints: String = (0..2_000).map(|c| format!("c{c},r{c},0\n")).collect();
    let max_load: String = (0..4_000).map(|r| format!("r{r},2\n")).collect();
    for limit in [1.0, 2.0] {
        let options = FormOptions {
            time_limit_seconds: limit,
            ..FormOptions::default()
        };
        let started = std::time::Instant::now();
        let result = solve_form_with_details("", &constraints, &max_load, 4, &options, &mut |_| {});
        let elapsed = started.elapsed().as_secs_f64();
        assert!(
            matches!(result, Err(FormError::TimeLimit { .. })),
            "{:?}",
            result.map(|(_, exact)| exact.certified)
        );
        assert!(
            elapsed <= 1.1 * limit,
            "{elapsed:.3} s for a limit of {limit} s"
        );
    }
}

#[test]
fn the_time_limit_holds_on_the_team_path_explanations_included() {
    // The stress instance (10,000 reviewers × 1,500 challenges) takes seconds just to build
    // its candidate pairs; with a limit of 1 s the answer (the best teams found, or the time
    // limit error when none is complete) comes within 10 %.
    let mut problem = matching::instances::generate(matching::instances::InstanceSize::Stress, 1);
    for limit in [1.0, 2.0] {
        problem.options.time_limit_seconds = limit;
        let started = std::time::Instant::now();
        let outcome = solve_problem(&problem, &mut |_| {});
        let elapsed = started.elapsed().as_secs_f64();
        match outcome {
            Ok(SolveOutcome::Solved { solution }) => {
                assert_eq!(solution.status, matching::SolveStatus::TimeLimit);
            }
            Err(JsonSolveError::Model(matching::ModelError::TimeLimit { limit_ms })) => {
                assert_eq!(limit_ms as f64, limit * 1000.0);
            }
            other => panic!("{other:?}"),
        }
        assert!(
            elapsed <= 1.1 * limit,
            "{elapsed:.3} s for a limit of {limit} s"
        );
    }
}

#[test]
fn csv_errors_name_the_row_and_column() {
    let error = parse_scores("c1,alice,0.9\nc1,bob,high\n").unwrap_err();
    assert_eq!(
        error.to_string(),
        "scores.csv, row 2, column 3: score \"high\" is not a number"
    );
    let error = parse_constraints("c1,alice,2\n").unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("constraints.csv, row 1, column 3")
    );
    let error = parse_max_load("alice\n").unwrap_err();
    assert_eq!(
        error.to_string(),
        "max_load.csv, row 1: expected 2 columns, found 1"
    );
    assert_eq!(
        AssignmentForm::parse(SCORES, "", "", 0).unwrap_err(),
        FormError::TeamSize
    );
}

/// Quoted cells are read as spreadsheets write them: a name holding a comma or a line break
/// is one cell (the hand-written splitter took the line break for a new row).
#[test]
fn quoted_cells_may_hold_commas_and_line_breaks() {
    let scores = "\u{feff}challenge,reviewer,score\n\"c1\",\"Smith, Jo\",0.9\n# a note\n\nc1,\"Ann\nLee\",0.5\nc1,bob,high\n";
    let error = parse_scores(scores).unwrap_err();
    assert_eq!(
        error.to_string(),
        "scores.csv, row 7, column 3: score \"high\" is not a number"
    );
    let rows = parse_scores(&scores.replace("c1,bob,high\n", "")).unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].reviewer, "Smith, Jo");
    assert_eq!(rows[1].reviewer, "Ann\nLee");
}

#[test]
fn an_impossible_form_says_why() {
    let error =
        solve_assignment_form(SCORES, "", "alice,0\nbob,0\n", 2, 5.0, &mut |_| {}).unwrap_err();
    assert!(matches!(error, FormError::Infeasible(_)), "{error}");
}

#[test]
fn json_problem_in_outcome_out() {
    let json = r#"{
      "challenges": [{"id": "derby-2027-03", "dates": ["2027-03-12"], "host_authority": "Derby",
                      "themes": ["SEND04"], "seats": [{"role": "lead_reviewer"}, {"role": "parent_carer"}]}],
      "reviewers": [
        {"id": "r1", "roles": ["lead_reviewer"], "home_authority": "Leicester", "max_per_year": 3,
         "expertise": {"SEND04": "specialist"}},
        {"id": "r2", "roles": ["parent_carer"], "home_authority": "Nottingham", "max_per_year": 2}
      ]
    }"#;
    let mut phases = Vec::new();
    let outcome = solve_json(json, Some(5.0), &mut |p| phases.push(p.phase)).unwrap();
    let SolveOutcome::Solved { solution } = &outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(solution.status, matching::SolveStatus::Optimal);
    assert!(solution.teams[0].uncovered_themes.is_empty());
    assert!(!phases.is_empty());
    let text = outcome.to_json_pretty().unwrap();
    let back: SolveOutcome = serde_json::from_str(&text).unwrap();
    assert_eq!(back, outcome);

    let infeasible = json.replace("\"Nottingham\"", "\"Derby\"");
    let outcome = solve_json(&infeasible, None, &mut |_| {}).unwrap();
    assert!(matches!(outcome, SolveOutcome::Infeasible { .. }));
    assert!(
        outcome
            .to_json_pretty()
            .unwrap()
            .contains("no parent carer outside Derby is free on 12 March 2027")
    );

    let error = read_problem("{\"challenges\": [}").unwrap_err();
    assert!(error.to_string().contains("line 1"));
}

mod hostile_files {
    //! Any text at all, in any of the three files: a form or an error naming the row, never a
    //! panic.

    use matching::assignment_form::{parse_constraints, parse_max_load, parse_scores};
    use proptest::prelude::*;

    fn hostile() -> impl Strategy<Value = String> {
        proptest::string::string_regex("[a-c0-9,\"\\r\n# .\\-\u{feff}\u{0}é]{0,80}").unwrap()
    }

    proptest! {
        #[test]
        fn any_text_is_read_or_refused(text in hostile()) {
            let _ = parse_scores(&text);
            let _ = parse_constraints(&text);
            let _ = parse_max_load(&text);
        }
    }
}

mod exact_flow {
    //! The exact flow against the team engine where the two models coincide: tiny plain forms
    //! with sparse scores (so unscored pairs must be priced in), caps, forbidden and forced
    //! pairs. Both find the same best total score, or both find none; the flow's optimum is
    //! always certified.

    use matching::assignment_form::AssignmentForm;
    use matching::solver::solve;
    use proptest::prelude::*;

    fn tiny_form() -> impl Strategy<Value = (String, String, String, u32)> {
        (
            proptest::collection::vec((0_usize..3, 0_usize..5, 1_u32..=9), 0..10),
            proptest::collection::vec((0_usize..3, 0_usize..5, -1_i32..=1), 0..4),
            proptest::collection::vec(0_u32..=3, 5),
            1_u32..=2,
        )
            .prop_map(|(scores, constraints, caps, team)| {
                let mut seen = std::collections::BTreeSet::new();
                let scores: String = scores
                    .into_iter()
                    .filter(|(c, r, _)| seen.insert((*c, *r)))
                    .map(|(c, r, s)| format!("c{c},r{r},0.{s}\n"))
                    .collect();
                let mut seen = std::collections::BTreeSet::new();
                let constraints: String = constraints
                    .into_iter()
                    .filter(|(c, r, _)| seen.insert((*c, *r)))
                    .map(|(c, r, k)| format!("c{c},r{r},{k}\n"))
                    .collect();
                let caps: String = caps
                    .iter()
                    .enumerate()
                    .map(|(r, cap)| format!("r{r},{cap}\n"))
                    .collect();
                (scores, constraints, caps, team)
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

        #[test]
        fn the_flow_and_the_engine_agree((scores, constraints, caps, team) in tiny_form()) {
            let Ok(form) = AssignmentForm::parse(&scores, &constraints, &caps, team) else {
                return Ok(());
            };
            let exact = form.solve_exact();
            let engine = form.to_problem(5.0).ok().map(|problem| solve(&problem));
            match (exact, engine) {
                (Ok(exact), Some(Ok(solution))) => {
                    prop_assert!(exact.certified);
                    let json = form.assignment_json(&solution);
                    let engine_total: f64 = json
                        .values()
                        .flatten()
                        .map(|user| user.aggregate_score)
                        .sum();
                    prop_assert!(
                        (exact.total_score - engine_total).abs() < 1e-9,
                        "flow {} engine {}", exact.total_score, engine_total
                    );
                }
                (Err(_), Some(Err(_))) | (Err(_), None) => {}
                (exact, engine) => prop_assert!(false, "flow {:?} engine {:?}", exact, engine.map(|e| e.is_ok())),
            }
        }
    }
}
