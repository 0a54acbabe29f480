//! How a biennial cycle's pairing treats the year's triads (`domain::TriadPairing`), a preference
//! the co-ordinator sets with the cycle's details: `any` (no preference) for cycles before it.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum BiennialCycles {
    Table,
    TriadPairing,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(BiennialCycles::Table)
                    .add_column(string_len(BiennialCycles::TriadPairing, 16).default("any"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(BiennialCycles::Table)
                    .drop_column(BiennialCycles::TriadPairing)
                    .to_owned(),
            )
            .await
    }
}
