//! Integer time and distance units used inside the engine.
//!
//! Times are `i64` ticks of 1/1000 of the problem's time unit (milliseconds for real days,
//! thousandths of a unit for Solomon-style instances). Rounding is conservative: travel and
//! service durations round up, window opens round up, window closes round down, so a
//! schedule that is feasible in ticks is feasible in exact arithmetic.

/// Ticks per time unit of the problem (seconds for real days).
pub const TICKS: f64 = 1000.0;

/// Integer time in ticks (1 tick = 1/1000 s for real days).
pub type Time = i64;

/// Integer distance in 1/1000 of the problem's distance unit (millimetres for haversine).
pub type Dist = i64;

/// A time far beyond any real horizon, used for "no window" (about 292 years in ms / 4).
pub const FAR: Time = i64::MAX / 8;

const EPS: f64 = 1e-7;

/// Converts seconds (or instance units) to ticks, rounding up (for durations, opens).
pub fn ticks_up(x: f64) -> Time {
    clamp((x * TICKS - EPS).ceil())
}

/// Converts seconds (or instance units) to ticks, rounding down (for window closes).
pub fn ticks_down(x: f64) -> Time {
    clamp((x * TICKS + EPS).floor())
}

/// Converts to the nearest tick (for distances, which never decide feasibility).
pub fn ticks_round(x: f64) -> Time {
    clamp((x * TICKS).round())
}

/// Converts ticks back to seconds (or instance units).
pub fn secs(t: Time) -> f64 {
    t as f64 / TICKS
}

fn clamp(v: f64) -> i64 {
    if v.is_nan() {
        0
    } else if v >= FAR as f64 {
        FAR
    } else if v <= -(FAR as f64) {
        -FAR
    } else {
        v as i64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_is_conservative() {
        assert_eq!(ticks_up(1.0), 1000);
        assert_eq!(ticks_up(1.0001), 1001);
        assert_eq!(ticks_down(1.0009), 1000);
        assert_eq!(ticks_up(0.1), 100);
        assert_eq!(ticks_down(2.5), 2500);
        assert_eq!(ticks_up(1e300), FAR);
        assert!((secs(2500) - 2.5).abs() < 1e-12);
    }
}
