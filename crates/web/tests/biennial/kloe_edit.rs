//! A KLOE draft changed by the area that wrote it, on both databases: Derby's lead rewrites
//! Derby's draft (a blank question refused beside the field, the words kept) until the
//! co-ordinator agrees it, then it is fixed (409, and the page sends them back); nobody but
//! the challenging area's lead opens the change, not the co-ordinator, not the board; and the
//! area's page offers the change only on its own drafts.

use axum::http::StatusCode;
use domain::AuthoritySlug;

use crate::support::biennial_fixture::cycle_in_planning;
use crate::support::{TestApp, Who};

async fn derby_changes_its_draft_until_agreed(app: TestApp) {
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
    for step in ["pairing", "publish"] {
        let page = coordinator
            .post(&format!("{path}/{step}"), &[("seed", "3")])
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{step}: {}", page.body);
    }
    let drafted = lead
        .post(
            &format!("{path}/areas/derby/kloes"),
            &[
                ("question", "How well do partners plan transitions?"),
                ("priority", "1"),
                ("themes", "PFA"),
            ],
        )
        .await;
    assert_eq!(drafted.status, StatusCode::SEE_OTHER);
    let kloe = app.store.biennial_kloes(id).await.expect("read")[0].clone();
    assert_eq!(
        kloe.challenger,
        AuthoritySlug::parse("derby").expect("slug")
    );
    let edit = format!("{path}/kloes/{}/edit", kloe.id);
    let area = lead.get(&format!("{path}/areas/derby")).await;
    assert!(
        area.body.contains(&edit),
        "the change is offered: {}",
        area.body
    );

    let page = lead.get(&edit).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("How well do partners plan transitions?"));
    for who in [&mut coordinator, &mut board] {
        assert_eq!(who.get(&edit).await.status, StatusCode::FORBIDDEN);
        assert_eq!(
            who.post(&edit, &[("question", "x"), ("priority", "1")])
                .await
                .status,
            StatusCode::FORBIDDEN
        );
    }
    let blank = lead
        .post(
            &edit,
            &[("question", " "), ("priority", "1"), ("themes", "PFA")],
        )
        .await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(blank.body.contains("Enter the key line of enquiry"));
    let changed = lead
        .post(
            &edit,
            &[
                (
                    "question",
                    "How well are young people heard in transition planning?",
                ),
                ("priority", "1"),
                ("themes", "PFA"),
            ],
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.body);
    let kloes = app.store.biennial_kloes(id).await.expect("read");
    assert_eq!(kloes.len(), 1, "changed, not added");
    assert_eq!(
        kloes[0].question,
        "How well are young people heard in transition planning?"
    );

    // Agreed, it is fixed.
    let agreed = coordinator
        .post(&format!("{path}/kloes/{}/agree", kloe.id), &[])
        .await;
    assert_eq!(agreed.status, StatusCode::SEE_OTHER, "{}", agreed.body);
    let late = lead
        .post(
            &edit,
            &[
                ("question", "Too late"),
                ("priority", "1"),
                ("themes", "PFA"),
            ],
        )
        .await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert!(
        late.body.contains("agreed, so it can no longer change"),
        "{}",
        late.body
    );
    assert_eq!(late.input_value("question").as_deref(), None);
    assert!(late.body.contains("Too late"), "the words are kept");
    assert_eq!(lead.get(&edit).await.status, StatusCode::SEE_OTHER);
    let area = lead.get(&format!("{path}/areas/derby")).await;
    assert!(!area.body.contains(&edit), "no change offered once agreed");
}

app_test!(
    a_draft_kloe_changes_until_the_coordinator_agrees_it,
    derby_changes_its_draft_until_agreed
);
