//! `fieldopt solve --affinity`: the price of affinity added to the plan (`affinity`) and
//! summarised on stderr. It solves the problem a second time under `favourite_first` with
//! the same seed, iterations and threads, so it doubles the solve time; under
//! `--time-limit` the two solves share the run's budget.

use std::time::Instant;

use fieldopt::plan::affinity::{price_with_favourite_first, Affinity};
use fieldopt::{Plan, Problem, SolveParams};

use crate::{Fail, SolveArgs};

/// The plan document as JSON text with a trailing newline; with `--affinity`, an
/// `affinity` member (see `fieldopt::plan::affinity::Affinity`) is added and returned too;
/// its solve gets what is left of `--time-limit` counted from `started`.
pub fn plan_output(
    problem: &Problem,
    plan: &Plan,
    a: &SolveArgs,
    started: Instant,
) -> Result<(String, Option<Affinity>), Fail> {
    if !a.affinity {
        let mut text = fieldopt::io::plan_to_string(plan);
        text.push('\n');
        return Ok((text, None));
    }
    let chosen = crate::compare::chosen_policy(a.policy.as_deref(), a.policy_file.as_deref())?;
    let policy = chosen.unwrap_or_else(|| problem.policy.clone());
    let params = SolveParams {
        seed: a.seed,
        threads: a.threads.map(|t| t as usize),
        time_limit: a.time_limit.map(|t| {
            crate::solve::solver_limit(t, started.elapsed().as_secs_f64(), problem.jobs.len(), 1)
        }),
        iterations: a.iterations,
        decompose: a.decompose,
        ..SolveParams::default()
    };
    let price = price_with_favourite_first(problem, &policy, plan, &params);
    let mut doc = serde_json::to_value(plan).map_err(|e| Fail::internal(e.to_string()))?;
    let aff = serde_json::to_value(&price).map_err(|e| Fail::internal(e.to_string()))?;
    if let Some(obj) = doc.as_object_mut() {
        obj.insert("affinity".into(), aff);
    }
    let mut text = serde_json::to_string_pretty(&doc).map_err(|e| Fail::internal(e.to_string()))?;
    text.push('\n');
    Ok((text, Some(price)))
}
