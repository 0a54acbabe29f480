//! An event's pre-reading files through the router: the co-ordinator uploads them on the KLOE
//! page with the same checks as a challenge's pre-reading (wrong type, too large and words that
//! identify a child refused beside the field, nothing stored), LA leads and the board see and
//! download them (each download audited), and the co-ordinator removes them until the KLOEs
//! are shared.

use super::*;

use support::visit_fixture::PDF;

fn assert_refused(page: &support::Page, message: &str) {
    assert_eq!(page.status.as_u16(), 422, "{}", page.body);
    assert!(
        page.body.contains("govuk-error-summary"),
        "the error summary"
    );
    assert!(page.body.contains("id=\"file-error\""), "beside the field");
    assert!(page.body.contains(message), "{message} in {}", page.body);
}

async fn pre_reading_is_uploaded_checked_listed_and_downloaded(app: TestApp) {
    let path = open_event(&app, future_weekday()).await;
    let upload = format!("{path}/documents");
    let mut coordinator = app.browser_as(Who::Coordinator).await;

    // Refused as a challenge's pre-reading refuses them, and nothing is kept.
    for (name, bytes, message) in [
        (
            "setup.exe",
            b"MZ\x90\x00".as_slice(),
            "The selected file must be a PDF, Word (.docx)",
        ),
        (
            "Agenda.pdf",
            b"MZ\x90\x00".as_slice(),
            "The selected file is not a PDF, whatever its name says",
        ),
        (
            "Big.pdf",
            [b'%'; 4096].as_slice(),
            "The selected file must be 2 KB or smaller",
        ),
        (
            "Cases.txt",
            b"Case A: NHS 943 476 5919\n".as_slice(),
            "The selected file looks like it holds an NHS number",
        ),
    ] {
        let page = coordinator
            .post_multipart(&upload, &[], Some(("file", name, bytes)))
            .await;
        assert_refused(&page, message);
        assert!(!page.body.contains("943 476 5919"));
    }
    let page = coordinator.post_multipart(&upload, &[], None).await;
    assert_refused(&page, "Select a file");
    let event = path
        .trim_start_matches("/events/")
        .parse()
        .expect("event id");
    assert!(
        app.store
            .event_documents(event)
            .await
            .expect("read")
            .is_empty()
    );

    let page = coordinator
        .post_multipart(&upload, &[], Some(("file", "Agenda (draft).pdf", PDF)))
        .await;
    assert_eq!(page.status.as_u16(), 303, "{}", page.body);
    let page = coordinator.get(&format!("{path}/kloes")).await;
    assert!(page.body.contains("Agenda (draft).pdf"));
    assert!(page.body.contains("Upload a pre-reading file"));
    assert!(page.body.contains(">Remove<"));

    // The lead and the board read the list and download, but are offered no upload.
    let documents = app.store.event_documents(event).await.expect("read");
    let href = format!("{upload}/{}", documents[0].id);
    for who in [Who::LeadOfDerby, Who::Board] {
        let mut browser = app.browser_as(who).await;
        let page = browser.get(&format!("{path}/kloes")).await;
        assert!(page.body.contains(&href), "{who:?} sees the file");
        assert!(!page.body.contains("Upload a pre-reading file"));
        assert!(!page.body.contains(">Remove<"));
        let file = browser.get(&href).await;
        assert_eq!(file.status.as_u16(), 200);
        assert_eq!(file.body.as_bytes(), PDF);
    }
    let downloads = app
        .store
        .audit_entries(
            &store::AuditFilter {
                action: Some("event_document.downloaded".into()),
                ..store::AuditFilter::default()
            },
            10,
        )
        .await
        .expect("audit");
    assert_eq!(downloads.len(), 2);

    // Removed by the co-ordinator while the KLOEs are unshared, after saying they are sure: a
    // post without the confirmation's button goes to the confirmation and removes nothing.
    let confirm = format!("{href}/delete");
    let kloes = coordinator.get(&format!("{path}/kloes")).await;
    assert!(
        kloes.body.contains(&format!("href=\"{confirm}\"")),
        "the list links to it"
    );
    let page = coordinator.get(&confirm).await;
    assert_eq!(page.status.as_u16(), 200);
    assert!(
        page.body
            .contains("Are you sure you want to remove this file?")
    );
    assert!(page.body.contains("Agenda (draft).pdf"));
    let page = coordinator.post(&confirm, &[]).await;
    assert_eq!(page.status.as_u16(), 303);
    assert_eq!(page.location(), Some(confirm.as_str()));
    assert_eq!(
        app.store.event_documents(event).await.expect("read").len(),
        1
    );
    let page = coordinator.post(&confirm, &[("confirm", "yes")]).await;
    assert_eq!(page.status.as_u16(), 303);
    assert_eq!(page.location(), Some(format!("{path}/kloes").as_str()));
    assert!(
        app.store
            .event_documents(event)
            .await
            .expect("read")
            .is_empty()
    );
    assert_eq!(coordinator.get(&href).await.status.as_u16(), 404);
}

// With the challenge pre-reading's limit at 2 KB, so "too large" is quick to reach.
mod pre_reading_is_uploaded_checked_listed_and_downloaded {
    use super::*;

    fn small_uploads(settings: &mut web::Settings) {
        settings.pre_reading_max_bytes = 2048;
    }

    #[tokio::test]
    async fn sqlite() {
        let app = TestApp::with_settings(store::Backend::Sqlite, small_uploads).await;
        pre_reading_is_uploaded_checked_listed_and_downloaded(app).await;
    }

    #[tokio::test]
    async fn postgres() {
        let app = TestApp::with_settings(store::Backend::Postgres, small_uploads).await;
        pre_reading_is_uploaded_checked_listed_and_downloaded(app).await;
    }
}

/// The files go to every nominee as attachments of the KLOE email, and of a new version;
/// once shared they can no longer be removed or added to.
async fn pre_reading_is_attached_to_the_kloes_sent_to_nominees(app: TestApp) {
    let path = open_event(&app, future_weekday()).await;
    let mut lead = app.browser_as(Who::LeadOfDerby).await;
    let page = lead
        .post(
            &format!("{path}/nominations"),
            &[
                ("name", "Ann Officer"),
                ("role", "Head of SEND"),
                ("organisation", "health"),
                ("email", "ann@derby.example.org"),
            ],
        )
        .await;
    assert_eq!(page.status.as_u16(), 303);
    let mut coordinator = app.browser_as(Who::Coordinator).await;
    let upload = format!("{path}/documents");
    let page = coordinator
        .post_multipart(&upload, &[], Some(("file", "Agenda.pdf", PDF)))
        .await;
    assert_eq!(page.status.as_u16(), 303, "{}", page.body);
    let today = uk(domain::clock::uk_date(chrono::Utc::now()));
    let kloes = |question: &'static str| {
        vec![
            ("kloe_1", question.to_owned()),
            ("kloe_1_themes", "PFA".to_owned()),
            ("share_on", today.clone()),
        ]
    };
    let page = coordinator
        .post(
            &format!("{path}/kloes"),
            &fields(&kloes("How well are transitions planned?")),
        )
        .await;
    assert_eq!(page.status.as_u16(), 303, "{}", page.body);
    let page = coordinator
        .post(&format!("{path}/move"), &[("to", "kloes_shared")])
        .await;
    assert_eq!(page.status.as_u16(), 303, "{}", page.body);

    let ann = outbox_to(&app.store, "ann@derby.example.org").await;
    let sent = ann.last().expect("the KLOEs");
    assert!(sent.subject.starts_with("Key lines of enquiry"));
    assert!(
        sent.body_text
            .contains("The pre-reading for the event is attached")
    );
    let attached = sent
        .attachments
        .iter()
        .find(|a| a.file_name == "Agenda.pdf")
        .expect("the file attached");
    assert_eq!(attached.content_type, "application/pdf");
    assert_eq!(attached.bytes, PDF);

    // Shared: the files stay as sent.
    let event = path
        .trim_start_matches("/events/")
        .parse()
        .expect("event id");
    let file = &app.store.event_documents(event).await.expect("read")[0];
    let confirm = format!("{upload}/{}/delete", file.id);
    let page = coordinator.get(&confirm).await;
    assert_eq!(page.status.as_u16(), 303, "nothing to confirm once shared");
    assert_eq!(page.location(), Some(format!("{path}/kloes").as_str()));
    let page = coordinator.post(&confirm, &[("confirm", "yes")]).await;
    assert_eq!(page.status.as_u16(), 409);
    assert!(page.body.contains("stays as it was sent"));
    let page = coordinator
        .post_multipart(&upload, &[], Some(("file", "Late.pdf", PDF)))
        .await;
    assert_eq!(page.status.as_u16(), 422);
    let page = coordinator.get(&format!("{path}/kloes")).await;
    assert!(!page.body.contains("Upload a pre-reading file"));
    assert!(!page.body.contains(">Remove<"));

    // A new version carries the same files.
    let page = coordinator
        .post(
            &format!("{path}/kloes"),
            &fields(&kloes("How well do partners plan transitions?")),
        )
        .await;
    assert_eq!(page.status.as_u16(), 303, "{}", page.body);
    let ann = outbox_to(&app.store, "ann@derby.example.org").await;
    let updated = ann.last().expect("the new version");
    assert!(updated.subject.starts_with("Updated key lines of enquiry"));
    assert_eq!(updated.attachments.len(), 1);
    assert_eq!(updated.attachments[0].bytes, PDF);
}
app_test!(
    pre_reading_is_attached_to_the_kloes_sent_to_nominees,
    pre_reading_is_attached_to_the_kloes_sent_to_nominees
);
