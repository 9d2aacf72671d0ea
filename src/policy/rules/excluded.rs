use super::Rule;
use crate::model::{JobIdx, Problem, TechIdx};

/// The customer banned this technician from the job.
pub struct Excluded;

impl Rule for Excluded {
    fn code(&self) -> &'static str {
        "excluded"
    }
    fn allows(&self, p: &Problem, job: JobIdx, tech: TechIdx) -> bool {
        !p.jobs[job].excluded.contains(&tech)
    }
    fn why_not(&self, p: &Problem, _job: JobIdx, tech: TechIdx) -> String {
        format!("{} is excluded from this job", p.technicians[tech].id)
    }
    fn why_none(&self, _p: &Problem, _job: JobIdx) -> String {
        "every technician is excluded from this job".to_string()
    }
}
