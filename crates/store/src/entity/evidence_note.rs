//! The `evidence_notes` table: a reviewer's note of evidence against a KLOE: a draft until recorded.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "evidence_notes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub challenge_id: Uuid,
    pub author_id: Option<Uuid>,
    pub author_name: String,
    pub activity_id: Option<Uuid>,
    pub kloe: Option<i32>,
    pub case_reference: Option<String>,
    pub kind: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub note: String,
    pub status: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
