//! The board's overviews of a thematic event and a biennial cycle, downloaded through the
//! router on both databases and read back with python-docx and python-pptx: every area's name
//! and actions, the pairing, the support offered and who has not returned; the download links
//! on the event and cycle pages for whoever may read them.

use axum::http::StatusCode;
use serde_json::Value;

use crate::outcomes::{download, read_back};
use crate::support;
use support::overview_fixture::{derby_cycle, published_event};
use support::{TestApp, Who};

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const PPTX: &str = "application/vnd.openxmlformats-officedocument.presentationml.presentation";

/// Every paragraph and table cell python-docx finds, in order, and the heading texts.
const READ_DOCX: &str = r#"
import io, json
document = docx.Document(io.BytesIO(sys.stdin.buffer.read()))
texts = [p.text for p in document.paragraphs]
headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
headers = [[c.text for c in t.rows[0].cells] for t in document.tables]
print(json.dumps({"texts": texts + cells, "headings": headings, "headers": headers}))
"#;

/// Every slide's title and all its text, tables cell by cell.
const READ_PPTX: &str = r#"
import io, json
deck = pptx.Presentation(io.BytesIO(sys.stdin.buffer.read()))
titles, texts = [], []
for slide in deck.slides:
    titles.append(slide.shapes.title.text if slide.shapes.title is not None else None)
    for shape in slide.shapes:
        if shape.has_text_frame:
            texts.extend(p.text for p in shape.text_frame.paragraphs)
        if shape.has_table:
            texts.extend(c.text for r in shape.table.rows for c in r.cells)
print(json.dumps({"titles": titles, "texts": texts}))
"#;

fn strings(value: &Value) -> Vec<String> {
    serde_json::from_value(value.clone()).expect("strings")
}

async fn both_files(app: &TestApp, who: Who, base: &str) -> (Value, Value) {
    let browser = app.browser_as(who).await;
    let docx = download(&browser, &format!("{base}/overview.docx")).await;
    assert_eq!(docx.status, StatusCode::OK);
    assert_eq!(docx.content_type, DOCX);
    let pptx = download(&browser, &format!("{base}/overview.pptx")).await;
    assert_eq!(pptx.status, StatusCode::OK);
    assert_eq!(pptx.content_type, PPTX);
    (
        read_back("docx", READ_DOCX, &docx.bytes),
        read_back("pptx", READ_PPTX, &pptx.bytes),
    )
}

async fn the_board_downloads_an_events_overview(app: TestApp) {
    let event = published_event(
        &app.store,
        "Preparation for adulthood",
        "Areas agree transitions start too late.\n\nHealth must be at the table.",
    )
    .await;
    let base = format!("/events/{event}");
    let page = app.browser_as(Who::Board).await.get(&base).await;
    assert!(
        page.body
            .contains(&format!("href=\"{base}/overview.docx\""))
    );
    assert!(
        page.body
            .contains(&format!("href=\"{base}/overview.pptx\""))
    );
    let page = app.browser_as(Who::Reviewer).await.get(&base).await;
    assert!(
        !page.body.contains("overview.docx"),
        "reviewers see no events"
    );

    let (docx, pptx) = both_files(&app, Who::Board, &base).await;
    let texts = strings(&docx["texts"]);
    let headings = strings(&docx["headings"]);
    for heading in [
        "Overview of emerging themes and next steps",
        "Themes across areas",
        "Each area's next steps",
        "Derby",
        "Not yet returned",
    ] {
        assert!(
            headings.iter().any(|h| h == heading),
            "{heading}: {headings:?}"
        );
    }
    for text in [
        "Areas agree transitions start too late.",
        "Health must be at the table.",
        "Map transition pathways with adult health",
        "PFA-1",
    ] {
        assert!(texts.iter().any(|t| t == text), "{text}");
    }
    assert!(
        texts.iter().any(|t| t.starts_with("Rutland: due")),
        "an area that has not returned is named: {texts:?}"
    );
    assert_eq!(
        strings(&docx["headers"][0]),
        ["Ref", "Action", "Answers", "Owner", "Due", "RAG"]
    );
    let titles = strings(&pptx["titles"]);
    assert_eq!(titles[0], "Overview: Preparation for adulthood");
    assert!(titles.iter().any(|t| t == "Derby"));
    let slide_text = strings(&pptx["texts"]).join("\n");
    assert!(slide_text.contains("Map transition pathways with adult health"));
    assert!(slide_text.contains("Rutland"));
}
app_test!(
    the_board_downloads_an_events_overview,
    the_board_downloads_an_events_overview
);

async fn every_area_taking_part_is_in_a_cycles_overview(app: TestApp) {
    let cycle = derby_cycle(&app.store).await;
    let base = format!("/biennial/{cycle}");
    let page = app.browser_as(Who::LeadOfDerby).await.get(&base).await;
    assert!(
        page.body
            .contains(&format!("href=\"{base}/overview.docx\""))
    );

    let (docx, pptx) = both_files(&app, Who::LeadOfDerby, &base).await;
    let texts = strings(&docx["texts"]);
    let headings = strings(&docx["headings"]);
    for heading in [
        "Priorities",
        "Who challenges whom",
        "Every area's agreed actions",
        "Support offered between areas",
        "Not yet returned",
    ] {
        assert!(
            headings.iter().any(|h| h == heading),
            "{heading}: {headings:?}"
        );
    }
    for area in ["Derby", "Leicester", "Nottingham"] {
        assert!(
            texts.iter().any(|t| t == area),
            "{area} in the pairing table"
        );
    }
    for text in [
        "Joint commissioning of speech therapy",
        "Our transitions toolkit",
        "Jo Bloggs",
    ] {
        assert!(texts.iter().any(|t| t == text), "{text}");
    }
    // No agreed-actions return is owed yet: the areas with no actions are the ones named.
    assert!(texts.iter().any(|t| t == "Leicester"));
    let slide_text = strings(&pptx["texts"]).join("\n");
    for text in [
        "Joint commissioning of speech therapy",
        "Our transitions toolkit",
        "Nottingham",
    ] {
        assert!(slide_text.contains(text), "{text}");
    }
    let titles = strings(&pptx["titles"]);
    assert!(titles.iter().any(|t| t == "The pairing"), "{titles:?}");
    assert!(titles.iter().any(|t| t == "Who helps whom"));
}
app_test!(
    every_area_taking_part_is_in_a_cycles_overview,
    every_area_taking_part_is_in_a_cycles_overview
);
