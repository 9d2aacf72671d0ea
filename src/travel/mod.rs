//! Travel between locations: the exact model of the spec (haversine via `geo`, euclidean,
//! user matrix) and the integer matrices the solver reads in its hot loops.

use geo::{Distance, Haversine, Point};
use rayon::prelude::*;

use crate::model::time::{ticks_round, ticks_up};
use crate::model::{Dist, LocIdx, Time};

/// The exact travel model of the document; answers in seconds (or instance units) and metres.
#[derive(Debug, Clone)]
pub enum ExactTravel {
    /// Great-circle distance times `detour`, driven at `speed_ms` metres per second.
    Haversine {
        /// (lat, lon) in degrees per location.
        points: Vec<(f64, f64)>,
        /// Metres per second.
        speed_ms: f64,
        /// Multiplier on the great-circle distance.
        detour: f64,
    },
    /// Straight-line distance, time = distance / speed (Solomon convention, unrounded).
    Euclidean {
        /// (x, y) per location.
        points: Vec<(f64, f64)>,
        /// Distance units per time unit.
        speed: f64,
    },
    /// User matrices, row-major `n x n`.
    Matrix {
        /// Side of the matrices.
        n: usize,
        /// Durations (time units).
        durations: Vec<f64>,
        /// Distances (distance units); equal to durations when not given.
        distances: Vec<f64>,
    },
}

impl ExactTravel {
    /// Number of locations.
    pub fn len(&self) -> usize {
        match self {
            ExactTravel::Haversine { points, .. } | ExactTravel::Euclidean { points, .. } => {
                points.len()
            }
            ExactTravel::Matrix { n, .. } => *n,
        }
    }

    /// True when there are no locations.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Exact (duration, distance) from `a` to `b`.
    pub fn between(&self, a: LocIdx, b: LocIdx) -> (f64, f64) {
        match self {
            ExactTravel::Haversine { points, speed_ms, detour } => {
                let (la, lo) = points[a];
                let (lb, lob) = points[b];
                let d = Haversine.distance(Point::new(lo, la), Point::new(lob, lb)) * detour;
                (d / speed_ms, d)
            }
            ExactTravel::Euclidean { points, speed } => {
                let (xa, ya) = points[a];
                let (xb, yb) = points[b];
                let d = (xb - xa).hypot(yb - ya);
                (d / speed, d)
            }
            ExactTravel::Matrix { n, durations, distances } => {
                (durations[a * n + b], distances[a * n + b])
            }
        }
    }
}

/// Travel model plus dense integer matrices (ticks, rounded up; distance x1000, rounded).
#[derive(Debug, Clone)]
pub struct Travel {
    n: usize,
    dur: Vec<Time>,
    dist: Vec<Dist>,
    /// The exact model, for output schedules and KPIs.
    pub exact: ExactTravel,
}

impl Travel {
    /// Builds the dense integer matrices from the exact model (rows in parallel).
    pub fn new(exact: ExactTravel) -> Self {
        let n = exact.len();
        let rows: Vec<(Vec<Time>, Vec<Dist>)> = (0..n)
            .into_par_iter()
            .map(|a| {
                let mut dr = Vec::with_capacity(n);
                let mut sr = Vec::with_capacity(n);
                for b in 0..n {
                    let (t, d) = exact.between(a, b);
                    dr.push(ticks_up(t));
                    sr.push(ticks_round(d));
                }
                (dr, sr)
            })
            .collect();
        let mut dur = Vec::with_capacity(n * n);
        let mut dist = Vec::with_capacity(n * n);
        for (dr, sr) in rows {
            dur.extend(dr);
            dist.extend(sr);
        }
        Travel { n, dur, dist, exact }
    }

    /// Number of locations.
    pub fn len(&self) -> usize {
        self.n
    }

    /// True when there are no locations.
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// True when the integer travel times obey the triangle inequality, so a detour through
    /// another job never arrives earlier. Always true for haversine and euclidean (rounding
    /// up keeps it); checked for user matrices of up to 400 locations, assumed false above.
    pub fn is_metric(&self) -> bool {
        match self.exact {
            ExactTravel::Matrix { .. } if self.n > 400 => false,
            ExactTravel::Matrix { .. } => (0..self.n).all(|a| {
                (0..self.n).all(|b| {
                    let ab = self.time(a, b);
                    (0..self.n).all(|c| ab <= self.time(a, c) + self.time(c, b))
                })
            }),
            _ => true,
        }
    }

    /// Travel time from `a` to `b` in ticks (rounded up).
    #[inline]
    pub fn time(&self, a: LocIdx, b: LocIdx) -> Time {
        self.dur[a * self.n + b]
    }

    /// Travel distance from `a` to `b` in 1/1000 distance units.
    #[inline]
    pub fn dist(&self, a: LocIdx, b: LocIdx) -> Dist {
        self.dist[a * self.n + b]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn haversine_matches_spec_radius() {
        // One degree of latitude on a sphere of radius 6 371 008.8 m.
        let t = ExactTravel::Haversine {
            points: vec![(0.0, 0.0), (1.0, 0.0)],
            speed_ms: 10.0,
            detour: 1.0,
        };
        let (s, d) = t.between(0, 1);
        let expect = 6_371_008.8 * std::f64::consts::PI / 180.0;
        assert!((d - expect).abs() < 1e-6, "{d} vs {expect}");
        assert!((s - expect / 10.0).abs() < 1e-6);
    }

    #[test]
    fn integer_matrix_rounds_time_up() {
        let t = Travel::new(ExactTravel::Euclidean {
            points: vec![(0.0, 0.0), (1.0, 1.0)],
            speed: 1.0,
        });
        assert_eq!(t.time(0, 1), 1415); // sqrt(2) = 1.41421.. -> 1414.2 ticks, up
        assert_eq!(t.dist(0, 1), 1414);
        assert_eq!(t.time(1, 1), 0);
    }
}
