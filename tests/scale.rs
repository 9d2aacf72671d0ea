//! Memory at scale: on-demand travel (no `n x n` matrix above
//! `travel::DENSE_MAX_LOCATIONS`) gives the same values and the same plans as the dense
//! matrices; sizes that cannot be held are `InvalidInput` errors naming `travel.durations`
//! or `jobs` with the limit. Decomposition (forced on a few hundred jobs) gives complete,
//! feasible, reproducible plans, the same with 1 and 2 threads. Speed and peak memory by
//! size are benchmarks (`benches/scale.py`), not tests.

mod common;

use common::checker::{check, job_appearances};
use fieldopt::generate::{generate, GenerateParams};
use fieldopt::solver::{solve_with, Decompose, SolverOptions};
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

/// Solves `doc` in iteration mode with decomposition forced into `parts` parts and returns
/// the plan as JSON, after asserting it is complete (every job exactly once, each
/// unassigned job with a reason) and feasible under the independent checker.
fn decomposed_plan(doc: &Value, parts: usize, seed: u64, threads: usize) -> Value {
    let p = io::parse_problem_value(doc.clone()).unwrap();
    let params =
        SolveParams { seed, threads: Some(threads), iterations: Some(400), ..Default::default() };
    let opts = SolverOptions { decompose: Decompose::Parts(parts), ..Default::default() };
    let plan = serde_json::to_value(solve_with(&p, &params, &opts)).unwrap();
    let rep = check(doc, &plan);
    assert!(rep.violations.is_empty(), "{parts} parts: {:?}", rep.violations);
    let seen = job_appearances(&plan);
    for j in doc["jobs"].as_array().unwrap() {
        let id = j["id"].as_str().unwrap();
        assert_eq!(seen.get(id).copied(), Some(1), "job {id} must appear exactly once");
    }
    assert_eq!(seen.len(), doc["jobs"].as_array().unwrap().len());
    for u in plan["unassigned"].as_array().unwrap() {
        assert!(!u["reason"].as_str().unwrap_or("").is_empty(), "no reason: {u}");
    }
    plan
}

#[test]
fn forced_decomposition_gives_complete_feasible_reproducible_plans() {
    let doc = generated(360, 30, 11);
    let whole = {
        let p = io::parse_problem_value(doc.clone()).unwrap();
        let params =
            SolveParams { seed: 3, threads: Some(2), iterations: Some(400), ..Default::default() };
        let off = SolverOptions { decompose: Decompose::Off, ..Default::default() };
        serde_json::to_value(solve_with(&p, &params, &off)).unwrap()
    };
    let whole_assigned = whole["kpis"]["assigned"].as_u64().unwrap();
    for parts in [2, 4] {
        let a = decomposed_plan(&doc, parts, 3, 1);
        let b = decomposed_plan(&doc, parts, 3, 1);
        assert_eq!(a, b, "{parts} parts: same seed, different plan");
        let c = decomposed_plan(&doc, parts, 3, 2);
        assert_eq!(a, c, "{parts} parts: 1 thread vs 2 threads differ");
        // The split must not cost much: the merged plan keeps most of what the whole-day
        // search assigns (the parts' searches plus the search across boundaries).
        let assigned = a["kpis"]["assigned"].as_u64().unwrap();
        assert!(
            assigned * 10 >= whole_assigned * 9,
            "{parts} parts: {assigned} vs {whole_assigned}"
        );
        assert_ne!(a, whole, "{parts} parts: decomposition had no effect");
    }
}

#[test]
fn forced_decomposition_keeps_pins_and_exclusions() {
    // Pin one job to a technician and ban another one's nearest technicians: the parts must
    // send the pinned job to its technician's part and never give a banned technician a job.
    let mut doc = generated(240, 20, 21);
    let techs: Vec<String> = doc["technicians"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap().to_string())
        .collect();
    let jobs = doc["jobs"].as_array_mut().unwrap();
    jobs[0]["pinned_technician"] = json!(techs[7]);
    jobs[1]["excluded_technicians"] = json!(techs[..10]);
    let plan = decomposed_plan(&doc, 3, 1, 2);
    for r in plan["routes"].as_array().unwrap() {
        for s in r["stops"].as_array().unwrap() {
            let (job, tech) = (s["job"].as_str(), r["technician"].as_str().unwrap());
            if job == doc["jobs"][0]["id"].as_str() {
                assert_eq!(tech, techs[7], "pinned job moved");
            }
            if job == doc["jobs"][1]["id"].as_str() {
                assert!(!techs[..10].iter().any(|t| t == tech), "excluded technician used");
            }
        }
    }
}

#[test]
fn forced_decomposition_by_team_is_feasible_and_reproducible() {
    // Two teams living side by side (alternating technicians): the split by team differs
    // from the geographic one, so the plans differ; each is complete, checker-verified and
    // the same on 1 and 2 threads.
    let mut teams = generated(300, 24, 17);
    for (i, t) in teams["technicians"].as_array_mut().unwrap().iter_mut().enumerate() {
        t["team"] = json!(if i % 2 == 0 { "north" } else { "south" });
    }
    let mut none = teams.clone();
    for t in none["technicians"].as_array_mut().unwrap() {
        t.as_object_mut().unwrap().remove("team");
    }
    let by_team = decomposed_plan(&teams, 2, 4, 1);
    assert_eq!(by_team, decomposed_plan(&teams, 2, 4, 2), "1 thread vs 2 threads differ");
    let by_place = decomposed_plan(&none, 2, 4, 1);
    assert_eq!(by_place, decomposed_plan(&none, 2, 4, 2), "1 thread vs 2 threads differ");
    assert_ne!(by_team["routes"], by_place["routes"], "the teams did not change the split");
    assert!(by_team["kpis"]["assigned"].as_u64().unwrap() > 150);
}

#[test]
fn solve_params_decompose_reaches_the_split() {
    // `SolveParams::decompose` through `solve` gives the plan of the same split forced
    // through `solve_with`; `Off` gives the whole-day plan.
    let doc = generated(240, 20, 6);
    let p = io::parse_problem_value(doc.clone()).unwrap();
    let params = |decompose| SolveParams {
        seed: 2,
        threads: Some(2),
        iterations: Some(400),
        decompose,
        ..Default::default()
    };
    let via_params = serde_json::to_value(solve(&p, &params(Decompose::Parts(3)))).unwrap();
    assert_eq!(via_params, decomposed_plan(&doc, 3, 2, 2));
    let off = serde_json::to_value(solve(&p, &params(Decompose::Off))).unwrap();
    assert_ne!(off["routes"], via_params["routes"], "Parts(3) had no effect");
    let rep = check(&doc, &off);
    assert!(rep.violations.is_empty(), "{:?}", rep.violations);
}
