//! Every feasible route of a tiny problem: per technician, the cheapest feasible sequence
//! of each subset of its candidate jobs, found by depth-first search with exact route
//! evaluation. Set partitioning over these columns is the exact optimum (see
//! [`super::partition`]); the search gives up past a budget of evaluated sequences.

use std::collections::HashMap;

use crate::matching::Eligibility;
use crate::model::{JobIdx, Problem, TechIdx};
use crate::policy::Objective;
use crate::routing::evaluate;

/// One route: a technician, its job sequence and its exact cost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// The technician driving it.
    pub tech: TechIdx,
    /// Jobs in visiting order (never empty).
    pub jobs: Vec<JobIdx>,
    /// Route cost: route terms plus assignment costs, in micro-currency.
    pub cost: i64,
}

/// Largest number of candidate jobs per technician the subset keys can hold.
const MAX_JOBS: usize = 63;

/// All cheapest feasible routes, or `None` when some technician has more than 63
/// candidate jobs or more than `budget` sequences would have to be evaluated in total.
/// With metric travel an infeasible prefix ends its branch (adding jobs only delays);
/// otherwise every permutation is tried.
pub fn enumerate_routes(
    p: &Problem,
    obj: &Objective,
    elig: &Eligibility,
    budget: usize,
) -> Option<Vec<Column>> {
    let metric = p.travel.is_metric();
    let mut left = budget;
    let mut out = Vec::new();
    for t in 0..p.technicians.len() {
        let jobs: Vec<JobIdx> =
            (0..p.jobs.len()).filter(|&j| elig.candidates(j).contains(&t)).collect();
        if jobs.len() > MAX_JOBS {
            return None;
        }
        let mut best: HashMap<u64, (i64, Vec<JobIdx>)> = HashMap::new();
        let mut seq = Vec::new();
        let mut search =
            Search { p, obj, t, jobs: &jobs, metric, left: &mut left, best: &mut best };
        if !search.extend(&mut seq, 0) {
            return None;
        }
        let mut cols: Vec<(u64, (i64, Vec<JobIdx>))> = best.into_iter().collect();
        cols.sort_unstable_by_key(|(mask, _)| *mask);
        out.extend(cols.into_iter().map(|(_, (cost, jobs))| Column { tech: t, jobs, cost }));
    }
    Some(out)
}

struct Search<'a> {
    p: &'a Problem,
    obj: &'a Objective,
    t: TechIdx,
    jobs: &'a [JobIdx],
    metric: bool,
    left: &'a mut usize,
    best: &'a mut HashMap<u64, (i64, Vec<JobIdx>)>,
}

impl Search<'_> {
    /// Tries every unused job after `seq` (its subset is `mask`); false when out of budget.
    fn extend(&mut self, seq: &mut Vec<JobIdx>, mask: u64) -> bool {
        for (k, &j) in self.jobs.iter().enumerate() {
            if mask & (1 << k) != 0 {
                continue;
            }
            if *self.left == 0 {
                return false;
            }
            *self.left -= 1;
            seq.push(j);
            let m = mask | (1 << k);
            let eval = evaluate(self.p, self.obj, self.t, seq);
            if let Some(e) = eval {
                let entry = self.best.entry(m).or_insert((i64::MAX, Vec::new()));
                if e.cost < entry.0 {
                    *entry = (e.cost, seq.clone());
                }
            }
            if (eval.is_some() || !self.metric) && !self.extend(seq, m) {
                return false;
            }
            seq.pop();
        }
        true
    }
}
