//! Configuration: defaults, then a TOML file, then `PEER_CHALLENGE_*` environment
//! variables, then command-line flags. Loaded once into one typed value.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
use services::{MailTransport, Settings};

use crate::Common;

#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Config {
    /// A PostgreSQL URL; without one, SQLite under `data_dir`.
    #[serde(default)]
    pub database_url: Option<String>,
    #[serde(default = "default_data_dir")]
    pub data_dir: PathBuf,
    #[serde(default = "default_addr")]
    pub addr: SocketAddr,
    #[serde(default)]
    pub log_format: LogFormat,
    /// `[backup]`: where timestamped copies of the SQLite database go, and how many to keep.
    #[serde(default)]
    pub backup: BackupSettings,
    #[serde(flatten)]
    pub web: Settings,
}

/// Timestamped backups of the SQLite database. Off until `dir` is set (`backup.dir` in the
/// file, `PEER_CHALLENGE_BACKUP__DIR` in the environment).
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct BackupSettings {
    /// The folder for `peer-challenge-<UTC time>.db` files; none means no scheduled backups.
    pub dir: Option<PathBuf>,
    /// How many of those files to keep; the oldest beyond this are deleted.
    pub keep: usize,
}

impl Default for BackupSettings {
    fn default() -> Self {
        Self { dir: None, keep: 7 }
    }
}

fn default_data_dir() -> PathBuf {
    PathBuf::from("data")
}

fn default_addr() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 8080))
}

/// Command-line values, merged last so they win.
#[derive(Serialize)]
struct Overrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    data_dir: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    database_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    addr: Option<SocketAddr>,
}

impl Config {
    pub fn load(common: &Common, addr: Option<SocketAddr>) -> anyhow::Result<Self> {
        let mut figment = Figment::new();
        if let Some(file) = &common.config {
            figment = figment.merge(Toml::file_exact(file));
        }
        let overrides = Overrides {
            data_dir: common.data_dir.clone(),
            database_url: common.database_url.clone(),
            addr,
        };
        let mut config: Config = figment
            .merge(
                Env::prefixed("PEER_CHALLENGE_")
                    .split("__")
                    .ignore(&["config"]),
            )
            .merge(Serialized::defaults(overrides))
            .extract()
            .context("reading settings")?;
        if let MailTransport::Files { dir } = &mut config.web.mail.transport
            && dir.is_relative()
            && dir.starts_with("data")
        {
            // The default outbox folder follows the data folder.
            *dir = config.data_dir.join("outbox");
        }
        Ok(config)
    }

    /// The demo runs on plain http on this machine and writes emails as files.
    pub fn for_demo(mut self) -> Self {
        self.web.secure_cookies = false;
        self.web.base_url = format!("http://{}", self.addr);
        self.web.mail.transport = MailTransport::Files {
            dir: self.data_dir.join("outbox"),
        };
        self
    }

    pub fn database_url(&self) -> anyhow::Result<String> {
        match &self.database_url {
            Some(url) => Ok(url.clone()),
            None => {
                std::fs::create_dir_all(&self.data_dir).with_context(|| {
                    format!("creating the data folder {}", self.data_dir.display())
                })?;
                Ok(format!(
                    "sqlite://{}?mode=rwc",
                    self.data_dir.join(crate::backup::DATABASE_FILE).display()
                ))
            }
        }
    }
}

pub fn init_logging(config: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("PEER_CHALLENGE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    let _ = match config.log_format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
}
