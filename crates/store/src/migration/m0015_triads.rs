//! Triad scrutiny in the annual programme: the comments and questions a triad's leads write
//! on each other's submitted self-assessments, each triad's conversation (date, who attended
//! for each area, the points agreed), areas' requests for help and offers of support, and the
//! documents uploaded as a self-assessment section's evidence.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum TriadComments {
    Table,
    Id,
    ActivityId,
    AuthoritySlug,
    Section,
    Kind,
    Body,
    AuthorArea,
    AuthorName,
    CreatedAt,
}

#[derive(DeriveIden)]
enum TriadConversations {
    Table,
    ActivityId,
    Triad,
    HeldOn,
    Attendance,
    Agreed,
    RecordedBy,
    RecordedAt,
}

#[derive(DeriveIden)]
enum TriadSupport {
    Table,
    Id,
    ActivityId,
    FromSlug,
    WithSlug,
    Kind,
    Body,
    RecordedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum SelfAssessmentDocuments {
    Table,
    Id,
    ActivityId,
    AuthoritySlug,
    Section,
    FileName,
    ContentType,
    SizeBytes,
    Content,
    UploadedBy,
    UploadedAt,
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

fn activity_key(table: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, Alias::new("activity_id"))
        .to(ProgrammeActivities::Table, ProgrammeActivities::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

fn area_key(table: impl IntoIden, column: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, column)
        .to(LocalAuthorities::Table, LocalAuthorities::Slug)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(TriadComments::Table)
                    .if_not_exists()
                    .col(uuid(TriadComments::Id).primary_key())
                    .col(uuid(TriadComments::ActivityId))
                    // The area whose self-assessment the comment is on.
                    .col(string(TriadComments::AuthoritySlug))
                    // A strand's code, or `overall`.
                    .col(string(TriadComments::Section))
                    .col(string(TriadComments::Kind))
                    .col(text(TriadComments::Body))
                    // Which partner wrote it: the area answers to its peers, not to a person.
                    .col(string(TriadComments::AuthorArea))
                    .col(string(TriadComments::AuthorName))
                    .col(timestamp_with_time_zone(TriadComments::CreatedAt))
                    .foreign_key(&mut activity_key(TriadComments::Table))
                    .foreign_key(&mut area_key(
                        TriadComments::Table,
                        TriadComments::AuthoritySlug,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("triad_comments_by_area")
                    .table(TriadComments::Table)
                    .col(TriadComments::ActivityId)
                    .col(TriadComments::AuthoritySlug)
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(TriadConversations::Table)
                    .if_not_exists()
                    .col(uuid(TriadConversations::ActivityId))
                    .col(integer(TriadConversations::Triad))
                    .col(date(TriadConversations::HeldOn))
                    // Who attended for each area, as JSON: read and written whole.
                    .col(text(TriadConversations::Attendance))
                    .col(text(TriadConversations::Agreed))
                    .col(string(TriadConversations::RecordedBy))
                    .col(timestamp_with_time_zone(TriadConversations::RecordedAt))
                    .primary_key(
                        Index::create()
                            .col(TriadConversations::ActivityId)
                            .col(TriadConversations::Triad),
                    )
                    .foreign_key(&mut activity_key(TriadConversations::Table))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(TriadSupport::Table)
                    .if_not_exists()
                    .col(uuid(TriadSupport::Id).primary_key())
                    .col(uuid(TriadSupport::ActivityId))
                    .col(string(TriadSupport::FromSlug))
                    // Null: offered to, or asked of, the whole region.
                    .col(string_null(TriadSupport::WithSlug))
                    .col(string(TriadSupport::Kind))
                    .col(text(TriadSupport::Body))
                    .col(string(TriadSupport::RecordedBy))
                    .col(timestamp_with_time_zone(TriadSupport::CreatedAt))
                    .foreign_key(&mut activity_key(TriadSupport::Table))
                    .foreign_key(&mut area_key(TriadSupport::Table, TriadSupport::FromSlug))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SelfAssessmentDocuments::Table)
                    .if_not_exists()
                    .col(uuid(SelfAssessmentDocuments::Id).primary_key())
                    .col(uuid(SelfAssessmentDocuments::ActivityId))
                    .col(string(SelfAssessmentDocuments::AuthoritySlug))
                    .col(string(SelfAssessmentDocuments::Section))
                    .col(string(SelfAssessmentDocuments::FileName))
                    .col(string(SelfAssessmentDocuments::ContentType))
                    .col(big_integer(SelfAssessmentDocuments::SizeBytes))
                    .col(blob(SelfAssessmentDocuments::Content))
                    .col(string(SelfAssessmentDocuments::UploadedBy))
                    .col(timestamp_with_time_zone(
                        SelfAssessmentDocuments::UploadedAt,
                    ))
                    .foreign_key(&mut activity_key(SelfAssessmentDocuments::Table))
                    .foreign_key(&mut area_key(
                        SelfAssessmentDocuments::Table,
                        SelfAssessmentDocuments::AuthoritySlug,
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Alias::new("self_assessment_documents"),
            Alias::new("triad_support"),
            Alias::new("triad_conversations"),
            Alias::new("triad_comments"),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
