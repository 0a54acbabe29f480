//! Backups and restores: `peer-challenge backup` and `restore`, the data folder's lock that
//! keeps a restore away from a running server, and `take_scheduled` for a daily copy.
//!
//! A backup is only ever written under a temporary name and given its real name once it is
//! whole and on disk, so a file with a backup's name is always a complete backup.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, bail};
use clap::Args;
use store::Store;

use crate::Common;
use crate::config::{self, Config};

/// The SQLite database's file name inside the data folder.
pub const DATABASE_FILE: &str = "peer-challenge.db";
/// Held by a running server and by a restore, so neither starts under the other.
const LOCK_FILE: &str = "peer-challenge.lock";
/// Scheduled backups are `peer-challenge-<UTC time>.db`; the time sorts as text.
const SCHEDULED_PREFIX: &str = "peer-challenge-";
const SCHEDULED_SUFFIX: &str = ".db";

#[derive(Debug, Args)]
pub struct BackupArgs {
    #[command(flatten)]
    common: Common,
    /// The file to write; it must not exist yet. Without it, a timestamped file in the
    /// `backup.dir` setting's folder, keeping the newest `backup.keep`.
    #[arg(long)]
    output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    #[command(flatten)]
    common: Common,
    /// A backup written by `peer-challenge backup`.
    #[arg(long)]
    input: PathBuf,
}

/// An exclusive advisory lock on the data folder, released when dropped or when the process
/// dies (even by `kill -9`), so it never goes stale.
#[derive(Debug)]
pub struct DataDirLock {
    _file: File,
}

impl DataDirLock {
    pub fn acquire(data_dir: &Path) -> anyhow::Result<Self> {
        std::fs::create_dir_all(data_dir)
            .with_context(|| format!("creating the data folder {}", data_dir.display()))?;
        let path = data_dir.join(LOCK_FILE);
        let file = OpenOptions::new()
            .create(true)
            .write(true)
            .truncate(false)
            .open(&path)
            .with_context(|| format!("opening {}", path.display()))?;
        match file.try_lock() {
            Ok(()) => Ok(Self { _file: file }),
            Err(TryLockError::WouldBlock) => bail!(
                "the data folder {} is in use by a running peer-challenge server or restore",
                data_dir.display()
            ),
            Err(TryLockError::Error(error)) => {
                Err(error).with_context(|| format!("locking {}", path.display()))
            }
        }
    }
}

/// The lock a server on SQLite holds for as long as it runs; none on PostgreSQL, whose
/// instances share the database by design.
pub fn lock_for_server(config: &Config) -> anyhow::Result<Option<DataDirLock>> {
    match config.database_url {
        Some(_) => Ok(None),
        None => DataDirLock::acquire(&config.data_dir).map(Some),
    }
}

#[allow(clippy::print_stdout)]
pub async fn backup(args: BackupArgs) -> anyhow::Result<()> {
    let config = Config::load(&args.common, None)?;
    config::init_logging(&config);
    if let Some(url) = &config.database_url {
        let output = args
            .output
            .context("--output FILE is needed to back up PostgreSQL")?;
        return postgres::dump(url, &output).await;
    }
    let database = config.data_dir.join(DATABASE_FILE);
    if !database.is_file() {
        bail!("there is no database to back up at {}", database.display());
    }
    let started = Instant::now();
    let store = Store::connect(&sqlite_url(&database))
        .await
        .context("opening the database")?;
    let written = match (&args.output, &config.backup.dir) {
        (Some(output), _) => write_backup(&store, output).await.map(|()| output.clone()),
        (None, Some(dir)) => take_scheduled(&store, dir, config.backup.keep).await,
        (None, None) => Err(anyhow::anyhow!(
            "give --output FILE, or set backup.dir for timestamped backups"
        )),
    };
    let counts = store.content_counts().await;
    store.close().await?;
    let written = written?;
    let size = std::fs::metadata(&written)?.len();
    println!(
        "Backed up {} to {} ({size} bytes) in {:.2?}",
        counts.context("counting")?,
        written.display(),
        started.elapsed()
    );
    Ok(())
}

#[allow(clippy::print_stdout)]
pub async fn restore(args: RestoreArgs) -> anyhow::Result<()> {
    let config = Config::load(&args.common, None)?;
    config::init_logging(&config);
    if let Some(url) = &config.database_url {
        postgres::print_restore_command(url, &args.input)?;
        return Ok(());
    }
    let started = Instant::now();
    if !args.input.is_file() {
        bail!("there is no backup file at {}", args.input.display());
    }
    let dir = &config.data_dir;
    let _lock = DataDirLock::acquire(dir).context("stop the server before restoring")?;
    let database = dir.join(DATABASE_FILE);
    for file in database_files(&database) {
        if file.exists() {
            bail!(
                "{} already holds a database ({}): restore into an empty folder, or stop the \
                 server and move the old files aside first",
                dir.display(),
                file.display()
            );
        }
    }

    // Checked where it will live, under a name nothing opens, then renamed: the bytes that
    // passed the checks are the bytes the server finds, and a failed check leaves no
    // database behind.
    let staging = dir.join(format!("{DATABASE_FILE}.restoring"));
    remove_database_files(&staging)?;
    std::fs::copy(&args.input, &staging)
        .with_context(|| format!("copying {} to {}", args.input.display(), staging.display()))?;
    File::open(&staging)?.sync_all()?;
    if let Err(error) = check_backup(&staging).await {
        remove_database_files(&staging)?;
        return Err(error.context(format!("{} cannot be restored", args.input.display())));
    }
    std::fs::rename(&staging, &database)?;
    sync_folder(dir)?;

    let store = Store::open(&sqlite_url(&database))
        .await
        .context("opening the restored database")?;
    let counts = store.content_counts().await;
    store.close().await?;
    println!(
        "Restored {} into {}: {} (in {:.2?})",
        args.input.display(),
        database.display(),
        counts.context("counting")?,
        started.elapsed()
    );
    Ok(())
}

/// A copy of the database in `dir` named by the time now (UTC), then the oldest beyond
/// `keep` removed. Only files named as this function names them are counted or removed.
pub async fn take_scheduled(store: &Store, dir: &Path, keep: usize) -> anyhow::Result<PathBuf> {
    if keep == 0 {
        bail!("backup.keep must be at least 1");
    }
    std::fs::create_dir_all(dir)
        .with_context(|| format!("creating the backup folder {}", dir.display()))?;
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ");
    let path = dir.join(format!("{SCHEDULED_PREFIX}{stamp}{SCHEDULED_SUFFIX}"));
    write_backup(store, &path).await?;
    let mut scheduled: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| {
            path.file_name()
                .and_then(|name| name.to_str())
                .is_some_and(|name| {
                    name.starts_with(SCHEDULED_PREFIX) && name.ends_with(SCHEDULED_SUFFIX)
                })
        })
        .collect();
    scheduled.sort();
    let surplus = scheduled.len().saturating_sub(keep);
    for old in &scheduled[..surplus] {
        std::fs::remove_file(old).with_context(|| format!("removing {}", old.display()))?;
        tracing::info!(removed = %old.display(), "old backup removed");
    }
    Ok(path)
}

/// Write a consistent copy of `store`'s SQLite database to `output`, which must not exist.
pub async fn write_backup(store: &Store, output: &Path) -> anyhow::Result<()> {
    refuse_existing(output)?;
    let partial = partial_name(output)?;
    remove_database_files(&partial)?;
    if let Err(error) = store.backup_into(&partial).await {
        remove_database_files(&partial)?;
        return Err(error).context("copying the database");
    }
    File::open(&partial)?.sync_all()?;
    publish(&partial, output)
}

fn refuse_existing(output: &Path) -> anyhow::Result<()> {
    if output.symlink_metadata().is_ok() {
        bail!(
            "{} already exists: a backup never replaces another, choose a new name",
            output.display()
        );
    }
    Ok(())
}

/// `.<name>.partial-<pid>` beside `output`: same folder, so the rename is atomic; hidden and
/// oddly named, so nothing mistakes it for a backup.
fn partial_name(output: &Path) -> anyhow::Result<PathBuf> {
    let name = output
        .file_name()
        .and_then(|name| name.to_str())
        .with_context(|| format!("{} is not a file name", output.display()))?;
    Ok(output.with_file_name(format!(".{name}.partial-{}", std::process::id())))
}

/// Give the finished file its name. A hard link fails if the name was taken meanwhile, so a
/// backup that appeared while this one was written is never replaced.
fn publish(partial: &Path, output: &Path) -> anyhow::Result<()> {
    match std::fs::hard_link(partial, output) {
        Ok(()) => std::fs::remove_file(partial)?,
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
            std::fs::remove_file(partial)?;
            refuse_existing(output)?;
            return Err(error.into());
        }
        // Some file systems have no hard links; a rename right after the check is the best
        // they allow.
        Err(_) => {
            refuse_existing(output)?;
            std::fs::rename(partial, output)?;
        }
    }
    sync_folder(output.parent().unwrap_or(Path::new(".")))
}

/// Make a rename durable: on Unix, the folder's entry is only on disk once the folder is
/// synced.
fn sync_folder(dir: &Path) -> anyhow::Result<()> {
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    #[cfg(unix)]
    File::open(dir)
        .and_then(|folder| folder.sync_all())
        .with_context(|| format!("syncing {}", dir.display()))?;
    Ok(())
}

async fn check_backup(path: &Path) -> anyhow::Result<()> {
    let store = Store::connect(&sqlite_url(path))
        .await
        .context("not an SQLite database")?;
    let problems = store.integrity_problems().await;
    store.close().await?;
    let problems = problems.context("not an SQLite database")?;
    if !problems.is_empty() {
        let shown: Vec<&str> = problems.iter().take(10).map(String::as_str).collect();
        bail!(
            "the integrity check found {} problems:\n  {}",
            problems.len(),
            shown.join("\n  ")
        );
    }
    Ok(())
}

/// The database file and the two SQLite keeps beside it while it is open.
fn database_files(database: &Path) -> [PathBuf; 3] {
    let with = |suffix: &str| {
        let mut name = database.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    };
    [database.to_path_buf(), with("-wal"), with("-shm")]
}

fn remove_database_files(database: &Path) -> anyhow::Result<()> {
    for file in database_files(database) {
        match std::fs::remove_file(&file) {
            Ok(()) => {}
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => {
                return Err(error).with_context(|| format!("removing {}", file.display()));
            }
        }
    }
    Ok(())
}

fn sqlite_url(database: &Path) -> String {
    format!("sqlite://{}?mode=rw", database.display())
}

/// PostgreSQL's own tools do its backups. The password never appears in what is printed or
/// logged: it goes to `pg_dump` in `PGPASSWORD`, and commands are shown without it.
mod postgres {
    use std::path::Path;

    use anyhow::{Context, bail};

    /// A connection URL split into the part safe to print and the password.
    pub(super) struct Target {
        pub(super) printable_url: String,
        pub(super) password: Option<String>,
    }

    impl Target {
        pub(super) fn parse(url: &str) -> anyhow::Result<Self> {
            // Never echo `url` in an error: it holds the password.
            let mut parsed = url::Url::parse(url)
                .map_err(|_| anyhow::anyhow!("the database URL is not a valid URL"))?;
            let password = parsed.password().map(|encoded| {
                percent_encoding::percent_decode_str(encoded)
                    .decode_utf8_lossy()
                    .into_owned()
            });
            if parsed.set_password(None).is_err() {
                bail!("the database URL has no host");
            }
            let kept: Vec<(String, String)> = parsed
                .query_pairs()
                .filter(|(key, _)| key != "password")
                .map(|(key, value)| (key.into_owned(), value.into_owned()))
                .collect();
            if kept.is_empty() {
                parsed.set_query(None);
            } else {
                parsed.query_pairs_mut().clear().extend_pairs(kept);
            }
            Ok(Self {
                printable_url: parsed.to_string(),
                password,
            })
        }
    }

    /// Quote for a POSIX shell, so the printed command can be pasted as it is.
    pub(super) fn shell_quote(text: &str) -> String {
        if !text.is_empty()
            && text
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_./=:@".contains(c))
        {
            text.to_owned()
        } else {
            format!("'{}'", text.replace('\'', "'\\''"))
        }
    }

    fn quoted_path(path: &Path) -> String {
        shell_quote(&path.display().to_string())
    }

    #[allow(clippy::print_stdout)]
    pub(super) async fn dump(url: &str, output: &Path) -> anyhow::Result<()> {
        let target = Target::parse(url)?;
        super::refuse_existing(output)?;
        let password_hint = if target.password.is_some() {
            "PGPASSWORD=<the password> "
        } else {
            ""
        };
        let found = tokio::process::Command::new("pg_dump")
            .arg("--version")
            .output()
            .await
            .is_ok_and(|ran| ran.status.success());
        if !found {
            println!("pg_dump is not on PATH. To back up this database, run:");
            println!(
                "  {password_hint}pg_dump --format=custom --file={} --dbname={}",
                quoted_path(output),
                shell_quote(&target.printable_url)
            );
            bail!("pg_dump is not on PATH: no backup was taken");
        }
        let started = std::time::Instant::now();
        let partial = super::partial_name(output)?;
        let mut command = tokio::process::Command::new("pg_dump");
        command
            .arg("--format=custom")
            .arg(format!("--file={}", partial.display()))
            .arg(format!("--dbname={}", target.printable_url));
        if let Some(password) = &target.password {
            command.env("PGPASSWORD", password);
        }
        tracing::info!(
            command = %format!(
                "pg_dump --format=custom --file={} --dbname={}",
                quoted_path(&partial),
                shell_quote(&target.printable_url)
            ),
            "backing up PostgreSQL"
        );
        let ran = command.status().await.context("running pg_dump")?;
        if !ran.success() {
            let _ = std::fs::remove_file(&partial);
            bail!("pg_dump failed ({ran}); no backup was taken");
        }
        std::fs::File::open(&partial)?.sync_all()?;
        super::publish(&partial, output)?;
        let size = std::fs::metadata(output)?.len();
        println!(
            "Backed up {} with pg_dump to {} ({size} bytes) in {:.2?}",
            target.printable_url,
            output.display(),
            started.elapsed()
        );
        Ok(())
    }

    #[allow(clippy::print_stdout)]
    pub(super) fn print_restore_command(url: &str, input: &Path) -> anyhow::Result<()> {
        let target = Target::parse(url)?;
        let password_hint = if target.password.is_some() {
            "PGPASSWORD=<the password> "
        } else {
            ""
        };
        // The URL names the target, as --data-dir does for SQLite: a new, empty database.
        println!(
            "PostgreSQL is restored with its own tool. Into the empty database this URL names \
             (create it first with createdb), run:"
        );
        println!(
            "  {password_hint}pg_restore --exit-on-error --no-owner --dbname={} {}",
            shell_quote(&target.printable_url),
            quoted_path(input)
        );
        println!("then run `peer-challenge migrate` against it before starting the servers.");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn a_store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().expect("folder");
        let store = Store::open(&format!(
            "sqlite://{}?mode=rwc",
            dir.path().join(DATABASE_FILE).display()
        ))
        .await
        .expect("store");
        (dir, store)
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .expect("read")
            .map(|entry| {
                entry
                    .expect("entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        names.sort();
        names
    }

    #[tokio::test]
    async fn scheduled_backups_are_timestamped_and_only_the_newest_kept() {
        let (_data, store) = a_store().await;
        let backups = tempfile::tempdir().expect("folder");
        let dir = backups.path().join("nightly");
        // Someone else's file in the folder is neither counted nor removed.
        std::fs::create_dir_all(&dir).expect("folder");
        std::fs::write(dir.join("notes.txt"), "keep me").expect("write");

        let mut taken = Vec::new();
        for _ in 0..4 {
            taken.push(take_scheduled(&store, &dir, 2).await.expect("backup"));
            // Names carry milliseconds; two backups in one millisecond would collide.
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        let expected: Vec<String> = ["notes.txt".to_owned()]
            .into_iter()
            .chain(taken[2..].iter().map(|path| {
                path.file_name()
                    .expect("name")
                    .to_string_lossy()
                    .into_owned()
            }))
            .collect();
        assert_eq!(names(&dir), expected, "the stranger and the two newest");
        let name = expected[1].as_str();
        assert!(
            name.starts_with("peer-challenge-20") && name.ends_with("Z.db"),
            "{name}"
        );
        let stamp = &name["peer-challenge-".len()..name.len() - ".db".len()];
        assert!(
            chrono::NaiveDateTime::parse_from_str(stamp, "%Y%m%dT%H%M%S%.3fZ").is_ok(),
            "{stamp} is a UTC timestamp"
        );

        let copy = Store::open(&sqlite_url(&taken[3])).await.expect("opens");
        assert!(copy.integrity_problems().await.expect("checked").is_empty());
        copy.close().await.expect("close");

        assert!(take_scheduled(&store, &dir, 0).await.is_err());
        store.close().await.expect("close");
    }

    #[tokio::test]
    async fn a_backup_never_replaces_a_file_and_leaves_no_partial_behind() {
        let (data, store) = a_store().await;
        let output = data.path().join("backup.db");
        std::fs::write(&output, "an older backup").expect("write");
        let refused = write_backup(&store, &output).await;
        assert!(
            refused.is_err_and(|error| error.to_string().contains("already exists")),
            "refused"
        );
        assert_eq!(
            std::fs::read_to_string(&output).expect("read"),
            "an older backup"
        );

        let missing_folder = data.path().join("no such folder/backup.db");
        assert!(write_backup(&store, &missing_folder).await.is_err());
        let fresh = data.path().join("fresh.db");
        write_backup(&store, &fresh).await.expect("backup");
        assert!(
            names(data.path())
                .iter()
                .all(|name| !name.contains("partial")),
            "{:?}",
            names(data.path())
        );
        store.close().await.expect("close");
    }

    #[test]
    fn a_postgres_url_is_printed_without_its_password() {
        let target = postgres::Target::parse(
            "postgres://app:s%40cret@db.example.org:5433/peer?sslmode=require&password=other",
        )
        .expect("parses");
        assert_eq!(target.password.as_deref(), Some("s@cret"));
        assert_eq!(
            target.printable_url,
            "postgres://app@db.example.org:5433/peer?sslmode=require"
        );
        let plain = postgres::Target::parse("postgres://app@localhost/peer").expect("parses");
        assert_eq!(plain.password, None);
        assert_eq!(plain.printable_url, "postgres://app@localhost/peer");
        let bad = postgres::Target::parse("postgres://app:hunter2@[bad/peer");
        assert!(bad.is_err_and(|error| !error.to_string().contains("hunter2")));
        assert_eq!(
            postgres::shell_quote("it's here.dump"),
            "'it'\\''s here.dump'"
        );
    }

    #[test]
    fn a_second_lock_on_one_data_folder_is_refused_until_the_first_ends() {
        let dir = tempfile::tempdir().expect("folder");
        let first = DataDirLock::acquire(dir.path()).expect("lock");
        let second = DataDirLock::acquire(dir.path());
        assert!(second.is_err_and(|error| error.to_string().contains("in use")));
        drop(first);
        DataDirLock::acquire(dir.path()).expect("free again");
    }
}
