//! The data version: one counter that every committed change to the scheme's data moves, kept
//! by triggers in the database itself so no code path (and no other instance) can change data
//! without moving it. Read models kept between requests are keyed on it (`Store::data_version`).
//!
//! SQLite has one writer at a time, so a row trigger simply adds one. PostgreSQL has many: a
//! row trigger there would take the counter's lock at a transaction's first write and hold it
//! to the end, so two transactions that lock rows in opposite orders could deadlock on it.
//! Its trigger is a deferred constraint trigger instead: it runs at commit, after every other
//! lock is taken, and moves the counter once per transaction.

use sea_orm::{ConnectionTrait, DbBackend, Statement};
use sea_orm_migration::prelude::*;

use crate::data_version::UNTRACKED_TABLES;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let backend = manager.get_database_backend();
        db.execute_unprepared(
            "CREATE TABLE IF NOT EXISTS data_version (\
             id INTEGER PRIMARY KEY CHECK (id = 1), version BIGINT NOT NULL)",
        )
        .await?;
        db.execute_unprepared(
            "INSERT INTO data_version (id, version) VALUES (1, 0) ON CONFLICT (id) DO NOTHING",
        )
        .await?;
        if backend == DbBackend::Postgres {
            db.execute_unprepared(POSTGRES_BUMP_FUNCTION).await?;
        }
        for table in tracked_tables(manager).await? {
            track(manager, &table).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for table in tracked_tables(manager).await? {
            for statement in untrack_statements(manager.get_database_backend(), &table) {
                db.execute_unprepared(&statement).await?;
            }
        }
        if manager.get_database_backend() == DbBackend::Postgres {
            db.execute_unprepared("DROP FUNCTION IF EXISTS bump_data_version()")
                .await?;
        }
        db.execute_unprepared("DROP TABLE IF EXISTS data_version")
            .await?;
        Ok(())
    }
}

/// Moves the counter once per transaction: the transaction-local setting remembers that it
/// has, so a transaction that writes ten thousand rows still writes the counter once.
pub(super) const POSTGRES_BUMP_FUNCTION: &str = "\
CREATE OR REPLACE FUNCTION bump_data_version() RETURNS trigger AS $$ \
BEGIN \
  IF coalesce(current_setting('peer_challenge.data_version_moved', true), '') <> 'yes' THEN \
    UPDATE data_version SET version = version + 1 WHERE id = 1; \
    PERFORM set_config('peer_challenge.data_version_moved', 'yes', true); \
  END IF; \
  RETURN NULL; \
END; $$ LANGUAGE plpgsql";

/// Every table of the schema whose changes move the data version: all but the untracked.
pub(super) async fn tracked_tables(manager: &SchemaManager<'_>) -> Result<Vec<String>, DbErr> {
    let backend = manager.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => {
            "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() \
             ORDER BY tablename"
        }
        _ => {
            "SELECT name FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite_%' ORDER BY name"
        }
    };
    let rows = manager
        .get_connection()
        .query_all_raw(Statement::from_string(backend, sql))
        .await?;
    let mut tables = Vec::new();
    for row in rows {
        let name: String = row.try_get("", "name")?;
        if !UNTRACKED_TABLES.contains(&name.as_str()) {
            tables.push(name);
        }
    }
    Ok(tables)
}

/// Make every change to `table` move the data version, as m0018 left it (m0019 adds each
/// table's own version; a later migration calls `m0020_sqlite_table_versions_only::track`).
async fn track(manager: &SchemaManager<'_>, table: &str) -> Result<(), DbErr> {
    for statement in track_statements(manager.get_database_backend(), table) {
        manager
            .get_connection()
            .execute_unprepared(&statement)
            .await?;
    }
    Ok(())
}

pub(super) fn track_statements(backend: DbBackend, table: &str) -> Vec<String> {
    match backend {
        DbBackend::Postgres => vec![format!(
            "CREATE CONSTRAINT TRIGGER data_version_{table} \
             AFTER INSERT OR UPDATE OR DELETE ON {table} \
             DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_data_version()"
        )],
        _ => ["INSERT", "UPDATE", "DELETE"]
            .iter()
            .map(|event| {
                format!(
                    "CREATE TRIGGER IF NOT EXISTS data_version_{table}_{op} AFTER {event} ON {table} \
                     BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END",
                    op = event.to_lowercase()
                )
            })
            .collect(),
    }
}

pub(super) fn untrack_statements(backend: DbBackend, table: &str) -> Vec<String> {
    match backend {
        DbBackend::Postgres => vec![format!(
            "DROP TRIGGER IF EXISTS data_version_{table} ON {table}"
        )],
        _ => ["insert", "update", "delete"]
            .iter()
            .map(|op| format!("DROP TRIGGER IF EXISTS data_version_{table}_{op}"))
            .collect(),
    }
}
