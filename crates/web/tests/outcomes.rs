//! What a challenge finds and what follows, through the real router on both databases:
//! evidence recorded on the day (checked, kept as typed, private while a draft, refused when
//! it identifies a child), findings under their KLOE with their evidence and comments, reports
//! made from the findings and read back by python-pptx and python-docx on their way from draft
//! to shared to final, the action plan on the web and as a spreadsheet applied all or nothing,
//! and the board's progress pages and exports.

use crate::support;

use std::io::Write;
use std::process::{Command, Stdio};

use axum::body::Body;
use axum::http::header::{CONTENT_TYPE, COOKIE};
use axum::http::{Request, StatusCode};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{NaiveDate, Utc};
use documents::upload;
use domain::challenge::{
    ChallengeKind, ChallengeRequest, Kloe, VisitFormat, VisitPlan, visit_days,
};
use domain::findings::{FindingKind, ReportFormat, ReportStatus};
use domain::lifecycle::ChallengeState;
use domain::next_steps::Rag;
use domain::{ActivityId, AuthoritySlug, ChallengeId, ThemeCode};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use store::{ActionChange, PlannedAction, ReportVersion, Store};
use support::challenge_fixture::{challenge_in, future_weekday, principal_of};
use support::findings_fixture::{next_steps_challenge, reporting_challenge};
use support::visit_fixture::add_visit_fixtures;
use support::{Browser, Page, TestApp, Who};
use tower::ServiceExt;

const COORDINATOR: &str = "coordinator@example.org";
const PPTX: &str = "application/vnd.openxmlformats-officedocument.presentationml.presentation";
const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The fixtures' KLOE, note and finding (`challenge_fixture`, `findings_fixture`).
const FIXTURE_KLOE: &str = "How good are EHC plans?";
const FIXTURE_NOTE: &str = "Plans are written with families";
const FIXTURE_FINDING: &str = "Families help write plans";

// ---- Reading files back -------------------------------------------------------------------

/// Run `script` under python3 with `input` on stdin, after checking `package` imports; the
/// script prints one JSON document. (As `documents::read_back`, which is private to its crate.)
pub(crate) fn read_back(package: &str, script: &str, input: &[u8]) -> Value {
    let preamble = format!(
        "import sys\n\
         try:\n    import {package}\n\
         except ImportError as error:\n    \
         sys.exit('this test needs the Python package {package}: ' + str(error))\n"
    );
    let mut python = Command::new("python3")
        .args(["-c", &format!("{preamble}{script}")])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|error| panic!("this test needs python3 on PATH: {error}"));
    let written = python
        .stdin
        .take()
        .expect("python3 stdin is piped")
        .write_all(input);
    let output = python.wait_with_output().expect("python3 ran");
    assert!(
        output.status.success(),
        "python3 reader failed ({}):\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    written.expect("python3 read all of stdin");
    serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "python3 printed no JSON ({error}):\n{}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .expect("a JSON list")
        .iter()
        .map(|item| item.as_str().expect("text").to_owned())
        .collect()
}

/// Each slide's text (text frames, table cells and grouped shapes) as python-pptx reads it.
fn slides(deck: &[u8]) -> Vec<String> {
    let script = r#"
import io, json
deck = pptx.Presentation(io.BytesIO(sys.stdin.buffer.read()))
def texts(shapes):
    for shape in shapes:
        if shape.has_text_frame:
            yield shape.text_frame.text
        if shape.has_table:
            for row in shape.table.rows:
                for cell in row.cells:
                    yield cell.text
        if hasattr(shape, "shapes"):
            yield from texts(shape.shapes)
print(json.dumps(["\n".join(texts(slide.shapes)) for slide in deck.slides]))
"#;
    strings(&read_back("pptx", script, deck))
}

/// The written report's paragraphs and table cells as python-docx reads them.
fn document_text(report: &[u8]) -> String {
    let script = r#"
import io, json
document = docx.Document(io.BytesIO(sys.stdin.buffer.read()))
texts = [paragraph.text for paragraph in document.paragraphs]
for table in document.tables:
    for row in table.rows:
        texts.extend(cell.text for cell in row.cells)
print(json.dumps(texts))
"#;
    strings(&read_back("docx", script, report)).join("\n")
}

/// The first sheet's non-blank rows as openpyxl reads them, dates in ISO form.
fn sheet_rows(workbook: &[u8]) -> Vec<Vec<Value>> {
    let script = r#"
import io, json
sheet = openpyxl.load_workbook(io.BytesIO(sys.stdin.buffer.read())).worksheets[0]
plain = lambda value: value.isoformat() if hasattr(value, "isoformat") else value
rows = [[plain(cell.value) for cell in row] for row in sheet.iter_rows()]
print(json.dumps([row for row in rows if any(value is not None for value in row)]))
"#;
    read_back("openpyxl", script, workbook)
        .as_array()
        .expect("rows")
        .iter()
        .map(|row| row.as_array().expect("cells").clone())
        .collect()
}

/// The row whose first cell is `reference`.
fn row_of<'a>(rows: &'a [Vec<Value>], reference: &str) -> &'a [Value] {
    rows.iter()
        .find(|row| row.first().and_then(Value::as_str) == Some(reference))
        .unwrap_or_else(|| panic!("no row for {reference} in {rows:?}"))
}

/// A workbook changed by openpyxl as a person's spreadsheet program would change it. `edits`
/// is Python run with `sheet` (the plan) and `rows` (each reference's row number) in scope,
/// which may add rows to `rows`; returns the saved bytes and the row numbers.
fn edit_workbook(workbook: &[u8], edits: &str) -> (Vec<u8>, Value) {
    let script = format!(
        r#"
import io, json, base64, datetime
book = openpyxl.load_workbook(io.BytesIO(sys.stdin.buffer.read()))
sheet = book.worksheets[0]
rows = {{sheet.cell(row=r, column=1).value: r for r in range(2, sheet.max_row + 1) if sheet.cell(row=r, column=1).value}}
def add_row(values):
    number = sheet.max_row + 1
    for column, value in enumerate(values, start=1):
        sheet.cell(row=number, column=column).value = value
    rows[values[0]] = number
{edits}
saved = io.BytesIO()
book.save(saved)
print(json.dumps({{"xlsx": base64.b64encode(saved.getvalue()).decode(), "rows": rows}}))
"#
    );
    let edited = read_back("openpyxl", &script, workbook);
    let bytes = STANDARD
        .decode(edited["xlsx"].as_str().expect("the workbook"))
        .expect("base64");
    (bytes, edited["rows"].clone())
}

// ---- Requests the test browser cannot make ----------------------------------------------

/// A file as it downloads: the body kept as bytes.
pub(crate) struct Download {
    pub(crate) status: StatusCode,
    pub(crate) content_type: String,
    pub(crate) bytes: Vec<u8>,
}

pub(crate) async fn download(browser: &Browser<'_>, path: &str) -> Download {
    let mut request = Request::get(path);
    if let Some(cookie) = &browser.cookie {
        request = request.header(COOKIE, cookie.as_str());
    }
    let response = browser
        .app
        .router
        .clone()
        .oneshot(request.body(Body::empty()).expect("request"))
        .await
        .expect("router answers");
    let status = response.status();
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
        .to_vec();
    Download {
        status,
        content_type,
        bytes,
    }
}

/// Upload `workbook` through the plan page's own form, whose action carries the form token.
async fn upload_plan(browser: &Browser<'_>, plan_page: &Page, workbook: &[u8]) -> Page {
    let body = &plan_page.body;
    let at = body
        .find("/actions/upload?csrf_token=")
        .expect("the plan page has the upload form");
    let start = body[..at].rfind('"').expect("the action's opening quote") + 1;
    let end = at + body[at..].find('"').expect("the action's closing quote");
    let boundary = "outcomes-test-boundary";
    let mut form = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"plan\"; filename=\"plan.xlsx\"\r\nContent-Type: {XLSX}\r\n\r\n"
    )
    .into_bytes();
    form.extend_from_slice(workbook);
    form.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let mut request = Request::post(&body[start..end]).header(
        CONTENT_TYPE,
        format!("multipart/form-data; boundary={boundary}"),
    );
    if let Some(cookie) = &browser.cookie {
        request = request.header(COOKIE, cookie.as_str());
    }
    browser
        .app
        .send(request.body(Body::from(form)).expect("request"))
        .await
}

// ---- Reading pages ------------------------------------------------------------------------

/// A 422 with an error summary linking to `field`, and `message` in `field`'s own error.
fn assert_error_next_to(page: &Page, field: &str, message: &str) {
    assert_eq!(
        page.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        page.body
    );
    assert!(page.body.contains("<title>Error: "), "the title says Error");
    assert!(
        page.body.contains("govuk-error-summary"),
        "an error summary"
    );
    assert!(
        page.body.contains(&format!("href=\"#{field}")),
        "the summary links to {field}"
    );
    let at = page
        .body
        .find(&format!("id=\"{field}-error\""))
        .unwrap_or_else(|| panic!("no error next to {field}: {}", page.body));
    let end = at + page.body[at..].find("</p>").expect("the message ends");
    assert!(
        page.body[at..end].contains(message),
        "{field} should say {message:?}: {}",
        &page.body[at..end]
    );
}

fn assert_redirect(page: &Page, to: &str) {
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(page.location(), Some(to));
}

/// The text in the textarea with this id.
fn textarea_text(page: &Page, id: &str) -> Option<String> {
    let marker = format!("id=\"{id}\"");
    page.body.match_indices("<textarea").find_map(|(at, _)| {
        let open_end = at + page.body[at..].find('>')?;
        if !page.body[at..open_end].contains(&marker) {
            return None;
        }
        let end = open_end + page.body[open_end..].find("</textarea>")?;
        Some(page.body[open_end + 1..end].to_owned())
    })
}

/// The page from `marker` to the next `until` (or the end): one item of a list.
fn block<'a>(page: &'a Page, marker: &str, until: &str) -> &'a str {
    let at = page
        .body
        .find(marker)
        .unwrap_or_else(|| panic!("{marker:?} is not on the page: {}", page.body));
    let rest = &page.body[at + marker.len()..];
    &page.body[at..at + marker.len() + rest.find(until).unwrap_or(rest.len())]
}

/// The smallest `<tag …>…</tag>` element around the first `marker`.
fn element_around<'a>(page: &'a Page, tag: &str, marker: &str) -> &'a str {
    let at = page
        .body
        .find(marker)
        .unwrap_or_else(|| panic!("{marker:?} is not on the page: {}", page.body));
    let start = page.body[..at]
        .rfind(&format!("<{tag}"))
        .expect("an opening tag");
    let end = at
        + page.body[at..]
            .find(&format!("</{tag}>"))
            .expect("a closing tag");
    &page.body[start..end]
}

/// Each row of the upload's problem table: row number, column and message.
fn upload_problems(page: &Page) -> Vec<(String, String, String)> {
    let at = page
        .body
        .find("id=\"upload-problems\"")
        .expect("a table of problems");
    let table = &page.body[at..at + page.body[at..].find("</table>").expect("table ends")];
    let cells: Vec<String> = table
        .split("class=\"govuk-table__cell\">")
        .skip(1)
        .map(|cell| cell[..cell.find("</td>").expect("cell ends")].to_owned())
        .collect();
    cells
        .chunks(3)
        .map(|row| (row[0].clone(), row[1].clone(), row[2].clone()))
        .collect()
}

// ---- Challenges at the stage each test needs ---------------------------------------------

/// A one-day challenge on the day of its visit, with the visit fixture's activity and case.
async fn challenge_on_the_day(store: &Store) -> (ChallengeId, ActivityId) {
    let fixture = challenge_in(store, "nottingham", ChallengeState::TeamConfirmed).await;
    let visit = add_visit_fixtures(store, fixture.challenge, &fixture.team).await;
    for (from, to) in [
        (ChallengeState::TeamConfirmed, ChallengeState::Scheduled),
        (ChallengeState::Scheduled, ChallengeState::Visit),
    ] {
        store
            .move_challenge(
                &fixture.coordinator,
                fixture.challenge,
                from,
                to,
                None,
                Utc::now(),
            )
            .await
            .expect("move on");
    }
    (fixture.challenge, visit.activity)
}

const TWO_DAY_KLOES: [&str; 2] = [
    "How well are families involved in writing plans?",
    "How quickly are needs assessed?",
];

/// A two-day challenge for `host` with two agreed KLOEs, moved on to reporting (the store
/// moves it as the lifecycle allows; readiness is the pages' check, not needed here).
async fn two_day_challenge_in_reporting(store: &Store, host: &str) -> ChallengeId {
    let coordinator = principal_of(store, COORDINATOR).await;
    let now = Utc::now();
    let theme = ThemeCode::parse("COPRODUCTION").expect("theme");
    let request = ChallengeRequest {
        kind: ChallengeKind::TwoDay,
        format: VisitFormat::OnSite,
        partners: vec![],
        windows: vec![],
        focus: "Co-production and timely assessment".into(),
        kloes: TWO_DAY_KLOES
            .iter()
            .map(|question| Kloe {
                question: (*question).into(),
                themes: vec![theme.clone()],
            })
            .collect(),
    };
    let host = AuthoritySlug::parse(host).expect("slug");
    let challenge = store
        .request_challenge(&coordinator, &host, &request, now)
        .await
        .expect("request");
    store
        .agree_kloes(&coordinator, challenge, now)
        .await
        .expect("agree");
    store
        .move_challenge(
            &coordinator,
            challenge,
            ChallengeState::Requested,
            ChallengeState::Scoping,
            None,
            now,
        )
        .await
        .expect("scoping");
    let plan = VisitPlan {
        days: visit_days(future_weekday(), 2),
        seats: ChallengeKind::TwoDay.default_seats(),
    };
    store
        .plan_visit(&coordinator, challenge, &plan, now)
        .await
        .expect("visit");
    let stages = [
        ChallengeState::Scoping,
        ChallengeState::TeamProposed,
        ChallengeState::TeamConfirmed,
        ChallengeState::Scheduled,
        ChallengeState::Visit,
        ChallengeState::Reporting,
    ];
    for pair in stages.windows(2) {
        store
            .move_challenge(&coordinator, challenge, pair[0], pair[1], None, now)
            .await
            .expect("move on");
    }
    challenge
}

async fn add_finding(browser: &mut Browser<'_>, challenge: ChallengeId, finding: [&str; 3]) {
    let [kloe, kind, text] = finding;
    let page = browser
        .post(
            &format!("/challenges/{challenge}/findings"),
            &[("kloe", kloe), ("kind", kind), ("text", text)],
        )
        .await;
    assert_redirect(
        &page,
        &format!("/challenges/{challenge}/findings?notice=added"),
    );
}

async fn newest_version(
    store: &Store,
    challenge: ChallengeId,
    format: ReportFormat,
) -> ReportVersion {
    store
        .report_versions(challenge)
        .await
        .expect("versions")
        .into_iter()
        .filter(|version| version.format == format)
        .max_by_key(|version| version.version)
        .expect("a version")
}

async fn state_of(store: &Store, challenge: ChallengeId) -> ChallengeState {
    store
        .challenge(challenge)
        .await
        .expect("load")
        .expect("the challenge")
        .state
}

/// Share then finalise a version as its writer does, from the reports page's buttons.
async fn share_and_finalise(
    browser: &mut Browser<'_>,
    challenge: ChallengeId,
    version: &ReportVersion,
) {
    let reports = format!("/challenges/{challenge}/reports");
    let shared = browser
        .post(&format!("{reports}/{}/share", version.id), &[])
        .await;
    assert_redirect(&shared, &format!("{reports}?notice=shared"));
    let confirm = browser
        .get(&format!("{reports}/{}/final", version.id))
        .await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(confirm.body.contains("A final report cannot be changed"));
    let made_final = browser
        .post(
            &format!("{reports}/{}/final", version.id),
            &[("confirm", "yes")],
        )
        .await;
    assert_redirect(&made_final, &format!("{reports}?notice=final"));
}

async fn move_to_next_steps(browser: &mut Browser<'_>, challenge: ChallengeId) -> Page {
    browser
        .post(
            &format!("/challenges/{challenge}/move"),
            &[("to", "next_steps")],
        )
        .await
}

// ---- Evidence -------------------------------------------------------------------------------

async fn evidence_is_checked_kept_as_typed_and_private_until_recorded(app: TestApp) {
    let (challenge, activity) = challenge_on_the_day(&app.store).await;
    let activity = activity.to_string();
    let author_id = principal_of(&app.store, COORDINATOR).await.user_id;
    let evidence = format!("/challenges/{challenge}/evidence");
    // Nobody has accepted a seat: the co-ordinator, who leads every challenge's findings,
    // records the evidence.
    let mut author = app.browser_as(Who::Coordinator).await;

    let form = author.get(&evidence).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(form.body.contains("name=\"save\" value=\"draft\""));
    assert!(
        form.body
            .contains(&format!("<option value=\"{activity}\">")),
        "the timetable's activity is offered"
    );

    // Nothing chosen: every problem next to its field, in the order of the form.
    let empty = author.post(&evidence, &[("save", "record")]).await;
    let fields = ["activity", "kloe", "kind", "note"];
    let messages = [
        "Select the activity the evidence comes from",
        "Select the KLOE the evidence is about",
        "Select whether this is a strength, an area for development or other",
        "Enter the note",
    ];
    for (field, message) in fields.iter().zip(messages) {
        assert_error_next_to(&empty, field, message);
    }
    let links: Vec<usize> = fields
        .iter()
        .filter_map(|field| empty.body.find(&format!("href=\"#{field}\"")))
        .collect();
    assert!(
        links.is_sorted() && links.len() == 4,
        "in the order of the form"
    );

    // Half answered: the rest of the answers come back as typed.
    let heard = "Parents described long waits for speech and language therapy";
    let half = author
        .post(
            &evidence,
            &[
                ("activity", &activity),
                ("case_reference", "NOT-2027-01"),
                ("note", heard),
                ("save", "record"),
            ],
        )
        .await;
    assert_error_next_to(&half, "kloe", messages[1]);
    assert_error_next_to(&half, "kind", messages[2]);
    assert!(!half.body.contains("id=\"activity-error\""));
    assert!(
        half.body
            .contains(&format!("<option value=\"{activity}\" selected>"))
    );
    assert!(
        half.body
            .contains("<option value=\"NOT-2027-01\" selected>")
    );
    assert_eq!(textarea_text(&half, "note").as_deref(), Some(heard));

    // An NHS number is refused even in a draft, and nothing is kept but the page.
    let identifying = "Spoke about NHS number 943 476 5919 at the interview";
    let refused = author
        .post(
            &evidence,
            &[("kloe", "1"), ("note", identifying), ("save", "draft")],
        )
        .await;
    assert_error_next_to(&refused, "note", "This looks like an NHS number");
    assert!(
        refused.body.contains("value=\"1\" checked"),
        "the KLOE kept"
    );
    assert_eq!(
        textarea_text(&refused, "note").as_deref(),
        Some(identifying)
    );
    let own = app
        .store
        .own_evidence(challenge, author_id)
        .await
        .expect("own notes");
    assert!(own.is_empty(), "nothing stored: {own:?}");

    // A draft with only a note is kept for its author alone.
    let draft = "Therapy waits came up in two interviews";
    let saved = author
        .post(&evidence, &[("note", draft), ("save", "draft")])
        .await;
    assert_redirect(&saved, &format!("{evidence}?notice=draft"));
    let own = app
        .store
        .own_evidence(challenge, author_id)
        .await
        .expect("own notes");
    assert_eq!(own.len(), 1);
    assert!(!own[0].recorded);
    assert_eq!(
        (
            own[0].entry.note.as_str(),
            own[0].entry.kloe,
            own[0].entry.kind
        ),
        (draft, None, None)
    );
    let page = author.get(&format!("{evidence}?notice=draft")).await;
    assert!(page.body.contains("Your draft has been saved"));
    let note = element_around(&page, "li", draft);
    assert!(note.contains(">Draft</strong>"), "{note}");
    assert!(
        page.body.contains("No evidence has been recorded yet."),
        "not in the team's table"
    );
    let mut colleague = app.browser_as(Who::ProjectManager).await;
    let theirs = colleague.get(&evidence).await;
    assert_eq!(theirs.status, StatusCode::OK);
    assert!(!theirs.body.contains(draft), "a draft is its author's");
    assert!(theirs.body.contains("No evidence has been recorded yet."));

    // Finished and recorded, it joins the team's table.
    let note_href = format!("{evidence}/{}", own[0].id);
    let finish = author.get(&note_href).await;
    assert_eq!(textarea_text(&finish, "note").as_deref(), Some(draft));
    let recorded = author
        .post(
            &note_href,
            &[
                ("activity", &activity),
                ("kloe", "1"),
                ("case_reference", "NOT-2027-01"),
                ("kind", "development"),
                ("note", draft),
                ("save", "record"),
            ],
        )
        .await;
    assert_redirect(&recorded, &format!("{evidence}?notice=recorded"));
    let theirs = colleague.get(&evidence).await;
    let row = element_around(&theirs, "tr", draft);
    for cell in [
        "KLOE 1",
        "Area for development",
        "NOT-2027-01",
        "Coordinator Person",
    ] {
        assert!(row.contains(cell), "{cell} in {row}");
    }
    let own = app
        .store
        .own_evidence(challenge, author_id)
        .await
        .expect("own notes");
    assert!(own[0].recorded);
}

app_test!(
    evidence_is_checked_kept_as_typed_and_private_until_recorded,
    evidence_is_checked_kept_as_typed_and_private_until_recorded
);

/// "Save as draft" on a note already recorded must not weaken it: a recorded note is checked
/// in full whichever button is pressed, because the team reads it.
async fn saving_a_recorded_note_as_a_draft_keeps_it_whole(app: TestApp) {
    let (challenge, activity) = challenge_on_the_day(&app.store).await;
    let author_id = principal_of(&app.store, COORDINATOR).await.user_id;
    let evidence = format!("/challenges/{challenge}/evidence");
    let mut author = app.browser_as(Who::Coordinator).await;
    let recorded = author
        .post(
            &evidence,
            &[
                ("activity", &activity.to_string()),
                ("kloe", "1"),
                ("kind", "strength"),
                ("note", "The SENCO knows every plan well"),
                ("save", "record"),
            ],
        )
        .await;
    assert_redirect(&recorded, &format!("{evidence}?notice=recorded"));
    let before = app
        .store
        .own_evidence(challenge, author_id)
        .await
        .expect("own notes")
        .pop()
        .expect("the note");

    let draft = author
        .post(
            &format!("{evidence}/{}", before.id),
            &[("note", "The SENCO knows"), ("save", "draft")],
        )
        .await;
    assert_ne!(
        draft.location(),
        Some(format!("{evidence}?notice=draft").as_str()),
        "a recorded note cannot go back to being a private draft"
    );
    let after = app
        .store
        .own_evidence(challenge, author_id)
        .await
        .expect("own notes")
        .pop()
        .expect("the note");
    assert!(after.recorded);
    assert_eq!(
        (after.entry.kloe, after.entry.kind, after.entry.activity),
        (before.entry.kloe, before.entry.kind, before.entry.activity),
        "a recorded note keeps its KLOE, kind and activity"
    );
    let findings = author
        .get(&format!("/challenges/{challenge}/findings"))
        .await;
    assert!(
        !findings.body.contains("KLOE 0"),
        "no evidence without a KLOE"
    );
}

/// An evidence note past its limit is refused next to the field, kept as typed, and not
/// stored, draft or not.
async fn a_huge_evidence_note_is_refused_and_kept(app: TestApp) {
    let (challenge, _) = challenge_on_the_day(&app.store).await;
    let author_id = principal_of(&app.store, COORDINATOR).await.user_id;
    let evidence = format!("/challenges/{challenge}/evidence");
    let mut author = app.browser_as(Who::Coordinator).await;
    let form = author.get(&evidence).await;
    assert!(form.body.contains("Up to 10,000 characters."), "the hint");
    let huge = "Waits came up again. ".repeat(45_000);
    for save in ["draft", "record"] {
        let page = author
            .post(&evidence, &[("note", &huge), ("save", save)])
            .await;
        assert_error_next_to(&page, "note", "Note must be 10,000 characters or fewer");
        assert_eq!(
            textarea_text(&page, "note").as_deref(),
            Some(huge.as_str()),
            "kept as typed"
        );
    }
    let page = author
        .post(&evidence, &[("note", "Waits \u{1b}[2J"), ("save", "draft")])
        .await;
    assert_error_next_to(&page, "note", "Note must not contain control characters");
    let own = app
        .store
        .own_evidence(challenge, author_id)
        .await
        .expect("own notes");
    assert!(own.is_empty(), "nothing stored");
}

app_test!(
    a_huge_evidence_note_is_refused_and_kept,
    a_huge_evidence_note_is_refused_and_kept
);

app_test!(
    saving_a_recorded_note_as_a_draft_keeps_it_whole,
    saving_a_recorded_note_as_a_draft_keeps_it_whole
);

// ---- Findings -------------------------------------------------------------------------------

async fn findings_sit_under_their_kloe_with_evidence_and_comments(app: TestApp) {
    let fixture = reporting_challenge(&app.store, "nottingham").await;
    let findings = format!("/challenges/{}/findings", fixture.challenge);
    let note = fixture.note.to_string();
    let mut lead = app.browser_as(Who::Coordinator).await;

    // The kind forgotten: the error beside it, the words and the ticked evidence kept.
    let text = "Publish a timetable for annual reviews";
    let forgotten = lead
        .post(
            &findings,
            &[("kloe", "1"), ("text", text), ("evidence", &note)],
        )
        .await;
    assert_error_next_to(
        &forgotten,
        "kind",
        "Select whether this is a strength, an area for development or a recommendation",
    );
    assert_eq!(textarea_text(&forgotten, "text").as_deref(), Some(text));
    assert!(
        forgotten
            .body
            .contains(&format!("value=\"{note}\" checked"))
    );
    let stored = app
        .store
        .findings(fixture.challenge)
        .await
        .expect("findings");
    assert_eq!(stored.len(), 1, "only the fixture's");

    let added = lead
        .post(
            &findings,
            &[
                ("kloe", "1"),
                ("kind", "recommendation"),
                ("text", text),
                ("evidence", &note),
            ],
        )
        .await;
    assert_redirect(&added, &format!("{findings}?notice=added"));
    let recommendation = app
        .store
        .findings(fixture.challenge)
        .await
        .expect("findings")
        .into_iter()
        .find(|finding| finding.entry.text == text)
        .expect("the new finding");
    assert_eq!(recommendation.entry.kind, FindingKind::Recommendation);
    assert_eq!(recommendation.entry.evidence, [fixture.note]);

    let page = lead.get(&format!("{findings}?notice=added")).await;
    assert!(page.body.contains("The finding has been added"));
    let at = |marker: &str| {
        page.body
            .find(marker)
            .unwrap_or_else(|| panic!("{marker} is not on the page"))
    };
    let mine = format!("id=\"finding-{}\"", recommendation.id);
    let theirs = format!("id=\"finding-{}\"", fixture.finding);
    assert!(at(&format!("KLOE 1: {FIXTURE_KLOE}")) < at(">Strengths</h3>"));
    assert!(at(">Strengths</h3>") < at(&theirs));
    assert!(at(&theirs) < at(">Areas for development</h3>"));
    assert!(
        at(">Recommendations</h3>") < at(&mine),
        "under Recommendations"
    );
    let item = block(&page, &mine, "class=\"app-note\"");
    assert!(item.contains(text));
    assert!(item.contains("Evidence behind it (1)"), "{item}");
    assert!(item.contains(FIXTURE_NOTE), "the evidence shown with it");

    // A colleague's comment: an empty one or one with a postcode is refused beside that
    // finding's box, with what was typed kept there and nowhere else.
    let mut colleague = app.browser_as(Who::ProjectManager).await;
    let comments = format!("{findings}/{}/comments", recommendation.id);
    let field = format!("comment-{}", recommendation.id);
    let other_field = format!("comment-{}", fixture.finding);
    let empty = colleague.post(&comments, &[("comment", "  ")]).await;
    assert_error_next_to(&empty, &field, "Enter the comment");
    assert!(!empty.body.contains(&format!("id=\"{other_field}-error\"")));
    let identifying = "The case at NG1 5FS shows this";
    let refused = colleague.post(&comments, &[("comment", identifying)]).await;
    assert_error_next_to(&refused, &field, "This looks like a full postcode");
    assert_eq!(
        textarea_text(&refused, &field).as_deref(),
        Some(identifying)
    );
    assert_eq!(textarea_text(&refused, &other_field).as_deref(), Some(""));

    let comment = "Agreed, and name who publishes it";
    let sent = colleague.post(&comments, &[("comment", comment)]).await;
    assert_redirect(&sent, &format!("{findings}?notice=commented"));
    let page = colleague.get(&findings).await;
    let item = block(&page, &mine, "class=\"app-note\"");
    assert!(
        item.contains(&format!(
            "<strong>ProjectManager Person</strong>: {comment}"
        )),
        "{item}"
    );
    let stored = app
        .store
        .findings(fixture.challenge)
        .await
        .expect("findings");
    let comments: Vec<&str> = stored
        .iter()
        .flat_map(|finding| finding.comments.iter().map(|c| c.text.as_str()))
        .collect();
    assert_eq!(comments, [comment], "only the accepted comment is stored");
}

app_test!(
    findings_sit_under_their_kloe_with_evidence_and_comments,
    findings_sit_under_their_kloe_with_evidence_and_comments
);

// ---- Reports --------------------------------------------------------------------------------

async fn a_slide_deck_goes_from_draft_to_shared_to_final_before_next_steps(app: TestApp) {
    // Hosted by Derby, so the test's LA lead is the host.
    let fixture = reporting_challenge(&app.store, "derby").await;
    let id = fixture.challenge;
    let reports = format!("/challenges/{id}/reports");
    let development = "Plans are not reviewed within a year";
    let recommendation = "Publish a timetable for annual reviews";
    let mut writer = app.browser_as(Who::Coordinator).await;
    add_finding(&mut writer, id, ["1", "development", development]).await;
    add_finding(&mut writer, id, ["1", "recommendation", recommendation]).await;

    // A one-day challenge's slides are its report: no written report to make.
    let written = writer.post(&reports, &[("format", "docx")]).await;
    assert_eq!(written.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(written.body.contains("Choose which report to make"));

    let made = writer.post(&reports, &[("format", "pptx")]).await;
    assert_redirect(&made, &format!("{reports}?notice=made"));
    let draft = newest_version(&app.store, id, ReportFormat::SlideDeck).await;
    assert_eq!((draft.version, draft.status), (2, ReportStatus::Draft));
    let draft_href = format!("{reports}/{}", draft.id);
    let deck = download(&writer, &draft_href).await;
    assert_eq!(deck.status, StatusCode::OK);
    assert_eq!(deck.content_type, PPTX);
    let text = slides(&deck.bytes).join("\n");
    for expected in [FIXTURE_KLOE, FIXTURE_FINDING, development, recommendation] {
        assert!(
            text.contains(expected),
            "{expected:?} in the slides:\n{text}"
        );
    }

    // The host sees only what has been shared with them.
    let mut host = app.browser_as(Who::LeadOfDerby).await;
    let shared_href = format!("{reports}/{}", fixture.version);
    let page = host.get(&reports).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains(&shared_href),
        "the shared version is listed"
    );
    assert!(!page.body.contains(&draft_href), "the draft is not");
    assert_eq!(
        download(&host, &draft_href).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(download(&host, &shared_href).await.status, StatusCode::OK);
    let not_theirs = host.post(&format!("{draft_href}/share"), &[]).await;
    assert_eq!(not_theirs.status, StatusCode::FORBIDDEN);

    let shared = writer.post(&format!("{draft_href}/share"), &[]).await;
    assert_redirect(&shared, &format!("{reports}?notice=shared"));
    let page = host.get(&reports).await;
    assert!(page.body.contains(&draft_href), "shared now");
    let seen = download(&host, &draft_href).await;
    assert_eq!(seen.status, StatusCode::OK);
    assert_eq!(seen.bytes, deck.bytes, "the same file the team made");

    // The host's accuracy check: a comment is required, and shown with the version.
    let comments = format!("{draft_href}/comments");
    let field = format!("comment-{}", draft.id);
    let empty = host.post(&comments, &[("comment", "")]).await;
    assert_error_next_to(&empty, &field, "Enter the comment");
    let comment = "Slide 4 should say 40 plans were sampled, not 30";
    let sent = host.post(&comments, &[("comment", comment)]).await;
    assert_redirect(&sent, &format!("{reports}?notice=commented"));
    let page = writer.get(&reports).await;
    let version = block(
        &page,
        &format!("id=\"version-{}\"", draft.id),
        "class=\"app-note\"",
    );
    assert!(
        version.contains(&format!("<strong>LeadOfDerby Person</strong>: {comment}")),
        "{version}"
    );
    let stored = newest_version(&app.store, id, ReportFormat::SlideDeck).await;
    assert_eq!(stored.status, ReportStatus::Shared);
    assert_eq!(stored.comments.len(), 1);

    // Next steps wait for the final report.
    let early = move_to_next_steps(&mut writer, id).await;
    assert_eq!(early.status, StatusCode::CONFLICT);
    assert!(
        early
            .body
            .contains("1 report(s) must be made final before next steps")
    );
    assert_eq!(state_of(&app.store, id).await, ChallengeState::Reporting);

    // "Make final" asks first: a post without the confirmation's answer changes nothing.
    let unconfirmed = writer.post(&format!("{draft_href}/final"), &[]).await;
    assert_redirect(&unconfirmed, &format!("{draft_href}/final"));
    let stored = newest_version(&app.store, id, ReportFormat::SlideDeck).await;
    assert_eq!(stored.status, ReportStatus::Shared);
    let made_final = writer
        .post(&format!("{draft_href}/final"), &[("confirm", "yes")])
        .await;
    assert_redirect(&made_final, &format!("{reports}?notice=final"));
    let stored = newest_version(&app.store, id, ReportFormat::SlideDeck).await;
    assert_eq!((stored.version, stored.status), (2, ReportStatus::Final));
    let after_final = writer.post(&reports, &[("format", "pptx")]).await;
    assert_eq!(after_final.status, StatusCode::CONFLICT);
    assert!(after_final.body.contains("This report is final"));

    let moved = move_to_next_steps(&mut writer, id).await;
    assert_redirect(&moved, &format!("/challenges/{id}?notice=moved"));
    assert_eq!(state_of(&app.store, id).await, ChallengeState::NextSteps);
}

app_test!(
    a_slide_deck_goes_from_draft_to_shared_to_final_before_next_steps,
    a_slide_deck_goes_from_draft_to_shared_to_final_before_next_steps
);

async fn a_two_day_challenge_owes_a_written_report_too(app: TestApp) {
    let id = two_day_challenge_in_reporting(&app.store, "derby").await;
    let reports = format!("/challenges/{id}/reports");
    let mut writer = app.browser_as(Who::Coordinator).await;
    let heard = "Assessments wait for health advice";
    let recorded = writer
        .post(
            &format!("/challenges/{id}/evidence"),
            &[
                ("kloe", "2"),
                ("kind", "development"),
                ("note", heard),
                ("save", "record"),
            ],
        )
        .await;
    assert_eq!(recorded.status, StatusCode::SEE_OTHER, "{}", recorded.body);
    let note = app
        .store
        .recorded_evidence_ids(id)
        .await
        .expect("evidence")
        .pop()
        .expect("the note")
        .to_string();
    let findings = [
        ["1", "strength", "Families co-write most plans"],
        [
            "1",
            "recommendation",
            "Extend co-production to annual reviews",
        ],
        [
            "2",
            "recommendation",
            "Agree six-week timescales for health advice",
        ],
    ];
    for finding in findings {
        add_finding(&mut writer, id, finding).await;
    }
    let development = "Few assessments finish within twenty weeks";
    let with_evidence = writer
        .post(
            &format!("/challenges/{id}/findings"),
            &[
                ("kloe", "2"),
                ("kind", "development"),
                ("text", development),
                ("evidence", &note),
            ],
        )
        .await;
    assert_eq!(with_evidence.status, StatusCode::SEE_OTHER);

    for format in ["pptx", "docx"] {
        let made = writer.post(&reports, &[("format", format)]).await;
        assert_redirect(&made, &format!("{reports}?notice=made"));
    }
    let deck_version = newest_version(&app.store, id, ReportFormat::SlideDeck).await;
    let report_version = newest_version(&app.store, id, ReportFormat::WrittenReport).await;
    let deck = download(&writer, &format!("{reports}/{}", deck_version.id)).await;
    let report = download(&writer, &format!("{reports}/{}", report_version.id)).await;
    assert_eq!(
        (deck.status, deck.content_type.as_str()),
        (StatusCode::OK, PPTX)
    );
    assert_eq!(
        (report.status, report.content_type.as_str()),
        (StatusCode::OK, DOCX)
    );
    let expected: Vec<&str> = TWO_DAY_KLOES
        .iter()
        .copied()
        .chain(findings.iter().map(|[_, _, text]| *text))
        .chain([development])
        .collect();
    let slide_text = slides(&deck.bytes).join("\n");
    let report_text = document_text(&report.bytes);
    for text in &expected {
        assert!(
            slide_text.contains(text),
            "{text:?} in the slides:\n{slide_text}"
        );
        assert!(
            report_text.contains(text),
            "{text:?} in the report:\n{report_text}"
        );
    }
    // The evidence is cited by where it came from, never quoted: working notes are deleted
    // after the reports are final, and the report is kept.
    assert!(
        report_text.contains("Evidence: the team's notes of the visit"),
        "the report says where the evidence came from"
    );
    assert!(
        !report_text.contains(heard) && !slide_text.contains(heard),
        "a working note is not quoted word for word"
    );

    // Both reports must be final before next steps.
    share_and_finalise(&mut writer, id, &deck_version).await;
    let early = move_to_next_steps(&mut writer, id).await;
    assert_eq!(early.status, StatusCode::CONFLICT);
    assert!(
        early
            .body
            .contains("1 report(s) must be made final before next steps")
    );
    share_and_finalise(&mut writer, id, &report_version).await;
    let moved = move_to_next_steps(&mut writer, id).await;
    assert_redirect(&moved, &format!("/challenges/{id}?notice=moved"));
    assert_eq!(state_of(&app.store, id).await, ChallengeState::NextSteps);
}

app_test!(
    a_two_day_challenge_owes_a_written_report_too,
    a_two_day_challenge_owes_a_written_report_too
);

// ---- Next steps -----------------------------------------------------------------------------

/// An action as the host's lead types it into the web form.
const NEW_ACTION: [(&str, &str); 18] = [
    ("reference", "der-2"),
    (
        "answers",
        "Recommendation 1: publish a timetable for annual reviews",
    ),
    ("theme", "COPRODUCTION"),
    (
        "action",
        "Publish the annual review timetable with the parent carer forum",
    ),
    ("owner", "Head of SEND"),
    ("partners", "Parent carer forum"),
    ("start-day", "1"),
    ("start-month", "9"),
    ("start-year", "2027"),
    ("due-day", "31"),
    ("due-month", "3"),
    ("due-year", "2028"),
    (
        "milestones",
        "Draft timetable by October\nPublished by January",
    ),
    ("baseline", "12 of 40 reviews on time"),
    ("target", "36 of 40 reviews on time"),
    ("rag", "amber"),
    ("progress", "01/09/2026: Timetable drafted with the forum"),
    ("impact", "Families say they know when reviews happen"),
];

fn answer(field: &str) -> &'static str {
    NEW_ACTION
        .iter()
        .find(|(name, _)| *name == field)
        .map(|(_, value)| *value)
        .expect("a field of the form")
}

/// The form with some answers changed.
fn new_action_with(changes: &[(&str, &'static str)]) -> Vec<(&'static str, &'static str)> {
    NEW_ACTION
        .iter()
        .map(|(name, value)| {
            let changed = changes.iter().find(|(field, _)| field == name);
            (*name, changed.map_or(*value, |(_, new)| *new))
        })
        .collect()
}

/// The plan and every action's history, to compare before and after.
async fn plan_and_history(
    store: &Store,
    challenge: ChallengeId,
) -> (Vec<PlannedAction>, Vec<Vec<ActionChange>>) {
    let plan = store.action_plan(challenge).await.expect("plan");
    let mut histories = Vec::new();
    for action in &plan {
        histories.push(store.action_history(action.id).await.expect("history"));
    }
    (plan, histories)
}

fn planned<'a>(plan: &'a [PlannedAction], reference: &str) -> &'a PlannedAction {
    plan.iter()
        .find(|action| action.entry.reference == reference)
        .unwrap_or_else(|| panic!("{reference} is not in the plan"))
}

fn day(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("a date")
}

async fn the_action_plan_is_kept_on_the_web_and_as_a_spreadsheet(app: TestApp) {
    let fixture = next_steps_challenge(&app.store, "derby").await;
    let id = fixture.challenge;
    let plan_href = format!("/challenges/{id}/actions");
    let mut lead = app.browser_as(Who::LeadOfDerby).await;

    let form = lead.get(&format!("{plan_href}/new")).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    // The form is built from the table of an action's fields: every one is asked, in order.
    let mut from = 0;
    for field in &domain::next_steps::ACTION_FIELDS {
        let id = match field.shape {
            domain::next_steps::FieldShape::Date => format!("{}-day", field.key),
            _ => field.key.to_owned(),
        };
        let at = form.body[from..]
            .find(&format!("name=\"{id}\""))
            .unwrap_or_else(|| panic!("{id} is on the form, after the fields before it"));
        from += at;
        assert!(form.body.contains(&field.form_label()), "{}", field.key);
    }

    // Due before it starts, and a theme that does not exist: both said, every answer kept.
    let bad = new_action_with(&[
        ("theme", "NOT_A_THEME"),
        ("due-day", "1"),
        ("due-month", "6"),
        ("due-year", "2027"),
    ]);
    let page = lead.post(&format!("{plan_href}/new"), &bad).await;
    assert_error_next_to(&page, "theme", "Select the theme the action addresses");
    assert_error_next_to(
        &page,
        "due",
        "The due date must be the same as or after the start date",
    );
    assert!(
        page.body.contains("href=\"#due-day\""),
        "links to the day box"
    );
    for field in [
        "reference",
        "owner",
        "partners",
        "start-day",
        "start-month",
        "start-year",
        "baseline",
        "target",
    ] {
        assert_eq!(
            page.input_value(field).as_deref(),
            Some(answer(field)),
            "{field} kept"
        );
    }
    assert_eq!(page.input_value("due-month").as_deref(), Some("6"));
    for field in ["answers", "action", "milestones", "progress", "impact"] {
        assert_eq!(
            textarea_text(&page, field).as_deref(),
            Some(answer(field)),
            "{field} kept"
        );
    }
    assert!(page.body.contains("value=\"amber\" checked"));
    assert_eq!(app.store.action_plan(id).await.expect("plan").len(), 1);

    let added = lead.post(&format!("{plan_href}/new"), &NEW_ACTION).await;
    assert_redirect(&added, &format!("{plan_href}?notice=added"));
    let plan = app.store.action_plan(id).await.expect("plan");
    let action = planned(&plan, "DER-2");
    let entry = &action.entry;
    assert_eq!(entry.answers, answer("answers"));
    assert_eq!(entry.theme.as_str(), "COPRODUCTION");
    assert_eq!(
        (entry.start, entry.due),
        (day(2027, 9, 1), day(2028, 3, 31))
    );
    assert_eq!(entry.rag, Rag::Amber);
    assert_eq!(entry.progress.len(), 1);
    assert_eq!(entry.progress[0].on, day(2026, 9, 1));

    // The spreadsheet holds every field of the action in its row.
    let sheet = download(&lead, &format!("{plan_href}.xlsx")).await;
    assert_eq!(
        (sheet.status, sheet.content_type.as_str()),
        (StatusCode::OK, XLSX)
    );
    let rows = sheet_rows(&sheet.bytes);
    assert_eq!(rows[0][0], "Reference");
    assert_eq!(
        row_of(&rows, "DER-2"),
        json!([
            "DER-2",
            answer("answers"),
            "COPRODUCTION",
            answer("action"),
            answer("owner"),
            answer("partners"),
            "2027-09-01T00:00:00",
            "2028-03-31T00:00:00",
            answer("milestones"),
            answer("baseline"),
            answer("target"),
            "Amber",
            answer("progress"),
            answer("impact"),
        ])
        .as_array()
        .expect("a row")
        .as_slice()
    );
    assert_eq!(
        row_of(&rows, "LEI-1")[11],
        "Amber",
        "the fixture's action too"
    );

    // Uploaded back unchanged, it changes nothing.
    let before = plan_and_history(&app.store, id).await;
    let plan_page = lead.get(&plan_href).await;
    let unchanged = upload_plan(&lead, &plan_page, &sheet.bytes).await;
    let applied = format!("{plan_href}?notice=uploaded&added=0&changed=0");
    assert_redirect(&unchanged, &applied);
    let page = lead.get(&applied).await;
    assert!(
        page.body
            .contains("The spreadsheet has been applied: 0 action(s) added, 0 changed")
    );
    assert_eq!(plan_and_history(&app.store, id).await, before);

    // Changed in openpyxl: one RAG to Green and a new row (one date a real date cell, the
    // other typed as text). Both apply, each with a history row.
    let (edited, _) = edit_workbook(
        &sheet.bytes,
        r#"
sheet.cell(row=rows["DER-2"], column=12).value = "Green"
add_row(["DER-3", "Recommendation 2: agree health advice timescales", "HEALTH",
         "Agree six-week timescales for health advice", "Designated clinical officer", None,
         datetime.datetime(2027, 10, 1), "31/12/2027", None, None, None, "Red", None, None])
"#,
    );
    let plan_page = lead.get(&plan_href).await;
    let good = upload_plan(&lead, &plan_page, &edited).await;
    assert_redirect(
        &good,
        &format!("{plan_href}?notice=uploaded&added=1&changed=1"),
    );
    let (plan, _) = plan_and_history(&app.store, id).await;
    let changed = planned(&plan, "DER-2");
    assert_eq!(changed.entry.rag, Rag::Green);
    let history = app.store.action_history(changed.id).await.expect("history");
    assert_eq!(history.len(), 2, "{history:?}");
    assert_eq!(history[1].summary, "RAG Amber to Green");
    let new = planned(&plan, "DER-3");
    assert_eq!(new.entry.theme.as_str(), "HEALTH");
    assert_eq!(new.entry.owner, "Designated clinical officer");
    assert_eq!(
        (new.entry.start, new.entry.due),
        (day(2027, 10, 1), day(2027, 12, 31))
    );
    assert_eq!(new.entry.rag, Rag::Red);
    let history = app.store.action_history(new.id).await.expect("history");
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].summary, "Added to the plan");
    assert_eq!(planned(&plan, "LEI-1").entry.rag, Rag::Amber);

    // A bad upload: a good change in one row, an impossible date in another and an unknown
    // theme in a new one. Refused whole, every problem listed by row and column.
    let sheet = download(&lead, &format!("{plan_href}.xlsx")).await;
    let (edited, rows) = edit_workbook(
        &sheet.bytes,
        r#"
sheet.cell(row=rows["DER-2"], column=12).value = "Red"
sheet.cell(row=rows["DER-3"], column=7).value = "31/02/2027"
add_row(["DER-4", "Recommendation 3", "NOT_A_THEME", "Refresh the local offer",
         "Head of SEND", None, "01/01/2028", "30/06/2028", None, None, None, "Amber", None, None])
"#,
    );
    let before = plan_and_history(&app.store, id).await;
    let plan_page = lead.get(&plan_href).await;
    let refused = upload_plan(&lead, &plan_page, &edited).await;
    assert_error_next_to(
        &refused,
        "plan",
        "The spreadsheet has 2 problem(s), listed below: nothing was changed",
    );
    let problems = upload_problems(&refused);
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert_eq!(problems[0].0, rows["DER-3"].to_string());
    assert_eq!(problems[0].1, "Start date");
    assert!(problems[0].2.contains("Start date must be a real date"));
    assert_eq!(problems[1].0, rows["DER-4"].to_string());
    // The form calls the column "Theme"; the spreadsheet's heading is "Theme (code)".
    assert!(problems[1].1.starts_with("Theme"), "{problems:?}");
    assert_eq!(problems[1].2, "Select the theme the action addresses");
    assert_eq!(
        plan_and_history(&app.store, id).await,
        before,
        "nothing changed, not even the good row"
    );
}

/// An action past its limit, and an owner on two lines, are refused next to their fields with
/// every answer kept; nothing is added.
async fn an_action_past_its_limits_is_refused_and_kept(app: TestApp) {
    let fixture = next_steps_challenge(&app.store, "derby").await;
    let id = fixture.challenge;
    let plan_href = format!("/challenges/{id}/actions");
    let mut lead = app.browser_as(Who::LeadOfDerby).await;
    let form = lead.get(&format!("{plan_href}/new")).await;
    assert!(form.body.contains("Up to 2,000 characters."), "the hint");
    let before = app.store.action_plan(id).await.expect("plan").len();
    let huge: &'static str = "Publish the timetable. ".repeat(40_000).leak();
    let page = lead
        .post(
            &format!("{plan_href}/new"),
            &new_action_with(&[("action", huge), ("owner", "Head of SEND\r\nand team")]),
        )
        .await;
    assert_error_next_to(&page, "action", "Action must be 2,000 characters or fewer");
    assert_error_next_to(&page, "owner", "Owner must be on one line");
    assert_eq!(textarea_text(&page, "action").as_deref(), Some(huge));
    assert_eq!(
        page.input_value("partners").as_deref(),
        Some(answer("partners")),
        "the other answers kept"
    );
    assert_eq!(
        app.store.action_plan(id).await.expect("plan").len(),
        before,
        "nothing added"
    );
}

app_test!(
    an_action_past_its_limits_is_refused_and_kept,
    an_action_past_its_limits_is_refused_and_kept
);

app_test!(
    the_action_plan_is_kept_on_the_web_and_as_a_spreadsheet,
    the_action_plan_is_kept_on_the_web_and_as_a_spreadsheet
);

/// Hostile spreadsheets through the real upload: each refused at once with a message naming
/// the limit, on a page of ordinary size, and nothing written. One cell at XFD1048576 in the
/// app's own template used to abort the server allocating 512 GiB; 300,000 one-cell rows took
/// 20 s and answered with 2.1 million problems.
async fn hostile_action_plans_are_refused_naming_the_limit(app: TestApp) {
    let fixture = next_steps_challenge(&app.store, "derby").await;
    let id = fixture.challenge;
    let plan_href = format!("/challenges/{id}/actions");
    let mut lead = app.browser_as(Who::LeadOfDerby).await;
    let before = plan_and_history(&app.store, id).await;
    let template = download(&lead, &format!("{plan_href}.xlsx")).await;
    let (far_cell, _) = edit_workbook(
        &template.bytes,
        "sheet.cell(row=1048576, column=16384).value = 'x'",
    );
    let plan_page = lead.get(&plan_href).await;
    assert!(
        plan_page
            .body
            .contains("5 MB or smaller, with at most 500 actions"),
        "the hint states the limits"
    );
    for (workbook, message) in [
        (
            far_cell,
            "The action plan has something in cell XFD1048576, beyond column AX",
        ),
        (
            upload::hostile::one_cell_rows(&documents::action_plan::COLUMNS, 300_000),
            "The action plan has more than 500 actions. Split it",
        ),
        (
            upload::hostile::zip_bomb(1),
            "The selected file unpacks to more than 32 MB",
        ),
        (
            upload::hostile::many_entries(2_000),
            "The selected file holds more than 1,000 files packed inside it",
        ),
        (
            upload::hostile::plain_zip(),
            "The file is not an Excel workbook (.xlsx)",
        ),
        (
            vec![b'x'; 6 * 1024 * 1024],
            "The selected file must be 5 MB or smaller",
        ),
    ] {
        let refused = upload_plan(&lead, &plan_page, &workbook).await;
        assert_error_next_to(&refused, "plan", message);
        assert!(refused.body.len() < 100_000, "{} bytes", refused.body.len());
    }

    // Many problems: the first 50 are listed, then how many more.
    let (bad_rows, _) = edit_workbook(
        &template.bytes,
        r#"
for n in range(60):
    add_row([f"BAD-{n}", "Recommendation 1", "NOT_A_THEME", "Refresh the local offer",
             "Head of SEND", None, "01/01/2028", "30/06/2028", None, None, None, "Amber", None, None])
"#,
    );
    let refused = upload_plan(&lead, &plan_page, &bad_rows).await;
    assert_error_next_to(
        &refused,
        "plan",
        "The spreadsheet has 60 problems, the first 50 listed below: nothing was changed",
    );
    assert_eq!(upload_problems(&refused).len(), 50);
    assert!(
        refused.body.contains("and 10 more problems"),
        "{}",
        refused.body
    );
    assert_eq!(
        plan_and_history(&app.store, id).await,
        before,
        "nothing was written"
    );
}

app_test!(
    hostile_action_plans_are_refused_naming_the_limit,
    hostile_action_plans_are_refused_naming_the_limit
);

// ---- Progress -------------------------------------------------------------------------------

async fn the_board_sees_every_area_and_a_lead_only_their_own(app: TestApp) {
    let derby = next_steps_challenge(&app.store, "derby").await;
    let leicester = next_steps_challenge(&app.store, "leicester").await;
    let areas: Vec<(String, String)> = app
        .store
        .authorities()
        .await
        .expect("authorities")
        .into_iter()
        .filter(|area| area.valid_to.is_none())
        .map(|area| (area.slug.to_string(), area.name))
        .collect();
    let mut board = app.browser_as(Who::Board).await;

    let page = board.get("/progress").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    for (slug, name) in &areas {
        assert!(
            page.body
                .contains(&format!("href=\"/progress/areas/{slug}\">{name}</a>")),
            "{name} is listed"
        );
    }
    assert!(
        !page.body.contains("/progress/areas/northamptonshire\""),
        "not the county abolished in 2021"
    );
    let derby_row = element_around(&page, "tr", "href=\"/progress/areas/derby\"");
    let counts: Vec<&str> = derby_row
        .split("govuk-table__cell--numeric\">")
        .skip(1)
        .map(|cell| &cell[..cell.find('<').unwrap_or(cell.len())])
        .collect();
    assert_eq!(
        counts[..5],
        ["1", "0", "1", "0", "0"],
        "Derby: one action, amber"
    );

    let workbook = download(&board, "/progress.xlsx").await;
    assert_eq!(
        (workbook.status, workbook.content_type.as_str()),
        (StatusCode::OK, XLSX)
    );
    let rows = sheet_rows(&workbook.bytes);
    assert_eq!(
        rows[0][..4],
        [
            json!("Area"),
            json!("Programme"),
            json!("From"),
            json!("Reference")
        ]
    );
    for area in ["Derby", "Leicester"] {
        let row = row_of(&rows, area);
        assert_eq!(row[1], "Peer challenges");
        assert_eq!(row[3], "LEI-1");
        assert_eq!(row[6], "Agree a timetable for health advice");
        assert_eq!(row[14], "Amber");
    }
    assert_eq!(rows.len(), 3, "a header and the two actions");

    let pack = download(&board, "/progress/board-pack.pptx").await;
    assert_eq!(
        (pack.status, pack.content_type.as_str()),
        (StatusCode::OK, PPTX)
    );
    // The RAG-by-month chart is a native chart: python-pptx reads its series.
    let charts = read_back(
        "pptx",
        r#"
import io, json
deck = pptx.Presentation(io.BytesIO(sys.stdin.buffer.read()))
print(json.dumps([[s.name for s in shape.chart.plots[0].series]
    for slide in deck.slides for shape in slide.shapes if shape.has_chart]))
"#,
        &pack.bytes,
    );
    assert_eq!(charts, json!([["Red", "Amber", "Green", "Complete"]]));
    let pack = slides(&pack.bytes);
    assert!(pack[0].contains("regional board"), "{}", pack[0]);
    assert!(
        pack.iter()
            .any(|slide| slide.contains("Actions by RAG status, month by month")),
        "the chart's slide"
    );
    // Areas with actions have their own slide; the rest are gathered on one, as having no
    // plan yet, not shown as on track.
    let unplanned = pack
        .iter()
        .filter(|slide| {
            slide
                .lines()
                .any(|line| line.starts_with("Areas with no action plan yet"))
        })
        .cloned()
        .collect::<Vec<_>>()
        .join("\n");
    assert!(!unplanned.is_empty(), "a slide of areas with no plan yet");
    for (_, name) in &areas {
        let own_slide = pack.iter().any(|slide| {
            slide
                .lines()
                .any(|line| line == format!("{name}: progress"))
        });
        if name == "Derby" || name == "Leicester" {
            assert!(own_slide, "a slide for {name}");
            assert!(!unplanned.lines().any(|line| line == name));
        } else {
            assert!(!own_slide, "no slide of noughts for {name}");
            assert!(
                unplanned.lines().any(|line| line == name),
                "{name} has no plan yet"
            );
        }
    }

    // An LA lead's progress is their own area's.
    let mut lead = app.browser_as(Who::LeadOfDerby).await;
    assert_redirect(&lead.get("/progress").await, "/progress/areas/derby");
    let own = lead.get("/progress/areas/derby").await;
    assert_eq!(own.status, StatusCode::OK);
    assert!(
        own.body
            .contains(&format!("/progress/actions/{}", derby.action))
    );
    assert!(own.body.contains("Agree a timetable for health advice"));
    assert!(!own.body.contains(&leicester.action.to_string()));
    let action = lead
        .get(&format!("/progress/actions/{}", derby.action))
        .await;
    assert_eq!(action.status, StatusCode::OK);
    assert!(action.body.contains("Added to the plan"), "its history");
    // The policy (KeepNextSteps) sends the area's lead on to the plan; the board only reads.
    let plan = format!("/challenges/{}/actions", derby.challenge);
    assert!(action.body.contains(&plan), "the lead is offered the plan");
    let read = board
        .get(&format!("/progress/actions/{}", derby.action))
        .await;
    assert_eq!(read.status, StatusCode::OK);
    assert!(
        !read.body.contains(&plan),
        "the board is not offered the plan"
    );
    for refused in [
        "/progress/areas/leicester".to_owned(),
        format!("/progress/actions/{}", leicester.action),
        "/progress.xlsx".to_owned(),
    ] {
        assert_eq!(
            lead.get(&refused).await.status,
            StatusCode::FORBIDDEN,
            "{refused}"
        );
    }

    let mut reviewer = app.browser_as(Who::Reviewer).await;
    for refused in ["/progress", "/progress/areas/derby"] {
        assert_eq!(
            reviewer.get(refused).await.status,
            StatusCode::FORBIDDEN,
            "{refused}"
        );
    }
}

app_test!(
    the_board_sees_every_area_and_a_lead_only_their_own,
    the_board_sees_every_area_and_a_lead_only_their_own
);

#[path = "outcomes/concurrency.rs"]
mod concurrency;
#[path = "outcomes/evidence_kept.rs"]
mod evidence_kept;
#[path = "outcomes/programmes.rs"]
mod programmes;
#[path = "outcomes/queries_per_page.rs"]
mod queries_per_page;
#[path = "outcomes/recommendations.rs"]
mod recommendations;
#[path = "outcomes/returns.rs"]
mod returns;
#[path = "outcomes/uk_today.rs"]
mod uk_today;
