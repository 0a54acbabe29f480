//! Teams and KLOEs through the router on both databases: Derby's LA lead names a member of its
//! own team (emailed the event with a calendar file) but of no other area's, and drafts KLOEs
//! for the area Derby challenges; no other area sees a pair's drafts, not the area challenged
//! and not the board, until the co-ordinator has agreed them and the cycle reaches the KLOE
//! deadline, when the challenged area's lead and both teams are emailed them.

use axum::http::StatusCode;
use chrono::Utc;
use domain::biennial::KloeDraftAnswers;
use domain::{AuthoritySlug, ThemeCode};

use crate::support::biennial_fixture::cycle_in_planning;
use crate::support::challenge_fixture::principal_of;
use crate::support::{TestApp, Who};

async fn drafts_stay_with_their_pair(app: TestApp) {
    let id = cycle_in_planning(
        &app.store,
        2026,
        &["derby", "leicester", "nottingham", "rutland"],
    )
    .await;
    let path = format!("/biennial/{id}");
    let mut coordinator = app.browser_as(Who::Coordinator).await;
    let mut lead = app.browser_as(Who::LeadOfDerby).await;
    let mut board = app.browser_as(Who::Board).await;
    assert_eq!(
        coordinator
            .post(&format!("{path}/pairing"), &[("seed", "3")])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    // Before publishing, Derby cannot name a team or draft: it does not know whom it challenges.
    let early = lead
        .post(
            &format!("{path}/areas/derby/team"),
            &[
                ("name", "Sam Patel"),
                ("email", "sam@derby.example"),
                ("partner", "health"),
            ],
        )
        .await;
    assert_eq!(early.status, StatusCode::CONFLICT);
    assert_eq!(
        coordinator
            .post(&format!("{path}/publish"), &[])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let cycle = app
        .store
        .biennial_cycle(id)
        .await
        .expect("read")
        .expect("cycle");
    let derby = AuthoritySlug::parse("derby").expect("slug");
    let source = cycle
        .pairs
        .iter()
        .find(|p| p.pair.challenged == derby)
        .map(|p| p.pair.challenger.clone())
        .expect("someone challenges Derby");
    let other = cycle
        .pairs
        .iter()
        .find(|p| p.pair.challenger != derby && p.pair.challenger != source)
        .map(|p| p.pair.clone())
        .expect("a pair without Derby as challenger or challenged's challenger");

    // Derby's own team only.
    let named = lead
        .post(
            &format!("{path}/areas/derby/team"),
            &[
                ("name", "Sam Patel"),
                ("email", "sam@derby.example"),
                ("partner", "health"),
                ("team_lead", "yes"),
            ],
        )
        .await;
    assert_eq!(named.status, StatusCode::SEE_OTHER);
    let invite = app
        .store
        .outbox_emails(100)
        .await
        .expect("outbox")
        .into_iter()
        .find(|e| e.to.as_str() == "sam@derby.example")
        .expect("the member is emailed");
    assert_eq!(invite.attachments.len(), 1);
    assert!(String::from_utf8_lossy(&invite.attachments[0].bytes).contains("BEGIN:VEVENT"));
    let refused = lead
        .post(
            &format!("{path}/areas/{}/team", other.challenger),
            &[
                ("name", "Al Jones"),
                ("email", "al@x.example"),
                ("partner", "la"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let bad = lead
        .post(&format!("{path}/areas/derby/team"), &[("name", "Al")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.input_value("name").as_deref(), Some("Al"));

    // Derby drafts for its target; the others' drafts are written as their leads would.
    let drafted = lead
        .post(
            &format!("{path}/areas/derby/kloes"),
            &[
                (
                    "question",
                    "DERBYDRAFT: how well do partners plan transitions?",
                ),
                ("priority", "1"),
                ("themes", "PFA"),
            ],
        )
        .await;
    assert_eq!(drafted.status, StatusCode::SEE_OTHER);
    let by = principal_of(&app.store, "coordinator@example.org").await;
    let draft = |text: &str| {
        KloeDraftAnswers {
            question: text.into(),
            priority: "1".into(),
            themes: vec!["PFA".into()],
        }
        .check(1, &[ThemeCode::parse("PFA").expect("code")])
        .expect("valid")
    };
    let incoming = app
        .store
        .draft_biennial_kloe(
            id,
            &source,
            &draft("INCOMINGDRAFT about Derby"),
            &by,
            Utc::now(),
        )
        .await
        .expect("drafted");
    app.store
        .draft_biennial_kloe(
            id,
            &other.challenger,
            &draft("OTHERDRAFT elsewhere"),
            &by,
            Utc::now(),
        )
        .await
        .expect("drafted");
    let refused = lead
        .post(
            &format!("{path}/areas/{}/kloes", other.challenger),
            &[
                ("question", "Not ours"),
                ("priority", "1"),
                ("themes", "PFA"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let pages = |slugs: [&AuthoritySlug; 3]| {
        let mut all = vec![path.clone()];
        all.extend(slugs.iter().map(|s| format!("{path}/areas/{s}")));
        all
    };
    let every_page = pages([&derby, &other.challenger, &other.challenged]);
    for page in &every_page {
        let body = lead.get(page).await.body;
        assert!(
            !body.contains("OTHERDRAFT"),
            "Derby's lead sees another pair's draft on {page}"
        );
        assert!(
            !body.contains("INCOMINGDRAFT"),
            "Derby's lead sees a draft about Derby on {page}"
        );
        let body = board.get(page).await.body;
        assert!(!body.contains("DRAFT"), "the board sees a draft on {page}");
    }
    assert!(
        lead.get(&format!("{path}/areas/derby"))
            .await
            .body
            .contains("DERBYDRAFT")
    );
    let seen = coordinator
        .get(&format!("{path}/areas/{}", other.challenger))
        .await;
    assert!(seen.body.contains("OTHERDRAFT"));

    // The co-ordinator comments on and agrees the KLOE about Derby, then the deadline passes.
    let commented = coordinator
        .post(
            &format!("{path}/kloes/{incoming}/comment"),
            &[("comment", "Name the transition panel")],
        )
        .await;
    assert_eq!(commented.status, StatusCode::SEE_OTHER);
    let agreed = coordinator
        .post(&format!("{path}/kloes/{incoming}/agree"), &[])
        .await;
    assert_eq!(agreed.status, StatusCode::SEE_OTHER);
    let again = coordinator
        .post(&format!("{path}/kloes/{incoming}/agree"), &[])
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let moved = coordinator
        .post(&format!("{path}/move"), &[("to", "kloes_shared")])
        .await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER);
    let shared = app
        .store
        .outbox_emails(100)
        .await
        .expect("outbox")
        .into_iter()
        .find(|e| e.to.as_str() == "lead.derby@example.org" && e.subject.contains("KLOEs"))
        .expect("Derby's lead is sent the KLOEs it will be asked");
    assert!(shared.body_text.contains("INCOMINGDRAFT about Derby"));
    let body = lead.get(&format!("{path}/areas/derby")).await.body;
    assert!(
        body.contains("INCOMINGDRAFT"),
        "shared and agreed: Derby reads it"
    );
    for page in &every_page {
        assert!(!lead.get(page).await.body.contains("OTHERDRAFT"));
        assert!(
            !board.get(page).await.body.contains("OTHERDRAFT"),
            "never agreed, never shared"
        );
    }
    // Closed to changes once shared.
    let late = lead
        .post(
            &format!("{path}/areas/derby/kloes"),
            &[
                ("question", "Too late"),
                ("priority", "1"),
                ("themes", "PFA"),
            ],
        )
        .await;
    assert_eq!(late.status, StatusCode::CONFLICT);
}

app_test!(
    no_area_sees_another_pairs_drafts_and_agreed_kloes_are_shared_at_the_deadline,
    drafts_stay_with_their_pair
);

async fn support_is_offered_between_areas(app: TestApp) {
    let id = cycle_in_planning(&app.store, 2026, &["derby", "leicester", "rutland"]).await;
    let path = format!("/biennial/{id}");
    let mut coordinator = app.browser_as(Who::Coordinator).await;
    let mut lead = app.browser_as(Who::LeadOfDerby).await;
    let offer = [
        ("to", "rutland"),
        ("what", "Our EHC plan audit tool and a half-day of training"),
        ("who", "Derby SEND quality team"),
        ("contact", "send.quality@derby.example"),
    ];
    // Not while planning: nobody knows the pairing yet.
    assert_eq!(
        lead.post(&format!("{path}/areas/derby/support"), &offer)
            .await
            .status,
        StatusCode::CONFLICT
    );
    coordinator
        .post(&format!("{path}/pairing"), &[("seed", "2")])
        .await;
    coordinator.post(&format!("{path}/publish"), &[]).await;
    let bad = lead
        .post(&format!("{path}/areas/derby/support"), &[("to", "derby")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("Choose another area taking part"));
    assert_eq!(
        lead.post(&format!("{path}/areas/derby/support"), &offer)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        lead.post(&format!("{path}/areas/leicester/support"), &offer)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // Shown on both areas' pages and, for the board, on the cycle's.
    let mut board = app.browser_as(Who::Board).await;
    for page in [
        format!("{path}/areas/derby"),
        format!("{path}/areas/rutland"),
        path.clone(),
    ] {
        let body = board.get(&page).await.body;
        assert!(body.contains("Our EHC plan audit tool"), "{page}");
        assert!(body.contains("Who offers whom support"), "{page}");
    }
    assert!(
        !board
            .get(&format!("{path}/areas/leicester"))
            .await
            .body
            .contains("Our EHC plan audit tool")
    );
}

app_test!(
    an_area_offers_support_shown_on_both_areas_pages_and_the_cycles,
    support_is_offered_between_areas
);
