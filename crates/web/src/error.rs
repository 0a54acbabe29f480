//! The one error type handlers return. It renders a GOV.UK error page (never a stack trace,
//! SQL or a path) and logs the underlying cause once.

use askama::Template;
use axum::http::header::{LOCATION, RETRY_AFTER};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use domain::Denied;
use store::StoreError;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum AppError {
    #[error("sign-in required")]
    SignInRequired,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("form token missing or stale")]
    FormExpired,
    #[error("request body too large")]
    PayloadTooLarge,
    /// Too many password hashes waiting: try again shortly.
    #[error("too busy to check a password now")]
    Busy,
    #[error("store: {0}")]
    Store(#[from] StoreError),
    #[error("template: {0}")]
    Template(#[from] askama::Error),
    #[error("internal: {0}")]
    Internal(String),
}

impl From<Denied> for AppError {
    fn from(denied: Denied) -> Self {
        match denied {
            Denied::SignInRequired => Self::SignInRequired,
            Denied::Forbidden => Self::Forbidden,
        }
    }
}

#[derive(Template)]
#[template(path = "errors/error.html")]
struct ErrorPage {
    title: &'static str,
    paragraphs: Vec<&'static str>,
}

impl ErrorPage {
    fn for_status(status: StatusCode) -> Self {
        let (title, paragraphs) = match status {
            StatusCode::NOT_FOUND => (
                "Page not found",
                vec![
                    "If you typed the web address, check it is correct.",
                    "If you pasted the web address, check you copied the entire address.",
                ],
            ),
            StatusCode::FORBIDDEN => (
                "You do not have permission to see this page",
                vec![
                    "If you think you should have access, contact the regional SEND co-ordinator.",
                ],
            ),
            StatusCode::PAYLOAD_TOO_LARGE => (
                "The file or form is too large",
                vec!["Go back and choose a smaller file, then try again."],
            ),
            StatusCode::SERVICE_UNAVAILABLE => {
                ("The service is busy", vec!["Try again in a minute."])
            }
            _ => (
                "Sorry, there is a problem with the service",
                vec![
                    "Try again later.",
                    "Nothing you entered has been lost if you go back and try again.",
                ],
            ),
        };
        Self { title, paragraphs }
    }

    fn form_expired() -> Self {
        Self {
            title: "Your form could not be sent",
            paragraphs: vec![
                "This can happen if the page was open for a long time or you signed in or out in another tab.",
                "Go back, refresh the page and try again.",
            ],
        }
    }
}

pub fn error_response(status: StatusCode, page: ErrorPageKind) -> Response {
    let page = match page {
        ErrorPageKind::Status => ErrorPage::for_status(status),
        ErrorPageKind::FormExpired => ErrorPage::form_expired(),
    };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => (status, "Sorry, there is a problem with the service").into_response(),
    }
}

#[derive(Clone, Copy, Debug)]
pub enum ErrorPageKind {
    Status,
    FormExpired,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match self {
            Self::SignInRequired => {
                (StatusCode::SEE_OTHER, [(LOCATION, "/sign-in")]).into_response()
            }
            Self::Forbidden => error_response(StatusCode::FORBIDDEN, ErrorPageKind::Status),
            Self::NotFound => error_response(StatusCode::NOT_FOUND, ErrorPageKind::Status),
            Self::FormExpired => error_response(StatusCode::FORBIDDEN, ErrorPageKind::FormExpired),
            Self::PayloadTooLarge => {
                error_response(StatusCode::PAYLOAD_TOO_LARGE, ErrorPageKind::Status)
            }
            Self::Busy => {
                let mut response =
                    error_response(StatusCode::SERVICE_UNAVAILABLE, ErrorPageKind::Status);
                response
                    .headers_mut()
                    .insert(RETRY_AFTER, HeaderValue::from_static("60"));
                response
            }
            Self::Store(_) | Self::Template(_) | Self::Internal(_) => {
                tracing::error!(error = %self, "request failed");
                error_response(StatusCode::INTERNAL_SERVER_ERROR, ErrorPageKind::Status)
            }
        }
    }
}
