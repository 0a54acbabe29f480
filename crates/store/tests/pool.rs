//! The reviewer pool on both databases: profiles round-trip whole, and every directory
//! filter returns exactly the members it should on a seeded set.

use chrono::{NaiveDate, TimeZone, Utc};
use domain::pool::{
    DateRange, ExpertiseLevel, HomeArea, MemberProfile, MemberStatus, ReviewerType,
};
use domain::{AuthoritySlug, EmailAddress, PersonName, ThemeCode};
use store::{HomeFilter, PoolFilter, Store, StoreError, store_test};

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0)
        .single()
        .expect("time")
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

fn slug(text: &str) -> AuthoritySlug {
    AuthoritySlug::parse(text).expect("slug")
}

fn theme(code: &str) -> ThemeCode {
    ThemeCode::parse(code).expect("theme")
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
        needs_training: false,
        trained_on: Some(day(2025, 5, 1)),
        online_only: false,
        max_per_year: 4,
        expertise: vec![],
        unavailable: vec![],
        conflicts: vec![],
        travel_to: vec![],
    }
}

/// Five members whose differences each filter picks out.
async fn seed(store: &Store) {
    let mut asha = profile(
        "Asha Patel",
        ReviewerType::LaOfficer,
        HomeArea::Authority(slug("derby")),
    );
    asha.organisation = "Derby City Council".into();
    asha.expertise = vec![
        (theme("EHCP_QUALITY"), ExpertiseLevel::Specialist),
        (theme("COPRODUCTION"), ExpertiseLevel::Some),
    ];
    asha.unavailable = vec![DateRange::new(day(2027, 3, 10), day(2027, 3, 14)).expect("range")];
    asha.conflicts = vec![(slug("derbyshire"), "Worked there until 2025".into())];
    asha.travel_to = vec![slug("nottingham"), slug("derbyshire"), slug("nottingham")];

    let mut ben = profile(
        "Ben Carter",
        ReviewerType::ParentCarer,
        HomeArea::Authority(slug("rutland")),
    );
    ben.expertise = vec![
        (theme("EHCP_QUALITY"), ExpertiseLevel::Some),
        (theme("COPRODUCTION"), ExpertiseLevel::Strong),
    ];
    ben.trained_on = None;
    ben.needs_training = true;

    let mut cara = profile(
        "Cara O'Neill",
        ReviewerType::Health,
        HomeArea::OutsideRegion("West Midlands".into()),
    );
    cara.expertise = vec![
        (theme("HEALTH"), ExpertiseLevel::Strong),
        (theme("EHCP_QUALITY"), ExpertiseLevel::Strong),
    ];
    cara.online_only = true;

    let mut dev = profile(
        "Dev Singh",
        ReviewerType::LaOfficer,
        HomeArea::Authority(slug("leicester")),
    );
    dev.unavailable = vec![DateRange::new(day(2027, 3, 12), day(2027, 3, 12)).expect("range")];

    let eve = profile(
        "Eve 100% Mills",
        ReviewerType::YoungAmbassador,
        HomeArea::Authority(slug("derby")),
    );

    for member in [&asha, &ben, &cara, &dev, &eve] {
        store
            .add_pool_member(member, None, None, now())
            .await
            .expect("add member");
    }
    let dev_id = store
        .search_pool(&PoolFilter {
            text: Some("dev".into()),
            ..Default::default()
        })
        .await
        .expect("search")[0]
        .id;
    store
        .set_member_status(dev_id, MemberStatus::Paused, None, now())
        .await
        .expect("pause");
}

async fn names(store: &Store, filter: PoolFilter) -> Vec<String> {
    store
        .search_pool(&filter)
        .await
        .expect("search")
        .into_iter()
        .map(|m| m.profile.name.to_string())
        .collect()
}

store_test!(a_profile_round_trips_whole, |store: Store| async move {
    seed(&store).await;
    let found = store
        .search_pool(&PoolFilter {
            text: Some("asha".into()),
            ..Default::default()
        })
        .await
        .expect("search");
    assert_eq!(found.len(), 1);
    let asha = &found[0];
    assert_eq!(asha.profile.home, HomeArea::Authority(slug("derby")));
    assert_eq!(
        asha.profile.expertise,
        vec![
            (theme("COPRODUCTION"), ExpertiseLevel::Some),
            (theme("EHCP_QUALITY"), ExpertiseLevel::Specialist)
        ]
    );
    assert_eq!(
        asha.profile.unavailable[0].to_string(),
        "10 March 2027 to 14 March 2027"
    );
    assert_eq!(
        asha.profile.conflicts,
        vec![(slug("derbyshire"), "Worked there until 2025".to_owned())]
    );
    assert_eq!(
        asha.profile.travel_to,
        vec![slug("derbyshire"), slug("nottingham")],
        "sorted, duplicates dropped"
    );
    assert_eq!(asha.status, MemberStatus::Active);
    assert!(asha.is_trained());
    assert_eq!(
        store.pool_member(asha.id).await.expect("lookup").as_ref(),
        Some(asha)
    );
});

store_test!(
    every_filter_returns_exactly_the_right_members,
    |store: Store| async move {
        seed(&store).await;
        let all = [
            "Asha Patel",
            "Ben Carter",
            "Cara O'Neill",
            "Dev Singh",
            "Eve 100% Mills",
        ];
        assert_eq!(names(&store, PoolFilter::default()).await, all);
        assert_eq!(
            names(
                &store,
                PoolFilter {
                    reviewer_type: Some(ReviewerType::LaOfficer),
                    ..Default::default()
                }
            )
            .await,
            ["Asha Patel", "Dev Singh"]
        );
        assert_eq!(
            names(
                &store,
                PoolFilter {
                    theme: Some(theme("EHCP_QUALITY")),
                    ..Default::default()
                }
            )
            .await,
            ["Asha Patel", "Ben Carter", "Cara O'Neill"]
        );
        assert_eq!(
            names(
                &store,
                PoolFilter {
                    theme: Some(theme("EHCP_QUALITY")),
                    min_level: Some(ExpertiseLevel::Strong),
                    ..Default::default()
                }
            )
            .await,
            ["Asha Patel", "Cara O'Neill"]
        );
        assert_eq!(
            names(
                &store,
                PoolFilter {
                    theme: Some(theme("EHCP_QUALITY")),
                    min_level: Some(ExpertiseLevel::Specialist),
                    ..Default::default()
                }
            )
            .await,
            ["Asha Patel"]
        );
        assert_eq!(
            names(
                &store,
                PoolFilter {
                    home: Some(HomeFilter::Authority(slug("derby"))),
                    ..Default::default()
                }
            )
            .await,
            ["Asha Patel", "Eve 100% Mills"]
        );
        assert_eq!(
            names(
                &store,
                PoolFilter {
                    home: Some(HomeFilter::OutsideRegion),
                    ..Default::default()
                }
            )
            .await,
            ["Cara O'Neill"]
        );
        assert_eq!(
            names(
                &store,
                PoolFilter {
                    trained: Some(false),
                    ..Default::default()
                }
            )
            .await,
            ["Ben Carter"]
        );
        assert_eq!(
            names(
                &store,
                PoolFilter {
                    trained: Some(true),
                    ..Default::default()
                }
            )
            .await
            .len(),
            4
        );
        assert_eq!(
            names(
                &store,
                PoolFilter {
                    available_on: Some(day(2027, 3, 12)),
                    ..Default::default()
                }
            )
            .await,
            ["Ben Carter", "Cara O'Neill", "Eve 100% Mills"],
            "Asha is away 10–14 March and Dev on the 12th"
        );
        assert_eq!(
            names(
                &store,
                PoolFilter {
                    available_on: Some(day(2027, 3, 15)),
                    ..Default::default()
                }
            )
            .await,
            all
        );
        assert_eq!(
            names(
                &store,
                PoolFilter {
                    status: Some(MemberStatus::Paused),
                    ..Default::default()
                }
            )
            .await,
            ["Dev Singh"]
        );
        assert_eq!(
            names(
                &store,
                PoolFilter {
                    text: Some("DERBY CITY".into()),
                    ..Default::default()
                }
            )
            .await,
            ["Asha Patel"],
            "organisation, any case"
        );
        assert_eq!(
            names(
                &store,
                PoolFilter {
                    text: Some("100%".into()),
                    ..Default::default()
                }
            )
            .await,
            ["Eve 100% Mills"],
            "% is literal"
        );
        assert_eq!(
            names(
                &store,
                PoolFilter {
                    text: Some("o'neill".into()),
                    ..Default::default()
                }
            )
            .await,
            ["Cara O'Neill"]
        );
        assert_eq!(
            names(
                &store,
                PoolFilter {
                    reviewer_type: Some(ReviewerType::LaOfficer),
                    status: Some(MemberStatus::Active),
                    available_on: Some(day(2027, 3, 20)),
                    theme: Some(theme("EHCP_QUALITY")),
                    ..Default::default()
                }
            )
            .await,
            ["Asha Patel"],
            "filters combine"
        );
    }
);

store_test!(
    profiles_update_and_leaving_is_recorded,
    |store: Store| async move {
        seed(&store).await;
        let ben = store
            .search_pool(&PoolFilter {
                text: Some("ben".into()),
                ..Default::default()
            })
            .await
            .expect("search")
            .remove(0);
        let mut changed = ben.profile.clone();
        changed.expertise = vec![(theme("SEMH"), ExpertiseLevel::Strong)];
        changed.unavailable =
            vec![DateRange::new(day(2027, 1, 1), day(2027, 1, 31)).expect("range")];
        store
            .update_pool_member(ben.id, &changed, None, now())
            .await
            .expect("update");
        assert_eq!(
            store
                .pool_member(ben.id)
                .await
                .expect("lookup")
                .expect("member")
                .profile,
            changed
        );

        let mut clash = changed.clone();
        clash.email = EmailAddress::parse("asha.patel@example.org").expect("email");
        assert!(matches!(
            store.update_pool_member(ben.id, &clash, None, now()).await,
            Err(StoreError::Conflict(_))
        ));
        let again = profile(
            "Ben Carter",
            ReviewerType::ParentCarer,
            HomeArea::Authority(slug("rutland")),
        );
        assert!(matches!(
            store.add_pool_member(&again, None, None, now()).await,
            Err(StoreError::Conflict(_))
        ));

        store
            .set_member_status(ben.id, MemberStatus::Left, None, now())
            .await
            .expect("leave");
        let left = store
            .pool_member(ben.id)
            .await
            .expect("lookup")
            .expect("member");
        assert_eq!(
            (left.status, left.left_at),
            (MemberStatus::Left, Some(now()))
        );
    }
);
