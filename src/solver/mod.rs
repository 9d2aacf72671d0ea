//! The search: eligibility, regret-insertion construction, local search (relocate, swap,
//! or-opt, 2-opt, 2-opt*), and a parallel ruin-and-recreate loop (rayon): in iteration mode
//! a fixed number of seeded workers that synchronise in epochs, in time mode on several
//! threads epochs with one island per thread over a route decomposition alternating with
//! whole-plan portfolio epochs (`islands`). Days above
//! [`DECOMPOSE_ABOVE_JOBS`] jobs are first split into geographic parts solved in parallel
//! (`decompose`).

mod construct;
mod context;
mod decompose;
mod fallback; // LP assist (issue 5)
mod islands;
mod local_search;
pub mod operators;
mod params;
mod pool; // LP assist (issue 5)
mod priority;
mod recreate;
mod ruin;
mod search;
mod solution;

pub use decompose::{DECOMPOSE_ABOVE_JOBS, PART_JOBS};
pub use params::{Decompose, LpAssist, Mode, Progress, SolveParams, SolverOptions};
pub use pool::recombination_counts; // LP assist (issue 5)

use std::sync::atomic::Ordering;
use std::time::Instant;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use crate::matching::Reasons;
use crate::model::Problem;
use crate::plan::{build_plan, Plan};
use context::Ctx;
use search::Worker;
use solution::Solution;

/// Workers in iteration mode: fixed, so the plan does not depend on the thread count.
pub const ITERATION_WORKERS: usize = 4;
/// Time kept back from a time limit per job for building the plan (seconds).
const PLAN_BUILD_SECS_PER_JOB: f64 = 300e-6;
/// Ruin-and-recreate steps per worker between synchronisations.
const EPOCH: u64 = 100;

/// Default iteration budget when neither `iterations` nor `time_limit` is given.
pub fn default_iterations(jobs: usize) -> u64 {
    (jobs as u64 * 40).clamp(2_000, 40_000)
}

/// Solves `problem` and returns a complete plan: every job routed or unassigned with a
/// computed reason. Same problem, seed and iteration budget give the same plan.
pub fn solve(problem: &Problem, params: &SolveParams) -> Plan {
    solve_with(problem, params, &params.solver_options())
}

/// [`solve`] with explicit search options (e.g. forcing decomposition on or off).
pub fn solve_with(problem: &Problem, params: &SolveParams, opts: &SolverOptions) -> Plan {
    let mut plan = match params.mode {
        Mode::Assign => crate::lp::assign_mode_plan(problem, params),
        Mode::Route => None,
    }
    .unwrap_or_else(|| solve_routes(problem, params, opts));
    crate::lp::annotate_bound(problem, params, &mut plan);
    plan
}

/// The routing search of [`solve`] (`Mode::Route`).
fn solve_routes(problem: &Problem, params: &SolveParams, opts: &SolverOptions) -> Plan {
    let start = Instant::now();
    let threads = params.thread_count();
    let run = || {
        let ((ctx, best), cost) = search(problem, params, opts, start, threads);
        let routes: Vec<Vec<usize>> = best.routes.iter().map(|r| r.jobs.clone()).collect();
        // The reasons of the unassigned jobs try every candidate route (per-route caches
        // shared by all jobs; thousands of jobs at 20,000 jobs): computed in parallel here.
        let why = Reasons::new(problem, &ctx.obj, &ctx.elig, &routes);
        let reasons: Vec<Option<(String, String)>> = (0..problem.jobs.len())
            .into_par_iter()
            .map(|j| best.pos[j].is_none().then(|| why.of(j)))
            .collect();
        trace(start, "unassigned reasons");
        (best, routes, reasons, cost)
    };
    let (best, routes, reasons, cost) = params.on_threads(run);
    let breaks: Vec<Option<usize>> = best.routes.iter().map(|r| r.eval.brk).collect();
    let plan = build_plan(problem, &routes, &breaks, cost, |j| {
        reasons[j].clone().expect("every unassigned job has a reason")
    });
    trace(start, "plan built");
    plan
}

type Searched<'a> = ((Ctx<'a>, Solution), i64);

/// A stop condition shared by the workers of one search.
type Stop<'s> = &'s (dyn Fn() -> bool + Sync);

fn search<'a>(
    p: &'a Problem,
    params: &SolveParams,
    opts: &SolverOptions,
    start: Instant,
    threads: usize,
) -> Searched<'a> {
    let policy = params.policy.as_ref().unwrap_or(&p.policy);
    let ctx = Ctx::new(p, policy);
    trace(start, "context");
    // The search stops early enough to leave time for building the plan after it (60-230
    // ms measured at 2,000 jobs, 2-4 s at 10,000 jobs on a loaded machine: exact schedules
    // and above all the reasons of the unassigned jobs), up to 10% of the limit.
    let deadline = params.time_limit.map(|s| {
        let s = s.max(0.0);
        let reserve = (PLAN_BUILD_SECS_PER_JOB * p.jobs.len() as f64).min(0.10 * s);
        start + std::time::Duration::from_secs_f64(s - reserve)
    });
    let stop = || {
        params.cancel.as_ref().is_some_and(|c| c.load(Ordering::Relaxed))
            || deadline.is_some_and(|d| Instant::now() >= d)
    };
    let budget = match (params.iterations, params.time_limit) {
        (Some(n), _) => Some(n),
        (None, Some(_)) => None,
        (None, None) => Some(default_iterations(p.jobs.len())),
    };
    let mut rng = ChaCha8Rng::seed_from_u64(params.seed);
    let parts = if stop() { None } else { decompose::parts(&ctx, opts.decompose) };
    let (init, rest) = match &parts {
        Some(parts) => {
            let run = decompose::Run { params, policy, start, deadline, threads, budget };
            let (init, used) = decompose::solve_parts(&ctx, parts, &run, &mut rng, &stop);
            trace(start, "parts solved and merged");
            (init, budget.map(|b| b.saturating_sub(used)))
        }
        None => (initial(&ctx, &mut rng, &stop, start), budget),
    };
    let init_cost = init.cost(&ctx);
    report(params, init_cost, init.assigned());
    if ctx.servable.is_empty() {
        return ((ctx, init), init_cost);
    }
    let n_workers = if rest.is_some() { ITERATION_WORKERS } else { threads };
    let horizon = params.time_limit.map(|tl| start + std::time::Duration::from_secs_f64(tl));
    let search = Search {
        iterations: rest,
        workers: n_workers,
        seed: params.seed,
        t0: start,
        horizon,
        progress: params.progress.as_deref(),
        report: true,
    };
    // [LP assists, issue 5] recombination (off by default; portfolio scheme only) at every
    // synchronisation, then the fallback.
    let mut recomb =
        opts.lp.recombine.then(|| pool::Recombiner::new(&ctx, params.time_limit)).flatten();
    let best = if recomb.is_none() && islands::applicable(&ctx, &search) {
        islands::improve(&ctx, policy, &init, &search, &mut rng, &stop)
    } else {
        improve_hooked(&ctx, &init, &search, &mut rng, &stop, recomb.as_mut())
    };
    let best = lp_fallback(&ctx, policy, params, opts, deadline, best, &mut rng, &stop);
    // [end LP assists]
    let cost = best.cost(&ctx);
    report(params, cost, best.assigned());
    ((ctx, best), cost)
}

/// The first complete solution: regret construction, priority repair, local search.
fn initial(ctx: &Ctx, rng: &mut ChaCha8Rng, stop: &dyn Fn() -> bool, start: Instant) -> Solution {
    let mut init = construct::regret(ctx, rng, stop);
    trace(start, "construct");
    priority::repair(&mut init, ctx, rng, stop);
    trace(start, "repair");
    local_search::descend(&mut init, ctx, rng, stop);
    trace(start, "descend");
    init
}

/// How long and with how many workers [`improve`] searches.
struct Search<'p> {
    /// Iterations summed over the workers (`None`: until `stop()`).
    iterations: Option<u64>,
    /// Workers (fixed in iteration mode so the plan does not depend on the thread count).
    workers: usize,
    /// Seed of the workers' random streams.
    seed: u64,
    /// When the search started, and when its time runs out (for the annealing schedule in
    /// time mode).
    t0: Instant,
    horizon: Option<Instant>,
    /// Iteration counter to advance, if any.
    progress: Option<&'p Progress>,
    /// Offer each epoch's best to `progress` (false for the parts of a decomposition, whose
    /// objectives are not the whole plan's).
    report: bool,
}

/// Parallel ruin-and-recreate from `init` with workers that synchronise every [`EPOCH`]
/// steps, then priority repair and local search on the best solution found.
fn improve(ctx: &Ctx, init: &Solution, s: &Search, rng: &mut ChaCha8Rng, stop: Stop) -> Solution {
    improve_hooked(ctx, init, s, rng, stop, None)
}

/// [`improve`] with the recombination hook of the LP assists (issue 5) at every
/// synchronisation.
fn improve_hooked(
    ctx: &Ctx,
    init: &Solution,
    s: &Search,
    rng: &mut ChaCha8Rng,
    stop: Stop,
    mut recomb: Option<&mut pool::Recombiner>,
) -> Solution {
    let mut workers: Vec<Worker> =
        (0..s.workers).map(|w| Worker::new(ctx, init, s.seed, 1 + w as u64)).collect();
    let per_worker = s.iterations.map(|b| b.div_ceil(s.workers as u64));
    let mut done: u64 = 0; // iterations per worker so far
    loop {
        if per_worker.is_some_and(|b| done >= b) || stop() {
            break;
        }
        let steps = per_worker.map_or(EPOCH, |b| EPOCH.min(b - done));
        let frac_at = |i: u64| match per_worker {
            Some(b) => i as f64 / b.max(1) as f64,
            None => time_frac(s),
        };
        workers.par_iter_mut().for_each(|w| {
            for i in 0..steps {
                if stop() {
                    break;
                }
                w.step(ctx, frac_at(done + i), stop);
                if let Some(pr) = s.progress {
                    pr.iterations.fetch_add(1, Ordering::Relaxed);
                }
            }
        });
        done += steps;
        // [LP assist, issue 5] pool the workers' routes; recombine at set progress points.
        if let Some(r) = recomb.as_deref_mut() {
            r.sync(ctx, &mut workers, frac_at(done), stop);
        }
        // Synchronise: the worst current solution restarts from the best one.
        let (bi, bc) = best_of(&workers);
        if s.report {
            if let Some(pr) = s.progress {
                pr.offer(bc, workers[bi].best.assigned() as u64);
            }
        }
        let worst = (0..workers.len()).max_by_key(|&i| (workers[i].cur_cost, i)).unwrap_or(0);
        if worst != bi {
            let b = workers[bi].best.clone();
            workers[worst].adopt(&b, bc);
        }
    }
    trace(s.t0, &format!("portfolio: {} steps", done * s.workers as u64));
    let (bi, _) = best_of(&workers);
    let mut best = workers.swap_remove(bi).best;
    priority::repair(&mut best, ctx, rng, stop);
    local_search::descend(&mut best, ctx, rng, stop);
    best
}

/// Search progress in [0, 1] by the clock (time mode): the share of the time from the
/// start to the horizon spent so far; 1 without a horizon.
fn time_frac(s: &Search) -> f64 {
    match s.horizon {
        Some(h) => {
            let total = h.saturating_duration_since(s.t0).as_secs_f64().max(1e-9);
            s.t0.elapsed().as_secs_f64() / total
        }
        None => 1.0,
    }
}

/// [LP assist, issue 5] The assignment-MIP fallback after the search (`fallback`).
/// When the search routed nothing although jobs are servable (its budget ran out during
/// construction), the MIP gets the time left before the deadline, at least
/// [`fallback::MIN_SECS`] (or [`FALLBACK_SECS`] without a time limit). When it left
/// high-priority jobs out while serving lower ones, the MIP runs only in time mode and
/// only with at least [`fallback::MIN_SECS`] left, so it neither overruns a time limit nor
/// makes an iteration-mode plan depend on machine speed (a time-capped MIP would).
/// Skipped when cancelled or switched off.
#[allow(clippy::too_many_arguments)]
fn lp_fallback(
    ctx: &Ctx,
    policy: &crate::policy::Policy,
    params: &SolveParams,
    opts: &SolverOptions,
    deadline: Option<Instant>,
    best: Solution,
    rng: &mut ChaCha8Rng,
    stop: Stop,
) -> Solution {
    let cancelled = params.cancel.as_ref().is_some_and(|c| c.load(Ordering::Relaxed));
    if !opts.lp.fallback || cancelled {
        return best;
    }
    let left = deadline.map(|d| d.saturating_duration_since(Instant::now()).as_secs_f64());
    let time_mode = params.iterations.is_none() && deadline.is_some();
    let secs = match (best.assigned() > 0, left) {
        (false, Some(l)) => l.max(fallback::MIN_SECS),
        (false, None) => FALLBACK_SECS,
        (true, Some(l)) if time_mode && l >= fallback::MIN_SECS => l,
        _ => return best,
    };
    fallback::repair(ctx, policy, &best, secs, rng, stop).unwrap_or(best)
}

/// MIP time cap of the fallback without a time limit (seconds).
const FALLBACK_SECS: f64 = 5.0;

/// Phase timings on stderr when the environment variable `FIELDOPT_TRACE` is set (seconds
/// since the solve started), for profiling large runs without a profiler.
pub(crate) fn trace(start: Instant, what: &str) {
    if std::env::var_os("FIELDOPT_TRACE").is_some() {
        eprintln!("[fieldopt] {:8.3} s {what}", start.elapsed().as_secs_f64());
    }
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
