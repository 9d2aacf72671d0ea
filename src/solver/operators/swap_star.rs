//! SWAP*: exchange two jobs of different routes, each into its best position in the other.

use super::{arcs, service_shift, try_apply, Move, Scratch};
use crate::model::{JobIdx, TechIdx};
use crate::solver::context::Ctx;
use crate::solver::solution::Solution;

/// SWAP* (Vidal 2022): exchanges `u` with a job `v` of another route where each goes to its
/// *best* position in the other route (not necessarily the other's slot). Granular: `v`
/// ranges over `u`'s neighbours only. Positions are ranked by O(1) arc deltas without
/// building sequences, each pair in O(1) from the cached top three positions of each job
/// in the other route (`super::top3`); the best pair per route is confirmed exactly.
pub struct SwapStar;

/// Cheapest approximate insertion of `x` into route `t` with the job at position `skip`
/// removed, by scanning every position: `(cost, position in the route without it)`. The
/// reference that [`super::top3::Top3::without`] must agree with.
#[cfg(test)]
fn best_insert(sol: &Solution, ctx: &Ctx, x: JobIdx, t: TechIdx, skip: usize) -> (f64, usize) {
    let p = ctx.p;
    let r = &sol.routes[t];
    let lx = p.jobs[x].loc;
    let tech = &p.technicians[t];
    let len = r.jobs.len() - 1;
    // Location of the k-th job (0-based) of the route without `skip`.
    let at = |k: usize| p.jobs[r.jobs[if k >= skip { k + 1 } else { k }]].loc;
    let mut best = (f64::INFINITY, 0);
    for k in 0..=len {
        let a = if k == 0 { tech.start } else { at(k - 1) };
        let b = if k == len { tech.end } else { at(k) };
        let c = arcs(ctx, t, &[(a, lx), (lx, b)], &[(a, b)]);
        if c < best.0 {
            best = (c, k);
        }
    }
    best
}

/// Approximate gain of removing the job at position `i` of route `t`.
fn removal(sol: &Solution, ctx: &Ctx, t: TechIdx, i: usize) -> f64 {
    let p = ctx.p;
    let r = &sol.routes[t];
    let (a, b, x) = (r.loc_before(p, i), r.loc_at(p, i + 1), p.jobs[r.jobs[i]].loc);
    arcs(ctx, t, &[(a, b)], &[(a, x), (x, b)])
}

impl Move for SwapStar {
    fn name(&self) -> &'static str {
        "swap_star"
    }

    fn improve(&self, sol: &mut Solution, ctx: &Ctx, u: JobIdx, s: &mut Scratch) -> bool {
        let p = ctx.p;
        let Some((ta, i)) = sol.pos[u] else { return false };
        let gain_u = removal(sol, ctx, ta, i);
        // Neighbours of `u` in other routes, grouped by route (sorted by route, then job).
        let mut pairs: Vec<(TechIdx, usize)> = ctx.neighbours[u]
            .iter()
            .filter_map(|&v| sol.pos[v])
            .filter(|&(tb, _)| tb != ta && ctx.elig.allowed(u, tb))
            .collect();
        pairs.sort_unstable();
        let mut g = 0;
        while g < pairs.len() {
            let tb = pairs[g].0;
            let mut best: Option<(f64, JobIdx, usize, usize)> = None;
            while g < pairs.len() && pairs[g].0 == tb {
                let j = pairs[g].1;
                g += 1;
                let v = sol.routes[tb].jobs[j];
                if !ctx.elig.allowed(v, ta)
                    || !sol.routes[ta].fits(p, v, Some(u))
                    || !sol.routes[tb].fits(p, u, Some(v))
                {
                    continue;
                }
                let (cu, ku) = s.inserts.top3(sol, ctx, u, tb).without(sol, ctx, u, tb, j);
                let (cv, kv) = s.inserts.top3(sol, ctx, v, ta).without(sol, ctx, v, ta, i);
                let delta = gain_u
                    + removal(sol, ctx, tb, j)
                    + cu
                    + cv
                    + service_shift(ctx, u, ta, tb)
                    + service_shift(ctx, v, tb, ta);
                if delta < 0.0 && best.is_none_or(|b| delta < b.0) {
                    best = Some((delta, v, ku, kv));
                }
            }
            let Some((_, v, ku, kv)) = best else { continue };
            s.a.clear();
            s.a.extend(sol.routes[ta].jobs.iter().copied().filter(|&x| x != u));
            s.a.insert(kv, v);
            s.b.clear();
            s.b.extend(sol.routes[tb].jobs.iter().copied().filter(|&x| x != v));
            s.b.insert(ku, u);
            if try_apply(sol, ctx, ta, tb, s) {
                return true;
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{generate, GenerateParams};
    use crate::io::parse_problem_value;
    use crate::solver::operators::top3::InsertCache;
    use rand::seq::SliceRandom;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    /// The cached top-three search gives exactly the full scan's `(cost, position)` for
    /// every job, route and removed position, also after routes changed under a cache that
    /// was kept (each job asks at most 6 routes, fewer than the cache holds, so an entry of
    /// a changed route would be found again if a change did not invalidate it).
    #[test]
    fn top3_insertion_matches_full_scan() {
        for seed in [3, 11] {
            let doc = generate(&GenerateParams { jobs: 240, techs: 12, seed });
            let p = parse_problem_value(doc).expect("valid");
            let ctx = Ctx::new(&p, &p.policy);
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let start = std::time::Instant::now();
            let mut sol = crate::solver::initial(&ctx, &mut rng, &|| false, start);
            let mut cache = InsertCache::default();
            let (mut checked, mut changed) = (0, 0);
            for round in 0..4 {
                for x in 0..p.jobs.len() {
                    for k in 0..6 {
                        let t = (x + k) % sol.routes.len();
                        for skip in 0..sol.routes[t].len() {
                            let top = cache.top3(&sol, &ctx, x, t);
                            let fast = top.without(&sol, &ctx, x, t, skip);
                            let full = best_insert(&sol, &ctx, x, t, skip);
                            assert_eq!(fast, full, "seed {seed} round {round} job {x} route {t}");
                            checked += 1;
                        }
                    }
                }
                // Move some jobs elsewhere, keeping the cache.
                let before: Vec<u64> = sol.routes.iter().map(|r| r.stamp()).collect();
                let mut moved: Vec<JobIdx> =
                    (0..p.jobs.len()).filter(|&j| sol.pos[j].is_some()).collect();
                moved.shuffle(&mut rng);
                moved.truncate(40);
                for &j in &moved {
                    sol.remove(&ctx, j);
                }
                let mut buf = Vec::new();
                for &j in moved.iter().rev() {
                    if let Some(ins) = sol.best_insertion(&ctx, j, 0.0, &mut rng, &mut buf) {
                        sol.insert(&ctx, j, ins);
                    }
                }
                changed += sol.routes.iter().zip(&before).filter(|(r, &s)| r.stamp() != s).count();
            }
            assert!(checked > 10_000 && changed > 10, "{checked} checks, {changed} changes");
        }
    }
}
