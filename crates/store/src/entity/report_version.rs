//! The `report_versions` table: one generated version of a challenge's slide deck or written report, kept for good.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "report_versions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub challenge_id: Uuid,
    pub format: String,
    pub version: i32,
    pub status: String,
    #[sea_orm(column_type = "Blob")]
    pub content: Vec<u8>,
    pub size_bytes: i64,
    pub created_by: Option<Uuid>,
    pub created_by_name: String,
    pub created_at: DateTimeUtc,
    pub shared_at: Option<DateTimeUtc>,
    pub finalised_at: Option<DateTimeUtc>,
    /// The recommendations the version was made from, as JSON (`ReportedRecommendation`s);
    /// none for versions made before versions kept them.
    #[sea_orm(column_type = "Text", nullable)]
    pub recommendations: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
