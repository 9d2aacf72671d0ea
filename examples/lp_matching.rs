//! Time to a proved optimum of the assignment mode's MIP (`fieldopt::lp::AssignModel`) on
//! generated days, for whichever LP backend this build has (`--features lp-highs` for
//! HiGHS; the default build uses microlp). Run it once per backend to compare them.
//!
//! Two models, both with the skills, levels, certifications, bans and pins of the
//! generated day and the default policy's costs:
//! - `assignment`: 5,000 jobs x 500 technicians, at most 10 jobs each and no hours limit
//!   (a b-matching: each job to one eligible technician);
//! - `gap`: 1,000 jobs x 100 technicians, hours capacity per technician (service plus half
//!   the round trip within the day), van capacity and job caps (generalised assignment).
//!
//! `cargo run --release [--features lp-highs] --example lp_matching -- [--cap SECONDS]
//!  [--only assignment|gap] [--csv OUT]` (appends one row per model to OUT).

use std::io::Write;
use std::time::Instant;

use fieldopt::generate::{generate, GenerateParams};
use fieldopt::io::parse_problem_value;
use fieldopt::lp::{AssignModel, BACKEND};
use fieldopt::matching::Eligibility;
use fieldopt::policy::Objective;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let opt = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1));
    let cap: f64 = opt("--cap").and_then(|s| s.parse().ok()).unwrap_or(300.0);
    let only = opt("--only").cloned().unwrap_or_default();
    let csv = opt("--csv").cloned();
    let backend = BACKEND.unwrap_or("none");
    let cases = [("assignment", 5000usize, 500usize), ("gap", 1000, 100)];
    for (name, jobs, techs) in cases {
        if !only.is_empty() && only != name {
            continue;
        }
        let doc = generate(&GenerateParams { jobs, techs, seed: 7 });
        let problem = match parse_problem_value(doc) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("{name}: generated problem rejected: {e}");
                std::process::exit(2);
            }
        };
        let policy = &problem.policy;
        let obj = Objective::new(&problem, policy);
        let elig = Eligibility::new(&problem);
        let built = Instant::now();
        let mut model = AssignModel::new(&problem, policy, &obj, &elig);
        if name == "assignment" {
            // A pure matching: hours do not bind, ten jobs per technician at most.
            model.day.iter_mut().for_each(|d| *d = f64::INFINITY);
        }
        let mut problem = problem;
        if name == "assignment" {
            problem.technicians.iter_mut().for_each(|t| {
                t.max_jobs = Some(10);
                t.capacity = None;
            });
        }
        let build_s = built.elapsed().as_secs_f64();
        let started = Instant::now();
        let result = model.solve_detailed(&problem, &obj, Some(cap));
        let secs = started.elapsed().as_secs_f64();
        let (status, objective, assigned) = match &result {
            Ok(s) => (
                if s.optimal { "optimal" } else { "time limit" },
                format!("{:.2}", s.objective),
                s.sets.iter().map(Vec::len).sum::<usize>(),
            ),
            Err(e) => {
                eprintln!("{name}: {e}");
                ("failed", String::new(), 0)
            }
        };
        println!(
            "{name}: {jobs} jobs x {techs} techs, {} pairs, backend {backend}: {status} in {secs:.2} s (model build {build_s:.2} s), objective {objective}, {assigned} assigned",
            model.pairs.len()
        );
        if let Some(path) = &csv {
            let new = !std::path::Path::new(path).exists();
            let mut f = match std::fs::OpenOptions::new().create(true).append(true).open(path) {
                Ok(f) => f,
                Err(e) => {
                    eprintln!("{path}: {e}");
                    std::process::exit(2);
                }
            };
            let mut text = String::new();
            if new {
                text.push_str("model,jobs,techs,pairs,backend,status,seconds,cap_seconds,objective,assigned\n");
            }
            text.push_str(&format!(
                "{name},{jobs},{techs},{},{backend},{status},{secs:.2},{cap},{objective},{assigned}\n",
                model.pairs.len()
            ));
            if let Err(e) = f.write_all(text.as_bytes()) {
                eprintln!("{path}: {e}");
            }
        }
    }
}
