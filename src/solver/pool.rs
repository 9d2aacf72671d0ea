//! A pool of good routes seen by the search, and the LP assists built on it (issue 5):
//! set-partitioning recombination of the pooled routes at a few points of the search, and
//! an assignment-MIP repair after it when high-priority jobs are left out.
//!
//! The pool keys a route by technician class (identical technicians share routes, see
//! [`TechClasses`]) and job sequence, keeps its cost, and forgets the routes seen longest
//! ago past its size bound, so it holds the routes of recent, good solutions.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use super::context::Ctx;
use super::search::Worker;
use super::solution::Solution;
use crate::lp::{PoolRoute, TechClasses};
use crate::model::JobIdx;

/// Routes the pool keeps at most.
pub const POOL_ROUTES: usize = 4_000;
/// Largest number of servable jobs the LP assists take on (the MIPs grow with it).
pub const MAX_JOBS: usize = 2_000;
/// Search progress (fraction of the budget) at which recombination runs.
const RECOMBINE_AT: [f64; 4] = [0.3, 0.5, 0.7, 0.85];
/// Share of a time limit one recombination may use (seconds = share x limit).
const RECOMBINE_TIME_SHARE: f64 = 0.02;
/// Branch-and-bound nodes of one recombination in iteration mode (reproducible runs).
const RECOMBINE_NODES: i32 = 200;

/// Recombinations run and those that improved on the search's best, since the process
/// started (all solves together), for benchmarks: see [`recombination_counts`].
static RUNS: AtomicU64 = AtomicU64::new(0);
static IMPROVED: AtomicU64 = AtomicU64::new(0);

/// `(recombinations run, of which improved)` over every solve of this process so far.
pub fn recombination_counts() -> (u64, u64) {
    (RUNS.load(Ordering::Relaxed), IMPROVED.load(Ordering::Relaxed))
}

/// Deduplicated routes by (class, job sequence), with their cost and when last seen.
pub struct RoutePool {
    classes: TechClasses,
    routes: HashMap<(usize, Vec<JobIdx>), (i64, u64)>,
    clock: u64,
    cap: usize,
}

impl RoutePool {
    /// An empty pool of at most `cap` routes for the technicians of `ctx`.
    pub fn new(ctx: &Ctx, cap: usize) -> Self {
        let mut cand: Vec<Vec<JobIdx>> = vec![Vec::new(); ctx.p.technicians.len()];
        for &j in &ctx.servable {
            for &t in ctx.elig.candidates(j) {
                cand[t].push(j);
            }
        }
        cand.iter_mut().for_each(|c| c.sort_unstable());
        let classes = TechClasses::new(ctx.p, &ctx.obj, &cand);
        RoutePool { classes, routes: HashMap::new(), clock: 0, cap: cap.max(1) }
    }

    /// Adds the used routes of `sol`; past the bound, the quarter seen longest ago goes.
    pub fn add(&mut self, sol: &Solution) {
        self.clock += 1;
        for (t, r) in sol.routes.iter().enumerate() {
            let Some(c) = self.classes.of[t] else { continue };
            if r.is_empty() {
                continue;
            }
            let e = self.routes.entry((c, r.jobs.clone())).or_insert((r.cost(), 0));
            e.0 = e.0.min(r.cost());
            e.1 = self.clock;
        }
        if self.routes.len() > self.cap {
            let mut keys: Vec<(u64, &(usize, Vec<JobIdx>))> =
                self.routes.iter().map(|(k, v)| (v.1, k)).collect();
            keys.sort_unstable();
            let old: Vec<(usize, Vec<JobIdx>)> = keys
                .iter()
                .take(self.routes.len() - self.cap * 3 / 4)
                .map(|(_, k)| (*k).clone())
                .collect();
            for k in old {
                self.routes.remove(&k);
            }
        }
    }

    /// The technician classes the pool keys routes by.
    pub fn classes(&self) -> &TechClasses {
        &self.classes
    }

    /// The pooled routes in a fixed order (class, then sequence), whatever the hashing.
    pub fn routes(&self) -> Vec<PoolRoute> {
        let mut out: Vec<PoolRoute> = self
            .routes
            .iter()
            .map(|((c, jobs), &(cost, _))| PoolRoute { class: *c, jobs: jobs.clone(), cost })
            .collect();
        out.sort_unstable_by(|a, b| (a.class, &a.jobs).cmp(&(b.class, &b.jobs)));
        out
    }
}

/// A solution with route `t` = `routes[t]`, or `None` if a route is infeasible.
pub fn from_routes(ctx: &Ctx, routes: &[Vec<JobIdx>]) -> Option<Solution> {
    let (sol, infeasible) = Solution::from_routes(ctx, routes.iter().cloned().enumerate());
    (infeasible == 0).then_some(sol)
}

/// Recombination during [`super::improve`]: feeds the pool at every synchronisation and
/// solves the set-partitioning MIP at the progress points of [`RECOMBINE_AT`].
pub struct Recombiner {
    pool: RoutePool,
    next: usize,
    /// Time limit of the whole solve (seconds), or `None` in iteration mode.
    time_limit: Option<f64>,
}

impl Recombiner {
    /// A recombiner for `ctx`, or `None` when the problem is larger than [`MAX_JOBS`] or
    /// HiGHS is not compiled in (microlp cannot finish these MIPs, nor cap their nodes).
    pub fn new(ctx: &Ctx, time_limit: Option<f64>) -> Option<Self> {
        if crate::lp::BACKEND != Some("highs") || ctx.servable.len() > MAX_JOBS {
            return None;
        }
        let pool = RoutePool::new(ctx, POOL_ROUTES);
        Some(Recombiner { pool, next: 0, time_limit })
    }

    /// At a synchronisation at search progress `frac`: pools every worker's current
    /// and best routes and, at a recombination point, solves the MIP over the pool and the best
    /// worker's routes; every worker worse than the result adopts it.
    pub fn sync(&mut self, ctx: &Ctx, workers: &mut [Worker], frac: f64, stop: &dyn Fn() -> bool) {
        for w in workers.iter() {
            self.pool.add(&w.cur);
            self.pool.add(&w.best);
        }
        if self.next >= RECOMBINE_AT.len() || frac < RECOMBINE_AT[self.next] || stop() {
            return;
        }
        self.next += 1;
        let t0 = Instant::now();
        let (bi, bc) = workers
            .iter()
            .enumerate()
            .map(|(i, w)| (i, w.best_cost))
            .min_by_key(|&(i, c)| (c, i))
            .unwrap_or((0, i64::MAX));
        let Some(w) = workers.get(bi) else { return };
        self.pool.add(&w.best);
        let incumbent: Vec<Vec<JobIdx>> = w.best.routes.iter().map(|r| r.jobs.clone()).collect();
        let cap = self.time_limit.map(|s| RECOMBINE_TIME_SHARE * s);
        let nodes = self.time_limit.is_none().then_some(RECOMBINE_NODES);
        let routes = self.pool.routes();
        RUNS.fetch_add(1, Ordering::Relaxed);
        let found = crate::lp::recombine_routes(
            ctx.p,
            &ctx.obj,
            self.pool.classes(),
            &routes,
            &incumbent,
            cap,
            nodes,
        );
        let sol = found.and_then(|r| from_routes(ctx, &r));
        let better = sol.map(|s| (s.cost(ctx), s)).filter(|(c, _)| *c < bc);
        if let Some((c, s)) = &better {
            IMPROVED.fetch_add(1, Ordering::Relaxed);
            for w in workers.iter_mut().filter(|w| w.cur_cost > *c) {
                w.adopt(s, *c);
            }
        }
        if std::env::var_os("FIELDOPT_TRACE").is_some() {
            eprintln!(
                "[fieldopt] recombination at {:.2}: {} routes, {:.3} s, {} -> {}",
                frac,
                routes.len(),
                t0.elapsed().as_secs_f64(),
                bc,
                better.map_or("no better".into(), |(c, _)| c.to_string())
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lp::two_identical_technicians;

    /// Identical technicians share pooled routes; the bound drops the routes seen first.
    #[test]
    fn pool_deduplicates_across_identical_technicians_and_stays_bounded() {
        let p = two_identical_technicians(&[100, 200, 300]);
        let ctx = Ctx::new(&p, &p.policy);
        let mut pool = RoutePool::new(&ctx, 4);
        let a = from_routes(&ctx, &[vec![0, 1], vec![2]]).unwrap();
        let b = from_routes(&ctx, &[vec![2], vec![0, 1]]).unwrap();
        pool.add(&a);
        pool.add(&b);
        let routes = pool.routes();
        assert_eq!(routes.len(), 2, "{routes:?}");
        assert_eq!(routes[0].jobs, vec![0, 1]);
        assert_eq!(routes[0].cost, a.routes[0].cost());
        assert_eq!(b.unassigned.len() + b.assigned(), 3);
        // Five new routes overflow the bound of 4: the oldest go, the newest stay.
        for seq in [vec![1, 0], vec![0], vec![1], vec![0, 2], vec![2, 1]] {
            pool.add(&from_routes(&ctx, &[seq, Vec::new()]).unwrap());
        }
        let kept: Vec<Vec<JobIdx>> = pool.routes().into_iter().map(|r| r.jobs).collect();
        assert!(kept.len() <= 4, "{kept:?}");
        assert!(kept.contains(&vec![2, 1]) && !kept.contains(&vec![0, 1]), "{kept:?}");
    }
}
