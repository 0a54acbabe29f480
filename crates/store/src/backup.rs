//! Copies of the SQLite database taken while the service runs, and the checks a copy must
//! pass before anyone restores it. PostgreSQL has its own tools (`pg_dump`, `pg_restore`);
//! the binary prints or runs those instead of calling the SQLite-only methods here.

use std::path::Path;

use sea_orm::{ConnectionTrait, DbBackend, DbErr, EntityTrait, PaginatorTrait, Statement};

use crate::entity::{action, challenge, user};
use crate::{Backend, Store, StoreError};

/// What a database holds, in the terms an operator checks after a restore.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ContentCounts {
    pub users: u64,
    pub challenges: u64,
    pub actions: u64,
}

impl std::fmt::Display for ContentCounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} users, {} challenges, {} actions",
            self.users, self.challenges, self.actions
        )
    }
}

impl Store {
    /// Write a consistent copy of the whole SQLite database to `path` with `VACUUM INTO`:
    /// it reads one snapshot, so writers carry on while it runs and the copy holds every
    /// transaction committed before it started and none after. SQLite refuses to write over
    /// an existing file, so a caller's temporary name must be fresh.
    pub async fn backup_into(&self, path: &Path) -> Result<(), StoreError> {
        self.require_sqlite("VACUUM INTO")?;
        let target = path.to_str().ok_or_else(|| {
            StoreError::Database(DbErr::Custom(format!(
                "backup path is not UTF-8: {}",
                path.display()
            )))
        })?;
        // A bound parameter rather than a quoted literal: no path can change the statement.
        self.db
            .execute_raw(Statement::from_sql_and_values(
                DbBackend::Sqlite,
                "VACUUM INTO ?",
                [target.into()],
            ))
            .await?;
        Ok(())
    }

    /// Every problem SQLite finds in the database file: `PRAGMA integrity_check` (pages,
    /// indexes, constraints) then `PRAGMA foreign_key_check` (rows pointing at nothing).
    /// Empty means the file is sound.
    pub async fn integrity_problems(&self) -> Result<Vec<String>, StoreError> {
        self.require_sqlite("PRAGMA integrity_check")?;
        let mut problems = Vec::new();
        for row in self
            .db
            .query_all_raw(Statement::from_string(
                DbBackend::Sqlite,
                "PRAGMA integrity_check",
            ))
            .await?
        {
            let line: String = row.try_get_by_index(0)?;
            if line != "ok" {
                problems.push(line);
            }
        }
        for row in self
            .db
            .query_all_raw(Statement::from_string(
                DbBackend::Sqlite,
                "PRAGMA foreign_key_check",
            ))
            .await?
        {
            let table: String = row.try_get_by_index(0)?;
            let rowid: Option<i64> = row.try_get_by_index(1)?;
            let parent: String = row.try_get_by_index(2)?;
            problems.push(format!(
                "foreign key: {table} row {} points at a missing {parent}",
                rowid.map_or_else(|| "?".to_owned(), |id| id.to_string())
            ));
        }
        Ok(problems)
    }

    /// How many users, challenges and actions the database holds: what a restore prints so
    /// the operator can compare it with what they expected.
    pub async fn content_counts(&self) -> Result<ContentCounts, StoreError> {
        Ok(ContentCounts {
            users: user::Entity::find().count(&self.db).await?,
            challenges: challenge::Entity::find().count(&self.db).await?,
            actions: action::Entity::find().count(&self.db).await?,
        })
    }

    fn require_sqlite(&self, what: &str) -> Result<(), StoreError> {
        match self.backend {
            Backend::Sqlite => Ok(()),
            Backend::Postgres => Err(StoreError::Database(DbErr::Custom(format!(
                "{what} is SQLite's; back up PostgreSQL with pg_dump"
            )))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store_test;
    use crate::test_support::execute_raw;

    store_test!(counts_what_the_database_holds, |store: Store| async move {
        assert_eq!(
            store.content_counts().await.expect("counts"),
            ContentCounts::default()
        );
        let account = crate::NewUser {
            name: domain::PersonName::parse("Backup Tester").expect("name"),
            email: domain::EmailAddress::parse("backup@example.org").expect("email"),
            grants: vec![],
        };
        store
            .ensure_user(
                &account,
                &domain::PasswordHash::for_demo("unused"),
                chrono::Utc::now(),
            )
            .await
            .expect("account");
        assert_eq!(store.content_counts().await.expect("counts").users, 1);
        if store.backend() == Backend::Postgres {
            let refused = store.backup_into(Path::new("/tmp/never.db")).await;
            assert!(
                refused.is_err_and(|error| error.to_string().contains("pg_dump")),
                "VACUUM INTO is not offered on PostgreSQL"
            );
        }
    });

    #[tokio::test]
    async fn a_backup_is_a_sound_copy_that_opens_as_a_store() {
        let test = crate::test_support::fresh_store(Backend::Sqlite).await;
        let account = crate::NewUser {
            name: domain::PersonName::parse("Backup Tester").expect("name"),
            email: domain::EmailAddress::parse("backup@example.org").expect("email"),
            grants: vec![],
        };
        test.store
            .ensure_user(
                &account,
                &domain::PasswordHash::for_demo("unused"),
                chrono::Utc::now(),
            )
            .await
            .expect("account");
        let dir = tempfile::tempdir().expect("folder");
        let copy = dir.path().join("it's a copy.db");
        test.store.backup_into(&copy).await.expect("backup");
        assert!(
            test.store.backup_into(&copy).await.is_err(),
            "SQLite never writes over an existing file"
        );

        let restored = Store::open(&format!("sqlite://{}?mode=rw", copy.display()))
            .await
            .expect("the copy opens and migrates");
        assert_eq!(
            restored.integrity_problems().await.expect("checked"),
            Vec::<String>::new()
        );
        assert_eq!(restored.content_counts().await.expect("counts").users, 1);
        restored.close().await.expect("close");
    }

    #[tokio::test]
    async fn a_row_pointing_at_nothing_is_a_problem() {
        let test = crate::test_support::fresh_store(Backend::Sqlite).await;
        assert!(
            test.store
                .integrity_problems()
                .await
                .expect("checked")
                .is_empty()
        );
        // One statement list runs on one connection, so switching the check off holds for
        // the insert: this is the damage a hand edit or a bad copy leaves behind.
        execute_raw(
            &test.store,
            "PRAGMA foreign_keys = OFF; \
             INSERT INTO role_grants (id, user_id, role, authority_slug, scope_key, created_at) \
             VALUES ('00000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000001', \
             'board', NULL, '', '2026-01-01 00:00:00+00:00'); \
             PRAGMA foreign_keys = ON;",
        )
        .await
        .expect("raw insert");
        let problems = test.store.integrity_problems().await.expect("checked");
        assert!(
            problems
                .iter()
                .any(|problem| problem.contains("role_grants")),
            "{problems:?}"
        );
    }
}
