//! Benchmark entry point:
//! `cargo run --release -p matching --example bench_solver --target-dir /work/target-matching -- [regional|national|stress] [seed] [time-limit-seconds]`
//! Prints time, proven gap and peak memory (VmHWM) as one JSON line on standard error.

use matching::benchmark::bench;
use matching::instances::InstanceSize;

fn main() {
    let mut args = std::env::args().skip(1);
    let size: InstanceSize = match args.next().unwrap_or_else(|| "regional".to_owned()).parse() {
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
