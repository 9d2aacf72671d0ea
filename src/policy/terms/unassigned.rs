use crate::model::{JobIdx, Problem};
use crate::policy::{micro, Term};

/// Highest priority that still raises the penalty; above it priorities rank equal, which
/// keeps sums of penalties far from integer overflow.
pub const PRIORITY_CAP: u32 = 1_000;

/// Leaving a job out costs `weight * (1 + priority)`: assigning jobs comes first, by
/// priority, so a higher-priority job never gives way to a lower-priority one.
pub struct Unassigned {
    /// Currency per job of priority 0.
    pub weight: f64,
}

impl Term for Unassigned {
    fn name(&self) -> &'static str {
        "unassigned"
    }
    fn unassigned_cost(&self, p: &Problem, j: JobIdx) -> i64 {
        let prio = p.jobs[j].priority.min(PRIORITY_CAP) as f64;
        micro(self.weight * (1.0 + prio))
    }
}
