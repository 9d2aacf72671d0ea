//! Measures how long `fieldopt::solve` takes against its `time_limit`, with the phases the
//! time goes to. Driven by `scripts/time_limit_overshoot.py`; on its own:
//!
//! ```text
//! cargo run --release --example time_limit -- --threads 2 problem.json:2 other.json:5 ...
//! ```
//!
//! One CSV line per `FILE:LIMIT` run on stdout:
//! `file,jobs,limit,parse_s,solve_s,over_s,over_pct,construct_s,search_end_s,tail_s,write_s`
//! where `construct_s` is when the first solution was reported (construction, priority
//! repair and the first local search done), `search_end_s` when the iteration counter last
//! moved (end of the ruin-and-recreate loop), `tail_s` = `solve_s - search_end_s` (final
//! repair, local search and building the plan), all measured from the call to `solve`;
//! `parse_s` is reading + validating + building the travel matrices (not limited), and
//! `write_s` serialising the plan.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use fieldopt::{Progress, SolveParams};

fn main() {
    let mut threads = None;
    let mut runs = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--threads" {
            threads = args.next().and_then(|s| s.parse().ok());
        } else {
            let (file, limit) = a.rsplit_once(':').expect("FILE:LIMIT");
            runs.push((file.to_string(), limit.parse::<f64>().expect("limit in seconds")));
        }
    }
    println!(
        "file,jobs,limit,parse_s,solve_s,over_s,over_pct,construct_s,search_end_s,tail_s,write_s"
    );
    for (file, limit) in runs {
        let t0 = Instant::now();
        let problem = fieldopt::io::read_problem(&file).expect("valid problem");
        let parse_s = t0.elapsed().as_secs_f64();
        let progress = Arc::new(Progress::new());
        let params = SolveParams {
            seed: 0,
            threads,
            time_limit: Some(limit),
            progress: Some(Arc::clone(&progress)),
            ..Default::default()
        };
        let done = AtomicBool::new(false);
        let start = Instant::now();
        let (plan, first, last_move) = std::thread::scope(|s| {
            let watcher = s.spawn(|| {
                let (mut first, mut last_move, mut last_iters) = (None, 0.0, 0u64);
                while !done.load(Ordering::Relaxed) {
                    let now = start.elapsed().as_secs_f64();
                    if first.is_none()
                        && progress.best_objective.load(Ordering::Relaxed) != i64::MAX
                    {
                        first = Some(now);
                    }
                    let it = progress.iterations.load(Ordering::Relaxed);
                    if it != last_iters {
                        last_iters = it;
                        last_move = now;
                    }
                    std::thread::sleep(Duration::from_micros(500));
                }
                (first, last_move)
            });
            let plan = fieldopt::solve(&problem, &params);
            done.store(true, Ordering::Relaxed);
            let (first, last_move) = watcher.join().unwrap();
            (plan, first, last_move)
        });
        let solve_s = start.elapsed().as_secs_f64();
        let t3 = Instant::now();
        let text = fieldopt::io::plan_to_string(&plan);
        std::hint::black_box(&text);
        let write_s = t3.elapsed().as_secs_f64();
        let over = solve_s - limit;
        let construct = first.unwrap_or(solve_s);
        let search_end = if last_move > 0.0 { last_move } else { construct };
        println!(
            "{file},{},{limit},{parse_s:.4},{solve_s:.4},{over:.4},{:.2},{construct:.4},{search_end:.4},{:.4},{write_s:.4}",
            problem.jobs.len(),
            100.0 * over / limit,
            solve_s - search_end,
        );
    }
}
