//! The deployment's typed configuration. The binary fills it from a file and
//! `PEER_CHALLENGE_*` environment variables; nothing reads the environment at run time.

use std::fmt;
use std::num::NonZeroUsize;
use std::path::PathBuf;

use serde::Deserialize;

use crate::networks::TrustedProxies;

/// A value that must never reach a log: Debug prints a placeholder.
#[derive(Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(..)")
    }
}

/// The binary flattens this into its own configuration, so unknown keys are caught there.
#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// The address people reach the service at, used in links in emails.
    pub base_url: String,
    /// Mark cookies `Secure`. Turn off only for a plain-http local demo.
    pub secure_cookies: bool,
    /// Minutes of inactivity after which a session ends.
    pub session_idle_minutes: i64,
    /// Hours after sign-in after which a session ends regardless.
    pub session_absolute_hours: i64,
    /// Largest guidance document accepted, in bytes.
    pub guidance_max_bytes: usize,
    /// Largest pre-reading document a host may upload for a challenge, in bytes. Data packs
    /// run to many pages of charts, so this is larger than the guidance limit.
    pub pre_reading_max_bytes: usize,
    /// Origins other than the service's own allowed to post forms (rarely needed).
    pub trusted_origins: Vec<String>,
    /// Reverse proxies (addresses or CIDR networks) whose `X-Forwarded-For` names the client.
    /// Empty: the socket peer is the client, and the header is ignored.
    pub trusted_proxies: TrustedProxies,
    /// Password hashes computed at once. Each Argon2id hash holds 19 MiB while it runs, so
    /// this bounds the memory a crowd of sign-ins can take; by default one per core.
    pub password_hashes_at_once: NonZeroUsize,
    /// Milliseconds a sign-in (or a new password) waits for a turn to hash before the
    /// service says it is busy.
    pub password_hash_wait_ms: u64,
    /// Months declined and withdrawn applications, and members who left, are kept before
    /// the daily purge deletes them.
    pub retention_months: u32,
    /// Days after a challenge's reports are final that its working notes (evidence, comments
    /// on findings, the case sample) are deleted. Reports and action plans are kept.
    pub working_notes_days: u32,
    /// The most members of one authority on one team, so no single area dominates a
    /// challenge. The engine's diagnosis says when this is what stops a team forming.
    pub max_per_authority: u32,
    pub reminders: ReminderSettings,
    pub contact: ContactSettings,
    pub mail: MailSettings,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            base_url: "http://127.0.0.1:8080".into(),
            secure_cookies: true,
            session_idle_minutes: 60,
            session_absolute_hours: 12,
            guidance_max_bytes: 10 * 1024 * 1024,
            pre_reading_max_bytes: 20 * 1024 * 1024,
            trusted_origins: Vec::new(),
            trusted_proxies: TrustedProxies::default(),
            password_hashes_at_once: std::thread::available_parallelism()
                .unwrap_or(NonZeroUsize::MIN),
            password_hash_wait_ms: 5_000,
            retention_months: store::DEFAULT_RETENTION_MONTHS,
            working_notes_days: 90,
            max_per_authority: 2,
            reminders: ReminderSettings::default(),
            contact: ContactSettings::default(),
            mail: MailSettings::default(),
        }
    }
}

/// When the daily sweep reminds an area's LA leads about their actions: each reminder is
/// sent once for what it is about (a due date, a stretch without an update).
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct ReminderSettings {
    /// Remind this many days before an open action's due date (0: never).
    pub due_soon_days: u32,
    /// Remind when an open action is past its due date.
    pub overdue: bool,
    /// Remind when an open action has had no update for this many days (0: never).
    pub no_update_days: u32,
}

impl Default for ReminderSettings {
    fn default() -> Self {
        Self {
            due_soon_days: 14,
            overdue: true,
            no_update_days: 60,
        }
    }
}

impl Settings {
    pub fn session_policy(&self) -> store::SessionPolicy {
        store::SessionPolicy {
            idle_timeout: chrono::Duration::minutes(self.session_idle_minutes),
            absolute_timeout: chrono::Duration::hours(self.session_absolute_hours),
        }
    }

    /// An absolute link to `path` (which starts with `/`).
    pub fn link(&self, path: &str) -> String {
        format!("{}{path}", self.base_url.trim_end_matches('/'))
    }

    /// A calendar event's UID: `local` (stable for the life of what it names, so a calendar
    /// that receives it again updates the event rather than adding a copy) at this service's
    /// host name.
    pub fn calendar_uid(&self, local: &str) -> String {
        let host = self
            .base_url
            .split("://")
            .nth(1)
            .and_then(|rest| rest.split(['/', ':']).next())
            .filter(|host| !host.is_empty())
            .unwrap_or("peer-challenge");
        format!("{local}@{host}")
    }
}

/// Who the public contact page names.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ContactSettings {
    pub coordinator_name: String,
    pub coordinator_email: String,
    pub project_manager_name: String,
    pub project_manager_email: String,
}

impl Default for ContactSettings {
    fn default() -> Self {
        Self {
            coordinator_name: "Regional SEND co-ordinator".into(),
            coordinator_email: "send.coordinator@example.org".into(),
            project_manager_name: "SEND peer challenge project manager".into(),
            project_manager_email: "send.peerchallenge@example.org".into(),
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MailSettings {
    /// The From address, e.g. `Peer Challenge <no-reply@example.org>`.
    pub from: String,
    pub transport: MailTransport,
    /// Attempts before an email is marked failed.
    pub max_attempts: i32,
    /// Seconds between outbox sweeps.
    pub poll_seconds: u64,
}

impl Default for MailSettings {
    fn default() -> Self {
        Self {
            from: "Peer Challenge <no-reply@example.org>".into(),
            transport: MailTransport::Files {
                dir: PathBuf::from("data/outbox"),
            },
            max_attempts: 8,
            poll_seconds: 10,
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum MailTransport {
    /// Write each email as an `.eml` file: for the demo and for trying things out.
    Files { dir: PathBuf },
    /// Send through an SMTP relay.
    Smtp {
        host: String,
        port: u16,
        #[serde(default)]
        security: SmtpSecurity,
        #[serde(default)]
        username: Option<String>,
        #[serde(default)]
        password: Option<Secret>,
    },
}

#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum SmtpSecurity {
    /// Upgrade with STARTTLS (port 587): the usual choice.
    #[default]
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only for a relay on the same host or a test server.
    None,
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The settings the email snapshots are written with.
    pub(crate) fn example_settings() -> Settings {
        Settings {
            base_url: "https://peer-challenge.example".into(),
            ..Settings::default()
        }
    }

    #[test]
    fn a_calendar_uid_is_at_the_services_host() {
        let mut settings = example_settings();
        assert_eq!(
            settings.calendar_uid("training-1"),
            "training-1@peer-challenge.example"
        );
        settings.base_url = "http://localhost:8080/".into();
        assert_eq!(settings.calendar_uid("x"), "x@localhost");
        settings.base_url = "nonsense".into();
        assert_eq!(settings.calendar_uid("x"), "x@peer-challenge");
    }
}
