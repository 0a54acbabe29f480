//! Crash safety: the real server killed with SIGKILL in the middle of a write load, restarted,
//! and every write it had acknowledged still there, on a database that passes its integrity
//! check. PostgreSQL's own crash recovery is not ours to test (stopping the shared cluster
//! would stop everyone's tests); there the app server is what gets killed.

use std::time::Duration;

use crate::load::{Client, Load, Server, missing_titles};

const CYCLES: usize = 3;
const CLIENTS: usize = 4;

/// Run `CYCLES` rounds of load → kill -9 → restart, checking after each restart.
fn kill_during_writes(data_dir: &std::path::Path, database_url: Option<&str>, url: &str) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let mut server = Server::start(data_dir, database_url);
    let clients: Vec<Client> = (0..CLIENTS).map(|_| Client::sign_in(server.port)).collect();
    let mut acknowledged = Vec::new();
    let mut refusals = Vec::new();
    for cycle in 0..CYCLES {
        let load = Load::start(server.port, &clients, &format!("cycle {cycle}"));
        // A different moment in each cycle, so the kill lands at different points of a write.
        std::thread::sleep(Duration::from_millis(400 + 150 * cycle as u64));
        let port_before = server.port;
        server.kill_hard();
        let tally = load.finish_after_kill();
        assert!(
            !tally.acknowledged.is_empty(),
            "cycle {cycle}: the load wrote something before the kill ({tally:?})"
        );
        assert_eq!(
            tally.cut_off, CLIENTS,
            "cycle {cycle}: every writer wrote until the server died"
        );
        eprintln!(
            "cycle {cycle} (port {port_before}): {} acknowledged, {} refused {:?}, {} cut off",
            tally.acknowledged.len(),
            tally.refused.len(),
            tally.refused,
            tally.cut_off
        );
        acknowledged.extend(tally.acknowledged);
        refusals.extend(tally.refused);

        server = Server::start(data_dir, database_url);
        runtime.block_on(async {
            let store = store::Store::connect(url).await.expect("database");
            if store.backend() == store::Backend::Sqlite {
                assert_eq!(
                    store.integrity_problems().await.expect("checked"),
                    Vec::<String>::new(),
                    "cycle {cycle}: PRAGMA integrity_check and foreign_key_check"
                );
            }
            assert_eq!(
                missing_titles(&store, &acknowledged).await,
                Vec::<String>::new(),
                "cycle {cycle}: every acknowledged write survived the kill"
            );
            store.close().await.expect("close");
        });
    }
    // Every form the load sends is valid, and concurrent writers queue for the write lock:
    // any refusal (a 500 'database is locked' before write transactions began IMMEDIATE) is
    // a defect.
    assert_eq!(refusals, Vec::<u16>::new(), "writes refused under load");
    // The sessions signed in before the first kill still work after the last.
    let after = clients[0]
        .create_training_session(server.port, "after the last restart")
        .expect("answers");
    assert_eq!(after, 303);
}

#[test]
fn acknowledged_writes_survive_kill_9_on_sqlite() {
    let data = tempfile::tempdir().expect("data folder");
    let url = format!(
        "sqlite://{}?mode=rw",
        data.path().join("peer-challenge.db").display()
    );
    kill_during_writes(data.path(), None, &url);
}

#[test]
fn acknowledged_writes_survive_kill_9_of_the_app_on_postgres() {
    let data = tempfile::tempdir().expect("data folder");
    let url = tokio::runtime::Runtime::new()
        .expect("runtime")
        .block_on(store::test_support::fresh_postgres_database());
    kill_during_writes(data.path(), Some(&url), &url);
}
