//! Writers take their turns in the order they asked. On SQLite one transaction writes at a
//! time; before the store queued its writers, the waiting ones polled for the lock (SQLite's
//! busy handler sleeps up to 100 ms between tries), so the order was chance and, under a
//! burst of evidence notes, one in a hundred waited over 300 ms while the lock sat free.

use std::time::Duration;

use domain::Role;
use store::test_support::hold_write_turn;
use store::{AuditFilter, Store, store_test};

use crate::{at, new_user, password, role};

store_test!(
    writers_take_their_turns_in_the_order_they_asked,
    |store: Store| async move {
        let hash = password("a long demo passphrase");
        let held = hold_write_turn(&store).await;
        let mut writers = Vec::new();
        for n in 0..6 {
            let (store, hash) = (store.clone(), hash.clone());
            writers.push(tokio::spawn(async move {
                let user = new_user(&format!("turn{n}@example.org"), vec![role(Role::Reviewer)]);
                store.ensure_user(&user, &hash, at(9, 0)).await
            }));
            // Each writer is waiting (on SQLite) before the next one asks.
            tokio::time::sleep(Duration::from_millis(30)).await;
        }
        held.release().await;
        let mut asked = Vec::new();
        for writer in writers {
            asked.push(writer.await.expect("joined").expect("written"));
        }
        let filter = AuditFilter {
            action: Some("user.created".into()),
            ..AuditFilter::default()
        };
        let asked: Vec<String> = asked.iter().map(ToString::to_string).collect();
        let mut committed: Vec<String> = store
            .audit_entries(&filter, 100)
            .await
            .expect("audit")
            .into_iter()
            .map(|entry| entry.object_id)
            .filter(|id| asked.contains(id))
            .collect();
        committed.reverse();
        assert_eq!(committed, asked, "committed in the order asked");
    }
);
