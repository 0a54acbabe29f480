//! The self-assessments themselves: one area's for one cycle, in versions. A draft is
//! rewritten in place on every save; a submitted or signed-off version is never changed, so
//! editing one starts the next version and the signed one is kept.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SelfAssessments {
    Table,
    Id,
    ActivityId,
    AuthoritySlug,
    Version,
    Framework,
    Answers,
    Status,
    SavedAt,
    SavedBy,
    SubmittedAt,
    SubmittedBy,
    SignedForAuthority,
    SignedForHealth,
    SignedForForum,
    SignedAt,
    SignOffRecordedBy,
}

#[derive(DeriveIden)]
enum ProgrammeActivities {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum LocalAuthorities {
    Table,
    Slug,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SelfAssessments::Table)
                    .if_not_exists()
                    .col(uuid(SelfAssessments::Id).primary_key())
                    .col(uuid(SelfAssessments::ActivityId))
                    .col(string(SelfAssessments::AuthoritySlug))
                    .col(integer(SelfAssessments::Version))
                    // The framework edition the sections follow.
                    .col(string(SelfAssessments::Framework))
                    // The answers as JSON: the sections are read and written whole.
                    .col(text(SelfAssessments::Answers))
                    .col(string(SelfAssessments::Status))
                    .col(timestamp_with_time_zone(SelfAssessments::SavedAt))
                    .col(string(SelfAssessments::SavedBy))
                    .col(timestamp_with_time_zone_null(SelfAssessments::SubmittedAt))
                    .col(string_null(SelfAssessments::SubmittedBy))
                    .col(string_null(SelfAssessments::SignedForAuthority))
                    .col(string_null(SelfAssessments::SignedForHealth))
                    .col(string_null(SelfAssessments::SignedForForum))
                    .col(date_null(SelfAssessments::SignedAt))
                    .col(string_null(SelfAssessments::SignOffRecordedBy))
                    .foreign_key(
                        ForeignKey::create()
                            .from(SelfAssessments::Table, SelfAssessments::ActivityId)
                            .to(ProgrammeActivities::Table, ProgrammeActivities::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(SelfAssessments::Table, SelfAssessments::AuthoritySlug)
                            .to(LocalAuthorities::Table, LocalAuthorities::Slug)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("self_assessments_version_once")
                    .table(SelfAssessments::Table)
                    .col(SelfAssessments::ActivityId)
                    .col(SelfAssessments::AuthoritySlug)
                    .col(SelfAssessments::Version)
                    .unique()
                    .if_not_exists()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SelfAssessments::Table).to_owned())
            .await
    }
}
