//! Who may do which job: the hard rules evaluated once into a dense table, candidate
//! technicians per job (allowed and able to do the job alone within their day), and the
//! computed reason when a job ends up unassigned.

mod neighbours;
mod reasons;

pub use neighbours::{job_neighbours, job_neighbours_with};
pub use reasons::{unassigned_reason, Reasons};

use rayon::prelude::*;

use crate::model::{JobIdx, Problem, TechIdx};
use crate::policy::rules::{self, Rule};
use crate::routing::alone_possible;

/// Most (job, technician) pairs a problem may have: the eligibility table holds one byte per
/// pair plus the candidate lists (8 bytes per candidate pair), so 2^28 pairs (for example
/// 100,000 jobs x 2,684 technicians) need at most about 2.4 GB.
pub const MAX_PAIRS: usize = 1 << 28;

/// Eligibility computed once per solve.
#[derive(Debug, Clone)]
pub struct Eligibility {
    n_techs: usize,
    /// `allowed[job * n_techs + tech]`: every hard rule passes.
    allowed: Vec<bool>,
    /// Per job: allowed technicians for which the job is not ruled out by time, capacity or
    /// max jobs (checked alone and without the break, which is only sound on metric travel).
    candidates: Vec<Vec<TechIdx>>,
}

impl Eligibility {
    /// Evaluates every rule for every (job, technician) pair, in parallel over jobs.
    pub fn new(p: &Problem) -> Self {
        let n_techs = p.technicians.len();
        let rules = rules::all();
        let metric = p.travel.is_metric();
        let rows: Vec<(Vec<bool>, Vec<TechIdx>)> = (0..p.jobs.len())
            .into_par_iter()
            .map(|j| {
                let row: Vec<bool> =
                    (0..n_techs).map(|t| rules.iter().all(|r| r.allows(p, j, t))).collect();
                let cands = (0..n_techs)
                    .filter(|&t| row[t] && (!metric || alone_possible(p, t, j).is_ok()))
                    .collect();
                (row, cands)
            })
            .collect();
        let mut allowed = Vec::with_capacity(p.jobs.len() * n_techs);
        let mut candidates = Vec::with_capacity(p.jobs.len());
        for (row, c) in rows {
            allowed.extend(row);
            candidates.push(c);
        }
        Eligibility { n_techs, allowed, candidates }
    }

    /// True when every hard rule lets `tech` do `job`.
    #[inline]
    pub fn allowed(&self, job: JobIdx, tech: TechIdx) -> bool {
        self.allowed[job * self.n_techs + tech]
    }

    /// Technicians that may do `job` and could do it alone within their day.
    #[inline]
    pub fn candidates(&self, job: JobIdx) -> &[TechIdx] {
        &self.candidates[job]
    }

    /// The first rule that forbids `tech` for `job`, if any.
    pub fn blocking_rule(p: &Problem, job: JobIdx, tech: TechIdx) -> Option<Box<dyn Rule>> {
        rules::all().into_iter().find(|r| !r.allows(p, job, tech))
    }
}
