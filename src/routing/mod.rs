//! Routes and their schedules: exact evaluation with the break at its best place, and
//! constant-time relaxed insertion checks (forward departures, backward latest arrivals).

mod route;
pub mod schedule;

pub use route::Route;
pub use schedule::{alone_possible, check, evaluate, Infeasible, RouteEval};
