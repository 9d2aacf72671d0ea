//! Exact evaluation of one technician's day from its job sequence, in integer ticks:
//! multiple windows, the lunch break at its best position, capacity, max jobs, shift end.

use crate::model::{JobIdx, Problem, TechIdx, Time};
use crate::policy::{Objective, RouteStats};

/// The result of evaluating a feasible route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RouteEval {
    /// Measures of the route for the objective terms.
    pub stats: RouteStats,
    /// Break taken before job `k` of the sequence (`k == len`: after the last job);
    /// `None` when the technician has no break or finishes before its window opens.
    pub brk: Option<usize>,
    /// Route cost: route terms plus the assignment costs of its jobs (micro-currency).
    pub cost: i64,
}

/// Why a sequence is infeasible, for unassigned-job reasons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Infeasible {
    /// More jobs than `max_jobs`.
    MaxJobs,
    /// Demand above capacity in some dimension.
    Capacity,
    /// A window or the shift end cannot be met (or the break window).
    Time,
}

/// Evaluates `seq` for technician `t`; `None` cost when infeasible (see [`check`]).
pub fn evaluate(p: &Problem, obj: &Objective, t: TechIdx, seq: &[JobIdx]) -> Option<RouteEval> {
    check(p, obj, t, seq).ok()
}

/// Evaluates `seq` for technician `t`, telling why it is infeasible.
pub fn check(
    p: &Problem,
    obj: &Objective,
    t: TechIdx,
    seq: &[JobIdx],
) -> Result<RouteEval, Infeasible> {
    let tech = &p.technicians[t];
    if seq.is_empty() {
        return Ok(RouteEval { stats: RouteStats::default(), brk: None, cost: 0 });
    }
    if let Some(m) = tech.max_jobs {
        if seq.len() > m {
            return Err(Infeasible::MaxJobs);
        }
    }
    if let Some(cap) = &tech.capacity {
        for (d, &c) in cap.iter().enumerate() {
            let load: i64 =
                seq.iter().map(|&j| p.jobs[j].demand.get(d).copied().unwrap_or(0)).sum();
            if load > c {
                return Err(Infeasible::Capacity);
            }
        }
    }
    let limit = tech.shift.close.saturating_add(tech.max_overtime);
    let (ret, travel, dist) = simulate(p, t, seq, None, limit).ok_or(Infeasible::Time)?;
    let mut best = (ret, None);
    if let Some(b) = tech.brk {
        if ret as f64 > b.exact.0 * crate::model::time::TICKS {
            // Needed (decided against the exact open, so a break the exact schedule needs is
            // never skipped): try every gap, keep the earliest return.
            let mut found: Option<(Time, usize)> = None;
            for g in 0..=seq.len() {
                if let Some((r, _, _)) = simulate(p, t, seq, Some(g), limit) {
                    if found.is_none_or(|(fr, _)| r < fr) {
                        found = Some((r, g));
                    }
                }
            }
            let (r, g) = found.ok_or(Infeasible::Time)?;
            best = (r, Some(g));
        }
    }
    let span = best.0 - tech.shift.open;
    let stats = RouteStats {
        jobs: seq.len(),
        travel_time: travel,
        distance: dist,
        span,
        overtime: (best.0 - tech.shift.close).max(0),
    };
    let assign: i64 = seq.iter().map(|&j| obj.assignment_cost(j, t)).sum();
    let cost = obj.route_cost(p, t, &stats).saturating_add(assign);
    Ok(RouteEval { stats, brk: best.1, cost })
}

/// Forward schedule with the break before job `brk` (if any); returns (return time,
/// travel time, distance) or `None` when a window, the break window or `limit` is missed.
fn simulate(
    p: &Problem,
    t: TechIdx,
    seq: &[JobIdx],
    brk: Option<usize>,
    limit: Time,
) -> Option<(Time, Time, i64)> {
    let tech = &p.technicians[t];
    let tr = &p.travel;
    let mut now = tech.shift.open;
    let mut loc = tech.start;
    let mut travel = 0;
    let mut dist = 0;
    for (k, &j) in seq.iter().enumerate() {
        if brk == Some(k) {
            now = take_break(tech.brk.as_ref()?, now)?;
        }
        let job = &p.jobs[j];
        let tt = tr.time(loc, job.loc);
        travel += tt;
        dist += tr.dist(loc, job.loc);
        now = job.service_start(now + tt)? + job.duration;
        loc = job.loc;
    }
    if brk == Some(seq.len()) {
        now = take_break(tech.brk.as_ref()?, now)?;
    }
    let tt = tr.time(loc, tech.end);
    travel += tt;
    dist += tr.dist(loc, tech.end);
    now += tt;
    (now <= limit).then_some((now, travel, dist))
}

fn take_break(b: &crate::model::Break, now: Time) -> Option<Time> {
    (now <= b.window.close).then_some(now.max(b.window.open) + b.duration)
}

/// Necessary condition for `job` to be in any route of `t`: capacity, `max_jobs`, and the
/// job alone without the break (which only delays). Valid only when travel times obey the
/// triangle inequality; see [`crate::travel::Travel::is_metric`].
pub fn alone_possible(p: &Problem, t: TechIdx, job: JobIdx) -> Result<(), Infeasible> {
    let tech = &p.technicians[t];
    if tech.max_jobs == Some(0) {
        return Err(Infeasible::MaxJobs);
    }
    if let Some(cap) = &tech.capacity {
        if cap.iter().zip(&p.jobs[job].demand).any(|(c, d)| d > c) {
            return Err(Infeasible::Capacity);
        }
    }
    let limit = tech.shift.close.saturating_add(tech.max_overtime);
    simulate(p, t, &[job], None, limit).map(|_| ()).ok_or(Infeasible::Time)
}
