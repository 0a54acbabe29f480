//! Fresh, empty, migrated databases for tests: a new SQLite file, or a new PostgreSQL
//! database on the server named by `PEER_CHALLENGE_TEST_POSTGRES_URL`. Never a mock.

use sea_orm::{ConnectionTrait, Database};

use crate::{Backend, Store};

/// The environment variable naming a PostgreSQL server tests may create databases on, as a
/// URL to its maintenance database, e.g. `postgres://peer_challenge:secret@127.0.0.1/postgres`.
pub const POSTGRES_URL_VAR: &str = "PEER_CHALLENGE_TEST_POSTGRES_URL";

/// A migrated store on a database of its own, removed (SQLite) or left for the test
/// script's clean-up (PostgreSQL, names starting `pc_test_`) when the test ends.
#[derive(Debug)]
pub struct TestStore {
    pub store: Store,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

/// A fresh store on `backend`. Panics with instructions when PostgreSQL is not configured:
/// a store test that silently skipped a backend would prove nothing.
pub async fn fresh_store(backend: Backend) -> TestStore {
    match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().expect("temporary directory");
            let url = format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display());
            let store = Store::open(&url).await.expect("open SQLite test database");
            TestStore {
                store,
                url,
                _dir: Some(dir),
            }
        }
        Backend::Postgres => {
            let url = fresh_postgres_database().await;
            let store = Store::open(&url)
                .await
                .expect("open PostgreSQL test database");
            TestStore {
                store,
                url,
                _dir: None,
            }
        }
    }
}

/// Create an empty PostgreSQL database and return its URL.
pub async fn fresh_postgres_database() -> String {
    let admin_url = std::env::var(POSTGRES_URL_VAR).unwrap_or_else(|_| {
        panic!(
            "{POSTGRES_URL_VAR} is not set: run the tests with `make test`, which starts PostgreSQL"
        )
    });
    let name = format!("pc_test_{}", uuid::Uuid::new_v4().simple());
    let admin = Database::connect(&admin_url)
        .await
        .expect("connect to the PostgreSQL test server");
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create test database");
    admin.close().await.ok();
    let (base, _) = admin_url.rsplit_once('/').expect("URL has a database part");
    format!("{base}/{name}")
}

/// Write a test once and run it on both databases:
/// `store_test!(name, |store: Store| async move { ... });` makes `name::sqlite` and
/// `name::postgres`.
#[macro_export]
macro_rules! store_test {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test]
            async fn sqlite() {
                let test = $crate::test_support::fresh_store($crate::Backend::Sqlite).await;
                ($body)(test.store.clone()).await;
            }

            #[tokio::test]
            async fn postgres() {
                let test = $crate::test_support::fresh_store($crate::Backend::Postgres).await;
                ($body)(test.store.clone()).await;
                test.store.close().await.ok();
            }
        }
    };
}

/// Run raw SQL against a test store, to prove what the database itself refuses.
pub async fn execute_raw(store: &Store, sql: &str) -> Result<(), sea_orm::DbErr> {
    store.db.execute_unprepared(sql).await.map(|_| ())
}
