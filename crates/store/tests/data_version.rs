//! The data version: every table but the untracked moves it, on both databases, and what
//! happens on every request (a session's last-seen time) or at a sign-in does not.

use chrono::Duration;
use store::{SessionPolicy, Store, store_test};

use crate::{at, coordinator};

store_test!(
    every_table_but_the_untracked_moves_the_data_version,
    |store: Store| async move {
        assert_eq!(
            store.tables_without_data_version().await.expect("tables"),
            [
                "audit_log",
                "data_version",
                "rate_limits",
                "seaql_migrations",
                "sessions",
                "sign_in_throttle"
            ],
            "a table a page can read must move the data version: call `track` for it in its migration"
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
        let policy = SessionPolicy {
            idle_timeout: Duration::minutes(30),
            absolute_timeout: Duration::hours(2),
        };
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
