//! Memory at scale: on-demand travel (no `n x n` matrix above
//! `travel::DENSE_MAX_LOCATIONS`) gives the same values and the same plans as the dense
//! matrices; sizes that cannot be held are `InvalidInput` errors naming `travel.durations`
//! or `jobs` with the limit. Speed and peak memory by size are benchmarks
//! (`benches/scale.py`), not tests.

mod common;

use common::checker::check;
use fieldopt::generate::{generate, GenerateParams};
use fieldopt::travel::{Travel, DENSE_MAX_LOCATIONS, MAX_MATRIX_LOCATIONS};
use fieldopt::{io, solve, Error, SolveParams};
use serde_json::{json, Value};

fn generated(jobs: usize, techs: usize, seed: u64) -> Value {
    generate(&GenerateParams { jobs, techs, seed })
}

fn err_of(d: Value) -> (String, String) {
    match io::parse_problem_value(d) {
        Err(Error::InvalidInput { path, message }) => (path, message),
        Err(e) => panic!("expected InvalidInput, got {e}"),
        Ok(_) => panic!("expected an error"),
    }
}

#[test]
fn on_demand_lookups_equal_dense_matrices() {
    let mut doc = generated(150, 12, 4);
    let p = io::parse_problem_value(doc.clone()).unwrap();
    assert!(p.travel.is_dense(), "{} locations are under the dense limit", p.travel.len());
    // The same locations on a plane, for the euclidean model.
    doc["travel"] = json!({"kind": "euclidean", "speed": 7.5});
    let to_xy = |l: &mut Value| {
        *l = json!({"x": l["lon"].as_f64().unwrap() * 1e4, "y": l["lat"].as_f64().unwrap() * 1e4})
    };
    for t in doc["technicians"].as_array_mut().unwrap() {
        to_xy(&mut t["start"]);
        if t.get("end").is_some() {
            to_xy(&mut t["end"]);
        }
    }
    for j in doc["jobs"].as_array_mut().unwrap() {
        to_xy(&mut j["location"]);
    }
    let q = io::parse_problem_value(doc).unwrap();
    for prob in [&p, &q] {
        let dense = Travel::dense(prob.travel.exact.clone());
        let lazy = Travel::on_demand(prob.travel.exact.clone());
        assert!(!lazy.is_dense());
        let n = dense.len();
        for a in 0..n {
            for b in 0..n {
                assert_eq!(dense.time(a, b), lazy.time(a, b), "time {a} -> {b}");
                assert_eq!(dense.dist(a, b), lazy.dist(a, b), "dist {a} -> {b}");
            }
        }
    }
}

#[test]
fn on_demand_travel_gives_the_same_plan_as_dense() {
    let doc = generated(200, 15, 9);
    let dense = io::parse_problem_value(doc.clone()).unwrap();
    let mut lazy = dense.clone();
    lazy.travel = Travel::on_demand(dense.travel.exact.clone());
    for threads in [1, 2] {
        let params = SolveParams {
            seed: 5,
            threads: Some(threads),
            iterations: Some(600),
            ..Default::default()
        };
        let a = serde_json::to_value(solve(&dense, &params)).unwrap();
        let b = serde_json::to_value(solve(&lazy, &params)).unwrap();
        assert_eq!(a, b, "{threads} thread(s)");
        let rep = check(&doc, &b);
        assert!(rep.violations.is_empty(), "{:?}", rep.violations);
        assert!(a["kpis"]["assigned"].as_u64().unwrap() > 100);
    }
}

#[test]
fn above_the_dense_limit_travel_is_on_demand() {
    // One technician, DENSE_MAX_LOCATIONS jobs: DENSE_MAX_LOCATIONS + 2 locations.
    let jobs: Vec<Value> = (0..DENSE_MAX_LOCATIONS)
        .map(|i| json!({"id": format!("J{i}"), "location": {"x": (i % 100) as f64, "y": (i / 100) as f64}, "duration": 1}))
        .collect();
    let doc = json!({"format": "fieldopt-problem/1", "date": "2026-11-24", "travel": {"kind": "euclidean"},
        "technicians": [{"id": "T", "start": {"x": 0, "y": 0}, "shift": [0, 100]}], "jobs": jobs});
    let p = io::parse_problem_value(doc).unwrap();
    assert!(!p.travel.is_dense());
    assert_eq!(p.travel.time(0, p.jobs[101].loc), 1415, "sqrt(2) rounded up in ticks");
}

#[test]
fn user_matrix_over_the_limit_names_travel_durations() {
    // The side is checked before the rows, so short rows make a cheap oversized matrix.
    let rows = vec![json!([0]); MAX_MATRIX_LOCATIONS + 1];
    let doc = json!({"format": "fieldopt-problem/1", "date": "2026-11-24",
        "travel": {"kind": "matrix", "durations": rows},
        "technicians": [{"id": "T", "start": 0, "shift": [0, 100]}], "jobs": []});
    let (path, message) = err_of(doc);
    assert_eq!(path, "travel.durations");
    assert!(message.contains(&MAX_MATRIX_LOCATIONS.to_string()), "{message}");
    // A small matrix passes the side check; its row shape is what fails.
    let rows = vec![json!([0]); 3];
    let doc = json!({"format": "fieldopt-problem/1", "date": "2026-11-24",
        "travel": {"kind": "matrix", "durations": rows},
        "technicians": [{"id": "T", "start": 0, "shift": [0, 100]}], "jobs": []});
    assert_eq!(err_of(doc).0, "travel.durations[0]");
}

#[test]
fn too_many_job_technician_pairs_names_jobs() {
    let techs = 20_000usize;
    let jobs = fieldopt::matching::MAX_PAIRS / techs + 1;
    let t: Vec<Value> = (0..techs)
        .map(|i| json!({"id": format!("T{i}"), "start": {"x": 0, "y": 0}, "shift": [0, 100]}))
        .collect();
    let j: Vec<Value> = (0..jobs)
        .map(|i| json!({"id": format!("J{i}"), "location": {"x": 1, "y": 1}, "duration": 1}))
        .collect();
    let doc = json!({"format": "fieldopt-problem/1", "date": "2026-11-24", "travel": {"kind": "euclidean"},
        "technicians": t, "jobs": j});
    let (path, message) = err_of(doc);
    assert_eq!(path, "jobs");
    assert!(message.contains(&fieldopt::matching::MAX_PAIRS.to_string()), "{message}");
}
