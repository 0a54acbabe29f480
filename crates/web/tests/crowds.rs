//! Sign-in under a crowd, through the real router: many sign-ins at once must neither
//! exhaust memory nor outrun the throttle, and a proxy in front must not make every visitor
//! one address.

mod support;

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::header::{CONTENT_TYPE, COOKIE};
use axum::http::{Method, Request, StatusCode};
use http_body_util::BodyExt;
use store::Backend;
use support::{PASSWORD, Page, TestApp};
use tower::ServiceExt;

/// A sign-in ready to send: a browser's cookie and form token, and where it comes from.
struct PreparedSignIn {
    cookie: String,
    token: String,
    peer: SocketAddr,
    forwarded_for: Option<String>,
}

impl PreparedSignIn {
    async fn new(app: &TestApp, peer: &str) -> Self {
        let mut browser = app.browser();
        let token = browser.form_token().await;
        Self {
            cookie: browser.cookie.expect("a cookie"),
            token,
            peer: peer.parse().expect("socket address"),
            forwarded_for: None,
        }
    }

    fn request(&self, email: &str, password: &str) -> Request<Body> {
        let body = form_urlencoded::Serializer::new(String::new())
            .append_pair("csrf_token", &self.token)
            .append_pair("email", email)
            .append_pair("password", password)
            .finish();
        let mut request = Request::builder()
            .method(Method::POST)
            .uri("/sign-in")
            .header(COOKIE, &self.cookie)
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .extension(ConnectInfo(self.peer));
        if let Some(header) = &self.forwarded_for {
            request = request.header("x-forwarded-for", header);
        }
        request.body(Body::from(body)).expect("request")
    }
}

/// Send every request at once and read every answer.
async fn all_at_once(app: &TestApp, requests: Vec<Request<Body>>) -> Vec<Page> {
    let mut tasks = tokio::task::JoinSet::new();
    for (index, request) in requests.into_iter().enumerate() {
        let router = app.router.clone();
        tasks.spawn(async move {
            let response = router.oneshot(request).await.expect("router answers");
            let status = response.status();
            let headers = response.headers().clone();
            let bytes = response
                .into_body()
                .collect()
                .await
                .expect("body")
                .to_bytes();
            let page = Page {
                status,
                headers,
                body: String::from_utf8_lossy(&bytes).into_owned(),
            };
            (index, page)
        });
    }
    let mut pages = tasks.join_all().await;
    pages.sort_by_key(|(index, _)| *index);
    pages.into_iter().map(|(_, page)| page).collect()
}

fn count(pages: &[Page], status: StatusCode) -> usize {
    pages.iter().filter(|page| page.status == status).count()
}

app_test!(
    a_hundred_parallel_guesses_at_one_account_get_only_the_allowance,
    |app: TestApp| async move {
        let mut prepared = Vec::new();
        for i in 0..100 {
            prepared.push(PreparedSignIn::new(&app, &format!("10.3.0.{}:4000", i % 250)).await);
        }
        let requests = prepared
            .iter()
            .map(|sign_in| sign_in.request("pm@example.org", "wrong wrong wrong"))
            .collect();
        let pages = all_at_once(&app, requests).await;
        let checked = count(&pages, StatusCode::UNPROCESSABLE_ENTITY);
        let refused = count(&pages, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(
            app.state.password_hashing().finished(),
            checked,
            "a refused guess costs no hash"
        );
        assert_eq!(
            (checked, refused),
            (6, 94),
            "five free failures and the one that blocks are checked; the rest are refused unchecked"
        );
        assert!(
            pages
                .iter()
                .filter(|page| page.status == StatusCode::TOO_MANY_REQUESTS)
                .all(|page| page.body.contains("too many attempts to sign in"))
        );
    }
);

/// 120 sign-ins at once for emails nobody has, each from its own address: without a bound
/// each took 19 MiB at once. Every one is checked against the decoy (so an unknown email
/// costs what a known one does) or told the service is busy; never more than the bound
/// hash at once, and none fails.
async fn a_crowd_of_unknown_emails_hashes_within_the_bound(backend: Backend) {
    let app = TestApp::with_settings(backend, |settings| {
        settings.password_hashes_at_once = std::num::NonZeroUsize::new(2).expect("two");
    })
    .await;
    let before = app.state.password_hashing().finished();
    let mut prepared = Vec::new();
    for i in 0..120 {
        prepared
            .push(PreparedSignIn::new(&app, &format!("10.4.{}.{}:4000", i / 100, i % 100)).await);
    }
    let requests = prepared
        .iter()
        .enumerate()
        .map(|(i, sign_in)| sign_in.request(&format!("nobody{i}@example.org"), "a guess at it"))
        .collect();
    let pages = all_at_once(&app, requests).await;
    let checked = count(&pages, StatusCode::UNPROCESSABLE_ENTITY);
    let busy = count(&pages, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        checked + busy,
        120,
        "only sign-in errors or the busy page: {:?}",
        pages.iter().map(|page| page.status).collect::<Vec<_>>()
    );
    assert!(
        pages
            .iter()
            .filter(|page| page.status == StatusCode::UNPROCESSABLE_ENTITY)
            .all(|page| page
                .body
                .contains("The email address or password is not correct"))
    );
    assert!(
        pages
            .iter()
            .filter(|page| page.status == StatusCode::SERVICE_UNAVAILABLE)
            .all(|page| page.body.contains("The service is busy")
                && page.header("retry-after") == Some("60"))
    );
    let hashing = app.state.password_hashing();
    assert!(
        hashing.peak() <= 2,
        "at most two hashes at once, saw {}",
        hashing.peak()
    );
    assert!(hashing.peak() >= 1);
    assert_eq!(
        hashing.finished() - before,
        checked,
        "every unknown email checked the decoy"
    );
}

#[tokio::test]
async fn a_crowd_of_unknown_emails_hashes_within_the_bound_sqlite() {
    a_crowd_of_unknown_emails_hashes_within_the_bound(Backend::Sqlite).await;
}

#[tokio::test]
async fn a_crowd_of_unknown_emails_hashes_within_the_bound_postgres() {
    a_crowd_of_unknown_emails_hashes_within_the_bound(Backend::Postgres).await;
}

/// With every turn to hash taken, sign-ins and new passwords get the busy page after a short
/// wait, and attempts never checked are not held against the account.
async fn with_no_turn_free_the_service_says_it_is_busy(backend: Backend) {
    let app = TestApp::with_settings(backend, |settings| {
        settings.password_hashes_at_once = std::num::NonZeroUsize::MIN;
        settings.password_hash_wait_ms = 50;
    })
    .await;
    let mut browser = app.browser();
    browser
        .post("/reset-password", &[("email", "reviewer1@example.org")])
        .await;
    let emails = app.store.outbox_emails(10).await.expect("outbox");
    let body = &emails
        .iter()
        .find(|email| email.to.as_str() == "reviewer1@example.org")
        .expect("reset email")
        .body_text;
    let start = body.find("/reset-password/").expect("a link");
    let reset_path = body[start..]
        .split_whitespace()
        .next()
        .expect("link")
        .to_owned();

    let turn = app
        .state
        .password_hashing()
        .permit()
        .await
        .expect("the only turn");
    for _ in 0..8 {
        let page = browser.sign_in("pm@example.org", PASSWORD).await;
        assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(page.header("retry-after"), Some("60"));
        assert!(page.body.contains("The service is busy"), "{}", page.body);
        assert!(page.body.contains("Try again in a minute"));
    }
    let new_password = browser
        .post(
            &reset_path,
            &[
                ("password", "a new long passphrase"),
                ("confirmation", "a new long passphrase"),
            ],
        )
        .await;
    assert_eq!(
        new_password.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "choosing a password hashes too"
    );
    drop(turn);
    let page = browser.sign_in("pm@example.org", PASSWORD).await;
    assert_eq!(
        page.location(),
        Some("/dashboard"),
        "eight unchecked attempts did not block the account"
    );
}

#[tokio::test]
async fn with_no_turn_free_the_service_says_it_is_busy_sqlite() {
    with_no_turn_free_the_service_says_it_is_busy(Backend::Sqlite).await;
}

#[tokio::test]
async fn with_no_turn_free_the_service_says_it_is_busy_postgres() {
    with_no_turn_free_the_service_says_it_is_busy(Backend::Postgres).await;
}
