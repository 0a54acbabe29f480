//! Many requests at once: the same form (or one form each) posted in parallel by one signed-in
//! browser, and the check that exactly one of them was told it made the change. Used by every
//! test of racing writes, so each programme proves a change made first by someone else is
//! never reported as success.

use axum::Router;
use axum::body::Body;
use axum::http::header::{CONTENT_TYPE, COOKIE, LOCATION};
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use tokio::task::JoinSet;
use tower::ServiceExt;

use super::{TestApp, Who};

/// Enough requests at once that several load the record before the first one commits.
pub const AT_ONCE: usize = 12;

/// What one of the parallel requests was answered with.
pub struct Answer {
    pub status: StatusCode,
    pub location: Option<String>,
    pub body: String,
}

/// Post the same form `AT_ONCE` times at once as `who`.
pub async fn post_at_once(
    app: &TestApp,
    who: Who,
    path: &str,
    fields: &[(&str, &str)],
) -> Vec<Answer> {
    let forms = vec![fields; AT_ONCE];
    post_each_at_once(app, who, path, &forms).await
}

/// Post each of `forms` to `path` at once as `who`.
pub async fn post_each_at_once(
    app: &TestApp,
    who: Who,
    path: &str,
    forms: &[&[(&str, &str)]],
) -> Vec<Answer> {
    let mut browser = app.browser_as(who).await;
    let token = browser.form_token().await;
    let cookie = browser.cookie.clone().expect("signed in");
    let mut requests = JoinSet::new();
    for fields in forms {
        let body: String = form_urlencoded::Serializer::new(String::new())
            .append_pair("csrf_token", &token)
            .extend_pairs(fields.iter().copied())
            .finish();
        let request = Request::post(path)
            .header(COOKIE, &cookie)
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
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
pub fn one_success(answers: &[Answer], success: &str) {
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
