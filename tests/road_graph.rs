//! `"kind": "road_graph"` travel: inline and CSV graphs, snapping, one-way streets,
//! unreachable places, validation errors naming the field. Every plan is checked by the
//! independent checker of `tests/common/checker.rs` (which reads inline road graphs with
//! its own snapping and Dijkstra). `../shared/tools/check_plan.py` does not know this
//! travel kind, so it is not run here.

mod common;

use std::fmt::Write as _;

use common::checker::{check, job_appearances};
use fieldopt::{io, solve, SolveParams};
use serde_json::{json, Value};

/// A 10 x 10 street grid around (50.85, 4.35), 150 m between crossings, two-way streets at
/// 30 km/h except row 4, which is one-way eastbound and fast (60 km/h). Node ids "n<i>".
fn grid() -> (Value, Value) {
    let side = 10;
    let step = 0.00135; // degrees of latitude, ~150 m
    let nodes: Vec<Value> = (0..side * side)
        .map(|i| {
            let (r, c) = (i / side, i % side);
            json!({"id": format!("n{i}"), "lat": 50.85 + r as f64 * step, "lon": 4.35 + c as f64 * step * 1.6})
        })
        .collect();
    let mut edges = Vec::new();
    let mut street = |a: usize, b: usize, metres: f64, kmh: f64, both: bool| {
        let secs = metres / (kmh / 3.6);
        edges.push(json!({"from": format!("n{a}"), "to": format!("n{b}"), "seconds": secs, "metres": metres}));
        if both {
            edges.push(json!({"from": format!("n{b}"), "to": format!("n{a}"), "seconds": secs, "metres": metres}));
        }
    };
    for i in 0..side * side {
        let (r, c) = (i / side, i % side);
        if c + 1 < side {
            if r == 4 {
                street(i, i + 1, 150.0, 60.0, false);
            } else {
                street(i, i + 1, 150.0, 30.0, true);
            }
        }
        if r + 1 < side {
            street(i, i + side, 150.0, 30.0, true);
        }
    }
    (Value::Array(nodes), Value::Array(edges))
}

/// Three technicians and 24 jobs placed near grid crossings (a few metres off).
fn doc(travel: Value) -> Value {
    let loc = |r: usize, c: usize| json!({"lat": 50.85 + r as f64 * 0.00135 + 0.00002, "lon": 4.35 + c as f64 * 0.00216 - 0.00003});
    let techs: Vec<Value> = (0..3)
        .map(|t| json!({"id": format!("T{t}"), "start": loc(0, 3 * t), "shift": [28800, 34200]}))
        .collect();
    let jobs: Vec<Value> = (0..24)
        .map(|j| {
            let mut job = json!({"id": format!("J{j:02}"), "location": loc((j * 7) % 10, (j * 3) % 10), "duration": 300});
            if j % 5 == 0 {
                job["time_windows"] = json!([[30000, 32000]]);
            }
            job
        })
        .collect();
    json!({"format": "fieldopt-problem/1", "date": "2026-11-24", "travel": travel,
           "technicians": techs, "jobs": jobs})
}

fn inline_doc() -> Value {
    let (nodes, edges) = grid();
    doc(json!({"kind": "road_graph", "nodes": nodes, "edges": edges}))
}

fn params(seed: u64) -> SolveParams {
    SolveParams { seed, threads: Some(1), iterations: Some(400), ..Default::default() }
}

/// Solves `d`, checks the plan with the independent checker (no violation, every job
/// exactly once, the engine's KPIs equal the recomputed ones) and returns it as JSON.
fn solve_checked(d: &Value) -> Value {
    let p = io::parse_problem_value(d.clone()).expect("valid");
    let plan: Value = serde_json::to_value(solve(&p, &params(3))).expect("plan json");
    let rep = check(d, &plan);
    assert!(rep.violations.is_empty(), "{:?}", rep.violations);
    let seen = job_appearances(&plan);
    assert_eq!(seen.len(), 24, "every job once");
    assert!(seen.values().all(|&n| n == 1));
    let diff = rep.kpis.diff(&plan["kpis"], 1e-6);
    assert!(diff.is_empty(), "engine KPIs differ from the checker's: {diff:?}");
    plan
}

#[test]
fn road_graph_plan_is_feasible_for_the_independent_checker() {
    let d = inline_doc();
    let plan = solve_checked(&d);
    let assigned = plan["kpis"]["assigned"].as_u64().unwrap();
    assert!(assigned >= 20, "a 1.5 h day on a small grid serves most jobs: {assigned}");
    // Same seed, same plan.
    let p = io::parse_problem_value(d).unwrap();
    assert_eq!(serde_json::to_value(solve(&p, &params(3))).unwrap(), plan);
}

#[test]
fn one_way_street_makes_travel_asymmetric() {
    // Row 4: n40 -> n49 eastbound at 60 km/h; westbound must leave the row (30 km/h).
    let (nodes, edges) = grid();
    let at = |n: usize| {
        let v = &nodes[n];
        json!({"lat": v["lat"], "lon": v["lon"]})
    };
    let mut d = inline_doc();
    d["travel"] = json!({"kind": "road_graph", "nodes": nodes, "edges": edges});
    d["technicians"] = json!([{"id": "E", "start": at(40), "end": at(49), "shift": [0, 10000]},
                              {"id": "W", "start": at(49), "end": at(40), "shift": [0, 10000]}]);
    d["jobs"] = json!([]);
    let p = io::parse_problem_value(d.clone()).unwrap();
    let east = p.travel.exact.between(p.technicians[0].start, p.technicians[0].end);
    let west = p.travel.exact.between(p.technicians[1].start, p.technicians[1].end);
    assert!((east.0 - 9.0 * 150.0 / (60.0 / 3.6)).abs() < 1e-6, "east {east:?}");
    assert!((east.1 - 1350.0).abs() < 1e-6);
    // West: up one block, 9 blocks west, down one block, all at 30 km/h.
    assert!((west.0 - 11.0 * 150.0 / (30.0 / 3.6)).abs() < 1e-6, "west {west:?}");
    assert!((west.1 - 1650.0).abs() < 1e-6);
}

#[test]
fn csv_files_give_the_same_plan_as_inline() {
    let (nodes, edges) = grid();
    let dir = tempfile::tempdir().unwrap();
    let mut n = String::from("id,lat,lon,highway\n");
    for v in nodes.as_array().unwrap() {
        writeln!(n, "{},{},{},residential", v["id"].as_str().unwrap(), v["lat"], v["lon"]).unwrap();
    }
    let mut e = String::from("from,to,seconds,metres\n");
    for v in edges.as_array().unwrap() {
        let s = |k: &str| v[k].as_str().map_or_else(|| v[k].to_string(), str::to_owned);
        writeln!(e, "{},{},{},{}", s("from"), s("to"), s("seconds"), s("metres")).unwrap();
    }
    std::fs::write(dir.path().join("nodes.csv"), n).unwrap();
    std::fs::write(dir.path().join("edges.csv"), e).unwrap();
    let d = doc(json!({"kind": "road_graph", "nodes_csv": "nodes.csv", "edges_csv": "edges.csv"}));
    let file = dir.path().join("problem.json");
    std::fs::write(&file, d.to_string()).unwrap();
    // Relative CSV paths are read from the problem file's folder.
    let from_csv = io::read_problem(&file).expect("csv graph");
    let inline = io::parse_problem_value(inline_doc()).unwrap();
    let a = serde_json::to_value(solve(&from_csv, &params(3))).unwrap();
    let b = serde_json::to_value(solve(&inline, &params(3))).unwrap();
    assert_eq!(a, b);
}

#[test]
fn unreachable_job_is_unassigned_and_the_plan_checks() {
    let (mut nodes, edges) = grid();
    nodes.as_array_mut().unwrap().push(json!({"id": "island", "lat": 50.90, "lon": 4.40}));
    let mut d = doc(json!({"kind": "road_graph", "nodes": nodes, "edges": edges}));
    d["jobs"][0]["location"] = json!({"lat": 50.9001, "lon": 4.4001});
    let plan = solve_checked(&d);
    let un = plan["unassigned"].as_array().unwrap();
    let j = un.iter().find(|u| u["job"] == "J00").expect("J00 cannot be reached");
    assert_eq!(j["code"], "no_feasible_time", "{j}");
}

fn err_of(d: Value) -> (String, String) {
    match io::parse_problem_value(d) {
        Ok(_) => panic!("expected an error"),
        Err(fieldopt::Error::InvalidInput { path, message }) => (path, message),
        Err(e) => panic!("expected InvalidInput, got {e}"),
    }
}

#[test]
fn invalid_road_graphs_name_the_field() {
    let (nodes, edges) = grid();
    let with = |f: &dyn Fn(&mut Value)| {
        let mut t = json!({"kind": "road_graph", "nodes": nodes.clone(), "edges": edges.clone()});
        f(&mut t);
        err_of(doc(t))
    };
    let (p, m) = with(&|t| t["edges"][1]["to"] = json!("nowhere"));
    assert_eq!((p.as_str(), m.as_str()), ("travel.edges[1].to", "unknown node \"nowhere\""));
    let (p, m) = with(&|t| t["edges"][0]["seconds"] = json!(-1));
    assert_eq!(p, "travel.edges[0].seconds", "{m}");
    let (p, _) =
        with(&|t| t["edges"][2].as_object_mut().unwrap().remove("metres").map(drop).unwrap());
    assert_eq!(p, "travel.edges[2].metres");
    let (p, m) = with(&|t| t["nodes"][2]["lat"] = json!(95));
    assert_eq!(p, "travel.nodes[2].lat", "{m}");
    let (p, m) = with(&|t| t["nodes"][1]["id"] = json!("n0"));
    assert_eq!(
        (p.as_str(), m.as_str()),
        ("travel.nodes[1].id", "duplicate node id \"n0\" (also travel.nodes[0])")
    );
    let (p, _) = with(&|t| t["nodes"] = json!([]));
    assert_eq!(p, "travel.nodes");
    let (p, _) = with(&|t| t["nodes_csv"] = json!("x.csv"));
    assert_eq!(p, "travel.nodes", "nodes and nodes_csv together");
    let (p, _) = with(&|t| t["bidirectional"] = json!("yes"));
    assert_eq!(p, "travel.bidirectional");
    let (p, m) = with(&|t| t["max_snap_m"] = json!(1.0));
    assert_eq!(p, "technicians[0].start", "{m}");
    assert!(m.contains("max_snap_m = 1"), "{m}");
    let (p, m) = with(&|t| t["kind"] = json!("roads"));
    assert_eq!(p, "travel.kind");
    assert!(m.contains("\"road_graph\", got \"roads\""), "{m}");
    // Integer node ids are accepted and matched as text.
    let mut t = json!({"kind": "road_graph",
        "nodes": [{"id": 1, "lat": 50.0, "lon": 4.0}, {"id": "2", "lat": 50.0, "lon": 4.01}],
        "edges": [{"from": 1, "to": 2, "seconds": 60, "metres": 700}], "bidirectional": true});
    let mut d = doc(t.take());
    d["technicians"] = json!([{"id": "T", "start": {"lat": 50.0, "lon": 4.0}, "shift": [0, 1000]}]);
    d["jobs"] = json!([{"id": "J", "location": {"lat": 50.0, "lon": 4.01}, "duration": 10}]);
    let plan =
        serde_json::to_value(solve(&io::parse_problem_value(d.clone()).unwrap(), &params(0)))
            .unwrap();
    assert!(check(&d, &plan).violations.is_empty());
    assert_eq!(plan["kpis"]["travel_time"], json!(120.0));
}

#[test]
fn csv_errors_name_the_file_field_and_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("n.csv"), "id,lat,lon\na,50,4\nb,50,4.01\n").unwrap();
    std::fs::write(dir.path().join("e.csv"), "from,to,seconds,metres\na,b,10,100\nb,a,ten,100\n")
        .unwrap();
    std::fs::write(dir.path().join("bad_header.csv"), "src,dst,seconds,metres\n").unwrap();
    let run = |nodes: &str, edges: &str| {
        let d = doc(json!({"kind": "road_graph", "nodes_csv": nodes, "edges_csv": edges}));
        let f = dir.path().join("p.json");
        std::fs::write(&f, d.to_string()).unwrap();
        match io::read_problem(&f) {
            Err(fieldopt::Error::InvalidInput { path, message }) => (path, message),
            other => panic!("expected InvalidInput, got {other:?}"),
        }
    };
    let (p, m) = run("n.csv", "e.csv");
    assert_eq!(p, "travel.edges_csv");
    assert!(m.contains("line 3") && m.contains("seconds") && m.contains("\"ten\""), "{m}");
    let (p, m) = run("missing.csv", "e.csv");
    assert_eq!(p, "travel.nodes_csv");
    assert!(m.contains("missing.csv"), "{m}");
    let (p, m) = run("n.csv", "bad_header.csv");
    assert_eq!(p, "travel.edges_csv");
    assert!(m.contains("missing column \"from\""), "{m}");
}
