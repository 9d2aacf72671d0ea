//! Rules for `jobs[i]`, in the checker's order.

use std::collections::HashMap;

use super::fields::{
    id_list, invalid, opt_string, optional_num, required_num, skills, tech_ref, unique_id, vector,
    window,
};
use super::technician::Techs;
use super::travel::Space;
use crate::error::Result;
use crate::io::schema::{Doc, RawJob};

/// State carried from job to job: ids seen and the first demand's dimensions.
struct Acc<'a> {
    techs: &'a Techs,
    space: Space,
    ids: HashMap<String, usize>,
    dem_dims: Option<(usize, String)>,
}

/// Checks the `jobs` list (absent = empty; `null` or a non-list is an error).
pub(super) fn all(v: Option<&Doc>, space: Space, techs: &Techs) -> Result<Vec<RawJob>> {
    let items = match v {
        None => return Ok(Vec::new()),
        Some(d) => d.as_array().ok_or_else(|| invalid("jobs", "must be a list"))?,
    };
    let pairs = items.len().saturating_mul(techs.list.len());
    if pairs > crate::matching::MAX_PAIRS {
        return Err(invalid(
            "jobs",
            format!(
                "{} jobs x {} technicians = {pairs} pairs is over the limit of {} pairs (the \
                 eligibility table holds one entry per pair); split the problem by region or team",
                items.len(),
                techs.list.len(),
                crate::matching::MAX_PAIRS
            ),
        ));
    }
    let mut acc = Acc { techs, space, ids: HashMap::new(), dem_dims: None };
    items.iter().enumerate().map(|(i, j)| one(&format!("jobs[{i}]"), i, j, &mut acc)).collect()
}

/// Checks one job at `p`.
fn one(p: &str, i: usize, j: &Doc, acc: &mut Acc) -> Result<RawJob> {
    if j.as_object().is_none() {
        return Err(invalid(p, "must be an object"));
    }
    let id = unique_id(&format!("{p}.id"), "job", j.get("id"), i, &mut acc.ids)?;
    let customer = opt_string(&format!("{p}.customer"), j.get("customer"))?;
    let loc = match j.get("location") {
        None => return Err(invalid(format!("{p}.location"), "missing")),
        Some(l) => acc.space.location(&format!("{p}.location"), Some(l))?,
    };
    let duration = required_num(&format!("{p}.duration"), j.get("duration"), Some(0.0))?;
    let windows = windows(p, j.opt("time_windows"))?;
    let skills = skills(&format!("{p}.skills"), j.get("skills"))?;
    let certs = certifications(p, j.opt("certifications"))?;
    let demand = demand(p, j.opt("demand"), acc)?;
    let priority = priority(p, j.opt("priority"))?;
    let techs = &acc.techs.index;
    let preferred =
        id_list(&format!("{p}.preferred_technicians"), j.get("preferred_technicians"), techs)?;
    let excluded =
        id_list(&format!("{p}.excluded_technicians"), j.get("excluded_technicians"), techs)?;
    let pinned = pinned(p, j.opt("pinned_technician"), &excluded, acc.techs)?;
    let unassigned_cost =
        optional_num(&format!("{p}.unassigned_cost"), j.get("unassigned_cost"), Some(0.0))?;
    let kind = opt_string(&format!("{p}.kind"), j.get("kind"))?;
    Ok(RawJob {
        id,
        customer,
        loc,
        duration,
        windows,
        skills,
        certs,
        demand,
        priority,
        unassigned_cost,
        preferred,
        excluded,
        pinned,
        kind,
    })
}

/// A non-empty list of windows, returned sorted by (start, end).
fn windows(p: &str, tw: Option<&Doc>) -> Result<Option<Vec<(f64, f64)>>> {
    let Some(tw) = tw else {
        return Ok(None);
    };
    let path = format!("{p}.time_windows");
    let items = tw.as_array().ok_or_else(|| invalid(&path, "must be a list of [start, end]"))?;
    if items.is_empty() {
        return Err(invalid(path, "is empty (omit it for 'any time')"));
    }
    let mut ws = items
        .iter()
        .enumerate()
        .map(|(k, w)| window(&format!("{path}[{k}]"), Some(w)))
        .collect::<Result<Vec<_>>>()?;
    ws.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    Ok(Some(ws))
}

/// A list of non-empty certification names.
fn certifications(p: &str, c: Option<&Doc>) -> Result<Vec<String>> {
    let Some(c) = c else {
        return Ok(Vec::new());
    };
    let items = c
        .as_array()
        .ok_or_else(|| invalid(format!("{p}.certifications"), "must be a list of names"))?;
    items
        .iter()
        .enumerate()
        .map(|(k, v)| match v.as_str() {
            Some(s) if !s.is_empty() => Ok(s.to_owned()),
            _ => Err(invalid(format!("{p}.certifications[{k}]"), "must be a non-empty string")),
        })
        .collect()
}

/// Demand vector: same dimensions as the first job demand and as technician capacity.
fn demand(p: &str, d: Option<&Doc>, acc: &mut Acc) -> Result<Option<Vec<f64>>> {
    let Some(d) = d else {
        return Ok(None);
    };
    let path = format!("{p}.demand");
    let dem = vector(&path, d)?;
    let n = dem.len();
    match &acc.dem_dims {
        None => acc.dem_dims = Some((n, p.to_owned())),
        Some((m, first)) if *m != n => {
            return Err(invalid(path, format!("has {n} dimensions but {first}.demand has {m}")))
        }
        Some(_) => {}
    }
    if let Some((m, tp)) = acc.techs.cap_dims.as_ref().filter(|(m, _)| *m != n) {
        return Err(invalid(
            path,
            format!("has {n} dimensions but technician capacity ({tp}.capacity) has {m}"),
        ));
    }
    Ok(Some(dem))
}

/// Integer `>= 0` (and at most `u32::MAX`), default 1.
fn priority(p: &str, x: Option<&Doc>) -> Result<u32> {
    let Some(x) = x else {
        return Ok(1);
    };
    let path = format!("{p}.priority");
    match x.as_int() {
        Some(v) if v >= 0 => u32::try_from(v)
            .map_err(|_| invalid(path, format!("must be an integer <= {}, got {v}", u32::MAX))),
        _ => Err(invalid(path, format!("must be an integer >= 0, got {}", x.dumps()))),
    }
}

/// A known technician id that is not also excluded.
fn pinned(p: &str, x: Option<&Doc>, excluded: &[usize], techs: &Techs) -> Result<Option<usize>> {
    let Some(x) = x else {
        return Ok(None);
    };
    let path = format!("{p}.pinned_technician");
    let ix = tech_ref(&path, x, &techs.index)?;
    if excluded.contains(&ix) {
        return Err(invalid(path, format!("technician {} is both pinned and excluded", x.dumps())));
    }
    Ok(Some(ix))
}
