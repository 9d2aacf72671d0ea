//! Tests of the generator: determinism, sizes, eligibility, realism, validation.

use std::collections::HashSet;

use serde_json::{json, Value};

use super::{generate, GenerateParams, PLAN_DATE};

fn gen(jobs: usize, techs: usize, seed: u64) -> Value {
    generate(&GenerateParams { jobs, techs, seed })
}

fn arr(v: &Value) -> &Vec<Value> {
    v.as_array().expect("an array")
}

/// Whether technician `t` may do job `j` by the spec's hard rules other than time.
fn eligible(j: &Value, t: &Value) -> bool {
    qualified(j, t) && j["pinned_technician"].as_str().is_none_or(|p| p == t["id"])
}

/// Skills, certifications valid on the plan date, and not excluded.
fn qualified(j: &Value, t: &Value) -> bool {
    let id = t["id"].as_str().unwrap();
    let skills_ok = j["skills"].as_object().is_none_or(|req| {
        req.iter().all(|(s, l)| t["skills"][s].as_u64().unwrap_or(0) >= l.as_u64().unwrap())
    });
    let certs_ok = j["certifications"].as_array().is_none_or(|req| {
        req.iter().all(|c| {
            t["certifications"][c.as_str().unwrap()]
                .as_str()
                .is_some_and(|until| until >= PLAN_DATE)
        })
    });
    let banned = j["excluded_technicians"].as_array().is_some_and(|x| x.contains(&json!(id)));
    skills_ok && certs_ok && !banned
}

#[test]
fn default_params() {
    assert_eq!(GenerateParams::default(), GenerateParams { jobs: 500, techs: 50, seed: 0 });
}

#[test]
fn deterministic_for_a_seed() {
    assert_eq!(gen(120, 12, 3), gen(120, 12, 3));
    assert_ne!(gen(120, 12, 3), gen(120, 12, 4));
}

#[test]
fn sizes_and_ids() {
    for (jobs, techs) in [(0, 1), (0, 0), (1, 1), (1, 0), (7, 1), (30, 3), (200, 20), (90, 60)] {
        let doc = gen(jobs, techs, 11);
        assert_eq!(doc["format"], "fieldopt-problem/1");
        assert_eq!(doc["date"], PLAN_DATE);
        assert_eq!(
            doc["travel"],
            json!({"kind": "haversine", "speed_kmh": 40.0, "detour_factor": 1.3})
        );
        assert_eq!(arr(&doc["jobs"]).len(), jobs);
        assert_eq!(arr(&doc["technicians"]).len(), techs.max(1));
        let ids: HashSet<&str> =
            arr(&doc["jobs"]).iter().map(|j| j["id"].as_str().unwrap()).collect();
        assert_eq!(ids.len(), jobs);
        let ids: HashSet<&str> =
            arr(&doc["technicians"]).iter().map(|t| t["id"].as_str().unwrap()).collect();
        assert_eq!(ids.len(), techs.max(1));
    }
}

#[test]
fn every_job_has_an_eligible_technician() {
    for (jobs, techs, seed) in
        [(500, 50, 0), (500, 50, 7), (40, 4, 1), (1, 1, 2), (12, 1, 3), (60, 2, 9)]
    {
        let doc = gen(jobs, techs, seed);
        let ts = arr(&doc["technicians"]);
        let id_ok = |id: &Value| ts.iter().any(|t| &t["id"] == id);
        for j in arr(&doc["jobs"]) {
            let n = ts.iter().filter(|t| eligible(j, t)).count();
            assert!(n >= 1, "seed {seed}: nobody can do {j}");
            for p in j["preferred_technicians"].as_array().into_iter().flatten() {
                let t = ts.iter().find(|t| &t["id"] == p).unwrap();
                assert!(qualified(j, t), "preferred {p} cannot do {j}");
            }
            for x in j["excluded_technicians"].as_array().into_iter().flatten() {
                assert!(id_ok(x) && j["pinned_technician"] != *x);
            }
        }
    }
}

#[test]
fn values_in_range() {
    let doc = gen(500, 50, 5);
    for j in arr(&doc["jobs"]) {
        let d = j["duration"].as_i64().unwrap();
        assert!((20 * 60..=180 * 60).contains(&d), "{j}");
        assert!(j["priority"].as_i64().unwrap() <= 3);
        for w in j["time_windows"].as_array().into_iter().flatten() {
            let (a, b) = (w[0].as_i64().unwrap(), w[1].as_i64().unwrap());
            assert!(7 * 3600 <= a && a < b && b - a <= 4 * 3600 && b <= 17 * 3600, "{j}");
            assert!(b - a >= 2 * 3600 || j["time_windows"].as_array().unwrap().len() == 2, "{j}");
        }
        for l in j["skills"].as_object().into_iter().flatten().map(|(_, l)| l.as_u64().unwrap()) {
            assert!((1..=5).contains(&l));
        }
        let lat = j["location"]["lat"].as_f64().unwrap();
        let lon = j["location"]["lon"].as_f64().unwrap();
        assert!((51.7..52.3).contains(&lat) && (4.55..5.45).contains(&lon), "{j}");
    }
    for t in arr(&doc["technicians"]) {
        let r = t["rating"].as_f64().unwrap();
        assert!((3.0..=5.0).contains(&r));
        let s = &t["shift"];
        assert_eq!(s[1].as_i64().unwrap() - s[0].as_i64().unwrap(), 9 * 3600);
        assert!(t["max_overtime"].as_i64().unwrap_or(0) <= 3600);
        let per_hour = t["cost"]["per_hour"].as_f64().unwrap();
        match t["kind"].as_str().unwrap() {
            "employee" => assert!((35.0..=45.0).contains(&per_hour)),
            _ => assert!(
                (55.0..=70.0).contains(&per_hour) && t["cost"]["fixed"].as_f64().unwrap() >= 40.0
            ),
        }
    }
}

/// Share of `items` for which `f` holds.
fn share(items: &[Value], f: impl Fn(&Value) -> bool) -> f64 {
    items.iter().filter(|x| f(x)).count() as f64 / items.len().max(1) as f64
}

#[test]
fn realistic_mix() {
    for seed in [0, 7] {
        let doc = gen(500, 50, seed);
        let (js, ts) = (arr(&doc["jobs"]), arr(&doc["technicians"]));
        let windows = |j: &Value| j["time_windows"].as_array().map_or(0, |w| w.len());
        assert!((0.72..0.9).contains(&share(js, |j| windows(j) > 0)));
        assert!(share(js, |j| windows(j) == 2) > 0.03);
        let levels: Vec<u64> = js
            .iter()
            .flat_map(|j| {
                j["skills"].as_object().into_iter().flatten().map(|(_, l)| l.as_u64().unwrap())
            })
            .collect();
        let low = levels.iter().filter(|&&l| l <= 3).count() as f64 / levels.len() as f64;
        assert!(low > 0.85 && low < 1.0, "level 1-3 share {low}");
        assert!(share(js, |j| j["skills"].as_object().is_some_and(|s| s.len() == 2)) > 0.05);
        assert!(share(js, |j| j["skills"].is_null()) > 0.1);
        let experts = share(ts, |t| t["skills"].as_object().unwrap().values().any(|l| l == 5));
        assert!(experts > 0.0 && experts <= 0.15, "experts {experts}");
        let contractors = share(ts, |t| t["kind"] == "contractor");
        assert!((0.08..0.35).contains(&contractors), "contractors {contractors}");
        let expired = ts
            .iter()
            .flat_map(|t| t["certifications"].as_object().into_iter().flatten())
            .filter(|(_, d)| d.as_str().unwrap() < PLAN_DATE)
            .count();
        assert!(expired >= 3, "expired certifications {expired}");
        assert!(share(js, |j| j["certifications"].is_array()) > 0.1);
        let mut per_customer = std::collections::HashMap::new();
        for j in js {
            *per_customer.entry(j["customer"].as_str().unwrap()).or_insert(0) += 1;
        }
        assert!(per_customer.values().any(|&n| n >= 10), "a key account");
        assert!(per_customer.len() > 250);
        assert!((0.25..0.65).contains(&share(js, |j| j["preferred_technicians"].is_array())));
        assert!((0.005..0.1).contains(&share(js, |j| j["excluded_technicians"].is_array())));
        assert!((0.002..0.05).contains(&share(js, |j| j["pinned_technician"].is_string())));
        assert!((0.2..0.6).contains(&share(js, |j| j["unassigned_cost"].is_number())));
        assert!(share(js, |j| j["priority"] == 1) > 0.5);
    }
}

/// Service time over working time (shift + overtime - break): a full but doable day.
#[test]
fn workload_is_calibrated() {
    for seed in [0, 7, 21] {
        let doc = gen(500, 50, seed);
        let service: f64 = arr(&doc["jobs"]).iter().map(|j| j["duration"].as_f64().unwrap()).sum();
        let available: f64 = arr(&doc["technicians"])
            .iter()
            .map(|t| {
                let s = &t["shift"];
                s[1].as_f64().unwrap() - s[0].as_f64().unwrap()
                    + t["max_overtime"].as_f64().unwrap_or(0.0)
                    - t["break"]["duration"].as_f64().unwrap_or(0.0)
            })
            .sum();
        let load = service / available;
        assert!((0.6..0.8).contains(&load), "seed {seed}: load {load}");
    }
}

#[test]
fn documents_validate() {
    for (jobs, techs, seed) in
        [(0, 1, 0), (1, 1, 1), (0, 0, 2), (25, 3, 3), (500, 50, 7), (300, 80, 8)]
    {
        let doc = gen(jobs, techs, seed);
        let problem = crate::io::parse_problem_value(doc)
            .unwrap_or_else(|e| panic!("{jobs} jobs, {techs} techs, seed {seed}: {e}"));
        assert_eq!(problem.jobs.len(), jobs);
    }
}

/// The independent checker accepts the documents (with a plan leaving every job out).
#[test]
fn check_plan_accepts() {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/tools/check_plan.py");
    if !std::path::Path::new(script).exists() {
        eprintln!("skipped: {script} not found");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for (jobs, techs, seed) in [(0, 1, 0), (1, 1, 1), (40, 5, 2), (500, 50, 7)] {
        let doc = gen(jobs, techs, seed);
        let unassigned: Vec<Value> =
            arr(&doc["jobs"]).iter().map(|j| json!({"job": j["id"], "reason": "test"})).collect();
        let plan = json!({"format": "fieldopt-plan/1", "routes": [], "unassigned": unassigned});
        let (p, q) = (dir.path().join("problem.json"), dir.path().join("plan.json"));
        std::fs::write(&p, doc.to_string()).unwrap();
        std::fs::write(&q, plan.to_string()).unwrap();
        let out = match std::process::Command::new("python3").arg(script).arg(&p).arg(&q).output() {
            Ok(out) => out,
            Err(e) => {
                eprintln!("skipped: python3 not runnable ({e})");
                return;
            }
        };
        assert!(
            out.status.success(),
            "{jobs}/{techs}/{seed}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// The solver serves most of a generated day: the workload is full but mostly feasible.
#[test]
fn solver_serves_most_jobs() {
    let doc = gen(500, 50, 7);
    let problem = crate::io::parse_problem_value(doc.clone()).unwrap();
    let params =
        crate::SolveParams { iterations: Some(2_000), threads: Some(2), ..Default::default() };
    let plan = crate::solve(&problem, &params);
    let served = 1.0 - plan.unassigned.len() as f64 / 500.0;
    eprintln!(
        "served {served:.3}; unassigned: {:?}",
        plan.unassigned.iter().map(|u| &u.reason).collect::<Vec<_>>()
    );
    if let Ok(out) = std::env::var("FIELDOPT_SAMPLE_PLAN") {
        std::fs::write(out, crate::io::plan_to_string(&plan)).unwrap();
    }
    assert!((0.85..=1.0).contains(&served), "served {served}");
}
