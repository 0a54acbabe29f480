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

vocabulary!(
    /// The two families of the area SEND inspection framework.
    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    FrameworkFamily {
        ExperiencesAndOutcomes => "experiences_and_outcomes", "Children's experiences and outcomes";
        PartnershipAndSystem => "partnership_and_system", "How partners plan, evaluate and develop the system";
    }
);
