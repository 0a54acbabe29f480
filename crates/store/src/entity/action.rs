//! The `next_steps` table: one action of an area's next steps for a programme activity.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "next_steps")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub activity_id: Uuid,
    pub authority_slug: String,
    pub reference: String,
    #[sea_orm(column_type = "Text")]
    pub answers: String,
    pub theme: String,
    #[sea_orm(column_type = "Text")]
    pub action: String,
    pub owner: String,
    pub partners: String,
    pub start_date: Date,
    pub due_date: Date,
    #[sea_orm(column_type = "Text")]
    pub milestones: String,
    pub baseline: String,
    pub target: String,
    pub rag: String,
    #[sea_orm(column_type = "Text")]
    pub impact: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
