//! Snapshots of the key pages as their readers see them: the text of each page's `<main>`,
//! line by line, with ids, dates and references redacted (they change from run to run). A
//! change to what a page says shows in review as a diff of its snapshot (`cargo insta
//! review`, or the `.snap.new` file beside the old one). Both databases must give the same
//! text, so a query that orders differently on one of them fails here too.

use domain::lifecycle::ChallengeState;

use crate::support::challenge_fixture::challenge_in;
use crate::support::findings_fixture::next_steps_challenge;
use crate::support::{TestApp, Who};

/// The visible text of the page's `<main>`, one line per block of text.
fn main_text(body: &str) -> String {
    let start = body.find("<main").expect("a <main>");
    let end = body.rfind("</main>").expect("a </main>");
    let html = &body[start..end];
    let mut text = String::new();
    let mut in_tag = false;
    let mut in_script = false;
    let mut tag = String::new();
    for character in html.chars() {
        match (in_tag, character) {
            (false, '<') => {
                in_tag = true;
                tag.clear();
            }
            (true, '>') => {
                in_tag = false;
                let name = tag.split_whitespace().next().unwrap_or("").to_lowercase();
                in_script = name == "script" || (in_script && name != "/script");
                // Block ends become line breaks, so each block reads as a line.
                if is_block(name.trim_start_matches('/')) {
                    text.push('\n');
                }
            }
            (true, other) => tag.push(other),
            (false, other) if !in_script => text.push(other),
            (false, _) => {}
        }
    }
    text.lines()
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .map(|line| decode_entities(&line))
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "li"
            | "tr"
            | "td"
            | "th"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "dt"
            | "dd"
            | "br"
            | "legend"
            | "label"
            | "button"
            | "a"
            | "caption"
            | "span"
            | "strong"
    )
}

fn decode_entities(line: &str) -> String {
    line.replace("&amp;", "&")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

/// Asserts the page's text against its snapshot, with what changes between runs redacted.
macro_rules! assert_page {
    ($name:literal, $page:expr) => {
        let page = $page;
        assert!(page.status.is_success(), "{}: {}", $name, page.status);
        let text = main_text(&page.body);
        insta::with_settings!({
            prepend_module_to_snapshot => false,
            filters => vec![
                (r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "[id]"),
                (r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) ", ""),
                (r"\b\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) \d{4}\b", "[date]"),
                (r"\bPC-\d{4}-\d{3}\b", "[reference]"),
                (r"\b\d+ days?\b", "[days]"),
                (r"\b\d{1,2}:\d{2}(am|pm)\b", "[time]"),
            ],
        }, {
            insta::assert_snapshot!($name, text);
        });
    };
}

async fn key_pages(app: TestApp) {
    let confirmed = challenge_in(&app.store, "nottingham", ChallengeState::TeamConfirmed).await;
    let next_steps = next_steps_challenge(&app.store, "leicestershire").await;
    let challenge = format!("/challenges/{}", confirmed.challenge);

    let mut coordinator = app.browser_as(Who::Coordinator).await;
    assert_page!(
        "challenge_page_coordinator",
        coordinator.get(&challenge).await
    );
    let team = coordinator.get(&format!("{challenge}/team")).await;
    assert_page!("team_page_coordinator", team);
    let plan = format!("/challenges/{}/actions", next_steps.challenge);
    assert_page!("action_plan_coordinator", coordinator.get(&plan).await);

    let mut board = app.browser_as(Who::Board).await;
    assert_page!("dashboard_board", board.get("/dashboard").await);
    assert_page!("progress_board", board.get("/progress").await);
    assert_page!("returns_board", board.get("/returns").await);

    let mut lead = app.browser_as(Who::LeadOfDerby).await;
    assert_page!("dashboard_lead_of_derby", lead.get("/dashboard").await);
}

crate::app_test!(key_pages_read_as_their_snapshots, key_pages);
