//! `peer-challenge report`: a challenge's slide deck or written report from the command line,
//! made from its findings exactly as the Reports page makes a version, so reports can be
//! produced in batch. The file is written, not stored as a version.

use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, ValueEnum};
use domain::ChallengeId;
use domain::findings::ReportFormat;

use crate::Common;
use crate::config::{self, Config};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    /// The slide deck (every challenge).
    Pptx,
    /// The written report (two-day challenges).
    Docx,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    common: Common,
    /// The challenge's ID, as `challenges list` prints it.
    #[arg(long)]
    challenge: String,
    #[arg(long, value_enum)]
    format: Format,
    /// Where to write the file.
    #[arg(long)]
    output: PathBuf,
    /// The version label printed on the report. Without it, the report's real status: "Final"
    /// once a final version of this format exists, otherwise "Draft".
    #[arg(long)]
    label: Option<String>,
}

#[allow(clippy::print_stdout)]
pub async fn run(args: ReportArgs) -> anyhow::Result<()> {
    let config = Config::load(&args.common, None)?;
    config::init_logging(&config);
    let challenge: ChallengeId = args
        .challenge
        .parse()
        .map_err(|_| anyhow::anyhow!("--challenge {} is not a challenge ID", args.challenge))?;
    let format = match args.format {
        Format::Pptx => ReportFormat::SlideDeck,
        Format::Docx => ReportFormat::WrittenReport,
    };
    let store = store::Store::open(&config.database_url()?)
        .await
        .context("opening the database")?;
    let label = match args.label {
        Some(label) => label,
        None => services::report_files::status_label(&store, challenge, format)
            .await
            .context("reading the report versions")?,
    };
    let made = services::report_files::make_report(
        &store,
        challenge,
        format,
        &label,
        None,
        chrono::Utc::now(),
    )
    .await;
    store.close().await?;
    let bytes = made.map_err(|error| match error {
        services::report_files::ReportError::Store(store::StoreError::NotFound) => {
            anyhow::anyhow!("no challenge has ID {challenge}")
        }
        other => anyhow::Error::new(other),
    })?;
    std::fs::write(&args.output, &bytes)
        .with_context(|| format!("writing {}", args.output.display()))?;
    println!(
        "Wrote {} ({} bytes) for challenge {challenge}",
        args.output.display(),
        bytes.len()
    );
    Ok(())
}
