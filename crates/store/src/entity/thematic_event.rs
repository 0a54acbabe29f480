//! The `thematic_events` table: a thematic event's details and state (its id is its
//! programme activity's).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "thematic_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub title: String,
    pub theme: String,
    #[sea_orm(column_type = "Text")]
    pub topic: String,
    pub event_date: Date,
    pub starts_at: String,
    pub ends_at: String,
    pub format: String,
    pub venue: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub address: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub accessibility: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub joining_link: Option<String>,
    pub facilitator: String,
    pub capacity: i32,
    pub nominations_close: Date,
    pub returns_due: Date,
    pub state: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
