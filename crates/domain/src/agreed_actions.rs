//! A biennial cycle's agreed actions: each area's next steps after the day, each answering one
//! of the cycle's priorities and, if it grew from one, a KLOE the challenging team put to the
//! area. The link is written at the start of the action's "Answers" field, as `P2` or `P2 K1`
//! (the codes the return's page lists), so the web form and the spreadsheet template keep the
//! one shape every programme's next steps share, and both are checked by the same rule here.

use crate::forms::FieldProblem;
use crate::next_steps::ActionAnswers;

/// What an agreed action links to, 0-based into the cycle's priorities and the area's KLOEs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ActionLink {
    pub priority: usize,
    pub kloe: Option<usize>,
}

/// What an area's agreed actions may link to: the cycle's priorities (P1, P2, ...) and the
/// agreed KLOEs put to the area (K1, K2, ...), each with the priority (0-based) it serves.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AnswerLinks {
    pub priorities: usize,
    pub kloe_priorities: Vec<usize>,
}

/// The code of priority `index` (0-based) as actions name it.
pub fn priority_code(index: usize) -> String {
    format!("P{}", index + 1)
}

/// The code of KLOE `index` (0-based) as actions name it.
pub fn kloe_code(index: usize) -> String {
    format!("K{}", index + 1)
}

/// A code like `P2` or `k3`: its letter's number (1-based), if it is one.
fn numbered(word: &str, letter: char) -> Option<usize> {
    let mut chars = word.chars();
    let first = chars.next()?;
    if !first.eq_ignore_ascii_case(&letter) {
        return None;
    }
    let digits = chars.as_str();
    if digits.is_empty() || digits.len() > 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

impl AnswerLinks {
    /// The link at the start of `answers` ("P2", "P2 K1: ..."), or the problem with it, keyed
    /// to the "answers" field so the form and the spreadsheet's column both show it.
    pub fn link_of(&self, answers: &str) -> Result<ActionLink, FieldProblem> {
        let problem = |message: String| FieldProblem::new("answers", message);
        let mut words = answers
            .split(|c: char| c.is_whitespace() || matches!(c, ',' | '/' | ':' | ';' | '-'))
            .filter(|word| !word.is_empty());
        let range = if self.priorities == 1 {
            "P1".to_owned()
        } else {
            format!("P1 to P{}", self.priorities)
        };
        let priority = words
            .next()
            .and_then(|word| numbered(word, 'P'))
            .ok_or_else(|| {
                problem(format!(
                    "Start with the priority the action answers ({range}), then the KLOE if it answers one, like P1 K2"
                ))
            })?;
        if priority == 0 || priority > self.priorities {
            return Err(problem(format!(
                "P{priority} is not one of this cycle's priorities: use {range}"
            )));
        }
        let priority = priority - 1;
        let kloe = match words.next().and_then(|word| numbered(word, 'K')) {
            None => None,
            Some(number) => {
                let Some(serves) = number
                    .checked_sub(1)
                    .and_then(|at| self.kloe_priorities.get(at))
                else {
                    return Err(problem(if self.kloe_priorities.is_empty() {
                        format!(
                            "K{number}: no KLOEs were agreed for this area, so name only the priority"
                        )
                    } else {
                        format!(
                            "K{number} is not one of the KLOEs put to this area: use K1 to K{}",
                            self.kloe_priorities.len()
                        )
                    }));
                };
                if *serves != priority {
                    return Err(problem(format!(
                        "K{number} is about {}, not {}: name the priority it serves",
                        priority_code(*serves),
                        priority_code(priority)
                    )));
                }
                Some(number - 1)
            }
        };
        Ok(ActionLink { priority, kloe })
    }

    /// The problem with an action's link, if any: the rule added to the next steps' own
    /// checks, for the form and every row of an upload alike.
    pub fn problem(&self, answers: &ActionAnswers) -> Option<FieldProblem> {
        self.link_of(&answers.answers).err()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links() -> AnswerLinks {
        AnswerLinks {
            priorities: 3,
            kloe_priorities: vec![0, 2],
        }
    }

    #[test]
    fn a_priority_alone_or_with_its_kloe_is_a_link() {
        assert_eq!(
            links().link_of("P2: joint commissioning"),
            Ok(ActionLink {
                priority: 1,
                kloe: None
            })
        );
        assert_eq!(
            links().link_of("p3 k2 - waiting times"),
            Ok(ActionLink {
                priority: 2,
                kloe: Some(1)
            })
        );
        assert_eq!(
            links().link_of("P1/K1"),
            Ok(ActionLink {
                priority: 0,
                kloe: Some(0)
            })
        );
    }

    #[test]
    fn a_missing_or_unknown_priority_is_refused_with_the_range() {
        let message = |text: &str| links().link_of(text).expect_err(text).message;
        assert!(message("Joint commissioning").contains("P1 to P3"));
        assert!(message("").contains("Start with the priority"));
        assert!(message("P4 K1").contains("P4 is not one of this cycle's priorities"));
        assert!(message("P0").contains("not one of"));
        assert_eq!(links().link_of("P9").expect_err("x").field, "answers");
    }

    #[test]
    fn a_kloe_must_be_the_areas_and_serve_the_priority_named() {
        let message = |text: &str| links().link_of(text).expect_err(text).message;
        assert!(message("P1 K3").contains("use K1 to K2"));
        assert!(message("P2 K2").contains("K2 is about P3, not P2"));
        let none = AnswerLinks {
            priorities: 1,
            kloe_priorities: Vec::new(),
        };
        assert!(
            none.link_of("P1 K1")
                .expect_err("no kloes")
                .message
                .contains("no KLOEs were agreed")
        );
    }
}
