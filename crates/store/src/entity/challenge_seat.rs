//! The `challenge_seats` table: how many seats of each role a challenge's team has.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "challenge_seats")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub challenge_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub role: String,
    pub count: i32,
    pub shadowing: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
