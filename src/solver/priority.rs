//! Priority repair: an unassigned job takes the place of a lower-priority job whenever that
//! is feasible, so a higher-priority job is never left out while a lower-priority one could
//! give way. Runs on the final solution; the displaced job is re-inserted elsewhere if it can.

use rand::Rng;

use super::context::Ctx;
use super::solution::{Insertion, Solution};
use crate::model::JobIdx;
use crate::routing::evaluate;

/// Exchanges unassigned jobs with lower-priority assigned ones until none can be exchanged
/// or `stop()` says so.
pub fn repair<R: Rng>(sol: &mut Solution, ctx: &Ctx, rng: &mut R, stop: &dyn Fn() -> bool) {
    let p = ctx.p;
    let mut buf = Vec::new();
    let mut changed = true;
    while changed {
        changed = false;
        let mut todo: Vec<JobIdx> = sol
            .unassigned
            .iter()
            .copied()
            .filter(|&j| !ctx.elig.candidates(j).is_empty())
            .collect();
        todo.sort_by_key(|&j| (std::cmp::Reverse(p.jobs[j].priority), j));
        for u in todo {
            if stop() {
                return;
            }
            if sol.pos[u].is_some() {
                continue;
            }
            if let Some(ins) = sol.best_insertion(ctx, u, 0.0, rng, &mut buf) {
                if ins.delta < ctx.obj.unassigned_cost(u) {
                    sol.insert(ctx, u, ins);
                    changed = true;
                    continue;
                }
            }
            if let Some((v, ins)) = best_exchange(sol, ctx, u, &mut buf) {
                // Keep the exchange only if the total objective falls, so the loop ends.
                let before = sol.cost(ctx);
                let saved = sol.clone();
                sol.remove(ctx, v);
                let jobs = {
                    let mut j = sol.routes[ins.tech].jobs.clone();
                    j.insert(ins.at, u);
                    j
                };
                if evaluate(p, &ctx.obj, ins.tech, &jobs).is_some() {
                    sol.insert(ctx, u, ins);
                }
                if let Some(back) = sol.best_insertion(ctx, v, 0.0, rng, &mut buf) {
                    if back.delta < ctx.obj.unassigned_cost(v) {
                        sol.insert(ctx, v, back);
                    }
                }
                if sol.cost(ctx) < before {
                    changed = true;
                } else {
                    *sol = saved;
                }
            }
        }
    }
}

/// The best lower-priority job `v` whose removal lets `u` in, with `u`'s insertion into the
/// route without `v` (positions refer to that shortened route).
fn best_exchange(
    sol: &Solution,
    ctx: &Ctx,
    u: JobIdx,
    buf: &mut Vec<JobIdx>,
) -> Option<(JobIdx, Insertion)> {
    let p = ctx.p;
    let pu = p.jobs[u].priority;
    let mut best: Option<(i64, JobIdx, Insertion)> = None;
    for &t in ctx.elig.candidates(u) {
        let r = &sol.routes[t];
        for (i, &v) in r.jobs.iter().enumerate() {
            if p.jobs[v].priority >= pu {
                continue;
            }
            let mut base = r.jobs.clone();
            base.remove(i);
            for k in 0..=base.len() {
                buf.clear();
                buf.extend_from_slice(&base[..k]);
                buf.push(u);
                buf.extend_from_slice(&base[k..]);
                if let Some(e) = evaluate(p, &ctx.obj, t, buf) {
                    let gain = ctx.obj.unassigned_cost(u)
                        - ctx.obj.unassigned_cost(v)
                        - (e.cost - r.cost());
                    if gain > 0 && best.as_ref().is_none_or(|b| gain > b.0) {
                        best = Some((gain, v, Insertion { tech: t, at: k, delta: 0 }));
                    }
                }
            }
        }
    }
    best.map(|(_, v, ins)| (v, ins))
}
