//! Static assets embedded in the binary: the compiled GOV.UK Frontend styles and script
//! (`assets/dist`, built by `make assets`) and our own files (`assets/static`).

use axum::extract::Path;
use axum::http::HeaderValue;
use axum::http::Method;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use rust_embed::RustEmbed;

use crate::AppError;
use crate::route::{Route, route};

/// Every route of the static assets, for `route_table`.
pub fn routes() -> Vec<Route> {
    vec![route(Method::GET, "/assets/{*path}", get(serve_asset))]
}

#[derive(RustEmbed)]
#[folder = "assets/dist/"]
struct Built;

#[derive(RustEmbed)]
#[folder = "assets/static/"]
struct Own;

pub async fn serve_asset(Path(path): Path<String>) -> Result<Response, AppError> {
    let file = Built::get(&path)
        .or_else(|| Own::get(&path))
        .ok_or(AppError::NotFound)?;
    let mime = mime_guess::from_path(&path).first_or_octet_stream();
    let content_type = HeaderValue::from_str(mime.as_ref())
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    let headers = [
        (CONTENT_TYPE, content_type),
        (
            CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=3600"),
        ),
    ];
    Ok((headers, file.data.into_owned()).into_response())
}
