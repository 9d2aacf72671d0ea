//! The 56 Solomon VRPTW instances (`../shared/benchmarks/solomon/*.txt`): convert with
//! `fieldopt::io::solomon::to_problem`, cross-check the conversion against our own reading
//! of the text, solve with a small iteration budget, and check the plan with the independent
//! checker (and `check_plan.py` on a few). With 25 vehicles all 100 customers always fit, so
//! every plan must assign all of them. Vehicles and distance are printed next to the BKS.
//!
//! Knobs (environment): FIELDOPT_SOLOMON_ITERS (default 2000), FIELDOPT_SOLOMON_ONLY (a
//! comma-separated list of instance names).

mod common;

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;

use common::checker::{check, check_with_python};
use fieldopt::{io, solve, SolveParams};
use serde_json::Value;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/benchmarks/solomon")
}

/// Our own reading of a Solomon file: (vehicles, capacity, depot row, customer rows); a row
/// is [no, x, y, demand, ready, due, service].
fn read_solomon(text: &str) -> (u64, f64, [f64; 7], Vec<[f64; 7]>) {
    let mut lines = text.lines().map(str::trim);
    let mut fleet = None;
    let mut rows = Vec::new();
    while let Some(l) = lines.next() {
        if l.starts_with("VEHICLE") {
            for l in lines.by_ref() {
                let nums: Vec<f64> = l.split_whitespace().filter_map(|t| t.parse().ok()).collect();
                if nums.len() == 2 {
                    fleet = Some((nums[0] as u64, nums[1]));
                    break;
                }
            }
        } else {
            let nums: Vec<f64> = l.split_whitespace().filter_map(|t| t.parse().ok()).collect();
            if nums.len() == 7 && l.split_whitespace().count() == 7 {
                rows.push([nums[0], nums[1], nums[2], nums[3], nums[4], nums[5], nums[6]]);
            }
        }
    }
    let (k, q) = fleet.expect("VEHICLE section");
    let depot = rows.remove(0);
    assert_eq!(depot[0], 0.0, "first row is the depot");
    (k, q, depot, rows)
}

/// instance -> (BKS vehicles, BKS distance, DIMACS distance-only reference (each leg
/// truncated to 1 decimal, so at or below its tour's exact length)).
fn bks() -> HashMap<String, (u64, f64, f64)> {
    let text = std::fs::read_to_string(dir().join("bks.csv")).unwrap_or_default();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or("").split(',').collect();
    let col = |n: &str| header.iter().position(|h| *h == n);
    let (ci, cv, cd, cx) =
        (col("instance"), col("vehicles"), col("distance"), col("dimacs_distance_trunc1"));
    lines
        .filter_map(|l| {
            let c: Vec<&str> = l.split(',').collect();
            let get = |i: Option<usize>| i.and_then(|i| c.get(i)).copied();
            Some((
                get(ci)?.to_string(),
                (
                    get(cv)?.parse().ok()?,
                    get(cd)?.parse().ok()?,
                    get(cx).and_then(|x| x.parse().ok()).unwrap_or(f64::NAN),
                ),
            ))
        })
        .collect()
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

/// The converted document says what the text says.
fn assert_conversion(name: &str, text: &str, doc: &Value) {
    let (k, q, depot, customers) = read_solomon(text);
    assert_eq!(k, 25, "{name}: the 100-customer instances have 25 vehicles");
    assert_eq!(customers.len(), 100, "{name}");
    assert_eq!(doc["format"], "fieldopt-problem/1");
    assert_eq!(doc["travel"]["kind"], "euclidean", "{name}");
    assert_eq!(doc["travel"].get("speed").map_or(1.0, f), 1.0, "{name}");
    let techs = doc["technicians"].as_array().expect("technicians");
    assert_eq!(techs.len() as u64, k, "{name}: one technician per vehicle");
    for t in techs {
        assert_eq!((f(&t["start"]["x"]), f(&t["start"]["y"])), (depot[1], depot[2]), "{name}: {t}");
        if let Some(e) = t.get("end") {
            assert_eq!((f(&e["x"]), f(&e["y"])), (depot[1], depot[2]), "{name}: {t}");
        }
        assert_eq!((f(&t["shift"][0]), f(&t["shift"][1])), (depot[4], depot[5]), "{name}: {t}");
        assert_eq!(t["capacity"].as_array().map(|c| c.len()), Some(1), "{name}: {t}");
        assert_eq!(f(&t["capacity"][0]), q, "{name}: {t}");
        let ot = t.get("max_overtime").map_or(0.0, f);
        assert_eq!(ot, 0.0, "{name}: back by the depot's due date");
    }
    let jobs = doc["jobs"].as_array().expect("jobs");
    assert_eq!(jobs.len(), 100, "{name}");
    let key = |r: &[f64; 6]| r.iter().map(|x| format!("{x}")).collect::<Vec<_>>().join(",");
    let mut want: Vec<String> =
        customers.iter().map(|c| key(&[c[1], c[2], c[3], c[4], c[5], c[6]])).collect();
    let mut got: Vec<String> = jobs
        .iter()
        .map(|j| {
            let w = &j["time_windows"];
            assert_eq!(w.as_array().map(|w| w.len()), Some(1), "{name}: {j}");
            key(&[
                f(&j["location"]["x"]),
                f(&j["location"]["y"]),
                f(&j["demand"][0]),
                f(&w[0][0]),
                f(&w[0][1]),
                f(&j["duration"]),
            ])
        })
        .collect();
    want.sort();
    got.sort();
    assert_eq!(got, want, "{name}: jobs differ from the customer rows");
}

#[test]
fn solomon_all_instances_feasible_and_complete() {
    let d = dir();
    let Ok(entries) = std::fs::read_dir(&d) else {
        eprintln!("SKIPPED: no benchmark folder at {}", d.display());
        return;
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    let only: Option<Vec<String>> = std::env::var("FIELDOPT_SOLOMON_ONLY")
        .ok()
        .map(|s| s.split(',').map(|x| x.trim().to_uppercase()).collect());
    if only.is_none() {
        assert_eq!(files.len(), 56, "expected the 56 Solomon instances in {}", d.display());
    }
    let iters: u64 =
        std::env::var("FIELDOPT_SOLOMON_ITERS").ok().and_then(|s| s.parse().ok()).unwrap_or(2000);
    let bks = bks();
    let t_all = Instant::now();
    let mut failures: Vec<String> = Vec::new();
    let (mut sum_gap, mut n_gap, mut py_ok) = (0.0, 0, 0);
    eprintln!(
        "{:<6} {:>4} {:>9}  {:>4} {:>9}  {:>7}  {:>6}",
        "inst", "veh", "dist", "bks", "bks dist", "gap%", "secs"
    );
    for (i, path) in files.iter().enumerate() {
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        if let Some(o) = &only {
            if !o.contains(&name.to_uppercase()) {
                continue;
            }
        }
        let text = std::fs::read_to_string(path).unwrap();
        let doc = match io::solomon::to_problem(&text, &name) {
            Ok(d) => d,
            Err(e) => {
                failures.push(format!("{name}: to_problem failed: {e}"));
                continue;
            }
        };
        if let Err(e) = std::panic::catch_unwind(|| assert_conversion(&name, &text, &doc)) {
            failures.push(format!(
                "{name}: conversion: {}",
                e.downcast_ref::<String>().cloned().unwrap_or_default()
            ));
            continue;
        }
        let doc_text = doc.to_string();
        let problem = match io::parse_problem_str(&doc_text) {
            Ok(p) => p,
            Err(e) => {
                failures.push(format!("{name}: converted document rejected: {e}"));
                continue;
            }
        };
        let t0 = Instant::now();
        let params = SolveParams { seed: 1, iterations: Some(iters), ..Default::default() };
        let plan = match std::panic::catch_unwind(|| solve(&problem, &params)) {
            Ok(p) => p,
            Err(_) => {
                failures.push(format!("{name}: solve panicked"));
                continue;
            }
        };
        let secs = t0.elapsed().as_secs_f64();
        let plan_text = io::plan_to_string(&plan);
        let plan_v: Value = serde_json::from_str(&plan_text).unwrap();
        let rep = check(&doc, &plan_v);
        for v in rep.violations.iter().take(5) {
            failures.push(format!("{name}: checker: {v}"));
        }
        for v in rep.inconsistencies.iter().take(3) {
            failures.push(format!("{name}: plan times: {v}"));
        }
        let k = &rep.kpis;
        if k.assigned != 100 {
            failures.push(format!(
                "{name}: only {} of 100 customers assigned with 25 vehicles (unassigned: {})",
                k.assigned, plan_v["unassigned"]
            ));
        }
        let demand: f64 = doc["jobs"].as_array().unwrap().iter().map(|j| f(&j["demand"][0])).sum();
        let q = f(&doc["technicians"][0]["capacity"][0]);
        if rep.violations.is_empty() && (k.technicians_used as f64) < (demand / q).ceil() {
            failures.push(format!(
                "{name}: {} vehicles < capacity bound {}",
                k.technicians_used,
                (demand / q).ceil()
            ));
        }
        let engine = plan_v["kpis"]["travel_distance"].as_f64().unwrap_or(f64::NAN);
        if (engine - k.travel_distance).abs() > 1e-6 * k.travel_distance.max(1.0) {
            failures
                .push(format!("{name}: engine distance {engine} != checker {}", k.travel_distance));
        }
        // Iteration mode is reproducible whatever the thread count: 1 thread == all cores.
        if ["R101", "RC202"].contains(&name.as_str()) {
            let one = SolveParams { threads: Some(1), ..params.clone() };
            let again = io::plan_to_string(&solve(&problem, &one));
            if again != plan_text {
                failures.push(format!(
                    "{name}: plan with 1 thread differs from the default-threads plan"
                ));
            }
        }
        // Python on a few instances (one per class).
        if ["C101", "C201", "R101", "R211", "RC105", "RC208"].contains(&name.as_str()) {
            match check_with_python(&doc_text, &plan_text) {
                None => {}
                Some(Ok(())) => py_ok += 1,
                Some(Err(e)) => failures.push(format!("{name}: check_plan.py: {e}")),
            }
        }
        let (bv, bd, dimacs) = bks.get(&name).copied().unwrap_or((0, f64::NAN, f64::NAN));
        // Nor may the distance beat the distance-only (DIMACS) reference: that value is a
        // truncated tour length, already at or below the exact one.
        if rep.violations.is_empty() && k.travel_distance < dimacs - 0.01 {
            failures.push(format!(
                "{name}: distance {:.2} is below the DIMACS distance-only reference {dimacs}: suspicious",
                k.travel_distance
            ));
        }
        let gap = 100.0 * (k.travel_distance / bd - 1.0);
        if gap.is_finite() {
            sum_gap += gap;
            n_gap += 1;
        }
        // A feasible plan beating the best-known (vehicles, distance) would be a world record:
        // far more likely a checker or travel-model bug.
        if rep.violations.is_empty()
            && k.assigned == 100
            && bv > 0
            && ((k.technicians_used as u64) < bv
                || ((k.technicians_used as u64) == bv && k.travel_distance < bd - 0.01))
        {
            failures.push(format!(
                "{name}: {} vehicles / {:.2} beats the BKS {bv} / {bd}: suspicious",
                k.technicians_used, k.travel_distance
            ));
        }
        eprintln!(
            "{name:<6} {:>4} {:>9.2}  {bv:>4} {bd:>9.2}  {gap:>7.2}  {secs:>6.2}{}",
            k.technicians_used,
            k.travel_distance,
            if rep.violations.is_empty() { "" } else { "  INFEASIBLE" }
        );
        let _ = i;
    }
    eprintln!(
        "solomon: {} instances, {iters} iterations each, {:.1?} total; mean distance gap to BKS {:.2}%; \
         {py_ok} plans also passed check_plan.py",
        n_gap,
        t_all.elapsed(),
        if n_gap > 0 { sum_gap / n_gap as f64 } else { f64::NAN }
    );
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}
