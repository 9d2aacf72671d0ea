//! The engine's own plan verifier: re-schedules every route from its stop sequence alone, in
//! `f64` with the exact values of the model, and reports every broken hard rule and the
//! spec's KPIs. It follows `shared/tools/check_plan.py` (the independent reference checker)
//! rule for rule: same violation type names, same schedule semantics, same 1e-6 relative
//! tolerance and the same KPI definitions.
//!
//! Schedule of a route: leave `start` at `shift[0]`; for a job stop travel there, wait for
//! the earliest window whose end is not before the arrival, serve for `duration`; a break
//! stop starts at `max(now, window[0])` where the technician is (no travel); finally travel
//! to `end`. The times written in the plan are not read.
//!
//! Capacity is compared in the model's integer units (1/1000 of a unit: capacities rounded
//! down, demands rounded up), so it is conservative: it never accepts an overload, and it can
//! only reject a load whose exact slack is below 0.001 unit per job on the route plus 0.001
//! for the capacity (none at all for demands and capacities with at most three decimals,
//! which includes every integer one).

use std::collections::HashMap;
use std::fmt;

use serde::Serialize;

use super::{Kpis, Plan, Stop};
use crate::model::{JobIdx, Problem, TechIdx};

/// Relative tolerance of every time comparison (same as the reference checker).
pub const TOL: f64 = 1e-6;

/// `a <= b` with the spec's tolerance: accepted when `a <= b + 1e-6 * max(1, |b|)`.
#[inline]
pub fn le(a: f64, b: f64) -> bool {
    a <= b + TOL * b.abs().max(1.0)
}

/// One broken rule, located in the plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Violation {
    /// Type name, as in `check_plan.py`: `skill`, `certification`, `excluded`, `pinned`,
    /// `time_window`, `break_window`, `break_missing`, `break_extra`, `break_not_allowed`,
    /// `capacity`, `max_jobs`, `shift_end`, `duplicate_job`, `missing_job`, `unknown_job`,
    /// `unknown_technician`, `duplicate_technician`. Serialized as `type`, like the checker.
    #[serde(rename = "type")]
    pub kind: String,
    /// Human-readable explanation with the numbers involved.
    pub message: String,
    /// Index into `plan.routes`, when the violation is in a route.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub route: Option<usize>,
    /// Technician id of that route.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub technician: Option<String>,
    /// Index into that route's `stops`, when one stop is at fault.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stop: Option<usize>,
    /// Job id involved, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job: Option<String>,
}

/// The outcome of [`verify`]: feasibility, every violation in plan order, and the KPIs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verification {
    /// True when there is no violation.
    pub feasible: bool,
    /// Every violation: route by route in stop order, then the `unassigned` list, then jobs
    /// missing from the plan.
    pub violations: Vec<Violation>,
    /// The spec's KPIs as the reference checker computes them (`objective` is 0).
    pub kpis: Kpis,
}

/// Checks `plan` against every hard rule of `problem` and computes its KPIs.
pub fn verify(problem: &Problem, plan: &Plan) -> Verification {
    let mut sink = Sink { on: true, list: Vec::new() };
    let kpis = run(problem, plan, &mut sink);
    Verification { feasible: sink.list.is_empty(), violations: sink.list, kpis }
}

/// The spec's KPIs of `plan`, exactly as `check_plan.py` computes them (rounded to 6
/// decimals like the checker; `objective` left 0). Linear in the number of stops plus the
/// size of the problem; allocates only the id indexes and per-job flags.
pub fn compute_kpis(problem: &Problem, plan: &Plan) -> Kpis {
    run(problem, plan, &mut Sink { on: false, list: Vec::new() })
}

/// Collects violations, or only runs the checks when `on` is false.
struct Sink {
    on: bool,
    list: Vec<Violation>,
}

/// Where a violation is: route index and technician, stop index, job id.
#[derive(Clone, Copy, Default)]
struct At<'a> {
    route: Option<(usize, &'a str)>,
    stop: Option<usize>,
    job: Option<&'a str>,
}

impl<'a> At<'a> {
    fn route(ri: usize, tid: &'a str) -> Self {
        At { route: Some((ri, tid)), ..At::default() }
    }
    fn stop(self, si: usize, job: Option<&'a str>) -> Self {
        At { stop: Some(si), job, ..self }
    }
    fn job(job: &'a str) -> Self {
        At { job: Some(job), ..At::default() }
    }
}

impl Sink {
    /// Records a violation; the message is only formatted when violations are collected.
    #[inline]
    fn add(&mut self, kind: &str, at: At<'_>, msg: std::fmt::Arguments<'_>) {
        if self.on {
            self.list.push(Violation {
                kind: kind.to_string(),
                message: msg.to_string(),
                route: at.route.map(|r| r.0),
                technician: at.route.map(|r| r.1.to_string()),
                stop: at.stop,
                job: at.job.map(str::to_string),
            });
        }
    }
}

/// Where a job was first seen, for duplicate messages (no string per stop).
#[derive(Clone, Copy)]
enum Seen {
    Route(usize, usize),
    Unassigned(usize),
}

impl fmt::Display for Seen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Seen::Route(r, s) => write!(f, "route {r} stop {s}"),
            Seen::Unassigned(u) => write!(f, "unassigned[{u}]"),
        }
    }
}

/// A number shown like the checker does: integers without decimals, others with up to 3.
struct Num(f64);

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let x = self.0;
        if x.fract() == 0.0 && x.abs() < 1e15 {
            write!(f, "{}", x as i64)
        } else {
            let s = format!("{x:.3}");
            f.write_str(s.trim_end_matches('0').trim_end_matches('.'))
        }
    }
}

/// A list of windows, `[a, b], [c, d]`.
struct Windows<'a>(&'a [(f64, f64)]);

impl fmt::Display for Windows<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (k, &(a, b)) in self.0.iter().enumerate() {
            write!(f, "{}[{}, {}]", if k > 0 { ", " } else { "" }, Num(a), Num(b))?;
        }
        Ok(())
    }
}

/// Rounds to 6 decimals, like the checker's `round(x, 6)`.
fn r6(x: f64) -> f64 {
    if x.is_finite() && x.abs() < 1e12 {
        (x * 1e6).round() / 1e6
    } else {
        x
    }
}

/// The verifier proper; with `sink.on == false` no violation record is built.
fn run(p: &Problem, plan: &Plan, sink: &mut Sink) -> Kpis {
    let tech_index: HashMap<&str, TechIdx> =
        p.technicians.iter().enumerate().map(|(i, t)| (t.id.as_str(), i)).collect();
    let job_index: HashMap<&str, JobIdx> =
        p.jobs.iter().enumerate().map(|(i, j)| (j.id.as_str(), i)).collect();
    let mut seen_job: Vec<Option<Seen>> = vec![None; p.jobs.len()];
    let mut seen_tech: Vec<Option<usize>> = vec![None; p.technicians.len()];
    let mut assigned = vec![false; p.jobs.len()];
    // KPI sums over used technicians (rounded at the end); spans; preferred counts.
    let mut k = Kpis { jobs: p.jobs.len(), ..Kpis::default() };
    let (mut span_min, mut span_max) = (f64::INFINITY, f64::NEG_INFINITY);
    let (mut pref_total, mut pref_ok) = (0u64, 0u64);
    let mut load: Vec<i64> = Vec::new();
    let exact = &p.travel.exact;

    for (ri, route) in plan.routes.iter().enumerate() {
        let tid = route.technician.as_str();
        let here = At::route(ri, tid);
        // Technician bookkeeping; `first` = this is the technician's first route.
        let t_idx = tech_index.get(tid).copied();
        let mut first = false;
        match t_idx.map(|t| (t, seen_tech[t])) {
            None => sink.add(
                "unknown_technician",
                here,
                format_args!("route for unknown technician \"{tid}\""),
            ),
            Some((_, Some(prev))) => sink.add(
                "duplicate_technician",
                here,
                format_args!("technician {tid} already has route {prev}"),
            ),
            Some((t, None)) => {
                seen_tech[t] = Some(ri);
                first = true;
            }
        }
        // Job-appearance bookkeeping (every route, known technician or not).
        for (si, stop) in route.stops.iter().enumerate() {
            let Stop::Job { job: jid, .. } = stop else { continue };
            let at = here.stop(si, Some(jid));
            match job_index.get(jid.as_str()).map(|&j| (j, seen_job[j])) {
                None => sink.add("unknown_job", at, format_args!("unknown job id \"{jid}\"")),
                Some((_, Some(prev))) => sink.add(
                    "duplicate_job",
                    at,
                    format_args!("job {jid} appears again (first at {prev})"),
                ),
                Some((j, None)) => seen_job[j] = Some(Seen::Route(ri, si)),
            }
        }
        let Some(t) = t_idx else { continue };
        let tech = &p.technicians[t];
        let (shift0, shift1, max_ot) = tech.shift_exact;
        let (mut now, mut pos) = (shift0, tech.start);
        if let Some(cap) = &tech.capacity {
            load.clear();
            load.resize(cap.len(), 0);
        }
        let brk = tech.brk.map(|b| b.exact);
        let (mut n_breaks, mut n_jobs) = (0usize, 0usize);
        let (mut r_time, mut r_dist) = (0.0f64, 0.0f64);
        let (mut r_over, mut r_pref_total, mut r_pref_ok) = (0u64, 0u64, 0u64);

        for (si, stop) in route.stops.iter().enumerate() {
            let jid = match stop {
                Stop::Job { job, .. } => job.as_str(),
                Stop::Break { .. } => {
                    n_breaks += 1;
                    let at = here.stop(si, None);
                    let Some((b0, b1, bdur)) = brk else {
                        let msg = format_args!("break stop but technician {tid} has no break");
                        sink.add("break_not_allowed", at, msg);
                        continue;
                    };
                    if n_breaks > 1 {
                        sink.add("break_extra", at, format_args!("more than one break stop"));
                    }
                    let bstart = if now > b0 { now } else { b0 };
                    if !le(bstart, b1) {
                        let (s, a, b) = (Num(bstart), Num(b0), Num(b1));
                        let msg = format_args!("break starts at {s}, after its window [{a}, {b}]");
                        sink.add("break_window", at, msg);
                    }
                    now = bstart + bdur;
                    continue;
                }
            };
            let Some(&j) = job_index.get(jid) else { continue };
            let job = &p.jobs[j];
            let at = here.stop(si, Some(jid));
            n_jobs += 1;
            let (tt, dd) = exact.between(pos, job.loc);
            r_time += tt;
            r_dist += dd;
            let arrival = now + tt;
            let mut start = arrival;
            let ws = &job.windows_exact;
            if !ws.is_empty() {
                match ws.iter().find(|w| le(arrival, w.1)) {
                    Some(w) if arrival < w.0 => start = w.0,
                    Some(_) => {}
                    None => {
                        let (a, last, all) = (Num(arrival), Num(ws[ws.len() - 1].1), Windows(ws));
                        let msg = format_args!(
                            "service would start at {a}, after the last window end {last} \
                             (windows {all})"
                        );
                        sink.add("time_window", at, msg);
                    }
                }
            }
            now = start + job.duration_exact;
            pos = job.loc;
            // Qualification checks.
            for &(sk, lvl) in &job.skills {
                let have = tech.skills.get(sk).copied().unwrap_or(0);
                if have < lvl {
                    let name = p.skill_names.get(sk).map_or("?", String::as_str);
                    let msg = format_args!("needs {name} >= {lvl}, technician {tid} has {have}");
                    sink.add("skill", at, msg);
                } else {
                    r_over += u64::from(have - lvl);
                }
            }
            for &c in &job.certs {
                let name = p.cert_names.get(c).map_or("?", String::as_str);
                match tech.cert_expiry.get(c).copied().flatten() {
                    None => sink.add(
                        "certification",
                        at,
                        format_args!(
                            "needs certification {name}, technician {tid} does not hold it"
                        ),
                    ),
                    Some(exp) if exp < p.date => sink.add(
                        "certification",
                        at,
                        format_args!(
                            "needs certification {name}, technician {tid}'s expired on {exp} \
                             (plan date {})",
                            p.date
                        ),
                    ),
                    Some(_) => {}
                }
            }
            if job.excluded.contains(&t) {
                let msg = format_args!("technician {tid} is excluded for this job");
                sink.add("excluded", at, msg);
            }
            if let Some(pin) = job.pinned.filter(|&pin| pin != t) {
                let pid = p.technicians.get(pin).map_or("?", |x| x.id.as_str());
                let msg = format_args!("job is pinned to {pid} but assigned to {tid}");
                sink.add("pinned", at, msg);
            }
            if tech.capacity.is_some() {
                for (l, d) in load.iter_mut().zip(&job.demand) {
                    *l = l.saturating_add(*d);
                }
            }
            if !job.preferred.is_empty() {
                r_pref_total += 1;
                r_pref_ok += u64::from(job.preferred.contains(&t));
            }
        }

        // End of the route: go back.
        let (tt, dd) = exact.between(pos, tech.end);
        let ret = if n_jobs > 0 {
            r_time += tt;
            r_dist += dd;
            now + tt
        } else if n_breaks > 0 {
            now
        } else {
            shift0
        };
        let limit = shift1 + max_ot;
        if n_jobs > 0 && !le(ret, limit) {
            let (r, s, o, l) = (Num(ret), Num(shift1), Num(max_ot), Num(limit));
            let msg =
                format_args!("returns to end at {r}, after shift end {s} + max_overtime {o} = {l}");
            sink.add("shift_end", here, msg);
        }
        if let Some((b0, ..)) = brk.filter(|_| n_jobs > 0 && n_breaks == 0) {
            if ret > b0 + TOL * b0.abs().max(1.0) {
                let (r, b) = (Num(ret), Num(b0));
                let msg = format_args!(
                    "works until {r}, past the start {b} of the break window, but has no break stop"
                );
                sink.add("break_missing", here, msg);
            }
        }
        if let Some(cap) = &tech.capacity {
            for (k, (&l, &c)) in load.iter().zip(cap).enumerate().filter(|(_, (l, c))| l > c) {
                let (l, c) = (Num(l as f64 / 1000.0), Num(c as f64 / 1000.0));
                let msg = format_args!("load {l} exceeds capacity {c} in dimension {k}");
                sink.add("capacity", here, msg);
            }
        }
        if let Some(mj) = tech.max_jobs.filter(|&mj| n_jobs > mj) {
            sink.add("max_jobs", here, format_args!("{n_jobs} jobs exceed max_jobs {mj}"));
        }
        if n_jobs == 0 || !first {
            continue;
        }
        let span = ret - shift0;
        k.technicians_used += 1;
        (span_min, span_max) = (span_min.min(span), span_max.max(span));
        k.travel_time += r_time;
        k.travel_distance += r_dist;
        k.work_time += span;
        k.overtime += (ret - shift1).max(0.0);
        let c = tech.cost;
        k.labor_cost += c.fixed + c.per_hour * span / 3600.0 + c.per_km * r_dist / 1000.0;
        k.overqualification += r_over;
        pref_total += r_pref_total;
        pref_ok += r_pref_ok;
        for stop in &route.stops {
            let Stop::Job { job, .. } = stop else { continue };
            if let Some(&j) = job_index.get(job.as_str()).filter(|&&j| !assigned[j]) {
                assigned[j] = true;
                k.assigned += 1;
                k.priority_assigned += u64::from(p.jobs[j].priority);
            }
        }
    }

    // The unassigned list, then jobs that appear nowhere.
    for (ui, u) in plan.unassigned.iter().enumerate() {
        let jid = u.job.as_str();
        match job_index.get(jid).map(|&j| (j, seen_job[j])) {
            None => sink.add(
                "unknown_job",
                At::job(jid),
                format_args!("unassigned[{ui}]: unknown job id \"{jid}\""),
            ),
            Some((_, Some(prev))) => sink.add(
                "duplicate_job",
                At::job(jid),
                format_args!("unassigned[{ui}]: job {jid} already appears (at {prev})"),
            ),
            Some((j, None)) => seen_job[j] = Some(Seen::Unassigned(ui)),
        }
    }
    if sink.on {
        for (job, _) in p.jobs.iter().zip(&seen_job).filter(|(_, s)| s.is_none()) {
            let jid = job.id.as_str();
            let msg = format_args!("job {jid} appears neither in a route nor in unassigned");
            sink.add("missing_job", At::job(jid), msg);
        }
    }

    let left_out = p.jobs.iter().zip(&assigned).filter(|(_, &a)| !a);
    k.unassigned_cost = r6(left_out.map(|(j, _)| j.unassigned_cost.unwrap_or(0.0)).sum());
    k.unassigned = k.jobs - k.assigned;
    k.priority_total = p.jobs.iter().map(|j| u64::from(j.priority)).sum();
    for x in [&mut k.travel_time, &mut k.travel_distance, &mut k.work_time, &mut k.overtime] {
        *x = r6(*x);
    }
    k.labor_cost = r6(k.labor_cost);
    k.preferred_rate = (pref_total > 0).then(|| r6(pref_ok as f64 / pref_total as f64));
    if k.technicians_used > 0 {
        k.workload_spread = r6(span_max - span_min);
    }
    k
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Route, UnassignedJob, PLAN_FORMAT};

    /// Euclidean, speed 1: A has skills, certifications (one expired), capacity, max_jobs,
    /// a break and costs; B has a short shift with overtime and nothing else.
    const DOC: &str = r#"{"format": "fieldopt-problem/1", "date": "2026-11-24",
      "travel": {"kind": "euclidean"},
      "technicians": [
        {"id": "A", "start": {"x": 0, "y": 0}, "shift": [0, 1000], "skills": {"hvac": 3},
         "certifications": {"gas": "2026-12-31", "old": "2026-01-01"}, "capacity": [10],
         "max_jobs": 3, "break": {"window": [100, 200], "duration": 30},
         "cost": {"fixed": 10, "per_hour": 3600, "per_km": 1000}},
        {"id": "B", "start": {"x": 10, "y": 0}, "shift": [0, 60], "max_overtime": 20}],
      "jobs": [
        {"id": "J1", "location": {"x": 3, "y": 4}, "duration": 10, "skills": {"hvac": 2},
         "demand": [4], "preferred_technicians": ["A"], "priority": 2, "unassigned_cost": 5},
        {"id": "J2", "location": {"x": 6, "y": 8}, "duration": 10,
         "time_windows": [[50, 60], [0, 15]], "preferred_technicians": ["A"]},
        {"id": "J3", "location": {"x": 10, "y": 5}, "duration": 10, "time_windows": [[0, 10]]},
        {"id": "J4", "location": {"x": 1, "y": 0}, "duration": 0, "certifications": ["gas"]},
        {"id": "J5", "location": {"x": 1, "y": 0}, "duration": 0, "certifications": ["old"]},
        {"id": "J6", "location": {"x": 1, "y": 0}, "duration": 0, "pinned_technician": "A"},
        {"id": "J7", "location": {"x": 1, "y": 0}, "duration": 0, "excluded_technicians": ["A"]},
        {"id": "J8", "location": {"x": 60, "y": 80}, "duration": 150, "demand": [7],
         "unassigned_cost": 7.5},
        {"id": "J9", "location": {"x": 1, "y": 0}, "duration": 0, "priority": 0}]}"#;

    type Routes<'a> = &'a [(&'a str, &'a [&'a str])];

    fn un(job: &str) -> UnassignedJob {
        UnassignedJob { job: job.into(), reason: String::new(), code: String::new() }
    }

    /// A plan with these routes (`*` = break stop); every other job goes to `unassigned`.
    fn plan(p: &Problem, routes: Routes<'_>) -> Plan {
        let stop = |s: &&str| match *s {
            "*" => Stop::Break { is_break: true, start: 0.0, end: 0.0 },
            _ => Stop::Job { job: s.to_string(), arrival: 0.0, start: 0.0, end: 0.0 },
        };
        let mut unassigned: Vec<_> = p.jobs.iter().map(|j| un(&j.id)).collect();
        unassigned.retain(|u| !routes.iter().any(|r| r.1.contains(&u.job.as_str())));
        let routes = routes
            .iter()
            .map(|(t, s)| Route { technician: t.to_string(), stops: s.iter().map(stop).collect() });
        Plan {
            format: PLAN_FORMAT.into(),
            problem: None,
            routes: routes.collect(),
            unassigned,
            kpis: Kpis::default(),
        }
    }

    fn kinds(p: &Problem, plan: &Plan) -> Vec<String> {
        let v = verify(p, plan);
        assert_eq!(v.feasible, v.violations.is_empty());
        assert_eq!(v.kpis, compute_kpis(p, plan));
        v.violations.into_iter().map(|v| v.kind).collect()
    }

    #[test]
    fn every_violation_kind() {
        let p = crate::io::parse_problem_str(DOC).unwrap();
        let cases: &[(Routes<'_>, &[&str])] = &[
            (&[("A", &["J1"]), ("B", &["J3", "J2"])], &[]),
            (&[("A", &["*", "J8", "J4"])], &[]),
            (&[("B", &["J1"])], &["skill"]),
            (&[("A", &["J5"]), ("B", &["J4"])], &["certification", "certification"]),
            (&[("A", &["J7"])], &["excluded"]),
            (&[("B", &["J6"])], &["pinned"]),
            (&[("A", &["J3"])], &["time_window"]),
            (&[("A", &["J8", "*"])], &["break_window"]),
            (&[("A", &["J8"])], &["break_missing"]),
            (&[("A", &["*", "J1", "*"])], &["break_extra"]),
            (&[("B", &["*", "J3"])], &["break_not_allowed"]),
            (&[("A", &["J1", "*", "J8"])], &["capacity"]),
            (&[("A", &["J1", "J4", "J6", "J9"])], &["max_jobs"]),
            (&[("B", &["J3", "J2", "J8", "J8"])], &["duplicate_job", "shift_end"]),
            (&[("A", &["JX"])], &["unknown_job"]),
            (&[("Z", &["J9"])], &["unknown_technician"]),
            (&[("A", &["J9"]), ("A", &["J4"])], &["duplicate_technician"]),
        ];
        for (routes, want) in cases {
            assert_eq!(kinds(&p, &plan(&p, routes)), *want, "routes {routes:?}");
        }
        // The unassigned list: unknown and repeated ids, and jobs that appear nowhere.
        let mut pl = plan(&p, &[("A", &["J9"])]);
        pl.unassigned.truncate(7);
        pl.unassigned.extend([un("J9"), un("JX")]);
        assert_eq!(kinds(&p, &pl), ["duplicate_job", "unknown_job", "missing_job"]);
        let v = verify(&p, &plan(&p, &[("B", &["J3", "J2", "J1"])]));
        assert_eq!(v.violations[0].stop, Some(2));
        assert_eq!(v.violations[0].job.as_deref(), Some("J1"));
        assert_eq!(v.violations[0].message, "needs hvac >= 2, technician B has 0");
        assert!(v.violations[1].message.starts_with("returns to end at 83.062"), "{v:?}");
    }

    #[test]
    fn kpis_match_the_reference_definitions() {
        let p = crate::io::parse_problem_str(DOC).unwrap();
        let k = compute_kpis(&p, &plan(&p, &[("A", &["J1"]), ("B", &["J3", "J2"])]));
        let back = 80f64.sqrt(); // J2 (6, 8) back to B's home (10, 0)
        assert_eq!((k.jobs, k.assigned, k.unassigned, k.technicians_used), (9, 3, 6, 2));
        assert_eq!((k.priority_assigned, k.priority_total, k.overqualification), (4, 9, 1));
        assert_eq!((k.preferred_rate, k.unassigned_cost, k.objective), (Some(0.5), 7.5, 0.0));
        let close = |a: f64, b: f64| assert!((a - b).abs() < 1e-6, "{a} vs {b}");
        close(k.travel_time, 20.0 + back); // A: 5 + 5; B: 5 + 5 + back (waits 30 for J2)
        close(k.travel_distance, 20.0 + back);
        close(k.work_time, 20.0 + 60.0 + back);
        close(k.overtime, back);
        close(k.labor_cost, 10.0 + 20.0 + 10.0); // A: fixed + 1/s x 20 s + 1/m x 10 m
        close(k.workload_spread, 40.0 + back);
        // Routes of unknown or repeated technicians are left out of the KPIs.
        let k = compute_kpis(&p, &plan(&p, &[("A", &["J1"]), ("A", &["J9"]), ("Z", &["J4"])]));
        assert_eq!((k.assigned, k.technicians_used, k.preferred_rate), (1, 1, Some(1.0)));
        assert_eq!(k, verify(&p, &plan(&p, &[("A", &["J1"])])).kpis);
        let k = compute_kpis(&p, &plan(&p, &[]));
        assert_eq!((k.assigned, k.workload_spread, k.preferred_rate), (0, 0.0, None));
        assert_eq!(k.unassigned_cost, 12.5);
    }
}
