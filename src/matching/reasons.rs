use std::sync::OnceLock;

use super::Eligibility;
use crate::model::{JobIdx, Problem, TechIdx};
use crate::policy::rules;
use crate::policy::Objective;
use crate::routing::{alone_possible, check, Infeasible, Route};

/// Computes why `job` is not in any of the final `routes` (job sequences per technician):
/// `(code, sentence)`. Codes: `skill`, `certification`, `excluded`, `pinned` (no technician
/// passes the rules), `no_feasible_time`, `capacity`, `max_jobs` (no allowed technician can
/// do it even alone), `days_full` (each allowed technician could, but not on top of the
/// day it has; `max_jobs`, `capacity` or `shift` when one limit binds them all), `not_worth_it` (it fits somewhere but costs more than leaving it out).
///
/// For many jobs of one plan, [`Reasons`] shares the per-route caches between them.
pub fn unassigned_reason(
    p: &Problem,
    obj: &Objective,
    elig: &Eligibility,
    routes: &[Vec<JobIdx>],
    job: JobIdx,
) -> (String, String) {
    Reasons::new(p, obj, elig, routes).of(job)
}

/// The reasons of the unassigned jobs of one plan ([`unassigned_reason`]), with each
/// route's insertion caches built once, on first use, and shared by every job and thread
/// (at 20,000 jobs rebuilding them per job and candidate was most of the phase).
pub struct Reasons<'a> {
    p: &'a Problem,
    obj: &'a Objective,
    elig: &'a Eligibility,
    routes: &'a [Vec<JobIdx>],
    caches: Vec<OnceLock<Route>>,
}

impl<'a> Reasons<'a> {
    /// Reasons against `routes` (job sequences per technician, all feasible).
    pub fn new(
        p: &'a Problem,
        obj: &'a Objective,
        elig: &'a Eligibility,
        routes: &'a [Vec<JobIdx>],
    ) -> Self {
        let caches = (0..routes.len()).map(|_| OnceLock::new()).collect();
        Reasons { p, obj, elig, routes, caches }
    }

    /// Why `job` is unassigned: `(code, sentence)` as [`unassigned_reason`] says.
    pub fn of(&self, job: JobIdx) -> (String, String) {
        let (p, elig) = (self.p, self.elig);
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
        // Could each candidate take it on top of its day, anywhere? Keep each one's binding limit
        // (the one the exact check reports at the last position).
        let mut limits: Vec<(TechIdx, Infeasible)> = Vec::new();
        for &t in elig.candidates(job) {
            match self.insertion(t, job) {
                Ok(()) => {
                    return (
                        "not_worth_it".into(),
                        format!(
                            "{} could take it, but it costs more than leaving it out",
                            p.technicians[t].id
                        ),
                    )
                }
                Err(why) => limits.push((t, why)),
            }
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
        let more = if limits.len() > 3 {
            format!(" (and {} more)", limits.len() - 3)
        } else {
            String::new()
        };
        (
            code.into(),
            format!("every qualified technician's day is full: {}{more}", named.join("; ")),
        )
    }

    /// `Ok` when `job` can be inserted somewhere into `route` of `t` (the exact check accepts
    /// the sequence), else the limit the exact check reports for the job appended at the end.
    ///
    /// Why the filters: the exact check of every position costs O(len^2) per position with a
    /// break (thousands of unassigned jobs x hundreds of candidates at 20,000 jobs took seconds).
    /// Capacity and max jobs are the same at every position and are decided from the loads; the
    /// relaxed schedule of [`Route`] (O(1) per position) only rejects positions the exact check
    /// rejects too, so only the positions it lets through are checked exactly.
    fn insertion(&self, t: TechIdx, job: JobIdx) -> Result<(), Infeasible> {
        let (p, obj, route) = (self.p, self.obj, &self.routes[t][..]);
        let r = self.caches[t].get_or_init(|| {
            let mut r = Route::new(p, obj, t);
            // The relaxed caches and loads depend on the sequence only, not on its evaluation.
            let placeholder = r.eval;
            r.set(p, route.to_vec(), placeholder);
            r
        });
        if !r.fits(p, job, None) {
            // The exact check tests max jobs before capacity, as `fits` does.
            let over = p.technicians[t].max_jobs.is_some_and(|m| route.len() + 1 > m);
            return Err(if over { Infeasible::MaxJobs } else { Infeasible::Capacity });
        }
        let mut buf = Vec::with_capacity(route.len() + 1);
        let mut last = Infeasible::Time;
        for k in 0..=route.len() {
            if !r.time_ok(p, job, k) {
                continue;
            }
            buf.clear();
            buf.extend_from_slice(&route[..k]);
            buf.push(job);
            buf.extend_from_slice(&route[k..]);
            match check(p, obj, t, &buf) {
                Ok(_) => return Ok(()),
                Err(e) if k == route.len() => last = e,
                Err(_) => {}
            }
        }
        Err(last)
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{generate, GenerateParams};
    use crate::io::parse_problem_value;
    use crate::routing::evaluate;

    /// The exhaustive definition: every position checked exactly, the limit of the last one.
    fn every_position(
        p: &Problem,
        obj: &Objective,
        t: TechIdx,
        route: &[JobIdx],
        job: JobIdx,
    ) -> Result<(), Infeasible> {
        let mut why = Infeasible::Time;
        for k in 0..=route.len() {
            let mut seq = route.to_vec();
            seq.insert(k, job);
            match check(p, obj, t, &seq) {
                Ok(_) => return Ok(()),
                Err(e) => why = e,
            }
        }
        Err(why)
    }

    /// The filtered search gives the exhaustive answer for every (job, candidate) pair on
    /// days filled greedily (full days: max jobs, capacity and time all bind somewhere).
    #[test]
    fn filtered_insertion_equals_every_position() {
        let mut kinds = [0usize; 4];
        for (jobs, techs, seed) in [(150, 10, 1), (240, 12, 8), (120, 20, 4)] {
            let mut doc = generate(&GenerateParams { jobs, techs, seed });
            // Small limits on some technicians so that max jobs and capacity bind too.
            for (i, t) in doc["technicians"].as_array_mut().expect("list").iter_mut().enumerate() {
                match i % 4 {
                    1 => t["max_jobs"] = serde_json::json!(2),
                    2 => t["capacity"] = serde_json::json!([25]),
                    _ => {}
                }
            }
            let p = parse_problem_value(doc).expect("valid");
            let obj = Objective::new(&p, &p.policy);
            let elig = Eligibility::new(&p);
            let mut used = vec![false; p.jobs.len()];
            let mut routes: Vec<Vec<JobIdx>> = vec![Vec::new(); p.technicians.len()];
            for (t, r) in routes.iter_mut().enumerate() {
                for (j, done) in used.iter_mut().enumerate() {
                    let mut seq = r.clone();
                    seq.insert(j % (r.len() + 1), j);
                    if !*done && elig.allowed(j, t) && evaluate(&p, &obj, t, &seq).is_some() {
                        (*r, *done) = (seq, true);
                    }
                }
            }
            let reasons = Reasons::new(&p, &obj, &elig, &routes);
            for j in 0..p.jobs.len() {
                for &t in elig.candidates(j) {
                    let want = every_position(&p, &obj, t, &routes[t], j);
                    assert_eq!(reasons.insertion(t, j), want, "job {j}, tech {t}");
                    kinds[match want {
                        Ok(()) => 0,
                        Err(Infeasible::Time) => 1,
                        Err(Infeasible::MaxJobs) => 2,
                        Err(Infeasible::Capacity) => 3,
                    }] += 1;
                }
            }
        }
        // Each outcome occurs: (fits somewhere, time, max jobs, capacity).
        assert!(kinds.iter().all(|&n| n > 0), "outcomes {kinds:?}");
    }
}
