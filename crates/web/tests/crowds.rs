//! Sign-in under a crowd, through the real router: many sign-ins at once must neither
//! exhaust memory nor outrun the throttle, and a proxy in front must not make every visitor
//! one address.

use crate::support;

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
#[derive(Clone)]
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

    fn forwarded_for(mut self, header: &str) -> Self {
        self.forwarded_for = Some(header.to_owned());
        self
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

fn behind_a_proxy(settings: &mut web::Settings) {
    settings.trusted_proxies = "10.0.0.5, 10.9.0.0/16".parse_proxies();
}

trait ParseProxies {
    fn parse_proxies(&self) -> services::networks::TrustedProxies;
}

impl ParseProxies for str {
    fn parse_proxies(&self) -> services::networks::TrustedProxies {
        services::networks::TrustedProxies::new(
            self.split(',')
                .map(|entry| entry.parse().expect("a network"))
                .collect(),
        )
    }
}

/// Thirty-one wrong sign-ins (each for another email, so only the address counts), then one
/// more: the address allowance is thirty.
async fn spray_then_one_more(app: &TestApp, from: impl Fn(usize) -> PreparedSignIn) -> Page {
    for i in 0..31 {
        let page = app
            .send(from(i).request(&format!("spray{i}@example.org"), "a guess"))
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "attempt {i}");
    }
    app.send(from(31).request("spray-last@example.org", "a guess"))
        .await
}

async fn clients_behind_a_proxy(backend: Backend) {
    let app = TestApp::with_settings(backend, behind_a_proxy).await;
    let first = PreparedSignIn::new(&app, "10.0.0.5:443").await;
    let second = PreparedSignIn::new(&app, "10.0.0.5:443").await;
    // The client writes the left part, so it may vary; the proxy appends what it saw.
    let blocked = spray_then_one_more(&app, |i| {
        first
            .clone()
            .forwarded_for(&format!("192.0.2.{i}, 198.51.100.7"))
    })
    .await;
    assert_eq!(
        blocked.status,
        StatusCode::TOO_MANY_REQUESTS,
        "the client behind the proxy is throttled"
    );
    let other = app
        .send(
            second
                .forwarded_for("198.51.100.8")
                .request("someone@example.org", "a guess"),
        )
        .await;
    assert_eq!(
        other.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "another client behind the same proxy is not: {}",
        other.body
    );
    // Through two proxies we trust, the right-most untrusted address still counts.
    let via_two = PreparedSignIn::new(&app, "10.0.0.5:443")
        .await
        .forwarded_for("198.51.100.7, 10.9.3.4");
    let page = app
        .send(via_two.request("another@example.org", "a guess"))
        .await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn clients_behind_a_trusted_proxy_are_throttled_apart_sqlite() {
    clients_behind_a_proxy(Backend::Sqlite).await;
}

#[tokio::test]
async fn clients_behind_a_trusted_proxy_are_throttled_apart_postgres() {
    clients_behind_a_proxy(Backend::Postgres).await;
}

async fn spoofed_header(backend: Backend) {
    let app = TestApp::with_settings(backend, behind_a_proxy).await;
    let direct = PreparedSignIn::new(&app, "203.0.113.50:5000").await;
    let blocked = spray_then_one_more(&app, |i| {
        direct.clone().forwarded_for(&format!("198.51.100.{i}"))
    })
    .await;
    assert_eq!(
        blocked.status,
        StatusCode::TOO_MANY_REQUESTS,
        "a made-up X-Forwarded-For from a peer we do not trust changes nothing"
    );
}

#[tokio::test]
async fn a_spoofed_header_from_an_untrusted_peer_is_ignored_sqlite() {
    spoofed_header(Backend::Sqlite).await;
}

#[tokio::test]
async fn a_spoofed_header_from_an_untrusted_peer_is_ignored_postgres() {
    spoofed_header(Backend::Postgres).await;
}
