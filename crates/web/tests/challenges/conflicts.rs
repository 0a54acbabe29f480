//! A change someone else made first is never reported as success. Each journey step is posted
//! many times at once by one browser: exactly one request makes the change and is told so; every
//! other one is refused on the page it came from, with the store's reason (409), or finds the
//! change already made. Before, a store conflict was answered like a success, so several
//! requests were each told they had made the one change.

use axum::http::StatusCode;
use chrono::Utc;
use domain::EmailAddress;
use domain::lifecycle::ChallengeState;
use domain::pool::ReviewerType;
use store::NewTeamMember;

use super::support::challenge_fixture::{challenge_in, member_profile, principal_of};
use super::support::racing::{one_success, post_at_once};
use super::support::{TestApp, Who};

async fn cancelling_at_once_cancels_once(app: TestApp) {
    let fixture = challenge_in(&app.store, "derby", ChallengeState::Scoping).await;
    let id = fixture.challenge;
    let answers = post_at_once(
        &app,
        Who::Coordinator,
        &format!("/challenges/{id}/cancel"),
        &[("reason", "The area asked to wait until next year")],
    )
    .await;
    one_success(&answers, &format!("/challenges/{id}?notice=cancelled"));
}

crate::app_test!(
    cancelling_at_once_cancels_once,
    cancelling_at_once_cancels_once
);

async fn agreeing_kloes_at_once_agrees_once(app: TestApp) {
    let fixture = challenge_in(&app.store, "derby", ChallengeState::Requested).await;
    let id = fixture.challenge;
    let answers = post_at_once(
        &app,
        Who::Coordinator,
        &format!("/challenges/{id}/kloes/agree"),
        &[],
    )
    .await;
    one_success(&answers, &format!("/challenges/{id}?notice=agreed"));
}

crate::app_test!(
    agreeing_kloes_at_once_agrees_once,
    agreeing_kloes_at_once_agrees_once
);

async fn confirming_a_team_at_once_confirms_once(app: TestApp) {
    let fixture = challenge_in(&app.store, "derby", ChallengeState::TeamProposed).await;
    let id = fixture.challenge;
    let answers = post_at_once(
        &app,
        Who::ProjectManager,
        &format!("/challenges/{id}/team/confirm"),
        // The fixture's team is not the engine's: confirmed over its rules with a reason.
        &[("override_reason", "The area asked for this team")],
    )
    .await;
    one_success(&answers, &format!("/challenges/{id}/team?notice=invited"));
}

crate::app_test!(
    confirming_a_team_at_once_confirms_once,
    confirming_a_team_at_once_confirms_once
);

async fn answering_an_invitation_at_once_answers_once(app: TestApp) {
    let fixture = challenge_in(&app.store, "derby", ChallengeState::TeamProposed).await;
    let id = fixture.challenge;
    // The test reviewer takes the LA officer's seat, and the team is invited.
    let account = principal_of(&app.store, "reviewer1@example.org").await;
    let mut profile = member_profile("Rita Reviewer", ReviewerType::LaOfficer, "leicester");
    profile.email = EmailAddress::parse("reviewer1@example.org").expect("email");
    let member = app
        .store
        .add_pool_member(&profile, Some(account.user_id), None, Utc::now())
        .await
        .expect("member");
    app.store
        .remove_team_member(&fixture.coordinator, fixture.team[1], Utc::now())
        .await
        .expect("removed");
    app.store
        .add_team_member(
            &fixture.coordinator,
            id,
            &NewTeamMember {
                member,
                seat_role: domain::challenge::SeatRole::LaOfficer,
                shadowing: false,
                reasons: "For the test".into(),
            },
            None,
            Utc::now(),
        )
        .await
        .expect("proposed");
    let mut pm = app.browser_as(Who::ProjectManager).await;
    let confirmed = pm
        .post(
            &format!("/challenges/{id}/team/confirm"),
            &[("override_reason", "The area asked for this team")],
        )
        .await;
    assert_eq!(
        confirmed.status,
        StatusCode::SEE_OTHER,
        "{}",
        confirmed.body
    );
    let answers = post_at_once(
        &app,
        Who::Reviewer,
        &format!("/challenges/{id}/respond"),
        &[("response", "decline")],
    )
    .await;
    one_success(&answers, "/my-challenges?notice=answered");
}

crate::app_test!(
    answering_an_invitation_at_once_answers_once,
    answering_an_invitation_at_once_answers_once
);
