//! The `local_authorities` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "local_authorities")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub slug: String,
    pub name: String,
    pub gss_code: String,
    pub dfe_number: i32,
    pub kind: String,
    pub nhs_board_slug: String,
    pub region_slug: String,
    pub valid_from: Option<Date>,
    pub valid_to: Option<Date>,
    pub predecessor_slug: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
