//! An event's pre-reading files: stored with who uploaded them, within the email's total cap,
//! removable until the KLOEs are first shared and fixed after; each download audited.

use store::{EVENT_DOCUMENTS_MAX_TOTAL_BYTES, NewEventDocument};

use super::*;

fn file(name: &str, bytes: &[u8]) -> NewEventDocument {
    NewEventDocument {
        file_name: name.into(),
        content_type: "application/pdf".into(),
        content: bytes.to_vec(),
    }
}

store_test!(
    event_files_are_kept_until_the_kloes_are_shared,
    |store: Store| async move {
        let cora = coordinator(&store).await;
        let id = open_event(&store, &cora).await;
        let first = store
            .upload_event_document(id, &file("Agenda.pdf", b"%PDF-1 one"), cora.user_id, at(2))
            .await
            .expect("uploaded");
        let second = store
            .upload_event_document(id, &file("Data.pdf", b"%PDF-1 two!"), cora.user_id, at(3))
            .await
            .expect("uploaded");
        let listed = store.event_documents(id).await.expect("listed");
        assert_eq!(
            listed
                .iter()
                .map(|d| d.file_name.as_str())
                .collect::<Vec<_>>(),
            ["Agenda.pdf", "Data.pdf"]
        );
        assert_eq!(listed[1].size_bytes, 11);
        assert_eq!(listed[0].uploaded_by.as_deref(), Some("Cora Ordinator"));
        assert_eq!(audit_of(&store, "event_document.uploaded").await.len(), 2);

        // Another event's id finds nothing, and records nothing.
        let other = open_event(&store, &cora).await;
        assert!(
            store
                .download_event_document(other, first, cora.user_id, at(4))
                .await
                .expect("read")
                .is_none()
        );
        let got = store
            .download_event_document(id, first, cora.user_id, at(4))
            .await
            .expect("read")
            .expect("the file");
        assert_eq!(got.content, b"%PDF-1 one");
        assert_eq!(audit_of(&store, "event_document.downloaded").await.len(), 1);

        // Beyond the email's cap, all together.
        let big = vec![b'x'; EVENT_DOCUMENTS_MAX_TOTAL_BYTES - 20];
        assert_conflict(
            store
                .upload_event_document(id, &file("Big.pdf", &big), cora.user_id, at(5))
                .await,
        );

        store
            .delete_event_document(id, second, cora.user_id, at(6))
            .await
            .expect("deleted");
        let attachments = store.event_document_attachments(id).await.expect("read");
        assert_eq!(attachments.len(), 1);
        assert_eq!(attachments[0].content, b"%PDF-1 one");

        // Once shared, the nominees hold the files: nothing added or taken away.
        store
            .save_event_kloes(id, &[], day(3, 6), vec![], &cora, at(7))
            .await
            .expect("saved");
        assert!(
            store
                .share_event_kloes(id, vec![], day(3, 6), None, at(8))
                .await
                .expect("shared")
        );
        assert_conflict(
            store
                .delete_event_document(id, first, cora.user_id, at(9))
                .await,
        );
        assert_conflict(
            store
                .upload_event_document(id, &file("Late.pdf", b"%PDF-1"), cora.user_id, at(9))
                .await,
        );
        assert_eq!(store.event_documents(id).await.expect("listed").len(), 1);
        assert_eq!(audit_of(&store, "event_document.deleted").await.len(), 1);
    }
);
