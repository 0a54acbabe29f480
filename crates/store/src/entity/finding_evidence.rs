//! The `finding_evidence` table: which evidence notes stand behind a finding.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "finding_evidence")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub finding_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub evidence_id: Uuid,
    pub position: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
