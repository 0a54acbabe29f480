//! `peer-challenge challenges …`: challenges from the command line.

use anyhow::Context;
use clap::Subcommand;
use clap::builder::PossibleValuesParser;
use domain::lifecycle::ChallengeState;
use store::{ChallengeFilter, ChallengeSummary};

use crate::Common;
use crate::config::{self, Config};

#[derive(Debug, Subcommand)]
pub enum ChallengesCommand {
    /// Print each challenge's ID, reference, authority, kind and state as a table, the soonest
    /// visit first.
    List {
        #[command(flatten)]
        common: Common,
        /// Only challenges in this state.
        #[arg(long, value_parser = PossibleValuesParser::new(ChallengeState::ALL.map(ChallengeState::code)))]
        state: Option<String>,
    },
}

pub async fn run(command: ChallengesCommand) -> anyhow::Result<()> {
    match command {
        ChallengesCommand::List { common, state } => {
            let config = Config::load(&common, None)?;
            config::init_logging(&config);
            let state = state
                .map(|code| ChallengeState::parse(&code).with_context(|| format!("--state {code}")))
                .transpose()?;
            list(&config, state).await
        }
    }
}

#[allow(clippy::print_stdout)]
async fn list(config: &Config, state: Option<ChallengeState>) -> anyhow::Result<()> {
    let store = store::Store::open(&config.database_url()?)
        .await
        .context("opening the database")?;
    let challenges = store
        .challenges(&ChallengeFilter {
            state,
            ..ChallengeFilter::default()
        })
        .await
        .context("listing challenges")?;
    store.close().await?;
    if challenges.is_empty() {
        match state {
            Some(state) => println!("No challenges in state {}.", state.code()),
            None => println!("No challenges."),
        }
    } else {
        print!("{}", table(&challenges));
    }
    Ok(())
}

/// The challenges as a table with a header, columns padded to their widest cell.
fn table(challenges: &[ChallengeSummary]) -> String {
    let mut rows = vec![[
        "ID".to_owned(),
        "REFERENCE".to_owned(),
        "AUTHORITY".to_owned(),
        "KIND".to_owned(),
        "STATE".to_owned(),
    ]];
    rows.extend(challenges.iter().map(|challenge| {
        [
            challenge.id.to_string(),
            challenge.reference.clone(),
            challenge.authority.as_str().to_owned(),
            challenge.kind.code().to_owned(),
            challenge.state.code().to_owned(),
        ]
    }));
    let mut widths = [0; 5];
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in &rows {
        let cells: Vec<String> = row
            .iter()
            .zip(widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use domain::challenge::ChallengeKind;
    use domain::{AuthoritySlug, ChallengeId};

    use super::*;

    fn summary(reference: &str, authority: &str, state: ChallengeState) -> ChallengeSummary {
        ChallengeSummary {
            id: ChallengeId::new(),
            reference: reference.to_owned(),
            authority: AuthoritySlug::parse(authority).unwrap_or_else(|_| unreachable!()),
            authority_name: authority.to_owned(),
            kind: ChallengeKind::TwoDay,
            state,
            first_visit_day: None,
            requested_at: Utc::now(),
        }
    }

    #[test]
    fn the_table_lines_up_its_columns() {
        let printed = table(&[
            summary("PC-2026-001", "rutland", ChallengeState::Requested),
            summary(
                "PC-2026-012",
                "north-northamptonshire",
                ChallengeState::TeamConfirmed,
            ),
        ]);
        let lines: Vec<&str> = printed.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[0].starts_with("ID "), "{printed}");
        let column = |name: &str| lines[0].find(name).unwrap_or(usize::MAX);
        for line in &lines[1..] {
            assert_eq!(line.find("PC-2026"), Some(column("REFERENCE")), "{printed}");
            assert_eq!(line.find("two_day"), Some(column("KIND")), "{printed}");
        }
        assert!(lines[1].ends_with("requested"));
        assert!(lines[2].contains("north-northamptonshire  two_day  team_confirmed"));
    }
}
