//! The Peer Challenge web front: the axum router, its middleware, thin handlers and the
//! GOV.UK Design System pages they render. Handlers parse, ask the policy, make one store
//! call and render; the use cases live in `services`.

mod assets;
mod clock;
mod components;
mod error;
mod extract;
mod forms;
mod middleware;
mod pages;
mod password_hashing;
mod proxies;
mod route;
pub mod routes;
mod visitor;

use std::sync::Arc;

use metrics_exporter_prometheus::PrometheusHandle;
use store::Store;

pub use clock::Clock;
pub use error::AppError;
pub use password_hashing::{HashPermit, PasswordHashing};
pub use routes::router;
pub use services::Settings;
// The pages reach the moved modules by their old paths, so each page's imports stay as they were.
use services::view_cache::ViewCache;
use services::{action_plans, composition, dates, report_files};

/// What every handler can reach. Cheap to clone.
#[derive(Clone, Debug)]
pub struct AppState {
    pub store: Store,
    /// Read models kept between requests until the data changes.
    pub views: Arc<ViewCache>,
    pub settings: Arc<Settings>,
    /// Signs form tokens; shared by every instance through the database.
    form_key: Arc<Vec<u8>>,
    metrics: PrometheusHandle,
    password_hashing: PasswordHashing,
    clock: Clock,
}

impl AppState {
    /// Build the state, fetching (or creating) the deployment's shared form-token key.
    pub async fn new(
        store: Store,
        settings: Settings,
        metrics: PrometheusHandle,
    ) -> Result<Self, store::StoreError> {
        let form_key = store
            .shared_key("form-token-key", chrono::Utc::now())
            .await?;
        let password_hashing = PasswordHashing::new(
            settings.password_hashes_at_once,
            std::time::Duration::from_millis(settings.password_hash_wait_ms),
        );
        Ok(Self {
            store,
            views: Arc::new(ViewCache::default()),
            settings: Arc::new(settings),
            form_key: Arc::new(form_key),
            metrics,
            password_hashing,
            clock: Clock::System,
        })
    }

    /// The store and the settings, as the use cases in `services` take them.
    pub fn scheme(&self) -> services::journey::Scheme<'_> {
        services::journey::Scheme {
            store: &self.store,
            settings: &self.settings,
        }
    }

    /// The same state reading time from `clock` (tests fix the date with it).
    pub fn with_clock(self, clock: Clock) -> Self {
        Self { clock, ..self }
    }

    /// The UK date today, by the state's clock: the one "today" every page uses.
    pub fn today(&self) -> chrono::NaiveDate {
        self.clock.today()
    }

    /// The one bound on password hashing that every sign-in and new password goes through.
    pub fn password_hashing(&self) -> &PasswordHashing {
        &self.password_hashing
    }
}
