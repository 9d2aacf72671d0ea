//! Milliseconds per ruin-and-recreate iteration of the whole-day search, for the iteration
//! benchmark (`benches/scale_iterations.py`): solves a problem on a fixed number of threads
//! without decomposition (so every iteration works on the whole day), waits for the first
//! complete plan, counts the iterations done in the next `WINDOW_S` seconds (the solver's
//! progress counter, sampled every 20 ms), cancels the solve and prints one JSON object.
//!
//! ```text
//! cargo run --release --no-default-features --example iteration_time -- PROBLEM.json WINDOW_S [THREADS] [auto|on_demand]
//! ```
//! The last argument forces on-demand travel lookups at every size (default `auto`: dense
//! matrices up to `travel::DENSE_MAX_LOCATIONS` locations, a constant-factor change between
//! 2,000 and 5,000 jobs that is not growth in the size of the day).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use fieldopt::solver::{Decompose, Progress};
use fieldopt::travel::Travel;
use fieldopt::{io, solve, SolveParams};

/// CPU seconds of this process so far (user + system, all threads; Linux, 0 elsewhere).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which may hold spaces) start after the last ')'.
    let rest = stat.rsplit_once(')').map_or("", |x| x.1);
    let f: Vec<f64> = rest.split_whitespace().filter_map(|x| x.parse().ok()).collect();
    // utime and stime are fields 14 and 15 of stat, i.e. 11 and 12 after the state field.
    f.get(10).zip(f.get(11)).map_or(0.0, |(u, s)| (u + s) / 100.0)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let path = args.get(1).expect("usage: iteration_time PROBLEM.json WINDOW_S [THREADS]");
    let window: f64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(20.0);
    let threads: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(1);
    let mut problem = io::read_problem(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    if args.get(4).map(String::as_str) == Some("on_demand") {
        problem.travel = Travel::on_demand(problem.travel.exact.clone());
    }
    let progress = Arc::new(Progress::new());
    let cancel = Arc::new(AtomicBool::new(false));
    let params = SolveParams {
        seed: 0,
        threads: Some(threads),
        time_limit: Some(3600.0),
        progress: Some(Arc::clone(&progress)),
        cancel: Some(Arc::clone(&cancel)),
        decompose: Decompose::Off,
        ..Default::default()
    };
    let started = Instant::now();
    let mut first: Option<(f64, u64, f64)> = None;
    let mut last = (0.0, 0u64, 0.0);
    let plan = std::thread::scope(|s| {
        let worker = s.spawn(|| solve(&problem, &params));
        while !worker.is_finished() {
            std::thread::sleep(Duration::from_millis(20));
            if progress.best_objective.load(Ordering::Relaxed) == i64::MAX {
                continue;
            }
            let now = (
                started.elapsed().as_secs_f64(),
                progress.iterations.load(Ordering::Relaxed),
                cpu_seconds(),
            );
            let t1 = first.get_or_insert(now).0;
            if now.0 - t1 >= window && !cancel.load(Ordering::Relaxed) {
                last = now;
                cancel.store(true, Ordering::Relaxed);
            }
        }
        worker.join().expect("solver thread")
    });
    let (t1, i1, c1) = first.unwrap_or_default();
    let (iters, secs, cpu) = (last.1.saturating_sub(i1), last.0 - t1, last.2 - c1);
    println!(
        "{}",
        serde_json::json!({
            "problem": path, "jobs": problem.jobs.len(), "technicians": problem.technicians.len(),
            "threads": threads, "dense_travel": problem.travel.is_dense(), "first_plan_s": t1, "window_s": secs, "iterations": iters,
            "ms_per_iteration": 1e3 * secs / iters.max(1) as f64,
            "cpu_ms_per_iteration": 1e3 * cpu / iters.max(1) as f64,
            "assigned": plan.kpis.assigned,
        })
    );
}
