//! Each table's own version beside the data version: a view that reads a few tables (a
//! challenge with its team and timetable) is still true while those tables are unchanged,
//! however much else is written meanwhile (the evidence notes a team records during a visit).
//! The same triggers as m0018 keep both: every committed change to a tracked table moves the
//! data version and that table's version (`Store::read_set_version`).
//!
//! On PostgreSQL the deferred trigger takes the data version's row lock first, then the
//! table's: every writing transaction takes the one row first, so no two can hold table rows
//! in opposite orders (no deadlock), and each row moves once per transaction.

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;

use super::m0018_data_version as m0018;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE TABLE IF NOT EXISTS table_versions (\
             name VARCHAR(64) PRIMARY KEY, version BIGINT NOT NULL)",
        )
        .await?;
        if manager.get_database_backend() == DbBackend::Postgres {
            db.execute_unprepared(POSTGRES_BUMP_FUNCTION).await?;
        }
        for table in m0018::tracked_tables(manager).await? {
            track(manager, &table).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let backend = manager.get_database_backend();
        for table in m0018::tracked_tables(manager).await? {
            if backend == DbBackend::Sqlite {
                for statement in m0018::untrack_statements(backend, &table)
                    .into_iter()
                    .chain(m0018::track_statements(backend, &table))
                {
                    db.execute_unprepared(&statement).await?;
                }
            }
        }
        if backend == DbBackend::Postgres {
            db.execute_unprepared(m0018::POSTGRES_BUMP_FUNCTION).await?;
        }
        db.execute_unprepared("DROP TABLE IF EXISTS table_versions")
            .await?;
        Ok(())
    }
}

/// Moves the data version, then the table's own version, each once per transaction.
const POSTGRES_BUMP_FUNCTION: &str = "\
CREATE OR REPLACE FUNCTION bump_data_version() RETURNS trigger AS $$ \
BEGIN \
  IF coalesce(current_setting('peer_challenge.data_version_moved', true), '') <> 'yes' THEN \
    UPDATE data_version SET version = version + 1 WHERE id = 1; \
    PERFORM set_config('peer_challenge.data_version_moved', 'yes', true); \
  END IF; \
  IF coalesce(current_setting('peer_challenge.moved_' || TG_TABLE_NAME, true), '') <> 'yes' THEN \
    UPDATE table_versions SET version = version + 1 WHERE name = TG_TABLE_NAME; \
    PERFORM set_config('peer_challenge.moved_' || TG_TABLE_NAME, 'yes', true); \
  END IF; \
  RETURN NULL; \
END; $$ LANGUAGE plpgsql";

/// Make every change to `table` move the data version and the table's own version, as m0019
/// left them (a later migration calls `m0020_sqlite_table_versions_only::track`).
pub(super) async fn track(manager: &SchemaManager<'_>, table: &str) -> Result<(), DbErr> {
    let backend = manager.get_database_backend();
    let db = manager.get_connection();
    db.execute_unprepared(&format!(
        "INSERT INTO table_versions (name, version) VALUES ('{table}', 0) \
         ON CONFLICT (name) DO NOTHING"
    ))
    .await?;
    let statements = match backend {
        // The trigger calls the function, which now moves both versions.
        DbBackend::Postgres => m0018::untrack_statements(backend, table)
            .into_iter()
            .chain(m0018::track_statements(backend, table))
            .collect(),
        _ => m0018::untrack_statements(backend, table)
            .into_iter()
            .chain(sqlite_triggers(table))
            .collect::<Vec<_>>(),
    };
    for statement in statements {
        db.execute_unprepared(&statement).await?;
    }
    Ok(())
}

fn sqlite_triggers(table: &str) -> impl Iterator<Item = String> + '_ {
    ["INSERT", "UPDATE", "DELETE"]
        .into_iter()
        .map(move |event| {
            format!(
                "CREATE TRIGGER IF NOT EXISTS data_version_{table}_{op} AFTER {event} ON {table} \
             BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; \
             UPDATE table_versions SET version = version + 1 WHERE name = '{table}'; END",
                op = event.to_lowercase()
            )
        })
}
