//! What a challenge finds: evidence notes recorded on the day (drafts included, so nothing
//! typed is lost), findings per KLOE linked to the evidence behind them, the team's comments,
//! and every generated version of the reports with the host's accuracy-check comments.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Challenges {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Activities {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum EvidenceNotes {
    Table,
    Id,
    ChallengeId,
    AuthorId,
    AuthorName,
    ActivityId,
    Kloe,
    CaseReference,
    Kind,
    Note,
    Status,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Findings {
    Table,
    Id,
    ChallengeId,
    Kloe,
    Kind,
    Text,
    Position,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum FindingEvidence {
    Table,
    FindingId,
    EvidenceId,
    Position,
}

#[derive(DeriveIden)]
enum FindingComments {
    Table,
    Id,
    FindingId,
    AuthorId,
    AuthorName,
    Text,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ReportVersions {
    Table,
    Id,
    ChallengeId,
    Format,
    Version,
    Status,
    Content,
    SizeBytes,
    CreatedBy,
    CreatedByName,
    CreatedAt,
    SharedAt,
    FinalisedAt,
}

#[derive(DeriveIden)]
enum ReportComments {
    Table,
    Id,
    ReportVersionId,
    AuthorId,
    AuthorName,
    Text,
    CreatedAt,
}

fn cascade_to(
    table: impl IntoIden,
    column: impl IntoIden,
    parent: impl IntoIden,
    parent_id: impl IntoIden,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, column)
        .to(parent, parent_id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

fn user_foreign_key(table: impl IntoIden, column: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, column)
        .to(Users::Table, Users::Id)
        .on_delete(ForeignKeyAction::SetNull)
        .to_owned()
}

async fn index(
    manager: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden,
    columns: Vec<DynIden>,
    unique: bool,
) -> Result<(), DbErr> {
    let mut statement = Index::create();
    statement.name(name).table(table).if_not_exists();
    for column in columns {
        statement.col(column);
    }
    if unique {
        statement.unique();
    }
    manager.create_index(statement.to_owned()).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_evidence(manager).await?;
        create_findings(manager).await?;
        create_reports(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ReportComments::Table.into_iden(),
            ReportVersions::Table.into_iden(),
            FindingComments::Table.into_iden(),
            FindingEvidence::Table.into_iden(),
            Findings::Table.into_iden(),
            EvidenceNotes::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}

async fn create_evidence(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(EvidenceNotes::Table)
                .if_not_exists()
                .col(uuid(EvidenceNotes::Id).primary_key())
                .col(uuid(EvidenceNotes::ChallengeId))
                .col(uuid_null(EvidenceNotes::AuthorId))
                .col(string(EvidenceNotes::AuthorName))
                .col(uuid_null(EvidenceNotes::ActivityId))
                .col(integer_null(EvidenceNotes::Kloe))
                .col(string_null(EvidenceNotes::CaseReference))
                .col(string_null(EvidenceNotes::Kind))
                .col(text(EvidenceNotes::Note))
                .col(string(EvidenceNotes::Status))
                .col(timestamp_with_time_zone(EvidenceNotes::CreatedAt))
                .col(timestamp_with_time_zone(EvidenceNotes::UpdatedAt))
                .foreign_key(&mut cascade_to(
                    EvidenceNotes::Table,
                    EvidenceNotes::ChallengeId,
                    Challenges::Table,
                    Challenges::Id,
                ))
                .foreign_key(&mut user_foreign_key(
                    EvidenceNotes::Table,
                    EvidenceNotes::AuthorId,
                ))
                // A note outlives a deleted activity: it is still evidence for its KLOE.
                .foreign_key(
                    ForeignKey::create()
                        .from(EvidenceNotes::Table, EvidenceNotes::ActivityId)
                        .to(Activities::Table, Activities::Id)
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .to_owned(),
        )
        .await?;
    index(
        manager,
        "evidence_notes_challenge",
        EvidenceNotes::Table,
        vec![
            EvidenceNotes::ChallengeId.into_iden(),
            EvidenceNotes::Status.into_iden(),
        ],
        false,
    )
    .await
}

async fn create_findings(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Findings::Table)
                .if_not_exists()
                .col(uuid(Findings::Id).primary_key())
                .col(uuid(Findings::ChallengeId))
                .col(integer(Findings::Kloe))
                .col(string(Findings::Kind))
                .col(text(Findings::Text))
                .col(integer(Findings::Position))
                .col(uuid_null(Findings::CreatedBy))
                .col(timestamp_with_time_zone(Findings::CreatedAt))
                .col(timestamp_with_time_zone(Findings::UpdatedAt))
                .foreign_key(&mut cascade_to(
                    Findings::Table,
                    Findings::ChallengeId,
                    Challenges::Table,
                    Challenges::Id,
                ))
                .foreign_key(&mut user_foreign_key(Findings::Table, Findings::CreatedBy))
                .to_owned(),
        )
        .await?;
    index(
        manager,
        "findings_challenge",
        Findings::Table,
        vec![Findings::ChallengeId.into_iden()],
        false,
    )
    .await?;
    manager
        .create_table(
            Table::create()
                .table(FindingEvidence::Table)
                .if_not_exists()
                .col(uuid(FindingEvidence::FindingId))
                .col(uuid(FindingEvidence::EvidenceId))
                // The order the writer cited the notes in.
                .col(integer(FindingEvidence::Position))
                .primary_key(
                    Index::create()
                        .col(FindingEvidence::FindingId)
                        .col(FindingEvidence::EvidenceId),
                )
                .foreign_key(&mut cascade_to(
                    FindingEvidence::Table,
                    FindingEvidence::FindingId,
                    Findings::Table,
                    Findings::Id,
                ))
                // Purging working notes drops the links; the finding itself stays.
                .foreign_key(&mut cascade_to(
                    FindingEvidence::Table,
                    FindingEvidence::EvidenceId,
                    EvidenceNotes::Table,
                    EvidenceNotes::Id,
                ))
                .to_owned(),
        )
        .await?;
    manager
        .create_table(
            Table::create()
                .table(FindingComments::Table)
                .if_not_exists()
                .col(uuid(FindingComments::Id).primary_key())
                .col(uuid(FindingComments::FindingId))
                .col(uuid_null(FindingComments::AuthorId))
                .col(string(FindingComments::AuthorName))
                .col(text(FindingComments::Text))
                .col(timestamp_with_time_zone(FindingComments::CreatedAt))
                .foreign_key(&mut cascade_to(
                    FindingComments::Table,
                    FindingComments::FindingId,
                    Findings::Table,
                    Findings::Id,
                ))
                .foreign_key(&mut user_foreign_key(
                    FindingComments::Table,
                    FindingComments::AuthorId,
                ))
                .to_owned(),
        )
        .await?;
    Ok(())
}

async fn create_reports(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(ReportVersions::Table)
                .if_not_exists()
                .col(uuid(ReportVersions::Id).primary_key())
                .col(uuid(ReportVersions::ChallengeId))
                .col(string(ReportVersions::Format))
                .col(integer(ReportVersions::Version))
                .col(string(ReportVersions::Status))
                .col(blob(ReportVersions::Content))
                .col(big_integer(ReportVersions::SizeBytes))
                .col(uuid_null(ReportVersions::CreatedBy))
                .col(string(ReportVersions::CreatedByName))
                .col(timestamp_with_time_zone(ReportVersions::CreatedAt))
                .col(timestamp_with_time_zone_null(ReportVersions::SharedAt))
                .col(timestamp_with_time_zone_null(ReportVersions::FinalisedAt))
                .foreign_key(&mut cascade_to(
                    ReportVersions::Table,
                    ReportVersions::ChallengeId,
                    Challenges::Table,
                    Challenges::Id,
                ))
                .foreign_key(&mut user_foreign_key(
                    ReportVersions::Table,
                    ReportVersions::CreatedBy,
                ))
                .to_owned(),
        )
        .await?;
    // Two people generating at once cannot both write version N.
    index(
        manager,
        "report_versions_number",
        ReportVersions::Table,
        vec![
            ReportVersions::ChallengeId.into_iden(),
            ReportVersions::Format.into_iden(),
            ReportVersions::Version.into_iden(),
        ],
        true,
    )
    .await?;
    manager
        .create_table(
            Table::create()
                .table(ReportComments::Table)
                .if_not_exists()
                .col(uuid(ReportComments::Id).primary_key())
                .col(uuid(ReportComments::ReportVersionId))
                .col(uuid_null(ReportComments::AuthorId))
                .col(string(ReportComments::AuthorName))
                .col(text(ReportComments::Text))
                .col(timestamp_with_time_zone(ReportComments::CreatedAt))
                .foreign_key(&mut cascade_to(
                    ReportComments::Table,
                    ReportComments::ReportVersionId,
                    ReportVersions::Table,
                    ReportVersions::Id,
                ))
                .foreign_key(&mut user_foreign_key(
                    ReportComments::Table,
                    ReportComments::AuthorId,
                ))
                .to_owned(),
        )
        .await?;
    Ok(())
}
