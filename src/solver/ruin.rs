//! Ruin steps of the ruin-and-recreate search: adjacent string removal (after Christiaens
//! and Vanden Berghe's SISR) and random removal.

use rand::seq::SliceRandom;
use rand::Rng;

use super::context::Ctx;
use super::solution::Solution;
use crate::model::JobIdx;

/// Average number of jobs a ruin step removes.
const AVG_REMOVED: f64 = 12.0;
/// Longest string cut from one route.
const MAX_STRING: usize = 10;

/// Number of assigned jobs (every job is either in a route or in `unassigned`).
fn assigned_count(sol: &Solution) -> usize {
    sol.pos.len() - sol.unassigned.len()
}

/// A uniformly random assigned servable job, drawn by rejection when at least half of the
/// servable jobs are assigned (O(1) expected instead of an O(jobs) scan per step), else
/// from the filtered list.
fn random_assigned<R: Rng>(sol: &Solution, ctx: &Ctx, rng: &mut R) -> Option<JobIdx> {
    let n = ctx.servable.len();
    if n == 0 || assigned_count(sol) == 0 {
        return None;
    }
    if 2 * assigned_count(sol) >= n {
        loop {
            let j = ctx.servable[rng.random_range(0..n)];
            if sol.pos[j].is_some() {
                return Some(j);
            }
        }
    }
    let assigned: Vec<JobIdx> =
        ctx.servable.iter().copied().filter(|&j| sol.pos[j].is_some()).collect();
    (!assigned.is_empty()).then(|| assigned[rng.random_range(0..assigned.len())])
}

/// Removes a few strings of consecutive jobs from routes near a random seed job.
pub fn strings<R: Rng>(sol: &mut Solution, ctx: &Ctx, rng: &mut R) -> Vec<JobIdx> {
    let Some(seed) = random_assigned(sol, ctx, rng) else { return Vec::new() };
    let used = sol.routes.iter().filter(|r| !r.is_empty()).count().max(1);
    let avg_len = assigned_count(sol) as f64 / used as f64;
    let l_max = (MAX_STRING as f64).min(avg_len).max(1.0);
    let k_max = (4.0 * AVG_REMOVED / (1.0 + l_max) - 1.0).max(1.0);
    let k = rng.random_range(1..=k_max.floor() as usize);
    let mut removed = Vec::new();
    let mut ruined = Vec::new();
    for &c in std::iter::once(&seed).chain(ctx.neighbours[seed].iter()) {
        if ruined.len() >= k {
            break;
        }
        let Some((t, at)) = sol.pos[c] else { continue };
        if ruined.contains(&t) {
            continue;
        }
        ruined.push(t);
        let len = sol.routes[t].len();
        let l = rng.random_range(1..=(l_max as usize).min(len));
        let lo = at.saturating_sub(rng.random_range(0..l)).min(len - l);
        let cut: Vec<JobIdx> = sol.routes[t].jobs[lo..lo + l].to_vec();
        for j in cut {
            sol.remove(ctx, j);
            removed.push(j);
        }
    }
    removed
}

/// Removes `q` random assigned jobs (drawn by rejection when most jobs are assigned, so a
/// step does not scan and shuffle every job).
pub fn random<R: Rng>(sol: &mut Solution, ctx: &Ctx, rng: &mut R, q: usize) -> Vec<JobIdx> {
    let n = ctx.servable.len();
    let have = assigned_count(sol);
    let mut assigned: Vec<JobIdx> = Vec::with_capacity(q);
    if have >= 2 * q && 2 * have >= n {
        while assigned.len() < q {
            let j = ctx.servable[rng.random_range(0..n)];
            if sol.pos[j].is_some() && !assigned.contains(&j) {
                assigned.push(j);
            }
        }
    } else {
        assigned.extend(ctx.servable.iter().copied().filter(|&j| sol.pos[j].is_some()));
        assigned.shuffle(rng);
        assigned.truncate(q);
    }
    for &j in &assigned {
        sol.remove(ctx, j);
    }
    assigned
}
