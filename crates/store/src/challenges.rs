//! One-day and two-day challenges: the request, its KLOEs (every version kept), the visit's
//! days and seats, and moves along the lifecycle, each recorded on the challenge's timeline
//! and in the audit log in the same transaction.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use domain::challenge::{
    ChallengeKind, ChallengeRequest, Kloe, Partner, SeatPlan, SeatRole, VisitFormat, VisitPlan,
};
use domain::lifecycle::ChallengeState;
use domain::pool::DateRange;
use domain::{AuditEvent, AuditObject, AuthoritySlug, ChallengeId, Principal, ThemeCode};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::entity::{
    challenge, challenge_event, challenge_kloe_version, challenge_seat, challenge_visit_day,
    local_authority,
};
use crate::outbox::{self, NewEmail};
use crate::{Store, StoreError, audit};

pub(crate) const CHALLENGE_KIND: &str = "challenge";

/// A challenge as its pages show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChallengeRecord {
    pub id: ChallengeId,
    /// A short reference for people, such as `PC-2027-004`.
    pub reference: String,
    pub authority: AuthoritySlug,
    pub authority_name: String,
    pub kind: ChallengeKind,
    pub format: VisitFormat,
    pub partners: Vec<Partner>,
    pub windows: Vec<DateRange>,
    pub focus: String,
    pub state: ChallengeState,
    pub cancel_reason: Option<String>,
    pub kloes: Vec<Kloe>,
    pub kloe_version: i32,
    /// When and by whom the KLOEs were agreed; they are fixed from then on.
    pub kloes_agreed: Option<(DateTime<Utc>, String)>,
    pub visit_days: Vec<NaiveDate>,
    pub seats: Vec<SeatPlan>,
    /// The engine's last proposal with its reasons and alternates, as the web layer saved it.
    pub proposal: Option<String>,
    pub requested_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl ChallengeRecord {
    pub fn kloes_agreed(&self) -> bool {
        self.kloes_agreed.is_some()
    }
}

/// One line of a list of challenges.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChallengeSummary {
    pub id: ChallengeId,
    pub reference: String,
    pub authority: AuthoritySlug,
    pub authority_name: String,
    pub kind: ChallengeKind,
    pub state: ChallengeState,
    pub first_visit_day: Option<NaiveDate>,
    pub requested_at: DateTime<Utc>,
}

/// The list's filters; `None` matches every challenge.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChallengeFilter {
    pub state: Option<ChallengeState>,
    pub authority: Option<AuthoritySlug>,
    pub kind: Option<ChallengeKind>,
}

/// A saved version of the KLOEs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KloeVersion {
    pub version: i32,
    pub kloes: Vec<Kloe>,
    pub edited_by: String,
    pub edited_at: DateTime<Utc>,
}

/// One entry of a challenge's timeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChallengeEvent {
    pub from: Option<ChallengeState>,
    pub to: ChallengeState,
    pub actor_name: String,
    pub note: Option<String>,
    pub at: DateTime<Utc>,
}

#[derive(Serialize, Deserialize)]
struct StoredKloe {
    question: String,
    themes: Vec<String>,
}

fn kloes_to_json(kloes: &[Kloe]) -> Result<String, StoreError> {
    let stored: Vec<StoredKloe> = kloes
        .iter()
        .map(|kloe| StoredKloe {
            question: kloe.question.clone(),
            themes: kloe.themes.iter().map(|t| t.as_str().to_owned()).collect(),
        })
        .collect();
    serde_json::to_string(&stored).map_err(StoreError::corrupt)
}

fn kloes_from_json(json: &str) -> Result<Vec<Kloe>, StoreError> {
    let stored: Vec<StoredKloe> = serde_json::from_str(json).map_err(StoreError::corrupt)?;
    stored
        .into_iter()
        .map(|kloe| {
            let themes = kloe
                .themes
                .iter()
                .map(|code| ThemeCode::parse(code).ok_or_else(|| StoreError::corrupt(code)))
                .collect::<Result<_, _>>()?;
            Ok(Kloe {
                question: kloe.question,
                themes,
            })
        })
        .collect()
}

fn windows_to_json(windows: &[DateRange]) -> Result<String, StoreError> {
    let pairs: Vec<(NaiveDate, NaiveDate)> = windows.iter().map(|w| (w.start(), w.end())).collect();
    serde_json::to_string(&pairs).map_err(StoreError::corrupt)
}

fn windows_from_json(json: &str) -> Result<Vec<DateRange>, StoreError> {
    let pairs: Vec<(NaiveDate, NaiveDate)> =
        serde_json::from_str(json).map_err(StoreError::corrupt)?;
    pairs
        .into_iter()
        .map(|(start, end)| DateRange::new(start, end).map_err(StoreError::corrupt))
        .collect()
}

fn partners_to_text(partners: &[Partner]) -> String {
    partners
        .iter()
        .map(|p| p.code())
        .collect::<Vec<_>>()
        .join(",")
}

fn partners_from_text(text: &str) -> Result<Vec<Partner>, StoreError> {
    text.split(',')
        .filter(|code| !code.is_empty())
        .map(|code| Partner::parse(code).ok_or_else(|| StoreError::corrupt(code)))
        .collect()
}

pub(crate) fn state_of(code: &str) -> Result<ChallengeState, StoreError> {
    ChallengeState::parse(code).ok_or_else(|| StoreError::corrupt(code))
}

fn kind_of(code: &str) -> Result<ChallengeKind, StoreError> {
    ChallengeKind::parse(code).ok_or_else(|| StoreError::corrupt(code))
}

fn slug_of(code: &str) -> Result<AuthoritySlug, StoreError> {
    AuthoritySlug::parse(code).map_err(|_| StoreError::corrupt(code))
}

fn audit_event(
    actor: &Principal,
    action: &'static str,
    id: ChallengeId,
    summary: String,
) -> AuditEvent {
    AuditEvent::new(
        Some(actor.user_id),
        action,
        AuditObject::new(CHALLENGE_KIND, id),
        summary,
    )
}

async fn append_event(
    db: &impl ConnectionTrait,
    id: ChallengeId,
    from: Option<ChallengeState>,
    to: ChallengeState,
    actor_name: &str,
    note: Option<String>,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    challenge_event::ActiveModel {
        id: Set(Uuid::new_v4()),
        challenge_id: Set(id.as_uuid()),
        from_state: Set(from.map(|s| s.code().to_owned())),
        to_state: Set(to.code().to_owned()),
        actor_name: Set(actor_name.to_owned()),
        note: Set(note),
        at: Set(at),
    }
    .insert(db)
    .await?;
    Ok(())
}

async fn next_reference(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<String, StoreError> {
    let prefix = format!("PC-{}-", now.year());
    let taken = challenge::Entity::find()
        .filter(challenge::Column::Reference.starts_with(&prefix))
        .count(db)
        .await?;
    Ok(format!("{prefix}{:03}", taken + 1))
}

async fn authority_names(
    db: &impl ConnectionTrait,
) -> Result<std::collections::HashMap<String, String>, StoreError> {
    Ok(local_authority::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.slug, row.name))
        .collect())
}

impl Store {
    /// An LA lead's request: the challenge in state requested, its first KLOE version and the
    /// first entry of its timeline.
    pub async fn request_challenge(
        &self,
        actor: &Principal,
        authority: &AuthoritySlug,
        request: &ChallengeRequest,
        now: DateTime<Utc>,
    ) -> Result<ChallengeId, StoreError> {
        self.request_challenge_and_tell(actor, authority, request, now, |_, _| Vec::new())
            .await
    }

    /// [`Store::request_challenge`], with the emails `tell` writes from the new challenge's id
    /// and reference going into the outbox in the same transaction.
    pub async fn request_challenge_and_tell(
        &self,
        actor: &Principal,
        authority: &AuthoritySlug,
        request: &ChallengeRequest,
        now: DateTime<Utc>,
        tell: impl FnOnce(ChallengeId, &str) -> Vec<NewEmail>,
    ) -> Result<ChallengeId, StoreError> {
        let txn = self.begin_write().await?;
        let id = ChallengeId::new();
        let reference = next_reference(&txn, now).await?;
        challenge::ActiveModel {
            id: Set(id.as_uuid()),
            reference: Set(reference.clone()),
            authority_slug: Set(authority.as_str().to_owned()),
            kind: Set(request.kind.code().to_owned()),
            format: Set(request.format.code().to_owned()),
            partners: Set(partners_to_text(&request.partners)),
            windows: Set(windows_to_json(&request.windows)?),
            focus: Set(request.focus.clone()),
            state: Set(ChallengeState::Requested.code().to_owned()),
            cancel_reason: Set(None),
            kloes_agreed_at: Set(None),
            kloes_agreed_by: Set(None),
            proposal: Set(None),
            requested_by: Set(Some(actor.user_id.as_uuid())),
            requested_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&txn)
        .await?;
        crate::programmes::add_challenge_activity(&txn, id, &reference, authority, now).await?;
        insert_kloe_version(&txn, id, 1, &request.kloes, actor, now).await?;
        append_event(
            &txn,
            id,
            None,
            ChallengeState::Requested,
            &actor.name,
            None,
            now,
        )
        .await?;
        audit::append(
            &txn,
            audit_event(
                actor,
                "challenge.requested",
                id,
                format!(
                    "{} {} requested for {authority}",
                    reference,
                    request.kind.code()
                ),
            ),
            now,
        )
        .await?;
        enqueue_all(&txn, tell(id, &reference), now).await?;
        txn.commit().await?;
        Ok(id)
    }

    /// One challenge with its current KLOEs, visit days and seats.
    pub async fn challenge(&self, id: ChallengeId) -> Result<Option<ChallengeRecord>, StoreError> {
        let Some(row) = challenge::Entity::find_by_id(id.as_uuid())
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        let latest = challenge_kloe_version::Entity::find()
            .filter(challenge_kloe_version::Column::ChallengeId.eq(row.id))
            .order_by_desc(challenge_kloe_version::Column::Version)
            .one(&self.db)
            .await?;
        let visit_days = challenge_visit_day::Entity::find()
            .filter(challenge_visit_day::Column::ChallengeId.eq(row.id))
            .order_by_asc(challenge_visit_day::Column::Day)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|day| day.day)
            .collect();
        let seats = self.seats_of(row.id).await?;
        let authority_name = local_authority::Entity::find_by_id(row.authority_slug.clone())
            .one(&self.db)
            .await?
            .map(|a| a.name)
            .unwrap_or_else(|| row.authority_slug.clone());
        let (kloes, kloe_version) = match latest {
            Some(version) => (kloes_from_json(&version.kloes)?, version.version),
            None => (Vec::new(), 0),
        };
        Ok(Some(ChallengeRecord {
            id,
            reference: row.reference,
            authority: slug_of(&row.authority_slug)?,
            authority_name,
            kind: kind_of(&row.kind)?,
            format: VisitFormat::parse(&row.format)
                .ok_or_else(|| StoreError::corrupt(&row.format))?,
            partners: partners_from_text(&row.partners)?,
            windows: windows_from_json(&row.windows)?,
            focus: row.focus,
            state: state_of(&row.state)?,
            cancel_reason: row.cancel_reason,
            kloes,
            kloe_version,
            kloes_agreed: row.kloes_agreed_at.zip(row.kloes_agreed_by),
            visit_days,
            seats,
            proposal: row.proposal,
            requested_at: row.requested_at,
            updated_at: row.updated_at,
        }))
    }

    async fn seats_of(&self, id: Uuid) -> Result<Vec<SeatPlan>, StoreError> {
        let rows = challenge_seat::Entity::find()
            .filter(challenge_seat::Column::ChallengeId.eq(id))
            .all(&self.db)
            .await?;
        let mut seats = Vec::new();
        for role in SeatRole::ALL {
            if let Some(row) = rows.iter().find(|row| row.role == role.code()) {
                let count = u8::try_from(row.count).map_err(StoreError::corrupt)?;
                let shadowing = u8::try_from(row.shadowing).map_err(StoreError::corrupt)?;
                seats.push(SeatPlan::new(role, count, shadowing));
            }
        }
        Ok(seats)
    }

    /// Challenges matching `filter`, the soonest visit first and unscheduled ones by request.
    pub async fn challenges(
        &self,
        filter: &ChallengeFilter,
    ) -> Result<Vec<ChallengeSummary>, StoreError> {
        let mut query = challenge::Entity::find();
        if let Some(state) = filter.state {
            query = query.filter(challenge::Column::State.eq(state.code()));
        }
        if let Some(authority) = &filter.authority {
            query = query.filter(challenge::Column::AuthoritySlug.eq(authority.as_str()));
        }
        if let Some(kind) = filter.kind {
            query = query.filter(challenge::Column::Kind.eq(kind.code()));
        }
        let rows = query
            .order_by_asc(challenge::Column::RequestedAt)
            .all(&self.db)
            .await?;
        let first_days = self.first_visit_days().await?;
        let names = authority_names(&self.db).await?;
        let mut summaries = rows
            .into_iter()
            .map(|row| {
                Ok(ChallengeSummary {
                    id: ChallengeId::from_uuid(row.id),
                    first_visit_day: first_days.get(&row.id).copied(),
                    authority_name: names
                        .get(&row.authority_slug)
                        .cloned()
                        .unwrap_or_else(|| row.authority_slug.clone()),
                    authority: slug_of(&row.authority_slug)?,
                    kind: kind_of(&row.kind)?,
                    state: state_of(&row.state)?,
                    reference: row.reference,
                    requested_at: row.requested_at,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        summaries.sort_by_key(|s| {
            (
                s.first_visit_day.is_none(),
                s.first_visit_day,
                s.requested_at,
            )
        });
        Ok(summaries)
    }

    async fn first_visit_days(
        &self,
    ) -> Result<std::collections::HashMap<Uuid, NaiveDate>, StoreError> {
        let mut first = std::collections::HashMap::new();
        for row in challenge_visit_day::Entity::find().all(&self.db).await? {
            first
                .entry(row.challenge_id)
                .and_modify(|day: &mut NaiveDate| *day = (*day).min(row.day))
                .or_insert(row.day);
        }
        Ok(first)
    }

    /// How many challenges are in each state (states with none are left out).
    pub async fn challenge_counts(&self) -> Result<Vec<(ChallengeState, usize)>, StoreError> {
        let rows = challenge::Entity::find().all(&self.db).await?;
        let mut counts = Vec::new();
        for state in ChallengeState::ALL {
            let count = rows.iter().filter(|row| row.state == state.code()).count();
            if count > 0 {
                counts.push((state, count));
            }
        }
        Ok(counts)
    }

    /// Every version of the KLOEs, newest first.
    pub async fn kloe_history(&self, id: ChallengeId) -> Result<Vec<KloeVersion>, StoreError> {
        challenge_kloe_version::Entity::find()
            .filter(challenge_kloe_version::Column::ChallengeId.eq(id.as_uuid()))
            .order_by_desc(challenge_kloe_version::Column::Version)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|row| {
                Ok(KloeVersion {
                    version: row.version,
                    kloes: kloes_from_json(&row.kloes)?,
                    edited_by: row.edited_by_name,
                    edited_at: row.edited_at,
                })
            })
            .collect()
    }

    /// The timeline, oldest first.
    pub async fn challenge_events(
        &self,
        id: ChallengeId,
    ) -> Result<Vec<ChallengeEvent>, StoreError> {
        challenge_event::Entity::find()
            .filter(challenge_event::Column::ChallengeId.eq(id.as_uuid()))
            .order_by_asc(challenge_event::Column::At)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|row| {
                Ok(ChallengeEvent {
                    from: row.from_state.as_deref().map(state_of).transpose()?,
                    to: state_of(&row.to_state)?,
                    actor_name: row.actor_name,
                    note: row.note,
                    at: row.at,
                })
            })
            .collect()
    }

    /// A new version of the KLOEs, unless they have been agreed (then `Conflict`).
    pub async fn save_kloes(
        &self,
        actor: &Principal,
        id: ChallengeId,
        kloes: &[Kloe],
        now: DateTime<Utc>,
    ) -> Result<i32, StoreError> {
        let txn = self.begin_write().await?;
        let row = challenge::Entity::find_by_id(id.as_uuid())
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        if row.kloes_agreed_at.is_some() {
            return Err(StoreError::Conflict("the KLOEs have been agreed"));
        }
        let latest = challenge_kloe_version::Entity::find()
            .filter(challenge_kloe_version::Column::ChallengeId.eq(row.id))
            .order_by_desc(challenge_kloe_version::Column::Version)
            .one(&txn)
            .await?
            .map_or(0, |v| v.version);
        let version = latest + 1;
        insert_kloe_version(&txn, id, version, kloes, actor, now).await?;
        touch(&txn, id, now).await?;
        audit::append(
            &txn,
            audit_event(
                actor,
                "challenge.kloes_edited",
                id,
                format!("KLOEs version {version}"),
            ),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(version)
    }

    /// Agree the current KLOEs: from now on they are fixed.
    pub async fn agree_kloes(
        &self,
        actor: &Principal,
        id: ChallengeId,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.agree_kloes_and_tell(actor, id, Vec::new(), now).await
    }

    /// [`Store::agree_kloes`], with `emails` into the outbox in the same transaction.
    pub async fn agree_kloes_and_tell(
        &self,
        actor: &Principal,
        id: ChallengeId,
        emails: Vec<NewEmail>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        let updated = challenge::Entity::update_many()
            .col_expr(challenge::Column::KloesAgreedAt, Expr::value(now))
            .col_expr(
                challenge::Column::KloesAgreedBy,
                Expr::value(actor.name.clone()),
            )
            .col_expr(challenge::Column::UpdatedAt, Expr::value(now))
            .filter(challenge::Column::Id.eq(id.as_uuid()))
            .filter(challenge::Column::KloesAgreedAt.is_null())
            .exec(&txn)
            .await?;
        if updated.rows_affected == 0 {
            return Err(StoreError::Conflict("the KLOEs have already been agreed"));
        }
        audit::append(
            &txn,
            audit_event(actor, "challenge.kloes_agreed", id, "KLOEs agreed".into()),
            now,
        )
        .await?;
        enqueue_all(&txn, emails, now).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Set the visit's days and seats (replacing any earlier plan).
    pub async fn plan_visit(
        &self,
        actor: &Principal,
        id: ChallengeId,
        plan: &VisitPlan,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.plan_visit_and_tell(actor, id, plan, Vec::new(), now)
            .await
    }

    /// As [`Store::plan_visit`], with the emails telling people of the change (the team and
    /// the host's leads when the days move) queued in the same transaction.
    pub async fn plan_visit_and_tell(
        &self,
        actor: &Principal,
        id: ChallengeId,
        plan: &VisitPlan,
        emails: Vec<NewEmail>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        let row = challenge::Entity::find_by_id(id.as_uuid())
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        // The page offers the change only while it is allowed; the challenge may have moved
        // on since it was shown.
        if !state_of(&row.state)?.may_plan_visit() {
            return Err(StoreError::Conflict(
                "The visit can no longer be changed at this stage",
            ));
        }
        challenge_visit_day::Entity::delete_many()
            .filter(challenge_visit_day::Column::ChallengeId.eq(id.as_uuid()))
            .exec(&txn)
            .await?;
        challenge_seat::Entity::delete_many()
            .filter(challenge_seat::Column::ChallengeId.eq(id.as_uuid()))
            .exec(&txn)
            .await?;
        for day in &plan.days {
            challenge_visit_day::ActiveModel {
                challenge_id: Set(id.as_uuid()),
                day: Set(*day),
            }
            .insert(&txn)
            .await?;
        }
        for seat in &plan.seats {
            challenge_seat::ActiveModel {
                challenge_id: Set(id.as_uuid()),
                role: Set(seat.role.code().to_owned()),
                count: Set(i32::from(seat.count)),
                shadowing: Set(i32::from(seat.shadowing)),
            }
            .insert(&txn)
            .await?;
        }
        touch(&txn, id, now).await?;
        let days: Vec<String> = plan.days.iter().map(|d| d.to_string()).collect();
        audit::append(
            &txn,
            audit_event(
                actor,
                "challenge.visit_planned",
                id,
                format!("visit on {}", days.join(" and ")),
            ),
            now,
        )
        .await?;
        enqueue_all(&txn, emails, now).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Turn one trained seat of `role` into a shadowing seat, for someone not yet trained to
    /// take (the project manager acting on the engine's diagnosis). Audited. `Conflict` when
    /// every seat of the role is already a shadowing seat, `NotFound` when it has none.
    pub async fn shadow_one_seat(
        &self,
        actor: &Principal,
        id: ChallengeId,
        role: SeatRole,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        let seat = challenge_seat::Entity::find_by_id((id.as_uuid(), role.code().to_owned()))
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        if seat.shadowing >= seat.count {
            return Err(StoreError::Conflict(
                "every seat of this role is already a shadowing seat",
            ));
        }
        let shadowing = seat.shadowing + 1;
        let mut active: challenge_seat::ActiveModel = seat.into();
        active.shadowing = Set(shadowing);
        active.update(&txn).await?;
        touch(&txn, id, now).await?;
        audit::append(
            &txn,
            audit_event(
                actor,
                "challenge.seat_made_shadowing",
                id,
                format!(
                    "one {} seat made a shadowing seat",
                    role.label().to_lowercase()
                ),
            ),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Move the challenge from `from` to `to`, only if it is still in `from` (two people
    /// pressing buttons at once cannot both move it). The caller has checked the lifecycle and
    /// the policy. `Conflict` when someone else moved it first.
    pub async fn move_challenge(
        &self,
        actor: &Principal,
        id: ChallengeId,
        from: ChallengeState,
        to: ChallengeState,
        note: Option<String>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.move_challenge_and_tell(actor, id, (from, to), note, Vec::new(), now)
            .await
    }

    /// [`Store::move_challenge`], with `emails` into the outbox in the same transaction: a
    /// move nobody else makes tells nobody.
    pub async fn move_challenge_and_tell(
        &self,
        actor: &Principal,
        id: ChallengeId,
        (from, to): (ChallengeState, ChallengeState),
        note: Option<String>,
        emails: Vec<NewEmail>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        move_in(&txn, actor, id, from, to, note, now).await?;
        enqueue_all(&txn, emails, now).await?;
        txn.commit().await?;
        Ok(())
    }
}

/// Every email of a change, inside its transaction.
pub(crate) async fn enqueue_all(
    txn: &impl ConnectionTrait,
    emails: Vec<NewEmail>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    for email in emails {
        outbox::enqueue(txn, email, now).await?;
    }
    Ok(())
}

/// The move itself, inside a caller's transaction (confirming a team moves it too).
pub(crate) async fn move_in(
    txn: &impl ConnectionTrait,
    actor: &Principal,
    id: ChallengeId,
    from: ChallengeState,
    to: ChallengeState,
    note: Option<String>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut update = challenge::Entity::update_many()
        .col_expr(challenge::Column::State, Expr::value(to.code()))
        .col_expr(challenge::Column::UpdatedAt, Expr::value(now));
    if to == ChallengeState::Cancelled {
        update = update.col_expr(challenge::Column::CancelReason, Expr::value(note.clone()));
    }
    let updated = update
        .filter(challenge::Column::Id.eq(id.as_uuid()))
        .filter(challenge::Column::State.eq(from.code()))
        .exec(txn)
        .await?;
    if updated.rows_affected == 0 {
        return Err(StoreError::Conflict("the challenge has moved on"));
    }
    if to == ChallengeState::NextSteps {
        let host = challenge::Entity::find_by_id(id.as_uuid())
            .one(txn)
            .await?
            .ok_or(StoreError::NotFound)?
            .authority_slug;
        crate::returns::owe_action_plan(txn, id, &host, now).await?;
    }
    append_event(txn, id, Some(from), to, &actor.name, note, now).await?;
    audit::append(
        txn,
        audit_event(
            actor,
            "challenge.moved",
            id,
            format!("{} → {}", from.code(), to.code()),
        ),
        now,
    )
    .await
}

async fn insert_kloe_version(
    db: &impl ConnectionTrait,
    id: ChallengeId,
    version: i32,
    kloes: &[Kloe],
    actor: &Principal,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    challenge_kloe_version::ActiveModel {
        challenge_id: Set(id.as_uuid()),
        version: Set(version),
        kloes: Set(kloes_to_json(kloes)?),
        edited_by: Set(Some(actor.user_id.as_uuid())),
        edited_by_name: Set(actor.name.clone()),
        edited_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(())
}

pub(crate) async fn touch(
    db: &impl ConnectionTrait,
    id: ChallengeId,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    challenge::Entity::update_many()
        .col_expr(challenge::Column::UpdatedAt, Expr::value(now))
        .filter(challenge::Column::Id.eq(id.as_uuid()))
        .exec(db)
        .await?;
    Ok(())
}
