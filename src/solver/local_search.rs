//! Local search to a local optimum over all moves, around every job in random order.

use rand::seq::SliceRandom;
use rand::Rng;

use super::context::Ctx;
use super::operators::{self, Scratch};
use super::solution::Solution;
use crate::model::JobIdx;

/// Most passes over all jobs (each pass applies every improving move it finds).
const MAX_PASSES: usize = 50;

/// Improves `sol` with every move until no move improves it (or `MAX_PASSES`).
pub fn descend<R: Rng>(sol: &mut Solution, ctx: &Ctx, rng: &mut R) {
    let moves = operators::all();
    let mut s = Scratch::default();
    let mut order: Vec<JobIdx> = ctx.servable.clone();
    for _ in 0..MAX_PASSES {
        order.shuffle(rng);
        let mut improved = false;
        for &u in &order {
            for m in &moves {
                if sol.pos[u].is_some() && m.improve(sol, ctx, u, &mut s) {
                    improved = true;
                }
            }
        }
        if !improved {
            break;
        }
    }
}
