//! The data version: a number that every committed change to the scheme's data moves, on every
//! instance, whoever made it. Triggers in the database keep it (migration m0018), so a read
//! model kept between requests is still true for as long as the version it was read at is the
//! current one.

use sea_orm::{ConnectionTrait, Statement};

use crate::{Backend, Store, StoreError};

/// Tables whose changes do not move the version. Nothing a kept view reads is here: the
/// session (its last-seen time changes on requests), the sign-in throttle and the rate limits
/// change on almost every request; the audit log's rows are written in the transaction of the
/// change they record, which moves the version itself, or record a sign-in or sign-out, which
/// changes nothing a page keeps. Everything else is tracked, including every table a later
/// migration adds (`migration::m0018_data_version::track`).
pub(crate) const UNTRACKED_TABLES: &[&str] = &[
    "data_version",
    "seaql_migrations",
    "sessions",
    "sign_in_throttle",
    "rate_limits",
    "audit_log",
];

/// The data version read at one moment. Only equality and order mean anything: views read at
/// the same version saw the same data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DataVersion(i64);

impl Store {
    /// The current data version: one single-row read.
    pub async fn data_version(&self) -> Result<DataVersion, StoreError> {
        let row = self
            .db
            .query_one_raw(Statement::from_string(
                self.db.get_database_backend(),
                "SELECT version FROM data_version WHERE id = 1",
            ))
            .await?
            .ok_or_else(|| StoreError::Corrupt("the data version row is missing".into()))?;
        Ok(DataVersion(row.try_get("", "version")?))
    }

    /// The tables no trigger keeps the data version for, by name: the store's tests check
    /// that they are exactly the untracked ones, so a new table cannot be forgotten.
    pub async fn tables_without_data_version(&self) -> Result<Vec<String>, StoreError> {
        let sql = match self.backend {
            Backend::Sqlite => {
                "SELECT name FROM sqlite_master WHERE type = 'table' \
                 AND name NOT LIKE 'sqlite_%' \
                 AND name NOT IN (SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' \
                                  AND name LIKE 'data_version_%') ORDER BY name"
            }
            Backend::Postgres => {
                "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() \
                 AND tablename NOT IN (SELECT event_object_table FROM information_schema.triggers \
                                       WHERE trigger_name LIKE 'data_version_%') \
                 ORDER BY tablename"
            }
        };
        let rows = self
            .db
            .query_all_raw(Statement::from_string(self.db.get_database_backend(), sql))
            .await?;
        rows.iter()
            .map(|row| row.try_get("", "name").map_err(StoreError::from))
            .collect()
    }
}
