//! Converts and solves Kovacs et al. (2012) STRSP instances (no-team variant), verifies
//! every plan with the independent checker `../shared/tools/check_plan.py`, and reports
//! Kovacs' objective (routing cost = euclidean distance driven, plus the outsourcing cost
//! of the tasks left out) computed from the checker's KPIs.
//!
//! `cargo run --release --example kovacs -- [DIR] [--pool complete|reduced]
//!  [--only NAME,NAME..] [--sizes 5x4,6x6..] [--time-limit S] [--iterations N]
//!  [--threads N] [--seed S] [--csv OUT]`
//!
//! DIR defaults to `../shared/benchmarks/kovacs_strsp`. `--pool complete` (default) takes
//! the technicians of `technicians_noTeam/` (the pools of Kovacs et al.), `reduced` those of
//! `techniciansReduced_noTeam/` (smaller pools of Cabrera's checker repository). `--only`
//! keeps instances whose name (e.g. `C101_5x4`) starts with one of the prefixes.

use std::path::{Path, PathBuf};
use std::process::Command;

use fieldopt::io::kovacs::{objective_from_kpis, to_problem};
use fieldopt::{io, solve, SolveParams};
use serde_json::Value;

/// One solved instance, with the checker's numbers.
struct Row {
    name: String,
    techs: usize,
    feasible: bool,
    assigned: u64,
    outsourced: u64,
    distance: f64,
    outsourcing: f64,
    objective: f64,
    outsource_all: f64,
    seconds: f64,
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = PathBuf::from(
        args.get(1)
            .filter(|a| !a.starts_with("--"))
            .map_or("../shared/benchmarks/kovacs_strsp", |s| s.as_str()),
    );
    let opt = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1));
    let list = |name: &str| -> Vec<String> {
        opt(name).map_or(Vec::new(), |s| s.split(',').map(str::to_string).collect())
    };
    let time_limit = opt("--time-limit").and_then(|s| s.parse::<f64>().ok());
    let iterations = opt("--iterations").and_then(|s| s.parse::<u64>().ok());
    let threads = opt("--threads").and_then(|s| s.parse::<usize>().ok());
    let seed = opt("--seed").and_then(|s| s.parse::<u64>().ok()).unwrap_or(0);
    let pool = match opt("--pool").map(String::as_str) {
        None | Some("complete") => "technicians_noTeam",
        Some("reduced") => "techniciansReduced_noTeam",
        Some(other) => {
            eprintln!("--pool: expected complete or reduced, got {other:?}");
            std::process::exit(2);
        }
    };
    let (only, sizes) = (list("--only"), list("--sizes"));
    let checker = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/check_plan.py");

    let mut names: Vec<String> = std::fs::read_dir(dir.join("tasks_noTeam"))
        .unwrap_or_else(|e| panic!("{}: {e}", dir.join("tasks_noTeam").display()))
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            e.file_name().to_string_lossy().strip_suffix("_noTeam.txt").map(String::from)
        })
        .filter(|n| only.is_empty() || only.iter().any(|o| n.starts_with(o.as_str())))
        .filter(|n| sizes.is_empty() || sizes.iter().any(|s| n.ends_with(&format!("_{s}"))))
        .collect();
    names.sort();

    let tmp = tempfile::tempdir().expect("temp dir");
    let mut rows = Vec::new();
    for name in &names {
        let read = |p: PathBuf| {
            std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
        };
        let tasks = read(dir.join(format!("tasks_noTeam/{name}_noTeam.txt")));
        let techs = read(dir.join(format!("{pool}/technicians_{name}_noTeam.txt")));
        let doc = to_problem(&tasks, &techs, name).unwrap_or_else(|e| panic!("{name}: {e}"));
        let problem =
            io::parse_problem_value(doc.clone()).unwrap_or_else(|e| panic!("{name}: {e}"));
        let params = SolveParams { seed, threads, time_limit, iterations, ..Default::default() };
        let t0 = std::time::Instant::now();
        let plan = solve(&problem, &params);
        let seconds = t0.elapsed().as_secs_f64();
        let pp = tmp.path().join(format!("{name}.problem.json"));
        let qp = tmp.path().join(format!("{name}.plan.json"));
        std::fs::write(&pp, doc.to_string()).expect("write problem");
        std::fs::write(&qp, io::plan_to_string(&plan)).expect("write plan");
        let report = run_checker(&checker, &pp, &qp);
        let kpis = &report["kpis"];
        let f = |k: &str| kpis[k].as_f64().unwrap_or(f64::NAN);
        let feasible = report["feasible"].as_bool() == Some(true);
        let outsource_all: f64 = doc["jobs"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|j| j["unassigned_cost"].as_f64())
            .sum();
        let row = Row {
            name: name.clone(),
            techs: problem.technicians.len(),
            feasible,
            assigned: kpis["assigned"].as_u64().unwrap_or(0),
            outsourced: kpis["unassigned"].as_u64().unwrap_or(0),
            distance: f("travel_distance"),
            outsourcing: f("unassigned_cost"),
            objective: objective_from_kpis(kpis).unwrap_or(f64::NAN),
            outsource_all,
            seconds,
        };
        println!(
            "{:10} techs {:3} {} served {:3} outsourced {:3} distance {:8.2} outsourcing {:7.1} objective {:9.2} (all outsourced {:7.0}) engine {:9.2} {:5.1}s",
            row.name,
            row.techs,
            if feasible { "feasible  " } else { "INFEASIBLE" },
            row.assigned,
            row.outsourced,
            row.distance,
            row.outsourcing,
            row.objective,
            row.outsource_all,
            plan.kpis.objective,
            row.seconds
        );
        rows.push(row);
    }
    let n = rows.len().max(1) as f64;
    let feasible = rows.iter().filter(|r| r.feasible).count();
    println!(
        "instances {} feasible {feasible} mean objective {:.2} mean outsourced {:.1} mean share of the outsource-all cost {:.1}%",
        rows.len(),
        rows.iter().map(|r| r.objective).sum::<f64>() / n,
        rows.iter().map(|r| r.outsourced as f64).sum::<f64>() / n,
        100.0 * rows.iter().map(|r| r.objective / r.outsource_all).sum::<f64>() / n,
    );
    if let Some(out) = opt("--csv") {
        let mut csv = String::from(
            "instance,pool,technicians,feasible,served,outsourced,distance,outsourcing_cost,objective,outsource_all_cost,seconds\n",
        );
        for r in &rows {
            csv.push_str(&format!(
                "{},{},{},{},{},{},{:.3},{:.1},{:.3},{:.1},{:.1}\n",
                r.name,
                pool,
                r.techs,
                r.feasible,
                r.assigned,
                r.outsourced,
                r.distance,
                r.outsourcing,
                r.objective,
                r.outsource_all,
                r.seconds
            ));
        }
        std::fs::write(out, csv).expect("write csv");
    }
}

/// Runs `check_plan.py PROBLEM PLAN --json` and returns its report (exits when the checker
/// cannot run: an unverified number must not reach the table).
fn run_checker(script: &Path, problem: &Path, plan: &Path) -> Value {
    let out = Command::new("python3")
        .arg(script)
        .arg(problem)
        .arg(plan)
        .arg("--json")
        .output()
        .unwrap_or_else(|e| panic!("python3 {}: {e}", script.display()));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("check_plan.py printed no JSON ({e}): {}", String::from_utf8_lossy(&out.stderr))
    })
}
