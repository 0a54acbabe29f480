//! A biennial cycle's agreed actions through the existing returns pages, on both databases:
//! Derby's lead opens the return the cycle owes once past its day, sees the cycle's priorities
//! and the KLOE put to Derby with their codes, adds an agreed action on the web (one naming no
//! priority is refused next to the field, answers kept), changes it, uploads the template
//! (a row naming an unknown priority applies nothing, named by row and column), submits
//! (after the actions date only with an extension), and the board finds the actions under
//! the biennial programme. The return's reminders come from the returns machinery.

use axum::http::StatusCode;
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use documents::action_plan::{ActionPlanSheet, ThemeLine, write_action_plan};
use domain::next_steps::ActionAnswers;
use services::reminders::send_return_reminders;

use crate::support::biennial_fixture::cycle_held;
use crate::support::challenge_fixture::principal_of;
use crate::support::{TestApp, Who};

fn form<'a>(reference: &'a str, answers: &'a str, rag: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("reference", reference),
        ("answers", answers),
        ("theme", "PFA"),
        (
            "action",
            "A joint transition clinic with adult health services",
        ),
        ("owner", "Head of SEND"),
        ("start-day", "1"),
        ("start-month", "1"),
        ("start-year", "2028"),
        ("due-day", "30"),
        ("due-month", "9"),
        ("due-year", "2028"),
        ("rag", rag),
    ]
}

fn workbook(rows: &[(&str, &str)]) -> Vec<u8> {
    write_action_plan(&ActionPlanSheet {
        area: "Derby".into(),
        themes: vec![ThemeLine {
            code: "PFA".into(),
            label: "Preparation for adulthood".into(),
        }],
        rows: rows
            .iter()
            .map(|(reference, answers)| ActionAnswers {
                reference: (*reference).into(),
                answers: (*answers).into(),
                theme: "PFA".into(),
                action: "Year 9 reviews name a health lead".into(),
                owner: "Designated Clinical Officer".into(),
                start: "01/01/2028".into(),
                due: "30/06/2028".into(),
                rag: "Green".into(),
                ..ActionAnswers::default()
            })
            .collect(),
    })
    .expect("workbook")
}

async fn derby_returns_its_agreed_actions(app: TestApp) {
    let (cycle, owed) = cycle_held(&app.store, 2027).await;
    let mut lead = app.browser_as(Who::LeadOfDerby).await;
    let page = lead.get(&format!("/returns/{owed}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let steps = format!("/returns/{owed}/next-steps");
    assert!(page.body.contains(&steps), "{}", page.body);
    assert!(page.body.contains("Agreed actions"), "{}", page.body);

    let page = lead.get(&steps).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Preparing for adulthood"),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("How well are young people prepared for adult health services?"),
        "the KLOE put to Derby is listed: {}",
        page.body
    );

    // No priority named: refused next to the field, the answers kept.
    let page = lead
        .post(
            &format!("{steps}/new"),
            &form("DER-1", "Transitions to adult health", "amber"),
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body.contains("Start with the priority"),
        "{}",
        page.body
    );
    assert!(page.body.contains("href=\"#answers\""), "{}", page.body);
    assert!(page.body.contains("Transitions to adult health"));
    let page = lead
        .post(
            &format!("{steps}/new"),
            &form("DER-1", "P1 K1: transitions to adult health", "amber"),
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let planned = app
        .store
        .next_steps(&store::NextStepFilter {
            area: None,
            programme: Some(domain::Programme::Biennial),
        })
        .await
        .expect("read");
    assert_eq!(planned.len(), 1);
    assert_eq!(planned[0].activity.id, cycle);
    let action = planned[0].id;
    let page = lead.get(&format!("{steps}/{action}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.input_value("reference").as_deref(),
        Some("DER-1"),
        "the form holds the action"
    );
    let page = lead
        .post(
            &format!("{steps}/{action}"),
            &form("DER-1", "P1 K1: transitions to adult health", "green"),
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);

    // The template: one bad row (an unknown priority) applies nothing.
    let bad = workbook(&[("DER-2", "P1"), ("DER-3", "P7 K1")]);
    let page = lead
        .post_multipart(
            &format!("{steps}/upload"),
            &[],
            Some(("plan", "plan.xlsx", &bad)),
        )
        .await;
    assert_eq!(
        page.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        page.body
    );
    assert!(page.body.contains("nothing was changed"), "{}", page.body);
    assert!(
        page.body
            .contains("P7 is not one of this cycle&#39;s priorities: use P1"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Answers (finding or recommendation)"));
    let count = |app: &TestApp| {
        let store = app.store.clone();
        async move {
            store
                .next_steps(&store::NextStepFilter::default())
                .await
                .expect("read")
                .len()
        }
    };
    assert_eq!(count(&app).await, 1);
    let good = workbook(&[("DER-2", "P1")]);
    let page = lead
        .post_multipart(
            &format!("{steps}/upload"),
            &[],
            Some(("plan", "plan.xlsx", &good)),
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(count(&app).await, 2);
    assert_eq!(
        lead.get(&format!("{steps}.xlsx")).await.status,
        StatusCode::OK
    );

    // Another area's return is not Derby's to see or keep.
    let leicester = app
        .store
        .returns(&store::ReturnFilter {
            area: Some(domain::AuthoritySlug::parse("leicester").expect("slug")),
            programme: None,
        })
        .await
        .expect("returns")[0]
        .id;
    assert_eq!(
        lead.get(&format!("/returns/{leicester}/next-steps"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        lead.post(
            &format!("/returns/{leicester}/next-steps/new"),
            &form("LEI-1", "P1", "green")
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );

    let page = lead.post(&format!("/returns/{owed}/submit"), &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let mut board = app.browser_as(Who::Board).await;
    let page = board.get("/progress/areas/derby?programme=biennial").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("DER-1"), "{}", page.body);
    assert!(page.body.contains("DER-2"));
    assert_eq!(
        board.get(&format!("{steps}/new")).await.status,
        StatusCode::FORBIDDEN,
        "the board reads, never keeps"
    );
}

app_test!(
    an_area_returns_its_agreed_actions_linked_to_priorities_and_kloes,
    derby_returns_its_agreed_actions
);

async fn the_lead_is_reminded_and_a_late_return_waits_for_an_extension(app: TestApp) {
    let (_, owed) = cycle_held(&app.store, 2026).await;
    let owed = app
        .store
        .owed_return(owed)
        .await
        .expect("read")
        .expect("owed");
    let morning = |day: NaiveDate| Utc.from_utc_datetime(&day.and_hms_opt(9, 0, 0).expect("t"));
    let sweep = |day: NaiveDate| {
        let store = app.store.clone();
        let settings = app.settings.clone();
        async move {
            send_return_reminders(&store, settings.reminders, &settings.base_url, morning(day))
                .await
                .expect("swept")
        }
    };
    // Three areas owe; each lead with an account hears (only Derby's has one here).
    assert_eq!(sweep(owed.due - Duration::days(1)).await, 1, "due soon");
    assert_eq!(sweep(owed.due + Duration::days(1)).await, 1, "overdue");
    assert_eq!(sweep(owed.due + Duration::days(2)).await, 0, "once");
    let reminders: Vec<_> = app
        .store
        .outbox_emails(100)
        .await
        .expect("outbox")
        .into_iter()
        .filter(|email| email.to.as_str() == "lead.derby@example.org")
        .collect();
    assert_eq!(reminders.len(), 2, "{reminders:?}");

    // 30 November 2026 has passed: the lead's submission waits for the co-ordinator.
    let mut lead = app.browser_as(Who::LeadOfDerby).await;
    let steps = format!("/returns/{}/next-steps", owed.id);
    let page = lead
        .post(&format!("{steps}/new"), &form("DER-1", "P1", "amber"))
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let page = lead
        .post(&format!("/returns/{}/submit", owed.id), &[])
        .await;
    assert_eq!(page.status, StatusCode::CONFLICT);
    assert!(page.body.contains("ask the co-ordinator for an extension"));
    let coordinator = principal_of(&app.store, "coordinator@example.org").await;
    let later = domain::clock::uk_date(Utc::now()) + Duration::days(14);
    app.store
        .extend_return(
            owed.id,
            later,
            "Board meeting moved",
            &coordinator,
            Utc::now(),
        )
        .await
        .expect("extended");
    let page = lead
        .post(&format!("/returns/{}/submit", owed.id), &[])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let outstanding = lead.get("/returns").await;
    assert!(outstanding.body.contains("Submitted"));
}

app_test!(
    a_biennial_return_is_reminded_and_extended_like_any_other,
    the_lead_is_reminded_and_a_late_return_waits_for_an_extension
);
