//! Retention on both databases: old declined and withdrawn applications, former members
//! and stale drafts go; recent and open ones stay; the log keeps counts, not people.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeZone, Utc};
use domain::application::{ApplicationDraft, ApplicationStatus};
use domain::pool::MemberStatus;
use domain::{AuthoritySlug, EmailAddress, NewPassword, PersonName, Role, RoleGrant, UserId};
use store::test_support::execute_raw;
use store::{AuditFilter, NewEmail, NewUser, PurgeReport, SessionToken, Store, store_test};

fn on(year: i32, month: u32, day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(year, month, day, 12, 0, 0)
        .single()
        .expect("time")
}

/// "Now" for every purge here.
fn now() -> DateTime<Utc> {
    on(2027, 12, 1)
}

fn answers(email: &str) -> ApplicationDraft {
    ApplicationDraft {
        full_name: "Jo Parent".into(),
        email: email.into(),
        reviewer_type: "parent_carer".into(),
        organisation: "Rutland Parent Carer Forum".into(),
        home_authority: "rutland".into(),
        expertise: BTreeMap::from([("EHCP_QUALITY".to_owned(), "strong".to_owned())]),
        needs_training: "no".into(),
        online_only: "yes".into(),
        privacy_agreed: true,
        ..ApplicationDraft::default()
    }
}

fn mail(to: &str) -> NewEmail {
    NewEmail::text(EmailAddress::parse(to).expect("email"), "Subject", "Body")
}

async fn submit(store: &Store, email: &str, at: DateTime<Utc>) -> store::Submission {
    let draft = answers(email);
    let application = draft
        .complete(&store.vocabulary().await.expect("vocabulary"))
        .unwrap_or_else(|problems| panic!("{problems:?}"));
    store
        .submit_application(
            &SessionToken::from_cookie(email),
            &draft,
            &application,
            at,
            |_| vec![mail(email)],
        )
        .await
        .expect("submit")
}

async fn project_manager(store: &Store) -> UserId {
    let user = NewUser {
        name: PersonName::parse("Jo Bennett").expect("name"),
        email: EmailAddress::parse("pm@example.org").expect("email"),
        grants: vec![RoleGrant::new(Role::ProjectManager, None).expect("grant")],
    };
    let hash = NewPassword::parse("a long test passphrase", "a long test passphrase")
        .expect("password")
        .hash();
    store
        .ensure_user(&user, &hash, on(2026, 1, 1))
        .await
        .expect("pm")
}

/// Approve an application from `email` on `at`, making a member with a Reviewer account.
async fn member_from(
    store: &Store,
    pm: UserId,
    email: &str,
    at: DateTime<Utc>,
) -> domain::PoolMemberId {
    let submission = submit(store, email, at).await;
    let application = answers(email)
        .complete(&store.vocabulary().await.expect("vocabulary"))
        .expect("valid");
    store
        .approve_application(submission.id, &application, pm, at, |_| mail(email))
        .await
        .expect("approve")
}

async fn statuses(store: &Store) -> Vec<(String, ApplicationStatus)> {
    let mut found: Vec<_> = store
        .applications(&ApplicationStatus::ALL)
        .await
        .expect("applications")
        .into_iter()
        .map(|application| (application.answers.email, application.status))
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

store_test!(
    old_personal_data_goes_and_recent_data_stays,
    |store: Store| async move {
        let pm = project_manager(&store).await;

        // Applications: declined 14 and 6 months ago, withdrawn 14 months ago (no decision
        // date), and one still open from long ago.
        let old_decline = submit(&store, "old.decline@example.org", on(2026, 9, 1)).await;
        store
            .decline_application(old_decline.id, "Not now", pm, on(2026, 10, 1), || {
                mail("old.decline@example.org")
            })
            .await
            .expect("decline");
        let recent_decline = submit(&store, "recent.decline@example.org", on(2027, 5, 1)).await;
        store
            .decline_application(recent_decline.id, "Not now", pm, on(2027, 6, 1), || {
                mail("recent.decline@example.org")
            })
            .await
            .expect("decline");
        submit(&store, "withdrawn@example.org", on(2026, 10, 1)).await;
        execute_raw(
            &store,
            "UPDATE reviewer_applications SET status = 'withdrawn' \
             WHERE email = 'withdrawn@example.org'",
        )
        .await
        .expect("withdraw");
        submit(&store, "still.open@example.org", on(2026, 1, 1)).await;

        // Members: one left 13 months ago (with an account that is also an LA lead), one
        // left 2 months ago, one active for years.
        let lead = NewUser {
            name: PersonName::parse("Lee Long-Gone").expect("name"),
            email: EmailAddress::parse("long.gone@example.org").expect("email"),
            grants: vec![
                RoleGrant::new(
                    Role::LaLead,
                    Some(AuthoritySlug::parse("derby").expect("slug")),
                )
                .expect("grant"),
            ],
        };
        let hash = NewPassword::parse("a long test passphrase", "a long test passphrase")
            .expect("password")
            .hash();
        let account = store
            .ensure_user(&lead, &hash, on(2025, 1, 1))
            .await
            .expect("lead");
        let gone = member_from(&store, pm, "long.gone@example.org", on(2025, 2, 1)).await;
        store
            .set_member_status(gone, MemberStatus::Left, None, on(2026, 11, 1))
            .await
            .expect("leave");
        let recent = member_from(&store, pm, "recently.left@example.org", on(2025, 2, 1)).await;
        store
            .set_member_status(recent, MemberStatus::Left, None, on(2027, 10, 1))
            .await
            .expect("leave");
        let active = member_from(&store, pm, "active@example.org", on(2024, 2, 1)).await;
        assert!(
            store
                .principal(account)
                .await
                .expect("read")
                .expect("account")
                .roles()
                .contains(&Role::Reviewer)
        );

        // Drafts: one untouched for 31 days, one for 5.
        let stale = SessionToken::from_cookie("stale-browser");
        let fresh = SessionToken::from_cookie("fresh-browser");
        let half = ApplicationDraft {
            full_name: "Half Typed".into(),
            ..ApplicationDraft::default()
        };
        store
            .save_application_draft(&stale, &half, on(2027, 10, 31))
            .await
            .expect("draft");
        store
            .save_application_draft(&fresh, &half, on(2027, 11, 26))
            .await
            .expect("draft");

        let report = store
            .purge_expired_personal_data(12, now())
            .await
            .expect("purge");
        assert_eq!(
            report,
            PurgeReport {
                // The old decline, the withdrawal, and the departed member's approval.
                applications: 3,
                members: 1,
                drafts: 1,
                reviewer_roles_removed: 1,
                accounts_removed: 0,
            }
        );
        assert_eq!(
            statuses(&store).await,
            [
                ("active@example.org".to_owned(), ApplicationStatus::Approved),
                (
                    "recent.decline@example.org".to_owned(),
                    ApplicationStatus::Declined
                ),
                (
                    "recently.left@example.org".to_owned(),
                    ApplicationStatus::Approved
                ),
                (
                    "still.open@example.org".to_owned(),
                    ApplicationStatus::Submitted
                ),
            ]
        );
        assert!(store.pool_member(gone).await.expect("read").is_none());
        assert!(store.pool_member(recent).await.expect("read").is_some());
        assert!(store.pool_member(active).await.expect("read").is_some());
        let principal = store
            .principal(account)
            .await
            .expect("read")
            .expect("the account stays");
        assert!(
            !principal.roles().contains(&Role::Reviewer),
            "Reviewer role removed"
        );
        assert!(
            principal.roles().contains(&Role::LaLead),
            "other roles kept"
        );
        assert_eq!(
            store.application_draft(&stale).await.expect("draft"),
            ApplicationDraft::default()
        );
        assert_eq!(store.application_draft(&fresh).await.expect("draft"), half);

        // The log says a purge happened and how much went: no names, no addresses.
        let logged = store
            .audit_entries(
                &AuditFilter {
                    action: Some("retention.purged".into()),
                    ..AuditFilter::default()
                },
                10,
            )
            .await
            .expect("audit");
        assert_eq!(logged.len(), 1);
        assert_eq!(logged[0].actor, None);
        assert_eq!(
            logged[0].summary,
            "Purged under the retention rules: 3 applications, 1 former members, 1 drafts, 1 reviewer roles removed, 0 accounts removed"
        );
        assert!(!logged[0].summary.contains('@'));

        // Again: nothing more to do, and nothing more logged.
        assert!(
            store
                .purge_expired_personal_data(12, now())
                .await
                .expect("purge")
                .is_empty()
        );
        assert_eq!(
            store
                .audit_entries(
                    &AuditFilter {
                        action: Some("retention.purged".into()),
                        ..AuditFilter::default()
                    },
                    10,
                )
                .await
                .expect("audit")
                .len(),
            1
        );
    }
);

store_test!(
    the_retention_period_is_configurable,
    |store: Store| async move {
        let pm = project_manager(&store).await;
        let declined = submit(&store, "declined@example.org", on(2026, 9, 1)).await;
        store
            .decline_application(declined.id, "Not now", pm, on(2026, 10, 1), || {
                mail("declined@example.org")
            })
            .await
            .expect("decline");
        // Fourteen months old: kept under a two-year rule, purged under a one-year rule.
        assert!(
            store
                .purge_expired_personal_data(24, now())
                .await
                .expect("purge")
                .is_empty()
        );
        assert_eq!(statuses(&store).await.len(), 1);
        assert_eq!(
            store
                .purge_expired_personal_data(12, now())
                .await
                .expect("purge")
                .applications,
            1
        );
        assert!(statuses(&store).await.is_empty());
    }
);

store_test!(
    an_account_that_was_only_a_reviewer_goes_with_the_member,
    |store: Store| async move {
        let pm = project_manager(&store).await;
        let member = member_from(&store, pm, "only.reviewer@example.org", on(2025, 2, 1)).await;
        let email = EmailAddress::parse("only.reviewer@example.org").expect("email");
        let (account, _) = store
            .credentials(&email)
            .await
            .expect("read")
            .expect("an account");
        let session = store
            .start_session(account, store::SessionPolicy::default(), on(2025, 3, 1))
            .await
            .expect("session");
        store
            .set_member_status(member, MemberStatus::Left, None, on(2026, 1, 1))
            .await
            .expect("leave");
        let report = store
            .purge_expired_personal_data(12, now())
            .await
            .expect("purge");
        assert_eq!(
            (report.reviewer_roles_removed, report.accounts_removed),
            (1, 1)
        );
        assert!(
            store.credentials(&email).await.expect("read").is_none(),
            "name and email are gone"
        );
        assert!(
            store
                .session_principal(&session, store::SessionPolicy::default(), on(2025, 3, 1))
                .await
                .expect("read")
                .is_none(),
            "and so is any session"
        );
    }
);
