//! `mode = assign`: the skill-weighted generalised assignment of jobs to technicians,
//! solved exactly as a MIP, for work where routing does not matter (one job per
//! technician in a dispatch wave, all-day jobs, an hours-capacity allocation).
//!
//! Model (binary `z[j,t]` over the matching candidates, `y[t]` when the technician has a
//! fixed cost): each job at most once, else its unassigned cost; per technician, hours
//! (service plus half the round trip from its base, less the break) within its day,
//! demand within capacity, at most `max_jobs`. The cost of `z[j,t]` is the exact cost of
//! the one-job route of `t` when `max_jobs = 1` (so a dispatch wave is solved exactly),
//! else the assignment terms plus labour for the service and half the round trip. The
//! result is then sequenced into feasible routes ([`super::sequence`]), so the returned
//! plan is complete and feasible whatever the MIP could not see (windows, travel between
//! jobs). If the MIP fails, a greedy assignment by priority takes its place.

use super::backend::{Limits, Model};
use super::coeffs::Coeffs;
use super::sequence::sequence;
use crate::matching::{unassigned_reason, Eligibility};
use crate::model::{JobIdx, Problem, TechIdx};
use crate::plan::{build_plan, Plan};
use crate::policy::{micro, Objective, Policy, COST_SCALE};
use crate::routing::evaluate;
use crate::solver::SolveParams;

/// MIP time cap when the caller gives none (seconds).
const DEFAULT_TIME_LIMIT: f64 = 60.0;

/// The outcome of the assignment MIP.
#[derive(Debug, Clone)]
pub struct AssignSolution {
    /// The jobs of each technician, by technician index.
    pub sets: Vec<Vec<JobIdx>>,
    /// MIP objective (currency).
    pub objective: f64,
    /// True when the backend proved it optimal (false: stopped by the time limit).
    pub optimal: bool,
}

/// The assignment model of a problem: per (job, candidate) pair its cost and hours.
pub struct AssignModel {
    /// `(job, tech, cost in currency, hours in ticks)` per candidate pair.
    pub pairs: Vec<(JobIdx, TechIdx, f64, f64)>,
    /// Fixed cost per technician (currency), charged once if it gets any job.
    pub fixed: Vec<f64>,
    /// Ticks of work each technician's day holds.
    pub day: Vec<f64>,
}

impl AssignModel {
    /// Builds the costs and hours of every candidate pair of `p` under `policy`.
    pub fn new(p: &Problem, policy: &Policy, obj: &Objective, elig: &Eligibility) -> Self {
        let co = Coeffs::new(p, policy);
        let fixed: Vec<f64> = co.fixed.iter().map(|&f| micro(f) as f64 / COST_SCALE).collect();
        let mut pairs = Vec::new();
        for (j, job) in p.jobs.iter().enumerate() {
            for &t in elig.candidates(j) {
                let tech = &p.technicians[t];
                let there = p.travel.time(tech.start, job.loc);
                let back = p.travel.time(job.loc, tech.end);
                let hours = job.duration as f64 + (there + back) as f64 / 2.0;
                let cost = if tech.max_jobs == Some(1) {
                    match evaluate(p, obj, t, &[j]) {
                        Some(e) => e.cost as f64 / COST_SCALE - fixed[t],
                        None => continue,
                    }
                } else {
                    let half_trip =
                        (co.arc(p, t, tech.start, job.loc) + co.arc(p, t, job.loc, tech.end)) / 2.0;
                    obj.assignment_cost(j, t) as f64 / COST_SCALE + co.dur[t] * hours + half_trip
                };
                pairs.push((j, t, cost, hours));
            }
        }
        let day = p
            .technicians
            .iter()
            .map(|t| {
                let brk = t.brk.map_or(0, |b| b.duration);
                (t.shift.close.saturating_add(t.max_overtime) - t.shift.open - brk).max(0) as f64
            })
            .collect();
        AssignModel { pairs, fixed, day }
    }

    /// Solves the MIP; returns the jobs of each technician, or an error from the backend.
    pub fn solve(
        &self,
        p: &Problem,
        obj: &Objective,
        time_limit: Option<f64>,
    ) -> crate::Result<Vec<Vec<JobIdx>>> {
        self.solve_detailed(p, obj, time_limit).map(|s| s.sets)
    }

    /// As [`AssignModel::solve`], with the MIP objective and whether it was proved optimal
    /// (for benchmarks of time to optimality).
    pub fn solve_detailed(
        &self,
        p: &Problem,
        obj: &Objective,
        time_limit: Option<f64>,
    ) -> crate::Result<AssignSolution> {
        let price = |j: JobIdx| obj.unassigned_cost(j) as f64 / COST_SCALE;
        self.solve_priced(p, &price, time_limit)
    }

    /// As [`AssignModel::solve_detailed`] with `unassigned(j)` (currency) as the price of
    /// leaving job `j` out instead of the policy's (the fallback raises it for the jobs it
    /// must place).
    pub fn solve_priced(
        &self,
        p: &Problem,
        unassigned: &dyn Fn(JobIdx) -> f64,
        time_limit: Option<f64>,
    ) -> crate::Result<AssignSolution> {
        let n_t = p.technicians.len();
        let mut sets = vec![Vec::new(); n_t];
        if self.pairs.is_empty() {
            return Ok(AssignSolution { sets, objective: 0.0, optimal: true });
        }
        let mut m = Model::new();
        let z: Vec<usize> = self.pairs.iter().map(|&(_, _, c, _)| m.binary(c)).collect();
        let mut per_job: Vec<Vec<(usize, f64)>> = vec![Vec::new(); p.jobs.len()];
        let mut per_tech: Vec<Vec<usize>> = vec![Vec::new(); n_t];
        for (k, &(j, t, _, _)) in self.pairs.iter().enumerate() {
            per_job[j].push((z[k], 1.0));
            per_tech[t].push(k);
        }
        for (j, mut row) in per_job.into_iter().enumerate() {
            if row.is_empty() {
                continue;
            }
            row.push((m.var(0.0, 1.0, unassigned(j)), 1.0));
            m.eq(&row, 1.0);
        }
        for (t, ks) in per_tech.iter().enumerate() {
            if ks.is_empty() {
                continue;
            }
            let tech = &p.technicians[t];
            let multi = tech.max_jobs != Some(1);
            if multi {
                let hours: Vec<(usize, f64)> =
                    ks.iter().map(|&k| (z[k], self.pairs[k].3)).collect();
                m.le(&hours, self.day[t]);
            }
            let limit = tech.max_jobs.unwrap_or(usize::MAX).min(ks.len());
            let mut count: Vec<(usize, f64)> = ks.iter().map(|&k| (z[k], 1.0)).collect();
            if self.fixed[t] > 0.0 {
                count.push((m.binary(self.fixed[t]), -(limit as f64)));
                m.le(&count, 0.0);
            } else if limit < ks.len() {
                m.le(&count, limit as f64);
            }
            if let Some(cap) = &tech.capacity {
                for (d, &c) in cap.iter().enumerate() {
                    let row: Vec<(usize, f64)> = ks
                        .iter()
                        .map(|&k| {
                            (
                                z[k],
                                p.jobs[self.pairs[k].0].demand.get(d).copied().unwrap_or(0) as f64,
                            )
                        })
                        .filter(|&(_, a)| a != 0.0)
                        .collect();
                    if !row.is_empty() {
                        m.le(&row, c as f64);
                    }
                }
            }
        }
        let s = m.solve(Limits { time_limit, ..Limits::default() })?;
        for (k, &(j, t, _, _)) in self.pairs.iter().enumerate() {
            if s.values[z[k]] > 0.5 {
                sets[t].push(j);
            }
        }
        Ok(AssignSolution { sets, objective: s.objective, optimal: s.optimal })
    }

    /// Fallback without a MIP: jobs by priority (then index) to the cheapest candidate
    /// with hours, capacity and job count left.
    pub fn greedy(&self, p: &Problem, obj: &Objective) -> Vec<Vec<JobIdx>> {
        let n_t = p.technicians.len();
        let mut sets = vec![Vec::new(); n_t];
        let mut hours = vec![0.0; n_t];
        let mut load = vec![vec![0i64; p.dims]; n_t];
        let mut order: Vec<JobIdx> = (0..p.jobs.len()).collect();
        order.sort_by_key(|&j| (std::cmp::Reverse(p.jobs[j].priority), j));
        for j in order {
            let mut best: Option<(f64, usize)> = None;
            for (k, &(_, t, c, h)) in self.pairs.iter().enumerate().filter(|(_, x)| x.0 == j) {
                let tech = &p.technicians[t];
                let fits = hours[t] + h <= self.day[t]
                    && tech.max_jobs.is_none_or(|mj| sets[t].len() < mj)
                    && tech.capacity.as_ref().is_none_or(|cap| {
                        cap.iter().enumerate().all(|(d, &c)| {
                            load[t][d] + p.jobs[j].demand.get(d).copied().unwrap_or(0) <= c
                        })
                    });
                let c = c + if sets[t].is_empty() { self.fixed[t] } else { 0.0 };
                if fits && best.is_none_or(|b| c < b.0) {
                    best = Some((c, k));
                }
            }
            if let Some((c, k)) = best {
                if c < obj.unassigned_cost(j) as f64 / COST_SCALE {
                    let (_, t, _, h) = self.pairs[k];
                    sets[t].push(j);
                    hours[t] += h;
                    for (d, l) in load[t].iter_mut().enumerate() {
                        *l += p.jobs[j].demand.get(d).copied().unwrap_or(0);
                    }
                }
            }
        }
        sets
    }
}

/// Solves `problem` in assignment mode and returns a complete, feasible plan. The MIP
/// runs within `params.time_limit` (60 s when not given); the best assignment found is
/// used if it stops early, a greedy one if it fails.
pub fn solve_assign(problem: &Problem, params: &SolveParams) -> Plan {
    let policy = params.policy.as_ref().unwrap_or(&problem.policy);
    let obj = Objective::new(problem, policy);
    let elig = Eligibility::new(problem);
    let model = AssignModel::new(problem, policy, &obj, &elig);
    let limit = params.time_limit.unwrap_or(DEFAULT_TIME_LIMIT);
    let sets =
        model.solve(problem, &obj, Some(limit)).unwrap_or_else(|_| model.greedy(problem, &obj));
    let mut order: Vec<JobIdx> = (0..problem.jobs.len()).collect();
    order.sort_by_key(|&j| (std::cmp::Reverse(problem.jobs[j].priority), j));
    let seq = sequence(problem, &obj, &elig, &sets, &order);
    let cost = seq.evals.iter().map(|e| e.cost).fold(0i64, i64::saturating_add);
    let cost = seq.left_out.iter().map(|&j| obj.unassigned_cost(j)).fold(cost, i64::saturating_add);
    let breaks: Vec<Option<usize>> = seq.evals.iter().map(|e| e.brk).collect();
    build_plan(problem, &seq.routes, &breaks, cost, |j| {
        unassigned_reason(problem, &obj, &elig, &seq.routes, j)
    })
}
