//! A set-covering lower bound by column generation, much tighter than the arc-flow LP.
//!
//! Master problem: choose routes (columns) so every job is covered once or paid for as
//! unassigned, each technician class (technicians identical for routing and costs) using
//! at most as many routes as it has technicians. Its dual is solved as an ordinary LP by
//! whichever good_lp backend is compiled in (microlp reports no duals, so the dual
//! restricted master is solved directly: prices `pi[j]` in `[0, unassigned_cost(j)]`).
//!
//! Pricing: per class, a labelling algorithm finds routes of negative reduced cost over
//! ng-routes (a route may revisit a job only after leaving its ng-neighbourhood of the
//! `NG` nearest jobs), a relaxation of elementary routes. Each label carries service start
//! (ticks), load, job count, cost and whether its break is still due ([`super::day`]);
//! every non-negative time-dependent cost (waiting, overtime, workload) is dropped, and
//! route costs are the linear lower estimates of [`Coeffs`], so every feasible route maps
//! to a column of no larger cost. Each round tries the cheapest search first ([`Pricing`])
//! and escalates only when it finds no route new to the master.
//!
//! The bound reported is the Lagrangian one, valid for any prices whatever the master's
//! state: `sum_j pi[j] + sum_c K_c min(0, rc_c)` where `rc_c` is a lower estimate of the
//! minimum reduced cost of class `c`: the ng-route search's when it ran to completion
//! within its label budget, else the coarse pricing's ([`super::coarse`]), which always
//! finishes; a cut-short search never produces an invalid bound. The coarse search's
//! routes that are real (no job twice, feasible) join the master: it reaches long routes
//! the heuristic searches miss (R202, R205 and RC206 converged within 20 s with them).
//! A run stopped by the clock ends with the Lagrangian bound at scaled-down prices
//! ([`super::scaled`]), which pays a class's minimum once per technician at prices where
//! that minimum is near zero.
//!
//! Each time the master converges, subset-row cuts over three jobs ([`super::cuts`]) are
//! separated from its primal solution and added, up to [`MAX_CUTS`], and the generation
//! goes on with the cuts' prices in the pricing: they close part of the set-covering LP's
//! own gap, which no amount of pricing can (Solomon RC1: 2.65 % below the distance-only
//! best known without them).

use std::collections::HashSet;
use std::time::Instant;

use rayon::prelude::*;

use super::classes::TechClasses;
use super::coeffs::Coeffs;
use super::cuts::{SubsetRows, MAX_CUTS};
use super::pricing::{spread, Priced, Prices, Pricing, COLUMNS_PER_ROUND};
use super::scaled::ExactPoint;
use crate::matching::Eligibility;
use crate::model::{JobIdx, Problem, TechIdx, Time};
use crate::policy::{Objective, Policy, COST_SCALE};
use crate::routing::evaluate;

/// Size of each job's ng-neighbourhood (itself included).
const NG: usize = 8;
// A label's memory holds one bit per neighbour below the break's bit.
const _: () = assert!(NG < 31);
/// Weight of the stability centre in the smoothed pricing point (Wentges).
const SMOOTHING: f64 = 0.7;
/// Share of a run's seconds kept for the bound at scaled prices ([`super::scaled`]) when
/// the master has not converged by then.
const SCALED_SHARE: f64 = 0.1;
/// Columns above which the master is shrunk.
const MAX_COLUMNS: usize = 3_000;
/// Reduced costs at or below this times (1 + column cost) count as zero when shrinking.
const SHRINK_TOL: f64 = 1e-5;
/// Reduced costs above this (currency) count as non-negative.
pub(super) const EPS: f64 = 1e-7;
/// Largest number of servable jobs x classes the method takes on.
pub(super) const MAX_NODES: usize = 20_000;

/// A master column: class, relaxed cost (currency), route as local nodes, and the route's
/// jobs as servable slots (with repeats on ng-routes).
pub(super) type Column = (usize, f64, Vec<u32>, Vec<usize>);

/// Technicians that are interchangeable for the relaxation: same start, end, day, limits,
/// cost coefficients and per-job assignment costs.
pub(super) struct Class {
    /// One technician of the class (its data stand for all).
    pub(super) rep: TechIdx,
    /// How many technicians the class has (routes it may use).
    pub(super) size: usize,
    /// Jobs it can do, as indices into the problem's jobs.
    pub(super) nodes: Vec<JobIdx>,
    /// Cost of a job's service and assignment for this class (currency), by node.
    pub(super) node_cost: Vec<f64>,
    /// Successor nodes reachable within windows and the day from each node's earliest start.
    pub(super) succ: Vec<Vec<u32>>,
    /// Predecessor nodes: `pred[b]` holds every `a` with `b` in `succ[a]`.
    pub(super) pred: Vec<Vec<u32>>,
    /// The ng-neighbourhood of each node, itself first.
    pub(super) ng: Vec<Vec<u32>>,
}

/// Column generation state for one problem.
pub(super) struct ColGen<'a> {
    pub(super) p: &'a Problem,
    pub(super) obj: &'a Objective,
    pub(super) co: Coeffs,
    pub(super) classes: Vec<Class>,
    servable: Vec<JobIdx>,
    /// Unassigned cost (currency) per servable job.
    pub(super) penalty: Vec<f64>,
    /// Position of a job in `servable`.
    pub(super) slot: Vec<usize>,
    /// Class of each technician (`None`: no candidate jobs).
    class_of: Vec<Option<usize>>,
    /// Most labels any pricing run may create (tests lower it to reach the coarse path).
    pub(super) label_cap: usize,
    /// Switches subset-row cuts off ([`super::BoundOptions::subset_row_cuts`]).
    pub(super) no_cuts: bool,
}

/// A certified bound and how the run ended.
pub(super) struct CgResult {
    /// Lower bound on the objective of the servable jobs (currency; add the constant of
    /// the unservable ones).
    pub value: f64,
    /// True when the master reached its LP optimum at least once: the bound is then at
    /// least that LP's value (with the subset-row cuts it had then).
    pub converged: bool,
}

impl<'a> ColGen<'a> {
    /// Builds the classes and pricing data; `None` when the problem is too large for it or
    /// its travel times break the triangle inequality.
    pub fn new(
        p: &'a Problem,
        policy: &Policy,
        obj: &'a Objective,
        elig: &Eligibility,
        servable: &[JobIdx],
    ) -> Option<Self> {
        // Pricing reads a job's earliest start as the drive straight from the start and
        // prunes by the drive straight home: sound only when detours never arrive earlier.
        if !p.travel.is_metric() {
            return None;
        }
        let co = Coeffs::new(p, policy);
        let n_t = p.technicians.len();
        let mut cand: Vec<Vec<JobIdx>> = vec![Vec::new(); n_t];
        for &j in servable {
            for &t in elig.candidates(j) {
                cand[t].push(j);
            }
        }
        let tc = TechClasses::new(p, obj, &cand);
        let reps: Vec<(TechIdx, usize)> = tc.reps().collect();
        let total: usize = reps.iter().map(|&(t, _)| cand[t].len()).sum();
        if total > MAX_NODES {
            return None;
        }
        let classes = reps
            .into_iter()
            .map(|(t, size)| Class::new(p, &co, obj, t, size, cand[t].clone()))
            .collect();
        let mut slot = vec![usize::MAX; p.jobs.len()];
        for (k, &j) in servable.iter().enumerate() {
            slot[j] = k;
        }
        let penalty =
            servable.iter().map(|&j| obj.unassigned_cost(j) as f64 / COST_SCALE).collect();
        let servable = servable.to_vec();
        Some(ColGen {
            p,
            obj,
            co,
            classes,
            class_of: tc.of,
            servable,
            penalty,
            slot,
            label_cap: usize::MAX,
            no_cuts: false,
        })
    }

    /// Runs column generation until the master is optimal or `seconds` pass; returns the
    /// best certified Lagrangian bound, or `None` if no pricing round completed. A run the
    /// clock stops spends its last [`SCALED_SHARE`] (or more, when the exact search is
    /// slow) on the bound at scaled-down prices: those of the last round where the exact
    /// search finished, else the master's ([`super::scaled`]). The `warm` routes
    /// (technician, jobs in order), typically a plan's, start the master near its optimum
    /// instead of at one-job routes; they never affect validity.
    pub fn run(&self, seconds: f64, warm: &[(TechIdx, Vec<JobIdx>)]) -> Option<CgResult> {
        let started = Instant::now();
        // Columns: (class, cost, jobs with multiplicity as servable slots).
        let mut cols: Vec<Column> = Vec::new();
        let mut seen: Vec<HashSet<Vec<u32>>> = vec![HashSet::new(); self.classes.len()];
        for (c, class) in self.classes.iter().enumerate() {
            for k in 0..class.nodes.len() {
                if class.start_ok(self.p, k) {
                    self.add_column(c, vec![k as u32], &mut cols, &mut seen);
                }
            }
        }
        for (t, jobs) in warm {
            let Some(c) = self.class_of.get(*t).copied().flatten() else { continue };
            let class = &self.classes[c];
            // Class nodes are in increasing job order.
            let seq: Option<Vec<u32>> =
                jobs.iter().map(|j| class.nodes.binary_search(j).ok().map(|k| k as u32)).collect();
            // Only routes of the relaxation: a cheaper impossible column would lower the
            // master below the LP optimum (still a valid bound, but a weaker one).
            if let Some(seq) = seq.filter(|s| class.feasible(self.p, self.obj, s)) {
                self.add_column(c, seq, &mut cols, &mut seen);
            }
        }
        let end = started + std::time::Duration::from_secs_f64(seconds.max(0.0));
        // The rounds stop early enough to leave the scaled bound its share.
        let seconds = (1.0 - SCALED_SHARE) * seconds.max(0.0);
        let deadline = started + std::time::Duration::from_secs_f64(seconds);
        // The last master prices (jobs, cuts) and whether the run ended converged.
        let mut last: Option<(Vec<f64>, Vec<f64>)> = None;
        let mut finished = false;
        let mut best: Option<CgResult> = None;
        let mut center: Option<Vec<f64>> = None;
        let mut direct = false;
        let mut round = 0usize;
        // The last prices where the exact search finished (see `super::scaled`).
        let mut point: Option<ExactPoint> = None;
        // Subset-row cuts, separated each time the master converges (see `super::cuts`).
        let mut cuts = SubsetRows::new(self.servable.len());
        // True once the master reached its LP optimum (with the cuts of the time): every
        // later bound is at least that LP's value ([`CgResult::converged`]).
        let mut certified = false;
        loop {
            round += 1;
            let left = seconds - started.elapsed().as_secs_f64();
            if left <= 0.0 || point.as_ref().is_some_and(|x| x.due(end)) {
                break;
            }
            // A master cut short by the clock ends the run with the bound certified so far.
            let t_master = Instant::now();
            let (pi, nu, mu, master) = match self.solve_dual(&cols, &cuts, left) {
                Ok(d) => {
                    last = Some((d.pi.clone(), d.mu.clone()));
                    (d.pi, d.nu, d.mu, d.value)
                }
                Err(e) => {
                    if std::env::var_os("FIELDOPT_TRACE").is_some() {
                        eprintln!("colgen master: {e}");
                    }
                    break;
                }
            };
            let tol = EPS * (1.0 + master.abs());
            // Wentges smoothing: price at a point between the best prices so far (the
            // stability centre) and the master's, which damps the oscillation of the
            // master's prices; price at the master's own when smoothing found nothing.
            let sep: Vec<f64> = match (&center, direct) {
                (Some(c), false) => {
                    c.iter().zip(&pi).map(|(c, m)| SMOOTHING * c + (1.0 - SMOOTHING) * m).collect()
                }
                _ => pi.clone(),
            };
            let master_secs = t_master.elapsed().as_secs_f64();
            let at_master = center.is_none() || direct;
            // Cheapest first: a full search under a small label budget (exact when it
            // finishes), then the relaxed search, and only when both run dry the full search
            // under the large budget: at prices far from the optimum its Lagrangian bound
            // is weak and it is the dearest step. A small search cut short reaches only the
            // early part of the day (on R203 its routes never moved the master from the
            // plan in 170 rounds), so the relaxed search, whose routes span the day, runs
            // after it and the master gets both.
            let mut priced: Vec<Priced> = Vec::new();
            let mut used = Pricing::Relaxed;
            for mode in [Pricing::Small, Pricing::Relaxed, Pricing::Exact] {
                used = mode;
                let t_mode = Instant::now();
                // Classes price independently: in parallel, collected in class order.
                // A route improves the master when its cost minus its jobs' prices is below
                // minus its class's fleet price `nu`: pricing adds `nu` to every route.
                let mut run: Vec<Priced> = self
                    .classes
                    .par_iter()
                    .zip(&nu)
                    .map(|(class, &nu)| {
                        let q = Prices {
                            pi: &sep,
                            nu,
                            slot: &self.slot,
                            deadline,
                            cut_masks: &cuts.masks,
                            mu: &mu,
                        };
                        class.price(self.p, &self.co, &q, mode, self.label_cap)
                    })
                    .collect();
                if mode == Pricing::Exact {
                    let secs = t_mode.elapsed().as_secs_f64();
                    point = self.exact_point(&sep, &mu, &cuts, &run, secs).or(point);
                    if std::env::var_os("FIELDOPT_TRACE").is_some() {
                        eprintln!(
                            "  exact point: {secs:.1}s {:?}",
                            point.as_ref().map(|x| x.theta)
                        );
                    }
                }
                // Routes the master already has (negative only within its tolerance) do not
                // count as found; of the rest the master takes a spread over the jobs.
                for (c, x) in run.iter_mut().enumerate() {
                    x.routes.retain(|r| !seen[c].contains(r));
                    if let Some(before) = priced.get_mut(c) {
                        x.routes.append(&mut before.routes);
                    }
                    let cut = |r: &[u32]| self.cut_cost(c, r, &cuts, &mu);
                    x.routes = self.pick(c, std::mem::take(&mut x.routes), &sep, cut);
                }
                priced = run;
                if std::env::var_os("FIELDOPT_TRACE").is_some() {
                    let done = priced.iter().filter(|x| x.min_rc.is_some()).count();
                    eprintln!(
                        "  {mode:?}: {:.1}s, {done}/{} classes complete",
                        started.elapsed().as_secs_f64(),
                        priced.len()
                    );
                }
                let exact = priced.iter().all(|x| x.min_rc.is_some());
                let found = priced.iter().any(|x| !x.routes.is_empty());
                if exact || (found && mode != Pricing::Small) {
                    break;
                }
                if started.elapsed().as_secs_f64() > seconds {
                    break;
                }
            }
            // Each class's minimum: the search's when it finished, else the coarse estimate
            // (a lower one), so that a bound exists in every round; the coarse search's
            // real routes join the columns.
            let mins = self.coarse_at(&sep, &nu, &mut priced, &seen, deadline);
            let mut converged = false;
            if mins.iter().all(Option::is_some) {
                // Valid at any prices in [0, penalty] and cut prices >= 0: the Lagrangian
                // bound (a cut's right side is 1).
                // The search's minimum includes `nu` (and is 0 when nothing is below it):
                // minus `nu`, a lower estimate of the class's minimum.
                let lagrange = self.lagrangian(
                    sep.iter().sum::<f64>() - mu.iter().sum::<f64>(),
                    mins.iter().zip(&nu).map(|(x, &n)| x.unwrap_or(0.0) - n),
                );
                let none_negative = priced.iter().all(|x| x.min_rc.is_some_and(|v| v >= -tol));
                converged = none_negative && at_master;
                // The Lagrangian value also when converged: with interior-point prices the
                // master's own value is only as exact as the solver's tolerance.
                let value = lagrange;
                if best.as_ref().is_none_or(|b| value > b.value) {
                    best = Some(CgResult { value, converged: false });
                    center = Some(sep.clone());
                }
            }
            // The master is optimal once a bound is within a millionth of it (the LP
            // optimum lies between them); then cut it, or stop.
            let close = 1e-6 * (1.0 + master.abs());
            if converged || best.as_ref().is_some_and(|b| b.value >= master - close) {
                certified = true;
                if self.cut(&cols, &mut cuts, seconds - started.elapsed().as_secs_f64()) {
                    // New prices: the stability centre belongs to the master without them.
                    center = None;
                    direct = false;
                    continue;
                }
                finished = true;
                break;
            }
            let mut added = 0;
            for (c, x) in priced.into_iter().enumerate() {
                for r in x.routes {
                    added += usize::from(self.add_column(c, r, &mut cols, &mut seen));
                }
            }
            if std::env::var_os("FIELDOPT_TRACE").is_some() {
                eprintln!(
                    "colgen round {round}: {:.1}s (master {master_secs:.2}s, {used:?}) master {master:.4} columns {} added {added} best {:?}",
                    started.elapsed().as_secs_f64(),
                    cols.len(),
                    best.as_ref().map(|b| b.value)
                );
            }
            self.shrink(&mut cols, &mut seen, &pi, &nu);
            if added == 0 {
                if !at_master {
                    // A mispricing of the smoothed point: price at the master's prices next.
                    direct = true;
                    continue;
                }
                // Only columns the master already has (within its tolerance), or nothing
                // found within the budgets: the master cannot move, stop here.
                break;
            }
            direct = false;
        }
        // Cut short: the bound at the last master prices scaled down, where the class
        // sizes cost least (see `super::scaled`).
        if let Some((pi, mut mu)) = last.filter(|_| !finished) {
            mu.resize(cuts.len(), 0.0);
            // From the exact search's last prices first; the time that leaves goes to the
            // master's own last prices, unless they are the same (the same iteration again).
            let from_point = point.as_ref().and_then(|x| self.farley_bound(x, &cuts, end));
            // (`scaled_bound` itself gives `None` once `end` has passed.)
            let again = point.as_ref().is_some_and(|x| x.priced_at(&pi, &mu));
            let at_master = (!again).then(|| self.scaled_bound(&pi, &mu, &cuts, end)).flatten();
            for v in [from_point, at_master].into_iter().flatten() {
                if best.as_ref().is_none_or(|b| v > b.value) {
                    best = Some(CgResult { value: v, converged: false });
                }
            }
        }
        best.map(|b| CgResult { converged: certified, ..b })
    }

    /// The routes of class `c` the master takes this round: cheapest first at `prices`, at
    /// most [`COLUMNS_PER_ROUND`], spread over the jobs ([`spread`]).
    fn pick(
        &self,
        c: usize,
        mut routes: Vec<Vec<u32>>,
        prices: &[f64],
        cut: impl Fn(&[u32]) -> f64,
    ) -> Vec<Vec<u32>> {
        let class = &self.classes[c];
        let rc = |r: &[u32]| {
            class.route_cost(self.p, &self.co, r) - self.prices_of(c, r, prices) + cut(r)
        };
        let mut keyed: Vec<(f64, Vec<u32>)> = routes.drain(..).map(|r| (rc(&r), r)).collect();
        keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
        // A route both searches found has the same cost twice: adjacent after sorting.
        keyed.dedup_by(|a, b| a.1 == b.1);
        let routes = keyed.into_iter().map(|(_, r)| r).collect();
        spread(routes, class.nodes.len(), COLUMNS_PER_ROUND)
    }

    /// Keeps the master small (its dual has a row per column): past `MAX_COLUMNS`, or two
    /// rounds' worth of columns however many classes there are, drops up to half of the
    /// multi-job columns, those with the largest positive reduced cost `cost - prices +
    /// nu` at the master's prices `pi` and fleet prices `nu`. Columns at or below zero are
    /// kept: every column the master's solution uses is among them (its reduced cost is
    /// zero), so the master never loses its optimum (before, warm-start routes were
    /// dropped and the master jumped tenfold). Without `nu` nothing was dropped when
    /// every technician is its own class (the sample day's master grew to 47,000
    /// columns). Dropping never affects the validity of the bound.
    fn shrink(
        &self,
        cols: &mut Vec<Column>,
        seen: &mut [HashSet<Vec<u32>>],
        pi: &[f64],
        nu: &[f64],
    ) {
        if cols.len() <= MAX_COLUMNS.max(2 * COLUMNS_PER_ROUND * self.classes.len()) {
            return;
        }
        let rc = |c: &Column| c.1 - c.3.iter().map(|&s| pi[s]).sum::<f64>() + nu[c.0];
        let multi = cols.iter().filter(|c| c.2.len() > 1).count();
        let mut order: Vec<(f64, usize)> = cols
            .iter()
            .enumerate()
            .filter(|(_, c)| c.2.len() > 1)
            // Interior-point prices leave the used columns' reduced costs only near zero
            // (within the solver's tolerance, relative to the costs): those stay.
            .filter(|(_, c)| rc(c) > SHRINK_TOL * (1.0 + c.1.abs()))
            .map(|(i, c)| (rc(c), i))
            .collect();
        order.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut drop = vec![false; cols.len()];
        for &(_, i) in order.iter().take(multi / 2) {
            drop[i] = true;
        }
        let mut k = 0;
        cols.retain(|c| {
            let d = drop[k];
            k += 1;
            if d {
                seen[c.0].remove(&c.2);
            }
            !d
        });
    }

    /// Adds the route `seq` (local nodes of class `c`) as a column unless already present.
    fn add_column(
        &self,
        c: usize,
        seq: Vec<u32>,
        cols: &mut Vec<Column>,
        seen: &mut [HashSet<Vec<u32>>],
    ) -> bool {
        if seen[c].contains(&seq) {
            return false;
        }
        let class = &self.classes[c];
        let cost = class.route_cost(self.p, &self.co, &seq);
        let jobs = seq.iter().map(|&k| self.slot[class.nodes[k as usize]]).collect();
        seen[c].insert(seq.clone());
        cols.push((c, cost, seq, jobs));
        true
    }

    /// The Lagrangian bound: `total` (job prices minus cut prices) plus, per class, its
    /// size times its minimum reduced cost from `mins` (class order; fleet price out)
    /// where that is negative (currency).
    pub(super) fn lagrangian(&self, total: f64, mins: impl Iterator<Item = f64>) -> f64 {
        total + self.classes.iter().zip(mins).map(|(c, m)| c.size as f64 * m.min(0.0)).sum::<f64>()
    }

    /// Sum of the job prices `prices` (by servable slot) over route `r` (local nodes of
    /// class `c`, a job counted each time it is visited).
    pub(super) fn prices_of(&self, c: usize, r: &[u32], prices: &[f64]) -> f64 {
        let nodes = &self.classes[c].nodes;
        r.iter().map(|&k| prices[self.slot[nodes[k as usize]]]).sum()
    }

    /// What the cuts add to the reduced cost of route `r` (local nodes of class `c`): the
    /// price of each cut times the route's coefficient in it (currency).
    pub(super) fn cut_cost(&self, c: usize, r: &[u32], cuts: &SubsetRows, mu: &[f64]) -> f64 {
        if cuts.len() == 0 {
            return 0.0;
        }
        let nodes = &self.classes[c].nodes;
        let jobs: Vec<usize> = r.iter().map(|&k| self.slot[nodes[k as usize]]).collect();
        cuts.coefficients(&jobs).into_iter().map(|(s, a)| a * mu[s]).sum()
    }

    /// Separates subset-row cuts from the converged master `cols` when room and time are
    /// left (`left` seconds); true when cuts were added and the master must be solved again.
    fn cut(&self, cols: &[Column], cuts: &mut SubsetRows, left: f64) -> bool {
        if cuts.len() >= MAX_CUTS || left < 0.5 || self.no_cuts {
            return false;
        }
        let x = match self.solve_primal(cols, cuts, left) {
            Ok(x) => x,
            Err(e) => {
                if std::env::var_os("FIELDOPT_TRACE").is_some() {
                    eprintln!("colgen primal: {e}");
                }
                return false;
            }
        };
        let routes: Vec<(&[usize], f64)> = cols
            .iter()
            .zip(&x)
            .filter(|(_, &v)| v > 1e-6)
            .map(|(c, &v)| (c.3.as_slice(), v))
            .collect();
        let added = cuts.separate(&routes);
        if std::env::var_os("FIELDOPT_TRACE").is_some() {
            eprintln!("colgen cuts: {added} added, {} in all", cuts.len());
        }
        added > 0
    }

    /// The servable jobs the bound covers.
    #[allow(dead_code)]
    pub fn servable(&self) -> &[JobIdx] {
        &self.servable
    }
}

impl Class {
    pub(super) fn new(
        p: &Problem,
        co: &Coeffs,
        obj: &Objective,
        rep: TechIdx,
        size: usize,
        nodes: Vec<JobIdx>,
    ) -> Self {
        let tech = &p.technicians[rep];
        let limit = tech.shift.close.saturating_add(tech.max_overtime);
        let node_cost: Vec<f64> = nodes
            .iter()
            .map(|&j| {
                co.dur[rep] * p.jobs[j].duration as f64
                    + obj.assignment_cost(j, rep) as f64 / COST_SCALE
            })
            .collect();
        // Earliest service start of each node when driving straight from the start.
        let earliest: Vec<Option<Time>> = nodes
            .iter()
            .map(|&j| {
                let job = &p.jobs[j];
                job.service_start(tech.shift.open + p.travel.time(tech.start, job.loc))
                    .filter(|&s| s + job.duration + p.travel.time(job.loc, tech.end) <= limit)
            })
            .collect();
        let n = nodes.len();
        let mut succ = vec![Vec::new(); n];
        let two = tech.max_jobs.is_none_or(|m| m >= 2);
        for a in 0..n {
            let Some(sa) = earliest[a] else { continue };
            if !two {
                break;
            }
            let ja = &p.jobs[nodes[a]];
            for b in 0..n {
                if a == b || earliest[b].is_none() {
                    continue;
                }
                let jb = &p.jobs[nodes[b]];
                let arrive = sa + ja.duration + p.travel.time(ja.loc, jb.loc);
                let ok = jb
                    .service_start(arrive)
                    .is_some_and(|s| s + jb.duration + p.travel.time(jb.loc, tech.end) <= limit)
                    && fits(tech.capacity.as_deref(), &ja.demand, &jb.demand);
                if ok {
                    succ[a].push(b as u32);
                }
            }
        }
        let ng = (0..n)
            .map(|a| {
                let la = p.jobs[nodes[a]].loc;
                let mut others: Vec<(Time, u32)> = (0..n)
                    .filter(|&b| b != a)
                    .map(|b| {
                        let lb = p.jobs[nodes[b]].loc;
                        (p.travel.time(la, lb).saturating_add(p.travel.time(lb, la)), b as u32)
                    })
                    .collect();
                let k = (NG - 1).min(others.len());
                if k > 0 && k < others.len() {
                    others.select_nth_unstable(k - 1);
                }
                others.truncate(k);
                others.sort_unstable();
                std::iter::once(a as u32).chain(others.into_iter().map(|x| x.1)).collect()
            })
            .collect();
        let mut pred = vec![Vec::new(); n];
        for (a, next) in succ.iter().enumerate() {
            for &b in next {
                pred[b as usize].push(a as u32);
            }
        }
        Class { rep, size, nodes, node_cost, succ, pred, ng }
    }

    /// True when the one-job route to node `k` is feasible.
    fn start_ok(&self, p: &Problem, k: usize) -> bool {
        self.first(p, k).is_some()
    }

    /// Service start at node `k` as the first job, if the one-job route is feasible.
    pub(super) fn first(&self, p: &Problem, k: usize) -> Option<Time> {
        let tech = &p.technicians[self.rep];
        let job = &p.jobs[self.nodes[k]];
        let limit = tech.shift.close.saturating_add(tech.max_overtime);
        if !fits(tech.capacity.as_deref(), &job.demand, &[]) {
            return None;
        }
        job.service_start(tech.shift.open + p.travel.time(tech.start, job.loc))
            .filter(|&s| s + job.duration + p.travel.time(job.loc, tech.end) <= limit)
    }

    /// True when `seq` (local nodes) is a route the engine accepts for this class's
    /// technician: no job twice, and windows, break, end of day, capacity and job cap as
    /// [`evaluate`] reads them. The plan's routes and the coarse search's real routes pass
    /// this before they become columns: an impossible column would let the master fall
    /// below the LP it bounds.
    pub(super) fn feasible(&self, p: &Problem, obj: &Objective, seq: &[u32]) -> bool {
        let jobs: Vec<JobIdx> = seq.iter().map(|&k| self.nodes[k as usize]).collect();
        let mut distinct = jobs.clone();
        distinct.sort_unstable();
        distinct.dedup();
        !jobs.is_empty()
            && distinct.len() == jobs.len()
            && evaluate(p, obj, self.rep, &jobs).is_some()
    }

    /// Relaxed cost of a route through local nodes `seq` (currency).
    pub(super) fn route_cost(&self, p: &Problem, co: &Coeffs, seq: &[u32]) -> f64 {
        let t = self.rep;
        let tech = &p.technicians[t];
        let mut cost = co.fixed[t];
        let mut at = tech.start;
        for &k in seq {
            let loc = p.jobs[self.nodes[k as usize]].loc;
            cost += co.arc(p, t, at, loc) + self.node_cost[k as usize];
            at = loc;
        }
        cost + co.arc(p, t, at, tech.end)
    }
}

/// True when demands `a` and `b` together fit `cap` (no capacity: always).
pub(super) fn fits(cap: Option<&[i64]>, a: &[i64], b: &[i64]) -> bool {
    cap.is_none_or(|cap| {
        cap.iter()
            .enumerate()
            .all(|(d, &c)| a.get(d).copied().unwrap_or(0) + b.get(d).copied().unwrap_or(0) <= c)
    })
}
