//! Biennial cycles: each a programme activity of the biennial programme (its areas are the
//! areas taking part), with its details, priorities, opt-outs and pairing. Every change is one
//! transaction with its audit entry (and its emails, when it sends any); a change that needs a
//! state is a conditional update on it, so two people acting at once cannot both succeed.

use chrono::{DateTime, NaiveDate, Utc};
use domain::biennial::{CycleDetails, CycleState, Pair, Priority};
use domain::{
    AuditEvent, AuditObject, AuthoritySlug, OneLine, Principal, Programme, ProgrammeActivityId,
    ThemeCode, limits,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::entity::biennial::{cycle, opt_out, pair, priority};
use crate::entity::programme_activity_area;
use crate::programmes::{NewActivity, insert_activity, region_of};
use crate::{NewEmail, Store, StoreError, audit, outbox};

/// A cycle as its pages read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BiennialCycle {
    pub id: ProgrammeActivityId,
    pub title: String,
    pub details: CycleDetails,
    pub state: CycleState,
    /// The areas taking part (those that have not opted out), by slug.
    pub areas: Vec<AuthoritySlug>,
    pub opt_outs: Vec<OptOut>,
    /// Who challenges whom, by challenger; empty until generated.
    pub pairs: Vec<StoredPair>,
    /// The seed the pairing was drawn with.
    pub seed: Option<u64>,
}

impl BiennialCycle {
    pub fn plain_pairs(&self) -> Vec<Pair> {
        self.pairs.iter().map(|p| p.pair.clone()).collect()
    }
}

/// An area that does not take part, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OptOut {
    pub area: AuthoritySlug,
    pub reason: String,
    pub at: DateTime<Utc>,
}

/// One pair with why it was chosen (the engine's words), or the co-ordinator's reason for
/// keeping it against a rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredPair {
    pub pair: Pair,
    pub reason: String,
    pub overridden: Option<String>,
}

/// A row of the cycles list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BiennialSummary {
    pub id: ProgrammeActivityId,
    pub year: i32,
    pub event_date: NaiveDate,
    pub venue: String,
    pub state: CycleState,
}

/// An earlier cycle's pairing, for the engine's history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PastPairing {
    pub year: i32,
    pub pairs: Vec<Pair>,
}

fn slug(raw: &str) -> Result<AuthoritySlug, StoreError> {
    AuthoritySlug::parse(raw).map_err(|_| StoreError::corrupt(raw))
}

fn state_of(row: &cycle::Model) -> Result<CycleState, StoreError> {
    CycleState::parse(&row.state).ok_or_else(|| StoreError::corrupt(&row.state))
}

fn pair_of(row: &pair::Model) -> Result<StoredPair, StoreError> {
    Ok(StoredPair {
        pair: Pair {
            challenger: slug(&row.challenger)?,
            challenged: slug(&row.challenged)?,
        },
        reason: row.reason.clone(),
        overridden: row.overridden.clone(),
    })
}

fn priority_of(row: &priority::Model) -> Result<Priority, StoreError> {
    Ok(Priority {
        title: OneLine::parse("priority", &row.title, limits::TITLE)
            .map_err(|_| StoreError::corrupt(&row.title))?,
        themes: row
            .themes
            .split(',')
            .filter(|code| !code.is_empty())
            .map(|code| ThemeCode::parse(code).ok_or_else(|| StoreError::corrupt(code)))
            .collect::<Result<_, _>>()?,
    })
}

async fn write_priorities(
    db: &impl ConnectionTrait,
    id: ProgrammeActivityId,
    priorities: &[Priority],
) -> Result<(), StoreError> {
    priority::Entity::delete_many()
        .filter(priority::Column::CycleId.eq(id.as_uuid()))
        .exec(db)
        .await?;
    for (position, each) in priorities.iter().enumerate() {
        priority::ActiveModel {
            cycle_id: Set(id.as_uuid()),
            position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
            title: Set(each.title.as_str().to_owned()),
            themes: Set(each
                .themes
                .iter()
                .map(ThemeCode::as_str)
                .collect::<Vec<_>>()
                .join(",")),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

async fn write_pairs(
    db: &impl ConnectionTrait,
    id: ProgrammeActivityId,
    pairs: &[StoredPair],
) -> Result<(), StoreError> {
    pair::Entity::delete_many()
        .filter(pair::Column::CycleId.eq(id.as_uuid()))
        .exec(db)
        .await?;
    for each in pairs {
        pair::ActiveModel {
            cycle_id: Set(id.as_uuid()),
            challenger: Set(each.pair.challenger.as_str().to_owned()),
            challenged: Set(each.pair.challenged.as_str().to_owned()),
            reason: Set(each.reason.clone()),
            overridden: Set(each.overridden.clone()),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// Moves the cycle from `from` to `to` if it is still at `from`: the conditional update that
/// makes a second, simultaneous move fail.
async fn move_state(
    db: &impl ConnectionTrait,
    id: ProgrammeActivityId,
    from: CycleState,
    to: CycleState,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let moved = cycle::Entity::update_many()
        .col_expr(cycle::Column::State, Expr::value(to.code()))
        .col_expr(cycle::Column::UpdatedAt, Expr::value(now))
        .filter(cycle::Column::ActivityId.eq(id.as_uuid()))
        .filter(cycle::Column::State.eq(from.code()))
        .exec(db)
        .await?;
    if moved.rows_affected == 1 {
        Ok(())
    } else {
        Err(StoreError::Conflict(
            "the cycle has moved on since the page was opened",
        ))
    }
}

/// The cycle's row, refused unless its state allows the change.
async fn cycle_in(
    db: &impl ConnectionTrait,
    id: ProgrammeActivityId,
    allowed: fn(CycleState) -> bool,
    refusal: &'static str,
) -> Result<cycle::Model, StoreError> {
    let row = cycle::Entity::find_by_id(id.as_uuid())
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)?;
    if allowed(state_of(&row)?) {
        Ok(row)
    } else {
        Err(StoreError::Conflict(refusal))
    }
}

fn audited(
    by: &Principal,
    action: &'static str,
    id: ProgrammeActivityId,
    summary: String,
) -> AuditEvent {
    AuditEvent::new(
        Some(by.user_id),
        action,
        AuditObject::new("biennial_cycle", id),
        summary,
    )
}

async fn load(
    db: &impl ConnectionTrait,
    id: ProgrammeActivityId,
) -> Result<Option<BiennialCycle>, StoreError> {
    let Some(row) = cycle::Entity::find_by_id(id.as_uuid()).one(db).await? else {
        return Ok(None);
    };
    let activity = crate::programmes::load(db, id)
        .await?
        .ok_or_else(|| StoreError::corrupt(id))?;
    let priorities = priority::Entity::find()
        .filter(priority::Column::CycleId.eq(row.activity_id))
        .order_by_asc(priority::Column::Position)
        .all(db)
        .await?
        .iter()
        .map(priority_of)
        .collect::<Result<_, _>>()?;
    let opt_outs = opt_out::Entity::find()
        .filter(opt_out::Column::CycleId.eq(row.activity_id))
        .order_by_asc(opt_out::Column::AuthoritySlug)
        .all(db)
        .await?
        .into_iter()
        .map(|o| {
            Ok(OptOut {
                area: slug(&o.authority_slug)?,
                reason: o.reason,
                at: o.opted_out_at,
            })
        })
        .collect::<Result<_, StoreError>>()?;
    let pairs = pair::Entity::find()
        .filter(pair::Column::CycleId.eq(row.activity_id))
        .order_by_asc(pair::Column::Challenger)
        .all(db)
        .await?
        .iter()
        .map(pair_of)
        .collect::<Result<_, _>>()?;
    let venue = OneLine::parse("venue", &row.venue, limits::PLACE)
        .map_err(|_| StoreError::corrupt(&row.venue))?;
    Ok(Some(BiennialCycle {
        id,
        title: activity.activity.title,
        state: state_of(&row)?,
        details: CycleDetails {
            year: row.year,
            event_date: row.event_date,
            venue,
            kloes_due: row.kloes_due,
            actions_due: row.actions_due,
            priorities,
            allow_reciprocal: row.allow_reciprocal,
        },
        areas: activity.areas,
        opt_outs,
        pairs,
        seed: row.pairing_seed.map(|seed| seed.cast_unsigned()),
    }))
}

/// What people call a cycle.
pub fn cycle_title(year: i32) -> String {
    format!("Biennial peer challenge {year}")
}

impl Store {
    /// A new cycle in planning, with `areas` taking part. Audited.
    pub async fn create_biennial_cycle(
        &self,
        details: &CycleDetails,
        areas: &[AuthoritySlug],
        by: &Principal,
        now: DateTime<Utc>,
    ) -> Result<ProgrammeActivityId, StoreError> {
        let first = areas
            .first()
            .ok_or(StoreError::Conflict("a cycle needs areas taking part"))?;
        let txn = self.begin_write().await?;
        let exists = cycle::Entity::find()
            .filter(cycle::Column::Year.eq(details.year))
            .one(&txn)
            .await?;
        if exists.is_some() {
            return Err(StoreError::Conflict(
                "there is already a cycle for that year",
            ));
        }
        let region = region_of(&txn, first).await?;
        for area in &areas[1..] {
            if region_of(&txn, area).await? != region {
                return Err(StoreError::Conflict(
                    "a cycle's areas are all in one region",
                ));
            }
        }
        let id = ProgrammeActivityId::new();
        let title = cycle_title(details.year);
        insert_activity(
            &txn,
            NewActivity {
                id: id.as_uuid(),
                programme: Programme::Biennial,
                region,
                title: &title,
                challenge: None,
                areas,
            },
            now,
        )
        .await?;
        cycle::ActiveModel {
            activity_id: Set(id.as_uuid()),
            year: Set(details.year),
            event_date: Set(details.event_date),
            venue: Set(details.venue.as_str().to_owned()),
            kloes_due: Set(details.kloes_due),
            actions_due: Set(details.actions_due),
            allow_reciprocal: Set(details.allow_reciprocal),
            state: Set(CycleState::Planning.code().to_owned()),
            pairing_seed: Set(None),
            updated_at: Set(now),
        }
        .insert(&txn)
        .await?;
        write_priorities(&txn, id, &details.priorities).await?;
        audit::append(
            &txn,
            audited(
                by,
                "biennial.created",
                id,
                format!("cycle {} with {} area(s)", details.year, areas.len()),
            ),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(id)
    }

    /// New details for a cycle still in planning. A change of the reciprocity rule clears a
    /// pairing drawn under the old one. Audited.
    pub async fn update_biennial_cycle(
        &self,
        id: ProgrammeActivityId,
        details: &CycleDetails,
        by: &Principal,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        let row = cycle_in(
            &txn,
            id,
            CycleState::may_edit_details,
            "the details are fixed once the pairing is published",
        )
        .await?;
        let clash = cycle::Entity::find()
            .filter(cycle::Column::Year.eq(details.year))
            .filter(cycle::Column::ActivityId.ne(id.as_uuid()))
            .one(&txn)
            .await?;
        if clash.is_some() {
            return Err(StoreError::Conflict(
                "there is already a cycle for that year",
            ));
        }
        if row.allow_reciprocal != details.allow_reciprocal {
            write_pairs(&txn, id, &[]).await?;
        }
        let mut active: cycle::ActiveModel = row.into();
        active.year = Set(details.year);
        active.event_date = Set(details.event_date);
        active.venue = Set(details.venue.as_str().to_owned());
        active.kloes_due = Set(details.kloes_due);
        active.actions_due = Set(details.actions_due);
        active.allow_reciprocal = Set(details.allow_reciprocal);
        active.updated_at = Set(now);
        active.update(&txn).await?;
        crate::entity::programme_activity::Entity::update_many()
            .col_expr(
                crate::entity::programme_activity::Column::Title,
                Expr::value(cycle_title(details.year)),
            )
            .filter(crate::entity::programme_activity::Column::Id.eq(id.as_uuid()))
            .exec(&txn)
            .await?;
        write_priorities(&txn, id, &details.priorities).await?;
        audit::append(
            &txn,
            audited(
                by,
                "biennial.updated",
                id,
                format!("cycle {} details", details.year),
            ),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Every cycle, latest year first.
    pub async fn biennial_cycles(&self) -> Result<Vec<BiennialSummary>, StoreError> {
        cycle::Entity::find()
            .order_by_desc(cycle::Column::Year)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|row| {
                Ok(BiennialSummary {
                    id: ProgrammeActivityId::from_uuid(row.activity_id),
                    year: row.year,
                    event_date: row.event_date,
                    state: state_of(&row)?,
                    venue: row.venue,
                })
            })
            .collect()
    }

    /// One cycle with its priorities, areas, opt-outs and pairing.
    pub async fn biennial_cycle(
        &self,
        id: ProgrammeActivityId,
    ) -> Result<Option<BiennialCycle>, StoreError> {
        load(&self.db, id).await
    }

    /// The pairings of every cycle before `year` that published one, latest first: the
    /// engine's history.
    pub async fn biennial_history(&self, year: i32) -> Result<Vec<PastPairing>, StoreError> {
        let cycles = cycle::Entity::find()
            .filter(cycle::Column::Year.lt(year))
            .filter(cycle::Column::State.ne(CycleState::Planning.code()))
            .order_by_desc(cycle::Column::Year)
            .all(&self.db)
            .await?;
        let mut history = Vec::new();
        for row in cycles {
            let pairs = pair::Entity::find()
                .filter(pair::Column::CycleId.eq(row.activity_id))
                .all(&self.db)
                .await?
                .iter()
                .map(|p| pair_of(p).map(|stored| stored.pair))
                .collect::<Result<_, _>>()?;
            history.push(PastPairing {
                year: row.year,
                pairs,
            });
        }
        Ok(history)
    }

    /// A pairing for a cycle in planning, replacing any before: the engine's (with its seed)
    /// or one changed by hand (`seed` None keeps the seed it was drawn with). Audited with
    /// `summary`, which names an override and its reason when there is one.
    pub async fn save_biennial_pairing(
        &self,
        id: ProgrammeActivityId,
        pairs: &[StoredPair],
        seed: Option<u64>,
        summary: String,
        by: &Principal,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        let row = cycle_in(
            &txn,
            id,
            CycleState::may_change_pairing,
            "the pairing is fixed once published",
        )
        .await?;
        write_pairs(&txn, id, pairs).await?;
        let action = if seed.is_some() {
            "biennial.pairing_generated"
        } else {
            "biennial.pairs_swapped"
        };
        if let Some(seed) = seed {
            let mut active: cycle::ActiveModel = row.into();
            active.pairing_seed = Set(Some(seed.cast_signed()));
            active.updated_at = Set(now);
            active.update(&txn).await?;
        }
        audit::append(&txn, audited(by, action, id, summary), now).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Publishes the pairing (planning → pairing published) with the emails telling each area.
    pub async fn publish_biennial_pairing(
        &self,
        id: ProgrammeActivityId,
        emails: Vec<NewEmail>,
        by: &Principal,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        let has_pairs = pair::Entity::find()
            .filter(pair::Column::CycleId.eq(id.as_uuid()))
            .one(&txn)
            .await?
            .is_some();
        if !has_pairs {
            return Err(StoreError::Conflict("there is no pairing to publish yet"));
        }
        move_state(
            &txn,
            id,
            CycleState::Planning,
            CycleState::PairingPublished,
            now,
        )
        .await?;
        let count = emails.len();
        for email in emails {
            outbox::enqueue(&txn, email, now).await?;
        }
        audit::append(
            &txn,
            audited(
                by,
                "biennial.pairing_published",
                id,
                format!("pairing published, {count} email(s)"),
            ),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Moves a cycle one step on (the check of which move is allowed is the caller's, in
    /// `domain::biennial::check_move`). Audited.
    pub async fn move_biennial_cycle(
        &self,
        id: ProgrammeActivityId,
        from: CycleState,
        to: CycleState,
        by: &Principal,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        move_state(&txn, id, from, to, now).await?;
        audit::append(
            &txn,
            audited(
                by,
                "biennial.moved",
                id,
                format!("{} to {}", from.code(), to.code()),
            ),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// `area` stops taking part, with its reason. While planning the pairing is cleared (to be
    /// generated again); after publishing it is replaced by `repaired`, with `emails` to the
    /// areas whose pair changed. Audited.
    #[allow(clippy::too_many_arguments)]
    pub async fn opt_out_of_biennial(
        &self,
        id: ProgrammeActivityId,
        area: &AuthoritySlug,
        reason: &str,
        repaired: Option<&[StoredPair]>,
        emails: Vec<NewEmail>,
        by: &Principal,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        let row = cycle_in(
            &txn,
            id,
            CycleState::may_opt_out,
            "areas can no longer opt out of this cycle",
        )
        .await?;
        let removed = programme_activity_area::Entity::delete_many()
            .filter(programme_activity_area::Column::ActivityId.eq(id.as_uuid()))
            .filter(programme_activity_area::Column::AuthoritySlug.eq(area.as_str()))
            .exec(&txn)
            .await?;
        if removed.rows_affected != 1 {
            return Err(StoreError::Conflict("that area is not taking part"));
        }
        opt_out::ActiveModel {
            cycle_id: Set(id.as_uuid()),
            authority_slug: Set(area.as_str().to_owned()),
            reason: Set(reason.to_owned()),
            opted_out_at: Set(now),
        }
        .insert(&txn)
        .await?;
        let planning = state_of(&row)? == CycleState::Planning;
        match (planning, repaired) {
            (true, _) => write_pairs(&txn, id, &[]).await?,
            (false, Some(pairs)) => write_pairs(&txn, id, pairs).await?,
            (false, None) => {
                return Err(StoreError::Conflict(
                    "the published pairing must be repaired when an area opts out",
                ));
            }
        }
        for email in emails {
            outbox::enqueue(&txn, email, now).await?;
        }
        audit::append(
            &txn,
            audited(by, "biennial.opted_out", id, format!("{area} opted out")),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }
}
