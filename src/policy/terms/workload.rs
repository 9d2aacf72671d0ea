use crate::model::{Problem, TechIdx, Time};
use crate::policy::{hours, micro, RouteStats, Term};

/// Travel added to the service hours when estimating the day's workload (25 %).
pub const TRAVEL_ALLOWANCE: f64 = 0.25;

/// Hours below the target up to which a light day costs quadratically; beyond, linearly.
pub const UNDER_QUADRATIC_HOURS: f64 = 1.0;
/// Weight of a light day relative to an overloaded one.
pub const UNDER_SHARE: f64 = 0.5;

/// Workload balance, as a separable convex proxy. A used technician's route costs, with
/// span and target in hours, `weight * (over^2 + 0.5 * huber(under))` currency, where
/// `over = max(0, span - target)`, `under = max(0, target - span)` and `huber(u)` is `u^2`
/// up to 1 hour and `2u - 1` beyond. The target is the technician's shift length times the
/// day's utilisation, `min(1, 1.25 x service hours of all jobs / shift hours of all
/// technicians)`: what an even split of the day's work would give them.
///
/// The spread of working time (max minus min span over used technicians) is not separable
/// by route; this sum is, and it is convex in every route's span, so each hour moved from
/// a day above its share to one below it lowers the cost. A light day costs too: with
/// overload alone the 500-job sample day (2000 iterations, seed 0) kept a 6.6-hour day next
/// to 10-hour ones (spread 3.39 h, standard deviation 0.60 h); with both, 1.76 h and 0.47 h
/// (`benches/results/policy_comparison_sample_2000it.md`). A light day costs half as much
/// and only linearly far from the target, because an unused technician costs nothing: a
/// light day must not cost so much that opening a route becomes a barrier. The most it
/// costs is `weight x 0.5 x (2 x shift hours - 1)` (2,550 for a 9-hour shift at the
/// `balanced` weight 300), well below leaving one job out (10,000 by default), and moving
/// one job from a long day onto an idle technician lowers the cost (measured: with light
/// days at the full weight, squared up to 2 hours, `balanced` kept four jobs on one
/// technician in `tests/policies.rs::balanced_splits_the_work`).
pub struct Workload {
    weight: f64,
    /// Target span per technician (ticks).
    target: Vec<Time>,
}

impl Workload {
    /// The term for `problem` with `weight` currency per squared hour.
    pub fn new(problem: &Problem, weight: f64) -> Self {
        let shift = |t: &crate::model::Technician| (t.shift.close - t.shift.open).max(0) as f64;
        let capacity: f64 = problem.technicians.iter().map(shift).sum();
        let work: f64 = problem.jobs.iter().map(|j| j.duration.max(0) as f64).sum::<f64>()
            * (1.0 + TRAVEL_ALLOWANCE);
        let util = if capacity > 0.0 { (work / capacity).min(1.0) } else { 0.0 };
        let target =
            problem.technicians.iter().map(|t| (util * shift(t)).round() as Time).collect();
        Workload { weight, target }
    }

    /// The target span of `tech` (ticks).
    pub fn target(&self, tech: TechIdx) -> Time {
        self.target[tech]
    }
}

impl Term for Workload {
    fn name(&self) -> &'static str {
        "workload"
    }
    fn route_cost(&self, _p: &Problem, t: TechIdx, r: &RouteStats) -> i64 {
        if self.weight == 0.0 || r.jobs == 0 {
            return 0;
        }
        let over = hours((r.span - self.target[t]).max(0));
        let under = hours((self.target[t] - r.span).max(0));
        let light = if under <= UNDER_QUADRATIC_HOURS {
            under * under
        } else {
            UNDER_QUADRATIC_HOURS * (2.0 * under - UNDER_QUADRATIC_HOURS)
        };
        micro(self.weight * (over * over + UNDER_SHARE * light))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::parse_problem_str;

    const DOC: &str = r#"{"format": "fieldopt-problem/1", "date": "2026-11-24",
      "travel": {"kind": "euclidean"},
      "technicians": [
        {"id": "A", "start": {"x": 0, "y": 0}, "shift": [0, 36000]},
        {"id": "B", "start": {"x": 0, "y": 0}, "shift": [0, 18000]}],
      "jobs": [{"id": "J1", "location": {"x": 1, "y": 0}, "duration": 17280},
               {"id": "J2", "location": {"x": 1, "y": 0}, "duration": 17280}]}"#;

    #[test]
    fn squared_hours_from_the_shift_share_of_the_work() {
        let p = parse_problem_str(DOC).unwrap();
        let w = Workload::new(&p, 10.0);
        // 2 x 4.8 h x 1.25 = 12 h of work on 15 h of shifts: utilisation 0.8.
        assert_eq!((w.target(0), w.target(1)), (28_800_000, 14_400_000));
        let stats = |span_h: f64| RouteStats {
            jobs: 1,
            span: (span_h * 3_600_000.0) as Time,
            ..RouteStats::default()
        };
        // (tech, span hours, expected micro-currency)
        // Light days: 0.5 x (0.5 h)^2 x 10; 0.5 x (2 x 3 h - 1) x 10; 0.5 x (2 x 2 h - 1) x 10.
        for (t, h, want) in [
            (0, 8.0, 0),
            (0, 10.0, 40_000_000),
            (0, 7.5, 1_250_000),
            (0, 5.0, 25_000_000),
            (1, 2.0, 15_000_000),
            (1, 6.0, 40_000_000),
        ] {
            assert_eq!(w.route_cost(&p, t, &stats(h)), want, "tech {t} span {h} h");
        }
        assert_eq!(w.route_cost(&p, 0, &RouteStats::default()), 0);
        assert_eq!(Workload::new(&p, 0.0).route_cost(&p, 0, &stats(1.0)), 0);
    }
}
