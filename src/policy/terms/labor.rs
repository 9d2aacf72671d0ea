use crate::model::time::TICKS;
use crate::model::{Problem, TechIdx};
use crate::policy::{hours, micro, RouteStats, Term};

/// The technician's own labour cost: fixed call-out + per hour of route span + per km,
/// the same formula as the spec's `labor_cost` KPI.
pub struct Labor {
    /// Multiplier on the labour cost.
    pub weight: f64,
}

impl Term for Labor {
    fn name(&self) -> &'static str {
        "labor"
    }
    fn route_cost(&self, p: &Problem, t: TechIdx, r: &RouteStats) -> i64 {
        let c = p.technicians[t].cost;
        let km = r.distance as f64 / TICKS / 1000.0;
        micro(self.weight * (c.fixed + c.per_hour * hours(r.span) + c.per_km * km))
    }
}
