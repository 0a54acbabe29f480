//! Whatever a request gets wrong, the answer is a GOV.UK error page: never axum's plain-text
//! rejection naming internal parameters, never an empty body.

use axum::body::Body;
use axum::http::header::CONTENT_TYPE;
use axum::http::{Method, Request, StatusCode};

use super::support::{TestApp, Who};

async fn every_rejection_is_an_error_page(app: TestApp) {
    let mut coordinator = app.browser_as(Who::Coordinator).await;
    let token = coordinator.form_token().await;
    let cookie = coordinator.cookie.clone().expect("signed in");
    let requests = [
        // A path segment that is not UTF-8 once decoded.
        (Method::GET, "/challenges/%FF%FE".to_owned(), None),
        (Method::GET, "/challenges/%FF%FE/actions".to_owned(), None),
        // A query naming one of the page's parameters twice.
        (
            Method::GET,
            "/admin/audit?action=a&action=b".to_owned(),
            None,
        ),
        // A method the route does not have.
        (Method::DELETE, "/dashboard".to_owned(), None),
        // A form body that is not a form.
        (
            Method::POST,
            "/challenges/new".to_owned(),
            Some((
                "application/json",
                format!("{{\"csrf_token\":\"{token}\"}}"),
            )),
        ),
    ];
    for (method, path, body) in requests {
        let mut request = Request::builder()
            .method(method.clone())
            .uri(&path)
            .header("cookie", &cookie);
        let body = match body {
            Some((content_type, text)) => {
                request = request.header(CONTENT_TYPE, content_type);
                Body::from(text)
            }
            None => Body::empty(),
        };
        let page = app.send(request.body(body).expect("request")).await;
        assert!(
            page.status.is_client_error(),
            "{method} {path}: {}",
            page.status
        );
        assert!(
            page.header("content-type")
                .is_some_and(|value| value.starts_with("text/html")),
            "{method} {path} answers HTML: {:?} {}",
            page.header("content-type"),
            page.body
        );
        assert!(
            page.body.contains("govuk-heading-l"),
            "{method} {path} is a GOV.UK page: {}",
            page.body
        );
        for internal in [
            "Failed to deserialize",
            "parameter",
            "Invalid URL",
            "UTF-8",
            "Cannot parse",
        ] {
            assert!(
                !page.body.contains(internal),
                "{method} {path} names {internal:?}: {}",
                page.body
            );
        }
        assert_ne!(page.status, StatusCode::INTERNAL_SERVER_ERROR);
    }
}

crate::app_test!(
    every_rejection_is_an_error_page,
    every_rejection_is_an_error_page
);
