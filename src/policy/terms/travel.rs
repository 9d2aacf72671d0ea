use crate::model::time::TICKS;
use crate::model::{Problem, TechIdx};
use crate::policy::{hours, micro, RouteStats, Term};

/// Driving time, weighted per hour.
pub struct TravelTime {
    /// Currency per hour of travel.
    pub weight: f64,
}

impl Term for TravelTime {
    fn name(&self) -> &'static str {
        "travel_time"
    }
    fn route_cost(&self, _p: &Problem, _t: TechIdx, r: &RouteStats) -> i64 {
        micro(self.weight * hours(r.travel_time))
    }
}

/// Driving distance, weighted per 1000 distance units (per km for haversine).
pub struct TravelDistance {
    /// Currency per 1000 distance units.
    pub weight: f64,
}

impl Term for TravelDistance {
    fn name(&self) -> &'static str {
        "travel_distance"
    }
    fn route_cost(&self, _p: &Problem, _t: TechIdx, r: &RouteStats) -> i64 {
        micro(self.weight * r.distance as f64 / TICKS / 1000.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::parse_problem_str;

    #[test]
    fn travel_terms_scale_with_weight() {
        let p = parse_problem_str(crate::io::tests_support::TINY).unwrap();
        let r = RouteStats {
            jobs: 1,
            travel_time: 3_600_000,
            distance: 2_000_000,
            span: 0,
            overtime: 0,
        };
        assert_eq!(TravelTime { weight: 20.0 }.route_cost(&p, 0, &r), 20_000_000);
        assert_eq!(TravelDistance { weight: 0.5 }.route_cost(&p, 0, &r), 1_000_000);
        assert_eq!(TravelTime { weight: 0.0 }.route_cost(&p, 0, &r), 0);
    }
}
