//! `"kind": "road_graph"`: nodes and directed edges given inline (`nodes`, `edges`) or as
//! CSV files (`nodes_csv`, `edges_csv`; paths relative to the problem file's folder, or to
//! the working directory for a document given as text), `bidirectional`, `max_snap_m`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::fields::{dumps, invalid, optional_positive, required_num};
use super::travel::lat_lon;
use crate::error::Result;
use crate::io::schema::{Doc, Loc, RawJob, RawTech, RawTravel};
use crate::travel::{Leg, RoadGraph, MAX_MATRIX_LOCATIONS};

/// Checks a `road_graph` travel object and builds the graph.
pub(super) fn model(t: &Doc, base: Option<&Path>) -> Result<RawTravel> {
    let (ids, coords) = match (t.opt("nodes"), t.opt("nodes_csv")) {
        (Some(n), None) => inline_nodes(n)?,
        (None, Some(f)) => csv_nodes(&file("travel.nodes_csv", f, base)?)?,
        _ => return Err(invalid("travel.nodes", "give exactly one of nodes or nodes_csv")),
    };
    let mut edges = match (t.opt("edges"), t.opt("edges_csv")) {
        (Some(e), None) => inline_edges(e, &ids)?,
        (None, Some(f)) => csv_edges(&file("travel.edges_csv", f, base)?, &ids)?,
        _ => return Err(invalid("travel.edges", "give exactly one of edges or edges_csv")),
    };
    match t.opt("bidirectional") {
        None | Some(Doc::Bool(false)) => {}
        Some(Doc::Bool(true)) => {
            let back: Vec<_> = edges.iter().map(|&(a, b, l)| (b, a, l)).collect();
            edges.extend(back);
        }
        Some(other) => {
            return Err(invalid(
                "travel.bidirectional",
                format!("expected true or false, got {}", other.dumps()),
            ))
        }
    }
    let max_snap_m = optional_positive("travel.max_snap_m", t.get("max_snap_m"))?;
    Ok(RawTravel::Road { graph: Arc::new(RoadGraph::new(coords, edges)), max_snap_m })
}

/// Every location snaps to a node within `max_snap_m` (when given), and the distinct
/// snapped nodes fit a travel matrix.
pub(super) fn check_snaps(travel: &RawTravel, techs: &[RawTech], jobs: &[RawJob]) -> Result<()> {
    let RawTravel::Road { graph, max_snap_m } = travel else {
        return Ok(());
    };
    let mut seen = std::collections::HashSet::new();
    let mut check = |path: String, l: Loc| -> Result<()> {
        let Loc::Point(lat, lon) = l else { return Ok(()) };
        let (node, d) = graph.snap((lat, lon)).unwrap_or((0, 0.0));
        if let Some(m) = max_snap_m.filter(|&m| d > m) {
            return Err(invalid(
                path,
                format!("nearest road node is {d:.0} m away, over travel.max_snap_m = {m}"),
            ));
        }
        seen.insert(node);
        Ok(())
    };
    for (i, t) in techs.iter().enumerate() {
        check(format!("technicians[{i}].start"), t.start)?;
        check(format!("technicians[{i}].end"), t.end)?;
    }
    for (i, j) in jobs.iter().enumerate() {
        check(format!("jobs[{i}].location"), j.loc)?;
    }
    if seen.len() > MAX_MATRIX_LOCATIONS {
        return Err(invalid(
            "travel",
            format!(
                "locations snap to {} distinct road nodes, over the limit of \
                 {MAX_MATRIX_LOCATIONS} (the travel matrix between them takes 16 bytes x nodes^2)",
                seen.len()
            ),
        ));
    }
    Ok(())
}

/// A CSV path given as a string, resolved against `base`.
fn file(path: &str, f: &Doc, base: Option<&Path>) -> Result<PathBuf> {
    let s = f
        .as_str()
        .filter(|s| !s.is_empty())
        .ok_or_else(|| invalid(path, format!("expected a file path, got {}", f.dumps())))?;
    let p = Path::new(s);
    Ok(match base {
        Some(b) if p.is_relative() => b.join(p),
        _ => p.to_path_buf(),
    })
}

/// A node id: a non-empty string, or an integer (kept as its decimal text).
fn node_id(path: &str, d: Option<&Doc>) -> Result<String> {
    match d {
        Some(Doc::Str(s)) if !s.is_empty() => Ok(s.clone()),
        Some(x) if x.as_int().is_some() => Ok(x.as_int().unwrap_or_default().to_string()),
        _ => Err(invalid(
            path,
            format!("expected a non-empty string or integer id, got {}", dumps(d)),
        )),
    }
}

/// Node ids with their index, and (lat, lon) per node.
type Nodes = (HashMap<String, u32>, Vec<(f64, f64)>);

/// Adds a node; duplicate ids are an error naming both places.
fn add_node(
    nodes: &mut Nodes,
    places: &mut Vec<String>,
    path: &str,
    id: String,
    at: (f64, f64),
) -> Result<()> {
    if let Some(&first) = nodes.0.get(&id) {
        return Err(invalid(
            path,
            format!("duplicate node id {id:?} (also {})", places[first as usize]),
        ));
    }
    nodes.0.insert(id, nodes.1.len() as u32);
    nodes.1.push(at);
    places.push(path.rsplit_once('.').map_or(path, |(p, _)| p).to_owned());
    Ok(())
}

/// `nodes: [{"id": .., "lat": .., "lon": ..}, ...]`, non-empty.
fn inline_nodes(v: &Doc) -> Result<Nodes> {
    let items = v
        .as_array()
        .filter(|a| !a.is_empty())
        .ok_or_else(|| invalid("travel.nodes", "must be a non-empty list"))?;
    let mut nodes: Nodes = (HashMap::with_capacity(items.len()), Vec::with_capacity(items.len()));
    let mut places = Vec::with_capacity(items.len());
    for (i, n) in items.iter().enumerate() {
        let p = format!("travel.nodes[{i}]");
        let id = node_id(&format!("{p}.id"), n.get("id"))?;
        let Loc::Point(lat, lon) = lat_lon(&p, Some(n))? else {
            unreachable!("lat_lon gives points")
        };
        add_node(&mut nodes, &mut places, &format!("{p}.id"), id, (lat, lon))?;
    }
    Ok(nodes)
}

/// `edges: [{"from": .., "to": .., "seconds": .., "metres": ..}, ...]`.
fn inline_edges(v: &Doc, ids: &HashMap<String, u32>) -> Result<Vec<(u32, u32, Leg)>> {
    let items = v.as_array().ok_or_else(|| invalid("travel.edges", "must be a list"))?;
    let mut out = Vec::with_capacity(items.len());
    for (i, e) in items.iter().enumerate() {
        let p = format!("travel.edges[{i}]");
        if e.as_object().is_none() {
            return Err(invalid(p, "must be an object"));
        }
        let end = |key: &str| -> Result<u32> {
            let path = format!("{p}.{key}");
            let id = node_id(&path, e.get(key))?;
            ids.get(&id).copied().ok_or_else(|| invalid(path, format!("unknown node {id:?}")))
        };
        let (a, b) = (end("from")?, end("to")?);
        let secs = required_num(&format!("{p}.seconds"), e.get("seconds"), Some(0.0))?;
        let metres = required_num(&format!("{p}.metres"), e.get("metres"), Some(0.0))?;
        out.push((a, b, Leg { secs, metres }));
    }
    Ok(out)
}

/// Opens a CSV file with a header row; returns the reader and the column index per name.
fn csv_open(
    path: &str,
    file: &Path,
    cols: &[&str],
) -> Result<(csv::Reader<std::fs::File>, Vec<usize>)> {
    let mut r = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(file)
        .map_err(|e| invalid(path, format!("cannot read {}: {e}", file.display())))?;
    let header =
        r.headers().map_err(|e| invalid(path, format!("{}: {e}", file.display())))?.clone();
    let ix = cols
        .iter()
        .map(|c| {
            header.iter().position(|h| h == *c).ok_or_else(|| {
                invalid(
                    path,
                    format!(
                        "{}: missing column {c:?} (header: {})",
                        file.display(),
                        header.iter().collect::<Vec<_>>().join(",")
                    ),
                )
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok((r, ix))
}

/// One CSV row at a time with its 1-based line number.
fn csv_rows<'a>(
    path: &str,
    file: &'a Path,
    r: csv::Reader<std::fs::File>,
) -> impl Iterator<Item = Result<(u64, csv::StringRecord)>> + 'a {
    let path = path.to_owned();
    r.into_records().map(move |rec| {
        let rec = rec.map_err(|e| invalid(&path, format!("{}: {e}", file.display())))?;
        Ok((rec.position().map_or(0, |p| p.line()), rec))
    })
}

/// A finite number in a CSV cell, within `range`.
fn csv_num(path: &str, line: u64, col: &str, cell: &str, range: (f64, f64)) -> Result<f64> {
    cell.parse::<f64>()
        .ok()
        .filter(|x| x.is_finite() && (range.0..=range.1).contains(x))
        .ok_or_else(|| {
            invalid(
                path,
                format!(
                    "line {line}, column {col}: expected a number in [{}, {}], got {cell:?}",
                    range.0, range.1
                ),
            )
        })
}

/// `id,lat,lon` (other columns ignored).
fn csv_nodes(file: &Path) -> Result<Nodes> {
    let path = "travel.nodes_csv";
    let (r, ix) = csv_open(path, file, &["id", "lat", "lon"])?;
    let mut nodes: Nodes = (HashMap::new(), Vec::new());
    let mut places = Vec::new();
    for row in csv_rows(path, file, r) {
        let (line, rec) = row?;
        let cell = |k: usize| rec.get(ix[k]).unwrap_or("");
        let id = cell(0).to_owned();
        if id.is_empty() {
            return Err(invalid(path, format!("line {line}, column id: empty node id")));
        }
        let lat = csv_num(path, line, "lat", cell(1), (-90.0, 90.0))?;
        let lon = csv_num(path, line, "lon", cell(2), (-180.0, 180.0))?;
        add_node(&mut nodes, &mut places, &format!("{path} line {line}.id"), id, (lat, lon))?;
    }
    if nodes.1.is_empty() {
        return Err(invalid(path, format!("{}: no nodes", file.display())));
    }
    Ok(nodes)
}

/// `from,to,seconds,metres` (other columns ignored).
fn csv_edges(file: &Path, ids: &HashMap<String, u32>) -> Result<Vec<(u32, u32, Leg)>> {
    let path = "travel.edges_csv";
    let (r, ix) = csv_open(path, file, &["from", "to", "seconds", "metres"])?;
    let mut out = Vec::new();
    for row in csv_rows(path, file, r) {
        let (line, rec) = row?;
        let cell = |k: usize| rec.get(ix[k]).unwrap_or("");
        let end = |k: usize, col: &str| {
            ids.get(cell(k)).copied().ok_or_else(|| {
                invalid(path, format!("line {line}, column {col}: unknown node {:?}", cell(k)))
            })
        };
        let (a, b) = (end(0, "from")?, end(1, "to")?);
        let secs = csv_num(path, line, "seconds", cell(2), (0.0, f64::MAX))?;
        let metres = csv_num(path, line, "metres", cell(3), (0.0, f64::MAX))?;
        out.push((a, b, Leg { secs, metres }));
    }
    Ok(out)
}
