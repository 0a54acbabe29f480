//! On SQLite, the data version becomes the sum of the table versions, and each tracked table's
//! triggers move only the table's own version: one statement per changed row instead of two,
//! and half the parsed trigger code every connection keeps (100 KB of its 320 KB schema).
//! Each table's version only grows, so their sum moves exactly when any of them does, which is
//! all the data version promises (`Store::data_version`).
//!
//! PostgreSQL keeps its `data_version` row: its deferred trigger takes that row's lock first so
//! that no two writers take table rows in opposite orders (m0019), and the instances of an
//! earlier release still running during a rolling deploy read it.

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;

use super::{m0018_data_version as m0018, m0019_table_versions as m0019};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Sqlite {
            return Ok(());
        }
        for table in m0018::tracked_tables(manager).await? {
            track(manager, &table).await?;
        }
        manager
            .get_connection()
            .execute_unprepared("DROP TABLE IF EXISTS data_version")
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Sqlite {
            return Ok(());
        }
        let db = manager.get_connection();
        // Back to m0019's counter, carrying on from where the sum stands so the version never
        // goes backwards.
        db.execute_unprepared(
            "CREATE TABLE IF NOT EXISTS data_version (\
             id INTEGER PRIMARY KEY CHECK (id = 1), version BIGINT NOT NULL)",
        )
        .await?;
        db.execute_unprepared(
            "INSERT INTO data_version (id, version) \
             SELECT 1, COALESCE(SUM(version), 0) FROM table_versions",
        )
        .await?;
        for table in m0018::tracked_tables(manager).await? {
            m0019::track(manager, &table).await?;
        }
        Ok(())
    }
}

/// Make every change to `table` move its own version (and so the data version). A migration
/// that creates a table the scheme's pages read calls this for it (the store's tests fail
/// until it does).
pub(crate) async fn track(manager: &SchemaManager<'_>, table: &str) -> Result<(), DbErr> {
    let backend = manager.get_database_backend();
    if backend != DbBackend::Sqlite {
        return m0019::track(manager, table).await;
    }
    let db = manager.get_connection();
    db.execute_unprepared(&format!(
        "INSERT INTO table_versions (name, version) VALUES ('{table}', 0) \
         ON CONFLICT (name) DO NOTHING"
    ))
    .await?;
    for statement in m0018::untrack_statements(backend, table) {
        db.execute_unprepared(&statement).await?;
    }
    for event in ["INSERT", "UPDATE", "DELETE"] {
        db.execute_unprepared(&format!(
            "CREATE TRIGGER data_version_{table}_{op} AFTER {event} ON {table} \
             BEGIN UPDATE table_versions SET version = version + 1 WHERE name = '{table}'; END",
            op = event.to_lowercase()
        ))
        .await?;
    }
    Ok(())
}
