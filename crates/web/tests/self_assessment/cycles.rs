//! The annual cycle through the router on both databases: last year's and this year's cycles
//! started by the co-ordinator, this year's triads proposed to avoid last year's groupings and
//! explained, a change that breaks the rules refused with the choices kept, a good change
//! saved, publishing showing the LA lead their triad, and published triads fixed.

use crate::support;

use axum::http::StatusCode;
use chrono::Datelike;
use domain::self_assessment::repeated_pairs;
use support::{TestApp, Who};

async fn a_cycle_from_start_to_published_triads(app: TestApp) {
    let this_year = chrono::Utc::now().date_naive().year();
    let mut coordinator = app.browser_as(Who::Coordinator).await;
    for year in [this_year - 1, this_year] {
        let started = coordinator
            .post("/self-assessment", &[("year", &year.to_string())])
            .await;
        assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.body);
    }
    let again = coordinator
        .post("/self-assessment", &[("year", &this_year.to_string())])
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("already has a cycle for that year"));

    let last = app
        .store
        .annual_cycle(this_year - 1)
        .await
        .expect("read")
        .expect("last year");
    let cycle = app
        .store
        .annual_cycle(this_year)
        .await
        .expect("read")
        .expect("this year");
    let mut sizes: Vec<usize> = cycle.triads.iter().map(Vec::len).collect();
    sizes.sort_unstable();
    assert_eq!(sizes, [3, 3, 4], "ten areas");
    let repeats: usize = cycle
        .triads
        .iter()
        .map(|t| repeated_pairs(t, &last.triads).len())
        .sum();
    assert_eq!(repeats, 1, "the least any grouping of 3 + 3 + 4 allows");

    let path = format!("/self-assessment/{this_year}");
    let page = coordinator.get(&path).await;
    assert!(
        page.body
            .contains("none of these areas met in a triad last year")
    );
    assert!(page.body.contains("were also together last year"));

    let mut lead = app.browser_as(Who::LeadOfDerby).await;
    let unpublished = lead.get(&path).await;
    assert!(
        unpublished
            .body
            .contains("will show here once the co-ordinator publishes")
    );
    assert!(!unpublished.body.contains("Triad 1"));
    let board = app.browser_as(Who::Board).await.get(&path).await;
    assert!(board.body.contains("Triad 1"));

    // Everyone in triad 1: refused, with each choice kept.
    let all_in_one: Vec<(String, String)> = cycle
        .areas
        .iter()
        .map(|a| (format!("triad-{a}"), "1".to_owned()))
        .collect();
    let fields: Vec<(&str, &str)> = all_in_one
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let refused = coordinator.post(&format!("{path}/triads"), &fields).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("Triad 1 has 10 areas"),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("govuk-error-summary"));

    // Swap one area of the first triad with one of the second: still three, three and four.
    let first = cycle.triads[0][0].clone();
    let second = cycle.triads[1][0].clone();
    let swapped: Vec<(String, String)> = cycle
        .areas
        .iter()
        .map(|a| {
            let mut n = cycle
                .triads
                .iter()
                .position(|t| t.contains(a))
                .expect("placed")
                + 1;
            if a == &first {
                n = 2;
            } else if a == &second {
                n = 1;
            }
            (format!("triad-{a}"), n.to_string())
        })
        .collect();
    let fields: Vec<(&str, &str)> = swapped
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let saved = coordinator.post(&format!("{path}/triads"), &fields).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let changed = app
        .store
        .annual_cycle(this_year)
        .await
        .expect("read")
        .expect("cycle");
    assert!(changed.triads[1].contains(&first));

    let published = coordinator.post(&format!("{path}/publish"), &[]).await;
    assert_eq!(published.status, StatusCode::SEE_OTHER);
    // Each area's LA lead is told their triad, in the publishing transaction.
    let told: Vec<_> = app
        .store
        .outbox_emails(100)
        .await
        .expect("outbox")
        .into_iter()
        .filter(|e| e.subject.contains("Derby's triad"))
        .collect();
    assert_eq!(told.len(), 1);
    assert_eq!(told[0].to.as_str(), "lead.derby@example.org");
    let seen = lead.get(&path).await;
    assert!(
        seen.body.contains("(your area&#39;s)") || seen.body.contains("(your area's)"),
        "{}",
        seen.body
    );
    let fixed = coordinator.post(&format!("{path}/triads"), &fields).await;
    assert_eq!(fixed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        fixed.body.contains("can no longer change"),
        "{}",
        fixed.body
    );
    let twice = coordinator.post(&format!("{path}/publish"), &[]).await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    let reviewer = app.browser_as(Who::Reviewer).await.get(&path).await;
    assert_eq!(reviewer.status, StatusCode::FORBIDDEN);
}

app_test!(
    a_cycle_to_published_triads,
    a_cycle_from_start_to_published_triads
);
