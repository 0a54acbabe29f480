//! Preparing a visit through the router on both databases: the host's lead builds a
//! timetable whose clash is flagged and then fixed, a reviewer downloads a calendar of their
//! own activities, the case sample refuses personal data and a repeated reference, a parent
//! carer on the team sees the case references and nothing else, and the pre-reading checks
//! type and size and records every download.

use crate::support;

use std::io::Write;
use std::process::{Command, Stdio};

use axum::http::StatusCode;
use chrono::{NaiveDate, NaiveTime, Utc};
use documents::upload;
use domain::challenge::SeatRole;
use domain::clock::uk_to_utc;
use domain::lifecycle::ChallengeState;
use domain::pool::ReviewerType;
use domain::{ActivityId, TeamMemberId};
use store::{AuditFilter, NewEmail, NewTeamMember, Store};
use support::challenge_fixture::{ChallengeFixture, challenge_in, member_profile, principal_of};
use support::visit_fixture::{PDF, add_visit_fixtures};
use support::{Page, TestApp, Who};

/// Put the test reviewer (reviewer1@example.org) on the challenge's team as `kind`, invited.
async fn seat_the_reviewer(
    store: &Store,
    fixture: &ChallengeFixture,
    kind: ReviewerType,
    seat: SeatRole,
) -> TeamMemberId {
    let now = Utc::now();
    let reviewer = principal_of(store, "reviewer1@example.org").await;
    let member = store
        .add_pool_member(
            &member_profile("Riley Reviewer", kind, "leicester"),
            Some(reviewer.user_id),
            None,
            now,
        )
        .await
        .expect("member");
    let new = NewTeamMember {
        member,
        seat_role: seat,
        shadowing: false,
        reasons: "Chosen for the test".into(),
    };
    let id = store
        .add_team_member(&fixture.coordinator, fixture.challenge, &new, None, now)
        .await
        .expect("seat");
    let email = NewEmail::text(
        domain::EmailAddress::parse("riley.reviewer@example.org").expect("email"),
        "Invitation",
        "You are invited",
    );
    store
        .invite_team(
            &fixture.coordinator,
            fixture.challenge,
            ChallengeState::TeamConfirmed,
            vec![(id, email)],
            now,
        )
        .await
        .expect("invited");
    id
}

async fn visit_day(store: &Store, fixture: &ChallengeFixture) -> NaiveDate {
    store
        .challenge(fixture.challenge)
        .await
        .expect("load")
        .expect("challenge")
        .visit_days[0]
}

fn activity_form<'a>(
    day: &'a str,
    (starts, ends): (&'a str, &'a str),
    title: &'a str,
    place: &'a str,
    reviewers: &[&'a str],
) -> Vec<(&'static str, &'a str)> {
    let mut form = vec![
        ("day", day),
        ("starts", starts),
        ("ends", ends),
        ("kind", "interview"),
        ("title", title),
        ("place", place),
        ("kloe", "1"),
    ];
    form.extend(reviewers.iter().map(|id| ("reviewers", *id)));
    form
}

/// The id at the end of a saved activity's change link, in the order of the page.
fn activity_ids(page: &Page, challenge: &str) -> Vec<ActivityId> {
    let marker = format!("href=\"/challenges/{challenge}/timetable/");
    page.body
        .match_indices(&marker)
        .filter_map(|(at, _)| {
            let rest = &page.body[at + marker.len()..];
            rest.get(..36)?.parse().ok()
        })
        .collect()
}

fn assert_error_page(page: &Page, field: &str, message: &str) {
    assert_eq!(
        page.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        page.body
    );
    assert!(page.body.contains("<title>Error: "), "title says Error");
    assert!(page.body.contains("govuk-error-summary"));
    assert!(
        page.body.contains(&format!("href=\"#{field}\"")),
        "the summary links to #{field}"
    );
    assert!(
        page.body.contains(&format!("id=\"{field}-error\"")),
        "the message sits next to {field}"
    );
    assert!(page.body.contains(message), "{message}");
}

async fn audit_count(store: &Store, action: &str) -> usize {
    store
        .audit_entries(
            &AuditFilter {
                action: Some(action.into()),
                ..AuditFilter::default()
            },
            1000,
        )
        .await
        .expect("audit")
        .len()
}

app_test!(
    the_host_builds_a_timetable_whose_clash_is_flagged_then_fixed,
    |app: TestApp| async move {
        let fixture = challenge_in(&app.store, "derby", ChallengeState::TeamConfirmed).await;
        let id = fixture.challenge.to_string();
        let day = visit_day(&app.store, &fixture).await.to_string();
        let lena = fixture.team[0].to_string();
        let omar = fixture.team[1].to_string();
        let timetable = format!("/challenges/{id}/timetable");
        let mut lead = app.browser_as(Who::LeadOfDerby).await;

        let form = lead.get(&format!("{timetable}/new")).await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.body.contains("class=\"govuk-back-link\""));
        assert!(form.body.contains("For example, 9:30 or 14:00"));
        assert!(
            form.body.contains(&format!("value=\"{day}\"")),
            "the visit day is a radio"
        );
        assert!(
            form.body.contains("Lena Lead derby"),
            "the team are checkboxes"
        );
        assert!(
            form.body.contains("value=\"none\""),
            "KLOE has a None choice"
        );

        // Nothing chosen: each problem next to its field, in the order of the form.
        let empty = lead.post(&format!("{timetable}/new"), &[]).await;
        assert_error_page(&empty, "day", "Select the day of the activity");
        assert_error_page(&empty, "starts", "Enter the start time");
        assert_error_page(&empty, "kind", "Select the type of activity");
        assert!(
            empty.body.find("href=\"#day\"") < empty.body.find("href=\"#starts\""),
            "in the order of the form"
        );

        // A time it cannot read: everything typed comes back.
        let bad = activity_form(
            &day,
            ("half nine", "11:00"),
            "Interview with the SENCO",
            "Room 4",
            &[&lena],
        );
        let page = lead.post(&format!("{timetable}/new"), &bad).await;
        assert_error_page(&page, "starts", "Enter the start time as hours and minutes");
        assert_eq!(page.input_value("starts").as_deref(), Some("half nine"));
        assert_eq!(
            page.input_value("title").as_deref(),
            Some("Interview with the SENCO")
        );
        assert_eq!(page.input_value("place").as_deref(), Some("Room 4"));
        assert!(
            page.body.contains(&format!("value=\"{lena}\" checked")),
            "the ticked reviewer"
        );
        assert!(
            page.body.contains(&format!("value=\"{day}\" checked")),
            "the chosen day"
        );

        // Two activities at once with Lena in both, in the same room: saved, and flagged.
        let first = activity_form(
            &day,
            ("9:30", "11:00"),
            "Case sampling",
            "Room 2, Council House",
            &[&lena, &omar],
        );
        let saved = lead.post(&format!("{timetable}/new"), &first).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        assert_eq!(
            saved.location(),
            Some(format!("{timetable}?notice=added").as_str())
        );
        let second = activity_form(
            &day,
            ("10:30", "12:00"),
            "Interview with the SENCO",
            "room 2, council house",
            &[&lena],
        );
        let saved = lead.post(&format!("{timetable}/new"), &second).await;
        assert_eq!(
            saved.status,
            StatusCode::SEE_OTHER,
            "a clash is flagged, not refused"
        );

        let page = lead.get(&format!("{timetable}?notice=added")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("govuk-notification-banner--success"));
        assert!(
            page.body.contains("There are 2 clashes in the timetable"),
            "{}",
            page.body
        );
        assert!(
            page.body
                .contains("Lena Lead derby is in two places at once")
        );
        assert!(page.body.contains("Room 2, Council House is booked twice"));
        let ids = activity_ids(&page, &id);
        assert_eq!(ids.len(), 2, "a change link per activity");
        assert!(
            page.body
                .contains(&format!("href=\"#activity-{}\"", ids[0])),
            "the list links to the rows"
        );
        assert!(page.body.contains(&format!("id=\"activity-{}\"", ids[1])));
        assert_eq!(
            page.body.matches("govuk-tag--red\">Clash</strong>").count(),
            4,
            "flagged on both rows"
        );

        // The printable view shows the clash too, without navigation.
        let print = lead.get(&format!("{timetable}/print")).await;
        assert_eq!(print.status, StatusCode::OK);
        assert!(print.body.contains("<h1"));
        assert!(!print.body.contains("govuk-service-navigation"));
        assert!(print.body.contains("There are 2 clashes"));
        assert!(print.body.contains("app-print-day"));

        // Edit the interview to after the case sampling, somewhere else: no clash left.
        let edit = format!("{timetable}/{}", ids[1]);
        let form = lead.get(&edit).await;
        assert_eq!(form.status, StatusCode::OK);
        assert_eq!(form.input_value("starts").as_deref(), Some("10:30"));
        let fixed = activity_form(
            &day,
            ("11:00", "12:00"),
            "Interview with the SENCO",
            "Room 5",
            &[&lena],
        );
        let saved = lead.post(&edit, &fixed).await;
        assert_eq!(
            saved.location(),
            Some(format!("{timetable}?notice=changed").as_str())
        );
        let page = lead.get(&timetable).await;
        assert!(!page.body.contains("Clash"), "{}", page.body);
        assert!(page.body.contains("11:00am to 12:00pm"));
        assert_eq!(audit_count(&app.store, "timetable.activity_added").await, 2);
        assert_eq!(
            audit_count(&app.store, "timetable.activity_changed").await,
            1
        );

        // Deleting asks first; a post without the confirmation goes back to the question.
        let delete = format!("{edit}/delete");
        let unconfirmed = lead.post(&delete, &[]).await;
        assert_eq!(unconfirmed.location(), Some(delete.as_str()));
        let question = lead.get(&delete).await;
        assert!(
            question
                .body
                .contains("Are you sure you want to delete this activity?")
        );
        let deleted = lead.post(&delete, &[("confirm", "yes")]).await;
        assert_eq!(
            deleted.location(),
            Some(format!("{timetable}?notice=deleted").as_str())
        );
        assert_eq!(activity_ids(&lead.get(&timetable).await, &id).len(), 1);
        assert_eq!(
            audit_count(&app.store, "timetable.activity_deleted").await,
            1
        );
        assert_eq!(lead.get(&edit).await.status, StatusCode::NOT_FOUND);

        // Another authority's lead, and a reviewer not on the team, get nothing.
        let mut other = app.browser_as(Who::Reviewer).await;
        assert_eq!(other.get(&timetable).await.status, StatusCode::FORBIDDEN);
        let nottingham =
            challenge_in(&app.store, "nottingham", ChallengeState::TeamConfirmed).await;
        let elsewhere = format!("/challenges/{}/timetable", nottingham.challenge);
        assert_eq!(lead.get(&elsewhere).await.status, StatusCode::FORBIDDEN);
        assert_eq!(
            lead.post(&format!("{elsewhere}/new"), &first).await.status,
            StatusCode::FORBIDDEN
        );
    }
);

/// Run a Python script over `input`; it prints one JSON document.
fn python_reads(script: &str, input: &[u8]) -> serde_json::Value {
    let mut python = Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 on PATH");
    let written = python.stdin.take().expect("piped stdin").write_all(input);
    let output = python.wait_with_output().expect("python3 ran");
    assert!(
        output.status.success(),
        "python3 reader failed (pip install icalendar):\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    written.expect("python3 read its input");
    serde_json::from_slice(&output.stdout).expect("python3 printed JSON")
}

const READ_ICS: &str = r#"
import sys, json, icalendar
cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read().decode("utf-8"))
events = [
    {
        "summary": str(event.get("SUMMARY")),
        "start": event.decoded("DTSTART").isoformat(),
        "end": event.decoded("DTEND").isoformat(),
        "location": str(event.get("LOCATION")),
    }
    for event in cal.walk("VEVENT")
]
print(json.dumps({"method": str(cal.get("METHOD")), "events": events}))
"#;

app_test!(
    a_reviewer_downloads_a_calendar_of_their_own_activities,
    |app: TestApp| async move {
        let fixture = challenge_in(&app.store, "nottingham", ChallengeState::TeamConfirmed).await;
        let riley = seat_the_reviewer(
            &app.store,
            &fixture,
            ReviewerType::LaOfficer,
            SeatRole::LaOfficer,
        )
        .await;
        // The fixture's activity has the original team only; add one with the reviewer.
        add_visit_fixtures(&app.store, fixture.challenge, &fixture.team).await;
        let day = visit_day(&app.store, &fixture).await;
        let id = fixture.challenge.to_string();
        let mut pm = app.browser_as(Who::ProjectManager).await;
        let day_text = day.to_string();
        let riley_text = riley.to_string();
        let form = activity_form(
            &day_text,
            ("14:00", "15:30"),
            "Focus group with parents",
            "Online",
            &[&riley_text],
        );
        let saved = pm
            .post(&format!("/challenges/{id}/timetable/new"), &form)
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);

        let mut reviewer = app.browser_as(Who::Reviewer).await;
        let page = reviewer.get(&format!("/challenges/{id}/timetable")).await;
        assert_eq!(page.status, StatusCode::OK, "the team sees the timetable");
        assert!(
            !page.body.contains("Add an activity"),
            "but may not change it"
        );
        assert_eq!(
            reviewer
                .get(&format!("/challenges/{id}/timetable/new"))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let ics = reviewer
            .get(&format!("/challenges/{id}/timetable.ics"))
            .await;
        assert_eq!(ics.status, StatusCode::OK);
        assert!(
            ics.header("content-type")
                .is_some_and(|v| v.starts_with("text/calendar"))
        );
        assert!(
            ics.header("content-disposition")
                .is_some_and(|v| v.starts_with("attachment"))
        );
        assert_eq!(
            ics.body.matches("BEGIN:VEVENT").count(),
            1,
            "only their own: {}",
            ics.body
        );
        let read = python_reads(READ_ICS, ics.body.as_bytes());
        assert_eq!(read["method"], "PUBLISH");
        let event = &read["events"][0];
        assert!(
            event["summary"]
                .as_str()
                .is_some_and(|s| s.starts_with("Focus group with parents"))
        );
        let at = |hour, minute| {
            uk_to_utc(day.and_time(NaiveTime::from_hms_opt(hour, minute, 0).expect("time")))
                .to_rfc3339()
        };
        assert_eq!(
            event["start"].as_str().map(|s| s.replace("+00:00", "Z")),
            Some(at(14, 0).replace("+00:00", "Z"))
        );
        assert_eq!(
            event["end"].as_str().map(|s| s.replace("+00:00", "Z")),
            Some(at(15, 30).replace("+00:00", "Z"))
        );

        // Those who build the timetable get all of it.
        let all = pm.get(&format!("/challenges/{id}/timetable.ics")).await;
        assert_eq!(all.body.matches("BEGIN:VEVENT").count(), 2);
    }
);

fn case_form<'a>(reference: &'a str, notes: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("reference", reference),
        ("age_band", "5-10"),
        ("need_type", "SEMH"),
        ("setting_type", "special_school"),
        ("notes", notes),
    ]
}

app_test!(
    the_case_sample_refuses_personal_data_and_a_repeated_reference,
    |app: TestApp| async move {
        let fixture = challenge_in(&app.store, "derby", ChallengeState::TeamConfirmed).await;
        let cases = format!("/challenges/{}/cases", fixture.challenge);
        let mut lead = app.browser_as(Who::LeadOfDerby).await;
        let page = lead.get(&cases).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("No cases have been added yet."));
        assert!(page.body.contains("Add a case"));

        let empty = lead.post(&cases, &[]).await;
        assert_error_page(&empty, "reference", "Enter a case reference");
        assert_error_page(&empty, "age_band", "Select the age band");
        assert_error_page(&empty, "need_type", "Select the primary type of need");

        // An NHS number in the notes is refused with the reason, and the answers kept.
        let nhs = case_form("DER-2027-01", "Seen by the paediatrician, NHS 943 476 5919");
        let page = lead.post(&cases, &nhs).await;
        assert_error_page(&page, "notes", "This looks like an NHS number");
        assert_eq!(
            page.input_value("reference").as_deref(),
            Some("DER-2027-01")
        );
        assert!(page.body.contains("value=\"5-10\" checked"));
        assert!(page.body.contains("value=\"SEMH\" selected"));
        assert!(page.body.contains("NHS 943 476 5919</textarea>"));
        assert_eq!(
            app.store
                .case_sample(fixture.challenge)
                .await
                .expect("cases")
                .len(),
            0
        );

        let good = case_form("DER-2027-01", "Plan reviewed in the autumn term");
        let saved = lead.post(&cases, &good).await;
        assert_eq!(
            saved.location(),
            Some(format!("{cases}?notice=added").as_str())
        );
        let page = lead.get(&format!("{cases}?notice=added")).await;
        assert!(page.body.contains("The case has been added to the sample"));
        assert!(page.body.contains("Social, emotional and mental health"));

        let again = lead.post(&cases, &case_form("der-2027-01", "")).await;
        assert_error_page(
            &again,
            "reference",
            "already has a case with that reference",
        );
        assert_eq!(
            app.store
                .case_sample(fixture.challenge)
                .await
                .expect("cases")
                .len(),
            1
        );
        assert_eq!(audit_count(&app.store, "case_sample.added").await, 1);
    }
);

app_test!(
    a_parent_carer_on_the_team_sees_the_case_references_but_nothing_else,
    |app: TestApp| async move {
        let fixture = challenge_in(&app.store, "nottingham", ChallengeState::TeamConfirmed).await;
        seat_the_reviewer(
            &app.store,
            &fixture,
            ReviewerType::ParentCarer,
            SeatRole::ParentCarer,
        )
        .await;
        let visit = add_visit_fixtures(&app.store, fixture.challenge, &fixture.team).await;
        let cases = format!("/challenges/{}/cases", fixture.challenge);

        let mut parent = app.browser_as(Who::Reviewer).await;
        let page = parent.get(&cases).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("NOT-2027-01"), "the reference");
        for detail in [
            "11 to 15",
            "Autistic spectrum disorder",
            "Mainstream secondary school",
            "Annual review due in the spring term",
            "Age band",
        ] {
            assert!(
                !page.body.contains(detail),
                "a parent carer must not see {detail}"
            );
        }
        assert!(page.body.contains("You see the case references only"));
        assert!(!page.body.contains("Add a case"));
        assert_eq!(
            parent
                .post(&cases, &case_form("NOT-2027-09", ""))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            parent
                .get(&format!("{cases}/{}/delete", visit.case))
                .await
                .status,
            StatusCode::FORBIDDEN
        );

        // A professional on a team sees the details.
        let other = challenge_in(&app.store, "rutland", ChallengeState::TeamConfirmed).await;
        add_visit_fixtures(&app.store, other.challenge, &other.team).await;
        let mut coordinator = app.browser_as(Who::Coordinator).await;
        let page = coordinator
            .get(&format!("/challenges/{}/cases", other.challenge))
            .await;
        assert!(page.body.contains("Autistic spectrum disorder"));
        assert!(page.body.contains("Annual review due in the spring term"));
    }
);

/// The pre-reading, with a 2 KB limit so a large file is cheap to make.
async fn pre_reading_checks_type_and_size_and_records_downloads(app: TestApp) {
    let fixture = challenge_in(&app.store, "derby", ChallengeState::TeamConfirmed).await;
    let documents = format!("/challenges/{}/documents", fixture.challenge);
    let mut lead = app.browser_as(Who::LeadOfDerby).await;
    let page = lead.get(&documents).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("enctype=\"multipart/form-data\""));
    assert!(
        page.body
            .contains(&format!("action=\"{documents}?csrf_token="))
    );
    assert!(
        page.body.contains("2 KB or smaller"),
        "the limit is on the page"
    );

    let upload = |kind: &'static str, name: &'static str, bytes: &'static [u8]| {
        (vec![("kind", kind)], Some(("file", name, bytes)))
    };
    for ((text, file), field, message) in [
        ((vec![], None), "kind", "Select what the document is"),
        ((vec![("kind", "data_pack")], None), "file", "Select a file"),
        (
            upload("data_pack", "Data.pdf", b""),
            "file",
            "The selected file is empty",
        ),
        (
            upload("data_pack", "Data.exe", b"MZ\x90\x00 a program"),
            "file",
            "The selected file must be a PDF, Word (.docx), Excel (.xlsx)",
        ),
        (
            upload("data_pack", "Data.pdf", b"MZ\x90\x00 a program"),
            "file",
            "The selected file is not a PDF, whatever its name says",
        ),
        (
            upload("data_pack", "Data.xlsx", PDF),
            "file",
            "The selected file is not an Excel workbook (.xlsx)",
        ),
        (
            upload("data_pack", "Data.pdf", &[b'%'; 4096]),
            "file",
            "The selected file must be 2 KB or smaller",
        ),
        // The words of a file are checked as a form's free text is, and the refusal names
        // the kind of identifier without repeating it.
        (
            upload("other", "Cases.txt", b"Case A: NHS 943 476 5919\n"),
            "file",
            "The selected file looks like it holds an NHS number. Pre-reading must not identify a child",
        ),
        (
            upload(
                "data_pack",
                "Cases.pdf",
                b"%PDF-1.4\n1 0 obj\n<< /Length 44 >>\nstream\nBT (Jamie Smith, 12/03/2015) Tj ET\nendstream\nendobj\n%%EOF\n",
            ),
            "file",
            "The selected file looks like it holds a name with a date of birth.",
        ),
    ] {
        let page = lead.post_multipart(&documents, &text, file).await;
        assert_error_page(&page, field, message);
        assert!(!page.body.contains("943 476 5919") && !page.body.contains("12/03/2015"));
    }
    // Far over the limit, the body itself is cut off: the same message.
    let huge: &'static [u8] = Box::leak(vec![b'a'; 200 * 1024].into_boxed_slice());
    let page = lead
        .post_multipart(
            &documents,
            &[("kind", "other")],
            Some(("file", "Notes.txt", huge)),
        )
        .await;
    assert_error_page(&page, "file", "The selected file must be 2 KB or smaller");
    assert!(
        app.store
            .pre_reading(fixture.challenge)
            .await
            .expect("list")
            .is_empty()
    );

    let page = lead
        .post_multipart(
            &documents,
            &[("kind", "self_evaluation")],
            Some(("file", "../SEF 2027.pdf", PDF)),
        )
        .await;
    assert_eq!(
        page.location(),
        Some(format!("{documents}?notice=uploaded").as_str()),
        "{}",
        page.body
    );
    let listed = app
        .store
        .pre_reading(fixture.challenge)
        .await
        .expect("list");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].file_name, "SEF 2027.pdf");
    let download = format!("{documents}/{}", listed[0].id);

    // The team downloads it once they have accepted (and with it the confidentiality
    // undertaking), and every download is recorded with who.
    let seat = seat_the_reviewer(
        &app.store,
        &fixture,
        ReviewerType::ParentCarer,
        SeatRole::ParentCarer,
    )
    .await;
    let mut reviewer = app.browser_as(Who::Reviewer).await;
    assert_eq!(
        reviewer.get(&download).await.status,
        StatusCode::FORBIDDEN,
        "not while only invited"
    );
    app.store
        .respond_to_invitation(
            &principal_of(&app.store, "reviewer1@example.org").await,
            seat,
            &domain::challenge::InvitationResponse::Accept,
            None,
            Utc::now(),
        )
        .await
        .expect("accepted");
    let list = reviewer.get(&documents).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("SEF 2027.pdf"));
    assert!(!list.body.contains("Upload a document"));
    for _ in 0..2 {
        let file = reviewer.get(&download).await;
        assert_eq!(file.status, StatusCode::OK);
        assert_eq!(file.header("content-type"), Some("application/pdf"));
        assert_eq!(
            file.header("content-disposition"),
            Some("attachment; filename=\"SEF 2027.pdf\"")
        );
        assert_eq!(file.body.as_bytes(), PDF);
    }
    let reviewer_id = principal_of(&app.store, "reviewer1@example.org")
        .await
        .user_id;
    let downloads = app
        .store
        .audit_entries(
            &AuditFilter {
                action: Some("pre_reading.downloaded".into()),
                ..AuditFilter::default()
            },
            10,
        )
        .await
        .expect("audit");
    assert_eq!(downloads.len(), 2);
    assert!(downloads.iter().all(
        |entry| entry.actor == Some(reviewer_id) && entry.object_id == listed[0].id.to_string()
    ));

    // The board, and another authority's lead, get nothing.
    let mut board = app.browser_as(Who::Board).await;
    assert_eq!(board.get(&download).await.status, StatusCode::FORBIDDEN);
    let nottingham = challenge_in(&app.store, "nottingham", ChallengeState::TeamConfirmed).await;
    let theirs = add_visit_fixtures(&app.store, nottingham.challenge, &nottingham.team).await;
    let elsewhere = format!(
        "/challenges/{}/documents/{}",
        nottingham.challenge, theirs.document
    );
    assert_eq!(lead.get(&elsewhere).await.status, StatusCode::FORBIDDEN);
    // A document of another challenge is not found through this one.
    assert_eq!(
        lead.get(&format!("{documents}/{}", theirs.document))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(audit_count(&app.store, "pre_reading.downloaded").await, 2);

    let deleted = lead
        .post(&format!("{download}/delete"), &[("confirm", "yes")])
        .await;
    assert_eq!(
        deleted.location(),
        Some(format!("{documents}?notice=deleted").as_str())
    );
    assert_eq!(reviewer.get(&download).await.status, StatusCode::NOT_FOUND);
}

mod pre_reading_checks_type_and_size_and_records_downloads {
    use super::*;

    fn small_uploads(settings: &mut web::Settings) {
        settings.pre_reading_max_bytes = 2048;
    }

    #[tokio::test]
    async fn sqlite() {
        let app = TestApp::with_settings(store::Backend::Sqlite, small_uploads).await;
        pre_reading_checks_type_and_size_and_records_downloads(app).await;
    }

    #[tokio::test]
    async fn postgres() {
        let app = TestApp::with_settings(store::Backend::Postgres, small_uploads).await;
        pre_reading_checks_type_and_size_and_records_downloads(app).await;
    }
}

/// Hostile files through the real pre-reading upload, at its real 20 MB limit: each refused
/// with a message naming what was expected or the limit passed, and nothing stored. A zip
/// renamed .docx used to be accepted on its first four bytes.
async fn hostile_pre_reading_is_refused_naming_the_limit(app: TestApp) {
    let fixture = challenge_in(&app.store, "derby", ChallengeState::TeamConfirmed).await;
    let documents = format!("/challenges/{}/documents", fixture.challenge);
    let mut lead = app.browser_as(Who::LeadOfDerby).await;
    let page = lead.get(&documents).await;
    assert!(
        page.body.contains("20 MB or smaller"),
        "the limit is on the page"
    );
    let bomb: &'static [u8] = Box::leak(upload::hostile::zip_bomb(1).into_boxed_slice());
    let many: &'static [u8] = Box::leak(upload::hostile::many_entries(100_000).into_boxed_slice());
    // A zip naming a Word folder, as the old check looked for, but no Word document.
    let renamed = upload::hostile::raw_zip(&[upload::hostile::RawEntry::stored(
        "word/document.xml",
        b"<not-word/>",
    )]);
    let renamed: &'static [u8] = Box::leak(renamed.into_boxed_slice());
    for (name, bytes, message) in [
        (
            "Data.xlsx",
            bomb,
            "The selected file unpacks to more than 100 times its own size",
        ),
        (
            "Slides.pptx",
            many,
            "The selected file holds more than 10,000 files packed inside it",
        ),
        (
            "SEF.docx",
            renamed,
            "The selected file is not a Word document (.docx), whatever its name says",
        ),
        (
            "Figures.csv",
            b"Area,EHCP\r\nDerby,\x00\x01",
            "The selected file is not a CSV file in UTF-8",
        ),
    ] {
        let page = lead
            .post_multipart(
                &documents,
                &[("kind", "data_pack")],
                Some(("file", name, bytes)),
            )
            .await;
        assert_error_page(&page, "file", message);
    }
    assert!(
        app.store
            .pre_reading(fixture.challenge)
            .await
            .expect("list")
            .is_empty(),
        "nothing stored"
    );
}

app_test!(
    hostile_pre_reading_is_refused_naming_the_limit,
    hostile_pre_reading_is_refused_naming_the_limit
);

app_test!(
    nothing_changes_once_the_visit_is_past_preparation,
    |app: TestApp| async move {
        let fixture = challenge_in(&app.store, "derby", ChallengeState::TeamConfirmed).await;
        let visit = add_visit_fixtures(&app.store, fixture.challenge, &fixture.team).await;
        app.store
            .move_challenge(
                &fixture.coordinator,
                fixture.challenge,
                ChallengeState::TeamConfirmed,
                ChallengeState::Cancelled,
                Some("No dates".into()),
                Utc::now(),
            )
            .await
            .expect("cancelled");
        let base = format!("/challenges/{}", fixture.challenge);
        let mut lead = app.browser_as(Who::LeadOfDerby).await;
        let page = lead.get(&format!("{base}/timetable")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(!page.body.contains("Add an activity"));
        assert!(page.body.contains("can no longer be changed"));
        let day = visit_day(&app.store, &fixture).await.to_string();
        let form = activity_form(&day, ("9:00", "10:00"), "Huddle", "Room 1", &[]);
        let refused = lead.post(&format!("{base}/timetable/new"), &form).await;
        assert_eq!(
            refused.location(),
            Some(format!("{base}/timetable?notice=closed").as_str())
        );
        let refused = lead
            .post(
                &format!("{base}/cases/{}/delete", visit.case),
                &[("confirm", "yes")],
            )
            .await;
        assert_eq!(
            refused.location(),
            Some(format!("{base}/cases?notice=closed").as_str())
        );
        let page = lead.get(&format!("{base}/cases?notice=closed")).await;
        assert!(page.body.contains("The visit can no longer be changed"));
        assert!(!page.body.contains("Add a case"));
        assert_eq!(
            app.store
                .case_sample(fixture.challenge)
                .await
                .expect("cases")
                .len(),
            1
        );
        // The documents can still be read.
        let file = lead
            .get(&format!("{base}/documents/{}", visit.document))
            .await;
        assert_eq!(file.status, StatusCode::OK);
    }
);

app_test!(
    a_title_on_two_lines_is_refused_and_kept,
    |app: TestApp| async move {
        let fixture = challenge_in(&app.store, "derby", ChallengeState::TeamConfirmed).await;
        let id = fixture.challenge.to_string();
        let day = visit_day(&app.store, &fixture).await.to_string();
        let mut lead = app.browser_as(Who::LeadOfDerby).await;
        let before = app
            .store
            .timetable(fixture.challenge)
            .await
            .expect("timetable")
            .len();
        let new = format!("/challenges/{id}/timetable/new");
        let form = lead.get(&new).await;
        assert!(form.body.contains("Up to 200 characters."), "title hint");
        assert!(form.body.contains("Up to 500 characters."), "place hint");

        let title = "Focus group\nwith parents";
        let form = activity_form(&day, ("9:00", "10:00"), title, "Room 1", &[]);
        let page = lead.post(&new, &form).await;
        assert_error_page(&page, "title", "Title must be on one line");
        assert_eq!(page.input_value("title").as_deref(), Some(title), "kept");

        let place = "y".repeat(900_000);
        let form = activity_form(&day, ("9:00", "10:00"), "Huddle", &place, &[]);
        let page = lead.post(&new, &form).await;
        assert_error_page(&page, "place", "Place must be 500 characters or fewer");
        assert_eq!(
            app.store
                .timetable(fixture.challenge)
                .await
                .expect("timetable")
                .len(),
            before,
            "nothing added"
        );
    }
);

/// A session with parents on the first visit day, in Room 4 on KLOE 1, for `reviewer`:
/// `(start hour, minute, end hour, minute)`.
async fn parents_activity(
    store: &Store,
    fixture: &ChallengeFixture,
    reviewer: TeamMemberId,
    (start_hour, start_minute, end_hour, end_minute): (u32, u32, u32, u32),
    title: &str,
) -> ActivityId {
    let time = |hour, minute| NaiveTime::from_hms_opt(hour, minute, 0).expect("time");
    store
        .add_activity(
            fixture.challenge,
            &domain::timetable::ActivityPlan {
                day: visit_day(store, fixture).await,
                starts: time(start_hour, start_minute),
                ends: time(end_hour, end_minute),
                kind: domain::timetable::ActivityKind::FocusGroupParents,
                title: title.into(),
                place: "Room 4".into(),
                kloe: Some(1),
                reviewers: vec![reviewer],
            },
            fixture.coordinator.user_id,
            Utc::now(),
        )
        .await
        .expect("activity")
}

/// A Nottingham challenge on its visit day with the test reviewer (Riley) on the team, seat
/// accepted: the morning's activity is the rest of the team's, the afternoon's Riley's.
struct RileyOnTheDay {
    fixture: ChallengeFixture,
    riley: TeamMemberId,
    morning: ActivityId,
    afternoon: ActivityId,
}

async fn riley_on_the_day(app: &TestApp) -> RileyOnTheDay {
    let fixture = challenge_in(&app.store, "nottingham", ChallengeState::TeamConfirmed).await;
    let riley = seat_the_reviewer(
        &app.store,
        &fixture,
        ReviewerType::LaOfficer,
        SeatRole::LaOfficer,
    )
    .await;
    let reviewer = principal_of(&app.store, "reviewer1@example.org").await;
    app.store
        .respond_to_invitation(
            &reviewer,
            riley,
            &domain::challenge::InvitationResponse::Accept,
            None,
            Utc::now(),
        )
        .await
        .expect("accept");
    // The morning's activity is the rest of the team's; the afternoon's is Riley's.
    let morning = add_visit_fixtures(&app.store, fixture.challenge, &fixture.team)
        .await
        .activity;
    let afternoon = parents_activity(
        &app.store,
        &fixture,
        riley,
        (14, 0, 15, 30),
        "Focus group with parents",
    )
    .await;
    for (from, to) in [
        (ChallengeState::TeamConfirmed, ChallengeState::Scheduled),
        (ChallengeState::Scheduled, ChallengeState::Visit),
    ] {
        app.store
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

    RileyOnTheDay {
        fixture,
        riley,
        morning,
        afternoon,
    }
}

app_test!(
    the_evidence_form_offers_the_reviewers_own_activities_first,
    |app: TestApp| async move {
        let RileyOnTheDay {
            fixture,
            morning,
            afternoon,
            ..
        } = riley_on_the_day(&app).await;
        let mut browser = app.browser_as(Who::Reviewer).await;
        let page = browser
            .get(&format!("/challenges/{}/evidence", fixture.challenge))
            .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let position = |activity: ActivityId| {
            page.body
                .find(&format!("<option value=\"{activity}\""))
                .unwrap_or_else(|| panic!("{activity} is offered:\n{}", page.body))
        };
        assert!(
            position(afternoon) < position(morning),
            "the reviewer's own activity comes before the team's earlier one"
        );
    }
);

// Each note is first saved against the challenge as last kept, without reading its version
// (the note's INSERT checks it): a kept challenge out of date must neither refuse what a
// fresh reading allows nor allow what it refuses.
app_test!(
    evidence_is_checked_against_the_challenge_as_it_now_stands,
    |app: TestApp| async move {
        let RileyOnTheDay {
            fixture,
            riley,
            afternoon,
            ..
        } = riley_on_the_day(&app).await;
        let challenge = fixture.challenge;
        let evidence = format!("/challenges/{challenge}/evidence");
        let mut browser = app.browser_as(Who::Reviewer).await;
        browser.get(&evidence).await;
        let mut note = async |activity: ActivityId, text: &str| {
            browser
                .post(
                    &evidence,
                    &[
                        ("activity", &activity.to_string()),
                        ("kloe", "1"),
                        ("kind", "strength"),
                        ("note", text),
                        ("save", "record"),
                    ],
                )
                .await
                .status
        };
        assert_eq!(
            note(afternoon, "Parents said plans reflect them").await,
            StatusCode::SEE_OTHER
        );

        // An activity added since the challenge was kept is offered and saved.
        let evening = parents_activity(
            &app.store,
            &fixture,
            riley,
            (16, 0, 17, 0),
            "Evening drop-in for parents",
        )
        .await;
        assert_eq!(
            note(evening, "The drop-in was full").await,
            StatusCode::SEE_OTHER
        );

        // A change elsewhere in what the challenge is read from (another area's request)
        // leaves the kept challenge out of date: the note is saved once, on a fresh reading.
        challenge_in(&app.store, "derby", ChallengeState::Requested).await;
        assert_eq!(
            note(afternoon, "The SENCO knew every plan").await,
            StatusCode::SEE_OTHER
        );

        // Taken off the team, Riley records nothing more, though the challenge as last kept
        // still has them on it.
        app.store
            .remove_team_member(&fixture.coordinator, riley, Utc::now())
            .await
            .expect("removed");
        assert_eq!(
            note(afternoon, "Written after leaving the team").await,
            StatusCode::FORBIDDEN
        );
        let user = principal_of(&app.store, "reviewer1@example.org")
            .await
            .user_id;
        let own = app.store.own_evidence(challenge, user).await.expect("own");
        let notes: Vec<_> = own.iter().map(|n| n.entry.note.as_str()).collect();
        assert_eq!(
            notes,
            [
                "Parents said plans reflect them",
                "The drop-in was full",
                "The SENCO knew every plan"
            ]
        );
        let recorded = app
            .store
            .audit_entries(
                &AuditFilter {
                    action: Some("evidence.recorded".into()),
                    ..AuditFilter::default()
                },
                10,
            )
            .await
            .expect("audit");
        assert_eq!(recorded.len(), 3, "one audit entry a note");
    }
);
