//! Solves Solomon / Homberger instances and prints vehicles, distance and the gap to the
//! best-known distance, with every plan verified by the engine's own checker.
//!
//! `cargo run --release --example solomon -- DIR [--time-limit S] [--iterations N]
//!  [--threads N] [--only PREFIX] [--csv OUT]`

use std::path::PathBuf;

use fieldopt::io::solomon::{read_bks, to_problem};
use fieldopt::plan::verify::verify;
use fieldopt::{io::parse_problem_value, solve, SolveParams};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = PathBuf::from(args.get(1).map_or("../shared/benchmarks/solomon", |s| s.as_str()));
    let opt = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1));
    let time_limit = opt("--time-limit").and_then(|s| s.parse::<f64>().ok());
    let iterations = opt("--iterations").and_then(|s| s.parse::<u64>().ok());
    let threads = opt("--threads").and_then(|s| s.parse::<usize>().ok());
    let only = opt("--only").cloned().unwrap_or_default();
    let bks = std::fs::read_to_string(dir.join("bks.csv")).ok().and_then(|t| read_bks(&t).ok());
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("benchmark folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .filter(|p| p.file_stem().is_some_and(|s| s.to_string_lossy().starts_with(&only)))
        .collect();
    files.sort();
    let mut csv = String::from(
        "instance,vehicles,distance,bks_vehicles,bks_distance,gap_pct,dimacs_vehicles,dimacs_distance,gap_dimacs_pct,feasible,seconds\n",
    );
    let (mut gaps, mut dgaps, mut vehicles, mut feasible_all) = (Vec::new(), Vec::new(), 0, true);
    for f in &files {
        let name = f.file_stem().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(f).expect("readable instance");
        let problem =
            parse_problem_value(to_problem(&text, &name).expect("converts")).expect("valid");
        let t0 = std::time::Instant::now();
        let params = SolveParams { seed: 0, threads, time_limit, iterations, ..Default::default() };
        let plan = solve(&problem, &params);
        let secs = t0.elapsed().as_secs_f64();
        let v = verify(&problem, &plan);
        feasible_all &= v.feasible && plan.kpis.unassigned == 0;
        let b =
            bks.as_ref().and_then(|b| b.iter().find(|x| x.instance.eq_ignore_ascii_case(&name)));
        let gap = b.map(|b| 100.0 * (plan.kpis.travel_distance / b.distance - 1.0));
        let dgap = b
            .and_then(|b| b.dimacs_distance)
            .map(|d| 100.0 * (plan.kpis.travel_distance / d - 1.0));
        gaps.extend(gap);
        dgaps.extend(dgap);
        vehicles += plan.kpis.technicians_used;
        println!(
            "{name:8} veh {:3} dist {:10.2} bks {:>3} {:>9} gap {:>7} dimacs gap {:>7} {} {:5.1}s",
            plan.kpis.technicians_used,
            plan.kpis.travel_distance,
            b.map_or("-".into(), |b| b.vehicles.to_string()),
            b.map_or("-".into(), |b| format!("{:.2}", b.distance)),
            gap.map_or("-".into(), |g| format!("{g:.2}%")),
            dgap.map_or("-".into(), |g| format!("{g:.2}%")),
            if v.feasible && plan.kpis.unassigned == 0 { "ok" } else { "INFEASIBLE" },
            secs
        );
        csv.push_str(&format!(
            "{name},{},{:.3},{},{},{},{},{},{},{},{secs:.2}\n",
            plan.kpis.technicians_used,
            plan.kpis.travel_distance,
            b.map_or(String::new(), |b| b.vehicles.to_string()),
            b.map_or(String::new(), |b| b.distance.to_string()),
            gap.map_or(String::new(), |g| format!("{g:.3}")),
            b.and_then(|b| b.dimacs_vehicles).map_or(String::new(), |v| v.to_string()),
            b.and_then(|b| b.dimacs_distance).map_or(String::new(), |d| d.to_string()),
            dgap.map_or(String::new(), |g| format!("{g:.3}")),
            v.feasible && plan.kpis.unassigned == 0
        ));
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
    println!(
        "instances {} vehicles {vehicles} mean gap to BKS distance {:.2}% mean gap to distance-only (DIMACS) {:.2}% all feasible {feasible_all}",
        files.len(),
        mean(&gaps),
        mean(&dgaps)
    );
    if let Some(out) = opt("--csv") {
        std::fs::write(out, csv).expect("write csv");
    }
}
