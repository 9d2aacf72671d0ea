//! The parallel search in time mode on several threads (islands over a route
//! decomposition, `solver::islands`): its plans are complete and feasible under the
//! independent checker, with and without decomposition of large days and with skills,
//! windows and pins from the generator. Its speed and quality per wall-second are
//! benchmarks (`benches/compare_peers.py`), not tests.

mod common;

use common::checker::{check, job_appearances};
use fieldopt::generate::{generate, GenerateParams};
use fieldopt::solver::{solve_with, Decompose, SolverOptions};
use fieldopt::{io, SolveParams};
use serde_json::Value;

/// Solves `doc` for `secs` seconds on `threads` threads and asserts the plan is feasible
/// and complete (every job exactly once, every unassigned job with a reason).
fn time_mode_plan(doc: &Value, threads: usize, secs: f64, decompose: Decompose) -> Value {
    let p = io::parse_problem_value(doc.clone()).unwrap();
    let params = SolveParams {
        seed: 4,
        threads: Some(threads),
        time_limit: Some(secs),
        ..Default::default()
    };
    let plan = serde_json::to_value(solve_with(
        &p,
        &params,
        &SolverOptions { decompose, ..SolverOptions::default() },
    ))
    .unwrap();
    let rep = check(doc, &plan);
    assert!(rep.violations.is_empty(), "{threads} threads: {:?}", rep.violations);
    let seen = job_appearances(&plan);
    for j in doc["jobs"].as_array().unwrap() {
        let id = j["id"].as_str().unwrap();
        assert_eq!(seen.get(id).copied(), Some(1), "job {id} must appear exactly once");
    }
    for u in plan["unassigned"].as_array().unwrap() {
        assert!(!u["reason"].as_str().unwrap_or("").is_empty(), "no reason: {u}");
    }
    plan
}

#[test]
fn island_search_gives_feasible_complete_plans() {
    let doc = generate(&GenerateParams { jobs: 300, techs: 25, seed: 21 });
    for threads in [2, 3] {
        let plan = time_mode_plan(&doc, threads, 1.5, Decompose::Off);
        assert!(plan["kpis"]["assigned"].as_u64().unwrap() > 150, "{threads} threads");
    }
    // Islands on the merged plan of a decomposed day.
    let plan = time_mode_plan(&doc, 2, 2.0, Decompose::Parts(2));
    assert!(plan["kpis"]["assigned"].as_u64().unwrap() > 150);
}
