//! The LP-guided fallback (issue 5): when the search reaches no plan in its budget, or
//! leaves a high-priority job out, the assignment MIP with that job required, sequenced,
//! places it; the plan passes the independent checker of `tests/common/`.
#![cfg(any(feature = "lp-highs", feature = "lp-microlp"))]

mod common;

use common::checker::check;
use fieldopt::solver::{solve_with, LpAssist, SolverOptions};
use fieldopt::{io, Plan, SolveParams};
use serde_json::{json, Value};

/// Two technicians at a depot; a high-priority job only `A` has the skill for, two
/// low-priority jobs anyone can do. Every job fits in a day with room to spare.
fn doc() -> Value {
    let tech = |id: &str, level: u32| {
        json!({"id": id, "start": {"x": 0, "y": 0}, "shift": [0, 20000],
               "skills": {"s": level}})
    };
    let job = |id: &str, x: i64, prio: u32, skill: u32| {
        json!({"id": id, "location": {"x": x, "y": 0}, "duration": 600,
               "priority": prio, "skills": {"s": skill}})
    };
    json!({"format": "fieldopt-problem/1", "date": "2026-11-24",
           "travel": {"kind": "euclidean", "speed": 1.0},
           "technicians": [tech("A", 3), tech("B", 1)],
           "jobs": [job("H", 3000, 5, 3), job("L1", -2000, 0, 1), job("L2", 2500, 0, 1)]})
}

/// Solves with the fallback on or off and checks the plan independently.
fn solve(doc: &Value, params: &SolveParams, fallback: bool) -> Plan {
    let problem = io::parse_problem_value(doc.clone()).expect("valid problem");
    let opts =
        SolverOptions { lp: LpAssist { fallback, ..LpAssist::default() }, ..Default::default() };
    let plan = solve_with(&problem, params, &opts);
    let value: Value = serde_json::from_str(&io::plan_to_string(&plan)).expect("plan JSON");
    let rep = check(doc, &value);
    assert!(rep.violations.is_empty(), "checker: {:?}\n{value:#}", rep.violations);
    plan
}

fn unassigned(plan: &Plan) -> Vec<String> {
    plan.unassigned.iter().map(|u| u.job.clone()).collect()
}

#[test]
fn fallback_places_the_high_priority_job_when_the_search_had_no_time() {
    // A time limit of zero: the construction stops before placing anything.
    let params = SolveParams { time_limit: Some(0.0), threads: Some(1), ..Default::default() };
    let off = solve(&doc(), &params, false);
    assert!(unassigned(&off).contains(&"H".to_string()), "precondition: {:?}", unassigned(&off));
    let on = solve(&doc(), &params, true);
    assert!(
        !unassigned(&on).contains(&"H".to_string()),
        "fallback left H out: {:?}",
        unassigned(&on)
    );
    assert!(on.kpis.objective < off.kpis.objective);
}

#[test]
fn fallback_changes_nothing_when_the_search_placed_every_job() {
    let params = SolveParams { iterations: Some(200), ..Default::default() };
    let off = solve(&doc(), &params, false);
    assert!(off.unassigned.is_empty(), "{:?}", unassigned(&off));
    let on = solve(&doc(), &params, true);
    assert_eq!(io::plan_to_string(&on), io::plan_to_string(&off));
}
