//! Explanations and the price of affinity for Python (`fieldopt.Result.explain`,
//! `fieldopt.rank_technicians`, `fieldopt.Result.affinity`): JSON text in and out, the GIL
//! released while Rust works, panics turned into `SolverError`.

use pyo3::prelude::*;

use super::errors::{guarded, to_pyerr};
use super::{parse, parse_plan};
use crate::error::{Error, Result};
use crate::plan::{affinity, explain, whatif};
use crate::policy::Policy;

/// The policy weights of `policy_json`, or the problem's own.
fn policy_of(policy_json: Option<&str>, own: &Policy) -> Result<Policy> {
    match policy_json {
        Some(text) => crate::io::parse_policy_str(text),
        None => Ok(own.clone()),
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::Solver(e.to_string()))
}

/// Explains where job `job` is in a plan; returns a `fieldopt::plan::explain::Explanation`
/// as JSON. An unknown job id raises `InvalidProblemError` with path `job`.
#[pyfunction]
#[pyo3(signature = (problem_json, plan_json, job, policy_json = None))]
pub(super) fn explain_json(
    py: Python<'_>,
    problem_json: &str,
    plan_json: &str,
    job: &str,
    policy_json: Option<&str>,
) -> PyResult<String> {
    let problem = parse(py, problem_json)?;
    py.detach(|| {
        guarded(|| {
            let plan = parse_plan(plan_json)?;
            let policy = policy_of(policy_json, &problem.policy)?;
            to_json(&explain::explain(&problem, &policy, &plan, job)?)
        })
    })
    .map_err(|e| to_pyerr(py, e))
}

/// Every technician for job `job` (a JSON array of `TechnicianFit`), against the days of a
/// plan when given, else against empty days.
#[pyfunction]
#[pyo3(signature = (problem_json, job, plan_json = None, policy_json = None))]
pub(super) fn rank_technicians_json(
    py: Python<'_>,
    problem_json: &str,
    job: &str,
    plan_json: Option<&str>,
    policy_json: Option<&str>,
) -> PyResult<String> {
    let problem = parse(py, problem_json)?;
    py.detach(|| {
        guarded(|| {
            let j = explain::job_index(&problem, job)?;
            let routes = match plan_json {
                Some(text) => whatif::job_routes(&problem, &parse_plan(text)?),
                None => vec![Vec::new(); problem.technicians.len()],
            };
            let policy = policy_of(policy_json, &problem.policy)?;
            to_json(&explain::rank_technicians(&problem, &policy, &routes, j))
        })
    })
    .map_err(|e| to_pyerr(py, e))
}

/// The price of affinity of a plan (`fieldopt::plan::affinity::Affinity` as JSON); with
/// `favourite_first_plan_json`, the plan of the same problem under `favourite_first`, the
/// whole-policy comparison too.
#[pyfunction]
#[pyo3(signature = (problem_json, plan_json, policy_json = None, favourite_first_plan_json = None))]
pub(super) fn affinity_json(
    py: Python<'_>,
    problem_json: &str,
    plan_json: &str,
    policy_json: Option<&str>,
    favourite_first_plan_json: Option<&str>,
) -> PyResult<String> {
    let problem = parse(py, problem_json)?;
    py.detach(|| {
        guarded(|| {
            let plan = parse_plan(plan_json)?;
            let ff = favourite_first_plan_json.map(parse_plan).transpose()?;
            let policy = policy_of(policy_json, &problem.policy)?;
            to_json(&affinity::price_of_affinity(&problem, &policy, &plan, ff.as_ref()))
        })
    })
    .map_err(|e| to_pyerr(py, e))
}
