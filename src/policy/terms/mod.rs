//! The registered objective terms and the [`Objective`] that sums them.

mod fairness;
mod labor;
mod preferred;
mod rating;
mod skill_fit;
mod travel;
mod unassigned;
mod workload;

use rayon::prelude::*;

use super::{Policy, RouteStats, Term};
use crate::model::{JobIdx, Problem, TechIdx};

pub use fairness::{is_basic, is_expert, Fairness, BASIC_LEVEL, EXPERT_LEVEL};
pub use labor::Labor;
pub use preferred::Preferred;
pub use rating::Rating;
pub use skill_fit::SkillFit;
pub use travel::{TravelDistance, TravelTime};
pub use unassigned::{Unassigned, PRIORITY_CAP};
pub use workload::Workload;

/// The objective of a policy: a list of weighted terms plus a dense cache of the
/// sequence-independent parts (assignment costs per job x technician, unassigned costs).
pub struct Objective {
    terms: Vec<Box<dyn Term>>,
    n_techs: usize,
    assign: Vec<i64>,
    unassigned: Vec<i64>,
}

impl Objective {
    /// Builds the terms of `policy` (one registration line per term) and caches their
    /// per-job values for `problem`.
    pub fn new(problem: &Problem, policy: &Policy) -> Self {
        let terms: Vec<Box<dyn Term>> = vec![
            Box::new(TravelTime { weight: policy.travel_time }),
            Box::new(TravelDistance { weight: policy.travel_distance }),
            Box::new(Labor { weight: policy.labor }),
            Box::new(Unassigned { weight: policy.unassigned, outsourcing: policy.outsourcing }),
            Box::new(Preferred::new(problem, policy.preferred, policy.unassigned)),
            Box::new(SkillFit::new(problem, policy.skill_fit)),
            Box::new(Rating::new(problem, policy.rating)),
            Box::new(Workload::new(problem, policy.workload)),
            Box::new(Fairness::new(problem, policy.fairness)),
        ];
        let n_techs = problem.technicians.len();
        // Jobs x technicians entries (40 M at 20,000 x 2,000): one row per job, in parallel.
        let mut assign = vec![0i64; problem.jobs.len() * n_techs];
        assign.par_chunks_mut(n_techs.max(1)).enumerate().for_each(|(j, row)| {
            for (t, cell) in row.iter_mut().enumerate() {
                *cell = terms
                    .iter()
                    .map(|x| x.assignment_cost(problem, j, t))
                    .fold(0i64, i64::saturating_add);
            }
        });
        let unassigned: Vec<i64> = (0..problem.jobs.len())
            .into_par_iter()
            .map(|j| {
                terms.iter().map(|x| x.unassigned_cost(problem, j)).fold(0i64, i64::saturating_add)
            })
            .collect();
        Objective { terms, n_techs, assign, unassigned }
    }

    /// Cost of a route from its measures (0 for an unused technician).
    pub fn route_cost(&self, p: &Problem, tech: TechIdx, r: &RouteStats) -> i64 {
        if r.jobs == 0 {
            return 0;
        }
        self.terms.iter().map(|x| x.route_cost(p, tech, r)).fold(0i64, i64::saturating_add)
    }

    /// Cost of doing `job` with `tech` regardless of sequence.
    #[inline]
    pub fn assignment_cost(&self, job: JobIdx, tech: TechIdx) -> i64 {
        self.assign[job * self.n_techs + tech]
    }

    /// Cost of leaving `job` out.
    #[inline]
    pub fn unassigned_cost(&self, job: JobIdx) -> i64 {
        self.unassigned[job]
    }

    /// Per-term cost of a route of `tech` with measures `r` doing `jobs`, in registration
    /// order (micro-currency): route-level parts plus the jobs' assignment parts. Sums to
    /// the route's cost; used by explanations ("why this technician"), not by the search.
    pub fn breakdown(
        &self,
        p: &Problem,
        tech: TechIdx,
        r: &RouteStats,
        jobs: &[JobIdx],
    ) -> Vec<(&'static str, i64)> {
        self.terms
            .iter()
            .map(|x| {
                let route = if r.jobs == 0 { 0 } else { x.route_cost(p, tech, r) };
                let assign = jobs
                    .iter()
                    .map(|&j| x.assignment_cost(p, j, tech))
                    .fold(0i64, i64::saturating_add);
                (x.name(), route.saturating_add(assign))
            })
            .collect()
    }

    /// Names of the registered terms.
    pub fn term_names(&self) -> Vec<&'static str> {
        self.terms.iter().map(|t| t.name()).collect()
    }
}
