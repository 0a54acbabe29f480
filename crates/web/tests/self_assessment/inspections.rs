//! Inspections through the router on both databases: seeded from the shipped reference data,
//! recorded and corrected by the co-ordinator with the form keeping what was typed, and the
//! next inspection's window following the outcome.

use crate::support;

use axum::http::StatusCode;
use domain::AuthoritySlug;
use domain::inspections::{InspectionKind, InspectionOutcome};
use support::{TestApp, Who};

async fn the_coordinator_keeps_the_history(app: TestApp) {
    let derby = AuthoritySlug::parse("derby").expect("slug");
    let seeded = app.store.inspections(None).await.expect("inspections");
    assert_eq!(seeded.len(), 7, "the shipped outcomes");
    assert!(
        app.store
            .inspections(Some(&derby))
            .await
            .expect("derby")
            .is_empty()
    );

    let mut coordinator = app.browser_as(Who::Coordinator).await;
    let refused = coordinator
        .post(
            "/indicators/inspections/derby",
            &[
                ("month", "March 2024"),
                ("kind", "monitoring"),
                ("outcome", "positive"),
                ("report_url", "https://reports.ofsted.gov.uk/derby"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("govuk-error-summary"));
    assert!(refused.body.contains("href=\"#month\""));
    assert!(
        refused
            .body
            .contains("A monitoring inspection cannot have that outcome")
    );
    assert_eq!(refused.input_value("month").as_deref(), Some("March 2024"));

    let saved = coordinator
        .post(
            "/indicators/inspections/derby",
            &[
                ("month", "2024-03"),
                ("kind", "full"),
                ("outcome", "inconsistent"),
                ("report_url", ""),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    // The same month and kind again corrects it rather than adding a second.
    coordinator
        .post(
            "/indicators/inspections/derby",
            &[
                ("month", "2024-03"),
                ("kind", "full"),
                ("outcome", "systemic_failings"),
                ("report_url", "https://reports.ofsted.gov.uk/derby"),
            ],
        )
        .await;
    let history = app.store.inspections(Some(&derby)).await.expect("derby");
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].inspection.kind, InspectionKind::Full);
    assert_eq!(
        history[0].inspection.outcome,
        InspectionOutcome::SystemicFailings
    );
    let page = coordinator.get("/authorities/derby").await;
    assert!(
        page.body
            .contains("Monitoring inspection expected between March 2025 and September 2025"),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("href=\"https://reports.ofsted.gov.uk/derby\"")
    );
}

app_test!(
    the_coordinator_keeps_inspections,
    the_coordinator_keeps_the_history
);
