//! The reviewer pool through the router, on both databases: the directory's filters on a
//! seeded pool, its exports read back by Python's csv module and openpyxl, a member's profile
//! with status changes and past training, and a reviewer keeping their own profile (and only
//! their own) up to date.

use crate::support;

use std::io::Write;
use std::process::{Command, Stdio};

use axum::body::Body;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE, COOKIE};
use axum::http::{Request, StatusCode};
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use domain::pool::{
    DateRange, ExpertiseLevel, HomeArea, MemberProfile, MemberStatus, ReviewerType,
};
use domain::{AuthoritySlug, EmailAddress, PersonName, PoolMemberId, ThemeCode, UserId};
use http_body_util::BodyExt;
use store::{AuditFilter, Store};
use support::{Browser, Page, TestApp, Who};
use tower::ServiceExt;

fn joined() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0)
        .single()
        .expect("time")
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

fn slug(text: &str) -> AuthoritySlug {
    AuthoritySlug::parse(text).expect("slug")
}

fn theme(code: &str) -> ThemeCode {
    ThemeCode::parse(code).expect("theme")
}

fn profile(name: &str, email: &str, kind: ReviewerType, home: HomeArea) -> MemberProfile {
    MemberProfile {
        name: PersonName::parse(name).expect("name"),
        email: EmailAddress::parse(email).expect("email"),
        phone: None,
        reviewer_type: kind,
        organisation: "Example Council".into(),
        home,
        experience: String::new(),
        adjustments: String::new(),
        needs_training: false,
        trained_on: Some(day(2025, 5, 1)),
        online_only: false,
        max_per_year: 4,
        expertise: vec![],
        unavailable: vec![],
        conflicts: vec![],
        travel_to: vec![],
    }
}

/// The seeded pool: five members whose differences each filter picks out.
struct Seeded {
    asha: PoolMemberId,
}

async fn seed(store: &Store) -> Seeded {
    let mut asha = profile(
        "Asha Patel",
        "asha.patel@example.org",
        ReviewerType::LaOfficer,
        HomeArea::Authority(slug("derby")),
    );
    asha.phone = domain::pool::PhoneNumber::parse("01332 496 000").ok();
    asha.organisation = "Derby City Council".into();
    asha.expertise = vec![
        (theme("EHCP_QUALITY"), ExpertiseLevel::Specialist),
        (theme("COPRODUCTION"), ExpertiseLevel::Some),
    ];
    asha.unavailable = vec![DateRange::new(day(2027, 3, 10), day(2027, 3, 14)).expect("range")];
    asha.conflicts = vec![(slug("derbyshire"), "Worked there until 2025".into())];
    asha.travel_to = vec![slug("nottingham")];

    let mut ben = profile(
        "Ben Carter",
        "ben.carter@example.org",
        ReviewerType::ParentCarer,
        HomeArea::Authority(slug("rutland")),
    );
    ben.organisation = "Rutland Parent Carer Forum".into();
    ben.expertise = vec![
        (theme("EHCP_QUALITY"), ExpertiseLevel::Some),
        (theme("COPRODUCTION"), ExpertiseLevel::Strong),
    ];
    ben.trained_on = None;
    ben.needs_training = true;

    let mut cara = profile(
        "Cara O'Neill",
        "cara.oneill@example.org",
        ReviewerType::Health,
        HomeArea::OutsideRegion("West Midlands".into()),
    );
    cara.organisation = "NHS Birmingham".into();
    cara.expertise = vec![
        (theme("HEALTH"), ExpertiseLevel::Strong),
        (theme("EHCP_QUALITY"), ExpertiseLevel::Strong),
    ];
    cara.online_only = true;

    let mut dev = profile(
        "Dev Singh",
        "dev.singh@example.org",
        ReviewerType::LaOfficer,
        HomeArea::Authority(slug("leicester")),
    );
    dev.unavailable = vec![DateRange::new(day(2027, 3, 12), day(2027, 3, 12)).expect("range")];

    let eve = profile(
        "Eve 100% Mills",
        "eve.mills@example.org",
        ReviewerType::YoungAmbassador,
        HomeArea::Authority(slug("derby")),
    );

    let mut ids = Vec::new();
    for member in [&asha, &ben, &cara, &dev, &eve] {
        ids.push(
            store
                .add_pool_member(member, None, None, joined())
                .await
                .expect("add member"),
        );
    }
    store
        .set_member_status(ids[3], MemberStatus::Paused, None, joined())
        .await
        .expect("pause Dev");
    Seeded { asha: ids[0] }
}

async fn user_id(store: &Store, email: &str) -> UserId {
    store
        .credentials(&EmailAddress::parse(email).expect("email"))
        .await
        .expect("lookup")
        .expect("account")
        .0
}

/// Give the test reviewer a pool membership of their own.
async fn seed_own_membership(store: &Store) -> PoolMemberId {
    let reviewer = user_id(store, "reviewer1@example.org").await;
    let mut rita = profile(
        "Rita Reviewer",
        "reviewer1@example.org",
        ReviewerType::ParentCarer,
        HomeArea::Authority(slug("nottingham")),
    );
    rita.phone = domain::pool::PhoneNumber::parse("0115 496 0000").ok();
    rita.expertise = vec![(theme("HEALTH"), ExpertiseLevel::Some)];
    rita.unavailable = vec![DateRange::new(day(2027, 1, 4), day(2027, 1, 8)).expect("range")];
    store
        .add_pool_member(&rita, Some(reviewer), None, joined())
        .await
        .expect("add Rita")
}

fn unescape(html: &str) -> String {
    html.replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#38;", "&")
        .replace("&amp;", "&")
}

/// The names in the directory's results table, in order.
fn listed(page: &Page) -> Vec<String> {
    let marker = "<th scope=\"row\" class=\"govuk-table__header\"><a class=\"govuk-link\" href=\"/pool/members/";
    page.body
        .split(marker)
        .skip(1)
        .map(|rest| {
            let start = rest.find('>').expect("link") + 1;
            let end = rest.find("</a>").expect("link end");
            unescape(&rest[start..end])
        })
        .collect()
}

/// The value of the selected option of the select with this id.
fn selected_option(page: &Page, id: &str) -> Option<String> {
    let at = page.body.find(&format!("id=\"{id}\" name="))?;
    let end = page.body[at..].find("</select>")? + at;
    let select = &page.body[at..end];
    let option = select.find(" selected>")?;
    let value_start = select[..option].rfind("value=\"")? + "value=\"".len();
    let value_end = select[value_start..].find('"')? + value_start;
    Some(select[value_start..value_end].to_owned())
}

async fn names_for(browser: &mut Browser<'_>, query: &str) -> Vec<String> {
    let page = browser.get(&format!("/pool?{query}")).await;
    assert_eq!(page.status, StatusCode::OK, "/pool?{query}: {}", page.body);
    listed(&page)
}

app_test!(
    the_directorys_filters_return_exactly_the_right_members,
    |app: TestApp| async move {
        seed(&app.store).await;
        let mut pm = app.browser_as(Who::ProjectManager).await;
        let active = ["Asha Patel", "Ben Carter", "Cara O'Neill", "Eve 100% Mills"];
        assert_eq!(
            names_for(&mut pm, "").await,
            active,
            "active members by default"
        );
        let page = pm.get("/pool").await;
        assert!(page.body.contains("4 members"));
        assert!(
            page.body.contains("<strong>Quality of EHC plans"),
            "strong and specialist themes stand out"
        );
        let cases: [(&str, &[&str]); 16] = [
            (
                "status=any",
                &[
                    "Asha Patel",
                    "Ben Carter",
                    "Cara O'Neill",
                    "Dev Singh",
                    "Eve 100% Mills",
                ],
            ),
            ("status=paused", &["Dev Singh"]),
            ("status=left", &[]),
            ("reviewer_type=la_officer", &["Asha Patel"]),
            (
                "reviewer_type=la_officer&status=any",
                &["Asha Patel", "Dev Singh"],
            ),
            (
                "theme=EHCP_QUALITY",
                &["Asha Patel", "Ben Carter", "Cara O'Neill"],
            ),
            (
                "theme=EHCP_QUALITY&min_level=strong",
                &["Asha Patel", "Cara O'Neill"],
            ),
            ("theme=EHCP_QUALITY&min_level=specialist", &["Asha Patel"]),
            ("home=derby", &["Asha Patel", "Eve 100% Mills"]),
            ("home=outside", &["Cara O'Neill"]),
            (
                "trained=yes",
                &["Asha Patel", "Cara O'Neill", "Eve 100% Mills"],
            ),
            ("trained=no", &["Ben Carter"]),
            (
                "available_on=12%2F03%2F2027&status=any",
                &["Ben Carter", "Cara O'Neill", "Eve 100% Mills"],
            ),
            (
                "available_on=15%2F03%2F2027&status=any",
                &[
                    "Asha Patel",
                    "Ben Carter",
                    "Cara O'Neill",
                    "Dev Singh",
                    "Eve 100% Mills",
                ],
            ),
            ("q=100%25", &["Eve 100% Mills"]),
            (
                "q=PARENT+CARER+forum&theme=COPRODUCTION&min_level=strong&home=rutland&trained=no&reviewer_type=parent_carer",
                &["Ben Carter"],
            ),
        ];
        for (query, expected) in cases {
            assert_eq!(names_for(&mut pm, query).await, expected, "{query}");
        }
        // The filters are kept on the page, so the URL and the form agree.
        let page = pm
            .get("/pool?theme=EHCP_QUALITY&min_level=strong&home=outside&status=any")
            .await;
        assert_eq!(
            selected_option(&page, "theme").as_deref(),
            Some("EHCP_QUALITY")
        );
        assert_eq!(
            selected_option(&page, "min_level").as_deref(),
            Some("strong")
        );
        assert_eq!(selected_option(&page, "home").as_deref(), Some("outside"));
        assert_eq!(selected_option(&page, "status").as_deref(), Some("any"));
        let csv_at = page.body.find("/pool.csv?").expect("a CSV link");
        let csv_end = page.body[csv_at..].find('"').expect("end of link") + csv_at;
        assert_eq!(
            unescape(&page.body[csv_at..csv_end]),
            "/pool.csv?reviewer_type=&theme=EHCP_QUALITY&min_level=strong&home=outside\
             &trained=&available_on=&travels_to=&status=any&q=",
            "the download holds the same filters"
        );

        // A date that is not real is shown back with its message next to the field.
        let page = pm.get("/pool?available_on=31%2F02%2F2027&q=asha").await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.body.contains("<title>Error: Reviewer pool"));
        assert!(
            page.body.contains(
                "<a href=\"#available_on\">Date must be a real date, like 24/11/2026</a>"
            )
        );
        assert!(page.body.contains("id=\"available_on-error\""));
        assert_eq!(
            page.input_value("available_on").as_deref(),
            Some("31/02/2027")
        );
        assert_eq!(page.input_value("q").as_deref(), Some("asha"));
        assert!(listed(&page).is_empty(), "no results under an error");
        // A level without a theme says what is missing.
        let page = pm.get("/pool?min_level=strong").await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.body.contains("id=\"min_level-error\""));
        assert!(page.body.contains("Select a theme to filter by its level"));
    }
);

/// Fetch a file as raw bytes with this browser's cookie.
async fn download(
    app: &TestApp,
    browser: &Browser<'_>,
    path: &str,
) -> (StatusCode, String, String, Vec<u8>) {
    let mut request = Request::get(path);
    if let Some(cookie) = &browser.cookie {
        request = request.header(COOKIE, cookie);
    }
    let response = app
        .router
        .clone()
        .oneshot(request.body(Body::empty()).expect("request"))
        .await
        .expect("router answers");
    let header = |name| {
        response
            .headers()
            .get(name)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let (status, content_type, disposition) = (
        response.status(),
        header(CONTENT_TYPE),
        header(CONTENT_DISPOSITION),
    );
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
        .to_vec();
    (status, content_type, disposition, bytes)
}

/// What a Python reader makes of `input`, as JSON.
fn python_reads(script: &str, input: &[u8]) -> serde_json::Value {
    let mut python = Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 on PATH reads the exports back");
    python
        .stdin
        .take()
        .expect("stdin")
        .write_all(input)
        .expect("python3 reads the file");
    let output = python.wait_with_output().expect("python3 ran");
    assert!(
        output.status.success(),
        "python3 failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("python3 printed JSON")
}

const HEADERS: [&str; 16] = [
    "Name",
    "Email",
    "Phone",
    "Type",
    "Organisation",
    "Home",
    "Trained on",
    "Needs training",
    "Online only",
    "Can travel to",
    "Most challenges a year",
    "Themes",
    "Dates they cannot do",
    "Conflicts",
    "Status",
    "Joined",
];

app_test!(
    the_exports_hold_the_filtered_members_and_read_back,
    |app: TestApp| async move {
        seed(&app.store).await;
        let coordinator = app.browser_as(Who::Coordinator).await;

        let (status, content_type, disposition, bytes) =
            download(&app, &coordinator, "/pool.csv?home=derby").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(content_type, "text/csv; charset=utf-8");
        assert!(disposition.starts_with("attachment; filename=\"reviewer-pool-"));
        let rows = python_reads(
            "import csv, io, json, sys\n\
             text = sys.stdin.buffer.read().decode('utf-8-sig')\n\
             print(json.dumps(list(csv.reader(io.StringIO(text, newline='')))))",
            &bytes,
        );
        let rows = rows.as_array().expect("rows");
        assert_eq!(
            rows.len(),
            3,
            "a header and the two members at home in Derby"
        );
        assert_eq!(rows[0], serde_json::json!(HEADERS));
        assert_eq!(
            rows[1],
            serde_json::json!([
                "Asha Patel",
                "asha.patel@example.org",
                "01332 496 000",
                "Local authority officer",
                "Derby City Council",
                "Derby",
                "2025-05-01",
                "No",
                "No",
                "Nottingham",
                "4",
                "Co-production with families, the parent carer forum and young people (some); \
                 Quality of EHC plans: outcomes, advice and quality assurance (specialist)",
                "10 March 2027 to 14 March 2027",
                "Derbyshire: Worked there until 2025",
                "Active",
                "2026-11-24"
            ])
        );
        assert_eq!(rows[2][0], "Eve 100% Mills");

        let (status, content_type, disposition, bytes) =
            download(&app, &coordinator, "/pool.xlsx?status=any").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            content_type,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        );
        assert!(disposition.ends_with(".xlsx\""));
        let book = python_reads(
            "import io, json, sys, openpyxl\n\
             book = openpyxl.load_workbook(io.BytesIO(sys.stdin.buffer.read()))\n\
             sheet = book.active\n\
             rows = [[c.isoformat() if hasattr(c, 'isoformat') else c for c in row] for row in sheet.iter_rows(values_only=True)]\n\
             print(json.dumps({'title': sheet.title, 'rows': rows}))",
            &bytes,
        );
        assert_eq!(book["title"], "Reviewer pool");
        let rows = book["rows"].as_array().expect("rows");
        assert_eq!(rows.len(), 6, "a header and every member, paused too");
        assert_eq!(rows[0], serde_json::json!(HEADERS));
        let asha = &rows[1];
        assert_eq!(asha[0], "Asha Patel");
        assert_eq!(asha[1], "asha.patel@example.org");
        assert_eq!(asha[5], "Derby");
        assert_eq!(asha[6], "2025-05-01T00:00:00", "a real date");
        assert_eq!(asha[9], "Nottingham");
        assert_eq!(asha[10], 4, "a number");
        assert_eq!(asha[13], "Derbyshire: Worked there until 2025");
        assert_eq!(asha[15], "2026-11-24T00:00:00");
        let ben = &rows[2];
        assert_eq!(
            ben[6],
            serde_json::Value::Null,
            "not trained: an empty cell"
        );
        assert_eq!(ben[7], "Yes");
        let cara = &rows[3];
        assert_eq!(cara[0], "Cara O'Neill");
        assert_eq!(cara[5], "Outside the East Midlands (West Midlands)");
        assert_eq!(cara[8], "Yes");
        assert_eq!(rows[4][14], "Paused");

        // Personal details leaving the service are logged.
        let logged = app
            .store
            .audit_entries(
                &AuditFilter {
                    action: Some("pool.exported".into()),
                    ..AuditFilter::default()
                },
                10,
            )
            .await
            .expect("audit");
        let summaries: Vec<&str> = logged.iter().map(|entry| entry.summary.as_str()).collect();
        assert_eq!(
            summaries,
            [
                "Downloaded 5 members as a spreadsheet",
                "Downloaded 2 members as CSV"
            ]
        );

        // A bad filter shows the page and its message rather than a file.
        let (status, content_type, _, _) =
            download(&app, &coordinator, "/pool.csv?available_on=yesterday").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(content_type.starts_with("text/html"));
    }
);

app_test!(
    status_changes_and_past_training_show_on_the_profile_and_in_the_audit_log,
    |app: TestApp| async move {
        let seeded = seed(&app.store).await;
        let profile = format!("/pool/members/{}", seeded.asha);
        let mut pm = app.browser_as(Who::ProjectManager).await;

        let page = pm.get(&profile).await;
        assert_eq!(page.status, StatusCode::OK);
        for shown in [
            "Asha Patel",
            "asha.patel@example.org",
            "01332 496 000",
            "Local authority officer",
            "Derby City Council",
            "1 May 2025",
            "10 March 2027 to 14 March 2027",
            "Derbyshire</strong>: Worked there until 2025",
            "Nottingham",
            "Specialist",
            "Added to the pool",
        ] {
            assert!(page.body.contains(shown), "the profile shows {shown}");
        }

        // Pausing is one step; leaving asks first.
        let page = pm
            .post(&format!("{profile}/status"), &[("status", "paused")])
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
        assert_eq!(
            page.location(),
            Some(format!("{profile}?updated=status").as_str())
        );
        let page = pm.get(&format!("{profile}?updated=status")).await;
        assert!(page.body.contains("Status changed to paused"));
        assert!(page.body.contains("govuk-tag--yellow\">Paused</strong>"));
        assert!(
            page.body.contains("Status: Paused"),
            "the history shows the change"
        );

        let page = pm
            .post(&format!("{profile}/status"), &[("status", "left")])
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Has Asha Patel left the pool?"));
        assert!(page.body.contains("name=\"confirm\" value=\"yes\""));
        let member = app
            .store
            .pool_member(seeded.asha)
            .await
            .expect("read")
            .expect("member");
        assert_eq!(
            member.status,
            MemberStatus::Paused,
            "nothing changes before confirming"
        );
        let page = pm
            .post(
                &format!("{profile}/status"),
                &[("status", "left"), ("confirm", "yes")],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
        let page = pm.get(&profile).await;
        assert!(
            page.body
                .contains("govuk-tag--grey\">Left the pool</strong>")
        );
        let page = pm.post(&format!("{profile}/status"), &[]).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            page.body
                .contains("<a href=\"#status\">Select a status</a>")
        );

        // Past training: the date is checked, kept on error, and recorded.
        let tomorrow = Utc::now().date_naive() + Duration::days(2);
        let fields = |d: &str, m: &str, y: &str| {
            [
                ("trained-day", d.to_owned()),
                ("trained-month", m.to_owned()),
                ("trained-year", y.to_owned()),
            ]
        };
        for (answer, message) in [
            (
                fields("31", "2", "2024"),
                "Date of training must be a real date",
            ),
            (
                fields("3", "", "2024"),
                "Date of training must include a month",
            ),
            (fields("", "", ""), "Enter the date they were trained"),
            (
                fields(
                    &tomorrow.format("%d").to_string(),
                    &tomorrow.format("%m").to_string(),
                    &tomorrow.format("%Y").to_string(),
                ),
                "Date of training must be today or in the past",
            ),
        ] {
            let posted: Vec<(&str, &str)> = answer.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let page = pm.post(&format!("{profile}/trained"), &posted).await;
            assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{message}");
            assert!(
                page.body
                    .contains(&format!("<a href=\"#trained\">{message}</a>")),
                "{message}"
            );
            assert!(page.body.contains("id=\"trained-error\""));
            assert_eq!(
                page.input_value("trained-day").unwrap_or_default(),
                answer[0].1
            );
            assert_eq!(
                page.input_value("trained-year").unwrap_or_default(),
                answer[2].1
            );
        }
        let page = pm
            .post(
                &format!("{profile}/trained"),
                &[
                    ("trained-day", "3"),
                    ("trained-month", "June"),
                    ("trained-year", "2024"),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
        let page = pm.get(page.location().expect("back to the profile")).await;
        assert!(page.body.contains("Training recorded"));
        assert!(page.body.contains("3 June 2024"));
        assert!(page.body.contains("Marked trained on 3 June 2024"));
        assert!(page.body.contains("ProjectManager Person"), "who did it");

        // The co-ordinator's audit log has both, attributed to the project manager.
        let mut coordinator = app.browser_as(Who::Coordinator).await;
        let log = coordinator
            .get("/admin/audit?action=pool.marked_trained")
            .await;
        assert!(log.body.contains("Marked trained on 3 June 2024"));
        assert!(log.body.contains("ProjectManager Person"));
        let log = coordinator
            .get("/admin/audit?action=pool.status_changed")
            .await;
        assert!(log.body.contains("Status: Paused") && log.body.contains("Status: Left the pool"));
    }
);

app_test!(
    a_bad_date_range_on_my_profile_is_shown_next_to_the_field_with_every_answer_kept,
    |app: TestApp| async move {
        seed_own_membership(&app.store).await;
        let mut reviewer = app.browser_as(Who::Reviewer).await;
        let page = reviewer.get("/my-profile").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Rita Reviewer"));
        assert!(page.body.contains("4 January 2027 to 8 January 2027"));
        assert!(
            page.body
                .contains("href=\"/my-profile\" aria-current=\"page\""),
            "My profile is in the navigation"
        );

        let page = reviewer.get("/my-profile/edit").await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(page.input_value("name").as_deref(), Some("Rita Reviewer"));
        assert_eq!(page.input_value("period-1-start-day").as_deref(), Some("4"));
        assert_eq!(page.input_value("period-1-end-day").as_deref(), Some("8"));
        assert_eq!(
            page.input_value("period-2-start-day"),
            None,
            "a blank row to add one"
        );
        assert_eq!(
            selected_option(&page, "theme-HEALTH").as_deref(),
            Some("some")
        );
        assert!(page.body.contains("You cannot change it here"));

        let answers = [
            ("name", "Rita Q Reviewer"),
            ("phone", "07700 900 982"),
            ("theme-HEALTH", "specialist"),
            ("theme-COPRODUCTION", "strong"),
            ("period-1-start-day", "4"),
            ("period-1-start-month", "1"),
            ("period-1-start-year", "2027"),
            ("period-1-end-day", "8"),
            ("period-1-end-month", "1"),
            ("period-1-end-year", "2027"),
            ("period-2-start-day", "20"),
            ("period-2-start-month", "7"),
            ("period-2-start-year", "2027"),
            ("period-2-end-day", "10"),
            ("period-2-end-month", "7"),
            ("period-2-end-year", "2027"),
            ("period-3-start-day", ""),
            ("period-3-start-month", ""),
            ("period-3-start-year", ""),
            ("period-3-end-day", ""),
            ("period-3-end-month", ""),
            ("period-3-end-year", ""),
            ("conflict-1-authority", "leicester"),
            ("conflict-1-reason", "My sister is a SENCo there"),
            ("conflict-2-authority", ""),
            ("conflict-2-reason", ""),
        ];
        let page = reviewer.post("/my-profile/edit", &answers).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.body.contains("<title>Error: Change your profile"));
        let message = "The end date must be the same as or after the start date";
        assert!(
            page.body
                .contains(&format!("<a href=\"#period-2-end\">{message}</a>"))
        );
        let next_to_field = page
            .body
            .find("id=\"period-2-end-error\"")
            .expect("the message next to the field");
        assert!(page.body[next_to_field..].starts_with(&format!("id=\"period-2-end-error\" class=\"govuk-error-message\">\n      <span class=\"govuk-visually-hidden\">Error:</span> {message}")));
        for (field, value) in answers {
            if field.starts_with("theme-")
                || field.starts_with("conflict-") && field.ends_with("authority")
            {
                let selected = selected_option(&page, field).unwrap_or_default();
                assert_eq!(selected, value, "{field} kept");
            } else {
                assert_eq!(
                    page.input_value(field).unwrap_or_default(),
                    value,
                    "{field} kept"
                );
            }
        }
        let member = app
            .store
            .pool_member_for_user(user_id(&app.store, "reviewer1@example.org").await)
            .await
            .expect("read")
            .expect("member");
        assert_eq!(
            member.profile.name.to_string(),
            "Rita Reviewer",
            "nothing saved"
        );

        // Other mistakes, each next to its own field.
        let page = reviewer
            .post(
                "/my-profile/edit",
                &[
                    ("name", ""),
                    ("phone", "call me"),
                    ("period-1-start-day", "31"),
                    ("period-1-start-month", "2"),
                    ("period-1-start-year", "2027"),
                    ("period-1-end-day", "1"),
                    ("period-1-end-month", "3"),
                    ("period-1-end-year", "2027"),
                    ("period-2-start-day", "1"),
                    ("period-2-start-month", "3"),
                    ("period-2-start-year", "2027"),
                    ("conflict-1-authority", "leicester"),
                    ("conflict-1-reason", ""),
                    ("conflict-2-authority", ""),
                    ("conflict-2-reason", "No authority"),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        for (field, message) in [
            ("name", "Enter"),
            ("phone", "Enter a telephone number"),
            ("period-1-start", "Start date must be a real date"),
            ("period-2-end", "Enter the end date"),
            (
                "conflict-1-reason",
                "Enter why you must not review Leicester",
            ),
            (
                "conflict-2-authority",
                "Select the authority you must not review",
            ),
        ] {
            assert!(
                page.body
                    .contains(&format!("<a href=\"#{field}\">{message}")),
                "{field}: {message}"
            );
            assert!(
                page.body.contains(&format!("id=\"{field}-error\"")),
                "{field}"
            );
        }

        // Corrected, it saves and shows.
        let mut fixed = answers.to_vec();
        for (field, value) in &mut fixed {
            if *field == "period-2-end-day" {
                *value = "30";
            }
        }
        let page = reviewer.post("/my-profile/edit", &fixed).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        assert_eq!(page.location(), Some("/my-profile?done=saved"));
        let page = reviewer.get("/my-profile?done=saved").await;
        assert!(page.body.contains("Your profile has been updated"));
        for shown in [
            "Rita Q Reviewer",
            "07700 900 982",
            "4 January 2027 to 8 January 2027",
            "20 July 2027 to 30 July 2027",
            "Leicester</strong>: My sister is a SENCo there",
        ] {
            assert!(page.body.contains(shown), "{shown}");
        }
        let member = app
            .store
            .pool_member_for_user(user_id(&app.store, "reviewer1@example.org").await)
            .await
            .expect("read")
            .expect("member");
        assert_eq!(
            member.profile.expertise,
            vec![
                (theme("COPRODUCTION"), ExpertiseLevel::Strong),
                (theme("HEALTH"), ExpertiseLevel::Specialist)
            ]
        );
        assert_eq!(
            member.profile.email.as_str(),
            "reviewer1@example.org",
            "email unchanged"
        );
        assert_eq!(
            member.profile.trained_on,
            Some(day(2025, 5, 1)),
            "training untouched"
        );
        let history = app
            .store
            .pool_member_history(member.id, 10)
            .await
            .expect("history");
        assert_eq!(history[0].action, "pool.profile_updated");
        assert_eq!(
            history[0].actor, member.user,
            "the reviewer made the change"
        );

        // Removing a period: clear its dates.
        let mut cleared = fixed.clone();
        for (field, value) in &mut cleared {
            if field.starts_with("period-1-") {
                *value = "";
            }
        }
        let page = reviewer.post("/my-profile/edit", &cleared).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
        let page = reviewer.get("/my-profile").await;
        assert!(!page.body.contains("4 January 2027"));
        assert!(page.body.contains("20 July 2027 to 30 July 2027"));
    }
);

app_test!(
    a_reviewer_pauses_resumes_and_leaves_after_confirming,
    |app: TestApp| async move {
        let own = seed_own_membership(&app.store).await;
        let mut reviewer = app.browser_as(Who::Reviewer).await;
        let status = || async {
            app.store
                .pool_member(own)
                .await
                .expect("read")
                .expect("member")
                .status
        };

        let page = reviewer
            .post("/my-profile/status", &[("status", "paused")])
            .await;
        assert_eq!(page.location(), Some("/my-profile?done=paused"));
        assert_eq!(status().await, MemberStatus::Paused);
        let page = reviewer.get("/my-profile?done=paused").await;
        assert!(page.body.contains("Your membership is paused"));
        assert!(page.body.contains("Resume my membership"));
        let page = reviewer
            .post("/my-profile/status", &[("status", "active")])
            .await;
        assert_eq!(page.location(), Some("/my-profile?done=resumed"));
        assert_eq!(status().await, MemberStatus::Active);

        // Leaving asks first, on a page of its own, and says what is kept.
        let page = reviewer
            .post("/my-profile/status", &[("status", "left")])
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body
                .contains("Are you sure you want to leave the reviewer pool?")
        );
        assert!(page.body.contains("We keep your profile until"));
        assert_eq!(status().await, MemberStatus::Active, "not yet");
        let page = reviewer
            .post(
                "/my-profile/status",
                &[("status", "left"), ("confirm", "yes")],
            )
            .await;
        assert_eq!(page.location(), Some("/my-profile?done=left"));
        assert_eq!(status().await, MemberStatus::Left);
        let page = reviewer.get("/my-profile?done=left").await;
        assert!(page.body.contains("You have left the reviewer pool"));
        let until = support_dates::in_twelve_months();
        assert!(
            page.body
                .contains(&format!("We keep the details below until {until}")),
            "{until}"
        );
        assert!(page.body.contains("not your details"));
        assert!(!page.body.contains("Change your profile"));

        // Having left, the profile can no longer be changed or resumed by its owner.
        let page = reviewer.get("/my-profile/edit").await;
        assert_eq!(page.location(), Some("/my-profile"));
        let page = reviewer
            .post("/my-profile/edit", &[("name", "Someone Else")])
            .await;
        assert_eq!(page.location(), Some("/my-profile"));
        let page = reviewer
            .post("/my-profile/status", &[("status", "active")])
            .await;
        assert_eq!(page.location(), Some("/my-profile"));
        assert_eq!(status().await, MemberStatus::Left);
        let history = app
            .store
            .pool_member_history(own, 10)
            .await
            .expect("history");
        let summaries: Vec<&str> = history.iter().map(|entry| entry.summary.as_str()).collect();
        assert_eq!(
            summaries,
            [
                "Status: Left the pool",
                "Status: Active",
                "Status: Paused",
                "Added to the pool"
            ]
        );
    }
);

mod support_dates {
    /// Today plus twelve months, as the pages write dates.
    pub fn in_twelve_months() -> String {
        let today = chrono::Utc::now().date_naive();
        today
            .checked_add_months(chrono::Months::new(12))
            .expect("date")
            .format("%-d %B %Y")
            .to_string()
    }
}

app_test!(
    a_reviewer_sees_only_their_own_profile_and_nobody_else_sees_the_pool,
    |app: TestApp| async move {
        let seeded = seed(&app.store).await;
        let own = seed_own_membership(&app.store).await;
        for who in [Who::Reviewer, Who::LeadOfDerby, Who::Board] {
            let mut browser = app.browser_as(who).await;
            for path in [
                format!("/pool/members/{}", seeded.asha),
                format!("/pool/members/{own}"),
                "/pool".to_owned(),
                "/pool.csv".to_owned(),
                "/pool.xlsx".to_owned(),
            ] {
                let page = browser.get(&path).await;
                assert_eq!(page.status, StatusCode::FORBIDDEN, "{who:?} {path}");
                assert!(!page.body.contains("Asha Patel") && !page.body.contains("Rita Reviewer"));
            }
            let page = browser
                .post(
                    &format!("/pool/members/{own}/status"),
                    &[("status", "left")],
                )
                .await;
            assert_eq!(page.status, StatusCode::FORBIDDEN, "{who:?}");
            let page = browser.get("/dashboard").await;
            assert!(
                !page.body.contains("href=\"/pool\""),
                "{who:?} is not offered the pool"
            );
            assert_eq!(
                page.body.contains("href=\"/my-profile\""),
                who == Who::Reviewer,
                "{who:?} and My profile"
            );
        }
        assert_eq!(
            app.store
                .pool_member(own)
                .await
                .expect("read")
                .expect("member")
                .status,
            MemberStatus::Active
        );
        let mut coordinator = app.browser_as(Who::Coordinator).await;
        let page = coordinator.get("/dashboard").await;
        assert!(page.body.contains("href=\"/pool\""));
        assert!(!page.body.contains("href=\"/my-profile\""));
        let page = coordinator.get("/my-profile").await;
        assert_eq!(page.status, StatusCode::FORBIDDEN);
    }
);

app_test!(
    a_reviewer_outside_the_pool_is_told_so,
    |app: TestApp| async move {
        let mut reviewer = app.browser_as(Who::Reviewer).await;
        for page in [
            reviewer.get("/my-profile").await,
            reviewer.get("/my-profile/edit").await,
            reviewer
                .post("/my-profile/status", &[("status", "left")])
                .await,
        ] {
            assert_eq!(page.status, StatusCode::OK);
            assert!(page.body.contains("You are not in the reviewer pool"));
            assert!(page.body.contains("href=\"/apply\""));
        }
    }
);

app_test!(
    where_a_member_travels_is_theirs_to_change_and_the_project_managers_too,
    |app: TestApp| async move {
        let seeded = seed(&app.store).await;
        let own = seed_own_membership(&app.store).await;
        let mut reviewer = app.browser_as(Who::Reviewer).await;
        let page = reviewer.get("/my-profile/edit").await;
        assert!(page.body.contains("Which areas can you travel to?"));
        assert!(page.body.contains("value=\"north-northamptonshire\""));

        // Neither online only nor anywhere: the message is next to the field.
        let page = reviewer
            .post(
                "/my-profile/edit",
                &[
                    ("name", "Rita Reviewer"),
                    ("online_only", "no"),
                    ("travel_to", "nowhere"),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            page.body.contains(
                "Select the areas you can travel to, or say you can only take part online"
            )
        );
        assert!(page.body.contains("id=\"travel_to-error\""));

        let page = reviewer
            .post(
                "/my-profile/edit",
                &[
                    ("name", "Rita Reviewer"),
                    ("online_only", "no"),
                    ("travel_to", "north-northamptonshire"),
                    ("travel_to", "rutland"),
                    ("travel_to", "nowhere"),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        let rita = app
            .store
            .pool_member(own)
            .await
            .expect("read")
            .expect("member");
        assert_eq!(
            rita.profile.travel_to,
            [slug("north-northamptonshire"), slug("rutland")]
        );
        let page = reviewer.get("/my-profile").await;
        assert!(page.body.contains("North Northamptonshire"));

        // The project manager changes another member's travel on their page.
        let mut pm = app.browser_as(Who::ProjectManager).await;
        let page = pm.get(&format!("/pool/members/{}", seeded.asha)).await;
        assert!(page.body.contains("Which areas can they travel to?"));
        let page = pm
            .post(
                &format!("/pool/members/{}/travel", seeded.asha),
                &[("online_only", "no")],
            )
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.body.contains(
            "Select the areas they can travel to, or say they can only take part online"
        ));
        let page = pm
            .post(
                &format!("/pool/members/{}/travel", seeded.asha),
                &[
                    ("online_only", "no"),
                    ("travel_to", "nottingham"),
                    ("travel_to", "north-northamptonshire"),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        let asha = app
            .store
            .pool_member(seeded.asha)
            .await
            .expect("read")
            .expect("member");
        assert_eq!(
            asha.profile.travel_to,
            [slug("north-northamptonshire"), slug("nottingham")]
        );
        let page = pm
            .get(&format!("/pool/members/{}?updated=travel", seeded.asha))
            .await;
        assert!(page.body.contains("Travel changed"));

        // The directory finds who travels to an area: Asha now, and those who list nowhere
        // (anywhere); not Cara, who takes part online only.
        let names = names_for(&mut pm, "travels_to=north-northamptonshire&status=any").await;
        assert!(names.contains(&"Asha Patel".to_owned()), "{names:?}");
        assert!(names.contains(&"Rita Reviewer".to_owned()), "{names:?}");
        assert!(!names.contains(&"Cara O'Neill".to_owned()), "{names:?}");
        let names = names_for(&mut pm, "travels_to=lincolnshire&status=any").await;
        assert!(!names.contains(&"Asha Patel".to_owned()), "{names:?}");
        assert!(!names.contains(&"Rita Reviewer".to_owned()), "{names:?}");
    }
);

app_test!(
    my_profile_takes_the_application_s_phone_and_conflict_rules,
    |app: TestApp| async move {
        seed_own_membership(&app.store).await;
        let mut reviewer = app.browser_as(Who::Reviewer).await;
        let with = |phone: &'static str| {
            [
                ("name", "Rita Reviewer"),
                ("phone", phone),
                ("conflict-1-authority", "leicester"),
                ("conflict-1-reason", "My sister is a SENCo there"),
                ("conflict-2-authority", ""),
                ("conflict-2-reason", ""),
            ]
        };
        // Six digits passed the profile before while the application wanted ten.
        for typed in ["123456", "0115 496", "+44 7700 900 982 12"] {
            let page = reviewer.post("/my-profile/edit", &with(typed)).await;
            assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{typed}");
            assert!(
                page.body
                    .contains("<a href=\"#phone\">Enter a telephone number"),
                "{typed}"
            );
            assert_eq!(page.input_value("phone").as_deref(), Some(typed));
        }
        let page = reviewer
            .post("/my-profile/edit", &with("+44 808 157 0192"))
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);

        let page = reviewer
            .post(
                "/my-profile/edit",
                &[
                    ("name", "Rita Reviewer"),
                    ("phone", "0115 496 0000"),
                    ("conflict-1-authority", "leicester"),
                    ("conflict-1-reason", "My sister is a SENCo there"),
                    ("conflict-2-authority", "leicester"),
                    ("conflict-2-reason", "A case of my own"),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            page.body.contains(
                "<a href=\"#conflict-2-authority\">You have already listed Leicester</a>"
            )
        );
    }
);
