//! The biennial tables (m0011): cycles, their priorities, opt-outs and pairing.

/// `biennial_cycles`: one per biennial programme activity.
pub mod cycle {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "biennial_cycles")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub activity_id: Uuid,
        pub year: i32,
        pub event_date: Date,
        #[sea_orm(column_type = "Text")]
        pub venue: String,
        pub kloes_due: Date,
        pub actions_due: Date,
        pub allow_reciprocal: bool,
        /// A `domain::TriadPairing` code (m0021).
        pub triad_pairing: String,
        pub state: String,
        pub pairing_seed: Option<i64>,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// `biennial_priorities`: a cycle's priorities in order, with their theme codes.
pub mod priority {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "biennial_priorities")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub cycle_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub position: i32,
        #[sea_orm(column_type = "Text")]
        pub title: String,
        #[sea_orm(column_type = "Text")]
        pub themes: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// `biennial_opt_outs`: an area that does not take part, and why.
pub mod opt_out {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "biennial_opt_outs")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub cycle_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub authority_slug: String,
        #[sea_orm(column_type = "Text")]
        pub reason: String,
        pub opted_out_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// `biennial_pairs`: who challenges whom in a cycle.
pub mod pair {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "biennial_pairs")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub cycle_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub challenger: String,
        pub challenged: String,
        #[sea_orm(column_type = "Text")]
        pub reason: String,
        #[sea_orm(column_type = "Text", nullable)]
        pub overridden: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// `biennial_team_members`: an area's team for a cycle (no accounts).
pub mod team_member {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "biennial_team_members")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub cycle_id: Uuid,
        pub authority_slug: String,
        pub name: String,
        pub email: String,
        pub partner: String,
        pub team_lead: bool,
        pub added_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// `biennial_kloes`: the KLOEs a challenging area drafts for the area it challenges.
pub mod kloe {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "biennial_kloes")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub cycle_id: Uuid,
        pub challenger: String,
        #[sea_orm(column_type = "Text")]
        pub question: String,
        pub priority: i32,
        #[sea_orm(column_type = "Text")]
        pub themes: String,
        pub status: String,
        #[sea_orm(column_type = "Text", nullable)]
        pub comment: Option<String>,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// `biennial_support_offers`: one area's offer of support to another.
pub mod support_offer {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "biennial_support_offers")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: Uuid,
        pub cycle_id: Uuid,
        pub from_slug: String,
        pub to_slug: String,
        #[sea_orm(column_type = "Text")]
        pub what: String,
        pub who: String,
        pub contact: String,
        pub offered_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
