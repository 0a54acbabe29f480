//! The reviewer pool: members, their expertise, dates they cannot do, declared conflicts and
//! where they travel, and the directory search the co-ordinator and project manager filter.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use domain::pool::{
    DateRange, ExpertiseLevel, HomeArea, MemberProfile, MemberStatus, PhoneNumber, ReviewerType,
};
use domain::{
    AuditEvent, AuditObject, AuthoritySlug, EmailAddress, PersonName, PoolMemberId, ThemeCode,
    UserId,
};
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use uuid::Uuid;

use crate::entity::{
    pool_member, pool_member_conflict, pool_member_expertise, pool_member_travel,
    pool_member_unavailability,
};
use crate::{Store, StoreError, audit};

/// A member as their profile page shows them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PoolMember {
    pub id: PoolMemberId,
    pub user: Option<UserId>,
    pub profile: MemberProfile,
    pub status: MemberStatus,
    pub joined_at: DateTime<Utc>,
    pub left_at: Option<DateTime<Utc>>,
}

impl PoolMember {
    pub fn is_trained(&self) -> bool {
        self.profile.trained_on.is_some()
    }
}

/// The directory's filters; `None` matches everyone.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PoolFilter {
    pub reviewer_type: Option<ReviewerType>,
    /// Members with this theme at `min_level` or deeper (any level if `min_level` is None).
    pub theme: Option<ThemeCode>,
    pub min_level: Option<ExpertiseLevel>,
    pub home: Option<HomeFilter>,
    pub trained: Option<bool>,
    /// Members with no unavailable period covering this day.
    pub available_on: Option<NaiveDate>,
    pub status: Option<MemberStatus>,
    /// A case-insensitive search of name, email and organisation.
    pub text: Option<String>,
    /// Members who can come to a visit in this authority: not online only, and either
    /// listing it among the places they travel to or listing no places at all.
    pub travels_to: Option<AuthoritySlug>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HomeFilter {
    Authority(AuthoritySlug),
    OutsideRegion,
}

fn status_of(code: &str) -> Result<MemberStatus, StoreError> {
    MemberStatus::parse(code).ok_or_else(|| StoreError::corrupt(code))
}

async fn write_details(
    db: &impl ConnectionTrait,
    id: Uuid,
    profile: &MemberProfile,
) -> Result<(), StoreError> {
    pool_member_expertise::Entity::delete_many()
        .filter(pool_member_expertise::Column::MemberId.eq(id))
        .exec(db)
        .await?;
    pool_member_unavailability::Entity::delete_many()
        .filter(pool_member_unavailability::Column::MemberId.eq(id))
        .exec(db)
        .await?;
    pool_member_conflict::Entity::delete_many()
        .filter(pool_member_conflict::Column::MemberId.eq(id))
        .exec(db)
        .await?;
    pool_member_travel::Entity::delete_many()
        .filter(pool_member_travel::Column::MemberId.eq(id))
        .exec(db)
        .await?;
    let expertise: BTreeMap<&ThemeCode, ExpertiseLevel> =
        profile.expertise.iter().map(|(t, l)| (t, *l)).collect();
    for (theme, level) in expertise {
        pool_member_expertise::ActiveModel {
            member_id: Set(id),
            theme_code: Set(theme.to_string()),
            level: Set(level.code().to_owned()),
        }
        .insert(db)
        .await?;
    }
    for range in &profile.unavailable {
        pool_member_unavailability::ActiveModel {
            id: Set(Uuid::new_v4()),
            member_id: Set(id),
            starts_on: Set(range.start()),
            ends_on: Set(range.end()),
        }
        .insert(db)
        .await?;
    }
    let conflicts: BTreeMap<&AuthoritySlug, &String> =
        profile.conflicts.iter().map(|(a, r)| (a, r)).collect();
    for (authority, reason) in conflicts {
        pool_member_conflict::ActiveModel {
            member_id: Set(id),
            authority_slug: Set(authority.to_string()),
            reason: Set(reason.clone()),
        }
        .insert(db)
        .await?;
    }
    let mut travel = profile.travel_to.clone();
    travel.sort();
    travel.dedup();
    for authority in travel {
        pool_member_travel::ActiveModel {
            member_id: Set(id),
            authority_slug: Set(authority.to_string()),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

fn member_row(id: Uuid, profile: &MemberProfile, now: DateTime<Utc>) -> pool_member::ActiveModel {
    let (home_authority, outside_region) = match &profile.home {
        HomeArea::Authority(slug) => (Some(slug.to_string()), None),
        HomeArea::OutsideRegion(region) => (None, Some(region.clone())),
    };
    pool_member::ActiveModel {
        id: Set(id),
        name: Set(profile.name.to_string()),
        email: Set(profile.email.to_string()),
        phone: Set(profile
            .phone
            .as_ref()
            .map(|phone| phone.as_str().to_owned())),
        reviewer_type: Set(profile.reviewer_type.code().to_owned()),
        organisation: Set(profile.organisation.clone()),
        home_authority_slug: Set(home_authority),
        outside_region: Set(outside_region),
        experience: Set(profile.experience.clone()),
        adjustments: Set(profile.adjustments.clone()),
        needs_training: Set(profile.needs_training),
        trained_on: Set(profile.trained_on),
        online_only: Set(profile.online_only),
        max_per_year: Set(i32::from(profile.max_per_year)),
        updated_at: Set(now),
        ..Default::default()
    }
}

pub(crate) async fn insert_member(
    db: &impl ConnectionTrait,
    profile: &MemberProfile,
    user: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<PoolMemberId, StoreError> {
    let taken = pool_member::Entity::find()
        .filter(pool_member::Column::Email.eq(profile.email.as_str()))
        .one(db)
        .await?;
    if taken.is_some() {
        return Err(StoreError::Conflict(
            "A pool member with this email address already exists",
        ));
    }
    let id = PoolMemberId::new();
    let mut row = member_row(id.as_uuid(), profile, now);
    row.user_id = Set(user.map(|user| user.as_uuid()));
    row.status = Set(MemberStatus::Active.code().to_owned());
    row.joined_at = Set(now);
    row.left_at = Set(None);
    row.insert(db).await?;
    write_details(db, id.as_uuid(), profile).await?;
    Ok(id)
}

impl Store {
    /// Add a member to the pool directly (past members, the command line, demo data).
    pub async fn add_pool_member(
        &self,
        profile: &MemberProfile,
        user: Option<UserId>,
        by: Option<UserId>,
        now: DateTime<Utc>,
    ) -> Result<PoolMemberId, StoreError> {
        let txn = self.begin_write().await?;
        let id = insert_member(&txn, profile, user, now).await?;
        let event = AuditEvent::new(
            by,
            "pool.member_added",
            AuditObject::new("pool_member", id),
            "Added to the pool",
        );
        audit::append(&txn, event, now).await?;
        txn.commit().await?;
        Ok(id)
    }

    /// Replace a member's profile (their own edit, or the project manager's).
    pub async fn update_pool_member(
        &self,
        id: PoolMemberId,
        profile: &MemberProfile,
        by: Option<UserId>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        let clash = pool_member::Entity::find()
            .filter(pool_member::Column::Email.eq(profile.email.as_str()))
            .filter(pool_member::Column::Id.ne(id.as_uuid()))
            .one(&txn)
            .await?;
        if clash.is_some() {
            return Err(StoreError::Conflict(
                "A pool member with this email address already exists",
            ));
        }
        pool_member::Entity::find_by_id(id.as_uuid())
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        member_row(id.as_uuid(), profile, now).update(&txn).await?;
        write_details(&txn, id.as_uuid(), profile).await?;
        let event = AuditEvent::new(
            by,
            "pool.profile_updated",
            AuditObject::new("pool_member", id),
            "Profile updated",
        );
        audit::append(&txn, event, now).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Pause, resume or leave. Leaving records when, for the retention rules.
    pub async fn set_member_status(
        &self,
        id: PoolMemberId,
        status: MemberStatus,
        by: Option<UserId>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        pool_member::Entity::find_by_id(id.as_uuid())
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        pool_member::ActiveModel {
            id: Set(id.as_uuid()),
            status: Set(status.code().to_owned()),
            left_at: Set((status == MemberStatus::Left).then_some(now)),
            updated_at: Set(now),
            ..Default::default()
        }
        .update(&txn)
        .await?;
        let event = AuditEvent::new(
            by,
            "pool.status_changed",
            AuditObject::new("pool_member", id),
            format!("Status: {}", status.label()),
        );
        audit::append(&txn, event, now).await?;
        txn.commit().await?;
        Ok(())
    }

    /// The pool member linked to an account, for "my profile".
    pub async fn pool_member_for_user(
        &self,
        user: UserId,
    ) -> Result<Option<PoolMember>, StoreError> {
        let row = pool_member::Entity::find()
            .filter(pool_member::Column::UserId.eq(user.as_uuid()))
            .one(&self.db)
            .await?;
        match row {
            Some(row) => Ok(self.members_from_rows(vec![row]).await?.pop()),
            None => Ok(None),
        }
    }

    pub async fn pool_member(&self, id: PoolMemberId) -> Result<Option<PoolMember>, StoreError> {
        match pool_member::Entity::find_by_id(id.as_uuid())
            .one(&self.db)
            .await?
        {
            Some(row) => Ok(self.members_from_rows(vec![row]).await?.pop()),
            None => Ok(None),
        }
    }

    /// Members matching every filter given, by name.
    pub async fn search_pool(&self, filter: &PoolFilter) -> Result<Vec<PoolMember>, StoreError> {
        let rows = pool_member::Entity::find()
            .filter(pool_condition(filter))
            .order_by_asc(pool_member::Column::Name)
            .order_by_asc(pool_member::Column::Id)
            .all(&self.db)
            .await?;
        self.members_from_rows(rows).await
    }

    async fn members_from_rows(
        &self,
        rows: Vec<pool_member::Model>,
    ) -> Result<Vec<PoolMember>, StoreError> {
        let ids: Vec<Uuid> = rows.iter().map(|row| row.id).collect();
        let mut details = MemberDetails::load(&self.db, ids).await?;
        rows.into_iter().map(|row| details.assemble(row)).collect()
    }
}

/// The details of a batch of members, loaded in four queries rather than four per member.
#[derive(Default)]
struct MemberDetails {
    expertise: BTreeMap<Uuid, Vec<(ThemeCode, ExpertiseLevel)>>,
    unavailable: BTreeMap<Uuid, Vec<DateRange>>,
    conflicts: BTreeMap<Uuid, Vec<(AuthoritySlug, String)>>,
    travel: BTreeMap<Uuid, Vec<AuthoritySlug>>,
}

impl MemberDetails {
    async fn load(db: &impl ConnectionTrait, ids: Vec<Uuid>) -> Result<Self, StoreError> {
        let mut details = Self::default();
        for chunk in ids.chunks(500) {
            let chunk = chunk.to_vec();
            for row in pool_member_expertise::Entity::find()
                .filter(pool_member_expertise::Column::MemberId.is_in(chunk.clone()))
                .order_by_asc(pool_member_expertise::Column::ThemeCode)
                .all(db)
                .await?
            {
                let theme = ThemeCode::parse(&row.theme_code)
                    .ok_or_else(|| StoreError::corrupt(&row.theme_code))?;
                let level = ExpertiseLevel::parse(&row.level)
                    .ok_or_else(|| StoreError::corrupt(&row.level))?;
                details
                    .expertise
                    .entry(row.member_id)
                    .or_default()
                    .push((theme, level));
            }
            for row in pool_member_unavailability::Entity::find()
                .filter(pool_member_unavailability::Column::MemberId.is_in(chunk.clone()))
                .order_by_asc(pool_member_unavailability::Column::StartsOn)
                .all(db)
                .await?
            {
                let range =
                    DateRange::new(row.starts_on, row.ends_on).map_err(StoreError::corrupt)?;
                details
                    .unavailable
                    .entry(row.member_id)
                    .or_default()
                    .push(range);
            }
            for row in pool_member_conflict::Entity::find()
                .filter(pool_member_conflict::Column::MemberId.is_in(chunk.clone()))
                .order_by_asc(pool_member_conflict::Column::AuthoritySlug)
                .all(db)
                .await?
            {
                let authority =
                    AuthoritySlug::parse(&row.authority_slug).map_err(StoreError::corrupt)?;
                details
                    .conflicts
                    .entry(row.member_id)
                    .or_default()
                    .push((authority, row.reason));
            }
            for row in pool_member_travel::Entity::find()
                .filter(pool_member_travel::Column::MemberId.is_in(chunk))
                .order_by_asc(pool_member_travel::Column::AuthoritySlug)
                .all(db)
                .await?
            {
                let authority =
                    AuthoritySlug::parse(&row.authority_slug).map_err(StoreError::corrupt)?;
                details
                    .travel
                    .entry(row.member_id)
                    .or_default()
                    .push(authority);
            }
        }
        Ok(details)
    }

    fn assemble(&mut self, row: pool_member::Model) -> Result<PoolMember, StoreError> {
        let home = match (row.home_authority_slug, row.outside_region) {
            (Some(slug), _) => {
                HomeArea::Authority(AuthoritySlug::parse(&slug).map_err(StoreError::corrupt)?)
            }
            (None, Some(region)) => HomeArea::OutsideRegion(region),
            (None, None) => return Err(StoreError::corrupt("a pool member without a home area")),
        };
        let profile = MemberProfile {
            name: PersonName::parse(&row.name).map_err(StoreError::corrupt)?,
            email: EmailAddress::parse(&row.email).map_err(StoreError::corrupt)?,
            phone: row.phone.map(PhoneNumber::stored),
            reviewer_type: ReviewerType::parse(&row.reviewer_type)
                .ok_or_else(|| StoreError::corrupt(&row.reviewer_type))?,
            organisation: row.organisation,
            home,
            experience: row.experience,
            adjustments: row.adjustments,
            needs_training: row.needs_training,
            trained_on: row.trained_on,
            online_only: row.online_only,
            max_per_year: u8::try_from(row.max_per_year).map_err(StoreError::corrupt)?,
            expertise: self.expertise.remove(&row.id).unwrap_or_default(),
            unavailable: self.unavailable.remove(&row.id).unwrap_or_default(),
            conflicts: self.conflicts.remove(&row.id).unwrap_or_default(),
            travel_to: self.travel.remove(&row.id).unwrap_or_default(),
        };
        Ok(PoolMember {
            id: PoolMemberId::from_uuid(row.id),
            user: row.user_id.map(UserId::from_uuid),
            profile,
            status: status_of(&row.status)?,
            joined_at: row.joined_at,
            left_at: row.left_at,
        })
    }
}

/// The SQL condition for a filter. Theme and availability are subqueries, so one query
/// answers the whole directory page on either database.
fn pool_condition(filter: &PoolFilter) -> Condition {
    use pool_member::Column;
    let mut condition = Condition::all();
    if let Some(kind) = filter.reviewer_type {
        condition = condition.add(Column::ReviewerType.eq(kind.code()));
    }
    if let Some(status) = filter.status {
        condition = condition.add(Column::Status.eq(status.code()));
    }
    match &filter.home {
        Some(HomeFilter::Authority(slug)) => {
            condition = condition.add(Column::HomeAuthoritySlug.eq(slug.as_str()))
        }
        Some(HomeFilter::OutsideRegion) => {
            condition = condition.add(Column::HomeAuthoritySlug.is_null())
        }
        None => {}
    }
    match filter.trained {
        Some(true) => condition = condition.add(Column::TrainedOn.is_not_null()),
        Some(false) => condition = condition.add(Column::TrainedOn.is_null()),
        None => {}
    }
    if let Some(theme) = &filter.theme {
        let levels: Vec<&str> = ExpertiseLevel::ALL
            .into_iter()
            .filter(|level| filter.min_level.is_none_or(|min| *level >= min))
            .map(ExpertiseLevel::code)
            .collect();
        let knows_theme = Query::select()
            .column(pool_member_expertise::Column::MemberId)
            .from(pool_member_expertise::Entity)
            .and_where(pool_member_expertise::Column::ThemeCode.eq(theme.as_str()))
            .and_where(pool_member_expertise::Column::Level.is_in(levels))
            .to_owned();
        condition = condition.add(Column::Id.in_subquery(knows_theme));
    }
    if let Some(slug) = &filter.travels_to {
        let goes_there = Query::select()
            .column(pool_member_travel::Column::MemberId)
            .from(pool_member_travel::Entity)
            .and_where(pool_member_travel::Column::AuthoritySlug.eq(slug.as_str()))
            .to_owned();
        let lists_places = Query::select()
            .column(pool_member_travel::Column::MemberId)
            .from(pool_member_travel::Entity)
            .to_owned();
        condition = condition.add(Column::OnlineOnly.eq(false)).add(
            Condition::any()
                .add(Column::Id.in_subquery(goes_there))
                .add(Column::Id.not_in_subquery(lists_places)),
        );
    }
    if let Some(day) = filter.available_on {
        let away = Query::select()
            .column(pool_member_unavailability::Column::MemberId)
            .from(pool_member_unavailability::Entity)
            .and_where(pool_member_unavailability::Column::StartsOn.lte(day))
            .and_where(pool_member_unavailability::Column::EndsOn.gte(day))
            .to_owned();
        condition = condition.add(Column::Id.not_in_subquery(away));
    }
    if let Some(text) = filter
        .text
        .as_deref()
        .map(str::trim)
        .filter(|text| !text.is_empty())
    {
        let escaped = text
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        let pattern = format!("%{escaped}%");
        let like = |column: Column| {
            Expr::expr(Func::lower(Expr::col(column)))
                .like(LikeExpr::new(pattern.clone()).escape('\\'))
        };
        condition = condition.add(
            Condition::any()
                .add(like(Column::Name))
                .add(like(Column::Email))
                .add(like(Column::Organisation)),
        );
    }
    condition
}
