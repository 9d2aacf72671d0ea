//! Seeded generator of small random VALID problem documents (`fieldopt-problem/1`) that
//! exercise every constraint type of the spec, plus a generator of random (mostly
//! infeasible) plans used to cross-check our checker against `check_plan.py`.
//!
//! The generator is a plain function of a `u64` seed (ChaCha8), so a failing case is
//! reproduced from its seed alone; [`problem_strategy`] wraps it for proptest.

use proptest::prelude::*;
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Map, Value};

use super::checker::{format_date, parse_date};

const SKILLS: [&str; 4] = ["hvac", "electrical", "plumbing", "gas"];
const CERTS: [&str; 3] = ["gas-safe", "f-gas", "working-at-height"];
/// Plan dates chosen for their neighbours: leap days, month and year ends.
const DATES: [&str; 8] = [
    "2026-11-24",
    "2024-03-01",
    "2025-01-01",
    "2023-03-01",
    "2026-12-31",
    "2024-02-29",
    "2026-06-30",
    "2027-02-28",
];
/// Certification expiry relative to the plan date, in days (0 = expires on the plan day,
/// still valid; -1 = expired the day before).
const CERT_OFFSETS: [i64; 6] = [-365, -1, -1, 0, 1, 30];

#[derive(Clone, Copy, PartialEq, Debug)]
enum Kind {
    Haversine,
    Euclidean,
    Matrix,
}

struct Gen {
    rng: ChaCha8Rng,
    kind: Kind,
    /// Number of matrix locations.
    m: usize,
    /// Haversine centre (deg).
    centre: (f64, f64),
    /// Euclidean coordinate range.
    span: f64,
}

impl Gen {
    fn p(&mut self, prob: f64) -> bool {
        self.rng.random_bool(prob)
    }

    fn uniform(&mut self, a: f64, b: f64) -> f64 {
        if a >= b {
            a
        } else {
            self.rng.random_range(a..b)
        }
    }

    /// A number that is an integer most of the time, fractional (sometimes below the
    /// millisecond) otherwise.
    fn value(&mut self, a: f64, b: f64) -> f64 {
        let x = self.uniform(a, b);
        match self.rng.random_range(0..10) {
            0..=5 => x.round(),
            6 => x.round() + 0.0004, // below one engine tick (1/1000)
            7 => (x * 1000.0).round() / 1000.0 + 0.5,
            _ => (x * 1000.0).round() / 1000.0,
        }
    }

    fn location(&mut self) -> Value {
        match self.kind {
            Kind::Haversine => {
                let lat = (self.centre.0 + self.uniform(-0.2, 0.2)).clamp(-90.0, 90.0);
                let mut lon = self.centre.1 + self.uniform(-0.2, 0.2);
                // Wrap across the antimeridian instead of clamping.
                if lon > 180.0 {
                    lon -= 360.0;
                }
                if lon < -180.0 {
                    lon += 360.0;
                }
                json!({"lat": lat, "lon": lon})
            }
            Kind::Euclidean => {
                let s = self.span;
                json!({"x": self.value(0.0, s), "y": self.value(0.0, s)})
            }
            Kind::Matrix => json!(self.rng.random_range(0..self.m)),
        }
    }
}

/// Offsets a `YYYY-MM-DD` date by `days`.
pub fn add_days(date: &str, days: i64) -> String {
    format_date(parse_date(date).expect("valid date") + days)
}

/// A random valid problem document; the same seed always gives the same document.
pub fn random_problem(seed: u64) -> Value {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5eed_f1e1_d0b7_0001);
    let kind = match rng.random_range(0..3) {
        0 => Kind::Haversine,
        1 => Kind::Euclidean,
        _ => Kind::Matrix,
    };
    let mut g = Gen { rng, kind, m: 1, centre: (48.1, 11.6), span: 100.0 };

    let date = if g.p(0.8) {
        DATES.choose(&mut g.rng).unwrap().to_string()
    } else {
        let d = g.rng.random_range(0..3000);
        add_days("2022-01-01", d)
    };

    // Travel model and the typical travel time `tt` used to scale the rest.
    let (travel, tt): (Value, f64) = match kind {
        Kind::Haversine => {
            let lat = g.uniform(-65.0, 65.0);
            let lon = if g.p(0.1) { 179.95 } else { g.uniform(-180.0, 180.0) };
            g.centre = (lat, lon);
            let speed = g.value(15.0, 90.0);
            let mut t = json!({"kind": "haversine", "speed_kmh": speed});
            if g.p(0.6) {
                t["detour_factor"] = json!(g.value(1.0, 1.6));
            }
            // ~20 km at `speed`.
            (t, 20_000.0 / (speed / 3.6))
        }
        Kind::Euclidean => {
            g.span = if g.p(0.5) { 100.0 } else { g.uniform(1.0, 1000.0) };
            let mut t = json!({"kind": "euclidean"});
            let speed = if g.p(0.4) {
                1.0
            } else {
                let s = g.value(0.2, 5.0);
                t["speed"] = json!(if s <= 0.0 { 1.0 } else { s });
                t["speed"].as_f64().unwrap()
            };
            (t, g.span * 0.5 / speed)
        }
        Kind::Matrix => {
            g.m = g.rng.random_range(1..=12);
            let m = g.m;
            let base = if g.p(0.5) { 1800.0 } else { 60.0 };
            let diag_nonzero = g.p(0.15);
            let symmetric = g.p(0.2);
            let mut dur = vec![vec![0.0; m]; m];
            #[allow(clippy::needless_range_loop)] // the mirror copy reads dur[j][i]
            for i in 0..m {
                for j in 0..m {
                    if symmetric && j < i {
                        dur[i][j] = dur[j][i];
                        continue;
                    }
                    dur[i][j] = if i == j && !diag_nonzero { 0.0 } else { g.value(0.0, base) };
                }
            }
            let mut t = json!({"kind": "matrix", "durations": dur});
            if g.p(0.5) {
                let mut dist = vec![vec![0.0; m]; m];
                for row in dist.iter_mut() {
                    for x in row.iter_mut() {
                        *x = g.value(0.0, base * 10.0);
                    }
                }
                t["distances"] = json!(dist);
            }
            (t, base * 0.5)
        }
    };
    let tt = tt.max(1.0);
    // Day start: seconds of the day for real-world kinds, small numbers for planar ones.
    let day0 =
        if kind == Kind::Euclidean && g.p(0.5) { 0.0 } else { g.uniform(21_600.0, 32_400.0) };

    // Technicians.
    let n_techs = g.rng.random_range(1..=5);
    let odd_ids = g.p(0.1);
    let tech_ids: Vec<String> = (0..n_techs)
        .map(|i| if odd_ids { format!("tech {i}/Ü") } else { format!("T{i}") })
        .collect();
    let dims = match g.rng.random_range(0..5) {
        0 | 1 => 0,
        2 | 3 => 1,
        _ => 2,
    };
    let mut techs = Vec::new();
    let mut latest_end: f64 = day0;
    let mut tech_starts = Vec::new();
    for id in &tech_ids {
        let mut t = Map::new();
        t.insert("id".into(), json!(id));
        let start = g.location();
        tech_starts.push(start.clone());
        t.insert("start".into(), start);
        if g.p(0.3) {
            t.insert("end".into(), g.location());
        }
        let s0 = g.value(day0, day0 + 2.0 * tt);
        let len = if g.p(0.05) { 0.0 } else { g.value(tt * 1.5, tt * 12.0) };
        let s1 = (s0 + len).max(s0);
        t.insert("shift".into(), json!([s0, s1]));
        let mut ot = 0.0;
        if g.p(0.3) {
            ot = if g.p(0.2) { 0.0 } else { g.value(0.0, 2.0 * tt) };
            t.insert("max_overtime".into(), json!(ot));
        }
        latest_end = latest_end.max(s1 + ot);
        if g.p(0.8) {
            let mut sk = Map::new();
            for s in SKILLS {
                if g.p(0.5) {
                    sk.insert(s.into(), json!(g.rng.random_range(1..=5)));
                }
            }
            t.insert("skills".into(), Value::Object(sk));
        }
        if g.p(0.6) {
            let mut c = Map::new();
            for name in CERTS {
                if g.p(0.5) {
                    let off = *CERT_OFFSETS.choose(&mut g.rng).unwrap();
                    c.insert(name.into(), json!(add_days(&date, off)));
                }
            }
            t.insert("certifications".into(), Value::Object(c));
        }
        if dims > 0 && g.p(0.85) {
            let cap: Vec<f64> =
                (0..dims).map(|_| if g.p(0.1) { 0.0 } else { g.value(0.0, 30.0) }).collect();
            t.insert("capacity".into(), json!(cap));
        }
        if g.p(0.3) {
            t.insert("max_jobs".into(), json!(g.rng.random_range(0..=6)));
        }
        if g.p(0.4) {
            let w0 = match g.rng.random_range(0..10) {
                0 => (s0 - tt).max(0.0), // opens before the shift: any work needs the break
                1 => s1 + ot + tt,       // opens after the day: never needed
                _ => g.value(s0 + 0.2 * len, s0 + 0.6 * len),
            };
            let w1 = if g.p(0.2) { w0 } else { w0 + g.value(0.0, 0.3 * len + 1.0) };
            let dur = if g.p(0.15) { 0.0 } else { g.value(0.05 * tt, tt) };
            t.insert("break".into(), json!({"window": [w0, w1.max(w0)], "duration": dur.max(0.0)}));
        }
        if g.p(0.6) {
            let mut c = Map::new();
            if g.p(0.5) {
                c.insert("fixed".into(), json!(g.value(0.0, 100.0)));
            }
            if g.p(0.8) {
                c.insert("per_hour".into(), json!(g.value(0.0, 60.0)));
            }
            if g.p(0.5) {
                c.insert("per_km".into(), json!(g.value(0.0, 1.0)));
            }
            t.insert("cost".into(), Value::Object(c));
        }
        if g.p(0.3) {
            t.insert("rating".into(), json!(g.uniform(0.0, 5.0)));
        }
        if g.p(0.3) {
            t.insert("kind".into(), json!(if g.p(0.5) { "employee" } else { "contractor" }));
        }
        if g.p(0.3) {
            t.insert("team".into(), json!(if g.p(0.5) { "north" } else { "south" }));
        }
        techs.push(Value::Object(t));
    }

    // Jobs.
    let n_jobs = g.rng.random_range(0..=15);
    let mut jobs = Vec::new();
    for i in 0..n_jobs {
        let mut j = Map::new();
        j.insert(
            "id".into(),
            json!(if odd_ids { format!("job \"{i}\"") } else { format!("J{i}") }),
        );
        if g.p(0.3) {
            j.insert("customer".into(), json!(format!("C-{}", g.rng.random_range(0..4))));
        }
        let loc =
            if g.p(0.1) { tech_starts.choose(&mut g.rng).unwrap().clone() } else { g.location() };
        j.insert("location".into(), loc);
        let d = match g.rng.random_range(0..10) {
            0 => 0.0,
            _ => g.value(0.0, 1.5 * tt),
        };
        j.insert("duration".into(), json!(d.max(0.0)));
        let n_w = g.rng.random_range(0..=3);
        if n_w > 0 {
            let mut ws = Vec::new();
            for _ in 0..n_w {
                let a = g.value(day0 - tt, day0 + 8.0 * tt).max(0.0);
                let w = match g.rng.random_range(0..10) {
                    0 => [a, a],                                   // a single instant
                    1 => [a, a + 0.0005],                          // shorter than one tick
                    2 => [latest_end + tt, latest_end + 3.0 * tt], // impossible: after every shift
                    _ => {
                        let b = a + g.value(0.2 * tt, 6.0 * tt);
                        [a, b.max(a)]
                    }
                };
                ws.push(json!(w));
            }
            // Usually sorted and disjoint-ish; sometimes given in any order / overlapping.
            if g.p(0.7) {
                ws.sort_by(|x, y| x[0].as_f64().unwrap().total_cmp(&y[0].as_f64().unwrap()));
            }
            j.insert("time_windows".into(), Value::Array(ws));
        }
        if g.p(0.4) {
            let mut sk = Map::new();
            for s in SKILLS {
                if g.p(0.3) {
                    sk.insert(s.into(), json!(g.rng.random_range(1..=5)));
                }
            }
            j.insert("skills".into(), Value::Object(sk));
        }
        if g.p(0.25) {
            let c: Vec<&str> = CERTS.iter().copied().filter(|_| g.rng.random_bool(0.5)).collect();
            j.insert("certifications".into(), json!(c));
        }
        if dims > 0 && g.p(0.8) {
            let dm: Vec<f64> = (0..dims).map(|_| g.value(0.0, 10.0)).collect();
            j.insert("demand".into(), json!(dm));
        }
        if g.p(0.7) {
            j.insert("priority".into(), json!(g.rng.random_range(0..=3)));
        }
        if g.p(0.5) {
            j.insert(
                "unassigned_cost".into(),
                json!(if g.p(0.2) { 0.0 } else { g.value(0.0, 500.0) }),
            );
        }
        let mut excluded: Vec<String> = Vec::new();
        if g.p(0.2) {
            excluded =
                tech_ids.choose_multiple(&mut g.rng, 1 + (n_techs > 2) as usize).cloned().collect();
            j.insert("excluded_technicians".into(), json!(excluded));
        }
        if g.p(0.3) {
            let pref: Vec<String> =
                tech_ids.choose_multiple(&mut g.rng, 1 + (n_techs > 3) as usize).cloned().collect();
            j.insert("preferred_technicians".into(), json!(pref));
        }
        if g.p(0.12) {
            let allowed: Vec<&String> = tech_ids.iter().filter(|t| !excluded.contains(t)).collect();
            if let Some(pin) = allowed.choose(&mut g.rng) {
                j.insert("pinned_technician".into(), json!(pin));
            }
        }
        if g.p(0.3) {
            j.insert(
                "kind".into(),
                json!(["repair", "maintenance", "install"][g.rng.random_range(0..3)]),
            );
        }
        jobs.push(Value::Object(j));
    }

    let mut doc = json!({
        "format": "fieldopt-problem/1",
        "date": date,
        "travel": travel,
        "technicians": techs,
        "jobs": jobs,
    });
    if g.p(0.7) {
        doc["name"] = json!(format!("random-{seed}"));
    }
    if g.p(0.1) {
        doc["policy"] = json!({});
    }
    doc
}

/// Proptest strategy over [`random_problem`] (shrinks the seed only).
pub fn problem_strategy() -> impl Strategy<Value = (u64, Value)> {
    any::<u64>().prop_map(|s| (s, random_problem(s)))
}

/// A random plan for `problem`: random routes (with break stops, sometimes two), the rest
/// unassigned, and sometimes the structural faults the checker must catch (a job twice, an
/// unknown job, an unknown technician, a technician twice, a missing job). Times are junk.
pub fn random_plan(problem: &Value, seed: u64) -> Value {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x9a1a_0000_0000_0002);
    let techs: Vec<String> = problem["technicians"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap().to_string())
        .collect();
    let mut jobs: Vec<String> = problem["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["id"].as_str().unwrap().to_string())
        .collect();
    jobs.shuffle(&mut rng);
    let job_stop = |j: &str| json!({"job": j, "arrival": 0.0, "start": 0.0, "end": 0.0});
    let brk = json!({"break": true, "start": 0.0, "end": 0.0});
    let mut routes = Vec::new();
    let mut next = 0;
    for t in &techs {
        if !rng.random_bool(0.8) {
            continue;
        }
        let n = rng.random_range(0..=(jobs.len() - next).min(6));
        let mut stops: Vec<Value> = jobs[next..next + n].iter().map(|j| job_stop(j)).collect();
        next += n;
        if rng.random_bool(0.5) {
            let at = rng.random_range(0..=stops.len());
            stops.insert(at, brk.clone());
            if rng.random_bool(0.1) {
                let at = rng.random_range(0..=stops.len());
                stops.insert(at, brk.clone());
            }
        }
        routes.push(json!({"technician": t, "stops": stops}));
    }
    let mut unassigned = Vec::new();
    for j in &jobs[next..] {
        if rng.random_bool(0.97) {
            unassigned.push(json!({"job": j, "reason": "random"}));
        }
    }
    if rng.random_bool(0.05) && !jobs.is_empty() {
        unassigned.push(json!({"job": jobs[0], "reason": "again"}));
    }
    if rng.random_bool(0.05) && !routes.is_empty() {
        routes[0]["stops"].as_array_mut().unwrap().push(job_stop("no-such-job"));
    }
    if rng.random_bool(0.05) {
        routes.push(json!({"technician": "no-such-tech", "stops": [job_stop("other-unknown")]}));
    }
    if rng.random_bool(0.05) && !routes.is_empty() {
        let t = routes[0]["technician"].clone();
        routes.push(json!({"technician": t, "stops": []}));
    }
    json!({"format": "fieldopt-plan/1", "routes": routes, "unassigned": unassigned})
}

/// A random FEASIBLE plan built greedily with our checker: jobs in random order, each tried
/// at a few random (technician, position) spots, with the break stop inserted where needed;
/// a spot is kept when the checker finds no violation on the route. Jobs that fit nowhere go
/// to `unassigned`. Stop times are the checker's recomputed schedule.
pub fn greedy_feasible_plan(problem: &Value, seed: u64) -> Value {
    use super::checker::check;
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x6eed_0000_0000_0003);
    let techs: Vec<String> = problem["technicians"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap().to_string())
        .collect();
    let has_break: Vec<bool> = problem["technicians"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.get("break").is_some())
        .collect();
    let mut jobs: Vec<String> = problem["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["id"].as_str().unwrap().to_string())
        .collect();
    jobs.shuffle(&mut rng);
    // Routes as sequences of Some(job) / None (break).
    let mut routes: Vec<Vec<Option<String>>> = vec![Vec::new(); techs.len()];
    let single = |ti: usize, seq: &[Option<String>]| -> Value {
        let stops: Vec<Value> = seq
            .iter()
            .map(|s| match s {
                Some(j) => json!({"job": j}),
                None => json!({"break": true}),
            })
            .collect();
        json!({"format": "fieldopt-plan/1", "routes": [{"technician": techs[ti], "stops": stops}]})
    };
    let route_ok = |ti: usize, seq: &[Option<String>]| -> bool {
        check(problem, &single(ti, seq)).violations.iter().all(|v| v.starts_with("missing_job"))
    };
    let mut unassigned = Vec::new();
    for j in &jobs {
        let mut placed = false;
        for _ in 0..6 {
            let ti = rng.random_range(0..techs.len());
            let mut seq = routes[ti].clone();
            let pos = rng.random_range(0..=seq.len());
            seq.insert(pos, Some(j.clone()));
            let mut candidates = vec![seq.clone()];
            if has_break[ti] {
                if let Some(b) = seq.iter().position(Option::is_none) {
                    // Also try the break elsewhere.
                    let mut without = seq.clone();
                    without.remove(b);
                    for p in 0..=without.len() {
                        let mut c = without.clone();
                        c.insert(p, None);
                        candidates.push(c);
                    }
                } else {
                    for p in 0..=seq.len() {
                        let mut c = seq.clone();
                        c.insert(p, None);
                        candidates.push(c);
                    }
                }
            }
            if let Some(c) = candidates.into_iter().find(|c| route_ok(ti, c)) {
                routes[ti] = c;
                placed = true;
                break;
            }
        }
        if !placed {
            unassigned.push(json!({"job": j, "reason": "greedy found no spot"}));
        }
    }
    // Write the recomputed schedule into the stops.
    let mut out_routes = Vec::new();
    for (ti, seq) in routes.iter().enumerate() {
        if seq.iter().all(Option::is_none) {
            continue;
        }
        let rep = check(problem, &single(ti, seq));
        let stops: Vec<Value> = rep.routes[0]
            .stops
            .iter()
            .map(|s| match &s.job {
                Some(j) => json!({"job": j, "arrival": s.arrival, "start": s.start, "end": s.end}),
                None => json!({"break": true, "start": s.start, "end": s.end}),
            })
            .collect();
        out_routes.push(json!({"technician": techs[ti], "stops": stops}));
    }
    json!({"format": "fieldopt-plan/1", "routes": out_routes, "unassigned": unassigned})
}

/// The problem with every closing time pulled in by `margin` (shift ends, job window ends,
/// break window ends) and capacities reduced by 0.01, so that anything feasible in it is
/// feasible for the engine despite its conservative 1 ms rounding. Technicians whose shift
/// or break window vanish, and jobs whose windows all vanish, are listed to be skipped.
fn tightened(problem: &Value, margin: f64) -> (Value, Vec<String>, Vec<String>) {
    let mut p = problem.clone();
    let (mut skip_t, mut skip_j) = (Vec::new(), Vec::new());
    for t in p["technicians"].as_array_mut().unwrap() {
        let id = t["id"].as_str().unwrap().to_string();
        let (s0, s1) = (t["shift"][0].as_f64().unwrap(), t["shift"][1].as_f64().unwrap());
        if s1 - margin < s0 {
            skip_t.push(id.clone());
        } else {
            t["shift"][1] = json!(s1 - margin);
        }
        if let Some(b) = t.get_mut("break") {
            let (w0, w1) = (b["window"][0].as_f64().unwrap(), b["window"][1].as_f64().unwrap());
            if w1 - margin < w0 {
                skip_t.push(id.clone());
            } else {
                b["window"][1] = json!(w1 - margin);
            }
        }
        if let Some(c) = t.get_mut("capacity").and_then(Value::as_array_mut) {
            for x in c.iter_mut() {
                *x = json!((x.as_f64().unwrap() - 0.01).max(0.0));
            }
        }
    }
    for j in p["jobs"].as_array_mut().unwrap() {
        if let Some(ws) = j.get("time_windows").and_then(Value::as_array).cloned() {
            let kept: Vec<Value> = ws
                .iter()
                .filter_map(|w| {
                    let (a, b) = (w[0].as_f64().unwrap(), w[1].as_f64().unwrap());
                    (b - margin >= a).then(|| json!([a, b - margin]))
                })
                .collect();
            if kept.is_empty() {
                skip_j.push(j["id"].as_str().unwrap().to_string());
            } else {
                j["time_windows"] = Value::Array(kept);
            }
        }
    }
    (p, skip_t, skip_j)
}

/// Insertion oracle: for every job the plan leaves unassigned, looks for one feasible way to
/// add it to one technician's route as it stands in the plan (any position; the break stop
/// may be added or moved), on the problem tightened by `margin` (see [`tightened`]).
/// Returns `(job, technician, stops)` for each job that fits somewhere.
pub fn insertable_unassigned(
    problem: &Value,
    plan: &Value,
    margin: f64,
) -> Vec<(String, String, Vec<Value>)> {
    use super::checker::Checker;
    let (tp, skip_t, skip_j) = tightened(problem, margin);
    let Ok(checker) = Checker::new(&tp) else { return Vec::new() };
    let techs: Vec<(String, bool)> = tp["technicians"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["id"].as_str().unwrap().to_string(), t.get("break").is_some()))
        .collect();
    let route_of = |tid: &str| -> Vec<Value> {
        plan["routes"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|r| r["technician"] == json!(tid))
            .and_then(|r| r["stops"].as_array())
            .map(|stops| {
                stops
                    .iter()
                    .map(|s| match s.get("job") {
                        Some(j) => json!({"job": j}),
                        None => json!({"break": true}),
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    // Violations that do not depend on the order of the stops.
    const STATIC: [&str; 6] =
        ["skill", "certification", "excluded", "pinned", "max_jobs", "capacity"];
    let mut found = Vec::new();
    for u in plan["unassigned"].as_array().into_iter().flatten() {
        let Some(jid) = u["job"].as_str() else { continue };
        if skip_j.iter().any(|s| s == jid) {
            continue;
        }
        'techs: for (tid, has_break) in &techs {
            if skip_t.contains(tid) {
                continue;
            }
            let base = route_of(tid);
            let jobs_only: Vec<Value> =
                base.iter().filter(|s| s.get("job").is_some()).cloned().collect();
            for pos in 0..=jobs_only.len() {
                let mut seq = jobs_only.clone();
                seq.insert(pos, json!({"job": jid}));
                let mut candidates = vec![seq.clone()];
                if *has_break {
                    for b in 0..=seq.len() {
                        let mut c = seq.clone();
                        c.insert(b, json!({"break": true}));
                        candidates.push(c);
                    }
                }
                for c in candidates {
                    let single = json!({"format": "fieldopt-plan/1",
                                        "routes": [{"technician": tid, "stops": c}]});
                    let rep = checker.check(&single);
                    let bad: Vec<&String> =
                        rep.violations.iter().filter(|v| !v.starts_with("missing_job")).collect();
                    if bad.is_empty() {
                        found.push((jid.to_string(), tid.clone(), c));
                        break 'techs;
                    }
                    if bad.iter().any(|v| STATIC.iter().any(|s| v.starts_with(&format!("{s}:")))) {
                        continue 'techs;
                    }
                }
            }
        }
    }
    found
}
