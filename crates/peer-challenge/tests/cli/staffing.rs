//! `peer-challenge team what-if` against the demo pool: every area of the region can be
//! staffed for a default two-day challenge three months ahead, in plain English, and the
//! command says so (and exits non-zero) when a seat cannot be filled.

use chrono::{Datelike, Duration, Weekday};

use crate::peer_challenge;

const AREAS: [(&str, &str); 10] = [
    ("derby", "Derby"),
    ("derbyshire", "Derbyshire"),
    ("leicester", "Leicester"),
    ("leicestershire", "Leicestershire"),
    ("lincolnshire", "Lincolnshire"),
    ("nottingham", "Nottingham"),
    ("nottinghamshire", "Nottinghamshire"),
    ("rutland", "Rutland"),
    ("north-northamptonshire", "North Northamptonshire"),
    ("west-northamptonshire", "West Northamptonshire"),
];

/// Two weekdays in a row about three months ahead: a Tuesday and a Wednesday.
fn two_days_three_months_ahead() -> [String; 2] {
    let mut day = chrono::Utc::now().date_naive() + Duration::days(91);
    while day.weekday() != Weekday::Tue {
        day += Duration::days(1);
    }
    [day, day + Duration::days(1)].map(|d| d.format("%Y-%m-%d").to_string())
}

fn seeded_demo() -> tempfile::TempDir {
    let data = tempfile::tempdir().expect("data folder");
    let dir = data.path().to_str().expect("utf-8 path");
    let seeded = peer_challenge(&["demo", "--seed-only", "--data-dir", dir], "");
    assert!(
        seeded.status.success(),
        "{}",
        String::from_utf8_lossy(&seeded.stderr)
    );
    data
}

#[test]
fn a_default_two_day_team_can_be_formed_for_every_demo_area() {
    let data = seeded_demo();
    let dir = data.path().to_str().expect("utf-8 path");
    let [first, second] = two_days_three_months_ahead();
    for (slug, name) in AREAS {
        let output = peer_challenge(
            &[
                "team",
                "what-if",
                "--data-dir",
                dir,
                "--authority",
                slug,
                "--kind",
                "two-day",
                "--date",
                &first,
                "--date",
                &second,
            ],
            "",
        );
        let printed = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{slug}: {printed}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            printed.contains(&format!("Two-day challenge in {name} on ")),
            "{printed}"
        );
        assert!(printed.contains("A team can be formed."), "{printed}");
        for seat in [
            "Lead reviewer",
            "Local authority officer",
            "Parent carer",
            "Designated Clinical Officer or health professional",
        ] {
            assert!(printed.contains(seat), "{seat} in {printed}");
        }
        // Six people, each with the engine's reasons in words, never a code.
        assert_eq!(printed.lines().filter(|l| l.starts_with("  ")).count(), 6);
        for code in ["_", "max_per_authority", "depth point", slug] {
            assert!(
                !printed.contains(code) || (code == slug && name.to_lowercase() == slug),
                "{code} in {printed}"
            );
        }
    }
}

/// When no parent carer travels to Rutland, the parent carer seat cannot be filled: the
/// command says so with the counts behind it and whom to ask, and exits non-zero.
#[test]
fn what_if_explains_a_seat_nobody_travels_to_and_exits_non_zero() {
    let data = seeded_demo();
    let dir = data.path().to_str().expect("utf-8 path");
    let url = format!(
        "sqlite://{}?mode=rw",
        data.path().join("peer-challenge.db").display()
    );
    tokio::runtime::Runtime::new()
        .expect("runtime")
        .block_on(async {
            let store = store::Store::connect(&url).await.expect("database");
            let rutland = domain::AuthoritySlug::parse("rutland").expect("slug");
            for member in store
                .search_pool(&store::PoolFilter::default())
                .await
                .expect("pool")
            {
                if member.profile.reviewer_type != domain::pool::ReviewerType::ParentCarer {
                    continue;
                }
                let mut profile = member.profile.clone();
                profile.online_only = false;
                profile.travel_to.retain(|slug| slug != &rutland);
                if profile.travel_to.is_empty() {
                    profile
                        .travel_to
                        .push(domain::AuthoritySlug::parse("lincolnshire").expect("slug"));
                }
                store
                    .update_pool_member(member.id, &profile, None, chrono::Utc::now())
                    .await
                    .expect("saved");
            }
            store.close().await.expect("closed");
        });
    let [first, _] = two_days_three_months_ahead();
    let output = peer_challenge(
        &[
            "team",
            "what-if",
            "--data-dir",
            dir,
            "--authority",
            "rutland",
            "--kind",
            "one-day",
            "--date",
            &first,
        ],
        "",
    );
    let printed = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{printed}");
    assert!(
        printed.contains("One-day challenge in Rutland"),
        "{printed}"
    );
    assert!(
        printed.contains("Not every seat can be filled."),
        "{printed}"
    );
    assert!(
        printed.contains("Parent carer seat cannot be filled. No parent carer can take this seat"),
        "{printed}"
    );
    assert!(printed.contains("parent carers are trained"), "{printed}");
    assert!(printed.contains("do not travel there"), "{printed}");
    assert!(
        printed.contains("to add Rutland to the places they travel to"),
        "{printed}"
    );
    for code in ["_", "max_per_authority", "seat group", "PARENT"] {
        assert!(!printed.contains(code), "{code} in {printed}");
    }
}
