//! Route-pool recombination on vs off at equal total time (issue 5, item 3): each
//! Solomon / Homberger instance is solved twice in the same run, interleaved (the order
//! alternates per instance, since the shared machine's load drifts), with every plan
//! verified by the engine's checker. Prints one row per instance and the mean distance
//! ratio on/off; `--csv OUT` writes the rows.
//!
//! `cargo run --release --features lp-highs --example recombination -- DIR
//!  [--time-limit S] [--threads N] [--only A,B,...] [--csv OUT]`

use std::path::PathBuf;

use fieldopt::io::solomon::to_problem;
use fieldopt::plan::verify::verify;
use fieldopt::solver::{recombination_counts, solve_with, LpAssist, SolverOptions};
use fieldopt::{io::parse_problem_value, SolveParams};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = PathBuf::from(args.get(1).map_or("../shared/benchmarks/solomon", |s| s.as_str()));
    let opt = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1));
    let time_limit = opt("--time-limit").and_then(|s| s.parse::<f64>().ok()).unwrap_or(10.0);
    let threads = opt("--threads").and_then(|s| s.parse::<usize>().ok());
    let only: Vec<String> =
        opt("--only").map_or(Vec::new(), |s| s.split(',').map(|x| x.to_string()).collect());
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("benchmark folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().to_string()))
        .filter(|n| only.is_empty() || only.iter().any(|o| o.eq_ignore_ascii_case(n)))
        .collect();
    names.sort();
    let mut csv = String::from(
        "instance,distance_off,distance_on,vehicles_off,vehicles_on,objective_off,objective_on,ratio,recombinations,improved,feasible\n",
    );
    let (mut ratios, mut runs_all, mut improved_all, mut feasible_all) = (Vec::new(), 0, 0, true);
    for (i, name) in names.iter().enumerate() {
        let text = std::fs::read_to_string(dir.join(format!("{name}.txt"))).expect("instance");
        let problem =
            parse_problem_value(to_problem(&text, name).expect("converts")).expect("valid");
        let params =
            SolveParams { seed: 0, threads, time_limit: Some(time_limit), ..Default::default() };
        let run = |on: bool| {
            let opts = SolverOptions {
                lp: LpAssist { recombine: on, ..LpAssist::default() },
                ..Default::default()
            };
            let before = recombination_counts();
            let plan = solve_with(&problem, &params, &opts);
            let after = recombination_counts();
            let ok = verify(&problem, &plan).feasible && plan.kpis.unassigned == 0;
            (plan, ok, after.0 - before.0, after.1 - before.1)
        };
        // Alternate which setting runs first.
        let (off, on) = if i % 2 == 0 {
            let off = run(false);
            (off, run(true))
        } else {
            let on = run(true);
            (run(false), on)
        };
        let (d_off, d_on) = (off.0.kpis.travel_distance, on.0.kpis.travel_distance);
        let ratio = d_on / d_off;
        ratios.push(ratio);
        runs_all += on.2;
        improved_all += on.3;
        feasible_all &= off.1 && on.1;
        println!(
            "{name:8} off {d_off:10.2} ({:2} veh) on {d_on:10.2} ({:2} veh) ratio {ratio:.4} recombinations {} improved {} {}",
            off.0.kpis.technicians_used,
            on.0.kpis.technicians_used,
            on.2,
            on.3,
            if off.1 && on.1 { "ok" } else { "INFEASIBLE" }
        );
        csv.push_str(&format!(
            "{name},{d_off:.3},{d_on:.3},{},{},{:.3},{:.3},{ratio:.5},{},{},{}\n",
            off.0.kpis.technicians_used,
            on.0.kpis.technicians_used,
            off.0.kpis.objective,
            on.0.kpis.objective,
            on.2,
            on.3,
            off.1 && on.1
        ));
    }
    let mean = ratios.iter().sum::<f64>() / ratios.len().max(1) as f64;
    let better = ratios.iter().filter(|&&r| r < 1.0 - 1e-9).count();
    let worse = ratios.iter().filter(|&&r| r > 1.0 + 1e-9).count();
    println!(
        "instances {} mean distance ratio on/off {mean:.4} on shorter {better} on longer {worse} recombinations {runs_all} improved {improved_all} all feasible {feasible_all}",
        names.len()
    );
    if let Some(out) = opt("--csv") {
        std::fs::write(out, csv).expect("writable csv");
    }
}
