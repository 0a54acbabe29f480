//! Plain string identifiers that `matching` uses for the things it is given.
//!
//! `matching` is a leaf crate: it does not know the domain's UUID-typed IDs. The caller (the `domain`
//! translation layer, the CLI, a CSV file) picks any stable string key and gets the same keys back.
//! Internally the solver works on `u32` indices into the problem's vectors; these strings only appear at
//! the boundary and in explanations.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            /// Wraps any string-like key.
            pub fn new(key: impl Into<String>) -> Self {
                Self(key.into())
            }

            /// The key as given.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(key: &str) -> Self {
                Self(key.to_owned())
            }
        }
    };
}

string_id!(
    /// A reviewer in the pool.
    ReviewerId
);
string_id!(
    /// A challenge (a one- or two-day visit) that needs a team.
    ChallengeId
);
string_id!(
    /// A local authority (host, home or location of a reviewer).
    AuthorityId
);
string_id!(
    /// An NHS integrated care board, shared by several authorities.
    BoardId
);
string_id!(
    /// A KLOE / SEND practice theme from the controlled vocabulary.
    ThemeId
);
string_id!(
    /// A seat role such as `lead_reviewer`, `la_officer`, `parent_carer` or `dco`.
    Role
);
