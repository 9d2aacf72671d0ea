//! SWAP*: exchange two jobs of different routes, each into its best position in the other.

use super::{arcs, service_shift, try_apply, Move, Scratch};
use crate::model::{JobIdx, TechIdx};
use crate::solver::context::Ctx;
use crate::solver::solution::Solution;

/// SWAP* (Vidal 2022): exchanges `u` with a job `v` of another route where each goes to its
/// *best* position in the other route (not necessarily the other's slot). Granular: `v`
/// ranges over `u`'s neighbours only. Positions are ranked by O(1) arc deltas without
/// building sequences; the best pair per route is confirmed exactly.
pub struct SwapStar;

/// Cheapest approximate insertion of `x` into route `t` with the job at position `skip`
/// removed: `(cost, position in the route without it)`. Allocates nothing.
fn best_insert(sol: &Solution, ctx: &Ctx, x: JobIdx, t: TechIdx, skip: usize) -> (f64, usize) {
    let p = ctx.p;
    let r = &sol.routes[t];
    let lx = p.jobs[x].loc;
    let tech = &p.technicians[t];
    let len = r.jobs.len() - 1;
    // Location of the k-th job (0-based) of the route without `skip`.
    let at = |k: usize| p.jobs[r.jobs[if k >= skip { k + 1 } else { k }]].loc;
    let mut best = (f64::INFINITY, 0);
    for k in 0..=len {
        let a = if k == 0 { tech.start } else { at(k - 1) };
        let b = if k == len { tech.end } else { at(k) };
        let c = arcs(ctx, t, &[(a, lx), (lx, b)], &[(a, b)]);
        if c < best.0 {
            best = (c, k);
        }
    }
    best
}

/// Approximate gain of removing the job at position `i` of route `t`.
fn removal(sol: &Solution, ctx: &Ctx, t: TechIdx, i: usize) -> f64 {
    let p = ctx.p;
    let r = &sol.routes[t];
    let (a, b, x) = (r.loc_before(p, i), r.loc_at(p, i + 1), p.jobs[r.jobs[i]].loc);
    arcs(ctx, t, &[(a, b)], &[(a, x), (x, b)])
}

impl Move for SwapStar {
    fn name(&self) -> &'static str {
        "swap_star"
    }

    fn improve(&self, sol: &mut Solution, ctx: &Ctx, u: JobIdx, s: &mut Scratch) -> bool {
        let p = ctx.p;
        let Some((ta, i)) = sol.pos[u] else { return false };
        let gain_u = removal(sol, ctx, ta, i);
        // Neighbours of `u` in other routes, grouped by route (sorted by route, then job).
        let mut pairs: Vec<(TechIdx, usize)> = ctx.neighbours[u]
            .iter()
            .filter_map(|&v| sol.pos[v])
            .filter(|&(tb, _)| tb != ta && ctx.elig.allowed(u, tb))
            .collect();
        pairs.sort_unstable();
        let mut g = 0;
        while g < pairs.len() {
            let tb = pairs[g].0;
            let mut best: Option<(f64, JobIdx, usize, usize)> = None;
            while g < pairs.len() && pairs[g].0 == tb {
                let j = pairs[g].1;
                g += 1;
                let v = sol.routes[tb].jobs[j];
                if !ctx.elig.allowed(v, ta)
                    || !sol.routes[ta].fits(p, v, Some(u))
                    || !sol.routes[tb].fits(p, u, Some(v))
                {
                    continue;
                }
                let (cu, ku) = best_insert(sol, ctx, u, tb, j);
                let (cv, kv) = best_insert(sol, ctx, v, ta, i);
                let delta = gain_u
                    + removal(sol, ctx, tb, j)
                    + cu
                    + cv
                    + service_shift(ctx, u, ta, tb)
                    + service_shift(ctx, v, tb, ta);
                if delta < 0.0 && best.is_none_or(|b| delta < b.0) {
                    best = Some((delta, v, ku, kv));
                }
            }
            let Some((_, v, ku, kv)) = best else { continue };
            s.a.clear();
            s.a.extend(sol.routes[ta].jobs.iter().copied().filter(|&x| x != u));
            s.a.insert(kv, v);
            s.b.clear();
            s.b.extend(sol.routes[tb].jobs.iter().copied().filter(|&x| x != v));
            s.b.insert(ku, u);
            if try_apply(sol, ctx, ta, tb, s) {
                return true;
            }
        }
        false
    }
}
