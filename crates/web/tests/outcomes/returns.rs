//! Returns through the router on both databases: the outstanding-areas view (every area's
//! for the board, an LA lead's own only), the co-ordinator's per-area extension (errors next
//! to the fields with the answers kept; a date not later refused; the extension shown), and
//! the host's lead submitting their area's action plan.

use super::*;

async fn returns_are_listed_extended_and_submitted(app: TestApp) {
    let derby = next_steps_challenge(&app.store, "derby").await;
    next_steps_challenge(&app.store, "leicester").await;
    let owed = app
        .store
        .returns(&store::ReturnFilter::default())
        .await
        .expect("returns");
    let of = |area: &str| {
        owed.iter()
            .find(|r| r.area.as_str() == area)
            .expect("owed")
            .clone()
    };
    let (derby_return, leicester_return) = (of("derby"), of("leicester"));
    assert_eq!(derby_return.activity.challenge, Some(derby.challenge));

    // The board sees every area yet to return.
    let mut board = app.browser_as(Who::Board).await;
    let list = board.get("/returns").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let outstanding = block(&list, "Areas yet to return", "</table>");
    assert!(outstanding.contains(">Derby</a>") && outstanding.contains(">Leicester</a>"));
    // The menu offers the returns to those the policy lets read them, and to nobody else.
    let menu = |page: &str| page.contains("href=\"/returns\"");
    assert!(
        menu(&board.get("/dashboard").await.body),
        "the board's menu"
    );
    let mut reviewer = app.browser_as(Who::Reviewer).await;
    assert!(
        !menu(&reviewer.get("/dashboard").await.body),
        "a reviewer's menu"
    );
    assert_eq!(
        board
            .post(
                &format!("/returns/{}/extension", derby_return.id),
                &[("date", "01/01/2099"), ("reason", "x")]
            )
            .await
            .status,
        StatusCode::FORBIDDEN,
        "the board reads, never extends"
    );

    // A lead sees their own area's return only.
    let mut lead = app.browser_as(Who::LeadOfDerby).await;
    let list = lead.get("/returns").await;
    assert!(list.body.contains(&format!("/returns/{}", derby_return.id)));
    assert!(!list.body.contains(&leicester_return.id.to_string()));
    assert_eq!(
        lead.get(&format!("/returns/{}", leicester_return.id))
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    // The co-ordinator extends Derby's: problems next to the fields, answers kept.
    let mut coordinator = app.browser_as(Who::Coordinator).await;
    let path = format!("/returns/{}/extension", derby_return.id);
    let refused = coordinator
        .post(
            &path,
            &[("date", "31/02/2099"), ("reason", "Director leaving")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_error_next_to(&refused, "date", "must be a real date");
    assert!(
        refused.body.contains("value=\"Director leaving\""),
        "the reason is kept"
    );
    let same_day = derby_return.due.format("%d/%m/%Y").to_string();
    let refused = coordinator
        .post(
            &path,
            &[("date", same_day.as_str()), ("reason", "No change")],
        )
        .await;
    assert_error_next_to(
        &refused,
        "date",
        "must be after the date the return is due now",
    );
    let later = (derby_return.due + chrono::Duration::days(21))
        .format("%d/%m/%Y")
        .to_string();
    let done = coordinator
        .post(
            &path,
            &[
                ("date", later.as_str()),
                ("reason", "New director starts in May"),
            ],
        )
        .await;
    assert_redirect(&done, &format!("/returns/{}", derby_return.id));
    let page = coordinator
        .get(&format!("/returns/{}", derby_return.id))
        .await;
    assert!(page.body.contains("Extended to"));
    assert!(page.body.contains("New director starts in May"));

    // Derby's lead submits their area's plan; it leaves the outstanding areas.
    let page = lead.get(&format!("/returns/{}", derby_return.id)).await;
    assert!(page.body.contains("Submit the return"));
    assert!(
        page.body
            .contains(&format!("/challenges/{}/actions", derby.challenge))
    );
    let done = lead
        .post(&format!("/returns/{}/submit", derby_return.id), &[])
        .await;
    assert_redirect(&done, &format!("/returns/{}", derby_return.id));
    let list = board.get("/returns").await;
    let outstanding = block(&list, "Areas yet to return", "</table>");
    assert!(!outstanding.contains(">Derby</a>") && outstanding.contains(">Leicester</a>"));
    assert!(block(&list, "Submitted", "</table>").contains(">Derby</a>"));
    let again = lead
        .post(&format!("/returns/{}/submit", derby_return.id), &[])
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "submitted once");
}

app_test!(
    returns_are_listed_extended_and_submitted,
    returns_are_listed_extended_and_submitted
);
