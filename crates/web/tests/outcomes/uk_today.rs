//! "Today" is the UK date by the app's clock, on every page: between midnight and 1am in
//! summer the UTC date is still yesterday, and a server's own zone may be anything.

use axum::http::StatusCode;
use chrono::{TimeZone, Utc};

use super::support::{TestApp, Who};

crate::app_test!(
    the_authorities_page_turns_to_the_new_ones_at_uk_midnight,
    |app: TestApp| async move {
        // 23:30 UTC on 31 March 2021 is 00:30 on 1 April in London (summer time began on
        // 28 March): the county's last day is over. The page read the UTC date before, and
        // still showed the county as current.
        let half_past_midnight = Utc
            .with_ymd_and_hms(2021, 3, 31, 23, 30, 0)
            .single()
            .expect("a time");
        let app = app.with_clock(web::Clock::Fixed(half_past_midnight));
        let mut coordinator = app.browser_as(Who::Coordinator).await;
        let page = coordinator.get("/authorities").await;
        assert_eq!(page.status, StatusCode::OK);
        let (current, former) = page
            .body
            .split_once("Former authorities")
            .expect("former authorities listed");
        assert!(current.contains("North Northamptonshire"), "{current}");
        assert!(!current.contains("Northamptonshire (county council until 2021)"));
        assert!(former.contains("Northamptonshire (county council until 2021)"));

        let winter_evening = Utc
            .with_ymd_and_hms(2021, 3, 20, 23, 30, 0)
            .single()
            .expect("a time");
        let app = app.with_clock(web::Clock::Fixed(winter_evening));
        let mut coordinator = app.browser_as(Who::Coordinator).await;
        let page = coordinator.get("/authorities").await;
        assert!(!page.body.contains("Former authorities"));
        assert!(
            page.body
                .contains("Northamptonshire (county council until 2021)")
        );
    }
);
