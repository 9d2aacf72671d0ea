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
//!   problems by route enumeration, an arc-flow LP relaxation otherwise).
//! - [`solve_assign`]: generalised assignment MIP over the same eligibility and policy
//!   terms, then each technician's jobs sequenced into a feasible route.

#[cfg(any(feature = "lp-highs", feature = "lp-microlp"))]
mod assign;
#[cfg(any(feature = "lp-highs", feature = "lp-microlp"))]
mod backend;
#[cfg(any(feature = "lp-highs", feature = "lp-microlp"))]
mod bound;
#[cfg(any(feature = "lp-highs", feature = "lp-microlp"))]
mod coeffs;
#[cfg(any(feature = "lp-highs", feature = "lp-microlp"))]
mod colgen;
#[cfg(any(feature = "lp-highs", feature = "lp-microlp"))]
mod enumerate;
mod gap;
#[cfg(any(feature = "lp-highs", feature = "lp-microlp"))]
mod partition;
#[cfg(any(feature = "lp-highs", feature = "lp-microlp"))]
mod sequence;

#[cfg(any(feature = "lp-highs", feature = "lp-microlp"))]
pub use assign::{solve_assign, AssignModel, AssignSolution};
#[cfg(any(feature = "lp-highs", feature = "lp-microlp"))]
pub use bound::{lower_bound, Bound, BoundMethod, BoundOptions};
#[cfg(any(feature = "lp-highs", feature = "lp-microlp"))]
pub use enumerate::{enumerate_routes, Column};
pub use gap::relative_gap;
#[cfg(any(feature = "lp-highs", feature = "lp-microlp"))]
pub use partition::{partition, Partition};

use crate::model::Problem;
use crate::plan::Plan;
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

/// Writes `kpis.lower_bound` and `kpis.gap` into `plan` when `params.lower_bound` is set
/// and a backend is compiled in; leaves them `None` otherwise or when the LP fails.
pub fn annotate_bound(problem: &Problem, params: &SolveParams, plan: &mut Plan) {
    if !params.lower_bound {
        return;
    }
    #[cfg(any(feature = "lp-highs", feature = "lp-microlp"))]
    {
        let policy = params.policy.as_ref().unwrap_or(&problem.policy);
        if let Ok(b) = lower_bound(problem, policy, &BoundOptions::default()) {
            plan.kpis.lower_bound = Some(b.value);
            plan.kpis.gap = Some(relative_gap(plan.kpis.objective, b.value));
        }
    }
    #[cfg(not(any(feature = "lp-highs", feature = "lp-microlp")))]
    {
        let _ = (problem, plan);
    }
}
