//! Everything a search worker reads but never writes: problem, objective, eligibility,
//! approximate cost coefficients and granular neighbour lists.

use crate::matching::Eligibility;
use crate::model::{JobIdx, Problem, TechIdx};
use crate::policy::{hours, micro, Objective, Policy};

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
    /// Approximate micro-currency of putting a technician to work at all (fixed cost).
    pub per_use: Vec<f64>,
    /// Per job: the nearest other jobs (by travel time both ways) sharing a candidate.
    pub neighbours: Vec<Vec<JobIdx>>,
    /// Jobs some technician could do (the rest stay unassigned whatever happens).
    pub servable: Vec<JobIdx>,
}

impl<'a> Ctx<'a> {
    /// Precomputes everything for `p` under `policy`.
    pub fn new(p: &'a Problem, policy: &Policy) -> Self {
        let obj = Objective::new(p, policy);
        let elig = Eligibility::new(p);
        let pol = policy;
        let per_tick = p
            .technicians
            .iter()
            .map(|t| micro((pol.travel_time + pol.labor * t.cost.per_hour) * hours(1)))
            .map(|x| x as f64)
            .collect();
        let per_dist =
            p.technicians.iter().map(|t| pol.travel_distance + pol.labor * t.cost.per_km).collect();
        let per_use =
            p.technicians.iter().map(|t| micro(pol.labor * t.cost.fixed) as f64).collect();
        let servable: Vec<JobIdx> =
            (0..p.jobs.len()).filter(|&j| !elig.candidates(j).is_empty()).collect();
        let neighbours = crate::matching::job_neighbours(p, &elig, &servable, NEIGHBOURS);
        Ctx { p, obj, elig, per_tick, per_dist, per_use, neighbours, servable }
    }

    /// Approximate cost of adding `dt` ticks of time and `dd` of distance to `tech`'s route.
    #[inline]
    pub fn approx(&self, tech: TechIdx, dt: i64, dd: i64) -> f64 {
        self.per_tick[tech] * dt as f64 + self.per_dist[tech] * dd as f64
    }
}
