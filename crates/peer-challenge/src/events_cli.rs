//! `peer-challenge events …`: thematic events from the command line.

use anyhow::Context;
use clap::Subcommand;

use crate::Common;
use crate::config::{self, Config};

#[derive(Debug, Subcommand)]
pub enum EventsCommand {
    /// Print each thematic event's ID, date, title, state and the areas' next steps received
    /// of those expected, the latest event first.
    List {
        #[command(flatten)]
        common: Common,
    },
}

pub async fn run(command: EventsCommand) -> anyhow::Result<()> {
    match command {
        EventsCommand::List { common } => {
            let config = Config::load(&common, None)?;
            config::init_logging(&config);
            list(&config).await
        }
    }
}

/// One event as the list prints it.
struct Line {
    id: String,
    date: String,
    title: String,
    state: String,
    /// "7 of 10", or "-" before any area owes anything.
    returns: String,
}

#[allow(clippy::print_stdout)]
async fn list(config: &Config) -> anyhow::Result<()> {
    let store = store::Store::open(&config.database_url()?)
        .await
        .context("opening the database")?;
    let events = store.events().await.context("listing events")?;
    let mut lines = Vec::new();
    for event in &events {
        let (received, expected) = services::events::returns_tally(&store, event)
            .await
            .context("counting returns")?;
        lines.push(Line {
            id: event.id.to_string(),
            date: event.details.date.to_string(),
            title: event.details.title.to_string(),
            state: event.state.code().to_owned(),
            returns: if expected == 0 {
                "-".to_owned()
            } else {
                format!("{received} of {expected}")
            },
        });
    }
    store.close().await?;
    if lines.is_empty() {
        println!("No thematic events.");
    } else {
        print!("{}", table(&lines));
    }
    Ok(())
}

/// The events as a table with a header, columns padded to their widest cell.
fn table(lines: &[Line]) -> String {
    let mut rows = vec![[
        "ID".to_owned(),
        "DATE".to_owned(),
        "TITLE".to_owned(),
        "STATE".to_owned(),
        "RETURNS".to_owned(),
    ]];
    rows.extend(lines.iter().map(|line| {
        [
            line.id.clone(),
            line.date.clone(),
            line.title.clone(),
            line.state.clone(),
            line.returns.clone(),
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
    use super::*;

    #[test]
    fn the_table_lines_up_its_columns() {
        let lines = [
            Line {
                id: "a1".into(),
                date: "2027-03-20".into(),
                title: "Preparation for adulthood".into(),
                state: "returns".into(),
                returns: "8 of 10".into(),
            },
            Line {
                id: "b2".into(),
                date: "2027-06-01".into(),
                title: "SEMH".into(),
                state: "open".into(),
                returns: "-".into(),
            },
        ];
        assert_eq!(
            table(&lines),
            "ID  DATE        TITLE                      STATE    RETURNS\n\
             a1  2027-03-20  Preparation for adulthood  returns  8 of 10\n\
             b2  2027-06-01  SEMH                       open     -\n"
        );
    }
}
