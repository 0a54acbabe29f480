//! The challenge pages through the real router on both databases: a request with errors and
//! without, lifecycle moves refused until the challenge is ready, confirmation sending
//! invitations, and re-composition after a decline changing only the freed seat.

use crate::support;

use axum::http::StatusCode;
use chrono::Utc;
use domain::challenge::{InvitationResponse, MemberStatus};
use domain::lifecycle::ChallengeState;
use domain::pool::ReviewerType;
use support::challenge_fixture::{challenge_in, future_weekday, member_profile};
use support::{TestApp, Who};

async fn request_keeps_answers_and_lists_problems(app: TestApp) {
    let mut lead = app.browser_as(Who::LeadOfDerby).await;
    let page = lead
        .post(
            "/challenges/new",
            &[
                ("focus", "Preparing for adulthood"),
                ("kloe_1", "How well do young people prepare for adulthood?"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body
            .contains("Select a one-day or a two-day challenge")
    );
    assert!(
        page.body
            .contains("Select at least one practice theme for KLOE 1")
    );
    assert!(
        page.body
            .contains("How well do young people prepare for adulthood?")
    );
    assert!(page.body.contains("<title>Error:"));

    let day = future_weekday();
    let (d, m, y) = (
        day.format("%d").to_string(),
        day.format("%m").to_string(),
        day.format("%Y").to_string(),
    );
    let mut request = vec![
        ("kind", "two_day"),
        ("format", "hybrid"),
        ("partners", "nhs_board"),
        ("window_1_from-day", d.as_str()),
        ("window_1_from-month", m.as_str()),
        ("window_1_from-year", y.as_str()),
        ("window_1_to-day", d.as_str()),
        ("window_1_to-month", m.as_str()),
        ("window_1_to-year", y.as_str()),
        ("focus", "Preparing for adulthood"),
        ("kloe_1", "How well do young people prepare for adulthood?"),
        ("kloe_1_themes", "PFA"),
    ];
    // The form says a two-day challenge has two or three KLOEs: one is refused, at KLOE 2.
    let page = lead.post("/challenges/new", &request).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        message_next_to(&page, "kloe_2").contains("A two-day challenge has two or three KLOEs")
    );
    request.extend([
        (
            "kloe_2",
            "How well do families shape the services they use?",
        ),
        ("kloe_2_themes", "PFA"),
    ]);
    let page = lead.post("/challenges/new", &request).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let location = page.location().expect("redirect").to_owned();
    let page = lead.get(&location).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Your request has been sent"));
    assert!(page.body.contains("Requested"));
    assert!(
        !page.body.contains("Requested (requested)"),
        "the timeline names the request once"
    );

    // Another authority's lead cannot see it; the project manager can.
    let mut pm = app.browser_as(Who::ProjectManager).await;
    assert_eq!(
        pm.get(location.split('?').next().unwrap_or_default())
            .await
            .status,
        StatusCode::OK
    );
    let summaries = app
        .store
        .challenges(&store::ChallengeFilter::default())
        .await
        .expect("list");
    assert_eq!(summaries.len(), 1);
    assert_eq!(summaries[0].authority.as_str(), "derby");
}

app_test!(
    a_request_keeps_answers_and_lists_problems,
    request_keeps_answers_and_lists_problems
);

async fn moves_wait_until_the_challenge_is_ready(app: TestApp) {
    let fixture = challenge_in(&app.store, "nottingham", ChallengeState::TeamConfirmed).await;
    let mut pm = app.browser_as(Who::ProjectManager).await;
    // The tag says "Team confirmed"; beside it, that not everyone has accepted yet.
    let page = pm.get(&format!("/challenges/{}", fixture.challenge)).await;
    assert!(
        page.body.contains(
            "have accepted their invitation so far. The visit can be scheduled once everyone has."
        ),
        "{}",
        page.body
    );
    let path = format!("/challenges/{}/move", fixture.challenge);
    let page = pm.post(&path, &[("to", "scheduled")]).await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    assert!(
        page.body
            .contains("3 member(s) of the team have not accepted yet"),
        "{}",
        page.body
    );
    let page = pm.post(&path, &[("to", "closed")]).await;
    assert_eq!(
        page.status,
        StatusCode::FORBIDDEN,
        "a move the lifecycle does not have is nobody's to make"
    );
    let record = app
        .store
        .challenge(fixture.challenge)
        .await
        .expect("load")
        .expect("exists");
    assert_eq!(record.state, ChallengeState::TeamConfirmed);
}

app_test!(
    moves_wait_until_the_challenge_is_ready,
    moves_wait_until_the_challenge_is_ready
);

async fn recomposition_changes_only_the_freed_seat(app: TestApp) {
    let fixture = challenge_in(&app.store, "nottingham", ChallengeState::TeamConfirmed).await;
    // Someone else who could sit in the parent carer seat.
    app.store
        .add_pool_member(
            &member_profile("Quinn Parent", ReviewerType::ParentCarer, "lincolnshire"),
            None,
            None,
            Utc::now(),
        )
        .await
        .expect("member");
    let before = app.store.team(fixture.challenge).await.expect("team");
    let leaver = before
        .iter()
        .find(|m| m.reviewer_type == ReviewerType::ParentCarer)
        .expect("a parent carer")
        .clone();
    app.store
        .respond_to_invitation(
            &fixture.coordinator,
            leaver.id,
            &InvitationResponse::Decline("Away".into()),
            None,
            Utc::now(),
        )
        .await
        .expect("decline");

    let mut pm = app.browser_as(Who::ProjectManager).await;
    let team_page = format!("/challenges/{}/team", fixture.challenge);
    let page = pm.get(&team_page).await;
    assert!(page.body.contains("Re-compose the team"));
    let page = pm.post(&format!("{team_page}/recompose"), &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);

    let after = app.store.team(fixture.challenge).await.expect("team");
    for member in before.iter().filter(|m| m.id != leaver.id) {
        let still = after.iter().find(|m| m.id == member.id).expect("kept");
        assert_eq!(
            (still.member, still.status),
            (member.member, MemberStatus::Invited)
        );
    }
    let newcomers: Vec<_> = after
        .iter()
        .filter(|m| m.status == MemberStatus::Proposed)
        .collect();
    assert_eq!(newcomers.len(), 1, "exactly one seat changes");
    assert_eq!(newcomers[0].name, "Quinn Parent");
    assert_ne!(newcomers[0].member, leaver.member);

    // Only the newcomer is invited: one more email in the outbox, to them.
    let outbox_before = app.store.outbox_emails(100).await.expect("outbox").len();
    let page = pm.post(&format!("{team_page}/confirm"), &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let emails = app.store.outbox_emails(100).await.expect("outbox");
    assert_eq!(emails.len(), outbox_before + 1);
    assert!(
        emails
            .iter()
            .any(|e| e.to.as_str() == "quinn.parent@example.org")
    );
}

app_test!(
    recomposition_changes_only_the_freed_seat,
    recomposition_changes_only_the_freed_seat
);

async fn a_team_the_rules_forbid_is_explained_not_an_error(app: TestApp) {
    let fixture = challenge_in(&app.store, "nottingham", ChallengeState::Scoping).await;
    // Everyone who could sit comes from Derby, and a team takes at most two from one authority.
    for (name, kind) in [
        ("Dee Lead", ReviewerType::LaOfficer),
        ("Eli Officer", ReviewerType::LaOfficer),
        ("Fay Parent", ReviewerType::ParentCarer),
    ] {
        app.store
            .add_pool_member(&member_profile(name, kind, "derby"), None, None, Utc::now())
            .await
            .expect("member");
    }
    let mut pm = app.browser_as(Who::ProjectManager).await;
    let page = pm
        .post(
            &format!("/challenges/{}/team/propose", fixture.challenge),
            &[],
        )
        .await;
    assert_eq!(page.status, StatusCode::CONFLICT, "{}", page.body);
    assert!(
        page.body.contains("The engine cannot form a team"),
        "{}",
        page.body
    );
    // In the project manager's words: the limit and the areas, never a setting's name.
    assert!(
        page.body
            .contains("as no more than 2 may come from one area, but everyone who could sit on it comes from Derby"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("max_per_authority"));
    let record = app
        .store
        .challenge(fixture.challenge)
        .await
        .expect("load")
        .expect("exists");
    assert_eq!(
        record.state,
        ChallengeState::Scoping,
        "nothing was proposed"
    );
}

app_test!(
    a_team_the_rules_forbid_is_explained_not_an_error,
    a_team_the_rules_forbid_is_explained_not_an_error
);

#[path = "challenges/rejections.rs"]
mod rejections;
#[path = "challenges/staffing.rs"]
mod staffing;

// ---- Free text is bounded ---------------------------------------------------------------

/// The textarea's text as the page shows it back.
fn textarea_text(page: &support::Page, id: &str) -> Option<String> {
    let marker = format!("id=\"{id}\"");
    page.body.match_indices("<textarea").find_map(|(at, _)| {
        let open_end = at + page.body[at..].find('>')?;
        if !page.body[at..open_end].contains(&marker) {
            return None;
        }
        let end = open_end + page.body[open_end..].find("</textarea>")?;
        Some(page.body[open_end + 1..end].to_owned())
    })
}

/// The message in the error paragraph next to `field`.
fn message_next_to(page: &support::Page, field: &str) -> String {
    let at = page
        .body
        .find(&format!("id=\"{field}-error\""))
        .unwrap_or_else(|| panic!("no error next to {field}"));
    let end = at + page.body[at..].find("</p>").expect("the message ends");
    page.body[at..end].to_owned()
}

async fn a_huge_cancel_reason_is_refused_and_kept(app: TestApp) {
    let fixture = challenge_in(&app.store, "derby", ChallengeState::Scoping).await;
    let mut pm = app.browser_as(Who::ProjectManager).await;
    let huge = "x".repeat(900_000);
    let cancel = format!("/challenges/{}/cancel", fixture.challenge);

    let form = pm.get(&cancel).await;
    assert!(
        form.body.contains("Up to 2,000 characters."),
        "the hint states the limit"
    );
    assert!(
        !form.body.contains("maxlength"),
        "no maxlength on a textarea"
    );

    for page in [
        pm.post(&cancel, &[("reason", &huge)]).await,
        pm.post(
            &format!("/challenges/{}/move", fixture.challenge),
            &[("to", "cancelled"), ("reason", &huge)],
        )
        .await,
    ] {
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.body.contains("govuk-error-summary"));
        assert!(page.body.contains("href=\"#reason\""));
        assert!(
            message_next_to(&page, "reason")
                .contains("Reason for cancelling must be 2,000 characters or fewer"),
            "the message sits next to the field"
        );
        assert_eq!(
            textarea_text(&page, "reason").map(|text| text.len()),
            Some(900_000),
            "what was typed is kept"
        );
    }
    let record = app
        .store
        .challenge(fixture.challenge)
        .await
        .expect("load")
        .expect("exists");
    assert_eq!(
        record.state,
        ChallengeState::Scoping,
        "nothing was cancelled"
    );

    // A reason with a control character is refused; a reason within bounds is taken.
    let page = pm.post(&cancel, &[("reason", "Postponed\u{0}")]).await;
    assert!(
        message_next_to(&page, "reason")
            .contains("Reason for cancelling must not contain control characters")
    );
    let page = pm
        .post(
            &cancel,
            &[("reason", "The authority asked to postpone\r\nuntil spring")],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
}

app_test!(
    a_huge_cancel_reason_is_refused_and_kept,
    a_huge_cancel_reason_is_refused_and_kept
);

async fn a_huge_kloe_is_refused_next_to_its_slot(app: TestApp) {
    let mut lead = app.browser_as(Who::LeadOfDerby).await;
    let form = lead.get("/challenges/new").await;
    assert!(form.body.contains("Up to 500 characters."), "KLOE hint");
    assert!(form.body.contains("Up to 2,000 characters."), "focus hint");
    let huge = "How well ".repeat(100_000);
    let page = lead
        .post(
            "/challenges/new",
            &[
                ("focus", "Preparing for adulthood"),
                ("kloe_1", &huge),
                ("kloe_1_themes", "PFA"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("href=\"#kloe_1\""));
    assert!(message_next_to(&page, "kloe_1").contains("KLOE 1 must be 500 characters or fewer"));
    assert_eq!(
        textarea_text(&page, "kloe_1").as_deref(),
        Some(huge.as_str()),
        "what was typed is kept"
    );
}

app_test!(
    a_huge_kloe_is_refused_next_to_its_slot,
    a_huge_kloe_is_refused_next_to_its_slot
);

/// The whole body is bounded before any handler reads it: a form over a mebibyte gets the
/// service's own error page, not a line of plain text.
async fn a_form_over_a_mebibyte_gets_the_error_page(app: TestApp) {
    let fixture = challenge_in(&app.store, "derby", ChallengeState::Scoping).await;
    let mut pm = app.browser_as(Who::ProjectManager).await;
    let page = pm
        .post(
            &format!("/challenges/{}/cancel", fixture.challenge),
            &[("reason", &"x".repeat(1024 * 1024 + 1))],
        )
        .await;
    assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        page.header("content-type")
            .is_some_and(|value| value.starts_with("text/html")),
        "an HTML page"
    );
    assert!(page.body.contains("govuk-template"), "{}", page.body);
    assert!(page.body.contains("The file or form is too large"));
}

app_test!(
    a_form_over_a_mebibyte_gets_the_error_page,
    a_form_over_a_mebibyte_gets_the_error_page
);
#[path = "challenges/conflicts.rs"]
mod conflicts;
#[path = "challenges/dashboards.rs"]
mod dashboards;
#[path = "challenges/lead_emails.rs"]
mod lead_emails;
