//! `solve` and `bench-solver`: the team composition engine from the command line, with
//! progress on standard error for long solves.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::Args;
use matching::Progress;
use matching::benchmark::{BenchReport, bench as run_bench};
use matching::instances::InstanceSize;

#[derive(Debug, Args)]
pub struct SolveArgs {
    /// A problem in the JSON format of docs/solver.md.
    #[arg(long, conflicts_with_all = ["scores", "constraints", "max_load", "team_size"])]
    input: Option<PathBuf>,
    /// Scores as rows `challenge,reviewer,score`.
    #[arg(long, requires_all = ["constraints", "max_load", "team_size"])]
    scores: Option<PathBuf>,
    /// Constraints as rows `challenge,reviewer,-1|0|1` (-1 forbids, 1 forces).
    #[arg(long)]
    constraints: Option<PathBuf>,
    /// Load caps as rows `reviewer,max`.
    #[arg(long)]
    max_load: Option<PathBuf>,
    /// Reviewers per challenge, for the assignment form.
    #[arg(long)]
    team_size: Option<u32>,
    /// Where to write the result (standard output if absent).
    #[arg(long)]
    output: Option<PathBuf>,
    /// Stop after this many seconds with the best answer and its proven gap.
    #[arg(long, default_value_t = 30.0)]
    time_limit: f64,
    /// For the assignment form: also list each challenge's next best N eligible reviewers
    /// not on it; the output becomes `{"assignments": …, "alternates": …}`.
    #[arg(long, default_value_t = 0, requires = "scores")]
    alternates: usize,
}

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Which sizes to run: regional (150 × 15), national (2,000 × 300), stress (10,000 × 1,500)
    /// for the team engine; plain-national and plain-national-x10 for the plain assignment
    /// form solved exactly by minimum-cost flow.
    #[arg(default_values_t = ["regional".to_owned(), "national".to_owned(), "stress".to_owned()])]
    sizes: Vec<String>,
    /// The seed the instances are generated from.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Override each size's time limit, in seconds.
    #[arg(long)]
    time_limit: Option<f64>,
    /// Also write the plain sizes' CSV files into this folder (`<size>-scores.csv` and so
    /// on), so `solve` can be timed on them as a whole process.
    #[arg(long)]
    plain_files: Option<PathBuf>,
}

fn read(path: &PathBuf) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
}

/// Reports progress at most once a second, so a long solve shows it is alive.
fn progress_printer() -> impl FnMut(&Progress) {
    let mut last = Instant::now();
    move |progress: &Progress| {
        if last.elapsed() < Duration::from_secs(1) {
            return;
        }
        last = Instant::now();
        let gap = progress.gap.map_or_else(
            || "unknown".to_owned(),
            |gap| format!("{:.3}%", gap * 100.0),
        );
        eprintln!(
            "  {:>7.1} s  {:?} round {}  proven gap {gap}",
            progress.elapsed_ms as f64 / 1000.0,
            progress.phase,
            progress.round
        );
    }
}

pub fn solve(args: &SolveArgs) -> anyhow::Result<()> {
    let mut progress = progress_printer();
    let result = match (
        &args.input,
        &args.scores,
        &args.constraints,
        &args.max_load,
        args.team_size,
    ) {
        (Some(input), ..) => {
            matching::json_format::solve_json(&read(input)?, Some(args.time_limit), &mut progress)
                .and_then(|outcome| outcome.to_json_pretty())
                .map_err(anyhow::Error::from)?
        }
        (None, Some(scores), Some(constraints), Some(max_load), Some(team_size)) => {
            let options = matching::assignment_form::FormOptions {
                time_limit_seconds: args.time_limit,
                alternates: args.alternates,
            };
            matching::assignment_form::solve_form_with_details(
                &read(scores)?,
                &read(constraints)?,
                &read(max_load)?,
                team_size,
                &options,
                &mut progress,
            )?
            .0
        }
        _ => bail!("give either --input, or --scores, --constraints, --max-load and --team-size"),
    };
    match &args.output {
        Some(path) => {
            std::fs::write(path, result).with_context(|| format!("writing {}", path.display()))
        }
        None => {
            #[allow(clippy::print_stdout)]
            {
                println!("{result}");
            }
            Ok(())
        }
    }
}

pub fn bench(args: &BenchArgs) -> anyhow::Result<()> {
    for size in &args.sizes {
        if let Some(scale) = matching::benchmark::plain_scale(size) {
            eprintln!("{size}: generating and solving (seed {})", args.seed);
            bench_plain(size, scale, args)?;
            continue;
        }
        let size: InstanceSize = size.parse().map_err(anyhow::Error::msg)?;
        eprintln!("{size:?}: generating and solving (seed {})", args.seed);
        let report = run_bench(size, args.seed, args.time_limit, &mut progress_printer())?;
        print_report(&report);
    }
    Ok(())
}

/// The plain form: read (parse), solve exactly, write the JSON, timed together; the
/// certificate checked; peak memory of the process so far.
#[allow(clippy::print_stdout)]
fn bench_plain(name: &str, scale: usize, args: &BenchArgs) -> anyhow::Result<()> {
    let files = matching::plain_instances::plain_form(scale, args.seed);
    if let Some(dir) = &args.plain_files {
        std::fs::create_dir_all(dir)?;
        for (what, text) in [
            ("scores", &files.scores),
            ("constraints", &files.constraints),
            ("max-load", &files.max_load),
        ] {
            std::fs::write(dir.join(format!("{name}-{what}.csv")), text)?;
        }
    }
    let report = matching::benchmark::bench_plain(scale, &files)?;
    let memory = report.peak_memory_bytes.map_or_else(
        || "unknown".to_owned(),
        |bytes| format!("{} MiB", bytes / (1024 * 1024)),
    );
    println!(
        "{name:<18} {:>6} reviewers × {:>5} challenges  {:>7.3} s  total score {:.4}  {}  ({} unscored pairs priced in, {} bytes of JSON)  peak memory {memory}",
        report.reviewers,
        report.challenges,
        report.seconds,
        report.total_score,
        if report.certified {
            "certified optimal"
        } else {
            "NOT certified"
        },
        report.pairs_priced_in,
        report.json_bytes,
    );
    Ok(())
}

#[allow(clippy::print_stdout)]
fn print_report(report: &BenchReport) {
    let memory = report.peak_memory_bytes.map_or_else(
        || "unknown".to_owned(),
        |bytes| format!("{} MiB", bytes / (1024 * 1024)),
    );
    println!(
        "{:<9} {:>6} reviewers × {:>5} challenges  {:>7.2} s  {:?}  proven gap {:.3}% (first open level: {})  peak memory {memory}",
        format!("{:?}", report.size).to_lowercase(),
        report.reviewers,
        report.challenges,
        report.seconds,
        report.status,
        report.gap * 100.0,
        report.open_level.as_deref().unwrap_or("none: optimal"),
    );
}
