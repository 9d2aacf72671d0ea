//! The row builders: `_build_jobs` / `_build_techs` of `python/fieldopt/frames.py` over
//! Arrow columns. Fields are read in the same order as there, so the first error found is
//! the same one, named by the same row, column and document path; the dicts are built
//! key by key in the same order, so the documents are identical.

use std::cell::RefCell;
use std::collections::HashMap;

use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};

use super::cells::{Ctx, Fail, Num, NO_EXPIRY, R};
use super::columns::{Cell, Col};

/// Why a frame could not be converted.
pub(super) enum Stop {
    /// A value that is not valid: the column(s) (joined by `/`), the message, and the
    /// document sub-path of the field in the row; the row is [`Frame::row`].
    Frame {
        column: String,
        message: String,
        field: String,
    },
    /// A frame-level error without a row (a required column is missing).
    Structure {
        column: String,
        message: String,
    },
    Py(PyErr),
}

impl From<PyErr> for Stop {
    fn from(e: PyErr) -> Self {
        Stop::Py(e)
    }
}

/// One frame being read row by row (`_Rows`).
pub(super) struct Frame {
    pub what: &'static str,
    pub n: usize,
    cols: Vec<(String, Col)>,
    index: HashMap<String, usize>,
    /// Document sub-path -> column(s), first one wins (as `dict.setdefault`).
    pub origin: RefCell<Vec<(String, String)>>,
    pub row: usize,
}

type Obj<'py> = Bound<'py, PyAny>;

impl Frame {
    pub(super) fn new(what: &'static str, n: usize, cols: Vec<(String, Col)>) -> Self {
        let mut index = HashMap::new();
        for (k, (name, _)) in cols.iter().enumerate() {
            index.entry(name.clone()).or_insert(k);
        }
        Frame { what, n, cols, index, origin: RefCell::new(Vec::new()), row: 0 }
    }

    /// The column names, in frame order.
    pub(super) fn names(&self) -> Vec<&str> {
        self.cols.iter().map(|(c, _)| c.as_str()).collect()
    }

    pub(super) fn has(&self, name: &str) -> bool {
        self.index.contains_key(name)
    }

    /// The raw cell of `column` in `row` (for the id quoted in an error message).
    pub(super) fn raw(&self, column: &str, row: usize) -> Cell<'_> {
        match self.index.get(column) {
            Some(&k) if row < self.cols[k].1.len() => self.cols[k].1.cell(row),
            _ => Cell::Missing,
        }
    }

    /// The value of `column` in the current row; `Missing` when the column is absent or
    /// the value is null/NaN (lists and dicts are always values).
    fn get(&self, column: &str) -> Cell<'_> {
        let c = self.raw(column, self.row);
        if c.is_missing() {
            Cell::Missing
        } else {
            c
        }
    }

    fn note(&self, field: &str, column: &str) {
        let mut origin = self.origin.borrow_mut();
        if !origin.iter().any(|(k, _)| k == field) {
            origin.push((field.to_owned(), column.to_owned()));
        }
    }

    fn stop(column: &str, message: String, field: &str) -> Stop {
        Stop::Frame { column: column.to_owned(), message, field: field.to_owned() }
    }

    fn wrap<T>(r: R<T>, column: &str, field: &str) -> Result<T, Stop> {
        r.map_err(|e| match e {
            Fail::Cell(message) => Frame::stop(column, message, field),
            Fail::Py(e) => Stop::Py(e),
        })
    }

    /// `out[key] = conv(row[column])` unless missing; errors at document path `field`.
    fn put<'py>(
        &self,
        out: &Bound<'py, PyDict>,
        key: &Bound<'py, PyString>,
        column: &str,
        field: &str,
        conv: impl FnOnce(Cell<'_>) -> R<Obj<'py>>,
    ) -> Result<(), Stop> {
        let v = self.get(column);
        if matches!(v, Cell::Missing) {
            return Ok(());
        }
        let value = Frame::wrap(conv(v), column, field);
        self.note(field, column);
        out.set_item(key, value?)?;
        Ok(())
    }

    fn convert<T>(
        &self,
        column: &str,
        field: &str,
        conv: impl FnOnce(Cell<'_>) -> R<T>,
    ) -> Result<T, Stop> {
        let v = self.get(column);
        let out = Frame::wrap(conv(v), column, field);
        self.note(field, column);
        out
    }

    /// `{a: row[a], b: row[b]}` (keys without `end_`), None when both are missing.
    fn point<'py>(
        &self,
        ctx: Ctx<'py>,
        a: &str,
        b: &str,
        field: &str,
    ) -> Result<Option<Obj<'py>>, Stop> {
        let (va, vb) = (self.get(a), self.get(b));
        let (ma, mb) = (matches!(va, Cell::Missing), matches!(vb, Cell::Missing));
        if ma && mb {
            return Ok(None);
        }
        let both = format!("{a}/{b}");
        self.note(field, &both);
        if ma || mb {
            return Err(Frame::stop(&both, format!("'{a}' and '{b}' must both be given"), field));
        }
        let xy = Frame::wrap(ctx.float(va).and_then(|x| Ok((x, ctx.float(vb)?))), &both, field)?;
        let d = PyDict::new(ctx.py);
        d.set_item(a.trim_start_matches("end_"), xy.0)?;
        d.set_item(b.trim_start_matches("end_"), xy.1)?;
        Ok(Some(d.into_any()))
    }

    fn location<'py>(
        &self,
        ctx: Ctx<'py>,
        field: &str,
        pairs: [(&str, &str); 2],
        column: &str,
    ) -> Result<Option<Obj<'py>>, Stop> {
        for (a, b) in pairs {
            if self.has(a) && self.has(b) {
                if let Some(p) = self.point(ctx, a, b, field)? {
                    return Ok(Some(p));
                }
            }
        }
        if self.has(column) && !matches!(self.get(column), Cell::Missing) {
            let loc = self.convert(column, field, |c| ctx.location(c))?;
            return Ok(Some(match loc {
                Ok(map) => float_map(ctx.py, &map)?,
                Err(index) => num(ctx.py, index)?,
            }));
        }
        Ok(None)
    }

    /// `[time(row[a]), time(row[b])]`, both or neither; None when neither.
    fn span(&self, ctx: Ctx<'_>, field: &str, a: &str, b: &str) -> Result<Option<[f64; 2]>, Stop> {
        let (va, vb) = (self.get(a), self.get(b));
        let (ma, mb) = (matches!(va, Cell::Missing), matches!(vb, Cell::Missing));
        if ma && mb {
            return Ok(None);
        }
        self.note(field, &format!("{a}/{b}"));
        if ma || mb {
            let (missing, other) = if ma { (a, b) } else { (b, a) };
            return Err(Frame::stop(
                missing,
                format!("'{missing}' is missing while '{other}' is set"),
                field,
            ));
        }
        let first = Frame::wrap(ctx.time(va), a, field)?;
        let second = Frame::wrap(ctx.time(vb), b, field)?;
        Ok(Some([first, second]))
    }

    /// `(column, name)` of the columns starting with `prefix`, in frame order.
    fn prefixed(&self, prefix: &str) -> Vec<(String, String)> {
        self.cols
            .iter()
            .filter_map(|(c, _)| c.strip_prefix(prefix).map(|n| (c.clone(), n.to_owned())))
            .collect()
    }

    /// Levels from `skill_<name>` columns merged into `out["skills"]` (0: not required).
    fn skill_levels<'py>(
        &self,
        ctx: Ctx<'py>,
        out: &Bound<'py, PyDict>,
        cols: &[(String, String)],
    ) -> Result<(), Stop> {
        for (col, name) in cols {
            if matches!(self.get(col), Cell::Missing) {
                continue;
            }
            let level = self.convert(col, &format!("skills.{name}"), |c| ctx.int(c))?;
            if !matches!(level, Num::I(0)) && !matches!(level, Num::F(f) if f == 0.0) {
                entry(out, intern!(ctx.py, "skills"))?.set_item(name, num(ctx.py, level)?)?;
            }
        }
        Ok(())
    }

    fn require_id<'py>(&self, ctx: Ctx<'py>, out: &Bound<'py, PyDict>) -> Result<(), Stop> {
        let py = ctx.py;
        self.put(out, intern!(py, "id"), "id", "id", |c| text(py, ctx.str(c)?))?;
        if !out.contains(intern!(py, "id"))? {
            return Err(Frame::stop("id", "the id is missing".to_owned(), "id"));
        }
        Ok(())
    }
}

fn num(py: Python<'_>, n: Num) -> PyResult<Obj<'_>> {
    Ok(match n {
        Num::I(i) => i.into_pyobject(py)?.into_any(),
        Num::F(f) => f.into_pyobject(py)?.into_any(),
    })
}

fn float(py: Python<'_>, f: f64) -> R<Obj<'_>> {
    Ok(pyo3::types::PyFloat::new(py, f).into_any())
}

fn text(py: Python<'_>, s: String) -> R<Obj<'_>> {
    Ok(PyString::new(py, &s).into_any())
}

fn texts(py: Python<'_>, v: Vec<String>) -> R<Obj<'_>> {
    Ok(PyList::new(py, v)?.into_any())
}

fn numbers(py: Python<'_>, v: Vec<Num>) -> R<Obj<'_>> {
    let items = v.into_iter().map(|n| num(py, n)).collect::<PyResult<Vec<_>>>()?;
    Ok(PyList::new(py, items)?.into_any())
}

fn pair(py: Python<'_>, p: [f64; 2]) -> PyResult<Obj<'_>> {
    Ok(PyList::new(py, p)?.into_any())
}

fn pairs(py: Python<'_>, v: Vec<[f64; 2]>) -> R<Obj<'_>> {
    let items = v.into_iter().map(|p| pair(py, p)).collect::<PyResult<Vec<_>>>()?;
    Ok(PyList::new(py, items)?.into_any())
}

fn num_map(py: Python<'_>, v: Vec<(String, Num)>) -> R<Obj<'_>> {
    let d = PyDict::new(py);
    for (k, n) in v {
        d.set_item(k, num(py, n)?)?;
    }
    Ok(d.into_any())
}

fn float_map<'py>(py: Python<'py>, v: &[(String, f64)]) -> PyResult<Obj<'py>> {
    let d = PyDict::new(py);
    for (k, x) in v {
        d.set_item(k, *x)?;
    }
    Ok(d.into_any())
}

fn text_map(py: Python<'_>, v: Vec<(String, String)>) -> R<Obj<'_>> {
    let d = PyDict::new(py);
    for (k, x) in v {
        d.set_item(k, x)?;
    }
    Ok(d.into_any())
}

/// `out.setdefault(key, {})`.
fn entry<'py>(
    out: &Bound<'py, PyDict>,
    key: &Bound<'py, PyString>,
) -> PyResult<Bound<'py, PyDict>> {
    if let Some(d) = out.get_item(key)? {
        if let Ok(d) = d.cast_into::<PyDict>() {
            return Ok(d);
        }
    }
    let d = PyDict::new(out.py());
    out.set_item(key, &d)?;
    Ok(d)
}

/// `_build_jobs`: one dict per row.
pub(super) fn build_jobs<'py>(ctx: Ctx<'py>, r: &mut Frame) -> Result<Bound<'py, PyList>, Stop> {
    let py = ctx.py;
    let skill_cols = r.prefixed("skill_");
    let windows_col = r.has("time_windows");
    let tw_cols = r.has("tw_start") || r.has("tw_end");
    let jobs = PyList::empty(py);
    for i in 0..r.n {
        r.row = i;
        let job = PyDict::new(py);
        r.require_id(ctx, &job)?;
        r.put(&job, intern!(py, "customer"), "customer", "customer", |c| text(py, ctx.str(c)?))?;
        if let Some(loc) = r.location(ctx, "location", [("lat", "lon"), ("x", "y")], "location")? {
            job.set_item(intern!(py, "location"), loc)?;
        }
        r.put(&job, intern!(py, "duration"), "duration", "duration", |c| {
            float(py, ctx.duration(c)?)
        })?;
        let tw = intern!(py, "time_windows");
        if windows_col {
            r.put(&job, tw, "time_windows", "time_windows", |c| pairs(py, ctx.windows(c)?))?;
        }
        if tw_cols && !job.contains(tw)? {
            if let Some(span) = r.span(ctx, "time_windows", "tw_start", "tw_end")? {
                job.set_item(tw, PyList::new(py, [pair(py, span)?])?)?;
            }
        }
        r.put(&job, intern!(py, "skills"), "skills", "skills", |c| num_map(py, ctx.skills(c)?))?;
        r.skill_levels(ctx, &job, &skill_cols)?;
        r.put(&job, intern!(py, "certifications"), "certifications", "certifications", |c| {
            texts(py, ctx.str_list(c)?)
        })?;
        r.put(&job, intern!(py, "demand"), "demand", "demand", |c| numbers(py, ctx.numbers(c)?))?;
        r.put(&job, intern!(py, "priority"), "priority", "priority", |c| {
            Ok(num(py, ctx.int(c)?)?)
        })?;
        r.put(&job, intern!(py, "unassigned_cost"), "unassigned_cost", "unassigned_cost", |c| {
            float(py, ctx.float(c)?)
        })?;
        for key in ["preferred_technicians", "excluded_technicians"] {
            r.put(&job, &PyString::intern(py, key), key, key, |c| texts(py, ctx.str_list(c)?))?;
        }
        r.put(
            &job,
            intern!(py, "pinned_technician"),
            "pinned_technician",
            "pinned_technician",
            |c| text(py, ctx.str(c)?),
        )?;
        r.put(&job, intern!(py, "kind"), "kind", "kind", |c| text(py, ctx.str(c)?))?;
        jobs.append(job)?;
    }
    if !skill_cols.is_empty() {
        let all: Vec<&str> = skill_cols.iter().map(|(c, _)| c.as_str()).collect();
        r.note("skills", &all.join("/"));
    }
    Ok(jobs)
}

/// `_build_techs`: one dict per row.
pub(super) fn build_techs<'py>(ctx: Ctx<'py>, r: &mut Frame) -> Result<Bound<'py, PyList>, Stop> {
    let py = ctx.py;
    if !r.has("id") {
        return Err(Stop::Structure {
            column: "id".to_owned(),
            message: "the technicians frame has no 'id' column".to_owned(),
        });
    }
    let skill_cols = r.prefixed("skill_");
    let cert_cols = r.prefixed("cert_");
    let techs = PyList::empty(py);
    for i in 0..r.n {
        r.row = i;
        let t = PyDict::new(py);
        r.require_id(ctx, &t)?;
        if let Some(start) = r.location(ctx, "start", [("lat", "lon"), ("x", "y")], "start")? {
            t.set_item(intern!(py, "start"), start)?;
        }
        let ends = [("end_lat", "end_lon"), ("end_x", "end_y")];
        if let Some(end) = r.location(ctx, "end", ends, "end")? {
            t.set_item(intern!(py, "end"), end)?;
        }
        let shift = intern!(py, "shift");
        r.put(&t, shift, "shift", "shift", |c| Ok(pair(py, ctx.pair(c)?)?))?;
        if !t.contains(shift)? {
            if let Some(span) = r.span(ctx, "shift", "shift_start", "shift_end")? {
                t.set_item(shift, pair(py, span)?)?;
            }
        }
        r.put(&t, intern!(py, "max_overtime"), "max_overtime", "max_overtime", |c| {
            float(py, ctx.duration(c)?)
        })?;
        r.put(&t, intern!(py, "skills"), "skills", "skills", |c| num_map(py, ctx.skills(c)?))?;
        r.skill_levels(ctx, &t, &skill_cols)?;
        let certs = intern!(py, "certifications");
        r.put(&t, certs, "certifications", "certifications", |c| text_map(py, ctx.tech_certs(c)?))?;
        for (col, name) in &cert_cols {
            let day = match r.get(col) {
                Cell::Missing | Cell::Bool(false) => continue,
                Cell::Bool(true) => NO_EXPIRY.to_owned(),
                _ => r.convert(col, &format!("certifications.{name}"), |c| ctx.day(c))?,
            };
            entry(&t, certs)?.set_item(name, day)?;
        }
        r.put(&t, intern!(py, "capacity"), "capacity", "capacity", |c| {
            numbers(py, ctx.numbers(c)?)
        })?;
        r.put(&t, intern!(py, "max_jobs"), "max_jobs", "max_jobs", |c| Ok(num(py, ctx.int(c)?)?))?;
        let brk = intern!(py, "break");
        r.put(&t, brk, "break", "break", |c| {
            let (window, duration) = ctx.brk(c)?;
            let d = PyDict::new(py);
            d.set_item(intern!(py, "window"), pair(py, window)?)?;
            d.set_item(intern!(py, "duration"), duration)?;
            Ok(d.into_any())
        })?;
        if !t.contains(brk)? {
            if let Some(window) = r.span(ctx, "break.window", "break_start", "break_end")? {
                let b = PyDict::new(py);
                b.set_item(intern!(py, "window"), pair(py, window)?)?;
                let dur = intern!(py, "duration");
                r.put(&b, dur, "break_duration", "break.duration", |c| {
                    float(py, ctx.duration(c)?)
                })?;
                if !b.contains(dur)? {
                    return Err(Frame::stop(
                        "break_duration",
                        "the break has a window but no duration".to_owned(),
                        "break.duration",
                    ));
                }
                t.set_item(brk, b)?;
            }
        }
        let cost = intern!(py, "cost");
        r.put(&t, cost, "cost", "cost", |c| Ok(float_map(py, &ctx.cost(c)?)?))?;
        if !t.contains(cost)? {
            let parts = PyDict::new(py);
            for (key, column) in
                [("fixed", "fixed_cost"), ("per_hour", "cost_per_hour"), ("per_km", "cost_per_km")]
            {
                let path = format!("cost.{key}");
                r.put(&parts, &PyString::intern(py, key), column, &path, |c| {
                    float(py, ctx.float(c)?)
                })?;
            }
            if !parts.is_empty() {
                t.set_item(cost, parts)?;
            }
        }
        r.put(&t, intern!(py, "rating"), "rating", "rating", |c| float(py, ctx.float(c)?))?;
        r.put(&t, intern!(py, "kind"), "kind", "kind", |c| text(py, ctx.str(c)?))?;
        r.put(&t, intern!(py, "team"), "team", "team", |c| text(py, ctx.str(c)?))?;
        techs.append(t)?;
    }
    for (col, name) in &skill_cols {
        r.note(&format!("skills.{name}"), col);
    }
    for (col, name) in &cert_cols {
        r.note(&format!("certifications.{name}"), col);
    }
    Ok(techs)
}
