//! Accounts and their role grants: invitations, passwords, and the principal a session
//! resolves to.

use chrono::{DateTime, Utc};
use domain::{
    AuditEvent, AuditObject, AuthoritySlug, EmailAddress, PasswordHash, PersonName, Principal,
    Role, RoleGrant, UserId,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use uuid::Uuid;

use crate::entity::{role_grant, session, user};
use crate::outbox::{self, NewEmail};
use crate::tokens::{self, TokenPurpose};
use crate::{Store, StoreError, audit};

/// A person to create: who they are and what they may do.
#[derive(Clone, Debug)]
pub struct NewUser {
    pub name: PersonName,
    pub email: EmailAddress,
    pub grants: Vec<RoleGrant>,
}

/// An account as the staff list shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaffMember {
    pub id: UserId,
    pub name: String,
    pub email: EmailAddress,
    pub grants: Vec<RoleGrant>,
    /// False until an invitation has been accepted.
    pub has_password: bool,
    pub created_at: DateTime<Utc>,
}

fn grant_from_row(row: &role_grant::Model) -> Result<RoleGrant, StoreError> {
    grant_of(&row.role, row.authority_slug.as_deref())
}

/// A grant from its stored role code and authority slug.
pub(crate) fn grant_of(role: &str, authority: Option<&str>) -> Result<RoleGrant, StoreError> {
    let role = Role::parse(role).ok_or_else(|| StoreError::corrupt(role))?;
    let authority = authority
        .map(AuthoritySlug::parse)
        .transpose()
        .map_err(StoreError::corrupt)?;
    RoleGrant::new(role, authority).map_err(StoreError::corrupt)
}

pub(crate) async fn grants_of(
    db: &impl ConnectionTrait,
    users: Vec<Uuid>,
) -> Result<Vec<(Uuid, RoleGrant)>, StoreError> {
    role_grant::Entity::find()
        .filter(role_grant::Column::UserId.is_in(users))
        .all(db)
        .await?
        .iter()
        .map(|row| Ok((row.user_id, grant_from_row(row)?)))
        .collect()
}

async fn replace_grants(
    db: &impl ConnectionTrait,
    user: Uuid,
    grants: &[RoleGrant],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    role_grant::Entity::delete_many()
        .filter(role_grant::Column::UserId.eq(user))
        .exec(db)
        .await?;
    let mut grants = grants.to_vec();
    grants.sort();
    grants.dedup();
    for grant in grants {
        let authority = grant.authority().map(ToString::to_string);
        role_grant::ActiveModel {
            id: Set(Uuid::new_v4()),
            user_id: Set(user),
            role: Set(grant.role().code().to_owned()),
            scope_key: Set(authority.clone().unwrap_or_default()),
            authority_slug: Set(authority),
            created_at: Set(now),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

fn describe_grants(grants: &[RoleGrant]) -> String {
    grants
        .iter()
        .map(|grant| match grant.authority() {
            Some(authority) => format!("{} ({authority})", grant.role().code()),
            None => grant.role().code().to_owned(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) async fn insert_user(
    db: &impl ConnectionTrait,
    new: &NewUser,
    password: Option<&PasswordHash>,
    now: DateTime<Utc>,
) -> Result<UserId, StoreError> {
    let taken = user::Entity::find()
        .filter(user::Column::Email.eq(new.email.as_str()))
        .one(db)
        .await?;
    if taken.is_some() {
        return Err(StoreError::Conflict(
            "An account with this email address already exists",
        ));
    }
    let id = UserId::new();
    user::ActiveModel {
        id: Set(id.as_uuid()),
        email: Set(new.email.to_string()),
        name: Set(new.name.to_string()),
        password_hash: Set(password.map(|hash| hash.as_str().to_owned())),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    replace_grants(db, id.as_uuid(), &new.grants, now).await?;
    Ok(id)
}

/// Give an existing account one more role grant (no change if it already holds it).
pub(crate) async fn add_grant(
    db: &impl ConnectionTrait,
    user: Uuid,
    grant: &RoleGrant,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut grants: Vec<RoleGrant> = grants_of(db, vec![user])
        .await?
        .into_iter()
        .map(|(_, grant)| grant)
        .collect();
    grants.push(grant.clone());
    replace_grants(db, user, &grants, now).await
}

/// Whether the account already has `new`'s name and grants and this very hash.
async fn is_up_to_date(
    db: &impl ConnectionTrait,
    found: &user::Model,
    new: &NewUser,
    password: &PasswordHash,
) -> Result<bool, StoreError> {
    if found.name != new.name.to_string()
        || found.password_hash.as_deref() != Some(password.as_str())
    {
        return Ok(false);
    }
    let mut held: Vec<RoleGrant> = grants_of(db, vec![found.id])
        .await?
        .into_iter()
        .map(|(_, grant)| grant)
        .collect();
    let mut wanted = new.grants.clone();
    for grants in [&mut held, &mut wanted] {
        grants.sort();
        grants.dedup();
    }
    Ok(held == wanted)
}

async fn set_password_hash(
    db: &impl ConnectionTrait,
    user: UserId,
    hash: &PasswordHash,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    user::ActiveModel {
        id: Set(user.as_uuid()),
        password_hash: Set(Some(hash.as_str().to_owned())),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

impl Store {
    /// Create an account or, if the email is already known, bring its name, roles and
    /// password up to date (writing and auditing nothing when they already are). For the
    /// command line and demo data.
    pub async fn ensure_user(
        &self,
        new: &NewUser,
        password: &PasswordHash,
        now: DateTime<Utc>,
    ) -> Result<UserId, StoreError> {
        let txn = self.begin_write().await?;
        let existing = user::Entity::find()
            .filter(user::Column::Email.eq(new.email.as_str()))
            .one(&txn)
            .await?;
        let (id, action) = match existing {
            Some(found) => {
                let id = UserId::from_uuid(found.id);
                if is_up_to_date(&txn, &found, new, password).await? {
                    // Nothing to write, so nothing to audit: starting the demo again leaves
                    // the accounts (and the audit log) as they were.
                    return Ok(id);
                }
                user::ActiveModel {
                    id: Set(found.id),
                    name: Set(new.name.to_string()),
                    ..Default::default()
                }
                .update(&txn)
                .await?;
                set_password_hash(&txn, id, password, now).await?;
                replace_grants(&txn, found.id, &new.grants, now).await?;
                (id, "user.updated")
            }
            None => (
                insert_user(&txn, new, Some(password), now).await?,
                "user.created",
            ),
        };
        let summary = format!("Account with roles: {}", describe_grants(&new.grants));
        audit::append(
            &txn,
            AuditEvent::new(None, action, AuditObject::new("user", id), summary),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(id)
    }

    /// Invite a member of staff: create the account without a password, store a one-time
    /// link and queue the email that carries it, all or nothing.
    pub async fn invite_user(
        &self,
        new: &NewUser,
        invited_by: UserId,
        now: DateTime<Utc>,
        compose: impl FnOnce(&str) -> NewEmail,
    ) -> Result<UserId, StoreError> {
        let txn = self.begin_write().await?;
        let id = insert_user(&txn, new, None, now).await?;
        let token = tokens::issue(&txn, id, TokenPurpose::Invitation, now).await?;
        outbox::enqueue(&txn, compose(&token), now).await?;
        let summary = format!("Invited with roles: {}", describe_grants(&new.grants));
        audit::append(
            &txn,
            AuditEvent::new(
                Some(invited_by),
                "user.invited",
                AuditObject::new("user", id),
                summary,
            ),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(id)
    }

    /// The account a live link of this purpose belongs to, to greet them by name.
    pub async fn token_holder(
        &self,
        token: &str,
        purpose: TokenPurpose,
        now: DateTime<Utc>,
    ) -> Result<Option<StaffMember>, StoreError> {
        match tokens::holder(&self.db, token, purpose, now).await? {
            Some(id) => self.staff_member(id).await,
            None => Ok(None),
        }
    }

    /// Use a one-time link to set a password. Every existing session of the account ends,
    /// so a reset locks out whoever knew the old password. None if the link is spent.
    pub async fn set_password_with_token(
        &self,
        token: &str,
        purpose: TokenPurpose,
        hash: &PasswordHash,
        now: DateTime<Utc>,
    ) -> Result<Option<UserId>, StoreError> {
        let txn = self.begin_write().await?;
        let Some(id) = tokens::consume(&txn, token, purpose, now).await? else {
            return Ok(None);
        };
        set_password_hash(&txn, id, hash, now).await?;
        session::Entity::delete_many()
            .filter(session::Column::UserId.eq(id.as_uuid()))
            .exec(&txn)
            .await?;
        let action = match purpose {
            TokenPurpose::Invitation => "user.invitation_accepted",
            TokenPurpose::PasswordReset => "user.password_reset",
        };
        audit::append(
            &txn,
            AuditEvent::new(
                Some(id),
                action,
                AuditObject::new("user", id),
                "Password set",
            ),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(Some(id))
    }

    /// Start a password reset: if the email belongs to an account, store a link and queue
    /// the email. Says nothing either way, so the form cannot be used to test addresses.
    pub async fn request_password_reset(
        &self,
        email: &EmailAddress,
        now: DateTime<Utc>,
        compose: impl FnOnce(&str) -> NewEmail,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        let Some(found) = user::Entity::find()
            .filter(user::Column::Email.eq(email.as_str()))
            .one(&txn)
            .await?
        else {
            return Ok(());
        };
        let id = UserId::from_uuid(found.id);
        let token = tokens::issue(&txn, id, TokenPurpose::PasswordReset, now).await?;
        outbox::enqueue(&txn, compose(&token), now).await?;
        let event = AuditEvent::new(
            None,
            "user.password_reset_requested",
            AuditObject::new("user", id),
            "Reset link sent",
        );
        audit::append(&txn, event, now).await?;
        txn.commit().await?;
        Ok(())
    }

    /// The account and stored password hash for an email, for signing in.
    pub async fn credentials(
        &self,
        email: &EmailAddress,
    ) -> Result<Option<(UserId, Option<PasswordHash>)>, StoreError> {
        let found = user::Entity::find()
            .filter(user::Column::Email.eq(email.as_str()))
            .one(&self.db)
            .await?;
        Ok(found.map(|row| {
            (
                UserId::from_uuid(row.id),
                row.password_hash.map(PasswordHash::from_stored),
            )
        }))
    }

    /// The principal the policy sees for an account.
    pub async fn principal(&self, id: UserId) -> Result<Option<Principal>, StoreError> {
        Ok(self
            .staff_member(id)
            .await?
            .map(|member| Principal::new(member.id, member.name, member.email, member.grants)))
    }

    pub async fn staff_member(&self, id: UserId) -> Result<Option<StaffMember>, StoreError> {
        let Some(row) = user::Entity::find_by_id(id.as_uuid()).one(&self.db).await? else {
            return Ok(None);
        };
        Ok(self.to_staff(vec![row]).await?.pop())
    }

    /// How many accounts there are, and how many of them have not accepted their invitation
    /// (no password set yet): the co-ordinator's dashboard, without reading every account.
    pub async fn account_counts(&self) -> Result<(usize, usize), StoreError> {
        let all = user::Entity::find().count(&self.db).await?;
        let awaiting = user::Entity::find()
            .filter(user::Column::PasswordHash.is_null())
            .count(&self.db)
            .await?;
        let size = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
        Ok((size(all), size(awaiting)))
    }

    /// Every account, by name.
    pub async fn staff(&self) -> Result<Vec<StaffMember>, StoreError> {
        let rows = user::Entity::find()
            .order_by_asc(user::Column::Name)
            .all(&self.db)
            .await?;
        self.to_staff(rows).await
    }

    async fn to_staff(&self, rows: Vec<user::Model>) -> Result<Vec<StaffMember>, StoreError> {
        let grants = grants_of(&self.db, rows.iter().map(|row| row.id).collect()).await?;
        rows.into_iter()
            .map(|row| {
                let mut own: Vec<RoleGrant> = grants
                    .iter()
                    .filter(|(user, _)| *user == row.id)
                    .map(|(_, grant)| grant.clone())
                    .collect();
                own.sort();
                Ok(StaffMember {
                    id: UserId::from_uuid(row.id),
                    name: row.name,
                    email: EmailAddress::parse(&row.email).map_err(StoreError::corrupt)?,
                    grants: own,
                    has_password: row.password_hash.is_some(),
                    created_at: row.created_at,
                })
            })
            .collect()
    }
}
