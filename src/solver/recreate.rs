//! Recreate step: greedy best insertion with blinks, higher priorities first.

use rand::seq::SliceRandom;
use rand::Rng;

use super::context::Ctx;
use super::solution::Solution;
use crate::model::{JobIdx, TechIdx};

/// Probability of skipping an insertion position (SISR "blinks").
const BLINK: f64 = 0.01;

/// Most earlier-unassigned jobs retried in one recreate step (highest priorities first, then
/// at random): an overloaded region can hold hundreds of unassigned jobs next to a ruined
/// route, and retrying all of them made a step cost O(unassigned) insertion scans.
const MAX_RETRIED: usize = 24;

/// Re-inserts unassigned servable jobs in a randomly chosen order (always by priority
/// first), each at its cheapest feasible position among its nearby routes
/// ([`Solution::best_insertion_near`]) if that beats leaving it out.
///
/// The jobs tried are those the ruin step just removed (`removed`) and the earlier
/// unassigned jobs whose nearby routes include one of the `ruined` ones (at most
/// [`MAX_RETRIED`] of them): only a route that
/// lost jobs can newly take one (insertions never make room), so retrying every unassigned
/// job each step, O(unassigned) insertion scans, mostly repeated a known failure (at 5,000
/// jobs, ~1,500 scans and 190 ms per step).
pub fn greedy<R: Rng>(
    sol: &mut Solution,
    ctx: &Ctx,
    rng: &mut R,
    buf: &mut Vec<JobIdx>,
    removed: &[JobIdx],
    ruined: &[TechIdx],
) {
    let p = ctx.p;
    let mut old: Vec<JobIdx> = sol
        .unassigned
        .iter()
        .copied()
        .filter(|&j| !ctx.elig.candidates(j).is_empty() && !removed.contains(&j))
        .filter(|&j| may_use(sol, ctx, j, ruined))
        .collect();
    old.sort_unstable();
    old.shuffle(rng);
    if old.len() > MAX_RETRIED {
        old.sort_by_key(|&j| std::cmp::Reverse(p.jobs[j].priority));
        old.truncate(MAX_RETRIED);
    }
    let mut todo: Vec<JobIdx> = removed.to_vec();
    todo.retain(|&j| sol.pos[j].is_none());
    todo.sort_unstable();
    todo.extend(old);
    todo.shuffle(rng);
    match rng.random_range(0..4) {
        0 => {}
        1 => todo.sort_by_key(|&j| std::cmp::Reverse(p.jobs[j].duration)),
        2 => todo.sort_by_key(|&j| p.jobs[j].window_hull().close),
        _ => todo.sort_by_key(|&j| ctx.elig.candidates(j).len()),
    }
    todo.sort_by_key(|&j| std::cmp::Reverse(p.jobs[j].priority));
    let mut techs = Vec::new();
    for j in todo {
        if let Some(ins) = sol.best_insertion_near(ctx, j, BLINK, rng, buf, &mut techs) {
            if ins.delta < ctx.obj.unassigned_cost(j) {
                sol.insert(ctx, j, ins);
            }
        }
    }
}

/// True when `job`'s insertion scan ([`Solution::best_insertion_near`]) would look at one
/// of the `ruined` routes (sorted): a nearby technician's, or one holding a neighbour.
fn may_use(sol: &Solution, ctx: &Ctx, job: JobIdx, ruined: &[TechIdx]) -> bool {
    let near = ctx.near_techs(job);
    if ruined.iter().any(|t| near.binary_search(t).is_ok()) {
        return true;
    }
    ctx.is_pruned(job)
        && ctx.neighbours[job]
            .iter()
            .any(|&v| sol.pos[v].is_some_and(|(t, _)| ruined.binary_search(&t).is_ok()))
}
