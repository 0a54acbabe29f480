//! Passwords: the NCSC's advice (length over complexity, passphrases and pasting welcome, no
//! composition rules, common passwords refused) and Argon2id hashing with OWASP parameters.

use std::fmt;

use argon2::{Algorithm, Argon2, Params, PasswordHasher, PasswordVerifier, Version};
use thiserror::Error;

const COMMON_PASSWORDS: &str = include_str!("../common-passwords.txt");

/// A password someone has just chosen that meets the rules. Never printed.
pub struct NewPassword(String);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
pub enum PasswordProblem {
    #[error("Enter a password")]
    Missing,
    #[error("Password must be 12 characters or more")]
    TooShort,
    #[error("Password must be 256 characters or fewer")]
    TooLong,
    #[error(
        "Password is too easy to guess: choose a longer phrase, for example three random words"
    )]
    TooCommon,
    #[error("Enter the same password twice")]
    Mismatch,
}

impl NewPassword {
    pub const MIN_CHARS: usize = 12;
    pub const MAX_CHARS: usize = 256;

    /// Check a chosen password and its confirmation. Spaces count: passphrases are welcome.
    pub fn parse(password: &str, confirmation: &str) -> Result<Self, PasswordProblem> {
        let length = password.chars().count();
        if length == 0 {
            return Err(PasswordProblem::Missing);
        }
        if length < Self::MIN_CHARS {
            return Err(PasswordProblem::TooShort);
        }
        if length > Self::MAX_CHARS {
            return Err(PasswordProblem::TooLong);
        }
        if is_common(password) {
            return Err(PasswordProblem::TooCommon);
        }
        if password != confirmation {
            return Err(PasswordProblem::Mismatch);
        }
        Ok(Self(password.to_owned()))
    }

    pub fn hash(&self) -> PasswordHash {
        PasswordHash::of(&self.0)
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(..)")
    }
}

fn is_common(password: &str) -> bool {
    let folded: String = password
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    let distinct = {
        let mut chars: Vec<char> = folded.chars().collect();
        chars.sort_unstable();
        chars.dedup();
        chars.len()
    };
    // "aaaaaaaaaaaa" and "abababababab" are as weak as anything on the list.
    distinct < 4
        || COMMON_PASSWORDS
            .lines()
            .filter(|line| !line.starts_with('#'))
            .any(|common| common.trim() == folded)
}

/// An Argon2id hash in PHC string form, as stored.
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHash(String);

impl PasswordHash {
    fn hasher() -> Argon2<'static> {
        // OWASP: Argon2id, 19 MiB of memory, two passes, one lane.
        let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
    }

    fn of(password: &str) -> Self {
        let hash = Self::hasher()
            .hash_password(password.as_bytes())
            .map(|hash| hash.to_string())
            // Hashing fails only if the OS has no randomness; a hash nobody can match is safe.
            .unwrap_or_else(|_| "!".to_owned());
        Self(hash)
    }

    /// Hash a password without the rules: only for demo accounts, whose published password
    /// must never be accepted for a real one (it is on the common-password list).
    pub fn for_demo(password: &str) -> Self {
        Self::of(password)
    }

    /// Wrap a hash read back from storage.
    pub fn from_stored(phc: String) -> Self {
        Self(phc)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `attempt` is the password this hash was made from. Constant time in the hash.
    pub fn matches(&self, attempt: &str) -> bool {
        Self::hasher()
            .verify_password(attempt.as_bytes(), self.0.as_str())
            .is_ok()
    }

    /// A hash of no account's password with the same parameters as a real one: checking an
    /// attempt against it costs what a real check costs, so a sign-in for an unknown email
    /// takes as long as one for a known email. Its answer must be ignored.
    pub fn decoy() -> Self {
        Self::of("the decoy that stands in for an account without a password")
    }
}

impl fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PasswordHash(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_the_ncsc_rules() {
        assert_eq!(
            NewPassword::parse("", "").err(),
            Some(PasswordProblem::Missing)
        );
        assert_eq!(
            NewPassword::parse("short pass", "short pass").err(),
            Some(PasswordProblem::TooShort)
        );
        assert_eq!(
            NewPassword::parse("Password1234", "Password1234").err(),
            Some(PasswordProblem::TooCommon)
        );
        assert_eq!(
            NewPassword::parse("aaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaa").err(),
            Some(PasswordProblem::TooCommon)
        );
        assert_eq!(
            NewPassword::parse("three random words", "three random word").err(),
            Some(PasswordProblem::Mismatch)
        );
        // No composition rules: a lower-case passphrase with spaces is fine.
        assert!(NewPassword::parse("three random words", "three random words").is_ok());
    }

    #[test]
    fn hashes_verify_only_the_same_password() {
        let hash = NewPassword::parse("correct horse battery", "correct horse battery")
            .map(|password| password.hash())
            .unwrap_or_else(|_| PasswordHash::from_stored(String::new()));
        assert!(hash.as_str().starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(hash.matches("correct horse battery"));
        assert!(!hash.matches("correct horse battery "));
        assert!(!PasswordHash::from_stored("garbage".into()).matches("anything"));
    }

    #[test]
    fn debug_output_never_shows_secrets() {
        let password = NewPassword::parse("a secret phrase here", "a secret phrase here");
        assert_eq!(format!("{password:?}"), "Ok(NewPassword(..))");
    }
}
