//! The `indicator_values` table: one published figure (or the symbol for its absence) as one
//! release gave it.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "indicator_values")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub release_id: Uuid,
    pub indicator: String,
    pub level: String,
    pub area_code: String,
    pub area_name: String,
    pub authority_slug: Option<String>,
    pub time_period: String,
    pub time_identifier: String,
    #[sea_orm(column_type = "Double", nullable)]
    pub value: Option<f64>,
    pub symbol: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
