//! Short free-text values such as a person's name: trimmed, bounded, never empty.

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
pub enum TextProblem {
    #[error("Enter {0}")]
    Missing(&'static str),
    #[error("{0} must be {1} characters or fewer")]
    TooLong(&'static str, usize),
}

/// A person's full name as they want it shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonName(String);

impl PersonName {
    pub const MAX_CHARS: usize = 200;

    pub fn parse(input: &str) -> Result<Self, TextProblem> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(TextProblem::Missing("a full name"));
        }
        if trimmed.chars().count() > Self::MAX_CHARS {
            return Err(TextProblem::TooLong("Full name", Self::MAX_CHARS));
        }
        Ok(Self(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(
            PersonName::parse("  Ada Lovelace ").map(|n| n.0),
            Ok("Ada Lovelace".to_owned())
        );
        assert_eq!(
            PersonName::parse("   "),
            Err(TextProblem::Missing("a full name"))
        );
        assert!(PersonName::parse(&"x".repeat(201)).is_err());
    }
}
