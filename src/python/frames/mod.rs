//! `Problem.from_frames` over Arrow: the jobs and technicians tables arrive as Arrow C
//! streams (a pandas >= 2.2 or polars DataFrame through `__arrow_c_stream__`, read by
//! pyo3-arrow) and are read column-wise into the `jobs` / `technicians` lists of a problem
//! document, with the column conventions of `python/fieldopt/frames.py` (the per-row
//! Python path, kept as the fallback) and the same errors.
//!
//! Arrow stays in the Python layer: the pure core never sees it.

mod cells;
mod columns;
mod rows;

use std::panic::{catch_unwind, AssertUnwindSafe};

use arrow_array::{new_empty_array, Array, ArrayRef};
use chrono::NaiveDate;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use pyo3_arrow::PyTable;

use super::errors::{panic_message, to_pyerr};
use crate::error::Error;
use cells::Ctx;
use columns::{epoch_days, Col};
use rows::{Frame, Stop};

/// The columns of a table, each as one normalised column; `Err` names the first column
/// of a type the Arrow path does not read.
/// Columns whose name is not in `known` and starts with none of `prefixes` are ignored
/// (kept by name only, never read, so their type does not matter).
fn load(
    table: PyTable,
    what: &str,
    known: &[String],
    prefixes: &[&str],
) -> Result<(usize, Vec<(String, Col)>), String> {
    let (batches, schema) = table.into_inner();
    let n = batches.iter().map(|b| b.num_rows()).sum();
    let mut cols = Vec::with_capacity(schema.fields().len());
    for (k, field) in schema.fields().iter().enumerate() {
        let name = field.name();
        if !known.contains(name) && !prefixes.iter().any(|p| name.starts_with(p)) {
            cols.push((name.clone(), Col::Null(n)));
            continue;
        }
        let parts: Vec<&dyn Array> = batches.iter().map(|b| b.column(k).as_ref()).collect();
        let array: ArrayRef = match parts.len() {
            0 => new_empty_array(field.data_type()),
            1 => batches[0].column(k).clone(),
            _ => arrow_select::concat::concat(&parts)
                .map_err(|e| format!("column {:?} of the {what} frame: {e}", field.name()))?,
        };
        let col = Col::load(&array)
            .map_err(|e| format!("column {:?} of the {what} frame: {e}", field.name()))?;
        cols.push((field.name().clone(), col));
    }
    Ok((n, cols))
}

fn origin_dict<'py>(py: Python<'py>, frame: &Frame) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    for (k, v) in frame.origin.borrow().iter() {
        d.set_item(k, v)?;
    }
    Ok(d)
}

/// The error tuple `("error", frame, row, column, field, message, id)`.
fn error_tuple<'py>(ctx: Ctx<'py>, frame: &Frame, stop: Stop) -> PyResult<Bound<'py, PyTuple>> {
    let py = ctx.py;
    match stop {
        Stop::Frame { column, message, field } => {
            let ident = ctx.object(frame.raw("id", frame.row))?;
            ("error", frame.what, frame.row, column, field, message, ident).into_pyobject(py)
        }
        Stop::Structure { column, message } => {
            ("error", frame.what, py.None(), column, "", message, py.None()).into_pyobject(py)
        }
        Stop::Py(e) => Err(e),
    }
}

fn convert<'py>(
    py: Python<'py>,
    jobs: PyTable,
    technicians: PyTable,
    date: &str,
    known: (Vec<String>, Vec<String>),
) -> PyResult<Bound<'py, PyTuple>> {
    let day = NaiveDate::parse_from_str(date, "%Y-%m-%d").map_err(|e| {
        to_pyerr(
            py,
            Error::invalid("date", format!("date must be 'YYYY-MM-DD', got {date:?}: {e}")),
        )
    })?;
    let ctx = Ctx { py, day: epoch_days(day) };
    let jobs = load(jobs, "jobs", &known.0, &["skill_"]);
    let techs = load(technicians, "technicians", &known.1, &["skill_", "cert_"]);
    let (mut jf, mut tf) = match (jobs, techs) {
        (Ok((jn, jc)), Ok((tn, tc))) => {
            (Frame::new("jobs", jn, jc), Frame::new("technicians", tn, tc))
        }
        (Err(reason), _) | (_, Err(reason)) => return ("unsupported", reason).into_pyobject(py),
    };
    for column in ["id", "duration"] {
        if !jf.has(column) {
            let message = format!("the jobs frame has no '{column}' column");
            let stop = Stop::Structure { column: column.to_owned(), message };
            return error_tuple(ctx, &jf, stop);
        }
    }
    let job_docs = match rows::build_jobs(ctx, &mut jf) {
        Ok(list) => list,
        Err(stop) => return error_tuple(ctx, &jf, stop),
    };
    let tech_docs = match rows::build_techs(ctx, &mut tf) {
        Ok(list) => list,
        Err(stop) => return error_tuple(ctx, &tf, stop),
    };
    let (jo, to) = (origin_dict(py, &jf)?, origin_dict(py, &tf)?);
    ("ok", job_docs, tech_docs, jo, to, jf.names(), tf.names()).into_pyobject(py)
}

/// Reads a jobs and a technicians table (anything with `__arrow_c_stream__`) into the
/// `jobs` and `technicians` lists of a problem document, for the plan day `date`
/// (`YYYY-MM-DD`). `job_columns` / `technician_columns` are the columns read (besides
/// `skill_<name>`, and `cert_<name>` for technicians); other columns are not looked at.
///
/// Returns `("ok", jobs, technicians, jobs_origin, technicians_origin, jobs_columns,
/// technicians_columns)` (the origins map document sub-paths to columns), `("error", frame, row, column, field, message, id)` for
/// a value that is not valid (`row` None for a missing required column), or
/// `("unsupported", reason)` when a column has an Arrow type this path does not read (the
/// caller then uses the per-row Python path). A panic becomes `fieldopt.SolverError`.
#[pyfunction]
pub(crate) fn frames_to_documents<'py>(
    py: Python<'py>,
    jobs: PyTable,
    technicians: PyTable,
    date: &str,
    job_columns: Vec<String>,
    technician_columns: Vec<String>,
) -> PyResult<Bound<'py, PyTuple>> {
    let known = (job_columns, technician_columns);
    match catch_unwind(AssertUnwindSafe(|| convert(py, jobs, technicians, date, known))) {
        Ok(result) => result,
        Err(payload) => Err(to_pyerr(
            py,
            Error::Solver(format!("internal error (panic): {}", panic_message(&*payload))),
        )),
    }
}
