//! The programme model: every programme activity (a challenge today; thematic events,
//! biennial and annual cycles next) belongs to a region and involves areas, and next steps
//! belong to an area and an activity instead of a challenge. The four next-steps tables of
//! m0005 are copied whole into their new shape (a challenge's activity has the challenge's
//! id, so every action keeps its id, history, progress and reminders) and the old ones dropped.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Challenges {
    Table,
    Id,
    Reference,
    AuthoritySlug,
    RequestedAt,
}

#[derive(DeriveIden)]
enum LocalAuthorities {
    Table,
    Slug,
    RegionSlug,
}

#[derive(DeriveIden)]
enum Regions {
    Table,
    Slug,
}

#[derive(DeriveIden)]
enum ProgrammeActivities {
    Table,
    Id,
    Programme,
    RegionSlug,
    Title,
    ChallengeId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ProgrammeActivityAreas {
    Table,
    ActivityId,
    AuthoritySlug,
}

/// The columns an action keeps, in both its old (m0005) and new shape.
#[derive(DeriveIden, Clone, Copy)]
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
enum NextSteps {
    Table,
    ActivityId,
}

#[derive(DeriveIden, Clone, Copy)]
enum ActionProgress {
    Table,
    Id,
    ActionId,
    NotedOn,
    Text,
}

#[derive(DeriveIden, Clone, Copy)]
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

#[derive(DeriveIden, Clone, Copy)]
enum ActionReminders {
    Table,
    ActionId,
    Kind,
    Occasion,
    SentAt,
}

#[derive(DeriveIden)]
enum NextStepProgress {
    Table,
}

#[derive(DeriveIden)]
enum NextStepHistory {
    Table,
}

#[derive(DeriveIden)]
enum NextStepReminders {
    Table,
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

/// Copy every row of `from` into `to`, column for column.
async fn copy_rows<C: IntoIden + Copy>(
    manager: &SchemaManager<'_>,
    from: impl IntoIden,
    to: impl IntoIden,
    columns: &[C],
) -> Result<(), DbErr> {
    let insert = Query::insert()
        .into_table(to)
        .columns(columns.iter().copied())
        .select_from(
            Query::select()
                .columns(columns.iter().copied())
                .from(from)
                .to_owned(),
        )
        .map_err(|error| DbErr::Migration(error.to_string()))?
        .to_owned();
    manager.exec_stmt(insert).await
}

const ACTION_COLUMNS: [Actions; 16] = [
    Actions::AuthoritySlug,
    Actions::Reference,
    Actions::Answers,
    Actions::Theme,
    Actions::Action,
    Actions::Owner,
    Actions::Partners,
    Actions::StartDate,
    Actions::DueDate,
    Actions::Milestones,
    Actions::Baseline,
    Actions::Target,
    Actions::Rag,
    Actions::Impact,
    Actions::CreatedAt,
    Actions::UpdatedAt,
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ProgrammeActivities::Table)
                    .if_not_exists()
                    .col(uuid(ProgrammeActivities::Id).primary_key())
                    .col(string(ProgrammeActivities::Programme))
                    .col(string(ProgrammeActivities::RegionSlug))
                    .col(string(ProgrammeActivities::Title))
                    // Set for a challenge's activity (and equal to its id); a challenge
                    // removed takes its activity and next steps with it, as before.
                    .col(uuid_null(ProgrammeActivities::ChallengeId).unique_key())
                    .col(timestamp_with_time_zone(ProgrammeActivities::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ProgrammeActivities::Table, ProgrammeActivities::RegionSlug)
                            .to(Regions::Table, Regions::Slug),
                    )
                    .foreign_key(&mut cascade(
                        ProgrammeActivities::Table,
                        ProgrammeActivities::ChallengeId,
                        Challenges::Table,
                        Challenges::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ProgrammeActivityAreas::Table)
                    .if_not_exists()
                    .col(uuid(ProgrammeActivityAreas::ActivityId))
                    .col(string(ProgrammeActivityAreas::AuthoritySlug))
                    .primary_key(
                        Index::create()
                            .col(ProgrammeActivityAreas::ActivityId)
                            .col(ProgrammeActivityAreas::AuthoritySlug),
                    )
                    .foreign_key(&mut cascade(
                        ProgrammeActivityAreas::Table,
                        ProgrammeActivityAreas::ActivityId,
                        ProgrammeActivities::Table,
                        ProgrammeActivities::Id,
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                ProgrammeActivityAreas::Table,
                                ProgrammeActivityAreas::AuthoritySlug,
                            )
                            .to(LocalAuthorities::Table, LocalAuthorities::Slug),
                    )
                    .to_owned(),
            )
            .await?;

        // Every challenge is an activity of the challenge programme, in its host's region,
        // involving its host area.
        let activities = Query::insert()
            .into_table(ProgrammeActivities::Table)
            .columns([
                ProgrammeActivities::Id,
                ProgrammeActivities::Programme,
                ProgrammeActivities::RegionSlug,
                ProgrammeActivities::Title,
                ProgrammeActivities::ChallengeId,
                ProgrammeActivities::CreatedAt,
            ])
            .select_from(
                Query::select()
                    .column((Challenges::Table, Challenges::Id))
                    .expr(Expr::val("challenge"))
                    .column((LocalAuthorities::Table, LocalAuthorities::RegionSlug))
                    .column((Challenges::Table, Challenges::Reference))
                    .column((Challenges::Table, Challenges::Id))
                    .column((Challenges::Table, Challenges::RequestedAt))
                    .from(Challenges::Table)
                    .inner_join(
                        LocalAuthorities::Table,
                        Expr::col((LocalAuthorities::Table, LocalAuthorities::Slug))
                            .equals((Challenges::Table, Challenges::AuthoritySlug)),
                    )
                    .to_owned(),
            )
            .map_err(|error| DbErr::Migration(error.to_string()))?
            .to_owned();
        manager.exec_stmt(activities).await?;
        let areas = Query::insert()
            .into_table(ProgrammeActivityAreas::Table)
            .columns([
                ProgrammeActivityAreas::ActivityId,
                ProgrammeActivityAreas::AuthoritySlug,
            ])
            .select_from(
                Query::select()
                    .columns([Challenges::Id, Challenges::AuthoritySlug])
                    .from(Challenges::Table)
                    .to_owned(),
            )
            .map_err(|error| DbErr::Migration(error.to_string()))?
            .to_owned();
        manager.exec_stmt(areas).await?;

        // The next steps in their new shape: the same columns, the activity for the challenge.
        let mut next_steps = Table::create();
        next_steps
            .table(NextSteps::Table)
            .if_not_exists()
            .col(uuid(Actions::Id).primary_key())
            .col(uuid(NextSteps::ActivityId))
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
                NextSteps::Table,
                NextSteps::ActivityId,
                ProgrammeActivities::Table,
                ProgrammeActivities::Id,
            ));
        manager.create_table(next_steps.to_owned()).await?;
        // An area's references are its own within an activity.
        manager
            .create_index(
                Index::create()
                    .name("next_steps_reference")
                    .table(NextSteps::Table)
                    .col(NextSteps::ActivityId)
                    .col(Actions::AuthoritySlug)
                    .col(Actions::Reference)
                    .unique()
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("next_steps_authority")
                    .table(NextSteps::Table)
                    .col(Actions::AuthoritySlug)
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(NextStepProgress::Table)
                    .if_not_exists()
                    .col(uuid(ActionProgress::Id).primary_key())
                    .col(uuid(ActionProgress::ActionId))
                    .col(date(ActionProgress::NotedOn))
                    .col(text(ActionProgress::Text))
                    .foreign_key(&mut cascade(
                        NextStepProgress::Table,
                        ActionProgress::ActionId,
                        NextSteps::Table,
                        Actions::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(NextStepHistory::Table)
                    .if_not_exists()
                    .col(uuid(ActionHistory::Id).primary_key())
                    .col(uuid(ActionHistory::ActionId))
                    .col(timestamp_with_time_zone(ActionHistory::At))
                    .col(string(ActionHistory::ByName))
                    .col(string(ActionHistory::Rag))
                    .col(date(ActionHistory::DueDate))
                    .col(text(ActionHistory::Summary))
                    .foreign_key(&mut cascade(
                        NextStepHistory::Table,
                        ActionHistory::ActionId,
                        NextSteps::Table,
                        Actions::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(NextStepReminders::Table)
                    .if_not_exists()
                    .col(uuid(ActionReminders::ActionId))
                    .col(string(ActionReminders::Kind))
                    .col(string(ActionReminders::Occasion))
                    .col(timestamp_with_time_zone(ActionReminders::SentAt))
                    .primary_key(
                        Index::create()
                            .col(ActionReminders::ActionId)
                            .col(ActionReminders::Kind)
                            .col(ActionReminders::Occasion),
                    )
                    .foreign_key(&mut cascade(
                        NextStepReminders::Table,
                        ActionReminders::ActionId,
                        NextSteps::Table,
                        Actions::Id,
                    ))
                    .to_owned(),
            )
            .await?;

        // Copy: the action's activity is its challenge's (the same id).
        let insert = Query::insert()
            .into_table(NextSteps::Table)
            .columns(
                [Alias::new("id"), Alias::new("activity_id")]
                    .into_iter()
                    .chain(ACTION_COLUMNS.iter().map(|c| Alias::new(c.to_string()))),
            )
            .select_from(
                Query::select()
                    .columns([Actions::Id, Actions::ChallengeId])
                    .columns(ACTION_COLUMNS)
                    .from(Actions::Table)
                    .to_owned(),
            )
            .map_err(|error| DbErr::Migration(error.to_string()))?
            .to_owned();
        manager.exec_stmt(insert).await?;
        copy_rows(
            manager,
            ActionProgress::Table,
            NextStepProgress::Table,
            &[
                ActionProgress::Id,
                ActionProgress::ActionId,
                ActionProgress::NotedOn,
                ActionProgress::Text,
            ],
        )
        .await?;
        copy_rows(
            manager,
            ActionHistory::Table,
            NextStepHistory::Table,
            &[
                ActionHistory::Id,
                ActionHistory::ActionId,
                ActionHistory::At,
                ActionHistory::ByName,
                ActionHistory::Rag,
                ActionHistory::DueDate,
                ActionHistory::Summary,
            ],
        )
        .await?;
        copy_rows(
            manager,
            ActionReminders::Table,
            NextStepReminders::Table,
            &[
                ActionReminders::ActionId,
                ActionReminders::Kind,
                ActionReminders::Occasion,
                ActionReminders::SentAt,
            ],
        )
        .await?;
        for table in [
            ActionReminders::Table.into_iden(),
            ActionHistory::Table.into_iden(),
            ActionProgress::Table.into_iden(),
            Actions::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        // Next steps of other programmes have no challenge to go back to.
        Err(DbErr::Migration(
            "the programme model cannot be undone: restore a backup instead".to_owned(),
        ))
    }
}
