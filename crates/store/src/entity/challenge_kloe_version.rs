//! The `challenge_kloe_versions` table: every saved version of a challenge's KLOEs, newest highest.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "challenge_kloe_versions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub challenge_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub version: i32,
    #[sea_orm(column_type = "Text")]
    pub kloes: String,
    pub edited_by: Option<Uuid>,
    pub edited_by_name: String,
    pub edited_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
