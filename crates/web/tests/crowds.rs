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
use support::{Page, TestApp};
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
