//! The annual self-assessment: its evidence base (published data, each release of a
//! statistics file and the values it gave, so a revision keeps what the earlier release said;
//! each area's area SEND inspections) and its cycles (a programme activity of the annual
//! programme per region and year, with its timetable and triads).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum IndicatorReleases {
    Table,
    Id,
    Publication,
    Release,
    FileSha256,
    ImportedAt,
    ImportedBy,
}

#[derive(DeriveIden)]
enum IndicatorValues {
    Table,
    Id,
    ReleaseId,
    Indicator,
    Level,
    AreaCode,
    AreaName,
    AuthoritySlug,
    TimePeriod,
    TimeIdentifier,
    Value,
    Symbol,
}

#[derive(DeriveIden)]
enum Inspections {
    Table,
    Id,
    AuthoritySlug,
    Month,
    Kind,
    Outcome,
    ReportUrl,
    RecordedAt,
}

#[derive(DeriveIden)]
enum AnnualCycles {
    Table,
    ActivityId,
    RegionSlug,
    Year,
    SelfAssessmentOpens,
    SelfAssessmentDue,
    ConversationsFrom,
    ConversationsTo,
    PlansDue,
    TriadsPublishedAt,
}

#[derive(DeriveIden)]
enum TriadMembers {
    Table,
    ActivityId,
    AuthoritySlug,
    Triad,
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
                    .table(IndicatorReleases::Table)
                    .if_not_exists()
                    .col(uuid(IndicatorReleases::Id).primary_key())
                    .col(string(IndicatorReleases::Publication))
                    .col(string(IndicatorReleases::Release))
                    // The last file imported under this release.
                    .col(string(IndicatorReleases::FileSha256))
                    // The first import: releases are ordered by it, the later revising.
                    .col(timestamp_with_time_zone(IndicatorReleases::ImportedAt))
                    .col(string(IndicatorReleases::ImportedBy))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("indicator_releases_once")
                    .table(IndicatorReleases::Table)
                    .col(IndicatorReleases::Publication)
                    .col(IndicatorReleases::Release)
                    .unique()
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(IndicatorValues::Table)
                    .if_not_exists()
                    .col(uuid(IndicatorValues::Id).primary_key())
                    .col(uuid(IndicatorValues::ReleaseId))
                    .col(string(IndicatorValues::Indicator))
                    .col(string(IndicatorValues::Level))
                    .col(string(IndicatorValues::AreaCode))
                    .col(string(IndicatorValues::AreaName))
                    // Set when the area is one of the product's authorities.
                    .col(string_null(IndicatorValues::AuthoritySlug))
                    .col(string(IndicatorValues::TimePeriod))
                    .col(string(IndicatorValues::TimeIdentifier))
                    // Exactly one of these: the value, or the symbol saying why there is none.
                    .col(double_null(IndicatorValues::Value))
                    .col(string_null(IndicatorValues::Symbol))
                    .foreign_key(
                        ForeignKey::create()
                            .from(IndicatorValues::Table, IndicatorValues::ReleaseId)
                            .to(IndicatorReleases::Table, IndicatorReleases::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("indicator_values_once_per_release")
                    .table(IndicatorValues::Table)
                    .col(IndicatorValues::ReleaseId)
                    .col(IndicatorValues::Indicator)
                    .col(IndicatorValues::AreaCode)
                    .col(IndicatorValues::TimePeriod)
                    .col(IndicatorValues::TimeIdentifier)
                    .unique()
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("indicator_values_by_area")
                    .table(IndicatorValues::Table)
                    .col(IndicatorValues::Indicator)
                    .col(IndicatorValues::AreaCode)
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Inspections::Table)
                    .if_not_exists()
                    .col(uuid(Inspections::Id).primary_key())
                    .col(string(Inspections::AuthoritySlug))
                    .col(date(Inspections::Month))
                    .col(string(Inspections::Kind))
                    .col(string(Inspections::Outcome))
                    .col(string_null(Inspections::ReportUrl))
                    .col(timestamp_with_time_zone(Inspections::RecordedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Inspections::Table, Inspections::AuthoritySlug)
                            .to(LocalAuthorities::Table, LocalAuthorities::Slug)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("inspections_once")
                    .table(Inspections::Table)
                    .col(Inspections::AuthoritySlug)
                    .col(Inspections::Month)
                    .col(Inspections::Kind)
                    .unique()
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AnnualCycles::Table)
                    .if_not_exists()
                    .col(uuid(AnnualCycles::ActivityId).primary_key())
                    .col(string(AnnualCycles::RegionSlug))
                    .col(integer(AnnualCycles::Year))
                    .col(date(AnnualCycles::SelfAssessmentOpens))
                    .col(date(AnnualCycles::SelfAssessmentDue))
                    .col(date(AnnualCycles::ConversationsFrom))
                    .col(date(AnnualCycles::ConversationsTo))
                    .col(date(AnnualCycles::PlansDue))
                    .col(timestamp_with_time_zone_null(
                        AnnualCycles::TriadsPublishedAt,
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .from(AnnualCycles::Table, AnnualCycles::ActivityId)
                            .to(ProgrammeActivities::Table, ProgrammeActivities::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // One cycle a year in a region.
        manager
            .create_index(
                Index::create()
                    .name("annual_cycles_once_a_year")
                    .table(AnnualCycles::Table)
                    .col(AnnualCycles::RegionSlug)
                    .col(AnnualCycles::Year)
                    .unique()
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(TriadMembers::Table)
                    .if_not_exists()
                    .col(uuid(TriadMembers::ActivityId))
                    .col(string(TriadMembers::AuthoritySlug))
                    .col(integer(TriadMembers::Triad))
                    .primary_key(
                        Index::create()
                            .col(TriadMembers::ActivityId)
                            .col(TriadMembers::AuthoritySlug),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(TriadMembers::Table, TriadMembers::ActivityId)
                            .to(AnnualCycles::Table, AnnualCycles::ActivityId)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            TriadMembers::Table.into_iden(),
            AnnualCycles::Table.into_iden(),
            Inspections::Table.into_iden(),
            IndicatorValues::Table.into_iden(),
            IndicatorReleases::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
