//! Looking after pool members, on both databases: marking past training and each member's
//! history as the profile page shows it.

use chrono::{NaiveDate, TimeZone, Utc};
use domain::pool::{HomeArea, MemberProfile, MemberStatus, ReviewerType};
use domain::{AuthoritySlug, EmailAddress, PersonName, PoolMemberId};
use store::{AuditFilter, Store, StoreError, store_test};

fn at(minute: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 9, minute, 0)
        .single()
        .expect("time")
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

fn waiting_member(name: &str) -> MemberProfile {
    let email = format!("{}@example.org", name.to_lowercase().replace(' ', "."));
    MemberProfile {
        name: PersonName::parse(name).expect("name"),
        email: EmailAddress::parse(&email).expect("email"),
        phone: domain::pool::PhoneNumber::parse("0115 496 0000").ok(),
        reviewer_type: ReviewerType::ParentCarer,
        organisation: "Rutland Parent Carer Forum".into(),
        home: HomeArea::Authority(AuthoritySlug::parse("rutland").expect("slug")),
        experience: String::new(),
        adjustments: String::new(),
        needs_training: true,
        trained_on: None,
        online_only: true,
        max_per_year: 3,
        expertise: vec![],
        unavailable: vec![],
        conflicts: vec![],
        travel_to: vec![],
    }
}

store_test!(
    marking_past_training_is_kept_and_audited,
    |store: Store| async move {
        let id = store
            .add_pool_member(&waiting_member("Jo Parent"), None, None, at(0))
            .await
            .expect("add");
        let other = store
            .add_pool_member(&waiting_member("Sam Other"), None, None, at(0))
            .await
            .expect("add");

        store
            .mark_trained(id, day(2024, 6, 3), None, at(5))
            .await
            .expect("mark trained");

        let member = store.pool_member(id).await.expect("read").expect("member");
        assert_eq!(member.profile.trained_on, Some(day(2024, 6, 3)));
        assert!(!member.profile.needs_training, "off the waiting list");
        assert_eq!(member.status, MemberStatus::Active, "status untouched");
        assert_eq!(
            member.profile.phone.as_ref().map(|p| p.as_str()),
            Some("0115 496 0000")
        );
        let untouched = store
            .pool_member(other)
            .await
            .expect("read")
            .expect("member");
        assert_eq!(untouched.profile.trained_on, None);
        assert!(untouched.profile.needs_training);

        let logged = store
            .audit_entries(
                &AuditFilter {
                    action: Some("pool.marked_trained".into()),
                    ..AuditFilter::default()
                },
                10,
            )
            .await
            .expect("audit");
        assert_eq!(logged.len(), 1);
        assert_eq!(logged[0].object_id, id.to_string());
        assert_eq!(logged[0].summary, "Marked trained on 3 June 2024");

        assert!(matches!(
            store
                .mark_trained(PoolMemberId::new(), day(2024, 6, 3), None, at(6))
                .await,
            Err(StoreError::NotFound)
        ));
    }
);

store_test!(
    a_members_history_is_theirs_alone_newest_first,
    |store: Store| async move {
        let id = store
            .add_pool_member(&waiting_member("Jo Parent"), None, None, at(0))
            .await
            .expect("add");
        let other = store
            .add_pool_member(&waiting_member("Sam Other"), None, None, at(0))
            .await
            .expect("add");
        store
            .set_member_status(id, MemberStatus::Paused, None, at(1))
            .await
            .expect("pause");
        store
            .mark_trained(id, day(2025, 1, 15), None, at(2))
            .await
            .expect("train");
        store
            .set_member_status(other, MemberStatus::Left, None, at(3))
            .await
            .expect("other leaves");

        let history = store.pool_member_history(id, 50).await.expect("history");
        let actions: Vec<&str> = history.iter().map(|entry| entry.action.as_str()).collect();
        assert_eq!(
            actions,
            [
                "pool.marked_trained",
                "pool.status_changed",
                "pool.member_added"
            ]
        );
        assert_eq!(history[1].summary, "Status: Paused");
        assert_eq!(history[0].at, at(2));
        assert_eq!(
            store
                .pool_member_history(id, 1)
                .await
                .expect("history")
                .len(),
            1,
            "the limit holds"
        );
    }
);
