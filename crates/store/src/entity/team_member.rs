//! The `team_members` table: a pool member's seat on a challenge team, from proposal to their answer.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "team_members")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub challenge_id: Uuid,
    pub member_id: Uuid,
    pub seat_role: String,
    pub shadowing: bool,
    pub status: String,
    #[sea_orm(column_type = "Text")]
    pub reasons: String,
    pub invited_at: Option<DateTimeUtc>,
    pub responded_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text", nullable)]
    pub conflict_details: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub decline_reason: Option<String>,
    pub confidentiality_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
