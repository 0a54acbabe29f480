//! Training through the router on both databases: the demand page, a session form with
//! every validation message, invitations with their calendar files, and attendance.

use crate::support;

use std::io::Write;
use std::process::{Command, Stdio};

use axum::http::StatusCode;
use chrono::{Datelike, Duration, Utc};
use domain::clock::uk_date;
use domain::pool::{HomeArea, MemberProfile, ReviewerType};
use domain::{AuthoritySlug, EmailAddress, PersonName, PoolMemberId};
use store::Store;
use support::{TestApp, Who};

fn profile(name: &str, kind: ReviewerType, home: HomeArea) -> MemberProfile {
    let email = format!("{}@example.org", name.to_lowercase().replace(' ', "."));
    MemberProfile {
        name: PersonName::parse(name).expect("name"),
        email: EmailAddress::parse(&email).expect("email"),
        phone: None,
        reviewer_type: kind,
        organisation: "Example Council".into(),
        home,
        experience: String::new(),
        adjustments: String::new(),
        needs_training: true,
        trained_on: None,
        online_only: false,
        max_per_year: 4,
        expertise: vec![],
        unavailable: vec![],
        conflicts: vec![],
        travel_to: vec![],
    }
}

fn derby() -> HomeArea {
    HomeArea::Authority(AuthoritySlug::parse("derby").expect("slug"))
}

/// Three people waiting for training, joined 40, 20 and 5 days ago.
async fn seed(store: &Store) -> [PoolMemberId; 3] {
    let now = Utc::now();
    let mut ids = Vec::new();
    for (name, kind, home, days) in [
        ("Asha Patel", ReviewerType::LaOfficer, derby(), 40),
        (
            "Ben Carter",
            ReviewerType::ParentCarer,
            HomeArea::OutsideRegion("West Midlands".into()),
            20,
        ),
        ("Cara Jones", ReviewerType::Health, derby(), 5),
    ] {
        ids.push(
            store
                .add_pool_member(
                    &profile(name, kind, home),
                    None,
                    None,
                    now - Duration::days(days),
                )
                .await
                .expect("member"),
        );
    }
    [ids[0], ids[1], ids[2]]
}

/// The session form for today (UK), 09:00 to 16:00, for `capacity` people.
fn today_form(capacity: &str) -> Vec<(&'static str, String)> {
    let today = uk_date(Utc::now());
    vec![
        (
            "title",
            "Reviewer training: peer challenge in practice".into(),
        ),
        ("date-day", today.day().to_string()),
        ("date-month", today.month().to_string()),
        ("date-year", today.year().to_string()),
        ("starts", "09:00".into()),
        ("ends", "16:00".into()),
        ("venue", "County Hall, Matlock".into()),
        ("online_link", "https://meet.example.org/training".into()),
        ("capacity", capacity.into()),
        ("trainer", "Alex Morgan".into()),
    ]
}

fn fields<'a>(form: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    form.iter()
        .map(|(key, value)| (*key, value.as_str()))
        .collect()
}

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
event = cal.walk("VEVENT")[0]
attendees = event.get("attendee")
attendees = [] if attendees is None else (attendees if isinstance(attendees, list) else [attendees])
print(json.dumps({
    "method": str(cal["method"]),
    "uid": str(event["uid"]),
    "summary": str(event["summary"]),
    "location": str(event["location"]),
    "url": str(event["url"]),
    "start": event.decoded("dtstart").isoformat(),
    "end": event.decoded("dtend").isoformat(),
    "organizer": str(event["organizer"]) if "organizer" in event else None,
    "attendees": [str(a) for a in attendees],
}))
"#;

async fn the_waiting_list_shows_demand(app: TestApp) {
    seed(&app.store).await;
    let mut pm = app.browser_as(Who::ProjectManager).await;
    let page = pm.get("/training").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("href=\"/training\""), "a Training link");
    for text in [
        "People waiting",
        "40 days",
        "Local authority officer",
        "Parent or carer",
        "Derby",
        "Outside the East Midlands (West Midlands)",
        "Asha Patel",
        "No training sessions have been arranged yet.",
    ] {
        assert!(page.body.contains(text), "{text}");
    }
    // Two in Derby, one from the West Midlands.
    assert!(page.body.contains(
        "<th scope=\"row\" class=\"govuk-table__header\">Derby</th>\n          <td class=\"govuk-table__cell govuk-table__cell--numeric\">2</td>"
    ));
    let mut reviewer = app.browser_as(Who::Reviewer).await;
    let dashboard = reviewer.get("/dashboard").await;
    assert!(
        !dashboard.body.contains("href=\"/training\""),
        "no link for reviewers"
    );
}

app_test!(the_waiting_list_shows_demand, the_waiting_list_shows_demand);

async fn a_bad_session_form_keeps_every_answer(app: TestApp) {
    let mut pm = app.browser_as(Who::ProjectManager).await;
    assert_eq!(pm.get("/training/new").await.status, StatusCode::OK);
    let page = pm
        .post(
            "/training/new",
            &[
                ("title", "Induction <b>day</b>"),
                ("date-day", "31"),
                ("date-month", "2"),
                ("date-year", "2027"),
                ("starts", "14:00"),
                ("ends", "13:30"),
                ("venue", ""),
                ("online_link", ""),
                ("capacity", "0"),
                ("trainer", ""),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body
            .contains("<title>Error: Arrange a training session")
    );
    for (link, message) in [
        ("#date-day", "Date of the session must be a real date"),
        ("#ends", "The end time must be after the start time"),
        ("#venue", "Enter a venue or an online link for the session"),
        ("#capacity", "Capacity must be between 1 and 100"),
        ("#trainer", "Enter the name of the trainer"),
    ] {
        assert!(
            page.body.contains(&format!("href=\"{link}\"")),
            "summary links to {link}"
        );
        assert!(
            page.body.contains(&format!(
                "<span class=\"govuk-visually-hidden\">Error:</span> {message}"
            )),
            "message next to the field: {message}"
        );
    }
    assert_eq!(
        page.input_value("title").as_deref(),
        Some("Induction &#60;b&#62;day&#60;/b&#62;"),
        "answers kept, escaped"
    );
    assert_eq!(page.input_value("date-day").as_deref(), Some("31"));
    assert_eq!(page.input_value("starts").as_deref(), Some("14:00"));
    assert_eq!(page.input_value("ends").as_deref(), Some("13:30"));
    assert_eq!(page.input_value("capacity").as_deref(), Some("0"));

    let page = pm
        .post(
            "/training/new",
            &[
                ("title", "Induction"),
                ("date-day", "1"),
                ("date-month", "3"),
                ("date-year", "2027"),
                ("starts", "ten"),
                ("ends", "16:00"),
                ("online_link", "meet.example.org"),
                ("capacity", "twelve"),
                ("trainer", "Alex Morgan"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    for message in [
        "Enter the start time as hours and minutes, like 10:00 or 14:30",
        "Enter the online link in the correct format",
        "Capacity must be a whole number, like 12",
    ] {
        assert!(page.body.contains(message), "{message}");
    }
    assert!(
        app.store
            .training_sessions()
            .await
            .expect("sessions")
            .is_empty()
    );
}

app_test!(
    a_bad_session_form_keeps_every_answer,
    a_bad_session_form_keeps_every_answer
);

async fn invite_and_record_attendance(app: TestApp) {
    let [asha, ben, cara] = seed(&app.store).await;
    let mut pm = app.browser_as(Who::ProjectManager).await;
    let created = pm.post("/training/new", &fields(&today_form("2"))).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let location = created.location().expect("redirect").to_owned();
    assert!(location.ends_with("?created=1"), "{location}");
    let session_path = location.trim_end_matches("?created=1").to_owned();
    let page = pm.get(&location).await;
    assert_eq!(page.status, StatusCode::OK);
    for text in [
        "Training session created",
        "Reviewer training: peer challenge in practice",
        "9:00am to 4:00pm",
        "County Hall, Matlock",
        "https://meet.example.org/training",
        "Alex Morgan",
        "There are 2 places left.",
        "Asha Patel",
        "Waiting 40 days.",
    ] {
        assert!(page.body.contains(text), "{text}");
    }

    // Nothing chosen; then more people than places, with the choices kept.
    let invite = format!("{session_path}/invite");
    let none = pm.post(&invite, &[]).await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(none.body.contains("Select who to invite"));
    let (a, b, c) = (asha.to_string(), ben.to_string(), cara.to_string());
    let too_many = pm
        .post(
            &invite,
            &[("members", &a), ("members", &b), ("members", &c)],
        )
        .await;
    assert_eq!(too_many.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        too_many
            .body
            .contains("There are not enough places left on this session for everyone you selected")
    );
    assert!(too_many.body.contains(&format!("value=\"{c}\" checked")));
    assert!(
        app.store
            .outbox_emails(10)
            .await
            .expect("outbox")
            .is_empty()
    );

    let sent = pm.post(&invite, &[("members", &a), ("members", &b)]).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let page = pm.get(sent.location().expect("redirect")).await;
    assert!(page.body.contains("Invitation sent to 2 people"));
    assert!(page.body.contains("This session is full."));

    // Each invitee has an email with a calendar invitation an independent reader accepts.
    let emails = app.store.outbox_emails(10).await.expect("outbox");
    assert_eq!(emails.len(), 2);
    let to_asha = emails
        .iter()
        .find(|email| email.to.as_str() == "asha.patel@example.org")
        .expect("Asha's invitation");
    assert!(
        to_asha
            .subject
            .starts_with("Invitation: reviewer training on ")
    );
    assert!(to_asha.body_text.contains("Dear Asha Patel"));
    assert!(to_asha.body_text.contains("County Hall, Matlock"));
    assert_eq!(to_asha.attachments.len(), 1);
    let file = &to_asha.attachments[0];
    assert_eq!(
        file.content_type,
        "text/calendar; method=REQUEST; charset=UTF-8"
    );
    assert!(file.file_name.ends_with(".ics"));
    let seen = python_reads(READ_ICS, &file.bytes);
    let session_id = session_path.trim_start_matches("/training/");
    assert_eq!(seen["method"], "REQUEST");
    assert_eq!(
        seen["uid"],
        format!("training-{session_id}@peer-challenge.test")
    );
    assert_eq!(
        seen["summary"],
        "Reviewer training: peer challenge in practice"
    );
    assert_eq!(seen["location"], "County Hall, Matlock");
    assert_eq!(seen["url"], "https://meet.example.org/training");
    assert_eq!(
        seen["organizer"],
        format!("mailto:{}", app.settings.contact.project_manager_email)
    );
    assert_eq!(
        seen["attendees"],
        serde_json::json!(["mailto:asha.patel@example.org"])
    );
    let detail = app
        .store
        .training_session(session_id.parse().expect("id"))
        .await
        .expect("read")
        .expect("session");
    assert_eq!(seen["start"], detail.session.starts_at.to_rfc3339());

    // The session as a download for the project manager: published, nobody invited.
    let download = pm.get(&format!("{session_path}/invitation.ics")).await;
    assert_eq!(download.status, StatusCode::OK);
    assert_eq!(
        download.header("content-type"),
        Some("text/calendar; charset=utf-8")
    );
    assert!(
        download
            .header("content-disposition")
            .is_some_and(|value| value.starts_with("attachment; filename=\"training-"))
    );
    let published = python_reads(READ_ICS, download.body.as_bytes());
    assert_eq!(published["method"], "PUBLISH");
    assert_eq!(published["uid"], seen["uid"], "the same event");
    assert_eq!(published["attendees"], serde_json::json!([]));

    // Attendance: every invitee needs an answer, and answers given are kept.
    let attendance = format!("{session_path}/attendance");
    let missing = pm
        .post(&attendance, &[(&format!("attendance-{asha}"), "attended")])
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing.body.contains("Select whether Ben Carter attended"));
    assert!(
        missing
            .body
            .contains(&format!("href=\"#attendance-{ben}\""))
    );
    assert!(missing.body.contains("value=\"attended\" checked"));
    let saved = pm
        .post(
            &attendance,
            &[
                (&format!("attendance-{asha}"), "attended"),
                (&format!("attendance-{ben}"), "absent"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = pm.get(saved.location().expect("redirect")).await;
    assert!(page.body.contains("Attendance recorded"));
    assert!(page.body.contains("Did not attend"));
    let asha_now = app
        .store
        .pool_member(asha)
        .await
        .expect("read")
        .expect("asha");
    assert_eq!(asha_now.profile.trained_on, Some(uk_date(Utc::now())));
    assert!(!asha_now.profile.needs_training);
    let waiting: Vec<_> = app
        .store
        .training_waiting_list(Utc::now())
        .await
        .expect("waiting")
        .into_iter()
        .map(|member| member.trainee.id)
        .collect();
    assert_eq!(waiting, [ben, cara], "Ben still waits; Asha is trained");
    let overview = pm.get("/training").await;
    assert!(overview.body.contains("2 of 2"));
}

app_test!(invite_and_record_attendance, invite_and_record_attendance);

async fn a_future_session_waits_for_its_day(app: TestApp) {
    let [asha, ..] = seed(&app.store).await;
    let mut pm = app.browser_as(Who::ProjectManager).await;
    let mut form = today_form("5");
    let next_year = (uk_date(Utc::now()).year() + 1).to_string();
    form[1].1 = "1".into();
    form[2].1 = "6".into();
    form[3].1 = next_year;
    let created = pm.post("/training/new", &fields(&form)).await;
    let session_path = created
        .location()
        .expect("redirect")
        .trim_end_matches("?created=1")
        .to_owned();
    let a = asha.to_string();
    pm.post(&format!("{session_path}/invite"), &[("members", &a)])
        .await;
    let page = pm.get(&session_path).await;
    assert!(
        page.body
            .contains("You can record attendance from the day of the session")
    );
    assert!(!page.body.contains("Save attendance"));
    let early = pm
        .post(
            &format!("{session_path}/attendance"),
            &[(&format!("attendance-{asha}"), "attended")],
        )
        .await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        early
            .body
            .contains("You can record attendance from the day of the session")
    );
    let unknown = pm.get("/training/not-a-session").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

app_test!(
    a_future_session_waits_for_its_day,
    a_future_session_waits_for_its_day
);
