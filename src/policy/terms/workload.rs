use crate::model::{Problem, TechIdx, Time};
use crate::policy::{hours, micro, RouteStats, Term};

/// Travel added to the service hours when estimating the even share of the day (25 %).
pub const TRAVEL_ALLOWANCE: f64 = 0.25;

/// Travel added to the service hours when deciding whether the day holds more work than
/// the shifts (50 %): measured on the generated regions, travel was 46-68 % of the service
/// hours under every preset (sample day: 151 h of travel for 276 h of service under
/// `default`).
pub const TRAVEL_SHARE_FULL: f64 = 0.5;

/// Hours below the target up to which a light day costs quadratically; beyond, linearly.
pub const UNDER_QUADRATIC_HOURS: f64 = 1.0;
/// Weight of a light day relative to an overloaded one.
pub const UNDER_SHARE: f64 = 0.5;

/// Workload balance, as a separable convex proxy. A used technician's route costs, with
/// span and target in hours, `weight * (over^2 + 0.5 * huber(under))` currency, where
/// `over = max(0, span - target)`, `under = max(0, target - span)` and `huber(u)` is `u^2`
/// up to 1 hour and `2u - 1` beyond. The target is the technician's shift length times the
/// day's utilisation: 1 on a full day, when the service hours of all jobs plus 50 % travel
/// plus the break hours of all technicians reach their shift hours (every technician will
/// work the whole shift); otherwise `(1.25 x service hours + break hours) / shift hours`.
/// That is what an even split of the day's work would give them; breaks count because the
/// span includes them.
///
/// The spread of working time (max minus min span over used technicians) is not separable
/// by route; this sum is, and it is convex in every route's span, so each hour moved from
/// a day above its share to one below it lowers the cost, provided the target sits where
/// the days really are. Before, the target ignored breaks and full days (travel at 25 %: 8.2
/// h on the sample day, whose days ran 8.6-8.7 h on average and up to 10 h), so most days
/// were "over" and the sum rewarded shorter days rather than even ones: the sample day's
/// `default` plan (spread 3.8 h) scored 16,800 on it, below the 19,000 of a plan with
/// spread 1.5 h, and `balanced` was not the most even preset. With the full shift as the
/// target on a full day, light days are pulled up to it and `balanced` has the lowest
/// spread on the sample day and on the 2000 x 200 region
/// (`benches/results/policy_comparison_sample_2000it.md`,
/// `benches/results/policy_comparison_2000x200.md`).
///
/// A light day costs too (with overload alone a 6.6-hour day stayed next to 10-hour ones),
/// but half as much and only linearly far from the target, because an unused technician
/// costs nothing: a light day must not cost so much that opening a route becomes a
/// barrier. The most it costs is `weight x 0.5 x (2 x shift hours - 1)` (2,550 for a
/// 9-hour shift at the `balanced` weight 300), well below leaving one job out (10,000 by
/// default), and moving one job from a long day onto an idle technician lowers the cost
/// (`tests/policies.rs::balanced_splits_the_work`).
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
        let service: f64 = problem.jobs.iter().map(|j| j.duration.max(0) as f64).sum();
        let breaks: f64 = problem
            .technicians
            .iter()
            .filter_map(|t| t.brk.as_ref().map(|b| b.duration.max(0) as f64))
            .sum();
        let util = if capacity <= 0.0 {
            0.0
        } else if service * (1.0 + TRAVEL_SHARE_FULL) + breaks >= capacity {
            1.0 // a full day: every technician works the whole shift
        } else {
            ((service * (1.0 + TRAVEL_ALLOWANCE) + breaks) / capacity).min(1.0)
        };
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
      "jobs": [{"id": "J1", "location": {"x": 1, "y": 0}, "duration": 10800},
               {"id": "J2", "location": {"x": 1, "y": 0}, "duration": 10800}]}"#;

    #[test]
    fn squared_hours_from_the_even_share_of_the_work() {
        let p = parse_problem_str(DOC).unwrap();
        let w = Workload::new(&p, 10.0);
        // 6 h of service on 15 h of shifts, not a full day (6 x 1.5 < 15): utilisation
        // 6 h x 1.25 / 15 = 0.5.
        assert_eq!((w.target(0), w.target(1)), (18_000_000, 9_000_000));
        let stats = |span_h: f64| RouteStats {
            jobs: 1,
            span: (span_h * 3_600_000.0) as Time,
            ..RouteStats::default()
        };
        // (tech, span hours, expected micro-currency)
        // Long: (2 h)^2 x 10; (0.5 h)^2 x 10. Light: 0.5 x (0.5 h)^2 x 10;
        // 0.5 x (2 x 3 h - 1) x 10; 0.5 x (2 x 1.5 h - 1) x 10.
        for (t, h, want) in [
            (0, 5.0, 0),
            (0, 7.0, 40_000_000),
            (0, 5.5, 2_500_000),
            (0, 4.5, 1_250_000),
            (0, 2.0, 25_000_000),
            (1, 1.0, 10_000_000),
            (1, 4.5, 40_000_000),
        ] {
            assert_eq!(w.route_cost(&p, t, &stats(h)), want, "tech {t} span {h} h");
        }
        assert_eq!(w.route_cost(&p, 0, &RouteStats::default()), 0);
        assert_eq!(Workload::new(&p, 0.0).route_cost(&p, 0, &stats(1.0)), 0);
    }

    #[test]
    fn breaks_count_as_work_and_a_full_day_targets_the_shift() {
        // A 1.5 h break on A: 7.5 h + 1.5 h = 9 h on 15 h, utilisation 0.6.
        let with_break = DOC.replace(
            r#""shift": [0, 36000]}"#,
            r#""shift": [0, 36000], "break": {"window": [0, 36000], "duration": 5400}}"#,
        );
        let w = Workload::new(&parse_problem_str(&with_break).unwrap(), 1.0);
        assert_eq!((w.target(0), w.target(1)), (21_600_000, 10_800_000));
        // A 4 h break: 6 h x 1.5 + 4 h = 13 h, still below 15 h; a 6 h break fills the day
        // (6 x 1.5 + 6 = 15 h) although 6 x 1.25 + 6 = 13.5 h would give 0.9.
        let long_break = |secs: u32| {
            DOC.replace(
                r#""shift": [0, 36000]}"#,
                &format!(
                    r#""shift": [0, 36000], "break": {{"window": [0, 36000], "duration": {secs}}}}}"#
                ),
            )
        };
        let w = Workload::new(&parse_problem_str(&long_break(14_400)).unwrap(), 1.0);
        assert_eq!(w.target(0), 27_600_000); // (7.5 + 4) / 15 x 10 h = 7.667 h
        let w = Workload::new(&parse_problem_str(&long_break(21_600)).unwrap(), 1.0);
        assert_eq!((w.target(0), w.target(1)), (36_000_000, 18_000_000));
        // A third job of 10 h: more work than the shifts hold, so each target is the shift.
        let full = DOC.replace(
            r#""duration": 10800}]}"#,
            r#""duration": 10800},
               {"id": "J3", "location": {"x": 1, "y": 0}, "duration": 36000}]}"#,
        );
        let w = Workload::new(&parse_problem_str(&full).unwrap(), 1.0);
        assert_eq!((w.target(0), w.target(1)), (36_000_000, 18_000_000));
    }
}
