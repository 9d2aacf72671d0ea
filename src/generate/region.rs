//! The map: a square region around a reference point with towns of varying size, and
//! points drawn around the towns (customers, technicians' homes) or spread over the
//! countryside. Positions are kept in local kilometres and turned into lat/lon at the end.

use rand_chacha::ChaCha8Rng;

use super::sample::{chance, normal, uniform, weighted};

/// Reference latitude of the region centre (central Netherlands).
pub(super) const CENTRE_LAT: f64 = 52.0;
/// Reference longitude of the region centre.
pub(super) const CENTRE_LON: f64 = 5.0;
/// Side of the square region in km for up to 50 technicians; larger fleets get a larger
/// region (side grows with the square root of the fleet).
pub(super) const BASE_SIDE_KM: f64 = 60.0;

/// Fictional town names, in the order towns are created.
const TOWN_NAMES: [&str; 12] = [
    "Amerstede",
    "Bosveen",
    "Dijkhaven",
    "Eikendaal",
    "Groenmeer",
    "Hoogwoud",
    "Kleiburg",
    "Lindewijk",
    "Molenrade",
    "Oosterzand",
    "Rietveld",
    "Zandhoven",
];

/// A point in local km (x east, y north) relative to the region centre.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Point {
    /// Kilometres east of the centre.
    pub x: f64,
    /// Kilometres north of the centre.
    pub y: f64,
}

impl Point {
    /// Straight-line distance in km.
    pub fn dist(&self, o: &Point) -> f64 {
        (self.x - o.x).hypot(self.y - o.y)
    }

    /// The point as a `{"lat", "lon"}` location (6 decimals, about 0.1 m).
    pub fn to_json(self) -> serde_json::Value {
        let lat = CENTRE_LAT + self.y / 111.2;
        let lon = CENTRE_LON + self.x / (111.32 * CENTRE_LAT.to_radians().cos());
        serde_json::json!({"lat": super::sample::round(lat, 6), "lon": super::sample::round(lon, 6)})
    }
}

/// A town: a cluster centre of customers and technicians' homes.
#[derive(Debug, Clone)]
pub(super) struct Town {
    /// Name, also the team name of technicians living nearest to it.
    pub name: &'static str,
    /// Centre.
    pub centre: Point,
    /// Relative size (share of customers and technicians).
    pub weight: f64,
    /// Spread of the built-up area in km (standard deviation around the centre).
    pub radius: f64,
}

/// The generated map.
#[derive(Debug, Clone)]
pub(super) struct Region {
    /// Half the side of the square, in km.
    pub half: f64,
    /// Towns, the largest first.
    pub towns: Vec<Town>,
}

impl Region {
    /// A region sized for `techs` technicians with 3 to 12 towns.
    pub fn new(rng: &mut ChaCha8Rng, techs: usize) -> Region {
        let side = BASE_SIDE_KM * (techs as f64 / 50.0).sqrt().clamp(1.0, 5.0);
        let half = side / 2.0;
        let n = (3 + techs / 8).min(TOWN_NAMES.len());
        let min_sep = side / 7.0;
        let mut towns: Vec<Town> = Vec::with_capacity(n);
        for (i, name) in TOWN_NAMES.iter().take(n).enumerate() {
            // Zipf-like sizes: one city, a few towns, several villages.
            let weight = 1.0 / (i as f64 + 1.0).powf(0.8);
            let radius = 1.0 + 3.5 * weight.sqrt();
            let mut centre = Point { x: 0.0, y: 0.0 };
            for attempt in 0..200 {
                let margin = half * 0.15;
                centre = Point {
                    x: uniform(rng, -half + margin, half - margin),
                    y: uniform(rng, -half + margin, half - margin),
                };
                let sep = if attempt < 100 { min_sep } else { min_sep / 2.0 };
                if towns.iter().all(|t| t.centre.dist(&centre) >= sep) {
                    break;
                }
            }
            towns.push(Town { name, centre, weight, radius });
        }
        Region { half, towns }
    }

    /// A point in town `t`: normally distributed around its centre.
    pub fn near_town(&self, rng: &mut ChaCha8Rng, t: usize, spread: f64) -> Point {
        let town = &self.towns[t];
        let p = Point {
            x: town.centre.x + normal(rng) * town.radius * spread,
            y: town.centre.y + normal(rng) * town.radius * spread,
        };
        self.clip(p)
    }

    /// A random town index, weighted by size.
    pub fn pick_town(&self, rng: &mut ChaCha8Rng) -> usize {
        let w: Vec<f64> = self.towns.iter().map(|t| t.weight).collect();
        weighted(rng, &w)
    }

    /// A customer site: in a town (by size) with probability `1 - rural`, else anywhere.
    pub fn site(&self, rng: &mut ChaCha8Rng, rural: f64) -> Point {
        if chance(rng, rural) {
            Point { x: uniform(rng, -self.half, self.half), y: uniform(rng, -self.half, self.half) }
        } else {
            let t = self.pick_town(rng);
            self.near_town(rng, t, 1.0)
        }
    }

    /// Index of the town nearest to `p`.
    pub fn nearest_town(&self, p: &Point) -> usize {
        let mut best = 0;
        for (i, t) in self.towns.iter().enumerate() {
            if t.centre.dist(p) < self.towns[best].centre.dist(p) {
                best = i;
            }
        }
        best
    }

    fn clip(&self, p: Point) -> Point {
        Point { x: p.x.clamp(-self.half, self.half), y: p.y.clamp(-self.half, self.half) }
    }
}
