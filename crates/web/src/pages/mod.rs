//! Page handlers, grouped by what the visitor is doing. Each handler extracts, parses,
//! asks the policy, makes one store call and renders.

pub mod account;
pub mod admin;
pub mod applications;
pub mod apply;
pub mod area_programmes;
pub mod authorities;
pub mod biennial;
pub mod biennial_kloe_edit;
pub mod challenges;
pub mod dashboard;
pub mod delete;
pub mod event_documents;
pub mod events;
pub mod findings;
pub mod health;
pub mod indicators;
pub mod next_steps;
pub mod overview_files;
pub mod pool;
pub mod programme_activities;
pub mod progress;
pub mod public;
pub mod reports;
pub mod return_next_steps;
pub mod returns;
pub mod self_assessment;
pub mod self_assessments;
pub mod staffing;
pub mod team;
pub mod training;
pub mod triads;
pub mod triangulation;
pub mod upkeep;
pub mod visit;
pub mod what_if;

use domain::{Action, Principal, authorise};

use crate::visitor::Visitor;

/// A link in the service navigation.
#[derive(Clone, Debug)]
pub struct NavItem {
    pub text: &'static str,
    pub href: &'static str,
    pub current: bool,
}

/// What the layout needs on every page: title, navigation, who is signed in, and the form
/// token the sign-out form carries.
#[derive(Clone, Debug)]
pub struct Chrome {
    pub title: String,
    pub nav: Vec<NavItem>,
    pub signed_in_as: Option<String>,
    pub form_token: String,
    /// Prefix the title with "Error:" so screen-reader users hear it first.
    pub has_errors: bool,
}

impl Chrome {
    pub fn new(visitor: &Visitor, title: impl Into<String>, current_href: &str) -> Self {
        let links = match &visitor.principal {
            Some(principal) => signed_in_links(principal),
            None => vec![
                ("About", "/"),
                ("Guidance", "/guidance"),
                ("Join the pool", "/apply"),
                ("Contact", "/contact"),
                ("Sign in", "/sign-in"),
            ],
        };
        let nav = links
            .into_iter()
            .map(|(text, href)| NavItem {
                text,
                href,
                current: href == current_href,
            })
            .collect();
        Self {
            title: title.into(),
            nav,
            signed_in_as: visitor
                .principal
                .as_ref()
                .map(|principal| principal.name.clone()),
            form_token: visitor.form_token.clone(),
            has_errors: false,
        }
    }

    pub fn with_errors(mut self, has_errors: bool) -> Self {
        self.has_errors = has_errors;
        self
    }
}

/// Links for what this person may open, asked of the policy so the menu never offers a
/// page that would refuse them.
fn signed_in_links(principal: &Principal) -> Vec<(&'static str, &'static str)> {
    [
        ("Dashboard", "/dashboard", Action::ViewDashboard),
        ("Challenges", "/challenges", Action::ListChallenges),
        ("My challenges", "/my-challenges", Action::ViewOwnChallenges),
        ("Progress", "/progress", Action::ViewProgress),
        ("Returns", "/returns", Action::ViewReturns),
        ("Authorities", "/authorities", Action::ViewAuthorities),
        ("Staff", "/admin/staff", Action::ViewStaff),
        (
            "Applications",
            "/pool/applications",
            Action::VetApplications,
        ),
        ("Reviewer pool", "/pool", Action::ViewPool),
        ("My profile", "/my-profile", Action::EditOwnPoolProfile),
        ("Training", "/training", Action::ManageTraining),
        ("Audit log", "/admin/audit", Action::ViewAuditLog),
        ("Emails", "/admin/outbox", Action::ViewOutbox),
        ("Scheduled jobs", "/admin/upkeep", Action::ViewUpkeep),
        ("Guidance", "/admin/guidance", Action::ManageGuidance),
        ("Events", "/events", Action::ViewEvents),
        ("Biennial", "/biennial", Action::ViewBiennial),
        (
            "Self-assessment",
            "/self-assessment",
            Action::ViewAnnualCycles,
        ),
        ("Published data", "/indicators", Action::ViewIndicators),
    ]
    .into_iter()
    .filter(|(_, _, action)| authorise(Some(principal), action).is_ok())
    .map(|(text, href, _)| (text, href))
    .collect()
}

/// The `?notice=` a page is redirected to after a change, for its banner.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Notice {
    #[serde(default)]
    pub notice: String,
}

/// Post/redirect/get: send the browser on to `to` with 303 See Other.
pub(crate) fn see_other(to: &str) -> axum::response::Response {
    use axum::response::IntoResponse;
    (
        axum::http::StatusCode::SEE_OTHER,
        [(axum::http::header::LOCATION, to.to_owned())],
    )
        .into_response()
}
