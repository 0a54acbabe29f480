//! The team's steps as use cases: confirming the team (every proposed seat invited, with an
//! email and a calendar invitation each, and the host's LA leads told once) and a member's
//! answer to their invitation (the project manager told of a decline or a conflict). Also the
//! wording of those emails and the visit's calendar events.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use documents::ics::{Attendee, CalendarEvent, CalendarMethod, calendar};
use domain::challenge::{InvitationResponse, MemberStatus, SeatRole};
use domain::clock::uk_to_utc;
use domain::lifecycle::{ChallengeState, check_transition};
use domain::policy::{Action, authorise};
use domain::{PoolMemberId, Principal, TeamMemberId};
use store::{ChallengeRecord, EmailAttachment, NewEmail, StoreError, TeamMember};

use crate::Settings;
use crate::challenge_emails::{self, Step};
use crate::composition::{CompositionError, check_team, compose};
use crate::dates;
use crate::journey::{OnChallenge, Refused, Scheme};

/// The most a reason for confirming a team that breaks a rule may run to.
pub const OVERRIDE_REASON_LIMIT: usize = 1000;

/// The challenge's own page, as links in emails and calendar events give it.
fn challenge_path(record: &ChallengeRecord) -> String {
    format!("/challenges/{}", record.id)
}

/// Ask the engine for a team and save it as the proposal (moving a challenge in scoping on
/// to "team proposed"): with `minimise_changes`, a re-composition that keeps every seat it
/// can. Nobody hears of a proposal.
pub async fn propose_team(
    scheme: Scheme<'_>,
    principal: Option<&Principal>,
    on: OnChallenge<'_>,
    team: &[TeamMember],
    minimise_changes: bool,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(), Refused> {
    let Scheme { store, settings } = scheme;
    authorise(principal, &Action::ViewChallenge(on.access.clone()))?;
    authorise(principal, &Action::ComposeTeam)?;
    let principal = principal.ok_or(Refused::Denied(domain::Denied::SignInRequired))?;
    let record = on.record;
    if !record.state.may_change_team() {
        return Err(Refused::Rule(
            "The team can no longer be changed at this stage".into(),
        ));
    }
    if record.state == ChallengeState::Scoping {
        let ready = store.readiness(record.id, today, None).await?;
        check_transition(record.state, ChallengeState::TeamProposed, &ready)
            .map_err(|refused| Refused::Rule(refused.to_string()))?;
    }
    let composed = compose(
        store,
        record,
        team,
        minimise_changes,
        today,
        settings.max_per_authority,
    )
    .await
    .map_err(|error| match error {
        CompositionError::NoTeam(why) => {
            Refused::Rule(format!("The engine cannot form a team: {why}"))
        }
        CompositionError::Store(error) => Refused::from(error),
        other => Refused::Failed(other.to_string()),
    })?;
    let proposal = serde_json::to_string(&composed.proposal)
        .map_err(|error| Refused::Failed(error.to_string()))?;
    store
        .save_proposal(
            principal,
            record.id,
            record.state,
            &composed.seats,
            proposal,
            now,
        )
        .await?;
    Ok(())
}

/// Confirm the team as it stands: every proposed seat is invited (nobody hears of a proposal
/// before this). Every composition rule is checked again, since a swap or an addition by
/// hand may have broken one since the engine proposed it; a team that breaks one is confirmed
/// only with the project manager's reason, kept in the audit log.
pub async fn confirm_team(
    scheme: Scheme<'_>,
    principal: Option<&Principal>,
    on: OnChallenge<'_>,
    team: &[TeamMember],
    override_reason: &str,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(), Refused> {
    let Scheme { store, settings } = scheme;
    authorise(principal, &Action::ViewChallenge(on.access.clone()))?;
    authorise(principal, &Action::ComposeTeam)?;
    let principal = principal.ok_or(Refused::Denied(domain::Denied::SignInRequired))?;
    let record = on.record;
    if record.state == ChallengeState::TeamProposed {
        let ready = store.readiness(record.id, today, None).await?;
        check_transition(record.state, ChallengeState::TeamConfirmed, &ready)
            .map_err(|refused| Refused::Rule(refused.to_string()))?;
    } else if !record.state.may_change_team() || record.state == ChallengeState::Scoping {
        return Err(Refused::Rule("There is no proposed team to confirm".into()));
    }
    let invitations: Vec<(TeamMemberId, NewEmail)> = team
        .iter()
        .filter(|m| m.status == MemberStatus::Proposed)
        .map(|m| (m.id, invitation_email(settings, record, m, now)))
        .collect();
    if invitations.is_empty() {
        return Err(Refused::Rule("There is nobody new to invite".into()));
    }
    let broken = check_team(store, record, team, today, settings.max_per_authority)
        .await
        .map_err(|error| Refused::Failed(error.to_string()))?;
    let reason = override_reason.trim();
    let overridden = if broken.is_empty() {
        None
    } else if reason.is_empty() {
        return Err(Refused::Rule("The team breaks the composition rules listed below, so it was not confirmed. Change the team, or give your reason for confirming it anyway".into()));
    } else if reason.chars().count() > OVERRIDE_REASON_LIMIT {
        return Err(Refused::Rule(format!(
            "Your reason must be {OVERRIDE_REASON_LIMIT} characters or fewer"
        )));
    } else {
        Some(format!(
            "Confirmed the team although it breaks the composition rules ({}). Reason: {reason}",
            broken.join("; ")
        ))
    };
    // The host's LA leads hear once, when the team is first confirmed.
    let notices = if record.state == ChallengeState::TeamProposed {
        challenge_emails::emails(
            settings,
            &store.staff().await?,
            on.about(),
            Step::TeamConfirmed,
        )
    } else {
        Vec::new()
    };
    store
        .invite_team_and_tell(
            principal,
            record.id,
            record.state,
            invitations,
            notices,
            overridden,
            now,
        )
        .await?;
    Ok(())
}

/// A member's answer to their invitation to `seat` (their own, still invited): a decline or
/// a declared conflict tells the project manager, in the answer's transaction.
pub async fn answer_invitation(
    scheme: Scheme<'_>,
    principal: Option<&Principal>,
    on: OnChallenge<'_>,
    seat: &TeamMember,
    response: &InvitationResponse,
    now: DateTime<Utc>,
) -> Result<(), Refused> {
    let Scheme { store, settings } = scheme;
    authorise(principal, &Action::ViewOwnChallenges)?;
    authorise(principal, &Action::ViewChallenge(on.access.clone()))?;
    let principal = principal.ok_or(Refused::Denied(domain::Denied::SignInRequired))?;
    let notify = member_answered_email(settings, on.record, seat, response);
    store
        .respond_to_invitation(principal, seat.id, response, notify, now)
        .await?;
    Ok(())
}

/// Acting on the engine's diagnosis: turn one seat of `role` into a shadowing seat (audited),
/// so someone not yet trained may fill it, then ask the engine again with as few changes as
/// possible. The team must still be open to change.
pub async fn make_seat_shadowing(
    scheme: Scheme<'_>,
    principal: Option<&Principal>,
    on: OnChallenge<'_>,
    role: SeatRole,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(), Refused> {
    authorise(principal, &Action::ViewChallenge(on.access.clone()))?;
    authorise(principal, &Action::ComposeTeam)?;
    let actor = principal.ok_or(Refused::Denied(domain::Denied::SignInRequired))?;
    if !on.record.state.may_change_team() {
        return Err(Refused::Rule(
            "The team can no longer be changed at this stage".into(),
        ));
    }
    match scheme
        .store
        .shadow_one_seat(actor, on.record.id, role, now)
        .await
    {
        Ok(()) => {}
        Err(StoreError::Conflict(_) | StoreError::NotFound) => {
            return Err(Refused::Rule(format!(
                "There is no {} seat left to make a shadowing seat",
                role.label().to_lowercase()
            )));
        }
        Err(other) => return Err(other.into()),
    }
    let record = scheme
        .store
        .challenge(on.record.id)
        .await?
        .ok_or(Refused::NotFound)?;
    let team = scheme.store.team(record.id).await?;
    let on = OnChallenge {
        record: &record,
        access: on.access,
    };
    propose_team(scheme, principal, on, &team, true, today, now).await
}

/// Acting on the engine's diagnosis: email a pool member, through the outbox, asking them to
/// add the host area to the places they travel to. Nothing else changes: whether they travel
/// there is theirs to say.
pub async fn ask_to_travel(
    Scheme { store, settings }: Scheme<'_>,
    principal: Option<&Principal>,
    on: OnChallenge<'_>,
    member: PoolMemberId,
    now: DateTime<Utc>,
) -> Result<(), Refused> {
    authorise(principal, &Action::ViewChallenge(on.access.clone()))?;
    authorise(principal, &Action::ComposeTeam)?;
    let asker = principal.ok_or(Refused::Denied(domain::Denied::SignInRequired))?;
    let member = store
        .pool_member(member)
        .await?
        .ok_or_else(|| Refused::Rule("Choose the person to ask".into()))?;
    let email = challenge_emails::travel_request_email(
        settings,
        on.about(),
        &on.record.visit_days,
        &asker.name,
        &member.profile.name.to_string(),
        member.profile.email.clone(),
    );
    store.queue_email(email, now).await?;
    Ok(())
}

/// The visit as calendar events, one per day, 9am to 5pm UK time; the uid is stable per
/// challenge and day so a re-sent invitation updates rather than duplicates.
pub fn visit_events(
    settings: &Settings,
    record: &ChallengeRecord,
    attendee: Option<&TeamMember>,
    now: DateTime<Utc>,
) -> Vec<CalendarEvent> {
    let contact = &settings.contact;
    let (nine, five) = (
        NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default(),
        NaiveTime::from_hms_opt(17, 0, 0).unwrap_or_default(),
    );
    let count = record.visit_days.len();
    let link = settings.link(&challenge_path(record));
    record
        .visit_days
        .iter()
        .enumerate()
        .map(|(index, day)| CalendarEvent {
            uid: settings.calendar_uid(&format!("challenge-{}-day-{}", record.id, index + 1)),
            sequence: 0,
            starts: uk_to_utc(day.and_time(nine)),
            ends: uk_to_utc(day.and_time(five)),
            summary: if count > 1 {
                format!(
                    "Peer challenge: {} (day {} of {count})",
                    record.authority_name,
                    index + 1
                )
            } else {
                format!("Peer challenge: {}", record.authority_name)
            },
            description: format!(
                "{} {} ({}). The timetable and pre-reading are at {link}",
                record.authority_name,
                record.kind.label().to_lowercase(),
                record.reference,
            ),
            location: Some(format!(
                "{} ({})",
                record.authority_name,
                record.format.label()
            )),
            url: Some(link.clone()),
            organizer: Some(Attendee {
                name: contact.project_manager_name.clone(),
                email: contact.project_manager_email.clone(),
            }),
            attendees: attendee
                .map(|m| Attendee {
                    name: m.name.clone(),
                    email: m.email.to_string(),
                })
                .into_iter()
                .collect(),
            created: now,
        })
        .collect()
}

/// Each invited or accepted member told that the visit days changed, with the calendar
/// invitation for the new days (`moved` holds them). Its events keep their ids and take a
/// higher sequence, so a calendar replaces the old days rather than adding new ones.
pub fn visit_changed_emails(
    settings: &Settings,
    moved: &ChallengeRecord,
    team: &[TeamMember],
    now: DateTime<Utc>,
) -> Vec<NewEmail> {
    // Seconds since 2024 rise with every change, as the sequence must.
    let sequence = u32::try_from(now.timestamp() - 1_704_067_200).unwrap_or(u32::MAX);
    let about = OnChallenge::about_record(moved);
    team.iter()
        .filter(|member| member.status.is_on_team())
        .map(|member| {
            let mut events = visit_events(settings, moved, Some(member), now);
            for event in &mut events {
                event.sequence = sequence;
            }
            let ics = calendar(CalendarMethod::Request, &events);
            challenge_emails::visit_changed_email(
                settings,
                about,
                &moved.visit_days,
                &member.name,
                member.email.clone(),
            )
            .with_attachment(EmailAttachment {
                file_name: format!("{}.ics", moved.reference),
                content_type: "text/calendar; method=REQUEST; charset=UTF-8".into(),
                bytes: ics.into_bytes(),
            })
        })
        .collect()
}

fn invitation_email(
    settings: &Settings,
    record: &ChallengeRecord,
    member: &TeamMember,
    now: DateTime<Utc>,
) -> NewEmail {
    let days = record
        .visit_days
        .iter()
        .map(|d| dates::date(*d))
        .collect::<Vec<_>>()
        .join(" and ");
    let body = format!(
        "Dear {},\n\n\
         You are invited to join the team for a {} in {} on {days}, as {}.\n\n\
         Please sign in and answer at {}: accepting asks you to declare any conflict of interest \
         with this local area and to agree to keep what you learn confidential.\n\n\
         The attached calendar invitation holds the visit days. Questions, or adjustments you need: \
         {} ({}).\n",
        member.name,
        record.kind.label().to_lowercase(),
        record.authority_name,
        member.seat_role.label().to_lowercase(),
        settings.link(&format!("{}/respond", challenge_path(record))),
        settings.contact.project_manager_name,
        settings.contact.project_manager_email,
    );
    let ics = calendar(
        CalendarMethod::Request,
        &visit_events(settings, record, Some(member), now),
    );
    NewEmail::text(
        member.email.clone(),
        format!(
            "Invitation: peer challenge in {} on {days}",
            record.authority_name
        ),
        body,
    )
    .with_attachment(EmailAttachment {
        file_name: format!("{}.ics", record.reference),
        content_type: "text/calendar; method=REQUEST; charset=UTF-8".into(),
        bytes: ics.into_bytes(),
    })
}

/// A decline or a declared conflict needs the project manager: tell them, with no detail
/// beyond what they can read on the team page.
fn member_answered_email(
    settings: &Settings,
    record: &ChallengeRecord,
    seat: &TeamMember,
    response: &InvitationResponse,
) -> Option<NewEmail> {
    let what = match response {
        InvitationResponse::Accept => return None,
        InvitationResponse::Decline(_) => "declined",
        InvitationResponse::DeclareConflict(_) => "declared a conflict of interest for",
    };
    let to = domain::EmailAddress::parse(&settings.contact.project_manager_email).ok()?;
    Some(NewEmail::text(
        to,
        format!("{}: a team member {what} the challenge", record.reference),
        format!(
            "{} ({}) has {what} {}: {} {}.\n\nThe team page offers a re-composition that changes as few seats as possible: {}\n",
            seat.name,
            seat.seat_role.label().to_lowercase(),
            record.reference,
            record.authority_name,
            record.kind.label().to_lowercase(),
            settings.link(&format!("{}/team", challenge_path(record)))
        ),
    ))
}
