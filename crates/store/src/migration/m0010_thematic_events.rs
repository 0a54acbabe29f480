//! Thematic peer challenge events: each is a programme activity of programme `thematic`
//! (same id), with its details and state; the officers each area names to it; the
//! reminders already sent to each nominee, so none goes twice; and the event's KLOEs, one
//! version per set shared (an edit after sharing is a new version, the old kept).

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
enum ThematicEvents {
    Table,
    Id,
    Title,
    Theme,
    Topic,
    EventDate,
    StartsAt,
    EndsAt,
    Format,
    Venue,
    Address,
    Accessibility,
    JoiningLink,
    Facilitator,
    Capacity,
    NominationsClose,
    ReturnsDue,
    State,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ThematicNominations {
    Table,
    Id,
    EventId,
    AuthoritySlug,
    Name,
    Role,
    Organisation,
    Email,
    Deputy,
    Attended,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ThematicReminders {
    Table,
    NominationId,
    Kind,
    SentAt,
}

#[derive(DeriveIden)]
enum ThematicKloeVersions {
    Table,
    Id,
    EventId,
    Version,
    ShareOn,
    SharedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ThematicKloes {
    Table,
    VersionId,
    Position,
    Question,
    Themes,
}

#[derive(DeriveIden)]
enum ThematicOverviews {
    Table,
    EventId,
    Text,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ThematicEvents::Table)
                    .if_not_exists()
                    .col(uuid(ThematicEvents::Id).primary_key())
                    .col(string(ThematicEvents::Title))
                    .col(string(ThematicEvents::Theme))
                    .col(text(ThematicEvents::Topic))
                    .col(date(ThematicEvents::EventDate))
                    // "HH:MM", UK local time on the event's date.
                    .col(string(ThematicEvents::StartsAt))
                    .col(string(ThematicEvents::EndsAt))
                    .col(string(ThematicEvents::Format))
                    .col(string_null(ThematicEvents::Venue))
                    .col(text_null(ThematicEvents::Address))
                    .col(text_null(ThematicEvents::Accessibility))
                    .col(text_null(ThematicEvents::JoiningLink))
                    .col(string(ThematicEvents::Facilitator))
                    .col(integer(ThematicEvents::Capacity))
                    .col(date(ThematicEvents::NominationsClose))
                    .col(date(ThematicEvents::ReturnsDue))
                    .col(string(ThematicEvents::State))
                    .col(timestamp_with_time_zone(ThematicEvents::CreatedAt))
                    .col(timestamp_with_time_zone(ThematicEvents::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ThematicEvents::Table, ThematicEvents::Id)
                            .to(ProgrammeActivities::Table, ProgrammeActivities::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ThematicNominations::Table)
                    .if_not_exists()
                    .col(uuid(ThematicNominations::Id).primary_key())
                    .col(uuid(ThematicNominations::EventId))
                    .col(string(ThematicNominations::AuthoritySlug))
                    .col(string(ThematicNominations::Name))
                    .col(string(ThematicNominations::Role))
                    .col(string(ThematicNominations::Organisation))
                    // Lower case, so the same person is found however they were typed.
                    .col(string(ThematicNominations::Email))
                    .col(boolean(ThematicNominations::Deputy))
                    .col(boolean_null(ThematicNominations::Attended))
                    .col(timestamp_with_time_zone(ThematicNominations::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ThematicNominations::Table, ThematicNominations::EventId)
                            .to(ThematicEvents::Table, ThematicEvents::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // Nobody is named twice to one event, whichever area names them.
        manager
            .create_index(
                Index::create()
                    .name("thematic_nominations_once")
                    .table(ThematicNominations::Table)
                    .col(ThematicNominations::EventId)
                    .col(ThematicNominations::Email)
                    .unique()
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ThematicReminders::Table)
                    .if_not_exists()
                    .col(uuid(ThematicReminders::NominationId))
                    .col(string(ThematicReminders::Kind))
                    .col(timestamp_with_time_zone(ThematicReminders::SentAt))
                    .primary_key(
                        Index::create()
                            .col(ThematicReminders::NominationId)
                            .col(ThematicReminders::Kind),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ThematicReminders::Table, ThematicReminders::NominationId)
                            .to(ThematicNominations::Table, ThematicNominations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ThematicKloeVersions::Table)
                    .if_not_exists()
                    .col(uuid(ThematicKloeVersions::Id).primary_key())
                    .col(uuid(ThematicKloeVersions::EventId))
                    .col(integer(ThematicKloeVersions::Version))
                    // Not sent before this date.
                    .col(date(ThematicKloeVersions::ShareOn))
                    .col(timestamp_with_time_zone_null(
                        ThematicKloeVersions::SharedAt,
                    ))
                    .col(timestamp_with_time_zone(ThematicKloeVersions::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ThematicKloeVersions::Table, ThematicKloeVersions::EventId)
                            .to(ThematicEvents::Table, ThematicEvents::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("thematic_kloe_versions_once")
                    .table(ThematicKloeVersions::Table)
                    .col(ThematicKloeVersions::EventId)
                    .col(ThematicKloeVersions::Version)
                    .unique()
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ThematicKloes::Table)
                    .if_not_exists()
                    .col(uuid(ThematicKloes::VersionId))
                    .col(integer(ThematicKloes::Position))
                    .col(text(ThematicKloes::Question))
                    // Theme codes, comma-separated: codes hold no comma.
                    .col(string(ThematicKloes::Themes))
                    .primary_key(
                        Index::create()
                            .col(ThematicKloes::VersionId)
                            .col(ThematicKloes::Position),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ThematicKloes::Table, ThematicKloes::VersionId)
                            .to(ThematicKloeVersions::Table, ThematicKloeVersions::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // The co-ordinator's overview of emerging themes and next steps, one per event.
        manager
            .create_table(
                Table::create()
                    .table(ThematicOverviews::Table)
                    .if_not_exists()
                    .col(uuid(ThematicOverviews::EventId).primary_key())
                    .col(text(ThematicOverviews::Text))
                    .col(timestamp_with_time_zone(ThematicOverviews::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ThematicOverviews::Table, ThematicOverviews::EventId)
                            .to(ThematicEvents::Table, ThematicEvents::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ThematicOverviews::Table.into_iden(),
            ThematicKloes::Table.into_iden(),
            ThematicKloeVersions::Table.into_iden(),
            ThematicReminders::Table.into_iden(),
            ThematicNominations::Table.into_iden(),
            ThematicEvents::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
