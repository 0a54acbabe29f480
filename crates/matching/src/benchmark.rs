//! The benchmark: solve a generated instance of each size and report time, proven gap and peak memory.

use crate::instances::{InstanceSize, generate};
use crate::solution::{ObjectiveBreakdown, SolveStatus};
use crate::solver::{Progress, SolveError, solve_with_progress};
use serde::Serialize;
use std::time::Instant;

/// What one benchmark run measured.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BenchReport {
    pub size: InstanceSize,
    pub reviewers: usize,
    pub challenges: usize,
    pub seconds: f64,
    pub status: SolveStatus,
    /// Headline proven gap at the first objective level not proven optimal.
    pub gap: f64,
    pub scalar_gap: f64,
    pub objective: ObjectiveBreakdown,
    /// The first objective level not proven optimal, if any.
    pub open_level: Option<String>,
    pub candidate_pairs: u64,
    pub dual_iterations: u32,
    /// The process's peak resident memory (VmHWM), when the platform reports it.
    pub peak_memory_bytes: Option<u64>,
}

/// The time limit and gap target the issue sets for each size.
pub fn targets(size: InstanceSize) -> (f64, f64) {
    match size {
        InstanceSize::Regional => (0.05, 0.0),
        InstanceSize::National => (5.0, 0.005),
        InstanceSize::Stress => (60.0, 0.02),
    }
}

/// Generates the instance for `size` and `seed`, solves it within the size's time limit (or
/// `time_limit_seconds`), and reports.
pub fn bench(
    size: InstanceSize,
    seed: u64,
    time_limit_seconds: Option<f64>,
    progress: &mut dyn FnMut(&Progress),
) -> Result<BenchReport, SolveError> {
    let (default_limit, gap_target) = targets(size);
    let mut problem = generate(size, seed);
    problem.options.time_limit_seconds = time_limit_seconds.unwrap_or(default_limit);
    problem.options.gap_tolerance = gap_target;
    let started = Instant::now();
    let solution = solve_with_progress(&problem, progress)?;
    let seconds = started.elapsed().as_secs_f64();
    Ok(BenchReport {
        size,
        reviewers: problem.reviewers.len(),
        challenges: problem.challenges.len(),
        seconds,
        status: solution.status,
        gap: solution.proof.gap,
        scalar_gap: solution.proof.scalar_gap,
        open_level: solution
            .proof
            .levels
            .iter()
            .find(|l| !l.proven_optimal)
            .map(|l| l.level.clone()),
        objective: solution.objective,
        candidate_pairs: solution.diagnostics.candidate_pairs,
        dual_iterations: solution.diagnostics.dual_iterations,
        peak_memory_bytes: peak_memory_bytes(),
    })
}

/// VmHWM from /proc/self/status (Linux), in bytes.
pub fn peak_memory_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// The plain benchmark sizes: `plain-national` (2,000 × 300) and `plain-national-x10`.
pub fn plain_scale(name: &str) -> Option<usize> {
    match name {
        "plain-national" => Some(1),
        "plain-national-x10" => Some(10),
        _ => None,
    }
}

/// What one plain-form run measured: reading, solving and writing, timed together.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlainBenchReport {
    pub reviewers: usize,
    pub challenges: usize,
    pub seconds: f64,
    pub total_score: f64,
    /// The flow's dual proved the optimum (see `flow::Certificate::proves`).
    pub certified: bool,
    pub pairs_priced_in: usize,
    pub json_bytes: usize,
    /// The process's peak resident memory (VmHWM), when the platform reports it.
    pub peak_memory_bytes: Option<u64>,
}

/// Parses `files`, solves them exactly and writes the JSON text, as `solve --scores …` does,
/// timing the three together. `scale` is the size the files were generated at.
pub fn bench_plain(
    scale: usize,
    files: &crate::plain_instances::PlainFiles,
) -> Result<PlainBenchReport, crate::assignment_form::FormError> {
    let started = Instant::now();
    let (json, exact) = crate::assignment_form::solve_form_with_details(
        &files.scores,
        &files.constraints,
        &files.max_load,
        files.team_size,
        &crate::assignment_form::FormOptions::default(),
        &mut |_| {},
    )?;
    let seconds = started.elapsed().as_secs_f64();
    Ok(PlainBenchReport {
        reviewers: 2_000 * scale,
        challenges: 300 * scale,
        seconds,
        total_score: exact.total_score,
        certified: exact.certified,
        pairs_priced_in: exact.pairs_priced_in,
        json_bytes: json.len(),
        peak_memory_bytes: peak_memory_bytes(),
    })
}
