//! `backup` and `restore` as an operator runs them: on a quiet database, under a write load,
//! into folders they must refuse, and on PostgreSQL through pg_dump.

use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

use crate::load::{Client, Load, Server, missing_titles};
use crate::peer_challenge;

fn path(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}

fn printed(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn sqlite_store(data_dir: &Path) -> String {
    format!(
        "sqlite://{}?mode=rw",
        data_dir.join("peer-challenge.db").display()
    )
}

#[test]
fn backup_and_restore_refuse_what_would_lose_data() {
    let root = tempfile::tempdir().expect("folder");
    let data = root.path().join("data");
    let migrated = peer_challenge(&["migrate", "--data-dir", path(&data)], "");
    assert!(migrated.status.success(), "{}", printed(&migrated));
    let created = peer_challenge(
        &[
            "create-user",
            "--data-dir",
            path(&data),
            "--email",
            "board@example.org",
            "--name",
            "Board Member",
            "--role",
            "board",
        ],
        "a long enough passphrase\n",
    );
    assert!(created.status.success(), "{}", printed(&created));

    let backup = root.path().join("backup.db");
    let taken = peer_challenge(
        &[
            "backup",
            "--data-dir",
            path(&data),
            "--output",
            path(&backup),
        ],
        "",
    );
    assert!(taken.status.success(), "{}", printed(&taken));
    assert!(printed(&taken).contains("1 users"), "{}", printed(&taken));
    let bytes = std::fs::read(&backup).expect("the backup");
    assert!(bytes.starts_with(b"SQLite format 3\0"));

    let again = peer_challenge(
        &[
            "backup",
            "--data-dir",
            path(&data),
            "--output",
            path(&backup),
        ],
        "",
    );
    assert!(!again.status.success());
    assert!(
        printed(&again).contains("already exists"),
        "{}",
        printed(&again)
    );
    assert_eq!(std::fs::read(&backup).expect("still there"), bytes);

    let nowhere = peer_challenge(&["backup", "--data-dir", path(&data)], "");
    assert!(!nowhere.status.success());
    assert!(
        printed(&nowhere).contains("backup.dir"),
        "{}",
        printed(&nowhere)
    );
    let nightly = root.path().join("nightly");
    let scheduled = Command::new(env!("CARGO_BIN_EXE_peer-challenge"))
        .args(["backup", "--data-dir", path(&data)])
        .env("PEER_CHALLENGE_LOG", "warn")
        .env("PEER_CHALLENGE_BACKUP__DIR", &nightly)
        .env("PEER_CHALLENGE_BACKUP__KEEP", "1")
        .output()
        .expect("runs");
    assert!(scheduled.status.success(), "{}", printed(&scheduled));
    let files: Vec<_> = std::fs::read_dir(&nightly).expect("folder").collect();
    assert_eq!(files.len(), 1);

    let refused = peer_challenge(
        &[
            "restore",
            "--input",
            path(&backup),
            "--data-dir",
            path(&data),
        ],
        "",
    );
    assert!(!refused.status.success(), "never over a database");
    assert!(
        printed(&refused).contains("already holds a database"),
        "{}",
        printed(&refused)
    );

    let garbage = root.path().join("garbage.db");
    std::fs::write(
        &garbage,
        b"SQLite format 3\0 and then nothing that makes sense",
    )
    .expect("write");
    let fresh = root.path().join("from-garbage");
    let refused = peer_challenge(
        &[
            "restore",
            "--input",
            path(&garbage),
            "--data-dir",
            path(&fresh),
        ],
        "",
    );
    assert!(!refused.status.success());
    assert!(
        printed(&refused).contains("cannot be restored"),
        "{}",
        printed(&refused)
    );
    assert!(
        !fresh.join("peer-challenge.db").exists(),
        "a refused restore leaves no database"
    );

    let restored_dir = root.path().join("restored");
    let restored = peer_challenge(
        &[
            "restore",
            "--input",
            path(&backup),
            "--data-dir",
            path(&restored_dir),
        ],
        "",
    );
    assert!(restored.status.success(), "{}", printed(&restored));
    let said = String::from_utf8_lossy(&restored.stdout);
    assert!(said.contains("1 users, 0 challenges, 0 actions"), "{said}");
    let listed = peer_challenge(
        &["challenges", "list", "--data-dir", path(&restored_dir)],
        "",
    );
    assert!(
        listed.status.success(),
        "the restored folder serves commands"
    );
}

/// A backup taken while clients write holds every write acknowledged before it began, and
/// restores into a fresh folder; a restore into the running server's folder is refused.
#[test]
fn a_backup_under_write_load_restores_every_write_acknowledged_before_it() {
    let root = tempfile::tempdir().expect("folder");
    let data = root.path().join("live");
    let server = Server::start(&data, None);
    let clients: Vec<Client> = (0..3).map(|_| Client::sign_in(server.port)).collect();
    let load = Load::start(server.port, &clients, "before and during the backup");
    std::thread::sleep(Duration::from_millis(400));
    let before_backup = load.acknowledged_so_far();
    let backup = root.path().join("under-load.db");
    let taken = peer_challenge(
        &[
            "backup",
            "--data-dir",
            path(&data),
            "--output",
            path(&backup),
        ],
        "",
    );
    let acknowledged_during = load.acknowledged_so_far().len();
    std::thread::sleep(Duration::from_millis(200));
    let tally = load.finish();
    assert!(taken.status.success(), "{}", printed(&taken));
    assert!(!before_backup.is_empty(), "writes before the backup");
    assert!(
        tally.acknowledged.len() > acknowledged_during,
        "writes carried on after the backup: {tally:?}"
    );

    let in_use = peer_challenge(
        &[
            "restore",
            "--input",
            path(&backup),
            "--data-dir",
            path(&data),
        ],
        "",
    );
    assert!(!in_use.status.success());
    assert!(printed(&in_use).contains("in use"), "{}", printed(&in_use));
    drop(server);

    let fresh = root.path().join("restored");
    let restored = peer_challenge(
        &[
            "restore",
            "--input",
            path(&backup),
            "--data-dir",
            path(&fresh),
        ],
        "",
    );
    assert!(restored.status.success(), "{}", printed(&restored));
    tokio::runtime::Runtime::new()
        .expect("runtime")
        .block_on(async {
            let store = store::Store::connect(&sqlite_store(&fresh))
                .await
                .expect("the restored database");
            assert!(
                store
                    .integrity_problems()
                    .await
                    .expect("checked")
                    .is_empty()
            );
            assert_eq!(
                missing_titles(&store, &before_backup).await,
                Vec::<String>::new()
            );
            store.close().await.expect("close");
        });
}

/// On PostgreSQL the backup is pg_dump's custom format, which pg_restore reads back into an
/// empty database; without pg_dump the command is printed. The password never is.
#[test]
fn postgres_backups_use_pg_dump_and_never_show_the_password() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let url = runtime.block_on(store::test_support::fresh_postgres_database());
    let (_, credentials) = url.split_once("://").expect("a URL");
    let (user_and_password, _) = credentials.split_once('@').expect("credentials");
    let password = user_and_password
        .split_once(':')
        .expect("a password")
        .1
        .to_owned();
    let password_part = format!(":{password}@");
    let migrated = peer_challenge(&["migrate", "--database-url", &url], "");
    assert!(migrated.status.success(), "{}", printed(&migrated));
    let created = peer_challenge(
        &[
            "create-user",
            "--database-url",
            &url,
            "--email",
            "board@example.org",
            "--name",
            "Board Member",
            "--role",
            "board",
        ],
        "a long enough passphrase\n",
    );
    assert!(created.status.success(), "{}", printed(&created));

    let root = tempfile::tempdir().expect("folder");
    let dump = root.path().join("peer-challenge.dump");
    let taken = Command::new(env!("CARGO_BIN_EXE_peer-challenge"))
        .args(["backup", "--database-url", &url, "--output", path(&dump)])
        .env("PEER_CHALLENGE_LOG", "info")
        .output()
        .expect("runs");
    assert!(taken.status.success(), "{}", printed(&taken));
    assert!(
        !printed(&taken).contains(&password_part),
        "{}",
        printed(&taken)
    );
    let bytes = std::fs::read(&dump).expect("the dump");
    assert!(bytes.starts_with(b"PGDMP"), "pg_dump's custom format");

    let no_tools = root.path().join("empty-path");
    std::fs::create_dir(&no_tools).expect("folder");
    let printed_only = Command::new(env!("CARGO_BIN_EXE_peer-challenge"))
        .args(["backup", "--database-url", &url, "--output"])
        .arg(root.path().join("other.dump"))
        .env("PATH", &no_tools)
        .env("PEER_CHALLENGE_LOG", "info")
        .output()
        .expect("runs");
    assert!(!printed_only.status.success(), "no backup, so no success");
    let said = printed(&printed_only);
    assert!(said.contains("pg_dump --format=custom --file="), "{said}");
    assert!(!said.contains(&password_part), "{said}");

    let restore = peer_challenge(
        &["restore", "--database-url", &url, "--input", path(&dump)],
        "",
    );
    assert!(restore.status.success(), "{}", printed(&restore));
    let said = printed(&restore);
    assert!(
        said.contains("pg_restore --exit-on-error --no-owner --dbname="),
        "{said}"
    );
    assert!(!said.contains(&password_part), "{said}");

    // The drill: the dump goes into an empty database and the service opens it.
    let target = runtime.block_on(store::test_support::fresh_postgres_database());
    let without_password = target.replace(&password_part, "@");
    let status = Command::new("pg_restore")
        .args(["--exit-on-error", "--no-owner"])
        .arg(format!("--dbname={without_password}"))
        .arg(&dump)
        .env("PGPASSWORD", &password)
        .status()
        .expect("pg_restore runs");
    assert!(status.success());
    runtime.block_on(async {
        let store = store::Store::open(&target)
            .await
            .expect("the restored database");
        let original = store::Store::connect(&url).await.expect("the original");
        assert_eq!(store.content_counts().await.expect("counts").users, 1);
        assert_eq!(
            store.content_counts().await.expect("counts"),
            original.content_counts().await.expect("counts")
        );
        store.close().await.ok();
        original.close().await.ok();
    });
}

/// With `backup.dir` set, the server backs up by itself as soon as it starts (then daily).
#[test]
fn the_server_takes_its_scheduled_backup_at_start() {
    let root = tempfile::tempdir().expect("folder");
    let nightly = root.path().join("nightly");
    let server = Server::start_with(
        &root.path().join("live"),
        None,
        &[("PEER_CHALLENGE_BACKUP__DIR", &nightly)],
    );
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    let backups = loop {
        let backups: Vec<_> = std::fs::read_dir(&nightly)
            .map(|entries| {
                entries
                    .filter_map(|entry| entry.ok().map(|entry| entry.file_name()))
                    .filter(|name| name.to_string_lossy().ends_with(".db"))
                    .filter(|name| !name.to_string_lossy().starts_with('.'))
                    .collect()
            })
            .unwrap_or_default();
        if !backups.is_empty() || std::time::Instant::now() > deadline {
            break backups;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    drop(server);
    assert_eq!(backups.len(), 1, "one scheduled backup: {backups:?}");
}
