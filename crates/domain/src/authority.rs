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

/// The kind of council, as DfE and ONS classify it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthorityKind {
    Unitary,
    County,
    MetropolitanDistrict,
    LondonBorough,
}

impl AuthorityKind {
    pub fn parse(input: &str) -> Option<Self> {
        match input {
            "unitary" => Some(Self::Unitary),
            "county" => Some(Self::County),
            "metropolitan_district" => Some(Self::MetropolitanDistrict),
            "london_borough" => Some(Self::LondonBorough),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Unitary => "unitary",
            Self::County => "county",
            Self::MetropolitanDistrict => "metropolitan_district",
            Self::LondonBorough => "london_borough",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Unitary => "Unitary authority",
            Self::County => "County council",
            Self::MetropolitanDistrict => "Metropolitan district",
            Self::LondonBorough => "London borough",
        }
    }
}

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
