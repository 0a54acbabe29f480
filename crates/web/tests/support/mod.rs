//! An in-process test app: the real router over a real database (SQLite or PostgreSQL), with
//! one account per role and a small browser that keeps its cookie and posts forms with the
//! token a page gave it. A browser signed in as a role gets its session straight from the
//! store (the row, cookie and form token the sign-in handler would give it), so only the tests
//! of signing in itself pay for an Argon2id check.

#![allow(dead_code)]

pub mod biennial_fixture;
pub mod challenge_fixture;
pub mod findings_fixture;
pub mod overview_fixture;
pub mod racing;
pub mod visit_fixture;

use axum::Router;
use axum::body::Body;
use axum::http::header::{CONTENT_TYPE, COOKIE, LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, Method, Request, StatusCode};
use domain::{AuthoritySlug, EmailAddress, NewPassword, PersonName, Role, RoleGrant, UserId};
use http_body_util::BodyExt;
use metrics_exporter_prometheus::PrometheusBuilder;
use services::{MailTransport, Settings};
use store::test_support::{TestStore, fresh_store};
use store::{Backend, NewUser, Store};
use tower::ServiceExt;
use web::AppState;

pub const PASSWORD: &str = "a long test passphrase";

/// Who makes a request in the authorisation table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Who {
    Anonymous,
    Coordinator,
    ProjectManager,
    LeadOfDerby,
    Reviewer,
    Board,
}

impl Who {
    pub const ALL: [Who; 6] = [
        Self::Anonymous,
        Self::Coordinator,
        Self::ProjectManager,
        Self::LeadOfDerby,
        Self::Reviewer,
        Self::Board,
    ];

    pub fn email(self) -> Option<&'static str> {
        match self {
            Self::Anonymous => None,
            Self::Coordinator => Some("coordinator@example.org"),
            Self::ProjectManager => Some("pm@example.org"),
            Self::LeadOfDerby => Some("lead.derby@example.org"),
            Self::Reviewer => Some("reviewer1@example.org"),
            Self::Board => Some("board@example.org"),
        }
    }

    fn grant(self) -> Option<RoleGrant> {
        let grant = |role, authority| RoleGrant::new(role, authority).expect("valid grant");
        match self {
            Self::Anonymous => None,
            Self::Coordinator => Some(grant(Role::Coordinator, None)),
            Self::ProjectManager => Some(grant(Role::ProjectManager, None)),
            Self::LeadOfDerby => Some(grant(
                Role::LaLead,
                Some(AuthoritySlug::parse("derby").expect("slug")),
            )),
            Self::Reviewer => Some(grant(Role::Reviewer, None)),
            Self::Board => Some(grant(Role::Board, None)),
        }
    }
}

pub struct TestApp {
    pub store: Store,
    pub router: Router,
    pub settings: Settings,
    pub state: AppState,
    /// The account of each signed-in `Who`, for sessions made without the sign-in form.
    accounts: Vec<(Who, UserId)>,
    _database: TestStore,
    _mail_dir: tempfile::TempDir,
}

impl TestApp {
    pub async fn new(backend: Backend) -> Self {
        Self::with_settings(backend, |_| {}).await
    }

    pub async fn with_settings(backend: Backend, adjust: impl FnOnce(&mut Settings)) -> Self {
        let database = fresh_store(backend).await;
        let store = database.store.clone();
        let hash = NewPassword::parse(PASSWORD, PASSWORD)
            .expect("test password is acceptable")
            .hash();
        let now = chrono::Utc::now();
        let mut accounts = Vec::new();
        for who in Who::ALL {
            let (Some(email), Some(grant)) = (who.email(), who.grant()) else {
                continue;
            };
            let user = NewUser {
                name: PersonName::parse(&format!("{who:?} Person")).expect("name"),
                email: EmailAddress::parse(email).expect("email"),
                grants: vec![grant],
            };
            let id = store
                .ensure_user(&user, &hash, now)
                .await
                .expect("test account");
            accounts.push((who, id));
        }
        let mail_dir = tempfile::tempdir().expect("mail folder");
        let mut settings = Settings {
            secure_cookies: false,
            base_url: "http://peer-challenge.test".into(),
            ..Settings::default()
        };
        settings.mail.transport = MailTransport::Files {
            dir: mail_dir.path().to_path_buf(),
        };
        adjust(&mut settings);
        let metrics = PrometheusBuilder::new().build_recorder().handle();
        let state = AppState::new(store.clone(), settings.clone(), metrics)
            .await
            .expect("app state");
        Self {
            store,
            router: web::router(state.clone()),
            settings,
            state,
            accounts,
            _database: database,
            _mail_dir: mail_dir,
        }
    }

    /// The same app reading the time from `clock`, for a test that needs a particular day.
    pub fn with_clock(mut self, clock: web::Clock) -> Self {
        self.state = self.state.with_clock(clock);
        self.router = web::router(self.state.clone());
        self
    }

    pub async fn send(&self, request: Request<Body>) -> Page {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("router answers");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        Page {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub fn browser(&self) -> Browser<'_> {
        Browser {
            app: self,
            cookie: None,
            token: None,
        }
    }

    /// A browser signed in as `who` (anonymous stays signed out). The session is started in
    /// the store as the sign-in handler starts it (same row, audit entry and cookie), without
    /// posting the form: an Argon2id check per browser made the authorisation walk take
    /// minutes. Tests of signing in itself post the form with `Browser::sign_in`.
    pub async fn browser_as(&self, who: Who) -> Browser<'_> {
        match self.accounts.iter().find(|(account, _)| *account == who) {
            Some((_, user)) => self.browser_for(*user).await,
            None => self.browser(),
        }
    }

    /// A browser signed in as `user`, any account a test made.
    pub async fn browser_for(&self, user: UserId) -> Browser<'_> {
        let mut browser = self.browser();
        let token = self
            .store
            .start_session(user, self.settings.session_policy(), chrono::Utc::now())
            .await
            .expect("a session");
        browser.cookie = Some(format!("{}={}", self.cookie_name(), token.as_str()));
        browser
    }

    /// The session cookie's name, as `web`'s middleware names it for these settings.
    fn cookie_name(&self) -> &'static str {
        if self.settings.secure_cookies {
            "__Host-pc_session"
        } else {
            "pc_session"
        }
    }
}

/// A response, read whole.
#[derive(Debug)]
pub struct Page {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Page {
    pub fn location(&self) -> Option<&str> {
        self.headers
            .get(LOCATION)
            .and_then(|value| value.to_str().ok())
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    /// The form token in the page's first form, if it has one.
    pub fn form_token(&self) -> Option<String> {
        let marker = "name=\"csrf_token\" value=\"";
        let start = self.body.find(marker)? + marker.len();
        let end = self.body[start..].find('"')? + start;
        Some(self.body[start..end].to_owned())
    }

    /// The value attribute of the input with this id.
    pub fn input_value(&self, id: &str) -> Option<String> {
        let tag_start = self.body.find(&format!("id=\"{id}\""))?;
        let tag_end = self.body[tag_start..].find('>')? + tag_start;
        let tag = &self.body[tag_start..tag_end];
        let value_start = tag.find("value=\"")? + "value=\"".len();
        let value_end = tag[value_start..].find('"')? + value_start;
        Some(tag[value_start..value_end].to_owned())
    }
}

/// A browser with one cookie, like a real one visiting this service.
pub struct Browser<'a> {
    pub app: &'a TestApp,
    pub cookie: Option<String>,
    /// The last form token read and the cookie it was read with: a token is bound to the
    /// cookie alone, so it is fetched again only when the cookie changes.
    token: Option<(String, String)>,
}

impl Browser<'_> {
    fn remember_cookie(&mut self, page: &Page) {
        for value in page.headers.get_all(SET_COOKIE) {
            let text = value.to_str().unwrap_or_default();
            if let Some(pair) = text.split(';').next() {
                self.cookie = Some(pair.to_owned());
            }
        }
    }

    fn request(&self, method: Method, path: &str) -> axum::http::request::Builder {
        let builder = Request::builder().method(method).uri(path);
        match &self.cookie {
            Some(cookie) => builder.header(COOKIE, cookie),
            None => builder,
        }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let request = self
            .request(Method::GET, path)
            .body(Body::empty())
            .expect("request");
        let page = self.app.send(request).await;
        self.remember_cookie(&page);
        page
    }

    /// A token from a page this browser can open: the sign-in form when signed out, the
    /// sign-out form on the dashboard when signed in.
    pub async fn form_token(&mut self) -> String {
        if let (Some(cookie), Some((for_cookie, token))) = (&self.cookie, &self.token)
            && cookie == for_cookie
        {
            return token.clone();
        }
        let token = self.read_form_token().await;
        if let Some(cookie) = &self.cookie {
            self.token = Some((cookie.clone(), token.clone()));
        }
        token
    }

    async fn read_form_token(&mut self) -> String {
        let page = self.get("/sign-in").await;
        let page = if page.status == StatusCode::SEE_OTHER {
            self.get("/dashboard").await
        } else {
            page
        };
        page.form_token().expect("a page with a form")
    }

    /// Post a url-encoded form exactly as given (no token added).
    pub async fn post_raw(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let body = fields
            .iter()
            .map(|(key, value)| format!("{}={}", encode(key), encode(value)))
            .collect::<Vec<_>>()
            .join("&");
        let request = self
            .request(Method::POST, path)
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .expect("request");
        let page = self.app.send(request).await;
        self.remember_cookie(&page);
        page
    }

    /// Post a form with this browser's token, as the page would.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let token = self.form_token().await;
        let mut with_token = vec![("csrf_token", token.as_str())];
        with_token.extend_from_slice(fields);
        self.post_raw(path, &with_token).await
    }

    /// Post a multipart form with the token in the query string, as the upload form does.
    pub async fn post_multipart(
        &mut self,
        path: &str,
        text: &[(&str, &str)],
        file: Option<(&str, &str, &[u8])>,
    ) -> Page {
        let token = self.form_token().await;
        let boundary = "peer-challenge-test-boundary";
        let mut body = Vec::new();
        for (name, value) in text {
            body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes());
        }
        if let Some((name, file_name, bytes)) = file {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let separator = if path.contains('?') { '&' } else { '?' };
        let request = self
            .request(
                Method::POST,
                &format!("{path}{separator}csrf_token={token}"),
            )
            .header(
                CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .expect("request");
        let page = self.app.send(request).await;
        self.remember_cookie(&page);
        page
    }

    pub async fn sign_in(&mut self, email: &str, password: &str) -> Page {
        self.post("/sign-in", &[("email", email), ("password", password)])
            .await
    }
}

fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// Write a test once and run it against the app on both databases.
#[macro_export]
macro_rules! app_test {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test]
            async fn sqlite() {
                let app = $crate::support::TestApp::new(store::Backend::Sqlite).await;
                ($body)(app).await;
            }

            #[tokio::test]
            async fn postgres() {
                let app = $crate::support::TestApp::new(store::Backend::Postgres).await;
                ($body)(app).await;
            }
        }
    };
}
