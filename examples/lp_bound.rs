//! Measures the LP lower bound (`fieldopt::lp::lower_bound`) against the best-known
//! distances of Solomon / Homberger instances (converted with the distance-only policy, so
//! objective = distance when every job is served), and optionally against a plan solved
//! here first, whose gap the bound certifies and whose routes start the column generation.
//!
//! Two references: the distance-only best known (`dimacs_distance_trunc1` of `bks.csv`,
//! the one a bound on distance can reach; arcs truncated to 0.1, so a few tenths below
//! the Euclidean length of its routes) and the hierarchical one (fewest vehicles first,
//! up to 25 % longer on R2 and RC2: no distance bound comes near it there).
//!
//! `cargo run --release --example lp_bound -- DIR [--only PREFIX] [--solve-time S]
//!  [--threads N] [--colgen-seconds S] [--no-cuts] [--csv OUT]` (`--colgen-seconds 0`:
//!  arc-flow LP only; `--no-cuts`: column generation without subset-row cuts)

use std::path::PathBuf;
use std::time::Instant;

use fieldopt::io::parse_problem_value;
use fieldopt::io::solomon::{read_bks, to_problem};
use fieldopt::lp::{lower_bound_from, plan_routes, BoundOptions};
use fieldopt::plan::verify::verify;
use fieldopt::{solve, SolveParams};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = PathBuf::from(args.get(1).map_or("../shared/benchmarks/solomon", |s| s.as_str()));
    let opt = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1));
    let only = opt("--only").cloned().unwrap_or_default();
    let solve_time = opt("--solve-time").and_then(|s| s.parse::<f64>().ok());
    let threads = opt("--threads").and_then(|s| s.parse::<usize>().ok());
    let subset_row_cuts = !args.iter().any(|a| a == "--no-cuts");
    let colgen_seconds = opt("--colgen-seconds")
        .and_then(|s| s.parse::<f64>().ok())
        .unwrap_or(BoundOptions::default().colgen_seconds);
    let bks = std::fs::read_to_string(dir.join("bks.csv")).ok().and_then(|t| read_bks(&t).ok());
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(e) => {
            eprintln!("{}: {e}", dir.display());
            std::process::exit(2);
        }
    };
    files.retain(|p| {
        p.extension().is_some_and(|x| x == "txt")
            && p.file_stem().is_some_and(|s| s.to_string_lossy().starts_with(&only))
    });
    files.sort();
    let mut csv = String::from(
        "instance,jobs,method,bound,bks_distance,bound_gap_to_bks_pct,bound_seconds,plan_distance,plan_gap_to_bound_pct,plan_feasible,dimacs_distance,bound_gap_to_dimacs_pct\n",
    );
    let (mut gaps, mut plan_gaps, mut dgaps) = (Vec::new(), Vec::new(), Vec::new());
    for f in &files {
        let name = f.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
        let problem = match std::fs::read_to_string(f)
            .map_err(|e| e.to_string())
            .and_then(|t| to_problem(&t, &name).map_err(|e| e.to_string()))
            .and_then(|v| parse_problem_value(v).map_err(|e| e.to_string()))
        {
            Ok(p) => p,
            Err(e) => {
                eprintln!("{name}: {e}");
                continue;
            }
        };
        // A plan first when asked: its routes warm-start the bound's column generation.
        let plan = solve_time.map(|tl| {
            let params =
                SolveParams { seed: 0, threads, time_limit: Some(tl), ..Default::default() };
            solve(&problem, &params)
        });
        let warm = plan.as_ref().map(|pl| plan_routes(&problem, pl)).unwrap_or_default();
        let t0 = Instant::now();
        let opts = BoundOptions { colgen_seconds, subset_row_cuts, ..BoundOptions::default() };
        let bound = match lower_bound_from(&problem, &problem.policy, &opts, &warm) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{name}: no bound: {e}");
                continue;
            }
        };
        let secs = t0.elapsed().as_secs_f64();
        let (bound, method) = (bound.value, format!("{:?}", bound.method));
        let b =
            bks.as_ref().and_then(|b| b.iter().find(|x| x.instance.eq_ignore_ascii_case(&name)));
        let gap = b.map(|b| 100.0 * (b.distance - bound) / b.distance);
        gaps.extend(gap);
        let dimacs = b.and_then(|b| b.dimacs_distance);
        let dgap = dimacs.map(|d| 100.0 * (d - bound) / d);
        dgaps.extend(dgap);
        let mut plan_cols = (String::new(), String::new(), String::new());
        let mut line = String::new();
        if let Some(plan) = &plan {
            let ok = verify(&problem, plan).feasible && plan.kpis.unassigned == 0;
            let pg = 100.0 * (plan.kpis.objective - bound) / plan.kpis.objective;
            if ok {
                plan_gaps.push(pg);
            }
            line = format!(
                " plan {:10.2} certified gap {pg:6.2}% {}",
                plan.kpis.travel_distance,
                if ok { "ok" } else { "INFEASIBLE" }
            );
            plan_cols =
                (format!("{:.3}", plan.kpis.travel_distance), format!("{pg:.3}"), ok.to_string());
        }
        println!(
            "{name:10} jobs {:5} {method:16} bound {bound:10.2} bks {:>10} gap {:>7} dist-only {:>7} ({secs:5.1}s){line}",
            problem.jobs.len(),
            b.map_or("-".into(), |b| format!("{:.2}", b.distance)),
            gap.map_or("-".into(), |g| format!("{g:.2}%")),
            dgap.map_or("-".into(), |g| format!("{g:.2}%")),
        );
        csv.push_str(&format!(
            "{name},{},{method},{bound:.3},{},{},{secs:.2},{},{},{},{},{}\n",
            problem.jobs.len(),
            b.map_or(String::new(), |b| b.distance.to_string()),
            gap.map_or(String::new(), |g| format!("{g:.3}")),
            plan_cols.0,
            plan_cols.1,
            plan_cols.2,
            dimacs.map_or(String::new(), |d| d.to_string()),
            dgap.map_or(String::new(), |g| format!("{g:.3}")),
        ));
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
    println!(
        "instances {} mean bound gap to BKS {:.2}% (max {:.2}%), to the distance-only best known {:.2}% (max {:.2}%, over {}), mean certified plan gap {:.2}% over {} plans",
        gaps.len(),
        mean(&gaps),
        gaps.iter().cloned().fold(0.0, f64::max),
        mean(&dgaps),
        dgaps.iter().cloned().fold(f64::MIN, f64::max),
        dgaps.len(),
        mean(&plan_gaps),
        plan_gaps.len()
    );
    if let Some(out) = opt("--csv") {
        if let Err(e) = std::fs::write(out, csv) {
            eprintln!("{out}: {e}");
            std::process::exit(2);
        }
    }
}
