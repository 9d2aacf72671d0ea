//! Travel between locations: the exact model of the spec (haversine via `geo`, euclidean,
//! user matrix) and the integer matrices the solver reads in its hot loops.

mod near;
mod road;

pub use near::{unit_sphere, NearIndex};
pub use road::{Leg, RoadGraph};

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

/// Largest number of locations for which [`Travel::new`] precomputes dense integer
/// matrices (16 bytes x locations^2: 400 MB at 5,000). Above it, haversine, euclidean and
/// matrix travel are computed on demand from the exact model, with the same values.
pub const DENSE_MAX_LOCATIONS: usize = 5_000;

/// Largest user travel matrix accepted (locations per side): the exact durations and
/// distances take 16 bytes x locations^2 (1.6 GB at 10,000), and reading the JSON document
/// needs several times that while it is parsed.
pub const MAX_MATRIX_LOCATIONS: usize = 10_000;

/// How integer travel is looked up: precomputed rows, or computed per call.
#[derive(Debug, Clone)]
enum Lookup {
    /// Row-major `n x n` ticks (rounded up) and 1/1000 distance units (rounded).
    Dense { dur: Vec<Time>, dist: Vec<Dist> },
    /// `ticks_up` / `ticks_round` of [`ExactTravel::between`] at every call (through
    /// [`Haversine`] when the model is haversine).
    OnDemand(Haversine),
}

/// [`ExactTravel::between`] with the cosine of every latitude computed once: the same
/// floating-point operations in the same order as `geo`'s haversine, so bit-for-bit the
/// same values, with two of the five transcendental calls per pair saved.
#[derive(Debug, Clone, Default)]
struct Haversine {
    /// `cos(lat in radians)` per location; empty for other models.
    cos_lat: Vec<f64>,
}

impl Haversine {
    fn new(exact: &ExactTravel) -> Self {
        match exact {
            ExactTravel::Haversine { points, .. } => {
                Haversine { cos_lat: points.iter().map(|p| p.0.to_radians().cos()).collect() }
            }
            _ => Haversine::default(),
        }
    }

    /// Exact (duration, distance) from `a` to `b`.
    #[inline]
    fn between(&self, exact: &ExactTravel, a: LocIdx, b: LocIdx) -> (f64, f64) {
        match exact {
            ExactTravel::Haversine { points, speed_ms, detour } if !self.cos_lat.is_empty() => {
                let ((la, lo), (lb, lob)) = (points[a], points[b]);
                let h = ((lb - la).to_radians() / 2.0).sin().powi(2)
                    + self.cos_lat[a]
                        * self.cos_lat[b]
                        * ((lob - lo).to_radians() / 2.0).sin().powi(2);
                let d = EARTH_RADIUS_M * (2.0 * h.sqrt().asin()) * detour;
                (d / speed_ms, d)
            }
            _ => exact.between(a, b),
        }
    }
}

/// Sphere radius of the spec's haversine (and of `geo::Haversine`), metres.
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// Travel model plus the integer lookup the solver reads in its hot loops (ticks, rounded
/// up; distance x1000, rounded): dense matrices up to [`DENSE_MAX_LOCATIONS`], computed on
/// demand above (no `n x n` memory).
#[derive(Debug, Clone)]
pub struct Travel {
    n: usize,
    lookup: Lookup,
    /// The exact model, for output schedules and KPIs.
    pub exact: ExactTravel,
}

impl Travel {
    /// Dense matrices when there are at most [`DENSE_MAX_LOCATIONS`] locations, on-demand
    /// lookups above. Both give identical values.
    pub fn new(exact: ExactTravel) -> Self {
        if exact.len() <= DENSE_MAX_LOCATIONS {
            Self::dense(exact)
        } else {
            Self::on_demand(exact)
        }
    }

    /// Computes every pair once at each call of [`Travel::time`] / [`Travel::dist`]: no
    /// `n x n` memory, one exact evaluation (tens of ns for haversine) per lookup.
    pub fn on_demand(exact: ExactTravel) -> Self {
        Travel { n: exact.len(), lookup: Lookup::OnDemand(Haversine::new(&exact)), exact }
    }

    /// Builds the dense integer matrices from the exact model (rows in parallel; 16 bytes x
    /// locations^2).
    pub fn dense(exact: ExactTravel) -> Self {
        let n = exact.len();
        let hav = Haversine::new(&exact);
        let rows: Vec<(Vec<Time>, Vec<Dist>)> = (0..n)
            .into_par_iter()
            .map(|a| {
                let mut dr = Vec::with_capacity(n);
                let mut sr = Vec::with_capacity(n);
                for b in 0..n {
                    let (t, d) = hav.between(&exact, a, b);
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
        Travel { n, lookup: Lookup::Dense { dur, dist }, exact }
    }

    /// True when lookups read precomputed matrices (false: computed per call).
    pub fn is_dense(&self) -> bool {
        matches!(self.lookup, Lookup::Dense { .. })
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
        match &self.lookup {
            Lookup::Dense { dur, .. } => dur[a * self.n + b],
            Lookup::OnDemand(h) => ticks_up(h.between(&self.exact, a, b).0),
        }
    }

    /// Travel distance from `a` to `b` in 1/1000 distance units.
    #[inline]
    pub fn dist(&self, a: LocIdx, b: LocIdx) -> Dist {
        match &self.lookup {
            Lookup::Dense { dist, .. } => dist[a * self.n + b],
            Lookup::OnDemand(h) => ticks_round(h.between(&self.exact, a, b).1),
        }
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
    fn cached_cosine_haversine_is_bit_identical_to_geo() {
        let points: Vec<(f64, f64)> = (0..300)
            .map(|i| {
                let f = i as f64;
                ((f * 0.618_034).fract() * 170.0 - 85.0, (f * 0.414_214).fract() * 358.0 - 179.0)
            })
            .chain([(52.0, 5.0), (52.0, 5.0), (-90.0, 0.0), (90.0, 180.0), (0.0, -180.0)])
            .collect();
        let exact = ExactTravel::Haversine { points, speed_ms: 11.1, detour: 1.3 };
        let h = Haversine::new(&exact);
        for a in 0..exact.len() {
            for b in 0..exact.len() {
                let (x, y) = (exact.between(a, b), h.between(&exact, a, b));
                assert_eq!(x.0.to_bits(), y.0.to_bits(), "{a} -> {b}");
                assert_eq!(x.1.to_bits(), y.1.to_bits(), "{a} -> {b}");
            }
        }
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
