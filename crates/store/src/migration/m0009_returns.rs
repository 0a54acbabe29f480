//! Returns: what one area owes for a programme activity by a due date (a challenge host's
//! action plan today), with an owner, a per-area extension and its reason, who submitted it
//! and when, and the reminders already sent about it. Challenges at next steps now owe their
//! action plan, due eight weeks after they last moved.

use chrono::{DateTime, Duration, Utc};
use sea_orm::FromQueryResult;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use uuid::Uuid;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ProgrammeActivities {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Returns {
    Table,
    Id,
    ActivityId,
    AuthoritySlug,
    Kind,
    OwnerId,
    DueDate,
    ExtendedTo,
    ExtensionReason,
    SubmittedAt,
    SubmittedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ReturnReminders {
    Table,
    ReturnId,
    Kind,
    Occasion,
    SentAt,
}

#[derive(FromQueryResult)]
struct AtNextSteps {
    id: Uuid,
    authority_slug: String,
    updated_at: DateTime<Utc>,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Returns::Table)
                    .if_not_exists()
                    .col(uuid(Returns::Id).primary_key())
                    .col(uuid(Returns::ActivityId))
                    .col(string(Returns::AuthoritySlug))
                    .col(string(Returns::Kind))
                    // None: the area's LA leads answer for it.
                    .col(uuid_null(Returns::OwnerId))
                    .col(date(Returns::DueDate))
                    .col(date_null(Returns::ExtendedTo))
                    .col(text_null(Returns::ExtensionReason))
                    .col(timestamp_with_time_zone_null(Returns::SubmittedAt))
                    .col(string_null(Returns::SubmittedBy))
                    .col(timestamp_with_time_zone(Returns::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Returns::Table, Returns::ActivityId)
                            .to(ProgrammeActivities::Table, ProgrammeActivities::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Returns::Table, Returns::OwnerId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        // An area owes one return of a kind per activity.
        manager
            .create_index(
                Index::create()
                    .name("returns_owed_once")
                    .table(Returns::Table)
                    .col(Returns::ActivityId)
                    .col(Returns::AuthoritySlug)
                    .col(Returns::Kind)
                    .unique()
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ReturnReminders::Table)
                    .if_not_exists()
                    .col(uuid(ReturnReminders::ReturnId))
                    .col(string(ReturnReminders::Kind))
                    .col(string(ReturnReminders::Occasion))
                    .col(timestamp_with_time_zone(ReturnReminders::SentAt))
                    .primary_key(
                        Index::create()
                            .col(ReturnReminders::ReturnId)
                            .col(ReturnReminders::Kind)
                            .col(ReturnReminders::Occasion),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ReturnReminders::Table, ReturnReminders::ReturnId)
                            .to(Returns::Table, Returns::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        let db = manager.get_connection();
        let backend = manager.get_database_backend();
        let select = Query::select()
            .columns([
                Alias::new("id"),
                Alias::new("authority_slug"),
                Alias::new("updated_at"),
            ])
            .from(Alias::new("challenges"))
            .and_where(Expr::col(Alias::new("state")).eq("next_steps"))
            .to_owned();
        let owing = AtNextSteps::find_by_statement(backend.build(&select))
            .all(db)
            .await?;
        for challenge in owing {
            let due = challenge.updated_at.date_naive()
                + Duration::weeks(domain::programme::ACTION_PLAN_WEEKS);
            let insert = Query::insert()
                .into_table(Returns::Table)
                .columns([
                    Returns::Id,
                    Returns::ActivityId,
                    Returns::AuthoritySlug,
                    Returns::Kind,
                    Returns::DueDate,
                    Returns::CreatedAt,
                ])
                .values_panic([
                    Uuid::new_v4().into(),
                    challenge.id.into(),
                    challenge.authority_slug.into(),
                    domain::ReturnKind::ActionPlan.code().into(),
                    due.into(),
                    challenge.updated_at.into(),
                ])
                .to_owned();
            manager.exec_stmt(insert).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ReturnReminders::Table.into_iden(),
            Returns::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
