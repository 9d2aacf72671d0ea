//! Times the unassigned-job reasons of a solved plan (the "unassigned reasons" phase of a
//! solve) and checks them against the reasons written in the plan: reads a problem and a
//! plan of it, rebuilds the routes, computes every unassigned job's reason in parallel as
//! the solver does, and prints one JSON object (seconds, jobs, reasons that differ from the
//! plan's). Used to measure that phase before and after a change on the same plan.
//!
//! ```text
//! cargo run --release --no-default-features --example unassigned_reasons -- PROBLEM.json PLAN.json THREADS [REPEATS]
//! ```

use std::collections::HashMap;
use std::time::Instant;

use rayon::prelude::*;

use fieldopt::matching::{Eligibility, Reasons};
use fieldopt::policy::Objective;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let usage = "usage: unassigned_reasons PROBLEM.json PLAN.json THREADS [REPEATS]";
    let (Some(prob), Some(plan)) = (args.get(1), args.get(2)) else { panic!("{usage}") };
    let threads: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(1);
    let repeats: usize = args.get(4).and_then(|s| s.parse().ok()).unwrap_or(1).max(1);
    let p = fieldopt::io::read_problem(prob).unwrap_or_else(|e| panic!("{prob}: {e}"));
    let text = std::fs::read_to_string(plan).unwrap_or_else(|e| panic!("{plan}: {e}"));
    let plan: serde_json::Value = serde_json::from_str(&text).expect("plan JSON");
    let tech: HashMap<&str, usize> =
        p.technicians.iter().enumerate().map(|(i, t)| (t.id.as_str(), i)).collect();
    let job: HashMap<&str, usize> =
        p.jobs.iter().enumerate().map(|(i, j)| (j.id.as_str(), i)).collect();
    let mut routes = vec![Vec::new(); p.technicians.len()];
    for r in plan["routes"].as_array().expect("routes") {
        let t = tech[r["technician"].as_str().expect("technician")];
        routes[t] = r["stops"]
            .as_array()
            .expect("stops")
            .iter()
            .filter_map(|s| s["job"].as_str().map(|id| job[id]))
            .collect();
    }
    let expected: Vec<(usize, String)> = plan["unassigned"]
        .as_array()
        .expect("unassigned")
        .iter()
        .map(|u| (job[u["job"].as_str().expect("job")], u["reason"].as_str().unwrap_or("").into()))
        .collect();
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("pool");
    let obj = Objective::new(&p, &p.policy);
    let elig = Eligibility::new(&p);
    let mut secs = Vec::new();
    let mut got: Vec<(String, String)> = Vec::new();
    for _ in 0..repeats {
        let t0 = Instant::now();
        got = pool.install(|| {
            let why = Reasons::new(&p, &obj, &elig, &routes);
            expected.par_iter().map(|&(j, _)| why.of(j)).collect()
        });
        secs.push(t0.elapsed().as_secs_f64());
    }
    let differ = expected.iter().zip(&got).filter(|((_, want), (_, why))| want != why).count();
    println!(
        "{}",
        serde_json::json!({"threads": threads, "unassigned": expected.len(), "seconds": secs,
            "differ_from_plan": differ})
    );
}
