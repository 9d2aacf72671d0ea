//! LP-guided repair for when the search leaves high-priority jobs out (or finds no plan in
//! its budget): the generalised assignment MIP of [`super::assign`] with leaving a
//! required job out priced [`REQUIRED_FACTOR`] times higher (required where feasible),
//! then each technician's jobs sequenced into feasible routes ([`super::sequence`]).

use super::assign::AssignModel;
use super::sequence::sequence;
use crate::error::Result;
use crate::matching::Eligibility;
use crate::model::{JobIdx, Problem};
use crate::policy::{Objective, Policy, COST_SCALE};

/// How much more leaving a required job out costs in the MIP than the policy says.
pub const REQUIRED_FACTOR: f64 = 1_000.0;

/// Feasible routes per technician placing as many of `required` as the assignment and the
/// sequencing allow, within `time_limit` seconds of MIP.
pub fn assign_routes(
    p: &Problem,
    policy: &Policy,
    obj: &Objective,
    elig: &Eligibility,
    required: &[JobIdx],
    time_limit: Option<f64>,
) -> Result<Vec<Vec<JobIdx>>> {
    let mut must = vec![false; p.jobs.len()];
    required.iter().for_each(|&j| must[j] = true);
    let model = AssignModel::new(p, policy, obj, elig);
    let price = |j: JobIdx| {
        let u = obj.unassigned_cost(j) as f64 / COST_SCALE;
        if must[j] {
            u * REQUIRED_FACTOR
        } else {
            u
        }
    };
    let sets = model.solve_priced(p, &price, time_limit)?.sets;
    // Required jobs first when a job did not fit its technician's day, then by priority.
    let mut order: Vec<JobIdx> = (0..p.jobs.len()).collect();
    order.sort_by_key(|&j| (!must[j], std::cmp::Reverse(p.jobs[j].priority), j));
    Ok(sequence(p, obj, elig, &sets, &order).routes)
}
