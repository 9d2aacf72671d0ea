//! The LP-guided fallback after the search (issue 5): when a job that some technician
//! could serve alone stays unassigned while a job of lower priority is served, or the
//! search routed nothing although jobs are servable, the assignment MIP places the jobs (high-priority ones required
//! where feasible), each technician's jobs are sequenced, and the result is polished by
//! priority repair and local search. It replaces the search's solution only if it is
//! cheaper in the policy objective (which prices every unassigned job by its priority or
//! `unassigned_cost`): a job that the policy says is not worth serving stays out.

use rand::Rng;

use super::context::Ctx;
use super::pool::{from_routes, MAX_JOBS};
use super::solution::Solution;
use super::{local_search, priority};
use crate::model::JobIdx;
use crate::policy::Policy;
use crate::routing::evaluate;

/// Shortest MIP time cap (seconds), also when the search used up its time limit.
pub const MIN_SECS: f64 = 0.2;

/// Unassigned jobs the fallback must try to place: those some candidate could serve
/// alone, of priority above the lowest served one, or all of them when nothing is routed.
pub fn required(ctx: &Ctx, sol: &Solution) -> Vec<JobIdx> {
    let p = ctx.p;
    let served = sol.routes.iter().flat_map(|r| &r.jobs).map(|&j| p.jobs[j].priority).min();
    let mut out: Vec<JobIdx> = sol
        .unassigned
        .iter()
        .copied()
        .filter(|&j| served.is_none_or(|low| p.jobs[j].priority > low))
        .filter(|&j| {
            ctx.elig.candidates(j).iter().any(|&t| evaluate(p, &ctx.obj, t, &[j]).is_some())
        })
        .collect();
    out.sort_unstable();
    out
}

/// The fallback solution if it should replace `best` (see the module doc), else `None`.
/// The MIP gets `secs` seconds (at least [`MIN_SECS`]).
pub fn repair<R: Rng>(
    ctx: &Ctx,
    policy: &Policy,
    best: &Solution,
    secs: f64,
    rng: &mut R,
    stop: &dyn Fn() -> bool,
) -> Option<Solution> {
    if ctx.servable.len() > MAX_JOBS {
        return None;
    }
    let req = required(ctx, best);
    if req.is_empty() {
        return None;
    }
    let secs = Some(secs.max(MIN_SECS));
    let routes = crate::lp::fallback_routes(ctx.p, policy, &ctx.obj, &ctx.elig, &req, secs)?;
    let mut sol = from_routes(ctx, &routes)?;
    priority::repair(&mut sol, ctx, rng, stop);
    local_search::descend(&mut sol, ctx, rng, stop);
    (sol.cost(ctx) < best.cost(ctx)).then_some(sol)
}
