//! Granular neighbour lists: per job, the nearest other jobs (by travel time, the shorter
//! direction) that share a candidate technician. Geometric travel (haversine, euclidean)
//! walks an R*-tree outward from each job and stops once no further job can make the list;
//! other models scan all pairs (`O(n^2)` time, no extra memory).

use rayon::prelude::*;

use super::Eligibility;
use crate::model::{JobIdx, Problem, Time};
use crate::travel::NearIndex;

/// Per job (indexed by `JobIdx`; empty for jobs not in `servable`): up to `k` other
/// servable jobs sharing a candidate technician, by increasing `min(time(a, b), time(b,
/// a))` in ticks, ties by job index. The spatial index and the scan give the same lists.
pub fn job_neighbours(
    p: &Problem,
    elig: &Eligibility,
    servable: &[JobIdx],
    k: usize,
) -> Vec<Vec<JobIdx>> {
    let index = NearIndex::new(&p.travel.exact, servable.iter().map(|&j| (p.jobs[j].loc, j)));
    job_neighbours_with(p, elig, servable, k, index.as_ref())
}

/// [`job_neighbours`] with an explicit index (`None` = scan all pairs), for tests and
/// benchmarks; both give the same lists.
pub fn job_neighbours_with(
    p: &Problem,
    elig: &Eligibility,
    servable: &[JobIdx],
    k: usize,
    index: Option<&NearIndex>,
) -> Vec<Vec<JobIdx>> {
    let mut out = vec![Vec::new(); p.jobs.len()];
    let found: Vec<(JobIdx, Vec<JobIdx>)> = servable
        .par_iter()
        .map(|&a| {
            let v = match index {
                Some(ix) => walk(p, elig, ix, a, k),
                None => servable
                    .iter()
                    .filter(|&&b| shares(elig, a, b))
                    .map(|&b| (both_ways(p, a, b), b))
                    .collect(),
            };
            (a, smallest(v, k))
        })
        .collect();
    for (a, l) in found {
        out[a] = l;
    }
    out
}

/// Walks the index outward from `a`, keeping jobs that share a candidate, until `k` are
/// kept and the next one is more than one tick beyond the k-th (travel time is
/// non-decreasing along the walk; the tick of slack absorbs floating-point ties).
fn walk(
    p: &Problem,
    elig: &Eligibility,
    ix: &NearIndex,
    a: JobIdx,
    k: usize,
) -> Vec<(Time, JobIdx)> {
    let mut v: Vec<(Time, JobIdx)> = Vec::with_capacity(k + 8);
    let mut kth = Time::MAX;
    for b in ix.nearest(&p.travel.exact, p.jobs[a].loc) {
        if !shares(elig, a, b) {
            continue;
        }
        let t = both_ways(p, a, b);
        if v.len() >= k && t > kth.saturating_add(1) {
            break;
        }
        v.push((t, b));
        if v.len() == k {
            kth = t;
        }
    }
    v
}

/// True when `b` is another job than `a` and some candidate of `b` may also do `a`.
fn shares(elig: &Eligibility, a: JobIdx, b: JobIdx) -> bool {
    b != a && elig.candidates(b).iter().any(|&t| elig.allowed(a, t))
}

/// Travel time between the two jobs, the shorter direction (ticks).
fn both_ways(p: &Problem, a: JobIdx, b: JobIdx) -> Time {
    let (la, lb) = (p.jobs[a].loc, p.jobs[b].loc);
    p.travel.time(la, lb).min(p.travel.time(lb, la))
}

/// The `k` smallest by (time, job index), sorted.
fn smallest(mut v: Vec<(Time, JobIdx)>, k: usize) -> Vec<JobIdx> {
    let k = k.min(v.len());
    if k > 0 && k < v.len() {
        v.select_nth_unstable(k - 1);
    }
    v.truncate(k);
    v.sort_unstable();
    v.into_iter().map(|(_, b)| b).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{generate, GenerateParams};
    use crate::io::parse_problem_value;

    /// The R*-tree walk and the all-pairs scan agree list for list on a generated day
    /// (haversine, skills and certifications that split the candidates).
    #[test]
    fn index_walk_equals_all_pairs_scan() {
        for (jobs, techs, seed) in [(300, 20, 1), (120, 6, 2)] {
            let p = parse_problem_value(generate(&GenerateParams { jobs, techs, seed }))
                .expect("valid");
            let elig = Eligibility::new(&p);
            let servable: Vec<JobIdx> =
                (0..p.jobs.len()).filter(|&j| !elig.candidates(j).is_empty()).collect();
            let ix = NearIndex::new(&p.travel.exact, servable.iter().map(|&j| (p.jobs[j].loc, j)))
                .expect("haversine is geometric");
            for k in [1, 10, 30] {
                let scan = job_neighbours_with(&p, &elig, &servable, k, None);
                let walk = job_neighbours_with(&p, &elig, &servable, k, Some(&ix));
                assert_eq!(scan, walk, "{jobs} jobs, k = {k}");
                assert!(servable.iter().any(|&j| scan[j].len() == k.min(servable.len() - 1)));
            }
        }
    }
}
