//! One search worker: ruin-and-recreate with simulated-annealing acceptance, its own
//! random stream, and its own current and best solutions.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::context::Ctx;
use super::operators::Scratch;
use super::solution::Solution;
use super::{local_search, recreate, ruin};
use crate::model::JobIdx;

/// Start and end temperatures as fractions of the average route cost per assigned job.
const T_START: f64 = 0.5;
const T_END: f64 = 0.005;

/// Candidates within this many average job costs of the best get local search.
const EDUCATE: f64 = 1.0;

/// A worker of the parallel search.
pub struct Worker {
    /// Current solution (may be worse than best).
    pub cur: Solution,
    /// Cost of `cur`.
    pub cur_cost: i64,
    /// Best solution this worker has seen.
    pub best: Solution,
    /// Cost of `best`.
    pub best_cost: i64,
    rng: ChaCha8Rng,
    buf: Vec<JobIdx>,
    /// Local search's buffers and caches, kept across steps.
    scratch: Scratch,
    scale: f64,
}

impl Worker {
    /// A worker starting from `start`, drawing from stream `stream` of `seed`.
    pub fn new(ctx: &Ctx, start: &Solution, seed: u64, stream: u64) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(stream);
        let cost = start.cost(ctx);
        let route_cost: i64 = start.routes.iter().map(|r| r.cost()).sum();
        let scale = route_cost.max(1) as f64 / start.assigned().max(1) as f64;
        Worker {
            cur: start.clone(),
            cur_cost: cost,
            best: start.clone(),
            best_cost: cost,
            rng,
            buf: Vec::new(),
            scratch: Scratch::default(),
            scale,
        }
    }

    /// Temperature at search progress `frac` in [0, 1].
    fn temperature(&self, frac: f64) -> f64 {
        let f = frac.clamp(0.0, 1.0);
        self.scale * T_START * (T_END / T_START).powf(f)
    }

    /// One ruin-and-recreate step at search progress `frac`; true if it found a new best.
    /// The step works on `cur` in place under its undo log and rolls back when rejected, so
    /// its cost follows the routes it touches, not the size of the plan.
    pub fn step(&mut self, ctx: &Ctx, frac: f64, stop: &dyn Fn() -> bool) -> bool {
        let t = self.temperature(frac);
        let cand = &mut self.cur;
        cand.begin();
        let removed = if self.rng.random_bool(0.8) {
            ruin::strings(cand, ctx, &mut self.rng)
        } else {
            let q = self.rng.random_range(2..=(ctx.servable.len() / 8).clamp(3, 40));
            ruin::random(cand, ctx, &mut self.rng, q)
        };
        let mut ruined = cand.touched.clone();
        ruined.sort_unstable();
        ruined.dedup();
        recreate::greedy(cand, ctx, &mut self.rng, &mut self.buf, &removed, &ruined);
        let mut c = cand.cost(ctx);
        // Educate promising candidates (near the best) with local search.
        if (c as f64) < self.best_cost as f64 + EDUCATE * self.scale {
            local_search::descend_touched(cand, ctx, &mut self.rng, stop, &mut self.scratch);
            c = cand.cost(ctx);
        }
        let u: f64 = self.rng.random::<f64>().max(1e-300);
        let threshold = self.cur_cost as f64 - t * u.ln();
        let mut improved = false;
        if (c as f64) < threshold {
            cand.commit();
            cand.touched.clear();
            if c < self.best_cost {
                self.best = cand.clone();
                self.best_cost = c;
                improved = true;
            }
            self.cur_cost = c;
        } else {
            cand.rollback();
        }
        improved
    }

    /// Restarts the current solution from `sol` (used when synchronising workers).
    pub fn adopt(&mut self, sol: &Solution, cost: i64) {
        self.cur = sol.clone();
        self.cur_cost = cost;
        if cost < self.best_cost {
            self.best = sol.clone();
            self.best_cost = cost;
        }
    }
}
