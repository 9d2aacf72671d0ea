//! The KPIs a dispatcher compares policies by: favourites honoured, over-qualification,
//! expert time on basic work, evenness of the days, customer concentration of expert time,
//! contractor share, and the money and time ones. Computed from a problem and any plan
//! (the engine's or a hand-edited one); the spec's KPIs come from the verifier, the route
//! spans from the plan's stop times.
//!
//! ```
//! use fieldopt::{generate::{generate, GenerateParams}, io, SolveParams};
//! let doc = generate(&GenerateParams { jobs: 30, techs: 4, seed: 2 });
//! let problem = io::parse_problem_value(doc).unwrap();
//! let plan = fieldopt::solve(&problem, &SolveParams { iterations: Some(50), ..Default::default() });
//! let k = fieldopt::plan::analysis::analyse(&problem, &plan);
//! assert_eq!(k.assigned, plan.kpis.assigned);
//! assert!((0.0..=1.0).contains(&k.contractor_share));
//! ```

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::verify::compute_kpis;
use super::{Plan, Stop};
use crate::model::{JobIdx, Problem, TechKind};
use crate::policy::terms::{is_basic, is_expert};

/// Seconds per hour (the time unit of real days is the second).
const HOUR: f64 = 3600.0;

/// Policy-comparison KPIs. Hours are the problem's time unit / 3600 (real hours for real
/// days); money in the problem's currency. Serialized under `kpis.policy` in a plan.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PolicyKpis {
    /// Jobs in a route.
    pub assigned: usize,
    /// Sum of priority over assigned jobs.
    pub priority_assigned: u64,
    /// Total driving, hours.
    pub travel_hours: f64,
    /// Fixed + per hour of span + per km over used technicians (the spec's `labor_cost`).
    pub labor_cost: f64,
    /// `labor_cost` per assigned job (0 when none is assigned): the fair comparison when
    /// policies assign different numbers of jobs.
    pub labor_cost_per_job: f64,
    /// Time past shift ends, hours.
    pub overtime_hours: f64,
    /// Share of assigned jobs with favourites that went to one (`None`: no such job).
    pub preferred_rate: Option<f64>,
    /// Assigned jobs that name favourites.
    pub preferred_jobs: usize,
    /// Sum over assigned jobs and required skills of level above the requirement.
    pub overqualification: u64,
    /// Service hours done by experts (a skill at level 4-5).
    pub expert_hours: f64,
    /// Service hours done by experts on basic jobs (no requirement above level 2).
    pub expert_hours_basic: f64,
    /// Max minus min route span over used technicians, hours.
    pub workload_spread_hours: f64,
    /// Standard deviation of the route spans of used technicians, hours.
    pub workload_std_hours: f64,
    /// Largest share of the expert service hours that one customer absorbs (0..=1; a job
    /// without a customer is its own customer).
    pub customer_concentration: f64,
    /// Herfindahl index of expert service hours by customer (sum of squared shares, 0..=1).
    pub customer_hhi: f64,
    /// Share of assigned jobs done by contractors (0..=1).
    pub contractor_share: f64,
    /// Mean rating of the technician over assigned jobs with a rated technician.
    pub mean_rating: Option<f64>,
    /// Jobs left out that have an `unassigned_cost` (outsourced).
    pub outsourced: usize,
}

impl PolicyKpis {
    /// The KPIs as `(name, value)` in table order (an absent rate or rating is NaN), for
    /// comparison tables and CSV files. Names are the serialized field names.
    pub fn columns(&self) -> Vec<(&'static str, f64)> {
        vec![
            ("assigned", self.assigned as f64),
            ("priority_assigned", self.priority_assigned as f64),
            ("travel_hours", self.travel_hours),
            ("labor_cost", self.labor_cost),
            ("labor_cost_per_job", self.labor_cost_per_job),
            ("overtime_hours", self.overtime_hours),
            ("preferred_rate", self.preferred_rate.unwrap_or(f64::NAN)),
            ("overqualification", self.overqualification as f64),
            ("expert_hours_basic", self.expert_hours_basic),
            ("workload_spread_hours", self.workload_spread_hours),
            ("workload_std_hours", self.workload_std_hours),
            ("customer_concentration", self.customer_concentration),
            ("customer_hhi", self.customer_hhi),
            ("contractor_share", self.contractor_share),
            ("mean_rating", self.mean_rating.unwrap_or(f64::NAN)),
            ("expert_hours", self.expert_hours),
            ("preferred_jobs", self.preferred_jobs as f64),
            ("outsourced", self.outsourced as f64),
        ]
    }
}

/// Computes [`PolicyKpis`] of `plan` for `problem`. Linear in the plan's size; unknown ids
/// and repeated routes are skipped like the verifier does.
pub fn analyse(problem: &Problem, plan: &Plan) -> PolicyKpis {
    let spec = compute_kpis(problem, plan);
    let techs: HashMap<&str, usize> =
        problem.technicians.iter().enumerate().map(|(i, t)| (t.id.as_str(), i)).collect();
    let jobs: HashMap<&str, JobIdx> =
        problem.jobs.iter().enumerate().map(|(i, j)| (j.id.as_str(), i)).collect();
    let mut k = PolicyKpis {
        assigned: spec.assigned,
        priority_assigned: spec.priority_assigned,
        travel_hours: spec.travel_time / HOUR,
        labor_cost: spec.labor_cost,
        overtime_hours: spec.overtime / HOUR,
        preferred_rate: spec.preferred_rate,
        overqualification: spec.overqualification,
        ..PolicyKpis::default()
    };
    let mut seen_tech = vec![false; problem.technicians.len()];
    let mut done = vec![false; problem.jobs.len()];
    let mut spans = Vec::new();
    // Ordered, so the float sums below do not depend on hash order (plans are reproducible).
    let mut by_customer: BTreeMap<&str, f64> = BTreeMap::new();
    let (mut n_jobs, mut n_contractor, mut rating_sum, mut n_rated) = (0usize, 0usize, 0.0, 0usize);
    for route in &plan.routes {
        let Some(&t) = techs.get(route.technician.as_str()) else { continue };
        if std::mem::replace(&mut seen_tech[t], true) {
            continue;
        }
        let tech = &problem.technicians[t];
        let expert = is_expert(problem, t);
        let (mut end, mut last) = (None, None);
        for stop in &route.stops {
            match stop {
                Stop::Break { end: e, .. } => end = Some(*e),
                Stop::Job { job, end: e, .. } => {
                    end = Some(*e);
                    let Some(&j) = jobs.get(job.as_str()) else { continue };
                    if std::mem::replace(&mut done[j], true) {
                        continue;
                    }
                    last = Some(j);
                    let pj = &problem.jobs[j];
                    n_jobs += 1;
                    n_contractor += usize::from(tech.kind == TechKind::Contractor);
                    k.preferred_jobs += usize::from(!pj.preferred.is_empty());
                    if let Some(r) = tech.rating {
                        rating_sum += r;
                        n_rated += 1;
                    }
                    if expert {
                        let h = pj.duration_exact / HOUR;
                        k.expert_hours += h;
                        if is_basic(problem, j) {
                            k.expert_hours_basic += h;
                        }
                        let c = pj.customer.as_deref().unwrap_or(pj.id.as_str());
                        *by_customer.entry(c).or_default() += h;
                    }
                }
            }
        }
        let (Some(end), Some(last)) = (end, last) else { continue };
        let back = problem.travel.exact.between(problem.jobs[last].loc, tech.end).0;
        spans.push((end + back - tech.shift_exact.0) / HOUR);
    }
    if let (Some(lo), Some(hi)) =
        (spans.iter().copied().reduce(f64::min), spans.iter().copied().reduce(f64::max))
    {
        let mean = spans.iter().sum::<f64>() / spans.len() as f64;
        let var = spans.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / spans.len() as f64;
        (k.workload_spread_hours, k.workload_std_hours) = (hi - lo, var.sqrt());
    }
    if k.expert_hours > 0.0 {
        let shares = by_customer.values().map(|h| h / k.expert_hours);
        k.customer_concentration = shares.clone().fold(0.0, f64::max);
        k.customer_hhi = shares.map(|s| s * s).sum();
    }
    if n_jobs > 0 {
        k.labor_cost_per_job = k.labor_cost / n_jobs as f64;
        k.contractor_share = n_contractor as f64 / n_jobs as f64;
    }
    k.mean_rating = (n_rated > 0).then(|| rating_sum / n_rated as f64);
    k.outsourced =
        problem.jobs.iter().zip(&done).filter(|(j, &d)| !d && j.unassigned_cost.is_some()).count();
    k
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Route, UnassignedJob, PLAN_FORMAT};

    /// X: expert contractor rated 4; Y: level-1 employee. Euclidean, speed 1.
    const DOC: &str = r#"{"format": "fieldopt-problem/1", "date": "2026-11-24",
      "travel": {"kind": "euclidean"},
      "technicians": [
        {"id": "X", "start": {"x": 0, "y": 0}, "shift": [0, 90000], "skills": {"hvac": 5},
         "kind": "contractor", "rating": 4.0},
        {"id": "Y", "start": {"x": 0, "y": 0}, "shift": [0, 90000], "skills": {"hvac": 1}}],
      "jobs": [
        {"id": "A", "customer": "big", "location": {"x": 0, "y": 0}, "duration": 3600,
         "skills": {"hvac": 1}, "preferred_technicians": ["Y"]},
        {"id": "B", "customer": "big", "location": {"x": 0, "y": 0}, "duration": 7200},
        {"id": "C", "customer": "small", "location": {"x": 0, "y": 0}, "duration": 3600,
         "skills": {"hvac": 4}},
        {"id": "D", "location": {"x": 0, "y": 0}, "duration": 1800},
        {"id": "E", "location": {"x": 0, "y": 0}, "duration": 60, "unassigned_cost": 9}]}"#;

    fn stop(job: &str, start: f64, end: f64) -> Stop {
        Stop::Job { job: job.into(), arrival: start, start, end }
    }

    #[test]
    fn policy_kpis_of_a_hand_made_plan() {
        let p = crate::io::parse_problem_str(DOC).unwrap();
        let plan = Plan {
            format: PLAN_FORMAT.into(),
            problem: None,
            routes: vec![
                Route {
                    technician: "X".into(),
                    stops: vec![
                        stop("A", 0.0, 3600.0),
                        stop("B", 3600.0, 10800.0),
                        stop("C", 10800.0, 14400.0),
                    ],
                },
                Route { technician: "Y".into(), stops: vec![stop("D", 0.0, 1800.0)] },
            ],
            unassigned: vec![UnassignedJob {
                job: "E".into(),
                reason: String::new(),
                code: String::new(),
            }],
            kpis: Default::default(),
        };
        let k = analyse(&p, &plan);
        assert_eq!((k.assigned, k.preferred_jobs, k.outsourced), (4, 1, 1));
        assert_eq!((k.preferred_rate, k.overqualification), (Some(0.0), 5));
        assert_eq!((k.expert_hours, k.expert_hours_basic), (4.0, 3.0));
        assert_eq!((k.workload_spread_hours, k.workload_std_hours), (3.5, 1.75));
        assert_eq!(k.customer_concentration, 0.75); // big: 3 of X's 4 hours
        assert_eq!(k.customer_hhi, 0.75 * 0.75 + 0.25 * 0.25);
        assert_eq!((k.contractor_share, k.mean_rating), (0.75, Some(4.0)));
        // Every field is a column, under its serialized name.
        let v = serde_json::to_value(&k).unwrap();
        let cols = k.columns();
        assert_eq!(cols.len(), v.as_object().unwrap().len());
        for (name, x) in cols {
            assert_eq!(v[name].as_f64().unwrap_or(f64::NAN).to_bits(), x.to_bits(), "{name}");
        }
    }
}
