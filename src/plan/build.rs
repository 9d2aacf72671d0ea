use super::verify::compute_kpis;
use super::{Plan, Route, Stop, UnassignedJob, PLAN_FORMAT};
use crate::model::{JobIdx, Problem};
use crate::policy::COST_SCALE;

/// Turns the solver's routes (job indices per technician, and the position of the break in
/// each: before job k, k = len for after the last job) into a plan document with exact
/// schedules (recomputed in f64 from the exact travel model) and KPIs. `reason` gives the
/// `(code, sentence)` for each job left out.
pub fn build_plan(
    problem: &Problem,
    routes: &[Vec<JobIdx>],
    breaks: &[Option<usize>],
    objective: i64,
    reason: impl Fn(JobIdx) -> (String, String),
) -> Plan {
    let mut out = Vec::new();
    let mut assigned = vec![false; problem.jobs.len()];
    for (t, seq) in routes.iter().enumerate() {
        if seq.is_empty() {
            continue;
        }
        seq.iter().for_each(|&j| assigned[j] = true);
        let brk = breaks.get(t).copied().flatten();
        out.push(Route {
            technician: problem.technicians[t].id.clone(),
            stops: stops(problem, t, seq, brk),
        });
    }
    let unassigned = (0..problem.jobs.len())
        .filter(|&j| !assigned[j])
        .map(|j| {
            let (code, reason) = reason(j);
            UnassignedJob { job: problem.jobs[j].id.clone(), reason, code }
        })
        .collect();
    let mut plan = Plan {
        format: PLAN_FORMAT.to_string(),
        problem: problem.name.clone(),
        routes: out,
        unassigned,
        kpis: Default::default(),
    };
    plan.kpis = compute_kpis(problem, &plan);
    plan.kpis.objective = objective as f64 / COST_SCALE;
    plan.kpis.policy = Some(super::analysis::analyse(problem, &plan));
    plan
}

/// The exact schedule of one route, as the spec's checker recomputes it.
fn stops(problem: &Problem, t: usize, seq: &[JobIdx], brk: Option<usize>) -> Vec<Stop> {
    let tech = &problem.technicians[t];
    let mut now = tech.shift_exact.0;
    let mut loc = tech.start;
    let mut out = Vec::with_capacity(seq.len() + 1);
    let take_break = |now: &mut f64, out: &mut Vec<Stop>| {
        if let Some(b) = tech.brk {
            let start = now.max(b.exact.0);
            *now = start + b.exact.2;
            out.push(Stop::Break { is_break: true, start, end: *now });
        }
    };
    for (k, &j) in seq.iter().enumerate() {
        if brk == Some(k) {
            take_break(&mut now, &mut out);
        }
        let job = &problem.jobs[j];
        let arrival = now + problem.travel.exact.between(loc, job.loc).0;
        let start =
            job.windows_exact.iter().find(|w| arrival <= w.1).map_or(arrival, |w| arrival.max(w.0));
        now = start + job.duration_exact;
        out.push(Stop::Job { job: job.id.clone(), arrival, start, end: now });
        loc = job.loc;
    }
    if brk == Some(seq.len()) {
        take_break(&mut now, &mut out);
    }
    out
}
