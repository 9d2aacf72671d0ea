//! End-to-end tests of the `fieldopt` binary: `check` on hand-made plans, invalid input,
//! generate -> solve -> check round trips (also against `../shared/tools/check_plan.py` when
//! it exists), directory mode, atomic output, `convert solomon`, usage errors, and
//! `--time-limit` counted over the whole run (reading the document included).

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

use serde_json::Value;
use tempfile::TempDir;

/// Euclidean, speed 1. A has hvac 3 and a break [100, 200] x 30; B has nothing.
const PROBLEM: &str = r#"{
  "format": "fieldopt-problem/1", "name": "cli-tiny", "date": "2026-11-24",
  "travel": {"kind": "euclidean", "speed": 1.0},
  "technicians": [
    {"id": "A", "start": {"x": 0, "y": 0}, "shift": [0, 1000], "skills": {"hvac": 3},
     "break": {"window": [100, 200], "duration": 30}},
    {"id": "B", "start": {"x": 10, "y": 0}, "shift": [0, 1000]}
  ],
  "jobs": [
    {"id": "J1", "location": {"x": 3, "y": 4}, "duration": 10, "skills": {"hvac": 2}},
    {"id": "J2", "location": {"x": 6, "y": 8}, "duration": 10, "time_windows": [[0, 20]]},
    {"id": "J3", "location": {"x": 60, "y": 80}, "duration": 50},
    {"id": "J4", "location": {"x": 1, "y": 0}, "duration": 0}
  ]
}"#;

/// A feasible hand-made plan: only ids, no stop times (the checker recomputes them).
const FEASIBLE_PLAN: &str = r#"{
  "format": "fieldopt-plan/1",
  "routes": [{"technician": "A", "stops": [{"job": "J1"}, {"job": "J2"}]},
             {"technician": "B", "stops": [{"job": "J3", "arrival": 1, "start": 1, "end": 2}]}],
  "unassigned": [{"job": "J4", "reason": "left out by hand"}]
}"#;

/// B lacks hvac for J1 and reaches J2 at 23.06 > 20; A works past 100 without a break;
/// J4 appears nowhere.
const INFEASIBLE_PLAN: &str = r#"{
  "format": "fieldopt-plan/1",
  "routes": [{"technician": "A", "stops": [{"job": "J3"}]},
             {"technician": "B", "stops": [{"job": "J1"}, {"job": "J2"}]}],
  "unassigned": []
}"#;

fn fieldopt(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fieldopt")).args(args).output().expect("run fieldopt")
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exited normally (no signal)")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_string()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Sorted file names in `dir`.
fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> =
        fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    v.sort();
    v
}

/// The reference checker next to the repository, if present (and python3 runs).
fn reference_checker() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/check_plan.py");
    let python =
        Command::new("python3").arg("--version").output().is_ok_and(|o| o.status.success());
    (p.exists() && python).then_some(p)
}

/// Checks a plan with `fieldopt check` and with the reference checker when available.
fn assert_feasible(problem: &str, plan: &str) {
    let o = fieldopt(&["check", problem, plan]);
    assert_eq!(code(&o), 0, "fieldopt check: {}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).starts_with("FEASIBLE"));
    if let Some(checker) = reference_checker() {
        let o = Command::new("python3").arg(checker).args([problem, plan]).output().unwrap();
        assert_eq!(code(&o), 0, "check_plan.py: {}{}", stdout(&o), stderr(&o));
    }
}

#[test]
fn check_accepts_a_feasible_hand_made_plan() {
    let d = TempDir::new().unwrap();
    let problem = write(d.path(), "problem.json", PROBLEM);
    let plan = write(d.path(), "plan.json", FEASIBLE_PLAN);
    assert_feasible(&problem, &plan);
    let o = fieldopt(&["check", &problem, &plan, "--json"]);
    assert_eq!(code(&o), 0);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["feasible"], true);
    assert_eq!(v["violations"], Value::Array(vec![]));
    let k = &v["kpis"];
    assert_eq!((k["jobs"].as_u64(), k["assigned"].as_u64()), (Some(4), Some(3)));
    assert_eq!(k["technicians_used"], 2);
    assert!(k.get("objective").is_none(), "objective is the engine's, not a checked KPI");
    // A: 5 + 5 + 10; B: 2 x sqrt(50^2 + 80^2).
    let travel = 20.0 + 2.0 * (50f64 * 50.0 + 80.0 * 80.0).sqrt();
    assert!((k["travel_distance"].as_f64().unwrap() - travel).abs() < 1e-5, "{k}");
}

#[test]
fn check_reports_each_violation_of_an_infeasible_plan() {
    let d = TempDir::new().unwrap();
    let problem = write(d.path(), "problem.json", PROBLEM);
    let plan = write(d.path(), "plan.json", INFEASIBLE_PLAN);
    let o = fieldopt(&["check", &problem, &plan]);
    assert_eq!(code(&o), 1, "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("INFEASIBLE"), "{out}");
    for kind in ["break_missing", "skill", "time_window", "missing_job", "KPIs:"] {
        assert!(out.contains(kind), "{kind} not in\n{out}");
    }
    let o = fieldopt(&["check", &problem, &plan, "--json"]);
    assert_eq!(code(&o), 1);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["feasible"], false);
    let got: Vec<(String, Value, Value)> = v["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| (x["type"].as_str().unwrap().to_string(), x["route"].clone(), x["job"].clone()))
        .collect();
    let want = [
        ("break_missing", Value::from(0), Value::Null),
        ("skill", Value::from(1), Value::from("J1")),
        ("time_window", Value::from(1), Value::from("J2")),
        ("missing_job", Value::Null, Value::from("J4")),
    ];
    let want: Vec<(String, Value, Value)> =
        want.into_iter().map(|(k, r, j)| (k.to_string(), r, j)).collect();
    assert_eq!(got, want);
    if let Some(checker) = reference_checker() {
        let args = [&problem, &plan, "--json"];
        let o = Command::new("python3").arg(checker).args(args).output().unwrap();
        assert_eq!(code(&o), 1);
        let r: Value = serde_json::from_str(&stdout(&o)).unwrap();
        assert_eq!(r["violations"], v["violations"].clone(), "same violations as check_plan.py");
    }
}

#[test]
fn invalid_problem_or_plan_is_exit_2_with_the_path() {
    let d = TempDir::new().unwrap();
    let bad = PROBLEM.replace("[[0, 20]]", "[[50400, 43200]]");
    let problem = write(d.path(), "bad-problem.json", &bad);
    let plan = write(d.path(), "plan.json", FEASIBLE_PLAN);
    let o = fieldopt(&["check", &problem, &plan]);
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert!(err.contains(&problem) && err.contains("jobs[1].time_windows[0]"), "{err}");
    let o = fieldopt(&["check", &problem, &plan, "--json"]);
    assert_eq!(code(&o), 2);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["invalid_input"], true);
    let o = fieldopt(&["solve", &problem]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).starts_with(&format!("error: {problem}: jobs[1]")), "{}", stderr(&o));

    let good = write(d.path(), "problem.json", PROBLEM);
    let plans = [
        ("not-json.json", "{\"routes\": ["),
        ("no-job.json", r#"{"routes": [{"technician": "A", "stops": [{"start": 1}]}]}"#),
        ("bad-tech.json", r#"{"routes": [{"technician": 7, "stops": []}], "unassigned": []}"#),
        ("bad-format.json", r#"{"format": "other/1", "routes": []}"#),
    ];
    for (name, text) in plans {
        let plan = write(d.path(), name, text);
        let o = fieldopt(&["check", &good, &plan]);
        assert_eq!(code(&o), 2, "{name}: {}", stderr(&o));
        assert!(stderr(&o).contains(&plan), "{name}: {}", stderr(&o));
    }
    let o = fieldopt(&["check", &good, &d.path().join("no-job.json").display().to_string()]);
    assert!(stderr(&o).contains("plan.routes[0].stops[0]"), "{}", stderr(&o));
    let missing = d.path().join("missing.json");
    let o = fieldopt(&["solve", s(&missing)]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).starts_with(&format!("error: {}", s(&missing))), "{}", stderr(&o));
}

#[test]
fn generate_solve_check_round_trip() {
    let d = TempDir::new().unwrap();
    let problem = d.path().join("problem.json");
    let o =
        fieldopt(&["generate", "--jobs", "25", "--techs", "4", "--seed", "7", "-o", s(&problem)]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    // Same seed, same document.
    let again = fieldopt(&["generate", "--jobs", "25", "--techs", "4", "--seed", "7"]);
    assert_eq!(stdout(&again), fs::read_to_string(&problem).unwrap());

    let out = d.path().join("plans");
    fs::create_dir(&out).unwrap();
    let plan = out.join("plan.json");
    let args = ["solve", s(&problem), "-o", s(&plan), "--iterations", "300", "--seed", "1"];
    let o = fieldopt(&args);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stderr(&o).contains("jobs assigned"), "KPI summary: {}", stderr(&o));
    // Written atomically: the plan and nothing else (no temporary file left behind).
    assert_eq!(listing(&out), ["plan.json"]);
    let doc: Value = serde_json::from_str(&fs::read_to_string(&plan).unwrap()).unwrap();
    assert_eq!(doc["format"], "fieldopt-plan/1");
    assert_feasible(s(&problem), s(&plan));

    // To stdout, quiet: the same plan (iteration mode is reproducible), nothing on stderr.
    let o = fieldopt(&["solve", s(&problem), "--iterations", "300", "--seed", "1", "--quiet"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(stderr(&o), "");
    let piped: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(piped["routes"], doc["routes"]);

    // --bound-seconds implies --bound: the same plan, with a bound no larger than it.
    let args = ["solve", s(&problem), "--iterations", "300", "--seed", "1", "--quiet"];
    let o = fieldopt(&[&args[..], &["--bound-seconds", "2"]].concat());
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let bounded: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(bounded["routes"], doc["routes"]);
    let lb = bounded["kpis"]["lower_bound"].as_f64().expect("a bound");
    assert!(lb <= doc["kpis"]["objective"].as_f64().unwrap() * (1.0 + 1e-9) + 1e-6);
    assert!(doc["kpis"].get("lower_bound").is_none());
}

#[test]
fn directory_mode_continues_past_a_bad_file() {
    let d = TempDir::new().unwrap();
    let input = d.path().join("in");
    fs::create_dir(&input).unwrap();
    for (name, seed) in [("a.json", "1"), ("c.json", "2")] {
        let path = input.join(name);
        let o =
            fieldopt(&["generate", "--jobs", "8", "--techs", "2", "--seed", seed, "-o", s(&path)]);
        assert_eq!(code(&o), 0);
    }
    write(&input, "b.json", "{ this is not json");
    write(&input, "old.plan.json", "{}"); // a plan, not a problem: skipped
    write(&input, "notes.txt", "ignored");
    let out = d.path().join("out").join("nested");
    let o = fieldopt(&["solve", s(&input), "-o", s(&out), "--iterations", "100"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("b.json") && err.contains("failed"), "{err}");
    assert_eq!(listing(&out), ["a.plan.json", "c.plan.json"]);
    for stem in ["a", "c"] {
        let problem = input.join(format!("{stem}.json"));
        assert_feasible(s(&problem), s(&out.join(format!("{stem}.plan.json"))));
    }
    // All good: exit 0. A directory needs -o.
    fs::remove_file(input.join("b.json")).unwrap();
    let o = fieldopt(&["solve", s(&input), "-o", s(&out), "--iterations", "100", "--quiet"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let o = fieldopt(&["solve", s(&input)]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("-o"), "{}", stderr(&o));
}

#[test]
fn convert_solomon_then_solve() {
    let d = TempDir::new().unwrap();
    let text = "TINY\n\nVEHICLE\nNUMBER     CAPACITY\n  2         200\n\nCUSTOMER\n\
        CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME\n\n\
        0      40         50          0          0       1236          0\n\
        1      45         68         10          0        967         90\n\
        2      45         70         30          0        870         90\n";
    let file = write(d.path(), "tiny.txt", text);
    let problem = d.path().join("tiny.json");
    let o = fieldopt(&["convert", "solomon", &file, "-o", s(&problem)]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let doc: Value = serde_json::from_str(&fs::read_to_string(&problem).unwrap()).unwrap();
    assert_eq!(doc["name"], "tiny");
    let plan = d.path().join("tiny.plan.json");
    let o = fieldopt(&["solve", s(&problem), "-o", s(&plan), "--iterations", "100"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_feasible(s(&problem), s(&plan));
    let bad = write(d.path(), "bad.txt", "not a benchmark\n");
    let o = fieldopt(&["convert", "solomon", &bad]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).starts_with(&format!("error: {bad}")), "{}", stderr(&o));
}

#[test]
fn usage_errors_and_help() {
    let o = fieldopt(&["--help"]);
    assert_eq!(code(&o), 0);
    assert!(stdout(&o).contains("Exit codes"), "{}", stdout(&o));
    for args in [
        &[][..],
        &["solve"][..],
        &["frobnicate"][..],
        &["solve", "x.json", "--threads", "0"][..],
        &["solve", "x.json", "--time-limit", "-1"][..],
        &["solve", "x.json", "--bound-seconds", "-1"][..],
        &["generate", "--jobs", "3", "--techs", "0"][..],
    ] {
        let o = fieldopt(args);
        assert_eq!(code(&o), 2, "{args:?}: {}", stderr(&o));
    }
    let o = fieldopt(&["solve", "x.json", "--bound-seconds", "nan"]);
    assert!(stderr(&o).contains("--bound-seconds"), "{}", stderr(&o));
}

#[test]
fn solve_with_affinity_and_explain() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    let problem = s(&d.join("region.json")).to_string();
    let o = fieldopt(&["generate", "--jobs", "60", "--techs", "6", "--seed", "3", "-o", &problem]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let plan = s(&d.join("plan.json")).to_string();
    let args = ["solve", &problem, "-o", &plan, "--iterations", "200", "--threads", "1"];
    let o = fieldopt(&[&args[..], &["--policy", "min_travel", "--affinity"]].concat());
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stderr(&o).contains("price of affinity: "), "{}", stderr(&o));
    assert!(stderr(&o).contains("favourite_first: "), "{}", stderr(&o));
    assert_feasible(&problem, &plan);
    let doc: Value = serde_json::from_str(&fs::read_to_string(&plan).unwrap()).unwrap();
    let aff = &doc["affinity"];
    let rows = aff["jobs"].as_array().expect("affinity.jobs");
    assert_eq!(aff["summary"]["not_honoured"].as_u64(), Some(rows.len() as u64));
    assert!(!rows.is_empty(), "min_travel leaves some favourites unsent on this region");
    assert!(
        aff["favourite_first"]["honoured_policy"].as_u64() >= aff["summary"]["honoured"].as_u64()
    );
    // Without --affinity the plan has no such member.
    let bare = s(&d.join("bare.json")).to_string();
    let o = fieldopt(&["solve", &problem, "-o", &bare, "--iterations", "50", "-q"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(!fs::read_to_string(&bare).unwrap().contains("\"affinity\""));

    // Explain a routed job and, if any, an unassigned one.
    let routed = doc["routes"][0]["stops"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|s| s["job"].as_str())
        .unwrap()
        .to_string();
    let o = fieldopt(&["explain", &problem, &plan, &routed, "--policy", "min_travel"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let tech = doc["routes"][0]["technician"].as_str().unwrap();
    assert!(stdout(&o).starts_with(&format!("{routed}: assigned to {tech} (")), "{}", stdout(&o));
    assert!(stdout(&o).contains(" #1 "), "{}", stdout(&o));
    if let Some(u) = doc["unassigned"].as_array().unwrap().first() {
        let job = u["job"].as_str().unwrap();
        let o = fieldopt(&["explain", &problem, &plan, job, "--json", "--policy", "min_travel"]);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
        assert_eq!(v[0]["status"], "unassigned");
        assert_eq!(v[0]["code"], u["code"]);
    }
    let o = fieldopt(&["explain", &problem, &plan, "NO-SUCH-JOB"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("job: unknown job id \"NO-SUCH-JOB\""), "{}", stderr(&o));
}

/// Checks a plan file with the independent checker of `tests/common` (written from the
/// spec, not from the engine): no violation, and every job of the problem exactly once.
fn assert_complete_and_feasible(problem: &Path, plan: &Path) {
    let problem: Value = serde_json::from_str(&fs::read_to_string(problem).unwrap()).unwrap();
    let plan: Value = serde_json::from_str(&fs::read_to_string(plan).unwrap()).unwrap();
    let rep = common::checker::check(&problem, &plan);
    assert!(
        rep.is_feasible(),
        "independent checker: {:?}",
        &rep.violations[..5.min(rep.violations.len())]
    );
    let seen = common::checker::job_appearances(&plan);
    let jobs = problem["jobs"].as_array().unwrap();
    assert_eq!(seen.len(), jobs.len(), "plan names jobs not in the problem, or misses some");
    for j in jobs {
        let id = j["id"].as_str().unwrap();
        assert_eq!(seen.get(id), Some(&1), "job {id} must appear exactly once");
    }
}

/// `--time-limit` counts the whole run, reading the document included. 2,000 jobs x 100
/// technicians take 0.5 s to read and validate on an idle machine, several times that on a
/// loaded one, so the test measures it first:
///
/// 1. A limit of 1 ms is used up by reading: the solver gets nothing, construction is cut
///    short, and the plan is still complete (every job routed or unassigned with a
///    reason) and feasible. Its wall time `w0` is reading plus building that plan.
/// 2. A limit `L = max(1, 1.5 w0)` s must end within `1.5 L` (generous: no precise timing).
///    A solver given the full `L` after reading would run about `w0 + L`, i.e. `1.67 L`,
///    and fail this.
#[test]
fn time_limit_covers_reading_the_document() {
    let d = TempDir::new().unwrap();
    let problem = d.path().join("big.json");
    let o = fieldopt(&[
        "generate",
        "--jobs",
        "2000",
        "--techs",
        "100",
        "--seed",
        "11",
        "-o",
        s(&problem),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let plan = d.path().join("plan.json");

    let t = Instant::now();
    let o = fieldopt(&["solve", s(&problem), "-o", s(&plan), "--time-limit", "0.001"]);
    let w0 = t.elapsed().as_secs_f64();
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stderr(&o).contains("jobs assigned"), "{}", stderr(&o));
    assert_complete_and_feasible(&problem, &plan);
    let doc: Value = serde_json::from_str(&fs::read_to_string(&plan).unwrap()).unwrap();
    for u in doc["unassigned"].as_array().unwrap() {
        assert!(u["reason"].as_str().is_some_and(|r| !r.is_empty()), "no reason: {u}");
    }

    let limit = (1.5 * w0).max(1.0);
    let arg = format!("{limit:.3}");
    let t = Instant::now();
    let o = fieldopt(&["solve", s(&problem), "-o", s(&plan), "--time-limit", &arg, "-q"]);
    let wall = t.elapsed().as_secs_f64();
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        wall < 1.5 * limit,
        "fieldopt solve --time-limit {arg} took {wall:.2} s (reading + a used-up limit: {w0:.2} s)"
    );
    assert_complete_and_feasible(&problem, &plan);
    assert_feasible(s(&problem), s(&plan));
}

/// `--decompose N` forces a split into N parts (the default `auto` leaves 200 jobs whole):
/// the plan is complete, feasible, the same on 1 and 2 threads, and differs from `off`;
/// a bad value is a usage error naming `decompose`.
#[test]
fn solve_with_decompose() {
    let d = TempDir::new().unwrap();
    let problem = d.path().join("problem.json");
    let o =
        fieldopt(&["generate", "--jobs", "200", "--techs", "16", "--seed", "3", "-o", s(&problem)]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let solve = |decompose: &str, threads: &str| {
        let plan = d.path().join(format!("plan-{decompose}-{threads}.json"));
        let o = fieldopt(&[
            "solve",
            s(&problem),
            "-o",
            s(&plan),
            "--iterations",
            "300",
            "--seed",
            "2",
            "--threads",
            threads,
            "--decompose",
            decompose,
            "-q",
        ]);
        assert_eq!(code(&o), 0, "--decompose {decompose}: {}", stderr(&o));
        assert_complete_and_feasible(&problem, &plan);
        assert_feasible(s(&problem), s(&plan));
        let doc: Value = serde_json::from_str(&fs::read_to_string(&plan).unwrap()).unwrap();
        doc
    };
    let split = solve("3", "1");
    assert_eq!(split, solve("3", "2"), "1 thread vs 2 threads differ");
    let whole = solve("off", "2");
    assert_eq!(whole, solve("auto", "1"), "200 jobs: auto must not split");
    assert_ne!(split["routes"], whole["routes"], "--decompose 3 had no effect");
    for bad in ["two", "1.5", ""] {
        let o = fieldopt(&["solve", s(&problem), "--decompose", bad]);
        assert_eq!(code(&o), 2, "--decompose {bad:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("decompose"), "{}", stderr(&o));
    }
}
