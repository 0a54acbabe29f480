//! Who is asking: the browser's cookie, the signed-in principal behind it (if any) and the
//! form token bound to that cookie. Resolved once per request by middleware.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use domain::{Action, Principal, authorise};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use store::SessionToken;

use crate::AppError;

/// The visitor behind a request. Every request has one, signed in or not.
#[derive(Clone, Debug)]
pub struct Visitor {
    pub principal: Option<Principal>,
    /// The session cookie's value: a live session's token, or a random browser key.
    pub cookie: SessionToken,
    /// The token every form this visitor posts must carry.
    pub form_token: String,
}

impl Visitor {
    /// The principal if the policy allows `action`; otherwise the error to show instead.
    pub fn authorise(&self, action: &Action) -> Result<&Principal, AppError> {
        authorise(self.principal.as_ref(), action)?;
        self.principal.as_ref().ok_or(AppError::SignInRequired)
    }

    /// Whether the policy allows `action`: for what a page offers (a link, a button), where
    /// a refusal is not an error.
    pub fn may(&self, action: &Action) -> bool {
        authorise(self.principal.as_ref(), action).is_ok()
    }

    pub fn is_signed_in(&self) -> bool {
        self.principal.is_some()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Visitor {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Visitor>()
            .cloned()
            .ok_or(AppError::Internal(
                "visitor middleware not installed".into(),
            ))
    }
}

type HmacSha256 = Hmac<Sha256>;

fn mac_for(key: &[u8], cookie: &str) -> Option<HmacSha256> {
    let mut mac = HmacSha256::new_from_slice(key).ok()?;
    mac.update(b"form-token:");
    mac.update(cookie.as_bytes());
    Some(mac)
}

/// The form token for a cookie: an HMAC, so it needs no storage and dies with the cookie.
pub fn form_token(key: &[u8], cookie: &str) -> String {
    mac_for(key, cookie)
        .map(|mac| URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes()))
        .unwrap_or_default()
}

/// Whether `offered` is the form token for `cookie`, compared in constant time.
pub fn form_token_matches(key: &[u8], cookie: &str, offered: &str) -> bool {
    let Ok(offered) = URL_SAFE_NO_PAD.decode(offered) else {
        return false;
    };
    mac_for(key, cookie).is_some_and(|mac| mac.verify_slice(&offered).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_bound_to_their_cookie() {
        let key = [7u8; 32];
        let token = form_token(&key, "cookie-a");
        assert!(form_token_matches(&key, "cookie-a", &token));
        assert!(!form_token_matches(&key, "cookie-b", &token));
        assert!(!form_token_matches(&[8u8; 32], "cookie-a", &token));
        assert!(!form_token_matches(&key, "cookie-a", "not base64 !"));
    }
}
