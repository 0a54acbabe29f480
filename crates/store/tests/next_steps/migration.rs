//! m0008 moves next steps from challenges to programme activities: a plan written in m0005's
//! tables before the migration reads back identically afterwards, action by action (entry,
//! area, progress notes, history, the RAG chart's changes) with its reminders still sent once.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use domain::next_steps::{ActionEntry, ProgressNote, Rag};
use domain::{ActionId, AuthoritySlug, ChallengeId, Programme, ProgrammeActivityId, ThemeCode};
use store::test_support::{OldShapeAction, seed_m0005_next_steps, store_before_programmes};
use store::{ActionChange, Backend, NextStepFilter};
use uuid::Uuid;

fn when(days: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 1, 4, 9, 30, 0)
        .single()
        .expect("a time")
        + Duration::days(days)
}

fn date(month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, month, day).expect("a real date")
}

fn old_action(
    challenge: Uuid,
    host: &str,
    reference: &str,
    rag: Rag,
    notes: usize,
) -> OldShapeAction {
    let progress: Vec<ProgressNote> = (0..notes)
        .map(|n| ProgressNote {
            on: date(2, 1 + n as u32),
            text: format!("Update {n} on {reference}\nsecond line"),
        })
        .collect();
    OldShapeAction {
        id: Uuid::new_v4(),
        challenge,
        authority: host.to_owned(),
        entry: ActionEntry {
            reference: reference.to_owned(),
            answers: format!("Recommendation for {reference}"),
            theme: ThemeCode::parse("EHCP_QUALITY").expect("theme"),
            action: format!("Do {reference}"),
            owner: "Head of SEND".to_owned(),
            partners: "Parent carer forum".to_owned(),
            start: date(1, 10),
            due: date(6, 30),
            milestones: "By June".to_owned(),
            baseline: "40%".to_owned(),
            target: "80%".to_owned(),
            rag,
            progress,
            impact: "Families say so".to_owned(),
        },
        progress_ids: (0..notes).map(|_| Uuid::new_v4()).collect(),
        created_at: when(0),
        updated_at: when(5),
        history: vec![
            (
                Uuid::new_v4(),
                when(0),
                "Pat Manager".to_owned(),
                "amber".to_owned(),
                date(5, 31),
                "Added to the plan".to_owned(),
            ),
            (
                Uuid::new_v4(),
                when(5),
                "Lee Lead".to_owned(),
                rag.code().to_owned(),
                date(6, 30),
                "RAG Amber to X, due date changed".to_owned(),
            ),
        ],
        reminders: vec![("due_soon".to_owned(), "2027-06-30".to_owned(), when(3))],
    }
}

async fn plan_reads_back_identically(backend: Backend) {
    let test = store_before_programmes(backend).await;
    let store = &test.store;
    let (nottingham, derby, closed) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
    let challenges = [
        (nottingham, "PC-2027-001", "nottingham", "next_steps"),
        (derby, "PC-2027-002", "derby", "closed"),
        (closed, "PC-2027-003", "rutland", "requested"),
    ];
    let old = vec![
        old_action(nottingham, "nottingham", "NOT-2", Rag::Red, 2),
        old_action(nottingham, "nottingham", "NOT-1", Rag::Amber, 0),
        old_action(derby, "derby", "DER-1", Rag::Complete, 3),
    ];
    seed_m0005_next_steps(store, &challenges, &old, when(0)).await;

    store.migrate().await.expect("m0008 and after");

    for action in &old {
        let id = ActionId::from_uuid(action.id);
        let read = store.action(id).await.expect("read").expect("kept");
        assert_eq!(read.entry, action.entry, "{}", action.entry.reference);
        assert_eq!(read.authority.as_str(), action.authority);
        assert_eq!(read.updated_at, action.updated_at);
        assert_eq!(
            read.activity.id,
            ProgrammeActivityId::from_uuid(action.challenge)
        );
        assert_eq!(read.activity.programme, Programme::Challenge);
        assert_eq!(
            read.activity.challenge,
            Some(ChallengeId::from_uuid(action.challenge))
        );
        let history: Vec<ActionChange> = store.action_history(id).await.expect("history");
        let expected: Vec<ActionChange> = action
            .history
            .iter()
            .map(|(_, at, by, rag, due, summary)| ActionChange {
                at: *at,
                by_name: by.clone(),
                rag: Rag::parse(rag).expect("rag"),
                due: *due,
                summary: summary.clone(),
            })
            .collect();
        assert_eq!(history, expected);
        for (kind, occasion, _) in &action.reminders {
            assert!(
                !store
                    .send_reminder_once(id, kind, occasion, Vec::new(), when(10))
                    .await
                    .expect("reminder"),
                "a reminder sent before the migration is not sent again"
            );
        }
    }
    let plan = store
        .action_plan(ChallengeId::from_uuid(nottingham))
        .await
        .expect("plan");
    assert_eq!(
        plan.iter()
            .map(|a| a.entry.reference.as_str())
            .collect::<Vec<_>>(),
        ["NOT-1", "NOT-2"]
    );
    assert_eq!(store.actions(None).await.expect("all").len(), 3);
    assert_eq!(store.rag_changes(None).await.expect("changes").len(), 6);
    let derby_only = NextStepFilter {
        area: Some(AuthoritySlug::parse("derby").expect("slug")),
        programme: Some(Programme::Challenge),
    };
    assert_eq!(store.next_steps(&derby_only).await.expect("derby").len(), 1);

    // Every challenge became an activity in its host's region, involving its host.
    for (id, reference, host, _) in challenges {
        let activity = store
            .programme_activity(ProgrammeActivityId::from_uuid(id))
            .await
            .expect("read")
            .expect("backfilled");
        assert_eq!(activity.activity.title, reference);
        assert_eq!(activity.region, "east-midlands");
        assert_eq!(activity.areas, [AuthoritySlug::parse(host).expect("slug")]);
    }
    // The challenge at next steps owes its action plan, eight weeks from its last move.
    let owed = store
        .returns(&store::ReturnFilter::default())
        .await
        .expect("returns");
    assert_eq!(owed.len(), 1, "{owed:?}");
    assert_eq!(
        owed[0].activity.challenge,
        Some(ChallengeId::from_uuid(nottingham))
    );
    assert_eq!(owed[0].due, when(0).date_naive() + Duration::weeks(8));
    if backend == Backend::Postgres {
        test.store.close().await.ok();
    }
}

#[tokio::test]
async fn an_old_plan_reads_back_identically_after_the_migration_sqlite() {
    plan_reads_back_identically(Backend::Sqlite).await;
}

#[tokio::test]
async fn an_old_plan_reads_back_identically_after_the_migration_postgres() {
    plan_reads_back_identically(Backend::Postgres).await;
}
