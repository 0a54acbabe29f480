//! Next steps on both databases, on challenges walked to next steps through the store's own
//! moves: actions added and changed with a history row naming each change, uploaded plans
//! applied by reference all or nothing, the board's reads by area and over time, reminders
//! sent once per occasion through the outbox, and working notes purged after the final report.

use crate::support;

#[path = "next_steps/migration.rs"]
mod migration;
#[path = "next_steps/programmes.rs"]
mod programmes;
#[path = "next_steps/returns.rs"]
mod returns;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use domain::case_sample::{CaseAgeBand, CaseAnswers, NeedType, SettingType};
use domain::challenge::ChallengeKind;
use domain::findings::{EvidenceEntry, EvidenceKind, FindingEntry, FindingKind, ReportFormat};
use domain::lifecycle::ChallengeState;
use domain::next_steps::{ActionEntry, ProgressNote, Rag};
use domain::{ActionId, ChallengeId, ThemeCode};
use store::{ActionChange, NewEmail, PlanApplied, Store, WorkingNotesPurged, store_test};
use support::challenge_walk::{
    Scheme, Walk, advance, agree_report, assert_conflict, at, audit_of, challenge_in, day, now,
    scheme, slug, step,
};

/// The challenges these tests walk: one-day ones asking one KLOE, hosted by Nottingham or
/// by Derby.
const NOTTINGHAM: Walk = Walk {
    host: "nottingham",
    kind: ChallengeKind::OneDay,
    kloes: 1,
};
const DERBY: Walk = Walk {
    host: "derby",
    ..NOTTINGHAM
};

/// An open action due on `due`, with no progress notes yet.
fn entry(reference: &str, rag: Rag, due: NaiveDate) -> ActionEntry {
    ActionEntry {
        reference: reference.into(),
        answers: "Recommendation 1: co-produce plans".into(),
        theme: ThemeCode::parse("EHCP_QUALITY").expect("theme"),
        action: "Train caseworkers in co-production".into(),
        owner: "Head of SEND".into(),
        partners: "Parent carer forum".into(),
        start: day(1, 1),
        due,
        milestones: "Training designed by June".into(),
        baseline: "40% of plans co-produced".into(),
        target: "80%".into(),
        rag,
        progress: vec![],
        impact: String::new(),
    }
}

fn note(on: NaiveDate, text: &str) -> ProgressNote {
    ProgressNote {
        on,
        text: text.into(),
    }
}

/// Save `entry` as a new action (`existing` None) or as a change to one, by the PM.
async fn save(
    store: &Store,
    scheme: &Scheme,
    challenge: ChallengeId,
    existing: Option<ActionId>,
    entry: &ActionEntry,
    when: DateTime<Utc>,
) -> ActionId {
    store
        .save_action(challenge, existing, entry, &scheme.pm, when)
        .await
        .expect("saved")
}

async fn plan_of(store: &Store, challenge: ChallengeId) -> Vec<store::PlannedAction> {
    store.action_plan(challenge).await.expect("plan")
}

async fn history_of(store: &Store, id: ActionId) -> Vec<ActionChange> {
    store.action_history(id).await.expect("history")
}

async fn summaries(store: &Store, id: ActionId) -> Vec<String> {
    history_of(store, id)
        .await
        .into_iter()
        .map(|change| change.summary)
        .collect()
}

async fn action_of(store: &Store, id: ActionId) -> store::PlannedAction {
    store.action(id).await.expect("action").expect("the action")
}

store_test!(
    each_change_to_an_action_is_in_its_history_in_words,
    |store: Store| async move {
        let s = scheme(&store).await;
        let challenge = challenge_in(&store, &s, NOTTINGHAM, ChallengeState::NextSteps).await;
        let second = save(
            &store,
            &s,
            challenge,
            None,
            &entry("NOT-2", Rag::Red, day(9, 30)),
            at(1),
        )
        .await;
        let added = entry("NOT-1", Rag::Amber, day(6, 30));
        let first = save(&store, &s, challenge, None, &added, at(2)).await;

        let plan = plan_of(&store, challenge).await;
        assert_eq!(
            plan.iter().map(|a| a.id).collect::<Vec<_>>(),
            [first, second],
            "by reference"
        );
        assert_eq!(plan[0].entry, added);
        assert_eq!(plan[0].activity.challenge, Some(challenge));
        assert_eq!(plan[0].authority, slug("nottingham"));
        assert_eq!(plan[0].updated_at, at(2));

        let green = ActionEntry {
            rag: Rag::Green,
            ..added.clone()
        };
        save(&store, &s, challenge, Some(first), &green, at(3)).await;
        let later = ActionEntry {
            due: day(7, 31),
            ..green.clone()
        };
        save(&store, &s, challenge, Some(first), &later, at(4)).await;
        let noted = ActionEntry {
            progress: vec![note(day(2, 1), "First session held")],
            ..later.clone()
        };
        save(&store, &s, challenge, Some(first), &noted, at(5)).await;

        let now_stands = action_of(&store, first).await;
        assert_eq!(now_stands.entry, noted);
        assert_eq!(now_stands.updated_at, at(5));
        let history = history_of(&store, first).await;
        assert_eq!(
            history
                .iter()
                .map(|c| (c.at, c.rag, c.due, c.summary.as_str()))
                .collect::<Vec<_>>(),
            [
                (at(2), Rag::Amber, day(6, 30), "Added to the plan"),
                (at(3), Rag::Green, day(6, 30), "RAG Amber to Green"),
                (
                    at(4),
                    Rag::Green,
                    day(7, 31),
                    "Due date 30 June 2027 to 31 July 2027"
                ),
                (at(5), Rag::Green, day(7, 31), "1 progress note(s) added"),
            ]
        );
        assert!(history.iter().all(|c| c.by_name == "Jo Bennett"));
        assert_eq!(audit_of(&store, "action.added").await.len(), 2);
        assert_eq!(audit_of(&store, "action.changed").await.len(), 3);

        // The same content uploaded again changes nothing and writes no history.
        let unchanged: Vec<ActionEntry> = plan_of(&store, challenge)
            .await
            .into_iter()
            .map(|a| a.entry)
            .collect();
        let applied = store
            .apply_action_plan(challenge, &unchanged, &s.pm, at(6))
            .await
            .expect("applied");
        assert_eq!(
            applied,
            PlanApplied {
                added: 0,
                changed: 0,
                unchanged: 2
            }
        );
        assert_eq!(history_of(&store, first).await.len(), 4);
        assert_eq!(history_of(&store, second).await.len(), 1);
        assert_eq!(action_of(&store, first).await.updated_at, at(5));
        assert_eq!(audit_of(&store, "action.changed").await.len(), 3);
    }
);

store_test!(
    a_reference_belongs_to_one_action_of_the_plan,
    |store: Store| async move {
        let s = scheme(&store).await;
        let challenge = challenge_in(&store, &s, NOTTINGHAM, ChallengeState::NextSteps).await;
        let other = challenge_in(&store, &s, DERBY, ChallengeState::NextSteps).await;
        let first = entry("NOT-1", Rag::Amber, day(6, 30));
        let id = save(&store, &s, challenge, None, &first, at(1)).await;
        let second = save(
            &store,
            &s,
            challenge,
            None,
            &entry("NOT-2", Rag::Red, day(9, 30)),
            at(2),
        )
        .await;
        let before = plan_of(&store, challenge).await;

        let again = ActionEntry {
            action: "A second action under the same reference".into(),
            ..first.clone()
        };
        assert_conflict(
            store
                .save_action(challenge, None, &again, &s.pm, at(3))
                .await,
        );
        assert_conflict(
            store
                .save_action(challenge, Some(second), &again, &s.pm, at(3))
                .await,
        );
        assert_eq!(plan_of(&store, challenge).await, before);
        assert_eq!(summaries(&store, id).await, ["Added to the plan"]);

        // Another area's plan has references of its own.
        save(&store, &s, other, None, &first, at(4)).await;
        assert_eq!(plan_of(&store, other).await.len(), 1);
    }
);

store_test!(
    the_plan_changes_only_at_next_steps,
    |store: Store| async move {
        let s = scheme(&store).await;
        let challenge = challenge_in(&store, &s, NOTTINGHAM, ChallengeState::Reporting).await;
        let first = entry("NOT-1", Rag::Amber, day(6, 30));
        assert_conflict(
            store
                .save_action(challenge, None, &first, &s.pm, at(1))
                .await,
        );
        assert_conflict(
            store
                .apply_action_plan(challenge, std::slice::from_ref(&first), &s.pm, at(1))
                .await,
        );
        assert!(plan_of(&store, challenge).await.is_empty());

        step(
            &store,
            &s,
            challenge,
            ChallengeKind::OneDay,
            ChallengeState::Reporting,
            ChallengeState::NextSteps,
        )
        .await;
        let id = save(&store, &s, challenge, None, &first, at(2)).await;
        step(
            &store,
            &s,
            challenge,
            ChallengeKind::OneDay,
            ChallengeState::NextSteps,
            ChallengeState::Closed,
        )
        .await;
        let before = plan_of(&store, challenge).await;

        let complete = ActionEntry {
            rag: Rag::Complete,
            ..first.clone()
        };
        assert_conflict(
            store
                .save_action(challenge, Some(id), &complete, &s.pm, at(3))
                .await,
        );
        assert_conflict(
            store
                .save_action(
                    challenge,
                    None,
                    &entry("NOT-2", Rag::Red, day(9, 30)),
                    &s.pm,
                    at(3),
                )
                .await,
        );
        assert_conflict(
            store
                .apply_action_plan(challenge, &[complete], &s.pm, at(3))
                .await,
        );
        assert_eq!(plan_of(&store, challenge).await, before);
        assert_eq!(history_of(&store, id).await.len(), 1);
        assert!(audit_of(&store, "action.changed").await.is_empty());
    }
);

store_test!(
    an_uploaded_plan_changes_actions_by_reference_and_adds_the_rest,
    |store: Store| async move {
        let s = scheme(&store).await;
        let challenge = challenge_in(&store, &s, NOTTINGHAM, ChallengeState::NextSteps).await;
        let first = entry("NOT-1", Rag::Amber, day(6, 30));
        let second = entry("NOT-2", Rag::Red, day(9, 30));
        let first_id = save(&store, &s, challenge, None, &first, at(1)).await;
        let second_id = save(&store, &s, challenge, None, &second, at(1)).await;

        let uploaded = [
            ActionEntry {
                rag: Rag::Green,
                progress: vec![note(day(2, 1), "Training booked")],
                ..first.clone()
            },
            second.clone(),
            entry("NOT-3", Rag::Green, day(12, 31)),
        ];
        let applied = store
            .apply_action_plan(challenge, &uploaded, &s.pm, at(2))
            .await
            .expect("applied");
        assert_eq!(
            applied,
            PlanApplied {
                added: 1,
                changed: 1,
                unchanged: 1
            }
        );
        let plan = plan_of(&store, challenge).await;
        assert_eq!(
            plan.iter().map(|a| a.entry.clone()).collect::<Vec<_>>(),
            uploaded
        );
        assert_eq!(plan[0].id, first_id, "changed in place");
        assert_eq!(plan[1].id, second_id);
        assert_eq!(
            summaries(&store, first_id).await,
            [
                "Added to the plan",
                "RAG Amber to Green, 1 progress note(s) added"
            ]
        );
        assert_eq!(summaries(&store, second_id).await, ["Added to the plan"]);
        assert_eq!(summaries(&store, plan[2].id).await, ["Added to the plan"]);
        assert_eq!(plan[2].updated_at, at(2));
    }
);

store_test!(
    an_uploaded_plan_is_applied_all_or_nothing,
    |store: Store| async move {
        let s = scheme(&store).await;
        let challenge = challenge_in(&store, &s, NOTTINGHAM, ChallengeState::NextSteps).await;
        let first = entry("NOT-1", Rag::Amber, day(6, 30));
        let id = save(&store, &s, challenge, None, &first, at(1)).await;
        let before = plan_of(&store, challenge).await;
        let audit_before = store.audit_entry_count().await.expect("count");

        // The change to NOT-1 and the first NOT-2 are written before the second NOT-2
        // collides with it; the store refuses the collision and keeps neither.
        let colliding = [
            ActionEntry {
                rag: Rag::Green,
                ..first.clone()
            },
            entry("NOT-2", Rag::Red, day(9, 30)),
            entry("NOT-2", Rag::Amber, day(10, 31)),
        ];
        let refused = store
            .apply_action_plan(challenge, &colliding, &s.pm, at(2))
            .await;
        assert!(refused.is_err(), "expected a refusal, got {refused:?}");
        assert_eq!(plan_of(&store, challenge).await, before);
        assert_eq!(history_of(&store, id).await.len(), 1);
        assert_eq!(
            store.rag_changes(None).await.expect("changes"),
            [(id, at(1), Rag::Amber)]
        );
        assert_eq!(
            store.audit_entry_count().await.expect("count"),
            audit_before
        );

        // Once the challenge has moved on, a plan that would apply cleanly is refused too.
        step(
            &store,
            &s,
            challenge,
            ChallengeKind::OneDay,
            ChallengeState::NextSteps,
            ChallengeState::Closed,
        )
        .await;
        let clean = &colliding[..2];
        assert_conflict(
            store
                .apply_action_plan(challenge, clean, &s.pm, at(3))
                .await,
        );
        assert_eq!(plan_of(&store, challenge).await, before);
        assert_eq!(history_of(&store, id).await.len(), 1);
    }
);

store_test!(
    the_board_reads_an_areas_actions_and_every_change_in_time_order,
    |store: Store| async move {
        let s = scheme(&store).await;
        let nottingham = challenge_in(&store, &s, NOTTINGHAM, ChallengeState::NextSteps).await;
        let derby = challenge_in(&store, &s, DERBY, ChallengeState::NextSteps).await;
        let not_entry = entry("NOT-1", Rag::Amber, day(6, 30));
        let der_entry = entry("DER-1", Rag::Green, day(8, 31));
        let not_1 = save(&store, &s, nottingham, None, &not_entry, at(1)).await;
        let der_1 = save(&store, &s, derby, None, &der_entry, at(2)).await;
        let to_green = ActionEntry {
            rag: Rag::Green,
            ..not_entry
        };
        save(&store, &s, nottingham, Some(not_1), &to_green, at(3)).await;
        let to_red = ActionEntry {
            rag: Rag::Red,
            ..der_entry
        };
        save(&store, &s, derby, Some(der_1), &to_red, at(4)).await;
        let complete = ActionEntry {
            rag: Rag::Complete,
            ..to_green
        };
        save(&store, &s, nottingham, Some(not_1), &complete, at(5)).await;

        let ids = |actions: Vec<store::PlannedAction>| -> Vec<ActionId> {
            actions.into_iter().map(|a| a.id).collect()
        };
        let area = slug("nottingham");
        assert_eq!(
            ids(store.actions(Some(&area)).await.expect("actions")),
            [not_1]
        );
        assert_eq!(
            ids(store.actions(Some(&slug("derby"))).await.expect("actions")),
            [der_1]
        );
        assert!(
            store
                .actions(Some(&slug("leicester")))
                .await
                .expect("actions")
                .is_empty()
        );
        assert_eq!(
            ids(store.actions(None).await.expect("actions")),
            [der_1, not_1],
            "by area, then reference"
        );

        assert_eq!(
            store.rag_changes(None).await.expect("changes"),
            [
                (not_1, at(1), Rag::Amber),
                (der_1, at(2), Rag::Green),
                (not_1, at(3), Rag::Green),
                (der_1, at(4), Rag::Red),
                (not_1, at(5), Rag::Complete),
            ]
        );
        assert_eq!(
            store.rag_changes(Some(&area)).await.expect("changes"),
            [
                (not_1, at(1), Rag::Amber),
                (not_1, at(3), Rag::Green),
                (not_1, at(5), Rag::Complete),
            ]
        );
    }
);

/// The ids of every email in the outbox.
async fn outbox_ids(store: &Store) -> Vec<domain::OutboxId> {
    store
        .outbox_emails(1000)
        .await
        .expect("outbox")
        .into_iter()
        .map(|email| email.id)
        .collect()
}

/// The subjects and recipients of the emails queued since `before` was read, sorted.
async fn queued_since(store: &Store, before: &[domain::OutboxId]) -> Vec<(String, String)> {
    let mut queued: Vec<(String, String)> = store
        .outbox_emails(1000)
        .await
        .expect("outbox")
        .into_iter()
        .filter(|email| !before.contains(&email.id))
        .map(|email| (email.subject, email.to.as_str().to_owned()))
        .collect();
    queued.sort();
    queued
}

store_test!(
    a_reminder_is_sent_once_for_each_occasion,
    |store: Store| async move {
        let s = scheme(&store).await;
        let challenge = challenge_in(&store, &s, NOTTINGHAM, ChallengeState::NextSteps).await;
        let id = save(
            &store,
            &s,
            challenge,
            None,
            &entry("NOT-1", Rag::Amber, day(6, 30)),
            at(1),
        )
        .await;
        let leads = [&s.pm, &s.asha.principal];
        let emails = |subject: &str| -> Vec<NewEmail> {
            leads
                .iter()
                .map(|lead| NewEmail::text(lead.email.clone(), subject, "Please update it"))
                .collect()
        };
        let remind = |occasion: &'static str, subject: &'static str, minute: i64| {
            store.send_reminder_once(id, "due_soon", occasion, emails(subject), at(minute))
        };
        let both = |subject: &str| -> Vec<(String, String)> {
            vec![
                (subject.to_owned(), "asha.patel@example.org".to_owned()),
                (subject.to_owned(), "jo.bennett@example.org".to_owned()),
            ]
        };

        let before = outbox_ids(&store).await;
        assert!(
            remind("2027-06-30", "Due on 30 June", 2)
                .await
                .expect("sent")
        );
        assert_eq!(queued_since(&store, &before).await, both("Due on 30 June"));

        let before = outbox_ids(&store).await;
        assert!(
            !remind("2027-06-30", "Due on 30 June again", 3)
                .await
                .expect("not sent")
        );
        assert!(queued_since(&store, &before).await.is_empty());

        assert!(
            remind("2027-07-31", "Due on 31 July", 4)
                .await
                .expect("sent")
        );
        assert_eq!(queued_since(&store, &before).await, both("Due on 31 July"));

        // Another kind of reminder about the same day is its own.
        let before = outbox_ids(&store).await;
        assert!(
            store
                .send_reminder_once(id, "overdue", "2027-06-30", emails("Overdue"), at(5))
                .await
                .expect("sent")
        );
        assert_eq!(queued_since(&store, &before).await, both("Overdue"));
        assert_eq!(audit_of(&store, "action.reminded").await.len(), 3);
    }
);

fn case(reference: &str) -> domain::case_sample::CaseEntry {
    CaseAnswers {
        reference: reference.into(),
        age_band: CaseAgeBand::ElevenToFifteen.code().into(),
        need_type: NeedType::AutisticSpectrumDisorder.code().into(),
        setting_type: SettingType::MainstreamSecondary.code().into(),
        notes: "Annual review overdue".into(),
    }
    .check()
    .expect("a valid case")
}

/// A challenge at next steps with a sampled case, a recorded evidence note, a finding
/// citing it with a comment, a slide deck made final at `finalised` and one action.
async fn finished_challenge(store: &Store, s: &Scheme, finalised: DateTime<Utc>) -> ChallengeId {
    let challenge = challenge_in(store, s, NOTTINGHAM, ChallengeState::Visit).await;
    store
        .add_case(challenge, &case("NOT-2027-01"), s.pm.user_id, now())
        .await
        .expect("case");
    let note = EvidenceEntry {
        activity: None,
        kloe: Some(1),
        case_reference: None,
        kind: Some(EvidenceKind::Strength),
        note: "Young people chair their own reviews".into(),
    };
    let evidence = store
        .save_evidence(challenge, None, &note, true, s.asha.author(), None, now())
        .await
        .expect("recorded");
    step(
        store,
        s,
        challenge,
        ChallengeKind::OneDay,
        ChallengeState::Visit,
        ChallengeState::Reporting,
    )
    .await;
    let strength = FindingEntry {
        kloe: 1,
        kind: FindingKind::Strength,
        text: "Young people are heard".into(),
        evidence: vec![evidence],
    };
    let finding = store
        .add_finding(challenge, &strength, s.pm.user_id, now())
        .await
        .expect("finding");
    store
        .comment_on_finding(challenge, finding, "Name the forum", s.ben.author(), now())
        .await
        .expect("commented");
    agree_report(store, s, challenge, ReportFormat::SlideDeck, finalised).await;
    advance(
        store,
        &s.pm,
        challenge,
        ChallengeState::Reporting,
        ChallengeState::NextSteps,
    )
    .await;
    save(
        store,
        s,
        challenge,
        None,
        &entry("NOT-1", Rag::Amber, day(6, 30)),
        finalised,
    )
    .await;
    challenge
}

/// How much of each kind of record the challenge holds: evidence notes, comments on
/// findings, sampled cases, findings, report versions and actions.
async fn holdings(store: &Store, challenge: ChallengeId) -> [usize; 6] {
    let findings = store.findings(challenge).await.expect("findings");
    [
        store
            .recorded_evidence_ids(challenge)
            .await
            .expect("evidence")
            .len(),
        findings.iter().map(|f| f.comments.len()).sum(),
        store.case_sample(challenge).await.expect("cases").len(),
        findings.len(),
        store
            .report_versions(challenge)
            .await
            .expect("versions")
            .len(),
        plan_of(store, challenge).await.len(),
    ]
}

store_test!(
    working_notes_go_once_the_final_report_is_old_enough,
    |store: Store| async move {
        let s = scheme(&store).await;
        let old = finished_challenge(&store, &s, at(0)).await;
        let recent = finished_challenge(&store, &s, at(0) + Duration::days(80)).await;
        assert_eq!(holdings(&store, old).await, [1, 1, 1, 1, 1, 1]);
        let purge_at = at(0) + Duration::days(100);

        let purged = store
            .purge_working_notes(90, purge_at)
            .await
            .expect("purged");
        assert_eq!(
            purged,
            WorkingNotesPurged {
                challenges: 1,
                evidence_notes: 1,
                finding_comments: 1,
                sampled_cases: 1,
            }
        );
        assert_eq!(
            holdings(&store, old).await,
            [0, 0, 0, 1, 1, 1],
            "findings, reports and actions stay"
        );
        assert_eq!(holdings(&store, recent).await, [1, 1, 1, 1, 1, 1]);
        let entries = audit_of(&store, "retention.working_notes_purged").await;
        assert_eq!(entries.len(), 1);
        assert_eq!(
            (
                entries[0].object_kind.as_str(),
                entries[0].object_id.clone()
            ),
            ("challenge", old.to_string())
        );
        assert_eq!(entries[0].at, purge_at);
        assert_eq!(entries[0].actor, None);

        let again = store
            .purge_working_notes(90, purge_at)
            .await
            .expect("purged");
        assert!(again.is_empty(), "nothing more to remove: {again:?}");
        assert_eq!(holdings(&store, recent).await, [1, 1, 1, 1, 1, 1]);
        assert_eq!(
            audit_of(&store, "retention.working_notes_purged")
                .await
                .len(),
            1
        );
    }
);

// A change that only edits or removes progress notes is a change: saved, with its history.
store_test!(
    editing_or_removing_a_progress_note_is_saved,
    |store: Store| async move {
        let s = scheme(&store).await;
        let challenge = challenge_in(&store, &s, NOTTINGHAM, ChallengeState::NextSteps).await;
        let noted = ActionEntry {
            progress: vec![
                note(day(2, 1), "Training booked"),
                note(day(3, 1), "First session held"),
            ],
            ..entry("NOT-1", Rag::Amber, day(6, 30))
        };
        let id = save(&store, &s, challenge, None, &noted, at(1)).await;

        let corrected = ActionEntry {
            progress: vec![
                note(day(2, 1), "Training booked"),
                note(day(3, 1), "First two sessions held"),
            ],
            ..noted.clone()
        };
        save(&store, &s, challenge, Some(id), &corrected, at(2)).await;
        assert_eq!(action_of(&store, id).await.entry, corrected, "note edited");

        let trimmed = ActionEntry {
            progress: vec![note(day(3, 1), "First two sessions held")],
            ..corrected
        };
        save(&store, &s, challenge, Some(id), &trimmed, at(3)).await;
        assert_eq!(action_of(&store, id).await.entry, trimmed, "note removed");
        assert_eq!(history_of(&store, id).await.len(), 3);
    }
);
