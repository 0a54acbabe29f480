//! `peer-challenge biennial …`: biennial cycles from the command line.

use anyhow::Context;
use clap::Subcommand;

use crate::Common;
use crate::config::{self, Config};

#[derive(Debug, Subcommand)]
pub enum BiennialCommand {
    /// Print each cycle's ID, year, day, state and returns received of expected, the latest
    /// year first.
    List {
        #[command(flatten)]
        common: Common,
    },
}

pub async fn run(command: BiennialCommand) -> anyhow::Result<()> {
    match command {
        BiennialCommand::List { common } => {
            let config = Config::load(&common, None)?;
            config::init_logging(&config);
            list(&config).await
        }
    }
}

#[allow(clippy::print_stdout)]
async fn list(config: &Config) -> anyhow::Result<()> {
    let store = store::Store::open(&config.database_url()?)
        .await
        .context("opening the database")?;
    let cycles = store.biennial_cycles().await.context("listing cycles")?;
    let mut rows = vec![[
        "ID".to_owned(),
        "YEAR".to_owned(),
        "DATE".to_owned(),
        "STATE".to_owned(),
        "RETURNS".to_owned(),
    ]];
    for cycle in &cycles {
        let owed = store
            .returns(&store::ReturnFilter::default())
            .await?
            .into_iter()
            .filter(|r| r.activity.id == cycle.id)
            .collect::<Vec<_>>();
        let received = owed.iter().filter(|r| r.submitted.is_some()).count();
        rows.push([
            cycle.id.to_string(),
            cycle.year.to_string(),
            cycle.event_date.to_string(),
            cycle.state.code().to_owned(),
            format!("{received}/{}", owed.len()),
        ]);
    }
    store.close().await?;
    if cycles.is_empty() {
        println!("No biennial cycles.");
        return Ok(());
    }
    let mut widths = [0; 5];
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    for row in rows {
        let line: Vec<String> = row
            .iter()
            .zip(widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        println!("{}", line.join("  ").trim_end());
    }
    Ok(())
}
