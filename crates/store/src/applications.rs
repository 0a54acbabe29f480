//! Applications to join the reviewer pool: drafts kept per browser, submission (a second
//! application from the same email updates the open one), a parent or carer's consent for
//! under-18s, and the project manager's vetting. Answers are stored as the applicant typed
//! them and validated again on every read, so a reopened application loses nothing.

use chrono::{DateTime, Utc};
use domain::application::{Application, ApplicationDraft, ApplicationStatus, Vocabulary};
use domain::pool::ApplicationReference;
use domain::{
    ApplicationId, AuditEvent, AuditObject, PersonName, PoolMemberId, Role, RoleGrant, UserId,
};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::entity::{application_draft, rate_limit, reviewer_application, user};
use crate::outbox::{self, NewEmail};
use crate::sessions::SessionToken;
use crate::tokens::{self, TokenPurpose};
use crate::users::{NewUser, add_grant, insert_user};
use crate::{Store, StoreError, audit, pool};

/// An application as the project manager's queue and decision pages show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredApplication {
    pub id: ApplicationId,
    pub reference: ApplicationReference,
    pub status: ApplicationStatus,
    /// The answers exactly as typed.
    pub answers: ApplicationDraft,
    pub submitted_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_note: Option<String>,
    pub consent_confirmed_at: Option<DateTime<Utc>>,
    pub member: Option<PoolMemberId>,
}

/// What a submission did, for the confirmation page and its emails.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Submission {
    pub id: ApplicationId,
    pub reference: ApplicationReference,
    pub status: ApplicationStatus,
    /// True when an open application from the same email was updated rather than a new one made.
    pub updated_existing: bool,
    /// The secret for the parent or carer's consent link, when one is needed.
    pub consent_token: Option<String>,
}

fn draft_key(browser: &SessionToken) -> String {
    tokens::hash_of(browser.as_str())
}

fn stored(row: reviewer_application::Model) -> Result<StoredApplication, StoreError> {
    Ok(StoredApplication {
        id: ApplicationId::from_uuid(row.id),
        reference: ApplicationReference::parse(&row.reference)
            .ok_or_else(|| StoreError::corrupt(&row.reference))?,
        status: ApplicationStatus::parse(&row.status)
            .ok_or_else(|| StoreError::corrupt(&row.status))?,
        answers: serde_json::from_str(&row.answers).map_err(StoreError::corrupt)?,
        submitted_at: row.submitted_at,
        updated_at: row.updated_at,
        decided_at: row.decided_at,
        decision_note: row.decision_note,
        consent_confirmed_at: row.consent_confirmed_at,
        member: row.member_id.map(PoolMemberId::from_uuid),
    })
}

fn new_reference() -> ApplicationReference {
    let mut bytes = [0u8; 6];
    rand::fill(&mut bytes);
    ApplicationReference::from_random(bytes)
}

async fn find_application(
    db: &impl ConnectionTrait,
    id: ApplicationId,
) -> Result<reviewer_application::Model, StoreError> {
    reviewer_application::Entity::find_by_id(id.as_uuid())
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)
}

fn ensure_open(row: &reviewer_application::Model) -> Result<(), StoreError> {
    match ApplicationStatus::parse(&row.status) {
        Some(status) if status.is_open() => Ok(()),
        _ => Err(StoreError::Conflict(
            "This application has already been decided",
        )),
    }
}

impl Store {
    /// The reference facts applications are checked against.
    pub async fn vocabulary(&self) -> Result<Vocabulary, StoreError> {
        // The store has no clock of the app's; the UK date now is what "current" means.
        let today = domain::clock::uk_date(Utc::now());
        let current: Vec<_> = self
            .authorities()
            .await?
            .into_iter()
            .filter(|a| a.is_current(today))
            .collect();
        Ok(Vocabulary {
            authorities: current.iter().map(|a| a.slug.clone()).collect(),
            authority_names: current.into_iter().map(|a| (a.slug, a.name)).collect(),
            themes: self
                .themes()
                .await?
                .into_iter()
                .map(|theme| theme.code)
                .collect(),
        })
    }

    /// This browser's answers so far (empty if it has none).
    pub async fn application_draft(
        &self,
        browser: &SessionToken,
    ) -> Result<ApplicationDraft, StoreError> {
        let row = application_draft::Entity::find_by_id(draft_key(browser))
            .one(&self.db)
            .await?;
        match row {
            Some(row) => serde_json::from_str(&row.answers).map_err(StoreError::corrupt),
            None => Ok(ApplicationDraft::default()),
        }
    }

    pub async fn save_application_draft(
        &self,
        browser: &SessionToken,
        draft: &ApplicationDraft,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let answers = serde_json::to_string(draft).map_err(StoreError::corrupt)?;
        application_draft::Entity::insert(application_draft::ActiveModel {
            browser_key_hash: Set(draft_key(browser)),
            answers: Set(answers),
            updated_at: Set(now),
        })
        .on_conflict(
            OnConflict::column(application_draft::Column::BrowserKeyHash)
                .update_columns([
                    application_draft::Column::Answers,
                    application_draft::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec(&self.db)
        .await?;
        Ok(())
    }

    /// Submit a checked application: update the open application with the same email, or
    /// start a new one; queue the emails `compose` writes; forget the draft. All or nothing.
    pub async fn submit_application(
        &self,
        browser: &SessionToken,
        answers: &ApplicationDraft,
        application: &Application,
        now: DateTime<Utc>,
        compose: impl FnOnce(&Submission) -> Vec<NewEmail>,
    ) -> Result<Submission, StoreError> {
        let email = application.profile.email.to_string();
        let status = if application.guardian_email.is_some() {
            ApplicationStatus::AwaitingConsent
        } else {
            ApplicationStatus::Submitted
        };
        let (consent_token, consent_hash) = match application.guardian_email {
            Some(_) => {
                let (token, hash) = tokens::mint();
                (Some(token), Some(hash))
            }
            None => (None, None),
        };
        let answers_json = serde_json::to_string(answers).map_err(StoreError::corrupt)?;
        let txn = self.begin_write().await?;
        let open = reviewer_application::Entity::find()
            .filter(reviewer_application::Column::Email.eq(email.as_str()))
            .filter(
                reviewer_application::Column::Status
                    .is_in(ApplicationStatus::OPEN.map(ApplicationStatus::code)),
            )
            .one(&txn)
            .await?;
        let (id, reference, updated_existing) = match open {
            Some(row) => {
                let reference = ApplicationReference::parse(&row.reference)
                    .ok_or_else(|| StoreError::corrupt(&row.reference))?;
                reviewer_application::ActiveModel {
                    id: Set(row.id),
                    status: Set(status.code().to_owned()),
                    answers: Set(answers_json),
                    updated_at: Set(now),
                    consent_token_hash: Set(consent_hash),
                    consent_confirmed_at: Set(None),
                    reopen_token_hash: Set(None),
                    ..Default::default()
                }
                .update(&txn)
                .await?;
                (ApplicationId::from_uuid(row.id), reference, true)
            }
            None => {
                let id = ApplicationId::new();
                let reference = new_reference();
                reviewer_application::ActiveModel {
                    id: Set(id.as_uuid()),
                    reference: Set(reference.to_string()),
                    email: Set(email),
                    status: Set(status.code().to_owned()),
                    answers: Set(answers_json),
                    submitted_at: Set(now),
                    updated_at: Set(now),
                    decided_at: Set(None),
                    decided_by: Set(None),
                    decision_note: Set(None),
                    member_id: Set(None),
                    consent_token_hash: Set(consent_hash),
                    consent_confirmed_at: Set(None),
                    reopen_token_hash: Set(None),
                }
                .insert(&txn)
                .await?;
                (id, reference, false)
            }
        };
        let submission = Submission {
            id,
            reference,
            status,
            updated_existing,
            consent_token,
        };
        for email in compose(&submission) {
            outbox::enqueue(&txn, email, now).await?;
        }
        application_draft::Entity::delete_by_id(draft_key(browser))
            .exec(&txn)
            .await?;
        let action = if updated_existing {
            "application.updated"
        } else {
            "application.submitted"
        };
        let summary = format!("Application {} ({})", submission.reference, status.label());
        audit::append(
            &txn,
            AuditEvent::new(None, action, AuditObject::new("application", id), summary),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(submission)
    }

    /// A parent or carer consents through their link. Returns the reference, or None if the
    /// link is unknown or already used.
    pub async fn confirm_consent(
        &self,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<ApplicationReference>, StoreError> {
        let txn = self.begin_write().await?;
        let Some(row) = reviewer_application::Entity::find()
            .filter(reviewer_application::Column::ConsentTokenHash.eq(tokens::hash_of(token)))
            .filter(
                reviewer_application::Column::Status.eq(ApplicationStatus::AwaitingConsent.code()),
            )
            .one(&txn)
            .await?
        else {
            return Ok(None);
        };
        let reference = ApplicationReference::parse(&row.reference)
            .ok_or_else(|| StoreError::corrupt(&row.reference))?;
        reviewer_application::ActiveModel {
            id: Set(row.id),
            status: Set(ApplicationStatus::Submitted.code().to_owned()),
            consent_confirmed_at: Set(Some(now)),
            consent_token_hash: Set(None),
            updated_at: Set(now),
            ..Default::default()
        }
        .update(&txn)
        .await?;
        let event = AuditEvent::new(
            None,
            "application.consent_given",
            AuditObject::new("application", row.id),
            "Parent or carer consented",
        );
        audit::append(&txn, event, now).await?;
        txn.commit().await?;
        Ok(Some(reference))
    }

    /// Applications in any of `statuses`, oldest first (the queue is first come, first served).
    pub async fn applications(
        &self,
        statuses: &[ApplicationStatus],
    ) -> Result<Vec<StoredApplication>, StoreError> {
        reviewer_application::Entity::find()
            .filter(
                reviewer_application::Column::Status
                    .is_in(statuses.iter().map(|status| status.code())),
            )
            .order_by_asc(reviewer_application::Column::SubmittedAt)
            .all(&self.db)
            .await?
            .into_iter()
            .map(stored)
            .collect()
    }

    pub async fn application(
        &self,
        id: ApplicationId,
    ) -> Result<Option<StoredApplication>, StoreError> {
        reviewer_application::Entity::find_by_id(id.as_uuid())
            .one(&self.db)
            .await?
            .map(stored)
            .transpose()
    }

    /// Approve: the applicant joins the pool and gets an account (or the Reviewer role on
    /// the account they have) with an invitation to set a password.
    pub async fn approve_application(
        &self,
        id: ApplicationId,
        application: &Application,
        by: UserId,
        now: DateTime<Utc>,
        compose: impl FnOnce(Option<&str>) -> NewEmail,
    ) -> Result<PoolMemberId, StoreError> {
        let txn = self.begin_write().await?;
        let row = find_application(&txn, id).await?;
        ensure_open(&row)?;
        let profile = &application.profile;
        let reviewer = RoleGrant::new(Role::Reviewer, None).map_err(StoreError::corrupt)?;
        let existing = user::Entity::find()
            .filter(user::Column::Email.eq(profile.email.as_str()))
            .one(&txn)
            .await?;
        let (user_id, invitation) = match existing {
            Some(account) => {
                let account_id = UserId::from_uuid(account.id);
                add_grant(&txn, account.id, &reviewer, now).await?;
                (account_id, None)
            }
            None => {
                let new_user = NewUser {
                    name: PersonName::parse(profile.name.as_str()).map_err(StoreError::corrupt)?,
                    email: profile.email.clone(),
                    grants: vec![reviewer],
                };
                let account_id = insert_user(&txn, &new_user, None, now).await?;
                let token = tokens::issue(&txn, account_id, TokenPurpose::Invitation, now).await?;
                (account_id, Some(token))
            }
        };
        let member = pool::insert_member(&txn, profile, Some(user_id), now).await?;
        reviewer_application::ActiveModel {
            id: Set(row.id),
            status: Set(ApplicationStatus::Approved.code().to_owned()),
            decided_at: Set(Some(now)),
            decided_by: Set(Some(by.as_uuid())),
            member_id: Set(Some(member.as_uuid())),
            updated_at: Set(now),
            ..Default::default()
        }
        .update(&txn)
        .await?;
        outbox::enqueue(&txn, compose(invitation.as_deref()), now).await?;
        let event = AuditEvent::new(
            Some(by),
            "application.approved",
            AuditObject::new("application", row.id),
            format!("Joined the pool as member {member}"),
        );
        audit::append(&txn, event, now).await?;
        txn.commit().await?;
        Ok(member)
    }

    /// Send the application back with a question: the applicant's link reopens it with
    /// every answer in place.
    pub async fn request_more_information(
        &self,
        id: ApplicationId,
        question: &str,
        by: UserId,
        now: DateTime<Utc>,
        compose: impl FnOnce(&str) -> NewEmail,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        let row = find_application(&txn, id).await?;
        ensure_open(&row)?;
        let (token, hash) = tokens::mint();
        reviewer_application::ActiveModel {
            id: Set(row.id),
            status: Set(ApplicationStatus::MoreInformationRequested
                .code()
                .to_owned()),
            decision_note: Set(Some(question.to_owned())),
            reopen_token_hash: Set(Some(hash)),
            updated_at: Set(now),
            ..Default::default()
        }
        .update(&txn)
        .await?;
        outbox::enqueue(&txn, compose(&token), now).await?;
        let event = AuditEvent::new(
            Some(by),
            "application.more_information_requested",
            AuditObject::new("application", row.id),
            "Question sent to the applicant",
        );
        audit::append(&txn, event, now).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Open a sent-back application in this browser: its answers become the draft.
    pub async fn reopen_application(
        &self,
        token: &str,
        browser: &SessionToken,
        now: DateTime<Utc>,
    ) -> Result<Option<StoredApplication>, StoreError> {
        let row = reviewer_application::Entity::find()
            .filter(reviewer_application::Column::ReopenTokenHash.eq(tokens::hash_of(token)))
            .filter(
                reviewer_application::Column::Status
                    .eq(ApplicationStatus::MoreInformationRequested.code()),
            )
            .one(&self.db)
            .await?;
        let Some(application) = row.map(stored).transpose()? else {
            return Ok(None);
        };
        self.save_application_draft(browser, &application.answers, now)
            .await?;
        Ok(Some(application))
    }

    pub async fn decline_application(
        &self,
        id: ApplicationId,
        reason: &str,
        by: UserId,
        now: DateTime<Utc>,
        compose: impl FnOnce() -> NewEmail,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        let row = find_application(&txn, id).await?;
        ensure_open(&row)?;
        reviewer_application::ActiveModel {
            id: Set(row.id),
            status: Set(ApplicationStatus::Declined.code().to_owned()),
            decided_at: Set(Some(now)),
            decided_by: Set(Some(by.as_uuid())),
            decision_note: Set(Some(reason.to_owned())),
            updated_at: Set(now),
            ..Default::default()
        }
        .update(&txn)
        .await?;
        outbox::enqueue(&txn, compose(), now).await?;
        // The reason stays on the application (purged with it); the log keeps only the fact.
        let event = AuditEvent::new(
            Some(by),
            "application.declined",
            AuditObject::new("application", row.id),
            "Declined",
        );
        audit::append(&txn, event, now).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Count one use of `key` in a fixed window; false once `max` uses are spent.
    pub async fn within_rate_limit(
        &self,
        key: &str,
        window: chrono::Duration,
        max: i32,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let existing = rate_limit::Entity::find_by_id(key.to_owned())
            .one(&self.db)
            .await?;
        let (window_started_at, count) = match existing {
            Some(row) if row.window_started_at + window > now => {
                (row.window_started_at, row.count.saturating_add(1))
            }
            _ => (now, 1),
        };
        rate_limit::Entity::insert(rate_limit::ActiveModel {
            key: Set(key.to_owned()),
            window_started_at: Set(window_started_at),
            count: Set(count),
        })
        .on_conflict(
            OnConflict::column(rate_limit::Column::Key)
                .update_columns([
                    rate_limit::Column::WindowStartedAt,
                    rate_limit::Column::Count,
                ])
                .to_owned(),
        )
        .exec(&self.db)
        .await?;
        Ok(count <= max)
    }
}
