//! Nearest locations by an R*-tree (`rstar`), for candidate lists that must not scan all
//! pairs. Only for travel models whose time grows with a geometric distance: euclidean
//! (plane distance) and haversine (chord on the unit sphere, which orders pairs as the
//! great-circle distance does).

use rstar::primitives::GeomWithData;
use rstar::RTree;

use super::ExactTravel;
use crate::model::LocIdx;

/// A point tagged with the caller's item (e.g. a job index).
type Tagged<const D: usize> = GeomWithData<[f64; D], usize>;

/// Items placed at locations, queried in order of increasing geometric distance.
pub enum NearIndex {
    /// Euclidean travel: plane coordinates.
    Plane(RTree<Tagged<2>>),
    /// Haversine travel: unit-sphere coordinates (x, y, z).
    Sphere(RTree<Tagged<3>>),
}

impl NearIndex {
    /// Indexes `items` (location, item) under `exact`; `None` for matrix-like models, where
    /// no geometry orders travel times (callers fall back to scanning).
    pub fn new(exact: &ExactTravel, items: impl Iterator<Item = (LocIdx, usize)>) -> Option<Self> {
        match exact {
            ExactTravel::Euclidean { points, .. } => {
                let v = items.map(|(l, i)| Tagged::new([points[l].0, points[l].1], i)).collect();
                Some(NearIndex::Plane(RTree::bulk_load(v)))
            }
            ExactTravel::Haversine { points, .. } => {
                let v = items.map(|(l, i)| Tagged::new(unit_sphere(points[l]), i)).collect();
                Some(NearIndex::Sphere(RTree::bulk_load(v)))
            }
            _ => None,
        }
    }

    /// Items by increasing distance from location `from` (ties in any fixed order): travel
    /// time from `from` is non-decreasing along the sequence.
    pub fn nearest<'a>(
        &'a self,
        exact: &ExactTravel,
        from: LocIdx,
    ) -> Box<dyn Iterator<Item = usize> + 'a> {
        match (self, exact) {
            (NearIndex::Plane(t), ExactTravel::Euclidean { points, .. }) => {
                let q = [points[from].0, points[from].1];
                Box::new(t.nearest_neighbor_iter(&q).map(|g| g.data))
            }
            (NearIndex::Sphere(t), ExactTravel::Haversine { points, .. }) => {
                let q = unit_sphere(points[from]);
                Box::new(t.nearest_neighbor_iter(&q).map(|g| g.data))
            }
            _ => Box::new(std::iter::empty()),
        }
    }
}

/// (lat, lon) in degrees to a point on the unit sphere; the chord between two such points
/// is `2 sin(central angle / 2)`, increasing with the great-circle distance.
pub fn unit_sphere((lat, lon): (f64, f64)) -> [f64; 3] {
    let (la, lo) = (lat.to_radians(), lon.to_radians());
    [la.cos() * lo.cos(), la.cos() * lo.sin(), la.sin()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sphere_order_follows_haversine_time() {
        let points: Vec<(f64, f64)> = (0..200)
            .map(|i| (50.0 + (i * 37 % 97) as f64 * 0.01, 4.0 + (i * 53 % 89) as f64 * 0.013))
            .collect();
        let exact = ExactTravel::Haversine { points: points.clone(), speed_ms: 10.0, detour: 1.2 };
        let idx = NearIndex::new(&exact, (1..points.len()).map(|l| (l, l))).expect("geometric");
        let order: Vec<usize> = idx.nearest(&exact, 0).collect();
        assert_eq!(order.len(), points.len() - 1);
        let times: Vec<f64> = order.iter().map(|&l| exact.between(0, l).0).collect();
        assert!(times.windows(2).all(|w| w[0] <= w[1] + 1e-9), "not sorted by time: {times:?}");
    }

    #[test]
    fn matrix_travel_has_no_index() {
        let exact = ExactTravel::Matrix { n: 1, durations: vec![0.0], distances: vec![0.0] };
        assert!(NearIndex::new(&exact, std::iter::once((0, 0))).is_none());
    }
}
