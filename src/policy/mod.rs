//! Objective weights (`Policy`) and the weighted terms that turn a plan into one number.
//!
//! A term is one file in `terms/` implementing [`Term`]; weights live in [`Policy`], never
//! inside a term, so policies are compared by swapping weights.

mod presets;
pub mod rules;
pub mod terms;

use serde::{Deserialize, Serialize};

use crate::model::time::TICKS;
use crate::model::{JobIdx, Problem, TechIdx, Time};

pub use terms::Objective;

/// Cost values inside the solver are integers in micro-currency (1e-6 of a currency unit).
pub const COST_SCALE: f64 = 1e6;

/// Weights of the objective terms, in currency units; `deny_unknown_fields` so a misspelt
/// weight in a policy file is an error, not a silent default. Every weight is `>= 0`; a
/// weight of 0 switches its term off. Named presets: [`Policy::preset`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Policy {
    /// Cost per hour of driving (vehicle and time), on top of labour.
    pub travel_time: f64,
    /// Cost per 1000 distance units driven (per km for haversine).
    pub travel_distance: f64,
    /// Multiplier on the technicians' own labour cost (fixed + per hour of span + per km).
    pub labor: f64,
    /// Cost of leaving a job of priority 0 out; a job of priority p costs `(1 + p)` times it.
    /// Large by default so that assigning jobs, by priority, comes before everything else.
    pub unassigned: f64,
    /// Multiplier on a job's own `unassigned_cost` (outsourcing price, SLA penalty). 0 (the
    /// default): every job uses the priority-based penalty above. Above 0: a job that gives
    /// `unassigned_cost` costs `outsourcing x unassigned_cost` to leave out, so it is
    /// outsourced whenever serving it costs more, and on a full day it gives way before
    /// priority-based jobs whatever its priority (see `terms::Unassigned`).
    pub outsourcing: f64,
    /// Cost of serving a job that names preferred technicians with someone else (currency
    /// per job). Capped at `unassigned / (jobs with preferences + 1)`, so honouring
    /// favourites never leaves a (priority-penalised) job out: a very large value means
    /// "always, when it costs no job".
    pub preferred: f64,
    /// Cost per scarcity-weighted skill level above a job's requirement (currency per
    /// level; a level is weighted by how rare it is among the technicians, 1 to 10).
    pub skill_fit: f64,
    /// Cost per rating point below 5 of the technician, times `(1 + priority)` of the job
    /// (currency per point per job).
    pub rating: f64,
    /// Cost per squared hour of a technician's route span above the even share of the day's
    /// work (its shift length times the day's utilisation; the whole shift on a day with
    /// more work than the shifts hold), and half of it per squared hour below (linear
    /// beyond 1 hour, so an idle technician is no barrier); convex, so it evens the days
    /// (`terms::Workload`).
    pub workload: f64,
    /// Cost per hour of expert time (a technician with a level 4-5 skill) spent on a basic
    /// job (no requirement above level 2), times the job's customer size (its number of
    /// jobs, at most 10), so no customer soaks up the scarce expert hours.
    pub fairness: f64,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            travel_time: 20.0,
            travel_distance: 0.5,
            labor: 1.0,
            unassigned: 10_000.0,
            outsourcing: 0.0,
            preferred: 30.0,
            skill_fit: 1.0,
            rating: 1.0,
            workload: 0.0,
            fairness: 0.0,
        }
    }
}

/// What a route is measured by, for route-level terms. Times in ticks, distance x1000.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RouteStats {
    /// Number of jobs on the route; 0 means the technician stays home.
    pub jobs: usize,
    /// Sum of travel times (ticks), including the way back.
    pub travel_time: Time,
    /// Sum of distances (1/1000 units), including the way back.
    pub distance: i64,
    /// Return time minus shift start (ticks).
    pub span: Time,
    /// Return time beyond the shift end (ticks).
    pub overtime: Time,
}

/// One weighted objective term.
pub trait Term: Send + Sync {
    /// Stable name, used in KPI breakdowns and policy files.
    fn name(&self) -> &'static str;
    /// Cost of one technician's route (micro-currency). Called only for used routes.
    fn route_cost(&self, _p: &Problem, _tech: TechIdx, _r: &RouteStats) -> i64 {
        0
    }
    /// Sequence-independent cost of doing `job` with `tech` (micro-currency).
    fn assignment_cost(&self, _p: &Problem, _job: JobIdx, _tech: TechIdx) -> i64 {
        0
    }
    /// Cost of leaving `job` unassigned (micro-currency).
    fn unassigned_cost(&self, _p: &Problem, _job: JobIdx) -> i64 {
        0
    }
}

/// Converts currency to micro-currency, saturating.
pub fn micro(x: f64) -> i64 {
    let v = (x * COST_SCALE).round();
    if v.is_nan() {
        0
    } else {
        v.clamp(-(i64::MAX as f64) / 4.0, i64::MAX as f64 / 4.0) as i64
    }
}

/// Hours in `t` ticks (time unit = seconds).
pub fn hours(t: Time) -> f64 {
    t as f64 / TICKS / 3600.0
}
