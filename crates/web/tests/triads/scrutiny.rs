//! Triad scrutiny through the router on both databases: a lead reads a triad partner's
//! submitted self-assessment and not another triad's; comments on it (a child's identifier
//! refused with what was typed kept); the partner area reads the comments on its own page;
//! the conversation is recorded and owes the triad's development plans, which the area keeps
//! on the web form, submits as its return, and the board sees under the annual programme;
//! requests and offers show to the triad and the board; a section's evidence document is
//! uploaded with the usual checks and read back.

use crate::support;

use axum::http::StatusCode;
use chrono::Datelike;
use domain::self_assessment_form::SelfAssessmentAnswers;
use domain::{
    AuthoritySlug, EmailAddress, NewPassword, PersonName, Programme, ReturnKind, Role, RoleGrant,
};
use store::NewUser;
use support::{TestApp, Who};

fn slug(text: &str) -> AuthoritySlug {
    AuthoritySlug::parse(text).expect("slug")
}

async fn triad_scrutinises_meets_and_plans(app: TestApp) {
    let year = chrono::Utc::now().date_naive().year() - 1;
    let coordinator =
        support::challenge_fixture::principal_of(&app.store, "coordinator@example.org").await;
    let triads: Vec<Vec<AuthoritySlug>> = [
        ["derby", "nottingham", "rutland"],
        ["derbyshire", "leicester", "lincolnshire"],
    ]
    .iter()
    .map(|t| t.iter().map(|a| slug(a)).collect())
    .collect();
    let now = chrono::Utc::now();
    let cycle = app
        .store
        .create_annual_cycle(
            year,
            domain::self_assessment::CycleTimetable::usual(year).expect("timetable"),
            &triads.concat(),
            &triads,
            &coordinator,
            now,
        )
        .await
        .expect("cycle");
    app.store
        .publish_triads(cycle, &coordinator, vec![], now)
        .await
        .expect("published");
    for area in ["nottingham", "leicester"] {
        let answers = SelfAssessmentAnswers {
            summary: format!("{area} partnership summary"),
            ..SelfAssessmentAnswers::default()
        };
        app.store
            .save_self_assessment(cycle, &slug(area), &answers, &coordinator, now)
            .await
            .expect("draft");
        app.store
            .submit_self_assessment(cycle, &slug(area), &coordinator, now)
            .await
            .expect("submitted");
    }
    let base = format!("/self-assessment/{year}/areas");
    let mut derby = app.browser_as(Who::LeadOfDerby).await;

    // Derby's lead reads its partner's submission, not another triad's.
    let read = derby.get(&format!("{base}/nottingham")).await;
    assert_eq!(read.status, StatusCode::OK);
    assert!(read.body.contains("nottingham partnership summary"));
    assert_eq!(
        derby.get(&format!("{base}/leicester")).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        derby
            .get(&format!("{base}/leicester/scrutiny"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    let scrutiny = format!("{base}/nottingham/scrutiny");
    let page = derby.get(&scrutiny).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Add a comment or question"));
    let identifying = derby
        .post(
            &scrutiny,
            &[
                ("section", "right_help"),
                ("kind", "question"),
                ("text", "Why did NHS number 943 476 5919 wait?"),
            ],
        )
        .await;
    assert_eq!(identifying.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(identifying.body.contains("govuk-error-summary"));
    assert!(
        identifying.body.contains("943 476 5919"),
        "what was typed is kept"
    );
    let asked = derby
        .post(
            &scrutiny,
            &[
                ("section", "right_help"),
                ("kind", "question"),
                ("text", "How do you know the help arrives in time?"),
            ],
        )
        .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.body);
    assert_eq!(
        app.store
            .triad_comments(cycle, &slug("nottingham"))
            .await
            .expect("comments")
            .len(),
        1
    );

    // Nottingham reads it on its own page, and may not comment on its own.
    let hash = NewPassword::parse(support::PASSWORD, support::PASSWORD)
        .expect("password")
        .hash();
    let nadia = app
        .store
        .ensure_user(
            &NewUser {
                name: PersonName::parse("Nadia Nottingham").expect("name"),
                email: EmailAddress::parse("nadia@example.org").expect("email"),
                grants: vec![
                    RoleGrant::new(Role::LaLead, Some(slug("nottingham"))).expect("grant"),
                ],
            },
            &hash,
            now,
        )
        .await
        .expect("account");
    let mut nottingham = app.browser_for(nadia).await;
    let own = nottingham.get(&scrutiny).await;
    assert_eq!(own.status, StatusCode::OK);
    assert!(
        own.body
            .contains("How do you know the help arrives in time?")
    );
    assert!(own.body.contains("Derby"), "from which partner");
    assert!(!own.body.contains("Add a comment or question"));
    assert_eq!(
        nottingham
            .post(
                &scrutiny,
                &[
                    ("section", "overall"),
                    ("kind", "comment"),
                    ("text", "Self-praise")
                ]
            )
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let mut reviewer = app.browser_as(Who::Reviewer).await;
    assert_eq!(reviewer.get(&scrutiny).await.status, StatusCode::FORBIDDEN);

    // The conversation, recorded by a triad member, owes the triad's development plans.
    let triad = format!("/self-assessment/{year}/triads/1");
    let today = chrono::Utc::now().date_naive().to_string();
    let recorded = derby
        .post(
            &format!("{triad}/conversation"),
            &[
                ("held_on", today.as_str()),
                ("attended-derby", "Director of children's services"),
                ("attended-nottingham", "Head of SEND"),
                ("attended-rutland", ""),
                ("agreed", "Share the panel audit tool"),
            ],
        )
        .await;
    assert_eq!(recorded.status, StatusCode::SEE_OTHER, "{}", recorded.body);
    let owed = app
        .store
        .returns(&store::ReturnFilter {
            area: Some(slug("derby")),
            programme: Some(Programme::Annual),
        })
        .await
        .expect("returns");
    let plan = owed
        .iter()
        .find(|r| r.kind == ReturnKind::AnnualDevelopmentPlan)
        .expect("owed");
    // The plan is kept on the return's next-steps page, the one every programme's share.
    let steps = format!("/returns/{}/next-steps", plan.id);
    let return_page = derby.get(&format!("/returns/{}", plan.id)).await;
    assert!(
        return_page.body.contains(&steps),
        "the return links to its form"
    );
    let triad_page = derby
        .get(&format!("/self-assessment/{year}/triads/1"))
        .await;
    assert!(triad_page.body.contains(&steps), "the triad links to it");
    let area_page = derby.get(&format!("{base}/derby")).await;
    assert!(
        area_page.body.contains(&steps),
        "the area's page links to it"
    );

    // The plan is kept on the web form and becomes Derby's next steps under the cycle.
    let added = derby
        .post(
            &format!("{steps}/new"),
            &[
                ("reference", "DER-1"),
                ("answers", "Triad: timeliness"),
                ("theme", "EHCP_QUALITY"),
                ("action", "Weekly panel for new requests"),
                ("owner", "Head of SEND"),
                ("start-day", "1"),
                ("start-month", "3"),
                ("start-year", &(year + 1).to_string()),
                ("due-day", "30"),
                ("due-month", "9"),
                ("due-year", &(year + 1).to_string()),
                ("rag", "amber"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let submitted = derby
        .post(&format!("/returns/{}/submit", plan.id), &[])
        .await;
    assert_eq!(
        submitted.status,
        StatusCode::SEE_OTHER,
        "{}",
        submitted.body
    );
    // Submitted, the development plan is settled: no more changes, and the page says why.
    let listed = derby.get(&steps).await;
    assert!(listed.body.contains("Weekly panel for new requests"));
    assert!(
        !listed.body.contains(&format!("{steps}/new")),
        "no add link"
    );
    let late = derby
        .post(
            &format!("{steps}/new"),
            &[("reference", "DER-2"), ("action", "Too late")],
        )
        .await;
    assert_eq!(late.status, StatusCode::SEE_OTHER, "sent back to the list");
    assert!(
        !derby.get(&steps).await.body.contains("DER-2"),
        "nothing added after submission"
    );
    let mut board = app.browser_as(Who::Board).await;
    let progress = board.get("/progress?programme=annual").await;
    assert_eq!(progress.status, StatusCode::OK);
    let areas = board.get("/progress/areas/derby?programme=annual").await;
    assert!(
        areas.body.contains("Weekly panel for new requests"),
        "{}",
        areas.body
    );

    // An offer of support shows to the triad and the board.
    let offered = derby
        .post(
            &format!("{base}/derby/support"),
            &[
                ("kind", "offer"),
                ("with", "rutland"),
                ("text", "Our transitions lead can visit"),
            ],
        )
        .await;
    assert_eq!(offered.status, StatusCode::SEE_OTHER, "{}", offered.body);
    let seen = board.get(&triad).await;
    assert!(seen.body.contains("Our transitions lead can visit"));
    assert!(seen.body.contains("Share the panel audit tool"));
    assert_eq!(
        derby
            .get(&format!("/self-assessment/{year}/triads/2"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    // A section's evidence: the usual upload checks, then read back.
    let evidence = format!("{base}/derby/evidence");
    let naming = derby
        .post_multipart(
            &evidence,
            &[("kind", "right_help")],
            Some(("file", "notes.txt", b"NHS number 943 476 5919")),
        )
        .await;
    assert_eq!(naming.status, StatusCode::UNPROCESSABLE_ENTITY);
    let uploaded = derby
        .post_multipart(
            &evidence,
            &[("kind", "right_help")],
            Some(("file", "panel audit.txt", b"Audit of the panel's decisions")),
        )
        .await;
    assert_eq!(uploaded.status, StatusCode::SEE_OTHER, "{}", uploaded.body);
    let listed = derby.get(&evidence).await;
    assert!(listed.body.contains("panel audit.txt"));
    let documents = app
        .store
        .self_assessment_documents(cycle, &slug("derby"))
        .await
        .expect("documents");
    let file = derby.get(&format!("{evidence}/{}", documents[0].id)).await;
    assert_eq!(file.status, StatusCode::OK);
    assert!(file.body.contains("Audit of the panel"));
}

crate::app_test!(
    a_triad_scrutinises_meets_and_plans,
    triad_scrutinises_meets_and_plans
);
