//! Email addresses, parsed once at the boundary and stored in a canonical lower-case form.

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// A plausible email address: one `@`, a non-empty local part, a dotted domain, no spaces.
/// Deliberately not RFC 5322 in full: the confirmation email is the real test.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EmailAddress(String);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
pub enum EmailProblem {
    #[error("Enter an email address")]
    Missing,
    #[error("Enter an email address in the correct format, like name@example.org")]
    Malformed,
    #[error("Email address must be 254 characters or fewer")]
    TooLong,
}

impl EmailAddress {
    pub fn parse(input: &str) -> Result<Self, EmailProblem> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(EmailProblem::Missing);
        }
        if trimmed.len() > 254 {
            return Err(EmailProblem::TooLong);
        }
        let (local, domain) = trimmed.split_once('@').ok_or(EmailProblem::Malformed)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && !domain.contains('@');
        let chars_ok = !trimmed
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>' || c == ',');
        if local.is_empty() || local.len() > 64 || !domain_ok || !chars_ok {
            return Err(EmailProblem::Malformed);
        }
        Ok(Self(trimmed.to_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for EmailAddress {
    type Error = EmailProblem;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<EmailAddress> for String {
    fn from(value: EmailAddress) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_and_lowercases_ordinary_addresses() {
        let email = EmailAddress::parse("  Lead.Derby@Example.ORG ").ok();
        assert_eq!(
            email.as_ref().map(EmailAddress::as_str),
            Some("lead.derby@example.org")
        );
    }

    #[test]
    fn refuses_what_is_not_an_address() {
        assert_eq!(EmailAddress::parse(""), Err(EmailProblem::Missing));
        for bad in [
            "no-at-sign",
            "a@b",
            "@example.org",
            "a@.org",
            "a b@example.org",
            "a@example..org",
            "a@b@c.org",
        ] {
            assert_eq!(
                EmailAddress::parse(bad),
                Err(EmailProblem::Malformed),
                "{bad}"
            );
        }
    }
}
