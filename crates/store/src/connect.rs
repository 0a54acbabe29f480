//! Opening the database with the settings each backend needs to be safe.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use async_trait::async_trait;
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    DbErr, ExecResult, QueryResult, SqliteTransactionMode, Statement, TransactionOptions,
    TransactionTrait,
};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::StoreError;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The statements a store sends: counted always (`Store::statements_run`); their SQL also kept
/// while a test records them (`test_support::tables_read`).
#[derive(Debug, Default)]
pub(crate) struct StatementLog {
    count: AtomicU64,
    recording: AtomicBool,
    recorded: Mutex<Vec<String>>,
}

impl StatementLog {
    fn sent(&self, sql: &str) {
        self.count.fetch_add(1, Ordering::Relaxed);
        if self.recording.load(Ordering::Relaxed) {
            self.recorded_sql().push(sql.to_owned());
        }
    }

    pub(crate) fn count(&self) -> u64 {
        self.count.load(Ordering::Relaxed)
    }

    /// Start keeping each statement's SQL, forgetting any kept before.
    #[cfg(feature = "test-support")]
    pub(crate) fn record(&self) {
        self.recorded_sql().clear();
        self.recording.store(true, Ordering::Relaxed);
    }

    /// Stop keeping SQL and hand over what was kept.
    #[cfg(feature = "test-support")]
    pub(crate) fn take(&self) -> Vec<String> {
        self.recording.store(false, Ordering::Relaxed);
        std::mem::take(&mut *self.recorded_sql())
    }

    fn recorded_sql(&self) -> std::sync::MutexGuard<'_, Vec<String>> {
        self.recorded.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Open the database: the pool every read (and PostgreSQL's writes) uses, and the queue every
/// write transaction takes its turn from.
pub(crate) async fn connect(
    url: &str,
    statements: Arc<StatementLog>,
) -> Result<(DatabaseConnection, WriteQueue, Backend), StoreError> {
    let (options, backend) = connect_options(url)?;
    let counted = |mut db: DatabaseConnection| {
        let statements = Arc::clone(&statements);
        db.set_metric_callback(move |info| statements.sent(&info.statement.sql));
        db
    };
    let writers = match backend {
        Backend::Sqlite => {
            let mut writer = options.clone();
            writer.max_connections(1).min_connections(1);
            WriteQueue::sqlite(counted(Database::connect(writer).await?))
        }
        Backend::Postgres => WriteQueue(None),
    };
    let db = counted(Database::connect(options).await?);
    Ok((db, writers, backend))
}

/// How long a pooled PostgreSQL connection may sit idle before it is checked on checkout: long
/// enough that a busy app never pays for the check, short of the minutes after which firewalls
/// and proxies drop quiet connections.
const POSTGRES_IDLE_BEFORE_CHECK: Duration = Duration::from_secs(30);

fn connect_options(url: &str) -> Result<(ConnectOptions, Backend), StoreError> {
    let backend = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Backend::Postgres
    } else if url.starts_with("sqlite:") {
        Backend::Sqlite
    } else {
        return Err(StoreError::Corrupt(
            "database URL must start with sqlite: or postgres://".into(),
        ));
    };
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .sqlx_logging(false)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10));
    match backend {
        Backend::Sqlite => {
            // One writer at a time is SQLite's nature; a busy timeout turns contention into
            // waiting rather than errors. FULL sync: a council's data survives a power cut.
            // No check on checkout: the database is a file in this process, so a pooled
            // connection cannot have been dropped, and the check (a round trip to the
            // connection's thread) cost every statement two thread switches.
            options
                .max_connections(8)
                .min_connections(1)
                .test_before_acquire(false)
                .map_sqlx_sqlite_opts(|opts| {
                    opts.journal_mode(SqliteJournalMode::Wal)
                        .synchronous(SqliteSynchronous::Full)
                        .foreign_keys(true)
                        .busy_timeout(Duration::from_secs(10))
                        .create_if_missing(true)
                });
        }
        Backend::Postgres => {
            options
                .max_connections(16)
                .min_connections(1)
                .test_before_acquire_if_idle_for(POSTGRES_IDLE_BEFORE_CHECK);
        }
    }
    Ok((options, backend))
}

/// Writers' turns on one SQLite database, in the order they asked, on one connection kept for
/// writing. SQLite lets one transaction write at a time; without this queue the others would
/// poll for the lock (SQLite's busy handler sleeps 1, 2, 5 … up to 100 ms between tries), so
/// under a burst of writes a writer could sleep through many turns and wait hundreds of
/// milliseconds while the lock sat free. The one connection keeps its page cache from one
/// write to the next (SQLite empties a connection's cache when another connection has written
/// since its last transaction; writers taking pooled connections in turn emptied it every time).
/// PostgreSQL needs no queue: its locks are per row and its waiters are woken. The busy timeout
/// still covers writers in other processes (a backup, the command line).
#[derive(Clone, Debug)]
pub(crate) struct WriteQueue(Option<SqliteWriter>);

#[derive(Clone, Debug)]
pub(crate) struct SqliteWriter {
    turn: Arc<Semaphore>,
    connection: DatabaseConnection,
}

impl WriteQueue {
    fn sqlite(connection: DatabaseConnection) -> Self {
        Self(Some(SqliteWriter {
            turn: Arc::new(Semaphore::new(1)),
            connection,
        }))
    }

    /// Wait for the turn to write and hand over the connection to write on: the one kept for
    /// writing on SQLite, `pool` on PostgreSQL. For work that manages its own transactions
    /// (the migrations); everything else writes through `WriteTransaction`.
    pub(crate) async fn turn<'a>(
        &'a self,
        pool: &'a DatabaseConnection,
    ) -> Result<(Option<OwnedSemaphorePermit>, &'a DatabaseConnection), DbErr> {
        match &self.0 {
            Some(writer) => Ok((
                Some(
                    Arc::clone(&writer.turn)
                        .acquire_owned()
                        .await
                        .map_err(|_| DbErr::Custom("the write queue is closed".into()))?,
                ),
                &writer.connection,
            )),
            None => Ok((None, pool)),
        }
    }

    /// Turn away writers still waiting, and close the writing connection.
    pub(crate) async fn close(self) -> Result<(), DbErr> {
        match self.0 {
            Some(writer) => {
                writer.turn.close();
                writer.connection.close().await
            }
            None => Ok(()),
        }
    }
}

/// A transaction that will write, holding its writer's turn (on SQLite) until it commits or is
/// dropped (and so rolled back). Every write transaction starts here (`Store::begin_write`).
#[derive(Debug)]
pub(crate) struct WriteTransaction {
    txn: DatabaseTransaction,
    _turn: Option<OwnedSemaphorePermit>,
}

impl WriteTransaction {
    /// Begin: wait for this process's turn to write, then, on SQLite, take the write lock at
    /// once (`BEGIN IMMEDIATE`): a deferred transaction that reads and then writes cannot wait
    /// for the lock (SQLite answers "database is locked" at once, whatever the busy timeout,
    /// because its snapshot may be stale), whereas one that asks first simply waits its turn.
    /// PostgreSQL ignores the mode and keeps its row-level locking.
    pub(crate) async fn begin(db: &DatabaseConnection, queue: &WriteQueue) -> Result<Self, DbErr> {
        let (turn, db) = queue.turn(db).await?;
        let txn = db
            .begin_with_options(TransactionOptions {
                sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                ..TransactionOptions::default()
            })
            .await?;
        Ok(Self { txn, _turn: turn })
    }

    /// Commit, then give the turn to the next writer.
    pub(crate) async fn commit(self) -> Result<(), DbErr> {
        self.txn.commit().await
    }
}

#[async_trait]
impl ConnectionTrait for WriteTransaction {
    fn get_database_backend(&self) -> DbBackend {
        self.txn.get_database_backend()
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        self.txn.execute_raw(stmt).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.txn.execute_unprepared(sql).await
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        self.txn.query_one_raw(stmt).await
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        self.txn.query_all_raw(stmt).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_connections_are_not_checked_on_checkout() {
        let (options, backend) =
            connect_options("sqlite:/tmp/peer-challenge.db").expect("a SQLite URL");
        assert_eq!(backend, Backend::Sqlite);
        assert!(!options.get_test_before_acquire());
        assert_eq!(options.get_test_before_acquire_if_idle_for(), None);
    }

    #[test]
    fn postgres_connections_are_checked_only_after_idling() {
        let (options, backend) =
            connect_options("postgres://peer@localhost/peer").expect("a PostgreSQL URL");
        assert_eq!(backend, Backend::Postgres);
        assert!(!options.get_test_before_acquire());
        assert_eq!(
            options.get_test_before_acquire_if_idle_for(),
            Some(POSTGRES_IDLE_BEFORE_CHECK)
        );
    }

    #[test]
    fn other_urls_are_refused() {
        assert!(connect_options("mysql://localhost/peer").is_err());
    }
}
