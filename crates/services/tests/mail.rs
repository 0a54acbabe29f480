//! The outbox worker against a real SMTP server process on loopback (Python's aiosmtpd
//! writing a maildir), and the demo's file transport. No mocks.

use std::io::Write;
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use chrono::TimeZone;
use documents::ics::{Attendee, CalendarEvent, CalendarMethod, calendar};
use domain::EmailAddress;
use services::mail::{Mailer, SweepReport};
use services::{MailSettings, MailTransport, SmtpSecurity};
use store::test_support::fresh_store;
use store::{Backend, EmailAttachment, NewEmail, OutboxStatus};

/// An aiosmtpd server that stops when dropped.
struct SmtpServer {
    child: Child,
    port: u16,
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .expect("a free port")
}

async fn start_smtp_server(maildir: &Path) -> SmtpServer {
    let port = free_port();
    let child = Command::new("python3")
        .args([
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            &format!("127.0.0.1:{port}"),
            "-c",
            "aiosmtpd.handlers.Mailbox",
        ])
        .arg(maildir)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("python3 with aiosmtpd (pip install aiosmtpd; `make test` installs it)");
    let server = SmtpServer { child, port };
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return server;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("aiosmtpd did not start on port {port}");
}

fn smtp_settings(port: u16) -> MailSettings {
    MailSettings {
        from: "Peer Challenge <no-reply@example.org>".into(),
        transport: MailTransport::Smtp {
            host: "127.0.0.1".into(),
            port,
            security: SmtpSecurity::None,
            username: None,
            password: None,
        },
        max_attempts: 3,
        poll_seconds: 1,
    }
}

fn email(subject: &str) -> NewEmail {
    NewEmail::text(
        EmailAddress::parse("lead.derby@example.org").expect("email"),
        subject,
        "Your invitation link: http://peer-challenge.test/set-password/abc\n",
    )
}

/// Every message file aiosmtpd delivered into the maildir.
fn delivered(maildir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(maildir.join("new")) else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter_map(|entry| std::fs::read_to_string(entry.path()).ok())
        .collect()
}

async fn delivers_over_smtp_once_and_keeps_failures(backend: Backend) {
    let database = fresh_store(backend).await;
    let store = database.store.clone();
    let folder = tempfile::tempdir().expect("folder");
    // aiosmtpd creates the maildir's new/cur/tmp only when the folder does not exist yet.
    let maildir = folder.path().join("maildir");

    // With no server listening the email is not lost: it stays queued with the reason.
    let nobody_listening = free_port();
    store
        .queue_email(email("Before the server starts"), chrono::Utc::now())
        .await
        .expect("queue");
    let down = Mailer::new(store.clone(), &smtp_settings(nobody_listening)).expect("mailer");
    assert_eq!(
        down.run_pending().await.expect("sweep"),
        SweepReport { sent: 0, failed: 1 }
    );
    let waiting = store.outbox_emails(10).await.expect("outbox");
    assert_eq!(waiting[0].status, OutboxStatus::Queued);
    assert!(waiting[0].last_error.is_some());

    let server = start_smtp_server(&maildir).await;
    store
        .queue_email(
            email("You have been invited to Peer Challenge"),
            chrono::Utc::now(),
        )
        .await
        .expect("queue");
    let mailer = Mailer::new(store.clone(), &smtp_settings(server.port)).expect("mailer");
    assert_eq!(
        mailer.run_pending().await.expect("sweep"),
        SweepReport { sent: 1, failed: 0 }
    );
    assert_eq!(
        mailer.run_pending().await.expect("sweep"),
        SweepReport::default(),
        "sent once only"
    );

    let messages = delivered(&maildir);
    assert_eq!(messages.len(), 1);
    let message = &messages[0];
    assert!(message.contains("Subject: You have been invited to Peer Challenge"));
    assert!(message.contains("To: lead.derby@example.org"));
    let from = message
        .lines()
        .find(|line| line.starts_with("From: "))
        .expect("a From header");
    assert!(
        from.contains("Peer Challenge") && from.contains("<no-reply@example.org>"),
        "{from}"
    );
    assert!(message.contains("http://peer-challenge.test/set-password/abc"));
    let statuses: Vec<_> = store
        .outbox_emails(10)
        .await
        .expect("outbox")
        .iter()
        .map(|e| e.status)
        .collect();
    assert!(statuses.contains(&OutboxStatus::Sent) && statuses.contains(&OutboxStatus::Queued));
}

#[tokio::test]
async fn delivers_over_smtp_on_sqlite() {
    delivers_over_smtp_once_and_keeps_failures(Backend::Sqlite).await;
}

#[tokio::test]
async fn delivers_over_smtp_on_postgres() {
    delivers_over_smtp_once_and_keeps_failures(Backend::Postgres).await;
}

/// Run `script` under python3 with `input` on stdin; it prints one JSON document.
fn python_reads(script: &str, input: &[u8]) -> serde_json::Value {
    let mut python = Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 on PATH");
    let written = python.stdin.take().expect("piped stdin").write_all(input);
    let output = python.wait_with_output().expect("python3 ran");
    assert!(
        output.status.success(),
        "python3 reader failed (pip install icalendar):\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    written.expect("python3 read its input");
    serde_json::from_slice(&output.stdout).expect("python3 printed JSON")
}

fn training_invitation() -> String {
    let at = |hour| {
        chrono::Utc
            .with_ymd_and_hms(2027, 3, 4, hour, 0, 0)
            .single()
            .expect("time")
    };
    calendar(
        CalendarMethod::Request,
        &[CalendarEvent {
            uid: "training-1@peer-challenge.test".into(),
            sequence: 0,
            starts: at(9),
            ends: at(13),
            summary: "Reviewer training: peer challenge in practice".into(),
            description: "Bring a laptop; lunch provided. Café on site.".into(),
            location: Some("County Hall, Matlock, Room 2".into()),
            url: None,
            organizer: Some(Attendee {
                name: "Jo Bennett, project manager".into(),
                email: "send.peerchallenge@example.org".into(),
            }),
            attendees: vec![Attendee {
                name: "Zoë Ó Briain".into(),
                email: "zoe@example.org".into(),
            }],
            created: at(8),
        }],
    )
}

async fn delivers_an_ics_attachment_intact(backend: Backend) {
    let database = fresh_store(backend).await;
    let store = database.store.clone();
    let folder = tempfile::tempdir().expect("folder");
    let maildir = folder.path().join("maildir");
    let server = start_smtp_server(&maildir).await;
    let ics = training_invitation();
    let email = NewEmail::text(
        EmailAddress::parse("zoe@example.org").expect("email"),
        "Invitation: reviewer training on 4 March 2027",
        "You are invited to reviewer training. The invitation is attached.\n",
    )
    .with_attachment(EmailAttachment {
        file_name: "training.ics".into(),
        content_type: "text/calendar; method=REQUEST; charset=UTF-8".into(),
        bytes: ics.clone().into_bytes(),
    });
    store
        .queue_email(email, chrono::Utc::now())
        .await
        .expect("queue");
    let mailer = Mailer::new(store.clone(), &smtp_settings(server.port)).expect("mailer");
    assert_eq!(
        mailer.run_pending().await.expect("sweep"),
        SweepReport { sent: 1, failed: 0 }
    );
    let files: Vec<_> = std::fs::read_dir(maildir.join("new"))
        .expect("maildir")
        .filter_map(Result::ok)
        .collect();
    assert_eq!(files.len(), 1);
    let raw = std::fs::read(files[0].path()).expect("message file");

    // Python's email package parses the delivered message; icalendar parses the attachment.
    let script = r#"
import sys, json, email, icalendar
from email import policy
message = email.message_from_bytes(sys.stdin.buffer.read(), policy=policy.default)
parts = list(message.iter_parts())
body = message.get_body(preferencelist=("plain",))
files = []
for part in message.iter_attachments():
    data = part.get_payload(decode=True)
    cal = icalendar.Calendar.from_ical(data)
    event = cal.walk("VEVENT")[0]
    files.append({
        "file_name": part.get_filename(),
        "content_type": part.get_content_type(),
        "params": {k: v for k, v in part.get_params()[1:]},
        "disposition": part.get_content_disposition(),
        "text": data.decode("utf-8"),
        "method": str(cal["method"]),
        "summary": str(event["summary"]),
        "location": str(event["location"]),
        "start": event.decoded("dtstart").isoformat(),
        "organizer": str(event["organizer"]),
        "attendee": str(event["attendee"]),
        "attendee_name": str(event["attendee"].params["CN"]),
    })
print(json.dumps({
    "type": message.get_content_type(),
    "parts": len(parts),
    "subject": str(message["subject"]),
    "body": body.get_content(),
    "files": files,
}))
"#;
    let seen = python_reads(script, &raw);
    assert_eq!(seen["type"], "multipart/mixed");
    assert_eq!(seen["parts"], 2);
    assert_eq!(
        seen["subject"],
        "Invitation: reviewer training on 4 March 2027"
    );
    assert_eq!(
        seen["body"].as_str().map(str::trim_end),
        Some("You are invited to reviewer training. The invitation is attached.")
    );
    let file = &seen["files"][0];
    assert_eq!(seen["files"].as_array().map(Vec::len), Some(1));
    assert_eq!(file["file_name"], "training.ics");
    assert_eq!(file["content_type"], "text/calendar");
    assert_eq!(file["params"]["method"], "REQUEST");
    assert_eq!(
        file["params"]["charset"]
            .as_str()
            .map(str::to_lowercase)
            .as_deref(),
        Some("utf-8")
    );
    assert_eq!(file["disposition"], "attachment");
    assert_eq!(file["text"], ics.as_str(), "the .ics arrives byte for byte");
    assert_eq!(file["method"], "REQUEST");
    assert_eq!(
        file["summary"],
        "Reviewer training: peer challenge in practice"
    );
    assert_eq!(file["location"], "County Hall, Matlock, Room 2");
    assert_eq!(file["start"], "2027-03-04T09:00:00+00:00");
    assert_eq!(file["organizer"], "mailto:send.peerchallenge@example.org");
    assert_eq!(file["attendee"], "mailto:zoe@example.org");
    assert_eq!(file["attendee_name"], "Zoë Ó Briain");
}

#[tokio::test]
async fn delivers_an_ics_attachment_on_sqlite() {
    delivers_an_ics_attachment_intact(Backend::Sqlite).await;
}

#[tokio::test]
async fn delivers_an_ics_attachment_on_postgres() {
    delivers_an_ics_attachment_intact(Backend::Postgres).await;
}

#[tokio::test]
async fn the_demo_writes_emails_as_files() {
    let database = fresh_store(Backend::Sqlite).await;
    let folder = tempfile::tempdir().expect("folder");
    let settings = MailSettings {
        transport: MailTransport::Files {
            dir: folder.path().to_path_buf(),
        },
        ..MailSettings::default()
    };
    database
        .store
        .queue_email(
            email("Reset your Peer Challenge password"),
            chrono::Utc::now(),
        )
        .await
        .expect("queue");
    let mailer = Mailer::new(database.store.clone(), &settings).expect("mailer");
    assert_eq!(mailer.run_pending().await.expect("sweep").sent, 1);
    let files: Vec<_> = std::fs::read_dir(folder.path())
        .expect("folder")
        .filter_map(Result::ok)
        .collect();
    assert_eq!(files.len(), 1);
    assert_eq!(
        files[0].path().extension().and_then(|ext| ext.to_str()),
        Some("eml")
    );
    let text = std::fs::read_to_string(files[0].path()).expect("eml");
    assert!(text.contains("Subject: Reset your Peer Challenge password"));
}
