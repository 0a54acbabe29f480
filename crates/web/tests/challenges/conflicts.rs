//! A change someone else made first is never reported as success. Each journey step is posted
//! many times at once by one browser: exactly one request makes the change and is told so; every
//! other one is refused on the page it came from, with the store's reason (409), or finds the
//! change already made. Before, a store conflict was answered like a success, so several
//! requests were each told they had made the one change.

use axum::Router;
use axum::body::Body;
use axum::http::header::{CONTENT_TYPE, COOKIE, LOCATION};
use axum::http::{Request, StatusCode};
use chrono::Utc;
use domain::EmailAddress;
use domain::lifecycle::ChallengeState;
use domain::pool::ReviewerType;
use http_body_util::BodyExt;
use store::NewTeamMember;
use tokio::task::JoinSet;
use tower::ServiceExt;

use super::support::challenge_fixture::{challenge_in, member_profile, principal_of};
use super::support::{TestApp, Who};

/// Enough requests at once that several load the record before the first one commits.
const AT_ONCE: usize = 12;

/// What one of the parallel requests was answered with.
struct Answer {
    status: StatusCode,
    location: Option<String>,
    body: String,
}

/// Post the same form `AT_ONCE` times at once as `who`.
async fn post_at_once(app: &TestApp, who: Who, path: &str, fields: &[(&str, &str)]) -> Vec<Answer> {
    let mut browser = app.browser_as(who).await;
    let token = browser.form_token().await;
    let cookie = browser.cookie.clone().expect("signed in");
    let body: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("csrf_token", &token)
        .extend_pairs(fields.iter().copied())
        .finish();
    let mut requests = JoinSet::new();
    for _ in 0..AT_ONCE {
        let request = Request::post(path)
            .header(COOKIE, &cookie)
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body.clone()))
            .expect("request");
        let router: Router = app.router.clone();
        requests.spawn(async move {
            let response = router.oneshot(request).await.expect("router answers");
            let status = response.status();
            let location = response
                .headers()
                .get(LOCATION)
                .and_then(|value| value.to_str().ok())
                .map(str::to_owned);
            let bytes = response
                .into_body()
                .collect()
                .await
                .expect("body")
                .to_bytes();
            Answer {
                status,
                location,
                body: String::from_utf8_lossy(&bytes).into_owned(),
            }
        });
    }
    requests.join_all().await
}

/// Exactly one answer is the success redirect; every other is a refusal shown on a page
/// (409, naming why when the store refused) or a redirect that claims nothing.
fn one_success(answers: &[Answer], success: &str) {
    let told: Vec<&Answer> = answers
        .iter()
        .filter(|answer| answer.location.as_deref() == Some(success))
        .collect();
    assert_eq!(
        told.len(),
        1,
        "{} requests were told they made the one change",
        told.len()
    );
    for answer in answers {
        assert!(
            !answer.status.is_server_error(),
            "{}: {}",
            answer.status,
            answer.body
        );
        if answer.status == StatusCode::CONFLICT {
            assert!(
                answer.body.contains("govuk-error-summary")
                    || answer.body.contains("govuk-notification-banner"),
                "a refusal is shown on the page: {}",
                answer.body
            );
        }
        if let Some(location) = answer.location.as_deref() {
            assert!(
                location == success || !location.contains("notice="),
                "no other success is claimed: {location}"
            );
        }
    }
}

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
