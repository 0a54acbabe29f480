//! The `self_assessments` table: one version of one area's self-assessment for a cycle.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "self_assessments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub activity_id: Uuid,
    pub authority_slug: String,
    pub version: i32,
    pub framework: String,
    #[sea_orm(column_type = "Text")]
    pub answers: String,
    pub status: String,
    pub saved_at: DateTimeUtc,
    pub saved_by: String,
    pub submitted_at: Option<DateTimeUtc>,
    pub submitted_by: Option<String>,
    pub signed_for_authority: Option<String>,
    pub signed_for_health: Option<String>,
    pub signed_for_forum: Option<String>,
    pub signed_at: Option<Date>,
    pub sign_off_recorded_by: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
