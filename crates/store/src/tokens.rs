//! Secret tokens (session cookies, invitation and reset links) and the one-time tokens table.
//! Only a SHA-256 of each token is stored, so a copy of the database opens no accounts.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use domain::UserId;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};

use crate::StoreError;
use crate::entity::one_time_token;

/// A new random token to hand to its holder, and the hash to store.
pub(crate) fn mint() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::fill(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash_of(&token);
    (token, hash)
}

pub(crate) fn hash_of(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// What a one-time link lets its holder do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenPurpose {
    /// Accept an invitation by choosing a first password.
    Invitation,
    /// Choose a new password after asking for a reset.
    PasswordReset,
}

impl TokenPurpose {
    fn code(self) -> &'static str {
        match self {
            Self::Invitation => "invitation",
            Self::PasswordReset => "password_reset",
        }
    }

    /// How long a link stays valid: long enough to find the email, short enough to be safe.
    pub fn lifetime(self) -> Duration {
        match self {
            Self::Invitation => Duration::days(14),
            Self::PasswordReset => Duration::hours(2),
        }
    }
}

/// Store a new one-time token for `user` and return the secret to email.
pub(crate) async fn issue(
    db: &impl ConnectionTrait,
    user: UserId,
    purpose: TokenPurpose,
    now: DateTime<Utc>,
) -> Result<String, StoreError> {
    let (token, hash) = mint();
    one_time_token::ActiveModel {
        token_hash: Set(hash),
        user_id: Set(user.as_uuid()),
        purpose: Set(purpose.code().to_owned()),
        created_at: Set(now),
        expires_at: Set(now + purpose.lifetime()),
        used_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// The user a live, unused token of this purpose belongs to.
pub(crate) async fn holder(
    db: &impl ConnectionTrait,
    token: &str,
    purpose: TokenPurpose,
    now: DateTime<Utc>,
) -> Result<Option<UserId>, StoreError> {
    let found = one_time_token::Entity::find_by_id(hash_of(token))
        .filter(one_time_token::Column::Purpose.eq(purpose.code()))
        .filter(one_time_token::Column::UsedAt.is_null())
        .filter(one_time_token::Column::ExpiresAt.gt(now))
        .one(db)
        .await?;
    Ok(found.map(|row| UserId::from_uuid(row.user_id)))
}

/// Mark a token used; false if it was already used or has expired (a double submit).
pub(crate) async fn consume(
    db: &impl ConnectionTrait,
    token: &str,
    purpose: TokenPurpose,
    now: DateTime<Utc>,
) -> Result<Option<UserId>, StoreError> {
    let Some(user) = holder(db, token, purpose, now).await? else {
        return Ok(None);
    };
    let updated = one_time_token::Entity::update_many()
        .col_expr(
            one_time_token::Column::UsedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(one_time_token::Column::TokenHash.eq(hash_of(token)))
        .filter(one_time_token::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok((updated.rows_affected == 1).then_some(user))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_hashed() {
        let (first, first_hash) = mint();
        let (second, _) = mint();
        assert_ne!(first, second);
        assert_eq!(first.len(), 43);
        assert_eq!(first_hash, hash_of(&first));
        assert_eq!(first_hash.len(), 64);
    }
}
