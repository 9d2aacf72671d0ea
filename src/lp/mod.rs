//! Linear and integer programming with good_lp: a lower bound on the plan objective, the
//! exact assignment mode, and set partitioning over route columns.
//!
//! The backend is chosen at build time: HiGHS (feature `lp-highs`, the default; fast, but a
//! C++ build) or microlp (feature `lp-microlp`; pure Rust, about 10x slower on LPs and
//! unable to finish mid-sized MIPs, so models are kept small and every caller has a
//! heuristic fallback). With neither feature the module still compiles: the bound is
//! absent and `mode = assign` falls back to the routing search.
//!
//! - [`lower_bound`]: a value no plan of the problem can beat (exact optimum on tiny
//!   problems by route enumeration; otherwise column generation over routes with
//!   subset-row cuts, or an arc-flow LP relaxation when that cannot certify in time).
//! - [`solve_assign`]: generalised assignment MIP over the same eligibility and policy
//!   terms, then each technician's jobs sequenced into a feasible route.
//! - [`recombine_routes`]: set partitioning over the route pool of the search (issue 5).
//! - [`fallback_routes`]: the assignment MIP with high-priority jobs required, sequenced,
//!   for when the search leaves them out.

#[cfg(any(feature = "lp-highs", feature = "lp-microlp"))]
mod assign;
#[cfg(any(feature = "lp-highs", feature = "lp-microlp"))]
mod backend;
#[cfg(any(feature = "lp-highs", feature = "lp-microlp"))]
mod bound;
mod classes;
#[cfg(any(feature = "lp-highs", feature = "lp-microlp"))]
mod coarse;
#[cfg(any(feature = "lp-highs", feature = "lp-microlp"))]
mod coeffs;
#[cfg(any(feature = "lp-highs", feature = "lp-microlp"))]
mod colgen;
#[cfg(any(feature = "lp-highs", feature = "lp-microlp"))]
mod cuts;
#[cfg(any(feature = "lp-highs", feature = "lp-microlp"))]
mod day;
#[cfg(any(feature = "lp-highs", feature = "lp-microlp"))]
mod enumerate;
#[cfg(any(feature = "lp-highs", feature = "lp-microlp"))]
mod fallback;
mod gap;
#[cfg(any(feature = "lp-highs", feature = "lp-microlp"))]
mod label;
#[cfg(any(feature = "lp-highs", feature = "lp-microlp"))]
mod master;
#[cfg(any(feature = "lp-highs", feature = "lp-microlp"))]
mod partition;
#[cfg(any(feature = "lp-highs", feature = "lp-microlp"))]
mod pricing;
#[cfg(any(feature = "lp-highs", feature = "lp-microlp"))]
mod recombine;
#[cfg(any(feature = "lp-highs", feature = "lp-microlp"))]
mod scaled;
#[cfg(any(feature = "lp-highs", feature = "lp-microlp"))]
mod sequence;

#[cfg(any(feature = "lp-highs", feature = "lp-microlp"))]
pub use assign::{solve_assign, AssignModel, AssignSolution};
#[cfg(any(feature = "lp-highs", feature = "lp-microlp"))]
pub use bound::{lower_bound, lower_bound_from, Bound, BoundMethod, BoundOptions};
#[cfg(test)]
pub(crate) use classes::two_identical_technicians;
pub use classes::{PoolRoute, TechClasses};
#[cfg(any(feature = "lp-highs", feature = "lp-microlp"))]
pub use enumerate::{enumerate_routes, Column};
pub use gap::relative_gap;
#[cfg(any(feature = "lp-highs", feature = "lp-microlp"))]
pub use partition::{partition, Partition};

use crate::matching::Eligibility;
use crate::model::{JobIdx, Problem, TechIdx};
use crate::plan::whatif::job_routes;
use crate::plan::Plan;
use crate::policy::{Objective, Policy};
use crate::solver::SolveParams;

/// Name of the compiled LP backend (`"highs"`, `"microlp"`), or `None` without one.
pub const BACKEND: Option<&str> = if cfg!(feature = "lp-highs") {
    Some("highs")
} else if cfg!(feature = "lp-microlp") {
    Some("microlp")
} else {
    None
};

/// The plan of `mode = assign` when an LP backend is compiled in, else `None` (the caller
/// then runs the routing search).
pub fn assign_mode_plan(problem: &Problem, params: &SolveParams) -> Option<Plan> {
    #[cfg(any(feature = "lp-highs", feature = "lp-microlp"))]
    {
        Some(solve_assign(problem, params))
    }
    #[cfg(not(any(feature = "lp-highs", feature = "lp-microlp")))]
    {
        let _ = (problem, params);
        None
    }
}

/// Writes `kpis.lower_bound`, `kpis.gap` and `kpis.bound_method` into `plan` when
/// `params.lower_bound` is set and a backend is compiled in; leaves them `None` otherwise
/// or when the LP fails.
pub fn annotate_bound(problem: &Problem, params: &SolveParams, plan: &mut Plan) {
    if !params.lower_bound && params.bound_seconds.is_none() {
        return;
    }
    #[cfg(any(feature = "lp-highs", feature = "lp-microlp"))]
    {
        let policy = params.policy.as_ref().unwrap_or(&problem.policy);
        let routes = plan_routes(problem, plan);
        // The bound's parallel parts (pricing per technician class, arc costs) use the
        // solve's thread count, like the search.
        let mut opts = BoundOptions::default();
        if let Some(s) = params.bound_seconds.filter(|s| s.is_finite() && *s >= 0.0) {
            opts.colgen_seconds = s;
        }
        let bound = || lower_bound_from(problem, policy, &opts, &routes);
        if let Ok(b) = params.on_threads(bound) {
            plan.kpis.lower_bound = Some(b.value);
            plan.kpis.gap = Some(relative_gap(plan.kpis.objective, b.value));
            plan.kpis.bound_method = Some(b.method);
        }
    }
    #[cfg(not(any(feature = "lp-highs", feature = "lp-microlp")))]
    {
        let _ = (problem, plan);
    }
}

/// The routes of `plan` as (technician, jobs in order), read as the verifier reads them
/// ([`job_routes`]): the warm start of the bound's column generation.
pub fn plan_routes(problem: &Problem, plan: &Plan) -> Vec<(TechIdx, Vec<JobIdx>)> {
    job_routes(problem, plan).into_iter().enumerate().filter(|r| !r.1.is_empty()).collect()
}

/// Recombination of `pool` and the `incumbent` routes (by technician) by set partitioning
/// within `time_limit` seconds and `max_nodes` nodes: routes per technician of a cheaper
/// plan, or `None` (none found, the MIP failed, or no backend is compiled in).
pub fn recombine_routes(
    problem: &Problem,
    obj: &Objective,
    classes: &TechClasses,
    pool: &[PoolRoute],
    incumbent: &[Vec<JobIdx>],
    time_limit: Option<f64>,
    max_nodes: Option<i32>,
) -> Option<Vec<Vec<JobIdx>>> {
    #[cfg(any(feature = "lp-highs", feature = "lp-microlp"))]
    {
        let r = recombine::recombine(problem, obj, classes, pool, incumbent, time_limit, max_nodes);
        r.unwrap_or_else(|e| {
            if std::env::var_os("FIELDOPT_TRACE").is_some() {
                eprintln!("[fieldopt] recombination: {e}");
            }
            None
        })
    }
    #[cfg(not(any(feature = "lp-highs", feature = "lp-microlp")))]
    {
        let _ = (problem, obj, classes, pool, incumbent, time_limit, max_nodes);
        None
    }
}

/// Routes per technician from the assignment MIP with `required` jobs required where
/// feasible, sequenced (`fallback::assign_routes`); `None` if the MIP fails or no backend
/// is compiled in.
pub fn fallback_routes(
    problem: &Problem,
    policy: &Policy,
    obj: &Objective,
    elig: &Eligibility,
    required: &[JobIdx],
    time_limit: Option<f64>,
) -> Option<Vec<Vec<JobIdx>>> {
    #[cfg(any(feature = "lp-highs", feature = "lp-microlp"))]
    {
        fallback::assign_routes(problem, policy, obj, elig, required, time_limit).ok()
    }
    #[cfg(not(any(feature = "lp-highs", feature = "lp-microlp")))]
    {
        let _ = (problem, policy, obj, elig, required, time_limit);
        None
    }
}
