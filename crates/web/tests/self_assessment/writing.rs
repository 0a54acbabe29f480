//! One area's self-assessment through the router on both databases: last year's text
//! offered, a personal detail refused with what was typed kept and nothing saved, a
//! submission with missing ratings saved as the draft and each missing one named, a whole one
//! submitted with its return, signed off, edited into a new version with the signed one kept;
//! the triad partner reads it, an area outside the triad and a reviewer do not.

use crate::support;

use axum::http::StatusCode;
use chrono::Datelike;
use domain::area_send_framework::Strand;
use domain::self_assessment_form::{SelfAssessmentAnswers, SelfAssessmentStatus};
use domain::{AuthoritySlug, Programme, ReturnKind};
use support::{TestApp, Who};

fn slug(text: &str) -> AuthoritySlug {
    AuthoritySlug::parse(text).expect("slug")
}

fn with_ratings(rated: usize, summary: &str) -> Vec<(String, String)> {
    let mut form = vec![("summary".to_owned(), summary.to_owned())];
    for strand in Strand::ALL.into_iter().take(rated) {
        form.push((
            format!("{}-rating", strand.code()),
            "inconsistent".to_owned(),
        ));
        form.push((format!("{}-confidence", strand.code()), "medium".to_owned()));
    }
    form
}

fn pairs(form: &[(String, String)]) -> Vec<(&str, &str)> {
    form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

async fn an_area_writes_submits_signs_and_revises(app: TestApp) {
    let year = chrono::Utc::now().date_naive().year();
    let mut coordinator = app.browser_as(Who::Coordinator).await;
    for y in [year - 1, year] {
        let started = coordinator
            .post("/self-assessment", &[("year", &y.to_string())])
            .await;
        assert_eq!(started.status, StatusCode::SEE_OTHER);
    }
    let published = coordinator
        .post(&format!("/self-assessment/{year}/publish"), &[])
        .await;
    assert_eq!(published.status, StatusCode::SEE_OTHER);
    let last = app
        .store
        .annual_cycle(year - 1)
        .await
        .expect("read")
        .expect("last");
    let cycle = app
        .store
        .annual_cycle(year)
        .await
        .expect("read")
        .expect("this");
    let derby = slug("derby");
    let coordinator_principal =
        support::challenge_fixture::principal_of(&app.store, "coordinator@example.org").await;
    let last_answers = SelfAssessmentAnswers {
        summary: "Last year's summary of our SEND partnership".to_owned(),
        ..SelfAssessmentAnswers::default()
    };
    app.store
        .save_self_assessment(
            last.id,
            &derby,
            &last_answers,
            &coordinator_principal,
            chrono::Utc::now(),
        )
        .await
        .expect("last year's");

    let base = format!("/self-assessment/{year}/areas/derby");
    let mut lead = app.browser_as(Who::LeadOfDerby).await;
    let offered = lead.get(&format!("{base}/edit")).await;
    assert_eq!(offered.status, StatusCode::OK);
    assert!(
        offered.body.contains("summary of our SEND partnership"),
        "{}",
        offered.body
    );
    assert!(offered.body.contains("starting point"));

    let personal = with_ratings(1, "Child's NHS number 943 476 5919 waited");
    let refused = lead.post(&format!("{base}/edit"), &pairs(&personal)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("govuk-error-summary"));
    assert!(
        refused.body.contains("943 476 5919"),
        "what was typed is kept"
    );
    assert!(
        app.store
            .self_assessment(cycle.id, &derby)
            .await
            .expect("read")
            .is_none()
    );

    let partial = with_ratings(3, "Our partnership this year");
    let incomplete = lead.post(&format!("{base}/submit"), &pairs(&partial)).await;
    assert_eq!(incomplete.status, StatusCode::UNPROCESSABLE_ENTITY);
    let missing = Strand::ALL.len() - 3;
    assert_eq!(
        incomplete.body.matches("Choose a self-rating for").count(),
        2 * missing,
        "summary and field"
    );
    assert!(
        incomplete
            .body
            .contains(&format!("href=\"#{}-rating\"", Strand::ALL[3].code()))
    );
    let draft = app
        .store
        .self_assessment(cycle.id, &derby)
        .await
        .expect("read")
        .expect("saved");
    assert_eq!(
        draft.status,
        SelfAssessmentStatus::Draft,
        "the draft is kept"
    );
    assert_eq!(draft.answers.summary, "Our partnership this year");

    let whole = with_ratings(Strand::ALL.len(), "Our partnership this year");
    let submitted = lead.post(&format!("{base}/submit"), &pairs(&whole)).await;
    assert_eq!(
        submitted.status,
        StatusCode::SEE_OTHER,
        "{}",
        submitted.body
    );
    let owed = app
        .store
        .returns(&store::ReturnFilter {
            area: Some(derby.clone()),
            programme: Some(Programme::Annual),
        })
        .await
        .expect("returns");
    let owed = owed
        .iter()
        .find(|r| r.kind == ReturnKind::SelfAssessment && r.activity.id == cycle.id)
        .expect("owed");
    assert!(owed.submitted.is_some());

    let unsigned = lead
        .post(
            &format!("{base}/sign-off"),
            &[("for_authority", "A. Director")],
        )
        .await;
    assert_eq!(unsigned.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unsigned.body.contains("Enter who signed for health"));
    let signed = lead
        .post(
            &format!("{base}/sign-off"),
            &[
                ("for_authority", "A. Director"),
                ("for_health", "B. Clinician"),
                ("for_forum", "C. Chair"),
                ("signed_on", &chrono::Utc::now().date_naive().to_string()),
            ],
        )
        .await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", signed.body);
    let revised = lead
        .post(
            &format!("{base}/edit"),
            &pairs(&with_ratings(2, "Revised after sign-off")),
        )
        .await;
    assert_eq!(revised.status, StatusCode::SEE_OTHER);
    let versions = app
        .store
        .self_assessment_versions(cycle.id, &derby)
        .await
        .expect("versions");
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[1].status, SelfAssessmentStatus::SignedOff);
    assert_eq!(versions[1].answers.summary, "Our partnership this year");

    let mut board = app.browser_as(Who::Board).await;
    let read = board.get(&base).await;
    assert_eq!(read.status, StatusCode::OK);
    assert!(
        read.body.contains("B. Clinician"),
        "the board reads the signed version"
    );
    assert!(
        !read.body.contains("Revised after sign-off"),
        "not the new draft"
    );
    let map = board
        .get(&format!("/self-assessment/{year}/heat-map"))
        .await;
    assert_eq!(map.status, StatusCode::OK);
    assert!(map.body.contains(&format!(
        "href=\"/self-assessment/{year}/areas/derby#needs_identified\""
    )));
    assert!(map.body.contains("govuk-tag--yellow\">Inconsistent"));
    let mut reviewer = app.browser_as(Who::Reviewer).await;
    assert_eq!(reviewer.get(&base).await.status, StatusCode::FORBIDDEN);

    // Derby's lead reads its triad partner's submitted one, and no one else's.
    let triad = cycle
        .triads
        .iter()
        .find(|t| t.contains(&derby))
        .expect("derby's triad");
    let partner = triad
        .iter()
        .find(|a| **a != derby)
        .expect("a partner")
        .clone();
    let outsider = cycle
        .areas
        .iter()
        .find(|a| !triad.contains(a))
        .expect("an outsider")
        .clone();
    for area in [&partner, &outsider] {
        app.store
            .save_self_assessment(
                cycle.id,
                area,
                &last_answers,
                &coordinator_principal,
                chrono::Utc::now(),
            )
            .await
            .expect("draft");
    }
    let partner_path = format!("/self-assessment/{year}/areas/{partner}");
    assert_eq!(
        lead.get(&partner_path).await.status,
        StatusCode::FORBIDDEN,
        "a draft is the area's own"
    );
    for area in [&partner, &outsider] {
        app.store
            .submit_self_assessment(cycle.id, area, &coordinator_principal, chrono::Utc::now())
            .await
            .expect("submitted");
    }
    assert_eq!(lead.get(&partner_path).await.status, StatusCode::OK);
    assert_eq!(
        lead.get(&format!("/self-assessment/{year}/areas/{outsider}"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

crate::app_test!(
    an_area_writes_submits_signs_and_revises_its_self_assessment,
    an_area_writes_submits_signs_and_revises
);
