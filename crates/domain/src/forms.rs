//! The forms kernel: the one shape every check of typed input reports a problem in, whether
//! the input came from a web form, a spreadsheet row or the command line.

use std::fmt;

/// A problem with one field, keyed by the field's HTML id (or a spreadsheet column's key),
/// with the message people read next to it and in the error summary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
}

impl FieldProblem {
    /// The one way to make a problem, so every check words it the same way round.
    pub fn new(field: impl Into<String>, message: impl ToString) -> Self {
        Self {
            field: field.into(),
            message: message.to_string(),
        }
    }
}

impl fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_shows_its_message_and_keeps_its_field() {
        let problem = FieldProblem::new("phone", "Enter a phone number");
        assert_eq!(problem.field, "phone");
        assert_eq!(problem.to_string(), "Enter a phone number");
    }
}
