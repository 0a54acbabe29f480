//! Sign-in throttling, in the database so that every instance sees the same count. Failures
//! are counted per account and per client address; past a free allowance each further
//! failure blocks sign-in for a while that doubles up to a ceiling. Nothing locks forever,
//! and a success clears the account's count.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{EntityTrait, Set};

use crate::entity::sign_in_throttle::{self, Column};
use crate::{Store, StoreError};

/// The throttling rules. The defaults let a person mistype a few times without delay.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SignInThrottle {
    /// Failures in a row allowed per account before any wait.
    pub free_failures_per_account: i32,
    /// Failures in a row allowed per client address (a shared office network signs in a lot).
    pub free_failures_per_address: i32,
    pub first_block: Duration,
    pub longest_block: Duration,
    /// A quiet spell after which old failures are forgotten.
    pub forget_after: Duration,
}

impl Default for SignInThrottle {
    fn default() -> Self {
        Self {
            free_failures_per_account: 5,
            free_failures_per_address: 30,
            first_block: Duration::seconds(30),
            longest_block: Duration::minutes(15),
            forget_after: Duration::hours(1),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ThrottleVerdict {
    Allowed,
    /// Try again after this time.
    BlockedUntil(DateTime<Utc>),
}

impl SignInThrottle {
    fn block_after(&self, failures: i32, free: i32) -> Option<Duration> {
        let excess = failures - free;
        if excess <= 0 {
            return None;
        }
        let doublings = u32::try_from(excess - 1).unwrap_or(0).min(16);
        let block = self.first_block * 2_i32.pow(doublings);
        Some(block.min(self.longest_block))
    }
}

fn account_key(email: &str) -> String {
    format!("account:{email}")
}

fn address_key(address: &str) -> String {
    format!("address:{address}")
}

impl Store {
    /// Whether a sign-in for this account from this address may be tried now.
    pub async fn sign_in_verdict(
        &self,
        email: &str,
        address: &str,
        now: DateTime<Utc>,
    ) -> Result<ThrottleVerdict, StoreError> {
        let mut latest: Option<DateTime<Utc>> = None;
        for key in [account_key(email), address_key(address)] {
            if let Some(row) = sign_in_throttle::Entity::find_by_id(key)
                .one(&self.db)
                .await?
                && let Some(until) = row.blocked_until.filter(|until| *until > now)
            {
                latest = Some(latest.map_or(until, |other| other.max(until)));
            }
        }
        Ok(latest.map_or(ThrottleVerdict::Allowed, ThrottleVerdict::BlockedUntil))
    }

    /// Count a failed sign-in against the account and the address.
    pub async fn record_sign_in_failure(
        &self,
        rules: &SignInThrottle,
        email: &str,
        address: &str,
        now: DateTime<Utc>,
    ) -> Result<ThrottleVerdict, StoreError> {
        let account = self
            .count_failure(
                rules,
                account_key(email),
                rules.free_failures_per_account,
                now,
            )
            .await?;
        let by_address = self
            .count_failure(
                rules,
                address_key(address),
                rules.free_failures_per_address,
                now,
            )
            .await?;
        Ok(match (account, by_address) {
            (Some(a), Some(b)) => ThrottleVerdict::BlockedUntil(a.max(b)),
            (Some(until), None) | (None, Some(until)) => ThrottleVerdict::BlockedUntil(until),
            (None, None) => ThrottleVerdict::Allowed,
        })
    }

    /// A successful sign-in forgets the account's failures (the address keeps its count, so
    /// one good password does not reset a spray across many accounts).
    pub async fn record_sign_in_success(&self, email: &str) -> Result<(), StoreError> {
        sign_in_throttle::Entity::delete_by_id(account_key(email))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    async fn count_failure(
        &self,
        rules: &SignInThrottle,
        key: String,
        free: i32,
        now: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>, StoreError> {
        let existing = sign_in_throttle::Entity::find_by_id(key.clone())
            .one(&self.db)
            .await?;
        let previous = existing
            .as_ref()
            .filter(|row| row.last_failure_at + rules.forget_after > now)
            .map_or(0, |row| row.consecutive_failures);
        let failures = previous.saturating_add(1);
        let blocked_until = rules.block_after(failures, free).map(|block| now + block);
        let model = sign_in_throttle::ActiveModel {
            key: Set(key),
            consecutive_failures: Set(failures),
            last_failure_at: Set(now),
            blocked_until: Set(blocked_until),
        };
        // An upsert, so two instances counting the same key at once cannot collide.
        sign_in_throttle::Entity::insert(model)
            .on_conflict(
                OnConflict::column(Column::Key)
                    .update_columns([
                        Column::ConsecutiveFailures,
                        Column::LastFailureAt,
                        Column::BlockedUntil,
                    ])
                    .to_owned(),
            )
            .exec(&self.db)
            .await?;
        Ok(blocked_until)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_double_up_to_a_ceiling() {
        let rules = SignInThrottle::default();
        assert_eq!(rules.block_after(5, 5), None);
        assert_eq!(rules.block_after(6, 5), Some(Duration::seconds(30)));
        assert_eq!(rules.block_after(7, 5), Some(Duration::seconds(60)));
        assert_eq!(rules.block_after(10, 5), Some(Duration::seconds(480)));
        assert_eq!(rules.block_after(40, 5), Some(Duration::minutes(15)));
    }
}
