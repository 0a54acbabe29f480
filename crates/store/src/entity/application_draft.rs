//! The `application_drafts` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "application_drafts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub browser_key_hash: String,
    #[sea_orm(column_type = "Text")]
    pub answers: String,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
