//! Biennial cycles: each a programme activity of the biennial programme (its areas are the
//! areas taking part), with its details, priorities, opt-outs and pairing. Every change is one
//! transaction with its audit entry (and its emails, when it sends any); a change that needs a
//! state is a conditional update on it, so two people acting at once cannot both succeed.

use chrono::{DateTime, NaiveDate, Utc};
use domain::biennial::{
    CycleDetails, CycleState, KloeDraft, KloeStatus, Pair, Priority, SupportOffer, TeamMember,
    TeamPartner, TriadPairing,
};
use domain::{
    AuditEvent, AuditObject, AuthoritySlug, OneLine, Principal, Programme, ProgrammeActivityId,
    ThemeCode, limits,
};
use domain::{BiennialKloeId, EmailAddress, PersonName};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use crate::entity::biennial::{cycle, kloe, opt_out, pair, priority, support_offer, team_member};
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

/// A pairing to save: the pairing it was made from (`seen`, empty for the first), the new one,
/// the seed it was drawn with (None when changed by hand: the drawn seed is kept) and the words
/// for the audit log.
#[derive(Clone, Debug)]
pub struct PairingChange<'a> {
    pub seen: &'a [StoredPair],
    pub pairs: &'a [StoredPair],
    pub seed: Option<u64>,
    pub summary: String,
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
    // Held for the transaction: on PostgreSQL another change to the cycle waits for this one
    // to commit, then reads what it left (SQLite's writers take turns anyway).
    let row = cycle::Entity::find_by_id(id.as_uuid())
        .lock_exclusive()
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)?;
    if allowed(state_of(&row)?) {
        Ok(row)
    } else {
        Err(StoreError::Conflict(refusal))
    }
}

/// Refused unless the cycle's pairing is still `seen`, the pairing the caller read and made
/// its change or its emails from: someone else's change since is never overwritten or
/// published unseen. Call it after [`cycle_in`], which holds the cycle for the transaction.
async fn pairing_as_seen(
    db: &impl ConnectionTrait,
    id: ProgrammeActivityId,
    seen: &[StoredPair],
) -> Result<(), StoreError> {
    let mut stored: Vec<StoredPair> = pair::Entity::find()
        .filter(pair::Column::CycleId.eq(id.as_uuid()))
        .all(db)
        .await?
        .iter()
        .map(pair_of)
        .collect::<Result<_, _>>()?;
    let mut seen = seen.to_vec();
    for pairs in [&mut stored, &mut seen] {
        pairs.sort_by(|a, b| a.pair.challenger.cmp(&b.pair.challenger));
    }
    if stored == seen {
        Ok(())
    } else {
        Err(StoreError::Conflict(
            "the pairing has changed since the page was opened: look at it again",
        ))
    }
}

/// The tail of a change that tells people: its emails queued and its audit entry written in
/// its own transaction, then committed.
async fn finish(
    txn: crate::WriteTransaction,
    emails: Vec<NewEmail>,
    event: AuditEvent,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    for email in emails {
        outbox::enqueue(&txn, email, now).await?;
    }
    audit::append(&txn, event, now).await?;
    txn.commit().await?;
    Ok(())
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
            triads: TriadPairing::parse(&row.triad_pairing)
                .ok_or_else(|| StoreError::corrupt(&row.triad_pairing))?,
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
            triad_pairing: Set(details.triads.code().to_owned()),
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
        active.triad_pairing = Set(details.triads.code().to_owned());
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
    /// the change's summary, which names an override and its reason when there is one.
    /// Refused if the pairing has changed since the one the change was made from (two swaps
    /// at once never lose one).
    pub async fn save_biennial_pairing(
        &self,
        id: ProgrammeActivityId,
        change: &PairingChange<'_>,
        by: &Principal,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let PairingChange {
            seen,
            pairs,
            seed,
            summary,
        } = change;
        let txn = self.begin_write().await?;
        let row = cycle_in(
            &txn,
            id,
            CycleState::may_change_pairing,
            "the pairing is fixed once published",
        )
        .await?;
        pairing_as_seen(&txn, id, seen).await?;
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
        audit::append(&txn, audited(by, action, id, summary.clone()), now).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Publishes the pairing (planning → pairing published) with the emails telling each area.
    /// `seen` is the pairing the emails were written from: refused if it has changed since, so
    /// what the areas are told is what is published.
    pub async fn publish_biennial_pairing(
        &self,
        id: ProgrammeActivityId,
        seen: &[StoredPair],
        emails: Vec<NewEmail>,
        by: &Principal,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        cycle_in(
            &txn,
            id,
            CycleState::may_change_pairing,
            "the cycle has moved on since the page was opened",
        )
        .await?;
        pairing_as_seen(&txn, id, seen).await?;
        if seen.is_empty() {
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
        finish(
            txn,
            emails,
            audited(
                by,
                "biennial.pairing_published",
                id,
                format!("pairing published, {count} email(s)"),
            ),
            now,
        )
        .await
    }

    /// Moves a cycle one step on (the check of which move is allowed is the caller's, in
    /// `domain::biennial::check_move`). Audited.
    pub async fn move_biennial_cycle(
        &self,
        id: ProgrammeActivityId,
        from: CycleState,
        to: CycleState,
        emails: Vec<NewEmail>,
        by: &Principal,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        move_state(&txn, id, from, to, now).await?;
        // Past its day, every area taking part owes its agreed actions by the actions date.
        if matches!(to, CycleState::Held | CycleState::Actions) {
            let cycle = load(&txn, id).await?.ok_or(StoreError::NotFound)?;
            crate::returns::owe_each_area(
                &txn,
                id,
                &cycle.areas,
                domain::ReturnKind::BiennialActions,
                cycle.details.actions_due,
                now,
            )
            .await?;
        }
        finish(
            txn,
            emails,
            audited(
                by,
                "biennial.moved",
                id,
                format!("{} to {}", from.code(), to.code()),
            ),
            now,
        )
        .await
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
            (false, Some(pairs)) => {
                // KLOEs are written for the area a team challenges: a team whose target changed
                // (and the leaver's) starts its KLOEs again, never carrying them to another area.
                let before: Vec<StoredPair> = pair::Entity::find()
                    .filter(pair::Column::CycleId.eq(id.as_uuid()))
                    .all(&txn)
                    .await?
                    .iter()
                    .map(pair_of)
                    .collect::<Result<_, _>>()?;
                let retargeted: Vec<String> = before
                    .iter()
                    .filter(|old| !pairs.iter().any(|new| new.pair == old.pair))
                    .map(|old| old.pair.challenger.as_str().to_owned())
                    .collect();
                kloe::Entity::delete_many()
                    .filter(kloe::Column::CycleId.eq(id.as_uuid()))
                    .filter(kloe::Column::Challenger.is_in(retargeted))
                    .exec(&txn)
                    .await?;
                write_pairs(&txn, id, pairs).await?;
            }
            (false, None) => {
                return Err(StoreError::Conflict(
                    "the published pairing must be repaired when an area opts out",
                ));
            }
        }
        finish(
            txn,
            emails,
            audited(by, "biennial.opted_out", id, format!("{area} opted out")),
            now,
        )
        .await
    }
}

/// A member of an area's team for a cycle.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BiennialMember {
    pub area: AuthoritySlug,
    pub member: TeamMember,
}

/// A KLOE the challenging area drafted for the area it challenges.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BiennialKloe {
    pub id: BiennialKloeId,
    pub challenger: AuthoritySlug,
    pub question: String,
    /// The cycle priority it serves (0-based).
    pub priority: usize,
    pub themes: Vec<ThemeCode>,
    pub status: KloeStatus,
    pub comment: Option<String>,
}

fn member_of(row: team_member::Model) -> Result<BiennialMember, StoreError> {
    Ok(BiennialMember {
        area: slug(&row.authority_slug)?,
        member: TeamMember {
            name: PersonName::parse(&row.name).map_err(|_| StoreError::corrupt(&row.name))?,
            email: EmailAddress::parse(&row.email).map_err(|_| StoreError::corrupt(&row.email))?,
            partner: TeamPartner::parse(&row.partner)
                .ok_or_else(|| StoreError::corrupt(&row.partner))?,
            team_lead: row.team_lead,
        },
    })
}

fn kloe_of(row: kloe::Model) -> Result<BiennialKloe, StoreError> {
    Ok(BiennialKloe {
        id: BiennialKloeId::from_uuid(row.id),
        challenger: slug(&row.challenger)?,
        priority: usize::try_from(row.priority).map_err(|_| StoreError::corrupt(row.priority))?,
        themes: row
            .themes
            .split(',')
            .filter(|code| !code.is_empty())
            .map(|code| ThemeCode::parse(code).ok_or_else(|| StoreError::corrupt(code)))
            .collect::<Result<_, _>>()?,
        status: KloeStatus::parse(&row.status).ok_or_else(|| StoreError::corrupt(&row.status))?,
        comment: row.comment,
        question: row.question,
    })
}

/// The KLOE `kloe` of cycle `id`, refused unless the cycle still takes KLOE changes.
async fn open_kloe(
    db: &impl ConnectionTrait,
    id: ProgrammeActivityId,
    kloe_id: BiennialKloeId,
) -> Result<kloe::Model, StoreError> {
    cycle_in(
        db,
        id,
        CycleState::may_draft_kloes,
        "KLOEs are fixed once they have been shared",
    )
    .await?;
    kloe::Entity::find_by_id(kloe_id.as_uuid())
        .filter(kloe::Column::CycleId.eq(id.as_uuid()))
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)
}

impl Store {
    /// A member of `area`'s team, with the email that tells them the event's details (its
    /// calendar file attached), in one transaction. Audited without the member's name.
    pub async fn add_biennial_member(
        &self,
        id: ProgrammeActivityId,
        area: &AuthoritySlug,
        member: &TeamMember,
        emails: Vec<NewEmail>,
        by: &Principal,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        cycle_in(
            &txn,
            id,
            CycleState::may_name_team,
            "teams are named between publishing the pairing and the event",
        )
        .await?;
        let taking_part = programme_activity_area::Entity::find()
            .filter(programme_activity_area::Column::ActivityId.eq(id.as_uuid()))
            .filter(programme_activity_area::Column::AuthoritySlug.eq(area.as_str()))
            .one(&txn)
            .await?
            .is_some();
        if !taking_part {
            return Err(StoreError::Conflict("that area is not taking part"));
        }
        team_member::ActiveModel {
            id: Set(uuid::Uuid::new_v4()),
            cycle_id: Set(id.as_uuid()),
            authority_slug: Set(area.as_str().to_owned()),
            name: Set(member.name.as_str().to_owned()),
            email: Set(member.email.to_string()),
            partner: Set(member.partner.code().to_owned()),
            team_lead: Set(member.team_lead),
            added_at: Set(now),
        }
        .insert(&txn)
        .await?;
        finish(
            txn,
            emails,
            audited(
                by,
                "biennial.member_added",
                id,
                format!("a member of {area}'s team"),
            ),
            now,
        )
        .await
    }

    /// Every area's team members for a cycle, by area then name.
    pub async fn biennial_members(
        &self,
        id: ProgrammeActivityId,
    ) -> Result<Vec<BiennialMember>, StoreError> {
        team_member::Entity::find()
            .filter(team_member::Column::CycleId.eq(id.as_uuid()))
            .order_by_asc(team_member::Column::AuthoritySlug)
            .order_by_asc(team_member::Column::Name)
            .all(&self.db)
            .await?
            .into_iter()
            .map(member_of)
            .collect()
    }

    /// A draft KLOE from `challenger` for the area it challenges, while KLOEs are open.
    pub async fn draft_biennial_kloe(
        &self,
        id: ProgrammeActivityId,
        challenger: &AuthoritySlug,
        draft: &KloeDraft,
        by: &Principal,
        now: DateTime<Utc>,
    ) -> Result<BiennialKloeId, StoreError> {
        let txn = self.begin_write().await?;
        cycle_in(
            &txn,
            id,
            CycleState::may_draft_kloes,
            "KLOEs are fixed once they have been shared",
        )
        .await?;
        let paired = pair::Entity::find()
            .filter(pair::Column::CycleId.eq(id.as_uuid()))
            .filter(pair::Column::Challenger.eq(challenger.as_str()))
            .one(&txn)
            .await?
            .is_some();
        if !paired {
            return Err(StoreError::Conflict(
                "that area challenges nobody in this cycle",
            ));
        }
        let kloe_id = BiennialKloeId::new();
        kloe::ActiveModel {
            id: Set(kloe_id.as_uuid()),
            cycle_id: Set(id.as_uuid()),
            challenger: Set(challenger.as_str().to_owned()),
            question: Set(draft.question.as_str().to_owned()),
            priority: Set(i32::try_from(draft.priority).unwrap_or(i32::MAX)),
            themes: Set(draft
                .themes
                .iter()
                .map(ThemeCode::as_str)
                .collect::<Vec<_>>()
                .join(",")),
            status: Set(KloeStatus::Draft.code().to_owned()),
            comment: Set(None),
            updated_at: Set(now),
        }
        .insert(&txn)
        .await?;
        audit::append(
            &txn,
            audited(
                by,
                "biennial.kloe_drafted",
                id,
                format!("a KLOE by {challenger}"),
            ),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(kloe_id)
    }

    /// Every KLOE of a cycle, by challenging area in the order drafted. The pages show each
    /// only to whom `ReadBiennialKloes` allows.
    pub async fn biennial_kloes(
        &self,
        id: ProgrammeActivityId,
    ) -> Result<Vec<BiennialKloe>, StoreError> {
        kloe::Entity::find()
            .filter(kloe::Column::CycleId.eq(id.as_uuid()))
            .order_by_asc(kloe::Column::Challenger)
            .order_by_asc(kloe::Column::UpdatedAt)
            .all(&self.db)
            .await?
            .into_iter()
            .map(kloe_of)
            .collect()
    }

    /// The co-ordinator's comment on a KLOE, replacing any before. Audited.
    pub async fn comment_biennial_kloe(
        &self,
        id: ProgrammeActivityId,
        kloe_id: BiennialKloeId,
        comment: &str,
        by: &Principal,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        let row = open_kloe(&txn, id, kloe_id).await?;
        let mut active: kloe::ActiveModel = row.into();
        active.comment = Set(Some(comment.to_owned()));
        active.updated_at = Set(now);
        active.update(&txn).await?;
        audit::append(
            &txn,
            audited(by, "biennial.kloe_commented", id, format!("KLOE {kloe_id}")),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// The co-ordinator agrees a draft KLOE: only agreed KLOEs are shared at the deadline.
    pub async fn agree_biennial_kloe(
        &self,
        id: ProgrammeActivityId,
        kloe_id: BiennialKloeId,
        by: &Principal,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        open_kloe(&txn, id, kloe_id).await?;
        let agreed = kloe::Entity::update_many()
            .col_expr(kloe::Column::Status, Expr::value(KloeStatus::Agreed.code()))
            .col_expr(kloe::Column::UpdatedAt, Expr::value(now))
            .filter(kloe::Column::Id.eq(kloe_id.as_uuid()))
            .filter(kloe::Column::Status.eq(KloeStatus::Draft.code()))
            .exec(&txn)
            .await?;
        if agreed.rows_affected != 1 {
            return Err(StoreError::Conflict("that KLOE has already been agreed"));
        }
        audit::append(
            &txn,
            audited(by, "biennial.kloe_agreed", id, format!("KLOE {kloe_id}")),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }
}

impl Store {
    /// The challenging area rewrites one of its draft KLOEs: only `challenger`'s own, only
    /// while the cycle takes KLOE changes, and only until the co-ordinator has agreed it (a
    /// conditional update, so an agreement at the same moment wins). Audited.
    pub async fn change_biennial_kloe(
        &self,
        id: ProgrammeActivityId,
        kloe_id: BiennialKloeId,
        challenger: &AuthoritySlug,
        draft: &KloeDraft,
        by: &Principal,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        let row = open_kloe(&txn, id, kloe_id).await?;
        if row.challenger != challenger.as_str() {
            return Err(StoreError::NotFound);
        }
        let changed = kloe::Entity::update_many()
            .col_expr(kloe::Column::Question, Expr::value(draft.question.as_str()))
            .col_expr(
                kloe::Column::Priority,
                Expr::value(i32::try_from(draft.priority).unwrap_or(i32::MAX)),
            )
            .col_expr(
                kloe::Column::Themes,
                Expr::value(
                    draft
                        .themes
                        .iter()
                        .map(ThemeCode::as_str)
                        .collect::<Vec<_>>()
                        .join(","),
                ),
            )
            .col_expr(kloe::Column::UpdatedAt, Expr::value(now))
            .filter(kloe::Column::Id.eq(kloe_id.as_uuid()))
            .filter(kloe::Column::Status.eq(KloeStatus::Draft.code()))
            .exec(&txn)
            .await?;
        if changed.rows_affected != 1 {
            return Err(StoreError::Conflict(
                "that KLOE has been agreed, so it can no longer change",
            ));
        }
        audit::append(
            &txn,
            audited(by, "biennial.kloe_changed", id, format!("KLOE {kloe_id}")),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }
}

/// An offer of support recorded between two areas.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OfferedSupport {
    pub from: AuthoritySlug,
    pub to: AuthoritySlug,
    pub what: String,
    pub who: String,
    pub contact: String,
}

fn offer_of(row: &support_offer::Model) -> Result<OfferedSupport, StoreError> {
    Ok(OfferedSupport {
        from: slug(&row.from_slug)?,
        to: slug(&row.to_slug)?,
        what: row.what.clone(),
        who: row.who.clone(),
        contact: row.contact.clone(),
    })
}

impl Store {
    /// `from`'s offer of support to another area taking part. Audited.
    pub async fn offer_biennial_support(
        &self,
        id: ProgrammeActivityId,
        from: &AuthoritySlug,
        offer: &SupportOffer,
        by: &Principal,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        cycle_in(
            &txn,
            id,
            CycleState::may_offer_support,
            "support is offered once the pairing is published, until the cycle closes",
        )
        .await?;
        support_offer::ActiveModel {
            id: Set(uuid::Uuid::new_v4()),
            cycle_id: Set(id.as_uuid()),
            from_slug: Set(from.as_str().to_owned()),
            to_slug: Set(offer.to.as_str().to_owned()),
            what: Set(offer.what.as_str().to_owned()),
            who: Set(offer.who.as_str().to_owned()),
            contact: Set(offer.contact.to_string()),
            offered_at: Set(now),
        }
        .insert(&txn)
        .await?;
        audit::append(
            &txn,
            audited(
                by,
                "biennial.support_offered",
                id,
                format!("{from} to {}", offer.to),
            ),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Every offer of support in a cycle, oldest first.
    pub async fn biennial_support_offers(
        &self,
        id: ProgrammeActivityId,
    ) -> Result<Vec<OfferedSupport>, StoreError> {
        support_offer::Entity::find()
            .filter(support_offer::Column::CycleId.eq(id.as_uuid()))
            .order_by_asc(support_offer::Column::OfferedAt)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|row| offer_of(&row))
            .collect()
    }
}

/// A cycle an area takes part in, as the area's page reads it: only the pairs the area is in
/// and the support it gave or received.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AreaCycle {
    pub summary: BiennialSummary,
    /// The pairs the area is in, by challenger, as `BiennialCycle::pairs` orders them.
    pub pairs: Vec<Pair>,
    /// The offers of support from or to the area, oldest first.
    pub offers: Vec<OfferedSupport>,
}

impl Store {
    /// Every cycle `area` takes part in, latest year first, with its pairs and offers: four
    /// statements however many cycles there are.
    pub async fn area_biennial_cycles(
        &self,
        area: &AuthoritySlug,
    ) -> Result<Vec<AreaCycle>, StoreError> {
        let taking_part: Vec<uuid::Uuid> = programme_activity_area::Entity::find()
            .select_only()
            .column(programme_activity_area::Column::ActivityId)
            .filter(programme_activity_area::Column::AuthoritySlug.eq(area.as_str()))
            .into_tuple()
            .all(&self.db)
            .await?;
        let cycles: Vec<BiennialSummary> = self
            .biennial_cycles()
            .await?
            .into_iter()
            .filter(|cycle| taking_part.contains(&cycle.id.as_uuid()))
            .collect();
        let ids: Vec<uuid::Uuid> = cycles.iter().map(|cycle| cycle.id.as_uuid()).collect();
        let pairs = pair::Entity::find()
            .filter(pair::Column::CycleId.is_in(ids.clone()))
            .filter(
                Condition::any()
                    .add(pair::Column::Challenger.eq(area.as_str()))
                    .add(pair::Column::Challenged.eq(area.as_str())),
            )
            .order_by_asc(pair::Column::Challenger)
            .all(&self.db)
            .await?;
        let offers = support_offer::Entity::find()
            .filter(support_offer::Column::CycleId.is_in(ids))
            .filter(
                Condition::any()
                    .add(support_offer::Column::FromSlug.eq(area.as_str()))
                    .add(support_offer::Column::ToSlug.eq(area.as_str())),
            )
            .order_by_asc(support_offer::Column::OfferedAt)
            .all(&self.db)
            .await?;
        cycles
            .into_iter()
            .map(|summary| {
                let id = summary.id.as_uuid();
                Ok(AreaCycle {
                    pairs: pairs
                        .iter()
                        .filter(|row| row.cycle_id == id)
                        .map(|row| pair_of(row).map(|stored| stored.pair))
                        .collect::<Result<_, StoreError>>()?,
                    offers: offers
                        .iter()
                        .filter(|row| row.cycle_id == id)
                        .map(offer_of)
                        .collect::<Result<_, StoreError>>()?,
                    summary,
                })
            })
            .collect()
    }
}
