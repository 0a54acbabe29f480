//! Accounts and the security baseline through the real router: sign-in, throttling, form
//! tokens, session rotation, invitations, password resets and headers.

use crate::support;

use axum::body::Body;
use axum::http::header::{CONTENT_TYPE, COOKIE, SET_COOKIE};
use axum::http::{Method, Request, StatusCode};
use store::{AuditFilter, Backend};
use support::{PASSWORD, TestApp, Who};

/// The one-time link in the newest email to `to`.
async fn link_emailed_to(app: &TestApp, to: &str, path_prefix: &str) -> String {
    let emails = app.store.outbox_emails(50).await.expect("outbox");
    let email = emails
        .iter()
        .find(|email| email.to.as_str() == to)
        .expect("an email to the invitee");
    let start = email
        .body_text
        .find(path_prefix)
        .expect("a link in the email");
    email.body_text[start..]
        .split_whitespace()
        .next()
        .expect("link")
        .to_owned()
}

app_test!(
    a_wrong_password_says_so_next_to_the_field_and_keeps_the_email,
    |app: TestApp| async move {
        let mut browser = app.browser();
        let page = browser
            .sign_in("coordinator@example.org", "not the password at all")
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            page.body.contains("id=\"password-error\""),
            "the message is next to the password field"
        );
        assert!(
            page.body
                .contains("The email address or password is not correct")
        );
        assert!(page.body.contains("govuk-error-summary"));
        assert!(page.body.contains("<title>Error: Sign in"));
        assert_eq!(
            page.input_value("email").as_deref(),
            Some("coordinator@example.org")
        );
        assert_eq!(
            page.input_value("password"),
            None,
            "a password is never echoed back"
        );
    }
);

app_test!(
    bad_input_is_explained_per_field,
    |app: TestApp| async move {
        let mut browser = app.browser();
        let page = browser.sign_in("not-an-email", "").await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.body.contains("id=\"email-error\""));
        assert!(
            page.body
                .contains("Enter an email address in the correct format")
        );
        assert!(
            page.body.contains("href=\"#email\""),
            "the summary links to the field"
        );
        assert!(page.body.contains("id=\"password-error\""));
        assert_eq!(page.input_value("email").as_deref(), Some("not-an-email"));
    }
);

app_test!(
    the_tenth_wrong_password_in_a_row_is_throttled,
    |app: TestApp| async move {
        let mut browser = app.browser();
        let mut statuses = Vec::new();
        let mut last = None;
        for _ in 0..10 {
            let page = browser.sign_in("pm@example.org", "wrong wrong wrong").await;
            statuses.push(page.status.as_u16());
            last = Some(page);
        }
        let last = last.expect("ten attempts");
        assert_eq!(statuses[..5], [422; 5], "a few mistakes are free");
        assert_eq!(last.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(
            last.body.contains("too many attempts to sign in"),
            "{}",
            last.body
        );
        assert_eq!(last.input_value("email").as_deref(), Some("pm@example.org"));
        // Even the right password waits until the block ends ...
        let blocked = browser.sign_in("pm@example.org", PASSWORD).await;
        assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS);
        // ... while other accounts are unaffected.
        let other = app.browser().sign_in("board@example.org", PASSWORD).await;
        assert_eq!(other.status, StatusCode::SEE_OTHER);
    }
);

app_test!(
    posts_without_a_valid_form_token_are_refused,
    |app: TestApp| async move {
        let mut browser = app.browser();
        let missing = browser
            .post_raw(
                "/sign-in",
                &[("email", "coordinator@example.org"), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(missing.status, StatusCode::FORBIDDEN);
        assert!(missing.body.contains("Your form could not be sent"));

        // A token from another browser is no good either.
        let mut other = app.browser();
        let stolen = other.form_token().await;
        browser.get("/sign-in").await;
        let page = browser
            .post_raw(
                "/sign-in",
                &[
                    ("csrf_token", &stolen),
                    ("email", "coordinator@example.org"),
                    ("password", PASSWORD),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::FORBIDDEN);

        // A cross-site request is refused even with a good token.
        let token = browser.form_token().await;
        let request = Request::builder()
            .method(Method::POST)
            .uri("/sign-in")
            .header(COOKIE, browser.cookie.clone().expect("cookie"))
            .header("sec-fetch-site", "cross-site")
            .header("origin", "https://evil.example")
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!(
                "csrf_token={token}&email=coordinator%40example.org&password=x"
            )))
            .expect("request");
        assert_eq!(app.send(request).await.status, StatusCode::FORBIDDEN);
    }
);

app_test!(
    signing_in_issues_a_new_session_id_and_signing_out_ends_it,
    |app: TestApp| async move {
        let mut browser = app.browser();
        browser.get("/sign-in").await;
        let before = browser.cookie.clone().expect("a cookie before signing in");
        let page = browser.sign_in("board@example.org", PASSWORD).await;
        assert_eq!(page.location(), Some("/dashboard"));
        let after = browser.cookie.clone().expect("a session cookie");
        assert_ne!(before, after, "a planted cookie never becomes a session");
        let cookie = page.header("set-cookie").expect("set-cookie");
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
            "{cookie}"
        );
        assert_eq!(browser.get("/dashboard").await.status, StatusCode::OK);

        let signed_in_cookie = browser.cookie.clone();
        assert_eq!(browser.post("/sign-out", &[]).await.location(), Some("/"));
        assert_eq!(
            browser.get("/dashboard").await.status,
            StatusCode::SEE_OTHER
        );
        // Replaying the old cookie does not bring the session back.
        browser.cookie = signed_in_cookie;
        assert_eq!(
            browser.get("/dashboard").await.status,
            StatusCode::SEE_OTHER
        );
    }
);

#[tokio::test]
async fn secure_deployments_use_secure_host_only_cookies() {
    let app =
        TestApp::with_settings(Backend::Sqlite, |settings| settings.secure_cookies = true).await;
    let page = app.browser().get("/sign-in").await;
    let cookie = page
        .headers
        .get(SET_COOKIE)
        .and_then(|value| value.to_str().ok())
        .expect("cookie");
    assert!(cookie.starts_with("__Host-pc_session="), "{cookie}");
    assert!(
        cookie.contains("; Secure")
            && cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Lax")
    );
}

#[tokio::test]
async fn secure_deployments_tell_browsers_to_keep_to_https() {
    let app =
        TestApp::with_settings(Backend::Sqlite, |settings| settings.secure_cookies = true).await;
    let mut browser = app.browser();
    for path in ["/", "/sign-in", "/no-such-page", "/assets/application.css"] {
        let page = browser.get(path).await;
        assert_eq!(
            page.header("strict-transport-security"),
            Some("max-age=31536000; includeSubDomains"),
            "{path}"
        );
    }
}

app_test!(
    plain_http_deployments_send_no_strict_transport_security,
    |app: TestApp| async move {
        assert!(
            !app.settings.secure_cookies,
            "the test app runs on plain http"
        );
        let page = app.browser().get("/sign-in").await;
        assert_eq!(page.header("strict-transport-security"), None);
    }
);

app_test!(
    every_response_carries_the_security_headers,
    |app: TestApp| async move {
        let mut browser = app.browser_as(Who::Coordinator).await;
        for path in [
            "/",
            "/dashboard",
            "/no-such-page",
            "/assets/application.css",
        ] {
            let page = browser.get(path).await;
            let csp = page.header("content-security-policy").expect("CSP");
            assert!(
                !csp.contains("unsafe-inline") && csp.contains("frame-ancestors 'none'"),
                "{path}: {csp}"
            );
            assert_eq!(
                page.header("x-content-type-options"),
                Some("nosniff"),
                "{path}"
            );
            assert!(page.header("referrer-policy").is_some(), "{path}");
        }
        assert_eq!(
            browser.get("/dashboard").await.header("cache-control"),
            Some("no-store")
        );
    }
);

app_test!(
    an_invited_member_of_staff_sets_a_password_and_signs_in,
    |app: TestApp| async move {
        let mut coordinator = app.browser_as(Who::Coordinator).await;
        let invalid = coordinator
            .post(
                "/admin/staff/invite",
                &[
                    ("name", "Ada"),
                    ("email", "ada@example"),
                    ("roles", "la_lead"),
                ],
            )
            .await;
        assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(invalid.body.contains("id=\"email-error\""));
        assert!(
            invalid
                .body
                .contains("Select the local authority this lead covers")
        );
        assert_eq!(
            invalid.input_value("name").as_deref(),
            Some("Ada"),
            "answers are kept"
        );

        let sent = coordinator
            .post(
                "/admin/staff/invite",
                &[
                    ("name", "Ada Lovelace"),
                    ("email", "ada@example.org"),
                    ("roles", "la_lead"),
                    ("roles", "reviewer"),
                    ("authority", "rutland"),
                ],
            )
            .await;
        assert_eq!(sent.location(), Some("/admin/staff?invited=1"));
        let again = coordinator
            .post(
                "/admin/staff/invite",
                &[
                    ("name", "Ada"),
                    ("email", "ADA@example.org"),
                    ("roles", "board"),
                ],
            )
            .await;
        assert!(again.body.contains("already exists"));

        let link = link_emailed_to(
            &app,
            "ada@example.org",
            "http://peer-challenge.test/set-password/",
        )
        .await;
        let path = link.trim_start_matches("http://peer-challenge.test");
        let mut ada = app.browser();
        let welcome = ada.get(path).await;
        assert_eq!(welcome.status, StatusCode::OK);
        assert!(welcome.body.contains("Ada Lovelace"));
        let weak = ada
            .post(
                path,
                &[
                    ("password", "password1234"),
                    ("confirmation", "password1234"),
                ],
            )
            .await;
        assert!(weak.body.contains("too easy to guess"));
        let done = ada
            .post(
                path,
                &[
                    ("password", "my own long passphrase"),
                    ("confirmation", "my own long passphrase"),
                ],
            )
            .await;
        assert_eq!(done.location(), Some("/sign-in?password_set=1"));
        assert_eq!(
            ada.get(path).await.status,
            StatusCode::GONE,
            "the link works once"
        );
        assert_eq!(
            ada.sign_in("ada@example.org", "my own long passphrase")
                .await
                .location(),
            Some("/dashboard")
        );
        let dashboard = ada.get("/dashboard").await;
        assert!(
            dashboard.body.contains("Rutland"),
            "an LA lead sees their own area"
        );
        assert_eq!(ada.get("/admin/staff").await.status, StatusCode::FORBIDDEN);

        let audit = app
            .store
            .audit_entries(&AuditFilter::default(), 100)
            .await
            .expect("audit");
        let actions: Vec<&str> = audit.iter().map(|entry| entry.action.as_str()).collect();
        for expected in ["user.invited", "user.invitation_accepted", "user.signed_in"] {
            assert!(
                actions.contains(&expected),
                "{expected} is in the audit log"
            );
        }
    }
);

app_test!(
    a_forgotten_password_is_reset_by_email,
    |app: TestApp| async move {
        let mut browser = app.browser();
        let unknown = browser
            .post("/reset-password", &[("email", "nobody@example.org")])
            .await;
        assert_eq!(
            unknown.status,
            StatusCode::OK,
            "the same answer whether or not the account exists"
        );
        let page = browser
            .post("/reset-password", &[("email", "reviewer1@example.org")])
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Check your email"));
        let link = link_emailed_to(
            &app,
            "reviewer1@example.org",
            "http://peer-challenge.test/reset-password/",
        )
        .await;
        let path = link.trim_start_matches("http://peer-challenge.test");
        let mismatch = browser
            .post(
                path,
                &[
                    ("password", "a new long passphrase"),
                    ("confirmation", "something else"),
                ],
            )
            .await;
        assert!(mismatch.body.contains("id=\"confirmation-error\""));
        let done = browser
            .post(
                path,
                &[
                    ("password", "a new long passphrase"),
                    ("confirmation", "a new long passphrase"),
                ],
            )
            .await;
        assert_eq!(done.location(), Some("/sign-in?password_set=1"));
        assert_eq!(
            browser
                .sign_in("reviewer1@example.org", PASSWORD)
                .await
                .status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            browser
                .sign_in("reviewer1@example.org", "a new long passphrase")
                .await
                .status,
            StatusCode::SEE_OTHER
        );
    }
);

app_test!(
    the_coordinator_publishes_guidance_the_public_downloads,
    |app: TestApp| async move {
        let mut coordinator = app.browser_as(Who::Coordinator).await;
        let wrong_type = coordinator
            .post_multipart(
                "/admin/guidance",
                &[("title", "Guidance 2026")],
                Some(("file", "guidance.pdf", b"MZ not a pdf")),
            )
            .await;
        assert_eq!(wrong_type.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(wrong_type.body.contains("The selected file is not a PDF"));
        assert_eq!(
            wrong_type.input_value("title").as_deref(),
            Some("Guidance 2026")
        );

        // Any zip renamed .docx was accepted on its first four bytes.
        let renamed = documents::upload::hostile::plain_zip();
        let page = coordinator
            .post_multipart(
                "/admin/guidance",
                &[("title", "Guidance 2026")],
                Some(("file", "Guidance.docx", &renamed)),
            )
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            page.body
                .contains("The selected file is not a Word document (.docx)")
        );
        // The limit reads as it is checked: 10 × 1024 × 1024 bytes, not "10.5 MB".
        assert!(
            page.body.contains("file, 10 MB or smaller."),
            "{}",
            page.body
        );

        let pdf = b"%PDF-1.7\n% a tiny test document\n%%EOF\n";
        let published = coordinator
            .post_multipart(
                "/admin/guidance",
                &[("title", "Guidance 2026")],
                Some(("file", "../Guidance 2026.pdf", pdf)),
            )
            .await;
        assert_eq!(published.location(), Some("/admin/guidance?published=1"));

        let mut public = app.browser();
        let page = public.get("/guidance").await;
        assert!(page.body.contains("Download Guidance 2026"));
        let download = public.get("/guidance/download").await;
        assert_eq!(download.status, StatusCode::OK);
        assert_eq!(download.header("content-type"), Some("application/pdf"));
        assert_eq!(
            download.header("content-disposition"),
            Some("attachment; filename=\"Guidance 2026.pdf\"")
        );
        assert_eq!(download.body.as_bytes(), pdf);
    }
);

app_test!(
    the_audit_log_filters_and_explains_bad_dates,
    |app: TestApp| async move {
        let mut coordinator = app.browser_as(Who::Coordinator).await;
        let page = coordinator.get("/admin/audit?action=user.signed_in").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("user.signed_in"));
        assert!(!page.body.contains(">user.created</td>"));
        let bad = coordinator
            .get("/admin/audit?from=31%2F02%2F2026&until=")
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("id=\"from-error\""));
        assert_eq!(bad.input_value("from").as_deref(), Some("31/02/2026"));
        let backwards = coordinator
            .get("/admin/audit?from=2%2F11%2F2026&until=1%2F11%2F2026")
            .await;
        assert!(backwards.body.contains("must be the same as or after"));
    }
);
