//! Pages anyone can read: about the scheme, contact, guidance, privacy and accessibility.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::HeaderValue;
use axum::http::Method;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::pages::Chrome;
use crate::route::{Route, route};
use crate::visitor::Visitor;
use crate::{AppError, AppState, dates};
use services::ContactSettings;

/// Every route of the public pages, for `route_table`.
pub fn routes() -> Vec<Route> {
    vec![
        route(Method::GET, "/", get(show_home)),
        route(Method::GET, "/contact", get(show_contact)),
        route(Method::GET, "/guidance", get(show_guidance)),
        route(Method::GET, "/guidance/download", get(download_guidance)),
        route(Method::GET, "/privacy", get(show_privacy)),
        route(Method::GET, "/accessibility", get(show_accessibility)),
    ]
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/home.html")]
pub struct HomePage {
    chrome: Chrome,
}

pub async fn show_home(visitor: Visitor) -> HomePage {
    HomePage {
        chrome: Chrome::new(&visitor, "About the SEND peer challenge scheme", "/"),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/contact.html")]
pub struct ContactPage {
    chrome: Chrome,
    contact: ContactSettings,
}

pub async fn show_contact(State(state): State<AppState>, visitor: Visitor) -> ContactPage {
    ContactPage {
        chrome: Chrome::new(&visitor, "Contact", "/contact"),
        contact: state.settings.contact.clone(),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/guidance.html")]
pub struct GuidancePage {
    chrome: Chrome,
    current: Option<GuidanceLink>,
}

struct GuidanceLink {
    title: String,
    kind: &'static str,
    size: String,
    published: String,
}

/// "2.3 MB", "371.4 KB": sizes as people read them next to a download link, in the same
/// binary units as the upload limits they were checked against.
pub fn human_size(bytes: i64) -> String {
    documents::upload::Size(u64::try_from(bytes).unwrap_or(0)).to_string()
}

pub fn document_kind(content_type: &str) -> &'static str {
    match content_type {
        "application/pdf" => "PDF",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => {
            "Word document"
        }
        "application/vnd.oasis.opendocument.text" => "OpenDocument text",
        _ => "file",
    }
}

pub async fn show_guidance(
    State(state): State<AppState>,
    visitor: Visitor,
) -> Result<GuidancePage, AppError> {
    let versions = state.store.guidance_versions().await?;
    let current = versions.into_iter().next().map(|version| GuidanceLink {
        title: version.title,
        kind: document_kind(&version.content_type),
        size: human_size(version.size_bytes),
        published: dates::date(version.uploaded_at.date_naive()),
    });
    Ok(GuidancePage {
        chrome: Chrome::new(&visitor, "Guidance", "/guidance"),
        current,
    })
}

pub async fn download_guidance(State(state): State<AppState>) -> Result<Response, AppError> {
    let document = state
        .store
        .current_guidance()
        .await?
        .ok_or(AppError::NotFound)?;
    let content_type = HeaderValue::from_str(&document.summary.content_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    // The file name was cleaned on upload; quote it anyway.
    let disposition = HeaderValue::from_str(&format!(
        "attachment; filename=\"{}\"",
        document.summary.file_name
    ))
    .unwrap_or(HeaderValue::from_static("attachment"));
    Ok((
        [
            (CONTENT_TYPE, content_type),
            (CONTENT_DISPOSITION, disposition),
        ],
        document.content,
    )
        .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/privacy.html")]
pub struct PrivacyPage {
    chrome: Chrome,
    contact: ContactSettings,
    retention_months: u32,
}

pub async fn show_privacy(State(state): State<AppState>, visitor: Visitor) -> PrivacyPage {
    PrivacyPage {
        chrome: Chrome::new(&visitor, "Privacy notice", "/privacy"),
        contact: state.settings.contact.clone(),
        retention_months: state.settings.retention_months,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/accessibility.html")]
pub struct AccessibilityPage {
    chrome: Chrome,
    contact: ContactSettings,
}

pub async fn show_accessibility(
    State(state): State<AppState>,
    visitor: Visitor,
) -> AccessibilityPage {
    AccessibilityPage {
        chrome: Chrome::new(&visitor, "Accessibility statement", "/accessibility"),
        contact: state.settings.contact.clone(),
    }
}

pub async fn not_found() -> AppError {
    AppError::NotFound
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(human_size(512), "512 bytes");
        assert_eq!(human_size(380_400), "371.4 KB");
        assert_eq!(human_size(2_400_000), "2.2 MB");
        assert_eq!(human_size(10 * 1024 * 1024), "10 MB");
    }
}
