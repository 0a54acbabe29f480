//! A thematic event's pre-reading files: uploaded by the co-ordinator with the KLOEs, kept in
//! the database as the challenge pre-reading is (every instance serves them, a backup holds
//! them), and attached to the KLOE email, since nominees have no account to sign in with.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum EventDocuments {
    Table,
    Id,
    EventId,
    FileName,
    ContentType,
    SizeBytes,
    Content,
    UploadedBy,
    UploadedAt,
}

#[derive(DeriveIden)]
enum ThematicEvents {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(EventDocuments::Table)
                    .if_not_exists()
                    .col(uuid(EventDocuments::Id).primary_key())
                    .col(uuid(EventDocuments::EventId))
                    .col(string(EventDocuments::FileName))
                    .col(string(EventDocuments::ContentType))
                    .col(big_integer(EventDocuments::SizeBytes))
                    .col(blob(EventDocuments::Content))
                    // Null once the uploader's account has gone: the file stays.
                    .col(uuid_null(EventDocuments::UploadedBy))
                    .col(timestamp_with_time_zone(EventDocuments::UploadedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(EventDocuments::Table, EventDocuments::EventId)
                            .to(ThematicEvents::Table, ThematicEvents::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(EventDocuments::Table, EventDocuments::UploadedBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("event_documents_by_event")
                    .table(EventDocuments::Table)
                    .col(EventDocuments::EventId)
                    .if_not_exists()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(EventDocuments::Table).to_owned())
            .await
    }
}
