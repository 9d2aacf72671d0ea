//! Dispatch policies: scenarios where the preset decides who gets a job, the presets and
//! policy files parse (and bad ones are rejected naming the field), outsourcing by
//! `unassigned_cost`, and the policy KPIs in the plan. Every plan is verified by the
//! independent checker of `tests/common/` (written from the spec, not from the engine).

mod common;

use common::checker::check;
use fieldopt::plan::analysis::analyse;
use fieldopt::{io, Plan, Policy, SolveParams};
use serde_json::{json, Value};

const ITERS: u64 = 200;

/// Solves `doc` under `policy` with a fixed budget; asserts the checker accepts the plan
/// and that the engine's KPIs agree with the checker's.
fn solve(doc: &Value, policy: Option<Policy>) -> Plan {
    let problem = io::parse_problem_value(doc.clone()).expect("valid problem");
    let params = SolveParams {
        seed: 0,
        iterations: Some(ITERS),
        threads: Some(1),
        policy,
        ..Default::default()
    };
    let plan = fieldopt::solve(&problem, &params);
    let value: Value = serde_json::from_str(&io::plan_to_string(&plan)).expect("plan JSON");
    let rep = check(doc, &value);
    assert!(rep.violations.is_empty(), "checker: {:?}\n{value:#}", rep.violations);
    assert!(
        rep.kpis.diff(&value["kpis"], 1e-6).is_empty(),
        "{:?}",
        rep.kpis.diff(&value["kpis"], 1e-6)
    );
    plan
}

fn preset(name: &str) -> Option<Policy> {
    Some(Policy::preset(name).unwrap_or_else(|| panic!("preset {name}")))
}

/// The technician doing `job`, if any.
fn who(plan: &Plan, job: &str) -> Option<String> {
    plan.routes
        .iter()
        .find(|r| {
            r.stops
                .iter()
                .any(|s| matches!(s, fieldopt::plan::Stop::Job { job: j, .. } if j == job))
        })
        .map(|r| r.technician.clone())
}

fn tech(id: &str, x: f64, extra: Value) -> Value {
    let mut t = json!({"id": id, "start": {"x": x, "y": 0}, "shift": [0, 36000]});
    if let (Some(t), Some(e)) = (t.as_object_mut(), extra.as_object()) {
        t.extend(e.clone());
    }
    t
}

fn doc(techs: Vec<Value>, jobs: Value) -> Value {
    json!({"format": "fieldopt-problem/1", "date": "2026-11-24",
           "travel": {"kind": "euclidean", "speed": 1.0}, "technicians": techs, "jobs": jobs})
}

#[test]
fn favourite_first_sends_the_favourite_even_if_farther() {
    let techs = vec![tech("NEAR", 0.0, json!({})), tech("FAV", 300.0, json!({}))];
    let jobs = json!([{"id": "J", "location": {"x": 100, "y": 0}, "duration": 600,
                       "preferred_technicians": ["FAV"]}]);
    let d = doc(techs, jobs);
    assert_eq!(who(&solve(&d, preset("min_travel")), "J").as_deref(), Some("NEAR"));
    let plan = solve(&d, preset("favourite_first"));
    assert_eq!(who(&plan, "J").as_deref(), Some("FAV"));
    assert_eq!(plan.kpis.policy.as_ref().and_then(|k| k.preferred_rate), Some(1.0));
}

#[test]
fn favourite_first_never_costs_a_job() {
    // FAV's day is too short for both jobs; the job without a favourite must stay
    // assigned (NEAR takes the favourite's job instead if need be).
    let techs = vec![
        tech("NEAR", 0.0, json!({"shift": [0, 2000]})),
        tech("FAV", 10.0, json!({"shift": [0, 2000]})),
    ];
    let jobs = json!([
        {"id": "P", "location": {"x": 10, "y": 0}, "duration": 1500, "preferred_technicians": ["FAV"]},
        {"id": "ONLY_FAV", "location": {"x": 10, "y": 0}, "duration": 1500, "excluded_technicians": ["NEAR"]}
    ]);
    let plan = solve(&doc(techs, jobs), preset("favourite_first"));
    assert_eq!(plan.kpis.assigned, 2, "{plan:?}");
    assert_eq!(who(&plan, "ONLY_FAV").as_deref(), Some("FAV"));
    assert_eq!(who(&plan, "P").as_deref(), Some("NEAR"));
}

#[test]
fn best_skill_fit_keeps_the_expert_free() {
    let techs = vec![
        tech("EXPERT", 0.0, json!({"skills": {"hvac": 5}})),
        tech("BASIC", 200.0, json!({"skills": {"hvac": 1}})),
    ];
    let jobs =
        json!([{"id": "J", "location": {"x": 50, "y": 0}, "duration": 600, "skills": {"hvac": 1}}]);
    let d = doc(techs, jobs);
    assert_eq!(who(&solve(&d, preset("min_travel")), "J").as_deref(), Some("EXPERT"));
    let plan = solve(&d, preset("best_skill_fit"));
    assert_eq!(who(&plan, "J").as_deref(), Some("BASIC"));
    let k = plan.kpis.policy.expect("policy kpis");
    assert_eq!((k.overqualification, k.expert_hours_basic), (0, 0.0));
}

#[test]
fn rating_prefers_the_better_rated_for_important_jobs() {
    let techs =
        vec![tech("LOW", 0.0, json!({"rating": 3.0})), tech("HIGH", 0.0, json!({"rating": 4.9}))];
    let jobs = json!([{"id": "J", "location": {"x": 5, "y": 0}, "duration": 600, "priority": 3}]);
    assert_eq!(who(&solve(&doc(techs, jobs), None), "J").as_deref(), Some("HIGH"));
}

#[test]
fn balanced_splits_the_work() {
    let techs = vec![tech("A", 0.0, json!({})), tech("B", 0.0, json!({}))];
    let jobs: Vec<Value> = (1..=4)
        .map(|i| json!({"id": format!("J{i}"), "location": {"x": i, "y": 0}, "duration": 3600}))
        .collect();
    let d = doc(techs, Value::Array(jobs));
    let used = |p: &Plan| p.routes.iter().filter(|r| !r.stops.is_empty()).count();
    assert_eq!(used(&solve(&d, preset("min_travel"))), 1, "one route is the shortest");
    let plan = solve(&d, preset("balanced"));
    assert_eq!(used(&plan), 2);
    assert!(plan.kpis.policy.expect("kpis").workload_spread_hours < 0.01);
}

/// Every preset on a small generated region with room to spare (all servable jobs fit
/// under every policy, so labour is compared at equal work): `lowest_cost` pays the least
/// labour, as the checker computes it.
#[test]
fn lowest_cost_pays_the_least_labour_for_the_same_work() {
    let gp = fieldopt::generate::GenerateParams { jobs: 40, techs: 10, seed: 3 };
    let d = fieldopt::generate::generate(&gp);
    let mut rows = Vec::new();
    for &name in Policy::preset_names() {
        let plan = solve(&d, preset(name));
        let v: Value = serde_json::from_str(&io::plan_to_string(&plan)).expect("plan JSON");
        let k = check(&d, &v).kpis;
        rows.push((name, k.assigned, k.labor_cost));
    }
    let (_, jobs, cheapest) = *rows.iter().find(|r| r.0 == "lowest_cost").expect("preset");
    for &(name, assigned, labour) in &rows {
        assert_eq!(assigned, jobs, "{name}: not the same work: {rows:?}");
        assert!(cheapest <= labour + 1e-6, "lowest_cost {cheapest} > {name} {labour}: {rows:?}");
    }
}

#[test]
fn unassigned_cost_drives_outsourcing_when_cheaper_than_serving() {
    // Serving costs 1 per second of route span (over 200 here); outsourcing costs 50.
    let techs = vec![tech("A", 0.0, json!({"cost": {"per_hour": 3600.0}}))];
    let jobs = json!([
        {"id": "CHEAP_OUT", "location": {"x": 100, "y": 0}, "duration": 10, "unassigned_cost": 50},
        {"id": "DEAR_OUT", "location": {"x": 0, "y": 1}, "duration": 10, "unassigned_cost": 5000}
    ]);
    let d = doc(techs, jobs);
    let plan = solve(&d, None);
    assert_eq!(plan.kpis.assigned, 2, "the default policy ignores unassigned_cost");
    let outsource = Policy { outsourcing: 1.0, ..Policy::default() };
    let plan = solve(&d, Some(outsource));
    assert_eq!(who(&plan, "DEAR_OUT").as_deref(), Some("A"));
    assert_eq!(plan.unassigned.iter().map(|u| u.job.as_str()).collect::<Vec<_>>(), ["CHEAP_OUT"]);
    assert_eq!(plan.unassigned[0].code, "not_worth_it");
    assert_eq!(plan.kpis.policy.expect("kpis").outsourced, 1);
}

#[test]
fn presets_parse_and_solve() {
    let mut d = doc(
        vec![
            tech("A", 0.0, json!({"skills": {"hvac": 4}, "rating": 4.0})),
            tech("B", 9.0, json!({})),
        ],
        json!([{"id": "J1", "location": {"x": 3, "y": 0}, "duration": 600, "preferred_technicians": ["B"]},
               {"id": "J2", "location": {"x": 6, "y": 0}, "duration": 600, "skills": {"hvac": 2}}]),
    );
    for &name in Policy::preset_names() {
        let p = Policy::preset(name).expect("listed preset");
        assert_eq!(io::parse_policy_str(&serde_json::to_string(&p).unwrap()).unwrap(), p);
        let plan = solve(&d, Some(p.clone()));
        assert_eq!(plan.kpis.assigned, 2, "{name}");
        // The same weights inside the problem document give the same plan.
        d["policy"] = serde_json::to_value(&p).unwrap();
        assert_eq!(solve(&d, None), plan, "{name}");
    }
    assert!(Policy::preset("fastest").is_none());
}

#[test]
fn bad_policy_weights_name_the_field() {
    let cases = [
        (r#"{"skil_fit": 3}"#, "policy.skil_fit", "unknown field"),
        (r#"{"workload": -1}"#, "policy.workload", ">= 0"),
        (r#"{"preferred": "always"}"#, "policy.preferred", "invalid type"),
        (r#"[1, 2]"#, "policy", "object"),
    ];
    for (text, path, words) in cases {
        let e = io::parse_policy_str(text).expect_err(text);
        assert_eq!(e.path(), Some(path), "{text}: {e}");
        assert!(e.to_string().contains(words), "{text}: {e}");
    }
}

#[test]
fn plan_kpis_carry_the_policy_object() {
    let d = doc(
        vec![tech("A", 0.0, json!({"skills": {"hvac": 5}, "kind": "contractor"}))],
        json!([{"id": "J", "customer": "C", "location": {"x": 3, "y": 0}, "duration": 1800}]),
    );
    let problem = io::parse_problem_value(d.clone()).unwrap();
    let plan = solve(&d, None);
    let k = plan.kpis.policy.clone().expect("kpis.policy");
    assert_eq!(k, analyse(&problem, &plan));
    assert_eq!(
        (k.contractor_share, k.expert_hours_basic, k.customer_concentration),
        (1.0, 0.5, 1.0)
    );
    let v: Value = serde_json::from_str(&io::plan_to_string(&plan)).unwrap();
    assert_eq!(v["kpis"]["policy"]["contractor_share"], 1.0);
}

/// The CLI: `--policy NAME`, `--policy-file`, clear errors, and `compare`.
#[cfg(feature = "cli")]
mod cli {
    use super::*;
    use std::process::Command;

    fn run(args: &[&str]) -> (i32, String, String) {
        let out = Command::new(env!("CARGO_BIN_EXE_fieldopt")).args(args).output().expect("run");
        let s = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        (out.status.code().unwrap_or(-1), s(&out.stdout), s(&out.stderr))
    }

    #[test]
    fn policy_options_and_compare() {
        let dir = tempfile::tempdir().unwrap();
        let path = |n: &str| dir.path().join(n).to_string_lossy().into_owned();
        let d = doc(
            vec![tech("NEAR", 0.0, json!({})), tech("FAV", 300.0, json!({}))],
            json!([{"id": "J", "location": {"x": 100, "y": 0}, "duration": 600, "preferred_technicians": ["FAV"]}]),
        );
        std::fs::write(path("p.json"), d.to_string()).unwrap();
        std::fs::write(path("w.json"), r#"{"preferred": 0, "travel_time": 100}"#).unwrap();
        std::fs::write(path("bad.json"), r#"{"travel_tme": 1}"#).unwrap();
        let iters = ["--iterations", "100", "-q"];
        let (code, out, _) =
            run(&[&["solve", &path("p.json"), "--policy", "favourite_first"][..], &iters].concat());
        assert_eq!(code, 0);
        let plan: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(plan["routes"][0]["technician"], "FAV");
        assert!(check(&d, &plan).violations.is_empty());
        let (code, out, _) =
            run(&[&["solve", &path("p.json"), "--policy-file", &path("w.json")][..], &iters]
                .concat());
        assert_eq!(code, 0);
        assert_eq!(serde_json::from_str::<Value>(&out).unwrap()["routes"][0]["technician"], "NEAR");
        let (code, _, err) = run(&["solve", &path("p.json"), "--policy", "fastest"]);
        assert_eq!(code, 2);
        assert!(
            err.contains("unknown policy \"fastest\"") && err.contains("best_skill_fit"),
            "{err}"
        );
        let (code, _, err) = run(&["solve", &path("p.json"), "--policy-file", &path("bad.json")]);
        assert_eq!(code, 2);
        assert!(err.contains("policy.travel_tme") && err.contains("unknown field"), "{err}");
        let (code, out, _) = run(&[
            "compare",
            &path("p.json"),
            "--policy",
            "favourite_first",
            "--policy",
            "min_travel",
            "--iterations",
            "100",
            "-q",
            "--csv",
            &path("c.csv"),
            "--plans",
            &path("plans"),
        ]);
        assert_eq!(code, 0);
        assert!(out.lines().any(|l| l.starts_with("preferred_rate") && l.ends_with(" 0")), "{out}");
        let csv = std::fs::read_to_string(path("c.csv")).unwrap();
        assert_eq!(csv.lines().count(), 3, "{csv}");
        assert!(csv.starts_with("policy,assigned,") && csv.contains("\nmin_travel,1,"), "{csv}");
        for name in ["favourite_first", "min_travel"] {
            let text = std::fs::read_to_string(path(&format!("plans/{name}.plan.json"))).unwrap();
            assert!(check(&d, &serde_json::from_str(&text).unwrap()).violations.is_empty());
        }
    }
}
