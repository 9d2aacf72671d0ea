//! Everything a search worker reads but never writes: problem, objective, eligibility,
//! approximate cost coefficients and granular neighbour lists.

use rayon::prelude::*;

use crate::matching::Eligibility;
use crate::model::{JobIdx, Problem, TechIdx, Time};
use crate::policy::{hours, micro, Objective, Policy};
use crate::travel::NearIndex;

/// Neighbours kept per job for granular moves and related removals.
pub const NEIGHBOURS: usize = 30;

/// Candidate technicians per job that construction scores and insertion tries first: the
/// nearest by travel time from their start to the job. Jobs with at most this many
/// candidates keep them all (so small problems, e.g. Solomon's 25 vehicles, are unchanged);
/// at 20,000 jobs / 2,000 technicians a job can have hundreds, and scoring all of them made
/// construction quadratic in practice.
pub const NEAR_TECHS: usize = 32;

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
    /// Per job with more than [`NEAR_TECHS`] candidates: the [`NEAR_TECHS`] candidates whose
    /// start is nearest (ticks from start to job, ties by index), sorted by technician
    /// index; empty otherwise (then [`Ctx::near_techs`] gives all candidates).
    near: Vec<Vec<TechIdx>>,
}

impl<'a> Ctx<'a> {
    /// Precomputes everything for `p` under `policy`.
    pub fn new(p: &'a Problem, policy: &Policy) -> Self {
        let t0 = std::time::Instant::now();
        let obj = Objective::new(p, policy);
        super::trace(t0, "context: objective");
        let elig = Eligibility::new(p);
        super::trace(t0, "context: eligibility");
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
        super::trace(t0, "context: neighbours");
        let near = near_technicians(p, &elig, NEAR_TECHS);
        super::trace(t0, "context: near technicians");
        Ctx { p, obj, elig, per_tick, per_dist, per_use, neighbours, servable, near }
    }

    /// The candidates of `job` tried first: all of them when there are at most
    /// [`NEAR_TECHS`], else the [`NEAR_TECHS`] nearest by start (sorted by index).
    #[inline]
    pub fn near_techs(&self, job: JobIdx) -> &[TechIdx] {
        match self.near.get(job) {
            Some(v) if !v.is_empty() => v,
            _ => self.elig.candidates(job),
        }
    }

    /// True when [`Ctx::near_techs`] of `job` leaves some candidate out.
    #[inline]
    pub fn is_pruned(&self, job: JobIdx) -> bool {
        self.near.get(job).is_some_and(|v| !v.is_empty())
    }

    /// Approximate cost of adding `dt` ticks of time and `dd` of distance to `tech`'s route.
    #[inline]
    pub fn approx(&self, tech: TechIdx, dt: i64, dd: i64) -> f64 {
        self.per_tick[tech] * dt as f64 + self.per_dist[tech] * dd as f64
    }
}

/// Per job with more than `k` candidates: the `k` candidates with the smallest travel time
/// from their start to the job (ties by technician index), sorted by index; empty lists for
/// the others. Geometric travel walks an R*-tree of the start locations outward from the
/// job and stops one tick past the k-th time (travel time is non-decreasing along the
/// walk); other models scan the candidates. Both give the same lists.
fn near_technicians(p: &Problem, elig: &Eligibility, k: usize) -> Vec<Vec<TechIdx>> {
    if (0..p.jobs.len()).all(|j| elig.candidates(j).len() <= k) {
        return Vec::new();
    }
    let index = NearIndex::new(
        &p.travel.exact,
        p.technicians.iter().enumerate().map(|(t, tech)| (tech.start, t)),
    );
    (0..p.jobs.len())
        .into_par_iter()
        .map(|j| {
            let cands = elig.candidates(j);
            if cands.len() <= k {
                return Vec::new();
            }
            let lj = p.jobs[j].loc;
            let key = |t: TechIdx| (p.travel.time(p.technicians[t].start, lj), t);
            let mut v: Vec<(Time, TechIdx)> = match &index {
                Some(ix) => {
                    let mut v = Vec::with_capacity(k + 4);
                    let mut kth = Time::MAX;
                    for t in ix.nearest(&p.travel.exact, lj) {
                        if cands.binary_search(&t).is_err() {
                            continue;
                        }
                        let e = key(t);
                        if v.len() >= k && e.0 > kth.saturating_add(1) {
                            break;
                        }
                        v.push(e);
                        if v.len() == k {
                            kth = e.0;
                        }
                    }
                    v
                }
                None => cands.iter().map(|&t| key(t)).collect(),
            };
            if v.len() > k {
                v.select_nth_unstable(k - 1);
                v.truncate(k);
            }
            let mut out: Vec<TechIdx> = v.into_iter().map(|(_, t)| t).collect();
            out.sort_unstable();
            out
        })
        .collect()
}
