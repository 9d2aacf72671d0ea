use super::{arcs, try_apply, Move, Scratch};
use crate::model::JobIdx;
use crate::solver::context::Ctx;
use crate::solver::solution::Solution;

/// Reverses the part of `u`'s route between `u` and a neighbour `v` in the same route
/// (intra-route 2-opt).
pub struct TwoOpt;

impl Move for TwoOpt {
    fn name(&self) -> &'static str {
        "two_opt"
    }

    fn improve(&self, sol: &mut Solution, ctx: &Ctx, u: JobIdx, s: &mut Scratch) -> bool {
        let p = ctx.p;
        let Some((t, i)) = sol.pos[u] else { return false };
        for &v in &ctx.neighbours[u] {
            let Some((tv, j)) = sol.pos[v] else { continue };
            if tv != t || j <= i + 1 {
                continue;
            }
            // Reverse positions i+1..=j: arcs (u, i+1) and (j, j+1) become (u, j) and (i+1, j+1).
            let r = &sol.routes[t];
            let a = p.jobs[r.jobs[i + 1]].loc;
            let (lu, lv, after) = (p.jobs[u].loc, p.jobs[v].loc, r.loc_at(p, j + 1));
            let mut delta = arcs(ctx, t, &[(lu, lv), (a, after)], &[(lu, a), (lv, after)]);
            // Inner arcs change direction; on asymmetric travel that matters.
            for k in i + 1..j {
                let (x, y) = (p.jobs[r.jobs[k]].loc, p.jobs[r.jobs[k + 1]].loc);
                delta += arcs(ctx, t, &[(y, x)], &[(x, y)]);
            }
            if delta >= 0.0 {
                continue;
            }
            s.a.clear();
            s.a.extend_from_slice(&r.jobs);
            s.a[i + 1..=j].reverse();
            if try_apply(sol, ctx, t, t, s) {
                return true;
            }
        }
        false
    }
}
