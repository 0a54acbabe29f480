//! The outbox worker: sends queued emails over SMTP (or writes `.eml` files for the demo),
//! retrying failures with backoff. `run_pending` does one sweep and is what tests call;
//! `run_until_shutdown` sweeps on a timer in the server.

use std::time::Duration;

use chrono::Utc;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use store::{OutboxEmail, Store};
use thiserror::Error;
use tokio::sync::watch;

use crate::settings::{MailSettings, MailTransport, SmtpSecurity};

#[derive(Debug, Error)]
pub enum MailError {
    #[error("the From address is not valid: {0}")]
    BadFrom(String),
    #[error("SMTP settings are not valid: {0}")]
    BadSmtp(String),
    #[error("cannot create the outbox folder {0}: {1}")]
    Folder(String, std::io::Error),
    #[error(transparent)]
    Store(#[from] store::StoreError),
}

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(AsyncFileTransport<Tokio1Executor>),
}

/// Sends what the outbox holds.
pub struct Mailer {
    store: Store,
    from: Mailbox,
    transport: Transport,
    max_attempts: i32,
    poll: Duration,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("from", &self.from.to_string())
            .finish_non_exhaustive()
    }
}

/// What one sweep did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SweepReport {
    pub sent: usize,
    pub failed: usize,
}

/// How long a claimed email is ours before another instance may try it.
const CLAIM_LEASE_MINUTES: i64 = 5;
const BATCH: u64 = 50;

impl Mailer {
    pub fn new(store: Store, settings: &MailSettings) -> Result<Self, MailError> {
        let from: Mailbox = settings
            .from
            .parse()
            .map_err(|_| MailError::BadFrom(settings.from.clone()))?;
        let transport = match &settings.transport {
            MailTransport::Files { dir } => {
                std::fs::create_dir_all(dir)
                    .map_err(|error| MailError::Folder(dir.display().to_string(), error))?;
                Transport::Files(AsyncFileTransport::<Tokio1Executor>::new(dir))
            }
            MailTransport::Smtp {
                host,
                port,
                security,
                username,
                password,
            } => {
                let builder = match security {
                    SmtpSecurity::Starttls => {
                        AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host)
                    }
                    SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(host),
                    SmtpSecurity::None => Ok(
                        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
                    ),
                }
                .map_err(|error| MailError::BadSmtp(error.to_string()))?;
                let builder = builder.port(*port).timeout(Some(Duration::from_secs(30)));
                let builder = match (username, password) {
                    (Some(user), Some(password)) => builder
                        .credentials(Credentials::new(user.clone(), password.expose().to_owned())),
                    _ => builder,
                };
                Transport::Smtp(builder.build())
            }
        };
        Ok(Self {
            store,
            from,
            transport,
            max_attempts: settings.max_attempts.max(1),
            poll: Duration::from_secs(settings.poll_seconds.max(1)),
        })
    }

    /// Send every email that is due now, once each.
    pub async fn run_pending(&self) -> Result<SweepReport, MailError> {
        let mut report = SweepReport::default();
        loop {
            let now = Utc::now();
            let batch = self
                .store
                .claim_due_emails(now, chrono::Duration::minutes(CLAIM_LEASE_MINUTES), BATCH)
                .await?;
            if batch.is_empty() {
                return Ok(report);
            }
            for email in batch {
                match self.send(&email).await {
                    Ok(()) => {
                        self.store.mark_email_sent(email.id, Utc::now()).await?;
                        report.sent += 1;
                    }
                    Err(error) => {
                        tracing::warn!(email = %email.id, %error, "email not sent; will retry");
                        self.store
                            .mark_email_attempt_failed(
                                email.id,
                                &error,
                                self.max_attempts,
                                Utc::now(),
                            )
                            .await?;
                        report.failed += 1;
                    }
                }
            }
        }
    }

    async fn send(&self, email: &OutboxEmail) -> Result<(), String> {
        let to: Mailbox = email
            .to
            .as_str()
            .parse()
            .map_err(|error| format!("bad recipient: {error}"))?;
        let builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(email.subject.clone());
        let message = if email.attachments.is_empty() {
            builder
                .header(ContentType::TEXT_PLAIN)
                .body(email.body_text.clone())
        } else {
            // multipart/mixed: the text first, so every mail client shows it, then each file.
            let mut parts =
                MultiPart::mixed().singlepart(SinglePart::plain(email.body_text.clone()));
            for file in &email.attachments {
                let content_type = ContentType::parse(&file.content_type).map_err(|error| {
                    format!("bad attachment type {}: {error}", file.content_type)
                })?;
                parts = parts.singlepart(
                    Attachment::new(file.file_name.clone()).body(file.bytes.clone(), content_type),
                );
            }
            builder.multipart(parts)
        }
        .map_err(|error| format!("could not build the message: {error}"))?;
        match &self.transport {
            Transport::Smtp(smtp) => smtp
                .send(message)
                .await
                .map(|_| ())
                .map_err(|error| error.to_string()),
            Transport::Files(files) => files
                .send(message)
                .await
                .map(|_| ())
                .map_err(|error| error.to_string()),
        }
    }

    /// Sweep every poll interval until `shutdown` changes, finishing the sweep in progress.
    pub async fn run_until_shutdown(self, mut shutdown: watch::Receiver<bool>) {
        loop {
            if let Err(error) = self.run_pending().await {
                tracing::error!(%error, "outbox sweep failed");
            }
            tokio::select! {
                _ = tokio::time::sleep(self.poll) => {}
                _ = shutdown.changed() => return,
            }
        }
    }
}
