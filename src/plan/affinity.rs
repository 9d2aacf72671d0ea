//! The price of affinity: what honouring the customer's favourite technician would cost.
//!
//! For every job that names `preferred_technicians` and is not done by one of them, a
//! what-if on the finished plan: move the job into a favourite's day at its cheapest
//! feasible position; when the day is full, move one or two of that day's jobs out first
//! and re-home each at its cheapest place with another allowed technician (or leave it
//! out: "pushed out"). The price is the change in travel minutes and in the objective of
//! the policy without its `preferred` term, so that the favourite's own bonus does not hide
//! what it costs. Each job is priced alone against the plan, so the per-job prices do not
//! add up to the price of honouring them all at once; that is what a whole
//! `favourite_first` solve measures ([`PolicyPrice`]).
//!
//! ```
//! use fieldopt::{io, plan::affinity, Policy, SolveParams};
//! let doc = r#"{"format": "fieldopt-problem/1", "date": "2026-11-24",
//!   "travel": {"kind": "euclidean"},
//!   "technicians": [{"id": "NEAR", "start": {"x": 0, "y": 0}, "shift": [0, 1000]},
//!                   {"id": "FAV", "start": {"x": 300, "y": 0}, "shift": [0, 1000]}],
//!   "jobs": [{"id": "J", "location": {"x": 100, "y": 0}, "duration": 60,
//!             "preferred_technicians": ["FAV"]}]}"#;
//! let problem = io::parse_problem_str(doc).unwrap();
//! let policy = Policy::preset("min_travel").unwrap();
//! let params = SolveParams { iterations: Some(50), policy: Some(policy.clone()), ..Default::default() };
//! let plan = fieldopt::solve(&problem, &params);
//! let price = affinity::price_of_affinity(&problem, &policy, &plan, None);
//! assert_eq!(price.jobs[0].favourite.as_deref(), Some("FAV"));
//! // NEAR drives 100 + 100, FAV would drive 200 + 200: 200 s more, 3.33 minutes.
//! assert!((price.jobs[0].extra_travel_minutes.unwrap() - 200.0 / 60.0).abs() < 1e-9);
//! ```

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::whatif::{assignment_of, best_insertion, job_routes, removal};
use super::Plan;
use crate::matching::Eligibility;
use crate::model::time::secs;
use crate::model::{JobIdx, Problem, TechIdx};
use crate::policy::rules;
use crate::policy::{Objective, Policy, COST_SCALE};
use crate::solver::SolveParams;

/// Displacing two jobs is tried only on days with at most this many jobs (pairs grow
/// quadratically; a day is rarely longer).
const PAIRS_UP_TO: usize = 16;

/// The price of honouring one job's favourite, against the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AffinityJob {
    /// Job id.
    pub job: String,
    /// The job's favourite technicians.
    pub preferred: Vec<String>,
    /// Who does the job in the plan (`None`: unassigned).
    pub technician: Option<String>,
    /// `fits` (a favourite's day takes it as it is), `displaces` (after moving jobs out of
    /// that day), `no_room` (not even then), `not_allowed` (no favourite passes the hard
    /// rules: skills, certifications, bans, pins).
    pub status: String,
    /// The favourite it would cheapest go to (`fits` and `displaces` only).
    pub favourite: Option<String>,
    /// Change in the plan's travel time, minutes (time unit / 60 on planar instances).
    pub extra_travel_minutes: Option<f64>,
    /// Change in the objective without the `preferred` term, currency units; includes the
    /// penalty of jobs pushed out and, for a job that was unassigned, the penalty saved.
    pub extra_cost: Option<f64>,
    /// Jobs that would leave the plan because no other technician can take them.
    pub jobs_pushed_out: Option<usize>,
    /// Jobs moved out of the favourite's day (re-homed or pushed out).
    pub displaced: Vec<String>,
    /// Where each of `displaced` goes (`None`: pushed out), in the same order.
    pub displaced_to: Vec<Option<String>>,
    /// The displaced jobs nobody else can take.
    pub pushed_out: Vec<String>,
    /// One sentence: what honouring the favourite takes.
    pub reason: String,
}

/// Totals over the jobs of [`Affinity::jobs`], each priced alone.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AffinitySummary {
    /// Jobs with favourites in the problem.
    pub jobs_with_favourites: usize,
    /// Of those, jobs done by a favourite in the plan.
    pub honoured: usize,
    /// Jobs with favourites not done by one (the rows of [`Affinity::jobs`]).
    pub not_honoured: usize,
    /// Rows with status `fits` or `displaces`.
    pub honourable: usize,
    /// Sum of `extra_travel_minutes` over honourable rows.
    pub extra_travel_minutes: f64,
    /// Sum of `extra_cost` over honourable rows, currency.
    pub extra_cost: f64,
    /// Sum of `jobs_pushed_out` over honourable rows.
    pub jobs_pushed_out: usize,
}

/// What a whole other policy (normally `favourite_first`) costs against the plan, from the
/// KPIs of both plans: positive numbers are what the other policy adds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PolicyPrice {
    /// Name of the other policy.
    pub policy: String,
    /// Its travel minus the plan's, minutes.
    pub extra_travel_minutes: f64,
    /// Jobs the plan assigns and the other policy does not (negative: it assigns more).
    pub jobs_pushed_out: i64,
    /// Same, as the sum of priority.
    pub priority_pushed_out: i64,
    /// Its labour cost minus the plan's, currency.
    pub extra_labor_cost: f64,
    /// Its overtime minus the plan's, minutes.
    pub extra_overtime_minutes: f64,
    /// Jobs done by a favourite in the plan.
    pub honoured: usize,
    /// Jobs done by a favourite under the other policy.
    pub honoured_policy: usize,
    /// The plan's preferred rate (share of assigned jobs with favourites done by one).
    pub preferred_rate: Option<f64>,
    /// The other policy's preferred rate.
    pub preferred_rate_policy: Option<f64>,
}

/// The price of affinity of a plan: per job, totals, and optionally a whole policy.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Affinity {
    /// Totals of the per-job prices.
    pub summary: AffinitySummary,
    /// One row per job with favourites that is not done by one, in problem order.
    pub jobs: Vec<AffinityJob>,
    /// Against a `favourite_first` plan, when one was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub favourite_first: Option<PolicyPrice>,
}

impl Affinity {
    /// One line for a CLI summary.
    pub fn summary_line(&self) -> String {
        let s = &self.summary;
        let mut line = format!(
            "price of affinity: {} of {} jobs with a favourite not with one; {} could be: {:+.0} travel min, {} job(s) pushed out",
            s.not_honoured, s.jobs_with_favourites, s.honourable, s.extra_travel_minutes, s.jobs_pushed_out
        );
        if let Some(ff) = &self.favourite_first {
            let rate = |r: Option<f64>| r.map_or("-".to_string(), |r| format!("{r:.2}"));
            line.push_str(&format!(
                "; {}: {:+.0} travel min, {} job(s) pushed out, preferred rate {} -> {}",
                ff.policy,
                ff.extra_travel_minutes,
                ff.jobs_pushed_out,
                rate(ff.preferred_rate),
                rate(ff.preferred_rate_policy)
            ));
        }
        line
    }
}

/// Prices honouring every unhonoured favourite of `plan` under `policy` (its `preferred`
/// weight is ignored), and compares with a `favourite_first` plan of the same problem when
/// given. Jobs are priced in parallel; the result does not depend on the thread count.
pub fn price_of_affinity(
    p: &Problem,
    policy: &Policy,
    plan: &Plan,
    favourite_first: Option<&Plan>,
) -> Affinity {
    let routes = job_routes(p, plan);
    let at = assignment_of(p.jobs.len(), &routes);
    let obj = Objective::new(p, &Policy { preferred: 0.0, ..policy.clone() });
    let elig = Eligibility::new(p);
    let with_favs: Vec<JobIdx> =
        (0..p.jobs.len()).filter(|&j| !p.jobs[j].preferred.is_empty()).collect();
    let honoured =
        |at: &[Option<TechIdx>], j: JobIdx| at[j].is_some_and(|t| p.jobs[j].preferred.contains(&t));
    let todo: Vec<JobIdx> = with_favs.iter().copied().filter(|&j| !honoured(&at, j)).collect();
    let ctx = Ctx { p, obj: &obj, elig: &elig, routes: &routes, at: &at };
    let jobs: Vec<AffinityJob> = todo.par_iter().map(|&j| ctx.price(j)).collect();
    let mut summary = AffinitySummary {
        jobs_with_favourites: with_favs.len(),
        honoured: with_favs.len() - todo.len(),
        not_honoured: todo.len(),
        ..AffinitySummary::default()
    };
    for row in jobs.iter().filter(|r| r.status == "fits" || r.status == "displaces") {
        summary.honourable += 1;
        summary.extra_travel_minutes += row.extra_travel_minutes.unwrap_or(0.0);
        summary.extra_cost += row.extra_cost.unwrap_or(0.0);
        summary.jobs_pushed_out += row.jobs_pushed_out.unwrap_or(0);
    }
    let favourite_first =
        favourite_first.map(|other| policy_price(p, plan, other, "favourite_first"));
    Affinity { summary, jobs, favourite_first }
}

/// Solves `p` under the `favourite_first` preset with `params` (its `policy` replaced) and
/// prices `plan` against it: [`price_of_affinity`] with the total filled in.
pub fn price_with_favourite_first(
    p: &Problem,
    policy: &Policy,
    plan: &Plan,
    params: &SolveParams,
) -> Affinity {
    let ff_params = SolveParams { policy: Policy::preset("favourite_first"), ..params.clone() };
    let ff = crate::solver::solve(p, &ff_params);
    price_of_affinity(p, policy, plan, Some(&ff))
}

/// KPI differences of `other` (solved under the policy `name`) against `plan`.
pub fn policy_price(p: &Problem, plan: &Plan, other: &Plan, name: &str) -> PolicyPrice {
    let a = super::verify::compute_kpis(p, plan);
    let b = super::verify::compute_kpis(p, other);
    let honoured = |plan: &Plan| {
        let at = assignment_of(p.jobs.len(), &job_routes(p, plan));
        (0..p.jobs.len())
            .filter(|&j| at[j].is_some_and(|t| p.jobs[j].preferred.contains(&t)))
            .count()
    };
    PolicyPrice {
        policy: name.to_string(),
        extra_travel_minutes: (b.travel_time - a.travel_time) / 60.0,
        jobs_pushed_out: a.assigned as i64 - b.assigned as i64,
        priority_pushed_out: a.priority_assigned as i64 - b.priority_assigned as i64,
        extra_labor_cost: b.labor_cost - a.labor_cost,
        extra_overtime_minutes: (b.overtime - a.overtime) / 60.0,
        honoured: honoured(plan),
        honoured_policy: honoured(other),
        preferred_rate: a.preferred_rate,
        preferred_rate_policy: b.preferred_rate,
    }
}

/// Everything the per-job pricing reads.
struct Ctx<'a> {
    p: &'a Problem,
    obj: &'a Objective,
    elig: &'a Eligibility,
    routes: &'a [Vec<JobIdx>],
    at: &'a [Option<TechIdx>],
}

/// One way of honouring a job with favourite `fav` (micro-currency and ticks).
#[derive(Debug, Clone)]
struct Way {
    fav: TechIdx,
    cost: i64,
    travel: i64,
    /// Displaced jobs and where each went (`None`: pushed out).
    moved: Vec<(JobIdx, Option<TechIdx>)>,
}

impl Way {
    fn pushed(&self) -> usize {
        self.moved.iter().filter(|m| m.1.is_none()).count()
    }
    /// Fewer jobs pushed out first, then cheaper, then fewer moves.
    fn key(&self) -> (usize, i64, usize) {
        (self.pushed(), self.cost, self.moved.len())
    }
}

impl Ctx<'_> {
    fn price(&self, j: JobIdx) -> AffinityJob {
        let p = self.p;
        let job = &p.jobs[j];
        let from = self.at[j];
        let name = |t: TechIdx| p.technicians[t].id.clone();
        let mut row = AffinityJob {
            job: job.id.clone(),
            preferred: job.preferred.iter().map(|&t| name(t)).collect(),
            technician: from.map(name),
            status: "not_allowed".into(),
            favourite: None,
            extra_travel_minutes: None,
            extra_cost: None,
            jobs_pushed_out: None,
            displaced: Vec::new(),
            displaced_to: Vec::new(),
            pushed_out: Vec::new(),
            reason: String::new(),
        };
        // Taking the job out of its current day (or out of `unassigned`).
        let (rest, out_cost, out_travel) = match from {
            Some(t0) => match removal(p, self.obj, t0, &self.routes[t0], j) {
                Some((rest, rem)) => (
                    Some((t0, rest)),
                    rem.before.cost - rem.after.cost,
                    rem.before.stats.travel_time - rem.after.stats.travel_time,
                ),
                None => (None, 0, 0),
            },
            None => (None, -self.obj.unassigned_cost(j), 0),
        };
        let mut blocked = Vec::new();
        let mut best: Option<Way> = None;
        for &f in &job.preferred {
            if !self.elig.allowed(j, f) {
                if let Some(r) = rules::all().into_iter().find(|r| !r.allows(p, j, f)) {
                    blocked.push(r.why_not(p, j, f));
                }
                continue;
            }
            if let Some(mut o) = self.honour(j, f, rest.as_ref()) {
                o.cost += out_cost;
                o.travel += out_travel;
                if best.as_ref().is_none_or(|b| o.key() < b.key()) {
                    best = Some(o);
                }
            }
        }
        let Some(o) = best else {
            if blocked.len() == job.preferred.len() {
                row.reason = format!("no favourite may do it: {}", blocked.join("; "));
            } else {
                row.status = "no_room".into();
                let others = if blocked.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", blocked.join("; "))
                };
                row.reason = format!(
                    "no favourite's day can take it, even after moving one or two of its jobs out{others}"
                );
            }
            return row;
        };
        let minutes = secs(o.travel) / 60.0;
        row.status = if o.moved.is_empty() { "fits" } else { "displaces" }.into();
        row.favourite = Some(name(o.fav));
        row.extra_travel_minutes = Some(minutes);
        row.extra_cost = Some(o.cost as f64 / COST_SCALE);
        row.jobs_pushed_out = Some(o.pushed());
        row.displaced = o.moved.iter().map(|m| p.jobs[m.0].id.clone()).collect();
        row.displaced_to = o.moved.iter().map(|m| m.1.map(name)).collect();
        row.pushed_out =
            o.moved.iter().filter(|m| m.1.is_none()).map(|m| p.jobs[m.0].id.clone()).collect();
        let moves: Vec<String> = o
            .moved
            .iter()
            .map(|&(d, to)| match to {
                Some(t) => format!("{} to {}", p.jobs[d].id, p.technicians[t].id),
                None => format!("{} left out", p.jobs[d].id),
            })
            .collect();
        row.reason = if moves.is_empty() {
            format!(
                "{} has room for it: {minutes:+.1} travel min, {:+.2} cost",
                name(o.fav),
                o.cost as f64 / COST_SCALE
            )
        } else {
            format!(
                "{} can take it by moving out {}: {minutes:+.1} travel min, {} job(s) pushed out, {:+.2} cost",
                name(o.fav),
                moves.join(", "),
                o.pushed(),
                o.cost as f64 / COST_SCALE
            )
        };
        row
    }

    /// The cheapest way to put `j` into `f`'s day: as it is, else after moving one (then
    /// two) of its jobs out; `rest` is the job's former route without it.
    fn honour(&self, j: JobIdx, f: TechIdx, rest: Option<&(TechIdx, Vec<JobIdx>)>) -> Option<Way> {
        let (p, obj) = (self.p, self.obj);
        let day = &self.routes[f];
        if let Ok(ins) = best_insertion(p, obj, f, day, j) {
            return Some(Way {
                fav: f,
                cost: ins.after.cost - ins.before.cost,
                travel: ins.after.stats.travel_time - ins.before.stats.travel_time,
                moved: Vec::new(),
            });
        }
        let base = crate::routing::check(p, obj, f, day).ok()?;
        let mut best: Option<Way> = None;
        let n = day.len();
        let mut sets: Vec<Vec<usize>> = (0..n).map(|a| vec![a]).collect();
        for size in 1..=2 {
            if size == 2 {
                if best.is_some() || n > PAIRS_UP_TO {
                    break;
                }
                sets = (0..n).flat_map(|a| (a + 1..n).map(move |b| vec![a, b])).collect();
            }
            for set in &sets {
                let kept: Vec<JobIdx> = day
                    .iter()
                    .enumerate()
                    .filter(|(k, _)| !set.contains(k))
                    .map(|(_, &x)| x)
                    .collect();
                let Ok(ins) = best_insertion(p, obj, f, &kept, j) else { continue };
                let mut o = Way {
                    fav: f,
                    cost: ins.after.cost - base.cost,
                    travel: ins.after.stats.travel_time - base.stats.travel_time,
                    moved: Vec::new(),
                };
                // Re-home the displaced jobs one after the other, on the days as changed.
                let mut changed: BTreeMap<TechIdx, Vec<JobIdx>> = BTreeMap::new();
                if let Some((t0, seq)) = rest {
                    changed.insert(*t0, seq.clone());
                }
                for &k in set {
                    let d = day[k];
                    let mut home: Option<(TechIdx, super::whatif::Insertion)> = None;
                    for &t in self.elig.candidates(d) {
                        if t == f {
                            continue;
                        }
                        let seq = changed.get(&t).unwrap_or(&self.routes[t]);
                        if let Ok(h) = best_insertion(p, obj, t, seq, d) {
                            if home.as_ref().is_none_or(|(_, b)| {
                                h.after.cost - h.before.cost < b.after.cost - b.before.cost
                            }) {
                                home = Some((t, h));
                            }
                        }
                    }
                    match home {
                        Some((t, h)) => {
                            o.cost += h.after.cost - h.before.cost;
                            o.travel += h.after.stats.travel_time - h.before.stats.travel_time;
                            let seq = changed.entry(t).or_insert_with(|| self.routes[t].clone());
                            seq.insert(h.position, d);
                            o.moved.push((d, Some(t)));
                        }
                        None => {
                            o.cost += obj.unassigned_cost(d);
                            o.moved.push((d, None));
                        }
                    }
                }
                if best.as_ref().is_none_or(|b| o.key() < b.key()) {
                    best = Some(o);
                }
            }
        }
        best
    }
}
