//! Cell converters: the Rust twins of `python/fieldopt/cells.py`, with the same results
//! (types included: `_int` gives an int, `_time` a float) and the same messages. A message
//! quoting a value uses Python's own `repr` of it, so both paths read alike.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};

use super::columns::{day_of, since_midnight, Cell, Col};

/// Expiry written for a certification given without a date (as `cells.NO_EXPIRY`).
pub(super) const NO_EXPIRY: &str = "9999-12-31";

/// Why a conversion stopped: a cell that cannot be read (the row loop adds the row and the
/// column), or a Python error while quoting a value.
pub(super) enum Fail {
    Cell(String),
    Py(PyErr),
}

impl From<PyErr> for Fail {
    fn from(e: PyErr) -> Self {
        Fail::Py(e)
    }
}

pub(super) type R<T> = Result<T, Fail>;

/// A number as Python keeps it: an int or a float.
#[derive(Clone, Copy)]
pub(super) enum Num {
    I(i64),
    F(f64),
}

/// What the converters need: the interpreter (to quote values) and the plan day.
#[derive(Clone, Copy)]
pub(super) struct Ctx<'py> {
    pub py: Python<'py>,
    /// The plan day, in days since 1970-01-01.
    pub day: i64,
}

impl<'py> Ctx<'py> {
    /// The Python object the per-row path would hold for `c`.
    pub(super) fn object(self, c: Cell<'_>) -> PyResult<Bound<'py, PyAny>> {
        let py = self.py;
        Ok(match c {
            Cell::Missing => py.None().into_bound(py),
            Cell::Bool(b) => b.into_pyobject(py)?.to_owned().into_any(),
            Cell::Int(i) => i.into_pyobject(py)?.into_any(),
            Cell::Float(f) => f.into_pyobject(py)?.into_any(),
            Cell::Str(s) => PyString::new(py, s).into_any(),
            Cell::DateTime(units, per) => {
                let micros = (units as i128 * 1_000_000 / per as i128) as i64;
                let dt = py.import("datetime")?;
                let epoch = dt.getattr("datetime")?.call1((1970, 1, 1))?;
                let delta = dt.getattr("timedelta")?.call1((0, 0, micros))?;
                epoch.call_method1("__add__", (delta,))?
            }
            Cell::Date(d) => {
                let text = d.format("%Y-%m-%d").to_string();
                py.import("datetime")?.getattr("date")?.call_method1("fromisoformat", (text,))?
            }
            Cell::Time(s) => {
                let micros = (s * 1e6).round() as i64;
                let (h, rest) = (micros / 3_600_000_000, micros % 3_600_000_000);
                let (m, rest) = (rest / 60_000_000, rest % 60_000_000);
                let (sec, us) = (rest / 1_000_000, rest % 1_000_000);
                py.import("datetime")?.getattr("time")?.call1((h, m, sec, us))?
            }
            Cell::Duration(s) => py.import("datetime")?.getattr("timedelta")?.call1((0, s))?,
            Cell::List(..) => {
                let items = c.items().into_iter().flatten();
                let items = items.map(|x| self.object(x)).collect::<PyResult<Vec<_>>>()?;
                PyList::new(py, items)?.into_any()
            }
            Cell::Struct(Col::Struct { names, fields, .. }, i) => {
                let d = PyDict::new(py);
                for (n, f) in names.iter().zip(fields) {
                    d.set_item(n, self.object(f.cell(i))?)?;
                }
                d.into_any()
            }
            Cell::Struct(..) => py.None().into_bound(py),
        })
    }

    /// Python's `repr` of the value.
    pub(super) fn repr(self, c: Cell<'_>) -> R<String> {
        Ok(self.object(c)?.repr()?.to_string())
    }

    fn fail<T>(self, before: &str, c: Cell<'_>, after: &str) -> R<T> {
        Err(Fail::Cell(format!("{before}{}{after}", self.repr(c)?)))
    }

    /// Python's `str` of the value.
    pub(super) fn text(self, c: Cell<'_>) -> R<String> {
        Ok(match c {
            Cell::Str(s) => s.to_owned(),
            Cell::Int(i) => i.to_string(),
            _ => self.object(c)?.str()?.to_string(),
        })
    }

    // --- cells.py -------------------------------------------------------------------

    pub(super) fn number(self, c: Cell<'_>) -> R<Num> {
        match c {
            Cell::Int(i) => Ok(Num::I(i)),
            Cell::Float(f) => Ok(Num::F(f)),
            Cell::Str(s) => match py_float(s) {
                Some(f) => Ok(Num::F(f)),
                None => self.fail("expected a number, got ", c, ""),
            },
            _ => self.fail("expected a number, got ", c, ""),
        }
    }

    pub(super) fn int(self, c: Cell<'_>) -> R<Num> {
        match self.number(c)? {
            Num::F(f) if f.fract() != 0.0 || !f.is_finite() => {
                self.fail("expected an integer, got ", Cell::Float(f), "")
            }
            // Python's int is unbounded; beyond i64 keep the (integral) float.
            Num::F(f) if f.abs() >= 9.2e18 => Ok(Num::F(f)),
            Num::F(f) => Ok(Num::I(f as i64)),
            n => Ok(n),
        }
    }

    pub(super) fn float(self, c: Cell<'_>) -> R<f64> {
        Ok(match self.number(c)? {
            Num::I(i) => i as f64,
            Num::F(f) => f,
        })
    }

    pub(super) fn str(self, c: Cell<'_>) -> R<String> {
        match c {
            Cell::Str(s) => Ok(s.to_owned()),
            Cell::Int(i) => Ok(i.to_string()),
            Cell::Float(f) if f.is_finite() && f.fract() == 0.0 => Ok(format!("{f:.0}")),
            Cell::Float(_) => self.text(c),
            _ => self.fail("expected text, got ", c, ""),
        }
    }

    pub(super) fn str_list(self, c: Cell<'_>) -> R<Vec<String>> {
        match c {
            Cell::Str(s) => Ok(split_list(s).map(str::to_owned).collect()),
            Cell::List(..) => c
                .items()
                .into_iter()
                .flatten()
                .filter(|x| !x.is_missing())
                .map(|x| self.str(x))
                .collect(),
            _ => self.fail("expected a list of ids (or text separated by commas), got ", c, ""),
        }
    }

    fn hms(self, text: &str) -> R<f64> {
        match parse_hms(text) {
            Some((_, m, s)) if m >= 60 || s >= 60.0 => self.fail(
                "cannot read ",
                Cell::Str(text),
                " as a time (minutes and seconds must be < 60)",
            ),
            Some((h, m, s)) => Ok((h * 3600 + m * 60) as f64 + s),
            None => match py_float(text) {
                Some(f) => Ok(f),
                None => self.fail(
                    "cannot read ",
                    Cell::Str(text),
                    " as a time (expected 'HH:MM' or seconds)",
                ),
            },
        }
    }

    /// Seconds from midnight of the plan day.
    pub(super) fn time(self, c: Cell<'_>) -> R<f64> {
        match c {
            Cell::DateTime(units, per) => Ok(since_midnight(units, per, self.day)),
            Cell::Duration(s) | Cell::Time(s) => Ok(s),
            Cell::Date(d) => {
                Err(Fail::Cell(format!("expected a time, got the date {}", d.format("%Y-%m-%d"))))
            }
            Cell::Str(s) => self.hms(s),
            _ => self.float(c),
        }
    }

    pub(super) fn duration(self, c: Cell<'_>) -> R<f64> {
        match c {
            Cell::Duration(s) => Ok(s),
            Cell::Str(s) => self.hms(s),
            Cell::DateTime(..) | Cell::Time(_) | Cell::Date(_) => {
                self.fail("expected a duration, got ", c, "")
            }
            _ => self.float(c),
        }
    }

    fn num_or_int(self, c: Cell<'_>) -> R<Num> {
        Ok(match self.number(c)? {
            Num::F(f) if f.is_finite() && f.fract() == 0.0 && f.abs() < 9.2e18 => Num::I(f as i64),
            n => n,
        })
    }

    pub(super) fn numbers(self, c: Cell<'_>) -> R<Vec<Num>> {
        match c.items() {
            Some(items) => items.map(|x| self.num_or_int(x)).collect(),
            None => Ok(vec![self.num_or_int(c)?]),
        }
    }

    pub(super) fn skills(self, c: Cell<'_>) -> R<Vec<(String, Num)>> {
        let mut out = Ordered::default();
        if let Some(fields) = c.fields() {
            for (name, level) in fields {
                if !level.is_missing() {
                    out.put(name.to_owned(), self.int(level)?);
                }
            }
            return Ok(out.0);
        }
        match c {
            Cell::Str(s) => {
                for part in split_list(s) {
                    match part.split_once(':') {
                        Some((name, level)) => {
                            out.put(name.trim().to_owned(), self.int(Cell::Str(level))?)
                        }
                        None => out.put(part.trim().to_owned(), Num::I(1)),
                    }
                }
            }
            Cell::List(..) => {
                for item in c.items().into_iter().flatten() {
                    match item {
                        Cell::Str(s) => out.put(s.trim().to_owned(), Num::I(1)),
                        Cell::Struct(..) if item.field("name").is_some() => {
                            let name = item.field("name").unwrap_or(Cell::Missing);
                            let level = item.field("level").unwrap_or(Cell::Int(1));
                            out.put(self.text(name)?, self.int(level)?);
                        }
                        Cell::List(_, a, b) if b - a == 2 => {
                            let mut it = item.items().into_iter().flatten();
                            let name = it.next().unwrap_or(Cell::Missing);
                            let level = it.next().unwrap_or(Cell::Missing);
                            out.put(self.text(name)?.trim().to_owned(), self.int(level)?);
                        }
                        _ => return self.fail("cannot read the skill ", item, ""),
                    }
                }
            }
            _ => {
                return self.fail(
                    "expected skills as a dict, a list or text like 'hvac:2', got ",
                    c,
                    "",
                )
            }
        }
        Ok(out.0)
    }

    /// A last valid day as `YYYY-MM-DD`.
    pub(super) fn day(self, c: Cell<'_>) -> R<String> {
        match c {
            Cell::DateTime(units, per) => match day_of(units, per) {
                Some(d) => Ok(d.format("%Y-%m-%d").to_string()),
                None => self.fail("expected a date, got ", c, ""),
            },
            Cell::Date(d) => Ok(d.format("%Y-%m-%d").to_string()),
            Cell::Str(s) => Ok(s.trim().chars().take(10).collect()),
            _ => self.fail("expected a date, got ", c, ""),
        }
    }

    pub(super) fn tech_certs(self, c: Cell<'_>) -> R<Vec<(String, String)>> {
        if let Some(fields) = c.fields() {
            let mut out = Vec::new();
            for (name, until) in fields {
                if !until.is_missing() {
                    out.push((name.to_owned(), self.day(until)?));
                }
            }
            return Ok(out);
        }
        let mut out: Vec<(String, String)> = Vec::new();
        for name in self.str_list(c)? {
            if !out.iter().any(|(n, _)| *n == name) {
                out.push((name, NO_EXPIRY.to_owned()));
            }
        }
        Ok(out)
    }

    pub(super) fn pair(self, c: Cell<'_>) -> R<[f64; 2]> {
        match c {
            Cell::Str(s) => {
                let parts = split_range(s.trim());
                if parts.len() != 2 {
                    return self.fail(
                        "cannot read ",
                        c,
                        " as a time window (expected '08:00-12:00')",
                    );
                }
                Ok([self.time(Cell::Str(parts[0]))?, self.time(Cell::Str(parts[1]))?])
            }
            Cell::Struct(..) => match (c.field("start"), c.field("end")) {
                (Some(a), Some(b)) => Ok([self.time(a)?, self.time(b)?]),
                _ => self.fail("expected a [start, end] pair, got ", c, ""),
            },
            Cell::List(_, a, b) if b - a == 2 => {
                let mut it = c.items().into_iter().flatten();
                let first = it.next().unwrap_or(Cell::Missing);
                let second = it.next().unwrap_or(Cell::Missing);
                Ok([self.time(first)?, self.time(second)?])
            }
            _ => self.fail("expected a [start, end] pair, got ", c, ""),
        }
    }

    pub(super) fn windows(self, c: Cell<'_>) -> R<Vec<[f64; 2]>> {
        match c {
            Cell::Str(s) => s
                .split([',', ';'])
                .filter(|p| !p.trim().is_empty())
                .map(|p| self.pair(Cell::Str(p)))
                .collect(),
            Cell::List(..) => {
                let items: Vec<Cell<'_>> = c.items().into_iter().flatten().collect();
                if items.len() == 2 && !items.iter().any(|x| x.is_list() || x.is_struct()) {
                    Ok(vec![self.pair(c)?])
                } else {
                    items.into_iter().map(|x| self.pair(x)).collect()
                }
            }
            _ => self.fail("expected time windows as a list of [start, end] pairs, got ", c, ""),
        }
    }

    /// A location column: a dict (`lat`/`lon` or `x`/`y`), else a matrix index.
    pub(super) fn location(self, c: Cell<'_>) -> R<Result<Vec<(String, f64)>, Num>> {
        match c.fields() {
            Some(fields) => {
                let mut out = Vec::new();
                for (k, x) in fields {
                    if !x.is_missing() {
                        out.push((k.to_owned(), self.float(x)?));
                    }
                }
                Ok(Ok(out))
            }
            None => Ok(Err(self.int(c)?)),
        }
    }

    pub(super) fn cost(self, c: Cell<'_>) -> R<Vec<(String, f64)>> {
        match c.fields() {
            Some(fields) => {
                let mut out = Vec::new();
                for (k, x) in fields {
                    if !x.is_missing() {
                        out.push((k.to_owned(), self.float(x)?));
                    }
                }
                Ok(out)
            }
            None => self.fail("expected a dict like {'per_hour': 38}, got ", c, ""),
        }
    }

    pub(super) fn brk(self, c: Cell<'_>) -> R<([f64; 2], f64)> {
        match c.field("window") {
            Some(window) => {
                let window = self.pair(window)?;
                let duration = match c.field("duration") {
                    Some(d) => self.duration(d)?,
                    None => 0.0,
                };
                Ok((window, duration))
            }
            None => {
                self.fail("expected a dict like {'window': [s, e], 'duration': d}, got ", c, "")
            }
        }
    }
}

/// A dict in insertion order where a repeated key keeps its place and takes the new value.
#[derive(Default)]
struct Ordered(Vec<(String, Num)>);

impl Ordered {
    fn put(&mut self, key: String, value: Num) {
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => self.0.push((key, value)),
        }
    }
}

/// `re.split(r"[,;]", s)`, each part stripped, empty parts dropped.
fn split_list(s: &str) -> impl Iterator<Item = &str> {
    s.split([',', ';']).map(str::trim).filter(|p| !p.is_empty())
}

/// `re.split(r"\s*-\s*|\s+to\s+", s)`.
fn split_range(s: &str) -> Vec<&str> {
    let b = s.as_bytes();
    let ws = |k: usize| -> usize {
        // end of the whitespace run starting at byte k (ASCII and Unicode whitespace)
        let mut k = k;
        while let Some(ch) = s[k..].chars().next() {
            if !ch.is_whitespace() {
                break;
            }
            k += ch.len_utf8();
        }
        k
    };
    let mut parts = Vec::new();
    let (mut last, mut p) = (0, 0);
    while p < b.len() {
        if !s.is_char_boundary(p) {
            p += 1;
            continue;
        }
        let q = ws(p);
        let end = if b.get(q) == Some(&b'-') {
            Some(ws(q + 1))
        } else if q > p && s[q..].starts_with("to") && ws(q + 2) > q + 2 {
            Some(ws(q + 2))
        } else {
            None
        };
        match end {
            Some(e) => {
                parts.push(&s[last..p]);
                last = e;
                p = e;
            }
            None => p += 1,
        }
    }
    parts.push(&s[last..]);
    parts
}

/// `^\s*(\d{1,3}):(\d{2})(?::(\d{2}(?:\.\d*)?))?\s*$` as (hours, minutes, seconds).
fn parse_hms(text: &str) -> Option<(i64, i64, f64)> {
    let t = text.trim();
    let (h, rest) = t.split_once(':')?;
    let digits = |s: &str, lo: usize, hi: usize| {
        (lo..=hi).contains(&s.len()) && s.bytes().all(|c| c.is_ascii_digit())
    };
    if !digits(h, 1, 3) {
        return None;
    }
    let (m, s) = match rest.split_once(':') {
        Some((m, s)) => (m, Some(s)),
        None => (rest, None),
    };
    if !digits(m, 2, 2) {
        return None;
    }
    let secs = match s {
        None => 0.0,
        Some(s) => {
            let (whole, frac) = match s.split_once('.') {
                Some((w, f)) => (w, Some(f)),
                None => (s, None),
            };
            if !digits(whole, 2, 2) || !frac.is_none_or(|f| f.bytes().all(|c| c.is_ascii_digit())) {
                return None;
            }
            s.parse::<f64>().ok()?
        }
    };
    Some((h.parse().ok()?, m.parse().ok()?, secs))
}

/// Python's `float(text)` for the common spellings (surrounding whitespace, `inf`, `nan`,
/// exponents, underscores between digits).
fn py_float(text: &str) -> Option<f64> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    if t.contains('_') {
        let b = t.as_bytes();
        let ok = b.iter().enumerate().all(|(k, &c)| {
            c != b'_'
                || (k > 0
                    && k + 1 < b.len()
                    && b[k - 1].is_ascii_digit()
                    && b[k + 1].is_ascii_digit())
        });
        return if ok { t.replace('_', "").parse().ok() } else { None };
    }
    t.parse().ok()
}
