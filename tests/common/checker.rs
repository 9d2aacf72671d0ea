//! An independent plan checker, written from `../shared/spec/problem-format.md` alone.
//!
//! It shares no code with the crate (no `fieldopt::` anywhere in this file): the problem and
//! the plan come in as `serde_json::Value`, every route is re-scheduled from its stop sequence
//! exactly as the spec's "Feasibility" section says, every hard rule is checked with the
//! spec's 1e-6 relative tolerance, and the spec's KPIs are recomputed.
//!
//! Violations are strings of the form `"<type>: <where>: <message>"`; the types are the same
//! words `check_plan.py` uses (`skill`, `certification`, `excluded`, `pinned`, `time_window`,
//! `break_not_allowed`, `break_extra`, `break_window`, `break_missing`, `capacity`,
//! `max_jobs`, `shift_end`, `unknown_technician`, `duplicate_technician`, `unknown_job`,
//! `duplicate_job`, `missing_job`) plus `structure` for a malformed plan and
//! `invalid_problem` for a problem this checker cannot read.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write;
use std::path::PathBuf;
use std::process::Command;

use serde_json::{json, Map, Value};

/// Relative tolerance of the spec.
pub const TOL: f64 = 1e-6;
/// Sphere radius of the spec's haversine, metres.
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// `a <= b` with the spec's tolerance: accepted when `a <= b + 1e-6 * max(1, |b|)`.
pub fn le(a: f64, b: f64) -> bool {
    a <= b + TOL * b.abs().max(1.0)
}

/// `a == b` with the spec's tolerance.
pub fn approx(a: f64, b: f64) -> bool {
    (a - b).abs() <= TOL * a.abs().max(b.abs()).max(1.0)
}

// ---------------------------------------------------------------------------------------------
// Dates (proleptic Gregorian day numbers, H. Hinnant's algorithms)
// ---------------------------------------------------------------------------------------------

/// Days since 1970-01-01 of a civil date.
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Civil date of a day number (inverse of [`days_from_civil`]).
pub fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

/// Parses `YYYY-MM-DD` (strictly) into a day number.
pub fn parse_date(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let t = &s[r];
        if t.bytes().all(|c| c.is_ascii_digit()) {
            t.parse().ok()
        } else {
            None
        }
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let mdays = [31, if is_leap(y) { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if !(1..=12).contains(&m) || d < 1 || d > mdays[(m - 1) as usize] {
        return None;
    }
    Some(days_from_civil(y, m, d))
}

/// Formats a day number as `YYYY-MM-DD`.
pub fn format_date(z: i64) -> String {
    let (y, m, d) = civil_from_days(z);
    format!("{y:04}-{m:02}-{d:02}")
}

// ---------------------------------------------------------------------------------------------
// Travel
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy)]
enum Loc {
    /// Radians.
    Geo {
        lat: f64,
        lon: f64,
    },
    Xy {
        x: f64,
        y: f64,
    },
    Idx(usize),
}

#[derive(Debug, Clone)]
enum TravelModel {
    Haversine {
        speed_ms: f64,
        detour: f64,
    },
    Euclidean {
        speed: f64,
    },
    Matrix {
        durations: Vec<Vec<f64>>,
        distances: Option<Vec<Vec<f64>>>,
    },
    /// `road_graph` with inline nodes and edges (CSV files are not read here): nodes in
    /// radians, out-edges (to, seconds, metres) per node.
    Road {
        nodes: Vec<(f64, f64)>,
        adj: Vec<Vec<(usize, f64, f64)>>,
    },
}

/// Great-circle metres between two (lat, lon) points in radians.
fn great_circle(la1: f64, lo1: f64, la2: f64, lo2: f64) -> f64 {
    let s1 = ((la2 - la1) / 2.0).sin();
    let s2 = ((lo2 - lo1) / 2.0).sin();
    let h = (s1 * s1 + la1.cos() * la2.cos() * s2 * s2).min(1.0);
    2.0 * EARTH_RADIUS_M * h.sqrt().asin()
}

/// The road-graph rules of the extended spec (docs/problem-format.md): a location is
/// served from its nearest node (lowest index on a tie); a leg costs the fastest path,
/// the shortest of the fastest on a tie; no path = infinite.
fn road_leg(
    nodes: &[(f64, f64)],
    adj: &[Vec<(usize, f64, f64)>],
    a: (f64, f64),
    b: (f64, f64),
) -> (f64, f64) {
    let snap = |p: (f64, f64)| {
        let mut best = (f64::INFINITY, 0usize);
        for (i, n) in nodes.iter().enumerate() {
            let d = great_circle(p.0, p.1, n.0, n.1);
            if d < best.0 {
                best = (d, i);
            }
        }
        best.1
    };
    let (s, t) = (snap(a), snap(b));
    // Plain O(V^2) Dijkstra on (seconds, metres) pairs, lexicographic.
    let n = nodes.len();
    let mut dist = vec![(f64::INFINITY, f64::INFINITY); n];
    let mut done = vec![false; n];
    dist[s] = (0.0, 0.0);
    loop {
        let mut u = None;
        for v in 0..n {
            if !done[v] && dist[v].0.is_finite() && u.is_none_or(|w: usize| dist[v] < dist[w]) {
                u = Some(v);
            }
        }
        let Some(u) = u else { break };
        done[u] = true;
        for &(v, sec, m) in &adj[u] {
            let c = (dist[u].0 + sec, dist[u].1 + m);
            if c < dist[v] {
                dist[v] = c;
            }
        }
    }
    dist[t]
}

fn num(v: &Value, path: &str) -> Result<f64, String> {
    v.as_f64()
        .filter(|x| x.is_finite())
        .ok_or_else(|| format!("{path}: expected a number, got {v}"))
}

fn opt_num(v: Option<&Value>, path: &str, default: f64) -> Result<f64, String> {
    match v {
        None | Some(Value::Null) => Ok(default),
        Some(x) => num(x, path),
    }
}

fn matrix(v: &Value, path: &str) -> Result<Vec<Vec<f64>>, String> {
    let rows = v.as_array().ok_or_else(|| format!("{path}: expected a list of lists"))?;
    let n = rows.len();
    let mut out = Vec::with_capacity(n);
    for (i, r) in rows.iter().enumerate() {
        let r = r.as_array().ok_or_else(|| format!("{path}[{i}]: expected a list"))?;
        if r.len() != n {
            return Err(format!("{path}[{i}]: not square"));
        }
        out.push(
            r.iter()
                .enumerate()
                .map(|(j, x)| num(x, &format!("{path}[{i}][{j}]")))
                .collect::<Result<Vec<_>, _>>()?,
        );
    }
    Ok(out)
}

impl TravelModel {
    fn from_json(t: &Value) -> Result<TravelModel, String> {
        match t.get("kind").and_then(Value::as_str) {
            Some("haversine") => Ok(TravelModel::Haversine {
                speed_ms: num(t.get("speed_kmh").unwrap_or(&Value::Null), "travel.speed_kmh")?
                    / 3.6,
                detour: opt_num(t.get("detour_factor"), "travel.detour_factor", 1.0)?,
            }),
            Some("euclidean") => {
                Ok(TravelModel::Euclidean { speed: opt_num(t.get("speed"), "travel.speed", 1.0)? })
            }
            Some("matrix") => {
                let durations =
                    matrix(t.get("durations").unwrap_or(&Value::Null), "travel.durations")?;
                let distances = match t.get("distances") {
                    None | Some(Value::Null) => None,
                    Some(d) => {
                        let d = matrix(d, "travel.distances")?;
                        if d.len() != durations.len() {
                            return Err("travel.distances: size differs from durations".into());
                        }
                        Some(d)
                    }
                };
                Ok(TravelModel::Matrix { durations, distances })
            }
            Some("road_graph") => {
                let list = |k: &str| {
                    t.get(k).and_then(Value::as_array).ok_or_else(|| {
                        format!("travel.{k}: this checker reads inline road graphs only")
                    })
                };
                let id = |v: Option<&Value>| match v {
                    Some(Value::String(s)) => s.clone(),
                    Some(x) => x.to_string(),
                    None => String::new(),
                };
                let mut index = HashMap::new();
                let mut nodes = Vec::new();
                for (i, n) in list("nodes")?.iter().enumerate() {
                    let p = format!("travel.nodes[{i}]");
                    let lat = num(n.get("lat").unwrap_or(&Value::Null), &format!("{p}.lat"))?;
                    let lon = num(n.get("lon").unwrap_or(&Value::Null), &format!("{p}.lon"))?;
                    index.insert(id(n.get("id")), nodes.len());
                    nodes.push((lat.to_radians(), lon.to_radians()));
                }
                let both = t.get("bidirectional").and_then(Value::as_bool).unwrap_or(false);
                let mut adj = vec![Vec::new(); nodes.len()];
                for (i, e) in list("edges")?.iter().enumerate() {
                    let p = format!("travel.edges[{i}]");
                    let end = |k: &str| {
                        index
                            .get(&id(e.get(k)))
                            .copied()
                            .ok_or_else(|| format!("{p}.{k}: unknown node"))
                    };
                    let (a, b) = (end("from")?, end("to")?);
                    let sec =
                        num(e.get("seconds").unwrap_or(&Value::Null), &format!("{p}.seconds"))?;
                    let m = num(e.get("metres").unwrap_or(&Value::Null), &format!("{p}.metres"))?;
                    adj[a].push((b, sec, m));
                    if both {
                        adj[b].push((a, sec, m));
                    }
                }
                Ok(TravelModel::Road { nodes, adj })
            }
            _ => Err(format!("travel.kind: unknown {}", t.get("kind").unwrap_or(&Value::Null))),
        }
    }

    fn loc(&self, v: &Value, path: &str) -> Result<Loc, String> {
        match self {
            TravelModel::Haversine { .. } | TravelModel::Road { .. } => {
                let lat = num(v.get("lat").unwrap_or(&Value::Null), &format!("{path}.lat"))?;
                let lon = num(v.get("lon").unwrap_or(&Value::Null), &format!("{path}.lon"))?;
                Ok(Loc::Geo { lat: lat.to_radians(), lon: lon.to_radians() })
            }
            TravelModel::Euclidean { .. } => Ok(Loc::Xy {
                x: num(v.get("x").unwrap_or(&Value::Null), &format!("{path}.x"))?,
                y: num(v.get("y").unwrap_or(&Value::Null), &format!("{path}.y"))?,
            }),
            TravelModel::Matrix { durations, .. } => {
                let i =
                    v.as_u64().ok_or_else(|| format!("{path}: expected a matrix index"))? as usize;
                if i >= durations.len() {
                    return Err(format!("{path}: index {i} out of range"));
                }
                Ok(Loc::Idx(i))
            }
        }
    }

    /// (time, distance) from `a` to `b`.
    fn leg(&self, a: Loc, b: Loc) -> (f64, f64) {
        match (self, a, b) {
            (
                TravelModel::Haversine { speed_ms, detour },
                Loc::Geo { lat: la1, lon: lo1 },
                Loc::Geo { lat: la2, lon: lo2 },
            ) => {
                let s1 = ((la2 - la1) / 2.0).sin();
                let s2 = ((lo2 - lo1) / 2.0).sin();
                let h = (s1 * s1 + la1.cos() * la2.cos() * s2 * s2).min(1.0);
                let dist = 2.0 * EARTH_RADIUS_M * h.sqrt().asin() * detour;
                (dist / speed_ms, dist)
            }
            (
                TravelModel::Euclidean { speed },
                Loc::Xy { x: x1, y: y1 },
                Loc::Xy { x: x2, y: y2 },
            ) => {
                let dist = ((x2 - x1).powi(2) + (y2 - y1).powi(2)).sqrt();
                (dist / speed, dist)
            }
            (TravelModel::Matrix { durations, distances }, Loc::Idx(i), Loc::Idx(j)) => {
                let t = durations[i][j];
                (t, distances.as_ref().map_or(t, |d| d[i][j]))
            }
            (
                TravelModel::Road { nodes, adj },
                Loc::Geo { lat: la1, lon: lo1 },
                Loc::Geo { lat: la2, lon: lo2 },
            ) => road_leg(nodes, adj, (la1, lo1), (la2, lo2)),
            _ => unreachable!("location kinds are checked on parsing"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Problem
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct Tech {
    id: String,
    start: Loc,
    end: Loc,
    shift: (f64, f64),
    max_ot: f64,
    skills: HashMap<String, i64>,
    certs: HashMap<String, i64>,
    capacity: Option<Vec<f64>>,
    max_jobs: Option<u64>,
    brk: Option<(f64, f64, f64)>,
    cost: (f64, f64, f64),
}

#[derive(Debug, Clone)]
struct Job {
    id: String,
    loc: Loc,
    duration: f64,
    windows: Option<Vec<(f64, f64)>>,
    skills: Vec<(String, i64)>,
    certs: Vec<String>,
    demand: Option<Vec<f64>>,
    priority: u64,
    ucost: f64,
    preferred: HashSet<String>,
    excluded: HashSet<String>,
    pinned: Option<String>,
}

struct Prob {
    date: i64,
    travel: TravelModel,
    techs: Vec<Tech>,
    jobs: Vec<Job>,
}

fn window(v: &Value, path: &str) -> Result<(f64, f64), String> {
    let a = v.as_array().filter(|a| a.len() == 2).ok_or_else(|| format!("{path}: not [a, b]"))?;
    let (s, e) = (num(&a[0], path)?, num(&a[1], path)?);
    if s > e {
        return Err(format!("{path}: start {s} is after end {e}"));
    }
    Ok((s, e))
}

fn str_list(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

fn num_list(v: Option<&Value>, path: &str) -> Result<Option<Vec<f64>>, String> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(a)) => {
            Ok(Some(a.iter().map(|x| num(x, path)).collect::<Result<Vec<_>, _>>()?))
        }
        Some(_) => Err(format!("{path}: expected a list of numbers")),
    }
}

fn parse_problem(doc: &Value) -> Result<Prob, String> {
    let date = doc
        .get("date")
        .and_then(Value::as_str)
        .and_then(parse_date)
        .ok_or("date: missing or not YYYY-MM-DD")?;
    let travel = TravelModel::from_json(doc.get("travel").unwrap_or(&Value::Null))?;
    let mut techs = Vec::new();
    for (i, t) in
        doc.get("technicians").and_then(Value::as_array).ok_or("technicians")?.iter().enumerate()
    {
        let p = format!("technicians[{i}]");
        let id = t.get("id").and_then(Value::as_str).ok_or(format!("{p}.id"))?.to_string();
        let start = travel.loc(t.get("start").unwrap_or(&Value::Null), &format!("{p}.start"))?;
        let end = match t.get("end") {
            None | Some(Value::Null) => start,
            Some(e) => travel.loc(e, &format!("{p}.end"))?,
        };
        let shift = window(t.get("shift").unwrap_or(&Value::Null), &format!("{p}.shift"))?;
        let max_ot = opt_num(t.get("max_overtime"), &format!("{p}.max_overtime"), 0.0)?;
        let skills = t
            .get("skills")
            .and_then(Value::as_object)
            .map(|m| m.iter().map(|(k, v)| (k.clone(), v.as_i64().unwrap_or(0))).collect())
            .unwrap_or_default();
        let mut certs = HashMap::new();
        if let Some(m) = t.get("certifications").and_then(Value::as_object) {
            for (k, v) in m {
                let d = v
                    .as_str()
                    .and_then(parse_date)
                    .ok_or(format!("{p}.certifications.{k}: not a date"))?;
                certs.insert(k.clone(), d);
            }
        }
        let capacity = num_list(t.get("capacity"), &format!("{p}.capacity"))?;
        let max_jobs = match t.get("max_jobs") {
            None | Some(Value::Null) => None,
            Some(v) => Some(v.as_u64().ok_or(format!("{p}.max_jobs"))?),
        };
        let brk = match t.get("break") {
            None | Some(Value::Null) => None,
            Some(b) => {
                let w =
                    window(b.get("window").unwrap_or(&Value::Null), &format!("{p}.break.window"))?;
                let d =
                    num(b.get("duration").unwrap_or(&Value::Null), &format!("{p}.break.duration"))?;
                Some((w.0, w.1, d))
            }
        };
        let cost = match t.get("cost") {
            None | Some(Value::Null) => (0.0, 0.0, 0.0),
            Some(c) => (
                opt_num(c.get("fixed"), "cost.fixed", 0.0)?,
                opt_num(c.get("per_hour"), "cost.per_hour", 0.0)?,
                opt_num(c.get("per_km"), "cost.per_km", 0.0)?,
            ),
        };
        techs.push(Tech {
            id,
            start,
            end,
            shift,
            max_ot,
            skills,
            certs,
            capacity,
            max_jobs,
            brk,
            cost,
        });
    }
    if techs.is_empty() {
        return Err("technicians: empty".into());
    }
    let mut jobs = Vec::new();
    let empty = Vec::new();
    let jobs_raw = match doc.get("jobs") {
        None | Some(Value::Null) => &empty,
        Some(j) => j.as_array().ok_or("jobs: not a list")?,
    };
    for (i, j) in jobs_raw.iter().enumerate() {
        let p = format!("jobs[{i}]");
        let id = j.get("id").and_then(Value::as_str).ok_or(format!("{p}.id"))?.to_string();
        let loc =
            travel.loc(j.get("location").unwrap_or(&Value::Null), &format!("{p}.location"))?;
        let duration = num(j.get("duration").unwrap_or(&Value::Null), &format!("{p}.duration"))?;
        let windows = match j.get("time_windows") {
            None | Some(Value::Null) => None,
            Some(Value::Array(a)) if !a.is_empty() => Some(
                a.iter()
                    .enumerate()
                    .map(|(k, w)| window(w, &format!("{p}.time_windows[{k}]")))
                    .collect::<Result<Vec<_>, _>>()?,
            ),
            Some(_) => return Err(format!("{p}.time_windows: not a non-empty list")),
        };
        let skills = j
            .get("skills")
            .and_then(Value::as_object)
            .map(|m| m.iter().map(|(k, v)| (k.clone(), v.as_i64().unwrap_or(0))).collect())
            .unwrap_or_default();
        let priority = match j.get("priority") {
            None | Some(Value::Null) => 1,
            Some(v) => v.as_u64().ok_or(format!("{p}.priority"))?,
        };
        jobs.push(Job {
            id,
            loc,
            duration,
            windows,
            skills,
            certs: str_list(j.get("certifications")),
            demand: num_list(j.get("demand"), &format!("{p}.demand"))?,
            priority,
            ucost: opt_num(j.get("unassigned_cost"), &format!("{p}.unassigned_cost"), 0.0)?,
            preferred: str_list(j.get("preferred_technicians")).into_iter().collect(),
            excluded: str_list(j.get("excluded_technicians")).into_iter().collect(),
            pinned: j.get("pinned_technician").and_then(Value::as_str).map(str::to_string),
        });
    }
    Ok(Prob { date, travel, techs, jobs })
}

// ---------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------

/// The spec's KPIs (over used technicians = routes with at least one job).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Kpis {
    pub jobs: usize,
    pub assigned: usize,
    pub unassigned: usize,
    pub priority_assigned: u64,
    pub priority_total: u64,
    pub technicians_used: usize,
    pub travel_time: f64,
    pub travel_distance: f64,
    pub work_time: f64,
    pub overtime: f64,
    pub labor_cost: f64,
    pub unassigned_cost: f64,
    pub preferred_rate: Option<f64>,
    pub overqualification: u64,
    pub workload_spread: f64,
}

impl Kpis {
    /// As a JSON object with the spec's names.
    pub fn to_map(&self) -> Map<String, Value> {
        let v = json!({
            "jobs": self.jobs, "assigned": self.assigned, "unassigned": self.unassigned,
            "priority_assigned": self.priority_assigned, "priority_total": self.priority_total,
            "technicians_used": self.technicians_used, "travel_time": self.travel_time,
            "travel_distance": self.travel_distance, "work_time": self.work_time,
            "overtime": self.overtime, "labor_cost": self.labor_cost,
            "unassigned_cost": self.unassigned_cost, "preferred_rate": self.preferred_rate,
            "overqualification": self.overqualification, "workload_spread": self.workload_spread,
        });
        match v {
            Value::Object(m) => m,
            _ => unreachable!(),
        }
    }

    /// Differences against another KPI object (engine's or the Python checker's), with the
    /// spec's relative tolerance on floats. Keys missing in `other` are reported.
    pub fn diff(&self, other: &Value, tol: f64) -> Vec<String> {
        let mut out = Vec::new();
        for (k, mine) in self.to_map() {
            let Some(theirs) = other.get(&k) else {
                out.push(format!("{k}: missing (checker says {mine})"));
                continue;
            };
            let same = match (&mine, theirs) {
                (Value::Null, Value::Null) => true,
                (Value::Null, _) | (_, Value::Null) => false,
                (a, b) => match (a.as_f64(), b.as_f64()) {
                    (Some(a), Some(b)) => (a - b).abs() <= tol * a.abs().max(b.abs()).max(1.0),
                    _ => false,
                },
            };
            if !same {
                out.push(format!("{k}: other {theirs}, checker {mine}"));
            }
        }
        out
    }
}

/// One stop of a recomputed route.
#[derive(Debug, Clone, PartialEq)]
pub struct StopTimes {
    /// Job id, `None` for a break.
    pub job: Option<String>,
    pub arrival: f64,
    pub start: f64,
    pub end: f64,
}

/// The recomputed schedule of one route.
#[derive(Debug, Clone, PartialEq)]
pub struct RouteTimes {
    pub technician: String,
    pub stops: Vec<StopTimes>,
    /// Return time at `end` (shift[0] for a route without jobs).
    pub back: f64,
}

/// What [`check`] finds.
#[derive(Debug, Clone, Default)]
pub struct CheckReport {
    /// Hard-rule violations; empty = feasible.
    pub violations: Vec<String>,
    /// Plan times that differ from the recomputed schedule (not violations per the spec).
    pub warnings: Vec<String>,
    /// Plan times that contradict themselves or the problem (end != start + duration, start
    /// outside every window, time going backwards, missing times). Not spec violations, but
    /// a plan document should not contain them.
    pub inconsistencies: Vec<String>,
    /// The spec's KPIs.
    pub kpis: Kpis,
    /// Recomputed schedules, one per route of the plan, in plan order (known technicians).
    pub routes: Vec<RouteTimes>,
}

impl CheckReport {
    /// Violation types (the word before the first colon), sorted.
    pub fn violation_types(&self) -> Vec<String> {
        let mut v: Vec<String> =
            self.violations.iter().map(|s| s.split(':').next().unwrap_or("").to_string()).collect();
        v.sort();
        v
    }

    pub fn is_feasible(&self) -> bool {
        self.violations.is_empty()
    }
}

/// Earliest feasible service start when arriving at `arrival`, or None if every window is
/// closed: the earliest window whose end is not before the arrival.
fn service_start(windows: &Option<Vec<(f64, f64)>>, arrival: f64) -> Option<f64> {
    match windows {
        None => Some(arrival),
        Some(ws) => ws
            .iter()
            .filter(|w| le(arrival, w.1))
            .map(|w| if arrival < w.0 { w.0 } else { arrival })
            .min_by(|a, b| a.total_cmp(b)),
    }
}

fn plan_time(s: &Value, key: &str) -> Option<f64> {
    s.get(key).and_then(Value::as_f64)
}

/// Checks `plan` against `problem` (both JSON documents).
pub fn check(problem: &Value, plan: &Value) -> CheckReport {
    match Checker::new(problem) {
        Ok(c) => c.check(plan),
        Err(e) => {
            CheckReport { violations: vec![format!("invalid_problem: {e}")], ..Default::default() }
        }
    }
}

/// A problem parsed once, to check many plans against it.
pub struct Checker {
    prob: Prob,
}

impl Checker {
    /// Parses the problem document (`Err` if this checker cannot read it).
    pub fn new(problem: &Value) -> Result<Checker, String> {
        Ok(Checker { prob: parse_problem(problem)? })
    }

    /// Checks `plan` against the problem.
    pub fn check(&self, plan: &Value) -> CheckReport {
        check_parsed(&self.prob, plan)
    }
}

fn check_parsed(prob: &Prob, plan: &Value) -> CheckReport {
    let mut rep = CheckReport::default();
    let tech_index: HashMap<&str, usize> =
        prob.techs.iter().enumerate().map(|(i, t)| (t.id.as_str(), i)).collect();
    let job_index: HashMap<&str, usize> =
        prob.jobs.iter().enumerate().map(|(i, j)| (j.id.as_str(), i)).collect();
    let v = &mut rep.violations;
    let warn = &mut rep.warnings;
    let inc = &mut rep.inconsistencies;

    match plan.get("format").and_then(Value::as_str) {
        Some("fieldopt-plan/1") => {}
        other => v.push(format!("structure: plan.format is {other:?}, expected fieldopt-plan/1")),
    }
    let no_routes = Vec::new();
    let routes = match plan.get("routes") {
        Some(Value::Array(a)) => a,
        _ => {
            v.push("structure: plan.routes missing or not a list".into());
            &no_routes
        }
    };
    let unassigned = match plan.get("unassigned") {
        None | Some(Value::Null) => &no_routes,
        Some(Value::Array(a)) => a,
        Some(_) => {
            v.push("structure: plan.unassigned is not a list".into());
            &no_routes
        }
    };

    let mut seen_job: HashMap<String, String> = HashMap::new();
    let mut seen_tech: HashMap<String, usize> = HashMap::new();
    let mut assigned: HashSet<usize> = HashSet::new();
    let mut k = Kpis::default();
    let mut spans: Vec<f64> = Vec::new();
    let (mut pref_total, mut pref_ok) = (0u64, 0u64);

    for (ri, r) in routes.iter().enumerate() {
        let Some(tid) = r.get("technician").and_then(Value::as_str) else {
            v.push(format!("structure: routes[{ri}].technician missing or not a string"));
            continue;
        };
        let stops: &[Value] = match r.get("stops") {
            None | Some(Value::Null) => &[],
            Some(Value::Array(a)) => a,
            Some(_) => {
                v.push(format!("structure: routes[{ri}].stops is not a list"));
                continue;
            }
        };
        let ti = tech_index.get(tid).copied();
        let mut first_route_of_tech = false;
        if ti.is_none() {
            v.push(format!("unknown_technician: routes[{ri}]: unknown technician {tid:?}"));
        } else if let Some(prev) = seen_tech.get(tid) {
            v.push(format!("duplicate_technician: routes[{ri}]: {tid} already has routes[{prev}]"));
        } else {
            seen_tech.insert(tid.to_string(), ri);
            first_route_of_tech = true;
        }
        // Job bookkeeping over all routes.
        for (si, s) in stops.iter().enumerate() {
            if s.get("break").and_then(Value::as_bool) == Some(true) {
                continue;
            }
            match s.get("job").and_then(Value::as_str) {
                None => v.push(format!(
                    "structure: routes[{ri}].stops[{si}]: neither a job id nor \"break\": true"
                )),
                Some(jid) if !job_index.contains_key(jid) => {
                    v.push(format!("unknown_job: routes[{ri}].stops[{si}]: unknown job {jid:?}"))
                }
                Some(jid) => {
                    if let Some(first) = seen_job.get(jid) {
                        v.push(format!(
                            "duplicate_job: routes[{ri}].stops[{si}]: {jid} appears again (first at {first})"
                        ));
                    } else {
                        seen_job.insert(jid.to_string(), format!("routes[{ri}].stops[{si}]"));
                    }
                }
            }
        }
        let Some(ti) = ti else { continue };
        let t = &prob.techs[ti];
        let at = |si: usize| format!("routes[{ri}] ({tid}) stops[{si}]");

        let mut now = t.shift.0;
        let mut pos = t.start;
        let mut load = t.capacity.as_ref().map(|c| vec![0.0; c.len()]);
        let (mut n_breaks, mut n_jobs) = (0usize, 0u64);
        let (mut r_time, mut r_dist) = (0.0f64, 0.0f64);
        let (mut r_over, mut r_prio, mut r_pref_total, mut r_pref_ok) = (0u64, 0u64, 0u64, 0u64);
        let mut r_jobs: Vec<usize> = Vec::new();
        let mut times: Vec<StopTimes> = Vec::new();
        let mut prev_plan_end = t.shift.0;

        for (si, s) in stops.iter().enumerate() {
            let is_break = s.get("break").and_then(Value::as_bool) == Some(true);
            if is_break {
                n_breaks += 1;
                let Some((w0, w1, bd)) = t.brk else {
                    v.push(format!("break_not_allowed: {}: {tid} has no break", at(si)));
                    continue;
                };
                if n_breaks > 1 {
                    v.push(format!("break_extra: {}: more than one break stop", at(si)));
                }
                let bstart = if now > w0 { now } else { w0 };
                if !le(bstart, w1) {
                    v.push(format!(
                        "break_window: {}: break starts at {bstart}, after its window [{w0}, {w1}]",
                        at(si)
                    ));
                }
                // Plan-time checks.
                match (plan_time(s, "start"), plan_time(s, "end")) {
                    (Some(ps), Some(pe)) => {
                        if !approx(ps, bstart) {
                            warn.push(format!(
                                "{}: plan break start {ps}, recomputed {bstart}",
                                at(si)
                            ));
                        }
                        if !near(pe - ps, bd) {
                            inc.push(format!(
                                "{}: break end - start = {} != duration {bd}",
                                at(si),
                                pe - ps
                            ));
                        }
                        if !(near_le(w0, ps) && near_le(ps, w1)) {
                            inc.push(format!(
                                "{}: plan break start {ps} outside [{w0}, {w1}]",
                                at(si)
                            ));
                        }
                        if !near_le(prev_plan_end, ps) {
                            inc.push(format!("{}: break starts at {ps} before the previous stop ends at {prev_plan_end}", at(si)));
                        }
                        prev_plan_end = pe;
                    }
                    _ => inc.push(format!("{}: break stop without start/end", at(si))),
                }
                times.push(StopTimes { job: None, arrival: now, start: bstart, end: bstart + bd });
                now = bstart + bd;
                continue;
            }
            let Some(&ji) = s.get("job").and_then(Value::as_str).and_then(|j| job_index.get(j))
            else {
                continue; // unknown or malformed: already reported
            };
            let j = &prob.jobs[ji];
            n_jobs += 1;
            r_jobs.push(ji);
            let (tt, dd) = prob.travel.leg(pos, j.loc);
            r_time += tt;
            r_dist += dd;
            let arrival = now + tt;
            let start = match service_start(&j.windows, arrival) {
                Some(st) => st,
                None => {
                    v.push(format!(
                        "time_window: {} [{}]: arrival {arrival} is after the last window end (windows {:?})",
                        at(si),
                        j.id,
                        j.windows.as_ref().unwrap()
                    ));
                    arrival
                }
            };
            match (plan_time(s, "arrival"), plan_time(s, "start"), plan_time(s, "end")) {
                (Some(pa), Some(ps), Some(pe)) => {
                    if !approx(ps, start) {
                        warn.push(format!(
                            "{} [{}]: plan start {ps}, recomputed {start}",
                            at(si),
                            j.id
                        ));
                    }
                    if !approx(pa, arrival) {
                        warn.push(format!(
                            "{} [{}]: plan arrival {pa}, recomputed {arrival}",
                            at(si),
                            j.id
                        ));
                    }
                    if !near_le(pa, ps) {
                        inc.push(format!("{} [{}]: arrival {pa} after start {ps}", at(si), j.id));
                    }
                    if !near(pe - ps, j.duration) {
                        inc.push(format!(
                            "{} [{}]: end - start = {} != duration {}",
                            at(si),
                            j.id,
                            pe - ps,
                            j.duration
                        ));
                    }
                    if let Some(ws) = &j.windows {
                        if !ws.iter().any(|w| near_le(w.0, ps) && near_le(ps, w.1)) {
                            inc.push(format!(
                                "{} [{}]: plan start {ps} outside every window {ws:?}",
                                at(si),
                                j.id
                            ));
                        }
                    }
                    if !near_le(prev_plan_end, pa) {
                        inc.push(format!(
                            "{} [{}]: arrival {pa} before the previous stop ends at {prev_plan_end}",
                            at(si),
                            j.id
                        ));
                    }
                    prev_plan_end = pe;
                }
                _ => inc.push(format!("{} [{}]: job stop without arrival/start/end", at(si), j.id)),
            }
            times.push(StopTimes {
                job: Some(j.id.clone()),
                arrival,
                start,
                end: start + j.duration,
            });
            now = start + j.duration;
            pos = j.loc;

            for (sk, lvl) in &j.skills {
                let have = t.skills.get(sk).copied().unwrap_or(0);
                if have < *lvl {
                    v.push(format!(
                        "skill: {} [{}]: needs {sk} >= {lvl}, {tid} has {have}",
                        at(si),
                        j.id
                    ));
                } else {
                    r_over += (have - lvl) as u64;
                }
            }
            for c in &j.certs {
                match t.certs.get(c) {
                    None => v.push(format!(
                        "certification: {} [{}]: needs {c}, {tid} does not hold it",
                        at(si),
                        j.id
                    )),
                    Some(&exp) if exp < prob.date => v.push(format!(
                        "certification: {} [{}]: needs {c}, {tid}'s expired on {} (plan date {})",
                        at(si),
                        j.id,
                        format_date(exp),
                        format_date(prob.date)
                    )),
                    Some(_) => {}
                }
            }
            if j.excluded.contains(tid) {
                v.push(format!("excluded: {} [{}]: {tid} is excluded", at(si), j.id));
            }
            if let Some(pin) = &j.pinned {
                if pin != tid {
                    v.push(format!(
                        "pinned: {} [{}]: pinned to {pin}, assigned to {tid}",
                        at(si),
                        j.id
                    ));
                }
            }
            if let (Some(l), Some(d)) = (load.as_mut(), j.demand.as_ref()) {
                for (x, y) in l.iter_mut().zip(d) {
                    *x += y;
                }
            }
            if !j.preferred.is_empty() {
                r_pref_total += 1;
                if j.preferred.contains(tid) {
                    r_pref_ok += 1;
                }
            }
            r_prio += j.priority;
        }
        let back = if n_jobs > 0 {
            let (tt, dd) = prob.travel.leg(pos, t.end);
            r_time += tt;
            r_dist += dd;
            now + tt
        } else if n_breaks > 0 {
            now
        } else {
            t.shift.0
        };
        let limit = t.shift.1 + t.max_ot;
        if n_jobs > 0 && !le(back, limit) {
            v.push(format!(
                "shift_end: routes[{ri}] ({tid}): back at {back}, after shift end {} + max_overtime {} = {limit}",
                t.shift.1, t.max_ot
            ));
        }
        if let Some((w0, _, _)) = t.brk {
            if n_jobs > 0 && n_breaks == 0 && !le(back, w0) {
                v.push(format!(
                    "break_missing: routes[{ri}] ({tid}): works until {back}, past the break window start {w0}, without a break"
                ));
            }
        }
        if let (Some(l), Some(c)) = (load.as_ref(), t.capacity.as_ref()) {
            for (d, (x, cap)) in l.iter().zip(c).enumerate() {
                if !le(*x, *cap) {
                    v.push(format!("capacity: routes[{ri}] ({tid}): load {x} > capacity {cap} in dimension {d}"));
                }
            }
        }
        if let Some(mj) = t.max_jobs {
            if n_jobs > mj {
                v.push(format!("max_jobs: routes[{ri}] ({tid}): {n_jobs} jobs > max_jobs {mj}"));
            }
        }
        if n_jobs > 0 && first_route_of_tech {
            let span = back - t.shift.0;
            spans.push(span);
            k.travel_time += r_time;
            k.travel_distance += r_dist;
            k.work_time += span;
            k.overtime += (back - t.shift.1).max(0.0);
            k.labor_cost += t.cost.0 + t.cost.1 * span / 3600.0 + t.cost.2 * r_dist / 1000.0;
            k.overqualification += r_over;
            pref_total += r_pref_total;
            pref_ok += r_pref_ok;
            let _ = r_prio;
            for ji in r_jobs {
                if assigned.insert(ji) {
                    k.priority_assigned += prob.jobs[ji].priority;
                }
            }
        }
        rep.routes.push(RouteTimes { technician: tid.to_string(), stops: times, back });
    }

    for (ui, u) in unassigned.iter().enumerate() {
        let Some(jid) = u.get("job").and_then(Value::as_str) else {
            v.push(format!("structure: unassigned[{ui}].job missing or not a string"));
            continue;
        };
        if !job_index.contains_key(jid) {
            v.push(format!("unknown_job: unassigned[{ui}]: unknown job {jid:?}"));
        } else if let Some(first) = seen_job.get(jid) {
            v.push(format!("duplicate_job: unassigned[{ui}]: {jid} already appears at {first}"));
        } else {
            seen_job.insert(jid.to_string(), format!("unassigned[{ui}]"));
        }
    }
    for j in &prob.jobs {
        if !seen_job.contains_key(&j.id) {
            v.push(format!("missing_job: {} appears neither in a route nor in unassigned", j.id));
        }
    }

    k.jobs = prob.jobs.len();
    k.assigned = assigned.len();
    k.unassigned = k.jobs - k.assigned;
    k.priority_total = prob.jobs.iter().map(|j| j.priority).sum();
    k.technicians_used = spans.len();
    k.unassigned_cost = prob
        .jobs
        .iter()
        .enumerate()
        .filter(|(i, _)| !assigned.contains(i))
        .map(|(_, j)| j.ucost)
        .sum();
    k.preferred_rate = if pref_total > 0 { Some(pref_ok as f64 / pref_total as f64) } else { None };
    k.workload_spread = if spans.is_empty() {
        0.0
    } else {
        spans.iter().cloned().fold(f64::MIN, f64::max)
            - spans.iter().cloned().fold(f64::MAX, f64::min)
    };
    rep.kpis = k;
    rep
}

/// Loose comparisons for plan-written times (engine rounding to 1e-3 is tolerated).
fn near(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-3 + TOL * a.abs().max(b.abs())
}
fn near_le(a: f64, b: f64) -> bool {
    a <= b + 1e-3 + TOL * b.abs().max(1.0)
}

/// Counts job ids in a plan: id -> number of appearances in routes and unassigned.
pub fn job_appearances(plan: &Value) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for r in plan.get("routes").and_then(Value::as_array).into_iter().flatten() {
        for s in r.get("stops").and_then(Value::as_array).into_iter().flatten() {
            if let Some(j) = s.get("job").and_then(Value::as_str) {
                *m.entry(j.to_string()).or_insert(0) += 1;
            }
        }
    }
    for u in plan.get("unassigned").and_then(Value::as_array).into_iter().flatten() {
        if let Some(j) = u.get("job").and_then(Value::as_str) {
            *m.entry(j.to_string()).or_insert(0) += 1;
        }
    }
    m
}

// ---------------------------------------------------------------------------------------------
// The Python reference checker
// ---------------------------------------------------------------------------------------------

/// `../shared/tools/check_plan.py` relative to the crate, if it exists.
pub fn python_checker_path() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/check_plan.py");
    p.is_file().then_some(p)
}

/// Runs `check_plan.py PROBLEM PLAN --json` on temp files and returns its JSON report.
/// `None` when the script or `python3` is missing; `Err` when the output is not JSON.
pub fn run_python_checker(problem_json: &str, plan_json: &str) -> Option<Result<Value, String>> {
    let script = python_checker_path()?;
    let dir = tempfile::tempdir().ok()?;
    let pp = dir.path().join("problem.json");
    let qp = dir.path().join("plan.json");
    std::fs::File::create(&pp).and_then(|mut f| f.write_all(problem_json.as_bytes())).ok()?;
    std::fs::File::create(&qp).and_then(|mut f| f.write_all(plan_json.as_bytes())).ok()?;
    let out = match Command::new("python3").arg(&script).arg(&pp).arg(&qp).arg("--json").output() {
        Ok(o) => o,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => return Some(Err(format!("cannot run python3: {e}"))),
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    Some(serde_json::from_str::<Value>(&stdout).map_err(|e| {
        format!(
            "check_plan.py (exit {:?}) printed no JSON ({e}); stderr: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        )
    }))
}

/// Runs the Python checker: `Ok(())` when it says feasible, `Err(report)` otherwise,
/// `None` when the script or `python3` is missing.
pub fn check_with_python(problem_json: &str, plan_json: &str) -> Option<Result<(), String>> {
    let rep = match run_python_checker(problem_json, plan_json)? {
        Ok(r) => r,
        Err(e) => return Some(Err(e)),
    };
    let problems = python_report_problems(&rep);
    Some(if problems.is_empty() { Ok(()) } else { Err(problems.join("\n")) })
}

/// Violation types of a Python report, sorted.
pub fn python_violation_types(rep: &Value) -> Vec<String> {
    let mut v: Vec<String> = rep
        .get("violations")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|v| v.get("type").and_then(Value::as_str).map(str::to_string))
        .collect();
    v.sort();
    v
}

const PY_BATCH_DRIVER: &str = r#"
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("check_plan", sys.argv[1])
m = importlib.util.module_from_spec(spec)
spec.loader.exec_module(m)
out = []
with open(sys.argv[2], "rb") as f:
    for line in f:
        p, q = json.loads(line)
        try:
            prob = m.ProblemValidator(p).validate()
            v, w, k = m.check_plan(prob, q)
            out.append({"feasible": not v, "violations": v, "warnings": w, "kpis": k})
        except m.InputError as e:
            out.append({"feasible": False, "invalid_input": True, "errors": e.errors,
                        "violations": [], "kpis": {}})
json.dump(out, sys.stdout)
"#;

/// Like [`run_python_checker`] for many (problem, plan) pairs in one Python process (the
/// script is imported once, its `ProblemValidator` and `check_plan` are called per pair).
/// Returns one report per pair, in order.
pub fn run_python_checker_batch(pairs: &[(String, String)]) -> Option<Result<Vec<Value>, String>> {
    let script = python_checker_path()?;
    let dir = tempfile::tempdir().ok()?;
    let input = dir.path().join("pairs.jsonl");
    let mut f = std::fs::File::create(&input).ok()?;
    for (p, q) in pairs {
        let p: Value = serde_json::from_str(p).ok()?;
        let q: Value = serde_json::from_str(q).ok()?;
        writeln!(f, "{}", Value::Array(vec![p, q])).ok()?;
    }
    drop(f);
    let out = match Command::new("python3")
        .arg("-c")
        .arg(PY_BATCH_DRIVER)
        .arg(&script)
        .arg(&input)
        .output()
    {
        Ok(o) => o,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => return Some(Err(format!("cannot run python3: {e}"))),
    };
    let parsed: Result<Vec<Value>, String> = serde_json::from_slice(&out.stdout).map_err(|e| {
        format!(
            "batch driver printed no JSON ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    Some(parsed.and_then(|v| {
        if v.len() == pairs.len() {
            Ok(v)
        } else {
            Err(format!("batch driver returned {} reports for {} pairs", v.len(), pairs.len()))
        }
    }))
}

/// Formats the violations / errors of a Python report; empty when it says feasible.
pub fn python_report_problems(rep: &Value) -> Vec<String> {
    if rep.get("feasible").and_then(Value::as_bool) == Some(true) {
        return Vec::new();
    }
    let mut msg = Vec::new();
    for e in rep.get("errors").and_then(Value::as_array).into_iter().flatten() {
        msg.push(format!("invalid input: {}", e.as_str().unwrap_or("?")));
    }
    for v in rep.get("violations").and_then(Value::as_array).into_iter().flatten() {
        msg.push(format!(
            "{}: {}{}",
            v.get("type").and_then(Value::as_str).unwrap_or("?"),
            v.get("job").and_then(Value::as_str).map(|j| format!("[{j}] ")).unwrap_or_default(),
            v.get("message").and_then(Value::as_str).unwrap_or("?")
        ));
    }
    if msg.is_empty() {
        msg.push(format!("not feasible: {rep}"));
    }
    msg
}
