//! The roles a person can hold in the scheme, and the scope that goes with each grant.

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::AuthoritySlug;

vocabulary!(
    /// What a person does in the scheme. A person may hold several.
    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    Role {
        /// The regional SEND co-ordinator: runs the whole region.
        Coordinator => "coordinator", "Regional SEND co-ordinator";
        /// The support agency's project manager: requests, teams, the pool and training.
        ProjectManager => "project_manager", "Project manager";
        /// A local area lead, scoped to one authority.
        LaLead => "la_lead", "Local area lead";
        /// A member of the reviewer pool, scoped to the challenges they sit on.
        Reviewer => "reviewer", "Reviewer";
        /// A member of the regional board: reads everything, changes nothing.
        Board => "board", "Board member";
    }
);

impl Role {
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
