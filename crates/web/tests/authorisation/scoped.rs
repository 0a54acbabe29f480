//! The accounts whose rights come from their part in one challenge, not from their role
//! alone: the host area's LA lead, a reviewer invited to the team who has not answered, one
//! who accepted, and the lead reviewer. The main table proves that people with no part in a
//! challenge are refused; this one proves that the people with a part are let in where their
//! part allows, and still refused where it does not. The challenge is hosted by Nottingham,
//! its team confirmed, with a timetable activity, a sampled case and a pre-reading document.

use axum::http::{Method, StatusCode};
use domain::challenge::InvitationResponse;
use domain::lifecycle::ChallengeState;
use domain::{AuthoritySlug, EmailAddress, NewPassword, PersonName, Role, RoleGrant, UserId};
use store::{NewUser, Store};

use super::support::TestApp;
use super::support::challenge_fixture::{challenge_with_accounts, principal_of_user};
use super::support::visit_fixture::add_visit_fixtures;
use super::{FORBIDDEN, INVALID, NOT_FOUND, OK, REDIRECT, table};

/// What each account with a part in the challenge gets from one route.
struct ScopedRow {
    method: Method,
    /// The path, with `{challenge}`, `{activity}`, `{case}` and `{document}` for the records.
    path: &'static str,
    host_lead: u16,
    invited: u16,
    accepted: u16,
    lead_reviewer: u16,
}

#[rustfmt::skip]
fn scoped_table() -> Vec<ScopedRow> {
    use Method as M;
    let r = |method: Method, path, host_lead, invited, accepted, lead_reviewer| ScopedRow {
        method, path, host_lead, invited, accepted, lead_reviewer,
    };
    vec![
        // An invited reviewer sees the challenge, its KLOEs, team and timetable to decide,
        // and answers; the pre-reading waits until they accept (and with it the
        // confidentiality undertaking). Only the host's lead prepares the visit; the team
        // is changed by the scheme's staff alone. An empty move is invalid whoever sends it.
        //  method   path                                                 host lead  invited    accepted   lead reviewer
        r(M::GET,  "/challenges/{challenge}",                                 OK,        OK,        OK,        OK),
        r(M::POST, "/challenges/{challenge}/move",                            INVALID,   INVALID,   INVALID,   INVALID),
        r(M::GET,  "/challenges/{challenge}/cancel",                          FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
        r(M::POST, "/challenges/{challenge}/cancel",                          FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
        r(M::GET,  "/challenges/{challenge}/kloes",                           OK,        OK,        OK,        OK),
        r(M::POST, "/challenges/{challenge}/kloes",                           INVALID,   FORBIDDEN, FORBIDDEN, FORBIDDEN),
        r(M::POST, "/challenges/{challenge}/kloes/agree",                     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
        r(M::GET,  "/challenges/{challenge}/visit",                           FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
        r(M::POST, "/challenges/{challenge}/visit",                           FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
        r(M::GET,  "/challenges/{challenge}/team",                            OK,        OK,        OK,        OK),
        r(M::POST, "/challenges/{challenge}/team/propose",                    FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
        r(M::POST, "/challenges/{challenge}/team/recompose",                  FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
        r(M::POST, "/challenges/{challenge}/team/swap",                       FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
        r(M::POST, "/challenges/{challenge}/team/add",                        FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
        r(M::POST, "/challenges/{challenge}/team/remove",                     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
        r(M::POST, "/challenges/{challenge}/team/confirm",                    FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
        r(M::POST, "/challenges/{challenge}/team/shadow",                     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
        r(M::POST, "/challenges/{challenge}/team/ask-travel",                 FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
        r(M::GET,  "/challenges/{challenge}/invitation.ics",                  OK,        OK,        OK,        OK),
        r(M::GET,  "/challenges/{challenge}/respond",                         FORBIDDEN, OK,        NOT_FOUND, NOT_FOUND),
        r(M::POST, "/challenges/{challenge}/respond",                         FORBIDDEN, INVALID,   NOT_FOUND, NOT_FOUND),
        r(M::GET,  "/challenges/{challenge}/timetable",                       OK,        OK,        OK,        OK),
        r(M::GET,  "/challenges/{challenge}/timetable.ics",                   OK,        OK,        OK,        OK),
        r(M::GET,  "/challenges/{challenge}/timetable/print",                 OK,        OK,        OK,        OK),
        r(M::GET,  "/challenges/{challenge}/timetable/new",                   OK,        FORBIDDEN, FORBIDDEN, FORBIDDEN),
        r(M::POST, "/challenges/{challenge}/timetable/new",                   INVALID,   FORBIDDEN, FORBIDDEN, FORBIDDEN),
        r(M::GET,  "/challenges/{challenge}/timetable/{activity}",            OK,        FORBIDDEN, FORBIDDEN, FORBIDDEN),
        r(M::POST, "/challenges/{challenge}/timetable/{activity}",            INVALID,   FORBIDDEN, FORBIDDEN, FORBIDDEN),
        r(M::GET,  "/challenges/{challenge}/timetable/{activity}/delete",     OK,        FORBIDDEN, FORBIDDEN, FORBIDDEN),
        r(M::POST, "/challenges/{challenge}/timetable/{activity}/delete",     REDIRECT,  FORBIDDEN, FORBIDDEN, FORBIDDEN),
        r(M::GET,  "/challenges/{challenge}/cases",                           OK,        OK,        OK,        OK),
        r(M::POST, "/challenges/{challenge}/cases",                           INVALID,   FORBIDDEN, FORBIDDEN, FORBIDDEN),
        r(M::GET,  "/challenges/{challenge}/cases/{case}/delete",             OK,        FORBIDDEN, FORBIDDEN, FORBIDDEN),
        r(M::POST, "/challenges/{challenge}/cases/{case}/delete",             REDIRECT,  FORBIDDEN, FORBIDDEN, FORBIDDEN),
        r(M::GET,  "/challenges/{challenge}/documents",                       OK,        FORBIDDEN, OK,        OK),
        r(M::POST, "/challenges/{challenge}/documents",                       INVALID,   FORBIDDEN, FORBIDDEN, FORBIDDEN),
        r(M::GET,  "/challenges/{challenge}/documents/{document}",            OK,        FORBIDDEN, OK,        OK),
        r(M::GET,  "/challenges/{challenge}/documents/{document}/delete",     OK,        FORBIDDEN, FORBIDDEN, FORBIDDEN),
        r(M::POST, "/challenges/{challenge}/documents/{document}/delete",     REDIRECT,  FORBIDDEN, FORBIDDEN, FORBIDDEN),
    ]
}

#[test]
fn every_route_of_the_challenge_has_a_scoped_row() {
    let scoped = scoped_table();
    for row in table()
        .iter()
        .filter(|row| row.path.contains("{challenge}"))
    {
        assert!(
            scoped
                .iter()
                .any(|s| s.method == row.method && s.path == row.path),
            "{} {} has no row in the scoped table",
            row.method,
            row.path
        );
    }
}

async fn account(store: &Store, name: &str, grant: RoleGrant) -> UserId {
    let email = format!("{}@example.org", name.to_lowercase().replace(' ', "."));
    let user = NewUser {
        name: PersonName::parse(name).expect("name"),
        email: EmailAddress::parse(&email).expect("email"),
        grants: vec![grant],
    };
    let hash = NewPassword::parse(super::support::PASSWORD, super::support::PASSWORD)
        .expect("password")
        .hash();
    store
        .ensure_user(&user, &hash, chrono::Utc::now())
        .await
        .expect("account")
}

fn reviewer() -> RoleGrant {
    RoleGrant::new(Role::Reviewer, None).expect("grant")
}

async fn walk_as_each_part(app: TestApp) {
    let store = &app.store;
    let nottingham = AuthoritySlug::parse("nottingham").expect("slug");
    let host_lead = account(
        store,
        "Nadia Host",
        RoleGrant::new(Role::LaLead, Some(nottingham)).expect("grant"),
    )
    .await;
    let lead_reviewer = account(store, "Lena Leader", reviewer()).await;
    let accepted = account(store, "Omar Accepted", reviewer()).await;
    let invited = account(store, "Pat Invited", reviewer()).await;
    let fixture = challenge_with_accounts(
        store,
        "nottingham",
        ChallengeState::TeamConfirmed,
        [Some(lead_reviewer), Some(accepted), Some(invited)],
    )
    .await;
    for (user, seat) in [
        (lead_reviewer, fixture.team[0]),
        (accepted, fixture.team[1]),
    ] {
        store
            .respond_to_invitation(
                &principal_of_user(store, user).await,
                seat,
                &InvitationResponse::Accept,
                None,
                chrono::Utc::now(),
            )
            .await
            .expect("accepted");
    }
    let visit = add_visit_fixtures(store, fixture.challenge, &fixture.team).await;
    let substitutions = [
        ("{challenge}", fixture.challenge.to_string()),
        ("{activity}", visit.activity.to_string()),
        ("{case}", visit.case.to_string()),
        ("{document}", visit.document.to_string()),
    ];
    let mut failures = Vec::new();
    for row in scoped_table() {
        let path = substitutions
            .iter()
            .fold(row.path.to_owned(), |path, (placeholder, id)| {
                path.replace(placeholder, id)
            });
        for (part, user, expected) in [
            ("host lead", host_lead, row.host_lead),
            ("invited", invited, row.invited),
            ("accepted", accepted, row.accepted),
            ("lead reviewer", lead_reviewer, row.lead_reviewer),
        ] {
            let mut browser = app.browser_for(user).await;
            let page = if row.method == Method::GET {
                browser.get(&path).await
            } else {
                browser.post(&path, &[]).await
            };
            if page.status.as_u16() != expected {
                failures.push(format!(
                    "{part}: {} {}: expected {expected}, got {}",
                    row.method,
                    row.path,
                    page.status.as_u16()
                ));
            }
            assert_ne!(page.status, StatusCode::INTERNAL_SERVER_ERROR, "{path}");
        }
    }
    assert!(
        failures.is_empty(),
        "scoped table mismatches:\n{}",
        failures.join("\n")
    );
}

crate::app_test!(
    each_part_in_a_challenge_gets_what_the_table_says,
    walk_as_each_part
);
