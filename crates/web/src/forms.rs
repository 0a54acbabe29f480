//! Validation errors on a form: one message per field, in the order of the form, shown both
//! in the error summary and next to the field.

use domain::forms::FieldProblem;

/// The problems of one form, at most one per field (the first found), keyed by the field's
/// HTML id: the same `FieldProblem` the domain's checks report.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FormErrors(Vec<FieldProblem>);

impl FormErrors {
    /// The problems a domain check found, keyed by field as the check named them.
    pub fn from_problems(problems: impl IntoIterator<Item = FieldProblem>) -> Self {
        let mut errors = Self::default();
        for problem in problems {
            errors.push(problem);
        }
        errors
    }

    pub fn add(&mut self, field: impl Into<String>, message: impl ToString) {
        self.push(FieldProblem::new(field, message));
    }

    /// Keep a problem unless its field already has one: the first found is the one shown.
    pub fn push(&mut self, problem: FieldProblem) {
        if self.get(&problem.field).is_none() {
            self.0.push(problem);
        }
    }

    /// Record the error of a parse, returning the value if it parsed.
    pub fn check<T, E: ToString>(
        &mut self,
        field: impl Into<String>,
        result: Result<T, E>,
    ) -> Option<T> {
        result.map_err(|error| self.add(field, error)).ok()
    }

    pub fn get(&self, field: &str) -> Option<String> {
        self.0
            .iter()
            .find(|problem| problem.field == field)
            .map(|problem| problem.message.clone())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn entries(&self) -> &[FieldProblem] {
        &self.0
    }
}
