use super::Eligibility;
use crate::model::{JobIdx, Problem, TechIdx};
use crate::policy::rules;
use crate::policy::Objective;
use crate::routing::{alone_possible, check, Infeasible};

/// Computes why `job` is not in any of the final `routes` (job sequences per technician):
/// `(code, sentence)`. Codes: `skill`, `certification`, `excluded`, `pinned` (no technician
/// passes the rules), `no_feasible_time`, `capacity`, `max_jobs` (no allowed technician can
/// do it even alone), `days_full` (each allowed technician could, but not on top of the
/// day it has; `max_jobs`, `capacity` or `shift` when one limit binds them all), `not_worth_it` (it fits somewhere but costs more than leaving it out).
pub fn unassigned_reason(
    p: &Problem,
    obj: &Objective,
    elig: &Eligibility,
    routes: &[Vec<JobIdx>],
    job: JobIdx,
) -> (String, String) {
    let n = p.technicians.len();
    let allowed: Vec<TechIdx> = (0..n).filter(|&t| elig.allowed(job, t)).collect();
    if allowed.is_empty() {
        return rule_reason(p, job);
    }
    if elig.candidates(job).is_empty() {
        let mut kinds = Vec::new();
        for &t in &allowed {
            if let Err(e) = alone_possible(p, t, job) {
                kinds.push(e);
            }
        }
        let (code, what) = if kinds.iter().all(|k| *k == Infeasible::Capacity) {
            ("capacity", "its demand exceeds the capacity of every qualified technician")
        } else if kinds.iter().all(|k| *k == Infeasible::MaxJobs) {
            ("max_jobs", "every qualified technician has max_jobs 0")
        } else {
            (
                "no_feasible_time",
                "no qualified technician can reach it inside its time windows and be back by the end of the shift",
            )
        };
        return (code.into(), what.into());
    }
    // Could each candidate take it on top of its day, anywhere? Keep each one's binding limit.
    let mut limits: Vec<(TechIdx, Infeasible)> = Vec::new();
    let mut buf = Vec::new();
    for &t in elig.candidates(job) {
        let r = &routes[t];
        let mut why = Infeasible::Time;
        for k in 0..=r.len() {
            buf.clear();
            buf.extend_from_slice(&r[..k]);
            buf.push(job);
            buf.extend_from_slice(&r[k..]);
            match check(p, obj, t, &buf) {
                Ok(_) => {
                    return (
                        "not_worth_it".into(),
                        format!(
                            "{} could take it, but it costs more than leaving it out",
                            p.technicians[t].id
                        ),
                    )
                }
                Err(e) => why = e,
            }
        }
        limits.push((t, why));
    }
    let same = limits.windows(2).all(|w| w[0].1 == w[1].1);
    let code = match (same, limits.first().map(|l| l.1)) {
        (true, Some(Infeasible::MaxJobs)) => "max_jobs",
        (true, Some(Infeasible::Capacity)) => "capacity",
        (true, Some(Infeasible::Time)) => "shift",
        _ => "days_full",
    };
    let named: Vec<String> = limits
        .iter()
        .take(3)
        .map(|&(t, why)| {
            let tech = &p.technicians[t];
            match why {
                Infeasible::MaxJobs => {
                    format!("{} is at max_jobs {}", tech.id, tech.max_jobs.unwrap_or(0))
                }
                Infeasible::Capacity => format!("{} has no capacity left", tech.id),
                Infeasible::Time => {
                    format!("{} has no time left inside the job's windows and shift", tech.id)
                }
            }
        })
        .collect();
    let more =
        if limits.len() > 3 { format!(" (and {} more)", limits.len() - 3) } else { String::new() };
    (code.into(), format!("every qualified technician's day is full: {}{more}", named.join("; ")))
}

fn rule_reason(p: &Problem, job: JobIdx) -> (String, String) {
    let all = rules::all();
    // A rule that alone rejects every technician is the binding one.
    for r in &all {
        if (0..p.technicians.len()).all(|t| !r.allows(p, job, t)) {
            return (r.code().into(), r.why_none(p, job));
        }
    }
    // Otherwise each technician fails some rule: say so for the first few.
    let mut parts: Vec<String> = Vec::new();
    for t in 0..p.technicians.len() {
        if let Some(r) = all.iter().find(|r| !r.allows(p, job, t)) {
            let why = r.why_not(p, job, t);
            if !parts.contains(&why) {
                parts.push(why);
            }
        }
    }
    let more =
        if parts.len() > 4 { format!(" (and {} more)", parts.len() - 4) } else { String::new() };
    parts.truncate(4);
    (
        "no_eligible_technician".into(),
        format!("no technician passes every rule: {}{more}", parts.join("; ")),
    )
}
