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
    let admin_url = std::env::var(POSTGRES_URL_VAR)
        .ok()
        .filter(|url| !url.is_empty())
        .unwrap_or_else(|| {
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

/// An action as m0005 stored it, with its progress notes, history rows and reminders sent:
/// the next-steps migration test writes these in the old shape and reads them back after.
#[derive(Clone, Debug)]
pub struct OldShapeAction {
    pub id: uuid::Uuid,
    pub challenge: uuid::Uuid,
    pub authority: String,
    pub entry: domain::next_steps::ActionEntry,
    pub progress_ids: Vec<uuid::Uuid>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    /// (id, at, by, RAG code, due, summary)
    pub history: Vec<(
        uuid::Uuid,
        chrono::DateTime<chrono::Utc>,
        String,
        String,
        chrono::NaiveDate,
        String,
    )>,
    /// (kind, occasion, sent at)
    pub reminders: Vec<(String, String, chrono::DateTime<chrono::Utc>)>,
}

/// A fresh store with only the migrations before the programme model (m0001–m0007) and the
/// reference data: the schema a deployed instance had before m0008.
pub async fn store_before_programmes(backend: Backend) -> TestStore {
    let (url, dir) = match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().expect("temporary directory");
            let url = format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display());
            (url, Some(dir))
        }
        Backend::Postgres => (fresh_postgres_database().await, None),
    };
    let store = Store::connect(&url).await.expect("connect");
    crate::migration::run_first(&store.db, 7)
        .await
        .expect("migrations up to m0007");
    let txn = store.begin_write().await.expect("a transaction");
    crate::reference::upsert_places_and_themes(&txn)
        .await
        .expect("reference data");
    txn.commit().await.expect("committed");
    TestStore {
        store,
        url,
        _dir: dir,
    }
}

/// Write challenges (reference, host, state) and actions in m0005's tables, as an instance
/// before m0008 held them.
pub async fn seed_m0005_next_steps(
    store: &Store,
    challenges: &[(uuid::Uuid, &str, &str, &str)],
    actions: &[OldShapeAction],
    now: chrono::DateTime<chrono::Utc>,
) {
    use sea_orm::sea_query::{Alias, Query};
    use sea_orm::{ActiveModelTrait, Set};

    for (id, reference, host, state) in challenges {
        crate::entity::challenge::ActiveModel {
            id: Set(*id),
            reference: Set((*reference).to_owned()),
            authority_slug: Set((*host).to_owned()),
            kind: Set("one_day".to_owned()),
            format: Set("on_site".to_owned()),
            partners: Set(String::new()),
            windows: Set("[]".to_owned()),
            focus: Set(String::new()),
            state: Set((*state).to_owned()),
            cancel_reason: Set(None),
            kloes_agreed_at: Set(None),
            kloes_agreed_by: Set(None),
            proposal: Set(None),
            requested_by: Set(None),
            requested_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&store.db)
        .await
        .expect("challenge");
    }
    let run = |statement: sea_orm::sea_query::InsertStatement| {
        let db = &store.db;
        async move {
            db.execute(&statement).await.expect("old-shape row");
        }
    };
    for action in actions {
        let e = &action.entry;
        run(Query::insert()
            .into_table(Alias::new("actions"))
            .columns(
                [
                    "id",
                    "challenge_id",
                    "authority_slug",
                    "reference",
                    "answers",
                    "theme",
                    "action",
                    "owner",
                    "partners",
                    "start_date",
                    "due_date",
                    "milestones",
                    "baseline",
                    "target",
                    "rag",
                    "impact",
                    "created_at",
                    "updated_at",
                ]
                .map(Alias::new),
            )
            .values_panic([
                action.id.into(),
                action.challenge.into(),
                action.authority.clone().into(),
                e.reference.clone().into(),
                e.answers.clone().into(),
                e.theme.to_string().into(),
                e.action.clone().into(),
                e.owner.clone().into(),
                e.partners.clone().into(),
                e.start.into(),
                e.due.into(),
                e.milestones.clone().into(),
                e.baseline.clone().into(),
                e.target.clone().into(),
                e.rag.code().into(),
                e.impact.clone().into(),
                action.created_at.into(),
                action.updated_at.into(),
            ])
            .to_owned())
        .await;
        for (note, id) in e.progress.iter().zip(&action.progress_ids) {
            run(Query::insert()
                .into_table(Alias::new("action_progress"))
                .columns(["id", "action_id", "noted_on", "text"].map(Alias::new))
                .values_panic([
                    (*id).into(),
                    action.id.into(),
                    note.on.into(),
                    note.text.clone().into(),
                ])
                .to_owned())
            .await;
        }
        for (id, at, by, rag, due, summary) in &action.history {
            run(Query::insert()
                .into_table(Alias::new("action_history"))
                .columns(
                    [
                        "id",
                        "action_id",
                        "at",
                        "by_name",
                        "rag",
                        "due_date",
                        "summary",
                    ]
                    .map(Alias::new),
                )
                .values_panic([
                    (*id).into(),
                    action.id.into(),
                    (*at).into(),
                    by.clone().into(),
                    rag.clone().into(),
                    (*due).into(),
                    summary.clone().into(),
                ])
                .to_owned())
            .await;
        }
        for (kind, occasion, sent_at) in &action.reminders {
            run(Query::insert()
                .into_table(Alias::new("action_reminders"))
                .columns(["action_id", "kind", "occasion", "sent_at"].map(Alias::new))
                .values_panic([
                    action.id.into(),
                    kind.clone().into(),
                    occasion.clone().into(),
                    (*sent_at).into(),
                ])
                .to_owned())
            .await;
        }
    }
}

/// A writer's turn held open by a test, so that others queue behind it: `release` commits
/// (nothing) and lets the next writer begin.
#[derive(Debug)]
pub struct HeldWriteTurn(crate::WriteTransaction);

impl HeldWriteTurn {
    pub async fn release(self) {
        self.0.commit().await.expect("the held turn ends");
    }
}

/// Take a writer's turn and hold it until `release`.
pub async fn hold_write_turn(store: &Store) -> HeldWriteTurn {
    HeldWriteTurn(store.begin_write().await.expect("a writer's turn"))
}

/// What `read` returns, and the tables its statements named (after `FROM` or `JOIN`): the
/// store's tests check that a kept view's reads stay within its `ReadSet`. Run nothing else
/// against the store meanwhile.
pub async fn tables_read<T>(
    store: &Store,
    read: impl Future<Output = T>,
) -> (T, std::collections::BTreeSet<String>) {
    store.statements.record();
    let answer = read.await;
    let tables = store
        .statements
        .take()
        .iter()
        .flat_map(|sql| tables_named(sql))
        .collect();
    (answer, tables)
}

/// The quoted names after each `FROM` and `JOIN` of `sql` (SeaORM quotes every table).
fn tables_named(sql: &str) -> Vec<String> {
    let mut tables = Vec::new();
    for keyword in ["FROM \"", "JOIN \""] {
        for (at, _) in sql.match_indices(keyword) {
            let rest = &sql[at + keyword.len()..];
            if let Some(end) = rest.find('"') {
                tables.push(rest[..end].to_owned());
            }
        }
    }
    tables
}
