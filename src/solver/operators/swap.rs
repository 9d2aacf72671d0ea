use super::{arcs, service_shift, try_apply, Move, Scratch};
use crate::model::JobIdx;
use crate::solver::context::Ctx;
use crate::solver::solution::Solution;

/// Exchanges job `u` with a neighbour `v` in another route.
pub struct Swap;

impl Move for Swap {
    fn name(&self) -> &'static str {
        "swap"
    }

    fn improve(&self, sol: &mut Solution, ctx: &Ctx, u: JobIdx, s: &mut Scratch) -> bool {
        let p = ctx.p;
        let Some((ta, i)) = sol.pos[u] else { return false };
        let lu = p.jobs[u].loc;
        for &v in &ctx.neighbours[u] {
            let Some((tb, j)) = sol.pos[v] else { continue };
            if tb == ta || !ctx.elig.allowed(u, tb) || !ctx.elig.allowed(v, ta) {
                continue;
            }
            if !sol.routes[ta].fits(p, v, Some(u)) || !sol.routes[tb].fits(p, u, Some(v)) {
                continue;
            }
            let (ra, rb) = (&sol.routes[ta], &sol.routes[tb]);
            let lv = p.jobs[v].loc;
            let (pa, na) = (ra.loc_before(p, i), ra.loc_at(p, i + 1));
            let (pb, nb) = (rb.loc_before(p, j), rb.loc_at(p, j + 1));
            let da = arcs(ctx, ta, &[(pa, lv), (lv, na)], &[(pa, lu), (lu, na)]);
            let db = arcs(ctx, tb, &[(pb, lu), (lu, nb)], &[(pb, lv), (lv, nb)]);
            let dx = service_shift(ctx, u, ta, tb) + service_shift(ctx, v, tb, ta);
            if da + db + dx >= 0.0 {
                continue;
            }
            s.a.clear();
            s.a.extend_from_slice(&ra.jobs);
            s.a[i] = v;
            s.b.clear();
            s.b.extend_from_slice(&rb.jobs);
            s.b[j] = u;
            if try_apply(sol, ctx, ta, tb, s) {
                return true;
            }
        }
        false
    }
}
