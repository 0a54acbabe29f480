//! Staffing a challenge as the project manager reads it: a seat nobody can fill explained in
//! plain words with whom to ask, and confirmation re-checking every hard rule, refusing a
//! team that breaks one unless the project manager gives a reason the audit log keeps.

use axum::http::StatusCode;
use chrono::Utc;
use domain::AuthoritySlug;
use domain::lifecycle::ChallengeState;
use domain::pool::ReviewerType;
use store::AuditFilter;

use super::support::challenge_fixture::{challenge_in, member_profile};
use super::support::{TestApp, Who};

fn slug(text: &str) -> AuthoritySlug {
    AuthoritySlug::parse(text).expect("slug")
}

async fn an_unfillable_seat_is_explained_in_plain_words(app: TestApp) {
    let fixture = challenge_in(&app.store, "nottingham", ChallengeState::Scoping).await;
    for (name, kind, home) in [
        ("Lena Lead", ReviewerType::LaOfficer, "derby"),
        ("Omar Officer", ReviewerType::LaOfficer, "leicester"),
        ("Nia Parent", ReviewerType::ParentCarer, "nottingham"),
    ] {
        app.store
            .add_pool_member(&member_profile(name, kind, home), None, None, Utc::now())
            .await
            .expect("member");
    }
    // The one parent carer from elsewhere only goes to Lincolnshire.
    let mut tia = member_profile("Tia Traveller", ReviewerType::ParentCarer, "rutland");
    tia.travel_to = vec![slug("lincolnshire")];
    let tia = app
        .store
        .add_pool_member(&tia, None, None, Utc::now())
        .await
        .expect("member");

    let mut pm = app.browser_as(Who::ProjectManager).await;
    let team_page = format!("/challenges/{}/team", fixture.challenge);
    let page = pm.post(&format!("{team_page}/propose"), &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let page = pm.get(&team_page).await;
    let body = page.body.replace("&#39;", "'");
    for words in [
        "Unfilled seat: Parent carer.",
        "No parent carer can take this seat on",
        "2 parent carers are trained",
        "1 is from Nottingham",
        "1 does not travel there",
        "Ask Tia Traveller (Rutland) to add Nottingham to the places they travel to",
        &format!("href=\"/pool/members/{tia}\""),
        "knows Quality of EHC plans",
    ] {
        assert!(body.contains(words), "{words} in {body}");
    }
    // Every parent carer who cannot sit here is listed apart, with our reason; the rule the
    // team breaks as it stands is in words too.
    assert!(body.contains("Cannot sit here:"), "{body}");
    assert!(body.contains("Tia Traveller</strong>: Rutland: does not travel to Nottingham."));
    assert!(
        body.contains("The parent carer seat needs 1 more person"),
        "{body}"
    );
    // Codes may name form values, never words on the page.
    let body: String = body
        .split("value=\"")
        .enumerate()
        .map(|(i, part)| {
            if i == 0 {
                part
            } else {
                part.split_once('"').map_or(part, |(_, rest)| rest)
            }
        })
        .collect();
    for code in [
        "max_per_authority",
        "seat group",
        "parent_carer",
        "la_officer",
        "EHCP_QUALITY",
        "depth point",
        "unavailable on",
        "needs 1 members",
    ] {
        let at = body.find(code).unwrap_or(0);
        assert!(
            !body.contains(code),
            "{code} in the page: {}",
            &body[at.saturating_sub(300)..(at + 100).min(body.len())]
        );
    }
}

crate::app_test!(
    an_unfillable_seat_is_explained_in_plain_words,
    an_unfillable_seat_is_explained_in_plain_words
);

async fn confirming_rechecks_the_rules_and_an_override_needs_a_reason(app: TestApp) {
    let fixture = challenge_in(&app.store, "nottingham", ChallengeState::TeamProposed).await;
    // Since the proposal, the parent carer has declared a conflict with the host.
    let parent = fixture.members[2];
    let mut profile = app
        .store
        .pool_member(parent)
        .await
        .expect("read")
        .expect("member")
        .profile;
    profile.conflicts = vec![(slug("nottingham"), "My son's school is there".into())];
    app.store
        .update_pool_member(parent, &profile, None, Utc::now())
        .await
        .expect("saved");

    // The seat's picker: who could sit there first, with home, distance and load; then
    // the others with their reason.
    app.store
        .add_pool_member(
            &member_profile("Quinn Parent", ReviewerType::ParentCarer, "lincolnshire"),
            None,
            None,
            Utc::now(),
        )
        .await
        .expect("member");
    let mut remote = member_profile("Ria Remote", ReviewerType::ParentCarer, "derby");
    remote.online_only = true;
    app.store
        .add_pool_member(&remote, None, None, Utc::now())
        .await
        .expect("member");

    let mut pm = app.browser_as(Who::ProjectManager).await;
    let team_page = format!("/challenges/{}/team", fixture.challenge);
    let page = pm.get(&team_page).await;
    let quinn = page
        .body
        .find("Quinn Parent: Lincolnshire, about ")
        .expect("Quinn offered with home and distance");
    assert!(page.body[quinn..].contains("0 of 4 challenges this year"));
    let ria = page
        .body
        .find("Ria Remote: cannot sit here, does not travel to Nottingham")
        .expect("Ria listed with her reason");
    assert!(quinn < ria, "who could sit there comes first");
    // The coverage grid: the challenge's theme × each member's level.
    let grid = page.body.find("id=\"coverage\"").expect("a coverage grid");
    let grid = &page.body[grid..];
    assert!(grid.contains("Quality of EHC plans"));
    assert!(grid.contains("Pat Parent nottingham"));
    assert!(grid.contains(domain::pool::ExpertiseLevel::Strong.label()));
    let outbox_before = app.store.outbox_emails(100).await.expect("outbox").len();
    let page = pm.post(&format!("{team_page}/confirm"), &[]).await;
    assert_eq!(page.status, StatusCode::CONFLICT, "{}", page.body);
    assert!(
        page.body.contains("so it was not confirmed"),
        "{}",
        page.body
    );
    assert!(page.body.contains("id=\"override_reason\""));
    let state = |app: &TestApp| {
        let store = app.store.clone();
        let id = fixture.challenge;
        async move {
            store
                .challenge(id)
                .await
                .expect("load")
                .expect("exists")
                .state
        }
    };
    assert_eq!(state(&app).await, ChallengeState::TeamProposed);
    assert_eq!(
        app.store.outbox_emails(100).await.expect("outbox").len(),
        outbox_before,
        "nobody invited"
    );

    let reason = "The conflict is with a school outside the case sample; the co-ordinator agreed";
    let page = pm
        .post(
            &format!("{team_page}/confirm"),
            &[("override_reason", reason)],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(state(&app).await, ChallengeState::TeamConfirmed);
    let logged = app
        .store
        .audit_entries(
            &AuditFilter {
                action: Some("team.rules_overridden".into()),
                ..AuditFilter::default()
            },
            10,
        )
        .await
        .expect("audit");
    assert_eq!(logged.len(), 1);
    assert!(logged[0].summary.contains(reason), "{}", logged[0].summary);
    assert!(
        logged[0].summary.contains("Pat Parent nottingham"),
        "what was broken, by name: {}",
        logged[0].summary
    );
}

crate::app_test!(
    confirming_rechecks_the_rules_and_an_override_needs_a_reason,
    confirming_rechecks_the_rules_and_an_override_needs_a_reason
);

/// The subjects of the outbox's emails to `to`.
async fn subjects_to(app: &TestApp, to: &str) -> Vec<(String, String)> {
    app.store
        .outbox_emails(500)
        .await
        .expect("outbox")
        .into_iter()
        .filter(|email| email.to.as_str() == to)
        .map(|email| (email.subject, email.body_text))
        .collect()
}

async fn the_diagnosis_offers_a_shadowing_seat_and_asking_someone_to_travel(app: TestApp) {
    let fixture = challenge_in(&app.store, "nottingham", ChallengeState::Scoping).await;
    let mut tia = member_profile("Tia Traveller", ReviewerType::ParentCarer, "rutland");
    tia.travel_to = vec![slug("lincolnshire")];
    let tia = app
        .store
        .add_pool_member(&tia, None, None, Utc::now())
        .await
        .expect("member");
    let mut una = member_profile("Una Untrained", ReviewerType::ParentCarer, "derby");
    una.trained_on = None;
    una.needs_training = true;
    app.store
        .add_pool_member(&una, None, None, Utc::now())
        .await
        .expect("member");
    for (name, kind, home) in [
        ("Lena Lead", ReviewerType::LaOfficer, "derby"),
        ("Omar Officer", ReviewerType::LaOfficer, "leicester"),
        ("Nia Parent", ReviewerType::ParentCarer, "nottingham"),
    ] {
        app.store
            .add_pool_member(&member_profile(name, kind, home), None, None, Utc::now())
            .await
            .expect("member");
    }
    let mut pm = app.browser_as(Who::ProjectManager).await;
    let team_page = format!("/challenges/{}/team", fixture.challenge);
    let page = pm.post(&format!("{team_page}/propose"), &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let page = pm.get(&team_page).await;
    assert!(
        page.body.contains("Unfilled seat: Parent carer."),
        "{}",
        page.body
    );
    // Both are forms that post: never a link that acts.
    assert!(
        page.body
            .contains(&format!("action=\"{team_page}/ask-travel\"")),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains(&format!("name=\"member\" value=\"{tia}\""))
    );
    assert!(page.body.contains("Email Tia Traveller to ask"));
    assert!(
        page.body
            .contains(&format!("action=\"{team_page}/shadow\""))
    );
    assert!(
        page.body
            .contains("Make one parent carer seat a shadowing seat")
    );

    // Asking Tia: an email through the outbox, with the link to her travel section.
    let asked = pm
        .post(
            &format!("{team_page}/ask-travel"),
            &[("member", &tia.to_string())],
        )
        .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.body);
    assert_eq!(
        asked.location(),
        Some(format!("{team_page}?notice=asked").as_str())
    );
    let to_tia = subjects_to(&app, "tia.traveller@example.org").await;
    assert_eq!(to_tia.len(), 1, "{to_tia:?}");
    assert_eq!(
        to_tia[0].0,
        "Could you travel to Nottingham for a peer challenge?"
    );
    assert!(
        to_tia[0].1.contains("/my-profile/edit#travel"),
        "{}",
        to_tia[0].1
    );
    assert!(
        to_tia[0]
            .1
            .contains("is forming the team for a one-day peer challenge in Nottingham"),
        "{}",
        to_tia[0].1
    );

    // Making the seat a shadowing seat: audited, and the engine seats Una there.
    let shadowed = pm
        .post(&format!("{team_page}/shadow"), &[("role", "parent_carer")])
        .await;
    assert_eq!(shadowed.status, StatusCode::SEE_OTHER, "{}", shadowed.body);
    let record = app
        .store
        .challenge(fixture.challenge)
        .await
        .expect("load")
        .expect("exists");
    let seat = record
        .seats
        .iter()
        .find(|s| s.role == domain::challenge::SeatRole::ParentCarer)
        .expect("the parent carer seat");
    assert_eq!((seat.count, seat.shadowing), (1, 1));
    let logged = app
        .store
        .audit_entries(
            &AuditFilter {
                action: Some("challenge.seat_made_shadowing".into()),
                ..AuditFilter::default()
            },
            10,
        )
        .await
        .expect("audit");
    assert_eq!(logged.len(), 1);
    let page = pm.get(&team_page).await;
    let una_row = page.body.find("Una Untrained").expect("Una is proposed");
    assert!(
        page.body[una_row..].contains("Parent carer (shadowing)"),
        "{}",
        page.body
    );
    // A reviewer or an LA lead may do neither.
    let mut reviewer = app.browser_as(Who::Reviewer).await;
    let refused = reviewer
        .post(&format!("{team_page}/shadow"), &[("role", "parent_carer")])
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

crate::app_test!(
    the_diagnosis_offers_a_shadowing_seat_and_asking_someone_to_travel,
    the_diagnosis_offers_a_shadowing_seat_and_asking_someone_to_travel
);

async fn add_people(app: &TestApp, people: &[(&str, ReviewerType, &str)]) {
    for (name, kind, home) in people {
        app.store
            .add_pool_member(&member_profile(name, *kind, home), None, None, Utc::now())
            .await
            .expect("member");
    }
}

async fn what_if_asks_the_engine_without_saving(app: TestApp) {
    let fixture = challenge_in(&app.store, "nottingham", ChallengeState::TeamConfirmed).await;
    let booked = app
        .store
        .challenge(fixture.challenge)
        .await
        .expect("load")
        .expect("exists")
        .visit_days[0];
    let count = |app: &TestApp| {
        let store = app.store.clone();
        async move {
            store
                .challenges(&store::ChallengeFilter::default())
                .await
                .expect("challenges")
                .len()
        }
    };
    let before = count(&app).await;
    let mut pm = app.browser_as(Who::ProjectManager).await;

    // Linked from the challenges list; the empty form asks nothing.
    let list = pm.get("/challenges").await;
    assert!(list.body.contains("href=\"/challenges/what-if\""));
    let empty = pm.get("/challenges/what-if").await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(!empty.body.contains("There is a problem"));

    // Bad input: each problem beside its field, what was typed kept.
    let bad = pm
        .get(
            "/challenges/what-if?asked=yes&area=&kind=one_day&first-day=31&first-month=2&first-year=2030&second-day=3&second-month=3&second-year=2030",
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    for (field, message) in [
        ("area", "Select the area the challenge would be in"),
        ("first", "The first visit day must be a real date"),
        (
            "second",
            "A one-day challenge has one visit day: leave the second day empty",
        ),
    ] {
        assert!(
            bad.body.contains(&format!("id=\"{field}-error\"")),
            "{field}: {}",
            bad.body
        );
        assert!(bad.body.contains(message), "{message}");
    }
    assert!(
        bad.body.contains("href=\"#first-day\""),
        "the summary links to the day box"
    );
    assert!(
        bad.body
            .contains("id=\"first-day\" name=\"first-day\" type=\"text\" value=\"31\"")
    );
    assert!(
        bad.body.contains("value=\"one_day\" checked"),
        "{}",
        bad.body
    );

    // Asked for the day both LA officers are booked: the diagnosis, with a link to try
    // other dates pre-filled with the area and kind.
    add_people(
        &app,
        &[
            ("Eve Health", ReviewerType::Health, "rutland"),
            ("Fay Health", ReviewerType::Health, "derbyshire"),
            ("Dee Parent", ReviewerType::ParentCarer, "rutland"),
        ],
    )
    .await;
    let day = |d: chrono::NaiveDate| {
        use chrono::Datelike;
        format!(
            "first-day={}&first-month={}&first-year={}",
            d.day(),
            d.month(),
            d.year()
        )
    };
    let busy = pm
        .get(&format!(
            "/challenges/what-if?asked=yes&area=nottingham&kind=one_day&{}",
            day(booked)
        ))
        .await;
    assert_eq!(busy.status, StatusCode::OK, "{}", busy.body);
    assert!(
        busy.body.contains("A one-day challenge in Nottingham on"),
        "{}",
        busy.body
    );
    assert!(
        busy.body
            .contains("Unfilled seat: Local authority officer."),
        "{}",
        busy.body
    );
    assert!(
        busy.body.contains(
            "href=\"/challenges/what-if?area=nottingham&#38;kind=one_day\">Try other dates"
        ),
        "{}",
        busy.body
    );
    let prefilled = pm
        .get("/challenges/what-if?area=nottingham&kind=one_day")
        .await;
    assert_eq!(prefilled.status, StatusCode::OK);
    assert!(prefilled.body.contains("value=\"nottingham\" selected"));
    assert!(prefilled.body.contains("value=\"one_day\" checked"));
    assert!(!prefilled.body.contains("There is a problem"));

    // A week later, with two more officers, everyone is free: the team with reasons.
    add_people(
        &app,
        &[
            ("Ben Officer", ReviewerType::LaOfficer, "leicester"),
            ("Cal Officer", ReviewerType::LaOfficer, "lincolnshire"),
        ],
    )
    .await;
    let free = booked + chrono::Duration::days(7);
    let answer = pm
        .get(&format!(
            "/challenges/what-if?asked=yes&area=nottingham&kind=one_day&{}",
            day(free)
        ))
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert!(
        answer.body.contains("A team can be formed."),
        "{}",
        answer.body
    );
    assert!(
        answer.body.contains("id=\"proposed-team\""),
        "{}",
        answer.body
    );
    assert!(answer.body.contains("Ben Officer"), "{}", answer.body);
    assert_eq!(count(&app).await, before, "nothing saved");

    // An LA lead or a reviewer cannot ask.
    let mut lead = app.browser_as(Who::LeadOfDerby).await;
    assert_eq!(
        lead.get("/challenges/what-if").await.status,
        StatusCode::FORBIDDEN
    );
}

crate::app_test!(
    what_if_asks_the_engine_without_saving,
    what_if_asks_the_engine_without_saving
);

async fn a_team_changed_by_hand_is_compared_with_the_engines(app: TestApp) {
    let fixture = challenge_in(&app.store, "nottingham", ChallengeState::Scoping).await;
    // Only Pia knows the challenge's theme well, so taking her off loses it.
    for (name, kind, home) in [
        ("Lena Lead", ReviewerType::LaOfficer, "derby"),
        ("Omar Officer", ReviewerType::LaOfficer, "leicester"),
    ] {
        let mut profile = member_profile(name, kind, home);
        profile.expertise = vec![];
        app.store
            .add_pool_member(&profile, None, None, Utc::now())
            .await
            .expect("member");
    }
    add_people(
        &app,
        &[("Pia Parent", ReviewerType::ParentCarer, "nottinghamshire")],
    )
    .await;
    let mut yan = member_profile("Yan Parent", ReviewerType::ParentCarer, "lincolnshire");
    yan.expertise = vec![];
    let yan = app
        .store
        .add_pool_member(&yan, None, None, Utc::now())
        .await
        .expect("member");

    let mut pm = app.browser_as(Who::ProjectManager).await;
    let team_page = format!("/challenges/{}/team", fixture.challenge);
    let page = pm.post(&format!("{team_page}/propose"), &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let page = pm.get(&team_page).await;
    assert!(
        page.body
            .contains("The engine proved this team is the best possible"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("id=\"comparison\""));

    // The project manager puts Yan in Pia's seat.
    let team = app.store.team(fixture.challenge).await.expect("team");
    let pia = team
        .iter()
        .find(|m| m.name == "Pia Parent")
        .expect("the engine chose Pia");
    let swapped = pm
        .post(
            &format!("{team_page}/swap"),
            &[("seat", &pia.id.to_string()), ("member", &yan.to_string())],
        )
        .await;
    assert_eq!(swapped.status, StatusCode::SEE_OTHER, "{}", swapped.body);
    let page = pm.get(&team_page).await;
    let body = page.body.replace("&#39;", "'");
    assert!(
        !body.contains("The engine proved this team is the best possible"),
        "no longer said of a changed team"
    );
    let at = body.find("id=\"comparison\"").expect("a comparison");
    let comparison = &body[at..at + body[at..].find("</div>").expect("ends")];
    for words in [
        "The engine put Pia Parent in a parent carer seat; they are not on the team now",
        "Yan Parent is in a parent carer seat the engine did not give them",
        "Theme lost: Quality of EHC plans: outcomes, advice and quality assurance. Someone on the engine's team knew it well; nobody on this team does",
        "km further in all than the engine's",
        "It keeps every hard rule.",
    ] {
        assert!(comparison.contains(words), "{words} in {comparison}");
    }
}

crate::app_test!(
    a_team_changed_by_hand_is_compared_with_the_engines,
    a_team_changed_by_hand_is_compared_with_the_engines
);
