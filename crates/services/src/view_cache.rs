//! Read models kept between requests for as long as the data under them is unchanged. The
//! pages people keep open (the board's progress, every dashboard) read many rows to show a
//! few figures, and nearly every request finds the data as the last one left it. A kept view
//! is keyed on what it was read for (the programme, the principal, the day) and on the data
//! version it was read at (`Store::data_version`, which every committed change moves, on every
//! instance): one single-row read tells whether it is still true.
//!
//! Keep a view only after authorising: the cache answers whoever asks with the same key.

use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use chrono::NaiveDate;
use domain::{AuthoritySlug, Programme, UserId};
use store::{DataVersion, Store};

use crate::reads::Unreadable;

/// How many views one generation keeps at most: enough for every signed-in person's dashboard
/// in a region, few enough that the memory stays small (a view is a few kilobytes).
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
}

/// The views read at the newest data version seen.
#[derive(Default)]
pub struct ViewCache {
    generation: Mutex<Generation>,
}

#[derive(Default)]
struct Generation {
    version: Option<DataVersion>,
    views: HashMap<ViewKey, Arc<dyn Any + Send + Sync>>,
}

impl std::fmt::Debug for ViewCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let generation = self.lock();
        f.debug_struct("ViewCache")
            .field("version", &generation.version)
            .field("views", &generation.views.len())
            .finish()
    }
}

impl ViewCache {
    /// The view under `key` if one was read at the current data version, or else `load`'s
    /// answer, kept for the next request.
    pub(crate) async fn get_or_load<V>(
        &self,
        store: &Store,
        key: ViewKey,
        load: impl Future<Output = Result<V, Unreadable>>,
    ) -> Result<V, Unreadable>
    where
        V: Clone + Send + Sync + 'static,
    {
        let version = store.data_version().await?;
        if let Some(view) = self.kept(&key, version) {
            return Ok(view);
        }
        // Read after the version: what `load` sees is at least as new as the key says, so a
        // change made meanwhile can only make the kept view newer than its key, never older.
        let view = load.await?;
        self.keep(key, version, view.clone());
        Ok(view)
    }

    fn kept<V: Clone + 'static>(&self, key: &ViewKey, version: DataVersion) -> Option<V> {
        let generation = self.lock();
        if generation.version != Some(version) {
            return None;
        }
        generation.views.get(key)?.downcast_ref::<V>().cloned()
    }

    fn keep<V: Send + Sync + 'static>(&self, key: ViewKey, version: DataVersion, view: V) {
        let mut generation = self.lock();
        match generation.version {
            // Another request has already read newer data: this view is not worth keeping.
            Some(current) if current > version => return,
            Some(current) if current == version => {}
            _ => {
                generation.version = Some(version);
                generation.views.clear();
            }
        }
        if generation.views.len() >= MOST_VIEWS {
            generation.views.clear();
        }
        generation.views.insert(key, Arc::new(view));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Generation> {
        // A panic while holding the lock leaves at worst a view too many: still sound.
        self.generation
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}
