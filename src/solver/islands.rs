//! Island search for time mode on several threads (route-based decomposition after
//! Santini, Schneider, Vidal & Vigo 2023 and HGS's barycentre decomposition): each epoch
//! splits the routes of the current solution into one group per thread by the polar angle
//! of each route's barycentre around the centre of the jobs, every thread anneals its own
//! group as a sub-problem, and the groups' solutions are merged back into a whole one.
//!
//! Why: threads that all search the whole plan and copy the best one between epochs
//! duplicate each other's work (measured: 2 threads no better than 1 on Solomon at 30 s).
//! Disjoint groups give every thread steps nobody else makes. The objective is additive
//! (route costs plus unassigned penalties), so the union of the groups' best parts is a
//! valid whole solution; it is re-evaluated under the whole day's objective anyway, because
//! some policy terms have day-wide constants. The first boundary turns by the golden angle
//! every epoch, so moves across a boundary become moves inside a group a few epochs later.
//! Island epochs alternate with portfolio epochs, in which every thread anneals the whole
//! plan from the same current solution and the best current one goes on (moves across any
//! boundary, and a best of several random walks); an epoch whose groups would hold fewer
//! than [`MIN_GROUP_ROUTES`] used routes (e.g. 5 routes on 2 threads) is a portfolio one
//! too. Measured on a loaded machine (Solomon, 10 s), the alternation beat island epochs
//! alone, which lost most on instances with few routes.

use std::f64::consts::TAU;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use super::context::Ctx;
use super::decompose::{coord, merge, sub_problem, Part};
use super::search::Worker;
use super::solution::Solution;
use super::{local_search, priority, time_frac, Search, Stop};
use crate::model::{JobIdx, TechIdx};
use crate::policy::Policy;
use crate::routing::evaluate;
use crate::travel::ExactTravel;

/// Fewest used routes per group for an island epoch (below: a portfolio epoch).
const MIN_GROUP_ROUTES: usize = 3;
/// Shortest epoch (seconds): long enough for thousands of steps on a 100-job group.
const MIN_EPOCH_SECS: f64 = 0.2;
/// An epoch lasts at least this many times the time its slowest group took to build its
/// sub-problem and context, so the building stays near 5 % of the search on large days.
const BUILD_FACTOR: f64 = 20.0;
/// Epochs of an iteration-mode search (each at least [`MIN_EPOCH_STEPS`] steps per worker).
const ITERATION_EPOCHS: u64 = 50;
/// Fewest steps per worker in an iteration-mode epoch.
const MIN_EPOCH_STEPS: u64 = 200;
/// Turn of the first group boundary per epoch (radians): the golden angle, so boundaries
/// do not repeat.
const ROTATION: f64 = 2.399_963_229_728_653;

/// Which parallel scheme the search uses, for benchmarking: the environment variable
/// `FIELDOPT_PARALLEL` = `sync` (the synchronised portfolio: the worst worker restarts
/// from the best every 100 steps), `islands` (island epochs only), `mixed` (island and
/// portfolio epochs alternate); unset: mixed in time mode, the portfolio in iteration mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scheme {
    Default,
    Sync,
    Islands,
    Mixed,
}

fn scheme() -> Scheme {
    match std::env::var("FIELDOPT_PARALLEL").as_deref() {
        Ok("sync") => Scheme::Sync,
        Ok("islands") => Scheme::Islands,
        Ok("mixed") => Scheme::Mixed,
        _ => Scheme::Default,
    }
}

/// True when [`improve`] should run instead of the synchronised portfolio: at least two
/// workers, a geometric travel model (the groups need coordinates), and time mode unless
/// chosen explicitly.
pub(super) fn applicable(ctx: &Ctx, s: &Search) -> bool {
    let geometric =
        matches!(ctx.p.travel.exact, ExactTravel::Haversine { .. } | ExactTravel::Euclidean { .. });
    let chosen = match scheme() {
        Scheme::Default => s.iterations.is_none(),
        Scheme::Sync => false,
        Scheme::Islands | Scheme::Mixed => true,
    };
    s.workers >= 2 && geometric && chosen
}

/// Mean of plane points (the origin for none).
fn mean(points: impl Iterator<Item = [f64; 2]>) -> [f64; 2] {
    let (mut s, mut n) = ([0.0, 0.0], 0usize);
    for x in points {
        s[0] += x[0];
        s[1] += x[1];
        n += 1;
    }
    let n = n.max(1) as f64;
    [s[0] / n, s[1] / n]
}

/// Splits the technicians of `sol` into `k` groups: used routes sorted by the polar angle
/// (radians, measured from `offset`) of their barycentre around the centre of the servable
/// jobs and cut into contiguous sectors of about equal job counts (at least one route per
/// group while routes last); empty routes dealt in turn; every unassigned servable job sent
/// to the group of its pinned technician, else of its nearest candidate by travel time from
/// the start. Every technician and every servable job is in exactly one group.
pub(super) fn group_routes(ctx: &Ctx, sol: &Solution, k: usize, offset: f64) -> Vec<Part> {
    let p = ctx.p;
    let k = k.max(1);
    let at = |j: JobIdx| coord(p, p.jobs[j].loc);
    let centre = mean(ctx.servable.iter().map(|&j| at(j)));
    let mut used: Vec<(f64, TechIdx)> = Vec::new();
    for (t, r) in sol.routes.iter().enumerate().filter(|(_, r)| !r.is_empty()) {
        let b = mean(r.jobs.iter().map(|&j| at(j)));
        let angle = ((b[1] - centre[1]).atan2(b[0] - centre[0]) - offset).rem_euclid(TAU);
        used.push((angle, t));
    }
    used.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let total: usize = used.iter().map(|&(_, t)| sol.routes[t].len()).sum();
    let mut group = vec![0usize; p.technicians.len()];
    let (mut g, mut in_g, mut cum) = (0usize, 0usize, 0usize);
    for (i, &(_, t)) in used.iter().enumerate() {
        let share_done = cum * k >= (g + 1) * total;
        let routes_short = used.len() - i <= k - 1 - g;
        if g + 1 < k && in_g > 0 && (share_done || routes_short) {
            g += 1;
            in_g = 0;
        }
        group[t] = g;
        in_g += 1;
        cum += sol.routes[t].len();
    }
    let empty = (0..p.technicians.len()).filter(|&t| sol.routes[t].is_empty());
    for (i, t) in empty.enumerate() {
        group[t] = i % k;
    }
    let mut parts: Vec<Part> = vec![Part { techs: Vec::new(), jobs: Vec::new() }; k];
    for (t, &g) in group.iter().enumerate() {
        parts[g].techs.push(t);
        parts[g].jobs.extend_from_slice(&sol.routes[t].jobs);
    }
    for &j in &ctx.servable {
        if sol.pos[j].is_some() {
            continue;
        }
        let lj = p.jobs[j].loc;
        let tech = p.jobs[j].pinned.or_else(|| {
            let near = ctx.near_techs(j).iter().copied();
            near.min_by_key(|&t| (p.travel.time(p.technicians[t].start, lj), t))
        });
        if let Some(t) = tech {
            parts[group[t]].jobs.push(j);
        }
    }
    for part in &mut parts {
        part.jobs.sort_unstable();
    }
    parts
}

/// `sol` restricted to `part`, in the sub-problem's indices (`sctx`), every route
/// re-evaluated under the sub-problem's objective.
fn localise(sctx: &Ctx, sol: &Solution, part: &Part) -> Solution {
    let mut out = Solution::empty(sctx);
    for (lt, &t) in part.techs.iter().enumerate() {
        let r = &sol.routes[t];
        if r.is_empty() {
            continue;
        }
        let local =
            |j: &JobIdx| part.jobs.binary_search(j).expect("a route's jobs are in its group");
        let jobs: Vec<JobIdx> = r.jobs.iter().map(local).collect();
        if let Some(e) = evaluate(sctx.p, &sctx.obj, lt, &jobs) {
            out.set_route(sctx, lt, jobs, e);
        }
    }
    out.unassigned = (0..sctx.p.jobs.len()).filter(|&j| out.pos[j].is_none()).collect();
    out.touched.clear();
    out
}

/// Steps of one epoch in iteration mode: `steps` per worker, the first being step `done`
/// of `total` per worker (for the annealing schedule).
#[derive(Debug, Clone, Copy)]
struct Steps {
    done: u64,
    steps: u64,
    total: u64,
}

/// Anneals `w` on `ctx` for `budget`'s steps (time mode: until `stop()`), counting steps
/// on the progress counter; returns the steps made.
fn anneal(w: &mut Worker, ctx: &Ctx, s: &Search, budget: Option<Steps>, stop: Stop) -> u64 {
    if ctx.servable.is_empty() {
        return 0;
    }
    let mut i = 0u64;
    while budget.is_none_or(|b| i < b.steps) && !stop() {
        let frac = budget.map_or_else(|| time_frac(s), |b| (b.done + i) as f64 / b.total as f64);
        w.step(ctx, frac, stop);
        i += 1;
        if let Some(pr) = s.progress {
            pr.iterations.fetch_add(1, Ordering::Relaxed);
        }
    }
    i
}

/// One group's epoch: builds its sub-problem, anneals it from `cur`'s routes until
/// `stop()`, and returns its current and best solutions (sub-problem indices) and the
/// seconds spent building.
fn search_part(
    ctx: &Ctx,
    policy: &Policy,
    cur: &Solution,
    part: &Part,
    seed: u64,
    (s, budget): (&Search, Option<Steps>),
    stop: Stop,
) -> (Solution, Solution, f64, u64) {
    let t0 = Instant::now();
    let q = sub_problem(ctx.p, policy, part);
    let sctx = Ctx::new(&q, &q.policy);
    let start = localise(&sctx, cur, part);
    let built = t0.elapsed().as_secs_f64();
    let mut w = Worker::new(&sctx, &start, seed, 1);
    let made = anneal(&mut w, &sctx, s, budget, stop);
    (w.cur, w.best, built, made)
}

/// Epoch seed: a different random stream family per epoch.
fn epoch_seed(seed: u64, epoch: u64) -> u64 {
    seed ^ (epoch + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// Parallel search in epochs (see the module documentation) from `init` until `stop()`,
/// then priority repair and local search on the best solution found. `policy` is the
/// policy in force (the groups' sub-problems are solved under it).
pub(super) fn improve(
    ctx: &Ctx,
    policy: &Policy,
    init: &Solution,
    s: &Search,
    rng: &mut ChaCha8Rng,
    stop: Stop,
) -> Solution {
    let k = s.workers.max(1);
    let scheme = scheme();
    let mut cur = init.clone();
    let mut best_cost = cur.cost(ctx);
    let mut best = cur.clone();
    let mut epoch_secs = MIN_EPOCH_SECS;
    // Iteration mode: steps per worker in all, and per epoch.
    let per_unit = s.iterations.map(|b| b.div_ceil(k as u64).max(1));
    let epoch_steps = per_unit.map(|b| (b / ITERATION_EPOCHS).max(MIN_EPOCH_STEPS));
    let (mut done, mut made) = (0u64, 0u64);
    let mut epochs = 0u64;
    for e in 0u64.. {
        if per_unit.is_some_and(|b| done >= b) || stop() {
            break;
        }
        epochs = e + 1;
        let budget = per_unit.zip(epoch_steps).map(|(total, n)| Steps {
            done,
            steps: n.min(total - done),
            total,
        });
        let end = Instant::now() + Duration::from_secs_f64(epoch_secs);
        let epoch_stop = || stop() || (budget.is_none() && Instant::now() >= end);
        let seed = epoch_seed(s.seed, e);
        let island = scheme == Scheme::Islands || e % 2 == 0;
        let parts = island.then(|| group_routes(ctx, &cur, k, e as f64 * ROTATION)).filter(|g| {
            g.iter().all(|x| {
                x.techs.iter().filter(|&&t| !cur.routes[t].is_empty()).count() >= MIN_GROUP_ROUTES
            })
        });
        let (curs, bests) = match &parts {
            Some(parts) => {
                let out: Vec<(Solution, Solution, f64, u64)> = (parts.par_iter().enumerate())
                    .map(|(g, part)| {
                        let seed = seed ^ g as u64;
                        search_part(ctx, policy, &cur, part, seed, (s, budget), &epoch_stop)
                    })
                    .collect();
                let built = out.iter().map(|x| x.2).fold(0.0, f64::max);
                epoch_secs = MIN_EPOCH_SECS.max(BUILD_FACTOR * built);
                made += out.iter().map(|x| x.3).sum::<u64>();
                let (curs, bests): (Vec<_>, Vec<_>) =
                    out.into_iter().map(|(c, b, _, _)| (Some(c), Some(b))).unzip();
                (merge(ctx, parts, &curs), merge(ctx, parts, &bests))
            }
            None => {
                let mut ws: Vec<Worker> =
                    (0..k).map(|w| Worker::new(ctx, &cur, seed, 1 + w as u64)).collect();
                made +=
                    ws.par_iter_mut().map(|w| anneal(w, ctx, s, budget, &epoch_stop)).sum::<u64>();
                let pick = |key: fn(&Worker) -> i64| {
                    (0..ws.len()).min_by_key(|&i| (key(&ws[i]), i)).unwrap_or(0)
                };
                let (ci, bi) = (pick(|w| w.cur_cost), pick(|w| w.best_cost));
                (ws[ci].cur.clone(), ws[bi].best.clone())
            }
        };
        done += budget.map_or(0, |b| b.steps);
        // Synchronisation point: every group's (or worker's) current and best solutions
        // are merged into `cur` and `best` here, between epochs.
        cur = curs;
        for cand in [bests, cur.clone()] {
            let c = cand.cost(ctx);
            if c < best_cost {
                (best, best_cost) = (cand, c);
            }
        }
        if s.report {
            if let Some(pr) = s.progress {
                pr.offer(best_cost, best.assigned() as u64);
            }
        }
    }
    super::trace(s.t0, &format!("islands: {epochs} epochs, {made} steps"));
    priority::repair(&mut best, ctx, rng, stop);
    local_search::descend(&mut best, ctx, rng, stop);
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{generate, GenerateParams};
    use crate::io::parse_problem_value;
    use rand::SeedableRng;

    /// Every technician and every servable job is in exactly one group, a route's jobs are
    /// in its technician's group, an unassigned job is in the group of one of its
    /// candidates, every group has a used route, and the sectors hold similar job counts.
    #[test]
    fn groups_cover_every_route_and_job_once() {
        let doc = generate(&GenerateParams { jobs: 300, techs: 24, seed: 7 });
        let p = parse_problem_value(doc).expect("valid");
        let ctx = Ctx::new(&p, &p.policy);
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut sol = super::super::initial(&ctx, &mut rng, &|| false, Instant::now());
        // Leave a few routed jobs out, so unassigned jobs have to be dealt too.
        let routed: Vec<JobIdx> =
            ctx.servable.iter().copied().filter(|&j| sol.pos[j].is_some()).collect();
        for &j in routed.iter().step_by(25) {
            sol.remove(&ctx, j);
        }
        let used = sol.routes.iter().filter(|r| !r.is_empty()).count();
        let loose: Vec<JobIdx> =
            ctx.servable.iter().copied().filter(|&j| sol.pos[j].is_none()).collect();
        assert!(used >= 8 && !loose.is_empty(), "{used} routes, {} loose", loose.len());
        for k in [1, 2, 3, 4] {
            for e in 0..5 {
                let parts = group_routes(&ctx, &sol, k, e as f64 * ROTATION);
                assert_eq!(parts.len(), k);
                let mut techs: Vec<TechIdx> = parts.iter().flat_map(|x| x.techs.clone()).collect();
                techs.sort_unstable();
                assert_eq!(techs, (0..p.technicians.len()).collect::<Vec<_>>(), "k {k}");
                let mut jobs: Vec<JobIdx> = parts.iter().flat_map(|x| x.jobs.clone()).collect();
                jobs.sort_unstable();
                assert_eq!(jobs, ctx.servable, "k {k}: every servable job once");
                let assigned: usize = sol.routes.iter().map(|r| r.len()).sum();
                for part in &parts {
                    let mine = |t: &TechIdx| part.techs.binary_search(t).is_ok();
                    let routes = part.techs.iter().filter(|&&t| !sol.routes[t].is_empty());
                    assert!(routes.count() >= 1, "k {k}: a group without a used route");
                    for &j in &part.jobs {
                        match sol.pos[j] {
                            Some((t, _)) => assert!(mine(&t), "job {j} away from its route"),
                            None => assert!(ctx.elig.candidates(j).iter().any(mine)),
                        }
                    }
                    let routed = part.jobs.iter().filter(|&&j| sol.pos[j].is_some()).count();
                    assert!(routed * k <= 2 * assigned, "k {k}: {routed} of {assigned} jobs");
                }
            }
        }
    }
}
