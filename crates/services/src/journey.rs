//! The challenge's journey steps as use cases: each takes the principal and typed input,
//! authorises through `domain::policy::authorise`, checks what must be true first, writes the
//! change and its emails to the outbox in one store transaction, and returns a typed result.
//! The pages and the demo call these; neither orchestrates a step itself.

use chrono::{DateTime, NaiveDate, Utc};
use domain::challenge::{KloeAnswers, MemberStatus, RequestAnswers, SeatRole};
use domain::findings::ReportStatus;
use domain::forms::FieldProblem;
use domain::lifecycle::{ChallengeState, check_transition};
use domain::policy::{Action, ChallengeAccess, Denied, authorise};
use domain::{ChallengeId, Principal, ReportVersionId, ThemeCode};
use store::{ChallengeRecord, Store, StoreError, TeamMember};
use thiserror::Error;

use crate::Settings;
use crate::challenge_emails::{self, About, Step};

/// Why a use case did not make its change. The web shows each on the page the visitor came
/// from (or the error page of a refusal or failure); none is ever a success.
#[derive(Debug, Error)]
pub enum Refused {
    /// The policy refused the principal.
    #[error(transparent)]
    Denied(#[from] Denied),
    /// A rule of the scheme, or a change someone else made first: the words are for the
    /// visitor, on the page they came from.
    #[error("{0}")]
    Rule(String),
    /// The answers given do not pass their checks, each problem keyed by its field.
    #[error("the answers have problems")]
    Invalid(Vec<FieldProblem>),
    /// The store failed; the cause is for the log.
    #[error(transparent)]
    Store(StoreError),
    /// What the step is about is not there (or not this challenge's).
    #[error("not found")]
    NotFound,
    /// Something else below failed (the team engine); the cause is for the log.
    #[error("{0}")]
    Failed(String),
}

/// Store errors are mapped here, once: a conflict (the record changed between reading it and
/// writing: someone else acted first, or the challenge moved on) is a rule the visitor reads,
/// never a success and never an error page.
impl From<StoreError> for Refused {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Conflict(why) => Self::Rule(format!(
                "Nothing was changed because {why}. Open the page again to see where things stand."
            )),
            StoreError::NotFound => Self::NotFound,
            other => Self::Store(other),
        }
    }
}

/// What every use case works with: the store and the deployment's settings.
#[derive(Clone, Copy, Debug)]
pub struct Scheme<'a> {
    pub store: &'a Store,
    pub settings: &'a Settings,
}

/// The challenge a step is taken on, as the principal found it: its record and their access
/// to it (computed in `domain` when it was loaded).
#[derive(Clone, Copy, Debug)]
pub struct OnChallenge<'a> {
    pub record: &'a ChallengeRecord,
    pub access: &'a ChallengeAccess,
}

impl<'a> OnChallenge<'a> {
    /// The challenge as its emails name it.
    pub fn about(&self) -> About<'a> {
        Self::about_record(self.record)
    }

    /// A challenge record as its emails name it.
    pub fn about_record(record: &ChallengeRecord) -> About<'_> {
        About {
            id: record.id,
            reference: &record.reference,
            authority: &record.authority,
            authority_name: &record.authority_name,
            kind: record.kind,
        }
    }
}

/// What `principal` is to the challenge: their own seat, when they are on its team (an
/// accepted seat before an invited one), and the access the policy asks about. The pages and
/// the demo load a challenge through this, so both ask the policy the same question.
pub fn access_of(
    principal: &Principal,
    record: &ChallengeRecord,
    team: &[TeamMember],
) -> (ChallengeAccess, Option<TeamMember>) {
    let membership = team
        .iter()
        .filter(|m| m.user == Some(principal.user_id) && m.status.is_on_team())
        .max_by_key(|m| m.status == MemberStatus::Accepted)
        .cloned();
    let accepted = membership
        .as_ref()
        .is_some_and(|m| m.status == MemberStatus::Accepted);
    let access = ChallengeAccess {
        authority: record.authority.clone(),
        team_member: membership.as_ref().map(|m| m.reviewer_type),
        accepted,
        lead_reviewer: accepted
            && membership
                .as_ref()
                .is_some_and(|m| m.seat_role == SeatRole::LeadReviewer),
        led_by_coordinator: record.kind.led_by_coordinator(),
    };
    (access, membership)
}

/// The principal, once the policy has let them do `action`.
pub(crate) fn allowed<'p>(
    principal: Option<&'p Principal>,
    action: &Action,
) -> Result<&'p Principal, Refused> {
    authorise(principal, action)?;
    principal.ok_or(Refused::Denied(Denied::SignInRequired))
}

/// Move a challenge along the lifecycle to `to` (with the reason, when cancelling): the
/// move's own rule from `domain::lifecycle`, and the host's LA leads told of the steps they
/// hear of, in the move's transaction.
pub async fn move_challenge(
    Scheme { store, settings }: Scheme<'_>,
    principal: Option<&Principal>,
    on: OnChallenge<'_>,
    to: ChallengeState,
    reason: Option<String>,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(), Refused> {
    let from = on.record.state;
    let principal = allowed(
        principal,
        &Action::MoveChallenge {
            access: on.access.clone(),
            from,
            to,
        },
    )?;
    let readiness = store.readiness(on.record.id, today, reason.clone()).await?;
    check_transition(from, to, &readiness).map_err(|refused| Refused::Rule(refused.to_string()))?;
    // The host's LA leads hear of the steps they care about; the invited team of those that
    // concern them (the timetable published).
    let emails = match Step::of_move(to) {
        Some(step) => {
            let mut emails =
                challenge_emails::emails(settings, &store.staff().await?, on.about(), step);
            let team = store.team(on.record.id).await?;
            emails.extend(challenge_emails::team_emails(
                settings,
                &team,
                on.about(),
                step,
            ));
            emails
        }
        None => Vec::new(),
    };
    store
        .move_challenge_and_tell(principal, on.record.id, (from, to), reason, emails, now)
        .await?;
    Ok(())
}

/// What agreeing the KLOEs came to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Agreement {
    Agreed,
    /// Agreed before, or no longer open to change: nothing to do.
    AlreadySettled,
}

/// Agree the challenge's KLOEs as they stand: each must pass the checks for agreement, and
/// the host's LA leads hear in the same transaction.
pub async fn agree_kloes(
    Scheme { store, settings }: Scheme<'_>,
    principal: Option<&Principal>,
    on: OnChallenge<'_>,
    now: DateTime<Utc>,
) -> Result<Agreement, Refused> {
    authorise(principal, &Action::DraftKloes(on.access.clone()))?;
    let principal = allowed(principal, &Action::AgreeKloes)?;
    if on.record.kloes_agreed() || !on.record.state.may_edit_kloes() {
        return Ok(Agreement::AlreadySettled);
    }
    let themes: Vec<ThemeCode> = store
        .themes()
        .await?
        .into_iter()
        .map(|theme| theme.code)
        .collect();
    KloeAnswers::from_kloes(&on.record.kloes)
        .check(on.record.kind, &themes, true)
        .map_err(Refused::Invalid)?;
    let emails = challenge_emails::emails(
        settings,
        &store.staff().await?,
        on.about(),
        Step::KloesAgreed,
    );
    store
        .agree_kloes_and_tell(principal, on.record.id, emails, now)
        .await?;
    Ok(Agreement::Agreed)
}

/// Share a report version with the host for accuracy, or make it final: the version moves only
/// from the status before (a conditional update in the store), and the host's LA leads hear in
/// the same transaction.
pub async fn move_report(
    Scheme { store, settings }: Scheme<'_>,
    principal: Option<&Principal>,
    on: OnChallenge<'_>,
    version: ReportVersionId,
    to: ReportStatus,
    now: DateTime<Utc>,
) -> Result<(), Refused> {
    let principal = allowed(principal, &Action::WriteFindings(on.access.clone()))?;
    let versions = store.report_versions(on.record.id).await?;
    let shown = versions
        .iter()
        .find(|shown| shown.id == version)
        .ok_or(Refused::NotFound)?;
    let (format, number) = (shown.format, shown.version);
    let step = match to {
        ReportStatus::Shared => Step::ReportShared {
            format,
            version: number,
        },
        _ => Step::ReportFinal {
            format,
            version: number,
        },
    };
    let emails = challenge_emails::emails(settings, &store.staff().await?, on.about(), step);
    store
        .move_report_and_tell(on.record.id, version, to, principal.user_id, emails, now)
        .await?;
    Ok(())
}

/// An LA lead's request for a peer challenge of their own area: the answers checked (each
/// problem keyed by its field), the request saved with its reference, and the lead, the
/// co-ordinators and the project managers told, in one transaction. Gives the new challenge.
pub async fn request_challenge(
    Scheme { store, settings }: Scheme<'_>,
    principal: Option<&Principal>,
    answers: &RequestAnswers,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<ChallengeId, Refused> {
    let principal = principal.ok_or(Refused::Denied(Denied::SignInRequired))?;
    let slug = principal
        .led_authorities()
        .next()
        .cloned()
        .ok_or(Refused::Denied(Denied::Forbidden))?;
    let principal = allowed(Some(principal), &Action::RequestChallenge(slug.clone()))?;
    let themes: Vec<ThemeCode> = store
        .themes()
        .await?
        .into_iter()
        .map(|theme| theme.code)
        .collect();
    let request = answers.check(&themes, today).map_err(Refused::Invalid)?;
    let staff = store.staff().await?;
    let area = store
        .authority(&slug)
        .await?
        .map_or_else(|| slug.to_string(), |a| a.name);
    let id = store
        .request_challenge_and_tell(principal, &slug, &request, now, |id, reference| {
            challenge_emails::emails(
                settings,
                &staff,
                About {
                    id,
                    reference,
                    authority: &slug,
                    authority_name: &area,
                    kind: request.kind,
                },
                Step::Requested,
            )
        })
        .await?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_conflict_is_a_rule_to_read_never_a_success_or_a_failure() {
        match Refused::from(StoreError::Conflict("the challenge has moved on")) {
            Refused::Rule(message) => {
                assert!(
                    message.starts_with("Nothing was changed because the challenge has moved on")
                );
            }
            other => panic!("a conflict became {other:?}"),
        }
        assert!(matches!(
            Refused::from(StoreError::NotFound),
            Refused::NotFound
        ));
        assert!(matches!(
            Refused::from(StoreError::Corrupt("x".into())),
            Refused::Store(_)
        ));
    }
}
