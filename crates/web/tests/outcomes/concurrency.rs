//! Many people writing at once: fifty evidence notes and fifty new actions posted in
//! parallel through the router. Every one is answered without a server error and every
//! acknowledged write is in the database afterwards, on SQLite and PostgreSQL alike.

use axum::Router;
use axum::body::Body;
use axum::http::header::{CONTENT_TYPE, COOKIE, LOCATION};
use axum::http::{Request, StatusCode};
use tokio::task::JoinSet;
use tower::ServiceExt;

use super::support::challenge_fixture::principal_of;
use super::support::findings_fixture::next_steps_challenge;
use super::support::{TestApp, Who};
use super::{COORDINATOR, NEW_ACTION, challenge_on_the_day};

const WRITERS: usize = 50;

/// What one parallel request was answered with.
struct Answer {
    status: StatusCode,
    location: Option<String>,
}

/// Post `forms` to `path` all at once with one signed-in browser's cookie and token.
async fn post_in_parallel(
    router: &Router,
    cookie: &str,
    path: &str,
    forms: Vec<Vec<(String, String)>>,
) -> Vec<Answer> {
    let mut requests = JoinSet::new();
    for form in forms {
        let body: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish();
        let request = Request::post(path)
            .header(COOKIE, cookie)
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .expect("request");
        let router = router.clone();
        requests.spawn(async move {
            let response = router.oneshot(request).await.expect("router answers");
            Answer {
                status: response.status(),
                location: response
                    .headers()
                    .get(LOCATION)
                    .and_then(|value| value.to_str().ok())
                    .map(str::to_owned),
            }
        });
    }
    requests.join_all().await
}

/// How many answers were the redirect a successful save gives; none may be a server error.
fn acknowledged(answers: &[Answer], success: &str) -> usize {
    let errors: Vec<StatusCode> = answers
        .iter()
        .map(|answer| answer.status)
        .filter(StatusCode::is_server_error)
        .collect();
    assert!(errors.is_empty(), "server errors under load: {errors:?}");
    answers
        .iter()
        .filter(|answer| answer.location.as_deref() == Some(success))
        .count()
}

async fn fifty_evidence_notes_and_fifty_actions_at_once(app: TestApp) {
    let (challenge, activity) = challenge_on_the_day(&app.store).await;
    let activity = activity.to_string();
    let evidence = format!("/challenges/{challenge}/evidence");
    let mut coordinator = app.browser_as(Who::Coordinator).await;
    let token = coordinator.form_token().await;
    let cookie = coordinator.cookie.clone().expect("signed in");
    let notes = (0..WRITERS)
        .map(|n| {
            vec![
                ("csrf_token".to_owned(), token.clone()),
                ("activity".to_owned(), activity.clone()),
                ("kloe".to_owned(), "1".to_owned()),
                ("kind".to_owned(), "strength".to_owned()),
                ("note".to_owned(), format!("Parallel note number {n}")),
                ("save".to_owned(), "record".to_owned()),
            ]
        })
        .collect();
    let answers = post_in_parallel(&app.router, &cookie, &evidence, notes).await;
    let saved = acknowledged(&answers, &format!("{evidence}?notice=recorded"));
    assert_eq!(saved, WRITERS, "every note is saved");
    let author = principal_of(&app.store, COORDINATOR).await.user_id;
    let stored = app
        .store
        .own_evidence(challenge, author)
        .await
        .expect("notes");
    for n in 0..WRITERS {
        let note = format!("Parallel note number {n}");
        assert!(
            stored.iter().any(|stored| stored.entry.note == note),
            "{note} was acknowledged and is kept"
        );
    }

    let fixture = next_steps_challenge(&app.store, "derby").await;
    let plan = format!("/challenges/{}/actions", fixture.challenge);
    let before = app
        .store
        .action_plan(fixture.challenge)
        .await
        .expect("plan");
    let mut lead = app.browser_as(Who::LeadOfDerby).await;
    let token = lead.form_token().await;
    let cookie = lead.cookie.clone().expect("signed in");
    let actions = (0..WRITERS)
        .map(|n| {
            let mut form = vec![("csrf_token".to_owned(), token.clone())];
            for (field, value) in NEW_ACTION {
                let value = if field == "reference" {
                    format!("PAR-{n}")
                } else {
                    value.to_owned()
                };
                form.push((field.to_owned(), value));
            }
            form
        })
        .collect();
    let answers = post_in_parallel(&app.router, &cookie, &format!("{plan}/new"), actions).await;
    let saved = acknowledged(&answers, &format!("{plan}?notice=added"));
    assert_eq!(saved, WRITERS, "every action is saved");
    let after = app
        .store
        .action_plan(fixture.challenge)
        .await
        .expect("plan");
    assert_eq!(after.len(), before.len() + WRITERS);
    for n in 0..WRITERS {
        let reference = format!("PAR-{n}");
        assert!(
            after
                .iter()
                .any(|action| action.entry.reference == reference),
            "{reference} was acknowledged and is kept"
        );
    }
}

crate::app_test!(
    fifty_evidence_notes_and_fifty_actions_at_once,
    fifty_evidence_notes_and_fifty_actions_at_once
);
