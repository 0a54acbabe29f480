//! The foundation: reference data, accounts, sessions, sign-in throttling, the outbox, the
//! append-only audit log and the guidance document.

use sea_orm::DbBackend;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Regions {
    Table,
    Slug,
    Name,
}

#[derive(DeriveIden)]
enum NhsBoards {
    Table,
    Slug,
    Name,
}

#[derive(DeriveIden)]
enum LocalAuthorities {
    Table,
    Slug,
    Name,
    GssCode,
    DfeNumber,
    Kind,
    NhsBoardSlug,
    RegionSlug,
    ValidFrom,
    ValidTo,
    PredecessorSlug,
}

#[derive(DeriveIden)]
enum SendThemes {
    Table,
    Code,
    Label,
    FrameworkFamily,
    Position,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Email,
    Name,
    PasswordHash,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum RoleGrants {
    Table,
    Id,
    UserId,
    Role,
    AuthoritySlug,
    ScopeKey,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    TokenHash,
    UserId,
    CreatedAt,
    LastSeenAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum OneTimeTokens {
    Table,
    TokenHash,
    UserId,
    Purpose,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum SignInThrottle {
    Table,
    Key,
    ConsecutiveFailures,
    LastFailureAt,
    BlockedUntil,
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Id,
    Recipient,
    Subject,
    BodyText,
    CreatedAt,
    Status,
    Attempts,
    NextAttemptAt,
    ClaimedUntil,
    SentAt,
    LastError,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    At,
    ActorUserId,
    Action,
    ObjectKind,
    ObjectId,
    Summary,
}

#[derive(DeriveIden)]
enum GuidanceDocuments {
    Table,
    Id,
    Title,
    FileName,
    ContentType,
    SizeBytes,
    Content,
    UploadedBy,
    UploadedAt,
}

#[derive(DeriveIden)]
enum InstanceSecrets {
    Table,
    Name,
    Value,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_reference_tables(manager).await?;
        create_account_tables(manager).await?;
        create_operational_tables(manager).await?;
        make_audit_log_append_only(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            InstanceSecrets::Table.into_iden(),
            GuidanceDocuments::Table.into_iden(),
            AuditLog::Table.into_iden(),
            Outbox::Table.into_iden(),
            SignInThrottle::Table.into_iden(),
            OneTimeTokens::Table.into_iden(),
            Sessions::Table.into_iden(),
            RoleGrants::Table.into_iden(),
            Users::Table.into_iden(),
            SendThemes::Table.into_iden(),
            LocalAuthorities::Table.into_iden(),
            NhsBoards::Table.into_iden(),
            Regions::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}

async fn create_reference_tables(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Regions::Table)
                .if_not_exists()
                .col(string(Regions::Slug).primary_key())
                .col(string(Regions::Name))
                .to_owned(),
        )
        .await?;
    manager
        .create_table(
            Table::create()
                .table(NhsBoards::Table)
                .if_not_exists()
                .col(string(NhsBoards::Slug).primary_key())
                .col(string(NhsBoards::Name))
                .to_owned(),
        )
        .await?;
    manager
        .create_table(
            Table::create()
                .table(LocalAuthorities::Table)
                .if_not_exists()
                .col(string(LocalAuthorities::Slug).primary_key())
                .col(string(LocalAuthorities::Name))
                .col(string_uniq(LocalAuthorities::GssCode))
                .col(integer(LocalAuthorities::DfeNumber))
                .col(string(LocalAuthorities::Kind))
                .col(string(LocalAuthorities::NhsBoardSlug))
                .col(string(LocalAuthorities::RegionSlug))
                .col(date_null(LocalAuthorities::ValidFrom))
                .col(date_null(LocalAuthorities::ValidTo))
                .col(string_null(LocalAuthorities::PredecessorSlug))
                .foreign_key(
                    ForeignKey::create()
                        .from(LocalAuthorities::Table, LocalAuthorities::NhsBoardSlug)
                        .to(NhsBoards::Table, NhsBoards::Slug),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(LocalAuthorities::Table, LocalAuthorities::RegionSlug)
                        .to(Regions::Table, Regions::Slug),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(LocalAuthorities::Table, LocalAuthorities::PredecessorSlug)
                        .to(LocalAuthorities::Table, LocalAuthorities::Slug),
                )
                .to_owned(),
        )
        .await?;
    manager
        .create_table(
            Table::create()
                .table(SendThemes::Table)
                .if_not_exists()
                .col(string(SendThemes::Code).primary_key())
                .col(string(SendThemes::Label))
                .col(string(SendThemes::FrameworkFamily))
                .col(integer(SendThemes::Position))
                .to_owned(),
        )
        .await
}

async fn create_account_tables(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(Users::Table)
                .if_not_exists()
                .col(uuid(Users::Id).primary_key())
                .col(string_uniq(Users::Email))
                .col(string(Users::Name))
                .col(string_null(Users::PasswordHash))
                .col(timestamp_with_time_zone(Users::CreatedAt))
                .col(timestamp_with_time_zone(Users::UpdatedAt))
                .to_owned(),
        )
        .await?;
    manager
        .create_table(
            Table::create()
                .table(RoleGrants::Table)
                .if_not_exists()
                .col(uuid(RoleGrants::Id).primary_key())
                .col(uuid(RoleGrants::UserId))
                .col(string(RoleGrants::Role))
                .col(string_null(RoleGrants::AuthoritySlug))
                // The authority slug or "" : NULLs never collide in a unique index.
                .col(string(RoleGrants::ScopeKey))
                .col(timestamp_with_time_zone(RoleGrants::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(RoleGrants::Table, RoleGrants::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(RoleGrants::Table, RoleGrants::AuthoritySlug)
                        .to(LocalAuthorities::Table, LocalAuthorities::Slug),
                )
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name("role_grants_unique")
                .table(RoleGrants::Table)
                .col(RoleGrants::UserId)
                .col(RoleGrants::Role)
                .col(RoleGrants::ScopeKey)
                .unique()
                .if_not_exists()
                .to_owned(),
        )
        .await?;
    manager
        .create_table(
            Table::create()
                .table(Sessions::Table)
                .if_not_exists()
                .col(string(Sessions::TokenHash).primary_key())
                .col(uuid(Sessions::UserId))
                .col(timestamp_with_time_zone(Sessions::CreatedAt))
                .col(timestamp_with_time_zone(Sessions::LastSeenAt))
                .col(timestamp_with_time_zone(Sessions::ExpiresAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Sessions::Table, Sessions::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
    manager
        .create_table(
            Table::create()
                .table(OneTimeTokens::Table)
                .if_not_exists()
                .col(string(OneTimeTokens::TokenHash).primary_key())
                .col(uuid(OneTimeTokens::UserId))
                .col(string(OneTimeTokens::Purpose))
                .col(timestamp_with_time_zone(OneTimeTokens::CreatedAt))
                .col(timestamp_with_time_zone(OneTimeTokens::ExpiresAt))
                .col(timestamp_with_time_zone_null(OneTimeTokens::UsedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(OneTimeTokens::Table, OneTimeTokens::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await
}

async fn create_operational_tables(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table(SignInThrottle::Table)
                .if_not_exists()
                .col(string(SignInThrottle::Key).primary_key())
                .col(integer(SignInThrottle::ConsecutiveFailures))
                .col(timestamp_with_time_zone(SignInThrottle::LastFailureAt))
                .col(timestamp_with_time_zone_null(SignInThrottle::BlockedUntil))
                .to_owned(),
        )
        .await?;
    manager
        .create_table(
            Table::create()
                .table(Outbox::Table)
                .if_not_exists()
                .col(uuid(Outbox::Id).primary_key())
                .col(string(Outbox::Recipient))
                .col(string(Outbox::Subject))
                .col(text(Outbox::BodyText))
                .col(timestamp_with_time_zone(Outbox::CreatedAt))
                .col(string(Outbox::Status))
                .col(integer(Outbox::Attempts))
                .col(timestamp_with_time_zone(Outbox::NextAttemptAt))
                .col(timestamp_with_time_zone_null(Outbox::ClaimedUntil))
                .col(timestamp_with_time_zone_null(Outbox::SentAt))
                .col(text_null(Outbox::LastError))
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name("outbox_due")
                .table(Outbox::Table)
                .col(Outbox::Status)
                .col(Outbox::NextAttemptAt)
                .if_not_exists()
                .to_owned(),
        )
        .await?;
    manager
        .create_table(
            Table::create()
                .table(AuditLog::Table)
                .if_not_exists()
                .col(big_pk_auto(AuditLog::Id))
                .col(timestamp_with_time_zone(AuditLog::At))
                // No foreign key: the log outlives the accounts it mentions.
                .col(uuid_null(AuditLog::ActorUserId))
                .col(string(AuditLog::Action))
                .col(string(AuditLog::ObjectKind))
                .col(string(AuditLog::ObjectId))
                .col(text(AuditLog::Summary))
                .to_owned(),
        )
        .await?;
    manager
        .create_index(
            Index::create()
                .name("audit_log_at")
                .table(AuditLog::Table)
                .col(AuditLog::At)
                .if_not_exists()
                .to_owned(),
        )
        .await?;
    manager
        .create_table(
            Table::create()
                .table(GuidanceDocuments::Table)
                .if_not_exists()
                .col(uuid(GuidanceDocuments::Id).primary_key())
                .col(string(GuidanceDocuments::Title))
                .col(string(GuidanceDocuments::FileName))
                .col(string(GuidanceDocuments::ContentType))
                .col(big_integer(GuidanceDocuments::SizeBytes))
                .col(blob(GuidanceDocuments::Content))
                .col(uuid_null(GuidanceDocuments::UploadedBy))
                .col(timestamp_with_time_zone(GuidanceDocuments::UploadedAt))
                .to_owned(),
        )
        .await?;
    manager
        .create_table(
            Table::create()
                .table(InstanceSecrets::Table)
                .if_not_exists()
                .col(string(InstanceSecrets::Name).primary_key())
                .col(string(InstanceSecrets::Value))
                .col(timestamp_with_time_zone(InstanceSecrets::CreatedAt))
                .to_owned(),
        )
        .await
}

/// The audit log is append-only in the database itself, so no code path (and no hand-written
/// SQL in a console) can quietly rewrite history.
async fn make_audit_log_append_only(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let statements: &[&str] = match manager.get_database_backend() {
        DbBackend::Sqlite => &[
            "CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log \
             BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
            "CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log \
             BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
        ],
        DbBackend::Postgres => &[
            "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$ \
             BEGIN RAISE EXCEPTION 'the audit log is append-only'; END; $$ LANGUAGE plpgsql",
            "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log \
             FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
        ],
        _ => &[],
    };
    for statement in statements {
        manager
            .get_connection()
            .execute_unprepared(statement)
            .await?;
    }
    Ok(())
}
