//! What-if moves on a finished plan, shared by explanations (`plan::explain`) and the price
//! of affinity (`plan::affinity`): a plan's routes as job indices, and the cheapest feasible
//! insertion of one job into one technician's day, by exact evaluation at every position.
//!
//! Hard rules (skills, certifications, bans, pins) are not checked here: callers decide
//! whether a technician is allowed, so that "what if the rule were relaxed" can be asked.

use std::collections::HashMap;

use crate::model::time::secs;
use crate::model::{JobIdx, Problem, TechIdx};
use crate::plan::{Plan, Stop};
use crate::policy::{Objective, COST_SCALE};
use crate::routing::{check, Infeasible, RouteEval};

/// Job sequences per technician (dense index) from a plan's routes. Unknown technician or
/// job ids, a repeated route of one technician and a job seen before are skipped (the first
/// occurrence wins), as the verifier does.
pub fn job_routes(p: &Problem, plan: &Plan) -> Vec<Vec<JobIdx>> {
    let techs: HashMap<&str, TechIdx> =
        p.technicians.iter().enumerate().map(|(i, t)| (t.id.as_str(), i)).collect();
    let jobs: HashMap<&str, JobIdx> =
        p.jobs.iter().enumerate().map(|(i, j)| (j.id.as_str(), i)).collect();
    let mut routes = vec![Vec::new(); p.technicians.len()];
    let mut seen_tech = vec![false; p.technicians.len()];
    let mut seen_job = vec![false; p.jobs.len()];
    for route in &plan.routes {
        let Some(&t) = techs.get(route.technician.as_str()) else { continue };
        if std::mem::replace(&mut seen_tech[t], true) {
            continue;
        }
        for stop in &route.stops {
            if let Stop::Job { job, .. } = stop {
                if let Some(&j) = jobs.get(job.as_str()) {
                    if !std::mem::replace(&mut seen_job[j], true) {
                        routes[t].push(j);
                    }
                }
            }
        }
    }
    routes
}

/// The technician of each job in `routes` (`None`: unassigned).
pub fn assignment_of(n_jobs: usize, routes: &[Vec<JobIdx>]) -> Vec<Option<TechIdx>> {
    let mut at = vec![None; n_jobs];
    for (t, seq) in routes.iter().enumerate() {
        for &j in seq {
            at[j] = Some(t);
        }
    }
    at
}

/// A feasible insertion of a job into a route: where, and the route before and after.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Insertion {
    /// Position among the route's jobs (0 = first).
    pub position: usize,
    /// The route without the job.
    pub before: RouteEval,
    /// The route with the job at `position`.
    pub after: RouteEval,
}

impl Insertion {
    /// Objective change in currency units.
    pub fn cost(&self) -> f64 {
        (self.after.cost - self.before.cost) as f64 / COST_SCALE
    }

    /// Travel time change in minutes (seconds / 60 for real days).
    pub fn travel_minutes(&self) -> f64 {
        secs(self.after.stats.travel_time - self.before.stats.travel_time) / 60.0
    }
}

/// The cheapest feasible insertion of `job` into technician `t`'s sequence `seq` (the first
/// position among equals), or the limit that rules every position out: `MaxJobs` or
/// `Capacity` when one of them binds, else `Time`. `seq` itself must be feasible (a
/// hand-edited infeasible route gives `Time`).
pub fn best_insertion(
    p: &Problem,
    obj: &Objective,
    t: TechIdx,
    seq: &[JobIdx],
    job: JobIdx,
) -> Result<Insertion, Infeasible> {
    let before = check(p, obj, t, seq).map_err(|_| Infeasible::Time)?;
    let mut best: Option<Insertion> = None;
    let mut why = Infeasible::Time;
    let mut buf = Vec::with_capacity(seq.len() + 1);
    for k in 0..=seq.len() {
        buf.clear();
        buf.extend_from_slice(&seq[..k]);
        buf.push(job);
        buf.extend_from_slice(&seq[k..]);
        match check(p, obj, t, &buf) {
            Ok(after) if best.is_none_or(|b| after.cost < b.after.cost) => {
                best = Some(Insertion { position: k, before, after });
            }
            Ok(_) => {}
            // Max jobs and capacity do not depend on the position: no need to try others.
            Err(e @ (Infeasible::MaxJobs | Infeasible::Capacity)) => return Err(e),
            Err(e) => why = e,
        }
    }
    best.ok_or(why)
}

/// The route of `t` without `job`, evaluated before and after: the removal as an
/// [`Insertion`] of `job` back at its position (so `cost()` is what the job adds).
pub fn removal(
    p: &Problem,
    obj: &Objective,
    t: TechIdx,
    seq: &[JobIdx],
    job: JobIdx,
) -> Option<(Vec<JobIdx>, Insertion)> {
    let position = seq.iter().position(|&j| j == job)?;
    let mut rest = seq.to_vec();
    rest.remove(position);
    let after = check(p, obj, t, seq).ok()?;
    let before = check(p, obj, t, &rest).ok()?;
    Some((rest, Insertion { position, before, after }))
}

/// A short name for an infeasibility, as used in reason codes.
pub fn limit_name(e: Infeasible) -> &'static str {
    match e {
        Infeasible::MaxJobs => "max_jobs",
        Infeasible::Capacity => "capacity",
        Infeasible::Time => "time",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::parse_problem_str;
    use crate::policy::Policy;

    #[test]
    fn cheapest_position_and_limits() {
        // A at x=0; jobs at x=10 and x=20; inserting x=15 between them adds no travel.
        let doc = r#"{"format": "fieldopt-problem/1", "date": "2026-11-24",
          "travel": {"kind": "euclidean"},
          "technicians": [{"id": "A", "start": {"x": 0, "y": 0}, "shift": [0, 100], "max_jobs": 3}],
          "jobs": [{"id": "P", "location": {"x": 10, "y": 0}, "duration": 1},
                   {"id": "Q", "location": {"x": 20, "y": 0}, "duration": 1},
                   {"id": "R", "location": {"x": 15, "y": 0}, "duration": 1},
                   {"id": "FAR", "location": {"x": 90, "y": 0}, "duration": 1}]}"#;
        let p = parse_problem_str(doc).unwrap();
        let obj = Objective::new(&p, &Policy { labor: 0.0, ..Policy::default() });
        let ins = best_insertion(&p, &obj, 0, &[0, 1], 2).unwrap();
        assert_eq!(ins.position, 1);
        assert_eq!(ins.travel_minutes(), 0.0);
        // FAR alone is 180 time units away and back: past the shift end of 100.
        assert_eq!(best_insertion(&p, &obj, 0, &[], 3), Err(Infeasible::Time));
        assert_eq!(best_insertion(&p, &obj, 0, &[0, 1, 2], 3), Err(Infeasible::MaxJobs));
        let (rest, rem) = removal(&p, &obj, 0, &[0, 2, 1], 2).unwrap();
        assert_eq!((rest, rem.position), (vec![0, 1], 1));
        assert!(removal(&p, &obj, 0, &[0, 1], 2).is_none());
    }
}
