//! The reviewer pool: members with their expertise, unavailable dates, declared conflicts
//! and where they can travel; applications and their drafts; training sessions and places;
//! and a general rate-limit counter for public forms.

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
enum SendThemes {
    Table,
    Code,
}

#[derive(DeriveIden)]
enum PoolMembers {
    Table,
    Id,
    UserId,
    Name,
    Email,
    Phone,
    ReviewerType,
    Organisation,
    HomeAuthoritySlug,
    OutsideRegion,
    Experience,
    Adjustments,
    NeedsTraining,
    TrainedOn,
    OnlineOnly,
    MaxPerYear,
    Status,
    JoinedAt,
    LeftAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PoolMemberExpertise {
    Table,
    MemberId,
    ThemeCode,
    Level,
}

#[derive(DeriveIden)]
enum PoolMemberUnavailability {
    Table,
    Id,
    MemberId,
    StartsOn,
    EndsOn,
}

#[derive(DeriveIden)]
enum PoolMemberConflicts {
    Table,
    MemberId,
    AuthoritySlug,
    Reason,
}

#[derive(DeriveIden)]
enum PoolMemberTravel {
    Table,
    MemberId,
    AuthoritySlug,
}

#[derive(DeriveIden)]
enum ReviewerApplications {
    Table,
    Id,
    Reference,
    Email,
    Status,
    Answers,
    SubmittedAt,
    UpdatedAt,
    DecidedAt,
    DecidedBy,
    DecisionNote,
    MemberId,
    ConsentTokenHash,
    ConsentConfirmedAt,
    ReopenTokenHash,
}

#[derive(DeriveIden)]
enum ApplicationDrafts {
    Table,
    BrowserKeyHash,
    Answers,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum TrainingSessions {
    Table,
    Id,
    Title,
    StartsAt,
    EndsAt,
    Venue,
    OnlineLink,
    Capacity,
    Trainer,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum TrainingPlaces {
    Table,
    SessionId,
    MemberId,
    Status,
    InvitedAt,
    RecordedAt,
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum OutboxAttachments {
    Table,
    OutboxId,
    Position,
    FileName,
    ContentType,
    Content,
}

#[derive(DeriveIden)]
enum RateLimits {
    Table,
    Key,
    WindowStartedAt,
    Count,
}

fn member_foreign_key(table: impl IntoIden, column: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, column)
        .to(PoolMembers::Table, PoolMembers::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

fn authority_foreign_key(table: impl IntoIden, column: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, column)
        .to(LocalAuthorities::Table, LocalAuthorities::Slug)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_members(manager).await?;
        create_member_details(manager).await?;
        create_applications(manager).await?;
        create_training(manager).await?;
        create_outbox_attachments(manager).await?;
        manager
            .create_table(
                Table::create()
                    .table(RateLimits::Table)
                    .if_not_exists()
                    .col(string(RateLimits::Key).primary_key())
                    .col(timestamp_with_time_zone(RateLimits::WindowStartedAt))
                    .col(integer(RateLimits::Count))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            OutboxAttachments::Table.into_iden(),
            RateLimits::Table.into_iden(),
            TrainingPlaces::Table.into_iden(),
            TrainingSessions::Table.into_iden(),
            ApplicationDrafts::Table.into_iden(),
            ReviewerApplications::Table.into_iden(),
            PoolMemberTravel::Table.into_iden(),
            PoolMemberConflicts::Table.into_iden(),
            PoolMemberUnavailability::Table.into_iden(),
            PoolMemberExpertise::Table.into_iden(),
            PoolMembers::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}

async fn create_members(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(PoolMembers::Table)
                .if_not_exists()
                .col(uuid(PoolMembers::Id).primary_key())
                .col(uuid_null(PoolMembers::UserId))
                .col(string(PoolMembers::Name))
                .col(string_uniq(PoolMembers::Email))
                .col(string_null(PoolMembers::Phone))
                .col(string(PoolMembers::ReviewerType))
                .col(string(PoolMembers::Organisation))
                .col(string_null(PoolMembers::HomeAuthoritySlug))
                .col(string_null(PoolMembers::OutsideRegion))
                .col(text(PoolMembers::Experience))
                .col(text(PoolMembers::Adjustments))
                .col(boolean(PoolMembers::NeedsTraining))
                .col(date_null(PoolMembers::TrainedOn))
                .col(boolean(PoolMembers::OnlineOnly))
                .col(integer(PoolMembers::MaxPerYear))
                .col(string(PoolMembers::Status))
                .col(timestamp_with_time_zone(PoolMembers::JoinedAt))
                .col(timestamp_with_time_zone_null(PoolMembers::LeftAt))
                .col(timestamp_with_time_zone(PoolMembers::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(PoolMembers::Table, PoolMembers::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .foreign_key(&mut authority_foreign_key(
                    PoolMembers::Table,
                    PoolMembers::HomeAuthoritySlug,
                ))
                .to_owned(),
        )
        .await?;
    for (name, column) in [
        ("pool_members_status", PoolMembers::Status),
        ("pool_members_type", PoolMembers::ReviewerType),
        ("pool_members_home", PoolMembers::HomeAuthoritySlug),
    ] {
        manager
            .create_index(
                Index::create()
                    .name(name)
                    .table(PoolMembers::Table)
                    .col(column)
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
    }
    Ok(())
}

async fn create_member_details(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(PoolMemberExpertise::Table)
                .if_not_exists()
                .col(uuid(PoolMemberExpertise::MemberId))
                .col(string(PoolMemberExpertise::ThemeCode))
                .col(string(PoolMemberExpertise::Level))
                .primary_key(
                    Index::create()
                        .col(PoolMemberExpertise::MemberId)
                        .col(PoolMemberExpertise::ThemeCode),
                )
                .foreign_key(&mut member_foreign_key(
                    PoolMemberExpertise::Table,
                    PoolMemberExpertise::MemberId,
                ))
                .foreign_key(
                    ForeignKey::create()
                        .from(PoolMemberExpertise::Table, PoolMemberExpertise::ThemeCode)
                        .to(SendThemes::Table, SendThemes::Code),
                )
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name("pool_member_expertise_theme")
                .table(PoolMemberExpertise::Table)
                .col(PoolMemberExpertise::ThemeCode)
                .col(PoolMemberExpertise::Level)
                .if_not_exists()
                .to_owned(),
        )
        .await?;
    manager
        .create_table(
            Table::create()
                .table(PoolMemberUnavailability::Table)
                .if_not_exists()
                .col(uuid(PoolMemberUnavailability::Id).primary_key())
                .col(uuid(PoolMemberUnavailability::MemberId))
                .col(date(PoolMemberUnavailability::StartsOn))
                .col(date(PoolMemberUnavailability::EndsOn))
                .foreign_key(&mut member_foreign_key(
                    PoolMemberUnavailability::Table,
                    PoolMemberUnavailability::MemberId,
                ))
                .to_owned(),
        )
        .await?;
    manager
        .create_table(
            Table::create()
                .table(PoolMemberConflicts::Table)
                .if_not_exists()
                .col(uuid(PoolMemberConflicts::MemberId))
                .col(string(PoolMemberConflicts::AuthoritySlug))
                .col(text(PoolMemberConflicts::Reason))
                .primary_key(
                    Index::create()
                        .col(PoolMemberConflicts::MemberId)
                        .col(PoolMemberConflicts::AuthoritySlug),
                )
                .foreign_key(&mut member_foreign_key(
                    PoolMemberConflicts::Table,
                    PoolMemberConflicts::MemberId,
                ))
                .foreign_key(&mut authority_foreign_key(
                    PoolMemberConflicts::Table,
                    PoolMemberConflicts::AuthoritySlug,
                ))
                .to_owned(),
        )
        .await?;
    manager
        .create_table(
            Table::create()
                .table(PoolMemberTravel::Table)
                .if_not_exists()
                .col(uuid(PoolMemberTravel::MemberId))
                .col(string(PoolMemberTravel::AuthoritySlug))
                .primary_key(
                    Index::create()
                        .col(PoolMemberTravel::MemberId)
                        .col(PoolMemberTravel::AuthoritySlug),
                )
                .foreign_key(&mut member_foreign_key(
                    PoolMemberTravel::Table,
                    PoolMemberTravel::MemberId,
                ))
                .foreign_key(&mut authority_foreign_key(
                    PoolMemberTravel::Table,
                    PoolMemberTravel::AuthoritySlug,
                ))
                .to_owned(),
        )
        .await
}

async fn create_applications(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(ReviewerApplications::Table)
                .if_not_exists()
                .col(uuid(ReviewerApplications::Id).primary_key())
                .col(string_uniq(ReviewerApplications::Reference))
                .col(string(ReviewerApplications::Email))
                .col(string(ReviewerApplications::Status))
                // The answers as validated JSON: an application is read whole, never searched.
                .col(text(ReviewerApplications::Answers))
                .col(timestamp_with_time_zone(ReviewerApplications::SubmittedAt))
                .col(timestamp_with_time_zone(ReviewerApplications::UpdatedAt))
                .col(timestamp_with_time_zone_null(
                    ReviewerApplications::DecidedAt,
                ))
                .col(uuid_null(ReviewerApplications::DecidedBy))
                .col(text_null(ReviewerApplications::DecisionNote))
                .col(uuid_null(ReviewerApplications::MemberId))
                .col(string_null(ReviewerApplications::ConsentTokenHash))
                .col(timestamp_with_time_zone_null(
                    ReviewerApplications::ConsentConfirmedAt,
                ))
                .col(string_null(ReviewerApplications::ReopenTokenHash))
                .foreign_key(
                    ForeignKey::create()
                        .from(ReviewerApplications::Table, ReviewerApplications::MemberId)
                        .to(PoolMembers::Table, PoolMembers::Id)
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name("reviewer_applications_email")
                .table(ReviewerApplications::Table)
                .col(ReviewerApplications::Email)
                .if_not_exists()
                .to_owned(),
        )
        .await?;
    manager
        .create_table(
            Table::create()
                .table(ApplicationDrafts::Table)
                .if_not_exists()
                .col(string(ApplicationDrafts::BrowserKeyHash).primary_key())
                .col(text(ApplicationDrafts::Answers))
                .col(timestamp_with_time_zone(ApplicationDrafts::UpdatedAt))
                .to_owned(),
        )
        .await
}

async fn create_training(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(TrainingSessions::Table)
                .if_not_exists()
                .col(uuid(TrainingSessions::Id).primary_key())
                .col(string(TrainingSessions::Title))
                .col(timestamp_with_time_zone(TrainingSessions::StartsAt))
                .col(timestamp_with_time_zone(TrainingSessions::EndsAt))
                .col(text_null(TrainingSessions::Venue))
                .col(string_null(TrainingSessions::OnlineLink))
                .col(integer(TrainingSessions::Capacity))
                .col(string(TrainingSessions::Trainer))
                .col(uuid_null(TrainingSessions::CreatedBy))
                .col(timestamp_with_time_zone(TrainingSessions::CreatedAt))
                .to_owned(),
        )
        .await?;
    manager
        .create_table(
            Table::create()
                .table(TrainingPlaces::Table)
                .if_not_exists()
                .col(uuid(TrainingPlaces::SessionId))
                .col(uuid(TrainingPlaces::MemberId))
                .col(string(TrainingPlaces::Status))
                .col(timestamp_with_time_zone(TrainingPlaces::InvitedAt))
                .col(timestamp_with_time_zone_null(TrainingPlaces::RecordedAt))
                .primary_key(
                    Index::create()
                        .col(TrainingPlaces::SessionId)
                        .col(TrainingPlaces::MemberId),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(TrainingPlaces::Table, TrainingPlaces::SessionId)
                        .to(TrainingSessions::Table, TrainingSessions::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(&mut member_foreign_key(
                    TrainingPlaces::Table,
                    TrainingPlaces::MemberId,
                ))
                .to_owned(),
        )
        .await
}

async fn create_outbox_attachments(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(OutboxAttachments::Table)
                .if_not_exists()
                .col(uuid(OutboxAttachments::OutboxId))
                .col(integer(OutboxAttachments::Position))
                .col(string(OutboxAttachments::FileName))
                .col(string(OutboxAttachments::ContentType))
                .col(blob(OutboxAttachments::Content))
                .primary_key(
                    Index::create()
                        .col(OutboxAttachments::OutboxId)
                        .col(OutboxAttachments::Position),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(OutboxAttachments::Table, OutboxAttachments::OutboxId)
                        .to(Outbox::Table, Outbox::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await
}
