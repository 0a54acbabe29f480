//! Each report version keeps the recommendations it was made from, so people outside the
//! team (the host's LA lead, the board) read the recommendations of a version they may see,
//! never the findings the team is still drafting.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ReportVersions {
    Table,
    Recommendations,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(ReportVersions::Table)
                    .add_column(text_null(ReportVersions::Recommendations))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(ReportVersions::Table)
                    .drop_column(ReportVersions::Recommendations)
                    .to_owned(),
            )
            .await
    }
}
