//! Commands and upkeep beside a running server on SQLite: the server's own upkeep at start,
//! and the `report` command run while clients write, both finish without "database is
//! locked" (a deferred transaction that read then wrote used to fail at once).

use std::time::Duration;

use crate::load::{Client, Load, Server};
use crate::peer_challenge;

fn sqlite_url(data_dir: &std::path::Path) -> String {
    format!(
        "sqlite://{}?mode=rw",
        data_dir.join("peer-challenge.db").display()
    )
}

/// Every upkeep job ran at start and succeeded, whatever else the server did meanwhile.
async fn upkeep_succeeded(url: &str) -> Result<(), String> {
    let store = store::Store::connect(url).await.expect("database");
    let jobs = store
        .upkeep_jobs(chrono::Utc::now())
        .await
        .expect("upkeep jobs");
    store.close().await.expect("close");
    let ran: Vec<_> = jobs
        .iter()
        .filter(|job| job.last_finished_at.is_some())
        .collect();
    if ran.len() < 3 {
        return Err(format!("not every job has run yet: {jobs:?}"));
    }
    match ran.iter().find(|job| job.failures_in_a_row > 0) {
        Some(failed) => Err(format!("a job failed: {failed:?}")),
        None => Ok(()),
    }
}

#[test]
fn upkeep_at_start_succeeds_restart_after_restart() {
    let data = tempfile::tempdir().expect("data folder");
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    for start in 0..4 {
        let server = Server::start(data.path(), None);
        let clients: Vec<Client> = (0..2).map(|_| Client::sign_in(server.port)).collect();
        let load = Load::start(server.port, &clients, &format!("start {start}"));
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        let outcome = loop {
            let outcome = runtime.block_on(upkeep_succeeded(&sqlite_url(data.path())));
            if outcome.is_ok() || std::time::Instant::now() > deadline {
                break outcome;
            }
            std::thread::sleep(Duration::from_millis(100));
        };
        let tally = load.finish();
        assert_eq!(outcome, Ok(()), "start {start}");
        assert!(tally.refused.is_empty(), "start {start}: {tally:?}");
        drop(server);
    }
}

#[test]
fn the_report_command_works_while_clients_write() {
    let data = tempfile::tempdir().expect("data folder");
    let server = Server::start(data.path(), None);
    let data_dir = data.path().to_str().expect("a UTF-8 path");
    let listed = peer_challenge(
        &[
            "challenges",
            "list",
            "--state",
            "closed",
            "--data-dir",
            data_dir,
        ],
        "",
    );
    let listing = String::from_utf8_lossy(&listed.stdout).into_owned();
    let challenge = listing
        .lines()
        .nth(1)
        .and_then(|line| line.split_whitespace().next())
        .unwrap_or_else(|| panic!("a closed demo challenge: {listing}"))
        .to_owned();
    let clients: Vec<Client> = (0..3).map(|_| Client::sign_in(server.port)).collect();
    let load = Load::start(server.port, &clients, "beside the report command");
    let reports: Vec<_> = (0..3)
        .map(|n| {
            let output = data.path().join(format!("report-{n}.pptx"));
            let challenge = challenge.clone();
            let data_dir = data_dir.to_owned();
            std::thread::spawn(move || {
                let made = peer_challenge(
                    &[
                        "report",
                        "--data-dir",
                        &data_dir,
                        "--challenge",
                        &challenge,
                        "--format",
                        "pptx",
                        "--output",
                        output.to_str().expect("a UTF-8 path"),
                    ],
                    "",
                );
                (made, output)
            })
        })
        .collect();
    for report in reports {
        let (made, output) = report.join().expect("the command ran");
        assert!(
            made.status.success(),
            "{}",
            String::from_utf8_lossy(&made.stderr)
        );
        assert!(std::fs::metadata(output).expect("written").len() > 1000);
    }
    let tally = load.finish();
    assert!(!tally.acknowledged.is_empty(), "the load wrote meanwhile");
    assert!(tally.refused.is_empty(), "{tally:?}");
    drop(server);
}
