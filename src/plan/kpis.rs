use serde::{Deserialize, Serialize};

/// How a lower bound was obtained (`kpis.bound_method`; computed by the `lp` module).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BoundMethod {
    /// All routes enumerated and partitioned exactly: the bound is the optimum.
    Enumeration,
    /// The arc-flow LP relaxation, the loosest of the three.
    #[serde(rename = "arc_flow")]
    ArcRelaxation,
    /// The Lagrangian bound of the set-covering master, by column generation over
    /// ng-routes.
    ColumnGeneration,
}

/// The spec's KPIs, recomputed in floating point from the exact travel model, plus the
/// engine's objective. Times in seconds (instance units), distance in metres (instance units).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Kpis {
    /// Jobs in the problem.
    pub jobs: usize,
    /// Jobs in a route.
    pub assigned: usize,
    /// Jobs left out.
    pub unassigned: usize,
    /// Sum of priority over assigned jobs.
    pub priority_assigned: u64,
    /// Sum of priority over all jobs.
    pub priority_total: u64,
    /// Technicians with at least one job.
    pub technicians_used: usize,
    /// Total travel time including the way back.
    pub travel_time: f64,
    /// Total travel distance including the way back.
    pub travel_distance: f64,
    /// Sum of route spans (return minus shift start) over used technicians.
    pub work_time: f64,
    /// Sum of time past shift end.
    pub overtime: f64,
    /// Fixed + per hour of span + per km, over used technicians.
    pub labor_cost: f64,
    /// Sum of `unassigned_cost` over jobs left out.
    pub unassigned_cost: f64,
    /// Share of assigned jobs with preferences that went to a preferred technician.
    pub preferred_rate: Option<f64>,
    /// Sum over assigned jobs and required skills of level above the requirement.
    pub overqualification: u64,
    /// Max minus min route span over used technicians.
    pub workload_spread: f64,
    /// The engine's objective value in currency units (lower is better).
    pub objective: f64,
    /// A value no plan of this problem can beat, in the units of `objective` (`lp` module;
    /// written only when computed, e.g. `fieldopt solve --bound`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lower_bound: Option<f64>,
    /// `(objective - lower_bound) / objective`: the plan is at most this fraction above the
    /// optimum (0.05 = 5 %); written with `lower_bound`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gap: Option<f64>,
    /// How `lower_bound` was obtained: `enumeration` (it is the optimum),
    /// `column_generation` (the set-covering LP's Lagrangian bound) or `arc_flow` (the
    /// weaker arc-flow LP, when column generation certified nothing better in time);
    /// written with `lower_bound`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bound_method: Option<BoundMethod>,
    /// Policy-comparison KPIs (`plan::analysis`); written only when computed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy: Option<super::analysis::PolicyKpis>,
}
