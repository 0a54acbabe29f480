//! `peer-challenge team …`: staffing questions from the command line, answered by the same
//! team engine and translation as the web pages.

use anyhow::Context;
use chrono::NaiveDate;
use clap::{Subcommand, ValueEnum};
use domain::AuthoritySlug;
use domain::challenge::ChallengeKind;
use services::composition::{Composed, CompositionError, WhatIf, what_if};

use crate::Common;
use crate::config::{self, Config};

#[derive(Debug, Subcommand)]
pub enum TeamCommand {
    /// Could a challenge for this area be staffed on these dates? Prints the team the engine
    /// would propose with its reasons, or which seats cannot be filled and why, saving
    /// nothing. Exits non-zero when a seat cannot be filled.
    WhatIf {
        #[command(flatten)]
        common: Common,
        /// The host authority, e.g. north-northamptonshire.
        #[arg(long)]
        authority: String,
        /// One- or two-day challenge (the kind's default seats).
        #[arg(long, value_enum)]
        kind: Kind,
        /// A visit day, YYYY-MM-DD; repeat for each day.
        #[arg(long = "date", required = true)]
        dates: Vec<NaiveDate>,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Kind {
    OneDay,
    TwoDay,
}

pub async fn run(command: TeamCommand) -> anyhow::Result<()> {
    match command {
        TeamCommand::WhatIf {
            common,
            authority,
            kind,
            mut dates,
        } => {
            let config = Config::load(&common, None)?;
            config::init_logging(&config);
            let authority = AuthoritySlug::parse(&authority)
                .map_err(|problem| anyhow::anyhow!("--authority {authority}: {problem}"))?;
            let kind = match kind {
                Kind::OneDay => ChallengeKind::OneDay,
                Kind::TwoDay => ChallengeKind::TwoDay,
            };
            dates.sort();
            dates.dedup();
            let question = WhatIf {
                authority,
                kind,
                days: dates,
            };
            if ask(&config, &question).await? {
                Ok(())
            } else {
                // Not an error of the command's, so no error chain: the diagnosis is printed.
                std::process::exit(1)
            }
        }
    }
}

/// Print the answer; true when every seat can be filled.
#[allow(clippy::print_stdout)]
async fn ask(config: &Config, question: &WhatIf) -> anyhow::Result<bool> {
    let store = store::Store::open(&config.database_url()?)
        .await
        .context("opening the database")?;
    let today = domain::clock::uk_date(chrono::Utc::now());
    let answer = what_if(&store, question, today, config.web.max_per_authority).await;
    let area = store
        .authorities()
        .await?
        .into_iter()
        .find(|a| a.slug == question.authority)
        .map_or_else(|| question.authority.to_string(), |a| a.name);
    store.close().await?;
    let days = question
        .days
        .iter()
        .map(|day| day.format("%A %-d %B %Y").to_string())
        .collect::<Vec<_>>()
        .join(" and ");
    let kind = match question.kind {
        ChallengeKind::OneDay => "One-day",
        ChallengeKind::TwoDay => "Two-day",
    };
    println!("{kind} challenge in {area} on {days}");
    match answer {
        Ok(composed) => {
            print!("{}", describe(&composed));
            Ok(composed.proposal.unfilled.is_empty())
        }
        Err(CompositionError::NoTeam(why)) => {
            println!("No team can be formed. {why}");
            Ok(false)
        }
        Err(other) => Err(other.into()),
    }
}

/// The proposal as plain text: each seat's members with the engine's reasons, then any seat
/// that cannot be filled with what would help.
fn describe(composed: &Composed) -> String {
    let proposal = &composed.proposal;
    let mut out = String::new();
    if proposal.unfilled.is_empty() {
        out.push_str("A team can be formed.\n");
    } else {
        out.push_str("Not every seat can be filled.\n");
    }
    for seat in &proposal.seats {
        let shadowing = if seat.shadowing { " (shadowing)" } else { "" };
        out.push_str(&format!("\n{}{shadowing}\n", seat.role_label));
        for member in &seat.members {
            out.push_str(&format!("  {}: {}\n", member.name, member.why));
        }
    }
    for seat in &proposal.unfilled {
        out.push_str(&format!(
            "\n{} seat cannot be filled. {}\n",
            seat.role_label, seat.message
        ));
        for help in &seat.help {
            out.push_str(&format!("  What would help: {}\n", help.text));
        }
    }
    if !proposal.quality.is_empty() {
        out.push_str(&format!("\n{}\n", proposal.quality));
    }
    out
}
