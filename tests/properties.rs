//! Property tests: random valid problems (tests/common/random.rs) solved with a small
//! iteration budget must give plans that an independent checker (tests/common/checker.rs,
//! written from the spec) and `../shared/tools/check_plan.py` accept; no job lost or
//! duplicated; the same seed gives the same plan; 1 thread and 3 threads give the same plan;
//! every unassigned job has a reason. Plus hand-written scenarios that must assign specific
//! things, and a cross-check of our checker against the Python one on random bad plans.
//!
//! Knobs (environment): FIELDOPT_PROP_CASES (default 1000), FIELDOPT_PROP_ITERS (default 300).

mod common;

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};

use common::checker::{
    self, check, check_with_python, job_appearances, python_report_problems,
    run_python_checker_batch,
};
use common::random::{
    add_days, greedy_feasible_plan, insertable_unassigned, problem_strategy, random_plan,
    random_problem,
};
use fieldopt::{io, solve, SolveParams};
use proptest::prelude::*;
use serde_json::{json, Value};

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|s| s.parse().ok()).unwrap_or(default)
}

fn params(seed: u64, threads: usize, iterations: u64) -> SolveParams {
    SolveParams {
        seed,
        threads: Some(threads),
        iterations: Some(iterations),
        time_limit: None,
        ..Default::default()
    }
}

fn panic_text(e: Box<dyn std::any::Any + Send>) -> String {
    e.downcast_ref::<String>()
        .cloned()
        .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "<non-string panic>".into())
}

/// Parses and solves; a rejected valid document or a panic is an `Err` with the reason.
fn solve_doc(text: &str, p: &SolveParams) -> Result<(fieldopt::Plan, String), String> {
    let problem =
        io::parse_problem_str(text).map_err(|e| format!("valid problem rejected: {e}"))?;
    let plan = catch_unwind(AssertUnwindSafe(|| solve(&problem, p)))
        .map_err(|e| format!("solve panicked: {}", panic_text(e)))?;
    let s = io::plan_to_string(&plan);
    Ok((plan, s))
}

/// Everything we assert about one plan; returns the list of problems found.
fn audit(problem: &Value, plan_json: &str) -> Vec<String> {
    let mut bad = Vec::new();
    let plan: Value = match serde_json::from_str(plan_json) {
        Ok(v) => v,
        Err(e) => return vec![format!("plan is not JSON: {e}")],
    };
    let rep = check(problem, &plan);
    for v in &rep.violations {
        bad.push(format!("(a) checker: {v}"));
    }
    for v in rep.inconsistencies.iter().take(5) {
        bad.push(format!("(a') plan times: {v}"));
    }
    // (b) every job exactly once.
    let seen = job_appearances(&plan);
    for j in problem["jobs"].as_array().unwrap() {
        let id = j["id"].as_str().unwrap();
        let n = seen.get(id).copied().unwrap_or(0);
        if n != 1 {
            bad.push(format!("(b) job {id:?} appears {n} times"));
        }
    }
    for id in seen.keys() {
        if !problem["jobs"].as_array().unwrap().iter().any(|j| j["id"] == json!(id)) {
            bad.push(format!("(b) unknown job {id:?} in plan"));
        }
    }
    // (e) reasons.
    for u in plan["unassigned"].as_array().into_iter().flatten() {
        if u["reason"].as_str().is_none_or(|r| r.trim().is_empty()) {
            bad.push(format!("(e) unassigned {} has no reason", u["job"]));
        }
    }
    // Engine KPIs agree with the spec's definitions.
    if let Some(k) = plan.get("kpis") {
        for d in rep.kpis.diff(k, 1e-6) {
            bad.push(format!("(k) engine kpi {d}"));
        }
    }
    bad
}

#[test]
fn random_problems_solve_to_valid_plans() {
    let cases = env_u64("FIELDOPT_PROP_CASES", 1000);
    let iters = env_u64("FIELDOPT_PROP_ITERS", 300);
    let t0 = std::time::Instant::now();
    let mut failures: Vec<(u64, String, Vec<String>)> = Vec::new();
    let (mut n_assigned, mut n_jobs, mut n_python, mut n_warn_cases) =
        (0usize, 0usize, 0usize, 0usize);
    let mut py_pairs: Vec<(u64, String, String)> = Vec::new();
    let (mut weight_solver, mut weight_greedy, mut greedy_better) = (0u64, 0u64, Vec::<u64>::new());
    for case in 0..cases {
        let doc = random_problem(case);
        let text = serde_json::to_string(&doc).unwrap();
        let mut bad = Vec::new();
        let seed = case.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        match solve_doc(&text, &params(seed, 1, iters)) {
            Err(e) => bad.push(e),
            Ok((plan, json1)) => {
                bad.extend(audit(&doc, &json1));
                let kp = &plan.kpis;
                n_assigned += kp.assigned;
                // Quality yardstick: a random greedy feasible plan (built with our checker).
                let greedy = check(&doc, &greedy_feasible_plan(&doc, case));
                let w = |k: &checker::Kpis| k.assigned as u64 + k.priority_assigned;
                let (ws, wg) =
                    (w(&check(&doc, &serde_json::from_str(&json1).unwrap()).kpis), w(&greedy.kpis));
                weight_solver += ws;
                weight_greedy += wg;
                if wg > ws {
                    greedy_better.push(case);
                }
                n_jobs += doc["jobs"].as_array().unwrap().len();
                let pv: Value = serde_json::from_str(&json1).unwrap();
                if !check(&doc, &pv).warnings.is_empty() {
                    n_warn_cases += 1;
                }
                // (c) same seed, same plan.
                match solve_doc(&text, &params(seed, 1, iters)) {
                    Ok((_, again)) if again == json1 => {}
                    Ok((_, again)) => bad.push(format!("(c) same seed, different plan:\n{again}")),
                    Err(e) => bad.push(format!("(c) second run: {e}")),
                }
                // (d) 3 threads, same plan.
                match solve_doc(&text, &params(seed, 3, iters)) {
                    Ok((_, three)) if three == json1 => {}
                    Ok((_, three)) => {
                        bad.push(format!("(d) 1 thread vs 3 threads differ:\n{json1}\nvs\n{three}"))
                    }
                    Err(e) => bad.push(format!("(d) 3 threads: {e}")),
                }
                // Python reference checker on every 10th case (run in one batch below).
                if case % 10 == 0 {
                    py_pairs.push((case, text.clone(), json1.clone()));
                }
                if bad.is_empty() {
                    continue;
                }
                bad.push(format!("plan:\n{json1}"));
            }
        }
        failures.push((case, text, bad));
    }
    let pairs: Vec<(String, String)> =
        py_pairs.iter().map(|(_, p, q)| (p.clone(), q.clone())).collect();
    if let Some(reports) = run_python_checker_batch(&pairs) {
        let reports = reports.unwrap_or_else(|e| panic!("check_plan.py batch: {e}"));
        for ((case, text, plan), rep) in py_pairs.into_iter().zip(reports) {
            let problems = python_report_problems(&rep);
            if problems.is_empty() {
                n_python += 1;
            } else {
                let mut bad: Vec<String> =
                    problems.into_iter().map(|p| format!("(py) check_plan.py: {p}")).collect();
                bad.push(format!("plan:\n{plan}"));
                failures.push((case, text, bad));
            }
        }
    }
    eprintln!(
        "properties: {cases} problems x 3 solves ({iters} iterations) in {:.1?}; {n_assigned}/{n_jobs} jobs assigned; \
         {n_python} plans also passed check_plan.py; {n_warn_cases} plans have times differing from the recomputed schedule",
        t0.elapsed()
    );
    eprintln!(
        "priority-weighted assignment sum(1 + priority): solver {weight_solver}, random greedy {weight_greedy}; \
         greedy better on {} cases: {:?}",
        greedy_better.len(),
        &greedy_better[..greedy_better.len().min(30)]
    );
    assert!(
        weight_solver >= weight_greedy,
        "the solver assigns less (priority-weighted) than a random greedy: {weight_solver} < {weight_greedy}"
    );
    if !failures.is_empty() {
        let mut by_kind: BTreeMap<String, usize> = BTreeMap::new();
        for (_, _, bad) in &failures {
            for b in bad.iter().filter(|b| !b.starts_with("plan:")) {
                let key: String = b.chars().take(40).collect();
                *by_kind.entry(key).or_default() += 1;
            }
        }
        let mut msg = format!("{} of {cases} random problems failed. Kinds:\n", failures.len());
        for (k, n) in by_kind {
            msg += &format!("  {n:4} x {k}...\n");
        }
        for (case, text, bad) in failures.iter().take(3) {
            msg += &format!("\n--- case {case} (random_problem({case})):\n{text}\n");
            for b in bad.iter().take(12) {
                msg += &format!("  {b}\n");
            }
        }
        panic!("{msg}");
    }
}

/// (f) Under the default policy leaving a job out costs 10000 x (1 + priority), far more than
/// any detour, so the final plan must leave no unassigned job that could simply be inserted
/// into one technician's route as it stands (checked on the problem with every closing time
/// pulled in by 0.1, so the engine's 1 ms rounding cannot explain a miss).
#[test]
fn unassigned_jobs_cannot_be_inserted() {
    let cases = env_u64("FIELDOPT_PROP_CASES", 1000);
    let iters = env_u64("FIELDOPT_PROP_ITERS", 300);
    let mut misses: Vec<String> = Vec::new();
    let mut by_code: BTreeMap<String, usize> = BTreeMap::new();
    let mut n_unassigned = 0;
    for case in 0..cases {
        let doc = random_problem(case);
        let text = serde_json::to_string(&doc).unwrap();
        let seed = case.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let Ok((_, plan_json)) = solve_doc(&text, &params(seed, 1, iters)) else {
            continue; // reported by random_problems_solve_to_valid_plans
        };
        let plan: Value = serde_json::from_str(&plan_json).unwrap();
        n_unassigned += plan["unassigned"].as_array().map_or(0, |u| u.len());
        for (job, tech, stops) in insertable_unassigned(&doc, &plan, 0.1) {
            let u = plan["unassigned"]
                .as_array()
                .unwrap()
                .iter()
                .find(|u| u["job"] == json!(job))
                .unwrap();
            let code = u["code"].as_str().unwrap_or("?").to_string();
            *by_code.entry(code.clone()).or_default() += 1;
            misses.push(format!(
                "case {case}: job {job} unassigned ({code}: {}) but fits {tech} as {}",
                u["reason"],
                Value::Array(stops)
            ));
        }
    }
    eprintln!("insertion oracle: {cases} plans, {n_unassigned} unassigned jobs, {} insertable; by engine reason code: {by_code:?}", misses.len());
    assert!(
        misses.is_empty(),
        "{} unassigned jobs could be inserted as they stand:\n{}",
        misses.len(),
        misses.iter().take(25).cloned().collect::<Vec<_>>().join("\n")
    );
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 64,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]
    /// Fresh seeds on every run (the fixed-seed loop above covers 0..1000): parse, solve with a
    /// tiny budget, check.
    #[test]
    fn proptest_random_seeds((seed, doc) in problem_strategy()) {
        let text = serde_json::to_string(&doc).unwrap();
        let r = solve_doc(&text, &params(seed, 2, 30));
        prop_assert!(r.is_ok(), "seed {}: {}\n{}", seed, r.as_ref().err().unwrap(), text);
        let (_, json) = r.unwrap();
        let bad = audit(&doc, &json);
        prop_assert!(bad.is_empty(), "seed {}: {:?}\n{}\n{}", seed, bad, text, json);
    }
}

// -------------------------------------------------------------------------------------------
// The generator and the checker themselves
// -------------------------------------------------------------------------------------------

/// The generator really exercises every constraint type of the spec.
#[test]
fn generator_covers_every_constraint_type() {
    let mut c: BTreeMap<&str, usize> = BTreeMap::new();
    let mut hit = |k: &'static str, b: bool| {
        if b {
            *c.entry(k).or_default() += 1;
        }
    };
    for seed in 0..500 {
        let d = random_problem(seed);
        assert_eq!(random_problem(seed), d, "generator not deterministic");
        let kind = d["travel"]["kind"].as_str().unwrap();
        hit("haversine", kind == "haversine");
        hit("euclidean", kind == "euclidean");
        hit("matrix", kind == "matrix");
        if kind == "matrix" {
            let m = d["travel"]["durations"].as_array().unwrap();
            let asym = (0..m.len()).any(|i| (0..m.len()).any(|j| m[i][j] != m[j][i]));
            hit("matrix asymmetric", asym);
            hit("matrix distances", d["travel"].get("distances").is_some());
            hit("matrix diagonal > 0", (0..m.len()).any(|i| m[i][i].as_f64().unwrap() > 0.0));
        }
        let date = checker::parse_date(d["date"].as_str().unwrap()).unwrap();
        let techs = d["technicians"].as_array().unwrap();
        hit("1 technician", techs.len() == 1);
        hit("5 technicians", techs.len() == 5);
        for t in techs {
            hit("end differs", t.get("end").is_some());
            hit("overtime", t.get("max_overtime").is_some_and(|x| x.as_f64().unwrap() > 0.0));
            hit("skills", t.get("skills").is_some());
            hit("max_jobs 0", t.get("max_jobs") == Some(&json!(0)));
            hit("max_jobs > 0", t.get("max_jobs").is_some_and(|x| x.as_u64().unwrap() > 0));
            hit("break", t.get("break").is_some());
            hit("break duration 0", t.get("break").is_some_and(|b| b["duration"] == json!(0.0)));
            hit(
                "capacity 1 dim",
                t.get("capacity").is_some_and(|x| x.as_array().unwrap().len() == 1),
            );
            hit(
                "capacity 2 dims",
                t.get("capacity").is_some_and(|x| x.as_array().unwrap().len() == 2),
            );
            for (_, e) in t.get("certifications").and_then(Value::as_object).into_iter().flatten() {
                let e = checker::parse_date(e.as_str().unwrap()).unwrap();
                hit("cert expired the day before", e == date - 1);
                hit("cert expires on the plan day", e == date);
                hit("cert valid later", e > date);
            }
        }
        let jobs = d["jobs"].as_array().unwrap();
        hit("0 jobs", jobs.is_empty());
        hit("15 jobs", jobs.len() == 15);
        for j in jobs {
            let dur = j["duration"].as_f64().unwrap();
            hit("duration 0", dur == 0.0);
            hit("duration fractional", dur.fract() != 0.0);
            let nw = j.get("time_windows").map_or(0, |w| w.as_array().unwrap().len());
            hit("no window", nw == 0);
            hit("3 windows", nw == 3);
            for w in j.get("time_windows").and_then(Value::as_array).into_iter().flatten() {
                let (a, b) = (w[0].as_f64().unwrap(), w[1].as_f64().unwrap());
                hit("window zero width", a == b);
                hit("window fractional", a.fract() != 0.0 || b.fract() != 0.0);
                hit("window sub-tick", b > a && b - a < 1e-3);
            }
            hit("job skills", j.get("skills").is_some());
            hit("job certifications", j.get("certifications").is_some());
            hit("demand", j.get("demand").is_some());
            hit("priority 0", j.get("priority") == Some(&json!(0)));
            hit("priority 3", j.get("priority") == Some(&json!(3)));
            hit("preferred", j.get("preferred_technicians").is_some());
            hit("excluded", j.get("excluded_technicians").is_some());
            hit("pinned", j.get("pinned_technician").is_some());
            hit("unassigned_cost", j.get("unassigned_cost").is_some());
            if let (Some(p), Some(e)) = (j.get("pinned_technician"), j.get("excluded_technicians"))
            {
                assert!(!e.as_array().unwrap().contains(p), "seed {seed}: pinned and excluded");
            }
        }
    }
    eprintln!("generator coverage over 500 seeds: {c:#?}");
    let want = [
        "haversine",
        "euclidean",
        "matrix",
        "matrix asymmetric",
        "matrix distances",
        "matrix diagonal > 0",
        "1 technician",
        "5 technicians",
        "end differs",
        "overtime",
        "skills",
        "max_jobs 0",
        "max_jobs > 0",
        "break",
        "break duration 0",
        "capacity 1 dim",
        "capacity 2 dims",
        "cert expired the day before",
        "cert expires on the plan day",
        "cert valid later",
        "0 jobs",
        "15 jobs",
        "duration 0",
        "duration fractional",
        "no window",
        "3 windows",
        "window zero width",
        "window fractional",
        "window sub-tick",
        "job skills",
        "job certifications",
        "demand",
        "priority 0",
        "priority 3",
        "preferred",
        "excluded",
        "pinned",
        "unassigned_cost",
    ];
    for w in want {
        assert!(c.get(w).copied().unwrap_or(0) >= 3, "generator rarely/never makes {w:?}: {c:?}");
    }
}

/// Our checker and check_plan.py agree (violation types and KPIs) on random, mostly
/// infeasible plans; and every generated problem is valid for check_plan.py. This tests the
/// checker and the generator, not the solver.
#[test]
fn checker_agrees_with_python_on_random_plans() {
    let n = env_u64("FIELDOPT_CHECKER_CASES", 500);
    let mut types: BTreeMap<String, usize> = BTreeMap::new();
    // Random (mostly broken) plans, then greedy feasible ones.
    let cases: Vec<(Value, Value)> = (0..n)
        .map(|seed| {
            let doc = random_problem(seed);
            let plan = if seed % 2 == 0 {
                random_plan(&doc, seed)
            } else {
                greedy_feasible_plan(&doc, seed)
            };
            (doc, plan)
        })
        .collect();
    let mut greedy_assigned = 0;
    for (seed, ((doc, plan), r)) in cases.iter().zip(&mine_reports(&cases)).enumerate() {
        if seed % 2 == 1 {
            assert!(
                r.violations.is_empty(),
                "greedy plan infeasible: {:?}\n{doc}\n{plan}",
                r.violations
            );
            assert!(
                r.warnings.is_empty() && r.inconsistencies.is_empty(),
                "{:?} {:?}",
                r.warnings,
                r.inconsistencies
            );
            greedy_assigned += r.kpis.assigned;
        }
    }
    assert!(
        greedy_assigned > 300,
        "greedy plans assign too little to test anything: {greedy_assigned}"
    );
    let mine = mine_reports(&cases);
    for r in &mine {
        for t in r.violation_types() {
            *types.entry(t).or_default() += 1;
        }
    }
    let pairs: Vec<(String, String)> =
        cases.iter().map(|(d, p)| (d.to_string(), p.to_string())).collect();
    let mut ran = 0;
    if let Some(reports) = run_python_checker_batch(&pairs) {
        let reports = reports.unwrap_or_else(|e| panic!("{e}"));
        for (seed, (((doc, plan), mine), py)) in cases.iter().zip(&mine).zip(&reports).enumerate() {
            assert!(
                py.get("invalid_input").is_none(),
                "seed {seed}: generated problem is invalid for check_plan.py: {}\n{doc}",
                py["errors"]
            );
            ran += 1;
            assert_eq!(
                mine.violation_types(),
                checker::python_violation_types(py),
                "seed {seed}: checkers disagree\nours: {:#?}\npython: {}\nproblem: {doc}\nplan: {plan}",
                mine.violations,
                py["violations"]
            );
            let d = mine.kpis.diff(&py["kpis"], 1e-6);
            assert!(
                d.is_empty(),
                "seed {seed}: KPIs disagree: {d:?}\nproblem: {doc}\nplan: {plan}"
            );
        }
    }
    eprintln!(
        "checker vs check_plan.py: {ran} random plans compared; violation types seen: {types:?}"
    );
    // The random plans must actually trip every rule, or the comparison proves little.
    for t in [
        "skill",
        "certification",
        "excluded",
        "pinned",
        "time_window",
        "break_not_allowed",
        "break_extra",
        "break_window",
        "break_missing",
        "capacity",
        "max_jobs",
        "shift_end",
        "unknown_technician",
        "duplicate_technician",
        "unknown_job",
        "duplicate_job",
        "missing_job",
    ] {
        assert!(types.get(t).copied().unwrap_or(0) > 0, "random plans never trip {t:?}: {types:?}");
    }
}

fn mine_reports(cases: &[(Value, Value)]) -> Vec<checker::CheckReport> {
    cases.iter().map(|(d, p)| check(d, p)).collect()
}

/// Small exact checks of the checker's own arithmetic.
#[test]
fn checker_travel_and_dates() {
    assert_eq!(add_days("2024-03-01", -1), "2024-02-29");
    assert_eq!(add_days("2025-01-01", -1), "2024-12-31");
    assert_eq!(add_days("2100-03-01", -1), "2100-02-28");
    assert_eq!(checker::parse_date("2023-02-29"), None);
    // One degree of latitude on the spec's sphere: R * pi / 180 = 111195.08 m, x1.5 detour,
    // at 36 km/h = 10 m/s.
    let doc = json!({
        "format": "fieldopt-problem/1", "date": "2026-11-24",
        "travel": {"kind": "haversine", "speed_kmh": 36.0, "detour_factor": 1.5},
        "technicians": [{"id": "T", "start": {"lat": 0.0, "lon": 0.0}, "shift": [0, 1e9]}],
        "jobs": [{"id": "J", "location": {"lat": 1.0, "lon": 0.0}, "duration": 0}]
    });
    let plan = json!({"format": "fieldopt-plan/1", "routes": [{"technician": "T", "stops": [
        {"job": "J", "arrival": 0, "start": 0, "end": 0}]}], "unassigned": []});
    let r = check(&doc, &plan);
    assert!(r.violations.is_empty(), "{:?}", r.violations);
    let d = 2.0 * 6_371_008.8 * std::f64::consts::PI / 180.0 * 1.5;
    assert!((r.kpis.travel_distance - d).abs() < 1e-6, "{}", r.kpis.travel_distance);
    assert!((r.kpis.travel_time - d / 10.0).abs() < 1e-6);
    // Asymmetric matrix with separate distances: 0->1 takes 5 and is 50 long, 1->0 takes 7, 70.
    let doc = json!({
        "format": "fieldopt-problem/1", "date": "2026-11-24",
        "travel": {"kind": "matrix", "durations": [[0, 5], [7, 0]], "distances": [[0, 50], [70, 0]]},
        "technicians": [{"id": "T", "start": 0, "shift": [0, 100],
                         "break": {"window": [3, 4], "duration": 2}}],
        "jobs": [{"id": "J", "location": 1, "duration": 1, "time_windows": [[0, 1], [6, 8], [9, 10]]}]
    });
    let plan = json!({"format": "fieldopt-plan/1", "routes": [{"technician": "T", "stops": [
        {"break": true, "start": 3, "end": 5},
        {"job": "J", "arrival": 10, "start": 10, "end": 11}]}], "unassigned": []});
    let r = check(&doc, &plan);
    // break 3..5, arrive 10: windows [0,1],[6,8] closed, [9,10] ok -> start 10, back 18.
    assert!(r.violations.is_empty(), "{:?}", r.violations);
    assert_eq!(r.routes[0].stops[1].start, 10.0);
    assert_eq!(r.kpis.travel_distance, 120.0);
    assert_eq!(r.kpis.work_time, 18.0);
    // Same route with a longer break misses the last window.
    let mut doc2 = doc.clone();
    doc2["technicians"][0]["break"]["duration"] = json!(2.5);
    assert_eq!(check(&doc2, &plan).violation_types(), vec!["time_window"]);
}

// -------------------------------------------------------------------------------------------
// Scenarios
// -------------------------------------------------------------------------------------------

/// Solves `doc` (1 thread, fixed budget), asserts the plan is valid (our checker and, when
/// available, check_plan.py), and returns the plan as JSON.
fn solve_and_check(doc: &Value) -> Value {
    let text = doc.to_string();
    let (_, plan_json) =
        solve_doc(&text, &params(7, 1, 500)).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let bad = audit(doc, &plan_json);
    assert!(bad.is_empty(), "{bad:#?}\nproblem: {text}\nplan: {plan_json}");
    if let Some(r) = check_with_python(&text, &plan_json) {
        r.unwrap_or_else(|e| panic!("check_plan.py: {e}\nplan: {plan_json}"));
    }
    serde_json::from_str(&plan_json).unwrap()
}

fn tech_of(plan: &Value, job: &str) -> Option<String> {
    plan["routes"].as_array().unwrap().iter().find_map(|r| {
        r["stops"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["job"] == json!(job))
            .then(|| r["technician"].as_str().unwrap().to_string())
    })
}

fn reason_of(plan: &Value, job: &str) -> Option<String> {
    plan["unassigned"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["job"] == json!(job))
        .map(|u| u["reason"].as_str().unwrap_or("").to_string())
}

fn euclid_doc(techs: Value, jobs: Value) -> Value {
    json!({"format": "fieldopt-problem/1", "date": "2026-11-24", "name": "scenario",
           "travel": {"kind": "euclidean", "speed": 1.0}, "technicians": techs, "jobs": jobs})
}

#[test]
fn scenario_only_qualified_technician_gets_the_job() {
    let doc = euclid_doc(
        json!([
            {"id": "near", "start": {"x": 0, "y": 0}, "shift": [0, 1000], "skills": {"hvac": 3}},
            {"id": "none", "start": {"x": 1, "y": 0}, "shift": [0, 1000]},
            {"id": "expert", "start": {"x": 90, "y": 0}, "shift": [0, 1000], "skills": {"hvac": 5, "gas": 1}}
        ]),
        json!([
            {"id": "J", "location": {"x": 2, "y": 0}, "duration": 10, "skills": {"hvac": 4}},
            {"id": "easy", "location": {"x": 1, "y": 1}, "duration": 10, "skills": {"hvac": 3}}
        ]),
    );
    let plan = solve_and_check(&doc);
    assert_eq!(tech_of(&plan, "J").as_deref(), Some("expert"), "{plan}");
    assert!(tech_of(&plan, "easy").is_some(), "{plan}");
}

#[test]
fn scenario_certification_expired_the_day_before_stays_unassigned() {
    let doc = euclid_doc(
        json!([
            {"id": "T1", "start": {"x": 0, "y": 0}, "shift": [0, 1000],
             "certifications": {"gas-safe": "2026-11-23", "f-gas": "2026-11-24"}},
            {"id": "T2", "start": {"x": 5, "y": 0}, "shift": [0, 1000]}
        ]),
        json!([
            {"id": "G", "location": {"x": 2, "y": 0}, "duration": 10, "certifications": ["gas-safe"]},
            {"id": "F", "location": {"x": 3, "y": 0}, "duration": 10, "certifications": ["f-gas"]}
        ]),
    );
    let plan = solve_and_check(&doc);
    let reason = reason_of(&plan, "G").unwrap_or_else(|| panic!("G must stay unassigned: {plan}"));
    assert!(reason.contains("gas-safe"), "reason should name the certification: {reason:?}");
    // Expiry is inclusive: valid on the plan day itself.
    assert_eq!(tech_of(&plan, "F").as_deref(), Some("T1"), "{plan}");
}

#[test]
fn scenario_pinned_job_goes_to_its_pin() {
    let doc = euclid_doc(
        json!([
            {"id": "close", "start": {"x": 0, "y": 0}, "shift": [0, 1000]},
            {"id": "far", "start": {"x": 100, "y": 100}, "shift": [0, 1000]}
        ]),
        json!([
            {"id": "P", "location": {"x": 1, "y": 1}, "duration": 10, "pinned_technician": "far"},
            {"id": "X", "location": {"x": 2, "y": 2}, "duration": 10, "excluded_technicians": ["close"]},
            {"id": "free", "location": {"x": 1, "y": 2}, "duration": 10}
        ]),
    );
    let plan = solve_and_check(&doc);
    assert_eq!(tech_of(&plan, "P").as_deref(), Some("far"), "{plan}");
    assert_eq!(tech_of(&plan, "X").as_deref(), Some("far"), "{plan}");
    assert!(tech_of(&plan, "free").is_some(), "{plan}");
}

#[test]
fn scenario_higher_priority_wins_when_only_one_fits() {
    // One technician with 100 time units; each job takes 60: only one fits. The important
    // job is farther away, so a travel minimiser alone would pick the other one.
    for (lo, hi) in [(0, 3), (1, 2)] {
        let doc = euclid_doc(
            json!([{"id": "T", "start": {"x": 0, "y": 0}, "shift": [0, 100]}]),
            json!([
                {"id": "low", "location": {"x": 1, "y": 0}, "duration": 60, "priority": lo},
                {"id": "high", "location": {"x": 15, "y": 0}, "duration": 60, "priority": hi}
            ]),
        );
        let plan = solve_and_check(&doc);
        assert_eq!(tech_of(&plan, "high").as_deref(), Some("T"), "priorities {lo}/{hi}: {plan}");
        assert!(reason_of(&plan, "low").is_some(), "{plan}");
    }
}

#[test]
fn scenario_break_is_placed_inside_its_window() {
    // Haversine, a full day of work: the technician must take the lunch break in its window.
    let doc = json!({"format": "fieldopt-problem/1", "date": "2026-11-24",
        "travel": {"kind": "haversine", "speed_kmh": 40.0, "detour_factor": 1.3},
        "technicians": [{"id": "T", "start": {"lat": 48.14, "lon": 11.58}, "shift": [28800, 61200],
                         "break": {"window": [43200, 45000], "duration": 1800}}],
        "jobs": (0..6).map(|i| json!({
            "id": format!("J{i}"), "location": {"lat": 48.10 + 0.01 * i as f64, "lon": 11.55},
            "duration": 3600,
            "time_windows": [[28800 + 5400 * i, 28800 + 5400 * i + 1800]]
        })).collect::<Vec<_>>()
    });
    let plan = solve_and_check(&doc);
    let route = &plan["routes"][0];
    let breaks: Vec<&Value> =
        route["stops"].as_array().unwrap().iter().filter(|s| s["break"] == json!(true)).collect();
    assert_eq!(breaks.len(), 1, "{plan}");
    let s = breaks[0]["start"].as_f64().unwrap();
    assert!((43200.0..=45000.0).contains(&s), "break at {s}: {plan}");
    let r = check(&doc, &plan);
    let rb = r.routes[0].stops.iter().find(|s| s.job.is_none()).unwrap();
    assert!((43200.0..=45000.0).contains(&rb.start), "recomputed break at {}", rb.start);
    assert_eq!(r.kpis.assigned, 6, "all six jobs fit around the break: {plan}");
}

#[test]
fn scenario_capacity_max_jobs_and_windows() {
    let doc = json!({"format": "fieldopt-problem/1", "date": "2026-11-24",
        "travel": {"kind": "matrix",
                   "durations": [[0, 10, 10, 10], [20, 0, 5, 5], [20, 5, 0, 5], [20, 5, 5, 0]],
                   "distances": [[0, 1, 1, 1], [2, 0, 1, 1], [2, 1, 0, 1], [2, 1, 1, 0]]},
        "technicians": [
            {"id": "small", "start": 0, "shift": [0, 1000], "capacity": [10, 5]},
            {"id": "lazy", "start": 0, "shift": [0, 1000], "max_jobs": 0}
        ],
        "jobs": [
            {"id": "A", "location": 1, "duration": 10, "demand": [4, 1]},
            {"id": "B", "location": 2, "duration": 10, "demand": [4, 1]},
            {"id": "C", "location": 3, "duration": 10, "demand": [4, 1]},
            {"id": "W", "location": 1, "duration": 0, "time_windows": [[0, 1], [500.5, 500.5]]}
        ]
    });
    let plan = solve_and_check(&doc);
    let r = check(&doc, &plan);
    assert_eq!(r.kpis.assigned, 3, "two of A/B/C fit the capacity, plus W: {plan}");
    assert_eq!(tech_of(&plan, "W").as_deref(), Some("small"));
    let w = r.routes[0].stops.iter().find(|s| s.job.as_deref() == Some("W")).unwrap();
    assert_eq!(w.start, 500.5, "W can only start at its second (instant) window");
    assert!(plan["routes"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["technician"] != json!("lazy") || r["stops"].as_array().unwrap().is_empty()));
}

#[test]
fn scenario_empty_and_impossible() {
    // No jobs at all.
    let doc =
        euclid_doc(json!([{"id": "T", "start": {"x": 0, "y": 0}, "shift": [0, 10]}]), json!([]));
    let plan = solve_and_check(&doc);
    assert_eq!(check(&doc, &plan).kpis.technicians_used, 0);
    // Every job impossible: window after the shift, unknown skill, excluded only technician.
    let doc = euclid_doc(
        json!([{"id": "T", "start": {"x": 0, "y": 0}, "shift": [0, 100], "max_overtime": 50}]),
        json!([
            {"id": "late", "location": {"x": 1, "y": 0}, "duration": 1, "time_windows": [[200, 300]]},
            {"id": "skill", "location": {"x": 1, "y": 0}, "duration": 1, "skills": {"welding": 1}},
            {"id": "ban", "location": {"x": 1, "y": 0}, "duration": 1, "excluded_technicians": ["T"]},
            {"id": "long", "location": {"x": 1, "y": 0}, "duration": 149}
        ]),
    );
    let plan = solve_and_check(&doc);
    for j in ["late", "skill", "ban", "long"] {
        assert!(reason_of(&plan, j).is_some(), "{j} must be unassigned: {plan}");
    }
    assert!(reason_of(&plan, "skill").unwrap().contains("welding"), "{plan}");
}

/// Debugging aid: `FIELDOPT_CASE=62 cargo test --test properties -- --ignored show_case
/// --nocapture` prints the problem, the solver's plan and a greedy feasible plan.
#[test]
#[ignore]
fn show_case() {
    let case = env_u64("FIELDOPT_CASE", 0);
    let iters = env_u64("FIELDOPT_PROP_ITERS", 300);
    let doc = random_problem(case);
    let text = serde_json::to_string_pretty(&doc).unwrap();
    let seed = case.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    let (_, plan) = solve_doc(&text, &params(seed, 1, iters)).unwrap();
    let greedy = greedy_feasible_plan(&doc, case);
    let pv: Value = serde_json::from_str(&plan).unwrap();
    println!(
        "PROBLEM\n{text}\nPLAN\n{plan}\nGREEDY\n{}",
        serde_json::to_string_pretty(&greedy).unwrap()
    );
    println!(
        "solver kpis {:?}\ngreedy kpis {:?}",
        check(&doc, &pv).kpis,
        check(&doc, &greedy).kpis
    );
}

/// Debugging aid: `FIELDOPT_DOC=problem.json cargo test --test properties -- --ignored
/// solve_file --nocapture` solves a document and prints the plan and our checker's verdict.
#[test]
#[ignore]
fn solve_file() {
    let path = std::env::var("FIELDOPT_DOC").expect("FIELDOPT_DOC");
    let text = std::fs::read_to_string(path).unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    let (_, plan) = solve_doc(&text, &params(1, 1, env_u64("FIELDOPT_PROP_ITERS", 1000))).unwrap();
    println!("{plan}");
    let r = check(&doc, &serde_json::from_str(&plan).unwrap());
    println!("violations {:?}\nkpis {:?}", r.violations, r.kpis);
}

// -------------------------------------------------------------------------------------------
// Regressions for solver bugs found by the tests above (minimal documents). Each job below is
// assignable (check_plan.py accepts the plan named in the comment); the engine left it out
// with a reason that is not true.
// -------------------------------------------------------------------------------------------

/// Nested windows: [[0, 100], [10, 20]], arrival 50 -> service may start at 50 (first window).
#[test]
fn regression_nested_time_windows() {
    let doc = euclid_doc(
        json!([{"id": "T", "start": {"x": 0, "y": 0}, "shift": [0, 1000]}]),
        json!([{"id": "J", "location": {"x": 50, "y": 0}, "duration": 10,
                "time_windows": [[0, 100], [10, 20]]}]),
    );
    let plan = solve_and_check(&doc);
    assert_eq!(tech_of(&plan, "J").as_deref(), Some("T"), "{plan}");
}

/// A break window with no whole millisecond in it: plan [break at 100.0004, J] is feasible.
#[test]
fn regression_sub_millisecond_break_window() {
    for w in [[100.0004, 100.0004], [100.0004, 100.0009]] {
        let doc = euclid_doc(
            json!([{"id": "T", "start": {"x": 0, "y": 0}, "shift": [0, 1000],
                    "break": {"window": w, "duration": 10}}]),
            json!([{"id": "J", "location": {"x": 50, "y": 0}, "duration": 100}]),
        );
        let plan = solve_and_check(&doc);
        assert_eq!(tech_of(&plan, "J").as_deref(), Some("T"), "break window {w:?}: {plan}");
    }
}

/// Non-metric matrix: X alone cannot get back in time (1 -> 0 takes 1000), but X then Y does
/// (1 -> 2 -> 0 takes 2): plan [X, Y].
#[test]
fn regression_non_metric_matrix() {
    let doc = json!({"format": "fieldopt-problem/1", "date": "2026-11-24",
        "travel": {"kind": "matrix", "durations": [[0, 10, 50], [1000, 0, 1], [1, 1000, 0]]},
        "technicians": [{"id": "T", "start": 0, "shift": [0, 100]}],
        "jobs": [{"id": "X", "location": 1, "duration": 10}, {"id": "Y", "location": 2, "duration": 0}]});
    let plan = solve_and_check(&doc);
    assert_eq!(tech_of(&plan, "X").as_deref(), Some("T"), "{plan}");
}

/// The break is taken where the technician is: B alone is impossible (break at home, then too
/// late), but after A (same site) the break is taken on site: plan [A, break, B].
#[test]
fn regression_break_taken_at_job_site() {
    let doc = euclid_doc(
        json!([{"id": "T", "start": {"x": 0, "y": 0}, "shift": [0, 1000],
                "break": {"window": [100, 100], "duration": 10}}]),
        json!([{"id": "A", "location": {"x": 50, "y": 0}, "duration": 0},
               {"id": "B", "location": {"x": 50, "y": 0}, "duration": 10, "time_windows": [[105, 115]]}]),
    );
    let plan = solve_and_check(&doc);
    assert_eq!(tech_of(&plan, "B").as_deref(), Some("T"), "{plan}");
}
