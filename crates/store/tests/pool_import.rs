//! Importing many pool members at once, on both databases: all or nothing, with each
//! member's joining date and status kept.

use chrono::{Duration, TimeZone, Utc};
use domain::pool::{HomeArea, MemberProfile, MemberStatus, ReviewerType};
use domain::{AuthoritySlug, EmailAddress, PersonName};
use store::{ImportedMember, PoolFilter, Store, StoreError, store_test};

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0)
        .single()
        .expect("time")
}

fn member(name: &str, status: MemberStatus, days_ago: i64) -> ImportedMember {
    let email = format!("{}@example.org", name.to_lowercase().replace(' ', "."));
    ImportedMember {
        profile: MemberProfile {
            name: PersonName::parse(name).expect("name"),
            email: EmailAddress::parse(&email).expect("email"),
            phone: None,
            reviewer_type: ReviewerType::LaOfficer,
            organisation: "Rutland County Council".into(),
            home: HomeArea::Authority(AuthoritySlug::parse("rutland").expect("slug")),
            experience: String::new(),
            adjustments: String::new(),
            needs_training: true,
            trained_on: None,
            online_only: true,
            max_per_year: 4,
            expertise: vec![],
            unavailable: vec![],
            conflicts: vec![],
            travel_to: vec![],
        },
        user: None,
        joined_at: now() - Duration::days(days_ago),
        status,
    }
}

store_test!(an_import_is_all_or_nothing, |store: Store| async move {
    let ids = store
        .import_pool_members(
            &[
                member("Amy Clarke", MemberStatus::Active, 300),
                member("Ben Shaw", MemberStatus::Paused, 20),
            ],
            None,
            now(),
        )
        .await
        .expect("import");
    assert_eq!(ids.len(), 2);
    let paused = store
        .pool_member(ids[1])
        .await
        .expect("read")
        .expect("member");
    assert_eq!(paused.status, MemberStatus::Paused);
    assert_eq!(paused.joined_at, now() - Duration::days(20));
    assert_eq!(
        store
            .training_waiting_list(now())
            .await
            .expect("waiting")
            .len(),
        1,
        "a paused member does not wait for training"
    );

    // Ben is in the pool already: nothing of this import is kept.
    assert!(matches!(
        store
            .import_pool_members(
                &[
                    member("Cara Dunn", MemberStatus::Active, 1),
                    member("Ben Shaw", MemberStatus::Active, 1),
                ],
                None,
                now(),
            )
            .await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(
        store
            .search_pool(&PoolFilter::default())
            .await
            .expect("pool")
            .len(),
        2
    );
});
