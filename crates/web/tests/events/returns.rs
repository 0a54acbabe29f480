//! Each area's return after an event: moving the event to returns owes every area its next
//! steps, due on the event's date for them; the area's lead uploads the template, checked
//! whole (a bad row applies nothing), submits through the returns pages, and the board sees
//! the next steps under the event with the programme filter.

use documents::action_plan::{ActionPlanSheet, ThemeLine, write_action_plan};
use domain::ReturnKind;
use domain::next_steps::{ActionAnswers, uk_date};

use super::*;

fn workbook(rows: Vec<ActionAnswers>) -> Vec<u8> {
    write_action_plan(&ActionPlanSheet {
        area: "Derby".into(),
        themes: vec![ThemeLine {
            code: "PFA".into(),
            label: "Preparation for adulthood".into(),
        }],
        rows,
    })
    .expect("workbook")
}

fn step(reference: &str, due: Option<NaiveDate>) -> ActionAnswers {
    ActionAnswers {
        reference: reference.into(),
        answers: "KLOE 1: transitions to adult health".into(),
        theme: "PFA".into(),
        action: "Joint transition clinic with adult services".into(),
        owner: "Head of SEND".into(),
        partners: "ICB".into(),
        start: uk_date(future_weekday()),
        due: due.map(uk_date).unwrap_or_default(),
        milestones: "Clinic running by autumn".into(),
        baseline: "No joint clinic".into(),
        target: "Monthly clinic".into(),
        rag: "Green".into(),
        ..ActionAnswers::default()
    }
}

async fn every_area_owes_its_next_steps_and_the_board_sees_them_under_the_event(app: TestApp) {
    let date = future_weekday();
    let path = open_event(&app, date).await;
    let id = path.trim_start_matches("/events/").to_owned();
    let mut lead = app.browser_as(Who::LeadOfDerby).await;
    for (name, email) in [
        ("Ann Officer", "ann@derby.example.org"),
        ("Bo Officer", "bo@derby.example.org"),
    ] {
        let form = [
            ("name", name),
            ("role", "SEND lead"),
            ("organisation", "education"),
            ("email", email),
        ];
        assert_eq!(
            lead.post(&format!("{path}/nominations"), &form)
                .await
                .status
                .as_u16(),
            303
        );
    }
    let mut coordinator = app.browser_as(Who::Coordinator).await;
    let today = uk(domain::clock::uk_date(chrono::Utc::now()));
    let kloes = [
        ("kloe_1", "How well are transitions planned?"),
        ("kloe_1_themes", "PFA"),
        ("share_on", today.as_str()),
    ];
    assert_eq!(
        coordinator
            .post(&format!("{path}/kloes"), &kloes)
            .await
            .status
            .as_u16(),
        303
    );
    for to in ["kloes_shared", "held", "returns"] {
        let page = coordinator
            .post(&format!("{path}/move"), &[("to", to)])
            .await;
        assert_eq!(page.status.as_u16(), 303, "{to}: {}", page.body);
    }
    // On the day: Ann came, Bo did not; the breakout file holds who came.
    let named = app
        .store
        .nominations(id.parse().expect("id"))
        .await
        .expect("read");
    let ann = named
        .iter()
        .find(|n| n.nominee.name.as_str() == "Ann Officer")
        .expect("ann");
    let page = coordinator
        .post(
            &format!("{path}/attendance"),
            &[("attended", ann.id.to_string().as_str())],
        )
        .await;
    assert_eq!(page.status.as_u16(), 303, "{}", page.body);
    let named = app
        .store
        .nominations(id.parse().expect("id"))
        .await
        .expect("read");
    let came: Vec<_> = named
        .iter()
        .map(|n| (n.nominee.name.as_str(), n.attended))
        .collect();
    assert!(
        came.contains(&("Ann Officer", Some(true))) && came.contains(&("Bo Officer", Some(false))),
        "{came:?}"
    );
    let csv = coordinator.get(&format!("{path}/breakouts.csv")).await;
    assert_eq!(csv.status.as_u16(), 200);
    assert!(
        csv.body.contains("Pre-assign Room Name,Email Address"),
        "{}",
        csv.body
    );
    assert!(csv.body.contains("Group 1,ann@derby.example.org"));
    assert!(!csv.body.contains("bo@derby.example.org"));

    let owed = app
        .store
        .returns(&store::ReturnFilter {
            area: None,
            programme: Some(domain::Programme::Thematic),
        })
        .await
        .expect("returns");
    let event = app
        .store
        .event(id.parse().expect("id"))
        .await
        .expect("read")
        .expect("event");
    assert_eq!(owed.len(), event.areas.len(), "every area owes one");
    assert!(owed.iter().all(|r| r.kind == ReturnKind::ThematicNextSteps));
    assert!(owed.iter().all(|r| r.due == event.details.returns_due));
    let derby = owed
        .iter()
        .find(|r| r.area.as_str() == "derby")
        .expect("derby's");

    // The return's page leads to its next steps on the web; the event's next-steps page for
    // the area leads there too.
    let page = lead.get(&format!("/returns/{}", derby.id)).await;
    assert!(
        page.body
            .contains(&format!("/returns/{}/next-steps", derby.id)),
        "{}",
        page.body
    );
    let steps = format!("{path}/next-steps/derby");
    assert_eq!(
        lead.get(&format!("{steps}/template.xlsx"))
            .await
            .status
            .as_u16(),
        200
    );

    // A bad row (no due date) applies nothing and is named by row and column.
    let bad = workbook(vec![
        step("D1", Some(date + Duration::days(90))),
        step("D2", None),
    ]);
    let page = lead
        .post_multipart(
            &format!("{steps}/upload"),
            &[],
            Some(("plan", "plan.xlsx", &bad)),
        )
        .await;
    assert_eq!(page.status.as_u16(), 422, "{}", page.body);
    assert!(page.body.contains("nothing was changed"));
    assert!(page.body.contains("Problems in the spreadsheet"));
    assert!(
        app.store
            .next_steps(&store::NextStepFilter::default())
            .await
            .expect("read")
            .is_empty()
    );
    // Submitting with nothing in is refused.
    let page = lead
        .post(&format!("/returns/{}/submit", derby.id), &[])
        .await;
    assert_eq!(page.status.as_u16(), 409);

    let good = workbook(vec![step("D1", Some(date + Duration::days(90)))]);
    let page = lead
        .post_multipart(
            &format!("{steps}/upload"),
            &[],
            Some(("plan", "plan.xlsx", &good)),
        )
        .await;
    assert_eq!(page.status.as_u16(), 303, "{}", page.body);
    assert!(
        lead.get(&steps)
            .await
            .body
            .contains("Joint transition clinic with adult services")
    );
    let page = lead
        .post(&format!("/returns/{}/submit", derby.id), &[])
        .await;
    assert_eq!(page.status.as_u16(), 303);

    // The board sees Derby's next steps under the event, with the programme filter.
    let mut board = app.browser_as(Who::Board).await;
    let page = board.get("/progress/areas/derby?programme=thematic").await;
    assert_eq!(page.status.as_u16(), 200);
    assert!(
        page.body
            .contains("Joint transition clinic with adult services"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Preparation for adulthood"));
    let page = board.get("/progress/areas/derby?programme=challenge").await;
    assert!(
        !page
            .body
            .contains("Joint transition clinic with adult services")
    );
}
app_test!(
    every_area_owes_its_next_steps_and_the_board_sees_them_under_the_event,
    every_area_owes_its_next_steps_and_the_board_sees_them_under_the_event
);

async fn the_overview_is_drafted_from_the_returns_edited_and_published_to_the_board(app: TestApp) {
    let date = future_weekday();
    let path = open_event(&app, date).await;
    let mut coordinator = app.browser_as(Who::Coordinator).await;
    let today = uk(domain::clock::uk_date(chrono::Utc::now()));
    let kloes = [
        ("kloe_1", "How well are transitions planned?"),
        ("kloe_1_themes", "PFA"),
        ("share_on", today.as_str()),
    ];
    assert_eq!(
        coordinator
            .post(&format!("{path}/kloes"), &kloes)
            .await
            .status
            .as_u16(),
        303
    );
    for to in ["kloes_shared", "held", "returns"] {
        assert_eq!(
            coordinator
                .post(&format!("{path}/move"), &[("to", to)])
                .await
                .status
                .as_u16(),
            303
        );
    }
    // Publishing before writing it is refused.
    let page = coordinator
        .post(&format!("{path}/move"), &[("to", "overview_published")])
        .await;
    assert_eq!(page.status.as_u16(), 409);
    assert!(page.body.contains("there is no overview to publish"));
    // The draft counts the returns and names who has not returned.
    let page = coordinator.get(&format!("{path}/overview")).await;
    assert!(
        page.body
            .contains("0 of 10 areas have returned their next steps"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Not yet returned: "));
    // The board sees nothing until it is published.
    let mut board = app.browser_as(Who::Board).await;
    assert!(
        !board
            .get(&format!("{path}/overview"))
            .await
            .body
            .contains("Partners across the region")
    );
    let page = coordinator
        .post(&format!("{path}/overview"), &[("overview", "")])
        .await;
    assert_eq!(page.status.as_u16(), 422);
    let text =
        "Partners across the region want earlier joint planning.\n\nNot yet returned: every area.";
    let page = coordinator
        .post(&format!("{path}/overview"), &[("overview", text)])
        .await;
    assert_eq!(page.status.as_u16(), 303, "{}", page.body);
    let page = coordinator
        .post(&format!("{path}/move"), &[("to", "overview_published")])
        .await;
    assert_eq!(page.status.as_u16(), 303, "{}", page.body);
    let page = board.get(&format!("{path}/overview")).await;
    assert!(
        page.body
            .contains("Partners across the region want earlier joint planning.")
    );
    assert!(!page.body.contains("<textarea"), "the board only reads it");
}
app_test!(
    the_overview_is_drafted_from_the_returns_edited_and_published_to_the_board,
    the_overview_is_drafted_from_the_returns_edited_and_published_to_the_board
);
