//! Sign-in throttling, in the database so that every instance sees the same count. Failures
//! are counted per account and per client address; past a free allowance each further
//! failure blocks sign-in for a while that doubles up to a ceiling. Nothing locks forever,
//! and a success clears the account's count. An attempt is counted before its password is
//! checked, in one statement per key, so guesses sent in parallel cannot all slip past the
//! allowance while each reads the count before the others write it.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, OnConflict, Query};
use sea_orm::{ConnectionTrait, EntityTrait};

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

/// What the throttle says to one sign-in attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignInAttempt {
    /// The attempt is counted and may be checked. If the password turns out wrong, sign-in
    /// for the account (or from the address) is blocked until this time; `None`: not yet.
    Reserved {
        if_wrong_blocked_until: Option<DateTime<Utc>>,
    },
    /// Refused without checking the password: try again after this time.
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

    /// The block for each count past the allowance until the ceiling is reached, then the
    /// ceiling: a short table the upsert can choose from without date arithmetic in SQL.
    fn blocks_by_count(
        &self,
        free: i32,
        now: DateTime<Utc>,
    ) -> (Vec<(i32, DateTime<Utc>)>, DateTime<Utc>) {
        let mut steps = Vec::new();
        let mut count = free.saturating_add(1);
        while let Some(block) = self.block_after(count, free) {
            if block >= self.longest_block || steps.len() > 16 {
                break;
            }
            steps.push((count, now + block));
            count = count.saturating_add(1);
        }
        (steps, now + self.longest_block)
    }
}

fn account_key(email: &str) -> String {
    format!("account:{email}")
}

fn address_key(address: &str) -> String {
    format!("address:{address}")
}

fn table_col(column: Column) -> Expr {
    Expr::col((sign_in_throttle::Entity, column))
}

impl Store {
    /// Count an attempt before its password is checked, so that guesses made in parallel
    /// are refused past the allowance instead of all being checked. The attempt counts as a
    /// failure until `record_sign_in_success` or `release_sign_in_attempt` says otherwise.
    pub async fn reserve_sign_in_attempt(
        &self,
        rules: &SignInThrottle,
        email: &str,
        address: &str,
        now: DateTime<Utc>,
    ) -> Result<SignInAttempt, StoreError> {
        let account = account_key(email);
        let by_account = self
            .reserve(rules, &account, rules.free_failures_per_account, now)
            .await?;
        let SignInAttempt::Reserved {
            if_wrong_blocked_until: account_block,
        } = by_account
        else {
            return Ok(by_account);
        };
        let by_address = self
            .reserve(
                rules,
                &address_key(address),
                rules.free_failures_per_address,
                now,
            )
            .await?;
        match by_address {
            SignInAttempt::BlockedUntil(_) => {
                // Refused for the address: the account's reservation was not used.
                self.release(&account, rules.free_failures_per_account)
                    .await?;
                Ok(by_address)
            }
            SignInAttempt::Reserved {
                if_wrong_blocked_until: address_block,
            } => Ok(SignInAttempt::Reserved {
                if_wrong_blocked_until: account_block.max(address_block),
            }),
        }
    }

    /// A successful sign-in forgets the account's failures and takes back the address's
    /// reservation (the address keeps its other failures, so one good password does not
    /// reset a spray across many accounts).
    pub async fn record_sign_in_success(
        &self,
        rules: &SignInThrottle,
        email: &str,
        address: &str,
    ) -> Result<(), StoreError> {
        sign_in_throttle::Entity::delete_by_id(account_key(email))
            .exec(&self.db)
            .await?;
        self.release(&address_key(address), rules.free_failures_per_address)
            .await
    }

    /// Take back a reservation whose password was never checked (the service was too busy).
    pub async fn release_sign_in_attempt(
        &self,
        rules: &SignInThrottle,
        email: &str,
        address: &str,
    ) -> Result<(), StoreError> {
        self.release(&account_key(email), rules.free_failures_per_account)
            .await?;
        self.release(&address_key(address), rules.free_failures_per_address)
            .await
    }

    /// One statement counts the attempt and sets the block its failure would earn, unless a
    /// block is already in force: the database serialises it per key, so no two attempts can
    /// both see the count before the other's.
    async fn reserve(
        &self,
        rules: &SignInThrottle,
        key: &str,
        free: i32,
        now: DateTime<Utc>,
    ) -> Result<SignInAttempt, StoreError> {
        // Scoped: the trait's `min` and `max` would shadow `Ord`'s elsewhere in this file.
        use sea_orm::sea_query::ExprTrait as _;
        // Failures older than the quiet spell are forgotten: the count starts again at one.
        let count = Expr::case(
            table_col(Column::LastFailureAt).lte(now - rules.forget_after),
            1,
        )
        .finally(table_col(Column::ConsecutiveFailures).add(1));
        let count: Expr = count.into();
        let (steps, ceiling) = rules.blocks_by_count(free, now);
        let no_block: Option<DateTime<Utc>> = None;
        let mut blocked_until = Expr::case(count.clone().lte(free), no_block);
        for (at, until) in steps {
            blocked_until = blocked_until.case(count.clone().eq(at), until);
        }
        let blocked_until: Expr = blocked_until.finally(ceiling).into();
        let insert = Query::insert()
            .into_table(sign_in_throttle::Entity)
            .columns([
                Column::Key,
                Column::ConsecutiveFailures,
                Column::LastFailureAt,
                Column::BlockedUntil,
            ])
            .values_panic([
                key.into(),
                1.into(),
                now.into(),
                rules.block_after(1, free).map(|block| now + block).into(),
            ])
            .on_conflict(
                OnConflict::column(Column::Key)
                    .value(Column::ConsecutiveFailures, count)
                    .value(Column::LastFailureAt, now)
                    .value(Column::BlockedUntil, blocked_until)
                    .action_and_where(
                        table_col(Column::BlockedUntil)
                            .is_null()
                            .or(table_col(Column::BlockedUntil).lte(now)),
                    )
                    .to_owned(),
            )
            .returning_col(Column::BlockedUntil)
            .to_owned();
        if let Some(row) = self.db.query_one(&insert).await? {
            let until: Option<DateTime<Utc>> = row.try_get("", "blocked_until")?;
            return Ok(SignInAttempt::Reserved {
                if_wrong_blocked_until: until,
            });
        }
        // Nothing was written: a block is in force. Say until when.
        let until = sign_in_throttle::Entity::find_by_id(key.to_owned())
            .one(&self.db)
            .await?
            .and_then(|row| row.blocked_until)
            .unwrap_or(now);
        Ok(SignInAttempt::BlockedUntil(until))
    }

    /// Uncount one reservation, lifting the block it set if the count falls back within the
    /// allowance.
    async fn release(&self, key: &str, free: i32) -> Result<(), StoreError> {
        use sea_orm::sea_query::ExprTrait as _;
        let no_block: Option<DateTime<Utc>> = None;
        let update = Query::update()
            .table(sign_in_throttle::Entity)
            .value(
                Column::ConsecutiveFailures,
                table_col(Column::ConsecutiveFailures).sub(1),
            )
            .value(
                Column::BlockedUntil,
                Expr::case(
                    table_col(Column::ConsecutiveFailures).sub(1).gt(free),
                    table_col(Column::BlockedUntil),
                )
                .finally(no_block),
            )
            .and_where(table_col(Column::Key).eq(key))
            .and_where(table_col(Column::ConsecutiveFailures).gt(0))
            .to_owned();
        self.db.execute(&update).await?;
        Ok(())
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
