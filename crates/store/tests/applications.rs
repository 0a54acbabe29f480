//! Applications to the pool, on both databases: drafts, submission and its de-duplication,
//! consent for under-18s, and each vetting decision.

use std::collections::BTreeMap;

use chrono::{Duration, TimeZone, Utc};
use domain::application::{ApplicationDraft, ApplicationStatus};
use domain::pool::MemberStatus;
use domain::{EmailAddress, NewPassword, PersonName, Role, RoleGrant};
use store::{NewEmail, NewUser, SessionToken, Store, StoreError, TokenPurpose, store_test};

fn at(minute: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 10, minute, 0)
        .single()
        .expect("time")
}

fn answers(email: &str) -> ApplicationDraft {
    ApplicationDraft {
        full_name: "Jo Parent".into(),
        email: email.into(),
        reviewer_type: "parent_carer".into(),
        organisation: "Rutland Parent Carer Forum".into(),
        home_authority: "rutland".into(),
        expertise: BTreeMap::from([("EHCP_QUALITY".to_owned(), "strong".to_owned())]),
        needs_training: "yes".into(),
        online_only: "yes".into(),
        privacy_agreed: true,
        ..ApplicationDraft::default()
    }
}

fn mail(to: &str, subject: &str) -> NewEmail {
    NewEmail::text(EmailAddress::parse(to).expect("email"), subject, "…")
}

async fn submit(store: &Store, browser: &str, draft: &ApplicationDraft) -> store::Submission {
    let vocabulary = store.vocabulary().await.expect("vocabulary");
    let application = draft
        .complete(&vocabulary)
        .unwrap_or_else(|problems| panic!("{problems:?}"));
    store
        .submit_application(
            &SessionToken::from_cookie(browser),
            draft,
            &application,
            at(0),
            |submission| {
                vec![mail(
                    draft.email.as_str(),
                    &format!("Application {}", submission.reference),
                )]
            },
        )
        .await
        .expect("submit")
}

async fn project_manager(store: &Store) -> domain::UserId {
    let user = NewUser {
        name: PersonName::parse("Jo Bennett").expect("name"),
        email: EmailAddress::parse("pm@example.org").expect("email"),
        grants: vec![RoleGrant::new(Role::ProjectManager, None).expect("grant")],
    };
    let hash = NewPassword::parse("a long test passphrase", "a long test passphrase")
        .expect("password")
        .hash();
    store.ensure_user(&user, &hash, at(0)).await.expect("pm")
}

store_test!(drafts_belong_to_their_browser, |store: Store| async move {
    let mine = SessionToken::from_cookie("browser-one");
    let draft = ApplicationDraft {
        full_name: "Half typed".into(),
        ..Default::default()
    };
    store
        .save_application_draft(&mine, &draft, at(0))
        .await
        .expect("save");
    assert_eq!(store.application_draft(&mine).await.expect("load"), draft);
    assert_eq!(
        store
            .application_draft(&SessionToken::from_cookie("browser-two"))
            .await
            .expect("load"),
        ApplicationDraft::default()
    );
});

store_test!(
    a_second_application_from_the_same_email_updates_the_first,
    |store: Store| async move {
        let first = submit(&store, "browser-one", &answers("jo@example.org")).await;
        assert_eq!(first.status, ApplicationStatus::Submitted);
        assert!(!first.updated_existing);
        assert_eq!(
            store
                .application_draft(&SessionToken::from_cookie("browser-one"))
                .await
                .expect("draft"),
            ApplicationDraft::default(),
            "submitting clears the draft"
        );
        let mut changed = answers("JO@example.org");
        changed.organisation = "Somewhere new".into();
        let second = submit(&store, "browser-two", &changed).await;
        assert!(second.updated_existing);
        assert_eq!(second.reference, first.reference);
        let queue = store
            .applications(&ApplicationStatus::OPEN)
            .await
            .expect("queue");
        assert_eq!(queue.len(), 1);
        assert_eq!(queue[0].answers.organisation, "Somewhere new");
        assert_eq!(
            store.outbox_emails(10).await.expect("outbox").len(),
            2,
            "each submission is acknowledged"
        );
    }
);

store_test!(an_under_18_waits_for_consent, |store: Store| async move {
    let mut draft = answers("young@example.org");
    draft.reviewer_type = "young_ambassador".into();
    draft.age_band = "16_to_17".into();
    draft.guardian_email = "carer@example.org".into();
    let submission = submit(&store, "browser", &draft).await;
    assert_eq!(submission.status, ApplicationStatus::AwaitingConsent);
    let token = submission.consent_token.expect("a consent link");
    assert_eq!(
        store
            .confirm_consent("not-the-token", at(1))
            .await
            .expect("confirm"),
        None
    );
    assert_eq!(
        store.confirm_consent(&token, at(1)).await.expect("confirm"),
        Some(submission.reference.clone())
    );
    assert_eq!(
        store.confirm_consent(&token, at(2)).await.expect("confirm"),
        None,
        "the link works once"
    );
    let stored = store
        .application(submission.id)
        .await
        .expect("load")
        .expect("application");
    assert_eq!(stored.status, ApplicationStatus::Submitted);
    assert_eq!(stored.consent_confirmed_at, Some(at(1)));
});

store_test!(
    approval_makes_a_pool_member_with_an_invitation,
    |store: Store| async move {
        let pm = project_manager(&store).await;
        let submission = submit(&store, "browser", &answers("jo@example.org")).await;
        let stored = store
            .application(submission.id)
            .await
            .expect("load")
            .expect("application");
        let application = stored
            .answers
            .complete(&store.vocabulary().await.expect("vocabulary"))
            .expect("valid");
        let mut link = None;
        let member = store
            .approve_application(submission.id, &application, pm, at(5), |token| {
                link = token.map(str::to_owned);
                mail("jo@example.org", "Welcome to the pool")
            })
            .await
            .expect("approve");
        let link = link.expect("a new account is invited");
        let holder = store
            .token_holder(&link, TokenPurpose::Invitation, at(6))
            .await
            .expect("lookup")
            .expect("holder");
        assert_eq!(
            holder.grants,
            vec![RoleGrant::new(Role::Reviewer, None).expect("grant")]
        );
        let pool_member = store
            .pool_member(member)
            .await
            .expect("lookup")
            .expect("member");
        assert_eq!(pool_member.user, Some(holder.id));
        assert_eq!(pool_member.status, MemberStatus::Active);
        assert!(pool_member.profile.needs_training);
        let decided = store
            .application(submission.id)
            .await
            .expect("load")
            .expect("application");
        assert_eq!(
            (decided.status, decided.member),
            (ApplicationStatus::Approved, Some(member))
        );
        let again = store
            .approve_application(submission.id, &application, pm, at(6), |_| {
                mail("jo@example.org", "x")
            })
            .await;
        assert!(
            matches!(again, Err(StoreError::Conflict(_))),
            "decided once"
        );
    }
);

store_test!(
    approving_someone_with_an_account_adds_the_reviewer_role,
    |store: Store| async move {
        let pm = project_manager(&store).await;
        let submission = submit(&store, "browser", &answers("pm@example.org")).await;
        let application = answers("pm@example.org")
            .complete(&store.vocabulary().await.expect("vocabulary"))
            .expect("valid");
        let mut invited = true;
        store
            .approve_application(submission.id, &application, pm, at(5), |token| {
                invited = token.is_some();
                mail("pm@example.org", "Welcome")
            })
            .await
            .expect("approve");
        assert!(!invited, "no second account, no invitation");
        let principal = store
            .principal(pm)
            .await
            .expect("lookup")
            .expect("principal");
        assert!(
            principal.roles().contains(&Role::ProjectManager)
                && principal.roles().contains(&Role::Reviewer)
        );
    }
);

store_test!(
    a_question_reopens_the_application_with_its_answers,
    |store: Store| async move {
        let pm = project_manager(&store).await;
        let submission = submit(&store, "browser", &answers("jo@example.org")).await;
        let mut link = String::new();
        store
            .request_more_information(
                submission.id,
                "Which forum are you part of?",
                pm,
                at(5),
                |token| {
                    link = token.to_owned();
                    mail("jo@example.org", "A question about your application")
                },
            )
            .await
            .expect("ask");
        let laptop = SessionToken::from_cookie("another-browser");
        let reopened = store
            .reopen_application(&link, &laptop, at(6))
            .await
            .expect("reopen")
            .expect("live link");
        assert_eq!(
            reopened.decision_note.as_deref(),
            Some("Which forum are you part of?")
        );
        assert_eq!(
            store.application_draft(&laptop).await.expect("draft"),
            answers("jo@example.org")
        );
        let resubmitted = submit(&store, "another-browser", &answers("jo@example.org")).await;
        assert_eq!(resubmitted.reference, submission.reference);
        assert_eq!(resubmitted.status, ApplicationStatus::Submitted);
        assert!(
            store
                .reopen_application(&link, &laptop, at(7))
                .await
                .expect("reopen")
                .is_none(),
            "the link ends when they resubmit"
        );
    }
);

store_test!(
    a_declined_application_keeps_its_reason_off_the_audit_log,
    |store: Store| async move {
        let pm = project_manager(&store).await;
        let submission = submit(&store, "browser", &answers("jo@example.org")).await;
        store
            .decline_application(
                submission.id,
                "Applied twice under different names",
                pm,
                at(5),
                || mail("jo@example.org", "Your application"),
            )
            .await
            .expect("decline");
        let declined = store
            .application(submission.id)
            .await
            .expect("load")
            .expect("application");
        assert_eq!(declined.status, ApplicationStatus::Declined);
        assert_eq!(
            declined.decision_note.as_deref(),
            Some("Applied twice under different names")
        );
        let audit = store
            .audit_entries(&Default::default(), 20)
            .await
            .expect("audit");
        assert!(
            audit
                .iter()
                .all(|entry| !entry.summary.contains("different names"))
        );
        assert!(
            store
                .applications(&ApplicationStatus::OPEN)
                .await
                .expect("queue")
                .is_empty()
        );
    }
);

store_test!(
    rate_limits_count_within_a_window,
    |store: Store| async move {
        let window = Duration::hours(1);
        for _ in 0..3 {
            assert!(
                store
                    .within_rate_limit("apply:10.0.0.1", window, 3, at(0))
                    .await
                    .expect("count")
            );
        }
        assert!(
            !store
                .within_rate_limit("apply:10.0.0.1", window, 3, at(1))
                .await
                .expect("count")
        );
        assert!(
            store
                .within_rate_limit("apply:10.0.0.2", window, 3, at(1))
                .await
                .expect("count")
        );
        assert!(
            store
                .within_rate_limit("apply:10.0.0.1", window, 3, at(0) + window)
                .await
                .expect("count"),
            "a new window"
        );
    }
);
