//! Applying to the pool through the real router, on both databases: every page's errors,
//! answers kept, check your answers, submission emails, consent for an under-18, and the
//! project manager's decisions.

use crate::support;

use axum::http::StatusCode;
use support::{TestApp, Who};

/// Answer the page at `path` and expect to move on to `next`.
async fn answer(
    browser: &mut support::Browser<'_>,
    path: &str,
    fields: &[(&str, &str)],
    next: &str,
) {
    let page = browser.post(path, fields).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{path}: {}", page.body);
    assert_eq!(page.location(), Some(next), "{path}");
}

async fn emails_to(app: &TestApp, to: &str) -> Vec<store::OutboxEmail> {
    app.store
        .outbox_emails(100)
        .await
        .expect("outbox")
        .into_iter()
        .filter(|email| email.to.as_str() == to)
        .collect()
}

fn link_in(body: &str, prefix: &str) -> String {
    let start = body.find(prefix).expect("a link in the email");
    body[start..]
        .split_whitespace()
        .next()
        .expect("link")
        .trim_start_matches("http://peer-challenge.test")
        .to_owned()
}

async fn fill_common_pages(browser: &mut support::Browser<'_>) {
    answer(
        browser,
        "/apply/organisation",
        &[
            ("organisation", "Rutland Parent Carer Forum"),
            ("home_authority", "rutland"),
        ],
        "/apply/themes",
    )
    .await;
    answer(
        browser,
        "/apply/themes",
        &[
            ("theme-EHCP_QUALITY", "strong"),
            ("theme-COPRODUCTION", "specialist"),
            ("theme-HEALTH", "none"),
        ],
        "/apply/experience",
    )
    .await;
    answer(
        browser,
        "/apply/experience",
        &[(
            "experience",
            "Two earlier peer challenges in Leicestershire",
        )],
        "/apply/training",
    )
    .await;
    answer(
        browser,
        "/apply/training",
        &[("needs_training", "yes")],
        "/apply/participation",
    )
    .await;
    answer(
        browser,
        "/apply/participation",
        &[
            ("online_only", "no"),
            ("travel_to", "leicester"),
            ("travel_to", "derby"),
        ],
        "/apply/dates",
    )
    .await;
    answer(browser, "/apply/dates", &[], "/apply/conflicts").await;
    answer(browser, "/apply/conflicts", &[], "/apply/adjustments").await;
    answer(
        browser,
        "/apply/adjustments",
        &[("adjustments", "")],
        "/apply/privacy",
    )
    .await;
    answer(
        browser,
        "/apply/privacy",
        &[("privacy", "yes")],
        "/apply/check",
    )
    .await;
}

/// Jo Parent's complete answers as a parent carer, up to the check page.
async fn answer_as_parent_carer(browser: &mut support::Browser<'_>) {
    answer(
        browser,
        "/apply/name",
        &[("full_name", "Jo Parent"), ("email", "jo@example.org")],
        "/apply/role",
    )
    .await;
    answer(
        browser,
        "/apply/role",
        &[("reviewer_type", "parent_carer")],
        "/apply/organisation",
    )
    .await;
    fill_common_pages(browser).await;
}

app_test!(
    a_parent_carer_applies_and_is_approved,
    |app: TestApp| async move {
        let mut browser = app.browser();
        assert_eq!(browser.get("/apply").await.status, StatusCode::OK);

        // A bad email is explained next to the field and everything typed is kept.
        let page = browser
            .post(
                "/apply/name",
                &[
                    ("full_name", "Jo Parent"),
                    ("email", "jo@example"),
                    ("phone", "07700 900 982"),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.body.contains("id=\"email-error\"") && page.body.contains("href=\"#email\""));
        assert_eq!(page.input_value("full_name").as_deref(), Some("Jo Parent"));
        assert_eq!(page.input_value("email").as_deref(), Some("jo@example"));
        // The back button (a GET of the same page) shows what was typed, too.
        assert_eq!(
            browser
                .get("/apply/name")
                .await
                .input_value("phone")
                .as_deref(),
            Some("07700 900 982")
        );
        answer(
            &mut browser,
            "/apply/name",
            &[
                ("full_name", "Jo Parent"),
                ("email", "jo@example.org"),
                ("phone", ""),
            ],
            "/apply/role",
        )
        .await;
        answer(
            &mut browser,
            "/apply/role",
            &[("reviewer_type", "parent_carer")],
            "/apply/organisation",
        )
        .await;

        // An end date before the start date is refused next to the end date, keeping the dates.
        let page = browser
            .post(
                "/apply/dates",
                &[
                    ("unavailable-0-start-day", "20"),
                    ("unavailable-0-start-month", "8"),
                    ("unavailable-0-start-year", "2027"),
                    ("unavailable-0-end-day", "1"),
                    ("unavailable-0-end-month", "8"),
                    ("unavailable-0-end-year", "2027"),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.body.contains("id=\"unavailable-0-end-error\""));
        assert!(
            page.body
                .contains("The end date must be the same as or after the start date")
        );
        assert!(
            page.body.contains("href=\"#unavailable-0-end-day\""),
            "the summary links to the day box"
        );
        assert_eq!(
            page.input_value("unavailable-0-start-day").as_deref(),
            Some("20")
        );

        fill_common_pages(&mut browser).await;
        let check = browser.get("/apply/check").await;
        assert_eq!(check.status, StatusCode::OK);
        for answer in [
            "Jo Parent",
            "Parent or carer",
            "Rutland",
            "Quality of EHC plans",
            "Would like training first",
            "Derby",
        ] {
            assert!(
                check.body.contains(answer),
                "check your answers shows {answer}"
            );
        }
        assert!(check.body.contains("/apply/themes?change=1"));
        // Changing an answer returns to the check page.
        answer(
            &mut browser,
            "/apply/training?change=1",
            &[("needs_training", "no")],
            "/apply/check",
        )
        .await;

        let sent = browser.post("/apply/submit", &[("website", "")]).await;
        let confirmation = sent
            .location()
            .expect("redirect to the confirmation")
            .to_owned();
        assert!(confirmation.starts_with("/apply/confirmation?reference=PC-"));
        let page = browser.get(&confirmation).await;
        assert!(page.body.contains("Application sent"));
        let reference = confirmation.trim_start_matches("/apply/confirmation?reference=");
        let acknowledgement = emails_to(&app, "jo@example.org").await;
        assert_eq!(acknowledgement.len(), 1);
        assert!(acknowledgement[0].subject.contains(reference));
        assert_eq!(
            browser.get("/apply/check").await.status,
            StatusCode::SEE_OTHER,
            "the draft is gone once sent"
        );

        // The project manager sees it in the queue and approves it.
        let mut pm = app.browser_as(Who::ProjectManager).await;
        let queue = pm.get("/pool/applications").await;
        assert!(queue.body.contains(reference));
        let application = app
            .store
            .applications(&domain::application::ApplicationStatus::OPEN)
            .await
            .expect("queue")
            .remove(0);
        let path = format!("/pool/applications/{}", application.id);
        let decide = pm.get(&path).await;
        assert!(decide.body.contains("Jo Parent") && decide.body.contains("Approve"));
        let empty_question = pm
            .post(&format!("{path}/more-information"), &[("question", " ")])
            .await;
        assert_eq!(empty_question.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(empty_question.body.contains("id=\"question-error\""));
        let approved = pm.post(&format!("{path}/approve"), &[]).await;
        assert!(
            approved
                .location()
                .expect("redirect")
                .starts_with("/pool/applications?approved=")
        );
        let welcome = emails_to(&app, "jo@example.org").await;
        let invitation = welcome
            .iter()
            .find(|email| email.subject.contains("Welcome"))
            .expect("a welcome email");
        let set_password = link_in(
            &invitation.body_text,
            "http://peer-challenge.test/set-password/",
        );
        let mut jo = app.browser();
        assert_eq!(
            jo.get(&set_password).await.status,
            StatusCode::OK,
            "the invitation link works"
        );
        let decided = app
            .store
            .application(application.id)
            .await
            .expect("load")
            .expect("application");
        let member = app
            .store
            .pool_member(decided.member.expect("approved into the pool"))
            .await
            .expect("load")
            .expect("member");
        assert_eq!(member.profile.email.as_str(), "jo@example.org");
        assert!(
            !member.profile.needs_training,
            "the changed answer was the one submitted"
        );
        assert_eq!(member.profile.travel_to.len(), 2);
    }
);

app_test!(
    an_under_18_young_ambassador_needs_consent_first,
    |app: TestApp| async move {
        let mut browser = app.browser();
        answer(
            &mut browser,
            "/apply/name",
            &[("full_name", "Sam Young"), ("email", "sam@example.org")],
            "/apply/role",
        )
        .await;
        answer(
            &mut browser,
            "/apply/role",
            &[("reviewer_type", "young_ambassador")],
            "/apply/age",
        )
        .await;
        let missing = browser
            .post(
                "/apply/age",
                &[("age_band", "16_to_17"), ("guardian_email", "")],
            )
            .await;
        assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            missing.body.contains("id=\"guardian_email-error\"")
                && missing.body.contains("consent")
        );
        answer(
            &mut browser,
            "/apply/age",
            &[
                ("age_band", "16_to_17"),
                ("guardian_email", "carer@example.org"),
            ],
            "/apply/organisation",
        )
        .await;
        fill_common_pages(&mut browser).await;
        assert!(
            browser
                .post("/apply/submit", &[("website", "")])
                .await
                .location()
                .is_some_and(|to| to.starts_with("/apply/confirmation"))
        );

        let queue = app
            .store
            .applications(&[domain::application::ApplicationStatus::AwaitingConsent])
            .await
            .expect("queue");
        assert_eq!(queue.len(), 1, "waits for consent");
        let request = emails_to(&app, "carer@example.org").await;
        assert_eq!(request.len(), 1);
        let consent = link_in(
            &request[0].body_text,
            "http://peer-challenge.test/apply/consent/",
        );
        let mut carer = app.browser();
        assert!(carer.get(&consent).await.body.contains("I give my consent"));
        let given = carer.post(&consent, &[]).await;
        assert_eq!(given.status, StatusCode::OK);
        assert!(given.body.contains("Thank you for your consent"));
        assert_eq!(
            carer.post(&consent, &[]).await.status,
            StatusCode::GONE,
            "the link works once"
        );
        let submitted = app
            .store
            .applications(&[domain::application::ApplicationStatus::Submitted])
            .await
            .expect("queue");
        assert_eq!(submitted.len(), 1);
    }
);

app_test!(
    bots_are_stopped_with_a_human_message,
    |app: TestApp| async move {
        let mut browser = app.browser();
        answer_as_parent_carer(&mut browser).await;
        let trapped = browser
            .post("/apply/submit", &[("website", "http://spam.example")])
            .await;
        assert_eq!(trapped.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(trapped.body.contains("Leave this blank"));
        assert!(
            app.store
                .applications(&domain::application::ApplicationStatus::OPEN)
                .await
                .expect("queue")
                .is_empty()
        );
        // The answers survive for a person who was caught by mistake.
        assert_eq!(browser.get("/apply/check").await.status, StatusCode::OK);
    }
);

app_test!(
    a_question_sends_the_application_back_with_its_answers,
    |app: TestApp| async move {
        let mut browser = app.browser();
        answer_as_parent_carer(&mut browser).await;
        browser.post("/apply/submit", &[("website", "")]).await;
        let application = app
            .store
            .applications(&domain::application::ApplicationStatus::OPEN)
            .await
            .expect("queue")
            .remove(0);
        let mut pm = app.browser_as(Who::ProjectManager).await;
        let path = format!("/pool/applications/{}", application.id);
        let asked = pm
            .post(
                &format!("{path}/more-information"),
                &[("question", "Which forum are you part of?")],
            )
            .await;
        assert_eq!(asked.location(), Some("/pool/applications?asked=1"));
        let email = emails_to(&app, "jo@example.org")
            .await
            .into_iter()
            .find(|e| e.subject.contains("question"))
            .expect("the question");
        assert!(email.body_text.contains("Which forum are you part of?"));
        let reopen = link_in(&email.body_text, "http://peer-challenge.test/apply/reopen/");
        let mut laptop = app.browser();
        assert_eq!(laptop.get(&reopen).await.status, StatusCode::OK);
        assert_eq!(
            laptop.post(&reopen, &[]).await.location(),
            Some("/apply/check")
        );
        let check = laptop.get("/apply/check").await;
        assert!(
            check.body.contains("Rutland Parent Carer Forum"),
            "every answer is back"
        );
        let declined = pm.post(&format!("{path}/decline"), &[("reason", "")]).await;
        assert_eq!(declined.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(declined.body.contains("id=\"reason-error\""));
    }
);

app_test!(
    the_application_refuses_an_unrealistic_phone_and_a_conflict_declared_twice,
    |app: TestApp| async move {
        let mut browser = app.browser();
        // Fifteen digits with no trunk 0 or country code was taken before; nobody can ring it.
        for typed in ["123456789012345", "0115 496", "123456"] {
            let page = browser
                .post(
                    "/apply/name",
                    &[
                        ("full_name", "Jo Parent"),
                        ("email", "jo@example.org"),
                        ("phone", typed),
                    ],
                )
                .await;
            assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{typed}");
            assert!(page.body.contains("href=\"#phone\""), "{typed}");
            assert_eq!(page.input_value("phone").as_deref(), Some(typed));
        }
        answer(
            &mut browser,
            "/apply/name",
            &[
                ("full_name", "Jo Parent"),
                ("email", "jo@example.org"),
                ("phone", "+44 (0)115 496 0000"),
            ],
            "/apply/role",
        )
        .await;

        // The same authority twice was merged silently before; now it is named, both kept.
        let rows = [
            ("conflict-0-authority", "derby"),
            ("conflict-0-reason", "My employer until 2025"),
            ("conflict-1-authority", "derby"),
            ("conflict-1-reason", "My child's school"),
        ];
        let page = browser.post("/apply/conflicts", &rows).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            page.body
                .contains("<a href=\"#conflict-1-authority\">You have already listed Derby</a>"),
            "{}",
            page.body
        );
        assert_eq!(
            page.input_value("conflict-1-reason").as_deref(),
            Some("My child&#39;s school")
        );
    }
);
