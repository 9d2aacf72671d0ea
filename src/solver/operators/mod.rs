//! Local-search moves, one file each. A move looks at one job `u` and its granular
//! neighbours, screens candidates with O(1) travel deltas (and relaxed time checks where
//! they apply), evaluates the survivors exactly, and applies the first improving one.

mod or_opt;
mod relocate;
mod swap;
mod swap_star;
mod top3;
mod two_opt;
mod two_opt_star;

use super::context::Ctx;
use super::solution::Solution;
use crate::model::{JobIdx, TechIdx};
use crate::routing::{evaluate, RouteEval};

pub use or_opt::OrOpt;
pub use relocate::Relocate;
pub use swap::Swap;
pub use swap_star::SwapStar;
pub use two_opt::TwoOpt;
pub use two_opt_star::TwoOptStar;

/// A local-search neighbourhood around one job.
pub trait Move: Send + Sync {
    /// Name for statistics.
    fn name(&self) -> &'static str;
    /// Tries the move's candidates around `u`; applies the first improving one.
    fn improve(&self, sol: &mut Solution, ctx: &Ctx, u: JobIdx, s: &mut Scratch) -> bool;
}

/// Reusable buffers for candidate sequences, and caches the moves keep between calls. Keep
/// one per search worker (the caches stay valid across steps and solutions:
/// they are keyed by route stamps).
#[derive(Default)]
pub struct Scratch {
    /// First candidate route.
    pub a: Vec<JobIdx>,
    /// Second candidate route.
    pub b: Vec<JobIdx>,
    /// SWAP*'s top three insertion positions per (job, route).
    inserts: top3::InsertCache,
}

/// The moves in the order local search tries them.
pub fn all() -> Vec<Box<dyn Move>> {
    vec![
        Box::new(Relocate),
        Box::new(Swap),
        Box::new(OrOpt),
        Box::new(TwoOptStar),
        Box::new(TwoOpt),
        Box::new(SwapStar),
    ]
}

/// Exactly evaluates new sequences for one or two routes; applies them if the total
/// route cost drops. `b` is ignored when `tb == ta`.
pub(crate) fn try_apply(
    sol: &mut Solution,
    ctx: &Ctx,
    ta: TechIdx,
    tb: TechIdx,
    s: &Scratch,
) -> bool {
    let old = sol.routes[ta].cost() + if tb != ta { sol.routes[tb].cost() } else { 0 };
    let Some(ea) = evaluate(ctx.p, &ctx.obj, ta, &s.a) else { return false };
    let mut eb: Option<RouteEval> = None;
    let mut new = ea.cost;
    if tb != ta {
        let Some(e) = evaluate(ctx.p, &ctx.obj, tb, &s.b) else { return false };
        new += e.cost;
        eb = Some(e);
    }
    if new >= old {
        return false;
    }
    sol.set_route(ctx, ta, s.a.clone(), ea);
    if let Some(e) = eb {
        sol.set_route(ctx, tb, s.b.clone(), e);
    }
    true
}

/// Approximate cost of moving `job`'s service time from technician `from` to `to`.
#[inline]
pub(crate) fn service_shift(ctx: &Ctx, job: JobIdx, from: TechIdx, to: TechIdx) -> f64 {
    let o = &ctx.obj;
    let d = ctx.p.jobs[job].duration as f64;
    (o.assignment_cost(job, to) - o.assignment_cost(job, from)) as f64
        + (ctx.per_tick[to] - ctx.per_tick[from]) * d
}

/// Approximate cost of the arc changes `added - removed` (travel time and distance) on `t`.
#[inline]
pub(crate) fn arcs(
    ctx: &Ctx,
    t: TechIdx,
    added: &[(usize, usize)],
    removed: &[(usize, usize)],
) -> f64 {
    let tr = &ctx.p.travel;
    let (mut dt, mut dd) = (0i64, 0i64);
    for &(a, b) in added {
        dt += tr.time(a, b);
        dd += tr.dist(a, b);
    }
    for &(a, b) in removed {
        dt -= tr.time(a, b);
        dd -= tr.dist(a, b);
    }
    ctx.approx(t, dt, dd)
}
