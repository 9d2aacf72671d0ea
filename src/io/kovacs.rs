//! Reader for the service technician routing and scheduling problem (STRSP) instances of
//! Kovacs, Parragh, Doerner and Hartl (2012), *Adaptive large neighborhood search for
//! service technician routing and scheduling problems*, J. Scheduling 15(5), in the text
//! format of `../shared/benchmarks/kovacs_strsp/` (the no-team variant: each technician
//! works alone).
//!
//! An instance is two files:
//! - tasks (`tasks_noTeam/<inst>_<D>x<L>_noTeam.txt`): `Capacity: Q`, `Customer: N`, a
//!   column header, then N tab-separated rows `no x y demand ready due service cost
//!   d11 .. dDL`; row 1 is the depot. `dkq` is the number of technicians with at least
//!   level `q` in domain `k` the task needs (0 or 1 in the no-team variant);
//! - technicians (`technicians_noTeam/technicians_<inst>_<D>x<L>_noTeam.txt`):
//!   `Technicians`, `Number of Technicians: M`, `domains: D`, `proficiency level: L`, a
//!   column header, then M rows `id level_1 .. level_D` (level 0 = no skill in the domain).
//!
//! The converted document keeps the instance's own units (time and distance as in
//! Solomon's instances, planar euclidean travel at speed 1, not rounded): every technician
//! starts and ends at the depot with the depot's window as shift; a task becomes a job with
//! its service duration, one time window `[ready, due]` for the start of service, the
//! skills it needs and its outsourcing cost as `unassigned_cost`. Demands and the vehicle
//! capacity are dropped (the STRSP has no capacity). The policy makes the engine's
//! objective Kovacs' one: routing cost (total euclidean distance) plus the outsourcing cost
//! of the tasks left out (`travel_distance` 1000 per 1000 units, `outsourcing` 1, every
//! other weight 0).
//!
//! Skills: domain `k` is skill `d<k>` and a task needs, per domain, the highest level `q`
//! with `dkq > 0`. Documents allow levels 1..=5, so for instances with more levels (the
//! `6x6` ones) a level `q > 5` is split exactly: `d<k>` at level 5 plus `d<k>+` at level
//! `q - 5` (a technician at level `t` has `d<k>` = `min(t, 5)` and `d<k>+` = `t - 5` when
//! `t > 5`), so "level `t` >= `q`" holds exactly when both parts hold.

use serde_json::{json, Map, Value};

use super::solomon::{euclidean_document, num, numbers};
use crate::error::{Error, Result};

/// The plan date written into converted documents (the instances have none).
pub const BENCHMARK_DATE: &str = "2026-01-01";

/// Highest proficiency level accepted (two skills of at most 5 levels each).
pub const MAX_LEVEL: u64 = 10;

/// Largest number of domains, technicians or tasks accepted (guards against absurd input).
const MAX_COUNT: u64 = 100_000;

/// The skill a task or technician level of domain `k` (1-based) is written to.
pub fn skill_name(domain: usize) -> String {
    format!("d{domain}")
}

/// The skill that carries the part of a level above 5 (see the module documentation).
pub fn skill_name_high(domain: usize) -> String {
    format!("d{domain}+")
}

/// One task row (the depot included).
#[derive(Debug, Clone)]
struct Task {
    id: u64,
    x: f64,
    y: f64,
    ready: f64,
    due: f64,
    service: f64,
    cost: f64,
    /// Required level per domain (0 = none).
    levels: Vec<u64>,
}

/// The technician pool: levels per domain, `[domains x levels]` of the file header.
#[derive(Debug, Clone)]
struct Pool {
    domains: usize,
    levels: u64,
    techs: Vec<(u64, Vec<u64>)>,
}

/// Converts a Kovacs et al. no-team instance (tasks text and technicians text) into a
/// problem document named `name`. Errors name the file and line, as `tasks line N` or
/// `technicians line N` (1-based).
pub fn to_problem(tasks: &str, technicians: &str, name: &str) -> Result<Value> {
    let pool = parse_technicians(technicians)?;
    let rows = parse_tasks(tasks, pool.domains, pool.levels)?;
    let (depot, customers) = rows.split_first().expect("parse_tasks returns the depot");
    let depot_loc = json!({"x": num(depot.x), "y": num(depot.y)});
    let technicians: Vec<Value> = pool
        .techs
        .iter()
        .map(|(id, levels)| {
            let mut t = json!({
                "id": format!("T{id}"),
                "start": depot_loc,
                "end": depot_loc,
                "shift": [num(depot.ready), num(depot.due)],
            });
            let skills = skills_of(levels);
            if !skills.is_empty() {
                t["skills"] = Value::Object(skills);
            }
            t
        })
        .collect();
    let jobs: Vec<Value> = customers
        .iter()
        .map(|c| {
            let mut j = json!({
                "id": c.id.to_string(),
                "location": {"x": num(c.x), "y": num(c.y)},
                "duration": num(c.service),
                "time_windows": [[num(c.ready), num(c.due)]],
                "unassigned_cost": num(c.cost),
            });
            let skills = skills_of(&c.levels);
            if !skills.is_empty() {
                j["skills"] = Value::Object(skills);
            }
            j
        })
        .collect();
    Ok(euclidean_document(
        name,
        technicians,
        jobs,
        json!({"travel_time": 0.0, "travel_distance": 1000.0, "labor": 0.0,
               "outsourcing": 1.0, "preferred": 0.0, "skill_fit": 0.0, "rating": 0.0,
               "workload": 0.0, "fairness": 0.0}),
    ))
}

/// Kovacs' objective of a plan, from the independent checker's KPIs: routing cost (the
/// total euclidean distance driven, `travel_distance`) plus outsourcing cost (the sum of
/// `unassigned_cost` over the jobs left out, `unassigned_cost`). `None` when a KPI is
/// missing.
pub fn objective_from_kpis(kpis: &Value) -> Option<f64> {
    Some(kpis.get("travel_distance")?.as_f64()? + kpis.get("unassigned_cost")?.as_f64()?)
}

/// Skill map of a per-domain level vector (level 0 = no entry).
fn skills_of(levels: &[u64]) -> Map<String, Value> {
    let mut m = Map::new();
    for (k, &q) in levels.iter().enumerate() {
        if q == 0 {
            continue;
        }
        m.insert(skill_name(k + 1), json!(q.min(5)));
        if q > 5 {
            m.insert(skill_name_high(k + 1), json!(q - 5));
        }
    }
    m
}

/// Parses the technicians file.
fn parse_technicians(text: &str) -> Result<Pool> {
    let at = |i: usize| format!("technicians line {}", i + 1);
    let (mut count, mut domains, mut levels) = (None, None, None);
    let mut techs: Vec<(u64, Vec<u64>)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut last = 0;
    for (i, raw) in text.lines().enumerate() {
        last = i + 1;
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        if let Some((key, value)) = line.split_once(':') {
            let key = key.trim().to_ascii_lowercase();
            let slot = match key.as_str() {
                "number of technicians" => &mut count,
                "domains" => &mut domains,
                "proficiency level" | "proficiency levels" => &mut levels,
                _ => return Err(Error::invalid(at(i), format!("unknown header {key:?}"))),
            };
            *slot = Some(count_value(value.trim(), &at(i), &key)?);
            continue;
        }
        if !line.starts_with(|c: char| c.is_ascii_digit()) {
            continue; // `Technicians`, the `ID domain1 ..` column header
        }
        let (Some(d), Some(l)) = (domains, levels) else {
            return Err(Error::invalid(
                at(i),
                "technician row before the `domains:` and `proficiency level:` lines",
            ));
        };
        let f = integers(line, 1 + d as usize, &at(i))?;
        if let Some(q) = f[1..].iter().find(|&&q| q > l) {
            return Err(Error::invalid(at(i), format!("level {q} above proficiency level {l}")));
        }
        if !seen.insert(f[0]) {
            return Err(Error::invalid(at(i), format!("duplicate technician {}", f[0])));
        }
        techs.push((f[0], f[1..].to_vec()));
    }
    let end = format!("technicians line {}", last.max(1));
    let (Some(domains), Some(levels)) = (domains, levels) else {
        return Err(Error::invalid(end, "missing `domains:` or `proficiency level:` line"));
    };
    if domains == 0 || !(1..=MAX_LEVEL).contains(&levels) {
        return Err(Error::invalid(
            end,
            format!("need at least 1 domain and 1..={MAX_LEVEL} levels, got {domains}x{levels}"),
        ));
    }
    if let Some(n) = count.filter(|&n| n != techs.len() as u64) {
        return Err(Error::invalid(
            end,
            format!("`Number of Technicians: {n}` but {} technician rows", techs.len()),
        ));
    }
    if techs.is_empty() {
        return Err(Error::invalid(end, "no technician rows"));
    }
    Ok(Pool { domains: domains as usize, levels, techs })
}

/// Parses the tasks file: the depot first, then the customers in file order.
fn parse_tasks(text: &str, domains: usize, levels: u64) -> Result<Vec<Task>> {
    let at = |i: usize| format!("tasks line {}", i + 1);
    let width = 8 + domains * levels as usize;
    let mut customers = None;
    let mut rows: Vec<Task> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut last = 0;
    for (i, raw) in text.lines().enumerate() {
        last = i + 1;
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        if let Some((key, value)) = line.split_once(':') {
            let key = key.trim().to_ascii_lowercase();
            match key.as_str() {
                "capacity" => {} // the STRSP has no capacity
                "customer" => customers = Some(count_value(value.trim(), &at(i), &key)?),
                _ => return Err(Error::invalid(at(i), format!("unknown header {key:?}"))),
            }
            continue;
        }
        if !line.starts_with(|c: char| c.is_ascii_digit()) {
            if line.to_ascii_uppercase().starts_with("CUST") {
                continue; // column header
            }
            return Err(Error::invalid(at(i), format!("expected a task row, got {line:?}")));
        }
        let f = numbers(line, width, &at(i))?;
        let id = f[0];
        if id.fract() != 0.0 || !(0.0..1e15).contains(&id) {
            return Err(Error::invalid(at(i), format!("task number must be an integer, got {id}")));
        }
        let id = id as u64;
        if !seen.insert(id) {
            return Err(Error::invalid(at(i), format!("duplicate task {id}")));
        }
        let (ready, due, service, cost) = (f[4], f[5], f[6], f[7]);
        if ready > due {
            return Err(Error::invalid(
                at(i),
                format!("ready time {ready} is after due date {due}"),
            ));
        }
        if service < 0.0 {
            return Err(Error::invalid(at(i), format!("service time {service} is negative")));
        }
        if cost < 0.0 {
            return Err(Error::invalid(at(i), format!("outsourcing cost {cost} is negative")));
        }
        let mut need = vec![0u64; domains];
        for (c, &r) in f[8..].iter().enumerate() {
            if r < 0.0 || r.fract() != 0.0 {
                return Err(Error::invalid(
                    at(i),
                    format!(
                        "requirement d{}{} must be a count >= 0, got {r}",
                        c / levels as usize + 1,
                        c % levels as usize + 1
                    ),
                ));
            }
            if r > 1.0 {
                return Err(Error::invalid(
                    at(i),
                    format!(
                        "requirement d{}{} = {r}: a task needing {r} technicians is the team variant",
                        c / levels as usize + 1,
                        c % levels as usize + 1
                    ),
                ));
            }
            if r > 0.0 {
                let (k, q) = (c / levels as usize, (c % levels as usize) as u64 + 1);
                need[k] = need[k].max(q);
            }
        }
        rows.push(Task { id, x: f[1], y: f[2], ready, due, service, cost, levels: need });
    }
    let end = format!("tasks line {}", last.max(1));
    if rows.is_empty() {
        return Err(Error::invalid(end, "no task rows (the first row is the depot)"));
    }
    if let Some(n) = customers.filter(|&n| n != rows.len() as u64) {
        return Err(Error::invalid(end, format!("`Customer: {n}` but {} rows", rows.len())));
    }
    Ok(rows)
}

/// Reads a header count such as `17` in `Number of Technicians: 17`.
fn count_value(s: &str, at: &str, key: &str) -> Result<u64> {
    s.parse::<u64>().ok().filter(|&n| n <= MAX_COUNT).ok_or_else(|| {
        Error::invalid(at, format!("{key}: expected an integer 0..={MAX_COUNT}, got {s:?}"))
    })
}

/// Splits `line` into exactly `n` non-negative integers.
fn integers(line: &str, n: usize, at: &str) -> Result<Vec<u64>> {
    let fields: Vec<&str> = line.split_whitespace().collect();
    if fields.len() != n {
        return Err(Error::invalid(
            at,
            format!("expected {n} integers, found {} fields in {line:?}", fields.len()),
        ));
    }
    fields
        .iter()
        .map(|s| {
            s.parse::<u64>().ok().filter(|&v| v <= MAX_COUNT).ok_or_else(|| {
                Error::invalid(at, format!("{s:?} is not an integer 0..={MAX_COUNT}"))
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TECHS: &str =
        "Technicians\nNumber of Technicians: 2\ndomains: 2\nproficiency level: 6\n\n\n\
        ID\tdomain1\tdomain2\n1\t6\t0\n2\t3\t2\n";
    const TASKS: &str = "Capacity: 200\nCustomer: 3\n\n\
        CUST NO.\tX\tY\tDEMAND\tREADY\tDUE\tSERVICE\tcost\td11\td12\td13\td14\td15\td16\td21\td22\td23\td24\td25\td26\n\
        1\t40\t50\t0\t0\t1236\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\n\
        2\t45\t68\t10\t912\t967\t90\t100\t1\t1\t1\t1\t1\t1\t0\t0\t0\t0\t0\t0\n\
        3\t45.5\t70\t30\t825\t870\t90\t50\t1\t1\t0\t0\t0\t0\t1\t0\t0\t0\t0\t0\n";

    #[test]
    fn mini_converts_with_levels_above_five_split() {
        let doc = to_problem(TASKS, TECHS, "mini").unwrap();
        let techs = doc["technicians"].as_array().unwrap();
        assert_eq!(techs.len(), 2);
        assert_eq!(techs[0]["skills"], json!({"d1": 5, "d1+": 1}));
        assert_eq!(techs[1]["skills"], json!({"d1": 3, "d2": 2}));
        assert_eq!(techs[1]["shift"], json!([0, 1236]));
        assert_eq!(techs[1]["end"], json!({"x": 40, "y": 50}));
        let jobs = doc["jobs"].as_array().unwrap();
        assert_eq!(jobs[0]["skills"], json!({"d1": 5, "d1+": 1}));
        assert_eq!(jobs[1]["skills"], json!({"d1": 2, "d2": 1}));
        assert_eq!(jobs[1]["location"], json!({"x": 45.5, "y": 70}));
        assert_eq!(jobs[1]["unassigned_cost"], 50);
        assert_eq!(jobs[0]["time_windows"], json!([[912, 967]]));
        let p = crate::io::parse_problem_value(doc).unwrap();
        assert_eq!(p.jobs.len(), 2);
    }

    #[test]
    fn errors_name_the_file_and_line() {
        let path = |tasks: &str, techs: &str| {
            to_problem(tasks, techs, "x").unwrap_err().path().map(str::to_string)
        };
        let bad = TASKS.replace("45.5", "4x5");
        assert_eq!(path(&bad, TECHS).as_deref(), Some("tasks line 7"));
        let team = TASKS.replace("90\t50\t1\t1", "90\t50\t2\t1");
        assert_eq!(path(&team, TECHS).as_deref(), Some("tasks line 7"));
        let tw = TASKS.replace("912\t967", "999\t967");
        assert_eq!(path(&tw, TECHS).as_deref(), Some("tasks line 6"));
        let short = TASKS.replace("\t0\t0\n2\t", "\n2\t");
        assert_eq!(path(&short, TECHS).as_deref(), Some("tasks line 5"));
        let level = TECHS.replace("2\t3\t2", "2\t3\t7");
        assert_eq!(path(TASKS, &level).as_deref(), Some("technicians line 9"));
        let count = TECHS.replace("Technicians: 2", "Technicians: 3");
        assert_eq!(path(TASKS, &count).as_deref(), Some("technicians line 9"));
        let dup = TECHS.replace("\n2\t3", "\n1\t3");
        assert_eq!(path(TASKS, &dup).as_deref(), Some("technicians line 9"));
    }

    #[test]
    fn garbage_never_panics() {
        for (tasks, techs) in [
            ("", ""),
            ("", TECHS),
            (TASKS, ""),
            ("Customer: x", TECHS),
            ("1 2 3", TECHS),
            (TASKS, "domains: 2\nproficiency level: 0\n"),
            (TASKS, "domains: 0\nproficiency level: 4\n1\n"),
            (TASKS, "domains: 99999999999\n"),
            (TASKS, "1\t2\t3\n"),
            ("\u{0}\u{fffd}", "\u{0}"),
        ] {
            assert!(to_problem(tasks, techs, "g").is_err(), "{tasks:?} / {techs:?}");
        }
    }

    #[test]
    fn objective_adds_distance_and_outsourcing() {
        let k = json!({"travel_distance": 812.5, "unassigned_cost": 300.0});
        assert_eq!(objective_from_kpis(&k), Some(1112.5));
        assert_eq!(objective_from_kpis(&json!({"travel_distance": 1.0})), None);
    }
}
