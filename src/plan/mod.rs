//! The plan document (`fieldopt-plan/1`): routes with exact schedules, unassigned jobs with
//! computed reasons, and KPIs recomputed in floating point from the exact travel model.

pub mod affinity;
pub mod analysis;
mod build;
pub mod explain;
mod kpis;
pub mod verify;
pub mod whatif;

use serde::{Deserialize, Serialize};

pub use build::build_plan;
pub use kpis::{BoundMethod, Kpis};

/// Format tag of plan documents.
pub const PLAN_FORMAT: &str = "fieldopt-plan/1";

/// A complete plan: every job of the problem is in exactly one route or in `unassigned`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// Always `fieldopt-plan/1`.
    pub format: String,
    /// Echo of the problem name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
    /// One route per technician with at least one job, in technician order.
    pub routes: Vec<Route>,
    /// Jobs left out, with the reason.
    pub unassigned: Vec<UnassignedJob>,
    /// Engine-computed KPIs (spec names plus `objective`).
    #[serde(default)]
    pub kpis: Kpis,
}

/// One technician's day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Route {
    /// Technician id.
    pub technician: String,
    /// Stops in visiting order.
    pub stops: Vec<Stop>,
}

/// A stop: a job visit or the break. Times in seconds from midnight (instance units).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Stop {
    /// A job visit.
    Job {
        /// Job id.
        job: String,
        /// Arrival on site.
        arrival: f64,
        /// Service start (after waiting for the window).
        start: f64,
        /// Service end.
        end: f64,
    },
    /// The lunch break, taken where the technician is.
    Break {
        /// Always true.
        #[serde(rename = "break")]
        is_break: bool,
        /// Break start.
        start: f64,
        /// Break end.
        end: f64,
    },
}

/// Why a job is left out, as a stable code and a human sentence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnassignedJob {
    /// Job id.
    pub job: String,
    /// Human-readable reason, e.g. `no technician has skill hvac >= 4`.
    pub reason: String,
    /// Stable reason code: `no_eligible_technician`, `no_feasible_time`, `capacity`,
    /// `max_jobs`, `shift`, `not_worth_it`.
    #[serde(default)]
    pub code: String,
}
