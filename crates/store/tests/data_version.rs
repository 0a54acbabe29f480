//! The data version: every table but the untracked moves it, on both databases, and what
//! happens on every request (a session's last-seen time) or at a sign-in does not.

use domain::Role;
use store::{Backend, SessionPolicy, Store, store_test};

use crate::{at, coordinator, new_user, password, role};

store_test!(
    every_table_but_the_untracked_moves_the_data_version,
    |store: Store| async move {
        // SQLite sums the table versions; PostgreSQL keeps a counter of its own (m0020).
        let counter = match store.backend() {
            Backend::Sqlite => None,
            Backend::Postgres => Some("data_version"),
        };
        let untracked: Vec<&str> = ["audit_log"]
            .into_iter()
            .chain(counter)
            .chain([
                "rate_limits",
                "seaql_migrations",
                "sessions",
                "sign_in_throttle",
                "table_versions",
            ])
            .collect();
        assert_eq!(
            store.tables_without_data_version().await.expect("tables"),
            untracked,
            "a table a page can read must move the data version and its own: call \
             `m0020_sqlite_table_versions_only::track` for it in its migration"
        );
    }
);

store_test!(
    a_change_moves_the_data_version_and_a_sign_in_does_not,
    |store: Store| async move {
        let before = store.data_version().await.expect("version");
        let id = coordinator(&store).await;
        let created = store.data_version().await.expect("version");
        assert!(created > before, "a new account is a change");
        let policy = SessionPolicy::default();
        let token = store
            .start_session(id, policy, at(9, 0))
            .await
            .expect("session");
        assert_eq!(
            store.data_version().await.expect("version"),
            created,
            "signing in changes nothing a page keeps"
        );
        // Twenty minutes on, the lookup writes the session's last-seen time.
        store
            .session_principal(&token, policy, at(9, 20))
            .await
            .expect("lookup")
            .expect("live");
        assert_eq!(store.data_version().await.expect("version"), created);
    }
);

store_test!(
    writers_at_once_all_commit_and_move_the_data_version,
    |store: Store| async move {
        let before = store.data_version().await.expect("version");
        let hash = password("a long demo passphrase");
        let mut writers = tokio::task::JoinSet::new();
        for n in 0..8 {
            let (store, hash) = (store.clone(), hash.clone());
            writers.spawn(async move {
                let user = new_user(
                    &format!("writer{n}@example.org"),
                    vec![role(Role::Reviewer)],
                );
                store.ensure_user(&user, &hash, at(9, 0)).await
            });
        }
        for written in writers.join_all().await {
            written.expect("every writer commits: none waits on the counter for ever");
        }
        let after = store.data_version().await.expect("version");
        assert!(after > before, "{before:?} then {after:?}");
    }
);
