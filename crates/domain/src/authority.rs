//! Local authorities: identified by a stable slug such as `derby`, as in the ONS-based
//! reference data.

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The stable, URL-safe key of a local authority (`north-northamptonshire`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AuthoritySlug(String);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
#[error("An authority slug is lower-case letters, digits and hyphens")]
pub struct SlugProblem;

impl AuthoritySlug {
    pub fn parse(input: &str) -> Result<Self, SlugProblem> {
        let valid = !input.is_empty()
            && input.len() <= 64
            && input
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !input.starts_with('-')
            && !input.ends_with('-');
        if valid {
            Ok(Self(input.to_owned()))
        } else {
            Err(SlugProblem)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AuthoritySlug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for AuthoritySlug {
    type Error = SlugProblem;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<AuthoritySlug> for String {
    fn from(value: AuthoritySlug) -> Self {
        value.0
    }
}

vocabulary!(
    /// The kind of council, as DfE and ONS classify it.
    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    AuthorityKind {
        Unitary => "unitary", "Unitary authority";
        County => "county", "County council";
        MetropolitanDistrict => "metropolitan_district", "Metropolitan district";
        LondonBorough => "london_borough", "London borough";
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_url_safe() {
        assert!(AuthoritySlug::parse("north-northamptonshire").is_ok());
        for bad in ["", "Derby", "derby/../x", "-derby", "derby-", "der by"] {
            assert!(AuthoritySlug::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn kinds_round_trip() {
        for kind in [AuthorityKind::Unitary, AuthorityKind::County] {
            assert_eq!(AuthorityKind::parse(kind.code()), Some(kind));
        }
    }
}
