//! Linear lower estimates of the route terms of a policy, per technician, in currency.
//!
//! A used route costs (see `policy::terms`): `travel_time x hours(travel)`,
//! `travel_distance x km`, `labor x (fixed + per_hour x hours(span) + per_km x km)`, a
//! workload term that is never negative, and the per-job assignment costs. The span is at
//! least the travel time plus the service durations, so the route cost is at least
//! `time_coef x travel ticks + dist_coef x distance + dur_coef x service ticks + fixed`.

use crate::model::time::TICKS;
use crate::model::{Problem, TechIdx};
use crate::policy::Policy;

/// Per-technician coefficients of the linear lower estimate, all >= 0.
#[derive(Debug, Clone)]
pub struct Coeffs {
    /// Currency per tick of travel (travel_time weight plus labour per hour).
    pub time: Vec<f64>,
    /// Currency per 1/1000 distance unit (travel_distance weight plus labour per km).
    pub dist: Vec<f64>,
    /// Currency per tick of service (labour per hour of span).
    pub dur: Vec<f64>,
    /// Currency of using the technician at all (labour fixed cost).
    pub fixed: Vec<f64>,
}

/// Ticks in an hour.
const HOUR: f64 = 3600.0 * TICKS;
/// 1/1000 distance units in 1000 distance units (a km on haversine).
const KM: f64 = 1000.0 * TICKS;

impl Coeffs {
    /// The coefficients of `policy` for every technician of `p`. Negative weights (which
    /// validation rejects) are clamped to 0 so the estimate stays a lower one.
    pub fn new(p: &Problem, policy: &Policy) -> Self {
        let pos = |x: f64| if x.is_finite() { x.max(0.0) } else { 0.0 };
        let labor = pos(policy.labor);
        let techs = &p.technicians;
        Coeffs {
            time: techs
                .iter()
                .map(|t| (pos(policy.travel_time) + labor * pos(t.cost.per_hour)) / HOUR)
                .collect(),
            dist: techs
                .iter()
                .map(|t| (pos(policy.travel_distance) + labor * pos(t.cost.per_km)) / KM)
                .collect(),
            dur: techs.iter().map(|t| labor * pos(t.cost.per_hour) / HOUR).collect(),
            fixed: techs.iter().map(|t| labor * pos(t.cost.fixed)).collect(),
        }
    }

    /// Lower estimate of driving from location `a` to `b` for technician `t` (currency).
    pub fn arc(&self, p: &Problem, t: TechIdx, a: usize, b: usize) -> f64 {
        self.time[t] * p.travel.time(a, b) as f64 + self.dist[t] * p.travel.dist(a, b) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::parse_problem_str;

    #[test]
    fn coefficients_follow_the_policy_units() {
        let p = parse_problem_str(
            r#"{"format": "fieldopt-problem/1", "date": "2026-11-24",
              "travel": {"kind": "euclidean", "speed": 1.0},
              "technicians": [{"id": "T", "start": {"x": 0, "y": 0}, "shift": [0, 100000],
                "cost": {"fixed": 50, "per_hour": 36, "per_km": 2}}],
              "jobs": [{"id": "J", "location": {"x": 3000, "y": 4000}, "duration": 60}]}"#,
        )
        .unwrap();
        let pol =
            Policy { travel_time: 18.0, travel_distance: 1.0, labor: 1.0, ..Policy::default() };
        let c = Coeffs::new(&p, &pol);
        // 5000 units of distance and 5000 s of travel: (18 + 36) / h x 5000 s + (1 + 2) x 5.
        let expect = 54.0 * 5000.0 / 3600.0 + 3.0 * 5.0;
        let (start, job) = (p.technicians[0].start, p.jobs[0].loc);
        assert!((c.arc(&p, 0, start, job) - expect).abs() < 1e-9);
        assert!((c.dur[0] * 3_600_000.0 - 36.0).abs() < 1e-9);
        assert_eq!(c.fixed[0], 50.0);
    }
}
