//! `fieldopt explain PROBLEM PLAN JOB...`: why each job went to its technician, or why it
//! is unassigned and what would place it (`fieldopt::plan::explain`).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use fieldopt::plan::explain::{explain, Explanation};

use crate::{emit, load_problem, CmdResult, ExplainArgs, Fail, EXIT_OK};

/// Technicians listed per job in the text report (the rest are counted).
const SHOWN: usize = 5;

/// Runs `fieldopt explain`: reads the problem and the plan, explains each job in the order
/// given, and prints a report (or a JSON array with `--json`) on stdout.
pub fn run(a: &ExplainArgs) -> CmdResult {
    let problem = load_problem(&a.problem)?;
    let text = std::fs::read_to_string(&a.plan)
        .map_err(|e| Fail::input(format!("{}: cannot read: {e}", a.plan.display())))?;
    let plan: fieldopt::Plan = serde_json::from_str(&text)
        .map_err(|e| Fail::input(format!("{}: invalid plan document: {e}", a.plan.display())))?;
    let chosen = crate::compare::chosen_policy(a.policy.as_deref(), a.policy_file.as_deref())?;
    let policy = chosen.unwrap_or_else(|| problem.policy.clone());
    let mut all = Vec::new();
    for job in &a.jobs {
        let e = explain(&problem, &policy, &plan, job).map_err(|e| Fail::input(e.to_string()))?;
        all.push(e);
    }
    let out = if a.json {
        let mut s =
            serde_json::to_string_pretty(&all).map_err(|e| Fail::internal(e.to_string()))?;
        s.push('\n');
        s
    } else {
        all.iter().map(report).collect::<Vec<_>>().join("\n")
    };
    emit(None, &out)?;
    Ok(EXIT_OK)
}

/// The text report of one explanation.
pub fn report(e: &Explanation) -> String {
    let mut s = match &e.technician {
        Some(t) => format!("{}: assigned to {t} ({})\n  {}\n", e.job, e.code, e.reason),
        None => format!("{}: unassigned ({})\n  {}\n", e.job, e.code, e.reason),
    };
    if let Some(r) = e.relaxations.first() {
        let _ = writeln!(s, "  cheapest relaxation: {}", r.description);
        for r in e.relaxations.iter().skip(1).take(4) {
            let _ = writeln!(s, "  also: {}", r.description);
        }
    }
    for t in e.technicians.iter().filter(|t| t.fits).take(SHOWN) {
        let terms: Vec<String> = t.terms.iter().map(|(k, v)| format!("{k} {v:+.2}")).collect();
        let _ = writeln!(
            s,
            "  #{} {}{}{}: adds {:.2} ({:+.1} travel min) = {}",
            t.rank.unwrap_or(0),
            t.technician,
            if t.assigned { " (assigned)" } else { "" },
            if t.preferred { " (favourite)" } else { "" },
            t.cost.unwrap_or(f64::NAN),
            t.extra_travel_minutes.unwrap_or(f64::NAN),
            terms.join(", ")
        );
    }
    let full = e.technicians.iter().filter(|t| t.eligible && !t.fits).count();
    if full > 0 {
        let _ = writeln!(s, "  {full} qualified technician(s) without room");
    }
    let mut by_rule: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for t in &e.technicians {
        if let (Some(rule), Some(why)) = (t.rule.as_deref(), t.why_not.first()) {
            by_rule.entry(rule).or_default().push(why);
        }
    }
    for (rule, mut whys) in by_rule {
        let n = whys.len();
        whys.dedup();
        let more = if n > 2 { format!(", ... ({n} technicians)") } else { String::new() };
        let _ =
            writeln!(s, "  not allowed ({rule}): {}{more}", whys[..whys.len().min(2)].join("; "));
    }
    s
}
