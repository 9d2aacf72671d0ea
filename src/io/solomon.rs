//! Readers for the classic VRPTW benchmarks: Solomon (1987) and Gehring-Homberger (1999)
//! instance text files, converted into problem documents, and the `bks.csv` tables of
//! best-known solutions shipped with the benchmark data.
//!
//! The converted document uses planar euclidean travel with speed 1 (distance = travel
//! time, not rounded), K identical technicians at the depot, and a policy whose only weight
//! is distance, so the objective is the total distance (in currency per 1000 units).

use serde_json::{json, Map, Value};

use crate::error::{Error, Result};

/// The plan date written into converted benchmark documents (the instances have none).
pub const BENCHMARK_DATE: &str = "2026-01-01";

/// Largest fleet size accepted from a VEHICLE NUMBER line (guards against absurd input).
const MAX_VEHICLES: u64 = 100_000;

/// Converts a Solomon or Gehring-Homberger instance (text) into a problem document named
/// `name`.
///
/// Technicians `V1..VK` start and end at the depot with shift `[ready, due]` of the depot
/// and capacity `[Q]`; every customer row becomes job `"<number>"` with demand, service
/// duration and one time window `[ready, due]`. Errors name the offending line as
/// `line N` (1-based).
pub fn to_problem(text: &str, name: &str) -> Result<Value> {
    let parsed = parse(text)?;
    let depot = &parsed.depot;
    let depot_loc = json!({"x": num(depot.x), "y": num(depot.y)});
    let technicians: Vec<Value> = (1..=parsed.vehicles)
        .map(|k| {
            json!({
                "id": format!("V{k}"),
                "start": depot_loc,
                "end": depot_loc,
                "shift": [num(depot.ready), num(depot.due)],
                "capacity": [num(parsed.capacity)],
            })
        })
        .collect();
    let jobs: Vec<Value> = parsed
        .customers
        .iter()
        .map(|c| {
            json!({
                "id": c.id,
                "location": {"x": num(c.x), "y": num(c.y)},
                "duration": num(c.service),
                "time_windows": [[num(c.ready), num(c.due)]],
                "demand": [num(c.demand)],
            })
        })
        .collect();
    Ok(euclidean_document(
        name,
        technicians,
        jobs,
        json!({"travel_time": 0.0, "travel_distance": 1000.0, "labor": 0.0}),
    ))
}

/// One row of a `bks.csv` table of best-known solutions.
#[derive(Debug, Clone, PartialEq)]
pub struct Bks {
    /// Instance name, e.g. `C101` or `RC1_2_4`.
    pub instance: String,
    /// Vehicles of the best-known solution (hierarchical objective: vehicles, then distance).
    pub vehicles: u32,
    /// Total distance of that solution (euclidean, not rounded).
    pub distance: f64,
    /// Vehicles of the DIMACS (distance-only) reference, when the table has that column.
    pub dimacs_vehicles: Option<u32>,
    /// DIMACS distance-only reference (each distance truncated to 1 decimal), when known.
    pub dimacs_distance: Option<f64>,
}

/// A benchmark problem document on euclidean travel at speed 1 (time = distance), dated
/// [`BENCHMARK_DATE`], with the given technicians, jobs and policy.
pub(super) fn euclidean_document(
    name: &str,
    technicians: Vec<Value>,
    jobs: Vec<Value>,
    policy: Value,
) -> Value {
    let mut doc = Map::new();
    doc.insert("format".into(), json!(super::PROBLEM_FORMAT));
    doc.insert("name".into(), json!(name));
    doc.insert("date".into(), json!(BENCHMARK_DATE));
    doc.insert("travel".into(), json!({"kind": "euclidean", "speed": 1.0}));
    doc.insert("technicians".into(), Value::Array(technicians));
    doc.insert("jobs".into(), Value::Array(jobs));
    doc.insert("policy".into(), policy);
    Value::Object(doc)
}

/// Parses a `bks.csv` table. Columns are found by header name: `instance`, `vehicles` and
/// `distance` are required; `dimacs_vehicles` and `dimacs_distance_trunc1` (or
/// `dimacs_distance`) are optional and may be empty. Errors name the line.
pub fn read_bks(csv_text: &str) -> Result<Vec<Bks>> {
    let mut lines = csv_text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty());
    let Some((_, header)) = lines.next() else {
        return Err(Error::invalid("line 1", "empty table: expected a header line"));
    };
    let header: Vec<String> = split_csv(header).into_iter().map(|h| h.to_lowercase()).collect();
    let col = |name: &str| header.iter().position(|h| h == name);
    let need = |name: &str| {
        col(name).ok_or_else(|| Error::invalid("line 1", format!("missing column `{name}`")))
    };
    let (c_inst, c_veh, c_dist) = (need("instance")?, need("vehicles")?, need("distance")?);
    let c_dveh = col("dimacs_vehicles");
    let c_ddist = col("dimacs_distance_trunc1").or_else(|| col("dimacs_distance"));

    let mut out = Vec::new();
    for (i, line) in lines {
        let at = format!("line {}", i + 1);
        let cells = split_csv(line);
        let cell = |c: usize| cells.get(c).map(|s| s.trim()).unwrap_or("");
        let instance = cell(c_inst);
        if instance.is_empty() {
            return Err(Error::invalid(at, "empty instance name"));
        }
        let vehicles = parse_u32(cell(c_veh))
            .ok_or_else(|| Error::invalid(&at, format!("bad vehicles {:?}", cell(c_veh))))?;
        let distance = parse_dist(cell(c_dist))
            .ok_or_else(|| Error::invalid(&at, format!("bad distance {:?}", cell(c_dist))))?;
        let dimacs_vehicles = match c_dveh.map(cell).filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => Some(
                parse_u32(s)
                    .ok_or_else(|| Error::invalid(&at, format!("bad dimacs_vehicles {s:?}")))?,
            ),
        };
        let dimacs_distance = match c_ddist.map(cell).filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => Some(
                parse_dist(s)
                    .ok_or_else(|| Error::invalid(&at, format!("bad dimacs distance {s:?}")))?,
            ),
        };
        out.push(Bks {
            instance: instance.to_string(),
            vehicles,
            distance,
            dimacs_vehicles,
            dimacs_distance,
        });
    }
    Ok(out)
}

/// A customer (or depot) row of an instance file.
#[derive(Debug, Clone)]
struct Row {
    id: String,
    x: f64,
    y: f64,
    demand: f64,
    ready: f64,
    due: f64,
    service: f64,
}

/// The contents of an instance file.
#[derive(Debug)]
struct Parsed {
    vehicles: u64,
    capacity: f64,
    depot: Row,
    customers: Vec<Row>,
}

/// Where the line-by-line reader is in the file.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Section {
    /// Before `VEHICLE` (instance name, blank lines).
    Preamble,
    /// After `VEHICLE`, waiting for the `K Q` line.
    Vehicle,
    /// Fleet known, waiting for `CUSTOMER`.
    AfterVehicle,
    /// Inside the customer table.
    Customers,
}

fn parse(text: &str) -> Result<Parsed> {
    let mut section = Section::Preamble;
    let mut fleet: Option<(u64, f64)> = None;
    let mut depot: Option<Row> = None;
    let mut customers: Vec<Row> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut last = 0;
    for (i, raw) in text.lines().enumerate() {
        last = i + 1;
        let at = || format!("line {}", i + 1);
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        let upper = line.to_ascii_uppercase();
        let starts_with_digit = line.starts_with(|c: char| c.is_ascii_digit() || c == '.');
        match section {
            Section::Preamble => {
                if upper.starts_with("VEHICLE") {
                    section = Section::Vehicle;
                } else if upper.starts_with("CUSTOMER") {
                    return Err(Error::invalid(at(), "CUSTOMER section before VEHICLE section"));
                }
            }
            Section::Vehicle => {
                if upper.starts_with("NUMBER") {
                    continue;
                }
                let f = numbers(line, 2, &at())?;
                let k = f[0];
                if k.fract() != 0.0 || k < 1.0 || k > MAX_VEHICLES as f64 {
                    return Err(Error::invalid(
                        at(),
                        format!("vehicle number must be an integer 1..={MAX_VEHICLES}, got {k}"),
                    ));
                }
                if f[1] < 0.0 {
                    return Err(Error::invalid(at(), format!("capacity {} is negative", f[1])));
                }
                fleet = Some((k as u64, f[1]));
                section = Section::AfterVehicle;
            }
            Section::AfterVehicle => {
                if upper.starts_with("CUSTOMER") {
                    section = Section::Customers;
                } else {
                    return Err(Error::invalid(at(), format!("expected CUSTOMER, got {line:?}")));
                }
            }
            Section::Customers => {
                if upper.starts_with("CUST") && !starts_with_digit {
                    continue; // column header
                }
                let row = customer_row(line, &at())?;
                if !seen.insert(row.id.clone()) {
                    return Err(Error::invalid(at(), format!("duplicate customer {}", row.id)));
                }
                if depot.is_none() {
                    depot = Some(row);
                } else {
                    customers.push(row);
                }
            }
        }
    }
    let end = format!("line {}", last.max(1));
    let Some((vehicles, capacity)) = fleet else {
        return Err(Error::invalid(end, "missing VEHICLE section with `NUMBER CAPACITY` values"));
    };
    let Some(depot) = depot else {
        return Err(Error::invalid(end, "missing CUSTOMER table with the depot row"));
    };
    Ok(Parsed { vehicles, capacity, depot, customers })
}

/// Reads one 7-column customer row: number, x, y, demand, ready, due, service.
fn customer_row(line: &str, at: &str) -> Result<Row> {
    let f = numbers(line, 7, at)?;
    let no = f[0];
    if no.fract() != 0.0 || !(0.0..1e15).contains(&no) {
        return Err(Error::invalid(
            at,
            format!("customer number must be an integer >= 0, got {no}"),
        ));
    }
    let row = Row {
        id: format!("{}", no as u64),
        x: f[1],
        y: f[2],
        demand: f[3],
        ready: f[4],
        due: f[5],
        service: f[6],
    };
    if row.demand < 0.0 {
        return Err(Error::invalid(at, format!("demand {} is negative", row.demand)));
    }
    if row.service < 0.0 {
        return Err(Error::invalid(at, format!("service time {} is negative", row.service)));
    }
    if row.ready > row.due {
        return Err(Error::invalid(
            at,
            format!("ready time {} is after due date {}", row.ready, row.due),
        ));
    }
    Ok(row)
}

/// Splits `line` into exactly `n` finite numbers.
pub(super) fn numbers(line: &str, n: usize, at: &str) -> Result<Vec<f64>> {
    let fields: Vec<&str> = line.split_whitespace().collect();
    if fields.len() != n {
        return Err(Error::invalid(
            at,
            format!("expected {n} numbers, found {} fields in {line:?}", fields.len()),
        ));
    }
    fields
        .iter()
        .map(|s| match s.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(v),
            _ => Err(Error::invalid(at, format!("{s:?} is not a finite number"))),
        })
        .collect()
}

/// A JSON number, written as an integer when the value is one.
pub(super) fn num(v: f64) -> Value {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        json!(v as i64)
    } else {
        json!(v)
    }
}

fn parse_u32(s: &str) -> Option<u32> {
    s.parse::<u32>().ok().or_else(|| {
        let f = s.parse::<f64>().ok()?;
        (f.fract() == 0.0 && (0.0..=u32::MAX as f64).contains(&f)).then_some(f as u32)
    })
}

fn parse_dist(s: &str) -> Option<f64> {
    s.parse::<f64>().ok().filter(|v| v.is_finite() && *v >= 0.0)
}

/// Splits one CSV line; double quotes group a field and `""` inside them is a quote.
fn split_csv(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out.into_iter().map(|s| s.trim().to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads a file of the shared benchmark data next to the crate, if it is there.
    fn shared(rel: &str) -> Option<String> {
        let path = format!("{}/../shared/benchmarks/{rel}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).ok();
        if text.is_none() {
            eprintln!("skipped: {path} not found");
        }
        text
    }

    const MINI: &str = "MINI\r\n\r\nVEHICLE\r\nNUMBER     CAPACITY\r\n  2         50\r\n\r\n\
        CUSTOMER\r\nCUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME\r\n \r\n\
            0      40         50          0          0       1236          0\r\n\
            1      45         68         10        912        967         90\r\n\
            2      45.5       70         30        825        870         90\r\n";

    #[test]
    fn mini_converts() {
        let doc = to_problem(MINI, "mini").unwrap();
        assert_eq!(doc["name"], "mini");
        assert_eq!(doc["date"], BENCHMARK_DATE);
        assert_eq!(doc["technicians"].as_array().unwrap().len(), 2);
        assert_eq!(doc["technicians"][1]["id"], "V2");
        assert_eq!(doc["technicians"][0]["shift"], json!([0, 1236]));
        assert_eq!(doc["jobs"][1]["id"], "2");
        assert_eq!(doc["jobs"][1]["location"], json!({"x": 45.5, "y": 70}));
        assert_eq!(doc["policy"]["travel_distance"], 1000.0);
    }

    #[test]
    fn c101_converts() {
        let Some(text) = shared("solomon/C101.txt") else { return };
        let doc = to_problem(&text, "C101").unwrap();
        let techs = doc["technicians"].as_array().unwrap();
        let jobs = doc["jobs"].as_array().unwrap();
        assert_eq!(jobs.len(), 100);
        assert_eq!(techs.len(), 25);
        assert_eq!(techs[0]["capacity"], json!([200]));
        assert_eq!(techs[24]["id"], "V25");
        assert_eq!(techs[0]["start"], json!({"x": 40, "y": 50}));
        assert_eq!(jobs[0]["id"], "1");
        assert_eq!(jobs[0]["time_windows"], json!([[912, 967]]));
        assert_eq!(jobs[0]["duration"], 90);
        assert_eq!(jobs[0]["demand"], json!([10]));
        assert_eq!(jobs[99]["id"], "100");
    }

    #[test]
    fn homberger_converts() {
        let Some(text) = shared("homberger/200/C1_2_1.txt") else { return };
        let doc = to_problem(&text, "C1_2_1").unwrap();
        assert_eq!(doc["jobs"].as_array().unwrap().len(), 200);
        assert_eq!(doc["technicians"].as_array().unwrap().len(), 50);
    }

    #[test]
    fn every_benchmark_converts_and_validates() {
        let root = format!("{}/../shared/benchmarks", env!("CARGO_MANIFEST_DIR"));
        let mut n = 0;
        for dir in ["solomon", "homberger/200"] {
            let Ok(entries) = std::fs::read_dir(format!("{root}/{dir}")) else { continue };
            for e in entries.flatten() {
                let path = e.path();
                if path.extension().is_none_or(|x| x != "txt") {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                let doc = to_problem(&text, "b").unwrap_or_else(|e| panic!("{path:?}: {e}"));
                let jobs = doc["jobs"].as_array().unwrap().len();
                let p =
                    crate::io::parse_problem_value(doc).unwrap_or_else(|e| panic!("{path:?}: {e}"));
                assert_eq!(p.jobs.len(), jobs);
                n += 1;
            }
        }
        eprintln!("{n} benchmark files converted");
    }

    #[test]
    fn malformed_line_is_named() {
        let bad = MINI.replace("45.5       70", "45.5  abc  70");
        let err = to_problem(&bad, "x").unwrap_err();
        assert_eq!(err.path(), Some("line 12"), "{err}");
        let short = MINI.replace("  2         50", "  2");
        assert_eq!(to_problem(&short, "x").unwrap_err().path(), Some("line 5"));
        let tw = MINI.replace("912        967", "999        967");
        assert_eq!(to_problem(&tw, "x").unwrap_err().path(), Some("line 11"));
        let dup = MINI.replace("\n2      45.5", "\n1      45.5");
        assert_eq!(to_problem(&dup, "x").unwrap_err().path(), Some("line 12"));
        let zero = MINI.replace("  2         50", "  0         50");
        assert_eq!(to_problem(&zero, "x").unwrap_err().path(), Some("line 5"));
    }

    #[test]
    fn garbage_never_panics() {
        for text in [
            "",
            "\n\n",
            "VEHICLE",
            "VEHICLE\n1 2\n",
            "VEHICLE\n1 2\nCUSTOMER\n",
            "CUSTOMER\n0 0 0 0 0 0 0",
            "VEHICLE\n1e300 5\n",
            "VEHICLE\nNaN 5",
            "VEHICLE\n1 inf\nCUSTOMER\n0 0 0 0 0 0 0",
            "VEHICLE\n1 2\nX\n",
            "\u{0}\u{fffd}",
        ] {
            assert!(to_problem(text, "g").is_err(), "{text:?}");
        }
        let ok = to_problem("VEHICLE\n1 2\nCUSTOMER\n0 0 0 0 0 9 0\n", "g").unwrap();
        assert!(ok["jobs"].as_array().unwrap().is_empty());
    }

    #[test]
    fn bks_solomon() {
        let Some(text) = shared("solomon/bks.csv") else { return };
        let rows = read_bks(&text).unwrap();
        assert_eq!(rows.len(), 56);
        let r101 = rows.iter().find(|r| r.instance == "R101").unwrap();
        assert_eq!((r101.vehicles, r101.distance), (19, 1650.80));
        assert_eq!((r101.dimacs_vehicles, r101.dimacs_distance), (Some(20), Some(1637.7)));
    }

    #[test]
    fn bks_homberger_has_no_dimacs_vehicles() {
        let Some(text) = shared("homberger/200/bks.csv") else { return };
        let rows = read_bks(&text).unwrap();
        assert_eq!(rows.len(), 60);
        assert!(rows.iter().all(|r| r.dimacs_vehicles.is_none() && r.dimacs_distance.is_some()));
    }

    #[test]
    fn bks_errors_name_the_line() {
        let text = "instance,distance,vehicles\nA,1.5,3\n\nB,x,3\n";
        assert_eq!(read_bks(text).unwrap_err().path(), Some("line 4"));
        assert_eq!(read_bks("name,vehicles\n").unwrap_err().path(), Some("line 1"));
        let quoted = "\"instance\",vehicles,distance,note\n\"C1\",2,3.5,\"a, b\"\n";
        assert_eq!(read_bks(quoted).unwrap()[0].instance, "C1");
    }
}
