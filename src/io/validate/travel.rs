//! The travel model (`travel`) and the locations it implies (lat/lon, x/y or matrix index).

use super::fields::{cut, dumps, invalid, optional_positive, required_positive};
use crate::error::Result;
use crate::io::schema::{Doc, Loc, RawTravel};
use crate::travel::MAX_MATRIX_LOCATIONS;

/// Checks `travel` and returns the model in document units; `base` is the folder that
/// relative file paths (road-graph CSV files) are read from.
pub(super) fn model(t: Option<&Doc>, base: Option<&std::path::Path>) -> Result<RawTravel> {
    let t = t
        .filter(|d| d.as_object().is_some())
        .ok_or_else(|| invalid("travel", "missing or not an object"))?;
    match t.get("kind").and_then(Doc::as_str) {
        Some("haversine") => {
            let speed_kmh = required_positive("travel.speed_kmh", t.get("speed_kmh"))?;
            let detour = optional_positive("travel.detour_factor", t.get("detour_factor"))?;
            Ok(RawTravel::Haversine { speed_kmh, detour: detour.unwrap_or(1.0) })
        }
        Some("euclidean") => {
            let speed = optional_positive("travel.speed", t.get("speed"))?;
            Ok(RawTravel::Euclidean { speed: speed.unwrap_or(1.0) })
        }
        Some("matrix") => matrix_model(t),
        // An engine extension: the unknown-kind message below names it (check_plan.py's
        // does not; tests/validation.rs normalises the difference).
        Some("road_graph") => super::road::model(t, base),
        _ => Err(invalid(
            "travel.kind",
            format!(
                "expected \"haversine\", \"euclidean\", \"matrix\" or \"road_graph\", got {}",
                dumps(t.get("kind"))
            ),
        )),
    }
}

/// `durations` (required) and `distances` (optional, same size).
fn matrix_model(t: &Doc) -> Result<RawTravel> {
    let (n, durations) = matrix("travel.durations", t.get("durations"), None)?;
    let distances = match t.opt("distances") {
        None => None,
        Some(d) => Some(matrix("travel.distances", Some(d), Some(n))?.1),
    };
    Ok(RawTravel::Matrix { n, durations, distances })
}

/// A non-empty square matrix of finite numbers `>= 0`, flattened row-major.
fn matrix(path: &str, m: Option<&Doc>, n_expected: Option<usize>) -> Result<(usize, Vec<f64>)> {
    let rows = m
        .and_then(Doc::as_array)
        .filter(|r| !r.is_empty())
        .ok_or_else(|| invalid(path, "expected a non-empty square list of lists"))?;
    let n = rows.len();
    if n > MAX_MATRIX_LOCATIONS {
        return Err(invalid(
            path,
            format!(
                "{n} x {n} matrix is over the limit of {MAX_MATRIX_LOCATIONS} locations ({:.1} GB \
                 of durations and distances in memory); use haversine or euclidean travel, \
                 which need no matrix, or split the problem",
                16.0 * (n as f64).powi(2) / 1e9
            ),
        ));
    }
    if let Some(e) = n_expected.filter(|&e| e != n) {
        return Err(invalid(path, format!("has {n} rows but travel.durations has {e}")));
    }
    let mut flat = Vec::with_capacity(n.saturating_mul(n));
    for (i, row) in rows.iter().enumerate() {
        let cells = row.as_array().filter(|r| r.len() == n).ok_or_else(|| {
            let got =
                row.as_array().map_or_else(|| row.type_name().to_owned(), |r| r.len().to_string());
            invalid(
                format!("{path}[{i}]"),
                format!("row must have {n} entries (square matrix), got {got}"),
            )
        })?;
        for (j, v) in cells.iter().enumerate() {
            match v.as_f64().filter(|x| *x >= 0.0) {
                Some(x) => flat.push(x),
                None => {
                    return Err(invalid(
                        format!("{path}[{i}][{j}]"),
                        format!("expected a finite number >= 0, got {}", v.dumps()),
                    ))
                }
            }
        }
    }
    Ok((n, flat))
}

/// How locations are written under the chosen travel model.
#[derive(Debug, Clone, Copy)]
pub(super) enum Space {
    /// `{"lat": .., "lon": ..}`.
    LatLon,
    /// `{"x": .., "y": ..}`.
    Plane,
    /// Integer index `0..n`.
    Indexed(usize),
}

impl Space {
    /// The location space of a travel model.
    pub(super) fn of(t: &RawTravel) -> Space {
        match t {
            RawTravel::Haversine { .. } | RawTravel::Road { .. } => Space::LatLon,
            RawTravel::Euclidean { .. } => Space::Plane,
            RawTravel::Matrix { n, .. } => Space::Indexed(*n),
        }
    }

    /// Checks one location written at `path`.
    pub(super) fn location(self, path: &str, loc: Option<&Doc>) -> Result<Loc> {
        match self {
            Space::LatLon => lat_lon(path, loc),
            Space::Plane => plane(path, loc),
            Space::Indexed(n) => index(path, loc, n),
        }
    }
}

/// `{"lat": [-90, 90], "lon": [-180, 180]}`.
pub(super) fn lat_lon(path: &str, loc: Option<&Doc>) -> Result<Loc> {
    let o = loc.filter(|d| d.as_object().is_some()).ok_or_else(|| {
        invalid(path, format!("expected {{\"lat\": .., \"lon\": ..}}, got {}", cut(loc, 80)))
    })?;
    let lat = o.get("lat");
    let lat_v =
        lat.and_then(Doc::as_f64).filter(|x| (-90.0..=90.0).contains(x)).ok_or_else(|| {
            invalid(
                format!("{path}.lat"),
                format!("expected latitude in [-90, 90], got {}", dumps(lat)),
            )
        })?;
    let lon = o.get("lon");
    let lon_v =
        lon.and_then(Doc::as_f64).filter(|x| (-180.0..=180.0).contains(x)).ok_or_else(|| {
            invalid(
                format!("{path}.lon"),
                format!("expected longitude in [-180, 180], got {}", dumps(lon)),
            )
        })?;
    Ok(Loc::Point(lat_v, lon_v))
}

/// `{"x": finite, "y": finite}`.
fn plane(path: &str, loc: Option<&Doc>) -> Result<Loc> {
    let o = loc.filter(|d| d.as_object().is_some()).ok_or_else(|| {
        invalid(path, format!("expected {{\"x\": .., \"y\": ..}}, got {}", cut(loc, 80)))
    })?;
    let coord = |key: &str| {
        let v = o.get(key);
        v.and_then(Doc::as_f64).ok_or_else(|| {
            invalid(format!("{path}.{key}"), format!("expected a finite number, got {}", dumps(v)))
        })
    };
    Ok(Loc::Point(coord("x")?, coord("y")?))
}

/// An integer index into `n x n` matrices.
fn index(path: &str, loc: Option<&Doc>, n: usize) -> Result<Loc> {
    let i = loc.and_then(Doc::as_int).ok_or_else(|| {
        invalid(path, format!("expected an integer matrix index, got {}", cut(loc, 80)))
    })?;
    match usize::try_from(i) {
        Ok(ix) if ix < n => Ok(Loc::Index(ix)),
        _ => {
            Err(invalid(path, format!("matrix index {i} out of range 0..{}", n.saturating_sub(1))))
        }
    }
}
