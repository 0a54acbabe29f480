//! Nothing typed as evidence or as a comment on a finding is lost: when recording or the
//! findings close while someone is typing, the refusal shows their text back with the reason
//! instead of redirecting it away.

use axum::http::StatusCode;
use chrono::Utc;
use domain::lifecycle::ChallengeState;

use super::support::challenge_fixture::principal_of;
use super::support::findings_fixture::reporting_challenge;
use super::support::{TestApp, Who};
use super::{COORDINATOR, challenge_on_the_day, textarea_text};

async fn evidence_typed_as_recording_closes_is_shown_back(app: TestApp) {
    let (challenge, activity) = challenge_on_the_day(&app.store).await;
    let evidence = format!("/challenges/{challenge}/evidence");
    let mut author = app.browser_as(Who::Coordinator).await;
    let form = author.get(&evidence).await;
    assert!(form.body.contains("Record evidence"), "recording is open");

    // While the author types, the visit ends and the challenge moves past reporting.
    let mover = principal_of(&app.store, COORDINATOR).await;
    for (from, to) in [
        (ChallengeState::Visit, ChallengeState::Reporting),
        (ChallengeState::Reporting, ChallengeState::NextSteps),
    ] {
        app.store
            .move_challenge(&mover, challenge, from, to, None, Utc::now())
            .await
            .expect("move on");
    }

    let typed = "The SENCO walked us through three plans written with families";
    for save in ["record", "draft"] {
        let page = author
            .post(
                &evidence,
                &[
                    ("activity", &activity.to_string()),
                    ("kloe", "1"),
                    ("kind", "strength"),
                    ("note", typed),
                    ("save", save),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::CONFLICT, "{save}: {}", page.body);
        assert_eq!(
            textarea_text(&page, "unsaved-note").as_deref(),
            Some(typed),
            "{save}: the text is shown back"
        );
        assert!(
            page.body.contains("Your note was not saved"),
            "{save}: with the reason"
        );
    }
}

crate::app_test!(
    evidence_typed_as_recording_closes_is_shown_back,
    evidence_typed_as_recording_closes_is_shown_back
);

async fn a_comment_typed_as_the_findings_close_is_shown_back(app: TestApp) {
    let fixture = reporting_challenge(&app.store, "nottingham").await;
    let findings = format!("/challenges/{}/findings", fixture.challenge);
    let mut colleague = app.browser_as(Who::ProjectManager).await;
    let page = colleague.get(&findings).await;
    assert!(page.body.contains("Add a comment"), "comments are open");

    // While the colleague types, reporting ends.
    let mover = principal_of(&app.store, COORDINATOR).await;
    app.store
        .move_challenge(
            &mover,
            fixture.challenge,
            ChallengeState::Reporting,
            ChallengeState::NextSteps,
            None,
            Utc::now(),
        )
        .await
        .expect("move on");

    let typed = "The timetable should name who chairs each annual review";
    let page = colleague
        .post(
            &format!("{findings}/{}/comments", fixture.finding),
            &[("comment", typed)],
        )
        .await;
    assert_eq!(page.status, StatusCode::CONFLICT, "{}", page.body);
    assert_eq!(
        textarea_text(&page, "unsaved-comment").as_deref(),
        Some(typed),
        "the text is shown back"
    );
    assert!(
        page.body.contains("Your comment was not saved"),
        "with the reason: {}",
        page.body
    );
    let stored = app
        .store
        .findings(fixture.challenge)
        .await
        .expect("findings");
    assert!(
        stored.iter().all(|f| f.comments.is_empty()),
        "nothing saved"
    );
}

crate::app_test!(
    a_comment_typed_as_the_findings_close_is_shown_back,
    a_comment_typed_as_the_findings_close_is_shown_back
);
