//! Policy comparison on a generated region: every preset solved with the same seed and
//! iteration budget, every plan verified by `../shared/tools/check_plan.py`, and the KPI
//! table written as Markdown and CSV, with a line per preset saying whether it leads on
//! the KPI its name promises.
//!
//! `cargo run --release --example policy_comparison -- [--jobs 2000] [--techs 200]
//!  [--seed 7] [--iterations 4000] [--threads 2] [--out benches/results]`

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use fieldopt::generate::{generate, GenerateParams};
use fieldopt::plan::analysis::PolicyKpis;
use fieldopt::{io, Policy, SolveParams};

/// What each preset promises: (preset, KPI, true = lowest wins, false = highest wins).
const PROMISES: [(&str, &str, bool); 9] = [
    ("favourite_first", "preferred_rate", false),
    ("best_skill_fit", "overqualification", true),
    ("best_skill_fit", "expert_hours_basic", true),
    ("min_travel", "travel_hours", true),
    ("lowest_cost", "labor_cost", true),
    ("lowest_cost", "labor_cost_per_job", true),
    ("balanced", "workload_spread_hours", true),
    ("balanced", "workload_std_hours", true),
    ("balanced", "customer_concentration", true),
];

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let opt = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1));
    let num = |name: &str, d: u64| opt(name).and_then(|s| s.parse().ok()).unwrap_or(d);
    let (jobs, techs, seed) = (num("--jobs", 2000), num("--techs", 200), num("--seed", 7));
    let iterations = num("--iterations", 4000);
    let threads = num("--threads", 2) as usize;
    let out = PathBuf::from(opt("--out").map_or("benches/results", String::as_str));
    let gp = GenerateParams { jobs: jobs as usize, techs: techs as usize, seed };
    let doc = generate(&gp);
    let problem = io::parse_problem_value(doc.clone()).expect("generated problem is valid");
    let work = std::env::temp_dir().join(format!("fieldopt-policy-cmp-{}", std::process::id()));
    std::fs::create_dir_all(&work).expect("temp dir");
    let problem_path = work.join("problem.json");
    std::fs::write(&problem_path, doc.to_string()).expect("write problem");

    let mut rows: Vec<(String, PolicyKpis, f64, f64, bool)> = Vec::new();
    for &name in Policy::preset_names() {
        let params = SolveParams {
            seed: 0,
            iterations: Some(iterations),
            threads: Some(threads),
            policy: Policy::preset(name),
            ..SolveParams::default()
        };
        let t0 = Instant::now();
        let plan = fieldopt::solve(&problem, &params);
        let secs = t0.elapsed().as_secs_f64();
        let plan_path = work.join(format!("{name}.plan.json"));
        std::fs::write(&plan_path, io::plan_to_string(&plan)).expect("write plan");
        let feasible = checker_feasible(&problem_path, &plan_path);
        let k = plan.kpis.policy.clone().expect("plans carry policy kpis");
        eprintln!(
            "{name}: {}/{} jobs, {secs:.1} s, check_plan.py feasible: {feasible}",
            k.assigned, jobs
        );
        rows.push((name.to_string(), k, plan.kpis.objective, secs, feasible));
    }
    std::fs::create_dir_all(&out).expect("output dir");
    std::fs::write(out.join("policy_comparison.csv"), csv(&rows)).expect("write csv");
    let md = markdown(&rows, &gp, iterations, threads);
    std::fs::write(out.join("policy_comparison.md"), &md).expect("write md");
    print!("{md}");
    let _ = std::fs::remove_dir_all(&work);
}

/// Runs the reference checker; `false` when it is missing, fails, or finds a violation.
fn checker_feasible(problem: &Path, plan: &Path) -> bool {
    Command::new("python3")
        .arg("../shared/tools/check_plan.py")
        .args([problem, plan])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

type Row = (String, PolicyKpis, f64, f64, bool);

fn value(k: &PolicyKpis, kpi: &str) -> f64 {
    k.columns().into_iter().find(|c| c.0 == kpi).map_or(f64::NAN, |c| c.1)
}

fn csv(rows: &[Row]) -> String {
    let mut s = String::from("policy");
    for (kpi, _) in PolicyKpis::default().columns() {
        let _ = write!(s, ",{kpi}");
    }
    s.push_str(",objective,seconds,check_plan_feasible\n");
    for (name, k, obj, secs, ok) in rows {
        s.push_str(name);
        for (_, x) in k.columns() {
            let _ = if x.is_finite() { write!(s, ",{x}") } else { write!(s, ",") };
        }
        let _ = writeln!(s, ",{obj},{secs:.2},{ok}");
    }
    s
}

fn markdown(rows: &[Row], gp: &GenerateParams, iterations: u64, threads: usize) -> String {
    let mut s = format!(
        "# Policy comparison\n\nGenerated region: {} jobs, {} technicians, generator seed {}; \
         every preset solved with seed 0, {iterations} iterations, {threads} threads \
         (reproducible). Produced by `cargo run --release --example policy_comparison`.\n\
         Every plan verified by `../shared/tools/check_plan.py` (column `checked`).\n\n| kpi |",
        gp.jobs, gp.techs, gp.seed
    );
    for r in rows {
        let _ = write!(s, " {} |", r.0);
    }
    s.push_str("\n|---|");
    s.push_str(&"---:|".repeat(rows.len()));
    s.push('\n');
    let kpis: Vec<&str> = PolicyKpis::default().columns().into_iter().map(|c| c.0).collect();
    for kpi in kpis {
        let _ = write!(s, "| {kpi} |");
        for r in rows {
            let x = value(&r.1, kpi);
            let _ = if x.fract() == 0.0 { write!(s, " {x} |") } else { write!(s, " {x:.3} |") };
        }
        s.push('\n');
    }
    for (label, f) in [("objective", 2usize), ("seconds", 3), ("checked", 4)] {
        let _ = write!(s, "| {label} |");
        for r in rows {
            let _ = match f {
                2 => write!(s, " {:.0} |", r.2),
                3 => write!(s, " {:.1} |", r.3),
                _ => write!(s, " {} |", if r.4 { "feasible" } else { "FAILED" }),
            };
        }
        s.push('\n');
    }
    s.push_str("\n## Does each preset lead on what its name says?\n\n");
    for (preset, kpi, lowest) in PROMISES {
        let Some(mine) = rows.iter().find(|r| r.0 == preset) else { continue };
        let v = value(&mine.1, kpi);
        let best = rows.iter().map(|r| value(&r.1, kpi)).filter(|x| x.is_finite()).fold(
            if lowest { f64::INFINITY } else { f64::NEG_INFINITY },
            |a, b| {
                if lowest {
                    a.min(b)
                } else {
                    a.max(b)
                }
            },
        );
        let verdict = if v == best { "yes" } else { "NO" };
        let dir = if lowest { "lowest" } else { "highest" };
        let _ = writeln!(s, "- {preset}: {dir} {kpi}? **{verdict}** ({v:.3}; best {best:.3})");
    }
    s
}
