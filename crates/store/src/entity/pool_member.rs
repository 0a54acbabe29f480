//! The `pool_members` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "pool_members")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Option<Uuid>,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub reviewer_type: String,
    pub organisation: String,
    pub home_authority_slug: Option<String>,
    pub outside_region: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub experience: String,
    #[sea_orm(column_type = "Text")]
    pub adjustments: String,
    pub needs_training: bool,
    pub trained_on: Option<Date>,
    pub online_only: bool,
    pub max_per_year: i32,
    pub status: String,
    pub joined_at: DateTimeUtc,
    pub left_at: Option<DateTimeUtc>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
