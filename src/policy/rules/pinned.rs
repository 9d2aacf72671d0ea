use super::Rule;
use crate::model::{JobIdx, Problem, TechIdx};

/// A pinned job may only go to its pinned technician.
pub struct Pinned;

impl Rule for Pinned {
    fn code(&self) -> &'static str {
        "pinned"
    }
    fn allows(&self, p: &Problem, job: JobIdx, tech: TechIdx) -> bool {
        p.jobs[job].pinned.is_none_or(|t| t == tech)
    }
    fn why_not(&self, p: &Problem, job: JobIdx, _tech: TechIdx) -> String {
        let pin = p.jobs[job].pinned.map_or("?", |t| p.technicians[t].id.as_str());
        format!("the job is pinned to {pin}")
    }
    fn why_none(&self, p: &Problem, job: JobIdx) -> String {
        self.why_not(p, job, 0)
    }
}
