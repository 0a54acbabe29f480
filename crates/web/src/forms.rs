//! Validation errors on a form: one message per field, in the order of the form, shown both
//! in the error summary and next to the field.

/// Messages keyed by the field's HTML id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FormErrors(Vec<(String, String)>);

impl FormErrors {
    /// The problems a domain check found, keyed by field as the check named them.
    pub fn from_problems(
        problems: impl IntoIterator<Item = domain::application::FieldProblem>,
    ) -> Self {
        let mut errors = Self::default();
        for problem in problems {
            errors.add(problem.field, problem.message);
        }
        errors
    }

    pub fn add(&mut self, field: impl Into<String>, message: impl ToString) {
        let field = field.into();
        if self.get(&field).is_none() {
            self.0.push((field, message.to_string()));
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
            .find(|(key, _)| *key == field)
            .map(|(_, message)| message.clone())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn entries(&self) -> &[(String, String)] {
        &self.0
    }
}
