//! Explanations: why a job went to its technician, or why it is unassigned and what would
//! place it. Built on the same hard rules (`policy::rules`), eligibility (`matching`) and
//! objective terms (`policy::terms`) as the search, evaluated on the finished plan.
//!
//! - [`rank_technicians`]: for one job, every technician: the rule that excludes them (which
//!   skill, which certification expired when), or their skill fit, preference, rating and
//!   the cost of adding the job to their day (by term).
//! - [`explain`]: the binding reason (pinned, the only eligible or the only one with room,
//!   the cheapest, ...), and for an unassigned job the relaxations that would place it,
//!   cheapest first ("windows 30 min wider", "T07 renews gas-safe").
//!
//! ```
//! use fieldopt::{io, plan::explain, SolveParams};
//! let doc = r#"{"format": "fieldopt-problem/1", "date": "2026-11-24",
//!   "travel": {"kind": "euclidean"},
//!   "technicians": [{"id": "A", "start": {"x": 0, "y": 0}, "shift": [0, 1000], "skills": {"hvac": 2}},
//!                   {"id": "B", "start": {"x": 50, "y": 0}, "shift": [0, 1000]}],
//!   "jobs": [{"id": "J", "location": {"x": 10, "y": 0}, "duration": 60, "skills": {"hvac": 1}}]}"#;
//! let problem = io::parse_problem_str(doc).unwrap();
//! let plan = fieldopt::solve(&problem, &SolveParams { iterations: Some(20), ..Default::default() });
//! let e = explain::explain(&problem, &problem.policy, &plan, "J").unwrap();
//! assert_eq!((e.technician.as_deref(), e.code.as_str()), (Some("A"), "only_eligible"));
//! assert_eq!(e.technicians[1].rule.as_deref(), Some("skill")); // B has no hvac
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::whatif::{assignment_of, best_insertion, job_routes, limit_name, removal, Insertion};
use super::Plan;
use crate::error::{Error, Result};
use crate::matching::{unassigned_reason, Eligibility};
use crate::model::time::TICKS;
use crate::model::{JobIdx, Problem, TechIdx};
use crate::policy::rules;
use crate::policy::{Objective, Policy, COST_SCALE};
use crate::routing::Infeasible;

/// Widenings tried for a job's windows and extensions of a technician's day, minutes.
pub const LADDER_MINUTES: [u32; 11] = [5, 10, 15, 30, 45, 60, 90, 120, 180, 240, 360];

/// One technician seen from one job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TechnicianFit {
    /// Technician id.
    pub technician: String,
    /// 1, 2, ... for technicians that could take the job, cheapest first; `None` otherwise.
    pub rank: Option<usize>,
    /// Every hard rule lets the technician do the job.
    pub eligible: bool,
    /// Code of the first rule that excludes them (`pinned`, `excluded`, `skill`,
    /// `certification`).
    pub rule: Option<String>,
    /// Every rule that excludes them, as sentences ("T03's gas-safe expired on 2026-11-20").
    pub why_not: Vec<String>,
    /// Eligible and the job fits into their day (as the plan has it).
    pub fits: bool,
    /// Eligible but does not fit: `time`, `capacity` or `max_jobs`.
    pub limit: Option<String>,
    /// This technician does the job in the plan.
    pub assigned: bool,
    /// One of the job's favourites.
    pub preferred: bool,
    /// Customers' rating 0-5, if known.
    pub rating: Option<f64>,
    /// Skill levels above the job's requirements (the spec's over-qualification).
    pub overqualification: u32,
    /// What the job adds to this technician's day, currency: the cheapest insertion, or for
    /// the assigned technician the cost of the day with the job minus without it.
    pub cost: Option<f64>,
    /// The travel time it adds, minutes (time unit / 60 on planar instances).
    pub extra_travel_minutes: Option<f64>,
    /// Position among the day's jobs (0 = first).
    pub position: Option<usize>,
    /// `cost` split by objective term (currency; terms that do not change are left out).
    pub terms: BTreeMap<String, f64>,
}

/// A change of the problem that would place an unassigned job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Relaxation {
    /// `window`, `shift`, `max_jobs`, `capacity`, `certification`, `skill`, `excluded`,
    /// `pinned`, `priority`.
    pub kind: String,
    /// The technician it concerns (and who would then take the job), if any.
    pub technician: Option<String>,
    /// For `window` and `shift`: by how many minutes.
    pub minutes: Option<f64>,
    /// What to change, as a sentence.
    pub description: String,
    /// What the job would then add to that technician's day, currency.
    pub cost: Option<f64>,
}

/// Why a job is where it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    /// Job id.
    pub job: String,
    /// `assigned` or `unassigned`.
    pub status: String,
    /// Who does it (assigned jobs).
    pub technician: Option<String>,
    /// The binding reason: for an assigned job `pinned`, `only_eligible`, `only_room`,
    /// `cheapest` or `not_cheapest` (another technician would add less as a single move:
    /// the search's plan is a local optimum); for an unassigned one the plan's reason code.
    pub code: String,
    /// The binding reason as a sentence.
    pub reason: String,
    /// Every technician, ranked (see [`rank_technicians`]).
    pub technicians: Vec<TechnicianFit>,
    /// For an unassigned job: changes that would place it, cheapest first.
    pub relaxations: Vec<Relaxation>,
}

impl Explanation {
    /// The first of [`Explanation::relaxations`], if any.
    pub fn cheapest_relaxation(&self) -> Option<&Relaxation> {
        self.relaxations.first()
    }
}

/// The index of job `id`, or an error naming it.
pub fn job_index(p: &Problem, id: &str) -> Result<JobIdx> {
    p.jobs
        .iter()
        .position(|j| j.id == id)
        .ok_or_else(|| Error::invalid("job", format!("unknown job id {id:?}")))
}

/// Every technician for job `job` under `policy`, against the days of `routes` (job
/// sequences per technician, e.g. [`super::whatif::job_routes`] of a plan; empty days when
/// there is no plan). Order: technicians that could take the job by `cost` (then index),
/// then eligible ones without room, then the ineligible ones.
pub fn rank_technicians(
    p: &Problem,
    policy: &Policy,
    routes: &[Vec<JobIdx>],
    job: JobIdx,
) -> Vec<TechnicianFit> {
    let obj = Objective::new(p, policy);
    rank_with(p, &obj, routes, job)
}

fn rank_with(
    p: &Problem,
    obj: &Objective,
    routes: &[Vec<JobIdx>],
    job: JobIdx,
) -> Vec<TechnicianFit> {
    let all = rules::all();
    let j = &p.jobs[job];
    let mut rows: Vec<(usize, TechnicianFit)> = (0..p.technicians.len())
        .map(|t| {
            let tech = &p.technicians[t];
            let failing: Vec<&dyn rules::Rule> =
                all.iter().map(|r| r.as_ref()).filter(|r| !r.allows(p, job, t)).collect();
            let seq = routes.get(t).map_or(&[][..], |s| s.as_slice());
            let assigned = seq.contains(&job);
            let mut row = TechnicianFit {
                technician: tech.id.clone(),
                rank: None,
                eligible: failing.is_empty(),
                rule: failing.first().map(|r| r.code().to_string()),
                why_not: failing.iter().map(|r| r.why_not(p, job, t)).collect(),
                fits: false,
                limit: None,
                assigned,
                preferred: j.preferred.contains(&t),
                rating: tech.rating,
                overqualification: j
                    .skills
                    .iter()
                    .map(|&(s, lvl)| u32::from(tech.skills[s].saturating_sub(lvl)))
                    .sum(),
                cost: None,
                extra_travel_minutes: None,
                position: None,
                terms: BTreeMap::new(),
            };
            if row.eligible {
                let placed = if assigned {
                    removal(p, obj, t, seq, job).ok_or(Infeasible::Time)
                } else {
                    best_insertion(p, obj, t, seq, job).map(|ins| (seq.to_vec(), ins))
                };
                match placed {
                    Ok((rest, ins)) => fill(p, obj, t, &rest, job, &ins, &mut row),
                    Err(e) => row.limit = Some(limit_name(e).to_string()),
                }
            }
            let group = if row.fits {
                0
            } else if row.eligible {
                1
            } else {
                2
            };
            (group, row)
        })
        .collect();
    rows.sort_by(|a, b| {
        let cost = |r: &TechnicianFit| r.cost.unwrap_or(f64::INFINITY);
        a.0.cmp(&b.0).then(cost(&a.1).total_cmp(&cost(&b.1)))
    });
    let mut rank = 0;
    rows.into_iter()
        .map(|(_, mut r)| {
            if r.fits {
                rank += 1;
                r.rank = Some(rank);
            }
            r
        })
        .collect()
}

/// Fills cost, travel, position and the per-term split of `ins` (`rest`: the day without
/// the job; the job at `ins.position`).
fn fill(
    p: &Problem,
    obj: &Objective,
    t: TechIdx,
    rest: &[JobIdx],
    job: JobIdx,
    ins: &Insertion,
    row: &mut TechnicianFit,
) {
    let mut with = rest.to_vec();
    with.insert(ins.position, job);
    let after = obj.breakdown(p, t, &ins.after.stats, &with);
    let before = obj.breakdown(p, t, &ins.before.stats, rest);
    for ((name, a), (_, b)) in after.into_iter().zip(before) {
        if a != b {
            row.terms.insert(name.to_string(), (a - b) as f64 / COST_SCALE);
        }
    }
    row.fits = true;
    row.cost = Some(ins.cost());
    row.extra_travel_minutes = Some(ins.travel_minutes());
    row.position = Some(ins.position);
}

/// Explains where job `job_id` is in `plan` (solved under `policy`): see the module docs.
/// Errors: an unknown job id (path `job`).
pub fn explain(p: &Problem, policy: &Policy, plan: &Plan, job_id: &str) -> Result<Explanation> {
    let job = job_index(p, job_id)?;
    let routes = job_routes(p, plan);
    let at = assignment_of(p.jobs.len(), &routes);
    let obj = Objective::new(p, policy);
    let technicians = rank_with(p, &obj, &routes, job);
    let mut e = Explanation {
        job: job_id.to_string(),
        status: "assigned".into(),
        technician: None,
        code: String::new(),
        reason: String::new(),
        technicians,
        relaxations: Vec::new(),
    };
    match at[job] {
        Some(t0) => {
            e.technician = Some(p.technicians[t0].id.clone());
            (e.code, e.reason) = why_assigned(p, job, t0, &e.technicians);
        }
        None => {
            e.status = "unassigned".into();
            let listed = plan.unassigned.iter().find(|u| u.job == job_id);
            (e.code, e.reason) = match listed {
                Some(u) if !u.code.is_empty() => (u.code.clone(), u.reason.clone()),
                _ => unassigned_reason(p, &obj, &Eligibility::new(p), &routes, job),
            };
            e.relaxations = relaxations(p, policy, &obj, &routes, job, &e.technicians);
        }
    }
    Ok(e)
}

/// The binding reason for an assigned job.
fn why_assigned(p: &Problem, job: JobIdx, t0: TechIdx, rows: &[TechnicianFit]) -> (String, String) {
    let id = &p.technicians[t0].id;
    if p.jobs[job].pinned == Some(t0) {
        return ("pinned".into(), format!("the job is pinned to {id}"));
    }
    let eligible = rows.iter().filter(|r| r.eligible).count();
    if eligible == 1 {
        let mut by_rule: BTreeMap<&str, usize> = BTreeMap::new();
        for r in rows.iter().filter_map(|r| r.rule.as_deref()) {
            *by_rule.entry(r).or_default() += 1;
        }
        let counts: Vec<String> = by_rule.iter().map(|(r, n)| format!("{r} {n}")).collect();
        return (
            "only_eligible".into(),
            format!(
                "{id} is the only technician who passes every rule (the others fail: {})",
                counts.join(", ")
            ),
        );
    }
    let mine = rows.iter().find(|r| r.assigned);
    let runner_up =
        rows.iter().filter(|r| r.fits && !r.assigned).min_by(|a, b| cost(a).total_cmp(&cost(b)));
    let (Some(mine), Some(other)) = (mine, runner_up) else {
        let full = rows.iter().filter(|r| r.eligible && !r.fits && !r.assigned).count();
        return (
            "only_room".into(),
            format!("{id} is the only qualified technician with room for it ({full} others have full days)"),
        );
    };
    let (a, b) = (cost(mine), cost(other));
    let mut diffs: Vec<(String, f64)> = mine
        .terms
        .keys()
        .chain(other.terms.keys())
        .map(|k| {
            let d = mine.terms.get(k).unwrap_or(&0.0) - other.terms.get(k).unwrap_or(&0.0);
            (k.clone(), d)
        })
        .filter(|(_, d)| d.abs() >= 0.005)
        .collect();
    diffs.sort_by(|x, y| y.1.abs().total_cmp(&x.1.abs()).then(x.0.cmp(&y.0)));
    diffs.dedup_by(|x, y| x.0 == y.0);
    let split: Vec<String> = diffs.iter().take(3).map(|(k, d)| format!("{k} {d:+.2}")).collect();
    let split = if split.is_empty() {
        String::new()
    } else {
        format!("; {id} minus {}: {}", other.technician, split.join(", "))
    };
    if a <= b {
        (
            "cheapest".into(),
            format!(
                "{id} adds the least: {a:.2} against {b:.2} for {}, the next cheapest{split}",
                other.technician
            ),
        )
    } else {
        (
            "not_cheapest".into(),
            format!(
                "{} would add {:.2} less as a single move ({b:.2} against {a:.2}); the search's plan is a local optimum{split}",
                other.technician,
                a - b
            ),
        )
    }
}

fn cost(r: &TechnicianFit) -> f64 {
    r.cost.unwrap_or(f64::INFINITY)
}

/// Changes of the problem that would place unassigned `job`, cheapest first: the job's own
/// windows (smallest widening on both sides), a technician's longer day (smallest extra
/// overtime), one more job or more capacity for a technician, then qualifications
/// (renewing an expired certification, fewest skill levels, a new certification), lifting
/// a ban or a pin, and last a higher priority. Each is checked by exact evaluation against
/// the plan's days; only changes that would place the job are listed.
fn relaxations(
    p: &Problem,
    policy: &Policy,
    obj: &Objective,
    routes: &[Vec<JobIdx>],
    job: JobIdx,
    rows: &[TechnicianFit],
) -> Vec<Relaxation> {
    let mut out: Vec<(u32, f64, Relaxation)> = Vec::new();
    let all = rules::all();
    let allowed: Vec<TechIdx> =
        (0..p.technicians.len()).filter(|&t| all.iter().all(|r| r.allows(p, job, t))).collect();
    let fits_now =
        rows.iter().filter(|r| r.fits).filter_map(|r| r.cost).fold(f64::INFINITY, f64::min);
    let id = |t: TechIdx| p.technicians[t].id.clone();
    // Time and day limits, on a copy of the problem whose job or technician is changed.
    if !allowed.is_empty() && !fits_now.is_finite() {
        let mut q = p.clone();
        let has_windows = !p.jobs[job].windows_exact.is_empty();
        if has_windows {
            let original = q.jobs[job].windows.clone();
            for m in LADDER_MINUTES {
                let d = i64::from(m) * 60 * TICKS as i64;
                for (w, o) in q.jobs[job].windows.iter_mut().zip(&original) {
                    w.open = o.open.saturating_sub(d);
                    w.close = o.close.saturating_add(d);
                }
                if let Some((t, c)) = cheapest(&q, obj, routes, &allowed, job) {
                    out.push((
                        0,
                        f64::from(m),
                        Relaxation {
                            kind: "window".into(),
                            technician: Some(id(t)),
                            minutes: Some(f64::from(m)),
                            description: format!(
                                "its time windows {m} min wider on each side ({} takes it)",
                                id(t)
                            ),
                            cost: Some(c),
                        },
                    ));
                    break;
                }
            }
            q.jobs[job].windows = original;
        }
        for &t in &allowed {
            let orig = q.technicians[t].clone();
            for m in LADDER_MINUTES {
                q.technicians[t].max_overtime =
                    orig.max_overtime + i64::from(m) * 60 * TICKS as i64;
                if let Some((_, c)) = cheapest(&q, obj, routes, &[t], job) {
                    out.push((
                        1,
                        f64::from(m),
                        Relaxation {
                            kind: "shift".into(),
                            technician: Some(id(t)),
                            minutes: Some(f64::from(m)),
                            description: format!("{} may work {m} min longer (overtime)", id(t)),
                            cost: Some(c),
                        },
                    ));
                    break;
                }
            }
            q.technicians[t] = orig.clone();
            if let Some(n) = orig.max_jobs {
                q.technicians[t].max_jobs = Some(n + 1);
                if let Some((_, c)) = cheapest(&q, obj, routes, &[t], job) {
                    out.push((
                        2,
                        1.0,
                        Relaxation {
                            kind: "max_jobs".into(),
                            technician: Some(id(t)),
                            minutes: None,
                            description: format!("{} may do {} jobs instead of {n}", id(t), n + 1),
                            cost: Some(c),
                        },
                    ));
                }
                q.technicians[t] = orig.clone();
            }
            if orig.capacity.is_some() {
                q.technicians[t].capacity = None;
                if let Some((_, c)) = cheapest(&q, obj, routes, &[t], job) {
                    out.push((
                        3,
                        1.0,
                        Relaxation {
                            kind: "capacity".into(),
                            technician: Some(id(t)),
                            minutes: None,
                            description: format!("{} carries more (capacity is the limit)", id(t)),
                            cost: Some(c),
                        },
                    ));
                }
                q.technicians[t] = orig;
            }
        }
    }
    // Hard rules: a technician whose every failing rule is relaxed, if the job then fits.
    for t in (0..p.technicians.len()).filter(|t| !allowed.contains(t)) {
        let failing: Vec<&str> =
            all.iter().filter(|r| !r.allows(p, job, t)).map(|r| r.code()).collect();
        let Some((_, c)) = cheapest(p, obj, routes, &[t], job) else { continue };
        let (rank, amount, what) = rule_change(p, job, t, &failing);
        out.push((
            rank,
            amount,
            Relaxation {
                kind: failing.first().copied().unwrap_or("rule").to_string(),
                technician: Some(id(t)),
                minutes: None,
                description: format!("{what} ({} takes it)", id(t)),
                cost: Some(c),
            },
        ));
    }
    // Not worth it: fits, but costs more than leaving it out.
    if fits_now.is_finite() {
        let left_out = obj.unassigned_cost(job) as f64 / COST_SCALE;
        let own = p.jobs[job].unassigned_cost.filter(|_| policy.outsourcing > 0.0);
        let description = match own {
            Some(_) => format!(
                "an outsourcing price above {:.2} (leaving it out costs {left_out:.2}; the cheapest technician adds {fits_now:.2})",
                fits_now / policy.outsourcing
            ),
            None if policy.unassigned > 0.0 => {
                let prio = (fits_now / policy.unassigned).ceil().max(1.0) as u64 - 1;
                let prio = prio.max(u64::from(p.jobs[job].priority) + 1);
                format!(
                    "priority {prio} or more (leaving it out costs {left_out:.2}; the cheapest technician adds {fits_now:.2})"
                )
            }
            None => format!("a policy `unassigned` weight above {fits_now:.2}"),
        };
        out.push((
            9,
            0.0,
            Relaxation {
                kind: "priority".into(),
                technician: None,
                minutes: None,
                description,
                cost: Some(fits_now),
            },
        ));
    }
    out.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then(a.1.total_cmp(&b.1))
            .then(a.2.cost.unwrap_or(0.0).total_cmp(&b.2.cost.unwrap_or(0.0)))
    });
    out.into_iter().map(|x| x.2).collect()
}

/// The cheapest technician of `techs` whose day (in `routes`) takes `job` in problem `q`,
/// with what it adds (currency).
fn cheapest(
    q: &Problem,
    obj: &Objective,
    routes: &[Vec<JobIdx>],
    techs: &[TechIdx],
    job: JobIdx,
) -> Option<(TechIdx, f64)> {
    techs
        .iter()
        .filter_map(|&t| {
            let seq = routes.get(t).map_or(&[][..], |s| s.as_slice());
            best_insertion(q, obj, t, seq, job).ok().map(|i| (t, i.cost()))
        })
        .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)))
}

/// How to lift the failing rules `codes` of technician `t` for `job`: (order, amount, what).
fn rule_change(p: &Problem, job: JobIdx, t: TechIdx, codes: &[&str]) -> (u32, f64, String) {
    let tech = &p.technicians[t];
    let j = &p.jobs[job];
    let mut parts = Vec::new();
    let (mut rank, mut amount) = (4u32, 0.0);
    for &code in codes {
        match code {
            "certification" => {
                for &c in j.certs.iter().filter(|&&c| !tech.certs_valid[c]) {
                    match tech.cert_expiry[c] {
                        Some(d) => parts
                            .push(format!("{} renews {} (expired {d})", tech.id, p.cert_names[c])),
                        None => {
                            rank = rank.max(6);
                            parts.push(format!("{} gets certified {}", tech.id, p.cert_names[c]));
                        }
                    }
                }
            }
            "skill" => {
                rank = rank.max(5);
                for &(s, lvl) in j.skills.iter().filter(|&&(s, lvl)| tech.skills[s] < lvl) {
                    amount += f64::from(lvl - tech.skills[s]);
                    parts.push(format!(
                        "{} trains {} from level {} to {lvl}",
                        tech.id, p.skill_names[s], tech.skills[s]
                    ));
                }
            }
            "excluded" => {
                rank = rank.max(7);
                parts.push(format!("the customer lifts the ban on {}", tech.id));
            }
            _ => {
                rank = rank.max(8);
                let pin = j.pinned.map_or("?", |x| p.technicians[x].id.as_str());
                parts.push(format!("the job is unpinned from {pin}"));
            }
        }
    }
    (rank, amount, parts.join(" and "))
}
