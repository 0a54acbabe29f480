//! The roles a person can hold in the scheme, and the scope that goes with each grant.

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::AuthoritySlug;

/// What a person does in the scheme. A person may hold several.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The regional SEND co-ordinator: runs the whole region.
    Coordinator,
    /// The support agency's project manager: requests, teams, the pool and training.
    ProjectManager,
    /// A local area lead, scoped to one authority.
    LaLead,
    /// A member of the reviewer pool, scoped to the challenges they sit on.
    Reviewer,
    /// A member of the regional board: reads everything, changes nothing.
    Board,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Self::Coordinator,
        Self::ProjectManager,
        Self::LaLead,
        Self::Reviewer,
        Self::Board,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Coordinator => "coordinator",
            Self::ProjectManager => "project_manager",
            Self::LaLead => "la_lead",
            Self::Reviewer => "reviewer",
            Self::Board => "board",
        }
    }

    pub fn parse(input: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|role| role.code() == input)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Coordinator => "Regional SEND co-ordinator",
            Self::ProjectManager => "Project manager",
            Self::LaLead => "Local area lead",
            Self::Reviewer => "Reviewer",
            Self::Board => "Board member",
        }
    }

    /// Whether a grant of this role must name the one authority it covers.
    pub fn needs_authority(self) -> bool {
        matches!(self, Self::LaLead)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A role together with its scope. Constructed only through [`RoleGrant::new`], so an LA
/// lead always has an authority and nobody else carries one.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct RoleGrant {
    role: Role,
    authority: Option<AuthoritySlug>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
pub enum RoleGrantError {
    #[error("Select the local authority this lead covers")]
    AuthorityRequired,
    #[error("Only a local area lead is scoped to an authority")]
    AuthorityNotAllowed,
}

impl RoleGrant {
    pub fn new(role: Role, authority: Option<AuthoritySlug>) -> Result<Self, RoleGrantError> {
        match (role.needs_authority(), authority.is_some()) {
            (true, false) => Err(RoleGrantError::AuthorityRequired),
            (false, true) => Err(RoleGrantError::AuthorityNotAllowed),
            _ => Ok(Self { role, authority }),
        }
    }

    pub fn role(&self) -> Role {
        self.role
    }

    pub fn authority(&self) -> Option<&AuthoritySlug> {
        self.authority.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.code()), Some(role));
        }
        assert_eq!(Role::parse("admin"), None);
    }

    #[test]
    fn only_leads_carry_an_authority() {
        let derby = AuthoritySlug::parse("derby").ok();
        assert_eq!(
            RoleGrant::new(Role::LaLead, None),
            Err(RoleGrantError::AuthorityRequired)
        );
        assert_eq!(
            RoleGrant::new(Role::Board, derby.clone()),
            Err(RoleGrantError::AuthorityNotAllowed)
        );
        assert!(RoleGrant::new(Role::LaLead, derby).is_ok());
    }
}
