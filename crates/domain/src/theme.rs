//! The controlled vocabulary of SEND practice themes used to tag KLOEs, expertise, findings
//! and actions.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A theme code such as `EHCP_QUALITY`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ThemeCode(String);

impl ThemeCode {
    pub fn parse(input: &str) -> Option<Self> {
        let valid = !input.is_empty()
            && input.len() <= 64
            && input
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
        valid.then(|| Self(input.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ThemeCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The two families of the area SEND inspection framework.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FrameworkFamily {
    ExperiencesAndOutcomes,
    PartnershipAndSystem,
}

impl FrameworkFamily {
    pub fn parse(input: &str) -> Option<Self> {
        match input {
            "experiences_and_outcomes" => Some(Self::ExperiencesAndOutcomes),
            "partnership_and_system" => Some(Self::PartnershipAndSystem),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::ExperiencesAndOutcomes => "experiences_and_outcomes",
            Self::PartnershipAndSystem => "partnership_and_system",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::ExperiencesAndOutcomes => "Children's experiences and outcomes",
            Self::PartnershipAndSystem => "How partners plan, evaluate and develop the system",
        }
    }
}
