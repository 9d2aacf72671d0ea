//! Hard rules on who may do a job. Each rule is one file implementing [`Rule`]; matching,
//! unassigned reasons and (later) the LP reuse the same `allows`.

mod certifications;
mod excluded;
mod pinned;
mod skills;

use crate::model::{JobIdx, Problem, TechIdx};

pub use certifications::Certifications;
pub use excluded::Excluded;
pub use pinned::Pinned;
pub use skills::Skills;

/// A sequence-independent hard rule between a job and a technician.
pub trait Rule: Send + Sync {
    /// Stable code used in unassigned reasons (`skill`, `certification`, ...).
    fn code(&self) -> &'static str;
    /// True when `tech` may do `job` as far as this rule is concerned.
    fn allows(&self, p: &Problem, job: JobIdx, tech: TechIdx) -> bool;
    /// Why `tech` may not do `job` (only called when `allows` is false).
    fn why_not(&self, p: &Problem, job: JobIdx, tech: TechIdx) -> String;
    /// Why no technician at all passes this rule for `job` (only called when none does).
    fn why_none(&self, p: &Problem, job: JobIdx) -> String;
}

/// All hard rules, in the order reasons report them.
pub fn all() -> Vec<Box<dyn Rule>> {
    vec![Box::new(Pinned), Box::new(Excluded), Box::new(Skills), Box::new(Certifications)]
}
