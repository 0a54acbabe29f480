//! `peer-challenge report`: a challenge's slide deck or written report from the command line,
//! made from its findings exactly as the Reports page makes a version, so reports can be
//! produced in batch. The file is written, not stored as a version. `--event` and `--biennial`
//! write a thematic event's or a biennial cycle's overview for the board instead, made as the
//! event and cycle pages make their downloads.

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
#[command(group = clap::ArgGroup::new("of").required(true).args(["challenge", "event", "biennial"]))]
pub struct ReportArgs {
    #[command(flatten)]
    common: Common,
    /// The challenge's ID, as `challenges list` prints it.
    #[arg(long)]
    challenge: Option<String>,
    /// A thematic event's ID, as `events list` prints it: its overview for the board.
    #[arg(long)]
    event: Option<String>,
    /// A biennial cycle's ID, as `biennial list` prints it: its overview for the board.
    #[arg(long)]
    biennial: Option<String>,
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
    let format = match args.format {
        Format::Pptx => ReportFormat::SlideDeck,
        Format::Docx => ReportFormat::WrittenReport,
    };
    let store = store::Store::open(&config.database_url()?)
        .await
        .context("opening the database")?;
    let (raw, flag) = match (&args.challenge, &args.event, &args.biennial) {
        (Some(raw), _, _) => (raw.clone(), "challenge"),
        (None, Some(raw), _) => (raw.clone(), "event"),
        (None, None, Some(raw)) => (raw.clone(), "biennial"),
        (None, None, None) => anyhow::bail!("say which: --challenge, --event or --biennial"),
    };
    if flag != "challenge" {
        let made = overview(&store, &raw, flag, format).await;
        store.close().await?;
        let bytes = made?;
        std::fs::write(&args.output, &bytes)
            .with_context(|| format!("writing {}", args.output.display()))?;
        println!(
            "Wrote {} ({} bytes) for {flag} {raw}",
            args.output.display(),
            bytes.len()
        );
        return Ok(());
    }
    let challenge: ChallengeId = raw
        .parse()
        .map_err(|_| anyhow::anyhow!("--challenge {raw} is not a challenge ID"))?;
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

/// An event's or cycle's overview (`flag` says which), dated today in the UK.
async fn overview(
    store: &store::Store,
    raw: &str,
    flag: &str,
    format: ReportFormat,
) -> anyhow::Result<Vec<u8>> {
    use services::programme_overviews::{OverviewError, cycle_overview_file, event_overview_file};
    let id: domain::ProgrammeActivityId = raw
        .parse()
        .map_err(|_| anyhow::anyhow!("--{flag} {raw} is not an ID"))?;
    let today = domain::clock::uk_date(chrono::Utc::now());
    let made = if flag == "event" {
        event_overview_file(store, id, format, today).await
    } else {
        cycle_overview_file(store, id, format, today).await
    };
    match made {
        Ok((_, bytes)) => Ok(bytes),
        Err(OverviewError::Store(store::StoreError::NotFound)) => {
            Err(anyhow::anyhow!("no {flag} has ID {id}"))
        }
        Err(other) => Err(anyhow::Error::new(other)),
    }
}
