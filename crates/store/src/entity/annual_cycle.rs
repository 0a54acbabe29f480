//! The `annual_cycles` table: one year's self-assessment cycle in a region, a programme
//! activity of the annual programme.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "annual_cycles")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub activity_id: Uuid,
    pub region_slug: String,
    pub year: i32,
    pub self_assessment_opens: Date,
    pub self_assessment_due: Date,
    pub conversations_from: Date,
    pub conversations_to: Date,
    pub plans_due: Date,
    pub triads_published_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
