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

/// Removes a few strings of consecutive jobs from routes near a random seed job.
pub fn strings<R: Rng>(sol: &mut Solution, ctx: &Ctx, rng: &mut R) -> Vec<JobIdx> {
    let assigned: Vec<JobIdx> =
        ctx.servable.iter().copied().filter(|&j| sol.pos[j].is_some()).collect();
    if assigned.is_empty() {
        return Vec::new();
    }
    let used = sol.routes.iter().filter(|r| !r.is_empty()).count().max(1);
    let avg_len = assigned.len() as f64 / used as f64;
    let l_max = (MAX_STRING as f64).min(avg_len).max(1.0);
    let k_max = (4.0 * AVG_REMOVED / (1.0 + l_max) - 1.0).max(1.0);
    let k = rng.random_range(1..=k_max.floor() as usize);
    let seed = assigned[rng.random_range(0..assigned.len())];
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

/// Removes `q` random assigned jobs.
pub fn random<R: Rng>(sol: &mut Solution, ctx: &Ctx, rng: &mut R, q: usize) -> Vec<JobIdx> {
    let mut assigned: Vec<JobIdx> =
        ctx.servable.iter().copied().filter(|&j| sol.pos[j].is_some()).collect();
    assigned.shuffle(rng);
    assigned.truncate(q);
    for &j in &assigned {
        sol.remove(ctx, j);
    }
    assigned
}
