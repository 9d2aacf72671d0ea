use crate::model::{JobIdx, Problem, TechIdx};
use crate::policy::{micro, Term};

/// The customer's favourite: serving a job that names `preferred_technicians` with anyone
/// else costs a fixed amount per job (currency). Jobs without preferences cost nothing.
///
/// The amount is `min(weight, unassigned / (jobs with preferences + 1))`, where
/// `unassigned` is the priority-0 penalty: even honouring every favourite at once is worth
/// less than one job, so a preference never makes the engine leave out a job with a
/// priority-based penalty, and a huge `weight` means "the favourite whenever that costs no
/// job" (lexicographic after priority). A penalty on the others rather than a bonus for the
/// favourite keeps every cost non-negative and never makes leaving the job out cheaper.
pub struct Preferred {
    /// Currency per job not served by one of its favourites, after the cap.
    per_job: f64,
}

impl Preferred {
    /// The term for `problem` with `weight` per job and `unassigned` the priority-0 penalty.
    pub fn new(problem: &Problem, weight: f64, unassigned: f64) -> Self {
        let with_prefs = problem.jobs.iter().filter(|j| !j.preferred.is_empty()).count();
        let cap = unassigned.max(0.0) / (with_prefs as f64 + 1.0);
        Preferred { per_job: weight.max(0.0).min(cap) }
    }

    /// Currency per job not served by a favourite (the weight after the cap).
    pub fn per_job(&self) -> f64 {
        self.per_job
    }
}

impl Term for Preferred {
    fn name(&self) -> &'static str {
        "preferred"
    }
    fn assignment_cost(&self, p: &Problem, job: JobIdx, tech: TechIdx) -> i64 {
        let prefs = &p.jobs[job].preferred;
        if prefs.is_empty() || prefs.contains(&tech) {
            0
        } else {
            micro(self.per_job)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::parse_problem_str;

    #[test]
    fn others_pay_the_capped_weight() {
        let mut p = parse_problem_str(crate::io::tests_support::TINY).unwrap();
        p.jobs[0].preferred = vec![1];
        p.jobs[1].preferred = vec![0, 1];
        // (weight, unassigned, job, tech, expected micro-currency); 2 jobs have favourites.
        let cases = [
            (30.0, 10_000.0, 0, 0, 30_000_000),
            (30.0, 10_000.0, 0, 1, 0),
            (30.0, 10_000.0, 1, 0, 0),
            (30.0, 10_000.0, 2, 0, 0),             // no favourite
            (1e12, 10_000.0, 0, 0, 3_333_333_333), // capped at 10000 / 3
            (1e12, 0.0, 0, 0, 0),
            (0.0, 10_000.0, 0, 0, 0),
        ];
        for (w, u, j, t, want) in cases {
            let term = Preferred::new(&p, w, u);
            assert_eq!(term.assignment_cost(&p, j, t), want, "w {w} u {u} job {j} tech {t}");
        }
    }
}
