//! Turns a job-to-technician assignment into feasible routes: each technician's jobs are
//! placed by cheapest feasible insertion (exact route evaluation, tightest windows first)
//! and improved by relocating single jobs; jobs that fit nowhere on their technician's day
//! are offered to the other candidates, and otherwise left out.

use crate::matching::Eligibility;
use crate::model::{JobIdx, Problem, TechIdx};
use crate::policy::Objective;
use crate::routing::{evaluate, RouteEval};

/// Feasible routes built from an assignment.
pub struct Sequenced {
    /// Job sequence per technician.
    pub routes: Vec<Vec<JobIdx>>,
    /// Exact evaluation per technician (the empty route's for unused ones).
    pub evals: Vec<RouteEval>,
    /// Jobs in no route.
    pub left_out: Vec<JobIdx>,
}

/// Relocation passes over a route at most (each pass is quadratic in its length).
const PASSES: usize = 4;

/// Sequences `sets[t]` (the jobs given to technician `t`) into feasible routes. `order`
/// ranks jobs for the second-chance insertion of those that did not fit (first = first).
pub fn sequence(
    p: &Problem,
    obj: &Objective,
    elig: &Eligibility,
    sets: &[Vec<JobIdx>],
    order: &[JobIdx],
) -> Sequenced {
    let empty = |t: TechIdx| evaluate(p, obj, t, &[]).expect("an empty route is feasible");
    let mut routes = vec![Vec::new(); p.technicians.len()];
    let mut evals: Vec<RouteEval> = (0..p.technicians.len()).map(empty).collect();
    let mut missed = Vec::new();
    for (t, set) in sets.iter().enumerate() {
        let mut jobs = set.clone();
        // Tightest latest start first, then earliest open, then index (deterministic).
        jobs.sort_by_key(|&j| {
            let h = p.jobs[j].window_hull();
            (h.close, h.open, j)
        });
        for j in jobs {
            match best_insertion(p, obj, t, &routes[t], j) {
                Some((k, e)) => {
                    routes[t].insert(k, j);
                    evals[t] = e;
                }
                None => missed.push(j),
            }
        }
        improve(p, obj, t, &mut routes[t], &mut evals[t]);
    }
    let rank = |j: JobIdx| order.iter().position(|&o| o == j).unwrap_or(usize::MAX);
    missed.sort_by_key(|&j| (rank(j), j));
    for j in missed {
        let mut best: Option<(i64, TechIdx, usize, RouteEval)> = None;
        for &t in elig.candidates(j) {
            if let Some((k, e)) = best_insertion(p, obj, t, &routes[t], j) {
                let delta = e.cost - evals[t].cost;
                if best.as_ref().is_none_or(|b| delta < b.0) {
                    best = Some((delta, t, k, e));
                }
            }
        }
        if let Some((delta, t, k, e)) = best {
            if delta < obj.unassigned_cost(j) {
                routes[t].insert(k, j);
                evals[t] = e;
            }
        }
    }
    // Also the jobs the assignment left out itself.
    let mut routed = vec![false; p.jobs.len()];
    routes.iter().flatten().for_each(|&j| routed[j] = true);
    let left_out = (0..p.jobs.len()).filter(|&j| !routed[j]).collect();
    Sequenced { routes, evals, left_out }
}

/// The cheapest feasible position of `job` in `route` of `t`, with the new evaluation.
fn best_insertion(
    p: &Problem,
    obj: &Objective,
    t: TechIdx,
    route: &[JobIdx],
    job: JobIdx,
) -> Option<(usize, RouteEval)> {
    let mut best: Option<(usize, RouteEval)> = None;
    let mut buf = Vec::with_capacity(route.len() + 1);
    for k in 0..=route.len() {
        buf.clear();
        buf.extend_from_slice(&route[..k]);
        buf.push(job);
        buf.extend_from_slice(&route[k..]);
        if let Some(e) = evaluate(p, obj, t, &buf) {
            if best.as_ref().is_none_or(|b| e.cost < b.1.cost) {
                best = Some((k, e));
            }
        }
    }
    best
}

/// Moves single jobs to their best position while that lowers the route cost.
fn improve(
    p: &Problem,
    obj: &Objective,
    t: TechIdx,
    route: &mut Vec<JobIdx>,
    eval: &mut RouteEval,
) {
    for _ in 0..PASSES {
        let mut improved = false;
        for from in 0..route.len() {
            let mut rest = route.clone();
            let j = rest.remove(from);
            if let Some((k, e)) = best_insertion(p, obj, t, &rest, j) {
                if e.cost < eval.cost {
                    rest.insert(k, j);
                    *route = rest;
                    *eval = e;
                    improved = true;
                }
            }
        }
        if !improved {
            break;
        }
    }
}
