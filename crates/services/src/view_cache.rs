//! Read models kept between requests for as long as the data under them is unchanged. The
//! pages people keep open (the board's progress, every dashboard) read many rows to show a
//! few figures, and nearly every request finds the data as the last one left it. A kept view
//! is keyed on what it was read for (the programme, the principal, the day) and on the data
//! version it was read at (`Store::data_version`, which every committed change moves, on every
//! instance): one single-row read tells whether it is still true. A view that reads only a few
//! tables (a challenge with its team and timetable, `ReadSet::Challenge`) is keyed on those
//! tables' version instead, so the evidence a team records during a visit leaves it kept.
//!
//! Keep a view only after authorising, or keep one that any principal may read and authorise
//! on it: the cache answers whoever asks with the same key.

use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use chrono::NaiveDate;
use domain::{AuthoritySlug, ChallengeId, Programme, UserId};
use store::{DataVersion, ReadSet, Store};

use crate::reads::Unreadable;

/// How many views are kept at most: enough for every signed-in person's dashboard and every
/// challenge under way in a region, few enough that the memory stays small (a view is a few
/// kilobytes).
const MOST_VIEWS: usize = 1024;

/// What a view was read for. Each kind holds one type of view.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum ViewKey {
    /// The region's next steps of a programme (or all) as on a day.
    RegionProgress {
        programme: Option<Programme>,
        today: NaiveDate,
    },
    /// An area's next steps of a programme (or all) as on a day.
    AreaProgress {
        area: AuthoritySlug,
        programme: Option<Programme>,
        today: NaiveDate,
    },
    /// A person's dashboard in one minute (the training list counts time waited).
    Dashboard {
        user: UserId,
        today: NaiveDate,
        minute: i64,
    },
    /// A challenge with its team, timetable and sampled cases.
    Challenge { id: ChallengeId },
}

impl ViewKey {
    /// The tables the view reads, when it reads only a few: it is then kept while other
    /// tables change. None for a view over the whole scheme's data.
    fn read_set(&self) -> Option<ReadSet> {
        match self {
            Self::Challenge { .. } => Some(ReadSet::Challenge),
            Self::RegionProgress { .. } | Self::AreaProgress { .. } | Self::Dashboard { .. } => {
                None
            }
        }
    }
}

/// The views kept, each with the version it was read at.
#[derive(Default)]
pub struct ViewCache {
    views: Mutex<HashMap<ViewKey, Kept>>,
}

struct Kept {
    version: DataVersion,
    view: Arc<dyn Any + Send + Sync>,
}

impl std::fmt::Debug for ViewCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ViewCache")
            .field("views", &self.lock().len())
            .finish()
    }
}

impl ViewCache {
    /// The view under `key` if one was read at the current version of what it reads, or else
    /// `load`'s answer, kept for the next request.
    pub(crate) async fn get_or_load<V>(
        &self,
        store: &Store,
        key: ViewKey,
        load: impl Future<Output = Result<V, Unreadable>>,
    ) -> Result<V, Unreadable>
    where
        V: Clone + Send + Sync + 'static,
    {
        Ok(self.get_or_load_at(store, key, load).await?.0)
    }

    /// As `get_or_load`, with the version the view is kept at: the view is at least as new.
    pub(crate) async fn get_or_load_at<V>(
        &self,
        store: &Store,
        key: ViewKey,
        load: impl Future<Output = Result<V, Unreadable>>,
    ) -> Result<(V, DataVersion), Unreadable>
    where
        V: Clone + Send + Sync + 'static,
    {
        let version = match key.read_set() {
            Some(set) => store.read_set_version(set).await?,
            None => store.data_version().await?,
        };
        if let Some(view) = self.kept(&key, version) {
            return Ok((view, version));
        }
        // Read after the version: what `load` sees is at least as new as the key says, so a
        // change made meanwhile can only make the kept view newer than its key, never older.
        let view = load.await?;
        self.keep(key, version, view.clone());
        Ok((view, version))
    }

    /// The view last kept under `key` and the version it is kept at, without asking the store
    /// whether that is still current: only for a write that checks the version itself in its
    /// own statement, and reads afresh (`get_or_load_at`) whenever it finds it has moved.
    pub(crate) fn last_kept<V: Clone + 'static>(&self, key: &ViewKey) -> Option<(V, DataVersion)> {
        let views = self.lock();
        let kept = views.get(key)?;
        Some((kept.view.downcast_ref::<V>().cloned()?, kept.version))
    }

    fn kept<V: Clone + 'static>(&self, key: &ViewKey, version: DataVersion) -> Option<V> {
        let views = self.lock();
        let kept = views.get(key).filter(|kept| kept.version == version)?;
        kept.view.downcast_ref::<V>().cloned()
    }

    fn keep<V: Send + Sync + 'static>(&self, key: ViewKey, version: DataVersion, view: V) {
        let mut views = self.lock();
        match views.get(&key) {
            // Another request has already read newer data: this view is not worth keeping.
            Some(kept) if kept.version > version => return,
            Some(_) => {}
            // Full: start again rather than track which views are least used.
            None if views.len() >= MOST_VIEWS => views.clear(),
            None => {}
        }
        let view = Arc::new(view);
        views.insert(key, Kept { version, view });
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<ViewKey, Kept>> {
        // A panic while holding the lock leaves at worst a view too many: still sound.
        self.views.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
