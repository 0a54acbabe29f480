//! Challenge teams: the engine's proposal, the project manager's changes, confirmation (the
//! invitations go out through the outbox in the same transaction), the members' answers, and
//! the bookings the engine must respect.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use domain::challenge::{InvitationResponse, MemberStatus, SeatRole};
use domain::lifecycle::ChallengeState;
use domain::pool::ReviewerType;
use domain::{
    AuditEvent, AuditObject, ChallengeId, EmailAddress, PoolMemberId, Principal, TeamMemberId,
    UserId,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use crate::challenges::{CHALLENGE_KIND, ChallengeSummary, move_in, state_of, touch};
use crate::entity::{challenge, challenge_visit_day, pool_member, team_member};
use crate::outbox::{self, NewEmail};
use crate::{Store, StoreError, audit};

/// A person's seat on a team, with what the pages need to show about them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TeamMember {
    pub id: TeamMemberId,
    pub challenge: ChallengeId,
    pub member: PoolMemberId,
    pub user: Option<UserId>,
    pub name: String,
    pub email: EmailAddress,
    pub reviewer_type: ReviewerType,
    pub seat_role: SeatRole,
    pub shadowing: bool,
    pub status: MemberStatus,
    /// Why the engine (or the project manager) chose them, in words.
    pub reasons: String,
    pub invited_at: Option<DateTime<Utc>>,
    pub responded_at: Option<DateTime<Utc>>,
    pub conflict_details: Option<String>,
    pub decline_reason: Option<String>,
    pub confidentiality_at: Option<DateTime<Utc>>,
}

/// A seat to fill: who, in which seat, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewTeamMember {
    pub member: PoolMemberId,
    pub seat_role: SeatRole,
    pub shadowing: bool,
    pub reasons: String,
}

/// Someone's seats on other challenges: what the engine needs to avoid double bookings and
/// to count the year's load.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Bookings {
    /// Visit days each member is booked on (seats held on any challenge but `except`).
    pub booked_days: HashMap<PoolMemberId, Vec<NaiveDate>>,
    /// Seats held this calendar year, per member.
    pub load_this_year: HashMap<PoolMemberId, u32>,
    /// Challenges each member has sat on before (accepted, with the visit in the past).
    pub past_challenges: HashMap<PoolMemberId, u32>,
}

const TEAM_MEMBER_KIND: &str = "team_member";

fn member_event(
    actor: &Principal,
    action: &'static str,
    id: TeamMemberId,
    summary: String,
) -> AuditEvent {
    AuditEvent::new(
        Some(actor.user_id),
        action,
        AuditObject::new(TEAM_MEMBER_KIND, id),
        summary,
    )
}

fn to_team_member(
    row: team_member::Model,
    person: Option<&pool_member::Model>,
) -> Result<TeamMember, StoreError> {
    let person = person.ok_or_else(|| StoreError::corrupt(row.member_id))?;
    Ok(TeamMember {
        id: TeamMemberId::from_uuid(row.id),
        challenge: ChallengeId::from_uuid(row.challenge_id),
        member: PoolMemberId::from_uuid(row.member_id),
        user: person.user_id.map(UserId::from_uuid),
        name: person.name.clone(),
        email: EmailAddress::parse(&person.email)
            .map_err(|_| StoreError::corrupt(&person.email))?,
        reviewer_type: ReviewerType::parse(&person.reviewer_type)
            .ok_or_else(|| StoreError::corrupt(&person.reviewer_type))?,
        seat_role: SeatRole::parse(&row.seat_role)
            .ok_or_else(|| StoreError::corrupt(&row.seat_role))?,
        shadowing: row.shadowing,
        status: MemberStatus::parse(&row.status).ok_or_else(|| StoreError::corrupt(&row.status))?,
        reasons: row.reasons,
        invited_at: row.invited_at,
        responded_at: row.responded_at,
        conflict_details: row.conflict_details,
        decline_reason: row.decline_reason,
        confidentiality_at: row.confidentiality_at,
    })
}

async fn with_people(
    db: &impl ConnectionTrait,
    rows: Vec<team_member::Model>,
) -> Result<Vec<TeamMember>, StoreError> {
    let ids: Vec<Uuid> = rows.iter().map(|row| row.member_id).collect();
    let people: HashMap<Uuid, pool_member::Model> = pool_member::Entity::find()
        .filter(pool_member::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|person| (person.id, person))
        .collect();
    rows.into_iter()
        .map(|row| {
            let person = people.get(&row.member_id);
            to_team_member(row, person)
        })
        .collect()
}

fn new_row(
    challenge: ChallengeId,
    seat: &NewTeamMember,
    now: DateTime<Utc>,
) -> team_member::ActiveModel {
    team_member::ActiveModel {
        id: Set(Uuid::new_v4()),
        challenge_id: Set(challenge.as_uuid()),
        member_id: Set(seat.member.as_uuid()),
        seat_role: Set(seat.seat_role.code().to_owned()),
        shadowing: Set(seat.shadowing),
        status: Set(MemberStatus::Proposed.code().to_owned()),
        reasons: Set(seat.reasons.clone()),
        invited_at: Set(None),
        responded_at: Set(None),
        conflict_details: Set(None),
        decline_reason: Set(None),
        confidentiality_at: Set(None),
        created_at: Set(now),
    }
}

async fn set_status(
    db: &impl ConnectionTrait,
    id: TeamMemberId,
    from: &[MemberStatus],
    to: MemberStatus,
) -> Result<(), StoreError> {
    let codes: Vec<&str> = from.iter().map(|s| s.code()).collect();
    let updated = team_member::Entity::update_many()
        .col_expr(team_member::Column::Status, Expr::value(to.code()))
        .filter(team_member::Column::Id.eq(id.as_uuid()))
        .filter(team_member::Column::Status.is_in(codes))
        .exec(db)
        .await?;
    if updated.rows_affected == 0 {
        return Err(StoreError::Conflict("that seat has changed"));
    }
    Ok(())
}

impl Store {
    /// Everyone who has been on the team, in seat order, then by when they were added.
    pub async fn team(&self, challenge: ChallengeId) -> Result<Vec<TeamMember>, StoreError> {
        let rows = team_member::Entity::find()
            .filter(team_member::Column::ChallengeId.eq(challenge.as_uuid()))
            .order_by_asc(team_member::Column::CreatedAt)
            .all(&self.db)
            .await?;
        let mut team = with_people(&self.db, rows).await?;
        team.sort_by_key(|m| {
            SeatRole::ALL
                .iter()
                .position(|role| *role == m.seat_role)
                .unwrap_or(usize::MAX)
        });
        Ok(team)
    }

    /// One seat.
    pub async fn team_member(&self, id: TeamMemberId) -> Result<Option<TeamMember>, StoreError> {
        let Some(row) = team_member::Entity::find_by_id(id.as_uuid())
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        Ok(with_people(&self.db, vec![row]).await?.into_iter().next())
    }

    /// Save the engine's proposal: every proposed (not yet invited) seat is replaced by
    /// `seats`; invited, accepted and past seats stay. A challenge in scoping moves to team
    /// proposed. `proposal` is the explanation the page shows (reasons, alternates, gaps).
    pub async fn save_proposal(
        &self,
        actor: &Principal,
        challenge: ChallengeId,
        from_state: ChallengeState,
        seats: &[NewTeamMember],
        proposal: String,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        team_member::Entity::delete_many()
            .filter(team_member::Column::ChallengeId.eq(challenge.as_uuid()))
            .filter(team_member::Column::Status.eq(MemberStatus::Proposed.code()))
            .exec(&txn)
            .await?;
        for seat in seats {
            new_row(challenge, seat, now).insert(&txn).await?;
        }
        challenge::Entity::update_many()
            .col_expr(challenge::Column::Proposal, Expr::value(proposal))
            .filter(challenge::Column::Id.eq(challenge.as_uuid()))
            .exec(&txn)
            .await?;
        if from_state == ChallengeState::Scoping {
            move_in(
                &txn,
                actor,
                challenge,
                from_state,
                ChallengeState::TeamProposed,
                None,
                now,
            )
            .await?;
        } else {
            touch(&txn, challenge, now).await?;
        }
        audit::append(
            &txn,
            AuditEvent::new(
                Some(actor.user_id),
                "challenge.team_proposed",
                AuditObject::new(CHALLENGE_KIND, challenge),
                format!("{} seat(s) proposed", seats.len()),
            ),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Put someone in a seat by hand (a swap removes the old seat first).
    pub async fn add_team_member(
        &self,
        actor: &Principal,
        challenge: ChallengeId,
        seat: &NewTeamMember,
        replacing: Option<TeamMemberId>,
        now: DateTime<Utc>,
    ) -> Result<TeamMemberId, StoreError> {
        let txn = self.begin_write().await?;
        if let Some(old) = replacing {
            release_seat(&txn, old).await?;
        }
        let row = new_row(challenge, seat, now).insert(&txn).await?;
        let id = TeamMemberId::from_uuid(row.id);
        touch(&txn, challenge, now).await?;
        let summary = match replacing {
            Some(old) => format!("replaces {old} as {}", seat.seat_role.code()),
            None => format!("added as {}", seat.seat_role.code()),
        };
        audit::append(
            &txn,
            member_event(actor, "team.member_added", id, summary),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(id)
    }

    /// Take someone off the team: a proposal is forgotten; an invited or accepted member is
    /// marked replaced (their answer stays on the record).
    pub async fn remove_team_member(
        &self,
        actor: &Principal,
        id: TeamMemberId,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        release_seat(&txn, id).await?;
        audit::append(
            &txn,
            member_event(actor, "team.member_removed", id, "removed".into()),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Send the invitations for every proposed seat: each becomes invited and its email
    /// goes into the outbox in this transaction. A challenge whose team is proposed moves
    /// to team confirmed; a later re-composition just invites the newcomers.
    pub async fn invite_team(
        &self,
        actor: &Principal,
        challenge: ChallengeId,
        from_state: ChallengeState,
        invitations: Vec<(TeamMemberId, NewEmail)>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.invite_team_and_tell(
            actor,
            challenge,
            from_state,
            invitations,
            Vec::new(),
            None,
            now,
        )
        .await
    }

    /// [`Store::invite_team`], with `notices` (to the host's LA leads, say) into the outbox,
    /// and for a team that breaks a composition rule, `overridden`: what the project manager
    /// saw broken and their reason for confirming anyway, which the audit log keeps; all in
    /// the same transaction as the invitations.
    #[allow(clippy::too_many_arguments)]
    pub async fn invite_team_and_tell(
        &self,
        actor: &Principal,
        challenge: ChallengeId,
        from_state: ChallengeState,
        invitations: Vec<(TeamMemberId, NewEmail)>,
        notices: Vec<NewEmail>,
        overridden: Option<String>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        crate::challenges::enqueue_all(&txn, notices, now).await?;
        if let Some(summary) = overridden {
            audit::append(
                &txn,
                AuditEvent::new(
                    Some(actor.user_id),
                    "team.rules_overridden",
                    AuditObject::new(CHALLENGE_KIND, challenge),
                    summary,
                ),
                now,
            )
            .await?;
        }
        for (id, email) in invitations {
            let updated = team_member::Entity::update_many()
                .col_expr(
                    team_member::Column::Status,
                    Expr::value(MemberStatus::Invited.code()),
                )
                .col_expr(team_member::Column::InvitedAt, Expr::value(now))
                .filter(team_member::Column::Id.eq(id.as_uuid()))
                .filter(team_member::Column::ChallengeId.eq(challenge.as_uuid()))
                .filter(team_member::Column::Status.eq(MemberStatus::Proposed.code()))
                .exec(&txn)
                .await?;
            if updated.rows_affected == 0 {
                return Err(StoreError::Conflict("the team has changed"));
            }
            outbox::enqueue(&txn, email, now).await?;
            audit::append(
                &txn,
                member_event(actor, "team.member_invited", id, "invited".into()),
                now,
            )
            .await?;
        }
        if from_state == ChallengeState::TeamProposed {
            move_in(
                &txn,
                actor,
                challenge,
                from_state,
                ChallengeState::TeamConfirmed,
                None,
                now,
            )
            .await?;
        } else {
            touch(&txn, challenge, now).await?;
        }
        txn.commit().await?;
        Ok(())
    }

    /// A member's answer to their invitation; `notify` (to the project manager) goes through
    /// the outbox with it. Only an invited seat can answer, once.
    pub async fn respond_to_invitation(
        &self,
        actor: &Principal,
        id: TeamMemberId,
        response: &InvitationResponse,
        notify: Option<NewEmail>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        let (status, conflict, reason, confidentiality) = match response {
            InvitationResponse::Accept => (MemberStatus::Accepted, None, None, Some(now)),
            InvitationResponse::DeclareConflict(details) => (
                MemberStatus::ConflictDeclared,
                Some(details.clone()),
                None,
                Some(now),
            ),
            InvitationResponse::Decline(reason) => {
                (MemberStatus::Declined, None, Some(reason.clone()), None)
            }
        };
        let updated = team_member::Entity::update_many()
            .col_expr(team_member::Column::Status, Expr::value(status.code()))
            .col_expr(team_member::Column::RespondedAt, Expr::value(now))
            .col_expr(team_member::Column::ConflictDetails, Expr::value(conflict))
            .col_expr(team_member::Column::DeclineReason, Expr::value(reason))
            .col_expr(
                team_member::Column::ConfidentialityAt,
                Expr::value(confidentiality),
            )
            .filter(team_member::Column::Id.eq(id.as_uuid()))
            .filter(team_member::Column::Status.eq(MemberStatus::Invited.code()))
            .exec(&txn)
            .await?;
        if updated.rows_affected == 0 {
            return Err(StoreError::Conflict(
                "this invitation has already been answered",
            ));
        }
        if let Some(email) = notify {
            outbox::enqueue(&txn, email, now).await?;
        }
        audit::append(
            &txn,
            member_event(
                actor,
                "team.invitation_answered",
                id,
                status.code().to_owned(),
            ),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// The seats a person's account holds or held (proposals excluded: nobody hears of one),
    /// with their challenges, soonest visit first.
    pub async fn seats_of_user(
        &self,
        user: UserId,
    ) -> Result<Vec<(ChallengeSummary, TeamMember)>, StoreError> {
        let Some(person) = pool_member::Entity::find()
            .filter(pool_member::Column::UserId.eq(user.as_uuid()))
            .one(&self.db)
            .await?
        else {
            return Ok(Vec::new());
        };
        let rows = team_member::Entity::find()
            .filter(team_member::Column::MemberId.eq(person.id))
            .filter(team_member::Column::Status.ne(MemberStatus::Proposed.code()))
            .all(&self.db)
            .await?;
        let seats = with_people(&self.db, rows).await?;
        let summaries = self.challenges(&crate::ChallengeFilter::default()).await?;
        let mut mine: Vec<(ChallengeSummary, TeamMember)> = seats
            .into_iter()
            .filter_map(|seat| {
                summaries
                    .iter()
                    .find(|s| s.id == seat.challenge)
                    .map(|s| (s.clone(), seat))
            })
            .collect();
        mine.sort_by_key(|(s, _)| (s.first_visit_day.is_none(), s.first_visit_day));
        Ok(mine)
    }

    /// The seat this account holds on this challenge (proposals excluded), if any.
    pub async fn seat_of_user(
        &self,
        challenge: ChallengeId,
        user: UserId,
    ) -> Result<Option<TeamMember>, StoreError> {
        let team = self.team(challenge).await?;
        Ok(team
            .into_iter()
            .filter(|m| m.user == Some(user) && m.status != MemberStatus::Proposed)
            .max_by_key(|m| m.status.is_on_team()))
    }

    /// What the lifecycle needs to know about a challenge now: KLOEs, visit, seats against the
    /// team's answers, and the timetable's coverage and clashes. The pages and the demo seeder
    /// both decide moves with it.
    pub async fn readiness(
        &self,
        challenge: ChallengeId,
        today: NaiveDate,
        cancel_reason: Option<String>,
    ) -> Result<domain::lifecycle::Readiness, StoreError> {
        let record = self
            .challenge(challenge)
            .await?
            .ok_or(StoreError::NotFound)?;
        let team = self.team(challenge).await?;
        let scheduled: Vec<domain::timetable::ScheduledActivity> = self
            .timetable(challenge)
            .await?
            .iter()
            .map(crate::Activity::scheduled)
            .collect();
        let seats: usize = record.seats.iter().map(|s| usize::from(s.count)).sum();
        let holding = team.iter().filter(|m| m.status.holds_seat()).count();
        let unfilled = seats.saturating_sub(holding);
        let reports_not_final = self.reports_not_final(&record).await?;
        Ok(domain::lifecycle::Readiness {
            kloes_agreed: record.kloes_agreed(),
            seats_unfilled: unfilled,
            members_not_accepted: team
                .iter()
                .filter(|m| m.status.holds_seat() && m.status != MemberStatus::Accepted)
                .count()
                + unfilled,
            visit_days_without_activities: record
                .visit_days
                .iter()
                .filter(|day| !scheduled.iter().any(|a| a.day == **day))
                .count(),
            clashes: domain::timetable::find_clashes(&record.visit_days, &scheduled).len(),
            visit_days: record.visit_days,
            today: Some(today),
            cancel_reason,
            reports_not_final,
        })
    }

    /// Everyone's bookings on challenges other than `except`, for the engine.
    pub async fn bookings(
        &self,
        except: ChallengeId,
        today: NaiveDate,
    ) -> Result<Bookings, StoreError> {
        let held: Vec<&str> = [
            MemberStatus::Proposed,
            MemberStatus::Invited,
            MemberStatus::Accepted,
        ]
        .iter()
        .map(|s| s.code())
        .collect();
        let seats = team_member::Entity::find()
            .filter(team_member::Column::Status.is_in(held))
            .filter(team_member::Column::ChallengeId.ne(except.as_uuid()))
            .all(&self.db)
            .await?;
        let open: HashMap<Uuid, ChallengeState> = challenge::Entity::find()
            .all(&self.db)
            .await?
            .into_iter()
            .filter_map(|row| state_of(&row.state).ok().map(|state| (row.id, state)))
            .filter(|(_, state)| *state != ChallengeState::Cancelled)
            .collect();
        let mut days: HashMap<Uuid, Vec<NaiveDate>> = HashMap::new();
        for row in challenge_visit_day::Entity::find().all(&self.db).await? {
            days.entry(row.challenge_id).or_default().push(row.day);
        }
        let mut bookings = Bookings::default();
        for seat in seats
            .iter()
            .filter(|seat| open.contains_key(&seat.challenge_id))
        {
            let member = PoolMemberId::from_uuid(seat.member_id);
            let visit = days.get(&seat.challenge_id).cloned().unwrap_or_default();
            if visit.iter().any(|day| day.year() == today.year()) {
                *bookings.load_this_year.entry(member).or_default() += 1;
            }
            if seat.status == MemberStatus::Accepted.code()
                && visit.iter().all(|day| *day < today)
                && !visit.is_empty()
            {
                *bookings.past_challenges.entry(member).or_default() += 1;
            }
            bookings
                .booked_days
                .entry(member)
                .or_default()
                .extend(visit);
        }
        Ok(bookings)
    }
}

/// Free a seat: a proposal row goes; an invited or accepted one is marked replaced; a
/// declined or conflicted one is also marked replaced, so the page stops offering it.
async fn release_seat(db: &impl ConnectionTrait, id: TeamMemberId) -> Result<(), StoreError> {
    let row = team_member::Entity::find_by_id(id.as_uuid())
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)?;
    if row.status == MemberStatus::Proposed.code() {
        team_member::Entity::delete_by_id(row.id).exec(db).await?;
        return Ok(());
    }
    set_status(
        db,
        id,
        &[
            MemberStatus::Invited,
            MemberStatus::Accepted,
            MemberStatus::Declined,
            MemberStatus::ConflictDeclared,
        ],
        MemberStatus::Removed,
    )
    .await
}
