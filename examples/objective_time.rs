//! Times building the objective's assignment-cost table (`Objective::new`, jobs x
//! technicians entries) in rayon pools of 1 and N threads, alternating, on one problem, and
//! prints one JSON object with the seconds of each run: a ratio measured in one process,
//! robust to the load of a shared machine.
//!
//! ```text
//! cargo run --release --no-default-features --example objective_time -- PROBLEM.json THREADS REPEATS
//! ```

use std::time::Instant;

use fieldopt::policy::Objective;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let path = args.get(1).expect("usage: objective_time PROBLEM.json THREADS REPEATS");
    let threads: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(2);
    let repeats: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(3);
    let p = fieldopt::io::read_problem(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut secs: Vec<(usize, f64)> = Vec::new();
    for _ in 0..repeats {
        for n in [1, threads] {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(n).build().expect("pool");
            let t0 = Instant::now();
            let obj = pool.install(|| Objective::new(&p, &p.policy));
            secs.push((n, t0.elapsed().as_secs_f64()));
            std::hint::black_box(obj.assignment_cost(0, 0));
        }
    }
    println!(
        "{}",
        serde_json::json!({"jobs": p.jobs.len(), "technicians": p.technicians.len(), "runs": secs})
    );
}
