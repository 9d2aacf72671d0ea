//! Jobs: kind, duration, time windows, required skills and certifications (kept within what
//! the workforce can do), demand, priority and outsourcing cost.

use chrono::NaiveDate;
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Map, Value};

use super::catalog::{
    job_cert_chance, CERTS, JOB_LEVEL_WEIGHTS, KINDS, RELATED, SKILLS, SKILL_WEIGHTS,
};
use super::region::Point;
use super::sample::{chance, int, minutes5, round, uniform, weighted};
use super::techs::Tech;

const HOUR: i64 = 3600;
/// Latest time a job should be finished by, so that the latest shift can still do it.
const LATEST_END: i64 = 17 * HOUR + 2700;

/// One generated job.
#[derive(Debug, Clone)]
pub(super) struct Job {
    /// Id such as `J0042`.
    pub id: String,
    /// Index of the customer.
    pub customer: usize,
    /// Where the work is.
    pub site: Point,
    /// Index into [`KINDS`].
    pub kind: usize,
    /// Service seconds.
    pub duration: i64,
    /// Start windows (seconds from midnight); empty = any time.
    pub windows: Vec<(i64, i64)>,
    /// Required level per skill of [`SKILLS`], 0 = not required.
    pub skills: [u8; 6],
    /// Required certifications (indices into [`CERTS`]).
    pub certs: Vec<usize>,
    /// Van stock used.
    pub demand: i64,
    /// 0..=3.
    pub priority: i64,
    /// Cost of leaving the job out, for some.
    pub unassigned_cost: Option<f64>,
    /// Preferred technicians (indices).
    pub preferred: Vec<usize>,
    /// Excluded technicians (indices).
    pub excluded: Vec<usize>,
    /// Pinned technician (index).
    pub pinned: Option<usize>,
}

impl Job {
    /// Whether `t` may do this job on `date` by skills and certifications, ignoring bans.
    pub fn qualified(&self, t: &Tech, date: NaiveDate) -> bool {
        (0..SKILLS.len()).all(|s| t.skills[s] >= self.skills[s])
            && self.certs.iter().all(|&c| t.holds(c, date))
    }

    /// The job as a problem-document object; `techs` gives the ids.
    pub fn to_json(&self, techs: &[Tech], customer_id: &str) -> Value {
        let ids = |v: &[usize]| json!(v.iter().map(|&i| techs[i].id.as_str()).collect::<Vec<_>>());
        let mut j = Map::new();
        j.insert("id".into(), json!(self.id));
        j.insert("customer".into(), json!(customer_id));
        j.insert("location".into(), self.site.to_json());
        j.insert("duration".into(), json!(self.duration));
        if !self.windows.is_empty() {
            let w: Vec<Value> = self.windows.iter().map(|&(a, b)| json!([a, b])).collect();
            j.insert("time_windows".into(), Value::Array(w));
        }
        let skills: Map<String, Value> = (0..SKILLS.len())
            .filter(|&s| self.skills[s] > 0)
            .map(|s| (SKILLS[s].to_string(), json!(self.skills[s])))
            .collect();
        if !skills.is_empty() {
            j.insert("skills".into(), Value::Object(skills));
        }
        if !self.certs.is_empty() {
            j.insert(
                "certifications".into(),
                json!(self.certs.iter().map(|&c| CERTS[c]).collect::<Vec<_>>()),
            );
        }
        j.insert("demand".into(), json!([self.demand]));
        j.insert("priority".into(), json!(self.priority));
        if let Some(c) = self.unassigned_cost {
            j.insert("unassigned_cost".into(), json!(c));
        }
        if !self.preferred.is_empty() {
            j.insert("preferred_technicians".into(), ids(&self.preferred));
        }
        if !self.excluded.is_empty() {
            j.insert("excluded_technicians".into(), ids(&self.excluded));
        }
        if let Some(p) = self.pinned {
            j.insert("pinned_technician".into(), json!(techs[p].id));
        }
        j.insert("kind".into(), json!(KINDS[self.kind].name));
        Value::Object(j)
    }
}

/// A job at `site` for `customer`, whose requirements some technician of `techs` meets.
pub(super) fn one(
    rng: &mut ChaCha8Rng,
    id: String,
    customer: usize,
    site: Point,
    key_account: bool,
    techs: &[Tech],
    date: NaiveDate,
) -> Job {
    let kind = weighted(rng, &KINDS.map(|k| k.weight));
    let k = KINDS[kind];
    // Skewed towards short jobs: most visits are quick, a few take long.
    let minutes = k.minutes.0 + (k.minutes.1 - k.minutes.0) * uniform(rng, 0.0, 1.0).powf(k.skew);
    let duration = minutes5(minutes).max(20 * 60);
    let windows = windows(rng, duration);
    let mut job = Job {
        id,
        customer,
        site,
        kind,
        duration,
        windows,
        skills: [0; 6],
        certs: Vec::new(),
        demand: int(rng, k.demand.0, k.demand.1),
        priority: weighted(rng, &k.priority) as i64,
        unassigned_cost: None,
        preferred: Vec::new(),
        excluded: Vec::new(),
        pinned: None,
    };
    requirements(rng, &mut job);
    make_feasible(&mut job, techs, date);
    if key_account || chance(rng, 0.2) {
        let base = 100.0 * (1 + job.priority) as f64 * uniform(rng, 1.0, 3.0);
        job.unassigned_cost = Some(round(base / 10.0, 0) * 10.0);
    }
    job
}

/// About 80 % of jobs get windows of 2-4 hours, one in eight of those two windows.
fn windows(rng: &mut ChaCha8Rng, duration: i64) -> Vec<(i64, i64)> {
    let fit = |(a, b): (i64, i64)| {
        let late = (b + duration - LATEST_END).max(0);
        let late = (late + 899) / 900 * 900; // shift earlier in 15-minute steps
        ((a - late).max(7 * HOUR), b - late)
    };
    match weighted(rng, &[0.2, 0.7, 0.1]) {
        0 => Vec::new(),
        1 => {
            let len = [2, 3, 4][weighted(rng, &[0.35, 0.35, 0.3])] * HOUR;
            let slots = (17 * HOUR - len - 7 * HOUR) / 1800;
            let a = 7 * HOUR + 1800 * int(rng, 0, slots);
            vec![fit((a, a + len))]
        }
        _ => {
            let a = 8 * HOUR + 1800 * int(rng, 0, 2);
            let b = 13 * HOUR + 1800 * int(rng, 0, 2);
            vec![(a, a + 2 * HOUR), fit((b, b + 2 * HOUR))]
        }
    }
}

/// Draws 0-2 required skills (related trades together) and the certifications they imply.
fn requirements(rng: &mut ChaCha8Rng, job: &mut Job) {
    let k = KINDS[job.kind];
    let n = weighted(rng, &k.skill_count);
    if n >= 1 {
        let first = weighted(rng, &SKILL_WEIGHTS);
        job.skills[first] = (weighted(rng, &JOB_LEVEL_WEIGHTS) as u8 + 1).min(k.max_level);
        if n == 2 {
            let related = RELATED[first];
            let second = related[int(rng, 0, related.len() as i64 - 1) as usize];
            let level = (weighted(rng, &JOB_LEVEL_WEIGHTS) as u8 + 1).min(3);
            job.skills[second] = level.min(job.skills[first]);
        }
    }
    let skills = job.skills;
    for c in 0..CERTS.len() {
        if chance(rng, job_cert_chance(c, |s| skills[s] > 0)) {
            job.certs.push(c);
        }
    }
}

/// If no technician qualifies, lowers the requirements to those of the closest match (the
/// technician missing the fewest levels and certifications), so every job has someone.
fn make_feasible(job: &mut Job, techs: &[Tech], date: NaiveDate) {
    if techs.iter().any(|t| job.qualified(t, date)) {
        return;
    }
    let gap = |t: &Tech| -> u32 {
        let levels: u32 =
            (0..SKILLS.len()).map(|s| job.skills[s].saturating_sub(t.skills[s]) as u32).sum();
        levels + 2 * job.certs.iter().filter(|&&c| !t.holds(c, date)).count() as u32
    };
    let Some(best) = techs.iter().min_by_key(|t| gap(t)) else { return };
    for s in 0..SKILLS.len() {
        job.skills[s] = job.skills[s].min(best.skills[s]);
    }
    job.certs.retain(|&c| best.holds(c, date));
}
