//! Field-level rules shared by technicians, jobs and travel: numbers, windows, dates,
//! skill maps, vectors and technician id lists. Paths and messages mirror
//! `ProblemValidator` of `shared/tools/check_plan.py`.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::error::{Error, Result};
use crate::io::schema::Doc;

/// Shorthand for an invalid-input error at `path`.
pub(super) fn invalid(path: impl Into<String>, message: impl Into<String>) -> Error {
    Error::invalid(path, message)
}

/// Formats a number like the checker's `fmt_num`: integral values without a fraction,
/// others with up to 3 decimals (or 6 significant digits from 1e6 on).
pub(super) fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        return format!("{}", x as i64);
    }
    if x.abs() >= 1e6 {
        return fmt_g6(x);
    }
    let s = format!("{x:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// C's `%.6g` for |x| >= 1e6 (always exponent form there).
fn fmt_g6(x: f64) -> String {
    let s = format!("{x:.5e}");
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let mant =
        if mant.contains('.') { mant.trim_end_matches('0').trim_end_matches('.') } else { mant };
    let exp: i32 = exp.parse().unwrap_or(0);
    let sign = if exp < 0 { '-' } else { '+' };
    format!("{mant}e{sign}{:02}", exp.abs())
}

/// Formats a document number as the checker would (`int` as written, floats via [`fmt_num`]).
pub(super) fn fmt_doc_num(d: &Doc) -> String {
    match d.as_int() {
        Some(i) => i.to_string(),
        None => d.as_f64().map_or_else(|| d.dumps(), fmt_num),
    }
}

/// Renders an optional member for "got ..." messages (`null` when absent).
pub(super) fn dumps(x: Option<&Doc>) -> String {
    x.map_or_else(|| "null".to_owned(), Doc::dumps)
}

/// A number that must be present and finite, optionally `>= minimum`.
pub(super) fn required_num(path: &str, x: Option<&Doc>, minimum: Option<f64>) -> Result<f64> {
    match x.filter(|d| !d.is_null()) {
        None => Err(invalid(path, "missing required number")),
        Some(d) => checked_num(path, d, minimum, false),
    }
}

/// A number that may be absent or `null`; when present finite and `>= minimum`.
pub(super) fn optional_num(
    path: &str,
    x: Option<&Doc>,
    minimum: Option<f64>,
) -> Result<Option<f64>> {
    x.filter(|d| !d.is_null()).map(|d| checked_num(path, d, minimum, false)).transpose()
}

/// A number that may be absent or `null`; when present finite and `> 0`.
pub(super) fn optional_positive(path: &str, x: Option<&Doc>) -> Result<Option<f64>> {
    x.filter(|d| !d.is_null()).map(|d| checked_num(path, d, None, true)).transpose()
}

/// A number that must be present, finite and `> 0`.
pub(super) fn required_positive(path: &str, x: Option<&Doc>) -> Result<f64> {
    match x.filter(|d| !d.is_null()) {
        None => Err(invalid(path, "missing required number")),
        Some(d) => checked_num(path, d, None, true),
    }
}

/// The checker's `num` on a present value.
fn checked_num(path: &str, d: &Doc, minimum: Option<f64>, strict_pos: bool) -> Result<f64> {
    let x = d
        .as_f64()
        .ok_or_else(|| invalid(path, format!("expected a finite number, got {}", d.dumps())))?;
    if strict_pos && x <= 0.0 {
        return Err(invalid(path, format!("must be > 0, got {}", fmt_doc_num(d))));
    }
    if let Some(m) = minimum {
        if x < m {
            return Err(invalid(
                path,
                format!("must be >= {}, got {}", fmt_num(m), fmt_doc_num(d)),
            ));
        }
    }
    Ok(x)
}

/// A `[start, end]` pair of finite numbers with `start <= end`.
pub(super) fn window(path: &str, w: Option<&Doc>) -> Result<(f64, f64)> {
    let pair = w.and_then(Doc::as_array).filter(|a| a.len() == 2);
    let Some([a, b]) = pair else {
        return Err(invalid(path, format!("expected [start, end], got {}", cut(w, 80))));
    };
    let x = a.as_f64().ok_or_else(|| {
        invalid(format!("{path}[0]"), format!("expected a finite number, got {}", a.dumps()))
    })?;
    let y = b.as_f64().ok_or_else(|| {
        invalid(format!("{path}[1]"), format!("expected a finite number, got {}", b.dumps()))
    })?;
    if x > y {
        return Err(invalid(
            path,
            format!("start {} is after end {}", fmt_doc_num(a), fmt_doc_num(b)),
        ));
    }
    Ok((x, y))
}

/// [`dumps`] cut to `max` characters.
pub(super) fn cut(x: Option<&Doc>, max: usize) -> String {
    x.map_or_else(|| "null".to_owned(), |d| d.dumps_cut(max))
}

/// A calendar date `YYYY-MM-DD` (year 1..=9999, real month and day).
pub(super) fn date(path: &str, d: Option<&Doc>) -> Result<NaiveDate> {
    let s = d.and_then(Doc::as_str).filter(|s| looks_like_date(s)).ok_or_else(|| {
        invalid(path, format!("expected a date string YYYY-MM-DD, got {}", dumps(d)))
    })?;
    let field = |r: std::ops::Range<usize>| s.get(r).and_then(|t| t.parse::<u32>().ok());
    let (y, m, day) = match (field(0..4), field(5..7), field(8..10)) {
        (Some(y), Some(m), Some(day)) => (y, m, day),
        _ => {
            return Err(invalid(
                path,
                format!("expected a date string YYYY-MM-DD, got {}", dumps(d)),
            ))
        }
    };
    let reason = if y == 0 {
        Some("year 0 is out of range")
    } else if !(1..=12).contains(&m) {
        Some("month must be in 1..12")
    } else {
        None
    };
    let parsed = i32::try_from(y).ok().and_then(|y| NaiveDate::from_ymd_opt(y, m, day));
    match (reason, parsed) {
        (None, Some(date)) => Ok(date),
        (r, _) => Err(invalid(
            path,
            format!("invalid date \"{s}\" ({})", r.unwrap_or("day is out of range for month")),
        )),
    }
}

/// `^\d{4}-\d{2}-\d{2}$` with ASCII digits.
fn looks_like_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter()
            .enumerate()
            .all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() })
}

/// A skill map `{name: level}` with integer levels 1..=5, in document order.
pub(super) fn skills(path: &str, s: Option<&Doc>) -> Result<Vec<(String, u8)>> {
    let Some(s) = s.filter(|d| !d.is_null()) else {
        return Ok(Vec::new());
    };
    let members =
        s.as_object().ok_or_else(|| invalid(path, "expected an object {skill: level}"))?;
    let mut out = Vec::with_capacity(members.len());
    for (name, level) in members {
        if name.is_empty() {
            return Err(invalid(path, "empty skill name"));
        }
        let lvl = level.as_int().filter(|l| (1..=5).contains(l)).and_then(|l| u8::try_from(l).ok());
        let Some(lvl) = lvl else {
            return Err(invalid(
                format!("{path}.{name}"),
                format!("skill level must be an integer 1..5, got {}", level.dumps()),
            ));
        };
        out.push((name.clone(), lvl));
    }
    Ok(out)
}

/// A list of finite numbers `>= 0` (one per capacity dimension).
pub(super) fn vector(path: &str, v: &Doc) -> Result<Vec<f64>> {
    let items = v
        .as_array()
        .ok_or_else(|| invalid(path, "must be a list of numbers (one per dimension)"))?;
    let mut out = Vec::with_capacity(items.len());
    for (k, x) in items.iter().enumerate() {
        let val = x.as_f64().ok_or_else(|| {
            invalid(format!("{path}[{k}]"), format!("expected a finite number, got {}", x.dumps()))
        })?;
        if val < 0.0 {
            return Err(invalid(
                format!("{path}[{k}]"),
                format!("must be >= 0, got {}", fmt_doc_num(x)),
            ));
        }
        out.push(val);
    }
    Ok(out)
}

/// A list of known technician ids, resolved to indices (deduplicated, first-seen order).
pub(super) fn id_list(
    path: &str,
    v: Option<&Doc>,
    techs: &HashMap<String, usize>,
) -> Result<Vec<usize>> {
    let Some(v) = v.filter(|d| !d.is_null()) else {
        return Ok(Vec::new());
    };
    let items = v.as_array().ok_or_else(|| invalid(path, "must be a list of technician ids"))?;
    let mut out: Vec<usize> = Vec::with_capacity(items.len());
    for (k, x) in items.iter().enumerate() {
        let ix = tech_ref(&format!("{path}[{k}]"), x, techs)?;
        if !out.contains(&ix) {
            out.push(ix);
        }
    }
    Ok(out)
}

/// One technician id: a non-empty string naming a known technician.
pub(super) fn tech_ref(path: &str, x: &Doc, techs: &HashMap<String, usize>) -> Result<usize> {
    let id = x
        .as_str()
        .filter(|s| !s.is_empty())
        .ok_or_else(|| invalid(path, "must be a technician id string"))?;
    techs
        .get(id)
        .copied()
        .ok_or_else(|| invalid(path, format!("unknown technician id {}", x.dumps())))
}

/// An optional free-text field: absent, `null` or a string.
pub(super) fn opt_string(path: &str, x: Option<&Doc>) -> Result<Option<String>> {
    match x.filter(|d| !d.is_null()) {
        None => Ok(None),
        Some(Doc::Str(s)) => Ok(Some(s.clone())),
        Some(_) => Err(invalid(path, "must be a string")),
    }
}

/// A unique, non-empty id; records it in `seen` with its index.
pub(super) fn unique_id(
    path: &str,
    what: &str,
    x: Option<&Doc>,
    index: usize,
    seen: &mut HashMap<String, usize>,
) -> Result<String> {
    let id = x
        .and_then(Doc::as_str)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| invalid(path, "missing or empty id (non-empty string required)"))?;
    if let Some(first) = seen.get(id) {
        let list = if what == "job" { "jobs" } else { "technicians" };
        return Err(invalid(
            path,
            format!(
                "duplicate {what} id {} (also {list}[{first}])",
                Doc::Str(id.to_owned()).dumps()
            ),
        ));
    }
    seen.insert(id.to_owned(), index);
    Ok(id.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_format_like_python() {
        assert_eq!(fmt_num(50400.0), "50400");
        assert_eq!(fmt_num(-3.0), "-3");
        assert_eq!(fmt_num(2.5), "2.5");
        assert_eq!(fmt_num(0.1234), "0.123");
        assert_eq!(fmt_num(1234567.5), "1.23457e+06");
        assert_eq!(fmt_num(1e20), "1e+20");
    }

    #[test]
    fn dates_are_real_calendar_days() {
        let d = |s: &str| date("date", Some(&Doc::Str(s.to_owned())));
        assert!(d("2026-02-28").is_ok());
        assert!(d("2028-02-29").is_ok());
        assert!(d("2026-02-30").is_err());
        assert!(d("0000-01-01").is_err());
        assert!(d("2026-13-01").is_err());
        assert!(d("2026-1-01").is_err());
        assert!(d("2026-01-01\n").is_err());
        assert!(d("+2026-01-1").is_err());
    }
}
