//! A synthetic road network for benchmarks and tests: a jittered street grid around
//! lat 52.0, lon 5.0 with one-way streets and arterial roads faster than residential ones.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::travel::Leg;

/// Node coordinates (lat, lon in degrees) and directed edges of a road grid.
pub type RoadGrid = (Vec<(f64, f64)>, Vec<(u32, u32, Leg)>);

/// A `rows x cols` grid of crossings about 150 m apart (jittered by up to 30 m) around
/// lat 52.0, lon 5.0. Streets join neighbouring crossings; every 8th row and column is an
/// arterial at 70 km/h, the rest residential at 30-50 km/h; about 10 % of residential
/// streets are one-way. Edge metres are the straight-line length times 1.05-1.25. The same
/// arguments always give the same graph.
pub fn road_grid(rows: usize, cols: usize, seed: u64) -> RoadGrid {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let dlat = 150.0 / 111_195.0;
    let dlon = dlat / 52.0f64.to_radians().cos();
    let coords: Vec<(f64, f64)> = (0..rows * cols)
        .map(|i| {
            let (r, c) = ((i / cols) as f64, (i % cols) as f64);
            let j = |rng: &mut ChaCha8Rng| rng.random_range(-0.2..0.2);
            (52.0 + (r + j(&mut rng)) * dlat, 5.0 + (c + j(&mut rng)) * dlon)
        })
        .collect();
    let metres = |a: usize, b: usize| {
        let (la, lo) = coords[a];
        let (lb, lob) = coords[b];
        let dy = (lb - la) * 111_195.0;
        let dx = (lob - lo) * 111_195.0 * 52.0f64.to_radians().cos();
        dx.hypot(dy)
    };
    let mut edges = Vec::with_capacity(rows * cols * 4);
    for i in 0..rows * cols {
        let (r, c) = (i / cols, i % cols);
        let mut street = |b: usize, arterial: bool, rng: &mut ChaCha8Rng| {
            let m = metres(i, b) * rng.random_range(1.05..1.25);
            let kmh = if arterial { 70.0 } else { rng.random_range(30.0..50.0) };
            let leg = Leg { secs: m / (kmh / 3.6), metres: m };
            let one_way = !arterial && rng.random_bool(0.1);
            edges.push((i as u32, b as u32, leg));
            if !one_way {
                edges.push((b as u32, i as u32, leg));
            }
        };
        if c + 1 < cols {
            street(i + 1, r % 8 == 0, &mut rng);
        }
        if r + 1 < rows {
            street(i + cols, c % 8 == 0, &mut rng);
        }
    }
    (coords, edges)
}
