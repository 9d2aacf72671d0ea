use super::{arcs, try_apply, Move, Scratch};
use crate::model::JobIdx;
use crate::solver::context::Ctx;
use crate::solver::solution::Solution;

/// Exchanges the tails of two routes: after `u` in one and after a neighbour `v` in the
/// other (2-opt*), so `u` is followed by what followed `v`, and vice versa.
pub struct TwoOptStar;

impl Move for TwoOptStar {
    fn name(&self) -> &'static str {
        "two_opt_star"
    }

    fn improve(&self, sol: &mut Solution, ctx: &Ctx, u: JobIdx, s: &mut Scratch) -> bool {
        let p = ctx.p;
        let Some((ta, i)) = sol.pos[u] else { return false };
        for &v in &ctx.neighbours[u] {
            let Some((tb, j)) = sol.pos[v] else { continue };
            if tb == ta {
                continue;
            }
            let (ra, rb) = (&sol.routes[ta], &sol.routes[tb]);
            // New a: a[..=i] + b[j+1..]; new b: b[..=j] + a[i+1..].
            let (lu, lv) = (p.jobs[u].loc, p.jobs[v].loc);
            let (na, nb) = (ra.loc_at(p, i + 1), rb.loc_at(p, j + 1));
            let (ea, eb) = (p.technicians[ta].end, p.technicians[tb].end);
            // Next-node locations in the new routes (the end depot when a tail is empty).
            let nb_in_a = if j + 1 < rb.len() { nb } else { ea };
            let na_in_b = if i + 1 < ra.len() { na } else { eb };
            let delta = arcs(ctx, ta, &[(lu, nb_in_a)], &[(lu, na)])
                + arcs(ctx, tb, &[(lv, na_in_b)], &[(lv, nb)]);
            if delta >= 0.0 {
                continue;
            }
            let tail_b = &rb.jobs[j + 1..];
            let tail_a = &ra.jobs[i + 1..];
            if !tail_b.iter().all(|&x| ctx.elig.allowed(x, ta))
                || !tail_a.iter().all(|&x| ctx.elig.allowed(x, tb))
            {
                continue;
            }
            s.a.clear();
            s.a.extend_from_slice(&ra.jobs[..=i]);
            s.a.extend_from_slice(tail_b);
            s.b.clear();
            s.b.extend_from_slice(&rb.jobs[..=j]);
            s.b.extend_from_slice(tail_a);
            if try_apply(sol, ctx, ta, tb, s) {
                return true;
            }
        }
        false
    }
}
