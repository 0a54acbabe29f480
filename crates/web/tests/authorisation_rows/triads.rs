//! Triad scrutiny (issue 15 item 6) and a self-assessment's evidence documents, walked against
//! last year's cycle (`{lastyear}`) with published triads: Derby, Nottingham and Rutland in
//! triad 1, Derbyshire, Leicester and Lincolnshire in triad 2. Nottingham and Leicester have
//! submitted, Rutland has a draft; triad 1's conversation is recorded, so Derby owes its
//! development plan. Derby's lead comments on Nottingham's submission (an empty form is
//! invalid) and on no one else's; reads its triad's comments and page, not triad 2's; the
//! board and the scheme's staff read every comment and triad page and write none. Evidence is
//! read as the self-assessment is; the development plan (the return's next-steps page, shared
//! with every programme) as the area's returns are.

use super::*;

const READERS: [u16; 6] = [REDIRECT, OK, OK, OK, FORBIDDEN, OK];
const NOT_DERBY: [u16; 6] = [REDIRECT, OK, OK, FORBIDDEN, FORBIDDEN, OK];
const NO_ONE: [u16; 6] = [
    REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN,
];
const DERBY_INVALID: [u16; 6] = [
    REDIRECT, FORBIDDEN, FORBIDDEN, INVALID, FORBIDDEN, FORBIDDEN,
];
/// Derby's lead and the co-ordinator keep Derby's plan and record for it.
const KEEPERS_INVALID: [u16; 6] = [REDIRECT, INVALID, FORBIDDEN, INVALID, FORBIDDEN, FORBIDDEN];
const KEEPERS_OK: [u16; 6] = [REDIRECT, OK, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN];
const SCRUTINY: &str = "/self-assessment/{year}/areas/{area}/scrutiny";
const SUPPORT: &str = "/self-assessment/{year}/areas/{area}/support";
const STEPS: &str = "/returns/{id}/next-steps";
const STEPS_NEW: &str = "/returns/{id}/next-steps/new";
const EVIDENCE: &str = "/self-assessment/{year}/areas/{area}/evidence";
const TRIAD: &str = "/self-assessment/{year}/triads/{triad}";
const CONVERSATION: &str = "/self-assessment/{year}/triads/{triad}/conversation";

#[rustfmt::skip]
pub fn rows() -> Vec<Row> {
    vec![
        row(Method::GET,  SCRUTINY, "/self-assessment/{lastyear}/areas/nottingham/scrutiny", READERS),
        row(Method::GET,  SCRUTINY, "/self-assessment/{lastyear}/areas/leicester/scrutiny",  NOT_DERBY),
        row(Method::POST, SCRUTINY, "/self-assessment/{lastyear}/areas/nottingham/scrutiny", DERBY_INVALID),
        // Rutland has not submitted; Leicester is not Derby's triad; Derby never scrutinises itself.
        row(Method::POST, SCRUTINY, "/self-assessment/{lastyear}/areas/rutland/scrutiny",    NO_ONE),
        row(Method::POST, SCRUTINY, "/self-assessment/{lastyear}/areas/leicester/scrutiny",  NO_ONE),
        row(Method::POST, SUPPORT,  "/self-assessment/{lastyear}/areas/derby/support",       KEEPERS_INVALID),
        row(Method::POST, SUPPORT,  "/self-assessment/{lastyear}/areas/nottingham/support",  COORDINATOR_POSTS),
        // The development plans Derby and Nottingham owe, kept on the returns' next-steps pages.
        row(Method::GET,  STEPS,     "/returns/{derby_plan}/next-steps", READERS),
        row(Method::GET,  STEPS,     "/returns/{nottingham_plan}/next-steps", NOT_DERBY),
        row(Method::GET,  STEPS_NEW, "/returns/{derby_plan}/next-steps/new", KEEPERS_OK),
        row(Method::GET,  STEPS_NEW, "/returns/{nottingham_plan}/next-steps/new", COORDINATOR_ONLY),
        row(Method::POST, STEPS_NEW, "/returns/{derby_plan}/next-steps/new", KEEPERS_INVALID),
        row(Method::POST, STEPS_NEW, "/returns/{nottingham_plan}/next-steps/new", COORDINATOR_POSTS),
        row(Method::GET,  "/returns/{id}/next-steps.xlsx", "/returns/{derby_plan}/next-steps.xlsx", READERS),
        row(Method::POST, "/returns/{id}/next-steps/upload", "/returns/{derby_plan}/next-steps/upload", KEEPERS_INVALID),
        row(Method::POST, "/returns/{id}/next-steps/upload", "/returns/{nottingham_plan}/next-steps/upload", COORDINATOR_POSTS),
        row(Method::GET,  EVIDENCE, "/self-assessment/{lastyear}/areas/nottingham/evidence", READERS),
        row(Method::GET,  EVIDENCE, "/self-assessment/{lastyear}/areas/leicester/evidence",  NOT_DERBY),
        row(Method::GET,  EVIDENCE, "/self-assessment/{lastyear}/areas/rutland/evidence",    NO_ONE),
        row(Method::POST, EVIDENCE, "/self-assessment/{lastyear}/areas/derby/evidence",      DERBY_INVALID),
        row(Method::POST, EVIDENCE, "/self-assessment/{lastyear}/areas/nottingham/evidence", NO_ONE),
        row(Method::GET,  "/self-assessment/{year}/areas/{area}/evidence/{document}", "/self-assessment/{lastyear}/areas/nottingham/evidence/{evidence}", READERS),
        row(Method::GET,  TRIAD,    "/self-assessment/{lastyear}/triads/1",                  READERS),
        row(Method::GET,  TRIAD,    "/self-assessment/{lastyear}/triads/2",                  NOT_DERBY),
        row(Method::POST, CONVERSATION, "/self-assessment/{lastyear}/triads/1/conversation", KEEPERS_INVALID),
        row(Method::POST, CONVERSATION, "/self-assessment/{lastyear}/triads/2/conversation", COORDINATOR_POSTS),
    ]
}

fn slug(text: &str) -> domain::AuthoritySlug {
    domain::AuthoritySlug::parse(text).expect("slug")
}

/// Last year's cycle for six areas, triads published, two self-assessments submitted and one
/// a draft, triad 1's conversation recorded and an evidence document of Nottingham's.
pub async fn fixtures(app: &TestApp) -> Vec<(&'static str, String)> {
    use chrono::Datelike;
    let year = chrono::Utc::now().date_naive().year() - 1;
    let coordinator =
        support::challenge_fixture::principal_of(&app.store, "coordinator@example.org").await;
    let triads: Vec<Vec<domain::AuthoritySlug>> = [
        ["derby", "nottingham", "rutland"],
        ["derbyshire", "leicester", "lincolnshire"],
    ]
    .iter()
    .map(|t| t.iter().map(|a| slug(a)).collect())
    .collect();
    let areas: Vec<_> = triads.concat();
    let now = chrono::Utc::now();
    let cycle = app
        .store
        .create_annual_cycle(
            year,
            domain::self_assessment::CycleTimetable::usual(year).expect("timetable"),
            &areas,
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
    for (area, submit) in [
        ("nottingham", true),
        ("leicester", true),
        ("rutland", false),
    ] {
        app.store
            .save_self_assessment(
                cycle,
                &slug(area),
                &domain::self_assessment_form::SelfAssessmentAnswers::default(),
                &coordinator,
                now,
            )
            .await
            .expect("draft");
        if submit {
            app.store
                .submit_self_assessment(cycle, &slug(area), &coordinator, now)
                .await
                .expect("submitted");
        }
    }
    let conversation = domain::triads::Conversation {
        held_on: now.date_naive(),
        attended: vec![(
            slug("derby"),
            domain::OneLine::parse("x", "Director", 100).expect("line"),
        )],
        agreed: domain::MultiLine::parse("x", "Share the audit", 100).expect("text"),
    };
    app.store
        .record_triad_conversation(cycle, 1, &conversation, &coordinator, now)
        .await
        .expect("conversation");
    let document = app
        .store
        .upload_self_assessment_document(
            cycle,
            &slug("nottingham"),
            &store::NewEvidenceDocument {
                section: "right_help".into(),
                file_name: "audit.txt".into(),
                content_type: "text/plain".into(),
                content: b"Audit of plans".to_vec(),
            },
            &coordinator,
            now,
        )
        .await
        .expect("document");
    let plan_of = |area: &'static str| async move {
        app.store
            .returns(&store::ReturnFilter {
                area: Some(slug(area)),
                programme: Some(domain::Programme::Annual),
            })
            .await
            .expect("returns")
            .into_iter()
            .find(|r| r.activity.id == cycle && r.kind == domain::ReturnKind::AnnualDevelopmentPlan)
            .expect("the development plan owed")
            .id
            .to_string()
    };
    vec![
        ("{lastyear}", year.to_string()),
        ("{evidence}", document.to_string()),
        ("{derby_plan}", plan_of("derby").await),
        ("{nottingham_plan}", plan_of("nottingham").await),
    ]
}
