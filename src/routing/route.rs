//! One technician's route with the caches that make insertion checks constant-time:
//! relaxed forward departure times and backward latest arrivals (no break, window hulls).
//! The relaxation only ever rejects sequences the exact evaluation would reject too.

use std::sync::atomic::{AtomicU64, Ordering};

use super::schedule::{evaluate, RouteEval};
use crate::model::{JobIdx, Problem, TechIdx, Time};
use crate::policy::Objective;

/// A technician's sequence of jobs with its exact evaluation and O(1) insertion caches.
#[derive(Debug, Clone)]
pub struct Route {
    /// Technician of the route.
    pub tech: TechIdx,
    /// Jobs in visiting order.
    pub jobs: Vec<JobIdx>,
    /// Exact evaluation of `jobs`.
    pub eval: RouteEval,
    /// `dep[k]`: relaxed earliest departure from the node before job k (k = 0: the start).
    dep: Vec<Time>,
    /// `latest[k]`: relaxed latest arrival at job k (k = len: at the end) keeping the rest feasible.
    latest: Vec<Time>,
    /// Load per capacity dimension.
    pub load: Vec<i64>,
    /// Identity of this content: a fresh number on every [`Route::new`] and [`Route::set`],
    /// never reused in the process (clones keep it, since they hold the same content).
    /// Caches of values derived from a route key them by it instead of comparing jobs.
    stamp: u64,
}

/// Source of [`Route::stamp`]s; 0 is never handed out, so caches may use it for "empty".
static NEXT_STAMP: AtomicU64 = AtomicU64::new(1);

/// A stamp no route has had before.
fn fresh_stamp() -> u64 {
    NEXT_STAMP.fetch_add(1, Ordering::Relaxed)
}

impl Route {
    /// An empty route for `tech`.
    pub fn new(p: &Problem, obj: &Objective, tech: TechIdx) -> Self {
        let mut r = Route {
            tech,
            jobs: Vec::new(),
            eval: evaluate(p, obj, tech, &[]).expect("empty route is feasible"),
            dep: Vec::new(),
            latest: Vec::new(),
            load: vec![0; p.dims],
            stamp: fresh_stamp(),
        };
        r.refresh(p);
        r
    }

    /// Replaces the sequence with an already evaluated feasible one and rebuilds the caches.
    pub fn set(&mut self, p: &Problem, jobs: Vec<JobIdx>, eval: RouteEval) {
        self.jobs = jobs;
        self.eval = eval;
        self.stamp = fresh_stamp();
        self.refresh(p);
    }

    /// The identity of the route's current content (see the field's documentation): equal
    /// stamps mean the same technician and the same jobs in the same order.
    #[inline]
    pub fn stamp(&self) -> u64 {
        self.stamp
    }

    /// Route cost (micro-currency).
    pub fn cost(&self) -> i64 {
        self.eval.cost
    }

    /// Number of jobs.
    pub fn len(&self) -> usize {
        self.jobs.len()
    }

    /// True when the technician stays home.
    pub fn is_empty(&self) -> bool {
        self.jobs.is_empty()
    }

    /// Location of the node before position `k` (the start for k = 0).
    #[inline]
    pub fn loc_before(&self, p: &Problem, k: usize) -> usize {
        if k == 0 {
            p.technicians[self.tech].start
        } else {
            p.jobs[self.jobs[k - 1]].loc
        }
    }

    /// Location of the node at position `k` (the end for k = len).
    #[inline]
    pub fn loc_at(&self, p: &Problem, k: usize) -> usize {
        if k == self.jobs.len() {
            p.technicians[self.tech].end
        } else {
            p.jobs[self.jobs[k]].loc
        }
    }

    fn refresh(&mut self, p: &Problem) {
        let tech = &p.technicians[self.tech];
        let n = self.jobs.len();
        self.dep.clear();
        self.dep.push(tech.shift.open);
        let mut loc = tech.start;
        for &j in &self.jobs {
            let job = &p.jobs[j];
            let h = job.window_hull();
            let arr = self.dep.last().copied().unwrap_or(0) + p.travel.time(loc, job.loc);
            self.dep.push(arr.max(h.open) + job.duration);
            loc = job.loc;
        }
        self.latest.clear();
        self.latest.resize(n + 1, 0);
        self.latest[n] = tech.shift.close.saturating_add(tech.max_overtime);
        for k in (0..n).rev() {
            let job = &p.jobs[self.jobs[k]];
            let next = self.loc_at(p, k + 1);
            let by_next = self.latest[k + 1] - p.travel.time(job.loc, next) - job.duration;
            self.latest[k] = by_next.min(job.window_hull().close);
        }
        self.load.iter_mut().for_each(|x| *x = 0);
        for &j in &self.jobs {
            for (l, d) in self.load.iter_mut().zip(&p.jobs[j].demand) {
                *l += d;
            }
        }
    }

    /// Capacity and max-jobs check for adding `job` (and removing `minus`, if any).
    pub fn fits(&self, p: &Problem, job: JobIdx, minus: Option<JobIdx>) -> bool {
        let tech = &p.technicians[self.tech];
        let count = self.jobs.len() + 1 - usize::from(minus.is_some());
        if tech.max_jobs.is_some_and(|m| count > m) {
            return false;
        }
        if let Some(cap) = &tech.capacity {
            let dj = &p.jobs[job].demand;
            for (d, &c) in cap.iter().enumerate() {
                let out = minus.map_or(0, |m| p.jobs[m].demand.get(d).copied().unwrap_or(0));
                if self.load[d] + dj.get(d).copied().unwrap_or(0) - out > c {
                    return false;
                }
            }
        }
        true
    }

    /// Constant-time necessary condition for inserting `job` before position `k`:
    /// the relaxed schedule reaches it inside its window hull and the rest stays feasible.
    #[inline]
    pub fn time_ok(&self, p: &Problem, job: JobIdx, k: usize) -> bool {
        let jb = &p.jobs[job];
        let h = jb.window_hull();
        let arr = self.dep[k] + p.travel.time(self.loc_before(p, k), jb.loc);
        if arr > h.close {
            return false;
        }
        let leave = arr.max(h.open) + jb.duration;
        leave + p.travel.time(jb.loc, self.loc_at(p, k)) <= self.latest[k]
    }

    /// Change of travel time and distance when inserting `job` before position `k`.
    #[inline]
    pub fn insert_delta(&self, p: &Problem, job: JobIdx, k: usize) -> (Time, i64) {
        let a = self.loc_before(p, k);
        let b = self.loc_at(p, k);
        let x = p.jobs[job].loc;
        let tr = &p.travel;
        (
            tr.time(a, x) + tr.time(x, b) - tr.time(a, b),
            tr.dist(a, x) + tr.dist(x, b) - tr.dist(a, b),
        )
    }
}
