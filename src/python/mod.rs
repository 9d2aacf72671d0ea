//! The `fieldopt._core` extension module: type and error conversion only.
//!
//! Documents cross the boundary as JSON text and input tables as Arrow C streams
//! (`frames`); the Python package (`python/fieldopt`) turns them into dicts and
//! DataFrames. Every call releases the GIL while Rust works (except
//! `frames_to_documents`, which builds the document's dicts as it reads the columns), a
//! panic becomes `fieldopt.SolverError`, and invalid input becomes
//! `fieldopt.InvalidProblemError` with the field path in `.path`.

mod errors;
mod explain;
mod frames;
mod run;

use pyo3::exceptions::{PyKeyboardInterrupt, PyValueError};
use pyo3::prelude::*;

use crate::error::{Error, Result};
use crate::model::Problem;
use crate::plan::Plan;
use crate::solver::SolveParams;
use errors::{guarded, to_pyerr};

/// Exception classes re-exported by the module (defined in `fieldopt.errors`).
const EXCEPTIONS: [&str; 4] =
    ["FieldoptError", "InvalidProblemError", "SolverError", "SolveInterrupted"];

/// Parses and validates a problem document with the GIL released.
fn parse(py: Python<'_>, problem_json: &str) -> PyResult<Problem> {
    py.detach(|| guarded(|| crate::io::parse_problem_str(problem_json)))
        .map_err(|e| to_pyerr(py, e))
}

/// Checks the solve parameters that the type conversion does not already check.
fn check_params(
    time_limit: Option<f64>,
    bound_seconds: Option<f64>,
    threads: Option<usize>,
) -> PyResult<()> {
    for (name, value) in [("time_limit", time_limit), ("bound_seconds", bound_seconds)] {
        if let Some(t) = value {
            if !(t.is_finite() && t >= 0.0) {
                return Err(PyValueError::new_err(format!(
                    "{name} must be a finite number of seconds >= 0, got {t}"
                )));
            }
        }
    }
    if threads == Some(0) {
        return Err(PyValueError::new_err("threads must be >= 1 (or None for all cores)"));
    }
    Ok(())
}

/// Solves a problem document and returns the plan document, both as JSON text.
///
/// See `python/fieldopt/_core.pyi` for the Python-side documentation. On Ctrl-C the search
/// is cancelled and `fieldopt.SolveInterrupted` (a `KeyboardInterrupt`) is raised carrying
/// the best plan so far in `.plan_json`.
#[pyfunction]
#[pyo3(signature = (problem_json, seed = 0, time_limit = None, iterations = None, threads = None, policy_json = None, progress = None, mode = "route", lower_bound = false, decompose = "auto", bound_seconds = None))]
#[allow(clippy::too_many_arguments)] // mirrors the keyword arguments of the Python call
fn solve_json(
    py: Python<'_>,
    problem_json: &str,
    seed: u64,
    time_limit: Option<f64>,
    iterations: Option<u64>,
    threads: Option<usize>,
    policy_json: Option<&str>,
    progress: Option<Py<PyAny>>,
    mode: &str,
    lower_bound: bool,
    decompose: &str,
    bound_seconds: Option<f64>,
) -> PyResult<String> {
    check_params(time_limit, bound_seconds, threads)?;
    let mode: crate::solver::Mode = mode.parse().map_err(|e| to_pyerr(py, e))?;
    let decompose: crate::solver::Decompose = decompose.parse().map_err(|e| to_pyerr(py, e))?;
    let problem = parse(py, problem_json)?;
    let policy = match policy_json {
        Some(text) => Some(crate::io::parse_policy_str(text).map_err(|e| to_pyerr(py, e))?),
        None => None,
    };
    let params = SolveParams {
        seed,
        threads,
        time_limit,
        iterations,
        policy,
        mode,
        lower_bound,
        bound_seconds,
        decompose,
        ..SolveParams::default()
    };
    let watched = run::solve_watched(py, &problem, params, progress);
    let text: Result<String> = watched
        .plan
        .and_then(|plan| py.detach(|| guarded(|| Ok(crate::io::plan_to_string(&plan)))));
    match (text, watched.signal) {
        (Ok(text), None) => Ok(text),
        (Ok(text), Some(sig)) if sig.is_instance_of::<PyKeyboardInterrupt>(py) => {
            Err(errors::interrupted(py, text, sig))
        }
        (_, Some(sig)) => Err(sig),
        (Err(e), None) => Err(to_pyerr(py, e)),
    }
}

/// Validates a problem document; raises `InvalidProblemError` naming the field path.
#[pyfunction]
fn validate_json(py: Python<'_>, problem_json: &str) -> PyResult<()> {
    parse(py, problem_json).map(drop)
}

/// Parses a plan document, naming the field path of the first error.
fn parse_plan(plan_json: &str) -> Result<Plan> {
    let mut de = serde_json::Deserializer::from_str(plan_json);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." { String::new() } else { path };
        Error::invalid(path, format!("invalid plan document: {}", e.into_inner()))
    })
}

/// Checks a plan against a problem (the engine's verifier, the same rules as
/// `shared/tools/check_plan.py`) and returns `{"feasible", "violations", "kpis"}` as JSON.
#[pyfunction]
fn check_json(py: Python<'_>, problem_json: &str, plan_json: &str) -> PyResult<String> {
    let problem = parse(py, problem_json)?;
    py.detach(|| {
        guarded(|| {
            let plan = parse_plan(plan_json)?;
            let report = crate::plan::verify::verify(&problem, &plan);
            serde_json::to_string(&report).map_err(|e| Error::Solver(e.to_string()))
        })
    })
    .map_err(|e| to_pyerr(py, e))
}

/// The named policy presets as JSON text, `{name: {weight: value, ...}, ...}`.
#[pyfunction]
fn policy_presets() -> String {
    crate::policy::Policy::presets_json()
}

/// The engine's version (the Rust crate's version).
#[pyfunction]
fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

/// The `fieldopt._core` module.
#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(solve_json, m)?)?;
    m.add_function(wrap_pyfunction!(validate_json, m)?)?;
    m.add_function(wrap_pyfunction!(check_json, m)?)?;
    m.add_function(wrap_pyfunction!(version, m)?)?;
    m.add_function(wrap_pyfunction!(policy_presets, m)?)?;
    m.add_function(wrap_pyfunction!(explain::explain_json, m)?)?;
    m.add_function(wrap_pyfunction!(explain::rank_technicians_json, m)?)?;
    m.add_function(wrap_pyfunction!(explain::affinity_json, m)?)?;
    m.add_function(wrap_pyfunction!(frames::frames_to_documents, m)?)?;
    m.add("__version__", version())?;
    for name in EXCEPTIONS {
        m.add(name, errors::class(m.py(), name)?)?;
    }
    Ok(())
}
