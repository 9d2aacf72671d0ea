//! Decomposition of very large days: split the technicians by `team` when they have one
//! (whole teams per part, small neighbouring teams grouped, a team larger than a part split
//! further) and by the geography of their start locations (recursive bisection along the
//! wider axis, equal numbers of technicians per part), send each job to the part of its nearest candidate technician (so skills,
//! certifications, pins and reach are respected: candidates already pass every hard rule),
//! solve each part as a separate [`Problem`] in parallel (rayon) with the ordinary
//! construction and search, merge the parts into one [`Solution`] of the whole day, insert
//! left-over jobs across part boundaries, and hand the merged plan to the ordinary search,
//! which then improves it across the boundaries for the rest of the budget.
//!
//! Why parts are real sub-problems: a part of at most
//! [`crate::travel::DENSE_MAX_LOCATIONS`] locations gets dense travel matrices (a lookup is
//! an array read instead of a haversine evaluation), its candidate lists, objective cache and
//! insertion scans only span its own technicians, and its solutions clone only its routes.
//! Travel values are the same in the part as in the whole (the same exact model, the same
//! rounding), so a part's feasible routes are feasible in the whole day. Objective terms
//! with day-wide constants (the workload target's utilisation, the fairness customer sizes)
//! are computed over the part; the merged routes are re-evaluated under the whole day's
//! objective before the search continues.
//!
//! Determinism: parts, seeds and iteration shares depend only on the problem, the seed and
//! the iteration budget; results are collected in part order, so 1 thread and N threads
//! give the same plan in iteration mode.

use std::collections::BTreeMap;
use std::time::Instant;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use super::context::Ctx;
use super::operators::Scratch;
use super::params::{Decompose, SolveParams};
use super::solution::Solution;
use super::{improve, initial, local_search, Search, Stop, ITERATION_WORKERS};
use crate::model::{JobIdx, LocIdx, Problem, TechIdx};
use crate::policy::Policy;
use crate::travel::{ExactTravel, Travel};

/// [`Decompose::Auto`] splits a day with more servable jobs than this. Below it the whole
/// day is constructed in a few seconds (2,000 jobs: under 1 s) and searched directly.
pub const DECOMPOSE_ABOVE_JOBS: usize = 3_000;

/// Target number of jobs per part under [`Decompose::Auto`]: small enough for dense travel
/// (about 1,650 locations with one technician per ten jobs, 44 MB of matrices) and a fast
/// construction, large enough that few routes sit on a part boundary.
pub const PART_JOBS: usize = 1_500;

/// Share of the iteration budget the parts get together (each in proportion to its jobs);
/// the rest goes to the search on the merged plan.
const PART_ITERATION_SHARE: f64 = 0.5;

/// Share of the time left after the parts' first solutions that the part searches get
/// together (time mode); the rest goes to the search on the merged plan.
const PART_TIME_SHARE: f64 = 0.5;

/// One part: technicians and the jobs sent to them, both sorted by index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// Technicians of the part.
    pub techs: Vec<TechIdx>,
    /// Jobs of the part (servable jobs only; the others stay unassigned in the whole day).
    pub jobs: Vec<JobIdx>,
}

/// What a decomposed solve needs from the caller.
pub(super) struct Run<'r> {
    /// The caller's parameters (seed, cancel flag, progress counters).
    pub params: &'r SolveParams,
    /// The policy in force (parts are solved under it).
    pub policy: &'r Policy,
    /// Start of the solve.
    pub start: Instant,
    /// When the whole search must stop (time mode).
    pub deadline: Option<Instant>,
    /// Threads of the pool (parts run this many at a time).
    pub threads: usize,
    /// Total iteration budget (`None`: time mode).
    pub budget: Option<u64>,
}

/// The parts to solve, or `None` to solve the day as a whole.
pub(super) fn parts(ctx: &Ctx, d: Decompose) -> Option<Vec<Part>> {
    let n = ctx.servable.len();
    let k = match d {
        Decompose::Off => return None,
        Decompose::Auto if n <= DECOMPOSE_ABOVE_JOBS => return None,
        Decompose::Auto => n.div_ceil(PART_JOBS),
        Decompose::Parts(k) => k,
    };
    let k = k.min(ctx.p.technicians.len());
    (k >= 2).then(|| split(ctx, k))
}

/// Plane coordinates of a location for the geographic split: (lat, lon scaled by the
/// cosine of the latitude) in degrees for haversine, (x, y) for euclidean, and for matrix
/// travel (no geometry) the travel time from the first technician's start.
pub(super) fn coord(p: &Problem, loc: LocIdx) -> [f64; 2] {
    match &p.travel.exact {
        ExactTravel::Haversine { points, .. } => {
            let (lat, lon) = points[loc];
            [lat, lon * lat.to_radians().cos()]
        }
        ExactTravel::Euclidean { points, .. } => [points[loc].0, points[loc].1],
        ExactTravel::Matrix { .. } => {
            let r = p.technicians.first().map_or(loc, |t| t.start);
            [p.travel.time(r, loc) as f64, 0.0]
        }
    }
}

/// Splits the technicians into `k` groups, by team first ([`split_teams`]) and then by
/// recursive coordinate bisection of their start locations, and sends every servable job to
/// the group of its nearest candidate (smallest travel time from the technician's start,
/// ties by index; a pinned job to its technician).
fn split(ctx: &Ctx, k: usize) -> Vec<Part> {
    let p = ctx.p;
    let items: Vec<([f64; 2], TechIdx)> =
        p.technicians.iter().enumerate().map(|(t, x)| (coord(p, x.start), t)).collect();
    let mut groups: Vec<Vec<TechIdx>> = Vec::with_capacity(k);
    split_teams(teams(p, items), k, &mut groups);
    let mut part_of = vec![0usize; p.technicians.len()];
    for (g, techs) in groups.iter_mut().enumerate() {
        techs.sort_unstable();
        for &t in techs.iter() {
            part_of[t] = g;
        }
    }
    let mut parts: Vec<Part> =
        groups.into_iter().map(|techs| Part { techs, jobs: Vec::new() }).collect();
    for &j in &ctx.servable {
        let lj = p.jobs[j].loc;
        let nearest = match p.jobs[j].pinned {
            Some(t) => t,
            None => ctx
                .near_techs(j)
                .iter()
                .copied()
                .min_by_key(|&t| (p.travel.time(p.technicians[t].start, lj), t))
                .expect("a servable job has a candidate"),
        };
        parts[part_of[nearest]].jobs.push(j);
    }
    parts
}

/// A team: technicians sharing `team` (those without one form one more team), with the
/// mean of their start coordinates.
struct Team {
    centre: [f64; 2],
    items: Vec<([f64; 2], TechIdx)>,
}

/// The technicians grouped by `team`, in name order (no team first).
fn teams(p: &Problem, items: Vec<([f64; 2], TechIdx)>) -> Vec<Team> {
    let mut by: BTreeMap<Option<&str>, Vec<([f64; 2], TechIdx)>> = BTreeMap::new();
    for x in items {
        by.entry(p.technicians[x.1].team.as_deref()).or_default().push(x);
    }
    by.into_values()
        .map(|items| {
            let n = items.len() as f64;
            let sum = items.iter().fold([0.0, 0.0], |a, x| [a[0] + x.0[0], a[1] + x.0[1]]);
            Team { centre: [sum[0] / n, sum[1] / n], items }
        })
        .collect()
}

/// Splits `teams` into `k` groups (needs at least `k` technicians) without splitting a team
/// unless it needs more than one part on its own: teams are ordered along the wider axis of
/// their centres and cut into two sides whose technician counts are nearest the halves of
/// the parts; each side gets parts in proportion to its technicians. Small neighbouring
/// teams end up grouped; a team left alone with several parts is bisected geographically.
fn split_teams(mut teams: Vec<Team>, k: usize, out: &mut Vec<Vec<TechIdx>>) {
    if teams.len() == 1 {
        bisect(&mut teams[0].items, k, out);
        return;
    }
    if k <= 1 {
        out.push(teams.iter().flat_map(|t| t.items.iter().map(|x| x.1)).collect());
        return;
    }
    let axis = wider_axis(teams.iter().map(|t| t.centre));
    teams.sort_by(|a, b| {
        a.centre[axis].total_cmp(&b.centre[axis]).then(a.items[0].1.cmp(&b.items[0].1))
    });
    let total: usize = teams.iter().map(|t| t.items.len()).sum();
    let goal = (k / 2) as f64 / k as f64;
    let (mut cut, mut left, mut best, mut acc) = (1, 0, f64::INFINITY, 0);
    for c in 1..teams.len() {
        acc += teams[c - 1].items.len();
        let miss = (acc as f64 / total as f64 - goal).abs();
        if miss < best {
            (cut, left, best) = (c, acc, miss);
        }
    }
    // Parts in proportion, at least one per side and at most one per technician.
    let share = (k as f64 * left as f64 / total as f64).round() as usize;
    let kl = share.clamp(1, k - 1).min(left).max(k.saturating_sub(total - left));
    let right = teams.split_off(cut);
    split_teams(teams, kl, out);
    split_teams(right, k - kl, out);
}

/// Recursive bisection: cuts `items` along the axis with the wider spread so that the two
/// sides get technicians in proportion to the parts they will hold. Needs `items.len() >= k`.
fn bisect(items: &mut [([f64; 2], TechIdx)], k: usize, out: &mut Vec<Vec<TechIdx>>) {
    if k <= 1 {
        out.push(items.iter().map(|x| x.1).collect());
        return;
    }
    let axis = wider_axis(items.iter().map(|x| x.0));
    items.sort_unstable_by(|a, b| a.0[axis].total_cmp(&b.0[axis]).then(a.1.cmp(&b.1)));
    let ka = k / 2;
    let cut = items.len() * ka / k;
    let (left, right) = items.split_at_mut(cut);
    bisect(left, ka, out);
    bisect(right, k - ka, out);
}

/// The axis (0 or 1) along which `points` spread wider (0 on a tie).
fn wider_axis(points: impl Iterator<Item = [f64; 2]> + Clone) -> usize {
    let spread = |a: usize| {
        let (lo, hi) = points
            .clone()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), x| (l.min(x[a]), h.max(x[a])));
        hi - lo
    };
    usize::from(spread(1) > spread(0))
}

/// The part as a problem of its own: its technicians and jobs with dense local indices, and
/// the travel model restricted to their locations (same values; dense matrices when small).
pub(super) fn sub_problem(p: &Problem, policy: &Policy, part: &Part) -> Problem {
    let mut locs: Vec<LocIdx> = part
        .techs
        .iter()
        .flat_map(|&t| [p.technicians[t].start, p.technicians[t].end])
        .chain(part.jobs.iter().map(|&j| p.jobs[j].loc))
        .collect();
    locs.sort_unstable();
    locs.dedup();
    let local = |l: LocIdx| locs.binary_search(&l).expect("location of the part");
    let exact = match &p.travel.exact {
        ExactTravel::Haversine { points, speed_ms, detour } => ExactTravel::Haversine {
            points: locs.iter().map(|&l| points[l]).collect(),
            speed_ms: *speed_ms,
            detour: *detour,
        },
        ExactTravel::Euclidean { points, speed } => ExactTravel::Euclidean {
            points: locs.iter().map(|&l| points[l]).collect(),
            speed: *speed,
        },
        ExactTravel::Matrix { n, durations, distances } => {
            let pick = |m: &Vec<f64>| {
                locs.iter().flat_map(|&a| locs.iter().map(move |&b| m[a * n + b])).collect()
            };
            ExactTravel::Matrix {
                n: locs.len(),
                durations: pick(durations),
                distances: pick(distances),
            }
        }
    };
    let tech_local = |t: TechIdx| part.techs.binary_search(&t).ok();
    let technicians = part
        .techs
        .iter()
        .map(|&t| {
            let mut x = p.technicians[t].clone();
            x.start = local(x.start);
            x.end = local(x.end);
            x
        })
        .collect();
    let jobs = part
        .jobs
        .iter()
        .map(|&j| {
            let mut x = p.jobs[j].clone();
            x.loc = local(x.loc);
            x.preferred = x.preferred.iter().filter_map(|&t| tech_local(t)).collect();
            x.excluded = x.excluded.iter().filter_map(|&t| tech_local(t)).collect();
            // `split` sends a pinned job to its technician's part.
            x.pinned = x.pinned.map(|t| tech_local(t).expect("pinned technician in the part"));
            x
        })
        .collect();
    Problem {
        name: p.name.clone(),
        date: p.date,
        technicians,
        jobs,
        travel: Travel::new(exact),
        policy: policy.clone(),
        skill_names: p.skill_names.clone(),
        cert_names: p.cert_names.clone(),
        dims: p.dims,
    }
}

/// Seed of part `i`'s random streams, derived from the solve's seed.
fn part_seed(seed: u64, i: usize) -> u64 {
    seed ^ (i as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// Iterations of each part out of a total budget `b`: [`PART_ITERATION_SHARE`] of it,
/// split in proportion to the parts' jobs (rounded down).
fn part_budgets(b: u64, parts: &[Part]) -> Vec<u64> {
    let total = parts.iter().map(|x| x.jobs.len()).sum::<usize>().max(1) as f64;
    let share = (b as f64 * PART_ITERATION_SHARE).floor();
    parts.iter().map(|x| (share * x.jobs.len() as f64 / total).floor() as u64).collect()
}

/// Solves the parts in parallel and returns the merged solution of the whole day and the
/// iterations the parts used (to be subtracted from the budget). Publishes the merged
/// first solutions as the first plan (progress counters) before the part searches start.
pub(super) fn solve_parts(
    ctx: &Ctx,
    parts: &[Part],
    run: &Run,
    rng: &mut ChaCha8Rng,
    stop: Stop,
) -> (Solution, u64) {
    let p = ctx.p;
    // A part not built before `stop()` stays empty (its jobs unassigned): building the parts
    // is seconds of work at 20,000 jobs that a spent time limit must not wait for.
    let subs: Vec<Option<Problem>> =
        parts.par_iter().map(|part| (!stop()).then(|| sub_problem(p, run.policy, part))).collect();
    let ctxs: Vec<Option<Ctx>> = subs
        .par_iter()
        .map(|q| q.as_ref().filter(|_| !stop()).map(|q| Ctx::new(q, &q.policy)))
        .collect();
    let seed = run.params.seed;
    let inits: Vec<Option<Solution>> = ctxs
        .par_iter()
        .enumerate()
        .map(|(i, c)| {
            let mut r = ChaCha8Rng::seed_from_u64(part_seed(seed, i));
            c.as_ref().map(|c| initial(c, &mut r, stop, run.start))
        })
        .collect();
    let mut first = merge(ctx, parts, &inits);
    fill(&mut first, ctx, rng, stop);
    if let Some(pr) = &run.params.progress {
        pr.offer(first.cost(ctx), first.assigned() as u64);
    }
    let budgets = run.budget.map(|b| part_budgets(b, parts));
    // Time mode: the part searches share PART_TIME_SHARE of the time left; `threads` of
    // them run at once, so each gets that phase times threads / parts.
    let now = Instant::now();
    let phase_end =
        run.deadline.map(|d| now + d.saturating_duration_since(now).mul_f64(PART_TIME_SHARE));
    let slot = phase_end.map(|e| {
        let phase = e.saturating_duration_since(now);
        phase.mul_f64((run.threads as f64 / parts.len() as f64).min(1.0))
    });
    let bests: Vec<Option<Solution>> = ctxs
        .par_iter()
        .zip(inits.par_iter())
        .enumerate()
        .map(|(i, (c, init))| {
            let (Some(c), Some(init)) = (c, init) else { return None };
            if c.servable.is_empty() || stop() {
                return Some(init.clone());
            }
            let iterations = budgets.as_ref().map(|b| b[i]);
            let t0 = Instant::now();
            let end = match (slot, phase_end) {
                (Some(s), Some(e)) => Some((t0 + s).min(e)),
                _ => None,
            };
            let part_stop = || stop() || end.is_some_and(|e| Instant::now() >= e);
            let search = Search {
                iterations,
                workers: if iterations.is_some() { ITERATION_WORKERS } else { 1 },
                seed: part_seed(seed, i),
                t0,
                horizon: end,
                progress: run.params.progress.as_deref(),
                report: false,
            };
            let mut r = ChaCha8Rng::seed_from_u64(part_seed(seed, i).rotate_left(17));
            Some(improve(c, init, &search, &mut r, &part_stop))
        })
        .collect();
    let mut merged = merge(ctx, parts, &bests);
    fill(&mut merged, ctx, rng, stop);
    // Local search around the routes the fill changed (the rest is a local optimum of its
    // part already; moves across boundaries are left to the search on the whole plan).
    local_search::descend_touched(&mut merged, ctx, rng, stop, &mut Scratch::default());
    (merged, budgets.map_or(0, |b| b.iter().sum()))
}

/// The whole day's solution from the parts' solutions (`None`: a part not solved): each
/// part route mapped to global indices and re-evaluated under the whole day's objective;
/// every other job unassigned.
pub(super) fn merge(ctx: &Ctx, parts: &[Part], sols: &[Option<Solution>]) -> Solution {
    // Same travel values and hard constraints as in the part, so always feasible; a route
    // that were not would leave its jobs unassigned rather than be kept.
    let routes = parts.iter().zip(sols).filter_map(|(part, s)| Some((part, s.as_ref()?)));
    let routes = routes.flat_map(|(part, s)| {
        s.routes.iter().enumerate().map(move |(lt, r)| {
            (part.techs[lt], r.jobs.iter().map(|&lj| part.jobs[lj]).collect::<Vec<JobIdx>>())
        })
    });
    Solution::from_routes(ctx, routes).0
}

/// Inserts the unassigned jobs (highest priority first) into nearby routes of any part
/// where that beats leaving them out: the first repair across part boundaries. The routes
/// changed are left in `sol.touched`.
fn fill(sol: &mut Solution, ctx: &Ctx, rng: &mut ChaCha8Rng, stop: Stop) {
    let p = ctx.p;
    let mut todo: Vec<JobIdx> =
        sol.unassigned.iter().copied().filter(|&j| !ctx.elig.candidates(j).is_empty()).collect();
    todo.sort_unstable_by_key(|&j| (std::cmp::Reverse(p.jobs[j].priority), j));
    let (mut buf, mut techs) = (Vec::new(), Vec::new());
    for j in todo {
        if stop() {
            break;
        }
        if let Some(ins) = sol.best_insertion_near(ctx, j, 0.0, rng, &mut buf, &mut techs) {
            if ins.delta < ctx.obj.unassigned_cost(j) {
                sol.insert(ctx, j, ins);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{generate, GenerateParams};
    use crate::io::parse_problem_value;

    /// The generated day of 400 jobs and 40 technicians, with its teams (the towns) or
    /// without any.
    fn day(with_teams: bool) -> Problem {
        let mut doc = generate(&GenerateParams { jobs: 400, techs: 40, seed: 3 });
        if !with_teams {
            for t in doc["technicians"].as_array_mut().expect("list") {
                t.as_object_mut().expect("object").remove("team");
            }
        }
        parse_problem_value(doc).expect("valid")
    }

    /// Every technician is in exactly one part, every servable job in exactly one part and
    /// only with a part technician among its candidates, the split is reproducible, and
    /// without teams the parts have equal numbers of technicians.
    #[test]
    fn parts_cover_everything_once() {
        for with_teams in [false, true] {
            let p = day(with_teams);
            let ctx = Ctx::new(&p, &p.policy);
            for k in [2, 3, 5] {
                let parts = parts(&ctx, Decompose::Parts(k)).expect("split");
                assert_eq!(parts.len(), k);
                assert_eq!(parts, super::parts(&ctx, Decompose::Parts(k)).unwrap());
                let mut techs: Vec<TechIdx> = parts.iter().flat_map(|x| x.techs.clone()).collect();
                techs.sort_unstable();
                assert_eq!(techs, (0..p.technicians.len()).collect::<Vec<_>>());
                let mut jobs: Vec<JobIdx> = parts.iter().flat_map(|x| x.jobs.clone()).collect();
                jobs.sort_unstable();
                assert_eq!(jobs, ctx.servable);
                for part in &parts {
                    let n = part.techs.len();
                    assert!(with_teams || n >= 40 / k - 1, "balanced: {n}");
                    for &j in &part.jobs {
                        let c = ctx.elig.candidates(j);
                        assert!(part.techs.iter().any(|t| c.contains(t)), "job {j}: no candidate");
                    }
                }
            }
            assert!(super::parts(&ctx, Decompose::Auto).is_none(), "400 jobs stay whole");
            assert!(super::parts(&ctx, Decompose::Parts(1)).is_none());
        }
    }

    /// With teams, a team is split over several parts only when it has more technicians
    /// than a part's share, and a part holding several teams holds each of them whole.
    #[test]
    fn parts_keep_teams_together() {
        let p = day(true);
        let ctx = Ctx::new(&p, &p.policy);
        let team = |t: TechIdx| p.technicians[t].team.clone().expect("generated teams");
        let mut names: Vec<String> = (0..p.technicians.len()).map(team).collect();
        names.sort_unstable();
        names.dedup();
        assert!(names.len() >= 3, "{names:?}");
        for k in [2, 3, 5, 8] {
            let parts = parts(&ctx, Decompose::Parts(k)).expect("split");
            let share = p.technicians.len() as f64 / k as f64;
            for name in &names {
                let size = (0..p.technicians.len()).filter(|&t| team(t) == *name).count();
                let spans = parts.iter().filter(|x| x.techs.iter().any(|&t| team(t) == *name));
                let spans = spans.count();
                assert!(spans == 1 || size as f64 > share, "{k} parts: {name} ({size}) in {spans}");
            }
            for part in
                parts.iter().filter(|x| x.techs.iter().any(|&t| team(t) != team(x.techs[0])))
            {
                for &t in &part.techs {
                    let whole = (0..p.technicians.len()).filter(|&u| team(u) == team(t));
                    assert!(
                        whole.clone().all(|u| part.techs.contains(&u)),
                        "{k} parts: team split"
                    );
                }
            }
        }
    }

    /// Two teams living side by side (alternating technicians) make the two parts, which
    /// the geographic split alone would mix.
    #[test]
    fn interleaved_teams_are_the_parts() {
        let mut doc = generate(&GenerateParams { jobs: 200, techs: 20, seed: 5 });
        for (i, t) in doc["technicians"].as_array_mut().expect("list").iter_mut().enumerate() {
            t["team"] = serde_json::json!(if i % 2 == 0 { "even" } else { "odd" });
        }
        let p = parse_problem_value(doc).expect("valid");
        let ctx = Ctx::new(&p, &p.policy);
        let parts = parts(&ctx, Decompose::Parts(2)).expect("split");
        let mut got: Vec<Vec<TechIdx>> = parts.into_iter().map(|x| x.techs).collect();
        got.sort_unstable();
        let evens: Vec<TechIdx> = (0..20).step_by(2).collect();
        let odds: Vec<TechIdx> = (1..20).step_by(2).collect();
        assert_eq!(got, vec![evens, odds]);
    }

    /// A part's travel has the same values as the whole day's between the same locations.
    #[test]
    fn sub_problem_keeps_travel_values() {
        let p = parse_problem_value(generate(&GenerateParams { jobs: 200, techs: 20, seed: 5 }))
            .expect("valid");
        let ctx = Ctx::new(&p, &p.policy);
        let parts = parts(&ctx, Decompose::Parts(3)).expect("split");
        let q = sub_problem(&p, &p.policy, &parts[1]);
        assert_eq!(q.jobs.len(), parts[1].jobs.len());
        for (a, &ja) in parts[1].jobs.iter().enumerate() {
            let t = parts[1].techs[0];
            let (lt, la) = (q.technicians[0].start, q.jobs[a].loc);
            assert_eq!(
                q.travel.time(lt, la),
                p.travel.time(p.technicians[t].start, p.jobs[ja].loc)
            );
            assert_eq!(
                q.travel.dist(la, lt),
                p.travel.dist(p.jobs[ja].loc, p.technicians[t].start)
            );
        }
    }
}
