//! Thematic events: each written with its programme activity (programme `thematic`, the same
//! id, every area of the region), changed while it is a draft or open, moved along its states
//! by conditional updates (audited), and the officers each area names to it, checked against
//! the event's rules in the writing transaction with the nominee's confirmation queued there.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use domain::events::{
    EventDetails, EventFormat, EventReminder, EventState, Nominee, Organisation, Place,
    check_nomination,
};
use domain::ids::NominationId;
use domain::{
    AuditEvent, AuditObject, AuthoritySlug, EmailAddress, MultiLine, OneLine, Principal, Programme,
    ProgrammeActivityId, ThemeCode,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use crate::entity::{
    programme_activity, programme_activity_area, thematic_event, thematic_kloe,
    thematic_kloe_version, thematic_nomination, thematic_overview, thematic_reminder,
};
use crate::outbox::{NewEmail, enqueue};
use crate::{Store, StoreError, audit, programmes};

/// A thematic event as its pages read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ThematicEvent {
    /// The event's programme activity's id, which is the event's.
    pub id: ProgrammeActivityId,
    pub details: EventDetails,
    pub state: EventState,
    /// Every area taking part: the whole region.
    pub areas: Vec<AuthoritySlug>,
}

/// One officer an area named.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Nomination {
    pub id: NominationId,
    pub event: ProgrammeActivityId,
    pub area: AuthoritySlug,
    pub nominee: Nominee,
    /// None until attendance is recorded.
    pub attended: Option<bool>,
}

/// One version of an event's KLOEs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventKloes {
    pub version: i32,
    /// Not sent before this date.
    pub share_on: NaiveDate,
    /// When it went to the nominees; None for the draft.
    pub shared_at: Option<DateTime<Utc>>,
    pub kloes: Vec<domain::challenge::Kloe>,
}

/// What saving an event's KLOEs did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KloesSaved {
    /// The draft (not yet shared) was written.
    Draft,
    /// The KLOEs had been shared, so this is a new version, sent now; the old is kept.
    NewVersionSent(i32),
}

async fn latest_kloes(
    db: &impl ConnectionTrait,
    event: ProgrammeActivityId,
) -> Result<Option<thematic_kloe_version::Model>, StoreError> {
    Ok(thematic_kloe_version::Entity::find()
        .filter(thematic_kloe_version::Column::EventId.eq(event.as_uuid()))
        .order_by_desc(thematic_kloe_version::Column::Version)
        .one(db)
        .await?)
}

async fn write_kloes(
    db: &impl ConnectionTrait,
    version: uuid::Uuid,
    kloes: &[domain::challenge::Kloe],
) -> Result<(), StoreError> {
    thematic_kloe::Entity::delete_many()
        .filter(thematic_kloe::Column::VersionId.eq(version))
        .exec(db)
        .await?;
    for (position, kloe) in kloes.iter().enumerate() {
        thematic_kloe::ActiveModel {
            version_id: Set(version),
            position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
            question: Set(kloe.question.clone()),
            themes: Set(kloe
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

/// Every area of the event owes its next steps, due on the event's return date, in the
/// move's transaction.
async fn owe_next_steps(
    db: &impl ConnectionTrait,
    event: ProgrammeActivityId,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let loaded = load(db, event).await?.ok_or(StoreError::NotFound)?;
    for area in &loaded.areas {
        crate::entity::owed_return::ActiveModel {
            id: Set(uuid::Uuid::new_v4()),
            activity_id: Set(event.as_uuid()),
            authority_slug: Set(area.as_str().to_owned()),
            kind: Set(domain::ReturnKind::ThematicNextSteps.code().to_owned()),
            owner_id: Set(None),
            due_date: Set(loaded.details.returns_due),
            extended_to: Set(None),
            extension_reason: Set(None),
            submitted_at: Set(None),
            submitted_by: Set(None),
            created_at: Set(now),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

fn time_of(text: &str) -> Result<NaiveTime, StoreError> {
    NaiveTime::parse_from_str(text, "%H:%M").map_err(|_| StoreError::corrupt(text))
}

fn stored_line(label: &str, text: &str, limit: usize) -> Result<OneLine, StoreError> {
    OneLine::parse(label, text, limit).map_err(|_| StoreError::corrupt(label))
}

fn stored_text(label: &str, text: &str, limit: usize) -> Result<MultiLine, StoreError> {
    MultiLine::parse(label, text, limit).map_err(|_| StoreError::corrupt(label))
}

fn to_details(row: &thematic_event::Model) -> Result<EventDetails, StoreError> {
    use domain::limits;
    let format = EventFormat::parse(&row.format).ok_or_else(|| StoreError::corrupt(&row.format))?;
    let place = match format {
        EventFormat::Online => Place::Online {
            joining_link: row
                .joining_link
                .clone()
                .ok_or_else(|| StoreError::corrupt("joining link"))?,
        },
        EventFormat::FaceToFace => Place::FaceToFace {
            venue: stored_line(
                "venue",
                row.venue.as_deref().unwrap_or_default(),
                limits::PLACE,
            )?,
            address: stored_text(
                "address",
                row.address.as_deref().unwrap_or_default(),
                limits::PLACE,
            )?,
            accessibility: stored_text(
                "accessibility",
                row.accessibility.as_deref().unwrap_or_default(),
                limits::SHORT_NOTE,
            )?,
        },
    };
    Ok(EventDetails {
        title: stored_line("title", &row.title, limits::TITLE)?,
        theme: ThemeCode::parse(&row.theme).ok_or_else(|| StoreError::corrupt(&row.theme))?,
        topic: stored_text("topic", &row.topic, limits::STATEMENT)?,
        date: row.event_date,
        starts: time_of(&row.starts_at)?,
        ends: time_of(&row.ends_at)?,
        place,
        facilitator: stored_line("facilitator", &row.facilitator, limits::NAME)?,
        capacity: u32::try_from(row.capacity).map_err(StoreError::corrupt)?,
        nominations_close: row.nominations_close,
        returns_due: row.returns_due,
    })
}

fn state_of(row: &thematic_event::Model) -> Result<EventState, StoreError> {
    EventState::parse(&row.state).ok_or_else(|| StoreError::corrupt(&row.state))
}

/// The columns an event's details fill, for an insert or an update.
fn fill(model: &mut thematic_event::ActiveModel, details: &EventDetails) {
    model.title = Set(details.title.to_string());
    model.theme = Set(details.theme.to_string());
    model.topic = Set(details.topic.to_string());
    model.event_date = Set(details.date);
    model.starts_at = Set(details.starts.format("%H:%M").to_string());
    model.ends_at = Set(details.ends.format("%H:%M").to_string());
    model.format = Set(details.place.format().code().to_owned());
    let (venue, address, accessibility, link) = match &details.place {
        Place::FaceToFace {
            venue,
            address,
            accessibility,
        } => (
            Some(venue.to_string()),
            Some(address.to_string()),
            Some(accessibility.to_string()),
            None,
        ),
        Place::Online { joining_link } => (None, None, None, Some(joining_link.clone())),
    };
    model.venue = Set(venue);
    model.address = Set(address);
    model.accessibility = Set(accessibility);
    model.joining_link = Set(link);
    model.facilitator = Set(details.facilitator.to_string());
    model.capacity = Set(i32::try_from(details.capacity).unwrap_or(i32::MAX));
    model.nominations_close = Set(details.nominations_close);
    model.returns_due = Set(details.returns_due);
}

async fn areas_of(
    db: &impl ConnectionTrait,
    id: uuid::Uuid,
) -> Result<Vec<AuthoritySlug>, StoreError> {
    programme_activity_area::Entity::find()
        .filter(programme_activity_area::Column::ActivityId.eq(id))
        .order_by_asc(programme_activity_area::Column::AuthoritySlug)
        .all(db)
        .await?
        .into_iter()
        .map(|a| {
            AuthoritySlug::parse(&a.authority_slug)
                .map_err(|_| StoreError::corrupt(&a.authority_slug))
        })
        .collect()
}

async fn load(
    db: &impl ConnectionTrait,
    id: ProgrammeActivityId,
) -> Result<Option<ThematicEvent>, StoreError> {
    let Some(row) = thematic_event::Entity::find_by_id(id.as_uuid())
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(Some(ThematicEvent {
        id,
        details: to_details(&row)?,
        state: state_of(&row)?,
        areas: areas_of(db, row.id).await?,
    }))
}

fn to_nomination(row: thematic_nomination::Model) -> Result<Nomination, StoreError> {
    use domain::limits;
    Ok(Nomination {
        id: NominationId::from_uuid(row.id),
        event: ProgrammeActivityId::from_uuid(row.event_id),
        area: AuthoritySlug::parse(&row.authority_slug)
            .map_err(|_| StoreError::corrupt(&row.authority_slug))?,
        nominee: Nominee {
            name: stored_line("name", &row.name, limits::NAME)?,
            role: stored_line("role", &row.role, limits::TITLE)?,
            organisation: Organisation::parse(&row.organisation)
                .ok_or_else(|| StoreError::corrupt(&row.organisation))?,
            email: EmailAddress::parse(&row.email).map_err(|_| StoreError::corrupt("email"))?,
            deputy: row.deputy,
        },
        attended: row.attended,
    })
}

impl Store {
    /// A new thematic event, a draft, with its programme activity (every area in `areas`,
    /// which the caller takes as the whole region). Audited.
    pub async fn create_event(
        &self,
        details: &EventDetails,
        areas: &[AuthoritySlug],
        by: &Principal,
        now: DateTime<Utc>,
    ) -> Result<ProgrammeActivityId, StoreError> {
        let txn = self.begin_write().await?;
        let id = ProgrammeActivityId::new();
        programmes::add_activity(
            &txn,
            id,
            Programme::Thematic,
            details.title.as_str(),
            areas,
            now,
        )
        .await?;
        let mut model = thematic_event::ActiveModel {
            id: Set(id.as_uuid()),
            state: Set(EventState::Draft.code().to_owned()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        };
        fill(&mut model, details);
        model.insert(&txn).await?;
        audit::append(
            &txn,
            AuditEvent::new(
                Some(by.user_id),
                "event.created",
                AuditObject::new("thematic_event", id),
                format!("thematic event for {} area(s)", areas.len()),
            ),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(id)
    }

    /// Change an event's details while it is a draft or open (`Conflict` otherwise, or when
    /// it moved since `seen`). Audited.
    pub async fn update_event(
        &self,
        id: ProgrammeActivityId,
        seen: EventState,
        details: &EventDetails,
        by: &Principal,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        if !seen.may_edit() {
            return Err(StoreError::Conflict(
                "an event's details are fixed once its KLOEs are shared",
            ));
        }
        let txn = self.begin_write().await?;
        let mut model = thematic_event::ActiveModel {
            updated_at: Set(now),
            ..Default::default()
        };
        fill(&mut model, details);
        let updated = thematic_event::Entity::update_many()
            .set(model)
            .filter(thematic_event::Column::Id.eq(id.as_uuid()))
            .filter(thematic_event::Column::State.eq(seen.code()))
            .exec(&txn)
            .await?;
        if updated.rows_affected != 1 {
            return Err(StoreError::Conflict("the event has moved on"));
        }
        programme_activity::Entity::update_many()
            .col_expr(
                programme_activity::Column::Title,
                Expr::value(details.title.to_string()),
            )
            .filter(programme_activity::Column::Id.eq(id.as_uuid()))
            .exec(&txn)
            .await?;
        audit::append(
            &txn,
            AuditEvent::new(
                Some(by.user_id),
                "event.changed",
                AuditObject::new("thematic_event", id),
                "thematic event's details changed".to_owned(),
            ),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Move an event from `from` to `to` if that is one of its moves and it is still at
    /// `from`; queues `emails` and records the move in the audit log in the same transaction.
    /// Moving to returns owes every area its next steps, due on the event's return date.
    pub async fn move_event(
        &self,
        id: ProgrammeActivityId,
        from: EventState,
        to: EventState,
        emails: Vec<NewEmail>,
        by: &Principal,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        if !from.may_move_to(to) {
            return Err(StoreError::Conflict("an event cannot make that move"));
        }
        let txn = self.begin_write().await?;
        let updated = thematic_event::Entity::update_many()
            .col_expr(thematic_event::Column::State, Expr::value(to.code()))
            .col_expr(thematic_event::Column::UpdatedAt, Expr::value(now))
            .filter(thematic_event::Column::Id.eq(id.as_uuid()))
            .filter(thematic_event::Column::State.eq(from.code()))
            .exec(&txn)
            .await?;
        if updated.rows_affected != 1 {
            return Err(StoreError::Conflict("the event has moved on"));
        }
        if to == EventState::Returns {
            owe_next_steps(&txn, id, now).await?;
        }
        if to == EventState::OverviewPublished
            && thematic_overview::Entity::find_by_id(id.as_uuid())
                .one(&txn)
                .await?
                .is_none()
        {
            return Err(StoreError::Conflict(
                "there is no overview to publish: write it first",
            ));
        }
        for email in emails {
            enqueue(&txn, email, now).await?;
        }
        audit::append(
            &txn,
            AuditEvent::new(
                Some(by.user_id),
                "event.moved",
                AuditObject::new("thematic_event", id),
                format!("from {} to {}", from.code(), to.code()),
            ),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Every thematic event, the latest first.
    pub async fn events(&self) -> Result<Vec<ThematicEvent>, StoreError> {
        let rows = thematic_event::Entity::find()
            .order_by_desc(thematic_event::Column::EventDate)
            .order_by_asc(thematic_event::Column::Title)
            .all(&self.db)
            .await?;
        let mut areas = std::collections::BTreeMap::<uuid::Uuid, Vec<AuthoritySlug>>::new();
        for area in programme_activity_area::Entity::find()
            .filter(programme_activity_area::Column::ActivityId.is_in(rows.iter().map(|r| r.id)))
            .order_by_asc(programme_activity_area::Column::AuthoritySlug)
            .all(&self.db)
            .await?
        {
            let slug = AuthoritySlug::parse(&area.authority_slug)
                .map_err(|_| StoreError::corrupt(&area.authority_slug))?;
            areas.entry(area.activity_id).or_default().push(slug);
        }
        rows.iter()
            .map(|row| {
                Ok(ThematicEvent {
                    id: ProgrammeActivityId::from_uuid(row.id),
                    details: to_details(row)?,
                    state: state_of(row)?,
                    areas: areas.remove(&row.id).unwrap_or_default(),
                })
            })
            .collect()
    }

    /// One thematic event.
    pub async fn event(
        &self,
        id: ProgrammeActivityId,
    ) -> Result<Option<ThematicEvent>, StoreError> {
        load(&self.db, id).await
    }

    /// Everyone named to an event, by area then name.
    pub async fn nominations(
        &self,
        event: ProgrammeActivityId,
    ) -> Result<Vec<Nomination>, StoreError> {
        thematic_nomination::Entity::find()
            .filter(thematic_nomination::Column::EventId.eq(event.as_uuid()))
            .order_by_asc(thematic_nomination::Column::AuthoritySlug)
            .order_by_asc(thematic_nomination::Column::Deputy)
            .order_by_asc(thematic_nomination::Column::Name)
            .all(&self.db)
            .await?
            .into_iter()
            .map(to_nomination)
            .collect()
    }

    /// Name `nominee` for `area` to an event, checked against the event's rules as it stands
    /// in this transaction (open, not past the close date on `today`, under the area's
    /// capacity, nobody named twice), with `confirmation` queued in it. A refusal is a
    /// `Conflict` naming the rule.
    #[allow(clippy::too_many_arguments)]
    pub async fn nominate(
        &self,
        event: ProgrammeActivityId,
        area: &AuthoritySlug,
        nominee: &Nominee,
        confirmation: NewEmail,
        today: NaiveDate,
        by: &Principal,
        now: DateTime<Utc>,
    ) -> Result<NominationId, StoreError> {
        let txn = self.begin_write().await?;
        programmes::lock_activity(&txn, event).await?;
        let loaded = load(&txn, event).await?.ok_or(StoreError::NotFound)?;
        if !loaded.areas.contains(area) {
            return Err(StoreError::Conflict(
                "this area takes no part in this event",
            ));
        }
        let email = nominee.email.as_str().to_lowercase();
        let named_by_area = thematic_nomination::Entity::find()
            .filter(thematic_nomination::Column::EventId.eq(event.as_uuid()))
            .filter(thematic_nomination::Column::AuthoritySlug.eq(area.as_str()))
            .filter(thematic_nomination::Column::Deputy.eq(false))
            .count(&txn)
            .await?;
        let already = thematic_nomination::Entity::find()
            .filter(thematic_nomination::Column::EventId.eq(event.as_uuid()))
            .filter(thematic_nomination::Column::Email.eq(email.as_str()))
            .count(&txn)
            .await?;
        check_nomination(
            loaded.state,
            loaded.details.nominations_close,
            today,
            loaded.details.capacity,
            u32::try_from(named_by_area).unwrap_or(u32::MAX),
            nominee.deputy,
            already > 0,
        )
        .map_err(|refusal| StoreError::Conflict(refusal.message()))?;
        let id = NominationId::new();
        thematic_nomination::ActiveModel {
            id: Set(id.as_uuid()),
            event_id: Set(event.as_uuid()),
            authority_slug: Set(area.as_str().to_owned()),
            name: Set(nominee.name.to_string()),
            role: Set(nominee.role.to_string()),
            organisation: Set(nominee.organisation.code().to_owned()),
            email: Set(email),
            deputy: Set(nominee.deputy),
            attended: Set(None),
            created_at: Set(now),
        }
        .insert(&txn)
        .await?;
        enqueue(&txn, confirmation, now).await?;
        audit::append(
            &txn,
            AuditEvent::new(
                Some(by.user_id),
                "event.nominated",
                AuditObject::new("thematic_event", event),
                format!("{area} named an officer ({})", id),
            ),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(id)
    }

    /// Take a nomination back while nominations are open (and not past the close date).
    pub async fn withdraw_nomination(
        &self,
        id: NominationId,
        today: NaiveDate,
        by: &Principal,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        let row = thematic_nomination::Entity::find_by_id(id.as_uuid())
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let event = ProgrammeActivityId::from_uuid(row.event_id);
        programmes::lock_activity(&txn, event).await?;
        let loaded = load(&txn, event).await?.ok_or(StoreError::NotFound)?;
        if !loaded.state.takes_nominations() || today > loaded.details.nominations_close {
            return Err(StoreError::Conflict(
                "nominations for this event have closed",
            ));
        }
        let area = row.authority_slug.clone();
        let deleted = thematic_nomination::Entity::delete_by_id(row.id)
            .exec(&txn)
            .await?;
        if deleted.rows_affected == 0 {
            return Err(StoreError::Conflict("this person was withdrawn already"));
        }
        audit::append(
            &txn,
            AuditEvent::new(
                Some(by.user_id),
                "event.nomination_withdrawn",
                AuditObject::new("thematic_event", event),
                format!("{area} withdrew an officer ({id})"),
            ),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// One nomination.
    pub async fn nomination(&self, id: NominationId) -> Result<Option<Nomination>, StoreError> {
        thematic_nomination::Entity::find_by_id(id.as_uuid())
            .one(&self.db)
            .await?
            .map(to_nomination)
            .transpose()
    }

    /// Queue `emails` about an event (a reminder to areas that named nobody), audited.
    pub async fn send_event_emails(
        &self,
        event: ProgrammeActivityId,
        what: &'static str,
        emails: Vec<NewEmail>,
        by: Option<&Principal>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        let count = emails.len();
        for email in emails {
            enqueue(&txn, email, now).await?;
        }
        audit::append(
            &txn,
            AuditEvent::new(
                by.map(|p| p.user_id),
                what,
                AuditObject::new("thematic_event", event),
                format!("{count} email(s) sent"),
            ),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Send a nominee's reminder once: records it and queues its email in one transaction.
    /// False, with nothing queued, if it was sent before.
    pub async fn send_event_reminder_once(
        &self,
        nomination: NominationId,
        reminder: EventReminder,
        email: NewEmail,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let txn = self.begin_write().await?;
        let sent = thematic_reminder::Entity::find()
            .filter(thematic_reminder::Column::NominationId.eq(nomination.as_uuid()))
            .filter(thematic_reminder::Column::Kind.eq(reminder.code()))
            .count(&txn)
            .await?;
        if sent > 0 {
            return Ok(false);
        }
        thematic_reminder::ActiveModel {
            nomination_id: Set(nomination.as_uuid()),
            kind: Set(reminder.code().to_owned()),
            sent_at: Set(now),
        }
        .insert(&txn)
        .await?;
        enqueue(&txn, email, now).await?;
        txn.commit().await?;
        Ok(true)
    }

    /// Save an event's KLOEs to go out on `share_on`. Before they are shared the draft is
    /// rewritten; once shared, a change is a new version, sent at once with `if_resent`, and
    /// the old version is kept. Audited.
    pub async fn save_event_kloes(
        &self,
        event: ProgrammeActivityId,
        kloes: &[domain::challenge::Kloe],
        share_on: NaiveDate,
        if_resent: Vec<NewEmail>,
        by: &Principal,
        now: DateTime<Utc>,
    ) -> Result<KloesSaved, StoreError> {
        let txn = self.begin_write().await?;
        let loaded = load(&txn, event).await?.ok_or(StoreError::NotFound)?;
        if !matches!(
            loaded.state,
            EventState::Draft | EventState::Open | EventState::KloesShared
        ) {
            return Err(StoreError::Conflict(
                "the KLOEs are kept as they were once the event has been held",
            ));
        }
        let saved = match latest_kloes(&txn, event).await? {
            Some(draft) if draft.shared_at.is_none() => {
                let id = draft.id;
                let mut model: thematic_kloe_version::ActiveModel = draft.into();
                model.share_on = Set(share_on);
                model.update(&txn).await?;
                write_kloes(&txn, id, kloes).await?;
                KloesSaved::Draft
            }
            latest => {
                let shared = latest.is_some();
                let version = latest.map_or(1, |v| v.version + 1);
                let id = uuid::Uuid::new_v4();
                thematic_kloe_version::ActiveModel {
                    id: Set(id),
                    event_id: Set(event.as_uuid()),
                    version: Set(version),
                    share_on: Set(share_on),
                    shared_at: Set(shared.then_some(now)),
                    created_at: Set(now),
                }
                .insert(&txn)
                .await?;
                write_kloes(&txn, id, kloes).await?;
                if shared {
                    for email in if_resent {
                        enqueue(&txn, email, now).await?;
                    }
                    KloesSaved::NewVersionSent(version)
                } else {
                    KloesSaved::Draft
                }
            }
        };
        audit::append(
            &txn,
            AuditEvent::new(
                Some(by.user_id),
                "event.kloes_saved",
                AuditObject::new("thematic_event", event),
                match saved {
                    KloesSaved::Draft => "KLOE draft saved".to_owned(),
                    KloesSaved::NewVersionSent(v) => format!("KLOEs version {v} sent"),
                },
            ),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(saved)
    }

    /// Share the KLOE draft with the nominees (`emails`) if its date has come on `today`, and
    /// move an open event on to "KLOEs shared", in one transaction. False, with nothing sent,
    /// when there is no draft or its date has not come.
    pub async fn share_event_kloes(
        &self,
        event: ProgrammeActivityId,
        emails: Vec<NewEmail>,
        today: NaiveDate,
        by: Option<&Principal>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let txn = self.begin_write().await?;
        let Some(draft) = latest_kloes(&txn, event).await? else {
            return Ok(false);
        };
        if draft.shared_at.is_some() || draft.share_on > today {
            return Ok(false);
        }
        let shared = thematic_kloe_version::Entity::update_many()
            .col_expr(thematic_kloe_version::Column::SharedAt, Expr::value(now))
            .filter(thematic_kloe_version::Column::Id.eq(draft.id))
            .filter(thematic_kloe_version::Column::SharedAt.is_null())
            .exec(&txn)
            .await?;
        if shared.rows_affected != 1 {
            return Ok(false);
        }
        thematic_event::Entity::update_many()
            .col_expr(
                thematic_event::Column::State,
                Expr::value(EventState::KloesShared.code()),
            )
            .col_expr(thematic_event::Column::UpdatedAt, Expr::value(now))
            .filter(thematic_event::Column::Id.eq(event.as_uuid()))
            .filter(thematic_event::Column::State.eq(EventState::Open.code()))
            .exec(&txn)
            .await?;
        let count = emails.len();
        for email in emails {
            enqueue(&txn, email, now).await?;
        }
        audit::append(
            &txn,
            AuditEvent::new(
                by.map(|p| p.user_id),
                "event.kloes_shared",
                AuditObject::new("thematic_event", event),
                format!("KLOEs version {} sent to {count} nominee(s)", draft.version),
            ),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(true)
    }

    /// Every version of an event's KLOEs, the newest first.
    pub async fn event_kloes(
        &self,
        event: ProgrammeActivityId,
    ) -> Result<Vec<EventKloes>, StoreError> {
        let versions = thematic_kloe_version::Entity::find()
            .filter(thematic_kloe_version::Column::EventId.eq(event.as_uuid()))
            .order_by_desc(thematic_kloe_version::Column::Version)
            .all(&self.db)
            .await?;
        let rows = thematic_kloe::Entity::find()
            .filter(thematic_kloe::Column::VersionId.is_in(versions.iter().map(|v| v.id)))
            .order_by_asc(thematic_kloe::Column::Position)
            .all(&self.db)
            .await?;
        versions
            .into_iter()
            .map(|v| {
                let kloes = rows
                    .iter()
                    .filter(|k| k.version_id == v.id)
                    .map(|k| {
                        Ok(domain::challenge::Kloe {
                            question: k.question.clone(),
                            themes: k
                                .themes
                                .split(',')
                                .filter(|code| !code.is_empty())
                                .map(|code| {
                                    ThemeCode::parse(code).ok_or_else(|| StoreError::corrupt(code))
                                })
                                .collect::<Result<_, _>>()?,
                        })
                    })
                    .collect::<Result<_, StoreError>>()?;
                Ok(EventKloes {
                    version: v.version,
                    share_on: v.share_on,
                    shared_at: v.shared_at,
                    kloes,
                })
            })
            .collect()
    }

    /// Record who came: the listed nominations attended, the event's others did not. Only
    /// once the event has been held. Audited.
    pub async fn record_attendance(
        &self,
        event: ProgrammeActivityId,
        attended: &[NominationId],
        by: &Principal,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        let loaded = load(&txn, event).await?.ok_or(StoreError::NotFound)?;
        if !loaded.state.may_record_attendance() {
            return Err(StoreError::Conflict(
                "attendance is recorded once the event has been held",
            ));
        }
        let came: Vec<uuid::Uuid> = attended.iter().map(NominationId::as_uuid).collect();
        thematic_nomination::Entity::update_many()
            .col_expr(thematic_nomination::Column::Attended, Expr::value(false))
            .filter(thematic_nomination::Column::EventId.eq(event.as_uuid()))
            .exec(&txn)
            .await?;
        let marked = thematic_nomination::Entity::update_many()
            .col_expr(thematic_nomination::Column::Attended, Expr::value(true))
            .filter(thematic_nomination::Column::EventId.eq(event.as_uuid()))
            .filter(thematic_nomination::Column::Id.is_in(came))
            .exec(&txn)
            .await?;
        audit::append(
            &txn,
            AuditEvent::new(
                Some(by.user_id),
                "event.attendance",
                AuditObject::new("thematic_event", event),
                format!("{} attended", marked.rows_affected),
            ),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Write the co-ordinator's overview while the event is at returns (before it is
    /// published). Audited.
    pub async fn save_event_overview(
        &self,
        event: ProgrammeActivityId,
        text: &str,
        by: &Principal,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        let loaded = load(&txn, event).await?.ok_or(StoreError::NotFound)?;
        if loaded.state != EventState::Returns {
            return Err(StoreError::Conflict(
                "the overview is written while the areas' next steps come in, and kept once published",
            ));
        }
        let model = thematic_overview::ActiveModel {
            event_id: Set(event.as_uuid()),
            text: Set(text.to_owned()),
            updated_at: Set(now),
        };
        if thematic_overview::Entity::find_by_id(event.as_uuid())
            .one(&txn)
            .await?
            .is_some()
        {
            model.update(&txn).await?;
        } else {
            model.insert(&txn).await?;
        }
        audit::append(
            &txn,
            AuditEvent::new(
                Some(by.user_id),
                "event.overview_saved",
                AuditObject::new("thematic_event", event),
                "overview of emerging themes saved".to_owned(),
            ),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// The overview as last saved, if any.
    pub async fn event_overview(
        &self,
        event: ProgrammeActivityId,
    ) -> Result<Option<String>, StoreError> {
        Ok(thematic_overview::Entity::find_by_id(event.as_uuid())
            .one(&self.db)
            .await?
            .map(|row| row.text))
    }
}

impl Store {
    /// How many people `area` has named to each event it named anyone to, deputies left out
    /// (a deputy takes no place): one grouped statement for every event at once.
    pub async fn nominee_counts(
        &self,
        area: &AuthoritySlug,
    ) -> Result<std::collections::BTreeMap<ProgrammeActivityId, usize>, StoreError> {
        let rows: Vec<(uuid::Uuid, i64)> = thematic_nomination::Entity::find()
            .select_only()
            .column(thematic_nomination::Column::EventId)
            .column_as(thematic_nomination::Column::Id.count(), "nominees")
            .filter(thematic_nomination::Column::AuthoritySlug.eq(area.as_str()))
            .filter(thematic_nomination::Column::Deputy.eq(false))
            .group_by(thematic_nomination::Column::EventId)
            .into_tuple()
            .all(&self.db)
            .await?;
        rows.into_iter()
            .map(|(event, nominees)| {
                let nominees =
                    usize::try_from(nominees).map_err(|_| StoreError::corrupt(nominees))?;
                Ok((ProgrammeActivityId::from_uuid(event), nominees))
            })
            .collect()
    }
}
