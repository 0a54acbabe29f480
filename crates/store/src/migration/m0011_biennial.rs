//! The biennial large-scale challenge: a cycle (one per programme activity of the biennial
//! programme: year, day, venue, deadlines, whether reciprocal pairs are allowed, its state
//! and the seed its pairing was drawn with), its priorities tagged with themes, the areas that
//! opted out and why, and its pairing (who challenges whom, with the engine's reason or the
//! co-ordinator's reason for overriding a rule), each area's team (members without accounts)
//! the KLOEs each challenging area drafts for the area it challenges, and the support areas
//! offer each other.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ProgrammeActivities {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum BiennialCycles {
    Table,
    ActivityId,
    Year,
    EventDate,
    Venue,
    KloesDue,
    ActionsDue,
    AllowReciprocal,
    State,
    PairingSeed,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum BiennialPriorities {
    Table,
    CycleId,
    Position,
    Title,
    Themes,
}

#[derive(DeriveIden)]
enum BiennialOptOuts {
    Table,
    CycleId,
    AuthoritySlug,
    Reason,
    OptedOutAt,
}

#[derive(DeriveIden)]
enum BiennialTeamMembers {
    Table,
    Id,
    CycleId,
    AuthoritySlug,
    Name,
    Email,
    Partner,
    TeamLead,
    AddedAt,
}

#[derive(DeriveIden)]
enum BiennialKloes {
    Table,
    Id,
    CycleId,
    Challenger,
    Question,
    Priority,
    Themes,
    Status,
    Comment,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum BiennialSupportOffers {
    Table,
    Id,
    CycleId,
    FromSlug,
    ToSlug,
    What,
    Who,
    Contact,
    OfferedAt,
}

#[derive(DeriveIden)]
enum BiennialPairs {
    Table,
    CycleId,
    Challenger,
    Challenged,
    Reason,
    Overridden,
}

fn cycle_key(table: impl IntoIden, column: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, column)
        .to(BiennialCycles::Table, BiennialCycles::ActivityId)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(BiennialCycles::Table)
                    .if_not_exists()
                    .col(uuid(BiennialCycles::ActivityId).primary_key())
                    .col(integer(BiennialCycles::Year))
                    .col(date(BiennialCycles::EventDate))
                    .col(text(BiennialCycles::Venue))
                    .col(date(BiennialCycles::KloesDue))
                    .col(date(BiennialCycles::ActionsDue))
                    .col(boolean(BiennialCycles::AllowReciprocal))
                    .col(string(BiennialCycles::State))
                    .col(big_integer_null(BiennialCycles::PairingSeed))
                    .col(timestamp_with_time_zone(BiennialCycles::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(BiennialCycles::Table, BiennialCycles::ActivityId)
                            .to(ProgrammeActivities::Table, ProgrammeActivities::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(BiennialPriorities::Table)
                    .if_not_exists()
                    .col(uuid(BiennialPriorities::CycleId))
                    .col(integer(BiennialPriorities::Position))
                    .col(text(BiennialPriorities::Title))
                    // Theme codes, comma-separated in the order of the themes list.
                    .col(text(BiennialPriorities::Themes))
                    .primary_key(
                        Index::create()
                            .col(BiennialPriorities::CycleId)
                            .col(BiennialPriorities::Position),
                    )
                    .foreign_key(&mut cycle_key(
                        BiennialPriorities::Table,
                        BiennialPriorities::CycleId,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(BiennialOptOuts::Table)
                    .if_not_exists()
                    .col(uuid(BiennialOptOuts::CycleId))
                    .col(string(BiennialOptOuts::AuthoritySlug))
                    .col(text(BiennialOptOuts::Reason))
                    .col(timestamp_with_time_zone(BiennialOptOuts::OptedOutAt))
                    .primary_key(
                        Index::create()
                            .col(BiennialOptOuts::CycleId)
                            .col(BiennialOptOuts::AuthoritySlug),
                    )
                    .foreign_key(&mut cycle_key(
                        BiennialOptOuts::Table,
                        BiennialOptOuts::CycleId,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(BiennialPairs::Table)
                    .if_not_exists()
                    .col(uuid(BiennialPairs::CycleId))
                    .col(string(BiennialPairs::Challenger))
                    .col(string(BiennialPairs::Challenged))
                    .col(text(BiennialPairs::Reason))
                    // The co-ordinator's reason when a swap broke a rule and they kept it.
                    .col(text_null(BiennialPairs::Overridden))
                    .primary_key(
                        Index::create()
                            .col(BiennialPairs::CycleId)
                            .col(BiennialPairs::Challenger),
                    )
                    .foreign_key(&mut cycle_key(BiennialPairs::Table, BiennialPairs::CycleId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(BiennialTeamMembers::Table)
                    .if_not_exists()
                    .col(uuid(BiennialTeamMembers::Id).primary_key())
                    .col(uuid(BiennialTeamMembers::CycleId))
                    .col(string(BiennialTeamMembers::AuthoritySlug))
                    .col(string(BiennialTeamMembers::Name))
                    .col(string(BiennialTeamMembers::Email))
                    .col(string(BiennialTeamMembers::Partner))
                    .col(boolean(BiennialTeamMembers::TeamLead))
                    .col(timestamp_with_time_zone(BiennialTeamMembers::AddedAt))
                    .foreign_key(&mut cycle_key(
                        BiennialTeamMembers::Table,
                        BiennialTeamMembers::CycleId,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(BiennialKloes::Table)
                    .if_not_exists()
                    .col(uuid(BiennialKloes::Id).primary_key())
                    .col(uuid(BiennialKloes::CycleId))
                    // The challenging area; the challenged one is its pair's.
                    .col(string(BiennialKloes::Challenger))
                    .col(text(BiennialKloes::Question))
                    .col(integer(BiennialKloes::Priority))
                    .col(text(BiennialKloes::Themes))
                    .col(string(BiennialKloes::Status))
                    .col(text_null(BiennialKloes::Comment))
                    .col(timestamp_with_time_zone(BiennialKloes::UpdatedAt))
                    .foreign_key(&mut cycle_key(BiennialKloes::Table, BiennialKloes::CycleId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(BiennialSupportOffers::Table)
                    .if_not_exists()
                    .col(uuid(BiennialSupportOffers::Id).primary_key())
                    .col(uuid(BiennialSupportOffers::CycleId))
                    .col(string(BiennialSupportOffers::FromSlug))
                    .col(string(BiennialSupportOffers::ToSlug))
                    .col(text(BiennialSupportOffers::What))
                    .col(string(BiennialSupportOffers::Who))
                    .col(string(BiennialSupportOffers::Contact))
                    .col(timestamp_with_time_zone(BiennialSupportOffers::OfferedAt))
                    .foreign_key(&mut cycle_key(
                        BiennialSupportOffers::Table,
                        BiennialSupportOffers::CycleId,
                    ))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            BiennialSupportOffers::Table.into_iden(),
            BiennialKloes::Table.into_iden(),
            BiennialTeamMembers::Table.into_iden(),
            BiennialPairs::Table.into_iden(),
            BiennialOptOuts::Table.into_iden(),
            BiennialPriorities::Table.into_iden(),
            BiennialCycles::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
