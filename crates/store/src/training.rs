//! Training for the reviewer pool: the waiting list and its demand, sessions, invitations
//! (each an email through the outbox, written in the same transaction) and attendance,
//! which marks people trained on the session's date.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use domain::clock::uk_date;
use domain::pool::{HomeArea, MemberStatus, ReviewerType};
use domain::training::{Attendance, PlaceStatus, SessionPlan};
use domain::{
    AuditEvent, AuditObject, AuthoritySlug, EmailAddress, PersonName, PoolMemberId,
    TrainingSessionId, UserId,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use crate::entity::{local_authority, pool_member, training_place, training_session};
use crate::outbox::{self, NewEmail};
use crate::{Store, StoreError, audit};

const SESSION_KIND: &str = "training_session";
const MEMBER_KIND: &str = "pool_member";

/// A session to create, in UTC.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewTrainingSession {
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub venue: Option<String>,
    pub online_link: Option<String>,
    pub capacity: u16,
    pub trainer: String,
}

impl From<&SessionPlan> for NewTrainingSession {
    fn from(plan: &SessionPlan) -> Self {
        Self {
            title: plan.title.clone(),
            starts_at: plan.starts_at(),
            ends_at: plan.ends_at(),
            venue: plan.venue.clone(),
            online_link: plan.online_link.clone(),
            capacity: plan.capacity,
            trainer: plan.trainer.clone(),
        }
    }
}

/// A session with how many of its places are taken.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrainingSession {
    pub id: TrainingSessionId,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub venue: Option<String>,
    pub online_link: Option<String>,
    pub capacity: u16,
    pub trainer: String,
    pub created_at: DateTime<Utc>,
    /// Everyone invited, whatever happened next.
    pub invited: usize,
    pub attended: usize,
}

impl TrainingSession {
    /// The session's date in the UK: what attending makes someone's `trained_on`.
    pub fn date(&self) -> NaiveDate {
        uk_date(self.starts_at)
    }

    pub fn places_left(&self) -> usize {
        usize::from(self.capacity).saturating_sub(self.invited)
    }
}

/// A pool member as training pages show them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trainee {
    pub id: PoolMemberId,
    pub name: PersonName,
    pub email: EmailAddress,
    pub reviewer_type: ReviewerType,
    pub home: HomeArea,
    pub joined_at: DateTime<Utc>,
}

/// Someone waiting for training.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WaitingMember {
    pub trainee: Trainee,
    /// Whole days since they joined the pool.
    pub days_waiting: i64,
    /// Sessions they have been invited to and not yet recorded at, by start.
    pub invited_to: Vec<(TrainingSessionId, DateTime<Utc>)>,
}

/// How many wait in one home area.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HomeDemand {
    pub home: HomeArea,
    /// The authority's name, for a home in the region.
    pub authority_name: Option<String>,
    pub count: usize,
}

/// The demand for training: enough to decide whether to arrange a session, and where.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrainingDemand {
    pub waiting: usize,
    /// Largest first; types nobody waits in are left out.
    pub by_type: Vec<(ReviewerType, usize)>,
    /// Largest first, then by name.
    pub by_home: Vec<HomeDemand>,
    /// Days the longest-waiting member has waited since joining.
    pub longest_wait_days: Option<i64>,
    /// How many of them already hold an invitation to a session.
    pub invited: usize,
}

/// One invitee of a session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrainingPlace {
    pub trainee: Trainee,
    pub status: PlaceStatus,
    pub invited_at: DateTime<Utc>,
    pub recorded_at: Option<DateTime<Utc>>,
}

/// A session and its invitees, by name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrainingSessionDetail {
    pub session: TrainingSession,
    pub places: Vec<TrainingPlace>,
}

fn trainee(row: &pool_member::Model) -> Result<Trainee, StoreError> {
    let home = match (&row.home_authority_slug, &row.outside_region) {
        (Some(slug), _) => {
            HomeArea::Authority(AuthoritySlug::parse(slug).map_err(StoreError::corrupt)?)
        }
        (None, Some(region)) => HomeArea::OutsideRegion(region.clone()),
        (None, None) => return Err(StoreError::corrupt("a pool member without a home area")),
    };
    Ok(Trainee {
        id: PoolMemberId::from_uuid(row.id),
        name: PersonName::parse(&row.name).map_err(StoreError::corrupt)?,
        email: EmailAddress::parse(&row.email).map_err(StoreError::corrupt)?,
        reviewer_type: ReviewerType::parse(&row.reviewer_type)
            .ok_or_else(|| StoreError::corrupt(&row.reviewer_type))?,
        home,
        joined_at: row.joined_at,
    })
}

fn is_waiting(row: &pool_member::Model) -> bool {
    row.status == MemberStatus::Active.code() && row.needs_training && row.trained_on.is_none()
}

fn place_status(code: &str) -> Result<PlaceStatus, StoreError> {
    PlaceStatus::parse(code).ok_or_else(|| StoreError::corrupt(code))
}

fn session_of(
    row: training_session::Model,
    places: &[training_place::Model],
) -> Result<TrainingSession, StoreError> {
    let mine = places.iter().filter(|place| place.session_id == row.id);
    let (mut invited, mut attended) = (0, 0);
    for place in mine {
        invited += 1;
        if place_status(&place.status)? == PlaceStatus::Attended {
            attended += 1;
        }
    }
    Ok(TrainingSession {
        id: TrainingSessionId::from_uuid(row.id),
        title: row.title,
        starts_at: row.starts_at,
        ends_at: row.ends_at,
        venue: row.venue,
        online_link: row.online_link,
        capacity: u16::try_from(row.capacity).map_err(StoreError::corrupt)?,
        trainer: row.trainer,
        created_at: row.created_at,
        invited,
        attended,
    })
}

async fn load_session(
    db: &impl ConnectionTrait,
    id: TrainingSessionId,
) -> Result<(TrainingSession, Vec<training_place::Model>), StoreError> {
    let row = training_session::Entity::find_by_id(id.as_uuid())
        .one(db)
        .await?
        .ok_or(StoreError::NotFound)?;
    let places = training_place::Entity::find()
        .filter(training_place::Column::SessionId.eq(id.as_uuid()))
        .order_by_asc(training_place::Column::InvitedAt)
        .all(db)
        .await?;
    Ok((session_of(row, &places)?, places))
}

async fn members_by_id(
    db: &impl ConnectionTrait,
    ids: Vec<Uuid>,
) -> Result<BTreeMap<Uuid, pool_member::Model>, StoreError> {
    let mut found = BTreeMap::new();
    for chunk in ids.chunks(500) {
        for row in pool_member::Entity::find()
            .filter(pool_member::Column::Id.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            found.insert(row.id, row);
        }
    }
    Ok(found)
}

impl Store {
    /// Active members who need training and have none recorded, longest waiting first.
    pub async fn training_waiting_list(
        &self,
        now: DateTime<Utc>,
    ) -> Result<Vec<WaitingMember>, StoreError> {
        let rows = pool_member::Entity::find()
            .filter(pool_member::Column::Status.eq(MemberStatus::Active.code()))
            .filter(pool_member::Column::NeedsTraining.eq(true))
            .filter(pool_member::Column::TrainedOn.is_null())
            .order_by_asc(pool_member::Column::JoinedAt)
            .order_by_asc(pool_member::Column::Name)
            .all(&self.db)
            .await?;
        let pending = training_place::Entity::find()
            .filter(training_place::Column::Status.eq(PlaceStatus::Invited.code()))
            .all(&self.db)
            .await?;
        let starts: BTreeMap<Uuid, DateTime<Utc>> = training_session::Entity::find()
            .all(&self.db)
            .await?
            .into_iter()
            .map(|session| (session.id, session.starts_at))
            .collect();
        let mut invitations: BTreeMap<Uuid, Vec<(TrainingSessionId, DateTime<Utc>)>> =
            BTreeMap::new();
        for place in pending {
            if let Some(start) = starts.get(&place.session_id) {
                invitations
                    .entry(place.member_id)
                    .or_default()
                    .push((TrainingSessionId::from_uuid(place.session_id), *start));
            }
        }
        rows.iter()
            .map(|row| {
                let mut invited_to = invitations.remove(&row.id).unwrap_or_default();
                invited_to.sort_by_key(|(_, start)| *start);
                Ok(WaitingMember {
                    trainee: trainee(row)?,
                    days_waiting: (now - row.joined_at).num_days().max(0),
                    invited_to,
                })
            })
            .collect()
    }

    /// How many wait for training, by reviewer type and home area, and for how long.
    pub async fn training_demand(&self, now: DateTime<Utc>) -> Result<TrainingDemand, StoreError> {
        let waiting = self.training_waiting_list(now).await?;
        let names: BTreeMap<String, String> = local_authority::Entity::find()
            .all(&self.db)
            .await?
            .into_iter()
            .map(|authority| (authority.slug, authority.name))
            .collect();
        let mut by_type: BTreeMap<ReviewerType, usize> = BTreeMap::new();
        let mut by_home: HashMap<HomeArea, usize> = HashMap::new();
        for member in &waiting {
            *by_type.entry(member.trainee.reviewer_type).or_default() += 1;
            *by_home.entry(member.trainee.home.clone()).or_default() += 1;
        }
        let mut by_type: Vec<(ReviewerType, usize)> = by_type.into_iter().collect();
        by_type.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut by_home: Vec<HomeDemand> = by_home
            .into_iter()
            .map(|(home, count)| HomeDemand {
                authority_name: match &home {
                    HomeArea::Authority(slug) => names.get(slug.as_str()).cloned(),
                    HomeArea::OutsideRegion(_) => None,
                },
                home,
                count,
            })
            .collect();
        by_home.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then_with(|| home_order(a).cmp(&home_order(b)))
        });
        Ok(TrainingDemand {
            waiting: waiting.len(),
            by_type,
            by_home,
            longest_wait_days: waiting.iter().map(|member| member.days_waiting).max(),
            invited: waiting
                .iter()
                .filter(|member| !member.invited_to.is_empty())
                .count(),
        })
    }

    /// Every session, latest first.
    pub async fn training_sessions(&self) -> Result<Vec<TrainingSession>, StoreError> {
        let rows = training_session::Entity::find()
            .order_by_desc(training_session::Column::StartsAt)
            .order_by_asc(training_session::Column::Title)
            .all(&self.db)
            .await?;
        let places = training_place::Entity::find().all(&self.db).await?;
        rows.into_iter()
            .map(|row| session_of(row, &places))
            .collect()
    }

    /// A session with its invitees by name, or None if there is no such session.
    pub async fn training_session(
        &self,
        id: TrainingSessionId,
    ) -> Result<Option<TrainingSessionDetail>, StoreError> {
        let (session, places) = match load_session(&self.db, id).await {
            Ok(found) => found,
            Err(StoreError::NotFound) => return Ok(None),
            Err(other) => return Err(other),
        };
        let members = members_by_id(
            &self.db,
            places.iter().map(|place| place.member_id).collect(),
        )
        .await?;
        let mut detail = Vec::with_capacity(places.len());
        for place in places {
            let Some(member) = members.get(&place.member_id) else {
                continue;
            };
            detail.push(TrainingPlace {
                trainee: trainee(member)?,
                status: place_status(&place.status)?,
                invited_at: place.invited_at,
                recorded_at: place.recorded_at,
            });
        }
        detail.sort_by(|a, b| a.trainee.name.as_str().cmp(b.trainee.name.as_str()));
        Ok(Some(TrainingSessionDetail {
            session,
            places: detail,
        }))
    }

    pub async fn create_training_session(
        &self,
        new: &NewTrainingSession,
        by: UserId,
        now: DateTime<Utc>,
    ) -> Result<TrainingSessionId, StoreError> {
        if new.ends_at <= new.starts_at {
            return Err(StoreError::Conflict(
                "The end time must be after the start time",
            ));
        }
        let id = TrainingSessionId::new();
        let txn = self.begin_write().await?;
        training_session::ActiveModel {
            id: Set(id.as_uuid()),
            title: Set(new.title.clone()),
            starts_at: Set(new.starts_at),
            ends_at: Set(new.ends_at),
            venue: Set(new.venue.clone()),
            online_link: Set(new.online_link.clone()),
            capacity: Set(i32::from(new.capacity)),
            trainer: Set(new.trainer.clone()),
            created_by: Set(Some(by.as_uuid())),
            created_at: Set(now),
        }
        .insert(&txn)
        .await?;
        let event = AuditEvent::new(
            Some(by),
            "training.session_created",
            AuditObject::new(SESSION_KIND, id),
            format!(
                "Training session on {} for {} people",
                uk_date(new.starts_at).format("%-d %B %Y"),
                new.capacity
            ),
        );
        audit::append(&txn, event, now).await?;
        txn.commit().await?;
        Ok(id)
    }

    /// Invite waiting members to a session, each with the email `compose` writes (the
    /// invitation and its calendar file). All or nothing: a member no longer waiting, one
    /// already invited, or more people than places left refuses the whole invitation.
    pub async fn invite_to_training(
        &self,
        id: TrainingSessionId,
        members: &[PoolMemberId],
        by: UserId,
        now: DateTime<Utc>,
        compose: impl Fn(&TrainingSession, &Trainee) -> NewEmail,
    ) -> Result<usize, StoreError> {
        let mut chosen: Vec<Uuid> = members.iter().map(PoolMemberId::as_uuid).collect();
        chosen.sort();
        chosen.dedup();
        if chosen.is_empty() {
            return Ok(0);
        }
        let txn = self.begin_write().await?;
        let (session, places) = load_session(&txn, id).await?;
        if places.iter().any(|place| chosen.contains(&place.member_id)) {
            return Err(StoreError::Conflict(
                "Someone you selected has already been invited to this session",
            ));
        }
        if chosen.len() > session.places_left() {
            return Err(StoreError::Conflict(
                "There are not enough places left on this session for everyone you selected",
            ));
        }
        let rows = members_by_id(&txn, chosen.clone()).await?;
        let mut invitees = Vec::with_capacity(chosen.len());
        for member in &chosen {
            match rows.get(member) {
                Some(row) if is_waiting(row) => invitees.push(trainee(row)?),
                _ => {
                    return Err(StoreError::Conflict(
                        "Someone you selected is no longer waiting for training",
                    ));
                }
            }
        }
        let mut invited = session.clone();
        invited.invited += invitees.len();
        invitees.sort_by(|a, b| a.name.as_str().cmp(b.name.as_str()));
        for person in &invitees {
            training_place::ActiveModel {
                session_id: Set(id.as_uuid()),
                member_id: Set(person.id.as_uuid()),
                status: Set(PlaceStatus::Invited.code().to_owned()),
                invited_at: Set(now),
                recorded_at: Set(None),
            }
            .insert(&txn)
            .await?;
            outbox::enqueue(&txn, compose(&invited, person), now).await?;
            let event = AuditEvent::new(
                Some(by),
                "training.invited",
                AuditObject::new(MEMBER_KIND, person.id),
                format!(
                    "Invited to training on {} (session {id})",
                    session.date().format("%-d %B %Y")
                ),
            );
            audit::append(&txn, event, now).await?;
        }
        let event = AuditEvent::new(
            Some(by),
            "training.invitations_sent",
            AuditObject::new(SESSION_KIND, id),
            format!("{} invited", invitees.len()),
        );
        audit::append(&txn, event, now).await?;
        txn.commit().await?;
        Ok(invitees.len())
    }

    /// Record who came. Attending marks the member trained on the session's date, so they
    /// leave the waiting list; absent leaves them waiting (and undoes an earlier
    /// "attended" for this session). Refused before the day of the session.
    pub async fn record_training_attendance(
        &self,
        id: TrainingSessionId,
        outcomes: &[(PoolMemberId, Attendance)],
        by: UserId,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        let (session, places) = load_session(&txn, id).await?;
        let day = session.date();
        if uk_date(now) < day {
            return Err(StoreError::Conflict(
                "You can record attendance from the day of the session",
            ));
        }
        let places: BTreeMap<Uuid, training_place::Model> = places
            .into_iter()
            .map(|place| (place.member_id, place))
            .collect();
        let (mut attended, mut absent) = (0, 0);
        for (member, attendance) in outcomes {
            let place = places.get(&member.as_uuid()).ok_or(StoreError::Conflict(
                "Someone in the attendance list was not invited to this session",
            ))?;
            let before = place_status(&place.status)?;
            let after = PlaceStatus::from(*attendance);
            match after {
                PlaceStatus::Attended => attended += 1,
                _ => absent += 1,
            }
            if before == after {
                continue;
            }
            training_place::ActiveModel {
                session_id: Set(id.as_uuid()),
                member_id: Set(member.as_uuid()),
                status: Set(after.code().to_owned()),
                recorded_at: Set(Some(now)),
                ..Default::default()
            }
            .update(&txn)
            .await?;
            let row = pool_member::Entity::find_by_id(member.as_uuid())
                .one(&txn)
                .await?
                .ok_or(StoreError::NotFound)?;
            let change = match attendance {
                Attendance::Attended => Some((Some(day), false)),
                // Undo this session's "attended", not training recorded elsewhere.
                Attendance::Absent if row.trained_on == Some(day) => Some((None, true)),
                Attendance::Absent => None,
            };
            if let Some((trained_on, needs_training)) = change {
                pool_member::ActiveModel {
                    id: Set(row.id),
                    trained_on: Set(trained_on),
                    needs_training: Set(needs_training),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .update(&txn)
                .await?;
            }
            let summary = match attendance {
                Attendance::Attended => format!(
                    "Attended training on {}: marked trained",
                    day.format("%-d %B %Y")
                ),
                Attendance::Absent => format!(
                    "Did not attend training on {}: still waiting",
                    day.format("%-d %B %Y")
                ),
            };
            let event = AuditEvent::new(
                Some(by),
                match attendance {
                    Attendance::Attended => "training.attended",
                    Attendance::Absent => "training.absent",
                },
                AuditObject::new(MEMBER_KIND, member),
                summary,
            );
            audit::append(&txn, event, now).await?;
        }
        let event = AuditEvent::new(
            Some(by),
            "training.attendance_recorded",
            AuditObject::new(SESSION_KIND, id),
            format!("{attended} attended, {absent} did not attend"),
        );
        audit::append(&txn, event, now).await?;
        txn.commit().await?;
        Ok(())
    }
}

/// Authorities of the region by name, then other regions by name.
fn home_order(demand: &HomeDemand) -> (bool, String) {
    match (&demand.home, &demand.authority_name) {
        (HomeArea::Authority(_), Some(name)) => (false, name.clone()),
        (HomeArea::Authority(slug), None) => (false, slug.to_string()),
        (HomeArea::OutsideRegion(region), _) => (true, region.clone()),
    }
}
