//! The `challenge_visit_days` table: the days of a challenge's visit.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "challenge_visit_days")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub challenge_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub day: Date,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
