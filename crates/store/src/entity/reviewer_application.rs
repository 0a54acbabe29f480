//! The `reviewer_applications` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reviewer_applications")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub reference: String,
    pub email: String,
    pub status: String,
    #[sea_orm(column_type = "Text")]
    pub answers: String,
    pub submitted_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub decided_at: Option<DateTimeUtc>,
    pub decided_by: Option<Uuid>,
    #[sea_orm(column_type = "Text", nullable)]
    pub decision_note: Option<String>,
    pub member_id: Option<Uuid>,
    pub consent_token_hash: Option<String>,
    pub consent_confirmed_at: Option<DateTimeUtc>,
    pub reopen_token_hash: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
