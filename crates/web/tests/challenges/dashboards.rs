//! Every role's dashboard is a to-do list: walked here through the router from an item to the
//! page it links to and back, the item there while its task waits and gone once it is done.

use axum::http::StatusCode;
use chrono::Utc;
use domain::challenge::SeatRole;
use domain::lifecycle::ChallengeState;
use domain::next_steps::ActionAnswers;
use domain::pool::ReviewerType;
use domain::{EmailAddress, ThemeCode};
use store::NewTeamMember;

use super::support::challenge_fixture::{challenge_in, member_profile, principal_of};
use super::support::findings_fixture::{next_steps_challenge, reporting_challenge};
use super::support::{Browser, TestApp, Who};

/// The to-do items on the dashboard, as (link, text).
async fn to_do(browser: &mut Browser<'_>) -> Vec<(String, String)> {
    let page = browser.get("/dashboard").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let mut items = Vec::new();
    for block in page.body.split("app-todo\">").skip(1) {
        let block = block.split("</ul>").next().unwrap_or_default();
        for link in block.split("href=\"").skip(1) {
            let (href, rest) = link.split_once('"').unwrap_or_default();
            let text = rest
                .split_once('>')
                .and_then(|(_, text)| text.split_once("</a>"))
                .map(|(text, _)| text)
                .unwrap_or_default();
            items.push((href.to_owned(), text.to_owned()));
        }
    }
    items
}

/// The one item linking to `href`, which opens.
async fn follow(browser: &mut Browser<'_>, href: &str, text: &str) {
    let items = to_do(browser).await;
    assert!(
        items.iter().any(|(h, t)| h == href && t.starts_with(text)),
        "{text} → {href} in {items:?}"
    );
    let page = browser.get(href).await;
    assert_eq!(page.status, StatusCode::OK, "{href}: {}", page.body);
}

async fn gone(browser: &mut Browser<'_>, href: &str) {
    let items = to_do(browser).await;
    assert!(
        items.iter().all(|(h, _)| h != href),
        "{href} still in {items:?}"
    );
}

async fn a_reviewer_answers_and_the_scheme_recomposes(app: TestApp) {
    let fixture = challenge_in(&app.store, "derby", ChallengeState::TeamProposed).await;
    let id = fixture.challenge;
    let mut reviewer = app.browser_as(Who::Reviewer).await;
    let empty = reviewer.get("/dashboard").await;
    assert!(
        empty
            .body
            .contains("You are not on a challenge team at the moment")
    );

    // The test reviewer takes the LA officer's seat, and the team is invited.
    let account = principal_of(&app.store, "reviewer1@example.org").await;
    let mut profile = member_profile("Rita Reviewer", ReviewerType::LaOfficer, "leicester");
    profile.email = EmailAddress::parse("reviewer1@example.org").expect("email");
    let member = app
        .store
        .add_pool_member(&profile, Some(account.user_id), None, Utc::now())
        .await
        .expect("member");
    let officer = fixture.team[1];
    app.store
        .remove_team_member(&fixture.coordinator, officer, Utc::now())
        .await
        .expect("removed");
    app.store
        .add_team_member(
            &fixture.coordinator,
            id,
            &NewTeamMember {
                member,
                seat_role: SeatRole::LaOfficer,
                shadowing: false,
                reasons: "For the test".into(),
            },
            None,
            Utc::now(),
        )
        .await
        .expect("proposed");
    let mut pm = app.browser_as(Who::ProjectManager).await;
    let confirmed = pm
        .post(
            &format!("/challenges/{id}/team/confirm"),
            // The fixture's team is not the engine's: confirmed over its rules, as a
            // project manager may with a reason.
            &[("override_reason", "The area asked for this team")],
        )
        .await;
    assert_eq!(
        confirmed.status,
        StatusCode::SEE_OTHER,
        "{}",
        confirmed.body
    );

    let respond = format!("/challenges/{id}/respond");
    follow(&mut reviewer, &respond, "Answer your invitation").await;
    let page = reviewer.get("/dashboard").await;
    assert!(!page.body.contains("You are not on a challenge team"));
    let answered = reviewer.post(&respond, &[("response", "decline")]).await;
    assert_eq!(answered.status, StatusCode::SEE_OTHER, "{}", answered.body);
    gone(&mut reviewer, &respond).await;

    // The freed seat waits on the project manager until someone is proposed for it.
    let team = format!("/challenges/{id}/team");
    follow(&mut pm, &team, "Re-compose the team").await;
    let mut coordinator = app.browser_as(Who::Coordinator).await;
    follow(&mut coordinator, &team, "Re-compose the team").await;
    let newcomer = app
        .store
        .add_pool_member(
            &member_profile("Quinn Officer", ReviewerType::LaOfficer, "lincolnshire"),
            None,
            None,
            Utc::now(),
        )
        .await
        .expect("member");
    app.store
        .add_team_member(
            &fixture.coordinator,
            id,
            &NewTeamMember {
                member: newcomer,
                seat_role: SeatRole::LaOfficer,
                shadowing: false,
                reasons: "In the freed seat".into(),
            },
            None,
            Utc::now(),
        )
        .await
        .expect("proposed");
    gone(&mut pm, &team).await;
}

crate::app_test!(
    a_reviewer_answers_and_the_scheme_recomposes,
    a_reviewer_answers_and_the_scheme_recomposes
);

async fn a_request_waits_on_its_lead_then_the_scheme(app: TestApp) {
    let fixture = challenge_in(&app.store, "derby", ChallengeState::Requested).await;
    let id = fixture.challenge;
    let mut lead = app.browser_as(Who::LeadOfDerby).await;
    let mut coordinator = app.browser_as(Who::Coordinator).await;
    let kloes = format!("/challenges/{id}/kloes");
    follow(&mut lead, &kloes, "Agree the KLOEs").await;
    let challenge = format!("/challenges/{id}");
    follow(&mut coordinator, &challenge, "Scope the request").await;

    let agreed = coordinator.post(&format!("{kloes}/agree"), &[]).await;
    assert_eq!(agreed.status, StatusCode::SEE_OTHER, "{}", agreed.body);
    gone(&mut lead, &kloes).await;
    let moved = coordinator
        .post(&format!("{challenge}/move"), &[("to", "scoping")])
        .await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
    gone(&mut coordinator, &challenge).await;
    let mut pm = app.browser_as(Who::ProjectManager).await;
    follow(&mut pm, &format!("{challenge}/team"), "Propose a team").await;
}

crate::app_test!(
    a_request_waits_on_its_lead_then_the_scheme,
    a_request_waits_on_its_lead_then_the_scheme
);

async fn a_shared_report_waits_for_the_lead_and_the_final_one(app: TestApp) {
    let fixture = reporting_challenge(&app.store, "derby").await;
    let id = fixture.challenge;
    let reports = format!("/challenges/{id}/reports");
    let mut lead = app.browser_as(Who::LeadOfDerby).await;
    follow(&mut lead, &reports, "Check the report for accuracy").await;
    let commented = lead
        .post(
            &format!("{reports}/{}/comments", fixture.version),
            &[("comment", "Slide 2: it is 40 plans, not 30")],
        )
        .await;
    assert_eq!(
        commented.status,
        StatusCode::SEE_OTHER,
        "{}",
        commented.body
    );
    gone(&mut lead, &reports).await;

    let mut coordinator = app.browser_as(Who::Coordinator).await;
    follow(&mut coordinator, &reports, "Finish the report").await;
    let made_final = coordinator
        .post(
            &format!("{reports}/{}/final", fixture.version),
            &[("confirm", "yes")],
        )
        .await;
    assert_eq!(
        made_final.status,
        StatusCode::SEE_OTHER,
        "{}",
        made_final.body
    );
    gone(&mut coordinator, &reports).await;
}

crate::app_test!(
    a_shared_report_waits_for_the_lead_and_the_final_one,
    a_shared_report_waits_for_the_lead_and_the_final_one
);

async fn overdue_actions_wait_on_the_lead_and_the_board(app: TestApp) {
    let fixture = next_steps_challenge(&app.store, "derby").await;
    let coordinator = principal_of(&app.store, "coordinator@example.org").await;
    let save = |due: &str, rag: &str| {
        ActionAnswers {
            reference: "LEI-1".into(),
            answers: "Recommendation 1".into(),
            theme: "EHCP_QUALITY".into(),
            action: "Agree a timetable for health advice".into(),
            owner: "Head of SEND".into(),
            start: "01/01/2025".into(),
            due: due.into(),
            rag: rag.into(),
            ..ActionAnswers::default()
        }
        .check(
            &[ThemeCode::parse("EHCP_QUALITY").expect("theme")],
            Utc::now().date_naive(),
        )
        .expect("a valid action")
    };
    app.store
        .save_action(
            fixture.challenge,
            Some(fixture.action),
            &save("01/01/2026", "red"),
            &coordinator,
            Utc::now(),
        )
        .await
        .expect("overdue");
    let area = "/progress/areas/derby";
    let mut board = app.browser_as(Who::Board).await;
    follow(&mut board, area, "Derby: overdue actions").await;
    let plan = format!("/challenges/{}/actions", fixture.challenge);
    let mut lead = app.browser_as(Who::LeadOfDerby).await;
    follow(&mut lead, &plan, "Actions due").await;

    app.store
        .save_action(
            fixture.challenge,
            Some(fixture.action),
            &save("01/01/2026", "complete"),
            &coordinator,
            Utc::now(),
        )
        .await
        .expect("complete");
    gone(&mut board, area).await;
    gone(&mut lead, &plan).await;
}

crate::app_test!(
    overdue_actions_wait_on_the_lead_and_the_board,
    overdue_actions_wait_on_the_lead_and_the_board
);
