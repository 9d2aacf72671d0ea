//! Conformance tests of problem parsing and validation (`spec/problem-format.md`): every
//! rule of the reference checker with its field path, acceptance of complete documents for
//! each travel kind, the conversions into the model, robustness against garbage, and a
//! differential test against `shared/tools/check_plan.py` on mutated random documents.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use fieldopt::io::{parse_problem_str, parse_problem_value};
use fieldopt::model::{TechKind, TimeWindow};
use fieldopt::travel::ExactTravel;
use fieldopt::{Error, Problem};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value};

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// A small valid euclidean document: two technicians, two jobs.
fn base() -> Value {
    json!({
        "format": "fieldopt-problem/1",
        "date": "2026-11-24",
        "travel": {"kind": "euclidean", "speed": 1.0},
        "technicians": [
            {"id": "T1", "start": {"x": 0, "y": 0}, "shift": [28800, 61200],
             "skills": {"hvac": 3}, "capacity": [100]},
            {"id": "T2", "start": {"x": 10, "y": 0}, "shift": [28800, 61200]}
        ],
        "jobs": [
            {"id": "J1", "location": {"x": 3, "y": 4}, "duration": 600},
            {"id": "J2", "location": {"x": 6, "y": 8}, "duration": 900,
             "time_windows": [[28800, 43200]]}
        ]
    })
}

/// A valid matrix document with 3 locations.
fn base_matrix() -> Value {
    json!({
        "format": "fieldopt-problem/1",
        "date": "2026-11-24",
        "travel": {"kind": "matrix", "durations": [[0, 5, 7], [5, 0, 3], [7, 3, 0]]},
        "technicians": [{"id": "T1", "start": 0, "shift": [0, 1000]}],
        "jobs": [{"id": "J1", "location": 2, "duration": 10}]
    })
}

/// A valid haversine document.
fn base_haversine() -> Value {
    json!({
        "format": "fieldopt-problem/1",
        "date": "2026-11-24",
        "travel": {"kind": "haversine", "speed_kmh": 36.0},
        "technicians": [{"id": "T1", "start": {"lat": 48.1, "lon": 11.6}, "shift": [0, 86400]}],
        "jobs": [{"id": "J1", "location": {"lat": 48.2, "lon": 11.5}, "duration": 10}]
    })
}

/// `doc` after applying `f`.
fn with(mut doc: Value, f: impl FnOnce(&mut Value)) -> Value {
    f(&mut doc);
    doc
}

/// The (path, message) of the error, failing the test if the document was accepted.
fn error_of(doc: Value) -> (String, String) {
    match parse_problem_value(doc) {
        Ok(_) => panic!("document was accepted"),
        Err(Error::InvalidInput { path, message }) => (path, message),
        Err(e) => panic!("unexpected error kind: {e}"),
    }
}

/// Asserts that `doc` is rejected at `path` with a message containing `fragment`.
fn assert_rejected(doc: Value, path: &str, fragment: &str) {
    let (p, m) = error_of(doc);
    assert_eq!(p, path, "wrong path (message: {m})");
    assert!(m.contains(fragment), "message {m:?} lacks {fragment:?} (path {p})");
}

/// Parses a document that must be valid.
fn accept(doc: Value) -> Problem {
    match parse_problem_value(doc) {
        Ok(p) => p,
        Err(e) => panic!("valid document rejected: {e}"),
    }
}

/// A table row: name, mutation of a base document, expected path, message fragment.
type Case = (&'static str, Box<dyn Fn(&mut Value)>, &'static str, &'static str);

/// Runs a table of mutations of `make()`, reporting every failing row at once.
fn run_cases(make: fn() -> Value, cases: Vec<Case>) {
    let mut failures = Vec::new();
    for (name, mutate, path, fragment) in &cases {
        let doc = with(make(), |d| mutate(d));
        match parse_problem_value(doc) {
            Ok(_) => failures.push(format!("{name}: accepted")),
            Err(Error::InvalidInput { path: p, message: m }) => {
                if p != *path || !m.contains(fragment) {
                    failures.push(format!(
                        "{name}: got `{p}: {m}`, want path `{path}` with `{fragment}`"
                    ));
                }
            }
            Err(e) => failures.push(format!("{name}: unexpected error {e}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// Boxes a mutation closure.
fn m(f: impl Fn(&mut Value) + 'static) -> Box<dyn Fn(&mut Value)> {
    Box::new(f)
}

/// Removes key `k` from the object at `v`.
fn remove(v: &mut Value, k: &str) {
    if let Some(o) = v.as_object_mut() {
        o.remove(k);
    }
}

// ---------------------------------------------------------------------------------------------
// Rules: top level, travel, policy
// ---------------------------------------------------------------------------------------------

#[test]
fn top_level_rules() {
    run_cases(
        base,
        vec![
            ("not an object", m(|d| *d = json!([1, 2])), "", "top level must be a JSON object"),
            (
                "format missing",
                m(|d| remove(d, "format")),
                "format",
                "expected \"fieldopt-problem/1\", got null",
            ),
            (
                "format wrong",
                m(|d| d["format"] = json!("fieldopt-problem/2")),
                "format",
                "got \"fieldopt-problem/2\"",
            ),
            ("name not string", m(|d| d["name"] = json!(5)), "name", "must be a string"),
            ("date missing", m(|d| remove(d, "date")), "date", "missing (plan day, YYYY-MM-DD)"),
            (
                "date null",
                m(|d| d["date"] = Value::Null),
                "date",
                "expected a date string YYYY-MM-DD, got null",
            ),
            ("date number", m(|d| d["date"] = json!(20261124)), "date", "expected a date string"),
            (
                "date format",
                m(|d| d["date"] = json!("2026-1-24")),
                "date",
                "expected a date string",
            ),
            (
                "date slashes",
                m(|d| d["date"] = json!("2026/11/24")),
                "date",
                "expected a date string",
            ),
            (
                "date day",
                m(|d| d["date"] = json!("2026-02-30")),
                "date",
                "invalid date \"2026-02-30\" (day is out of range for month)",
            ),
            (
                "date not leap",
                m(|d| d["date"] = json!("2026-02-29")),
                "date",
                "day is out of range",
            ),
            (
                "date month",
                m(|d| d["date"] = json!("2026-13-01")),
                "date",
                "month must be in 1..12",
            ),
            (
                "date year 0",
                m(|d| d["date"] = json!("0000-01-01")),
                "date",
                "year 0 is out of range",
            ),
            (
                "technicians missing",
                m(|d| remove(d, "technicians")),
                "technicians",
                "must be a non-empty list",
            ),
            (
                "technicians empty",
                m(|d| d["technicians"] = json!([])),
                "technicians",
                "must be a non-empty list",
            ),
            (
                "technicians object",
                m(|d| d["technicians"] = json!({})),
                "technicians",
                "must be a non-empty list",
            ),
            ("jobs null", m(|d| d["jobs"] = Value::Null), "jobs", "must be a list"),
            ("jobs object", m(|d| d["jobs"] = json!({"id": "J1"})), "jobs", "must be a list"),
        ],
    );
}

#[test]
fn travel_rules() {
    run_cases(
        base,
        vec![
            ("travel missing", m(|d| remove(d, "travel")), "travel", "missing or not an object"),
            (
                "travel string",
                m(|d| d["travel"] = json!("euclidean")),
                "travel",
                "missing or not an object",
            ),
            (
                "kind missing",
                m(|d| d["travel"] = json!({"speed": 1})),
                "travel.kind",
                "expected \"haversine\", \"euclidean\", \"matrix\" or \"road_graph\", got null",
            ),
            (
                "kind unknown",
                m(|d| d["travel"]["kind"] = json!("manhattan")),
                "travel.kind",
                "got \"manhattan\"",
            ),
            (
                "euclidean speed 0",
                m(|d| d["travel"]["speed"] = json!(0)),
                "travel.speed",
                "must be > 0, got 0",
            ),
            (
                "euclidean speed negative",
                m(|d| d["travel"]["speed"] = json!(-2.5)),
                "travel.speed",
                "must be > 0, got -2.5",
            ),
            (
                "euclidean speed string",
                m(|d| d["travel"]["speed"] = json!("fast")),
                "travel.speed",
                "expected a finite number, got \"fast\"",
            ),
            (
                "euclidean speed bool",
                m(|d| d["travel"]["speed"] = json!(true)),
                "travel.speed",
                "expected a finite number, got true",
            ),
        ],
    );
    run_cases(
        base_haversine,
        vec![
            (
                "speed_kmh missing",
                m(|d| remove(&mut d["travel"], "speed_kmh")),
                "travel.speed_kmh",
                "missing required number",
            ),
            (
                "speed_kmh null",
                m(|d| d["travel"]["speed_kmh"] = Value::Null),
                "travel.speed_kmh",
                "missing required number",
            ),
            (
                "speed_kmh zero",
                m(|d| d["travel"]["speed_kmh"] = json!(0.0)),
                "travel.speed_kmh",
                "must be > 0",
            ),
            (
                "detour zero",
                m(|d| d["travel"]["detour_factor"] = json!(0)),
                "travel.detour_factor",
                "must be > 0",
            ),
            (
                "detour string",
                m(|d| d["travel"]["detour_factor"] = json!("1.3")),
                "travel.detour_factor",
                "expected a finite number",
            ),
        ],
    );
    run_cases(
        base_matrix,
        vec![
            (
                "durations missing",
                m(|d| remove(&mut d["travel"], "durations")),
                "travel.durations",
                "expected a non-empty square list of lists",
            ),
            (
                "durations empty",
                m(|d| d["travel"]["durations"] = json!([])),
                "travel.durations",
                "non-empty square",
            ),
            (
                "durations object",
                m(|d| d["travel"]["durations"] = json!({"0": [0]})),
                "travel.durations",
                "non-empty square",
            ),
            (
                "row short",
                m(|d| d["travel"]["durations"][1] = json!([5, 0])),
                "travel.durations[1]",
                "row must have 3 entries (square matrix), got 2",
            ),
            (
                "row not list",
                m(|d| d["travel"]["durations"][2] = json!(7)),
                "travel.durations[2]",
                "row must have 3 entries (square matrix), got int",
            ),
            (
                "row null",
                m(|d| d["travel"]["durations"][0] = Value::Null),
                "travel.durations[0]",
                "got NoneType",
            ),
            (
                "not square",
                m(|d| d["travel"]["durations"] = json!([[0, 1, 2], [1, 0, 2]])),
                "travel.durations[0]",
                "row must have 2 entries",
            ),
            (
                "negative entry",
                m(|d| d["travel"]["durations"][0][1] = json!(-1)),
                "travel.durations[0][1]",
                "expected a finite number >= 0, got -1",
            ),
            (
                "string entry",
                m(|d| d["travel"]["durations"][2][0] = json!("7")),
                "travel.durations[2][0]",
                "got \"7\"",
            ),
            (
                "null entry",
                m(|d| d["travel"]["durations"][1][1] = Value::Null),
                "travel.durations[1][1]",
                "got null",
            ),
            (
                "distances rows",
                m(|d| d["travel"]["distances"] = json!([[0, 1], [1, 0]])),
                "travel.distances",
                "has 2 rows but travel.durations has 3",
            ),
            (
                "distances negative",
                m(|d| d["travel"]["distances"] = json!([[0, 1, 2], [1, 0, -2], [2, 2, 0]])),
                "travel.distances[1][2]",
                ">= 0",
            ),
            (
                "distances not list",
                m(|d| d["travel"]["distances"] = json!(3)),
                "travel.distances",
                "non-empty square",
            ),
        ],
    );
}

#[test]
fn policy_rules() {
    run_cases(
        base,
        vec![
            ("not object", m(|d| d["policy"] = json!([1])), "policy", "must be an object"),
            (
                "unknown key",
                m(|d| d["policy"] = json!({"labor": 1.0, "travel_tme": 3})),
                "policy.travel_tme",
                "unknown field",
            ),
            (
                "wrong type",
                m(|d| d["policy"] = json!({"travel_time": "high"})),
                "policy.travel_time",
                "invalid type",
            ),
            (
                "negative",
                m(|d| d["policy"] = json!({"labor": -1})),
                "policy.labor",
                "must be a finite number >= 0 and <= 1e6, got -1",
            ),
            (
                "too large to compare exactly",
                m(|d| d["policy"] = json!({"travel_time": 2e6})),
                "policy.travel_time",
                "<= 1e6, got 2000000",
            ),
            (
                "negative float",
                m(|d| d["policy"] = json!({"unassigned": -0.5})),
                "policy.unassigned",
                ">= 0",
            ),
        ],
    );
}

#[test]
fn policy_is_read_with_defaults() {
    let p = accept(with(base(), |d| d["policy"] = json!({"travel_time": 30, "labor": 0})));
    assert_eq!(p.policy.travel_time, 30.0);
    assert_eq!(p.policy.labor, 0.0);
    let default = fieldopt::Policy::default();
    assert_eq!(p.policy.unassigned, default.unassigned);
    assert_eq!(p.policy.travel_distance, default.travel_distance);
    assert_eq!(accept(with(base(), |d| d["policy"] = Value::Null)).policy, default);
    assert_eq!(accept(base()).policy, default);
}

// ---------------------------------------------------------------------------------------------
// Rules: technicians
// ---------------------------------------------------------------------------------------------

#[test]
fn technician_identity_and_location_rules() {
    run_cases(
        base,
        vec![
            (
                "not object",
                m(|d| d["technicians"][1] = json!("T2")),
                "technicians[1]",
                "must be an object",
            ),
            (
                "id missing",
                m(|d| remove(&mut d["technicians"][0], "id")),
                "technicians[0].id",
                "missing or empty id",
            ),
            (
                "id empty",
                m(|d| d["technicians"][0]["id"] = json!("")),
                "technicians[0].id",
                "non-empty string required",
            ),
            (
                "id number",
                m(|d| d["technicians"][1]["id"] = json!(2)),
                "technicians[1].id",
                "missing or empty id",
            ),
            (
                "id duplicate",
                m(|d| d["technicians"][1]["id"] = json!("T1")),
                "technicians[1].id",
                "duplicate technician id \"T1\" (also technicians[0])",
            ),
            (
                "start missing",
                m(|d| remove(&mut d["technicians"][0], "start")),
                "technicians[0].start",
                "missing location",
            ),
            (
                "start null",
                m(|d| d["technicians"][0]["start"] = Value::Null),
                "technicians[0].start",
                "expected {\"x\": .., \"y\": ..}, got null",
            ),
            (
                "start list",
                m(|d| d["technicians"][0]["start"] = json!([0, 0])),
                "technicians[0].start",
                "got [0, 0]",
            ),
            (
                "start x missing",
                m(|d| d["technicians"][0]["start"] = json!({"y": 0})),
                "technicians[0].start.x",
                "expected a finite number, got null",
            ),
            (
                "start y string",
                m(|d| d["technicians"][1]["start"]["y"] = json!("0")),
                "technicians[1].start.y",
                "got \"0\"",
            ),
            (
                "end invalid",
                m(|d| d["technicians"][0]["end"] = json!({"x": 1})),
                "technicians[0].end.y",
                "expected a finite number",
            ),
            (
                "end number",
                m(|d| d["technicians"][0]["end"] = json!(3)),
                "technicians[0].end",
                "expected {\"x\"",
            ),
        ],
    );
    run_cases(
        base_haversine,
        vec![
            (
                "lat range",
                m(|d| d["technicians"][0]["start"]["lat"] = json!(90.5)),
                "technicians[0].start.lat",
                "expected latitude in [-90, 90], got 90.5",
            ),
            (
                "lat missing",
                m(|d| d["technicians"][0]["start"] = json!({"lon": 1})),
                "technicians[0].start.lat",
                "got null",
            ),
            (
                "lon range",
                m(|d| d["technicians"][0]["start"]["lon"] = json!(-181)),
                "technicians[0].start.lon",
                "expected longitude in [-180, 180], got -181",
            ),
            (
                "not object",
                m(|d| d["technicians"][0]["start"] = json!([48.1, 11.6])),
                "technicians[0].start",
                "expected {\"lat\": .., \"lon\": ..}",
            ),
            (
                "job lat",
                m(|d| d["jobs"][0]["location"]["lat"] = json!(-91)),
                "jobs[0].location.lat",
                "latitude",
            ),
        ],
    );
    run_cases(
        base_matrix,
        vec![
            (
                "index float",
                m(|d| d["technicians"][0]["start"] = json!(1.0)),
                "technicians[0].start",
                "expected an integer matrix index, got 1.0",
            ),
            (
                "index object",
                m(|d| d["technicians"][0]["start"] = json!({"x": 1})),
                "technicians[0].start",
                "integer matrix index",
            ),
            (
                "index range",
                m(|d| d["technicians"][0]["end"] = json!(3)),
                "technicians[0].end",
                "matrix index 3 out of range 0..2",
            ),
            (
                "index negative",
                m(|d| d["jobs"][0]["location"] = json!(-1)),
                "jobs[0].location",
                "matrix index -1 out of range 0..2",
            ),
            (
                "index huge",
                m(|d| d["jobs"][0]["location"] = json!(u64::MAX)),
                "jobs[0].location",
                "out of range",
            ),
        ],
    );
}

#[test]
fn technician_shift_skill_and_cert_rules() {
    run_cases(
        base,
        vec![
            (
                "shift missing",
                m(|d| remove(&mut d["technicians"][0], "shift")),
                "technicians[0].shift",
                "missing [start, end]",
            ),
            (
                "shift null",
                m(|d| d["technicians"][0]["shift"] = Value::Null),
                "technicians[0].shift",
                "expected [start, end], got null",
            ),
            (
                "shift one",
                m(|d| d["technicians"][0]["shift"] = json!([0])),
                "technicians[0].shift",
                "expected [start, end], got [0]",
            ),
            (
                "shift three",
                m(|d| d["technicians"][0]["shift"] = json!([0, 1, 2])),
                "technicians[0].shift",
                "expected [start, end]",
            ),
            (
                "shift start string",
                m(|d| d["technicians"][0]["shift"] = json!(["8:00", 100])),
                "technicians[0].shift[0]",
                "expected a finite number, got \"8:00\"",
            ),
            (
                "shift end null",
                m(|d| d["technicians"][1]["shift"] = json!([0, null])),
                "technicians[1].shift[1]",
                "got null",
            ),
            (
                "shift reversed",
                m(|d| d["technicians"][0]["shift"] = json!([61200, 28800])),
                "technicians[0].shift",
                "start 61200 is after end 28800",
            ),
            (
                "shift reversed float",
                m(|d| d["technicians"][0]["shift"] = json!([10.5, 10.25])),
                "technicians[0].shift",
                "start 10.5 is after end 10.25",
            ),
            (
                "overtime negative",
                m(|d| d["technicians"][0]["max_overtime"] = json!(-60)),
                "technicians[0].max_overtime",
                "must be >= 0, got -60",
            ),
            (
                "overtime string",
                m(|d| d["technicians"][0]["max_overtime"] = json!("1h")),
                "technicians[0].max_overtime",
                "expected a finite number",
            ),
            (
                "skills list",
                m(|d| d["technicians"][0]["skills"] = json!(["hvac"])),
                "technicians[0].skills",
                "expected an object {skill: level}",
            ),
            (
                "skill level 7",
                m(|d| d["technicians"][0]["skills"]["hvac"] = json!(7)),
                "technicians[0].skills.hvac",
                "skill level must be an integer 1..5, got 7",
            ),
            (
                "skill level 0",
                m(|d| d["technicians"][0]["skills"]["hvac"] = json!(0)),
                "technicians[0].skills.hvac",
                "got 0",
            ),
            (
                "skill level float",
                m(|d| d["technicians"][0]["skills"]["hvac"] = json!(3.0)),
                "technicians[0].skills.hvac",
                "got 3.0",
            ),
            (
                "skill level string",
                m(|d| d["technicians"][1]["skills"] = json!({"gas": "3"})),
                "technicians[1].skills.gas",
                "got \"3\"",
            ),
            (
                "skill level bool",
                m(|d| d["technicians"][1]["skills"] = json!({"gas": true})),
                "technicians[1].skills.gas",
                "got true",
            ),
            (
                "skill name empty",
                m(|d| d["technicians"][0]["skills"] = json!({"": 2})),
                "technicians[0].skills",
                "empty skill name",
            ),
            (
                "certs list",
                m(|d| d["technicians"][0]["certifications"] = json!(["gas-safe"])),
                "technicians[0].certifications",
                "expected an object {name: \"YYYY-MM-DD\"}",
            ),
            (
                "cert bad date",
                m(|d| d["technicians"][0]["certifications"] = json!({"gas-safe": "2027-02-29"})),
                "technicians[0].certifications.gas-safe",
                "invalid date \"2027-02-29\"",
            ),
            (
                "cert not string",
                m(|d| d["technicians"][1]["certifications"] = json!({"f-gas": 2027})),
                "technicians[1].certifications.f-gas",
                "expected a date string YYYY-MM-DD, got 2027",
            ),
        ],
    );
}

#[test]
fn technician_capacity_break_cost_and_misc_rules() {
    run_cases(
        base,
        vec![
            (
                "capacity number",
                m(|d| d["technicians"][0]["capacity"] = json!(100)),
                "technicians[0].capacity",
                "must be a list of numbers (one per dimension)",
            ),
            (
                "capacity negative",
                m(|d| d["technicians"][0]["capacity"] = json!([-1])),
                "technicians[0].capacity[0]",
                "must be >= 0, got -1",
            ),
            (
                "capacity string",
                m(|d| d["technicians"][0]["capacity"] = json!([1, "2"])),
                "technicians[0].capacity[1]",
                "expected a finite number, got \"2\"",
            ),
            (
                "capacity dims",
                m(|d| d["technicians"][1]["capacity"] = json!([1, 2])),
                "technicians[1].capacity",
                "has 2 dimensions but technicians[0].capacity has 1",
            ),
            (
                "max_jobs negative",
                m(|d| d["technicians"][0]["max_jobs"] = json!(-1)),
                "technicians[0].max_jobs",
                "must be an integer >= 0, got -1",
            ),
            (
                "max_jobs float",
                m(|d| d["technicians"][0]["max_jobs"] = json!(2.5)),
                "technicians[0].max_jobs",
                "got 2.5",
            ),
            (
                "max_jobs string",
                m(|d| d["technicians"][0]["max_jobs"] = json!("8")),
                "technicians[0].max_jobs",
                "got \"8\"",
            ),
            (
                "break list",
                m(|d| d["technicians"][0]["break"] = json!([43200, 48600])),
                "technicians[0].break",
                "must be an object {window, duration}",
            ),
            (
                "break window missing",
                m(|d| d["technicians"][0]["break"] = json!({"duration": 1800})),
                "technicians[0].break.window",
                "missing [start, end]",
            ),
            (
                "break window reversed",
                m(|d| {
                    d["technicians"][0]["break"] =
                        json!({"window": [48600, 43200], "duration": 1800})
                }),
                "technicians[0].break.window",
                "start 48600 is after end 43200",
            ),
            (
                "break window element",
                m(|d| {
                    d["technicians"][0]["break"] = json!({"window": [43200, "x"], "duration": 1800})
                }),
                "technicians[0].break.window[1]",
                "expected a finite number",
            ),
            (
                "break duration missing",
                m(|d| d["technicians"][0]["break"] = json!({"window": [43200, 48600]})),
                "technicians[0].break.duration",
                "missing required number",
            ),
            (
                "break duration negative",
                m(|d| {
                    d["technicians"][0]["break"] = json!({"window": [43200, 48600], "duration": -5})
                }),
                "technicians[0].break.duration",
                "must be >= 0, got -5",
            ),
            (
                "cost list",
                m(|d| d["technicians"][0]["cost"] = json!([1])),
                "technicians[0].cost",
                "must be an object {fixed, per_hour, per_km}",
            ),
            (
                "cost fixed negative",
                m(|d| d["technicians"][0]["cost"] = json!({"fixed": -1})),
                "technicians[0].cost.fixed",
                "must be >= 0",
            ),
            (
                "cost per_hour negative",
                m(|d| d["technicians"][0]["cost"] = json!({"per_hour": -38.5})),
                "technicians[0].cost.per_hour",
                "must be >= 0, got -38.5",
            ),
            (
                "cost per_km string",
                m(|d| d["technicians"][1]["cost"] = json!({"per_km": "0.25"})),
                "technicians[1].cost.per_km",
                "expected a finite number",
            ),
            (
                "rating high",
                m(|d| d["technicians"][0]["rating"] = json!(5.5)),
                "technicians[0].rating",
                "must be a number in 0..5, got 5.5",
            ),
            (
                "rating negative",
                m(|d| d["technicians"][0]["rating"] = json!(-1)),
                "technicians[0].rating",
                "must be a number in 0..5",
            ),
            (
                "rating string",
                m(|d| d["technicians"][0]["rating"] = json!("4")),
                "technicians[0].rating",
                "got \"4\"",
            ),
            (
                "kind unknown",
                m(|d| d["technicians"][0]["kind"] = json!("freelancer")),
                "technicians[0].kind",
                "must be \"employee\" or \"contractor\", got \"freelancer\"",
            ),
            (
                "kind number",
                m(|d| d["technicians"][0]["kind"] = json!(1)),
                "technicians[0].kind",
                "got 1",
            ),
            (
                "team number",
                m(|d| d["technicians"][0]["team"] = json!(7)),
                "technicians[0].team",
                "must be a string",
            ),
        ],
    );
}

// ---------------------------------------------------------------------------------------------
// Rules: jobs
// ---------------------------------------------------------------------------------------------

#[test]
fn job_identity_location_duration_and_window_rules() {
    run_cases(
        base,
        vec![
            ("not object", m(|d| d["jobs"][0] = json!(1)), "jobs[0]", "must be an object"),
            (
                "id missing",
                m(|d| remove(&mut d["jobs"][1], "id")),
                "jobs[1].id",
                "missing or empty id",
            ),
            (
                "id empty",
                m(|d| d["jobs"][0]["id"] = json!("")),
                "jobs[0].id",
                "missing or empty id",
            ),
            (
                "id duplicate",
                m(|d| d["jobs"][1]["id"] = json!("J1")),
                "jobs[1].id",
                "duplicate job id \"J1\" (also jobs[0])",
            ),
            (
                "id shared with technician is fine, customer number",
                m(|d| {
                    d["jobs"][0]["id"] = json!("T1");
                    d["jobs"][0]["customer"] = json!(3);
                }),
                "jobs[0].customer",
                "must be a string",
            ),
            (
                "location missing",
                m(|d| remove(&mut d["jobs"][0], "location")),
                "jobs[0].location",
                "missing",
            ),
            (
                "location null",
                m(|d| d["jobs"][0]["location"] = Value::Null),
                "jobs[0].location",
                "expected {\"x\": .., \"y\": ..}",
            ),
            (
                "location x",
                m(|d| d["jobs"][1]["location"]["x"] = json!("6")),
                "jobs[1].location.x",
                "expected a finite number",
            ),
            (
                "duration missing",
                m(|d| remove(&mut d["jobs"][0], "duration")),
                "jobs[0].duration",
                "missing required number",
            ),
            (
                "duration null",
                m(|d| d["jobs"][0]["duration"] = Value::Null),
                "jobs[0].duration",
                "missing required number",
            ),
            (
                "duration negative",
                m(|d| d["jobs"][0]["duration"] = json!(-1)),
                "jobs[0].duration",
                "must be >= 0, got -1",
            ),
            (
                "duration string",
                m(|d| d["jobs"][0]["duration"] = json!("45m")),
                "jobs[0].duration",
                "expected a finite number, got \"45m\"",
            ),
            (
                "windows object",
                m(|d| d["jobs"][1]["time_windows"] = json!({"a": 1})),
                "jobs[1].time_windows",
                "must be a list of [start, end]",
            ),
            (
                "windows empty",
                m(|d| d["jobs"][1]["time_windows"] = json!([])),
                "jobs[1].time_windows",
                "is empty (omit it for 'any time')",
            ),
            (
                "window reversed",
                m(|d| d["jobs"][1]["time_windows"] = json!([[50400, 43200]])),
                "jobs[1].time_windows[0]",
                "start 50400 is after end 43200",
            ),
            (
                "second window bad",
                m(|d| d["jobs"][1]["time_windows"] = json!([[0, 10], [5]])),
                "jobs[1].time_windows[1]",
                "expected [start, end], got [5]",
            ),
            (
                "window element",
                m(|d| d["jobs"][1]["time_windows"] = json!([[0, 10], [null, 20]])),
                "jobs[1].time_windows[1][0]",
                "expected a finite number, got null",
            ),
            (
                "window number",
                m(|d| d["jobs"][1]["time_windows"] = json!([28800, 43200])),
                "jobs[1].time_windows[0]",
                "expected [start, end], got 28800",
            ),
        ],
    );
}

#[test]
fn job_skill_cert_demand_priority_rules() {
    run_cases(
        base,
        vec![
            (
                "skills list",
                m(|d| d["jobs"][0]["skills"] = json!([])),
                "jobs[0].skills",
                "expected an object {skill: level}",
            ),
            (
                "skill level 6",
                m(|d| d["jobs"][0]["skills"] = json!({"hvac": 6})),
                "jobs[0].skills.hvac",
                "skill level must be an integer 1..5, got 6",
            ),
            (
                "skill name empty",
                m(|d| d["jobs"][0]["skills"] = json!({"": 1})),
                "jobs[0].skills",
                "empty skill name",
            ),
            (
                "certs object",
                m(|d| d["jobs"][0]["certifications"] = json!({"gas-safe": true})),
                "jobs[0].certifications",
                "must be a list of names",
            ),
            (
                "cert empty",
                m(|d| d["jobs"][0]["certifications"] = json!(["gas-safe", ""])),
                "jobs[0].certifications[1]",
                "must be a non-empty string",
            ),
            (
                "cert number",
                m(|d| d["jobs"][0]["certifications"] = json!([1])),
                "jobs[0].certifications[0]",
                "must be a non-empty string",
            ),
            (
                "demand number",
                m(|d| d["jobs"][0]["demand"] = json!(5)),
                "jobs[0].demand",
                "must be a list of numbers",
            ),
            (
                "demand negative",
                m(|d| d["jobs"][0]["demand"] = json!([-5])),
                "jobs[0].demand[0]",
                "must be >= 0, got -5",
            ),
            (
                "demand string",
                m(|d| d["jobs"][0]["demand"] = json!(["5"])),
                "jobs[0].demand[0]",
                "expected a finite number",
            ),
            (
                "demand vs capacity",
                m(|d| d["jobs"][0]["demand"] = json!([5, 1])),
                "jobs[0].demand",
                "has 2 dimensions but technician capacity (technicians[0].capacity) has 1",
            ),
            (
                "demand vs demand",
                m(|d| {
                    remove(&mut d["technicians"][0], "capacity");
                    d["jobs"][0]["demand"] = json!([5, 1]);
                    d["jobs"][1]["demand"] = json!([5]);
                }),
                "jobs[1].demand",
                "has 1 dimensions but jobs[0].demand has 2",
            ),
            (
                "priority negative",
                m(|d| d["jobs"][0]["priority"] = json!(-1)),
                "jobs[0].priority",
                "must be an integer >= 0, got -1",
            ),
            (
                "priority float",
                m(|d| d["jobs"][0]["priority"] = json!(1.5)),
                "jobs[0].priority",
                "got 1.5",
            ),
            (
                "priority float integral",
                m(|d| d["jobs"][0]["priority"] = json!(2.0)),
                "jobs[0].priority",
                "got 2.0",
            ),
            (
                "priority string",
                m(|d| d["jobs"][0]["priority"] = json!("high")),
                "jobs[0].priority",
                "got \"high\"",
            ),
            (
                "priority too big",
                m(|d| d["jobs"][0]["priority"] = json!(u64::from(u32::MAX) + 1)),
                "jobs[0].priority",
                "must be an integer <= 4294967295",
            ),
            (
                "unassigned_cost negative",
                m(|d| d["jobs"][0]["unassigned_cost"] = json!(-250)),
                "jobs[0].unassigned_cost",
                "must be >= 0, got -250",
            ),
            (
                "unassigned_cost string",
                m(|d| d["jobs"][0]["unassigned_cost"] = json!("250")),
                "jobs[0].unassigned_cost",
                "expected a finite number",
            ),
            (
                "kind number",
                m(|d| d["jobs"][0]["kind"] = json!(3)),
                "jobs[0].kind",
                "must be a string",
            ),
        ],
    );
}

#[test]
fn job_technician_reference_rules() {
    run_cases(
        base,
        vec![
            (
                "preferred string",
                m(|d| d["jobs"][0]["preferred_technicians"] = json!("T1")),
                "jobs[0].preferred_technicians",
                "must be a list of technician ids",
            ),
            (
                "preferred unknown",
                m(|d| d["jobs"][0]["preferred_technicians"] = json!(["T1", "T9"])),
                "jobs[0].preferred_technicians[1]",
                "unknown technician id \"T9\"",
            ),
            (
                "preferred number",
                m(|d| d["jobs"][0]["preferred_technicians"] = json!([1])),
                "jobs[0].preferred_technicians[0]",
                "must be a technician id string",
            ),
            (
                "preferred empty id",
                m(|d| d["jobs"][0]["preferred_technicians"] = json!([""])),
                "jobs[0].preferred_technicians[0]",
                "must be a technician id string",
            ),
            (
                "excluded object",
                m(|d| d["jobs"][1]["excluded_technicians"] = json!({"T1": true})),
                "jobs[1].excluded_technicians",
                "must be a list of technician ids",
            ),
            (
                "excluded unknown",
                m(|d| d["jobs"][1]["excluded_technicians"] = json!(["T2", "t1"])),
                "jobs[1].excluded_technicians[1]",
                "unknown technician id \"t1\"",
            ),
            (
                "pinned unknown",
                m(|d| d["jobs"][0]["pinned_technician"] = json!("T3")),
                "jobs[0].pinned_technician",
                "unknown technician id \"T3\"",
            ),
            (
                "pinned list",
                m(|d| d["jobs"][0]["pinned_technician"] = json!(["T1"])),
                "jobs[0].pinned_technician",
                "must be a technician id string",
            ),
            (
                "pinned empty",
                m(|d| d["jobs"][0]["pinned_technician"] = json!("")),
                "jobs[0].pinned_technician",
                "must be a technician id string",
            ),
            (
                "pinned and excluded",
                m(|d| {
                    d["jobs"][0]["pinned_technician"] = json!("T2");
                    d["jobs"][0]["excluded_technicians"] = json!(["T2"]);
                }),
                "jobs[0].pinned_technician",
                "technician \"T2\" is both pinned and excluded",
            ),
        ],
    );
}

// ---------------------------------------------------------------------------------------------
// Order of errors, syntax errors, garbage
// ---------------------------------------------------------------------------------------------

#[test]
fn first_error_in_document_order() {
    // Technician errors come before job errors, the checker's field order inside a record.
    let doc = with(base(), |d| {
        d["jobs"][0]["duration"] = json!(-1);
        d["technicians"][1]["rating"] = json!(9);
        d["technicians"][1]["shift"] = json!([5, 1]);
    });
    assert_rejected(doc, "technicians[1].shift", "start 5 is after end 1");
    // Top-level order: format, name, date, travel, policy, technicians.
    let doc = with(base(), |d| {
        d["technicians"] = json!([]);
        d["travel"]["kind"] = json!("x");
        d["date"] = json!("2026-02-30");
    });
    assert_rejected(doc, "date", "invalid date");
    // Inside one object, members are checked in the order they are written (text input).
    let text = r#"{"format": "fieldopt-problem/1", "date": "2026-11-24",
        "travel": {"kind": "euclidean"},
        "technicians": [{"id": "T1", "start": {"x": 0, "y": 0}, "shift": [0, 10],
                         "skills": {"zeta": 9, "alpha": 0}}]}"#;
    let e = parse_problem_str(text).expect_err("invalid");
    assert_eq!(e.path(), Some("technicians[0].skills.zeta"), "{e}");
}

#[test]
fn json_syntax_errors_are_reported() {
    // The path is where the parser was when it failed ("" at the top level).
    let e = parse_problem_str("{\"format\": ").expect_err("truncated");
    let Error::InvalidInput { path, message } = &e else { panic!("{e}") };
    assert_eq!(path, "format");
    assert!(message.contains("invalid JSON") && message.contains("line 1"), "{message}");
    let e = parse_problem_str("{\"format\" 1}").expect_err("no colon");
    assert_eq!(e.path(), Some(""), "{e}");
    assert!(e.to_string().contains("expected `:`"), "{e}");
    let e = parse_problem_str("{\"jobs\": [{\"id\": \"J1\", \"duration\": 1x}]}")
        .expect_err("bad number");
    assert_eq!(e.path(), Some("jobs[0]"), "{e}");
    let e = parse_problem_str("{\"jobs\": [{\"id\": \"J1\", \"duration\": -}]}")
        .expect_err("bad number");
    assert_eq!(e.path(), Some("jobs[0].duration"), "{e}");
    let e = parse_problem_str("{} {}").expect_err("trailing");
    assert!(e.to_string().contains("trailing characters"), "{e}");
    for text in ["", "null", "[]", "\"x\"", "3", "NaN", "{\"a\": Infinity}", "{\"a\": 1e400}"] {
        assert!(parse_problem_str(text).is_err(), "{text:?} accepted");
    }
    assert_eq!(parse_problem_str("[1]").expect_err("array").path(), Some(""));
}

#[test]
fn non_finite_numbers_cannot_slip_through_values() {
    // serde_json turns NaN and infinities into null, which is then missing or the wrong type.
    let doc = with(base(), |d| d["jobs"][0]["duration"] = json!(f64::NAN));
    assert_rejected(doc, "jobs[0].duration", "missing required number");
    let doc = with(base(), |d| d["technicians"][0]["shift"] = json!([0.0, f64::INFINITY]));
    assert_rejected(doc, "technicians[0].shift[1]", "expected a finite number, got null");
    let doc = with(base(), |d| d["travel"]["speed"] = json!(f64::NEG_INFINITY));
    accept(doc); // null speed = default 1.0, as in the checker
}

#[test]
fn garbage_and_truncations_never_panic() {
    let full = serde_json::to_string(&full_euclidean()).expect("serializes");
    // Every prefix of a valid document is invalid JSON (the document ends with its last brace).
    for cut in (0..full.len()).filter(|&i| full.is_char_boundary(i)) {
        assert!(parse_problem_str(&full[..cut]).is_err(), "prefix of {cut} bytes accepted");
    }
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let alphabet = b"{}[]\":,0123456789.-eE truenlfasxy\\";
    for _ in 0..3000 {
        let len = rng.random_range(0..64);
        let s: String =
            (0..len).map(|_| alphabet[rng.random_range(0..alphabet.len())] as char).collect();
        let _ = parse_problem_str(&s);
        // Random byte flips in a valid document.
        let mut bytes = full.clone().into_bytes();
        for _ in 0..rng.random_range(1..4) {
            let i = rng.random_range(0..bytes.len());
            bytes[i] = alphabet[rng.random_range(0..alphabet.len())];
        }
        if let Ok(text) = String::from_utf8(bytes) {
            let _ = parse_problem_str(&text);
        }
    }
    // Deep nesting is refused by the JSON parser, not by a stack overflow.
    let deep = "[".repeat(100_000);
    assert!(parse_problem_str(&deep).is_err());
}

// ---------------------------------------------------------------------------------------------
// Complete valid documents
// ---------------------------------------------------------------------------------------------

/// Every optional field of the spec, euclidean travel; plus unknown keys everywhere.
fn full_euclidean() -> Value {
    json!({
        "format": "fieldopt-problem/1",
        "name": "north-region-2026-11-24",
        "date": "2026-11-24",
        "x-extension": {"anything": [1, 2, 3]},
        "travel": {"kind": "euclidean", "speed": 2.0, "note": "unknown keys are fine"},
        "technicians": [
            {
                "id": "T07",
                "start": {"x": 0, "y": 0, "label": "depot"},
                "end": {"x": 100, "y": 0},
                "shift": [28800, 61200],
                "max_overtime": 1800,
                "skills": {"hvac": 3, "electrical": 1},
                "certifications": {"gas-safe": "2027-01-31", "f-gas": "2026-11-23"},
                "capacity": [200, 5.5],
                "max_jobs": 8,
                "break": {"window": [43200, 48600], "duration": 1800, "paid": false},
                "cost": {"fixed": 10, "per_hour": 38.0, "per_km": 0.25, "currency": "EUR"},
                "rating": 4.6,
                "kind": "contractor",
                "team": "north",
                "phone": "+49 000"
            },
            {"id": "T02", "start": {"x": 50, "y": 50}, "shift": [-3600.5, 90000],
             "kind": "employee", "skills": null, "certifications": null, "capacity": null,
             "max_jobs": null, "break": null, "cost": null, "rating": null, "team": null,
             "end": null, "max_overtime": null}
        ],
        "jobs": [
            {
                "id": "J1042",
                "customer": "C-311",
                "location": {"x": 30, "y": 40},
                "duration": 2700,
                "time_windows": [[46800, 61200], [28800, 43200]],
                "skills": {"hvac": 2, "plumbing": 4},
                "certifications": ["gas-safe", "working-at-height", "gas-safe"],
                "demand": [10, 0.0005],
                "priority": 3,
                "unassigned_cost": 250.0,
                "preferred_technicians": ["T07", "T07", "T02"],
                "excluded_technicians": ["T02"],
                "pinned_technician": "T07",
                "kind": "repair",
                "sla": "gold"
            },
            {"id": "J0007", "location": {"x": -5.5, "y": 1e3}, "duration": 0,
             "time_windows": null, "skills": null, "certifications": null, "demand": null,
             "priority": null, "unassigned_cost": null, "preferred_technicians": null,
             "excluded_technicians": null, "pinned_technician": null, "kind": null,
             "customer": null}
        ],
        "policy": {"travel_time": 25.0, "travel_distance": 0.4, "labor": 1.5, "unassigned": 5000}
    })
}

#[test]
fn complete_euclidean_document_is_accepted() {
    let p = accept(full_euclidean());
    assert_eq!(p.name.as_deref(), Some("north-region-2026-11-24"));
    assert_eq!(p.date.to_string(), "2026-11-24");
    assert_eq!(p.technicians.len(), 2);
    assert_eq!(p.jobs.len(), 2);
    let t = &p.technicians[0];
    assert_eq!(t.id, "T07");
    assert_eq!(t.kind, TechKind::Contractor);
    assert_eq!(t.team.as_deref(), Some("north"));
    assert_eq!(t.rating, Some(4.6));
    assert_eq!(t.max_jobs, Some(8));
    assert_eq!((t.cost.fixed, t.cost.per_hour, t.cost.per_km), (10.0, 38.0, 0.25));
    let b = t.brk.expect("break");
    assert_eq!(b.window, TimeWindow { open: 43_200_000, close: 48_600_000 });
    assert_eq!(b.duration, 1_800_000);
    assert_eq!(b.exact, (43200.0, 48600.0, 1800.0));
    assert_eq!(t.shift_exact, (28800.0, 61200.0, 1800.0));
    assert_eq!(t.max_overtime, 1_800_000);
    let t2 = &p.technicians[1];
    assert_eq!(t2.kind, TechKind::Employee);
    assert!(t2.brk.is_none() && t2.capacity.is_none() && t2.max_jobs.is_none());
    assert_eq!(t2.cost, fieldopt::model::Cost::default());
    assert_eq!(t2.shift.open, -3_600_500);
    let j = &p.jobs[0];
    assert_eq!(j.customer.as_deref(), Some("C-311"));
    assert_eq!(j.kind.as_deref(), Some("repair"));
    assert_eq!(j.priority, 3);
    assert_eq!(j.unassigned_cost, Some(250.0));
    assert_eq!(j.preferred, vec![0, 1]);
    assert_eq!(j.excluded, vec![1]);
    assert_eq!(j.pinned, Some(0));
    let j2 = &p.jobs[1];
    assert_eq!(j2.priority, 1);
    assert_eq!(j2.windows, vec![TimeWindow::ANY]);
    assert!(j2.windows_exact.is_empty());
    assert!(j2.preferred.is_empty() && j2.excluded.is_empty() && j2.pinned.is_none());
    assert_eq!(p.policy.travel_time, 25.0);
    assert_eq!(p.policy.unassigned, 5000.0);
    match &p.travel.exact {
        ExactTravel::Euclidean { speed, points } => {
            assert_eq!(*speed, 2.0);
            assert_eq!(points.len(), 2 * 2 + 2);
        }
        other => panic!("wrong travel {other:?}"),
    }
}

#[test]
fn complete_haversine_document_is_accepted() {
    let doc = with(full_euclidean(), |d| {
        d["travel"] = json!({"kind": "haversine", "speed_kmh": 36.0, "detour_factor": 1.3});
        d["technicians"][0]["start"] = json!({"lat": 48.137, "lon": 11.575});
        d["technicians"][0]["end"] = json!({"lat": -90, "lon": 180});
        d["technicians"][1]["start"] = json!({"lat": 90, "lon": -180});
        d["jobs"][0]["location"] = json!({"lat": 48.2, "lon": 11.6, "address": "x"});
        d["jobs"][1]["location"] = json!({"lat": 0, "lon": 0});
    });
    let p = accept(doc);
    match &p.travel.exact {
        ExactTravel::Haversine { points, speed_ms, detour } => {
            assert!((speed_ms - 10.0).abs() < 1e-12);
            assert_eq!(*detour, 1.3);
            assert_eq!(points[0], (48.137, 11.575));
            assert_eq!(points[1], (-90.0, 180.0));
            assert_eq!(points[2], (90.0, -180.0));
            assert_eq!(points[3], points[2], "default end = start");
            assert_eq!(points[4], (48.2, 11.6));
        }
        other => panic!("wrong travel {other:?}"),
    }
    // One degree of latitude at 10 m/s, times the detour.
    let p = accept(with(base_haversine(), |d| {
        d["technicians"][0]["start"] = json!({"lat": 0, "lon": 0});
        d["jobs"][0]["location"] = json!({"lat": 1, "lon": 0});
    }));
    match &p.travel.exact {
        ExactTravel::Haversine { detour, .. } => assert_eq!(*detour, 1.0),
        other => panic!("wrong travel {other:?}"),
    }
    let metres = 6_371_008.8 * std::f64::consts::PI / 180.0;
    let (t, d) = p.travel.exact.between(0, 2);
    assert!((d - metres).abs() < 1e-6 && (t - metres / 10.0).abs() < 1e-6);
}

#[test]
fn complete_matrix_document_is_accepted() {
    let doc = with(full_euclidean(), |d| {
        d["travel"] = json!({
            "kind": "matrix",
            "durations": [[0, 10, 20, 30], [11, 0, 5, 6], [21, 5.5, 0, 7], [31, 6, 7, 1]],
            "distances": [[0, 100, 200, 300], [110, 0, 50, 60], [210, 55, 0, 70], [310, 60, 70, 0]]
        });
        d["technicians"][0]["start"] = json!(0);
        d["technicians"][0]["end"] = json!(3);
        d["technicians"][1]["start"] = json!(1);
        d["jobs"][0]["location"] = json!(2);
        d["jobs"][1]["location"] = json!(2);
    });
    let p = accept(doc);
    let (t0, t1) = (&p.technicians[0], &p.technicians[1]);
    assert_eq!((t0.start, t0.end, t1.start, t1.end), (0, 3, 1, 1));
    assert_eq!((p.jobs[0].loc, p.jobs[1].loc), (2, 2));
    assert_eq!(p.travel.len(), 4);
    assert_eq!(p.travel.time(2, 1), 5500);
    assert_eq!(p.travel.dist(2, 1), 55_000);
    assert_eq!(p.travel.time(3, 3), 1000, "diagonal read as given");
    // Without distances, distance = duration.
    let p = accept(base_matrix());
    assert_eq!(p.travel.exact.between(0, 2), (7.0, 7.0));
    assert_eq!(p.travel.dist(1, 2), 3000);
}

#[test]
fn unknown_keys_and_nulls_are_accepted_and_jobs_may_be_absent() {
    let p = accept(with(base(), |d| remove(d, "jobs")));
    assert!(p.jobs.is_empty());
    let p = accept(with(base(), |d| d["jobs"] = json!([])));
    assert!(p.jobs.is_empty());
    accept(with(base(), |d| {
        d["name"] = Value::Null;
        d["policy"] = Value::Null;
        d["travel"]["speed"] = Value::Null;
        d["jobs"][0]["whatever"] = json!({"deep": [null]});
    }));
    // Negative times are fine as long as start <= end; zero-length windows too.
    let p = accept(with(base(), |d| {
        d["technicians"][0]["shift"] = json!([-100, -100]);
        d["jobs"][0]["time_windows"] = json!([[-50.5, -50.5]]);
    }));
    assert_eq!(p.jobs[0].windows, vec![TimeWindow { open: -50_500, close: -50_500 }]);
}

// ---------------------------------------------------------------------------------------------
// Conversions
// ---------------------------------------------------------------------------------------------

#[test]
fn times_round_conservatively() {
    let p = accept(with(base(), |d| {
        d["technicians"][0]["shift"] = json!([0.0004, 100.0009]);
        d["technicians"][0]["max_overtime"] = json!(1.2345);
        d["technicians"][0]["break"] = json!({"window": [10.0001, 20.0009], "duration": 0.0001});
        d["jobs"][0]["duration"] = json!(2.0001);
        d["jobs"][0]["time_windows"] = json!([[0.0005, 10.0009]]);
    }));
    let t = &p.technicians[0];
    assert_eq!(t.shift, TimeWindow { open: 1, close: 100_000 });
    assert_eq!(t.max_overtime, 1234);
    assert_eq!(t.shift_exact, (0.0004, 100.0009, 1.2345));
    let b = t.brk.expect("break");
    assert_eq!(b.window, TimeWindow { open: 10_001, close: 20_000 });
    assert_eq!(b.duration, 1);
    assert_eq!(b.exact, (10.0001, 20.0009, 0.0001));
    let j = &p.jobs[0];
    assert_eq!(j.duration, 2001);
    assert_eq!(j.duration_exact, 2.0001);
    assert_eq!(j.windows, vec![TimeWindow { open: 1, close: 10_000 }]);
    assert_eq!(j.windows_exact, vec![(0.0005, 10.0009)]);
    // Exact decimal values do not move.
    let p = accept(base());
    assert_eq!(p.technicians[0].shift, TimeWindow { open: 28_800_000, close: 61_200_000 });
    assert_eq!(p.technicians[0].max_overtime, 0);
    assert_eq!(p.jobs[1].windows, vec![TimeWindow { open: 28_800_000, close: 43_200_000 }]);
}

#[test]
fn windows_are_sorted() {
    let p = accept(with(base(), |d| {
        d["jobs"][0]["time_windows"] = json!([[50, 60], [10, 20], [10, 15], [-5, 0]]);
    }));
    let j = &p.jobs[0];
    assert_eq!(j.windows_exact, vec![(-5.0, 0.0), (10.0, 15.0), (10.0, 20.0), (50.0, 60.0)]);
    let opens: Vec<i64> = j.windows.iter().map(|w| w.open).collect();
    assert_eq!(opens, vec![-5000, 10_000, 10_000, 50_000]);
    assert_eq!(j.window_hull(), TimeWindow { open: -5000, close: 60_000 });
}

#[test]
fn points_are_technician_start_end_then_jobs() {
    let p = accept(with(base(), |d| {
        d["technicians"][1]["end"] = json!({"x": 20, "y": 1});
    }));
    let t = &p.technicians;
    assert_eq!((t[0].start, t[0].end, t[1].start, t[1].end), (0, 1, 2, 3));
    assert_eq!((p.jobs[0].loc, p.jobs[1].loc), (4, 5));
    let ExactTravel::Euclidean { points, speed } = &p.travel.exact else {
        panic!("euclidean expected")
    };
    assert_eq!(*speed, 1.0);
    assert_eq!(
        points,
        &vec![(0.0, 0.0), (0.0, 0.0), (10.0, 0.0), (20.0, 1.0), (3.0, 4.0), (6.0, 8.0)]
    );
    assert_eq!(p.travel.len(), 6);
    assert_eq!(p.travel.time(0, 4), 5000);
    assert_eq!(p.travel.dist(0, 5), 10_000);
    // Euclidean speed defaults to 1.
    let p = accept(with(base(), |d| remove(&mut d["travel"], "speed")));
    assert!(matches!(p.travel.exact, ExactTravel::Euclidean { speed, .. } if speed == 1.0));
}

#[test]
fn skills_are_a_union_in_first_seen_order() {
    // Text input keeps member order: "plumbing" before "hvac" inside T1.
    let text = r#"{"format": "fieldopt-problem/1", "date": "2026-11-24",
      "travel": {"kind": "euclidean"},
      "technicians": [
        {"id": "T1", "start": {"x": 0, "y": 0}, "shift": [0, 10], "skills": {"plumbing": 2, "hvac": 5}},
        {"id": "T2", "start": {"x": 0, "y": 0}, "shift": [0, 10], "skills": {"gas": 1, "hvac": 1}}
      ],
      "jobs": [
        {"id": "J1", "location": {"x": 1, "y": 1}, "duration": 1, "skills": {"electrical": 3, "hvac": 2}}
      ]}"#;
    let p = parse_problem_str(text).expect("valid");
    assert_eq!(p.skill_names, vec!["plumbing", "hvac", "gas", "electrical"]);
    assert_eq!(p.technicians[0].skills, vec![2, 5, 0, 0]);
    assert_eq!(p.technicians[1].skills, vec![0, 1, 1, 0]);
    assert_eq!(p.jobs[0].skills, vec![(3, 3), (1, 2)]);
    // No skills anywhere.
    let p = accept(with(base(), |d| remove(&mut d["technicians"][0], "skills")));
    assert!(p.skill_names.is_empty());
    assert!(p.technicians.iter().all(|t| t.skills.is_empty()));
}

#[test]
fn certifications_are_checked_against_the_date_inclusive() {
    // Text input, so that member order is the document's.
    let text = r#"{"format": "fieldopt-problem/1", "date": "2024-02-29",
      "travel": {"kind": "euclidean"},
      "technicians": [
        {"id": "T1", "start": {"x": 0, "y": 0}, "shift": [0, 10], "certifications":
          {"gas-safe": "2024-02-29", "f-gas": "2024-02-28", "height": "2025-01-01"}},
        {"id": "T2", "start": {"x": 0, "y": 0}, "shift": [0, 10], "certifications":
          {"f-gas": "2024-03-01"}}
      ],
      "jobs": [
        {"id": "J1", "location": {"x": 1, "y": 1}, "duration": 1,
         "certifications": ["asbestos", "f-gas", "asbestos"]},
        {"id": "J2", "location": {"x": 1, "y": 1}, "duration": 1}
      ]}"#;
    let p = parse_problem_str(text).expect("valid");
    assert_eq!(p.cert_names, vec!["gas-safe", "f-gas", "height", "asbestos"]);
    let t0 = &p.technicians[0];
    assert_eq!(t0.certs_valid, vec![true, false, true, false], "expiry day is still valid");
    assert_eq!(t0.cert_expiry[1].map(|d| d.to_string()).as_deref(), Some("2024-02-28"));
    assert_eq!(t0.cert_expiry[3], None);
    assert_eq!(p.technicians[1].certs_valid, vec![false, true, false, false]);
    assert_eq!(p.jobs[0].certs, vec![3, 1], "deduplicated, document order");
    assert!(p.jobs[1].certs.is_empty());
}

#[test]
fn capacity_and_demand_dimensions() {
    // Capacity on one technician: dims from it; jobs without demand get zeros.
    let p = accept(with(base(), |d| {
        d["technicians"][0]["capacity"] = json!([100.0005, 2]);
        d["jobs"][0]["demand"] = json!([10.0001, 0]);
    }));
    assert_eq!(p.dims, 2);
    assert_eq!(p.technicians[0].capacity, Some(vec![100_000, 2000]), "rounded down");
    assert_eq!(p.technicians[1].capacity, None, "unlimited");
    assert_eq!(p.jobs[0].demand, vec![10_001, 0], "rounded up");
    assert_eq!(p.jobs[1].demand, vec![0, 0]);
    // Demand but no capacity anywhere: dims from the demand.
    let p = accept(with(base(), |d| {
        remove(&mut d["technicians"][0], "capacity");
        d["jobs"][1]["demand"] = json!([1, 2, 3]);
    }));
    assert_eq!(p.dims, 3);
    assert_eq!(p.jobs[0].demand, vec![0, 0, 0]);
    assert_eq!(p.jobs[1].demand, vec![1000, 2000, 3000]);
    // Neither.
    let p = accept(with(base(), |d| remove(&mut d["technicians"][0], "capacity")));
    assert_eq!(p.dims, 0);
    assert!(p.jobs.iter().all(|j| j.demand.is_empty()));
}

#[test]
fn priorities_and_references() {
    let p = accept(with(base(), |d| {
        d["jobs"][0]["priority"] = json!(0);
        d["jobs"][1]["priority"] = json!(u32::MAX);
        d["jobs"][1]["preferred_technicians"] = json!(["T2", "T1", "T2"]);
        d["jobs"][1]["excluded_technicians"] = json!(["T1"]);
        d["jobs"][1]["pinned_technician"] = json!("T2");
    }));
    assert_eq!(p.jobs[0].priority, 0);
    assert_eq!(p.jobs[1].priority, u32::MAX);
    assert_eq!(p.jobs[1].preferred, vec![1, 0]);
    assert_eq!(p.jobs[1].excluded, vec![0]);
    assert_eq!(p.jobs[1].pinned, Some(1));
}

// ---------------------------------------------------------------------------------------------
// Differential test against the reference checker
// ---------------------------------------------------------------------------------------------

/// Values a mutation may write anywhere in a document.
fn bad_values() -> Vec<Value> {
    vec![
        Value::Null,
        json!(true),
        json!(-1),
        json!(0),
        json!(1),
        json!(3),
        json!(7),
        json!(2.5),
        json!(-3.5),
        json!(1e6),
        json!("x"),
        json!(""),
        json!("T0"),
        json!("2026-02-30"),
        json!("2026-11-24"),
        json!([]),
        json!([1]),
        json!([2, 1]),
        json!([1, 2]),
        json!([[5, 1]]),
        json!({}),
        json!({"x": 1, "y": 2}),
        json!({"lat": 100, "lon": 0}),
        json!({"hvac": 9}),
    ]
}

/// Every (parent path, key or index) in `v`, outside `policy`.
fn slots(v: &Value, path: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if path.is_empty() && k == "policy" {
                    continue;
                }
                path.push(json!(k));
                out.push(path.clone());
                slots(x, path, out);
                path.pop();
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                path.push(json!(i));
                out.push(path.clone());
                slots(x, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

/// The parent container of the slot at `path`.
fn parent_mut<'a>(doc: &'a mut Value, path: &[Value]) -> Option<&'a mut Value> {
    let (_, up) = path.split_last()?;
    let mut cur = doc;
    for seg in up {
        cur = match seg {
            Value::String(k) => cur.get_mut(k.as_str())?,
            Value::Number(i) => cur.get_mut(usize::try_from(i.as_u64()?).ok()?)?,
            _ => return None,
        };
    }
    Some(cur)
}

/// Replaces, removes or duplicates one random slot of `doc`.
fn mutate(doc: &mut Value, rng: &mut ChaCha8Rng) {
    let mut all = Vec::new();
    slots(doc, &mut Vec::new(), &mut all);
    if all.is_empty() {
        return;
    }
    let path = all[rng.random_range(0..all.len())].clone();
    let Some(last) = path.last().cloned() else { return };
    let pool = bad_values();
    let choice = rng.random_range(0..10);
    let Some(parent) = parent_mut(doc, &path) else { return };
    match (parent, last) {
        (Value::Object(m), Value::String(k)) if choice == 0 => {
            m.remove(&k);
        }
        (Value::Array(a), Value::Number(i)) if choice <= 1 => {
            let i = i.as_u64().and_then(|i| usize::try_from(i).ok()).unwrap_or(0);
            if let Some(x) = a.get(i).cloned() {
                a.push(x); // duplicates ids, windows, ...
            }
        }
        (Value::Object(m), Value::String(k)) => {
            m.insert(k, pool[rng.random_range(0..pool.len())].clone());
        }
        (Value::Array(a), Value::Number(i)) => {
            let i = i.as_u64().and_then(|i| usize::try_from(i).ok()).unwrap_or(0);
            if let Some(slot) = a.get_mut(i) {
                *slot = pool[rng.random_range(0..pool.len())].clone();
            }
        }
        _ => {}
    }
}

/// `s` with non-ASCII characters escaped as Python's `json.dumps` does (`\u00dc`).
fn ascii_escaped(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut buf = [0u16; 2];
            for unit in c.encode_utf16(&mut buf) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}

/// Splits `s` into text and number tokens (a number starts with a digit).
fn tokens(s: &str) -> Vec<(bool, String)> {
    let mut out: Vec<(bool, String)> = Vec::new();
    let mut prev = ' ';
    for c in s.chars() {
        let in_num = out.last().is_some_and(|(num, _)| *num);
        let continues = in_num
            && (c.is_ascii_digit()
                || c == '.'
                || c == 'e'
                || c == 'E'
                || ((c == '+' || c == '-') && (prev == 'e' || prev == 'E')));
        let is_num = continues || c.is_ascii_digit();
        match out.last_mut() {
            Some((num, text)) if *num == is_num && (continues || !is_num) => text.push(c),
            _ => out.push((is_num, c.to_string())),
        }
        prev = c;
    }
    out
}

/// One unit in the last printed place of a number token (`26465.054` -> 0.001).
fn last_place(tok: &str) -> f64 {
    let mantissa = tok.split(['e', 'E']).next().unwrap_or(tok);
    let decimals = mantissa.split_once('.').map_or(0, |(_, f)| f.len());
    let exp: i32 = tok.split_once(['e', 'E']).and_then(|(_, e)| e.parse().ok()).unwrap_or(0);
    10f64.powi(exp - i32::try_from(decimals).unwrap_or(0))
}

/// Equal messages up to one unit in the last printed place of numbers: serde_json's default
/// float parser is not always correctly rounded (no `float_roundtrip` feature), so a value
/// can be one ulp off and print differently (`121.4934` vs `121.49340000000001`).
fn same_message(a: &str, b: &str) -> bool {
    let (ta, tb) = (tokens(a), tokens(b));
    ta.len() == tb.len()
        && ta.iter().zip(&tb).all(|((na, xa), (nb, xb))| {
            na == nb
                && (xa == xb
                    || (*na
                        && match (xa.parse::<f64>(), xb.parse::<f64>()) {
                            (Ok(x), Ok(y)) => {
                                (x - y).abs() <= 1e-12 * x.abs().max(y.abs())
                                    || (x - y).abs() <= 1.5 * last_place(xa).max(last_place(xb))
                            }
                            _ => false,
                        }))
        })
}

/// First validation error of each document according to `check_plan.py` (`None` = valid),
/// or `None` overall when Python or the script is unavailable.
fn python_first_errors(docs: &[String]) -> Option<Vec<Option<String>>> {
    let script = common::checker::python_checker_path()?;
    let dir = script.parent()?.to_str()?.to_owned();
    let prog = format!(
        "import sys, json\nsys.path.insert(0, {dir:?})\nimport check_plan as c\nout = []\n\
         for text in json.load(sys.stdin):\n    try:\n        c.ProblemValidator(json.loads(text)).validate()\n        out.append(None)\n\
         \x20   except c.InputError as e:\n        out.append(e.errors[0])\njson.dump(out, sys.stdout)\n"
    );
    let mut child = Command::new("python3")
        .arg("-c")
        .arg(prog)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .ok()?;
    let input = serde_json::to_string(docs).ok()?;
    child.stdin.take()?.write_all(input.as_bytes()).ok()?;
    let out = child.wait_with_output().ok()?;
    serde_json::from_slice(&out.stdout).ok()
}

#[test]
fn agrees_with_reference_checker_on_mutated_random_documents() {
    let mut rng = ChaCha8Rng::seed_from_u64(2026);
    let mut docs = Vec::new();
    // FIELDOPT_VALIDATION_DOCS=20000 for a deeper run.
    let n: u64 =
        std::env::var("FIELDOPT_VALIDATION_DOCS").ok().and_then(|v| v.parse().ok()).unwrap_or(1500);
    for seed in 0..n {
        let mut doc = common::random::random_problem(seed);
        if seed % 10 != 0 {
            for _ in 0..rng.random_range(1..3) {
                mutate(&mut doc, &mut rng);
            }
        }
        docs.push(serde_json::to_string(&doc).expect("serializes"));
    }
    let Some(expected) = python_first_errors(&docs) else {
        eprintln!("python3 or check_plan.py not available: differential test skipped");
        return;
    };
    assert_eq!(expected.len(), docs.len());
    let mut failures = Vec::new();
    let mut rejected = 0;
    for (text, want) in docs.iter().zip(&expected) {
        let got = parse_problem_str(text).err().map(|e| e.to_string());
        rejected += usize::from(want.is_some());
        let same = match (&got, want) {
            // The engine also accepts its `road_graph` extension and names it.
            (Some(a), Some(b)) => same_message(
                &ascii_escaped(a).replace(r#", "matrix" or "road_graph""#, r#" or "matrix""#),
                b,
            ),
            (a, b) => a == b,
        };
        if !same {
            failures.push(format!(
                "ours: {got:?}\nref:  {want:?}\ndoc: {}",
                &text[..text.len().min(600)]
            ));
        }
    }
    assert!(rejected * 2 > docs.len(), "mutations too mild: only {rejected} rejected");
    assert!(
        failures.is_empty(),
        "{} disagreements, first:\n{}",
        failures.len(),
        failures[..failures.len().min(3)].join("\n\n")
    );
}
