//! The `activities` table: an activity in a challenge's visit timetable.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "activities")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub challenge_id: Uuid,
    pub day: Date,
    pub starts: String,
    pub ends: String,
    pub kind: String,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub place: String,
    pub kloe: Option<i32>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
