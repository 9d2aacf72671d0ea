//! A lower bound on the objective of every plan of a problem.
//!
//! Tiny problems (few servable jobs): every feasible route is enumerated and the set
//! partitioning MIP over them is solved to optimality, so the bound is the optimum.
//!
//! Otherwise the set-covering bound of column generation ([`super::colgen`]) when the
//! problem is within its size and its pricing completes in time, else an arc-flow LP
//! relaxation, valid because every plan maps to a feasible point
//! of it with no larger cost:
//! - `z[j,t]` (job j done by candidate t), `u[j]` (job left out): `sum_t z + u = 1`;
//! - `y[t]` (technician used), start arcs `s[t,j]` and end arcs `e[j,t]`:
//!   `sum_j s[t,j] = sum_j e[j,t] = y[t]`, `s[t,j], e[j,t] <= z[j,t]`;
//! - job-to-job arcs `x[i,j]` shared by all technicians: in- and out-flow of job j equal
//!   `sum_t z[j,t]`. An arc exists only if some technician able to do both jobs can go
//!   from i to j within windows, shift, capacity and `max_jobs` (the earliest start of i
//!   is reached by driving straight from the technician's start: sound on metric travel,
//!   so the time test is skipped on a non-metric matrix);
//! - per technician: service plus the shortest way into each job fits its day less its
//!   break (or the part of it before the break window, for a day ending there), demand
//!   fits its capacity, at most `max_jobs` jobs (each scaled by `y[t]`).
//!
//! Costs are the linear lower estimates of [`Coeffs`] (the cheapest qualifying
//! technician's rate on shared arcs), the exact assignment costs and unassigned costs.
//! Subtours and fractional values make the LP weaker than the optimum, never stronger;
//! up to `ROUNDS` rounds of subtour cuts (a served job's route leaves any set of jobs it is
//! in, found as components of the LP's support graph) tighten it.
//! Large problems keep the `ARC_KEEP` cheapest arcs into and out of each job; every dropped
//! arc is replaced by a free half-arc pair whose costs add up to no more than its own.

use super::backend::{Limits, Model};
use super::coeffs::Coeffs;
use super::colgen::ColGen;
use super::day::Day;
use super::enumerate::enumerate_routes;
use super::partition::partition;
use crate::error::{Error, Result};
use crate::matching::Eligibility;
use crate::model::{JobIdx, Problem, TechIdx, Time};
pub use crate::plan::BoundMethod;
use crate::policy::{Objective, Policy, COST_SCALE};

/// A lower bound on the objective (currency units, like `kpis.objective`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bound {
    /// No plan of the problem has a smaller objective.
    pub value: f64,
    /// How it was computed.
    pub method: BoundMethod,
}

/// Settings of [`lower_bound`].
#[derive(Debug, Clone, Copy)]
pub struct BoundOptions {
    /// Enumerate routes when at most this many jobs can be served (0 = never).
    pub enumerate_up_to: usize,
    /// Sequences the enumeration may evaluate before falling back to the LP.
    pub enumerate_budget: usize,
    /// Wall-clock cap of each LP or MIP solve (seconds); a capped LP gives no bound.
    pub time_limit: Option<f64>,
    /// Seconds column generation may run (0 = skip it and use the arc-flow LP); it keeps
    /// the best bound certified within them.
    pub colgen_seconds: f64,
    /// Subset-row cuts over three jobs in column generation (`lp/cuts.rs`): they close
    /// part of the set-covering LP's own gap once its master converges.
    pub subset_row_cuts: bool,
}

impl Default for BoundOptions {
    fn default() -> Self {
        BoundOptions {
            enumerate_up_to: 8,
            enumerate_budget: 200_000,
            time_limit: Some(120.0),
            colgen_seconds: 30.0,
            subset_row_cuts: true,
        }
    }
}

/// Jobs above which the arc set is sparsified.
const SPARSE_FROM: usize = 250;
/// Arcs kept into and out of each job when sparsified.
const ARC_KEEP: usize = 40;

/// A lower bound on the objective of any plan of `p` under `policy`. Errors when the LP
/// backend fails or hits its time limit (then no valid bound is known).
pub fn lower_bound(p: &Problem, policy: &Policy, opts: &BoundOptions) -> Result<Bound> {
    lower_bound_from(p, policy, opts, &[])
}

/// [`lower_bound`] with column generation started from `routes` (technician, jobs in
/// order), e.g. a plan's: the same certificate, reached in fewer rounds because the
/// master starts near its optimum. Any routes are safe: they steer, never certify.
pub fn lower_bound_from(
    p: &Problem,
    policy: &Policy,
    opts: &BoundOptions,
    routes: &[(TechIdx, Vec<JobIdx>)],
) -> Result<Bound> {
    let obj = Objective::new(p, policy);
    let elig = Eligibility::new(p);
    let servable: Vec<JobIdx> =
        (0..p.jobs.len()).filter(|&j| !elig.candidates(j).is_empty()).collect();
    if opts.enumerate_up_to > 0 && servable.len() <= opts.enumerate_up_to {
        if let Some(cols) = enumerate_routes(p, &obj, &elig, opts.enumerate_budget) {
            let part = partition(p, &obj, &cols, true, opts.time_limit)?;
            if part.optimal {
                // The MIP may stop within an absolute 1e-6 of the optimum.
                return Ok(Bound {
                    value: part.objective - 1e-6,
                    method: BoundMethod::Enumeration,
                });
            }
        }
    }
    if servable.is_empty() {
        // Nothing can be served: every plan leaves every job out, at exactly this cost.
        let value = (0..p.jobs.len()).map(|j| obj.unassigned_cost(j) as f64 / COST_SCALE).sum();
        return Ok(Bound { value, method: BoundMethod::Enumeration });
    }
    if opts.colgen_seconds > 0.0 {
        if let Some(mut cg) = ColGen::new(p, policy, &obj, &elig, &servable) {
            cg.no_cuts = !opts.subset_row_cuts;
            if let Some(r) = cg.run(opts.colgen_seconds, routes) {
                let constant: f64 = (0..p.jobs.len())
                    .filter(|&j| elig.candidates(j).is_empty())
                    .map(|j| obj.unassigned_cost(j) as f64 / COST_SCALE)
                    .sum();
                // Floating-point sums of prices: keep a relative safety margin.
                let value = constant + r.value;
                let value = value - 1e-9 * value.abs() - 1e-6;
                let cg = Bound { value, method: BoundMethod::ColumnGeneration };
                if r.converged {
                    return Ok(cg);
                }
                // Cut short: the arc-flow LP may still be the better of two valid bounds.
                return Ok(
                    match arc_relaxation(p, policy, &obj, &elig, &servable, opts.time_limit) {
                        Ok(arc) if arc > cg.value => {
                            Bound { value: arc, method: BoundMethod::ArcRelaxation }
                        }
                        _ => cg,
                    },
                );
            }
        }
    }
    let value = arc_relaxation(p, policy, &obj, &elig, &servable, opts.time_limit)?;
    Ok(Bound { value, method: BoundMethod::ArcRelaxation })
}

/// Earliest service start of each (job, candidate) pair when driving straight from the
/// technician's start at the shift open, and the technician's return limit.
struct Times<'a> {
    p: &'a Problem,
    metric: bool,
}

impl Times<'_> {
    fn earliest_start(&self, j: JobIdx, t: TechIdx) -> Option<Time> {
        let tech = &self.p.technicians[t];
        let job = &self.p.jobs[j];
        if !self.metric {
            return Some(job.window_hull().open);
        }
        job.service_start(tech.shift.open + self.p.travel.time(tech.start, job.loc))
    }

    /// True when `t` could serve `i` then `j` directly (necessary condition for the arc).
    fn arc_ok(&self, i: JobIdx, j: JobIdx, t: TechIdx) -> bool {
        let p = self.p;
        let tech = &p.technicians[t];
        let (a, b) = (&p.jobs[i], &p.jobs[j]);
        if tech.max_jobs.is_some_and(|m| m < 2) {
            return false;
        }
        if let Some(cap) = &tech.capacity {
            let load = |d: usize| {
                a.demand.get(d).copied().unwrap_or(0) + b.demand.get(d).copied().unwrap_or(0)
            };
            if cap.iter().enumerate().any(|(d, &c)| load(d) > c) {
                return false;
            }
        }
        if !self.metric {
            return true;
        }
        let limit = tech.shift.close.saturating_add(tech.max_overtime);
        let Some(si) = self.earliest_start(i, t) else { return false };
        let arrive = si + a.duration + p.travel.time(a.loc, b.loc);
        match b.service_start(arrive) {
            Some(sj) => sj + b.duration + p.travel.time(b.loc, tech.end) <= limit,
            None => false,
        }
    }
}

fn arc_relaxation(
    p: &Problem,
    policy: &Policy,
    obj: &Objective,
    elig: &Eligibility,
    servable: &[JobIdx],
    time_limit: Option<f64>,
) -> Result<f64> {
    let n_t = p.technicians.len();
    let money = |micro: i64| micro as f64 / COST_SCALE;
    let mut constant: f64 = (0..p.jobs.len())
        .filter(|&j| elig.candidates(j).is_empty())
        .map(|j| money(obj.unassigned_cost(j)))
        .sum();
    if servable.is_empty() {
        return Ok(constant);
    }
    let co = Coeffs::new(p, policy);
    let times = Times { p, metric: p.travel.is_metric() };
    let mut is_cand = vec![false; p.jobs.len() * n_t];
    for &j in servable {
        for &t in elig.candidates(j) {
            is_cand[j * n_t + t] = true;
        }
    }
    let cand = |j: JobIdx, t: TechIdx| is_cand[j * n_t + t];

    let n = p.jobs.len();
    // Job-to-job arcs: (from, to, cost), cheapest qualifying technician's rate.
    let arcs = job_arcs(p, &co, &times, servable, &cand);
    let sparse = servable.len() > SPARSE_FROM;
    let (kept, half_out, half_in) =
        if sparse { sparsify(n, &arcs) } else { (arcs, vec![None; n], vec![None; n]) };
    let mut cuts: Vec<Cut> = Vec::new();
    let mut best = f64::NEG_INFINITY;
    for round in 0..ROUNDS {
        let mut m = Model::new();
        let mut used = vec![None; n_t];
        for &j in servable {
            for &t in elig.candidates(j) {
                if used[t].is_none() {
                    used[t] = Some(m.var(0.0, 1.0, co.fixed[t]));
                }
            }
        }
        // Per job: z variables with their technicians, in-flow and out-flow terms.
        let n = p.jobs.len();
        let mut inflow: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
        let mut outflow: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
        let mut starts: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n_t];
        let mut ends: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n_t];
        let mut z_of: Vec<Vec<(TechIdx, usize)>> = vec![Vec::new(); n];
        let mut end_of: Vec<Vec<usize>> = vec![Vec::new(); n];
        for &j in servable {
            let job = &p.jobs[j];
            let mut assign_row = Vec::new();
            for &t in elig.candidates(j) {
                let tech = &p.technicians[t];
                let cost = money(obj.assignment_cost(j, t)) + co.dur[t] * job.duration as f64;
                let z = m.var(0.0, 1.0, cost);
                z_of[j].push((t, z));
                assign_row.push((z, 1.0));
                inflow[j].push((z, -1.0));
                outflow[j].push((z, -1.0));
                let s = m.var(0.0, f64::INFINITY, co.arc(p, t, tech.start, job.loc));
                let e = m.var(0.0, f64::INFINITY, co.arc(p, t, job.loc, tech.end));
                m.le(&[(s, 1.0), (z, -1.0)], 0.0);
                m.le(&[(e, 1.0), (z, -1.0)], 0.0);
                inflow[j].push((s, 1.0));
                outflow[j].push((e, 1.0));
                end_of[j].push(e);
                starts[t].push((s, 1.0));
                ends[t].push((e, 1.0));
            }
            assign_row.push((m.var(0.0, 1.0, money(obj.unassigned_cost(j))), 1.0));
            m.eq(&assign_row, 1.0);
        }
        let mut x_var = Vec::with_capacity(kept.len());
        for &(i, j, c) in &kept {
            let x = m.var(0.0, f64::INFINITY, c);
            outflow[i].push((x, 1.0));
            inflow[j].push((x, 1.0));
            x_var.push(x);
        }
        // Flow that may leave job j for another route node: end arcs and the free half-arc.
        let mut leave: Vec<Vec<usize>> = vec![Vec::new(); n];
        for &j in servable {
            leave[j].extend(std::mem::take(&mut end_of[j]));
            if let Some(c) = half_out[j] {
                let h = m.var(0.0, f64::INFINITY, c);
                outflow[j].push((h, 1.0));
                leave[j].push(h);
            }
            if let Some(c) = half_in[j] {
                inflow[j].push((m.var(0.0, f64::INFINITY, c), 1.0));
            }
            m.eq(&inflow[j], 0.0);
            m.eq(&outflow[j], 0.0);
        }
        // Per technician: flow out of the start and into the end, day length, capacity, jobs.
        let min_in = min_travel_in(p, servable);
        for t in 0..n_t {
            let Some(y) = used[t] else { continue };
            let tech = &p.technicians[t];
            let mut row = std::mem::take(&mut starts[t]);
            row.push((y, -1.0));
            m.eq(&row, 0.0);
            let mut row = std::mem::take(&mut ends[t]);
            row.push((y, -1.0));
            m.eq(&row, 0.0);
            let zs: Vec<(JobIdx, usize)> = servable
                .iter()
                .filter_map(|&j| z_of[j].iter().find(|(tt, _)| *tt == t).map(|&(_, z)| (j, z)))
                .collect();
            // Service and travel fit the day less the break (or end before its window).
            let day = Day::of(tech).work() as f64;
            let mut row: Vec<(usize, f64)> = zs
                .iter()
                .map(|&(j, z)| {
                    let from_start = p.travel.time(tech.start, p.jobs[j].loc);
                    let into = if times.metric { min_in[j].min(from_start) } else { 0 };
                    (z, (p.jobs[j].duration + into) as f64)
                })
                .collect();
            row.push((y, -day));
            m.le(&row, 0.0);
            if let Some(cap) = &tech.capacity {
                for (d, &c) in cap.iter().enumerate() {
                    let mut row: Vec<(usize, f64)> = zs
                        .iter()
                        .map(|&(j, z)| (z, p.jobs[j].demand.get(d).copied().unwrap_or(0) as f64))
                        .filter(|&(_, a)| a != 0.0)
                        .collect();
                    if !row.is_empty() {
                        row.push((y, -(c as f64)));
                        m.le(&row, 0.0);
                    }
                }
            }
            if let Some(mj) = tech.max_jobs {
                let mut row: Vec<(usize, f64)> = zs.iter().map(|&(_, z)| (z, 1.0)).collect();
                row.push((y, -(mj as f64)));
                m.le(&row, 0.0);
            }
        }
        for cut in &cuts {
            // Flow out of S (to jobs outside S, to an end, or through a half-arc) >= z of k.
            let mut row: Vec<(usize, f64)> = Vec::new();
            for &i in &cut.set {
                row.extend(leave[i].iter().map(|&v| (v, -1.0)));
            }
            for (a, &(i, j, _)) in kept.iter().enumerate() {
                if cut.member[i] && !cut.member[j] {
                    row.push((x_var[a], -1.0));
                }
            }
            row.extend(z_of[cut.job].iter().map(|&(_, z)| (z, 1.0)));
            m.le(&row, 0.0);
        }
        let s = m.solve(Limits { time_limit, ..Limits::default() })?;
        if !s.optimal {
            return Err(Error::Solver("the bound LP hit its time limit".into()));
        }
        best = best.max(s.objective);
        let found = subtours(servable, &kept, &x_var, &leave, &z_of, &s.values);
        if found.is_empty() || round + 1 == ROUNDS {
            break;
        }
        for (set, job) in found {
            let mut member = vec![false; n];
            set.iter().for_each(|&i| member[i] = true);
            cuts.push(Cut { set, member, job });
        }
    }
    // Integer costs round each term of each route to a micro-unit, and the LP optimum is
    // known to a relative 1e-7 or so: give both back.
    let rounding = 1e-6 * 0.5 * 16.0 * n_t as f64;
    constant += best;
    Ok(constant - rounding - 1e-6 * constant.abs())
}

/// Subtour cut: a set S of jobs and a job k in it; a route serving k leaves S (to a job
/// outside, to its end, or through a free half-arc) at least once.
struct Cut {
    set: Vec<JobIdx>,
    member: Vec<bool>,
    job: JobIdx,
}

/// Rounds of LP solving with subtour cuts added between them.
const ROUNDS: usize = 25;
/// Flow below which an arc is not in the support graph.
const EPS: f64 = 1e-6;

/// Violated subtour cuts of an LP solution: the weakly connected components of the
/// support graph of job-to-job arcs whose out-flow is below the service of one of their
/// jobs (the most served one is named).
fn subtours(
    servable: &[JobIdx],
    kept: &[(JobIdx, JobIdx, f64)],
    x_var: &[usize],
    leave: &[Vec<usize>],
    z_of: &[Vec<(TechIdx, usize)>],
    values: &[f64],
) -> Vec<(Vec<JobIdx>, JobIdx)> {
    let n = leave.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn root(parent: &mut [usize], mut a: usize) -> usize {
        while parent[a] != a {
            parent[a] = parent[parent[a]];
            a = parent[a];
        }
        a
    }
    for (a, &(i, j, _)) in kept.iter().enumerate() {
        if values[x_var[a]] > EPS {
            let (ri, rj) = (root(&mut parent, i), root(&mut parent, j));
            if ri != rj {
                parent[ri.max(rj)] = ri.min(rj);
            }
        }
    }
    let mut groups: Vec<Vec<JobIdx>> = vec![Vec::new(); n];
    for &j in servable {
        let r = root(&mut parent, j);
        groups[r].push(j);
    }
    let mut out = Vec::new();
    for set in groups.into_iter().filter(|g| g.len() >= 2) {
        let mut member = vec![false; n];
        set.iter().for_each(|&i| member[i] = true);
        let mut flow: f64 = set.iter().flat_map(|&i| &leave[i]).map(|&v| values[v]).sum();
        for (a, &(i, j, _)) in kept.iter().enumerate() {
            if member[i] && !member[j] {
                flow += values[x_var[a]];
            }
        }
        let served = |k: JobIdx| z_of[k].iter().map(|&(_, z)| values[z]).sum::<f64>();
        let Some(&k) =
            set.iter().max_by(|&&a, &&b| served(a).total_cmp(&served(b)).then(b.cmp(&a)))
        else {
            continue;
        };
        if flow < served(k) - 1e-4 {
            out.push((set, k));
        }
    }
    out
}

/// All feasible job-to-job arcs with their cheapest cost over qualifying technicians.
fn job_arcs(
    p: &Problem,
    co: &Coeffs,
    times: &Times,
    servable: &[JobIdx],
    cand: &(dyn Fn(JobIdx, TechIdx) -> bool + Sync),
) -> Vec<(JobIdx, JobIdx, f64)> {
    use rayon::prelude::*;
    let uniform =
        (1..p.technicians.len()).all(|t| co.time[t] == co.time[0] && co.dist[t] == co.dist[0]);
    servable
        .par_iter()
        .flat_map_iter(|&i| {
            let techs: Vec<TechIdx> = (0..p.technicians.len()).filter(|&t| cand(i, t)).collect();
            servable.iter().filter(move |&&j| j != i).filter_map(move |&j| {
                let (li, lj) = (p.jobs[i].loc, p.jobs[j].loc);
                let mut best: Option<f64> = None;
                for &t in techs.iter().filter(|&&t| cand(j, t)) {
                    if !times.arc_ok(i, j, t) {
                        continue;
                    }
                    let c = co.arc(p, t, li, lj);
                    best = Some(best.map_or(c, |b: f64| b.min(c)));
                    if uniform {
                        break;
                    }
                }
                best.map(|c| (i, j, c))
            })
        })
        .collect()
}

/// Keeps the `ARC_KEEP` cheapest arcs out of and into each job; for the others, the
/// cheapest dropped cost out of (into) each job, halved, becomes a free half-arc.
#[allow(clippy::type_complexity)]
fn sparsify(
    n: usize,
    arcs: &[(JobIdx, JobIdx, f64)],
) -> (Vec<(JobIdx, JobIdx, f64)>, Vec<Option<f64>>, Vec<Option<f64>>) {
    let mut out_of: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut into: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (k, &(i, j, _)) in arcs.iter().enumerate() {
        out_of[i].push(k);
        into[j].push(k);
    }
    let mut keep = vec![false; arcs.len()];
    let mut half_out = vec![None; n];
    let mut half_in = vec![None; n];
    let by_cost = |a: &usize, b: &usize| arcs[*a].2.total_cmp(&arcs[*b].2).then(a.cmp(b));
    for (lists, half) in [(&mut out_of, &mut half_out), (&mut into, &mut half_in)] {
        for (v, list) in lists.iter_mut().enumerate() {
            list.sort_unstable_by(by_cost);
            for &k in list.iter().take(ARC_KEEP) {
                keep[k] = true;
            }
            if let Some(&k) = list.get(ARC_KEEP) {
                half[v] = Some(arcs[k].2 / 2.0);
            }
        }
    }
    // A dropped arc (kept by neither end) costs at least half_out[i] + half_in[j]; an arc
    // kept by one end only stays as a real arc, which is never cheaper than the truth.
    let kept = arcs.iter().zip(&keep).filter(|(_, &k)| k).map(|(a, _)| *a).collect();
    (kept, half_out, half_in)
}

/// Shortest travel time into each job from any other job (ticks); `Time::MAX` if alone.
fn min_travel_in(p: &Problem, servable: &[JobIdx]) -> Vec<Time> {
    let mut out = vec![Time::MAX; p.jobs.len()];
    for &j in servable {
        let lj = p.jobs[j].loc;
        out[j] = servable
            .iter()
            .filter(|&&i| i != j)
            .map(|&i| p.travel.time(p.jobs[i].loc, lj))
            .min()
            .unwrap_or(Time::MAX);
    }
    out
}
