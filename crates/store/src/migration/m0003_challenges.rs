//! One-day and two-day peer challenges: the request and its state, KLOE versions, the
//! timeline of moves, visit days and seats, the team with its invitations, the visit
//! timetable, the case sample (pseudonymous references only) and the pre-reading.

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
enum LocalAuthorities {
    Table,
    Slug,
}

#[derive(DeriveIden)]
enum PoolMembers {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Challenges {
    Table,
    Id,
    Reference,
    AuthoritySlug,
    Kind,
    Format,
    Partners,
    Windows,
    Focus,
    State,
    CancelReason,
    KloesAgreedAt,
    KloesAgreedBy,
    Proposal,
    RequestedBy,
    RequestedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ChallengeKloeVersions {
    Table,
    ChallengeId,
    Version,
    Kloes,
    EditedBy,
    EditedByName,
    EditedAt,
}

#[derive(DeriveIden)]
enum ChallengeEvents {
    Table,
    Id,
    ChallengeId,
    FromState,
    ToState,
    ActorName,
    Note,
    At,
}

#[derive(DeriveIden)]
enum ChallengeVisitDays {
    Table,
    ChallengeId,
    Day,
}

#[derive(DeriveIden)]
enum ChallengeSeats {
    Table,
    ChallengeId,
    Role,
    Count,
    Shadowing,
}

#[derive(DeriveIden)]
enum TeamMembers {
    Table,
    Id,
    ChallengeId,
    MemberId,
    SeatRole,
    Shadowing,
    Status,
    Reasons,
    InvitedAt,
    RespondedAt,
    ConflictDetails,
    DeclineReason,
    ConfidentialityAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Activities {
    Table,
    Id,
    ChallengeId,
    Day,
    Starts,
    Ends,
    Kind,
    Title,
    Place,
    Kloe,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ActivityReviewers {
    Table,
    ActivityId,
    TeamMemberId,
}

#[derive(DeriveIden)]
enum CaseSamples {
    Table,
    Id,
    ChallengeId,
    Reference,
    AgeBand,
    NeedType,
    SettingType,
    Notes,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ChallengeDocuments {
    Table,
    Id,
    ChallengeId,
    Kind,
    FileName,
    ContentType,
    SizeBytes,
    Content,
    UploadedBy,
    UploadedAt,
}

fn challenge_foreign_key(table: impl IntoIden, column: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, column)
        .to(Challenges::Table, Challenges::Id)
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
        create_challenges(manager).await?;
        create_team(manager).await?;
        create_timetable(manager).await?;
        create_cases_and_documents(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ChallengeDocuments::Table.into_iden(),
            CaseSamples::Table.into_iden(),
            ActivityReviewers::Table.into_iden(),
            Activities::Table.into_iden(),
            TeamMembers::Table.into_iden(),
            ChallengeSeats::Table.into_iden(),
            ChallengeVisitDays::Table.into_iden(),
            ChallengeEvents::Table.into_iden(),
            ChallengeKloeVersions::Table.into_iden(),
            Challenges::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}

async fn create_challenges(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Challenges::Table)
                .if_not_exists()
                .col(uuid(Challenges::Id).primary_key())
                .col(string_uniq(Challenges::Reference))
                .col(string(Challenges::AuthoritySlug))
                .col(string(Challenges::Kind))
                .col(string(Challenges::Format))
                .col(string(Challenges::Partners))
                .col(text(Challenges::Windows))
                .col(text(Challenges::Focus))
                .col(string(Challenges::State))
                .col(text_null(Challenges::CancelReason))
                .col(timestamp_with_time_zone_null(Challenges::KloesAgreedAt))
                .col(string_null(Challenges::KloesAgreedBy))
                .col(text_null(Challenges::Proposal))
                .col(uuid_null(Challenges::RequestedBy))
                .col(timestamp_with_time_zone(Challenges::RequestedAt))
                .col(timestamp_with_time_zone(Challenges::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Challenges::Table, Challenges::AuthoritySlug)
                        .to(LocalAuthorities::Table, LocalAuthorities::Slug),
                )
                .foreign_key(&mut user_foreign_key(
                    Challenges::Table,
                    Challenges::RequestedBy,
                ))
                .to_owned(),
        )
        .await?;
    index(
        manager,
        "challenges_state",
        Challenges::Table,
        vec![Challenges::State.into_iden()],
        false,
    )
    .await?;
    index(
        manager,
        "challenges_authority",
        Challenges::Table,
        vec![Challenges::AuthoritySlug.into_iden()],
        false,
    )
    .await?;
    manager
        .create_table(
            Table::create()
                .table(ChallengeKloeVersions::Table)
                .if_not_exists()
                .col(uuid(ChallengeKloeVersions::ChallengeId))
                .col(integer(ChallengeKloeVersions::Version))
                .col(text(ChallengeKloeVersions::Kloes))
                .col(uuid_null(ChallengeKloeVersions::EditedBy))
                .col(string(ChallengeKloeVersions::EditedByName))
                .col(timestamp_with_time_zone(ChallengeKloeVersions::EditedAt))
                .primary_key(
                    Index::create()
                        .col(ChallengeKloeVersions::ChallengeId)
                        .col(ChallengeKloeVersions::Version),
                )
                .foreign_key(&mut challenge_foreign_key(
                    ChallengeKloeVersions::Table,
                    ChallengeKloeVersions::ChallengeId,
                ))
                .foreign_key(&mut user_foreign_key(
                    ChallengeKloeVersions::Table,
                    ChallengeKloeVersions::EditedBy,
                ))
                .to_owned(),
        )
        .await?;
    manager
        .create_table(
            Table::create()
                .table(ChallengeEvents::Table)
                .if_not_exists()
                .col(uuid(ChallengeEvents::Id).primary_key())
                .col(uuid(ChallengeEvents::ChallengeId))
                .col(string_null(ChallengeEvents::FromState))
                .col(string(ChallengeEvents::ToState))
                .col(string(ChallengeEvents::ActorName))
                .col(text_null(ChallengeEvents::Note))
                .col(timestamp_with_time_zone(ChallengeEvents::At))
                .foreign_key(&mut challenge_foreign_key(
                    ChallengeEvents::Table,
                    ChallengeEvents::ChallengeId,
                ))
                .to_owned(),
        )
        .await?;
    index(
        manager,
        "challenge_events_challenge",
        ChallengeEvents::Table,
        vec![ChallengeEvents::ChallengeId.into_iden()],
        false,
    )
    .await?;
    manager
        .create_table(
            Table::create()
                .table(ChallengeVisitDays::Table)
                .if_not_exists()
                .col(uuid(ChallengeVisitDays::ChallengeId))
                .col(date(ChallengeVisitDays::Day))
                .primary_key(
                    Index::create()
                        .col(ChallengeVisitDays::ChallengeId)
                        .col(ChallengeVisitDays::Day),
                )
                .foreign_key(&mut challenge_foreign_key(
                    ChallengeVisitDays::Table,
                    ChallengeVisitDays::ChallengeId,
                ))
                .to_owned(),
        )
        .await?;
    index(
        manager,
        "challenge_visit_days_day",
        ChallengeVisitDays::Table,
        vec![ChallengeVisitDays::Day.into_iden()],
        false,
    )
    .await?;
    manager
        .create_table(
            Table::create()
                .table(ChallengeSeats::Table)
                .if_not_exists()
                .col(uuid(ChallengeSeats::ChallengeId))
                .col(string(ChallengeSeats::Role))
                .col(integer(ChallengeSeats::Count))
                .col(integer(ChallengeSeats::Shadowing))
                .primary_key(
                    Index::create()
                        .col(ChallengeSeats::ChallengeId)
                        .col(ChallengeSeats::Role),
                )
                .foreign_key(&mut challenge_foreign_key(
                    ChallengeSeats::Table,
                    ChallengeSeats::ChallengeId,
                ))
                .to_owned(),
        )
        .await
}

async fn create_team(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(TeamMembers::Table)
                .if_not_exists()
                .col(uuid(TeamMembers::Id).primary_key())
                .col(uuid(TeamMembers::ChallengeId))
                .col(uuid(TeamMembers::MemberId))
                .col(string(TeamMembers::SeatRole))
                .col(boolean(TeamMembers::Shadowing))
                .col(string(TeamMembers::Status))
                .col(text(TeamMembers::Reasons))
                .col(timestamp_with_time_zone_null(TeamMembers::InvitedAt))
                .col(timestamp_with_time_zone_null(TeamMembers::RespondedAt))
                .col(text_null(TeamMembers::ConflictDetails))
                .col(text_null(TeamMembers::DeclineReason))
                .col(timestamp_with_time_zone_null(
                    TeamMembers::ConfidentialityAt,
                ))
                .col(timestamp_with_time_zone(TeamMembers::CreatedAt))
                .foreign_key(&mut challenge_foreign_key(
                    TeamMembers::Table,
                    TeamMembers::ChallengeId,
                ))
                .foreign_key(
                    ForeignKey::create()
                        .from(TeamMembers::Table, TeamMembers::MemberId)
                        .to(PoolMembers::Table, PoolMembers::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
    index(
        manager,
        "team_members_challenge",
        TeamMembers::Table,
        vec![TeamMembers::ChallengeId.into_iden()],
        false,
    )
    .await?;
    index(
        manager,
        "team_members_member",
        TeamMembers::Table,
        vec![TeamMembers::MemberId.into_iden()],
        false,
    )
    .await
}

async fn create_timetable(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Activities::Table)
                .if_not_exists()
                .col(uuid(Activities::Id).primary_key())
                .col(uuid(Activities::ChallengeId))
                .col(date(Activities::Day))
                .col(string(Activities::Starts))
                .col(string(Activities::Ends))
                .col(string(Activities::Kind))
                .col(string(Activities::Title))
                .col(text(Activities::Place))
                .col(integer_null(Activities::Kloe))
                .col(timestamp_with_time_zone(Activities::UpdatedAt))
                .foreign_key(&mut challenge_foreign_key(
                    Activities::Table,
                    Activities::ChallengeId,
                ))
                .to_owned(),
        )
        .await?;
    index(
        manager,
        "activities_challenge",
        Activities::Table,
        vec![Activities::ChallengeId.into_iden()],
        false,
    )
    .await?;
    manager
        .create_table(
            Table::create()
                .table(ActivityReviewers::Table)
                .if_not_exists()
                .col(uuid(ActivityReviewers::ActivityId))
                .col(uuid(ActivityReviewers::TeamMemberId))
                .primary_key(
                    Index::create()
                        .col(ActivityReviewers::ActivityId)
                        .col(ActivityReviewers::TeamMemberId),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(ActivityReviewers::Table, ActivityReviewers::ActivityId)
                        .to(Activities::Table, Activities::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(ActivityReviewers::Table, ActivityReviewers::TeamMemberId)
                        .to(TeamMembers::Table, TeamMembers::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await
}

async fn create_cases_and_documents(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(CaseSamples::Table)
                .if_not_exists()
                .col(uuid(CaseSamples::Id).primary_key())
                .col(uuid(CaseSamples::ChallengeId))
                .col(string(CaseSamples::Reference))
                .col(string(CaseSamples::AgeBand))
                .col(string(CaseSamples::NeedType))
                .col(string(CaseSamples::SettingType))
                .col(text(CaseSamples::Notes))
                .col(timestamp_with_time_zone(CaseSamples::CreatedAt))
                .foreign_key(&mut challenge_foreign_key(
                    CaseSamples::Table,
                    CaseSamples::ChallengeId,
                ))
                .to_owned(),
        )
        .await?;
    index(
        manager,
        "case_samples_reference",
        CaseSamples::Table,
        vec![
            CaseSamples::ChallengeId.into_iden(),
            CaseSamples::Reference.into_iden(),
        ],
        true,
    )
    .await?;
    manager
        .create_table(
            Table::create()
                .table(ChallengeDocuments::Table)
                .if_not_exists()
                .col(uuid(ChallengeDocuments::Id).primary_key())
                .col(uuid(ChallengeDocuments::ChallengeId))
                .col(string(ChallengeDocuments::Kind))
                .col(string(ChallengeDocuments::FileName))
                .col(string(ChallengeDocuments::ContentType))
                .col(big_integer(ChallengeDocuments::SizeBytes))
                .col(blob(ChallengeDocuments::Content))
                .col(uuid_null(ChallengeDocuments::UploadedBy))
                .col(timestamp_with_time_zone(ChallengeDocuments::UploadedAt))
                .foreign_key(&mut challenge_foreign_key(
                    ChallengeDocuments::Table,
                    ChallengeDocuments::ChallengeId,
                ))
                .foreign_key(&mut user_foreign_key(
                    ChallengeDocuments::Table,
                    ChallengeDocuments::UploadedBy,
                ))
                .to_owned(),
        )
        .await?;
    index(
        manager,
        "challenge_documents_challenge",
        ChallengeDocuments::Table,
        vec![ChallengeDocuments::ChallengeId.into_iden()],
        false,
    )
    .await
}
