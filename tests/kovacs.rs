//! Kovacs et al. (2012) STRSP instances (`../shared/benchmarks/kovacs_strsp/`, no-team
//! variant): the conversion of real files is checked against values read off the text
//! (counts, skills, outsourcing costs, shifts), every instance converts into a valid
//! problem, and one instance is solved and its plan verified by the independent checker
//! of `tests/common` (and `check_plan.py` when it is there). Skipped when the benchmark
//! folder is missing.

mod common;

use std::path::PathBuf;

use common::checker::{check, check_with_python};
use fieldopt::io::kovacs::{objective_from_kpis, to_problem};
use fieldopt::{io, solve, SolveParams};
use serde_json::{json, Value};

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/benchmarks/kovacs_strsp")
}

/// The converted no-team instance `name` (e.g. `C101_5x4`) with the full technician pool,
/// or `None` (with a note) when the files are not there.
fn instance(name: &str) -> Option<Value> {
    let tasks = dir().join(format!("tasks_noTeam/{name}_noTeam.txt"));
    let techs = dir().join(format!("technicians_noTeam/technicians_{name}_noTeam.txt"));
    let (Ok(t), Ok(p)) = (std::fs::read_to_string(&tasks), std::fs::read_to_string(&techs)) else {
        eprintln!("skipped: {tasks:?} not found");
        return None;
    };
    Some(to_problem(&t, &p, name).expect("converts"))
}

fn job<'a>(doc: &'a Value, id: &str) -> &'a Value {
    doc["jobs"].as_array().unwrap().iter().find(|j| j["id"] == id).unwrap()
}

#[test]
fn c101_5x4_converts_with_counts_skills_and_costs() {
    let Some(doc) = instance("C101_5x4") else { return };
    let techs = doc["technicians"].as_array().unwrap();
    let jobs = doc["jobs"].as_array().unwrap();
    assert_eq!((techs.len(), jobs.len()), (17, 100));
    // technicians_C101_5x4_noTeam.txt row `1  3 1 3 4 4`.
    assert_eq!(techs[0]["id"], "T1");
    assert_eq!(techs[0]["skills"], json!({"d1": 3, "d2": 1, "d3": 3, "d4": 4, "d5": 4}));
    assert_eq!(techs[0]["shift"], json!([0, 1236]));
    assert_eq!(techs[0]["start"], json!({"x": 40, "y": 50}));
    // Task 2: d21 d22 d23 set (domain 2 at level 3), cost 100, window [912, 967], service 90.
    let j2 = job(&doc, "2");
    assert_eq!(j2["skills"], json!({"d2": 3}));
    assert_eq!(j2["unassigned_cost"], 100);
    assert_eq!(j2["time_windows"], json!([[912, 967]]));
    assert_eq!(j2["duration"], 90);
    // Task 3: level 1 in domains 3 and 4.
    assert_eq!(job(&doc, "3")["skills"], json!({"d3": 1, "d4": 1}));
    // Task 4: domain 2 at level 4, cost 200.
    assert_eq!(job(&doc, "4")["skills"], json!({"d2": 4}));
    assert_eq!(job(&doc, "4")["unassigned_cost"], 200);
    // Costs of the file: 27x100 + 30x200 + 20x300 + 5x400 + 5x600 + 7x50 + 6x150.
    let total: f64 = jobs.iter().map(|j| j["unassigned_cost"].as_f64().unwrap()).sum();
    assert_eq!(total, 20_950.0);
    assert_eq!(doc["travel"], json!({"kind": "euclidean", "speed": 1.0}));
    assert_eq!(doc["policy"]["outsourcing"], 1.0);
    assert_eq!(io::parse_problem_value(doc).unwrap().jobs.len(), 100);
}

#[test]
fn six_levels_are_split_exactly() {
    let Some(doc) = instance("C101_6x6") else { return };
    let techs = doc["technicians"].as_array().unwrap();
    assert_eq!(techs.len(), 16);
    // technicians_C101_6x6_noTeam.txt row `1  6 3 4 6 6 5` and `2  2 0 0 0 0 1`.
    assert_eq!(
        techs[0]["skills"],
        json!({"d1": 5, "d1+": 1, "d2": 3, "d3": 4, "d4": 5, "d4+": 1, "d5": 5, "d5+": 1, "d6": 5})
    );
    assert_eq!(techs[1]["skills"], json!({"d1": 2, "d6": 1}));
}

#[test]
fn every_no_team_instance_converts_and_validates() {
    let Ok(entries) = std::fs::read_dir(dir().join("tasks_noTeam")) else {
        eprintln!("skipped: no kovacs_strsp folder");
        return;
    };
    let mut n = 0;
    for e in entries.flatten() {
        let file = e.file_name().to_string_lossy().to_string();
        let Some(name) = file.strip_suffix("_noTeam.txt") else { continue };
        for pool in ["technicians_noTeam", "techniciansReduced_noTeam"] {
            let tasks = std::fs::read_to_string(e.path()).unwrap();
            let techs = std::fs::read_to_string(
                dir().join(format!("{pool}/technicians_{name}_noTeam.txt")),
            )
            .unwrap();
            let doc = to_problem(&tasks, &techs, name).unwrap_or_else(|e| panic!("{name}: {e}"));
            let p = io::parse_problem_value(doc).unwrap_or_else(|e| panic!("{name} {pool}: {e}"));
            assert_eq!(p.jobs.len(), 100, "{name}");
            n += 1;
        }
    }
    assert_eq!(n, 72, "36 instances x 2 technician pools");
}

#[test]
fn c101_5x4_solves_and_the_checker_agrees() {
    let Some(doc) = instance("C101_5x4") else { return };
    let problem = io::parse_problem_value(doc.clone()).unwrap();
    let params =
        SolveParams { seed: 0, iterations: Some(300), threads: Some(1), ..Default::default() };
    let plan = solve(&problem, &params);
    let text = io::plan_to_string(&plan);
    let value: Value = serde_json::from_str(&text).unwrap();
    let rep = check(&doc, &value);
    assert!(rep.violations.is_empty(), "checker: {:?}", rep.violations);
    let kpis = Value::Object(rep.kpis.to_map());
    let ours = objective_from_kpis(&kpis).expect("distance and outsourcing KPIs");
    // Outsourcing everything costs 20,950; serving jobs must be far cheaper than that, and
    // the engine objective is the same number.
    assert!(plan.kpis.assigned >= 80, "assigned {}", plan.kpis.assigned);
    assert!(ours < 10_000.0, "objective {ours}");
    let engine = plan.kpis.objective;
    assert!((engine - ours).abs() < 1e-3 * ours, "engine {engine} vs checker {ours}");
    if let Some(r) = check_with_python(&doc.to_string(), &text) {
        r.expect("check_plan.py accepts the plan");
    }
}
