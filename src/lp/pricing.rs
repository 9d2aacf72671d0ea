//! Pricing for column generation: the labelling that finds a technician class's routes of
//! negative reduced cost over ng-routes (see [`super::colgen`] for the relaxation).
//!
//! The exact search is bidirectional (Righini and Salani): forward labels (service start
//! at their job) are extended while they start before the middle of the day, backward
//! labels (the latest arrival at their job from which the rest of the route is still
//! feasible) while that arrival is after it, and the two are joined across an arc. Each
//! direction builds routes about half as long, and the number of labels grows roughly
//! exponentially with route length: the standard remedy for wide windows, where routes
//! are long. The small and relaxed searches stay one-way. A join of a forward label at
//! `a` with a backward label at `b` is an ng-route exactly when the two ng memories are
//! disjoint.

use std::collections::HashSet;
use std::time::Instant;

use super::coeffs::Coeffs;
use super::colgen::{Class, EPS};
use super::cuts::{price_of, CutBits};
use super::day::{Day, PENDING};
use super::label::{Label, Labels};
use crate::model::{Job, Problem, Time};

/// Labels one small pricing run may create per class.
const SMALL_LABELS: usize = 30_000;
/// Labels one relaxed (heuristic) pricing run may create per class.
const RELAXED_LABELS: usize = 200_000;
/// Labels one exact pricing run may create per class before it counts as cut short.
const EXACT_LABELS: usize = 3_000_000;
/// Columns returned per class and pricing run at most.
pub(super) const COLUMNS_PER_ROUND: usize = 150;
/// No label: a route found by one direction alone.
const NONE: u32 = u32::MAX;

/// How a pricing run searches.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Pricing {
    /// Full dominance under a small label budget: exact when it finishes.
    Small,
    /// Dominance on time and cost alone (ng memory and load ignored), so few labels per
    /// job and long routes are reached quickly; its routes are elementary (no job twice),
    /// and it may miss routes, so it proves nothing.
    Relaxed,
    /// Full dominance: the minimum reduced cost is exact when the label budget suffices.
    Exact,
}

/// What one pricing run of a class prices against.
pub(super) struct Prices<'a> {
    /// Price of each job (currency), by servable slot.
    pub(super) pi: &'a [f64],
    /// The class's fleet price (the dual of its route count), added to every route's
    /// reduced cost (currency).
    pub(super) nu: f64,
    /// Servable slot of each job of the problem.
    pub(super) slot: &'a [usize],
    /// When the run must stop, finished or not.
    pub(super) deadline: Instant,
    /// The subset-row cuts each servable slot is in (bits; empty without cuts).
    pub(super) cut_masks: &'a [CutBits],
    /// Price of each cut (currency), by bit; the coarse pricing ignores them (a lower
    /// estimate).
    pub(super) mu: &'a [f64],
}

/// Outcome of one pricing run of a class.
pub(super) struct Priced {
    /// Exact minimum reduced cost, the fleet price included (0 when no route is below
    /// zero), when the search finished within its budget.
    pub(super) min_rc: Option<f64>,
    /// Negative reduced-cost routes found (node sequences, local indices), cheapest first,
    /// up to four times [`COLUMNS_PER_ROUND`]: the master takes a spread of them ([`spread`]).
    pub(super) routes: Vec<Vec<u32>>,
}

/// What one pricing run reads: the class, its technician's limits and the node costs
/// reduced by the prices.
struct Run<'a> {
    p: &'a Problem,
    co: &'a Coeffs,
    class: &'a Class,
    /// Node cost minus the node's price (currency), by node.
    red: Vec<f64>,
    /// The cuts each node's job is in (bits), by node.
    sr: Vec<CutBits>,
    /// Price of each cut (currency), by bit.
    mu: &'a [f64],
    /// Cost of starting a route: the technician's fixed cost plus the class's fleet price
    /// (currency).
    fixed: f64,
    /// The technician's shift, latest return and break.
    day: Day,
    /// Most jobs on a route (`u32::MAX` without a cap).
    max_jobs: u32,
    /// 1 when job counts matter (a cap exists), else 0 so counts never differ.
    step: u32,
    /// Labels the run may create over both directions.
    budget: usize,
    deadline: Instant,
}

/// The cheapest routes found so far as (reduced cost, forward label, backward label),
/// either label [`NONE`] for a route one direction completed alone. Keeps at least the
/// `keep` cheapest, so its minimum is exact.
struct Found {
    items: Vec<(f64, u32, u32)>,
    keep: usize,
    /// Routes must cost less than this to matter (0 until `keep` are held).
    cut: f64,
}

impl Found {
    fn new(keep: usize) -> Self {
        Found { items: Vec::new(), keep, cut: 0.0 }
    }

    fn push(&mut self, rc: f64, f: u32, b: u32) {
        if rc >= self.cut || rc >= -EPS * (1.0 + rc.abs()) {
            return;
        }
        self.items.push((rc, f, b));
        if self.items.len() >= 2 * self.keep {
            self.trim();
        }
    }

    /// Sorts cheapest first and drops all but the `keep` cheapest.
    fn trim(&mut self) {
        self.items.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
        if self.items.len() >= self.keep {
            self.items.truncate(self.keep);
            self.cut = self.items[self.keep - 1].0;
        }
    }
}

impl Class {
    /// Labelling over ng-routes at the prices `q`, creating at most `cap` labels on top of
    /// the mode's own budget; `min_rc` is `None` when the label budget or the deadline cut
    /// the search short, or it was relaxed.
    pub(super) fn price(
        &self,
        p: &Problem,
        co: &Coeffs,
        q: &Prices,
        mode: Pricing,
        cap: usize,
    ) -> Priced {
        let budget = match mode {
            Pricing::Small => SMALL_LABELS,
            Pricing::Relaxed => RELAXED_LABELS,
            Pricing::Exact => EXACT_LABELS,
        }
        .min(cap);
        // The small search stays one-way: cut short, it still returns the long routes a
        // forward search reaches, where a bidirectional one would stop before joining.
        let bidirectional = mode == Pricing::Exact && self.bidirectional(p);
        self.label(p, co, q, mode == Pricing::Relaxed, bidirectional, budget)
    }

    /// Each node's cost minus its job's price at `q` (currency), the fleet price aside.
    pub(super) fn reduced(&self, q: &Prices) -> Vec<f64> {
        let price = |k: usize| q.pi[q.slot[self.nodes[k]]];
        (0..self.nodes.len()).map(|k| self.node_cost[k] - price(k)).collect()
    }

    /// True when the bidirectional search is exact for this class: every window opens no
    /// later than it closes. (A window narrower than a tick is entered only by arriving
    /// before its open, so a start at the open may not be reachable by arriving at it.)
    fn bidirectional(&self, p: &Problem) -> bool {
        self.nodes.iter().all(|&j| p.jobs[j].windows.iter().all(|w| w.open <= w.close))
    }

    /// One labelling run: forward only, or forward and backward joined at mid-day.
    fn label(
        &self,
        p: &Problem,
        co: &Coeffs,
        q: &Prices,
        relaxed: bool,
        bidirectional: bool,
        budget: usize,
    ) -> Priced {
        let tech = &p.technicians[self.rep];
        let run = Run {
            p,
            co,
            class: self,
            red: self.reduced(q),
            sr: self
                .nodes
                .iter()
                .map(|&j| q.cut_masks.get(q.slot[j]).copied().unwrap_or(0))
                .collect(),
            mu: q.mu,
            fixed: co.fixed[self.rep] + q.nu,
            day: Day::of(tech),
            max_jobs: tech.max_jobs.map_or(u32::MAX, |m| m.min(u32::MAX as usize) as u32),
            step: u32::from(tech.max_jobs.is_some()),
            budget,
            deadline: q.deadline,
        };
        let mid = if bidirectional {
            tech.shift.open + (run.day.limit - tech.shift.open) / 2
        } else {
            Time::MAX
        };
        let n = self.nodes.len();
        let mut found = Found::new(4 * COLUMNS_PER_ROUND);
        let mut fwd = Labels::new(n, p.dims, relaxed, q.mu);
        let mut bwd = Labels::new(n, p.dims, false, q.mu);
        let mut complete = run.forward(&mut fwd, &mut found, mid);
        if bidirectional && complete {
            complete = run.backward(&mut bwd, fwd.len(), &mut found, mid)
                && run.join(&fwd, &bwd, &mut found, mid);
        }
        found.trim();
        let min_rc = if complete && !relaxed {
            Some(found.items.first().map_or(0.0, |x| x.0))
        } else {
            None
        };
        let mut routes: Vec<Vec<u32>> = Vec::new();
        let mut distinct: HashSet<Vec<u32>> = HashSet::new();
        for &(_, f, b) in &found.items {
            let mut seq = if f == NONE { Vec::new() } else { fwd.route(f) };
            if b != NONE {
                seq.extend(bwd.route(b).into_iter().rev());
            }
            if distinct.insert(seq.clone()) {
                routes.push(seq);
            }
        }
        Priced { min_rc, routes }
    }
}

impl Run<'_> {
    /// True when the run must stop (budget used, or the deadline passed: the clock is read
    /// every 4096 labels).
    fn out_of_budget(&self, labels: usize) -> bool {
        labels >= self.budget || (labels % 4096 == 0 && Instant::now() > self.deadline)
    }

    /// Loads `a + b` into `out`; false when they exceed the technician's capacity.
    fn add_loads(&self, a: &[i64], b: &[i64], out: &mut [i64]) -> bool {
        let cap = self.p.technicians[self.class.rep].capacity.as_deref();
        let mut ok = true;
        for (d, x) in out.iter_mut().enumerate() {
            *x = a.get(d).copied().unwrap_or(0) + b.get(d).copied().unwrap_or(0);
            ok &= cap.is_none_or(|c| *x <= c.get(d).copied().unwrap_or(i64::MAX));
        }
        ok
    }

    fn job(&self, k: usize) -> &Job {
        &self.p.jobs[self.class.nodes[k]]
    }

    fn arc(&self, a: usize, b: usize) -> f64 {
        self.co.arc(self.p, self.class.rep, a, b)
    }

    /// Reduced cost and cut parities after visiting node `k` from a label of cost `cost`
    /// and parities `sr`: the node's reduced cost, plus the price of every cut whose
    /// second (fourth, ...) visit this is.
    fn visit(&self, cost: f64, sr: CutBits, k: usize) -> (f64, CutBits) {
        (cost + self.red[k] + self.cut_cost(sr & self.sr[k]), sr ^ self.sr[k])
    }

    /// Sum of the prices of the cuts in `bits` (currency).
    fn cut_cost(&self, bits: CutBits) -> f64 {
        price_of(self.mu, bits)
    }

    /// Forward labelling from the start; labels starting at or after `mid` are closed
    /// but not extended. A label whose break is still [`PENDING`] is extended twice:
    /// straight on, and with the break taken where it is. Returns false when cut short.
    fn forward(&self, labels: &mut Labels, found: &mut Found, mid: Time) -> bool {
        let (p, class, day) = (self.p, self.class, &self.day);
        let tech = &p.technicians[class.rep];
        let mut load = vec![0i64; p.dims];
        for k in 0..class.nodes.len() {
            if class.first(p, k).is_none() {
                continue;
            }
            let job = self.job(k);
            let cost = self.fixed + self.arc(tech.start, job.loc) + self.red[k];
            self.add_loads(&job.demand, &[], &mut load);
            let (drive, home) =
                (p.travel.time(tech.start, job.loc), p.travel.time(job.loc, tech.end));
            for (t, due) in day.departures(day.open, day.pending() != 0).into_iter().flatten() {
                let Some(s) = job.service_start(t + drive) else { continue };
                if day.may_continue(s + job.duration, home, due) {
                    let l = Label::new(k, self.step, s, cost, 1 | Day::bit(due), NONE);
                    labels.insert(l, &load, self.sr[k]);
                }
            }
        }
        while let Some(id) = labels.pop() {
            let l = labels.get(id);
            let a = l.node as usize;
            let ja = self.job(a);
            let (done, pending) = (l.time + ja.duration, l.mem & PENDING != 0);
            if day.can_finish(done, p.travel.time(ja.loc, tech.end), pending) {
                found.push(l.cost + self.arc(ja.loc, tech.end), id, NONE);
            }
            if l.count >= self.max_jobs || l.time >= mid {
                continue;
            }
            if self.out_of_budget(labels.len()) {
                return false;
            }
            let leave = day.departures(done, pending);
            for &b in &class.succ[a] {
                let b = b as usize;
                if remembers(&class.ng[a], l.mem, b) || labels.visits(id, b) {
                    continue;
                }
                let jb = self.job(b);
                if !self.add_loads(labels.load(id), &jb.demand, &mut load) {
                    continue;
                }
                let (drive, home) =
                    (p.travel.time(ja.loc, jb.loc), p.travel.time(jb.loc, tech.end));
                let (cost, sr) =
                    self.visit(l.cost + self.arc(ja.loc, jb.loc), labels.parities(id), b);
                let mem = carry(&class.ng[a], l.mem, &class.ng[b]);
                for &(t, due) in leave.iter().flatten() {
                    let Some(s) = jb.service_start(t + drive) else { continue };
                    if day.may_continue(s + jb.duration, home, due) {
                        let nl =
                            Label::new(b, l.count + self.step, s, cost, mem | Day::bit(due), id);
                        labels.insert(nl, &load, sr);
                    }
                }
            }
        }
        true
    }

    /// Backward labelling from the end: a label's time is minus its latest arrival, so the
    /// store's dominance (earlier is better) and queue (earliest first) apply unchanged.
    /// Labels arriving before `mid` are closed at the start but not extended; `used`
    /// labels of the budget are already spent. A label whose break is still [`PENDING`]
    /// needs it before its job, and is extended straight back and with the break between.
    /// Returns false when cut short.
    fn backward(&self, labels: &mut Labels, used: usize, found: &mut Found, mid: Time) -> bool {
        let (p, class, day) = (self.p, self.class, &self.day);
        let tech = &p.technicians[class.rep];
        // Earliest arrival at each node straight from the start (`None`: unreachable).
        let reach: Vec<Option<Time>> = (0..class.nodes.len())
            .map(|k| {
                class
                    .first(p, k)
                    .map(|_| tech.shift.open + p.travel.time(tech.start, self.job(k).loc))
            })
            .collect();
        let mut load = vec![0i64; p.dims];
        for (k, &e) in reach.iter().enumerate() {
            let Some(e) = e else { continue };
            let job = self.job(k);
            let cost = self.arc(job.loc, tech.end) + self.red[k];
            self.add_loads(&job.demand, &[], &mut load);
            let home = p.travel.time(job.loc, tech.end);
            // Latest end of service: back by the limit with the break still to come
            // earlier, back before the break window (no break), or the break after it.
            let ends = [
                Some((day.limit - home, day.pending())),
                day.back_before_break().map(|t| (t - home, 0)),
                day.latest_before_break(day.limit, home).map(|t| (t, 0)),
            ];
            for (end, pend) in ends.into_iter().flatten() {
                let Some(la) = latest_arrival(job, end - job.duration).filter(|&la| la >= e) else {
                    continue;
                };
                if pend == 0 || day.room_for_break(la) {
                    let l = Label::new(k, self.step, -la, cost, 1 | pend, NONE);
                    labels.insert(l, &load, self.sr[k]);
                }
            }
        }
        while let Some(id) = labels.pop() {
            let l = labels.get(id);
            let b = l.node as usize;
            let jb = self.job(b);
            let (la, pending) = (-l.time, l.mem & PENDING);
            // With the break due, the route takes it before leaving the start.
            let drive = p.travel.time(tech.start, jb.loc);
            if pending == 0 || day.after_break(day.open).is_some_and(|t| t + drive <= la) {
                found.push(l.cost + self.fixed + self.arc(tech.start, jb.loc), NONE, id);
            }
            if l.count >= self.max_jobs || la < mid {
                continue;
            }
            if self.out_of_budget(used + labels.len()) {
                return false;
            }
            for &a in &class.pred[b] {
                let a = a as usize;
                if remembers(&class.ng[b], l.mem, a) {
                    continue;
                }
                let Some(e) = reach[a] else { continue };
                let ja = self.job(a);
                if !self.add_loads(labels.load(id), &ja.demand, &mut load) {
                    continue;
                }
                let drive = p.travel.time(ja.loc, jb.loc);
                let (cost, sr) =
                    self.visit(l.cost + self.arc(ja.loc, jb.loc), labels.parities(id), a);
                let mem = carry(&class.ng[b], l.mem, &class.ng[a]);
                // Straight from a to b, or (break due) with the break between them.
                let rested = if pending != 0 { day.latest_before_break(la, drive) } else { None };
                for (end, pend) in
                    [Some((la - drive, pending)), rested.map(|t| (t, 0))].into_iter().flatten()
                {
                    let Some(la_a) = latest_arrival(ja, end - ja.duration).filter(|&x| x >= e)
                    else {
                        continue;
                    };
                    if pend == 0 || day.room_for_break(la_a) {
                        let nl = Label::new(a, l.count + self.step, -la_a, cost, mem | pend, id);
                        labels.insert(nl, &load, sr);
                    }
                }
            }
        }
        true
    }

    /// Joins every extended forward label at `a` with the backward labels extended at each
    /// successor `b`, cheapest first, while the join can still beat [`Found::cut`].
    /// Returns false when the deadline cut it short.
    fn join(&self, fwd: &Labels, bwd: &Labels, found: &mut Found, mid: Time) -> bool {
        let (p, class) = (self.p, self.class);
        // Backward labels by node, cheapest first: (cost, latest arrival, id).
        let mut back: Vec<Vec<(f64, Time, u32)>> = vec![Vec::new(); class.nodes.len()];
        for (id, l) in bwd.alive() {
            if -l.time >= mid {
                back[l.node as usize].push((l.cost, -l.time, id));
            }
        }
        for v in &mut back {
            v.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.2.cmp(&y.2)));
        }
        let mut load = vec![0i64; p.dims];
        let has_break = self.day.pending() != 0;
        for (k, (fid, f)) in fwd.alive().enumerate() {
            if k % 1024 == 0 && Instant::now() > self.deadline {
                return false;
            }
            if f.time >= mid || f.count >= self.max_jobs {
                continue;
            }
            let a = f.node as usize;
            let ja = self.job(a);
            let (done, fp) = (f.time + ja.duration, f.mem & PENDING != 0);
            let rested = if fp { self.day.after_break(done) } else { None };
            for &b in &class.succ[a] {
                let b = b as usize;
                if remembers(&class.ng[a], f.mem, b) {
                    continue;
                }
                let jb = self.job(b);
                let drive = p.travel.time(ja.loc, jb.loc);
                let base = f.cost + self.arc(ja.loc, jb.loc);
                for &(cost, la, bid) in &back[b] {
                    if base + cost >= found.cut {
                        break;
                    }
                    let bl = bwd.get(bid);
                    // Exactly one break: the two halves' break states decide where it goes.
                    let arrive = match (fp, bl.mem & PENDING != 0) {
                        // Neither half has it yet: between a and b.
                        (true, true) => match rested {
                            Some(t) => t + drive,
                            None => continue,
                        },
                        // Both have taken one (or one is back before the window while the
                        // other took it): not a route.
                        (false, false) if has_break => continue,
                        _ => done + drive,
                    };
                    if arrive > la
                        || f.count + bl.count > self.max_jobs
                        || !disjoint(&class.ng[a], f.mem, &class.ng[b], bl.mem)
                        || !self.add_loads(fwd.load(fid), bwd.load(bid), &mut load)
                    {
                        continue;
                    }
                    let both = fwd.parities(fid) & bwd.parities(bid);
                    found.push(base + cost + self.cut_cost(both), fid, bid);
                }
            }
        }
        true
    }
}

/// Up to `keep` of `routes` (cheapest first), chosen to spread over the jobs: the cheapest
/// routes of one pricing run are mostly variants of one route through the same few jobs
/// (on R202, 150 routes covered 11 to 45 of 100 jobs), and the master needs routes that
/// together can replace its current ones. Passes over the list take a route when each of
/// its nodes is on fewer than `cap` routes taken so far, with `cap` 1, 2, 4, ...; the
/// cheapest route always comes first.
pub(super) fn spread(routes: Vec<Vec<u32>>, nodes: usize, keep: usize) -> Vec<Vec<u32>> {
    if routes.len() <= keep {
        return routes;
    }
    let mut count = vec![0usize; nodes];
    let mut taken = vec![false; routes.len()];
    let mut order: Vec<usize> = Vec::with_capacity(keep);
    let mut cap = 1;
    while order.len() < keep {
        for (i, r) in routes.iter().enumerate() {
            if order.len() >= keep {
                break;
            }
            if taken[i] || r.iter().any(|&k| count[k as usize] >= cap) {
                continue;
            }
            taken[i] = true;
            order.push(i);
            r.iter().for_each(|&k| count[k as usize] += 1);
        }
        cap *= 2;
    }
    let mut routes: Vec<Option<Vec<u32>>> = routes.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| routes[i].take()).collect()
}

/// Latest arrival at `job` from which service can start by `latest` (ticks), if any: the
/// first window with `close` at or after the arrival is the one used, and windows are
/// sorted by open, so an arrival `min(close, latest)` of any window opening by `latest`
/// starts in time, and no later arrival does.
fn latest_arrival(job: &Job, latest: Time) -> Option<Time> {
    job.windows.iter().filter(|w| w.open <= latest).map(|w| w.close.min(latest)).max()
}

/// True when the memory `mem` (bits over the neighbourhood `ng`) holds node `x`.
fn remembers(ng: &[u32], mem: u32, x: usize) -> bool {
    ng.iter().position(|&y| y as usize == x).is_some_and(|q| mem >> q & 1 == 1)
}

/// The memory after moving from a node with neighbourhood `from` and memory `mem` to the
/// node whose neighbourhood is `to` (its first entry): it remembers itself and whatever
/// of `mem` lies in its neighbourhood.
fn carry(from: &[u32], mem: u32, to: &[u32]) -> u32 {
    let mut out = 1u32;
    for (q, &x) in from.iter().enumerate() {
        if mem >> q & 1 == 1 {
            if let Some(r) = to.iter().position(|&y| y == x) {
                out |= 1 << r;
            }
        }
    }
    out
}

/// True when two memories (bits over the neighbourhoods `na` and `nb`) share no node.
fn disjoint(na: &[u32], ma: u32, nb: &[u32], mb: u32) -> bool {
    let mut m = ma & !PENDING;
    while m != 0 {
        let q = m.trailing_zeros() as usize;
        m &= m - 1;
        if remembers(nb, mb, na[q] as usize) {
            return false;
        }
    }
    true
}

#[cfg(test)]
#[path = "pricing_tests.rs"]
mod tests;
