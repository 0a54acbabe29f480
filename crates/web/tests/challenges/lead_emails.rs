//! The host's LA lead hears of every step that waits on them or changes their visit, through
//! the outbox: their request received (and the people who scope it told), scoping started,
//! KLOEs agreed, the team confirmed, the visit days moved and the timetable published (the team
//! told too, with an updated calendar invitation for moved days), the report
//! shared for accuracy, the report final and a cancellation.

use axum::http::StatusCode;
use chrono::Utc;
use domain::findings::ReportFormat;
use domain::lifecycle::ChallengeState;

use super::support::challenge_fixture::{challenge_in, future_weekday};
use super::support::visit_fixture::add_visit_fixtures;
use super::support::{TestApp, Who};
use store::Author;

const LEAD: &str = "lead.derby@example.org";

/// The subjects of the emails in the outbox to `to`, oldest first.
async fn subjects_to(app: &TestApp, to: &str) -> Vec<String> {
    let mut emails = app.store.outbox_emails(500).await.expect("outbox");
    emails.sort_by_key(|email| email.created_at);
    emails
        .into_iter()
        .filter(|email| email.to.as_str() == to)
        .map(|email| email.subject)
        .collect()
}

async fn the_host_lead_hears_of_every_step(app: TestApp) {
    // The request: the lead hears it was received; the co-ordinator and PM that it waits.
    let mut lead = app.browser_as(Who::LeadOfDerby).await;
    let day = future_weekday();
    let (d, m, y) = (
        day.format("%d").to_string(),
        day.format("%m").to_string(),
        day.format("%Y").to_string(),
    );
    let page = lead
        .post(
            "/challenges/new",
            &[
                ("kind", "one_day"),
                ("format", "on_site"),
                ("window_1_from-day", &d),
                ("window_1_from-month", &m),
                ("window_1_from-year", &y),
                ("window_1_to-day", &d),
                ("window_1_to-month", &m),
                ("window_1_to-year", &y),
                ("focus", "Preparing for adulthood"),
                ("kloe_1", "How well do young people prepare for adulthood?"),
                ("kloe_1_themes", "PFA"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let requested = subjects_to(&app, LEAD).await;
    assert_eq!(requested.len(), 1, "{requested:?}");
    assert!(requested[0].ends_with("your request for a one-day peer challenge has been received"));
    for runner in ["coordinator@example.org", "pm@example.org"] {
        let told = subjects_to(&app, runner).await;
        assert!(
            told.iter().any(|s| s.contains("Derby has requested")),
            "{runner}: {told:?}"
        );
    }
    assert!(subjects_to(&app, "reviewer1@example.org").await.is_empty());

    // KLOEs agreed, by the co-ordinator.
    let id = app
        .store
        .challenges(&store::ChallengeFilter::default())
        .await
        .expect("list")[0]
        .id;
    let mut coordinator = app.browser_as(Who::Coordinator).await;
    let agreed = coordinator
        .post(&format!("/challenges/{id}/kloes/agree"), &[])
        .await;
    assert_eq!(agreed.status, StatusCode::SEE_OTHER, "{}", agreed.body);
    let told = subjects_to(&app, LEAD).await;
    assert!(
        told.last()
            .is_some_and(|s| s.ends_with("the key lines of enquiry have been agreed")),
        "{told:?}"
    );

    // Scoping started.
    let moved = coordinator
        .post(&format!("/challenges/{id}/move"), &[("to", "scoping")])
        .await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
    let told = subjects_to(&app, LEAD).await;
    assert!(
        told.last()
            .is_some_and(|s| s.ends_with("your request has been accepted")),
        "{told:?}"
    );

    // The team confirmed: the lead hears once, beside the members' invitations.
    let proposed = challenge_in(&app.store, "derby", ChallengeState::TeamProposed).await;
    let before = subjects_to(&app, LEAD).await.len();
    let mut pm = app.browser_as(Who::ProjectManager).await;
    let confirmed = pm
        .post(
            &format!("/challenges/{}/team/confirm", proposed.challenge),
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
    let told = subjects_to(&app, LEAD).await;
    assert_eq!(told.len(), before + 1, "{told:?}");
    assert!(told[before].ends_with("your challenge team has been confirmed"));

    // The report shared for accuracy, then final (the visit moved on through the store).
    let challenge = proposed.challenge;
    for (from, to) in [
        (ChallengeState::TeamConfirmed, ChallengeState::Scheduled),
        (ChallengeState::Scheduled, ChallengeState::Visit),
        (ChallengeState::Visit, ChallengeState::Reporting),
    ] {
        app.store
            .move_challenge(&proposed.coordinator, challenge, from, to, None, Utc::now())
            .await
            .expect("move on");
    }
    let author = Author {
        user: proposed.coordinator.user_id,
        name: &proposed.coordinator.name,
    };
    let newest = app
        .store
        .add_report_version(
            challenge,
            ReportFormat::SlideDeck,
            b"slides".to_vec(),
            author,
            Utc::now(),
        )
        .await
        .expect("version")
        .id;
    let reports = format!("/challenges/{challenge}/reports");
    let before = subjects_to(&app, LEAD).await.len();
    for (step, subject) in [
        ("share", "please check the report for accuracy"),
        ("final", "the final report is ready"),
    ] {
        // "Make final" is answered from its confirmation page.
        let page = coordinator
            .post(&format!("{reports}/{newest}/{step}"), &[("confirm", "yes")])
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{step}: {}", page.body);
        let told = subjects_to(&app, LEAD).await;
        assert!(
            told.last().is_some_and(|s| s.ends_with(subject)),
            "{step}: {told:?}"
        );
    }
    assert_eq!(subjects_to(&app, LEAD).await.len(), before + 2);

    // Cancelled: the first request, still in scoping.
    let cancelled = coordinator
        .post(
            &format!("/challenges/{id}/cancel"),
            &[("reason", "The area asked to wait until next year")],
        )
        .await;
    assert_eq!(
        cancelled.status,
        StatusCode::SEE_OTHER,
        "{}",
        cancelled.body
    );
    let told = subjects_to(&app, LEAD).await;
    assert!(
        told.last()
            .is_some_and(|s| s.ends_with("the one-day peer challenge has been cancelled")),
        "{told:?}"
    );
}

crate::app_test!(
    the_host_lead_hears_of_every_step,
    the_host_lead_hears_of_every_step
);

async fn publishing_the_timetable_tells_the_team_and_the_host_lead(app: TestApp) {
    let fixture = challenge_in(&app.store, "derby", ChallengeState::TeamConfirmed).await;
    for seat in &fixture.team {
        app.store
            .respond_to_invitation(
                &fixture.coordinator,
                *seat,
                &domain::challenge::InvitationResponse::Accept,
                None,
                Utc::now(),
            )
            .await
            .expect("accept");
    }
    add_visit_fixtures(&app.store, fixture.challenge, &fixture.team).await;
    let mut pm = app.browser_as(Who::ProjectManager).await;
    let moved = pm
        .post(
            &format!("/challenges/{}/move", fixture.challenge),
            &[("to", "scheduled")],
        )
        .await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
    let subject = "the visit timetable has been published";
    let told = subjects_to(&app, LEAD).await;
    assert!(told.iter().any(|s| s.ends_with(subject)), "{told:?}");
    let team = app.store.team(fixture.challenge).await.expect("team");
    assert!(!team.is_empty());
    for member in &team {
        let told = subjects_to(&app, member.email.as_str()).await;
        assert_eq!(
            told.iter().filter(|s| s.ends_with(subject)).count(),
            1,
            "{}: {told:?}",
            member.name
        );
    }
}

crate::app_test!(
    publishing_the_timetable_tells_the_team_and_the_host_lead,
    publishing_the_timetable_tells_the_team_and_the_host_lead
);

async fn moved_visit_days_tell_the_team_with_a_new_invitation_and_the_host_lead(app: TestApp) {
    use chrono::Datelike;
    let fixture = challenge_in(&app.store, "derby", ChallengeState::TeamConfirmed).await;
    let day = future_weekday() + chrono::Duration::days(7);
    let day_s = day.day().to_string();
    let month_s = day.month().to_string();
    let year_s = day.year().to_string();
    let mut pm = app.browser_as(Who::ProjectManager).await;
    let moved = pm
        .post(
            &format!("/challenges/{}/visit", fixture.challenge),
            &[
                ("visit_date-day", day_s.as_str()),
                ("visit_date-month", month_s.as_str()),
                ("visit_date-year", year_s.as_str()),
                ("seats_lead_reviewer", "1"),
                ("seats_la_officer", "1"),
                ("seats_parent_carer", "1"),
            ],
        )
        .await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
    let subject = "the visit days have changed";
    let told = subjects_to(&app, LEAD).await;
    assert!(told.iter().any(|s| s.ends_with(subject)), "{told:?}");
    assert!(
        !told
            .iter()
            .any(|s| s.ends_with("the visit days have been set")),
        "{told:?}"
    );
    let outbox = app.store.outbox_emails(500).await.expect("outbox");
    let team = app.store.team(fixture.challenge).await.expect("team");
    assert_eq!(
        team.iter().filter(|m| m.status.is_on_team()).count(),
        3,
        "the invited team"
    );
    for member in team.iter().filter(|m| m.status.is_on_team()) {
        let email = outbox
            .iter()
            .find(|e| e.to == member.email && e.subject.ends_with(subject))
            .unwrap_or_else(|| panic!("{} is told", member.name));
        assert!(
            email
                .body_text
                .contains(&day.format("%-d %B %Y").to_string()),
            "{}",
            email.body_text
        );
        assert!(
            email
                .attachments
                .iter()
                .any(|a| a.file_name.ends_with(".ics")
                    && String::from_utf8_lossy(&a.bytes).contains("SEQUENCE:")),
            "with the calendar invitation"
        );
    }
    // Planning the same days again tells nobody.
    let before = app.store.outbox_emails(500).await.expect("outbox").len();
    pm.post(
        &format!("/challenges/{}/visit", fixture.challenge),
        &[
            ("visit_date-day", day_s.as_str()),
            ("visit_date-month", month_s.as_str()),
            ("visit_date-year", year_s.as_str()),
            ("seats_lead_reviewer", "1"),
            ("seats_la_officer", "1"),
            ("seats_parent_carer", "1"),
        ],
    )
    .await;
    assert_eq!(
        app.store.outbox_emails(500).await.expect("outbox").len(),
        before
    );
}

crate::app_test!(
    moved_visit_days_tell_the_team_with_a_new_invitation_and_the_host_lead,
    moved_visit_days_tell_the_team_with_a_new_invitation_and_the_host_lead
);

async fn visit_days_set_before_anyone_is_invited_tell_the_host_lead(app: TestApp) {
    use chrono::Datelike;
    let fixture = challenge_in(&app.store, "derby", ChallengeState::Scoping).await;
    let day = future_weekday() + chrono::Duration::days(14);
    let (d, m, y) = (
        day.day().to_string(),
        day.month().to_string(),
        day.year().to_string(),
    );
    let mut pm = app.browser_as(Who::ProjectManager).await;
    let planned = pm
        .post(
            &format!("/challenges/{}/visit", fixture.challenge),
            &[
                ("visit_date-day", d.as_str()),
                ("visit_date-month", m.as_str()),
                ("visit_date-year", y.as_str()),
                ("seats_lead_reviewer", "1"),
                ("seats_la_officer", "2"),
                ("seats_parent_carer", "1"),
            ],
        )
        .await;
    assert_eq!(planned.status, StatusCode::SEE_OTHER, "{}", planned.body);
    let told = subjects_to(&app, LEAD).await;
    assert!(
        told.iter()
            .any(|s| s.ends_with("the visit days have been set")),
        "{told:?}"
    );
}

crate::app_test!(
    visit_days_set_before_anyone_is_invited_tell_the_host_lead,
    visit_days_set_before_anyone_is_invited_tell_the_host_lead
);
