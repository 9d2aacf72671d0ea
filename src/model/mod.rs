//! The validated, indexed problem the solver works on: dense indices, integer units,
//! immutable after construction (see `io::parse_problem`).

mod problem;
pub mod time;

pub use problem::{
    Break, Cost, Job, JobIdx, LocIdx, Problem, TechIdx, TechKind, Technician, TimeWindow,
};
pub use time::{Dist, Time};
