//! The `challenges` table: a one-day or two-day peer challenge: the request and where it is in its lifecycle.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "challenges")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub reference: String,
    pub authority_slug: String,
    pub kind: String,
    pub format: String,
    pub partners: String,
    #[sea_orm(column_type = "Text")]
    pub windows: String,
    #[sea_orm(column_type = "Text")]
    pub focus: String,
    pub state: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub cancel_reason: Option<String>,
    pub kloes_agreed_at: Option<DateTimeUtc>,
    pub kloes_agreed_by: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub proposal: Option<String>,
    pub requested_by: Option<Uuid>,
    pub requested_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
