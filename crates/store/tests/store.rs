//! The store against real databases: every test runs on SQLite and on PostgreSQL.

// The store crate's one integration-test binary: the tests below and one module per aggregate,
// compiled and linked once. Cargo's automatic test discovery is off for this crate, so a file
// not named here is not compiled.
mod support;

mod applications;
#[path = "biennial/cycles.rs"]
mod biennial;
#[path = "biennial/actions.rs"]
mod biennial_actions;
mod data_version;
mod events;
mod findings;
mod next_steps;
mod outbox;
mod pool;
mod pool_admin;
mod pool_import;
mod racing;
mod retention;
mod self_assessments;
mod training;
mod triads;
mod visit;
mod write_turns;

use chrono::{Duration, TimeZone, Utc};
use domain::{AuthoritySlug, EmailAddress, NewPassword, PersonName, Role, RoleGrant, UserId};
use store::test_support::execute_raw;
use store::{
    AuditFilter, NewEmail, NewGuidance, NewUser, OutboxStatus, SessionPolicy, SignInAttempt,
    SignInThrottle, Store, TokenPurpose, store_test,
};

fn at(hour: u32, minute: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, hour, minute, 0)
        .single()
        .expect("valid time")
}

fn email(text: &str) -> EmailAddress {
    EmailAddress::parse(text).expect("valid email")
}

fn new_user(address: &str, grants: Vec<RoleGrant>) -> NewUser {
    NewUser {
        name: PersonName::parse("Alex Example").expect("name"),
        email: email(address),
        grants,
    }
}

fn lead_of(slug: &str) -> RoleGrant {
    RoleGrant::new(
        Role::LaLead,
        Some(AuthoritySlug::parse(slug).expect("slug")),
    )
    .expect("grant")
}

fn role(role: Role) -> RoleGrant {
    RoleGrant::new(role, None).expect("grant")
}

fn password(text: &str) -> domain::PasswordHash {
    NewPassword::parse(text, text)
        .expect("acceptable password")
        .hash()
}

fn invitation_email(to: &EmailAddress) -> impl FnOnce(&str) -> NewEmail + '_ {
    move |token| NewEmail::text(to.clone(), "Invitation", format!("/set-password/{token}"))
}

async fn coordinator(store: &Store) -> UserId {
    store
        .ensure_user(
            &new_user("coordinator@example.org", vec![role(Role::Coordinator)]),
            &password("a long demo passphrase"),
            at(9, 0),
        )
        .await
        .expect("coordinator")
}

store_test!(
    migrations_are_idempotent_and_load_the_reference_data,
    |store: Store| async move {
        let before = store.statements_run();
        store
            .migrate()
            .await
            .expect("second migration run changes nothing");
        // With this release's reference data loaded, starting again reads whether it is (and
        // which migrations ran) instead of writing every region, authority and figure again.
        let statements = store.statements_run() - before;
        assert!(statements < 20, "{statements} statements");
        let authorities = store.authorities().await.expect("authorities");
        assert_eq!(authorities.len(), 11);
        let north = authorities
            .iter()
            .find(|a| a.slug.as_str() == "north-northamptonshire")
            .expect("north");
        assert_eq!(
            north.predecessor.as_ref().map(AuthoritySlug::as_str),
            Some("northamptonshire")
        );
        assert_eq!(north.nhs_board, "NHS Northamptonshire ICB");
        assert_eq!(
            north.valid_from,
            chrono::NaiveDate::from_ymd_opt(2021, 4, 1)
        );
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).expect("date");
        assert_eq!(
            authorities.iter().filter(|a| a.is_current(today)).count(),
            10
        );
        let themes = store.themes().await.expect("themes");
        assert_eq!(themes.len(), 20);
        assert_eq!(themes[0].code.as_str(), "IDENTIFICATION");
    }
);

store_test!(
    an_invitation_sets_a_password_once,
    |store: Store| async move {
        let inviter = coordinator(&store).await;
        let invitee = email("lead.derby@example.org");
        let mut link = String::new();
        let id = store
            .invite_user(
                &new_user(
                    invitee.as_str(),
                    vec![lead_of("derby"), role(Role::Reviewer)],
                ),
                inviter,
                at(9, 5),
                |token| {
                    link = token.to_owned();
                    invitation_email(&invitee)(token)
                },
            )
            .await
            .expect("invite");
        let again = store
            .invite_user(
                &new_user(invitee.as_str(), vec![]),
                inviter,
                at(9, 6),
                invitation_email(&invitee),
            )
            .await;
        assert!(
            matches!(again, Err(store::StoreError::Conflict(_))),
            "one account per email"
        );

        let holder = store
            .token_holder(&link, TokenPurpose::Invitation, at(10, 0))
            .await
            .expect("lookup")
            .expect("holder");
        assert_eq!(holder.id, id);
        assert!(!holder.has_password);
        assert_eq!(holder.grants, vec![lead_of("derby"), role(Role::Reviewer)]);
        assert!(
            store
                .token_holder(&link, TokenPurpose::PasswordReset, at(10, 0))
                .await
                .expect("lookup")
                .is_none()
        );

        let chosen = password("three random words");
        assert_eq!(
            store
                .set_password_with_token(&link, TokenPurpose::Invitation, &chosen, at(10, 1))
                .await
                .expect("set"),
            Some(id)
        );
        assert_eq!(
            store
                .set_password_with_token(&link, TokenPurpose::Invitation, &chosen, at(10, 2))
                .await
                .expect("set"),
            None
        );
        let (found, hash) = store
            .credentials(&invitee)
            .await
            .expect("credentials")
            .expect("account");
        assert_eq!(found, id);
        assert!(hash.expect("hash").matches("three random words"));

        let emails = store.outbox_emails(10).await.expect("outbox");
        assert_eq!(
            emails.len(),
            1,
            "the refused second invitation queued nothing"
        );
        assert!(emails[0].body_text.contains(&link));
        let actions: Vec<String> = store
            .audit_entries(&AuditFilter::default(), 50)
            .await
            .expect("audit")
            .into_iter()
            .map(|e| e.action)
            .collect();
        assert!(actions.contains(&"user.invited".to_owned()));
        assert!(actions.contains(&"user.invitation_accepted".to_owned()));
    }
);

store_test!(invitation_links_expire, |store: Store| async move {
    let inviter = coordinator(&store).await;
    let invitee = email("late@example.org");
    let mut link = String::new();
    store
        .invite_user(
            &new_user(invitee.as_str(), vec![role(Role::Board)]),
            inviter,
            at(9, 0),
            |token| {
                link = token.to_owned();
                invitation_email(&invitee)(token)
            },
        )
        .await
        .expect("invite");
    let later = at(9, 0) + TokenPurpose::Invitation.lifetime() + Duration::minutes(1);
    let result = store
        .set_password_with_token(
            &link,
            TokenPurpose::Invitation,
            &password("three random words"),
            later,
        )
        .await;
    assert_eq!(result.expect("query"), None);
});

store_test!(
    a_password_reset_ends_every_session,
    |store: Store| async move {
        let id = coordinator(&store).await;
        let policy = SessionPolicy::default();
        let session = store
            .start_session(id, policy, at(9, 0))
            .await
            .expect("session");
        let address = email("coordinator@example.org");
        let mut link = String::new();
        store
            .request_password_reset(&address, at(9, 1), |token| {
                link = token.to_owned();
                NewEmail::text(address.clone(), "Reset", token)
            })
            .await
            .expect("reset request");
        store
            .request_password_reset(&email("nobody@example.org"), at(9, 1), |_| unreachable!())
            .await
            .expect("silent for unknown");
        store
            .set_password_with_token(
                &link,
                TokenPurpose::PasswordReset,
                &password("a brand new passphrase"),
                at(9, 2),
            )
            .await
            .expect("reset")
            .expect("live link");
        assert!(
            store
                .session_principal(&session, policy, at(9, 3))
                .await
                .expect("lookup")
                .is_none()
        );
    }
);

store_test!(
    sessions_end_when_idle_or_old_or_signed_out,
    |store: Store| async move {
        let id = coordinator(&store).await;
        let policy = SessionPolicy {
            idle_timeout: Duration::minutes(30),
            absolute_timeout: Duration::hours(2),
        };
        let token = store
            .start_session(id, policy, at(9, 0))
            .await
            .expect("session");
        let principal = store
            .session_principal(&token, policy, at(9, 20))
            .await
            .expect("lookup")
            .expect("live");
        assert!(principal.roles().contains(&Role::Coordinator));
        // Activity at 9:20 keeps it alive past 9:30 ...
        assert!(
            store
                .session_principal(&token, policy, at(9, 45))
                .await
                .expect("lookup")
                .is_some()
        );
        // ... and 30 idle minutes end it.
        assert!(
            store
                .session_principal(&token, policy, at(10, 16))
                .await
                .expect("lookup")
                .is_none()
        );

        let busy = store
            .start_session(id, policy, at(12, 0))
            .await
            .expect("session");
        for minute in (10..=50).step_by(10) {
            assert!(
                store
                    .session_principal(&busy, policy, at(12, minute))
                    .await
                    .expect("lookup")
                    .is_some()
            );
        }
        for minute in (0..=50).step_by(10) {
            assert!(
                store
                    .session_principal(&busy, policy, at(13, minute))
                    .await
                    .expect("lookup")
                    .is_some()
            );
        }
        assert!(
            store
                .session_principal(&busy, policy, at(14, 0))
                .await
                .expect("lookup")
                .is_none(),
            "absolute limit"
        );

        let signed_out = store
            .start_session(id, policy, at(15, 0))
            .await
            .expect("session");
        store
            .end_session(&signed_out, at(15, 1))
            .await
            .expect("sign out");
        assert!(
            store
                .session_principal(&signed_out, policy, at(15, 2))
                .await
                .expect("lookup")
                .is_none()
        );
        assert!(
            store
                .session_principal(
                    &store::SessionToken::from_cookie("forged"),
                    policy,
                    at(15, 2)
                )
                .await
                .expect("lookup")
                .is_none()
        );
    }
);

store_test!(
    sign_in_failures_are_throttled_then_forgiven,
    |store: Store| async move {
        let rules = SignInThrottle::default();
        let now = at(9, 0);
        for _ in 0..5 {
            assert_eq!(
                store
                    .reserve_sign_in_attempt(&rules, "a@example.org", "10.0.0.1", now)
                    .await
                    .expect("reserve"),
                SignInAttempt::Reserved {
                    if_wrong_blocked_until: None
                }
            );
        }
        let sixth = store
            .reserve_sign_in_attempt(&rules, "a@example.org", "10.0.0.1", now)
            .await
            .expect("reserve");
        assert_eq!(
            sixth,
            SignInAttempt::Reserved {
                if_wrong_blocked_until: Some(now + Duration::seconds(30))
            },
            "the sixth is still checked, and its failure blocks"
        );
        assert_eq!(
            store
                .reserve_sign_in_attempt(&rules, "a@example.org", "10.0.0.2", now)
                .await
                .expect("reserve"),
            SignInAttempt::BlockedUntil(now + Duration::seconds(30)),
            "per account, whatever the address"
        );
        assert_eq!(
            store
                .reserve_sign_in_attempt(&rules, "b@example.org", "10.0.0.1", now)
                .await
                .expect("reserve"),
            SignInAttempt::Reserved {
                if_wrong_blocked_until: None
            },
            "another account from the same address is not blocked"
        );
        let later = now + Duration::seconds(31);
        assert_eq!(
            store
                .reserve_sign_in_attempt(&rules, "a@example.org", "10.0.0.1", later)
                .await
                .expect("reserve"),
            SignInAttempt::Reserved {
                if_wrong_blocked_until: Some(later + Duration::seconds(60))
            },
            "no permanent lock-out; the next block is twice as long"
        );
        store
            .record_sign_in_success(&rules, "a@example.org", "10.0.0.1")
            .await
            .expect("success");
        assert_eq!(
            store
                .reserve_sign_in_attempt(&rules, "a@example.org", "10.0.0.1", later)
                .await
                .expect("reserve"),
            SignInAttempt::Reserved {
                if_wrong_blocked_until: None
            },
            "a success forgets the account's failures"
        );
        let hours_later = later + Duration::hours(2);
        for _ in 0..5 {
            store
                .reserve_sign_in_attempt(&rules, "c@example.org", "10.0.0.3", hours_later)
                .await
                .expect("reserve");
        }
        assert_eq!(
            store
                .reserve_sign_in_attempt(&rules, "a@example.org", "10.0.0.3", hours_later)
                .await
                .expect("reserve"),
            SignInAttempt::Reserved {
                if_wrong_blocked_until: None
            },
            "old failures are forgotten after a quiet spell"
        );
    }
);

store_test!(
    an_attempt_never_checked_is_not_held_against_anyone,
    |store: Store| async move {
        let rules = SignInThrottle::default();
        let now = at(9, 0);
        for _ in 0..6 {
            store
                .reserve_sign_in_attempt(&rules, "a@example.org", "10.0.0.1", now)
                .await
                .expect("reserve");
        }
        store
            .release_sign_in_attempt(&rules, "a@example.org", "10.0.0.1")
            .await
            .expect("release");
        assert_eq!(
            store
                .reserve_sign_in_attempt(&rules, "a@example.org", "10.0.0.1", now)
                .await
                .expect("reserve"),
            SignInAttempt::Reserved {
                if_wrong_blocked_until: Some(now + Duration::seconds(30))
            },
            "the sixth attempt again, not a seventh"
        );
    }
);

/// Reserve `attempts` sign-ins at once, for `email(i)` from `address(i)`; how many were let
/// through to have their password checked.
async fn reserve_in_parallel(
    store: &Store,
    attempts: usize,
    email: impl Fn(usize) -> String,
    address: impl Fn(usize) -> String,
) -> usize {
    let rules = SignInThrottle::default();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..attempts {
        let (store, email, address) = (store.clone(), email(i), address(i));
        tasks.spawn(async move {
            store
                .reserve_sign_in_attempt(&rules, &email, &address, at(9, 0))
                .await
                .expect("reserve")
        });
    }
    let verdicts = tasks.join_all().await;
    verdicts
        .iter()
        .filter(|verdict| matches!(verdict, SignInAttempt::Reserved { .. }))
        .count()
}

store_test!(
    parallel_guesses_get_no_more_than_the_allowance,
    |store: Store| async move {
        let through = reserve_in_parallel(
            &store,
            100,
            |_| "target@example.org".into(),
            |i| format!("10.1.0.{i}"),
        )
        .await;
        assert_eq!(through, 6, "five free failures and the one that blocks");
        let through = reserve_in_parallel(
            &store,
            100,
            |i| format!("user{i}@example.org"),
            |_| "10.2.0.1".into(),
        )
        .await;
        assert_eq!(through, 31, "thirty free failures per address and one more");
    }
);

store_test!(
    the_outbox_sends_each_email_once_and_retries,
    |store: Store| async move {
        let to = email("someone@example.org");
        for subject in ["First", "Second"] {
            store
                .queue_email(NewEmail::text(to.clone(), subject, "Hello"), at(9, 0))
                .await
                .expect("queue");
        }
        let lease = Duration::minutes(5);
        let claimed = store
            .claim_due_emails(at(9, 1), lease, 10)
            .await
            .expect("claim");
        assert_eq!(claimed.len(), 2);
        assert!(
            store
                .claim_due_emails(at(9, 2), lease, 10)
                .await
                .expect("claim")
                .is_empty(),
            "claimed emails are not claimed twice"
        );
        store
            .mark_email_sent(claimed[0].id, at(9, 2))
            .await
            .expect("sent");
        let status = store
            .mark_email_attempt_failed(claimed[1].id, "connection refused", 2, at(9, 2))
            .await
            .expect("failed");
        assert_eq!(status, OutboxStatus::Queued);
        assert!(
            store
                .claim_due_emails(at(9, 3), lease, 10)
                .await
                .expect("claim")
                .is_empty(),
            "waits before retrying"
        );
        let retry = store
            .claim_due_emails(at(9, 5), lease, 10)
            .await
            .expect("claim");
        assert_eq!(retry.len(), 1);
        assert_eq!(
            store
                .mark_email_attempt_failed(retry[0].id, "still refused", 2, at(9, 5))
                .await
                .expect("failed"),
            OutboxStatus::Failed
        );
        let listed = store.outbox_emails(10).await.expect("list");
        let statuses: Vec<_> = listed
            .iter()
            .map(|e| (e.subject.as_str(), e.status))
            .collect();
        assert!(statuses.contains(&("First", OutboxStatus::Sent)));
        assert!(statuses.contains(&("Second", OutboxStatus::Failed)));
    }
);

store_test!(the_audit_log_cannot_be_changed, |store: Store| async move {
    coordinator(&store).await;
    assert!(store.audit_entry_count().await.expect("count") >= 1);
    assert!(
        execute_raw(&store, "UPDATE audit_log SET summary = 'rewritten'")
            .await
            .is_err()
    );
    assert!(execute_raw(&store, "DELETE FROM audit_log").await.is_err());
    let entries = store
        .audit_entries(&AuditFilter::default(), 10)
        .await
        .expect("entries");
    assert!(entries.iter().all(|entry| entry.summary != "rewritten"));
});

store_test!(the_audit_log_filters, |store: Store| async move {
    let id = coordinator(&store).await;
    store
        .start_session(id, SessionPolicy::default(), at(11, 0))
        .await
        .expect("session");
    let sign_ins = AuditFilter {
        action: Some("user.signed_in".into()),
        ..Default::default()
    };
    let found = store.audit_entries(&sign_ins, 10).await.expect("entries");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].actor_name.as_deref(), Some("Alex Example"));
    let before = AuditFilter {
        until: Some(at(10, 0)),
        ..Default::default()
    };
    assert!(
        store
            .audit_entries(&before, 10)
            .await
            .expect("entries")
            .iter()
            .all(|e| e.action != "user.signed_in")
    );
    assert!(
        store
            .audit_actions()
            .await
            .expect("actions")
            .contains(&"user.created".to_owned())
    );
});

store_test!(
    guidance_versions_are_kept_and_the_newest_served,
    |store: Store| async move {
        let by = coordinator(&store).await;
        assert!(store.current_guidance().await.expect("none yet").is_none());
        for (hour, title) in [(9, "Guidance 2025"), (10, "Guidance 2026")] {
            let upload = NewGuidance {
                title: title.into(),
                file_name: "guidance.pdf".into(),
                content_type: "application/pdf".into(),
                content: format!("%PDF-1.7 {title}").into_bytes(),
            };
            store
                .publish_guidance(upload, by, at(hour, 0))
                .await
                .expect("publish");
        }
        let current = store
            .current_guidance()
            .await
            .expect("current")
            .expect("published");
        assert_eq!(current.summary.title, "Guidance 2026");
        assert_eq!(current.content, b"%PDF-1.7 Guidance 2026");
        assert_eq!(store.guidance_versions().await.expect("versions").len(), 2);
    }
);

store_test!(
    ensure_user_updates_instead_of_duplicating,
    |store: Store| async move {
        let grants = vec![lead_of("rutland"), role(Role::Reviewer)];
        let first = store
            .ensure_user(
                &new_user("x@example.org", grants.clone()),
                &password("first long password"),
                at(9, 0),
            )
            .await
            .expect("create");
        let second = store
            .ensure_user(
                &new_user("X@Example.org", grants),
                &password("second long password"),
                at(9, 1),
            )
            .await
            .expect("update");
        assert_eq!(first, second);
        let member = store
            .staff_member(first)
            .await
            .expect("lookup")
            .expect("member");
        assert_eq!(member.grants.len(), 2);
        let (_, hash) = store
            .credentials(&email("x@example.org"))
            .await
            .expect("credentials")
            .expect("account");
        assert!(hash.expect("hash").matches("second long password"));
        assert_eq!(store.staff().await.expect("staff").len(), 1);
    }
);

store_test!(
    ensure_user_writes_nothing_when_the_account_is_up_to_date,
    |store: Store| async move {
        let grants = vec![lead_of("rutland"), role(Role::Reviewer)];
        let hash = password("a long demo password");
        let user = new_user("x@example.org", grants.clone());
        store
            .ensure_user(&user, &hash, at(9, 0))
            .await
            .expect("create");
        let audited = store.audit_entry_count().await.expect("count");
        // The same name, grants (in another order) and hash: nothing to write or audit.
        let reordered = new_user("x@example.org", grants.iter().rev().cloned().collect());
        store
            .ensure_user(&reordered, &hash, at(9, 1))
            .await
            .expect("again");
        assert_eq!(store.audit_entry_count().await.expect("count"), audited);
        // One grant fewer is a change, written and audited.
        let fewer = new_user("x@example.org", vec![lead_of("rutland")]);
        let id = store
            .ensure_user(&fewer, &hash, at(9, 2))
            .await
            .expect("fewer");
        assert_eq!(store.audit_entry_count().await.expect("count"), audited + 1);
        let member = store
            .staff_member(id)
            .await
            .expect("lookup")
            .expect("member");
        assert_eq!(member.grants, vec![lead_of("rutland")]);
    }
);

store_test!(the_shared_key_is_created_once, |store: Store| async move {
    let first = store
        .shared_key("form-tokens", at(9, 0))
        .await
        .expect("key");
    let second = store
        .shared_key("form-tokens", at(9, 1))
        .await
        .expect("key");
    assert_eq!(first.len(), 32);
    assert_eq!(first, second);
});

/// Automatic test discovery is off, so a test file this root does not name would silently never
/// be compiled or run.
#[test]
fn every_test_file_is_a_module_of_this_binary() {
    let root = include_str!("store.rs");
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    for entry in std::fs::read_dir(&folder).expect("the tests folder") {
        let path = entry.expect("a folder entry").path();
        let Some(stem) = path.file_stem().and_then(|stem| stem.to_str()) else {
            continue;
        };
        if path.extension().is_some_and(|extension| extension == "rs") && stem != "store" {
            assert!(
                root.contains(&format!("mod {stem};")),
                "tests/{stem}.rs is not a module of tests/store.rs, so it never runs"
            );
        }
    }
}
