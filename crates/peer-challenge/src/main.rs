//! `peer-challenge`: the one binary. Serves the web app with its outbox worker, runs the
//! demo, migrates, backs up and restores, and manages accounts and lists challenges from
//! the command line.

mod backup;
mod biennial_cli;
mod challenges_cli;
mod config;
mod demo;
mod demo_biennial;
mod demo_challenges;
mod demo_events;
mod demo_findings;
mod demo_self_assessment;
mod demo_triads;
mod events_cli;
mod indicators_cli;
mod report_cli;
mod server;
mod solve;
mod team_cli;

use std::io::BufRead;
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand};
use domain::{AuthoritySlug, EmailAddress, NewPassword, PersonName, Role, RoleGrant};

use crate::config::Config;

/// Freed memory goes back to the system soon after (see `Cargo.toml`): an idle server stays
/// small however many sign-ins it has checked.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[derive(Debug, Parser)]
#[command(
    name = "peer-challenge",
    version,
    about = "The East Midlands SEND peer challenge service"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Where the configuration comes from; the same for every command.
#[derive(Debug, Args, Clone, Default)]
pub struct Common {
    /// A TOML settings file (values there are overridden by PEER_CHALLENGE_* variables).
    #[arg(long, env = "PEER_CHALLENGE_CONFIG")]
    config: Option<PathBuf>,
    /// Folder for the SQLite database and the demo's email files.
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// A PostgreSQL URL (postgres://…) instead of the embedded SQLite database.
    #[arg(long)]
    database_url: Option<String>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the web application and its outbox worker.
    Serve {
        #[command(flatten)]
        common: Common,
        /// Address to listen on.
        #[arg(long)]
        addr: Option<std::net::SocketAddr>,
    },
    /// Create or refresh a demo database with the ten East Midlands authorities and demo
    /// accounts, then serve it over plain HTTP.
    Demo {
        #[command(flatten)]
        common: Common,
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        /// The password every demo account gets.
        #[arg(long, default_value = demo::DEFAULT_PASSWORD)]
        demo_password: String,
        /// Create or refresh the demo database, then exit without serving it.
        #[arg(long)]
        seed_only: bool,
    },
    /// Apply pending database migrations and refresh the reference data, then exit.
    Migrate {
        #[command(flatten)]
        common: Common,
    },
    /// Delete personal data the retention rules no longer allow us to keep (declined and
    /// withdrawn applications, members who left, stale drafts) and the working notes of
    /// challenges whose reports are long final, print what went, and exit.
    /// The server also does this daily.
    Purge {
        #[command(flatten)]
        common: Common,
    },
    /// Copy the database while the server runs: SQLite to a new file (never over an existing
    /// one), PostgreSQL with pg_dump (or the command to run, if pg_dump is not installed).
    Backup(backup::BackupArgs),
    /// Restore an SQLite backup into an empty data folder, after checking it, and print what
    /// it holds; on PostgreSQL, print the pg_restore command.
    Restore(backup::RestoreArgs),
    /// List challenges (`challenges list [--state STATE]`).
    Challenges {
        #[command(subcommand)]
        command: challenges_cli::ChallengesCommand,
    },
    /// Staffing questions: could a challenge for an area be staffed on given dates
    /// (`team what-if --authority SLUG --kind one-day|two-day --date YYYY-MM-DD …`).
    Team {
        #[command(subcommand)]
        command: team_cli::TeamCommand,
    },
    /// Write a challenge's slide deck (.pptx) or written report (.docx), made from its findings.
    Report(report_cli::ReportArgs),
    /// Compose teams: from a problem in JSON (see docs/solver.md), or from the plain
    /// assignment form (scores, constraints and load caps as CSV) other tools read.
    Solve(solve::SolveArgs),
    /// Time the team solver on seeded instances: regional, national and stress sizes.
    BenchSolver(solve::BenchArgs),
    /// Create an account (or update the one with this email), reading its password from
    /// standard input.
    CreateUser {
        #[command(flatten)]
        common: Common,
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// A role: coordinator, project_manager, la_lead, reviewer or board. Repeat for several.
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
        /// The authority slug an la_lead role covers, e.g. derby.
        #[arg(long)]
        authority: Option<String>,
    },
    /// List thematic events (`events list`): date, title, state, returns received of expected.
    Events {
        #[command(subcommand)]
        command: events_cli::EventsCommand,
    },
    /// Biennial cycles (`biennial list`).
    Biennial {
        #[command(subcommand)]
        command: biennial_cli::BiennialCommand,
    },
    /// Published data: import a statistics-service CSV file
    /// (`indicators import FILE [--release NAME]`).
    Indicators {
        #[command(subcommand)]
        command: indicators_cli::IndicatorsCommand,
    },
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(run(cli.command))
}

async fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Serve { common, addr } => {
            let config = Config::load(&common, addr)?;
            config::init_logging(&config);
            let _lock = backup::lock_for_server(&config)?;
            server::serve(config).await
        }
        Command::Demo {
            common,
            addr,
            demo_password,
            seed_only,
        } => {
            let config = Config::load(&common, Some(addr))?.for_demo();
            config::init_logging(&config);
            let _lock = backup::lock_for_server(&config)?;
            let store = store::Store::open(&config.database_url()?)
                .await
                .context("opening the demo database")?;
            let accounts = demo::seed(&store, &demo_password, &config.web).await?;
            if seed_only {
                store.close().await?;
                return Ok(());
            }
            demo::announce(&config, &accounts, &demo_password);
            server::serve_store(config, store).await
        }
        Command::Migrate { common } => {
            let config = Config::load(&common, None)?;
            config::init_logging(&config);
            let store = store::Store::open(&config.database_url()?)
                .await
                .context("migrating the database")?;
            store.close().await?;
            tracing::info!("migrations applied and reference data up to date");
            Ok(())
        }
        Command::Purge { common } => {
            let config = Config::load(&common, None)?;
            config::init_logging(&config);
            purge(&config).await
        }
        Command::Backup(args) => backup::backup(args).await,
        Command::Restore(args) => backup::restore(args).await,
        Command::Challenges { command } => challenges_cli::run(command).await,
        Command::Team { command } => team_cli::run(command).await,
        Command::Biennial { command } => biennial_cli::run(command).await,
        Command::Report(args) => report_cli::run(args).await,
        Command::Indicators { command } => indicators_cli::run(command).await,
        Command::Solve(args) => solve::solve(&args),
        Command::BenchSolver(args) => solve::bench(&args),
        Command::CreateUser {
            common,
            email,
            name,
            roles,
            authority,
        } => {
            let config = Config::load(&common, None)?;
            config::init_logging(&config);
            create_user(&config, &email, &name, &roles, authority.as_deref()).await
        }
        Command::Events { command } => events_cli::run(command).await,
    }
}

/// Run the retention purge once and say what it removed.
#[allow(clippy::print_stdout)]
async fn purge(config: &Config) -> anyhow::Result<()> {
    let store = store::Store::open(&config.database_url()?)
        .await
        .context("opening the database")?;
    let months = config.web.retention_months;
    let report = store
        .purge_expired_personal_data(months, chrono::Utc::now())
        .await
        .context("purging")?;
    let notes = store
        .purge_working_notes(config.web.working_notes_days, chrono::Utc::now())
        .await
        .context("purging working notes")?;
    store.close().await?;
    println!(
        "Retention period: {months} months (drafts: {} days)",
        store::DRAFT_RETENTION_DAYS
    );
    println!("Applications deleted: {}", report.applications);
    println!("Former members deleted: {}", report.members);
    println!("Application drafts deleted: {}", report.drafts);
    println!("Reviewer roles removed: {}", report.reviewer_roles_removed);
    println!("Accounts removed: {}", report.accounts_removed);
    println!(
        "Working notes deleted ({} days after the final report): {notes}",
        config.web.working_notes_days
    );
    Ok(())
}

async fn create_user(
    config: &Config,
    email: &str,
    name: &str,
    roles: &[String],
    authority: Option<&str>,
) -> anyhow::Result<()> {
    let email =
        EmailAddress::parse(email).map_err(|problem| anyhow::anyhow!("--email: {problem}"))?;
    let name = PersonName::parse(name).map_err(|problem| anyhow::anyhow!("--name: {problem}"))?;
    let authority = authority
        .map(AuthoritySlug::parse)
        .transpose()
        .map_err(|problem| anyhow::anyhow!("--authority: {problem}"))?;
    let mut grants = Vec::new();
    for code in roles {
        let Some(role) = Role::parse(code) else {
            bail!(
                "--role {code}: expected one of coordinator, project_manager, la_lead, reviewer, board"
            );
        };
        let scope = if role.needs_authority() {
            authority.clone()
        } else {
            None
        };
        grants.push(
            RoleGrant::new(role, scope)
                .map_err(|problem| anyhow::anyhow!("--role {code}: {problem}"))?,
        );
    }
    let mut password = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut password)
        .context("reading the password from standard input")?;
    let password = password.trim_end_matches(['\r', '\n']);
    let password = NewPassword::parse(password, password)
        .map_err(|problem| anyhow::anyhow!("password: {problem}"))?;
    let store = store::Store::open(&config.database_url()?).await?;
    let user = store::NewUser {
        name,
        email: email.clone(),
        grants,
    };
    let id = store
        .ensure_user(&user, &password.hash(), chrono::Utc::now())
        .await?;
    store.close().await?;
    tracing::info!(%id, %email, "account ready");
    Ok(())
}
