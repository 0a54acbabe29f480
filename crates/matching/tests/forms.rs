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
