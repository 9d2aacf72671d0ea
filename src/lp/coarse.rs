//! A coarse pricing that always finishes: a lower estimate of a technician class's minimum
//! reduced cost over a relaxation of its routes, cheap enough to run for every class whose
//! ng-route search was cut short, so the Lagrangian bound exists in every round (on the
//! 500-job sample day the exact search had finished 14 of 50 classes after 211 s).
//!
//! The relaxation keeps what fills a field-service day (time windows, travel, service,
//! the break, the end of the day) and drops what multiplies labels: a route may come back
//! to a job after at least one other (2-cycles are excluded, the classic q-route rule:
//! without it the cheapest routes bounced between two neighbours), capacity and the job
//! cap are ignored, and labels whose service starts fall in the same bucket of the day at
//! the same job merge into one with the earliest start and, for each of the two cheapest
//! distinct predecessors, the lowest cost. Every elementary route (no job twice, so no
//! 2-cycle) therefore maps to a label path that is no later and no dearer, and the
//! minimum found is at most the cheapest real route's (not necessarily the ng-route
//! search's, whose routes may include a 2-cycle between distant jobs: either estimate
//! keeps the Lagrangian bound valid). A bucket is at most a minute and never longer than the shortest service
//! plus drive between two jobs, so every extension lands in a later bucket: labels are
//! final when taken from the queue. A label is extended only when the labels taken
//! earlier at its job do not cover it (earlier and cheaper, able to go wherever it can).

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashSet};
use std::time::Instant;

use rayon::prelude::*;

use super::coeffs::Coeffs;
use super::colgen::{Class, ColGen, EPS};
use super::day::Day;
use super::pricing::{Priced, Prices, COLUMNS_PER_ROUND};
use crate::model::time::TICKS;
use crate::model::{Problem, Time};

/// Widest merge bucket (seconds of the day).
const STEP_SECONDS: f64 = 60.0;
/// Most buckets per day (a longer day, or shorter steps, is not priced coarsely).
const MAX_BUCKETS: Time = 4096;
/// Most slots (2 x jobs x buckets, about 64 bytes each) one run may allocate: a class of
/// thousands of jobs is not priced coarsely rather than risk the memory of every thread.
const MAX_SLOTS: usize = 1 << 21;
/// No predecessor: the first job of a route.
const START: usize = usize::MAX;
/// Predecessor node of a route's first job (no job has it).
const FROM_START: u32 = u32::MAX;

/// One way into a slot: its cost, the slot and label (0 or 1) it came from, and that
/// slot's job.
#[derive(Clone, Copy)]
struct Via {
    cost: f64,
    slot: usize,
    label: u8,
    node: u32,
}

const NO_VIA: Via = Via { cost: f64::INFINITY, slot: START, label: 0, node: FROM_START };

/// The cheapest way in, and the cheapest from another job: between them a label can go
/// to every job but the one it just left (`first.node`), and to that one through `second`.
#[derive(Clone, Copy)]
struct Top2 {
    first: Via,
    second: Via,
}

impl Top2 {
    const EMPTY: Top2 = Top2 { first: NO_VIA, second: NO_VIA };

    /// Takes `v` if it is among the two cheapest with distinct predecessors; true if so.
    fn offer(&mut self, v: Via) -> bool {
        if v.cost >= self.second.cost && v.node != self.first.node {
            return false;
        }
        if v.node == self.first.node {
            if v.cost < self.first.cost {
                self.first = v;
                return true;
            }
            return false;
        }
        if v.cost < self.first.cost {
            self.second = self.first;
            self.first = v;
        } else {
            self.second = v;
        }
        true
    }

    /// The cheapest way in that may go on to `target` (not back where it came from).
    fn towards(&self, target: u32) -> Option<(u8, &Via)> {
        if self.first.node != target && self.first.cost.is_finite() {
            Some((0, &self.first))
        } else if self.second.cost.is_finite() {
            Some((1, &self.second))
        } else {
            None
        }
    }

    fn get(&self, label: u8) -> &Via {
        if label == 0 {
            &self.first
        } else {
            &self.second
        }
    }

    /// True when these labels (taken earlier, so no later) can do whatever `s` can, each
    /// extension at no higher cost.
    fn covers(&self, s: &Top2) -> bool {
        let c = s.first.cost;
        let either = self.first.cost <= c && self.second.cost <= c;
        let same =
            [&self.first, &self.second].iter().any(|f| f.node == s.first.node && f.cost <= c);
        let back = !s.second.cost.is_finite()
            || [&self.first, &self.second]
                .iter()
                .any(|f| f.node != s.first.node && f.cost <= s.second.cost);
        (either || same) && back
    }
}

/// A merged label: earliest start of the labels in its bucket and their two cheapest ways in.
#[derive(Clone, Copy)]
struct Slot {
    time: Time,
    via: Top2,
}

/// Outcome of a coarse pricing run.
pub(super) struct Coarse {
    /// Lower estimate of the minimum reduced cost, fleet price included, capped at 0.
    pub(super) min_rc: f64,
    /// The cheapest negative routes of the relaxation (local nodes, a job may come back),
    /// cheapest first: master columns that move its prices towards this relaxation's.
    pub(super) routes: Vec<Vec<u32>>,
}

type Queue = BinaryHeap<Reverse<(Time, usize)>>;

impl Class {
    /// Lower estimate of the class's minimum reduced cost at the prices `q`, fleet price
    /// included and capped at 0 like [`super::pricing::Priced::min_rc`], with up to `keep`
    /// of its cheapest routes; `None` when the deadline passed first, or when a job can
    /// follow another in so little time (service plus drive) that the day would need more
    /// than `MAX_BUCKETS` buckets, or the class is too large for `MAX_SLOTS`.
    pub(super) fn coarse(
        &self,
        p: &Problem,
        co: &Coeffs,
        q: &Prices,
        keep: usize,
    ) -> Option<Coarse> {
        // Checked before the setup too: the slots of a whole day are allocated up front,
        // and a round of 50 classes that starts them all after the deadline adds up.
        if Instant::now() > q.deadline {
            return None;
        }
        let tech = &p.technicians[self.rep];
        let day = Day::of(tech);
        let n = self.nodes.len();
        let job = |k: usize| &p.jobs[self.nodes[k]];
        // Shortest service plus drive from a job to a successor.
        let gap = (0..n)
            .flat_map(|k| self.succ[k].iter().map(move |&b| (k, b as usize)))
            .map(|(k, b)| job(k).duration + p.travel.time(job(k).loc, job(b).loc))
            .min()
            .unwrap_or(Time::MAX);
        let step = ((STEP_SECONDS * TICKS) as Time).min(gap);
        if step <= 0 || (day.limit - day.open).max(0) / step >= MAX_BUCKETS {
            return None;
        }
        let buckets = ((day.limit - day.open).max(0) / step + 1) as usize;
        if 2 * n * buckets > MAX_SLOTS {
            return None;
        }
        let red = self.reduced(q);
        let home: Vec<Time> = (0..n).map(|k| p.travel.time(job(k).loc, tech.end)).collect();
        let fixed = co.fixed[self.rep] + q.nu;
        // Slot of (break still due, job, start time).
        let index = |pend: bool, k: usize, t: Time| {
            let b = (((t - day.open).max(0) / step) as usize).min(buckets - 1);
            (usize::from(pend) * n + k) * buckets + b
        };
        let mut slots: Vec<Option<Slot>> = vec![None; 2 * n * buckets];
        let mut queue: Queue = BinaryHeap::new();
        let push = |slots: &mut [Option<Slot>], queue: &mut Queue, i: usize, t: Time, v: Via| {
            let s = slots[i].get_or_insert(Slot { time: t, via: Top2::EMPTY });
            let earlier = t < s.time;
            s.time = s.time.min(t);
            if s.via.offer(v) || earlier {
                queue.push(Reverse((s.time, i)));
            }
        };
        for k in 0..n {
            if self.first(p, k).is_none() {
                continue;
            }
            let drive = p.travel.time(tech.start, job(k).loc);
            let cost = fixed + co.arc(p, self.rep, tech.start, job(k).loc) + red[k];
            for (t, pend) in day.departures(day.open, day.pending() != 0).into_iter().flatten() {
                let Some(s) = job(k).service_start(t + drive) else { continue };
                if day.may_continue(s + job(k).duration, home[k], pend) {
                    let v = Via { cost, ..NO_VIA };
                    push(&mut slots, &mut queue, index(pend, k, s), s, v);
                }
            }
        }
        // Labels taken so far at each (break still due, job).
        let mut front = vec![Top2::EMPTY; 2 * n];
        let mut best = 0.0f64;
        // Routes below zero: (reduced cost, last slot).
        let mut closed: Vec<(f64, usize)> = Vec::new();
        let mut pops = 0usize;
        while let Some(Reverse((t, i))) = queue.pop() {
            let slot = slots[i].expect("queued slots exist");
            if slot.time != t {
                continue; // stale: the slot moved earlier and was queued again
            }
            pops += 1;
            if pops % 4096 == 0 && Instant::now() > q.deadline {
                return None;
            }
            let (pend, k) = (i / buckets >= n, (i / buckets) % n);
            // One without the break due covers both kinds.
            let mut cover = front[k];
            if pend {
                cover.offer(front[n + k].first);
                cover.offer(front[n + k].second);
            }
            if cover.covers(&slot.via) {
                continue;
            }
            let f = &mut front[usize::from(pend) * n + k];
            f.offer(slot.via.first);
            f.offer(slot.via.second);
            let a = job(k);
            let done = t + a.duration;
            if day.can_finish(done, home[k], pend) {
                let rc = slot.via.first.cost + co.arc(p, self.rep, a.loc, tech.end);
                best = best.min(rc);
                if rc < -EPS {
                    closed.push((rc, i));
                }
            }
            let leave = day.departures(done, pend);
            for &b in &self.succ[k] {
                let Some((label, via)) = slot.via.towards(b) else { continue };
                let b = b as usize;
                let jb = job(b);
                let drive = p.travel.time(a.loc, jb.loc);
                let cost = via.cost + co.arc(p, self.rep, a.loc, jb.loc) + red[b];
                let v = Via { cost, slot: i, label, node: k as u32 };
                for &(t, due) in leave.iter().flatten() {
                    let Some(s) = jb.service_start(t + drive) else { continue };
                    if day.may_continue(s + jb.duration, home[b], due) {
                        push(&mut slots, &mut queue, index(due, b, s), s, v);
                    }
                }
            }
        }
        closed.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
        closed.truncate(keep);
        let routes = closed
            .into_iter()
            .map(|(_, last)| {
                let (mut seq, mut i, mut label) = (Vec::new(), last, 0u8);
                while i != START {
                    seq.push(((i / buckets) % n) as u32);
                    let v = *slots[i].expect("on a route").via.get(label);
                    (i, label) = (v.slot, v.label);
                }
                seq.reverse();
                seq
            })
            .collect();
        Some(Coarse { min_rc: best, routes })
    }
}

impl ColGen<'_> {
    /// Each class's minimum reduced cost at the prices `sep` (fleet prices `nu`): the
    /// search's in `priced` when it finished, else the coarse estimate (`None` if that
    /// ran out of time). The coarse search's real routes new to the master join
    /// `priced`; its other routes would let the master fall below the LP it bounds.
    pub(super) fn coarse_at(
        &self,
        sep: &[f64],
        nu: &[f64],
        priced: &mut [Priced],
        seen: &[HashSet<Vec<u32>>],
        deadline: std::time::Instant,
    ) -> Vec<Option<f64>> {
        let coarse: Vec<Option<Coarse>> = self
            .classes
            .par_iter()
            .zip(&*priced)
            .zip(nu)
            .map(|((class, x), &nu)| match x.min_rc {
                Some(_) => None,
                None => {
                    let q =
                        Prices { pi: sep, nu, slot: &self.slot, deadline, cut_masks: &[], mu: &[] };
                    class.coarse(self.p, &self.co, &q, COLUMNS_PER_ROUND)
                }
            })
            .collect();
        let mut mins = Vec::with_capacity(priced.len());
        for (c, (x, y)) in priced.iter_mut().zip(coarse).enumerate() {
            mins.push(x.min_rc.or(y.as_ref().map(|y| y.min_rc)));
            if let Some(y) = y {
                let class = &self.classes[c];
                let real = y.routes.into_iter();
                x.routes.extend(
                    real.filter(|r| !seen[c].contains(r) && class.feasible(self.p, self.obj, r)),
                );
            }
        }
        mins
    }
}
