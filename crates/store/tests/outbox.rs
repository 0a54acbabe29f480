//! Email attachments through the outbox, on both databases: stored with the email in order,
//! handed back whole to the sender, and removed with the email.

use chrono::{Duration, TimeZone, Utc};
use domain::EmailAddress;
use store::test_support::execute_raw;
use store::{EmailAttachment, NewEmail, Store, store_test};

fn at(minute: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 9, minute, 0)
        .single()
        .expect("valid time")
}

fn ics(text: &str) -> EmailAttachment {
    EmailAttachment {
        file_name: "invitation.ics".into(),
        content_type: "text/calendar; method=REQUEST; charset=UTF-8".into(),
        bytes: text.as_bytes().to_vec(),
    }
}

store_test!(
    attachments_travel_with_their_email,
    |store: Store| async move {
        let to = EmailAddress::parse("reviewer@example.org").expect("email");
        let binary: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
        let email = NewEmail::text(to.clone(), "Training invitation", "See the attachment.")
            .with_attachment(ics("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"))
            .with_attachment(EmailAttachment {
                file_name: "notes.bin".into(),
                content_type: "application/octet-stream".into(),
                bytes: binary.clone(),
            });
        assert_eq!(
            NewEmail::text(to.clone(), "Plain", "No files").attachments,
            Vec::new(),
            "the text constructor attaches nothing"
        );
        store.queue_email(email, at(0)).await.expect("queue");
        store
            .queue_email(NewEmail::text(to, "Plain", "No files"), at(1))
            .await
            .expect("queue");

        let claimed = store
            .claim_due_emails(at(2), Duration::minutes(5), 10)
            .await
            .expect("claim");
        assert_eq!(claimed.len(), 2);
        let invitation = claimed
            .iter()
            .find(|email| email.subject == "Training invitation")
            .expect("the invitation");
        let names: Vec<_> = invitation
            .attachments
            .iter()
            .map(|file| file.file_name.as_str())
            .collect();
        assert_eq!(names, ["invitation.ics", "notes.bin"], "in the order added");
        assert_eq!(
            invitation.attachments[0],
            ics("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
        );
        assert_eq!(invitation.attachments[1].bytes, binary, "bytes intact");
        let plain = claimed
            .iter()
            .find(|email| email.subject == "Plain")
            .expect("the plain email");
        assert!(plain.attachments.is_empty());

        let listed = store.outbox_emails(10).await.expect("list");
        assert_eq!(
            listed
                .iter()
                .map(|email| email.attachments.len())
                .sum::<usize>(),
            2
        );

        // Deleting an email takes its attachments with it: without the cascade the
        // foreign key would refuse this.
        execute_raw(&store, "DELETE FROM outbox")
            .await
            .expect("attachments cascade");
        assert!(store.outbox_emails(10).await.expect("list").is_empty());
    }
);
