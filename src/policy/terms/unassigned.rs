use crate::model::{JobIdx, Problem};
use crate::policy::{micro, Term};

/// Highest priority that still raises the penalty; above it priorities rank equal, which
/// keeps sums of penalties far from integer overflow.
pub const PRIORITY_CAP: u32 = 1_000;

/// Leaving a job out costs `weight * (1 + priority)`: assigning jobs comes first, by
/// priority, so a higher-priority job never gives way to a lower-priority one.
///
/// With `outsourcing > 0` a job that gives its own `unassigned_cost` (an outsourcing price
/// or SLA penalty, in currency) costs `outsourcing * unassigned_cost` instead. The
/// trade-off: such a job is left out (outsourced) whenever serving it costs more, and when
/// the day is too short it gives way before any priority-penalised job, whatever its
/// priority, because its penalty is real money rather than a priority rank.
pub struct Unassigned {
    /// Currency per job of priority 0.
    pub weight: f64,
    /// Multiplier on the job's own `unassigned_cost`; 0 ignores it.
    pub outsourcing: f64,
}

impl Term for Unassigned {
    fn name(&self) -> &'static str {
        "unassigned"
    }
    fn unassigned_cost(&self, p: &Problem, j: JobIdx) -> i64 {
        let job = &p.jobs[j];
        match job.unassigned_cost {
            Some(c) if self.outsourcing > 0.0 => micro(self.outsourcing * c),
            _ => {
                let prio = job.priority.min(PRIORITY_CAP) as f64;
                micro(self.weight * (1.0 + prio))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::parse_problem_str;

    #[test]
    fn priority_penalty_unless_outsourcing_is_on() {
        let mut p = parse_problem_str(crate::io::tests_support::TINY).unwrap();
        p.jobs[0].unassigned_cost = Some(250.0);
        p.jobs[2].priority = u32::MAX;
        let cases = [
            // (weight, outsourcing, job, expected micro-currency)
            (10_000.0, 0.0, 0, 20_000_000_000), // priority 1, own cost ignored
            (10_000.0, 1.0, 0, 250_000_000),    // own cost used
            (10_000.0, 2.0, 0, 500_000_000),
            (10_000.0, 1.0, 1, 20_000_000_000), // no own cost: priority-based
            (10_000.0, 0.0, 2, 10_010_000_000_000), // priority capped at 1000
            (0.0, 0.0, 1, 0),
        ];
        for (weight, outsourcing, j, want) in cases {
            let t = Unassigned { weight, outsourcing };
            assert_eq!(t.unassigned_cost(&p, j), want, "{weight} {outsourcing} job {j}");
        }
    }
}
