//! Training on both databases: the waiting list and its demand, sessions, invitations with
//! their emails, and attendance marking people trained.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use domain::pool::{HomeArea, MemberProfile, MemberStatus, ReviewerType};
use domain::training::Attendance;
use domain::{
    AuthoritySlug, EmailAddress, NewPassword, PersonName, PoolMemberId, Role, RoleGrant, UserId,
};
use store::{
    AuditFilter, EmailAttachment, NewEmail, NewTrainingSession, NewUser, Store, StoreError,
    store_test,
};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0)
        .single()
        .expect("time")
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

fn profile(name: &str, kind: ReviewerType, home: HomeArea) -> MemberProfile {
    let email = format!("{}@example.org", name.to_lowercase().replace(' ', "."));
    MemberProfile {
        name: PersonName::parse(name).expect("name"),
        email: EmailAddress::parse(&email).expect("email"),
        phone: None,
        reviewer_type: kind,
        organisation: "Example Council".into(),
        home,
        experience: String::new(),
        adjustments: String::new(),
        needs_training: true,
        trained_on: None,
        online_only: false,
        max_per_year: 4,
        expertise: vec![],
        unavailable: vec![],
        conflicts: vec![],
        travel_to: vec![],
    }
}

fn derby() -> HomeArea {
    HomeArea::Authority(AuthoritySlug::parse("derby").expect("slug"))
}

async fn project_manager(store: &Store) -> UserId {
    let user = NewUser {
        name: PersonName::parse("Jo Bennett").expect("name"),
        email: EmailAddress::parse("pm@example.org").expect("email"),
        grants: vec![RoleGrant::new(Role::ProjectManager, None).expect("grant")],
    };
    let hash = NewPassword::parse("a long test passphrase", "a long test passphrase")
        .expect("password")
        .hash();
    store.ensure_user(&user, &hash, now()).await.expect("pm")
}

/// Six members; three of them wait for training.
struct Seeded {
    asha: PoolMemberId,
    ben: PoolMemberId,
    cara: PoolMemberId,
    dev: PoolMemberId,
}

async fn seed(store: &Store) -> Seeded {
    let add = async |profile: MemberProfile, days_ago: i64| {
        store
            .add_pool_member(&profile, None, None, now() - Duration::days(days_ago))
            .await
            .expect("member")
    };
    let asha = add(profile("Asha Patel", ReviewerType::LaOfficer, derby()), 100).await;
    let ben = add(
        profile("Ben Carter", ReviewerType::ParentCarer, derby()),
        10,
    )
    .await;
    let cara = add(
        profile(
            "Cara Jones",
            ReviewerType::Health,
            HomeArea::OutsideRegion("West Midlands".into()),
        ),
        30,
    )
    .await;
    let mut trained = profile("Dev Shah", ReviewerType::LaOfficer, derby());
    trained.needs_training = false;
    trained.trained_on = Some(day(2025, 5, 1));
    let dev = add(trained, 400).await;
    let paused = add(profile("Eve Moss", ReviewerType::Education, derby()), 200).await;
    store
        .set_member_status(paused, MemberStatus::Paused, None, now())
        .await
        .expect("pause");
    let mut no_training = profile("Fay Hill", ReviewerType::SocialCare, derby());
    no_training.needs_training = false;
    add(no_training, 50).await;
    Seeded {
        asha,
        ben,
        cara,
        dev,
    }
}

fn session(capacity: u16) -> NewTrainingSession {
    NewTrainingSession {
        title: "Reviewer training".into(),
        // 10:00 to 15:00 in the UK on 3 December 2026 (GMT).
        starts_at: Utc
            .with_ymd_and_hms(2026, 12, 3, 10, 0, 0)
            .single()
            .expect("time"),
        ends_at: Utc
            .with_ymd_and_hms(2026, 12, 3, 15, 0, 0)
            .single()
            .expect("time"),
        venue: Some("County Hall, Matlock".into()),
        online_link: None,
        capacity,
        trainer: "Alex Morgan".into(),
    }
}

fn invitation(session: &store::TrainingSession, who: &store::Trainee) -> NewEmail {
    NewEmail::text(
        who.email.clone(),
        format!("Invitation: {}", session.title),
        format!("Dear {}, you are invited.", who.name),
    )
    .with_attachment(EmailAttachment {
        file_name: "training.ics".into(),
        content_type: "text/calendar; method=REQUEST; charset=UTF-8".into(),
        bytes: format!("SUMMARY:{}", session.title).into_bytes(),
    })
}

store_test!(the_waiting_list_and_its_demand, |store: Store| async move {
    let seeded = seed(&store).await;
    let waiting = store.training_waiting_list(now()).await.expect("waiting");
    let names: Vec<_> = waiting
        .iter()
        .map(|member| member.trainee.name.as_str())
        .collect();
    assert_eq!(
        names,
        ["Asha Patel", "Cara Jones", "Ben Carter"],
        "active, needing training, untrained; longest waiting first"
    );
    assert_eq!(waiting[0].days_waiting, 100);
    assert_eq!(waiting[0].trainee.id, seeded.asha);

    let demand = store.training_demand(now()).await.expect("demand");
    assert_eq!(demand.waiting, 3);
    assert_eq!(demand.longest_wait_days, Some(100));
    assert_eq!(demand.invited, 0);
    assert_eq!(
        demand.by_type,
        [
            (ReviewerType::LaOfficer, 1),
            (ReviewerType::ParentCarer, 1),
            (ReviewerType::Health, 1)
        ]
    );
    let homes: Vec<_> = demand
        .by_home
        .iter()
        .map(|home| (home.authority_name.clone(), home.count))
        .collect();
    assert_eq!(homes, [(Some("Derby".to_owned()), 2), (None, 1)]);
    assert_eq!(
        demand.by_home[1].home,
        HomeArea::OutsideRegion("West Midlands".into())
    );

    let again = store.training_demand(now()).await.expect("demand");
    assert_eq!(again.waiting, 3, "reading changes nothing");
});

store_test!(
    invitations_respect_places_and_the_waiting_list,
    |store: Store| async move {
        let seeded = seed(&store).await;
        let pm = project_manager(&store).await;
        let id = store
            .create_training_session(&session(2), pm, now())
            .await
            .expect("session");
        let sessions = store.training_sessions().await.expect("sessions");
        assert_eq!(sessions.len(), 1);
        assert_eq!(sessions[0].date(), day(2026, 12, 3));
        assert_eq!(sessions[0].places_left(), 2);

        let sent = store
            .invite_to_training(id, &[seeded.asha, seeded.ben], pm, now(), invitation)
            .await
            .expect("invite");
        assert_eq!(sent, 2);
        let emails = store.outbox_emails(10).await.expect("outbox");
        assert_eq!(emails.len(), 2, "one email each, in the same transaction");
        assert!(emails.iter().all(|email| email.attachments.len() == 1
            && email.subject == "Invitation: Reviewer training"));
        let mut recipients: Vec<_> = emails.iter().map(|email| email.to.to_string()).collect();
        recipients.sort();
        assert_eq!(
            recipients,
            ["asha.patel@example.org", "ben.carter@example.org"]
        );

        // Full: nobody more, and nothing half-done.
        assert!(matches!(
            store
                .invite_to_training(id, &[seeded.cara], pm, now(), invitation)
                .await,
            Err(StoreError::Conflict(_))
        ));
        let bigger = store
            .create_training_session(&session(10), pm, now())
            .await
            .expect("session");
        // Dev is trained already: the whole invitation is refused, Cara included.
        assert!(matches!(
            store
                .invite_to_training(bigger, &[seeded.cara, seeded.dev], pm, now(), invitation)
                .await,
            Err(StoreError::Conflict(_))
        ));
        assert_eq!(store.outbox_emails(10).await.expect("outbox").len(), 2);
        assert!(matches!(
            store
                .invite_to_training(id, &[seeded.asha], pm, now(), invitation)
                .await,
            Err(StoreError::Conflict(_))
        ));
        assert!(matches!(
            store
                .invite_to_training(
                    domain::TrainingSessionId::new(),
                    &[seeded.cara],
                    pm,
                    now(),
                    invitation
                )
                .await,
            Err(StoreError::NotFound)
        ));

        let detail = store
            .training_session(id)
            .await
            .expect("read")
            .expect("found");
        assert_eq!(detail.session.invited, 2);
        assert_eq!(detail.session.places_left(), 0);
        let invited: Vec<_> = detail
            .places
            .iter()
            .map(|place| place.trainee.name.as_str())
            .collect();
        assert_eq!(invited, ["Asha Patel", "Ben Carter"]);

        let waiting = store.training_waiting_list(now()).await.expect("waiting");
        assert_eq!(
            waiting.len(),
            3,
            "invited people still wait until they attend"
        );
        let asha = waiting
            .iter()
            .find(|member| member.trainee.id == seeded.asha)
            .expect("asha");
        assert_eq!(asha.invited_to.len(), 1);
        assert_eq!(asha.invited_to[0].0, id);
        assert_eq!(
            store.training_demand(now()).await.expect("demand").invited,
            2
        );
        let logged = store
            .audit_entries(
                &AuditFilter {
                    action: Some("training.invited".into()),
                    ..AuditFilter::default()
                },
                10,
            )
            .await
            .expect("audit");
        assert_eq!(logged.len(), 2);
        assert!(
            logged
                .iter()
                .all(|entry| !entry.summary.contains("Patel") && !entry.summary.contains("Carter")),
            "no names in the log"
        );
    }
);

store_test!(
    attending_marks_people_trained_on_the_session_date,
    |store: Store| async move {
        let seeded = seed(&store).await;
        let pm = project_manager(&store).await;
        let id = store
            .create_training_session(&session(5), pm, now())
            .await
            .expect("session");
        store
            .invite_to_training(id, &[seeded.asha, seeded.ben], pm, now(), invitation)
            .await
            .expect("invite");
        let outcomes = [
            (seeded.asha, Attendance::Attended),
            (seeded.ben, Attendance::Absent),
        ];
        assert!(
            matches!(
                store
                    .record_training_attendance(id, &outcomes, pm, now())
                    .await,
                Err(StoreError::Conflict(_))
            ),
            "not before the day"
        );
        let on_the_day = Utc
            .with_ymd_and_hms(2026, 12, 3, 16, 0, 0)
            .single()
            .expect("time");
        store
            .record_training_attendance(id, &outcomes, pm, on_the_day)
            .await
            .expect("attendance");
        let asha = store
            .pool_member(seeded.asha)
            .await
            .expect("read")
            .expect("asha");
        assert_eq!(asha.profile.trained_on, Some(day(2026, 12, 3)));
        assert!(!asha.profile.needs_training);
        let ben = store
            .pool_member(seeded.ben)
            .await
            .expect("read")
            .expect("ben");
        assert_eq!(ben.profile.trained_on, None);
        assert!(ben.profile.needs_training);
        let waiting: Vec<_> = store
            .training_waiting_list(on_the_day)
            .await
            .expect("waiting")
            .into_iter()
            .map(|member| member.trainee.id)
            .collect();
        assert_eq!(waiting, [seeded.cara, seeded.ben]);
        let detail = store
            .training_session(id)
            .await
            .expect("read")
            .expect("found");
        assert_eq!(detail.session.attended, 1);
        let statuses: Vec<_> = detail
            .places
            .iter()
            .map(|place| (place.trainee.id, place.status, place.recorded_at.is_some()))
            .collect();
        assert_eq!(
            statuses,
            [
                (seeded.asha, domain::training::PlaceStatus::Attended, true),
                (seeded.ben, domain::training::PlaceStatus::Absent, true)
            ]
        );

        // A correction: Asha did not come after all, so she waits again.
        store
            .record_training_attendance(id, &[(seeded.asha, Attendance::Absent)], pm, on_the_day)
            .await
            .expect("correction");
        let asha = store
            .pool_member(seeded.asha)
            .await
            .expect("read")
            .expect("asha");
        assert_eq!(asha.profile.trained_on, None);
        assert!(asha.profile.needs_training);

        // Someone never invited cannot be recorded.
        assert!(matches!(
            store
                .record_training_attendance(
                    id,
                    &[(seeded.cara, Attendance::Attended)],
                    pm,
                    on_the_day
                )
                .await,
            Err(StoreError::Conflict(_))
        ));
        let history = store
            .pool_member_history(seeded.asha, 10)
            .await
            .expect("history");
        let actions: Vec<_> = history.iter().map(|entry| entry.action.as_str()).collect();
        assert_eq!(
            &actions[..3],
            ["training.absent", "training.attended", "training.invited"]
        );
        let recorded = store
            .audit_entries(
                &AuditFilter {
                    action: Some("training.attendance_recorded".into()),
                    ..AuditFilter::default()
                },
                10,
            )
            .await
            .expect("audit");
        assert_eq!(recorded.len(), 2);
        assert_eq!(recorded[1].summary, "1 attended, 1 did not attend");
    }
);

store_test!(
    a_session_must_end_after_it_starts,
    |store: Store| async move {
        let pm = project_manager(&store).await;
        let mut backwards = session(5);
        backwards.ends_at = backwards.starts_at;
        assert!(matches!(
            store.create_training_session(&backwards, pm, now()).await,
            Err(StoreError::Conflict(_))
        ));
        assert!(store.training_sessions().await.expect("list").is_empty());
    }
);
