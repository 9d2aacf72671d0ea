//! Everything a search worker reads but never writes: problem, objective, eligibility,
//! approximate cost coefficients and granular neighbour lists.

use crate::matching::Eligibility;
use crate::model::{JobIdx, Problem, TechIdx};
use crate::policy::{hours, micro, Objective};

/// Neighbours kept per job for granular moves and related removals.
pub const NEIGHBOURS: usize = 30;

/// Read-only data shared by all workers of one solve.
pub struct Ctx<'a> {
    /// The problem.
    pub p: &'a Problem,
    /// Its objective under the chosen policy.
    pub obj: Objective,
    /// Who may do what.
    pub elig: Eligibility,
    /// Approximate micro-currency per tick of extra route time, per technician.
    pub per_tick: Vec<f64>,
    /// Approximate micro-currency per 1/1000 distance unit, per technician (a weight in
    /// currency per 1000 units is exactly micro-currency per 1/1000 unit).
    pub per_dist: Vec<f64>,
    /// Per job: the nearest other jobs (by travel time both ways) sharing a candidate.
    pub neighbours: Vec<Vec<JobIdx>>,
    /// Jobs some technician could do (the rest stay unassigned whatever happens).
    pub servable: Vec<JobIdx>,
}

impl<'a> Ctx<'a> {
    /// Precomputes everything for `p`.
    pub fn new(p: &'a Problem) -> Self {
        let obj = Objective::new(p, &p.policy);
        let elig = Eligibility::new(p);
        let pol = &p.policy;
        let per_tick = p
            .technicians
            .iter()
            .map(|t| micro((pol.travel_time + pol.labor * t.cost.per_hour) * hours(1)))
            .map(|x| x as f64)
            .collect();
        let per_dist =
            p.technicians.iter().map(|t| pol.travel_distance + pol.labor * t.cost.per_km).collect();
        let servable: Vec<JobIdx> =
            (0..p.jobs.len()).filter(|&j| !elig.candidates(j).is_empty()).collect();
        let neighbours = neighbours(p, &elig, &servable);
        Ctx { p, obj, elig, per_tick, per_dist, neighbours, servable }
    }

    /// Approximate cost of adding `dt` ticks of time and `dd` of distance to `tech`'s route.
    #[inline]
    pub fn approx(&self, tech: TechIdx, dt: i64, dd: i64) -> f64 {
        self.per_tick[tech] * dt as f64 + self.per_dist[tech] * dd as f64
    }
}

fn neighbours(p: &Problem, elig: &Eligibility, servable: &[JobIdx]) -> Vec<Vec<JobIdx>> {
    use rayon::prelude::*;
    let mut out = vec![Vec::new(); p.jobs.len()];
    let lists: Vec<(JobIdx, Vec<JobIdx>)> = servable
        .par_iter()
        .map(|&a| {
            let la = p.jobs[a].loc;
            let mut v: Vec<(i64, JobIdx)> = servable
                .iter()
                .filter(|&&b| b != a)
                .filter(|&&b| elig.candidates(b).iter().any(|&t| elig.allowed(a, t)))
                .map(|&b| {
                    let lb = p.jobs[b].loc;
                    (p.travel.time(la, lb).min(p.travel.time(lb, la)), b)
                })
                .collect();
            let k = NEIGHBOURS.min(v.len());
            if k > 0 && k < v.len() {
                v.select_nth_unstable(k - 1);
            }
            v.truncate(k);
            v.sort_unstable();
            (a, v.into_iter().map(|(_, b)| b).collect())
        })
        .collect();
    for (a, l) in lists {
        out[a] = l;
    }
    out
}
