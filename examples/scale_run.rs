//! One timed solve for the scale benchmark (`benches/scale.py`): reads a problem file,
//! solves it while sampling the solver's progress counters every 100 ms, and prints one
//! JSON object: parse seconds, seconds to the first complete plan (construction done; every
//! plan of the engine is feasible), the best objective over time, final KPIs, the share of
//! jobs assigned, and the process's peak resident memory (VmHWM, MiB).
//!
//! ```text
//! cargo run --release --no-default-features --example scale_run -- PROBLEM.json THREADS TIME_LIMIT_S [auto|dense|on_demand]
//! ```
//! The last argument forces the travel lookup (default `auto`: dense up to
//! `travel::DENSE_MAX_LOCATIONS` locations), to measure one against the other.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use fieldopt::solver::Progress;
use fieldopt::travel::Travel;
use fieldopt::{io, solve, SolveParams};

/// Peak resident set size of this process in MiB (Linux; 0 elsewhere).
fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let path = args.get(1).expect("usage: scale_run PROBLEM.json THREADS TIME_LIMIT_S");
    let threads: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1);
    let limit: f64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(60.0);

    let t0 = Instant::now();
    let mut problem = io::read_problem(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    match args.get(4).map(String::as_str) {
        Some("dense") => problem.travel = Travel::dense(problem.travel.exact.clone()),
        Some("on_demand") => problem.travel = Travel::on_demand(problem.travel.exact.clone()),
        _ => {}
    }
    let parse_s = t0.elapsed().as_secs_f64();
    let rss_after_parse = peak_rss_mib();

    let progress = Arc::new(Progress::new());
    let params = SolveParams {
        seed: 0,
        threads: Some(threads),
        time_limit: Some(limit),
        progress: Some(Arc::clone(&progress)),
        ..Default::default()
    };
    let started = Instant::now();
    let mut first_plan_s: Option<f64> = None;
    let mut curve: Vec<(f64, f64, u64)> = Vec::new();
    let plan = std::thread::scope(|s| {
        let worker = s.spawn(|| solve(&problem, &params));
        while !worker.is_finished() {
            std::thread::sleep(Duration::from_millis(100));
            let best = progress.best_objective.load(Ordering::Relaxed);
            if best != i64::MAX {
                let t = started.elapsed().as_secs_f64();
                first_plan_s.get_or_insert(t);
                let obj = best as f64 / fieldopt::policy::COST_SCALE;
                if curve.last().is_none_or(|c| c.1 != obj) {
                    curve.push((t, obj, progress.best_assigned.load(Ordering::Relaxed)));
                }
            }
        }
        worker.join().expect("solver thread")
    });
    let solve_s = started.elapsed().as_secs_f64();
    let k = &plan.kpis;
    println!(
        "{}",
        serde_json::json!({
            "problem": path, "jobs": problem.jobs.len(), "technicians": problem.technicians.len(),
            "threads": threads, "time_limit_s": limit, "parse_s": parse_s,
            "dense_travel": problem.travel.is_dense(),
            "first_plan_s": first_plan_s.unwrap_or(solve_s), "solve_s": solve_s,
            "iterations": progress.iterations.load(Ordering::Relaxed),
            "assigned": k.assigned, "assigned_share": k.assigned as f64 / (k.jobs.max(1) as f64),
            "objective": k.objective, "rss_after_parse_mib": rss_after_parse,
            "peak_rss_mib": peak_rss_mib(), "curve": curve,
        })
    );
}
