//! The one error type handlers return. It renders a GOV.UK error page (never a stack trace,
//! SQL or a path) and logs the underlying cause once.

use askama::Template;
use axum::extract::Request;
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE, LOCATION, RETRY_AFTER};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use domain::Denied;
use services::journey::Refused;
use services::reads::Unreadable;
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

/// A use case's refusal as a handler takes it, in one place (store errors are mapped into
/// `Refused` once, in `services::journey`): a rule or a conflict is the
/// message to show on the page the visitor came from; a denial or a failure is an error page.
/// Answers with problems are shown next to their fields by the handler that took them; one
/// that gets here is shown as its messages.
pub fn refused(refused: Refused) -> Result<String, AppError> {
    match refused {
        Refused::Rule(message) => Ok(message),
        Refused::Invalid(problems) => Ok(problems
            .into_iter()
            .map(|problem| problem.message)
            .collect::<Vec<_>>()
            .join(". ")),
        Refused::Denied(denied) => Err(denied.into()),
        Refused::NotFound => Err(AppError::NotFound),
        Refused::Store(error) => Err(error.into()),
        Refused::Failed(cause) => Err(AppError::Internal(cause)),
    }
}

/// A read model's answer when it has no page to give: a refusal or a missing page is its
/// error page, a store failure the error it was before read models.
impl From<Unreadable> for AppError {
    fn from(unreadable: Unreadable) -> Self {
        match unreadable {
            Unreadable::Denied(denied) => denied.into(),
            Unreadable::NotFound => Self::NotFound,
            Unreadable::Store(error) => error.into(),
        }
    }
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
            StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY => (
                "The web address or form could not be read",
                vec![
                    "If you typed the web address, check it is correct.",
                    "If you were sending a form, go back, refresh the page and try again.",
                ],
            ),
            StatusCode::METHOD_NOT_ALLOWED => (
                "Page not found",
                vec!["If you followed a link or bookmark, start again from the home page."],
            ),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => (
                "Your form could not be sent",
                vec!["Go back, refresh the page and try again."],
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

/// Rejections made outside our handlers (axum's extractors refusing a path, query or form
/// they cannot decode, a method a route does not have) come as plain text that names
/// internal parameters, or with no body at all. Every such response becomes the GOV.UK error
/// page for its status; the headers set on the way out (security, cookies) are kept.
pub async fn render_plain_rejections(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let plain = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_none_or(|value| value.starts_with("text/plain"));
    if !plain {
        return response;
    }
    tracing::debug!(%status, "rendering a plain-text rejection as an error page");
    let (mut parts, _) = response.into_parts();
    let page = error_response(status, ErrorPageKind::Status);
    let (page_parts, body) = page.into_parts();
    parts.headers.remove(CONTENT_LENGTH);
    if let Some(content_type) = page_parts.headers.get(CONTENT_TYPE) {
        parts.headers.insert(CONTENT_TYPE, content_type.clone());
    }
    Response::from_parts(parts, body)
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
