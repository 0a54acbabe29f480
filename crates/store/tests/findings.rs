//! Evidence, findings and report versions on both databases, on challenges walked to the visit
//! and to reporting through the store's own moves: drafts seen only by their author, every read
//! of the evidence logged, findings citing recorded evidence of their own challenge only, and
//! report versions numbered per format, shared then made final, as the readiness counts.

use crate::support;

use domain::case_sample::CaseReference;
use domain::challenge::ChallengeKind;
use domain::findings::{
    EvidenceEntry, EvidenceKind, FindingEntry, FindingKind, ReportFormat, ReportStatus,
};
use domain::lifecycle::{ChallengeState, TransitionRefused, check_transition};
use domain::{ChallengeId, EvidenceId, ReportVersionId};
use store::{ReadSet, ReportComment, ReportVersion, Store, StoreError, store_test};
use support::challenge_walk::{
    Reviewer, Walk, advance, agree_report, assert_conflict, assert_not_found, at, audit_of,
    author_of, challenge_in, first_visit_day, now, scheme_with_host,
};

/// The challenges these tests walk: Nottingham's, asking two KLOEs, over one day or two.
const ONE_DAY: Walk = Walk {
    host: "nottingham",
    kind: ChallengeKind::OneDay,
    kloes: 2,
};
const TWO_DAY: Walk = Walk {
    kind: ChallengeKind::TwoDay,
    ..ONE_DAY
};

fn evidence_entry(kloe: u8, note: &str) -> EvidenceEntry {
    EvidenceEntry {
        activity: None,
        kloe: Some(kloe),
        case_reference: None,
        kind: Some(EvidenceKind::Strength),
        note: note.into(),
    }
}

/// A note the reviewer records straight away, for the team to see.
async fn record(
    store: &Store,
    challenge: ChallengeId,
    by: &Reviewer,
    kloe: u8,
    note: &str,
) -> EvidenceId {
    store
        .save_evidence(
            challenge,
            None,
            &evidence_entry(kloe, note),
            true,
            by.author(),
            None,
            now(),
        )
        .await
        .expect("recorded")
}

fn finding(kloe: u8, kind: FindingKind, text: &str, evidence: &[EvidenceId]) -> FindingEntry {
    FindingEntry {
        kloe,
        kind,
        text: text.into(),
        evidence: evidence.to_vec(),
    }
}

async fn findings_of(store: &Store, challenge: ChallengeId) -> Vec<store::Finding> {
    store.findings(challenge).await.expect("findings")
}

async fn reports_not_final(store: &Store, challenge: ChallengeId) -> usize {
    store
        .readiness(challenge, first_visit_day(), None)
        .await
        .expect("readiness")
        .reports_not_final
}

async fn new_version(
    store: &Store,
    challenge: ChallengeId,
    format: ReportFormat,
    content: &[u8],
    by: &Reviewer,
) -> ReportVersion {
    store
        .add_report_version(challenge, format, content.to_vec(), by.author(), now())
        .await
        .expect("version made")
}

async fn version(store: &Store, challenge: ChallengeId, id: ReportVersionId) -> ReportVersion {
    store
        .report_versions(challenge)
        .await
        .expect("versions")
        .into_iter()
        .find(|version| version.id == id)
        .expect("the version")
}

store_test!(
    a_note_checked_against_a_reading_of_the_challenge_since_changed_is_not_written,
    |store: Store| async move {
        let s = scheme_with_host(&store).await;
        let challenge = challenge_in(&store, &s, ONE_DAY, ChallengeState::Visit).await;
        let version = || store.read_set_version(ReadSet::Challenge);
        let read_at = version().await.expect("version");
        let entry = evidence_entry(1, "Families helped write the plans");
        let author = s.asha.author();
        let save = |existing, read_at| {
            store.save_evidence(
                challenge,
                existing,
                &entry,
                true,
                author,
                Some(read_at),
                now(),
            )
        };
        // Notes do not move the reading: the team records one after another against it.
        let first = save(None, read_at).await.expect("nothing changed since");
        let second = save(None, read_at).await.expect("still nothing");

        // Any change to what the reading read (here a new challenge) and both a new note and
        // a change to one are refused, with nothing written.
        challenge_in(&store, &s, TWO_DAY, ChallengeState::Requested).await;
        assert!(matches!(save(None, read_at).await, Err(StoreError::Stale)));
        assert!(matches!(
            save(Some(first), read_at).await,
            Err(StoreError::Stale)
        ));
        let own = store
            .own_evidence(challenge, s.asha.user())
            .await
            .expect("own");
        assert_eq!(
            own.iter().map(|n| n.id).collect::<Vec<_>>(),
            [first, second]
        );
        assert_eq!(audit_of(&store, "evidence.recorded").await.len(), 2);

        // Checked again against a fresh reading, it is written.
        let fresh = version().await.expect("version");
        save(None, fresh)
            .await
            .expect("saved against a fresh reading");
        save(Some(first), fresh)
            .await
            .expect("changed against a fresh reading");
        assert_eq!(audit_of(&store, "evidence.recorded").await.len(), 4);
    }
);

store_test!(
    a_draft_is_seen_only_by_its_author_until_it_is_recorded,
    |store: Store| async move {
        let s = scheme_with_host(&store).await;
        let challenge = challenge_in(&store, &s, ONE_DAY, ChallengeState::Visit).await;
        let (asha, ben) = (s.asha.user(), s.ben.user());
        let activity = store.timetable(challenge).await.expect("timetable")[0].id;
        let entry = EvidenceEntry {
            activity: Some(activity),
            kloe: Some(2),
            case_reference: Some(CaseReference::parse("NOT-2027-01").expect("reference")),
            kind: Some(EvidenceKind::AreaForDevelopment),
            note: "The plan was written before the family was asked".into(),
        };
        let draft = store
            .save_evidence(challenge, None, &entry, false, s.asha.author(), None, at(1))
            .await
            .expect("draft saved");

        let own = store.own_evidence(challenge, asha).await.expect("own");
        assert_eq!(own.iter().map(|n| n.id).collect::<Vec<_>>(), [draft]);
        assert_eq!(own[0].entry, entry);
        assert!(!own[0].recorded);
        assert_eq!(own[0].author, Some(asha));
        assert_eq!(own[0].author_name, "Asha Patel");
        assert!(
            store
                .own_evidence(challenge, ben)
                .await
                .expect("own")
                .is_empty()
        );
        assert_eq!(
            store
                .own_evidence_note(challenge, draft, ben)
                .await
                .expect("lookup"),
            None
        );
        assert!(
            store
                .evidence(challenge, Some(ben), at(2))
                .await
                .expect("read")
                .is_empty()
        );
        assert!(
            store
                .recorded_evidence_ids(challenge)
                .await
                .expect("ids")
                .is_empty()
        );

        // Ben can neither change nor delete Asha's note, and trying leaves it as it was.
        let takeover = EvidenceEntry {
            note: "Rewritten by someone else".into(),
            ..entry.clone()
        };
        assert_not_found(
            store
                .save_evidence(
                    challenge,
                    Some(draft),
                    &takeover,
                    true,
                    s.ben.author(),
                    None,
                    at(3),
                )
                .await,
        );
        assert_not_found(store.delete_evidence(challenge, draft, ben, at(3)).await);
        let untouched = store
            .own_evidence_note(challenge, draft, asha)
            .await
            .expect("lookup")
            .expect("still Asha's");
        assert_eq!(
            (untouched.entry, untouched.recorded),
            (entry.clone(), false)
        );

        // Recorded, the team reads it.
        let recorded = store
            .save_evidence(
                challenge,
                Some(draft),
                &entry,
                true,
                s.asha.author(),
                None,
                at(4),
            )
            .await
            .expect("recorded");
        assert_eq!(recorded, draft, "recording keeps the note");
        let read = store
            .evidence(challenge, Some(ben), at(5))
            .await
            .expect("read");
        assert_eq!(read.iter().map(|n| n.id).collect::<Vec<_>>(), [draft]);
        assert!(read[0].recorded);
        assert_eq!(read[0].entry, entry);
        assert_eq!(
            store.recorded_evidence_ids(challenge).await.expect("ids"),
            [draft]
        );

        // It cannot go back to being a draft; saved again as recorded, it changes.
        let edited = EvidenceEntry {
            note: "The plan was agreed before the family was asked".into(),
            ..entry.clone()
        };
        assert_conflict(
            store
                .save_evidence(
                    challenge,
                    Some(draft),
                    &edited,
                    false,
                    s.asha.author(),
                    None,
                    at(6),
                )
                .await,
        );
        let unchanged = store
            .own_evidence_note(challenge, draft, asha)
            .await
            .expect("lookup")
            .expect("Asha's");
        assert_eq!((&unchanged.entry, unchanged.recorded), (&entry, true));
        store
            .save_evidence(
                challenge,
                Some(draft),
                &edited,
                true,
                s.asha.author(),
                None,
                at(6),
            )
            .await
            .expect("saved");
        let kept = store
            .own_evidence_note(challenge, draft, asha)
            .await
            .expect("lookup")
            .expect("Asha's");
        assert_eq!((kept.entry, kept.recorded), (edited, true));

        store
            .delete_evidence(challenge, draft, asha, at(7))
            .await
            .expect("deleted by its author");
        assert!(
            store
                .own_evidence(challenge, asha)
                .await
                .expect("own")
                .is_empty()
        );
        assert!(
            store
                .recorded_evidence_ids(challenge)
                .await
                .expect("ids")
                .is_empty()
        );
    }
);

store_test!(
    every_read_of_the_evidence_is_in_the_audit_log,
    |store: Store| async move {
        let s = scheme_with_host(&store).await;
        let challenge = challenge_in(&store, &s, ONE_DAY, ChallengeState::Visit).await;
        record(
            &store,
            challenge,
            &s.asha,
            1,
            "Young people chair their own reviews",
        )
        .await;
        let entries_before = store.audit_entry_count().await.expect("count");

        for minute in [1, 2] {
            store
                .evidence(challenge, Some(s.ben.user()), at(minute))
                .await
                .expect("read");
        }
        let reads = audit_of(&store, "evidence.read").await;
        assert_eq!(reads.len(), 2, "each read is recorded");
        for read in &reads {
            assert_eq!(read.actor, Some(s.ben.user()));
            assert_eq!(read.object_kind, "challenge");
            assert_eq!(read.object_id, challenge.to_string());
            assert!(!read.summary.contains("chair"), "{}", read.summary);
        }
        assert_eq!(
            store.audit_entry_count().await.expect("count"),
            entries_before + 2,
            "a read writes its audit entry and nothing else"
        );

        // The ids a finding may cite are not a read of the notes.
        store.recorded_evidence_ids(challenge).await.expect("ids");
        assert_eq!(audit_of(&store, "evidence.read").await.len(), 2);
    }
);

store_test!(
    nothing_is_written_outside_the_visit_and_reporting,
    |store: Store| async move {
        let s = scheme_with_host(&store).await;
        let by = s.pm.user_id;
        let challenge = challenge_in(&store, &s, ONE_DAY, ChallengeState::Scheduled).await;
        let entry = evidence_entry(1, "Seen before the visit");
        let strength = finding(1, FindingKind::Strength, "Strong co-production", &[]);
        assert_conflict(
            store
                .save_evidence(challenge, None, &entry, true, s.asha.author(), None, now())
                .await,
        );
        assert_conflict(store.add_finding(challenge, &strength, by, now()).await);

        advance(
            &store,
            &s.pm,
            challenge,
            ChallengeState::Scheduled,
            ChallengeState::Visit,
        )
        .await;
        let note = record(&store, challenge, &s.asha, 1, "Seen on the visit").await;
        let slides = ReportFormat::SlideDeck;
        assert_conflict(
            store
                .add_report_version(challenge, slides, b"early".to_vec(), s.asha.author(), now())
                .await,
        );

        advance(
            &store,
            &s.pm,
            challenge,
            ChallengeState::Visit,
            ChallengeState::Reporting,
        )
        .await;
        let id = store
            .add_finding(challenge, &strength, by, now())
            .await
            .expect("added while reporting");
        agree_report(&store, &s, challenge, slides, now()).await;
        advance(
            &store,
            &s.pm,
            challenge,
            ChallengeState::Reporting,
            ChallengeState::NextSteps,
        )
        .await;

        let author = s.asha.author();
        let user = s.asha.user();
        assert_conflict(
            store
                .save_evidence(challenge, None, &entry, true, author, None, now())
                .await,
        );
        assert_conflict(
            store
                .save_evidence(challenge, Some(note), &entry, true, author, None, now())
                .await,
        );
        assert_conflict(store.delete_evidence(challenge, note, user, now()).await);
        assert_conflict(store.add_finding(challenge, &strength, by, now()).await);
        assert_conflict(
            store
                .update_finding(challenge, id, &strength, by, now())
                .await,
        );
        assert_conflict(
            store
                .comment_on_finding(challenge, id, "Agreed", author, now())
                .await,
        );
        assert_conflict(store.delete_finding(challenge, id, by, now()).await);
        assert_conflict(
            store
                .add_report_version(challenge, slides, b"late".to_vec(), author, now())
                .await,
        );
        // What was written stays.
        assert_eq!(
            store.recorded_evidence_ids(challenge).await.expect("ids"),
            [note]
        );
        assert_eq!(findings_of(&store, challenge).await.len(), 1);
    }
);

store_test!(
    findings_come_by_kloe_then_strengths_developments_and_recommendations,
    |store: Store| async move {
        let s = scheme_with_host(&store).await;
        let challenge = challenge_in(&store, &s, ONE_DAY, ChallengeState::Reporting).await;
        let written = [
            (
                2,
                FindingKind::Recommendation,
                "2: publish the timeliness data",
            ),
            (
                1,
                FindingKind::Recommendation,
                "1: agree a transitions protocol",
            ),
            (1, FindingKind::Strength, "1: young people chair reviews"),
            (
                2,
                FindingKind::AreaForDevelopment,
                "2: plans finalised late",
            ),
            (
                1,
                FindingKind::AreaForDevelopment,
                "1: little work experience",
            ),
            (1, FindingKind::Strength, "1: a strong youth forum"),
        ];
        for (minute, (kloe, kind, text)) in (1..).zip(written) {
            store
                .add_finding(
                    challenge,
                    &finding(kloe, kind, text, &[]),
                    s.pm.user_id,
                    at(minute),
                )
                .await
                .expect("added");
        }
        let findings = findings_of(&store, challenge).await;
        assert_eq!(
            findings
                .iter()
                .map(|f| f.entry.text.as_str())
                .collect::<Vec<_>>(),
            [
                "1: young people chair reviews",
                "1: a strong youth forum",
                "1: little work experience",
                "1: agree a transitions protocol",
                "2: plans finalised late",
                "2: publish the timeliness data",
            ]
        );
        assert!(findings.iter().all(|f| f.challenge == challenge));
        assert_eq!(audit_of(&store, "finding.added").await.len(), written.len());
    }
);

store_test!(
    a_finding_cites_only_recorded_evidence_of_its_own_challenge,
    |store: Store| async move {
        let s = scheme_with_host(&store).await;
        let by = s.pm.user_id;
        let challenge = challenge_in(&store, &s, ONE_DAY, ChallengeState::Reporting).await;
        let other = challenge_in(&store, &s, ONE_DAY, ChallengeState::Reporting).await;
        let recorded = record(&store, challenge, &s.asha, 1, "Reviews are person-centred").await;
        let draft = store
            .save_evidence(
                challenge,
                None,
                &evidence_entry(1, "Half a thought"),
                false,
                s.asha.author(),
                None,
                now(),
            )
            .await
            .expect("draft");
        let foreign = record(&store, other, &s.asha, 1, "Seen on another visit").await;

        let cited_once = finding(
            1,
            FindingKind::Strength,
            "Person-centred reviews",
            &[recorded],
        );
        let id = store
            .add_finding(challenge, &cited_once, by, at(1))
            .await
            .expect("added");
        for refused in [draft, foreign] {
            let citing = finding(
                1,
                FindingKind::Strength,
                "Citing too much",
                &[recorded, refused],
            );
            assert_conflict(store.add_finding(challenge, &citing, by, at(2)).await);
            assert_conflict(
                store
                    .update_finding(challenge, id, &citing, by, at(2))
                    .await,
            );
        }

        // Nothing was written: the one finding keeps its words and its single link.
        let findings = findings_of(&store, challenge).await;
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].id, id);
        assert_eq!(findings[0].entry, cited_once);
        assert_eq!(findings[0].updated_at, at(1));
        assert_eq!(audit_of(&store, "finding.added").await.len(), 1);
        assert!(audit_of(&store, "finding.changed").await.is_empty());
        assert!(findings_of(&store, other).await.is_empty());
        // Nor is a finding reached through another challenge.
        assert_not_found(
            store
                .update_finding(other, id, &cited_once, by, at(3))
                .await,
        );
    }
);

store_test!(
    changing_a_finding_replaces_its_evidence_and_a_deleted_note_drops_out,
    |store: Store| async move {
        let s = scheme_with_host(&store).await;
        let by = s.pm.user_id;
        let challenge = challenge_in(&store, &s, ONE_DAY, ChallengeState::Reporting).await;
        let first = record(
            &store,
            challenge,
            &s.asha,
            1,
            "Forum minutes show influence",
        )
        .await;
        let second = record(&store, challenge, &s.ben, 1, "Leaders quote the forum").await;
        let third = record(&store, challenge, &s.ben, 2, "Plans arrive after 20 weeks").await;

        let id = store
            .add_finding(
                challenge,
                &finding(
                    1,
                    FindingKind::Strength,
                    "The youth forum is heard",
                    &[second, first],
                ),
                by,
                at(1),
            )
            .await
            .expect("added");
        assert_eq!(
            findings_of(&store, challenge).await[0].entry.evidence,
            [second, first],
            "the evidence comes back in the order cited"
        );

        let changed = finding(
            2,
            FindingKind::Recommendation,
            "Plan on time",
            &[second, third],
        );
        store
            .update_finding(challenge, id, &changed, by, at(2))
            .await
            .expect("changed");
        let after = &findings_of(&store, challenge).await[0];
        assert_eq!(
            (
                after.entry.kloe,
                after.entry.kind,
                after.entry.text.as_str()
            ),
            (2, FindingKind::Recommendation, "Plan on time")
        );
        assert_eq!(
            after.entry.evidence,
            [second, third],
            "the links are replaced"
        );
        assert_eq!(after.updated_at, at(2));

        store
            .delete_evidence(challenge, second, s.ben.user(), at(3))
            .await
            .expect("deleted");
        let kept = findings_of(&store, challenge).await;
        assert_eq!(kept.len(), 1, "the finding stays");
        assert_eq!(kept[0].entry.text, "Plan on time");
        assert_eq!(kept[0].entry.evidence, [third]);
    }
);

store_test!(
    comments_on_a_finding_come_oldest_first_and_go_with_it,
    |store: Store| async move {
        let s = scheme_with_host(&store).await;
        let by = s.pm.user_id;
        let challenge = challenge_in(&store, &s, ONE_DAY, ChallengeState::Reporting).await;
        let other = challenge_in(&store, &s, ONE_DAY, ChallengeState::Reporting).await;
        let id = store
            .add_finding(
                challenge,
                &finding(1, FindingKind::Strength, "A strong forum", &[]),
                by,
                now(),
            )
            .await
            .expect("added");
        for (minute, (who, text)) in (1..).zip([
            (&s.asha, "Name the forum"),
            (&s.ben, "Add the attendance figure"),
            (&s.asha, "Done"),
        ]) {
            store
                .comment_on_finding(challenge, id, text, who.author(), at(minute))
                .await
                .expect("commented");
        }
        let comments = &findings_of(&store, challenge).await[0].comments;
        assert_eq!(
            comments
                .iter()
                .map(|c| (c.author_name.as_str(), c.text.as_str(), c.created_at))
                .collect::<Vec<_>>(),
            [
                ("Asha Patel", "Name the forum", at(1)),
                ("Ben Carter", "Add the attendance figure", at(2)),
                ("Asha Patel", "Done", at(3)),
            ]
        );
        assert_not_found(
            store
                .comment_on_finding(other, id, "Wrong challenge", s.ben.author(), at(4))
                .await,
        );
        assert_not_found(store.delete_finding(other, id, by, at(4)).await);

        store
            .delete_finding(challenge, id, by, at(5))
            .await
            .expect("deleted");
        assert!(findings_of(&store, challenge).await.is_empty());
        assert_not_found(store.delete_finding(challenge, id, by, at(6)).await);
        assert_not_found(
            store
                .comment_on_finding(challenge, id, "Too late", s.ben.author(), at(6))
                .await,
        );
    }
);

store_test!(
    report_versions_are_numbered_per_format_and_kept_byte_for_byte,
    |store: Store| async move {
        let s = scheme_with_host(&store).await;
        let challenge = challenge_in(&store, &s, TWO_DAY, ChallengeState::Reporting).await;
        let other = challenge_in(&store, &s, TWO_DAY, ChallengeState::Reporting).await;
        let first_deck: &[u8] = b"PK\x03\x04\x00\xff deck one";
        let deck_one = new_version(
            &store,
            challenge,
            ReportFormat::SlideDeck,
            first_deck,
            &s.asha,
        )
        .await;
        let deck_two = new_version(
            &store,
            challenge,
            ReportFormat::SlideDeck,
            b"PK deck two",
            &s.ben,
        )
        .await;
        let report_one = new_version(
            &store,
            challenge,
            ReportFormat::WrittenReport,
            b"PK report",
            &s.asha,
        )
        .await;
        assert_eq!(
            [deck_one.version, deck_two.version, report_one.version],
            [1, 2, 1]
        );
        assert_eq!(deck_one.status, ReportStatus::Draft);
        assert_eq!(
            deck_one.size_bytes,
            i64::try_from(first_deck.len()).expect("size")
        );
        assert_eq!(deck_one.created_by_name, "Asha Patel");
        assert_eq!(
            deck_one.file_name("PC-2027-001"),
            "PC-2027-001-slides-v1.pptx"
        );
        assert_eq!(
            store
                .report_versions(challenge)
                .await
                .expect("versions")
                .iter()
                .map(|v| v.id)
                .collect::<Vec<_>>(),
            [report_one.id, deck_two.id, deck_one.id],
            "by format, newest first"
        );
        assert!(
            store
                .report_versions(other)
                .await
                .expect("versions")
                .is_empty()
        );

        let (found, content) = store
            .report_file(challenge, deck_one.id)
            .await
            .expect("file")
            .expect("found");
        assert_eq!(found, deck_one);
        assert_eq!(content, first_deck);
        assert_eq!(
            store.report_file(other, deck_one.id).await.expect("file"),
            None
        );
        assert_eq!(
            store
                .report_file(challenge, ReportVersionId::new())
                .await
                .expect("file"),
            None
        );
        assert_eq!(audit_of(&store, "report.generated").await.len(), 3);
    }
);

store_test!(
    only_the_newest_version_is_shared_then_made_final,
    |store: Store| async move {
        let s = scheme_with_host(&store).await;
        let by = s.pm.user_id;
        let challenge = challenge_in(&store, &s, ONE_DAY, ChallengeState::Reporting).await;
        let slides = ReportFormat::SlideDeck;
        assert_eq!(reports_not_final(&store, challenge).await, 1);
        let older = new_version(&store, challenge, slides, b"v1", &s.asha).await;
        let newest = new_version(&store, challenge, slides, b"v2", &s.asha).await;
        let host = author_of(s.host());

        assert_conflict(store.share_report(challenge, older.id, by, at(1)).await);
        assert_conflict(store.finalise_report(challenge, newest.id, by, at(1)).await);
        assert_conflict(
            store
                .comment_on_report(challenge, newest.id, "Not shared yet", host, at(1))
                .await,
        );
        assert_not_found(
            store
                .share_report(challenge, ReportVersionId::new(), by, at(1))
                .await,
        );

        store
            .share_report(challenge, newest.id, by, at(2))
            .await
            .expect("shared");
        let shared = version(&store, challenge, newest.id).await;
        assert_eq!(
            (shared.status, shared.shared_at),
            (ReportStatus::Shared, Some(at(2)))
        );
        assert_eq!(
            version(&store, challenge, older.id).await.status,
            ReportStatus::Draft
        );
        assert_conflict(store.share_report(challenge, newest.id, by, at(3)).await);

        let correction = "The 2026 figure is 41, not 14";
        store
            .comment_on_report(challenge, newest.id, correction, host, at(3))
            .await
            .expect("commented");
        assert_conflict(
            store
                .comment_on_report(challenge, older.id, "On a draft", host, at(3))
                .await,
        );
        assert_eq!(
            version(&store, challenge, newest.id).await.comments,
            [ReportComment {
                author_name: "Nadia Host".into(),
                text: correction.into(),
                created_at: at(3),
            }]
        );
        assert_eq!(
            reports_not_final(&store, challenge).await,
            1,
            "shared is not final"
        );

        store
            .finalise_report(challenge, newest.id, by, at(4))
            .await
            .expect("final");
        let agreed = version(&store, challenge, newest.id).await;
        assert_eq!(
            (agreed.status, agreed.finalised_at),
            (ReportStatus::Final, Some(at(4)))
        );
        assert_eq!(reports_not_final(&store, challenge).await, 0);

        assert_conflict(
            store
                .add_report_version(challenge, slides, b"v3".to_vec(), s.asha.author(), at(5))
                .await,
        );
        assert_conflict(store.finalise_report(challenge, newest.id, by, at(5)).await);
        assert_conflict(
            store
                .comment_on_report(challenge, newest.id, "After the fact", host, at(5))
                .await,
        );
        assert_eq!(
            store
                .report_versions(challenge)
                .await
                .expect("versions")
                .len(),
            2
        );
        // The one-day challenge's final slides do not close the other format.
        new_version(
            &store,
            challenge,
            ReportFormat::WrittenReport,
            b"notes",
            &s.asha,
        )
        .await;
    }
);

store_test!(
    a_two_day_challenge_owes_both_reports_before_next_steps,
    |store: Store| async move {
        let s = scheme_with_host(&store).await;
        let challenge = challenge_in(&store, &s, TWO_DAY, ChallengeState::Reporting).await;
        let owed = store
            .readiness(challenge, first_visit_day(), None)
            .await
            .expect("readiness");
        assert_eq!(owed.reports_not_final, 2);
        assert_eq!(
            check_transition(ChallengeState::Reporting, ChallengeState::NextSteps, &owed).err(),
            Some(TransitionRefused::ReportsNotFinal(2))
        );

        agree_report(&store, &s, challenge, ReportFormat::SlideDeck, now()).await;
        assert_eq!(reports_not_final(&store, challenge).await, 1);
        agree_report(&store, &s, challenge, ReportFormat::WrittenReport, now()).await;
        assert_eq!(reports_not_final(&store, challenge).await, 0);
        advance(
            &store,
            &s.pm,
            challenge,
            ChallengeState::Reporting,
            ChallengeState::NextSteps,
        )
        .await;
    }
);

#[path = "findings/work.rs"]
mod work;

store_test!(
    a_visit_is_replanned_only_while_the_state_allows_it,
    |store: Store| async move {
        // The store took a new visit plan in any state: a page shown before the challenge
        // moved on could still change the days of a scheduled visit.
        let s = scheme_with_host(&store).await;
        let plan = domain::challenge::VisitPlan {
            days: vec![first_visit_day()],
            seats: ChallengeKind::OneDay.default_seats(),
        };
        let scheduled = challenge_in(&store, &s, ONE_DAY, ChallengeState::Scheduled).await;
        assert_conflict(store.plan_visit(&s.pm, scheduled, &plan, now()).await);
        let confirmed = challenge_in(&store, &s, ONE_DAY, ChallengeState::TeamConfirmed).await;
        store
            .plan_visit(&s.pm, confirmed, &plan, now())
            .await
            .expect("still allowed with the team confirmed");
    }
);
