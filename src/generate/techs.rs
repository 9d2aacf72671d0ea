//! The workforce: employees and contractors living in the towns, with trades, levels,
//! certifications (some expired), shifts, breaks, vans and costs.

use chrono::{NaiveDate, TimeDelta};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Map, Value};

use super::catalog::{
    tech_cert_chance, CERTS, MAIN_LEVEL_WEIGHTS, RELATED, SECOND_LEVEL_WEIGHTS, SKILLS,
    SKILL_WEIGHTS,
};
use super::region::{Point, Region};
use super::sample::{chance, int, normal, round, uniform, weighted};

const HOUR: i64 = 3600;

/// One generated technician.
#[derive(Debug, Clone)]
pub(super) struct Tech {
    /// Id such as `T07`.
    pub id: String,
    /// Home, where the day starts and ends.
    pub home: Point,
    /// Index of the nearest town (the team).
    pub town: usize,
    /// Level per skill of [`SKILLS`], 0 = none.
    pub skills: [u8; 6],
    /// Certifications held: index into [`CERTS`] and last valid day.
    pub certs: Vec<(usize, NaiveDate)>,
    /// Shift start and end, seconds from midnight.
    pub shift: (i64, i64),
    /// Allowed overtime in seconds.
    pub max_overtime: i64,
    /// Takes a 30-minute lunch break between 12:00 and 13:30.
    pub lunch: bool,
    /// Van stock capacity.
    pub capacity: i64,
    /// Cap on the number of jobs, for some.
    pub max_jobs: Option<i64>,
    /// Contractor rather than employee.
    pub contractor: bool,
    /// Fixed call-out fee, per hour, per km.
    pub cost: (f64, f64, f64),
    /// Customers' average rating.
    pub rating: f64,
}

impl Tech {
    /// Whether the technician holds `cert` valid on `date` (expiry day inclusive).
    pub fn holds(&self, cert: usize, date: NaiveDate) -> bool {
        self.certs.iter().any(|&(c, until)| c == cert && until >= date)
    }

    /// The technician as a problem-document object.
    pub fn to_json(&self, region: &Region) -> Value {
        let mut t = Map::new();
        t.insert("id".into(), json!(self.id));
        t.insert("start".into(), self.home.to_json());
        t.insert("shift".into(), json!([self.shift.0, self.shift.1]));
        if self.max_overtime > 0 {
            t.insert("max_overtime".into(), json!(self.max_overtime));
        }
        let skills: Map<String, Value> = (0..SKILLS.len())
            .filter(|&s| self.skills[s] > 0)
            .map(|s| (SKILLS[s].to_string(), json!(self.skills[s])))
            .collect();
        if !skills.is_empty() {
            t.insert("skills".into(), Value::Object(skills));
        }
        if !self.certs.is_empty() {
            let certs: Map<String, Value> = self
                .certs
                .iter()
                .map(|(c, d)| (CERTS[*c].to_string(), json!(d.to_string())))
                .collect();
            t.insert("certifications".into(), Value::Object(certs));
        }
        t.insert("capacity".into(), json!([self.capacity]));
        if let Some(m) = self.max_jobs {
            t.insert("max_jobs".into(), json!(m));
        }
        if self.lunch {
            t.insert(
                "break".into(),
                json!({"window": [12 * HOUR, 13 * HOUR + 1800], "duration": 1800}),
            );
        }
        let (fixed, per_hour, per_km) = self.cost;
        let mut cost = Map::new();
        if fixed > 0.0 {
            cost.insert("fixed".into(), json!(fixed));
        }
        cost.insert("per_hour".into(), json!(per_hour));
        if per_km > 0.0 {
            cost.insert("per_km".into(), json!(per_km));
        }
        t.insert("cost".into(), Value::Object(cost));
        t.insert("rating".into(), json!(self.rating));
        t.insert("kind".into(), json!(if self.contractor { "contractor" } else { "employee" }));
        t.insert("team".into(), json!(region.towns[self.town].name));
        Value::Object(t)
    }
}

/// Generates `n` technicians; ids are `T` plus a zero-padded number (at least 2 digits).
pub(super) fn generate(
    rng: &mut ChaCha8Rng,
    region: &Region,
    n: usize,
    date: NaiveDate,
) -> Vec<Tech> {
    let width = n.to_string().len().max(2);
    let trade_offset = int(rng, 0, SKILLS.len() as i64 - 1) as usize;
    let mut techs: Vec<Tech> = (0..n)
        .map(|i| {
            // Every town gets a technician first, then towns by size.
            let home_town = if i < region.towns.len() { i } else { region.pick_town(rng) };
            let home = region.near_town(rng, home_town, 0.8);
            let main = if i < SKILLS.len() {
                (i + trade_offset) % SKILLS.len()
            } else {
                weighted(rng, &SKILL_WEIGHTS)
            };
            let skills = skills(rng, main);
            let certs = certifications(rng, &skills, date);
            let contractor = chance(rng, 0.2);
            one(
                rng,
                format!("T{:0width$}", i + 1),
                home,
                region.nearest_town(&home),
                skills,
                certs,
                contractor,
            )
        })
        .collect();
    // A fleet of 20 or more has at least one expert: promote the most skilled if needed.
    let top = |t: &Tech| *t.skills.iter().max().unwrap_or(&0);
    if n >= 20 && !techs.iter().any(|t| top(t) == 5) {
        let best = (0..n).max_by_key(|&i| (top(&techs[i]), std::cmp::Reverse(i))).unwrap_or(0);
        let m = top(&techs[best]);
        for level in techs[best].skills.iter_mut().filter(|l| **l == m) {
            *level = 5;
        }
    }
    techs
}

fn one(
    rng: &mut ChaCha8Rng,
    id: String,
    home: Point,
    town: usize,
    skills: [u8; 6],
    certs: Vec<(usize, NaiveDate)>,
    contractor: bool,
) -> Tech {
    let start = [7, 8, 9][weighted(rng, &[0.3, 0.5, 0.2])] * HOUR;
    let max_overtime = if contractor {
        [0, 3600][weighted(rng, &[0.5, 0.5])]
    } else {
        [0, 900, 1800, 2700, 3600][weighted(rng, &[0.3, 0.15, 0.25, 0.1, 0.2])]
    };
    let lunch = chance(rng, if contractor { 0.5 } else { 0.9 });
    let capacity = if contractor { int(rng, 8, 15) * 10 } else { int(rng, 12, 20) * 10 };
    let max_jobs = chance(rng, 0.3).then(|| int(rng, 6, 12));
    let cost = if contractor {
        (
            int(rng, 8, 16) as f64 * 5.0,
            round(uniform(rng, 55.0, 70.0), 2),
            round(uniform(rng, 0.25, 0.45), 2),
        )
    } else {
        (0.0, round(uniform(rng, 35.0, 45.0), 2), 0.0)
    };
    let rating = round((4.2 + 0.45 * normal(rng)).clamp(3.0, 5.0), 1);
    Tech {
        id,
        home,
        town,
        skills,
        certs,
        shift: (start, start + 9 * HOUR),
        max_overtime,
        lunch,
        capacity,
        max_jobs,
        contractor,
        cost,
        rating,
    }
}

/// Main trade at a level 1-5 (experts rare) plus 0-2 related trades at lower levels.
fn skills(rng: &mut ChaCha8Rng, main: usize) -> [u8; 6] {
    let mut s = [0u8; 6];
    s[main] = weighted(rng, &MAIN_LEVEL_WEIGHTS) as u8 + 1;
    let extra = weighted(rng, &[0.3, 0.45, 0.25]);
    for _ in 0..extra {
        let related = RELATED[main];
        let k = if chance(rng, 0.7) {
            related[int(rng, 0, related.len() as i64 - 1) as usize]
        } else {
            weighted(rng, &SKILL_WEIGHTS)
        };
        if s[k] == 0 {
            s[k] = (weighted(rng, &SECOND_LEVEL_WEIGHTS) as u8 + 1).min(s[main]);
        }
    }
    s
}

/// Certifications held: about 12 % expired before `date`, a few expiring on it.
fn certifications(
    rng: &mut ChaCha8Rng,
    skills: &[u8; 6],
    date: NaiveDate,
) -> Vec<(usize, NaiveDate)> {
    let mut out = Vec::new();
    for c in 0..CERTS.len() {
        if !chance(rng, tech_cert_chance(c, |s| skills[s])) {
            continue;
        }
        let r = weighted(rng, &[0.12, 0.03, 0.85]);
        let days = match r {
            0 => -int(rng, 1, 180),
            1 => 0,
            _ => int(rng, 1, 900),
        };
        out.push((c, date + TimeDelta::days(days)));
    }
    out
}
