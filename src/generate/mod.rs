//! Synthetic but realistic field-service days, for demos, tests and benchmarks.
//!
//! [`generate`] builds a problem document (`fieldopt-problem/1`, haversine travel) for a
//! region of about 60 x 60 km around lat 52.0, lon 5.0 (larger for fleets over 50):
//!
//! - **Towns** of varying size (one city, some towns, villages); customer sites cluster
//!   around them, with some rural spread. Technicians live in the towns; their `team` is
//!   the nearest town's name.
//! - **Technicians**: a main trade (hvac, electrical, plumbing, gas, refrigeration, solar)
//!   at level 1-5 with few experts, plus 0-2 related trades at lower levels;
//!   certifications (gas-safe, f-gas, working-at-height, ...), about 12 % of them expired
//!   before the plan date and a few expiring on it; 9-hour shifts starting 07:00, 08:00 or
//!   09:00; 0-60 minutes of overtime; a 30-minute lunch break between 12:00 and 13:30 for
//!   most; a van (capacity), a job cap for some; about 80 % employees (35-45 per hour) and
//!   20 % contractors (55-70 per hour, a call-out fee and a per-km rate).
//! - **Jobs**: repair, maintenance, install or inspection with durations of 20-180 minutes
//!   (mostly short); 2-4 hour windows on about 80 % (some with a morning and an afternoon
//!   window); 0-2 required skills mostly at levels 1-3; certifications that go with the
//!   trade (gas work needs gas-safe, ...); priority 0-3, mostly 1; an outsourcing cost on
//!   some. Requirements are kept within what at least one technician can do.
//! - **Customers**: most have one job, some two or three at the same address, and key
//!   accounts have many sites. Many customers have a favourite technician (preferred), a
//!   few have banned one (excluded), and a few jobs are pinned.
//!
//! With the default ratio (10 jobs per technician) the day is a full but mostly feasible
//! workload. The same parameters always give the same document.
//!
//! ```
//! use fieldopt::generate::{generate, GenerateParams};
//! let doc = generate(&GenerateParams { jobs: 20, techs: 3, seed: 1 });
//! assert_eq!(doc["jobs"].as_array().unwrap().len(), 20);
//! assert_eq!(doc, generate(&GenerateParams { jobs: 20, techs: 3, seed: 1 }));
//! ```

mod catalog;
mod customers;
mod jobs;
mod region;
mod road;
mod sample;
mod techs;
#[cfg(test)]
mod tests;

pub use road::{road_grid, RoadGrid};

use chrono::NaiveDate;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value};

/// The plan date of generated days.
pub const PLAN_DATE: &str = "2026-11-24";

/// Size and seed of a generated day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenerateParams {
    /// Number of jobs (may be 0).
    pub jobs: usize,
    /// Number of technicians; 0 is treated as 1 (a problem needs at least one).
    pub techs: usize,
    /// Seed of every random choice; the same parameters give the same document.
    pub seed: u64,
}

impl Default for GenerateParams {
    /// 500 jobs, 50 technicians, seed 0.
    fn default() -> Self {
        GenerateParams { jobs: 500, techs: 50, seed: 0 }
    }
}

/// Generates a problem document for one day of a synthetic service region (see the module
/// documentation for what is in it). Deterministic for given parameters.
pub fn generate(params: &GenerateParams) -> Value {
    let mut rng = ChaCha8Rng::seed_from_u64(params.seed);
    let date = plan_date();
    let n_techs = params.techs.max(1);
    let region = region::Region::new(&mut rng, n_techs);
    let techs = techs::generate(&mut rng, &region, n_techs, date);
    let (customers, orders) = customers::draw(&mut rng, &region, params.jobs);
    let width = params.jobs.to_string().len().max(4);
    let mut jobs: Vec<jobs::Job> = orders
        .iter()
        .enumerate()
        .map(|(i, &(c, site, key))| {
            jobs::one(&mut rng, format!("J{:0width$}", i + 1), c, site, key, &techs, date)
        })
        .collect();
    customers::relations(&mut rng, &customers, &mut jobs, &techs, date);

    let tech_docs: Vec<Value> = techs.iter().map(|t| t.to_json(&region)).collect();
    let job_docs: Vec<Value> =
        jobs.iter().map(|j| j.to_json(&techs, &customers[j.customer].id)).collect();
    json!({
        "format": crate::io::PROBLEM_FORMAT,
        "name": format!("synthetic-{}j-{}t-s{}-{PLAN_DATE}", params.jobs, n_techs, params.seed),
        "date": PLAN_DATE,
        "travel": {"kind": "haversine", "speed_kmh": 40.0, "detour_factor": 1.3},
        "technicians": tech_docs,
        "jobs": job_docs,
    })
}

fn plan_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap_or_default()
}
