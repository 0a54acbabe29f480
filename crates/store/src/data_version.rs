//! The data version: a number that every committed change to the scheme's data moves, on every
//! instance, whoever made it. Triggers in the database keep it (migrations m0018 to m0020), so a read
//! model kept between requests is still true for as long as the version it was read at is the
//! current one. Each table also has its own version (m0019), so a view that reads a few tables
//! (a `ReadSet`) is kept while writes elsewhere go on.

use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ConnectionTrait, Statement};

use crate::{Backend, Store, StoreError};

/// Tables whose changes do not move the version. Nothing a kept view reads is here: the
/// session (its last-seen time changes on requests), the sign-in throttle and the rate limits
/// change on almost every request; the audit log's rows are written in the transaction of the
/// change they record, which moves the version itself, or record a sign-in or sign-out, which
/// changes nothing a page keeps. Everything else is tracked, including every table a later
/// migration adds (`migration::m0020_sqlite_table_versions_only::track`).
pub(crate) const UNTRACKED_TABLES: &[&str] = &[
    "data_version",
    "table_versions",
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

/// The tables a kept view reads, named for the store's reads that read them: the version of a
/// read set moves whenever a change to one of its tables commits, and only then. A store test
/// runs each read named here and checks it reads no other table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReadSet {
    /// A challenge as its pages load it (`Store::challenge`, `Store::team`) and its
    /// evidence choices (`Store::timetable`, `Store::case_references`).
    Challenge,
}

impl ReadSet {
    pub fn tables(self) -> &'static [&'static str] {
        match self {
            Self::Challenge => &[
                "activities",
                "activity_reviewers",
                "case_samples",
                "challenge_kloe_versions",
                "challenge_seats",
                "challenge_visit_days",
                "challenges",
                "local_authorities",
                "pool_members",
                "team_members",
            ],
        }
    }
}

/// The version of `set`: the sum of its tables' versions, each of which only grows, so it
/// moves exactly when one of them changes.
fn read_set_version_query(set: ReadSet) -> SelectStatement {
    Query::select()
        .expr_as(
            Expr::cust("CAST(COALESCE(SUM(version), 0) AS BIGINT)"),
            Alias::new("version"),
        )
        .from(Alias::new("table_versions"))
        .and_where(Expr::col(Alias::new("name")).is_in(set.tables().iter().copied()))
        .to_owned()
}

pub(crate) async fn read_set_version_on(
    db: &impl ConnectionTrait,
    set: ReadSet,
) -> Result<DataVersion, StoreError> {
    let row = db
        .query_one(&read_set_version_query(set))
        .await?
        .ok_or_else(|| StoreError::Corrupt("no read set version".into()))?;
    Ok(DataVersion(row.try_get("", "version")?))
}

/// A condition true while `set` is still at `version`: a write that carries it changes
/// nothing once what it was checked against has changed, with no read of its own.
pub(crate) fn read_set_still_at(set: ReadSet, version: DataVersion) -> Expr {
    Expr::SubQuery(None, Box::new(read_set_version_query(set).into())).eq(version.0)
}

impl Store {
    /// The current data version: one read. On SQLite the sum of the table versions, which
    /// only grow (m0020: a changed row moves one version, not two); on PostgreSQL the
    /// `data_version` row its trigger moves once per transaction (m0018).
    pub async fn data_version(&self) -> Result<DataVersion, StoreError> {
        let sql = match self.backend {
            Backend::Sqlite => {
                "SELECT CAST(COALESCE(SUM(version), 0) AS BIGINT) AS version FROM table_versions"
            }
            Backend::Postgres => "SELECT version FROM data_version WHERE id = 1",
        };
        let row = self
            .db
            .query_one_raw(Statement::from_string(self.db.get_database_backend(), sql))
            .await?
            .ok_or_else(|| StoreError::Corrupt("the data version row is missing".into()))?;
        Ok(DataVersion(row.try_get("", "version")?))
    }

    /// The current version of `set`: one single-row read.
    pub async fn read_set_version(&self, set: ReadSet) -> Result<DataVersion, StoreError> {
        read_set_version_on(&self.db, set).await
    }

    /// The tables no trigger keeps the data version (or their own version) for, by name: the
    /// store's tests check that they are exactly the untracked ones, so a new table cannot be
    /// forgotten.
    pub async fn tables_without_data_version(&self) -> Result<Vec<String>, StoreError> {
        let sql = match self.backend {
            Backend::Sqlite => {
                "SELECT name FROM sqlite_master WHERE type = 'table' \
                 AND name NOT LIKE 'sqlite_%' \
                 AND (name NOT IN (SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' \
                                   AND name LIKE 'data_version_%') \
                      OR name NOT IN (SELECT name FROM table_versions)) ORDER BY name"
            }
            Backend::Postgres => {
                "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() \
                 AND (tablename NOT IN (SELECT event_object_table FROM information_schema.triggers \
                                        WHERE trigger_name LIKE 'data_version_%') \
                      OR tablename NOT IN (SELECT name FROM table_versions)) \
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
