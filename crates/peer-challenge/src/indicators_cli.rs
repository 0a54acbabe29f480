//! `peer-challenge indicators import FILE`: a statistics-service CSV file imported from the
//! command line through the same use case as the co-ordinator's upload page: checked whole,
//! imported all or nothing, what it imported printed by level and period. A bad file prints
//! every problem by row and column, imports nothing and exits non-zero.

use std::path::PathBuf;

use anyhow::{Context, bail};
use chrono::Utc;
use clap::Subcommand;
use services::indicators::{DEFAULT_PUBLICATION, ImportRefused, Importer, import_file};

use crate::Common;
use crate::config::{self, Config};

#[derive(Debug, Subcommand)]
pub enum IndicatorsCommand {
    /// Import a CSV file from Explore Education Statistics as one release of a publication.
    Import {
        #[command(flatten)]
        common: Common,
        /// The CSV file, as downloaded (UTF-8).
        file: PathBuf,
        /// The publication the file is from.
        #[arg(long, default_value = DEFAULT_PUBLICATION)]
        publication: String,
        /// Which release of it, such as "June 2025"; the file's name when not given. A later
        /// release revises the figures an earlier one gave, and both are kept.
        #[arg(long)]
        release: Option<String>,
    },
}

#[allow(clippy::print_stdout, clippy::print_stderr)]
pub async fn run(command: IndicatorsCommand) -> anyhow::Result<()> {
    let IndicatorsCommand::Import {
        common,
        file,
        publication,
        release,
    } = command;
    let config = Config::load(&common, None)?;
    config::init_logging(&config);
    let release = match release {
        Some(release) => release,
        None => file
            .file_stem()
            .and_then(|stem| stem.to_str())
            .unwrap_or("unnamed release")
            .to_owned(),
    };
    // Bounded before it is read: a file larger than the importer accepts is not loaded whole.
    let size = std::fs::metadata(&file)
        .with_context(|| format!("reading {}", file.display()))?
        .len();
    if size > documents_limit() {
        bail!(
            "{} is {size} bytes: the largest file imported is {} bytes",
            file.display(),
            documents_limit()
        );
    }
    let bytes = std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
    let store = store::Store::open(&config.database_url()?)
        .await
        .context("opening the database")?;
    match import_file(
        &store,
        Importer::CommandLine,
        &publication,
        &release,
        &bytes,
        Utc::now(),
    )
    .await
    {
        Ok(imported) => {
            print!("{}", imported.report());
            Ok(())
        }
        Err(ImportRefused::Problems(problems)) => {
            for problem in &problems {
                eprintln!("{problem}");
            }
            bail!(
                "{} has {} problem(s): nothing was imported",
                file.display(),
                problems.len()
            )
        }
        Err(ImportRefused::Unreadable(message)) => {
            bail!("{}: {message}. Nothing was imported", file.display())
        }
        Err(ImportRefused::Refused(refused)) => match refused {
            services::journey::Refused::Invalid(problems) => bail!(
                "{}. Nothing was imported",
                problems
                    .iter()
                    .map(|p| p.message.as_str())
                    .collect::<Vec<_>>()
                    .join(". ")
            ),
            other => Err(anyhow::anyhow!(other)).context("importing"),
        },
    }
}

fn documents_limit() -> u64 {
    u64::try_from(services::indicators::MAX_FILE_BYTES).unwrap_or(u64::MAX)
}
