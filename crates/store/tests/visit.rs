//! Visit preparation on both databases: the timetable with its reviewers, the case sample
//! (duplicates refused, references readable on their own) and the pre-reading (every
//! download in the audit log), all refused once the challenge has moved past preparation.

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use domain::case_sample::{CaseAgeBand, CaseAnswers, CaseEntry, NeedType, SettingType};
use domain::challenge::{ChallengeKind, ChallengeRequest, Kloe, SeatRole, VisitFormat, VisitPlan};
use domain::lifecycle::ChallengeState;
use domain::pool::{DateRange, HomeArea, MemberProfile, ReviewerType};
use domain::timetable::{ActivityKind, ActivityPlan, Clash, find_clashes};
use domain::{
    ActivityId, AuthoritySlug, CaseId, ChallengeId, DocumentId, EmailAddress, NewPassword,
    PersonName, Principal, Role, RoleGrant, TeamMemberId,
};
use std::collections::BTreeSet;

use store::test_support::tables_read;
use store::{
    AuditFilter, DocumentKind, NewDocument, NewTeamMember, NewUser, ReadSet, Store, StoreError,
    store_test,
};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 2, 1, 9, 0, 0)
        .single()
        .expect("time")
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, 3, d).expect("date")
}

fn at(hour: u32, minute: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(hour, minute, 0).expect("time")
}

async fn project_manager(store: &Store) -> Principal {
    let user = NewUser {
        name: PersonName::parse("Jo Bennett").expect("name"),
        email: EmailAddress::parse("pm@example.org").expect("email"),
        grants: vec![RoleGrant::new(Role::ProjectManager, None).expect("grant")],
    };
    let hash = NewPassword::parse("a long test passphrase", "a long test passphrase")
        .expect("password")
        .hash();
    let id = store.ensure_user(&user, &hash, now()).await.expect("pm");
    store
        .principal(id)
        .await
        .expect("principal")
        .expect("an account")
}

fn profile(name: &str, kind: ReviewerType) -> MemberProfile {
    let email = format!("{}@example.org", name.to_lowercase().replace(' ', "."));
    MemberProfile {
        name: PersonName::parse(name).expect("name"),
        email: EmailAddress::parse(&email).expect("email"),
        phone: None,
        reviewer_type: kind,
        organisation: "Example Council".into(),
        home: HomeArea::Authority(AuthoritySlug::parse("derby").expect("slug")),
        experience: String::new(),
        adjustments: String::new(),
        needs_training: false,
        trained_on: None,
        online_only: false,
        max_per_year: 4,
        expertise: vec![],
        unavailable: vec![],
        conflicts: vec![],
        travel_to: vec![],
    }
}

/// A two-day challenge for Nottingham in scoping, visiting on 11 and 12 March 2027, with
/// two proposed reviewers.
struct Fixture {
    pm: Principal,
    challenge: ChallengeId,
    team: Vec<TeamMemberId>,
}

async fn challenge(
    store: &Store,
    pm: &Principal,
    names: &[&str],
) -> (ChallengeId, Vec<TeamMemberId>) {
    let request = ChallengeRequest {
        kind: ChallengeKind::TwoDay,
        format: VisitFormat::OnSite,
        partners: vec![],
        windows: vec![DateRange::new(day(1), day(31)).expect("window")],
        focus: "Transitions to adulthood".into(),
        kloes: vec![
            Kloe {
                question: "How well do young people prepare for adulthood?".into(),
                themes: vec![],
            },
            Kloe {
                question: "How timely are EHC plans?".into(),
                themes: vec![],
            },
        ],
    };
    let nottingham = AuthoritySlug::parse("nottingham").expect("slug");
    let id = store
        .request_challenge(pm, &nottingham, &request, now())
        .await
        .expect("request");
    store
        .move_challenge(
            pm,
            id,
            ChallengeState::Requested,
            ChallengeState::Scoping,
            None,
            now(),
        )
        .await
        .expect("scoping");
    store
        .plan_visit(
            pm,
            id,
            &VisitPlan {
                days: vec![day(11), day(12)],
                seats: ChallengeKind::TwoDay.default_seats(),
            },
            now(),
        )
        .await
        .expect("visit");
    let mut team = Vec::new();
    for name in names {
        let member = store
            .add_pool_member(&profile(name, ReviewerType::LaOfficer), None, None, now())
            .await
            .expect("member");
        let seat = NewTeamMember {
            member,
            seat_role: SeatRole::LaOfficer,
            shadowing: false,
            reasons: String::new(),
        };
        team.push(
            store
                .add_team_member(pm, id, &seat, None, now())
                .await
                .expect("seat"),
        );
    }
    (id, team)
}

async fn fixture(store: &Store) -> Fixture {
    let pm = project_manager(store).await;
    let (challenge, team) = challenge(store, &pm, &["Asha Patel", "Ben Carter"]).await;
    Fixture {
        pm,
        challenge,
        team,
    }
}

fn plan(
    d: u32,
    (starts, ends): (NaiveTime, NaiveTime),
    title: &str,
    reviewers: &[TeamMemberId],
) -> ActivityPlan {
    ActivityPlan {
        day: day(d),
        starts,
        ends,
        kind: ActivityKind::CaseSampling,
        title: title.into(),
        place: "Room 2, Loxley House".into(),
        kloe: Some(1),
        reviewers: reviewers.to_vec(),
    }
}

async fn actions(store: &Store, action: &str) -> Vec<store::AuditEntry> {
    store
        .audit_entries(
            &AuditFilter {
                action: Some(action.into()),
                ..AuditFilter::default()
            },
            100,
        )
        .await
        .expect("audit")
}

store_test!(
    the_timetable_keeps_activities_with_their_reviewers,
    |store: Store| async move {
        let f = fixture(&store).await;
        let by = f.pm.user_id;
        let [asha, ben] = [f.team[0], f.team[1]];
        let afternoon = store
            .add_activity(
                f.challenge,
                &plan(
                    11,
                    (at(13, 0), at(15, 30)),
                    "Case sampling, afternoon",
                    &[ben, asha],
                ),
                by,
                now(),
            )
            .await
            .expect("added");
        let mut morning_plan = plan(
            11,
            (at(9, 30), at(12, 0)),
            "Case sampling, morning",
            &[asha],
        );
        morning_plan.kloe = None;
        morning_plan.kind = ActivityKind::Interview;
        let morning = store
            .add_activity(f.challenge, &morning_plan, by, now())
            .await
            .expect("added");

        let timetable = store.timetable(f.challenge).await.expect("timetable");
        assert_eq!(
            timetable.iter().map(|a| a.id).collect::<Vec<_>>(),
            [morning, afternoon],
            "by start time"
        );
        let first = &timetable[0];
        assert_eq!(first.plan(), morning_plan);
        // Reviewers read in seat order, whatever order they were ticked in.
        assert_eq!(timetable[1].reviewers, [asha, ben]);
        assert_eq!(timetable[1].kloe, Some(1));
        assert_eq!(
            store.activity(f.challenge, afternoon).await.expect("one"),
            Some(timetable[1].clone())
        );

        // An edit replaces the details and the reviewers.
        let mut changed = plan(12, (at(10, 0), at(11, 0)), "Focus group", &[ben]);
        changed.kind = ActivityKind::FocusGroupParents;
        store
            .update_activity(f.challenge, afternoon, &changed, by, now())
            .await
            .expect("updated");
        let edited = store
            .activity(f.challenge, afternoon)
            .await
            .expect("one")
            .expect("still there");
        assert_eq!(edited.plan(), changed);

        store
            .delete_activity(f.challenge, morning, by, now())
            .await
            .expect("deleted");
        assert_eq!(
            store.timetable(f.challenge).await.expect("timetable").len(),
            1
        );
        assert!(matches!(
            store.delete_activity(f.challenge, morning, by, now()).await,
            Err(StoreError::NotFound)
        ));

        // Every change is in the log, by id, without the typed title or place.
        for action in [
            "timetable.activity_added",
            "timetable.activity_changed",
            "timetable.activity_deleted",
        ] {
            let entries = actions(&store, action).await;
            assert!(!entries.is_empty(), "{action}");
            for entry in entries {
                assert_eq!(entry.actor, Some(by));
                assert_eq!(entry.object_kind, "activity");
                assert!(
                    !entry.summary.contains("Case sampling,"),
                    "{}",
                    entry.summary
                );
                assert!(!entry.summary.contains("Loxley"), "{}", entry.summary);
            }
        }
    }
);

store_test!(
    reviewers_must_hold_a_seat_on_this_challenge,
    |store: Store| async move {
        let f = fixture(&store).await;
        let (other, other_team) = challenge(&store, &f.pm, &["Cara Jones"]).await;
        let result = store
            .add_activity(
                f.challenge,
                &plan(11, (at(9, 0), at(10, 0)), "Huddle", &[other_team[0]]),
                f.pm.user_id,
                now(),
            )
            .await;
        assert!(matches!(result, Err(StoreError::Conflict(_))), "{result:?}");
        assert!(
            store
                .timetable(f.challenge)
                .await
                .expect("timetable")
                .is_empty()
        );
        assert!(store.timetable(other).await.expect("timetable").is_empty());

        // Someone taken off the team leaves the activities they were in.
        let id = store
            .add_activity(
                f.challenge,
                &plan(11, (at(9, 0), at(10, 0)), "Huddle", &f.team),
                f.pm.user_id,
                now(),
            )
            .await
            .expect("added");
        store
            .remove_team_member(&f.pm, f.team[1], now())
            .await
            .expect("removed");
        let huddle = store
            .activity(f.challenge, id)
            .await
            .expect("one")
            .expect("still there");
        assert_eq!(huddle.reviewers, [f.team[0]]);
        // An activity of another challenge is not found through this one.
        assert_eq!(store.activity(other, id).await.expect("lookup"), None);
    }
);

store_test!(
    clashes_are_found_over_the_stored_timetable,
    |store: Store| async move {
        let f = fixture(&store).await;
        let asha = f.team[0];
        let mut ids: Vec<ActivityId> = Vec::new();
        for (d, times, title) in [
            (11, (at(9, 0), at(11, 0)), "Case sampling"),
            (11, (at(10, 30), at(12, 0)), "Interview"),
            (15, (at(9, 0), at(10, 0)), "Feedback"),
        ] {
            ids.push(
                store
                    .add_activity(
                        f.challenge,
                        &plan(d, times, title, &[asha]),
                        f.pm.user_id,
                        now(),
                    )
                    .await
                    .expect("a clash is flagged, not refused"),
            );
        }
        let record = store
            .challenge(f.challenge)
            .await
            .expect("load")
            .expect("challenge");
        let scheduled: Vec<_> = store
            .timetable(f.challenge)
            .await
            .expect("timetable")
            .iter()
            .map(store::Activity::scheduled)
            .collect();
        let clashes = find_clashes(&record.visit_days, &scheduled);
        assert!(clashes.contains(&Clash::ReviewerDoubleBooked {
            reviewer: asha,
            day: day(11),
            first: ids[0],
            second: ids[1],
        }));
        assert!(
            clashes
                .iter()
                .any(|clash| matches!(clash, Clash::PlaceDoubleBooked { .. }))
        );
        assert!(clashes.contains(&Clash::OutsideVisitDays {
            activity: ids[2],
            day: day(15),
        }));
    }
);

fn case(reference: &str) -> CaseEntry {
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

store_test!(
    the_case_sample_refuses_a_reference_twice,
    |store: Store| async move {
        let f = fixture(&store).await;
        let by = f.pm.user_id;
        let second = store
            .add_case(f.challenge, &case("NOT-2027-02"), by, now())
            .await
            .expect("added");
        let first = store
            .add_case(f.challenge, &case("NOT-2027-01"), by, now())
            .await
            .expect("added");
        // References are stored in capitals, so a lower-case repeat is the same case.
        let again = store
            .add_case(f.challenge, &case("not-2027-01"), by, now())
            .await;
        assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
        // Another challenge may use the same reference.
        let (other, _) = challenge(&store, &f.pm, &[]).await;
        store
            .add_case(other, &case("NOT-2027-01"), by, now())
            .await
            .expect("a reference is unique per challenge");

        let cases = store.case_sample(f.challenge).await.expect("cases");
        assert_eq!(
            cases.iter().map(|c| c.id).collect::<Vec<_>>(),
            [first, second]
        );
        assert_eq!(cases[0].entry, case("NOT-2027-01"));
        let references = store
            .case_references(f.challenge)
            .await
            .expect("references");
        assert_eq!(
            references
                .iter()
                .map(|r| (r.id, r.reference.as_str().to_owned()))
                .collect::<Vec<_>>(),
            [
                (first, "NOT-2027-01".to_owned()),
                (second, "NOT-2027-02".to_owned())
            ]
        );
        assert_eq!(
            store.sampled_case(f.challenge, first).await.expect("one"),
            Some(cases[0].clone())
        );
        assert_eq!(store.sampled_case(other, second).await.expect("one"), None);

        store
            .delete_case(f.challenge, first, by, now())
            .await
            .expect("deleted");
        assert!(matches!(
            store.delete_case(f.challenge, first, by, now()).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            store.delete_case(other, second, by, now()).await,
            Err(StoreError::NotFound)
        ));
        assert_eq!(
            store.case_sample(f.challenge).await.expect("cases").len(),
            1
        );
        for action in ["case_sample.added", "case_sample.deleted"] {
            for entry in actions(&store, action).await {
                assert_eq!(entry.object_kind, "case_sample");
                assert!(!entry.summary.contains("NOT-2027"), "{}", entry.summary);
            }
        }
    }
);

fn document(kind: DocumentKind, name: &str, content: &[u8]) -> NewDocument {
    NewDocument {
        kind,
        file_name: name.into(),
        content_type: "application/pdf".into(),
        content: content.to_vec(),
    }
}

store_test!(
    every_pre_reading_download_is_in_the_audit_log,
    |store: Store| async move {
        let f = fixture(&store).await;
        let by = f.pm.user_id;
        let pack = store
            .upload_pre_reading(
                f.challenge,
                &document(DocumentKind::DataPack, "Data pack.pdf", b"%PDF-1.7 pack"),
                by,
                now(),
            )
            .await
            .expect("uploaded");
        let sef = store
            .upload_pre_reading(
                f.challenge,
                &document(
                    DocumentKind::SelfEvaluation,
                    "SEF 2027.pdf",
                    b"%PDF-1.7 sef",
                ),
                by,
                now(),
            )
            .await
            .expect("uploaded");
        let listed = store.pre_reading(f.challenge).await.expect("list");
        assert_eq!(
            listed.iter().map(|d| d.id).collect::<Vec<_>>(),
            [sef, pack],
            "the self-evaluation first"
        );
        assert_eq!(listed[0].file_name, "SEF 2027.pdf");
        assert_eq!(listed[0].size_bytes, 12);
        assert_eq!(listed[0].uploaded_by.as_deref(), Some("Jo Bennett"));

        let before = actions(&store, "pre_reading.downloaded").await.len();
        for _ in 0..2 {
            let file = store
                .download_pre_reading(f.challenge, pack, by, now())
                .await
                .expect("download")
                .expect("found");
            assert_eq!(file.content, b"%PDF-1.7 pack");
            assert_eq!(file.summary.kind, DocumentKind::DataPack);
        }
        let downloads = actions(&store, "pre_reading.downloaded").await;
        assert_eq!(downloads.len(), before + 2, "each download is recorded");
        assert!(downloads.iter().all(|entry| entry.actor == Some(by)
            && entry.object_kind == "challenge_document"
            && entry.object_id == pack.to_string()));

        // Another challenge's id finds nothing, and records nothing.
        let (other, _) = challenge(&store, &f.pm, &[]).await;
        assert_eq!(
            store
                .download_pre_reading(other, pack, by, now())
                .await
                .expect("lookup"),
            None
        );
        assert_eq!(
            store
                .download_pre_reading(f.challenge, DocumentId::new(), by, now())
                .await
                .expect("lookup"),
            None
        );
        assert_eq!(
            actions(&store, "pre_reading.downloaded").await.len(),
            before + 2
        );

        assert!(matches!(
            store.delete_pre_reading(other, pack, by, now()).await,
            Err(StoreError::NotFound)
        ));
        store
            .delete_pre_reading(f.challenge, pack, by, now())
            .await
            .expect("deleted");
        assert_eq!(store.pre_reading(f.challenge).await.expect("list").len(), 1);
        assert_eq!(actions(&store, "pre_reading.deleted").await.len(), 1);
        for entry in actions(&store, "pre_reading.uploaded").await {
            assert!(!entry.summary.contains("SEF"), "{}", entry.summary);
        }
    }
);

store_test!(
    nothing_changes_once_preparation_has_closed,
    |store: Store| async move {
        let f = fixture(&store).await;
        let by = f.pm.user_id;
        let activity = store
            .add_activity(
                f.challenge,
                &plan(11, (at(9, 0), at(10, 0)), "Huddle", &[]),
                by,
                now(),
            )
            .await
            .expect("added");
        let case_id = store
            .add_case(f.challenge, &case("NOT-2027-01"), by, now())
            .await
            .expect("added");
        let doc = store
            .upload_pre_reading(
                f.challenge,
                &document(DocumentKind::Other, "Agenda.pdf", b"%PDF-"),
                by,
                now(),
            )
            .await
            .expect("uploaded");
        store
            .move_challenge(
                &f.pm,
                f.challenge,
                ChallengeState::Scoping,
                ChallengeState::Cancelled,
                Some("No dates".into()),
                now(),
            )
            .await
            .expect("cancelled");
        let closed =
            |result: Result<(), StoreError>| matches!(result, Err(StoreError::Conflict(_)));
        let p = plan(11, (at(9, 0), at(10, 0)), "Huddle", &[]);
        assert!(closed(
            store
                .add_activity(f.challenge, &p, by, now())
                .await
                .map(|_| ())
        ));
        assert!(closed(
            store
                .update_activity(f.challenge, activity, &p, by, now())
                .await
        ));
        assert!(closed(
            store
                .delete_activity(f.challenge, activity, by, now())
                .await
        ));
        assert!(closed(
            store
                .add_case(f.challenge, &case("NOT-2027-02"), by, now())
                .await
                .map(|_| ())
        ));
        assert!(closed(
            store.delete_case(f.challenge, case_id, by, now()).await
        ));
        assert!(closed(
            store
                .upload_pre_reading(
                    f.challenge,
                    &document(DocumentKind::Other, "b.pdf", b"%PDF-"),
                    by,
                    now()
                )
                .await
                .map(|_| ())
        ));
        assert!(closed(
            store.delete_pre_reading(f.challenge, doc, by, now()).await
        ));
        // Reading stays possible: the team still needs the pre-reading for the report.
        assert!(
            store
                .download_pre_reading(f.challenge, doc, by, now())
                .await
                .expect("download")
                .is_some()
        );

        let unknown = ChallengeId::new();
        assert!(matches!(
            store
                .add_case(unknown, &case("NOT-2027-03"), by, now())
                .await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            store.delete_case(unknown, CaseId::new(), by, now()).await,
            Err(StoreError::NotFound)
        ));
    }
);

// A challenge's pages are kept while only other tables change (a team recording evidence
// during the visit): the challenge's read set names every table its reads touch, and its
// version moves with a change to one of them and not with a change elsewhere.
store_test!(
    the_challenge_read_set_names_every_table_its_reads_touch,
    |store: Store| async move {
        let f = fixture(&store).await;
        let by = f.pm.user_id;
        store
            .add_activity(
                f.challenge,
                &plan(11, (at(9, 30), at(12, 0)), "Case sampling", &f.team),
                by,
                now(),
            )
            .await
            .expect("added");
        store
            .add_case(f.challenge, &case("NOT-2027-01"), by, now())
            .await
            .expect("added");
        let ((), tables) = tables_read(&store, async {
            store.challenge(f.challenge).await.expect("challenge");
            store.team(f.challenge).await.expect("team");
            store.timetable(f.challenge).await.expect("timetable");
            store.case_references(f.challenge).await.expect("cases");
        })
        .await;
        let named: BTreeSet<String> = ReadSet::Challenge
            .tables()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(tables, named, "the tables the challenge's reads touch");

        let before = store
            .read_set_version(ReadSet::Challenge)
            .await
            .expect("version");
        let data = store.data_version().await.expect("version");
        let user = crate::new_user("elsewhere@example.org", vec![crate::role(Role::Reviewer)]);
        store
            .ensure_user(&user, &crate::password("a long demo passphrase"), now())
            .await
            .expect("an account elsewhere");
        assert!(
            store.data_version().await.expect("version") > data,
            "the data version moves"
        );
        assert_eq!(
            store
                .read_set_version(ReadSet::Challenge)
                .await
                .expect("version"),
            before,
            "a change elsewhere leaves the challenge's version"
        );
        store
            .add_pool_member(
                &profile("Cara Diaz", ReviewerType::LaOfficer),
                None,
                None,
                now(),
            )
            .await
            .expect("a reviewer joins the pool");
        assert!(
            store
                .read_set_version(ReadSet::Challenge)
                .await
                .expect("version")
                > before,
            "a pool member is read as a team member's name"
        );
    }
);
