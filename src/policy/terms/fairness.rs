use std::collections::HashMap;

use crate::model::{JobIdx, Problem, TechIdx};
use crate::policy::{hours, micro, Term};

/// A technician with a skill at this level or above is an expert (scarce capacity).
pub const EXPERT_LEVEL: u8 = 4;
/// A job whose highest required level is at most this (or that requires no skill) is basic.
pub const BASIC_LEVEL: u8 = 2;
/// Largest customer-size factor.
pub const MAX_CUSTOMER_FACTOR: f64 = 10.0;

/// Whether `tech` holds some skill at [`EXPERT_LEVEL`] or above.
pub fn is_expert(p: &Problem, tech: TechIdx) -> bool {
    p.technicians[tech].skills.iter().any(|&l| l >= EXPERT_LEVEL)
}

/// Whether `job` needs no skill above [`BASIC_LEVEL`].
pub fn is_basic(p: &Problem, job: JobIdx) -> bool {
    p.jobs[job].skills.iter().all(|&(_, l)| l <= BASIC_LEVEL)
}

/// Customer fairness, as a separable proxy: an hour of expert time on a basic job costs
/// `weight * min(customer's jobs, 10)` currency. The share of expert hours one customer
/// absorbs is not separable by route; its marginal cost grows with the customer's expert
/// hours, which grow with its number of jobs, so the customer's job count stands in for
/// it: a key account's basic work is the first taken off the experts, and a one-job
/// customer pays the plain rate. Jobs without a customer count as one-job customers.
pub struct Fairness {
    weight: f64,
    /// Customer-size factor per job, 1..=MAX_CUSTOMER_FACTOR.
    factor: Vec<f64>,
    /// Expert flag per technician.
    expert: Vec<bool>,
}

impl Fairness {
    /// The term for `problem` with `weight` currency per expert hour on a basic job.
    pub fn new(problem: &Problem, weight: f64) -> Self {
        let mut size: HashMap<&str, usize> = HashMap::new();
        for c in problem.jobs.iter().filter_map(|j| j.customer.as_deref()) {
            *size.entry(c).or_default() += 1;
        }
        let factor = problem
            .jobs
            .iter()
            .map(|j| {
                let n = j.customer.as_deref().and_then(|c| size.get(c)).copied().unwrap_or(1);
                (n as f64).min(MAX_CUSTOMER_FACTOR)
            })
            .collect();
        let expert = (0..problem.technicians.len()).map(|t| is_expert(problem, t)).collect();
        Fairness { weight, factor, expert }
    }
}

impl Term for Fairness {
    fn name(&self) -> &'static str {
        "fairness"
    }
    fn assignment_cost(&self, p: &Problem, job: JobIdx, tech: TechIdx) -> i64 {
        if self.weight == 0.0 || !self.expert[tech] || !is_basic(p, job) {
            return 0;
        }
        micro(self.weight * hours(p.jobs[job].duration) * self.factor[job])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::parse_problem_str;

    const DOC: &str = r#"{"format": "fieldopt-problem/1", "date": "2026-11-24",
      "travel": {"kind": "euclidean"},
      "technicians": [
        {"id": "X", "start": {"x": 0, "y": 0}, "shift": [0, 90000], "skills": {"hvac": 4}},
        {"id": "Y", "start": {"x": 0, "y": 0}, "shift": [0, 90000], "skills": {"hvac": 3}}],
      "jobs": [
        {"id": "K1", "customer": "key", "location": {"x": 1, "y": 0}, "duration": 3600},
        {"id": "K2", "customer": "key", "location": {"x": 1, "y": 0}, "duration": 1800,
         "skills": {"hvac": 2}},
        {"id": "S1", "customer": "small", "location": {"x": 1, "y": 0}, "duration": 3600},
        {"id": "N1", "location": {"x": 1, "y": 0}, "duration": 7200, "skills": {"hvac": 3}}]}"#;

    #[test]
    fn expert_hours_on_basic_jobs_cost_by_customer_size() {
        let p = parse_problem_str(DOC).unwrap();
        let f = Fairness::new(&p, 10.0);
        // (job, tech, expected micro-currency)
        let cases = [
            (0, 0, 20_000_000), // 1 h x key account (2 jobs) x 10
            (1, 0, 10_000_000), // 0.5 h x 2 x 10, requirement hvac 2 is basic
            (2, 0, 10_000_000), // one-job customer
            (3, 0, 0),          // needs hvac 3: not basic
            (0, 1, 0),          // not an expert
        ];
        for (j, t, want) in cases {
            assert_eq!(f.assignment_cost(&p, j, t), want, "job {j} tech {t}");
        }
        assert!(is_expert(&p, 0) && !is_expert(&p, 1));
        assert!(is_basic(&p, 0) && is_basic(&p, 1) && !is_basic(&p, 3));
    }
}
