//! Signing in and out, choosing a password from an invitation, and resetting a forgotten one.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::Method;
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{Extensions, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::Utc;
use domain::{EmailAddress, NewPassword};
use serde::Deserialize;
use services::account_emails;
use store::{SignInAttempt, SignInThrottle, TokenPurpose};

use crate::components::{ErrorSummary, NotificationBanner, TextInput};
use crate::forms::FormErrors;
use crate::middleware::{client_address, session_cookie};
use crate::pages::Chrome;
use crate::route::{Route, route};
use crate::visitor::Visitor;
use crate::{AppError, AppState, dates};

/// Every route of signing in and out, and passwords, for `route_table`.
pub fn routes() -> Vec<Route> {
    vec![
        route(Method::GET, "/sign-in", get(show_sign_in)),
        route(Method::POST, "/sign-in", post(sign_in)),
        route(Method::POST, "/sign-out", post(sign_out)),
        route(Method::GET, "/reset-password", get(show_forgot_password)),
        route(
            Method::POST,
            "/reset-password",
            post(request_password_reset),
        ),
        route(
            Method::GET,
            "/reset-password/{token}",
            get(show_reset_password),
        ),
        route(
            Method::POST,
            "/reset-password/{token}",
            post(reset_password),
        ),
        route(
            Method::GET,
            "/set-password/{token}",
            get(show_accept_invitation),
        ),
        route(
            Method::POST,
            "/set-password/{token}",
            post(accept_invitation),
        ),
    ]
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/sign_in.html")]
pub struct SignInPage {
    chrome: Chrome,
    banner: Option<NotificationBanner>,
    summary: Option<ErrorSummary>,
    email: TextInput,
    password: TextInput,
}

impl SignInPage {
    fn new(
        visitor: &Visitor,
        email: &str,
        errors: &FormErrors,
        banner: Option<NotificationBanner>,
    ) -> Self {
        Self {
            chrome: Chrome::new(visitor, "Sign in", "/sign-in").with_errors(!errors.is_empty()),
            banner,
            summary: (!errors.is_empty()).then(|| ErrorSummary::of(errors)),
            email: TextInput::new("email", "Email address")
                .input_type("email")
                .autocomplete("email")
                .spellcheck(false)
                .value(email)
                .errors(errors),
            password: TextInput::new("password", "Password")
                .input_type("password")
                .autocomplete("current-password")
                .errors(errors),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct SignInNotice {
    password_set: Option<String>,
}

pub async fn show_sign_in(visitor: Visitor, Query(notice): Query<SignInNotice>) -> Response {
    if visitor.is_signed_in() {
        return redirect("/dashboard");
    }
    let banner = notice
        .password_set
        .map(|_| NotificationBanner::success("Your password has been set. You can now sign in."));
    SignInPage::new(&visitor, "", &FormErrors::default(), banner).into_response()
}

#[derive(Debug, Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

pub async fn sign_in(
    State(state): State<AppState>,
    visitor: Visitor,
    extensions: Extensions,
    Form(form): Form<SignInForm>,
) -> Result<Response, AppError> {
    let mut errors = FormErrors::default();
    let email = errors.check("email", EmailAddress::parse(&form.email));
    if form.password.is_empty() {
        errors.add("password", "Enter your password");
    }
    let Some(email) = email.filter(|_| errors.is_empty()) else {
        return Ok(refused(
            &visitor,
            &form.email,
            &errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        ));
    };
    let address = client_address(&extensions);
    let now = Utc::now();
    let rules = SignInThrottle::default();
    // Counted before the password is checked, so parallel guesses cannot outrun the count.
    let if_wrong_blocked_until = match state
        .store
        .reserve_sign_in_attempt(&rules, email.as_str(), &address, now)
        .await?
    {
        SignInAttempt::BlockedUntil(until) => {
            errors.add("password", throttled_message(until));
            return Ok(refused(
                &visitor,
                &form.email,
                &errors,
                StatusCode::TOO_MANY_REQUESTS,
            ));
        }
        SignInAttempt::Reserved {
            if_wrong_blocked_until,
        } => if_wrong_blocked_until,
    };
    let credentials = state.store.credentials(&email).await?;
    let stored = credentials.as_ref().and_then(|(_, hash)| hash.clone());
    let matches = match state
        .password_hashing()
        .check(stored, form.password.clone())
        .await
    {
        Ok(matches) => matches,
        Err(error) => {
            // Never checked (the service was busy): not a failure to hold against anyone.
            state
                .store
                .release_sign_in_attempt(&rules, email.as_str(), &address)
                .await?;
            return Err(error);
        }
    };
    let user = credentials.map(|(id, _)| id).filter(|_| matches);
    let Some(user) = user else {
        let message = match if_wrong_blocked_until {
            Some(until) => throttled_message(until),
            None => "The email address or password is not correct".to_owned(),
        };
        errors.add("password", message);
        return Ok(refused(
            &visitor,
            &form.email,
            &errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        ));
    };
    state
        .store
        .record_sign_in_success(&rules, email.as_str(), &address)
        .await?;
    let token = state
        .store
        .start_session(user, state.settings.session_policy(), now)
        .await?;
    Ok((
        StatusCode::SEE_OTHER,
        [(SET_COOKIE, session_cookie(&state.settings, token.as_str()))],
        [(LOCATION, "/dashboard")],
    )
        .into_response())
}

fn throttled_message(until: chrono::DateTime<Utc>) -> String {
    format!(
        "There have been too many attempts to sign in. Wait until {} and try again, or reset your password",
        dates::time(until)
    )
}

fn refused(visitor: &Visitor, email: &str, errors: &FormErrors, status: StatusCode) -> Response {
    (status, SignInPage::new(visitor, email, errors, None)).into_response()
}

fn redirect(to: &'static str) -> Response {
    (StatusCode::SEE_OTHER, [(LOCATION, to)]).into_response()
}

pub async fn sign_out(
    State(state): State<AppState>,
    visitor: Visitor,
) -> Result<Response, AppError> {
    state.store.end_session(&visitor.cookie, Utc::now()).await?;
    // A fresh browser key, so nothing of the old session's cookie lives on.
    let mut fresh = [0u8; 32];
    rand::fill(&mut fresh);
    let key = base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, fresh);
    Ok((
        StatusCode::SEE_OTHER,
        [(SET_COOKIE, session_cookie(&state.settings, &key))],
        [(LOCATION, "/")],
    )
        .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/forgot_password.html")]
pub struct ForgotPasswordPage {
    chrome: Chrome,
    summary: Option<ErrorSummary>,
    email: TextInput,
}

impl ForgotPasswordPage {
    fn new(visitor: &Visitor, email: &str, errors: &FormErrors) -> Self {
        Self {
            chrome: Chrome::new(visitor, "Reset your password", "").with_errors(!errors.is_empty()),
            summary: (!errors.is_empty()).then(|| ErrorSummary::of(errors)),
            email: TextInput::new("email", "Email address")
                .input_type("email")
                .autocomplete("email")
                .spellcheck(false)
                .hint("We will email you a link to choose a new password. The link works for 2 hours.")
                .value(email)
                .errors(errors),
        }
    }
}

pub async fn show_forgot_password(visitor: Visitor) -> ForgotPasswordPage {
    ForgotPasswordPage::new(&visitor, "", &FormErrors::default())
}

#[derive(Debug, Deserialize)]
pub struct ForgotPasswordForm {
    #[serde(default)]
    email: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/reset_sent.html")]
pub struct ResetSentPage {
    chrome: Chrome,
    email: String,
}

pub async fn request_password_reset(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(form): Form<ForgotPasswordForm>,
) -> Result<Response, AppError> {
    let mut errors = FormErrors::default();
    let Some(email) = errors.check("email", EmailAddress::parse(&form.email)) else {
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            ForgotPasswordPage::new(&visitor, &form.email, &errors),
        )
            .into_response());
    };
    let settings = state.settings.clone();
    let to = email.clone();
    state
        .store
        .request_password_reset(&email, Utc::now(), |token| {
            account_emails::password_reset(&settings, to, token)
        })
        .await?;
    Ok(ResetSentPage {
        chrome: Chrome::new(&visitor, "Check your email", ""),
        email: email.to_string(),
    }
    .into_response())
}

/// The page where someone chooses a password, from an invitation or a reset link.
#[derive(Template, WebTemplate)]
#[template(path = "pages/choose_password.html")]
pub struct ChoosePasswordPage {
    chrome: Chrome,
    heading: &'static str,
    greeting: String,
    action: String,
    summary: Option<ErrorSummary>,
    password: TextInput,
    confirmation: TextInput,
}

#[derive(Template, WebTemplate)]
#[template(path = "pages/link_expired.html")]
pub struct LinkExpiredPage {
    chrome: Chrome,
    invitation: bool,
}

fn purpose_of_path(invitation: bool) -> (TokenPurpose, &'static str, &'static str) {
    if invitation {
        (
            TokenPurpose::Invitation,
            "set-password",
            "Create your password",
        )
    } else {
        (
            TokenPurpose::PasswordReset,
            "reset-password",
            "Choose a new password",
        )
    }
}

fn choose_password_page(
    visitor: &Visitor,
    invitation: bool,
    token: &str,
    name: &str,
    errors: &FormErrors,
) -> ChoosePasswordPage {
    let (_, path, heading) = purpose_of_path(invitation);
    let greeting = if invitation {
        format!(
            "Welcome to Peer Challenge, {name}. Choose a password to finish setting up your account."
        )
    } else {
        format!("Choose a new password for {name}'s account.")
    };
    ChoosePasswordPage {
        chrome: Chrome::new(visitor, heading, "").with_errors(!errors.is_empty()),
        heading,
        greeting,
        action: format!("/{path}/{token}"),
        summary: (!errors.is_empty()).then(|| ErrorSummary::of(errors)),
        password: TextInput::new("password", "Password")
            .input_type("password")
            .autocomplete("new-password")
            .hint("Use at least 12 characters. A few random words make a strong password that is easy to remember. You can paste it from a password manager.")
            .errors(errors),
        confirmation: TextInput::new("confirmation", "Confirm password")
            .input_type("password")
            .autocomplete("new-password")
            .errors(errors),
    }
}

async fn show_choose_password(
    state: &AppState,
    visitor: &Visitor,
    invitation: bool,
    token: &str,
) -> Result<Response, AppError> {
    let (purpose, _, _) = purpose_of_path(invitation);
    match state.store.token_holder(token, purpose, Utc::now()).await? {
        Some(holder) => Ok(choose_password_page(
            visitor,
            invitation,
            token,
            &holder.name,
            &FormErrors::default(),
        )
        .into_response()),
        None => Ok(link_expired(visitor, invitation)),
    }
}

fn link_expired(visitor: &Visitor, invitation: bool) -> Response {
    let page = LinkExpiredPage {
        chrome: Chrome::new(visitor, "This link has expired", ""),
        invitation,
    };
    (StatusCode::GONE, page).into_response()
}

#[derive(Debug, Deserialize)]
pub struct ChoosePasswordForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirmation: String,
}

async fn choose_password(
    state: &AppState,
    visitor: &Visitor,
    invitation: bool,
    token: &str,
    form: ChoosePasswordForm,
) -> Result<Response, AppError> {
    let (purpose, _, _) = purpose_of_path(invitation);
    let now = Utc::now();
    let Some(holder) = state.store.token_holder(token, purpose, now).await? else {
        return Ok(link_expired(visitor, invitation));
    };
    let password = match NewPassword::parse(&form.password, &form.confirmation) {
        Ok(password) => password,
        Err(problem) => {
            let mut errors = FormErrors::default();
            let field = if problem == domain::PasswordProblem::Mismatch {
                "confirmation"
            } else {
                "password"
            };
            errors.add(field, problem);
            let page = choose_password_page(visitor, invitation, token, &holder.name, &errors);
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let hash = state
        .password_hashing()
        .run(move || password.hash())
        .await?;
    match state
        .store
        .set_password_with_token(token, purpose, &hash, now)
        .await?
    {
        Some(_) => Ok(redirect("/sign-in?password_set=1")),
        None => Ok(link_expired(visitor, invitation)),
    }
}

pub async fn show_accept_invitation(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    show_choose_password(&state, &visitor, true, &token).await
}

pub async fn accept_invitation(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
    Form(form): Form<ChoosePasswordForm>,
) -> Result<Response, AppError> {
    choose_password(&state, &visitor, true, &token, form).await
}

pub async fn show_reset_password(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    show_choose_password(&state, &visitor, false, &token).await
}

pub async fn reset_password(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
    Form(form): Form<ChoosePasswordForm>,
) -> Result<Response, AppError> {
    choose_password(&state, &visitor, false, &token, form).await
}
