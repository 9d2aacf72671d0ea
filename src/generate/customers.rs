//! Customers: households and businesses with one or a few jobs, key accounts with many
//! sites, and the relations between customers and technicians (favourites, bans, pins).

use chrono::NaiveDate;
use rand_chacha::ChaCha8Rng;

use super::jobs::Job;
use super::region::{Point, Region};
use super::sample::{chance, int};
use super::techs::Tech;

/// One customer.
#[derive(Debug, Clone)]
pub(super) struct Customer {
    /// Id such as `C0042`.
    pub id: String,
    /// A key account (housing association, retail chain): many jobs at many sites.
    pub key: bool,
}

/// Who orders each job and where: returns the customers and, per job, the customer index,
/// the site and whether it is a key account.
pub(super) fn draw(
    rng: &mut ChaCha8Rng,
    region: &Region,
    jobs: usize,
) -> (Vec<Customer>, Vec<(usize, Point, bool)>) {
    let n_key = if jobs >= 20 { (jobs / 120).max(1) } else { 0 };
    let width = (jobs + n_key).to_string().len().max(4);
    let id = |i: usize| format!("C{:0width$}", i + 1);
    let mut customers: Vec<Customer> =
        (0..n_key).map(|i| Customer { id: id(i), key: true }).collect();
    let key_weights: Vec<f64> = (0..n_key).map(|k| 1.0 / (k as f64 + 1.0)).collect();
    let mut regular: Vec<(usize, Point)> = Vec::new();
    let mut out = Vec::with_capacity(jobs);
    for _ in 0..jobs {
        if n_key > 0 && chance(rng, 0.22) {
            let k = super::sample::weighted(rng, &key_weights);
            out.push((k, region.site(rng, 0.1), true));
        } else if !regular.is_empty() && chance(rng, 0.2) {
            // A second or third job for a recent customer, at the same address.
            let lo = regular.len().saturating_sub(30) as i64;
            let (c, p) = regular[int(rng, lo, regular.len() as i64 - 1) as usize];
            out.push((c, p, false));
        } else {
            let c = customers.len();
            customers.push(Customer { id: id(c), key: false });
            let p = region.site(rng, 0.18);
            regular.push((c, p));
            out.push((c, p, false));
        }
    }
    (customers, out)
}

/// Technicians eligible for `job` (qualified, not excluded), nearest to the site first.
fn nearest_eligible(job: &Job, techs: &[Tech], date: NaiveDate) -> Vec<usize> {
    let mut v: Vec<usize> = (0..techs.len())
        .filter(|&t| job.qualified(&techs[t], date) && !job.excluded.contains(&t))
        .collect();
    v.sort_by(|&a, &b| {
        let (da, db) = (techs[a].home.dist(&job.site), techs[b].home.dist(&job.site));
        da.total_cmp(&db).then(a.cmp(&b))
    });
    v
}

/// One of the five nearest of `near` that is not a favourite.
fn pick_ban(rng: &mut ChaCha8Rng, near: &[usize], favourites: &[usize]) -> Option<usize> {
    let pool: Vec<usize> =
        near.iter().copied().filter(|t| !favourites.contains(t)).take(5).collect();
    (!pool.is_empty()).then(|| pool[int(rng, 0, pool.len() as i64 - 1) as usize])
}

/// Sets favourites (preferred technicians) for many customers, bans a technician for a
/// few, and pins a few jobs to an eligible technician. Never leaves a job without an
/// eligible technician.
pub(super) fn relations(
    rng: &mut ChaCha8Rng,
    customers: &[Customer],
    jobs: &mut [Job],
    techs: &[Tech],
    date: NaiveDate,
) {
    let mut by_customer: Vec<Vec<usize>> = vec![Vec::new(); customers.len()];
    for (j, job) in jobs.iter().enumerate() {
        by_customer[job.customer].push(j);
    }
    for (c, cust) in customers.iter().enumerate() {
        let Some(&first) = by_customer[c].first() else { continue };
        let near = nearest_eligible(&jobs[first], techs, date);
        // The favourite: one of the nearest technicians who can do their first job.
        let mut favourites = Vec::new();
        if chance(rng, if cust.key { 0.9 } else { 0.45 }) && !near.is_empty() {
            let wanted = if cust.key { 2 } else { 1 };
            let pool: Vec<usize> = near.iter().copied().take(wanted + 2).collect();
            while favourites.len() < wanted.min(pool.len()) {
                let t = pool[int(rng, 0, pool.len() as i64 - 1) as usize];
                if !favourites.contains(&t) {
                    favourites.push(t);
                }
            }
        }
        // An occasional ban (a complaint): a nearby technician who is not a favourite.
        // Key accounts ban per site (below), not account-wide.
        let mut banned = None;
        if !cust.key && chance(rng, 0.05) {
            banned = pick_ban(rng, &near, &favourites);
        }
        for &j in &by_customer[c] {
            let banned = match banned {
                None if cust.key && chance(rng, 0.04) => {
                    pick_ban(rng, &nearest_eligible(&jobs[j], techs, date), &favourites)
                }
                b => b,
            };
            if let Some(b) = banned {
                let others = techs.iter().enumerate().any(|(t, tech)| {
                    t != b && jobs[j].qualified(tech, date) && !jobs[j].excluded.contains(&t)
                });
                if others {
                    jobs[j].excluded.push(b);
                }
            }
            let job = &jobs[j];
            let pref: Vec<usize> = favourites
                .iter()
                .copied()
                .filter(|&t| job.qualified(&techs[t], date) && !job.excluded.contains(&t))
                .collect();
            jobs[j].preferred = pref;
        }
    }
    // A few follow-up visits pinned to one technician (the favourite when possible).
    for job in jobs.iter_mut() {
        if !chance(rng, 0.015) {
            continue;
        }
        let pin = match job.preferred.first() {
            Some(&t) => Some(t),
            None => {
                let near = nearest_eligible(job, techs, date);
                let pool = &near[..near.len().min(5)];
                (!pool.is_empty()).then(|| pool[int(rng, 0, pool.len() as i64 - 1) as usize])
            }
        };
        job.pinned = pin;
    }
}
