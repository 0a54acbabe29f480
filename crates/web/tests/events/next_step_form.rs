//! A thematic event's next steps one at a time on the web, on both databases: the area's lead
//! adds a next step to its return with the action plan's form (the theme and what it answers
//! required: a step naming neither is refused next to each field, answers kept), changes it,
//! and another area's lead can do neither.

use super::*;

fn step<'a>(answers: &'a str, theme: &'a str, rag: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("reference", "D1"),
        ("answers", answers),
        ("theme", theme),
        ("action", "Joint transition clinic with adult services"),
        ("owner", "Head of SEND"),
        ("start-day", "1"),
        ("start-month", "1"),
        ("start-year", "2030"),
        ("due-day", "30"),
        ("due-month", "6"),
        ("due-year", "2030"),
        ("rag", rag),
    ]
}

async fn the_lead_keeps_one_next_step_at_a_time(app: TestApp) {
    let date = future_weekday();
    let path = open_event(&app, date).await;
    let mut coordinator = app.browser_as(Who::Coordinator).await;
    let today = uk(domain::clock::uk_date(chrono::Utc::now()));
    let kloes = [
        ("kloe_1", "How well are transitions planned?"),
        ("kloe_1_themes", "PFA"),
        ("share_on", today.as_str()),
    ];
    let page = coordinator.post(&format!("{path}/kloes"), &kloes).await;
    assert_eq!(page.status.as_u16(), 303, "{}", page.body);
    for to in ["kloes_shared", "held", "returns"] {
        let page = coordinator
            .post(&format!("{path}/move"), &[("to", to)])
            .await;
        assert_eq!(page.status.as_u16(), 303, "{to}: {}", page.body);
    }
    let owed = app
        .store
        .returns(&store::ReturnFilter {
            area: domain::AuthoritySlug::parse("derby").ok(),
            programme: Some(domain::Programme::Thematic),
        })
        .await
        .expect("returns")
        .remove(0);
    let steps = format!("/returns/{}/next-steps", owed.id);
    let mut lead = app.browser_as(Who::LeadOfDerby).await;
    let page = lead.get(&steps).await;
    assert_eq!(page.status.as_u16(), 200);
    assert!(
        page.body
            .contains("Each next step names the KLOE or theme it answers"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Add a next step"));

    let page = lead
        .post(&format!("{steps}/new"), &step("", "", "amber"))
        .await;
    assert_eq!(page.status.as_u16(), 422);
    assert!(page.body.contains("href=\"#answers\""), "{}", page.body);
    assert!(page.body.contains("Select the theme the action addresses"));
    assert!(
        page.body
            .contains("Joint transition clinic with adult services")
    );
    let page = lead
        .post(
            &format!("{steps}/new"),
            &step("KLOE 2: transitions to adult health", "PFA", "amber"),
        )
        .await;
    assert_eq!(page.status.as_u16(), 303, "{}", page.body);
    let planned = app
        .store
        .next_steps(&store::NextStepFilter::default())
        .await
        .expect("read");
    assert_eq!(planned.len(), 1);
    assert_eq!(
        planned[0].entry.answers,
        "KLOE 2: transitions to adult health"
    );
    assert_eq!(planned[0].entry.theme.as_str(), "PFA");
    let id = planned[0].id;
    let page = lead
        .post(
            &format!("{steps}/{id}"),
            &step("KLOE 2: transitions to adult health", "PFA", "green"),
        )
        .await;
    assert_eq!(page.status.as_u16(), 303, "{}", page.body);
    let planned = app.store.action(id).await.expect("read").expect("there");
    assert_eq!(planned.entry.rag, domain::next_steps::Rag::Green);
    let page = lead.get(&steps).await;
    assert!(page.body.contains("KLOE 2: transitions to adult health"));
    // The event's own next-steps page leads here.
    let page = lead.get(&format!("{path}/next-steps/derby")).await;
    assert!(page.body.contains(&steps), "{}", page.body);

    // Another area's return: not Derby's lead's to keep.
    let leicester = app
        .store
        .returns(&store::ReturnFilter {
            area: domain::AuthoritySlug::parse("leicester").ok(),
            programme: Some(domain::Programme::Thematic),
        })
        .await
        .expect("returns")
        .remove(0);
    let page = lead
        .post(
            &format!("/returns/{}/next-steps/new", leicester.id),
            &step("KLOE 1", "PFA", "green"),
        )
        .await;
    assert_eq!(page.status.as_u16(), 403);
}

app_test!(
    a_thematic_next_step_is_added_and_changed_on_the_web,
    the_lead_keeps_one_next_step_at_a_time
);
