//! Recreate step: greedy best insertion with blinks, higher priorities first.

use rand::seq::SliceRandom;
use rand::Rng;

use super::context::Ctx;
use super::solution::Solution;
use crate::model::JobIdx;

/// Probability of skipping an insertion position (SISR "blinks").
const BLINK: f64 = 0.01;

/// Re-inserts every unassigned servable job in a randomly chosen order (always by priority
/// first), each at its cheapest feasible position if that beats leaving it out.
pub fn greedy<R: Rng>(sol: &mut Solution, ctx: &Ctx, rng: &mut R, buf: &mut Vec<JobIdx>) {
    let p = ctx.p;
    let mut todo: Vec<JobIdx> =
        sol.unassigned.iter().copied().filter(|&j| !ctx.elig.candidates(j).is_empty()).collect();
    todo.sort_unstable();
    todo.shuffle(rng);
    match rng.random_range(0..4) {
        0 => {}
        1 => todo.sort_by_key(|&j| std::cmp::Reverse(p.jobs[j].duration)),
        2 => todo.sort_by_key(|&j| p.jobs[j].window_hull().close),
        _ => todo.sort_by_key(|&j| ctx.elig.candidates(j).len()),
    }
    todo.sort_by_key(|&j| std::cmp::Reverse(p.jobs[j].priority));
    for j in todo {
        if let Some(ins) = sol.best_insertion(ctx, j, BLINK, rng, buf) {
            if ins.delta < ctx.obj.unassigned_cost(j) {
                sol.insert(ctx, j, ins);
            }
        }
    }
}
