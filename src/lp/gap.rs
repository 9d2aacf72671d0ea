//! The optimality gap reported next to a lower bound.

/// `(objective - bound) / |objective|`, a fraction (0.05 = the plan is at most 5 % above
/// the optimum). Clamped at 0 below (a bound can exceed the plan only by the LP
/// tolerance); the denominator is at least 1e-9 so the value stays finite.
///
/// ```
/// assert_eq!(fieldopt::lp::relative_gap(100.0, 90.0), 0.1);
/// assert_eq!(fieldopt::lp::relative_gap(0.0, 0.0), 0.0);
/// ```
pub fn relative_gap(objective: f64, bound: f64) -> f64 {
    let diff = objective - bound;
    if diff <= 0.0 {
        return 0.0;
    }
    diff / objective.abs().max(1e-9)
}
