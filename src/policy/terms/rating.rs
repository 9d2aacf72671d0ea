use crate::model::{JobIdx, Problem, TechIdx};
use crate::policy::{micro, Term};

use super::unassigned::PRIORITY_CAP;

/// Customers' rating of the technician: `weight * (5 - rating) * (1 + priority)` currency per
/// job, so a better-rated technician is preferred, more strongly for important jobs. A
/// technician without a rating counts as the mean of the rated ones (no rating at all: no
/// cost), so leaving the rating out is neither a bonus nor a penalty.
pub struct Rating {
    weight: f64,
    /// Rating points below 5 per technician.
    gap: Vec<f64>,
}

impl Rating {
    /// The term for `problem` with `weight` currency per rating point per priority step.
    pub fn new(problem: &Problem, weight: f64) -> Self {
        let rated: Vec<f64> = problem.technicians.iter().filter_map(|t| t.rating).collect();
        let mean =
            if rated.is_empty() { 5.0 } else { rated.iter().sum::<f64>() / rated.len() as f64 };
        let gap = problem
            .technicians
            .iter()
            .map(|t| (5.0 - t.rating.unwrap_or(mean)).clamp(0.0, 5.0))
            .collect();
        Rating { weight, gap }
    }
}

impl Term for Rating {
    fn name(&self) -> &'static str {
        "rating"
    }
    fn assignment_cost(&self, p: &Problem, job: JobIdx, tech: TechIdx) -> i64 {
        if self.weight == 0.0 {
            return 0;
        }
        let prio = p.jobs[job].priority.min(PRIORITY_CAP) as f64;
        micro(self.weight * self.gap[tech] * (1.0 + prio))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::parse_problem_str;

    #[test]
    fn lower_rating_and_higher_priority_cost_more() {
        let mut p = parse_problem_str(crate::io::tests_support::TINY).unwrap();
        // Nobody rated: no cost.
        assert_eq!(Rating::new(&p, 1.0).assignment_cost(&p, 0, 0), 0);
        p.technicians[0].rating = Some(4.5);
        p.technicians[1].rating = None; // counts as the mean, 4.5
        let r = Rating::new(&p, 2.0);
        // (job, tech, expected): job 0 priority 1, job 2 priority 3.
        for (j, t, want) in [(0, 0, 2_000_000), (0, 1, 2_000_000), (2, 0, 4_000_000)] {
            assert_eq!(r.assignment_cost(&p, j, t), want, "job {j} tech {t}");
        }
        p.technicians[1].rating = Some(3.0);
        let r = Rating::new(&p, 2.0);
        assert_eq!(r.assignment_cost(&p, 0, 1), 8_000_000);
        assert_eq!(Rating::new(&p, 0.0).assignment_cost(&p, 0, 1), 0);
    }
}
