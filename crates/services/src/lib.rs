//! What the scheme does, between the layers that know things and the ones that ask: the use
//! cases (each authorises through `domain::policy`, checks, runs one store transaction and
//! writes its emails to the outbox in it), the team engine's translation, report and action
//! plan files, every email's wording, reminders, the mail worker, scheduled upkeep and the
//! settings. No HTTP and no pages here: `web` and the binary call in.

pub mod account_emails;
pub mod action_plans;
pub mod agreed_actions;
pub mod area_programmes;
pub mod biennial;
pub mod biennial_emails;
pub mod challenge_emails;
pub mod challenge_view;
pub mod challenges;
pub mod composition;
pub mod dashboard;
pub mod dates;
pub mod event_emails;
pub mod event_next_steps;
pub mod event_nominations;
pub mod events;
pub mod findings;
pub mod indicators;
pub mod journey;
pub mod mail;
pub mod networks;
pub mod next_steps;
pub mod pool_emails;
pub mod programme_activities;
pub mod programme_overviews;
pub mod progress;
#[cfg(test)]
mod read_model_fixtures;
pub mod reads;
pub mod reminders;
pub mod report_files;
pub mod scenario;
pub mod self_assessment;
pub mod settings;
pub mod team;
pub mod training_invitations;
pub mod triangulation;
pub mod upkeep;
pub mod view_cache;

pub use settings::{
    ContactSettings, MailSettings, MailTransport, ReminderSettings, Secret, Settings, SmtpSecurity,
};
