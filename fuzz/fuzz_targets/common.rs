//! What every fuzz target asserts about one input text: parse + validate either rejects it
//! with an `InvalidInput` error that names a field (only JSON syntax errors and a non-object
//! top level may have an empty path), or the problem solves (50 iterations, 1 thread) to a
//! plan that the engine's verifier accepts, with every job exactly once and finite times.

use std::collections::HashMap;

use fieldopt::plan::verify::verify;
use fieldopt::plan::Stop;
use fieldopt::{Error, SolveParams};

/// Largest problem the targets solve (inputs are a few KB; this only bounds pathological
/// matrices so one execution stays well under a second).
const MAX_JOBS: usize = 400;

pub fn check_text(text: &str) {
    match fieldopt::io::parse_problem_str(text) {
        Err(e) => check_error(&e),
        Ok(problem) => {
            if problem.jobs.len() > MAX_JOBS {
                return;
            }
            let params = SolveParams {
                seed: 0,
                iterations: Some(50),
                threads: Some(1),
                ..SolveParams::default()
            };
            let plan = fieldopt::solve(&problem, &params);
            let v = verify(&problem, &plan);
            assert!(v.feasible, "engine plan infeasible: {:?}", v.violations);
            let mut seen: HashMap<&str, usize> = HashMap::new();
            for r in &plan.routes {
                for s in &r.stops {
                    let (start, end) = match s {
                        Stop::Job { job, arrival, start, end } => {
                            *seen.entry(job.as_str()).or_default() += 1;
                            assert!(arrival.is_finite(), "arrival not finite at {job}");
                            (*start, *end)
                        }
                        Stop::Break { start, end, .. } => (*start, *end),
                    };
                    assert!(start.is_finite() && end.is_finite(), "stop times not finite");
                }
            }
            for u in &plan.unassigned {
                *seen.entry(u.job.as_str()).or_default() += 1;
                assert!(!u.reason.is_empty(), "unassigned {} without a reason", u.job);
            }
            for j in &problem.jobs {
                assert_eq!(seen.get(j.id.as_str()), Some(&1), "job {:?} not exactly once", j.id);
            }
            assert_eq!(seen.len(), problem.jobs.len(), "plan names jobs not in the problem");
            let k = &plan.kpis;
            for (name, x) in [
                ("travel_time", k.travel_time),
                ("travel_distance", k.travel_distance),
                ("objective", k.objective),
                ("labor_cost", k.labor_cost),
            ] {
                assert!(x.is_finite(), "kpi {name} = {x}");
            }
            let _ = fieldopt::io::plan_to_string(&plan);
        }
    }
}

fn check_error(e: &Error) {
    match e {
        Error::InvalidInput { path, message } => {
            assert!(!message.is_empty(), "empty error message at {path:?}");
            if path.is_empty() {
                assert!(
                    message.starts_with("invalid JSON") || message.contains("top level"),
                    "error without a field path: {message}"
                );
            }
        }
        other => panic!("parse_problem_str returned a non-input error: {other}"),
    }
}
