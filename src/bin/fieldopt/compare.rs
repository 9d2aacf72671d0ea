//! `fieldopt compare`: one problem under several policies, side by side; and the policy
//! options (`--policy NAME`, `--policy-file PATH`) that `solve` shares.

use std::fmt::Write as _;
use std::path::Path;

use fieldopt::plan::analysis::{analyse, PolicyKpis};
use fieldopt::{Policy, SolveParams};

use crate::{emit, load_problem, note, CmdResult, CompareArgs, Fail, EXIT_OK};

/// A preset by name, or an error listing the names.
pub fn named_policy(name: &str) -> Result<Policy, Fail> {
    Policy::preset(name).ok_or_else(|| {
        Fail::input(format!(
            "unknown policy {name:?}; choose one of {} (or --policy-file PATH)",
            Policy::preset_names().join(", ")
        ))
    })
}

/// Policy weights from a JSON file (an object of weights, as the problem's `policy`);
/// errors read `<path>: policy.<key>: <message>`.
pub fn policy_file(path: &Path) -> Result<Policy, Fail> {
    let shown = path.display();
    let text = std::fs::read_to_string(path)
        .map_err(|e| Fail::input(format!("{shown}: cannot read: {e}")))?;
    fieldopt::io::parse_policy_str(&text).map_err(|e| Fail::input(format!("{shown}: {e}")))
}

/// The policy chosen by `--policy` or `--policy-file` (at most one is given), if any.
pub fn chosen_policy(name: Option<&str>, file: Option<&Path>) -> Result<Option<Policy>, Fail> {
    match (name, file) {
        (Some(n), _) => named_policy(n).map(Some),
        (None, Some(f)) => policy_file(f).map(Some),
        (None, None) => Ok(None),
    }
}

/// Runs `fieldopt compare`: solves the problem once per policy (in the order given;
/// every preset when none is given), verifies every plan, prints a KPI table (KPIs as
/// rows, policies as columns) on stdout and writes one CSV row per policy with `--csv`.
pub fn run(a: &CompareArgs) -> CmdResult {
    let problem = load_problem(&a.problem)?;
    let mut policies: Vec<(String, Policy)> = Vec::new();
    for n in &a.policy {
        policies.push((n.clone(), named_policy(n)?));
    }
    for f in &a.policy_file {
        let name = f.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        policies.push((name, policy_file(f)?));
    }
    if policies.is_empty() {
        for &n in Policy::preset_names() {
            policies.push((n.to_string(), named_policy(n)?));
        }
    }
    if let Some(dir) = &a.plans {
        std::fs::create_dir_all(dir)
            .map_err(|e| Fail::input(format!("{}: cannot create directory: {e}", dir.display())))?;
    }
    let mut rows: Vec<(String, PolicyKpis, f64)> = Vec::new();
    for (name, policy) in policies {
        let params = SolveParams {
            seed: a.seed,
            threads: a.threads.map(|t| t as usize),
            time_limit: a.time_limit,
            iterations: a.iterations,
            policy: Some(policy),
            ..SolveParams::default()
        };
        let started = std::time::Instant::now();
        let plan = fieldopt::solve(&problem, &params);
        crate::solve::self_check(&problem, &plan)?;
        if let Some(dir) = &a.plans {
            let mut text = fieldopt::io::plan_to_string(&plan);
            text.push('\n');
            emit(Some(&dir.join(format!("{name}.plan.json"))), &text)?;
        }
        if !a.quiet {
            note!(
                "{name}: {}/{} jobs in {:.1} s",
                plan.kpis.assigned,
                plan.kpis.jobs,
                started.elapsed().as_secs_f64()
            );
        }
        let kpis = plan.kpis.policy.clone().unwrap_or_else(|| analyse(&problem, &plan));
        rows.push((name, kpis, plan.kpis.objective));
    }
    emit(None, &table(&rows))?;
    if let Some(path) = &a.csv {
        emit(Some(path), &csv(&rows))?;
    }
    Ok(EXIT_OK)
}

/// KPIs as rows, policies as columns; the objective last.
pub fn table(rows: &[(String, PolicyKpis, f64)]) -> String {
    let width = rows.iter().map(|r| r.0.len()).max().unwrap_or(0).max(10);
    let mut out = format!("{:<24}", "kpi");
    for (name, ..) in rows {
        let _ = write!(out, " {name:>width$}");
    }
    out.push('\n');
    let cols: Vec<Vec<(&str, f64)>> = rows.iter().map(|r| r.1.columns()).collect();
    for (i, (kpi, _)) in cols.first().map(|c| c.as_slice()).unwrap_or(&[]).iter().enumerate() {
        let _ = write!(out, "{kpi:<24}");
        for c in &cols {
            let _ = write!(out, " {:>width$}", number(c[i].1));
        }
        out.push('\n');
    }
    let _ = write!(out, "{:<24}", "objective");
    for (_, _, obj) in rows {
        let _ = write!(out, " {:>width$}", number(*obj));
    }
    out.push('\n');
    out
}

/// One row per policy: `policy,<kpi>...,objective`; an absent value is empty.
pub fn csv(rows: &[(String, PolicyKpis, f64)]) -> String {
    let mut out = String::from("policy");
    for (kpi, _) in PolicyKpis::default().columns() {
        let _ = write!(out, ",{kpi}");
    }
    out.push_str(",objective\n");
    for (name, k, obj) in rows {
        out.push_str(&name.replace([',', '"', '\n'], "_"));
        for (_, x) in k.columns() {
            if x.is_finite() {
                let _ = write!(out, ",{x}");
            } else {
                out.push(',');
            }
        }
        let _ = writeln!(out, ",{obj}");
    }
    out
}

/// A KPI for the table: integers plain, others with 3 decimals, absent as `-`.
fn number(x: f64) -> String {
    if !x.is_finite() {
        "-".into()
    } else if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x:.3}")
    }
}
