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
    /// Cost of starting a route: the technician's fixed cost plus the class's fleet price
    /// (currency).
    fixed: f64,
    /// Latest return to the end location (shift close plus overtime, ticks).
    limit: Time,
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
    /// Labelling over ng-routes at the prices `q`; `min_rc` is `None` when the label
    /// budget or the deadline cut the search short, or it was relaxed.
    pub(super) fn price(&self, p: &Problem, co: &Coeffs, q: &Prices, mode: Pricing) -> Priced {
        let budget = match mode {
            Pricing::Small => SMALL_LABELS,
            Pricing::Relaxed => RELAXED_LABELS,
            Pricing::Exact => EXACT_LABELS,
        };
        // The small search stays one-way: cut short, it still returns the long routes a
        // forward search reaches, where a bidirectional one would stop before joining.
        let bidirectional = mode == Pricing::Exact && self.bidirectional(p);
        self.label(p, co, q, mode == Pricing::Relaxed, bidirectional, budget)
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
        let red = (0..self.nodes.len()).map(|k| self.node_cost[k] - q.pi[q.slot[self.nodes[k]]]);
        let run = Run {
            p,
            co,
            class: self,
            red: red.collect(),
            fixed: co.fixed[self.rep] + q.nu,
            limit: tech.shift.close.saturating_add(tech.max_overtime),
            max_jobs: tech.max_jobs.map_or(u32::MAX, |m| m.min(u32::MAX as usize) as u32),
            step: u32::from(tech.max_jobs.is_some()),
            budget,
            deadline: q.deadline,
        };
        let mid = if bidirectional {
            tech.shift.open + (run.limit - tech.shift.open) / 2
        } else {
            Time::MAX
        };
        let n = self.nodes.len();
        let mut found = Found::new(4 * COLUMNS_PER_ROUND);
        let mut fwd = Labels::new(n, p.dims, relaxed);
        let mut bwd = Labels::new(n, p.dims, false);
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

    /// Forward labelling from the start; labels starting at or after `mid` are closed
    /// but not extended. Returns false when cut short.
    fn forward(&self, labels: &mut Labels, found: &mut Found, mid: Time) -> bool {
        let (p, class) = (self.p, self.class);
        let tech = &p.technicians[class.rep];
        let mut load = vec![0i64; p.dims];
        for k in 0..class.nodes.len() {
            let Some(s) = class.first(p, k) else { continue };
            let job = self.job(k);
            let cost = self.fixed + self.arc(tech.start, job.loc) + self.red[k];
            self.add_loads(&job.demand, &[], &mut load);
            let l = Label::new(k, self.step, s, cost, 1, NONE);
            labels.insert(l, &load);
        }
        while let Some(id) = labels.pop() {
            let l = labels.get(id);
            let a = l.node as usize;
            let ja = self.job(a);
            found.push(l.cost + self.arc(ja.loc, tech.end), id, NONE);
            if l.count >= self.max_jobs || l.time >= mid {
                continue;
            }
            if self.out_of_budget(labels.len()) {
                return false;
            }
            for &b in &class.succ[a] {
                let b = b as usize;
                if remembers(&class.ng[a], l.mem, b) || labels.visits(id, b) {
                    continue;
                }
                let jb = self.job(b);
                let arrive = l.time + ja.duration + p.travel.time(ja.loc, jb.loc);
                let Some(s) = jb.service_start(arrive) else { continue };
                if s + jb.duration + p.travel.time(jb.loc, tech.end) > self.limit {
                    continue;
                }
                if !self.add_loads(labels.load(id), &jb.demand, &mut load) {
                    continue;
                }
                let nl = Label::new(
                    b,
                    l.count + self.step,
                    s,
                    l.cost + self.arc(ja.loc, jb.loc) + self.red[b],
                    carry(&class.ng[a], l.mem, &class.ng[b]),
                    id,
                );
                labels.insert(nl, &load);
            }
        }
        true
    }

    /// Backward labelling from the end: a label's time is minus its latest arrival, so the
    /// store's dominance (earlier is better) and queue (earliest first) apply unchanged.
    /// Labels arriving before `mid` are closed at the start but not extended; `used`
    /// labels of the budget are already spent. Returns false when cut short.
    fn backward(&self, labels: &mut Labels, used: usize, found: &mut Found, mid: Time) -> bool {
        let (p, class) = (self.p, self.class);
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
            let latest = self.limit - job.duration - p.travel.time(job.loc, tech.end);
            let Some(la) = latest_arrival(job, latest).filter(|&la| la >= e) else { continue };
            let cost = self.arc(job.loc, tech.end) + self.red[k];
            self.add_loads(&job.demand, &[], &mut load);
            let l = Label::new(k, self.step, -la, cost, 1, NONE);
            labels.insert(l, &load);
        }
        while let Some(id) = labels.pop() {
            let l = labels.get(id);
            let b = l.node as usize;
            let jb = self.job(b);
            let la = -l.time;
            found.push(l.cost + self.fixed + self.arc(tech.start, jb.loc), NONE, id);
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
                let latest = la - p.travel.time(ja.loc, jb.loc) - ja.duration;
                let Some(la_a) = latest_arrival(ja, latest).filter(|&x| x >= e) else { continue };
                if !self.add_loads(labels.load(id), &ja.demand, &mut load) {
                    continue;
                }
                let nl = Label::new(
                    a,
                    l.count + self.step,
                    -la_a,
                    l.cost + self.arc(ja.loc, jb.loc) + self.red[a],
                    carry(&class.ng[b], l.mem, &class.ng[a]),
                    id,
                );
                labels.insert(nl, &load);
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
        for (k, (fid, f)) in fwd.alive().enumerate() {
            if k % 1024 == 0 && Instant::now() > self.deadline {
                return false;
            }
            if f.time >= mid || f.count >= self.max_jobs {
                continue;
            }
            let a = f.node as usize;
            let ja = self.job(a);
            for &b in &class.succ[a] {
                let b = b as usize;
                if remembers(&class.ng[a], f.mem, b) {
                    continue;
                }
                let jb = self.job(b);
                let arrive = f.time + ja.duration + p.travel.time(ja.loc, jb.loc);
                let base = f.cost + self.arc(ja.loc, jb.loc);
                for &(cost, la, bid) in &back[b] {
                    if base + cost >= found.cut {
                        break;
                    }
                    let bl = bwd.get(bid);
                    if arrive > la
                        || f.count + bl.count > self.max_jobs
                        || !disjoint(&class.ng[a], f.mem, &class.ng[b], bl.mem)
                        || !self.add_loads(fwd.load(fid), bwd.load(bid), &mut load)
                    {
                        continue;
                    }
                    found.push(base + cost, fid, bid);
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
    let mut m = ma;
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
mod tests {
    use super::*;
    use crate::io::parse_problem_value;
    use crate::policy::Objective;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;
    use serde_json::{json, Value};

    /// One technician and 10-22 jobs: one or two windows (some wide, some tight), demand
    /// under a capacity, sometimes a job cap.
    fn problem(seed: u64) -> Value {
        let mut r = ChaCha8Rng::seed_from_u64(seed);
        let n = r.random_range(10..=22);
        let pt =
            |r: &mut ChaCha8Rng| json!({"x": r.random_range(0..50), "y": r.random_range(0..50)});
        let mut tech = json!({"id": "T", "start": pt(&mut r), "shift": [0, r.random_range(200..400)],
                              "capacity": [r.random_range(8..30)], "cost": {"per_hour": 10}});
        if r.random_bool(0.3) {
            tech["max_jobs"] = json!(r.random_range(2..6));
        }
        let jobs: Vec<Value> = (0..n)
            .map(|j| {
                let mut v = json!({"id": format!("J{j}"), "location": pt(&mut r),
                                   "duration": r.random_range(1..20), "demand": [r.random_range(1..5)]});
                let open = r.random_range(0..250);
                let first = [open, open + r.random_range(5..150)];
                v["time_windows"] = if r.random_bool(0.3) {
                    let second = first[1] + r.random_range(10..60);
                    json!([first, [second, second + r.random_range(5..80)]])
                } else {
                    json!([first])
                };
                v
            })
            .collect();
        json!({"format": "fieldopt-problem/1", "date": "2026-11-24",
               "travel": {"kind": "euclidean", "speed": 1.0},
               "technicians": [tech], "jobs": jobs,
               "policy": {"travel_time": 0, "travel_distance": 1, "unassigned": 500}})
    }

    /// Reduced cost of `seq` if it is a feasible ng-route of `class`, else `None`: windows,
    /// end of day, capacity, job cap and the ng rule, simulated from scratch.
    fn route_rc(p: &Problem, co: &Coeffs, class: &Class, pi: &[f64], seq: &[u32]) -> Option<f64> {
        let tech = &p.technicians[class.rep];
        let limit = tech.shift.close + tech.max_overtime;
        let (mut at, mut t, mut load) = (tech.start, tech.shift.open, 0i64);
        for (i, &k) in seq.iter().enumerate() {
            let job = &p.jobs[class.nodes[k as usize]];
            t = job.service_start(t + p.travel.time(at, job.loc))? + job.duration;
            load += job.demand[0];
            at = job.loc;
            // ng rule: a revisit of k needs a job between whose neighbourhood lacks k.
            if let Some(prev) = seq[..i].iter().rposition(|&x| x == k) {
                if seq[prev + 1..i].iter().all(|&x| class.ng[x as usize].contains(&k)) {
                    return None;
                }
            }
        }
        let cap_ok = tech.capacity.as_ref().is_none_or(|c| load <= c[0]);
        let jobs_ok = tech.max_jobs.is_none_or(|m| seq.len() <= m);
        if t + p.travel.time(at, tech.end) > limit || !cap_ok || !jobs_ok {
            return None;
        }
        let price: f64 = seq.iter().map(|&k| pi[class.nodes[k as usize]]).sum();
        Some(class.route_cost(p, co, seq) - price)
    }

    /// The problem of `seed`, its cost coefficients, its one class (every job) and nodes.
    fn one_class(seed: u64) -> (Problem, Coeffs, Class, Vec<usize>) {
        let p = parse_problem_value(problem(seed)).expect("valid problem");
        let co = Coeffs::new(&p, &p.policy);
        let obj = Objective::new(&p, &p.policy);
        let nodes: Vec<usize> = (0..p.jobs.len()).collect();
        let class = Class::new(&p, &co, &obj, 0, 1, nodes.clone());
        (p, co, class, nodes)
    }

    #[test]
    fn bidirectional_pricing_finds_the_same_minimum_as_one_way_labelling() {
        let far = Instant::now() + std::time::Duration::from_secs(3600);
        let mut negative = 0;
        for seed in 0..60 {
            let (p, co, class, nodes) = one_class(seed);
            assert!(class.bidirectional(&p));
            let mut r = ChaCha8Rng::seed_from_u64(1000 + seed);
            let scale = r.random_range(5.0..60.0);
            let pi: Vec<f64> = nodes.iter().map(|_| r.random_range(0.0..scale)).collect();
            let at = |nu| Prices { pi: &pi, nu, slot: &nodes, deadline: far };
            let one = class.label(&p, &co, &at(0.0), false, false, usize::MAX);
            let two = class.label(&p, &co, &at(0.0), false, true, usize::MAX);
            let (a, b) = (one.min_rc.expect("complete"), two.min_rc.expect("complete"));
            assert!((a - b).abs() < 1e-6, "seed {seed}: one-way {a}, bidirectional {b}");
            // A fleet price shifts every route's reduced cost by itself.
            let nu = scale / 2.0;
            let shifted = class.label(&p, &co, &at(nu), false, true, usize::MAX);
            let c = shifted.min_rc.expect("complete");
            assert!((c - (a + nu).min(0.0)).abs() < 1e-6, "seed {seed}: {c} vs {a} + {nu}");
            for seq in &shifted.routes {
                let rc = route_rc(&p, &co, &class, &pi, seq).expect("feasible route");
                assert!(rc + nu < 0.0, "seed {seed}: {seq:?} at {rc} is not below -{nu}");
            }
            for routes in [&one.routes, &two.routes] {
                for (i, seq) in routes.iter().enumerate() {
                    let rc = route_rc(&p, &co, &class, &pi, seq);
                    let rc = rc.unwrap_or_else(|| panic!("seed {seed}: infeasible {seq:?}"));
                    assert!(rc < 0.0, "seed {seed}: route {seq:?} has reduced cost {rc}");
                    if i == 0 {
                        assert!((rc - a).abs() < 1e-6, "seed {seed}: first route {rc} vs {a}");
                    }
                }
            }
            negative += usize::from(a < -1e-6);
        }
        // The prices must make the comparison bite: most runs have negative routes.
        assert!(negative >= 40, "only {negative} of 60 runs found a negative route");
    }

    #[test]
    fn relaxed_pricing_returns_elementary_negative_routes() {
        let far = Instant::now() + std::time::Duration::from_secs(3600);
        let mut found = 0;
        for seed in 0..30 {
            let (p, co, class, nodes) = one_class(seed);
            // High prices: long routes pay, and ng-routes could revisit jobs.
            let pi: Vec<f64> = nodes.iter().map(|_| 80.0).collect();
            let at = |nu| Prices { pi: &pi, nu, slot: &nodes, deadline: far };
            let x = class.label(&p, &co, &at(0.0), true, false, usize::MAX);
            assert!(x.min_rc.is_none(), "seed {seed}: a relaxed search proves nothing");
            for seq in &x.routes {
                let mut sorted = seq.clone();
                sorted.sort_unstable();
                sorted.dedup();
                assert_eq!(sorted.len(), seq.len(), "seed {seed}: {seq:?} repeats a job");
                let rc = route_rc(&p, &co, &class, &pi, seq).expect("feasible route");
                assert!(rc < 0.0, "seed {seed}: {seq:?} has reduced cost {rc}");
            }
            found += x.routes.iter().filter(|r| r.len() >= 4).count();
        }
        assert!(found > 0, "no long routes: the test does not reach revisits");
    }

    #[test]
    fn spread_takes_disjoint_routes_before_variants_of_the_cheapest() {
        // Cheapest first: five variants through nodes 0-2, then three disjoint routes.
        let routes: Vec<Vec<u32>> = vec![
            vec![0, 1, 2],
            vec![0, 2, 1],
            vec![1, 0, 2],
            vec![0, 1],
            vec![2, 1],
            vec![3, 4],
            vec![5, 6, 7],
            vec![8],
        ];
        let got = spread(routes.clone(), 9, 4);
        assert_eq!(got, vec![vec![0, 1, 2], vec![3, 4], vec![5, 6, 7], vec![8]]);
        // Past the disjoint ones, the variants come back in order of cost.
        let got = spread(routes.clone(), 9, 6);
        assert_eq!(got.len(), 6);
        assert_eq!(got[4], vec![0, 2, 1]);
        assert_eq!(got[5], vec![1, 0, 2]);
        // A short list comes back whole and in order.
        assert_eq!(spread(routes[..3].to_vec(), 9, 4), routes[..3].to_vec());
        // Never a route twice, never one not offered.
        let all = spread(routes.clone(), 9, 8);
        let mut a = all.clone();
        a.sort();
        let mut b = routes.clone();
        b.sort();
        assert_eq!(a, b);
    }
}
