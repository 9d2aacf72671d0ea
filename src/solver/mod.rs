//! The search: eligibility, regret-insertion construction, local search (relocate, swap,
//! or-opt, 2-opt, 2-opt*), and a parallel ruin-and-recreate loop over a fixed number of
//! seeded workers that synchronise in epochs (rayon).

mod construct;
mod context;
mod local_search;
pub mod operators;
mod params;
mod priority;
mod recreate;
mod ruin;
mod search;
mod solution;

pub use params::{Mode, Progress, SolveParams};

use std::sync::atomic::Ordering;
use std::time::Instant;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use crate::matching::unassigned_reason;
use crate::model::Problem;
use crate::plan::{build_plan, Plan};
use context::Ctx;
use search::Worker;
use solution::Solution;

/// Workers in iteration mode: fixed, so the plan does not depend on the thread count.
pub const ITERATION_WORKERS: usize = 4;
/// Time kept back from a time limit per job for building the plan (seconds).
const PLAN_BUILD_SECS_PER_JOB: f64 = 100e-6;
/// Ruin-and-recreate steps per worker between synchronisations.
const EPOCH: u64 = 100;

/// Default iteration budget when neither `iterations` nor `time_limit` is given.
pub fn default_iterations(jobs: usize) -> u64 {
    (jobs as u64 * 40).clamp(2_000, 40_000)
}

/// Solves `problem` and returns a complete plan: every job routed or unassigned with a
/// computed reason. Same problem, seed and iteration budget give the same plan.
pub fn solve(problem: &Problem, params: &SolveParams) -> Plan {
    let mut plan = match params.mode {
        Mode::Assign => crate::lp::assign_mode_plan(problem, params),
        Mode::Route => None,
    }
    .unwrap_or_else(|| solve_routes(problem, params));
    crate::lp::annotate_bound(problem, params, &mut plan);
    plan
}

/// The routing search of [`solve`] (`Mode::Route`).
fn solve_routes(problem: &Problem, params: &SolveParams) -> Plan {
    let start = Instant::now();
    let threads = params.threads.unwrap_or_else(rayon::current_num_threads).max(1);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build();
    let run = || search(problem, params, start, threads);
    let (ctx_best, cost) = match pool {
        Ok(pool) => pool.install(run),
        Err(_) => run(),
    };
    let (ctx, best) = ctx_best;
    let routes: Vec<Vec<usize>> = best.routes.iter().map(|r| r.jobs.clone()).collect();
    let breaks: Vec<Option<usize>> = best.routes.iter().map(|r| r.eval.brk).collect();
    build_plan(problem, &routes, &breaks, cost, |j| {
        unassigned_reason(problem, &ctx.obj, &ctx.elig, &routes, j)
    })
}

type Searched<'a> = ((Ctx<'a>, Solution), i64);

fn search<'a>(
    p: &'a Problem,
    params: &SolveParams,
    start: Instant,
    threads: usize,
) -> Searched<'a> {
    let ctx = Ctx::new(p, params.policy.as_ref().unwrap_or(&p.policy));
    // The search stops early enough to leave time for building the plan after it (60-230
    // ms measured at 2,000 jobs on a loaded machine: exact schedules and the reasons of the
    // unassigned jobs), up to 10% of the limit.
    let deadline = params.time_limit.map(|s| {
        let s = s.max(0.0);
        let reserve = (PLAN_BUILD_SECS_PER_JOB * p.jobs.len() as f64).min(0.10 * s);
        start + std::time::Duration::from_secs_f64(s - reserve)
    });
    let stop = || {
        params.cancel.as_ref().is_some_and(|c| c.load(Ordering::Relaxed))
            || deadline.is_some_and(|d| Instant::now() >= d)
    };
    let mut rng = ChaCha8Rng::seed_from_u64(params.seed);
    let mut init = construct::regret(&ctx, &mut rng, &stop);
    priority::repair(&mut init, &ctx, &mut rng, &stop);
    local_search::descend(&mut init, &ctx, &mut rng, &stop);
    let init_cost = init.cost(&ctx);
    report(params, init_cost, init.assigned());
    if ctx.servable.is_empty() {
        return ((ctx, init), init_cost);
    }
    let budget = match (params.iterations, params.time_limit) {
        (Some(n), _) => Some(n),
        (None, Some(_)) => None,
        (None, None) => Some(default_iterations(p.jobs.len())),
    };
    let n_workers = if budget.is_some() { ITERATION_WORKERS } else { threads };
    let mut workers: Vec<Worker> =
        (0..n_workers).map(|w| Worker::new(&ctx, &init, params.seed, 1 + w as u64)).collect();
    let per_worker = budget.map(|b| b.div_ceil(n_workers as u64));
    let mut done: u64 = 0; // iterations per worker so far
    loop {
        if per_worker.is_some_and(|b| done >= b) || stop() {
            break;
        }
        let steps = per_worker.map_or(EPOCH, |b| EPOCH.min(b - done));
        let frac_at = |i: u64| match (per_worker, params.time_limit) {
            (Some(b), _) => i as f64 / b as f64,
            (None, Some(tl)) => start.elapsed().as_secs_f64() / tl.max(1e-9),
            (None, None) => 1.0,
        };
        workers.par_iter_mut().for_each(|w| {
            for i in 0..steps {
                if stop() {
                    break;
                }
                w.step(&ctx, frac_at(done + i), &stop);
                if let Some(pr) = &params.progress {
                    pr.iterations.fetch_add(1, Ordering::Relaxed);
                }
            }
        });
        done += steps;
        // Synchronise: the worst current solution restarts from the best one.
        let (bi, bc) = best_of(&workers);
        report(params, bc, workers[bi].best.assigned());
        let worst = (0..workers.len()).max_by_key(|&i| (workers[i].cur_cost, i)).unwrap_or(0);
        if worst != bi {
            let b = workers[bi].best.clone();
            workers[worst].adopt(&b, bc);
        }
    }
    let (bi, _) = best_of(&workers);
    let mut best = workers.swap_remove(bi).best;
    priority::repair(&mut best, &ctx, &mut rng, &stop);
    local_search::descend(&mut best, &ctx, &mut rng, &stop);
    let cost = best.cost(&ctx);
    report(params, cost, best.assigned());
    ((ctx, best), cost)
}

fn best_of(workers: &[Worker]) -> (usize, i64) {
    workers
        .iter()
        .enumerate()
        .map(|(i, w)| (i, w.best_cost))
        .min_by_key(|&(i, c)| (c, i))
        .unwrap_or((0, i64::MAX))
}

fn report(params: &SolveParams, cost: i64, assigned: usize) {
    if let Some(pr) = &params.progress {
        pr.offer(cost, assigned as u64);
    }
}
