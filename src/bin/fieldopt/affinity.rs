//! `fieldopt solve --affinity`: the price of affinity added to the plan (`affinity`) and
//! summarised on stderr. It solves the problem a second time under `favourite_first` with
//! the same seed, budget and threads, so it doubles the solve time.

use fieldopt::plan::affinity::{price_with_favourite_first, Affinity};
use fieldopt::{Plan, Problem, SolveParams};

use crate::{Fail, SolveArgs};

/// The plan document as JSON text with a trailing newline; with `--affinity`, an
/// `affinity` member (see `fieldopt::plan::affinity::Affinity`) is added and returned too.
pub fn plan_output(
    problem: &Problem,
    plan: &Plan,
    a: &SolveArgs,
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
        time_limit: a.time_limit,
        iterations: a.iterations,
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
