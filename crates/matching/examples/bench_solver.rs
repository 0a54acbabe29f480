//! Benchmark entry point:
//! `cargo run --release -p matching --example bench_solver --target-dir /work/target-matching -- [regional|national|stress|plain-national|plain-national-x10] [seed] [time-limit-seconds]`
//! Prints time, proven gap (or, for the plain sizes, whether the optimum is certified) and peak
//! memory (VmHWM), then one JSON line, on standard error.

use matching::benchmark::{bench, bench_plain, plain_scale};
use matching::instances::InstanceSize;

fn main() {
    let mut args = std::env::args().skip(1);
    let name = args.next().unwrap_or_else(|| "regional".to_owned());
    if let Some(scale) = plain_scale(&name) {
        let seed = args.next().and_then(|s| s.parse().ok()).unwrap_or(1);
        plain(&name, scale, seed);
        return;
    }
    let size: InstanceSize = match name.parse() {
        Ok(size) => size,
        Err(message) => {
            eprintln!("{message}");
            std::process::exit(2);
        }
    };
    let seed = args.next().and_then(|s| s.parse().ok()).unwrap_or(1);
    let time_limit = args.next().and_then(|s| s.parse().ok());
    let mut last_report = std::time::Instant::now();
    let mut progress = |p: &matching::Progress| {
        if last_report.elapsed().as_secs_f64() >= 1.0 {
            eprintln!(
                "  {:?} round {} gap {:?} at {} ms",
                p.phase, p.round, p.gap, p.elapsed_ms
            );
            last_report = std::time::Instant::now();
        }
    };
    match bench(size, seed, time_limit, &mut progress) {
        Ok(report) => {
            eprintln!(
                "{}: {} reviewers x {} challenges, {:.3} s, status {:?}, proven gap {:.4}% (first open level: {}), scalar gap {:.2e}, peak memory {} MiB",
                size.name(),
                report.reviewers,
                report.challenges,
                report.seconds,
                report.status,
                report.gap * 100.0,
                report.open_level.as_deref().unwrap_or("none"),
                report.scalar_gap,
                report
                    .peak_memory_bytes
                    .map_or("?".to_owned(), |b| (b / (1024 * 1024)).to_string()),
            );
            match serde_json::to_string(&report) {
                Ok(json) => eprintln!("{json}"),
                Err(error) => eprintln!("{error}"),
            }
        }
        Err(error) => {
            eprintln!("error: {error}");
            std::process::exit(1);
        }
    }
}

/// Generates the plain form's files (untimed), then reads, solves and writes them (timed).
fn plain(name: &str, scale: usize, seed: u64) {
    let files = matching::plain_instances::plain_form(scale, seed);
    match bench_plain(scale, &files) {
        Ok(report) => {
            eprintln!(
                "{name}: {} reviewers x {} challenges, {:.3} s, {}, total score {:.4}, {} unscored pairs priced in, peak memory {} MiB",
                report.reviewers,
                report.challenges,
                report.seconds,
                if report.certified {
                    "certified optimal"
                } else {
                    "NOT certified"
                },
                report.total_score,
                report.pairs_priced_in,
                report
                    .peak_memory_bytes
                    .map_or("?".to_owned(), |b| (b / (1024 * 1024)).to_string()),
            );
            match serde_json::to_string(&report) {
                Ok(json) => eprintln!("{json}"),
                Err(error) => eprintln!("{error}"),
            }
        }
        Err(error) => {
            eprintln!("error: {error}");
            std::process::exit(1);
        }
    }
}
