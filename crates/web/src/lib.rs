//! The Peer Challenge web front: the axum router, its middleware, thin handlers and the
//! GOV.UK Design System pages they render. Handlers parse, ask the policy, make one store
//! call and render; everything else lives in `domain` and `store`.

mod action_plans;
mod assets;
pub mod challenge_emails;
mod clock;
mod components;
pub mod composition;
mod dates;
mod error;
mod forms;
pub mod mail;
mod middleware;
mod pages;
mod password_hashing;
mod proxies;
pub mod reminders;
pub mod report_files;
pub mod routes;
mod settings;
pub mod upkeep;
mod visitor;

use std::sync::Arc;

use metrics_exporter_prometheus::PrometheusHandle;
use store::Store;

pub use clock::Clock;
pub use error::AppError;
pub use password_hashing::{HashPermit, PasswordHashing};
pub use proxies::{IpNetwork, TrustedProxies};
pub use routes::router;
pub use settings::{
    ContactSettings, MailSettings, MailTransport, ReminderSettings, Secret, Settings, SmtpSecurity,
};

/// What every handler can reach. Cheap to clone.
#[derive(Clone, Debug)]
pub struct AppState {
    pub store: Store,
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
            settings: Arc::new(settings),
            form_key: Arc::new(form_key),
            metrics,
            password_hashing,
            clock: Clock::System,
        })
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
