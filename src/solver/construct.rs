//! Initial solution by regret insertion: repeatedly place the job whose best route beats
//! its second-best by the most (higher priority first), re-scoring only the route changed.

use rand::Rng;

use super::context::Ctx;
use super::solution::Solution;
use crate::model::{JobIdx, TechIdx};

/// Approximate cheapest insertion of `job` into route `t` (O(1) checks per position).
fn route_score(sol: &Solution, ctx: &Ctx, job: JobIdx, t: TechIdx) -> f64 {
    let p = ctx.p;
    let r = &sol.routes[t];
    if !r.fits(p, job, None) {
        return f64::INFINITY;
    }
    let fixed = if r.is_empty() { p.technicians[t].cost.fixed * 1e6 * p.policy.labor } else { 0.0 };
    let base = ctx.obj.assignment_cost(job, t) as f64
        + ctx.per_tick[t] * p.jobs[job].duration as f64
        + fixed;
    (0..=r.len())
        .filter(|&k| r.time_ok(p, job, k))
        .map(|k| {
            let (dt, dd) = r.insert_delta(p, job, k);
            base + ctx.approx(t, dt, dd)
        })
        .fold(f64::INFINITY, f64::min)
}

/// Builds a first solution by regret-2 insertion.
pub fn regret<R: Rng>(ctx: &Ctx, rng: &mut R) -> Solution {
    let p = ctx.p;
    let mut sol = Solution::empty(ctx);
    let mut buf = Vec::new();
    let mut todo: Vec<JobIdx> = ctx.servable.clone();
    // scores[i][c]: approximate insertion cost of todo[i] into its c-th candidate route.
    let mut scores: Vec<Vec<f64>> = todo
        .iter()
        .map(|&j| ctx.elig.candidates(j).iter().map(|&t| route_score(&sol, ctx, j, t)).collect())
        .collect();
    while !todo.is_empty() {
        let mut pick: Option<(u32, f64, usize)> = None;
        for (i, &j) in todo.iter().enumerate() {
            let (mut b1, mut b2) = (f64::INFINITY, f64::INFINITY);
            for &s in &scores[i] {
                if s < b1 {
                    b2 = b1;
                    b1 = s;
                } else if s < b2 {
                    b2 = s;
                }
            }
            let regret = if b1.is_infinite() {
                -1.0
            } else if b2.is_infinite() {
                1e300
            } else {
                b2 - b1
            };
            let key = (p.jobs[j].priority, regret, i);
            if pick.is_none_or(|(pp, pr, _)| (key.0, key.1) > (pp, pr)) {
                pick = Some(key);
            }
        }
        let Some((_, _, i)) = pick else { break };
        let j = todo.swap_remove(i);
        scores.swap_remove(i);
        let Some(ins) = sol.best_insertion(ctx, j, 0.0, rng, &mut buf) else { continue };
        if ins.delta >= ctx.obj.unassigned_cost(j) {
            continue;
        }
        sol.insert(ctx, j, ins);
        for (i, &o) in todo.iter().enumerate() {
            if let Some(c) = ctx.elig.candidates(o).iter().position(|&t| t == ins.tech) {
                scores[i][c] = route_score(&sol, ctx, o, ins.tech);
            }
        }
    }
    sol
}
