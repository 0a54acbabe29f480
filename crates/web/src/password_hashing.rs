//! The bound on password hashes computed at once. Each Argon2id hash holds 19 MiB for its
//! whole run, so a crowd of sign-ins must queue for a few permits (about one per core) rather
//! than each take its own memory: without the bound, 200 sign-ins at once took 5 GB.
//!
//! Hashes run on as many dedicated threads as there are permits, not on tokio's blocking
//! pool: the allocator keeps a freed 19 MiB buffer in the arena of the thread that used it,
//! so hashing on whichever of the pool's many threads was free left a buffer in each of up to
//! 16 arenas (120 parallel sign-ins held 447 MB, a second crowd 619 MB). A fixed few threads
//! reuse their own few buffers.

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use domain::PasswordHash;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::AppError;

/// Shared by every request; cheap to clone.
#[derive(Clone, Debug)]
pub struct PasswordHashing {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    permits: Arc<Semaphore>,
    /// How long a request waits for a permit before it is told the service is busy.
    wait: Duration,
    running: AtomicUsize,
    /// The most hashes ever seen running at once: the bound, made observable.
    peak: AtomicUsize,
    /// Hashes finished since start.
    finished: AtomicUsize,
    /// Checked in place of a real hash when an email has none, so that an unknown email costs
    /// what a known one does (and says nothing by its speed).
    decoy: PasswordHash,
    /// Work for the hashing threads; they stop when the last clone of this value is dropped.
    hashers: Sender<Job>,
}

/// One hash or check, sending its answer back to the request that asked.
type Job = Box<dyn FnOnce() + Send>;

/// Start `count` threads that run hashing jobs one at a time each.
fn start_hashers(count: usize) -> Sender<Job> {
    let (jobs, queue) = channel::<Job>();
    let queue = Arc::new(Mutex::new(queue));
    for number in 0..count {
        let queue = queue.clone();
        let started = std::thread::Builder::new()
            .name(format!("password-hash-{number}"))
            .spawn(move || run_jobs(&queue));
        if let Err(error) = started {
            tracing::error!(%error, "could not start a password hashing thread");
        }
    }
    jobs
}

fn run_jobs(queue: &Mutex<Receiver<Job>>) {
    loop {
        let next = match queue.lock() {
            Ok(queue) => queue.recv(),
            Err(_) => return,
        };
        match next {
            Ok(job) => job(),
            Err(_) => return,
        }
    }
}

/// A turn to hash. Hashing holds it until the hash is done, even if the request is gone.
#[derive(Debug)]
pub struct HashPermit {
    _turn: OwnedSemaphorePermit,
}

impl PasswordHashing {
    /// Computes the decoy hash, so call it once at start-up rather than per request.
    pub fn new(at_once: NonZeroUsize, wait: Duration) -> Self {
        Self {
            inner: Arc::new(Inner {
                permits: Arc::new(Semaphore::new(at_once.get())),
                wait,
                running: AtomicUsize::new(0),
                peak: AtomicUsize::new(0),
                finished: AtomicUsize::new(0),
                decoy: PasswordHash::decoy(),
                hashers: start_hashers(at_once.get()),
            }),
        }
    }

    /// Wait (a bounded while) for a turn to hash.
    pub async fn permit(&self) -> Result<HashPermit, AppError> {
        let acquire = self.inner.permits.clone().acquire_owned();
        match tokio::time::timeout(self.inner.wait, acquire).await {
            Ok(Ok(permit)) => Ok(HashPermit { _turn: permit }),
            // Timed out, or (never here) the semaphore closed: either way, no turn now.
            Ok(Err(_)) | Err(_) => {
                metrics::counter!("password_hash_busy_total").increment(1);
                Err(AppError::Busy)
            }
        }
    }

    /// Run `work` (one hash or one check) on a hashing thread once a turn is free, so the
    /// async workers keep serving other pages meanwhile.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let permit = self.permit().await?;
        let inner = self.inner.clone();
        let (answer, answered) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let _turn = permit;
            let running = inner.running.fetch_add(1, Ordering::SeqCst) + 1;
            let peak = inner.peak.fetch_max(running, Ordering::SeqCst).max(running);
            metrics::gauge!("password_hashes_running").set(running as f64);
            metrics::gauge!("password_hashes_peak").set(peak as f64);
            let result = work();
            let running = inner.running.fetch_sub(1, Ordering::SeqCst) - 1;
            inner.finished.fetch_add(1, Ordering::SeqCst);
            metrics::gauge!("password_hashes_running").set(running as f64);
            metrics::counter!("password_hashes_total").increment(1);
            let _ = answer.send(result);
        });
        self.inner
            .hashers
            .send(job)
            .map_err(|_| AppError::Internal("the password hashing threads have stopped".into()))?;
        answered
            .await
            .map_err(|_| AppError::Internal("a password hash did not finish".into()))
    }

    /// Whether `attempt` matches `stored`, under a turn. Without a stored hash the decoy is
    /// checked instead and the answer is always no.
    pub async fn check(
        &self,
        stored: Option<PasswordHash>,
        attempt: String,
    ) -> Result<bool, AppError> {
        let decoy = self.inner.decoy.clone();
        self.run(move || match stored {
            Some(hash) => hash.matches(&attempt),
            None => {
                let _ = decoy.matches(&attempt);
                false
            }
        })
        .await
    }

    /// The most hashes that have run at once since start (also the `password_hashes_peak`
    /// gauge in `/metrics`).
    pub fn peak(&self) -> usize {
        self.inner.peak.load(Ordering::SeqCst)
    }

    /// Hashes finished since start (also `password_hashes_total`).
    pub fn finished(&self) -> usize {
        self.inner.finished.load(Ordering::SeqCst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bound(at_once: usize, wait_ms: u64) -> PasswordHashing {
        PasswordHashing::new(
            NonZeroUsize::new(at_once).unwrap_or(NonZeroUsize::MIN),
            Duration::from_millis(wait_ms),
        )
    }

    #[tokio::test]
    async fn a_request_waits_a_bounded_while_for_a_turn_then_is_told_busy() {
        let hashing = bound(1, 20);
        let held = hashing.permit().await;
        assert!(held.is_ok());
        assert!(matches!(hashing.run(|| ()).await, Err(AppError::Busy)));
        drop(held);
        assert!(
            hashing.run(|| ()).await.is_ok(),
            "free again once the turn ends"
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn never_more_hashes_at_once_than_the_bound() {
        let hashing = bound(2, 60_000);
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..16 {
            let hashing = hashing.clone();
            tasks.spawn(async move {
                hashing
                    .run(|| std::thread::sleep(Duration::from_millis(5)))
                    .await
            });
        }
        assert!(tasks.join_all().await.iter().all(Result::is_ok));
        // The bound is the invariant; how many overlapped below it depends on the machine's
        // load (a busy one may run them one after another).
        assert!(hashing.peak() <= 2, "{} hashes at once", hashing.peak());
        assert_eq!(hashing.finished(), 16);
    }

    #[tokio::test]
    async fn an_email_without_a_hash_never_matches_even_the_decoys_password() {
        let hashing = bound(1, 1_000);
        let before = hashing.finished();
        let matched = hashing.check(None, "anything at all".into()).await;
        assert!(matches!(matched, Ok(false)));
        assert_eq!(
            hashing.finished(),
            before + 1,
            "the decoy was really checked"
        );
    }
}
