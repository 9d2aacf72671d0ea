//! # fieldopt
//!
//! Decides which technician does which field-service job, and in what order, for one day.
//! Hard rules (skills and levels, certifications valid on the plan date, bans, pins, time
//! windows, shifts, breaks, capacity, max jobs) are never broken; weighted terms (travel,
//! labour cost, unassigned jobs by priority, ...) make up the objective of a [`Policy`].
//!
//! ```
//! let doc = r#"{
//!   "format": "fieldopt-problem/1", "date": "2026-11-24",
//!   "travel": {"kind": "euclidean", "speed": 1.0},
//!   "technicians": [{"id": "T1", "start": {"x": 0, "y": 0}, "shift": [0, 1000]}],
//!   "jobs": [{"id": "J1", "location": {"x": 3, "y": 4}, "duration": 10}]
//! }"#;
//! let problem = fieldopt::io::parse_problem_str(doc).unwrap();
//! let plan = fieldopt::solve(&problem, &fieldopt::SolveParams::default());
//! assert_eq!(plan.routes[0].technician, "T1");
//! assert!((plan.kpis.travel_distance - 10.0).abs() < 1e-9);
//! ```
#![warn(missing_docs)]

pub mod error;
pub mod generate;
pub mod io;
pub mod lp;
pub mod matching;
pub mod model;
pub mod plan;
pub mod policy;
pub mod routing;
pub mod solver;
pub mod travel;

#[cfg(feature = "python")]
mod python;

pub use error::{Error, Result};
pub use model::Problem;
pub use plan::Plan;
pub use policy::Policy;
pub use solver::{solve, Progress, SolveParams};
