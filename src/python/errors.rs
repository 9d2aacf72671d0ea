//! Error conversion: [`crate::Error`] and panics into the Python exception classes of
//! `fieldopt.errors` (defined in Python so `InvalidProblemError` can derive from both
//! `FieldoptError` and `ValueError` and keep `.path` through pickling).

use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyType;

use crate::error::{Error, Result};

/// The Python module holding the exception classes.
const ERRORS_MODULE: &str = "fieldopt.errors";

static FIELDOPT_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static INVALID_PROBLEM_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static SOLVER_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static SOLVE_INTERRUPTED: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// One of the exception classes of `fieldopt.errors`, by name.
pub(super) fn class<'py>(py: Python<'py>, name: &str) -> PyResult<&'py Bound<'py, PyType>> {
    let cell = match name {
        "InvalidProblemError" => &INVALID_PROBLEM_ERROR,
        "SolverError" => &SOLVER_ERROR,
        "SolveInterrupted" => &SOLVE_INTERRUPTED,
        _ => &FIELDOPT_ERROR,
    };
    cell.import(py, ERRORS_MODULE, name)
}

/// Builds an instance of `fieldopt.errors.<name>(*args)` as a `PyErr`; if even that fails
/// (the module cannot be imported), the import error is returned instead.
fn raise<'py, A>(py: Python<'py>, name: &str, args: A) -> PyErr
where
    A: pyo3::call::PyCallArgs<'py>,
{
    match class(py, name).and_then(|cls| cls.call1(args)) {
        Ok(exc) => PyErr::from_value(exc),
        Err(e) => e,
    }
}

/// Maps an engine error to its Python exception:
/// `InvalidInput` -> `InvalidProblemError(message, path)`, `Solver` -> `SolverError`,
/// `Io` -> `FieldoptError`.
pub(super) fn to_pyerr(py: Python<'_>, err: Error) -> PyErr {
    match err {
        Error::InvalidInput { path, message } => raise(py, "InvalidProblemError", (message, path)),
        Error::Solver(message) => raise(py, "SolverError", (message,)),
        other @ Error::Io { .. } => raise(py, "FieldoptError", (other.to_string(),)),
    }
}

/// `SolveInterrupted(plan_json)` with the original `KeyboardInterrupt` as its cause.
pub(super) fn interrupted(py: Python<'_>, plan_json: String, cause: PyErr) -> PyErr {
    let err = raise(py, "SolveInterrupted", (plan_json,));
    err.set_cause(py, Some(cause));
    err
}

/// Runs `f`, turning a panic into [`Error::Solver`] so it never unwinds into Python.
pub(super) fn guarded<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(payload) => {
            Err(Error::Solver(format!("internal error (panic): {}", panic_message(&*payload))))
        }
    }
}

/// The text of a panic payload (`panic!("...")` carries a `&str` or a `String`).
pub(super) fn panic_message(payload: &(dyn Any + Send)) -> &str {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s
    } else {
        "unknown panic"
    }
}
