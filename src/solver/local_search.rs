//! Local search to a local optimum over all moves. A work list holds the jobs of routes that
//! changed; each job is tried with every move, and a move that changes routes puts their
//! jobs back on the list, so a ruin-and-recreate step only pays for the part it touched.

use rand::seq::SliceRandom;
use rand::Rng;

use super::context::Ctx;
use super::operators::{self, Scratch};
use super::solution::Solution;
use crate::model::JobIdx;

/// Most job visits, as a multiple of the number of jobs (a guard against long plateaus).
const MAX_PASSES: usize = 50;

/// Improves the whole of `sol` until no move improves it (see [`descend_touched`]).
pub fn descend<R: Rng>(sol: &mut Solution, ctx: &Ctx, rng: &mut R, stop: &dyn Fn() -> bool) {
    sol.touched.clear();
    sol.touched.extend(0..sol.routes.len());
    descend_touched(sol, ctx, rng, stop, &mut Scratch::default());
}

/// Improves `sol` around the routes in `sol.touched` until no move improves it, the visit
/// budget is spent, or `stop()` says so (checked every 32 visits, so a deadline is kept).
/// `s` holds the moves' buffers and caches; a caller that descends often (a search worker,
/// once a step) keeps one, so cached values of routes the step left alone are reused.
pub fn descend_touched<R: Rng>(
    sol: &mut Solution,
    ctx: &Ctx,
    rng: &mut R,
    stop: &dyn Fn() -> bool,
    s: &mut Scratch,
) {
    let moves = operators::all();
    let mut queued = vec![false; ctx.p.jobs.len()];
    let mut work: Vec<JobIdx> = Vec::new();
    enqueue(sol, &mut queued, &mut work);
    work.shuffle(rng);
    let budget = MAX_PASSES * ctx.servable.len().max(1);
    let mut visits = 0usize;
    while let Some(u) = work.pop() {
        queued[u] = false;
        if visits % 32 == 0 && stop() {
            break;
        }
        visits += 1;
        if visits > budget {
            break;
        }
        for m in &moves {
            if sol.pos[u].is_some() && m.improve(sol, ctx, u, s) {
                let before = work.len();
                enqueue(sol, &mut queued, &mut work);
                work[before..].shuffle(rng);
            }
        }
    }
    sol.touched.clear();
}

/// Moves the jobs of every route in `sol.touched` onto the work list (once each).
fn enqueue(sol: &mut Solution, queued: &mut [bool], work: &mut Vec<JobIdx>) {
    for t in std::mem::take(&mut sol.touched) {
        for &j in &sol.routes[t].jobs {
            if !queued[j] {
                queued[j] = true;
                work.push(j);
            }
        }
    }
}
