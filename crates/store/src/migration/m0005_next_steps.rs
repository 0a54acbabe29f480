//! Next steps: each area's actions from a challenge's recommendations, their dated progress
//! notes, a history row for every change (the board's drill-down and progress-over-time chart
//! read it), and the reminders already sent, so each is sent once.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Challenges {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Actions {
    Table,
    Id,
    ChallengeId,
    AuthoritySlug,
    Reference,
    Answers,
    Theme,
    Action,
    Owner,
    Partners,
    StartDate,
    DueDate,
    Milestones,
    Baseline,
    Target,
    Rag,
    Impact,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ActionProgress {
    Table,
    Id,
    ActionId,
    NotedOn,
    Text,
}

#[derive(DeriveIden)]
enum ActionHistory {
    Table,
    Id,
    ActionId,
    At,
    ByName,
    Rag,
    DueDate,
    Summary,
}

#[derive(DeriveIden)]
enum ActionReminders {
    Table,
    ActionId,
    Kind,
    Occasion,
    SentAt,
}

fn cascade(
    table: impl IntoIden,
    column: impl IntoIden,
    parent: impl IntoIden,
    id: impl IntoIden,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, column)
        .to(parent, id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Actions::Table)
                    .if_not_exists()
                    .col(uuid(Actions::Id).primary_key())
                    .col(uuid(Actions::ChallengeId))
                    .col(string(Actions::AuthoritySlug))
                    .col(string(Actions::Reference))
                    .col(text(Actions::Answers))
                    .col(string(Actions::Theme))
                    .col(text(Actions::Action))
                    .col(string(Actions::Owner))
                    .col(string(Actions::Partners))
                    .col(date(Actions::StartDate))
                    .col(date(Actions::DueDate))
                    .col(text(Actions::Milestones))
                    .col(string(Actions::Baseline))
                    .col(string(Actions::Target))
                    .col(string(Actions::Rag))
                    .col(text(Actions::Impact))
                    .col(timestamp_with_time_zone(Actions::CreatedAt))
                    .col(timestamp_with_time_zone(Actions::UpdatedAt))
                    .foreign_key(&mut cascade(
                        Actions::Table,
                        Actions::ChallengeId,
                        Challenges::Table,
                        Challenges::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        // A plan's references are its own: two actions of one challenge never share one.
        manager
            .create_index(
                Index::create()
                    .name("actions_reference")
                    .table(Actions::Table)
                    .col(Actions::ChallengeId)
                    .col(Actions::Reference)
                    .unique()
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("actions_authority")
                    .table(Actions::Table)
                    .col(Actions::AuthoritySlug)
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ActionProgress::Table)
                    .if_not_exists()
                    .col(uuid(ActionProgress::Id).primary_key())
                    .col(uuid(ActionProgress::ActionId))
                    .col(date(ActionProgress::NotedOn))
                    .col(text(ActionProgress::Text))
                    .foreign_key(&mut cascade(
                        ActionProgress::Table,
                        ActionProgress::ActionId,
                        Actions::Table,
                        Actions::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ActionHistory::Table)
                    .if_not_exists()
                    .col(uuid(ActionHistory::Id).primary_key())
                    .col(uuid(ActionHistory::ActionId))
                    .col(timestamp_with_time_zone(ActionHistory::At))
                    .col(string(ActionHistory::ByName))
                    .col(string(ActionHistory::Rag))
                    .col(date(ActionHistory::DueDate))
                    .col(text(ActionHistory::Summary))
                    .foreign_key(&mut cascade(
                        ActionHistory::Table,
                        ActionHistory::ActionId,
                        Actions::Table,
                        Actions::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ActionReminders::Table)
                    .if_not_exists()
                    .col(uuid(ActionReminders::ActionId))
                    .col(string(ActionReminders::Kind))
                    // What the reminder was about (a due date, a month without update), so
                    // a changed due date earns a new reminder and the same one never repeats.
                    .col(string(ActionReminders::Occasion))
                    .col(timestamp_with_time_zone(ActionReminders::SentAt))
                    .primary_key(
                        Index::create()
                            .col(ActionReminders::ActionId)
                            .col(ActionReminders::Kind)
                            .col(ActionReminders::Occasion),
                    )
                    .foreign_key(&mut cascade(
                        ActionReminders::Table,
                        ActionReminders::ActionId,
                        Actions::Table,
                        Actions::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ActionReminders::Table.into_iden(),
            ActionHistory::Table.into_iden(),
            ActionProgress::Table.into_iden(),
            Actions::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
