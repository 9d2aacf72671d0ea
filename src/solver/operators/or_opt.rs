use super::{arcs, try_apply, Move, Scratch};
use crate::model::JobIdx;
use crate::solver::context::Ctx;
use crate::solver::solution::Solution;

/// Moves a chain of 2 or 3 consecutive jobs starting at `u` to just after a neighbour `v`
/// (same or another route), keeping the chain's order.
pub struct OrOpt;

impl Move for OrOpt {
    fn name(&self) -> &'static str {
        "or_opt"
    }

    fn improve(&self, sol: &mut Solution, ctx: &Ctx, u: JobIdx, s: &mut Scratch) -> bool {
        let p = ctx.p;
        let Some((ta, i)) = sol.pos[u] else { return false };
        for len in [2usize, 3] {
            let ra = &sol.routes[ta];
            if i + len > ra.len() {
                break;
            }
            let chain: Vec<JobIdx> = ra.jobs[i..i + len].to_vec();
            let (first, last) = (p.jobs[chain[0]].loc, p.jobs[chain[len - 1]].loc);
            let (pa, na) = (ra.loc_before(p, i), ra.loc_at(p, i + len));
            let gain = arcs(ctx, ta, &[(pa, na)], &[(pa, first), (last, na)]);
            for &v in &ctx.neighbours[u] {
                let Some((tb, j)) = sol.pos[v] else { continue };
                if tb == ta && (i..i + len).contains(&j) {
                    continue;
                }
                if tb != ta && !chain.iter().all(|&c| ctx.elig.allowed(c, tb)) {
                    continue;
                }
                let ra = &sol.routes[ta];
                let rb = &sol.routes[tb];
                let k = j + 1; // insert the chain before position k of route b
                if tb == ta && k == i {
                    continue;
                }
                let (x, y) = (rb.loc_before(p, k), rb.loc_at(p, k));
                let cost = arcs(ctx, tb, &[(x, first), (last, y)], &[(x, y)]);
                if gain + cost >= 0.0 {
                    continue;
                }
                s.a.clear();
                s.b.clear();
                if tb == ta {
                    let rest: Vec<JobIdx> =
                        ra.jobs.iter().copied().filter(|x| !chain.contains(x)).collect();
                    let at = rest.iter().position(|&x| x == v).map_or(rest.len(), |q| q + 1);
                    s.a.extend_from_slice(&rest[..at]);
                    s.a.extend_from_slice(&chain);
                    s.a.extend_from_slice(&rest[at..]);
                } else {
                    if !cap_ok(sol, ctx, tb, &chain) {
                        continue;
                    }
                    s.a.extend(ra.jobs.iter().copied().filter(|x| !chain.contains(x)));
                    s.b.extend_from_slice(&rb.jobs[..k]);
                    s.b.extend_from_slice(&chain);
                    s.b.extend_from_slice(&rb.jobs[k..]);
                }
                if try_apply(sol, ctx, ta, tb, s) {
                    return true;
                }
            }
        }
        false
    }
}

/// Capacity and max-jobs screen for adding a whole chain to route `t`.
fn cap_ok(sol: &Solution, ctx: &Ctx, t: usize, chain: &[JobIdx]) -> bool {
    let p = ctx.p;
    let r = &sol.routes[t];
    let tech = &p.technicians[t];
    if tech.max_jobs.is_some_and(|m| r.len() + chain.len() > m) {
        return false;
    }
    if let Some(cap) = &tech.capacity {
        for (d, &c) in cap.iter().enumerate() {
            let add: i64 =
                chain.iter().map(|&j| p.jobs[j].demand.get(d).copied().unwrap_or(0)).sum();
            if r.load[d] + add > c {
                return false;
            }
        }
    }
    true
}
