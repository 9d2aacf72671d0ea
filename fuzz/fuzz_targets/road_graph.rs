//! Structure-aware fuzzing of `"kind": "road_graph"` travel (docs/problem-format.md).
//!
//! Inputs are problem documents as JSON text, like `parse_solve`, and get the same checks
//! (`common.rs`: a rejection names a field; an accepted problem solves with 50 iterations on
//! 1 thread to a verified plan with every job exactly once). What differs is the custom
//! mutator: it parses the document, applies 1-4 mutations aimed at the road graph and the
//! snapping of locations, and writes it back:
//!
//! - edge `seconds` / `metres`: NaN, +-Infinity, 1e999 (as raw JSON tokens), -1, -0, 0,
//!   1e-300, 1e300, f64::MAX (chains of them overflow to infinity when summed), "5",
//!   null, true, missing;
//! - edge ends: unknown ids, an integer for a string id, 2^64, -1, 1.5, "", null, missing;
//!   self-loops and parallel edges;
//! - node ids: integers, duplicates (copied node or copied id), "", null, 2^64, 1e20;
//! - node coordinates: outside [-90, 90] / [-180, 180], the poles, the antimeridian,
//!   NaN, strings; many nodes on one point (snapping ties);
//! - graph shape: nodes or edges removed (edges left dangling), emptied, not a list;
//!   islands far away that technicians and jobs are moved to (unreachable locations);
//! - `bidirectional`, `max_snap_m` (0, 1e-300, negative, huge), `nodes_csv` /
//!   `edges_csv` pointing nowhere or given next to the inline lists, another `kind`;
//! - jobs and technicians copied, removed, moved onto nodes, next to them or far away.
//!
//! A text that is not JSON (a byte-level mutation of libFuzzer's, or a crafted input) is
//! mutated at the byte level a quarter of the time and otherwise replaced by a fresh road
//! problem made from the seed.
#![no_main]

use libfuzzer_sys::{fuzz_mutator, fuzz_target};
use serde_json::{json, Map, Value};

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        common::check_text(text);
    }
});

fuzz_mutator!(|data: &mut [u8], size: usize, max_size: usize, seed: u32| {
    let mut rng = Rng::new(seed);
    let parsed = std::str::from_utf8(&data[..size])
        .ok()
        .and_then(|t| serde_json::from_str::<Value>(&hide_raw_tokens(t)).ok());
    let mut doc = match parsed {
        Some(d) if d.is_object() && rng.below(16) != 0 => d,
        _ if rng.below(4) == 0 => return libfuzzer_sys::fuzzer_mutate(data, size, max_size),
        _ => fresh_problem(&mut rng),
    };
    for _ in 0..1 + rng.below(4) {
        mutate(&mut doc, &mut rng);
    }
    let mut text = show_raw_tokens(&doc);
    if text.len() > max_size {
        text = show_raw_tokens(&fresh_problem(&mut rng));
    }
    let n = text.len().min(max_size);
    data[..n].copy_from_slice(&text.as_bytes()[..n]);
    n
});

/// A small deterministic generator (splitmix64) seeded by libFuzzer's seed.
struct Rng(u64);

impl Rng {
    fn new(seed: u32) -> Self {
        Rng(u64::from(seed) ^ 0x9e37_79b9_7f4a_7c15)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (0 when `n` is 0).
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    /// Uniform in `[lo, hi)`.
    fn float(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (self.next() >> 11) as f64 / (1u64 << 53) as f64 * (hi - lo)
    }

    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }
}

/// JSON text that `serde_json::Value` cannot hold; kept in the tree as a marked string and
/// written back bare. Longer tokens first, so "-Infinity" is not read as "Infinity".
const RAW_TOKENS: [&str; 7] =
    ["-Infinity", "Infinity", "NaN", "-1e999", "1e999", "18446744073709551616", "-0.0e0"];
const RAW_MARK: &str = "\u{1}raw:";

fn raw(token: &str) -> Value {
    Value::String(format!("{RAW_MARK}{token}"))
}

/// Marks the bare raw tokens of a compact document (after `:`, `,` or `[`) as strings so
/// that it parses.
fn hide_raw_tokens(text: &str) -> String {
    let mut t = text.to_owned();
    for tok in RAW_TOKENS {
        for lead in [':', ',', '['] {
            for tail in [',', ']', '}'] {
                let bare = format!("{lead}{tok}{tail}");
                while t.contains(&bare) {
                    t = t.replace(&bare, &format!("{lead}\"\\u0001raw:{tok}\"{tail}"));
                }
            }
        }
    }
    t
}

/// Compact JSON text with the marked raw tokens written bare.
fn show_raw_tokens(doc: &Value) -> String {
    let mut t = serde_json::to_string(doc).unwrap_or_default();
    for tok in RAW_TOKENS {
        t = t.replace(&format!("\"\\u0001raw:{tok}\""), tok);
    }
    t
}

/// Centre of the generated road networks (degrees).
const LAT0: f64 = 52.0;
const LON0: f64 = 5.0;

/// A feasible-looking small road problem: 2-8 nodes on a ~0.5 km grid, random one-way or
/// two-way streets, 1-3 technicians and 0-8 jobs at or next to the nodes.
fn fresh_problem(rng: &mut Rng) -> Value {
    let n = 2 + rng.below(7);
    let nodes: Vec<Value> = (0..n)
        .map(|i| {
            let id = if rng.below(3) == 0 { json!(i) } else { json!(format!("n{i}")) };
            json!({"id": id, "lat": LAT0 + (i / 3) as f64 * 0.005, "lon": LON0 + (i % 3) as f64 * 0.005})
        })
        .collect();
    let mut edges = Vec::new();
    for _ in 0..n + rng.below(2 * n) {
        let (a, b) = (rng.below(n), rng.below(n));
        edges.push(json!({
            "from": nodes[a]["id"], "to": nodes[b]["id"],
            "seconds": (rng.float(10.0, 300.0) * 10.0).round() / 10.0,
            "metres": rng.float(50.0, 3000.0).round(),
        }));
    }
    let at = |rng: &mut Rng| {
        let k = rng.below(n);
        let jitter = if rng.below(2) == 0 { 0.0 } else { rng.float(-0.001, 0.001) };
        json!({"lat": nodes[k]["lat"].as_f64().unwrap_or(LAT0) + jitter,
               "lon": nodes[k]["lon"].as_f64().unwrap_or(LON0) - jitter})
    };
    let techs: Vec<Value> = (0..1 + rng.below(3))
        .map(|t| json!({"id": format!("T{t}"), "start": at(rng), "shift": [28800, 61200]}))
        .collect();
    let jobs: Vec<Value> = (0..rng.below(9))
        .map(|j| {
            json!({"id": format!("J{j}"), "location": at(rng), "duration": 300 * (1 + rng.below(6))})
        })
        .collect();
    let mut travel = json!({"kind": "road_graph", "nodes": nodes, "edges": edges});
    if rng.below(2) == 0 {
        travel["bidirectional"] = json!(true);
    }
    json!({"format": "fieldopt-problem/1", "date": "2026-11-24", "travel": travel,
           "technicians": techs, "jobs": jobs})
}

/// A hostile or edge-case number for an edge's seconds or metres, a coordinate, ...
fn special_number(rng: &mut Rng) -> Value {
    match rng.below(14) {
        0 => raw("NaN"),
        1 => raw("Infinity"),
        2 => raw("-Infinity"),
        3 => raw("1e999"),
        4 => json!(-1),
        5 => raw("-0.0e0"),
        6 => json!(0),
        7 => json!(1e-300),
        8 => json!(1e300),
        9 => json!(f64::MAX),
        10 => json!("5"),
        11 => Value::Null,
        12 => json!(true),
        _ => json!(rng.float(0.0, 1e6)),
    }
}

/// A hostile or edge-case node reference or id.
fn special_id(rng: &mut Rng, nodes: &[Value]) -> Value {
    let existing = || nodes.get(0).map(|n| n["id"].clone()).unwrap_or(Value::Null);
    match rng.below(11) {
        0 => json!("ghost"),
        1 => raw("18446744073709551616"),
        2 => json!(-1),
        3 => json!(1.5),
        4 => json!(""),
        5 => Value::Null,
        6 => json!(1e20),
        7 => json!(rng.below(10)),
        8 => json!(format!("{}", rng.below(10))),
        9 => json!({"id": "n0"}),
        _ => existing(),
    }
}

fn arr<'a>(doc: &'a mut Value, path: &[&str]) -> Option<&'a mut Vec<Value>> {
    let mut v = doc;
    for k in path {
        v = v.get_mut(*k)?;
    }
    v.as_array_mut()
}

fn obj<'a>(doc: &'a mut Value, path: &[&str]) -> Option<&'a mut Map<String, Value>> {
    let mut v = doc;
    for k in path {
        v = v.get_mut(*k)?;
    }
    v.as_object_mut()
}

/// Most nodes, edges, jobs and technicians a mutation adds (each execution stays fast).
const MAX_NODES: usize = 64;
const MAX_EDGES: usize = 256;
const MAX_JOBS: usize = 16;
const MAX_TECHS: usize = 4;

/// A location object: on a node, next to one, far away, or a hostile coordinate.
fn location(rng: &mut Rng, nodes: &[Value]) -> Value {
    let node = nodes.get(rng.below(nodes.len().max(1)));
    let (lat, lon) = node
        .and_then(|n| Some((n.get("lat")?.as_f64()?, n.get("lon")?.as_f64()?)))
        .unwrap_or((LAT0, LON0));
    match rng.below(7) {
        0 => json!({"lat": lat, "lon": lon}),
        1 => json!({"lat": lat + rng.float(-0.01, 0.01), "lon": lon + rng.float(-0.01, 0.01)}),
        2 => json!({"lat": -lat.clamp(-90.0, 90.0), "lon": 0.0}),
        3 => json!({"lat": 89.99999, "lon": 179.99999}),
        4 => json!({"lat": special_number(rng), "lon": lon}),
        5 => json!({"x": 1, "y": 2}),
        _ => json!(rng.below(5)),
    }
}

fn mutate(doc: &mut Value, rng: &mut Rng) {
    if !doc.get("travel").is_some_and(Value::is_object) {
        doc["travel"] = json!({"kind": "road_graph", "nodes": [], "edges": []});
    }
    let nodes: Vec<Value> = arr(doc, &["travel", "nodes"]).map(|v| v.clone()).unwrap_or_default();
    let n_edges = arr(doc, &["travel", "edges"]).map_or(0, |v| v.len());
    match rng.below(20) {
        // An edge weight.
        0 | 1 | 2 => {
            let field = *rng.pick(&["seconds", "metres"]);
            let k = rng.below(n_edges);
            let x = special_number(rng);
            if let Some(e) = arr(doc, &["travel", "edges"]).and_then(|v| v.get_mut(k)) {
                match (e.as_object_mut(), rng.below(8)) {
                    (Some(o), 0) => {
                        o.remove(field);
                    }
                    (Some(o), _) => {
                        o.insert(field.into(), x);
                    }
                    (None, _) => *e = json!({}),
                }
            }
        }
        // An edge end.
        3 | 4 => {
            let field = *rng.pick(&["from", "to"]);
            let k = rng.below(n_edges);
            let id = special_id(rng, &nodes);
            if let Some(o) = arr(doc, &["travel", "edges"])
                .and_then(|v| v.get_mut(k))
                .and_then(Value::as_object_mut)
            {
                if rng.below(8) == 0 {
                    o.remove(field);
                } else {
                    o.insert(field.into(), id);
                }
            }
        }
        // A node id.
        5 => {
            let k = rng.below(nodes.len());
            let id = if rng.below(2) == 0 {
                nodes.get(rng.below(nodes.len())).map(|n| n["id"].clone()).unwrap_or(Value::Null)
            } else {
                special_id(rng, &nodes)
            };
            if let Some(o) = arr(doc, &["travel", "nodes"])
                .and_then(|v| v.get_mut(k))
                .and_then(Value::as_object_mut)
            {
                o.insert("id".into(), id);
            }
        }
        // A node coordinate.
        6 => {
            let field = *rng.pick(&["lat", "lon"]);
            let x = match rng.below(8) {
                0 => json!(90.0),
                1 => json!(-90.0),
                2 => json!(180.0),
                3 => json!(-180.0),
                4 => json!(90.000001),
                5 => json!(-180.5),
                _ => special_number(rng),
            };
            let k = rng.below(nodes.len());
            if let Some(o) = arr(doc, &["travel", "nodes"])
                .and_then(|v| v.get_mut(k))
                .and_then(Value::as_object_mut)
            {
                o.insert(field.into(), x);
            }
        }
        // Copies: a node verbatim (duplicate id), a node with a new id on the same point
        // (snapping tie), an edge (parallel), a self-loop.
        7 => {
            let which = rng.below(4);
            let fresh_id = json!(format!("d{}", rng.below(1000)));
            let self_loop_weight = special_number(rng);
            if let Some(v) = arr(doc, &["travel", "nodes"]).filter(|v| v.len() < MAX_NODES) {
                if let Some(n) = v.get(rng.below(v.len())).cloned() {
                    match which {
                        0 => v.push(n),
                        1 => {
                            let mut m = n;
                            m["id"] = fresh_id;
                            v.insert(0, m);
                        }
                        _ => {}
                    }
                }
            }
            if let Some(v) = arr(doc, &["travel", "edges"]).filter(|v| v.len() < MAX_EDGES) {
                if let Some(e) = v.get(rng.below(v.len())).cloned() {
                    match which {
                        2 => {
                            let mut f = e;
                            f["seconds"] = json!(rng.float(0.0, 100.0));
                            v.push(f);
                        }
                        3 => {
                            let mut f = e.clone();
                            f["to"] = e.get("from").cloned().unwrap_or(Value::Null);
                            f["seconds"] = self_loop_weight;
                            v.push(f);
                        }
                        _ => {}
                    }
                }
            }
        }
        // Removals: a node (its edges dangle), an edge, all of either, or not a list.
        8 | 9 => {
            let what = *rng.pick(&["nodes", "edges"]);
            let how = rng.below(6);
            let k = rng.next() as usize;
            if let Some(t) = obj(doc, &["travel"]) {
                match (how, t.get_mut(what)) {
                    (0, Some(x)) => *x = json!([]),
                    (1, Some(x)) => *x = json!({"id": "n0"}),
                    (2, Some(_)) => {
                        t.remove(what);
                    }
                    (_, Some(Value::Array(v))) if !v.is_empty() => {
                        let i = k % v.len();
                        v.remove(i);
                    }
                    _ => {}
                }
            }
        }
        // An island: a node far from the rest with no edges (or only edges within it);
        // a job or technician moved onto it.
        10 | 11 => {
            let id = json!(format!("island{}", rng.below(100)));
            let (lat, lon) = (LAT0 + rng.float(-10.0, 10.0), LON0 + rng.float(-10.0, 10.0));
            if let Some(v) = arr(doc, &["travel", "nodes"]).filter(|v| v.len() < MAX_NODES) {
                v.push(json!({"id": id, "lat": lat, "lon": lon}));
            }
            let place = json!({"lat": lat, "lon": lon});
            if rng.below(2) == 0 {
                let k = rng.next() as usize;
                if let Some(v) = arr(doc, &["jobs"]).filter(|v| !v.is_empty()) {
                    let i = k % v.len();
                    v[i]["location"] = place;
                }
            } else {
                let field = *rng.pick(&["start", "end"]);
                let k = rng.next() as usize;
                if let Some(v) = arr(doc, &["technicians"]).filter(|v| !v.is_empty()) {
                    let i = k % v.len();
                    v[i][field] = place;
                }
            }
        }
        // A chain of edges whose sum overflows f64 (or is huge but finite).
        12 => {
            let w = if rng.below(2) == 0 { json!(f64::MAX) } else { json!(1e300) };
            let field = *rng.pick(&["seconds", "metres"]);
            let ids: Vec<Value> = nodes.iter().map(|n| n["id"].clone()).collect();
            if let Some(v) = arr(doc, &["travel", "edges"]) {
                for pair in ids.windows(2).take(6) {
                    if v.len() >= MAX_EDGES {
                        break;
                    }
                    let mut e =
                        json!({"from": pair[0], "to": pair[1], "seconds": 1.0, "metres": 1.0});
                    e[field] = w.clone();
                    v.push(e);
                }
            }
        }
        // A new edge between two nodes, realistic or extreme.
        13 => {
            let a =
                nodes.get(rng.below(nodes.len())).map(|n| n["id"].clone()).unwrap_or(Value::Null);
            let b =
                nodes.get(rng.below(nodes.len())).map(|n| n["id"].clone()).unwrap_or(Value::Null);
            let s =
                if rng.below(3) == 0 { special_number(rng) } else { json!(rng.float(0.0, 600.0)) };
            let m =
                if rng.below(3) == 0 { special_number(rng) } else { json!(rng.float(0.0, 5e3)) };
            if let Some(v) = arr(doc, &["travel", "edges"]).filter(|v| v.len() < MAX_EDGES) {
                v.push(json!({"from": a, "to": b, "seconds": s, "metres": m}));
            }
        }
        // bidirectional, max_snap_m.
        14 => {
            let b =
                rng.pick(&[json!(true), json!(false), json!("yes"), Value::Null, json!(1)]).clone();
            let snap = match rng.below(9) {
                0 => json!(0),
                1 => json!(1e-300),
                2 => json!(-1),
                3 => json!(1e300),
                4 => json!("250"),
                5 => raw("NaN"),
                6 => json!(1.0),
                _ => json!(rng.float(10.0, 2000.0)),
            };
            let which = rng.below(4);
            if let Some(t) = obj(doc, &["travel"]) {
                match which {
                    0 => {
                        t.insert("bidirectional".into(), b);
                    }
                    1 => {
                        t.remove("bidirectional");
                    }
                    2 => {
                        t.insert("max_snap_m".into(), snap);
                    }
                    _ => {
                        t.remove("max_snap_m");
                    }
                }
            }
        }
        // CSV sources that do not exist, next to or instead of the inline lists; another
        // kind with the road fields left in.
        15 => {
            let which = rng.below(6);
            if let Some(t) = obj(doc, &["travel"]) {
                match which {
                    0 => {
                        t.insert("nodes_csv".into(), json!("/nonexistent/fieldopt-fuzz/nodes.csv"));
                    }
                    1 => {
                        let e = t.remove("edges");
                        t.insert("edges_csv".into(), json!("missing-edges.csv"));
                        if e.is_none() {
                            t.insert("edges".into(), json!([]));
                        }
                    }
                    2 => {
                        t.insert("nodes_csv".into(), json!(""));
                    }
                    3 => {
                        t.insert("kind".into(), json!("haversine"));
                    }
                    4 => {
                        t.insert("kind".into(), json!("road_graph"));
                        t.remove("nodes_csv");
                        t.remove("edges_csv");
                    }
                    _ => {
                        t.insert("extra".into(), json!(1));
                    }
                }
            }
        }
        // Jobs: moved, copied (new id), removed.
        16 | 17 => {
            let place = location(rng, &nodes);
            let how = rng.below(3);
            let k = rng.next() as usize;
            let id = format!("J{}", rng.below(1000));
            if let Some(v) = arr(doc, &["jobs"]) {
                if v.is_empty() {
                    v.push(json!({"id": id, "location": place, "duration": 600}));
                } else {
                    let i = k % v.len();
                    match how {
                        0 => v[i]["location"] = place,
                        1 if v.len() < MAX_JOBS => {
                            let mut c = v[i].clone();
                            c["id"] = json!(id);
                            c["location"] = place;
                            v.push(c);
                        }
                        _ => {
                            v.remove(i);
                        }
                    }
                }
            }
        }
        // Technicians: start / end moved, copied, removed.
        _ => {
            let place = location(rng, &nodes);
            let how = rng.below(4);
            let k = rng.next() as usize;
            let id = format!("T{}", rng.below(100));
            if let Some(v) = arr(doc, &["technicians"]).filter(|v| !v.is_empty()) {
                let i = k % v.len();
                match how {
                    0 => v[i]["start"] = place,
                    1 => v[i]["end"] = place,
                    2 if v.len() < MAX_TECHS => {
                        let mut c = v[i].clone();
                        c["id"] = json!(id);
                        v.push(c);
                    }
                    _ if v.len() > 1 => {
                        v.remove(i);
                    }
                    _ => {}
                }
            }
        }
    }
}
