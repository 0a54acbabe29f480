//! Middleware every request passes through: who the visitor is, the form token on every
//! state-changing request, security headers, and request metrics.

use std::net::SocketAddr;
use std::time::Instant;

use axum::body::{Body, to_bytes};
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_TYPE, COOKIE, SET_COOKIE,
    STRICT_TRANSPORT_SECURITY as STRICT_TRANSPORT_SECURITY_HEADER,
};
use axum::http::{HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use store::SessionToken;

use crate::proxies::ForwardedFor;
use crate::visitor::{Visitor, form_token, form_token_matches};
use crate::{AppError, AppState, Settings};

/// The largest url-encoded form body we read; uploads are multipart and limited separately.
const MAX_FORM_BYTES: usize = 1024 * 1024;

pub fn cookie_name(settings: &Settings) -> &'static str {
    // The __Host- prefix makes browsers refuse the cookie unless it is Secure, host-only
    // and for the whole site, so a sibling subdomain cannot plant one.
    if settings.secure_cookies {
        "__Host-pc_session"
    } else {
        "pc_session"
    }
}

/// A `Set-Cookie` value for the session cookie. No expiry: it ends with the browser, and the
/// server ends the session itself after idleness or its absolute lifetime.
pub fn session_cookie(settings: &Settings, value: &str) -> HeaderValue {
    let secure = if settings.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{}={value}; Path=/; HttpOnly; SameSite=Lax{secure}",
        cookie_name(settings)
    );
    HeaderValue::from_str(&cookie).unwrap_or_else(|_| HeaderValue::from_static(""))
}

fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|header| header.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
        .filter(|value| !value.is_empty() && value.len() <= 128)
}

fn new_browser_key() -> String {
    let mut bytes = [0u8; 32];
    rand::fill(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Resolve the visitor from the session cookie, giving a new browser a cookie of its own
/// so that even its first form carries a token bound to it; and where it comes from.
pub async fn identify_visitor(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let name = cookie_name(&state.settings);
    let existing = cookie_value(request.headers(), name);
    let is_new = existing.is_none();
    let cookie = SessionToken::from_cookie(&existing.unwrap_or_else(new_browser_key));
    let principal = if is_new {
        None
    } else {
        match state
            .store
            .session_principal(&cookie, state.settings.session_policy(), chrono::Utc::now())
            .await
        {
            Ok(principal) => principal,
            Err(error) => return AppError::from(error).into_response(),
        }
    };
    let form_token = form_token(&state.form_key, cookie.as_str());
    let address = resolve_client_address(&state.settings, &request);
    request.extensions_mut().insert(address);
    request.extensions_mut().insert(Visitor {
        principal,
        cookie: cookie.clone(),
        form_token,
    });
    let mut response = next.run(request).await;
    let handler_set_cookie = response.headers().contains_key(SET_COOKIE);
    if is_new && !handler_set_cookie {
        response
            .headers_mut()
            .append(SET_COOKIE, session_cookie(&state.settings, cookie.as_str()));
    }
    response
}

/// Refuse any state-changing request that does not carry the visitor's form token, either as
/// the `csrf_token` field of a url-encoded form or, for multipart uploads, in the query string.
pub async fn verify_form_token(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return next.run(request).await;
    }
    let Some(visitor) = request.extensions().get::<Visitor>().cloned() else {
        return AppError::Internal("visitor middleware not installed".into()).into_response();
    };
    let expected =
        |offered: &str| form_token_matches(&state.form_key, visitor.cookie.as_str(), offered);
    if let Some(offered) = request
        .uri()
        .query()
        .and_then(|query| field(query.as_bytes(), "csrf_token"))
        && expected(&offered)
    {
        return next.run(request).await;
    }
    let is_urlencoded = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("application/x-www-form-urlencoded"));
    if !is_urlencoded {
        return AppError::FormExpired.into_response();
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_FORM_BYTES).await else {
        return AppError::PayloadTooLarge.into_response();
    };
    match field(&bytes, "csrf_token") {
        Some(offered) if expected(&offered) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        _ => AppError::FormExpired.into_response(),
    }
}

fn field(encoded: &[u8], name: &str) -> Option<String> {
    form_urlencoded::parse(encoded)
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

/// Where a request comes from, resolved once per request by `identify_visitor`.
#[derive(Clone, Debug)]
struct ClientAddress(String);

fn resolve_client_address(settings: &Settings, request: &Request) -> ClientAddress {
    let address = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(
            || "unknown".to_owned(),
            |ConnectInfo(peer)| {
                settings
                    .trusted_proxies
                    .client_address(peer.ip(), request.headers())
                    .to_string()
            },
        );
    ClientAddress(address)
}

/// The client's address for throttling: the socket peer, or the address a trusted proxy says
/// it forwarded for (never a header anyone else could have written).
pub fn client_address(request_extensions: &axum::http::Extensions) -> String {
    request_extensions.get::<ClientAddress>().map_or_else(
        || "unknown".to_owned(),
        |ClientAddress(address)| address.clone(),
    )
}

const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

/// Browsers that have seen this keep to HTTPS for a year, subdomains included, so a network
/// attacker cannot strip TLS from a later visit.
const STRICT_TRANSPORT_SECURITY: &str = "max-age=31536000; includeSubDomains";

/// Headers every response carries. Pages are never cached (they may show personal data);
/// static assets may be. Strict-Transport-Security goes with secure cookies: both mean the
/// service is reached over HTTPS (off only for a plain-http local demo).
pub async fn security_headers(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let is_asset = request.uri().path().starts_with("/assets/");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        "content-security-policy",
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    headers.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    headers.insert("x-frame-options", HeaderValue::from_static("DENY"));
    headers.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    if !is_asset {
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if state.settings.secure_cookies {
        headers.insert(
            STRICT_TRANSPORT_SECURITY_HEADER,
            HeaderValue::from_static(STRICT_TRANSPORT_SECURITY),
        );
    }
    response
}

/// Count requests and time them, labelled by route pattern (never the raw path, which
/// may hold tokens).
pub async fn record_metrics(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str)
        .to_owned();
    let method = request.method().to_string();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    let labels = [("method", method), ("route", route), ("status", status)];
    metrics::counter!("http_requests_total", &labels).increment(1);
    metrics::histogram!("http_request_duration_seconds", &labels)
        .record(started.elapsed().as_secs_f64());
    response
}
