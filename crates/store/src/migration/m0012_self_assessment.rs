//! The annual self-assessment's evidence base: published data (each release of a statistics
//! file and the values it gave, so a revision keeps what the earlier release said) and each
//! area's area SEND inspections.

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
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
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
