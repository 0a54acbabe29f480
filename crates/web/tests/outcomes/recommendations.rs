//! A recommendation the team is still drafting stays with the team: the host's LA lead and
//! the board read, on the action plan page, only the recommendations of a report version
//! shared with the host.

use axum::http::StatusCode;
use domain::findings::ReportFormat;

use super::support::findings_fixture::reporting_challenge;
use super::support::{TestApp, Who};
use super::{add_finding, assert_redirect, newest_version};

async fn draft_recommendations_stay_with_the_team(app: TestApp) {
    // The fixture's slides were shared before any recommendation was written.
    let fixture = reporting_challenge(&app.store, "derby").await;
    let id = fixture.challenge;
    let plan = format!("/challenges/{id}/actions");
    let drafted = "Publish a timetable for annual reviews";
    let mut writer = app.browser_as(Who::Coordinator).await;
    add_finding(&mut writer, id, ["1", "recommendation", drafted]).await;

    let team_view = writer.get(&plan).await;
    assert_eq!(team_view.status, StatusCode::OK, "{}", team_view.body);
    assert!(
        team_view.body.contains(drafted),
        "the team reads its own draft"
    );
    for outsider in [Who::LeadOfDerby, Who::Board] {
        let mut browser = app.browser_as(outsider).await;
        let page = browser.get(&plan).await;
        assert_eq!(page.status, StatusCode::OK, "{outsider:?}: {}", page.body);
        assert!(
            !page.body.contains(drafted),
            "{outsider:?} must not read a draft recommendation"
        );
    }

    // Made into slides and shared with the host, it reaches them; a later draft does not.
    let reports = format!("/challenges/{id}/reports");
    let made = writer.post(&reports, &[("format", "pptx")]).await;
    assert_redirect(&made, &format!("{reports}?notice=made"));
    let version = newest_version(&app.store, id, ReportFormat::SlideDeck).await;
    let shared = writer
        .post(&format!("{reports}/{}/share", version.id), &[])
        .await;
    assert_redirect(&shared, &format!("{reports}?notice=shared"));
    let later = "Train every caseworker in co-production";
    add_finding(&mut writer, id, ["1", "recommendation", later]).await;
    for outsider in [Who::LeadOfDerby, Who::Board] {
        let mut browser = app.browser_as(outsider).await;
        let page = browser.get(&plan).await;
        assert!(
            page.body.contains(drafted),
            "{outsider:?} reads the shared one"
        );
        assert!(
            !page.body.contains(later),
            "{outsider:?} must not read the later draft"
        );
    }
}

crate::app_test!(
    draft_recommendations_stay_with_the_team,
    draft_recommendations_stay_with_the_team
);
