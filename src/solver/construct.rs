//! Initial solution by regret insertion: repeatedly place the job whose best route beats
//! its second-best by the most (higher priority first), re-scoring only the route changed.
//! Regrets are taken over each job's nearby candidates ([`Ctx::near_techs`]: all of them up
//! to [`super::context::NEAR_TECHS`]), so the work per insertion does not grow with the
//! fleet; a job that fits none of them is still tried against every candidate.

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
    let fixed = if r.is_empty() { ctx.per_use[t] } else { 0.0 };
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

/// Regret key of one job from its candidate scores (best-vs-second-best gap, `1e300` when
/// only one route is left, `-1` when none is) and the second-best score.
fn regret_of(scores: &[f64]) -> (f64, f64) {
    let (mut b1, mut b2) = (f64::INFINITY, f64::INFINITY);
    for &s in scores {
        if s < b1 {
            b2 = b1;
            b1 = s;
        } else if s < b2 {
            b2 = s;
        }
    }
    let r = if b1.is_infinite() {
        -1.0
    } else if b2.is_infinite() {
        1e300
    } else {
        b2 - b1
    };
    (r, b2)
}

/// Builds a first solution by regret-2 insertion. Only the jobs that have the changed route
/// among their nearby candidates are re-scored after an insertion (an index from technician
/// to `(job, candidate slot)`), so one step costs O(jobs) plus that route's re-scoring. When
/// `stop()` fires the jobs not yet placed stay unassigned; the plan still accounts for them.
pub fn regret<R: Rng>(ctx: &Ctx, rng: &mut R, stop: &dyn Fn() -> bool) -> Solution {
    let p = ctx.p;
    let mut sol = Solution::empty(ctx);
    let mut buf = Vec::new();
    let mut techs = Vec::new();
    let jobs: Vec<JobIdx> = ctx.servable.clone();
    // scores[i][c]: approximate insertion cost of jobs[i] into its c-th nearby route.
    let mut scores: Vec<Vec<f64>> = jobs
        .iter()
        .map(|&j| ctx.near_techs(j).iter().map(|&t| route_score(&sol, ctx, j, t)).collect())
        .collect();
    let mut by_tech: Vec<Vec<(u32, u32)>> = vec![Vec::new(); p.technicians.len()];
    for (i, &j) in jobs.iter().enumerate() {
        for (c, &t) in ctx.near_techs(j).iter().enumerate() {
            by_tech[t].push((i as u32, c as u32));
        }
    }
    let (mut regret, mut top2): (Vec<f64>, Vec<f64>) = scores.iter().map(|s| regret_of(s)).unzip();
    let mut open = vec![true; jobs.len()];
    let mut todo: Vec<usize> = (0..jobs.len()).collect();
    while !todo.is_empty() {
        if stop() {
            break;
        }
        let mut pick: Option<(u32, f64, usize)> = None;
        for (k, &i) in todo.iter().enumerate() {
            let key = (p.jobs[jobs[i]].priority, regret[i]);
            if pick.is_none_or(|(pp, pr, _)| key > (pp, pr)) {
                pick = Some((key.0, key.1, k));
            }
        }
        let Some((_, _, k)) = pick else { break };
        let i = todo.swap_remove(k);
        open[i] = false;
        let j = jobs[i];
        let Some(ins) = sol.best_insertion_fallback(ctx, j, rng, &mut buf, &mut techs) else {
            continue;
        };
        if ins.delta >= ctx.obj.unassigned_cost(j) {
            continue;
        }
        sol.insert(ctx, j, ins);
        for &(o, c) in &by_tech[ins.tech] {
            let o = o as usize;
            if open[o] {
                let slot = &mut scores[o][c as usize];
                let (old, new) = (*slot, route_score(&sol, ctx, jobs[o], ins.tech));
                *slot = new;
                // A score that rises from above the two best leaves the regret unchanged;
                // only then can the O(candidates) rescan be skipped.
                if !(new >= old && old > top2[o]) {
                    (regret[o], top2[o]) = regret_of(&scores[o]);
                }
            }
        }
    }
    sol
}
