//! Rules for `technicians[i]`, in the checker's order.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::fields::{
    date, dumps, invalid, opt_string, optional_num, required_num, skills, unique_id, vector, window,
};
use super::travel::Space;
use crate::error::Result;
use crate::io::schema::{Doc, RawTech};
use crate::model::{Cost, TechKind};

/// Checked technicians with their id index and the first capacity seen (dims, path).
pub(super) struct Techs {
    /// Technicians in document order.
    pub list: Vec<RawTech>,
    /// Id -> index.
    pub index: HashMap<String, usize>,
    /// Number of capacity dimensions and the path that set it, if any technician has one.
    pub cap_dims: Option<(usize, String)>,
}

/// Checks the `technicians` list (non-empty).
pub(super) fn all(v: Option<&Doc>, space: Space) -> Result<Techs> {
    let items = v
        .and_then(Doc::as_array)
        .filter(|a| !a.is_empty())
        .ok_or_else(|| invalid("technicians", "must be a non-empty list"))?;
    let mut out =
        Techs { list: Vec::with_capacity(items.len()), index: HashMap::new(), cap_dims: None };
    for (i, t) in items.iter().enumerate() {
        let tech = one(&format!("technicians[{i}]"), i, t, space, &mut out)?;
        out.list.push(tech);
    }
    Ok(out)
}

/// Checks one technician at `p`.
fn one(p: &str, i: usize, t: &Doc, space: Space, acc: &mut Techs) -> Result<RawTech> {
    if t.as_object().is_none() {
        return Err(invalid(p, "must be an object"));
    }
    let id = unique_id(&format!("{p}.id"), "technician", t.get("id"), i, &mut acc.index)?;
    let start = match t.get("start") {
        None => return Err(invalid(format!("{p}.start"), "missing location")),
        Some(s) => space.location(&format!("{p}.start"), Some(s))?,
    };
    let end = match t.opt("end") {
        None => start,
        Some(e) => space.location(&format!("{p}.end"), Some(e))?,
    };
    let shift = match t.get("shift") {
        None => return Err(invalid(format!("{p}.shift"), "missing [start, end]")),
        Some(s) => window(&format!("{p}.shift"), Some(s))?,
    };
    let max_overtime =
        optional_num(&format!("{p}.max_overtime"), t.get("max_overtime"), Some(0.0))?;
    let skills = skills(&format!("{p}.skills"), t.get("skills"))?;
    let certs = certifications(p, t.opt("certifications"))?;
    let capacity = capacity(p, t.opt("capacity"), &mut acc.cap_dims)?;
    let max_jobs = max_jobs(p, t.opt("max_jobs"))?;
    let brk = brk(p, t.opt("break"))?;
    let cost = cost(p, t.opt("cost"))?;
    let rating = rating(p, t.opt("rating"))?;
    let kind = kind(p, t.opt("kind"))?;
    let team = opt_string(&format!("{p}.team"), t.get("team"))?;
    Ok(RawTech {
        id,
        start,
        end,
        shift,
        max_overtime: max_overtime.unwrap_or(0.0),
        skills,
        certs,
        capacity,
        max_jobs,
        brk,
        cost,
        rating,
        kind,
        team,
    })
}

/// `{name: "YYYY-MM-DD"}` (last valid day).
fn certifications(p: &str, c: Option<&Doc>) -> Result<Vec<(String, NaiveDate)>> {
    let Some(c) = c else {
        return Ok(Vec::new());
    };
    let members = c.as_object().ok_or_else(|| {
        invalid(format!("{p}.certifications"), "expected an object {name: \"YYYY-MM-DD\"}")
    })?;
    members
        .iter()
        .map(|(k, v)| Ok((k.clone(), date(&format!("{p}.certifications.{k}"), Some(v))?)))
        .collect()
}

/// Capacity vector; every technician with one must have the same number of dimensions.
fn capacity(
    p: &str,
    c: Option<&Doc>,
    dims: &mut Option<(usize, String)>,
) -> Result<Option<Vec<f64>>> {
    let Some(c) = c else {
        return Ok(None);
    };
    let path = format!("{p}.capacity");
    let cap = vector(&path, c)?;
    match dims {
        None => *dims = Some((cap.len(), p.to_owned())),
        Some((n, first)) if *n != cap.len() => {
            return Err(invalid(
                path,
                format!("has {} dimensions but {first}.capacity has {n}", cap.len()),
            ))
        }
        Some(_) => {}
    }
    Ok(Some(cap))
}

/// Integer `>= 0`.
fn max_jobs(p: &str, m: Option<&Doc>) -> Result<Option<usize>> {
    let Some(m) = m else {
        return Ok(None);
    };
    m.as_int().and_then(|x| usize::try_from(x).ok()).map(Some).ok_or_else(|| {
        invalid(format!("{p}.max_jobs"), format!("must be an integer >= 0, got {}", m.dumps()))
    })
}

/// `{"window": [a, b], "duration": d}` -> (a, b, d).
fn brk(p: &str, b: Option<&Doc>) -> Result<Option<(f64, f64, f64)>> {
    let Some(b) = b else {
        return Ok(None);
    };
    if b.as_object().is_none() {
        return Err(invalid(format!("{p}.break"), "must be an object {window, duration}"));
    }
    let (a, z) = match b.get("window") {
        None => return Err(invalid(format!("{p}.break.window"), "missing [start, end]")),
        Some(w) => window(&format!("{p}.break.window"), Some(w))?,
    };
    let d = required_num(&format!("{p}.break.duration"), b.get("duration"), Some(0.0))?;
    Ok(Some((a, z, d)))
}

/// `{"fixed", "per_hour", "per_km"}`, each optional and `>= 0`.
fn cost(p: &str, c: Option<&Doc>) -> Result<Cost> {
    let Some(c) = c else {
        return Ok(Cost::default());
    };
    if c.as_object().is_none() {
        return Err(invalid(format!("{p}.cost"), "must be an object {fixed, per_hour, per_km}"));
    }
    let part = |k: &str| -> Result<f64> {
        Ok(optional_num(&format!("{p}.cost.{k}"), c.get(k), Some(0.0))?.unwrap_or(0.0))
    };
    Ok(Cost { fixed: part("fixed")?, per_hour: part("per_hour")?, per_km: part("per_km")? })
}

/// A number in 0..=5.
fn rating(p: &str, r: Option<&Doc>) -> Result<Option<f64>> {
    let Some(r) = r else {
        return Ok(None);
    };
    r.as_f64().filter(|x| (0.0..=5.0).contains(x)).map(Some).ok_or_else(|| {
        invalid(format!("{p}.rating"), format!("must be a number in 0..5, got {}", r.dumps()))
    })
}

/// `"employee"` (default) or `"contractor"`.
fn kind(p: &str, k: Option<&Doc>) -> Result<TechKind> {
    match k.map(|d| d.as_str()) {
        None => Ok(TechKind::Employee),
        Some(Some("employee")) => Ok(TechKind::Employee),
        Some(Some("contractor")) => Ok(TechKind::Contractor),
        Some(_) => Err(invalid(
            format!("{p}.kind"),
            format!("must be \"employee\" or \"contractor\", got {}", dumps(k)),
        )),
    }
}
