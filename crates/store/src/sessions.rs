//! Signed-in sessions, kept in the database so every app instance shares them. The cookie
//! holds a random token; the table holds its hash. Sessions end after a spell of idleness
//! and, regardless of activity, after an absolute lifetime.

use std::fmt;

use chrono::{DateTime, Duration, Utc};
use domain::{AuditEvent, AuditObject, EmailAddress, Principal, UserId};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, JoinType, QueryFilter, QuerySelect, Set,
};
use uuid::Uuid;

use crate::entity::{role_grant, session, user};
use crate::{Store, StoreError, audit, tokens, users};

/// A session joined with its account and one of the account's grants (none: no grant).
type SessionRow = (
    Uuid,
    DateTime<Utc>,
    DateTime<Utc>,
    String,
    String,
    Option<String>,
    Option<String>,
);

/// How long sessions live.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionPolicy {
    pub idle_timeout: Duration,
    pub absolute_timeout: Duration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        Self {
            idle_timeout: Duration::minutes(60),
            absolute_timeout: Duration::hours(12),
        }
    }
}

/// The secret a browser presents. Debug output never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionToken(String);

impl SessionToken {
    pub fn from_cookie(value: &str) -> Self {
        Self(value.to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionToken(..)")
    }
}

/// Touching `last_seen_at` on every request would turn every page view into a write;
/// a minute's precision is plenty for an idle timeout measured in tens of minutes.
const TOUCH_INTERVAL_SECONDS: i64 = 60;

impl Store {
    /// Begin a session for `user` with a new token (never one the browser offered, so a
    /// planted session id is worthless), and record the sign-in.
    pub async fn start_session(
        &self,
        user: UserId,
        policy: SessionPolicy,
        now: DateTime<Utc>,
    ) -> Result<SessionToken, StoreError> {
        let (token, hash) = tokens::mint();
        let txn = self.begin_write().await?;
        session::ActiveModel {
            token_hash: Set(hash),
            user_id: Set(user.as_uuid()),
            created_at: Set(now),
            last_seen_at: Set(now),
            expires_at: Set(now + policy.absolute_timeout),
        }
        .insert(&txn)
        .await?;
        let event = AuditEvent::new(
            Some(user),
            "user.signed_in",
            AuditObject::new("user", user),
            "Signed in",
        );
        audit::append(&txn, event, now).await?;
        txn.commit().await?;
        Ok(SessionToken(token))
    }

    /// The principal behind a live session, refreshing its idle clock. None if the token is
    /// unknown, idle too long or past its absolute lifetime (and then the row is removed).
    pub async fn session_principal(
        &self,
        token: &SessionToken,
        policy: SessionPolicy,
        now: DateTime<Utc>,
    ) -> Result<Option<Principal>, StoreError> {
        let hash = tokens::hash_of(&token.0);
        // One statement for the session, its account and the account's grants (a row per
        // grant): this runs before every signed-in page, so it is the hottest query there is.
        let rows: Vec<SessionRow> = session::Entity::find_by_id(hash.clone())
            .select_only()
            .column(session::Column::UserId)
            .column(session::Column::ExpiresAt)
            .column(session::Column::LastSeenAt)
            .column(user::Column::Name)
            .column(user::Column::Email)
            .column(role_grant::Column::Role)
            .column(role_grant::Column::AuthoritySlug)
            .join(
                JoinType::InnerJoin,
                session::Entity::belongs_to(user::Entity)
                    .from(session::Column::UserId)
                    .to(user::Column::Id)
                    .into(),
            )
            .join_rev(
                JoinType::LeftJoin,
                role_grant::Entity::belongs_to(user::Entity)
                    .from(role_grant::Column::UserId)
                    .to(user::Column::Id)
                    .into(),
            )
            .into_tuple()
            .all(&self.db)
            .await?;
        let Some((user_id, expires_at, last_seen_at, name, email, _, _)) = rows.first().cloned()
        else {
            return Ok(None);
        };
        if expires_at <= now || last_seen_at + policy.idle_timeout <= now {
            session::Entity::delete_by_id(hash).exec(&self.db).await?;
            return Ok(None);
        }
        if (now - last_seen_at).num_seconds() >= TOUCH_INTERVAL_SECONDS {
            session::Entity::update_many()
                .col_expr(session::Column::LastSeenAt, Expr::value(now))
                .filter(session::Column::TokenHash.eq(hash))
                .exec(&self.db)
                .await?;
        }
        let grants = rows
            .iter()
            .filter_map(|(.., role, authority)| {
                role.as_deref()
                    .map(|role| users::grant_of(role, authority.as_deref()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let email = EmailAddress::parse(&email).map_err(StoreError::corrupt)?;
        Ok(Some(Principal::new(
            UserId::from_uuid(user_id),
            name,
            email,
            grants,
        )))
    }

    /// Sign out: the token stops working at once on every instance.
    pub async fn end_session(
        &self,
        token: &SessionToken,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let hash = tokens::hash_of(&token.0);
        let txn = self.begin_write().await?;
        if let Some(row) = session::Entity::find_by_id(hash.clone()).one(&txn).await? {
            session::Entity::delete_by_id(hash).exec(&txn).await?;
            let user = UserId::from_uuid(row.user_id);
            let event = AuditEvent::new(
                Some(user),
                "user.signed_out",
                AuditObject::new("user", user),
                "Signed out",
            );
            audit::append(&txn, event, now).await?;
        }
        txn.commit().await?;
        Ok(())
    }

    /// Remove sessions that can no longer be used. Returns how many were removed.
    pub async fn purge_expired_sessions(
        &self,
        policy: SessionPolicy,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let result = session::Entity::delete_many()
            .filter(
                Condition::any()
                    .add(session::Column::ExpiresAt.lte(now))
                    .add(session::Column::LastSeenAt.lte(now - policy.idle_timeout)),
            )
            .exec(&self.db)
            .await?;
        Ok(result.rows_affected)
    }
}
