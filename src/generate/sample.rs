//! Small random helpers on top of `rand` (which is built without its distributions).

use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// Index drawn with probability proportional to `weights` (all zero: index 0).
pub(super) fn weighted(rng: &mut ChaCha8Rng, weights: &[f64]) -> usize {
    let total: f64 = weights.iter().sum();
    if total <= 0.0 || weights.len() <= 1 {
        return 0;
    }
    let mut r = rng.random::<f64>() * total;
    for (i, w) in weights.iter().enumerate() {
        if r < *w {
            return i;
        }
        r -= w;
    }
    weights.len() - 1
}

/// Standard normal variate (Box-Muller).
pub(super) fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let u1 = 1.0 - rng.random::<f64>(); // (0, 1]
    let u2 = rng.random::<f64>();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// Integer uniformly in `lo..=hi`.
pub(super) fn int(rng: &mut ChaCha8Rng, lo: i64, hi: i64) -> i64 {
    if hi <= lo {
        lo
    } else {
        rng.random_range(lo..=hi)
    }
}

/// Uniform float in `[lo, hi)`.
pub(super) fn uniform(rng: &mut ChaCha8Rng, lo: f64, hi: f64) -> f64 {
    lo + (hi - lo) * rng.random::<f64>()
}

/// True with probability `p` (clamped to 0..=1).
pub(super) fn chance(rng: &mut ChaCha8Rng, p: f64) -> bool {
    rng.random::<f64>() < p.clamp(0.0, 1.0)
}

/// Rounds to `digits` decimals.
pub(super) fn round(x: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    (x * f).round() / f
}

/// A minute count rounded to a multiple of 5, as seconds.
pub(super) fn minutes5(min: f64) -> i64 {
    ((min / 5.0).round() as i64) * 5 * 60
}
