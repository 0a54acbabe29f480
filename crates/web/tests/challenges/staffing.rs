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
