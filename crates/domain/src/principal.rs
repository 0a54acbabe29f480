//! The signed-in person as the policy sees them: who, and which role grants they hold.

use crate::{AuthoritySlug, EmailAddress, Role, RoleGrant, UserId};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    pub user_id: UserId,
    pub name: String,
    pub email: EmailAddress,
    grants: Vec<RoleGrant>,
}

impl Principal {
    pub fn new(
        user_id: UserId,
        name: String,
        email: EmailAddress,
        mut grants: Vec<RoleGrant>,
    ) -> Self {
        grants.sort();
        grants.dedup();
        Self {
            user_id,
            name,
            email,
            grants,
        }
    }

    pub fn grants(&self) -> &[RoleGrant] {
        &self.grants
    }

    pub(crate) fn has_role(&self, role: Role) -> bool {
        self.grants.iter().any(|grant| grant.role() == role)
    }

    /// The authorities this person leads, in slug order.
    pub fn led_authorities(&self) -> impl Iterator<Item = &AuthoritySlug> {
        self.grants
            .iter()
            .filter(|grant| grant.role() == Role::LaLead)
            .filter_map(RoleGrant::authority)
    }

    pub(crate) fn leads(&self, authority: &AuthoritySlug) -> bool {
        self.led_authorities().any(|led| led == authority)
    }

    /// Distinct roles, in the order of [`Role::ALL`].
    pub fn roles(&self) -> Vec<Role> {
        Role::ALL
            .into_iter()
            .filter(|role| self.has_role(*role))
            .collect()
    }
}
