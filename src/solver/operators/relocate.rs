use super::{arcs, service_shift, try_apply, Move, Scratch};
use crate::model::JobIdx;
use crate::solver::context::Ctx;
use crate::solver::solution::Solution;

/// Moves job `u` next to (before or after) one of its neighbours, in any route.
pub struct Relocate;

impl Move for Relocate {
    fn name(&self) -> &'static str {
        "relocate"
    }

    fn improve(&self, sol: &mut Solution, ctx: &Ctx, u: JobIdx, s: &mut Scratch) -> bool {
        let p = ctx.p;
        let Some((ta, i)) = sol.pos[u] else { return false };
        let ra = &sol.routes[ta];
        let (pa, na) = (ra.loc_before(p, i), ra.loc_at(p, i + 1));
        let lu = p.jobs[u].loc;
        let gain = arcs(ctx, ta, &[(pa, na)], &[(pa, lu), (lu, na)]);
        for &v in &ctx.neighbours[u] {
            let Some((tb, j)) = sol.pos[v] else { continue };
            if tb != ta && !(ctx.elig.allowed(u, tb) && sol.routes[tb].fits(p, u, None)) {
                continue;
            }
            for k in [j, j + 1] {
                if tb == ta && (k == i || k == i + 1) {
                    continue;
                }
                let rb = &sol.routes[tb];
                let (x, y) = (rb.loc_before(p, k), rb.loc_at(p, k));
                let cost = arcs(ctx, tb, &[(x, lu), (lu, y)], &[(x, y)]);
                let extra = if tb != ta { service_shift(ctx, u, ta, tb) } else { 0.0 };
                if gain + cost + extra >= 0.0 {
                    continue;
                }
                if tb != ta && !rb.time_ok(p, u, k) {
                    continue;
                }
                s.a.clear();
                s.b.clear();
                if tb == ta {
                    s.a.extend(sol.routes[ta].jobs.iter().copied().filter(|&x| x != u));
                    let at = if k > i { k - 1 } else { k };
                    s.a.insert(at, u);
                } else {
                    s.a.extend(sol.routes[ta].jobs.iter().copied().filter(|&x| x != u));
                    s.b.extend_from_slice(&sol.routes[tb].jobs[..k]);
                    s.b.push(u);
                    s.b.extend_from_slice(&sol.routes[tb].jobs[k..]);
                }
                if try_apply(sol, ctx, ta, tb, s) {
                    return true;
                }
            }
        }
        false
    }
}
