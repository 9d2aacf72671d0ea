//! A solution under search: one route per technician plus the unassigned jobs, with the
//! best-insertion primitive every constructive and repair step uses.

use rand::Rng;

use super::context::Ctx;
use crate::model::{JobIdx, TechIdx};
use crate::routing::{evaluate, Route};

/// How many of the best approximate insertion positions are evaluated exactly.
const EXACT_TRIES: usize = 4;

/// Routes (index = technician) and unassigned jobs.
#[derive(Clone)]
pub struct Solution {
    /// One route per technician.
    pub routes: Vec<Route>,
    /// Jobs not in any route.
    pub unassigned: Vec<JobIdx>,
    /// `(route, position)` per assigned job.
    pub pos: Vec<Option<(TechIdx, usize)>>,
    /// Routes changed since the log was last drained (may repeat); local search starts
    /// from these so it only revisits the part of the plan a step touched.
    pub touched: Vec<TechIdx>,
}

/// A feasible insertion found by [`Solution::best_insertion`].
#[derive(Debug, Clone, Copy)]
pub struct Insertion {
    /// Technician whose route takes the job.
    pub tech: TechIdx,
    /// Position in that route.
    pub at: usize,
    /// Exact change of the route cost (micro-currency).
    pub delta: i64,
}

impl Solution {
    /// All technicians at home, every job unassigned.
    pub fn empty(ctx: &Ctx) -> Self {
        let p = ctx.p;
        Solution {
            routes: (0..p.technicians.len()).map(|t| Route::new(p, &ctx.obj, t)).collect(),
            unassigned: (0..p.jobs.len()).collect(),
            pos: vec![None; p.jobs.len()],
            touched: Vec::new(),
        }
    }

    /// Total objective: route costs plus penalties of unassigned jobs (micro-currency).
    pub fn cost(&self, ctx: &Ctx) -> i64 {
        let r: i64 = self.routes.iter().map(|r| r.cost()).fold(0, i64::saturating_add);
        self.unassigned.iter().map(|&j| ctx.obj.unassigned_cost(j)).fold(r, i64::saturating_add)
    }

    /// Number of assigned jobs.
    pub fn assigned(&self) -> usize {
        self.routes.iter().map(|r| r.len()).sum()
    }

    /// Rebuilds `pos` for route `t`.
    pub fn index_route(&mut self, t: TechIdx) {
        for (k, &j) in self.routes[t].jobs.iter().enumerate() {
            self.pos[j] = Some((t, k));
        }
    }

    /// Replaces route `t` by an evaluated feasible sequence.
    pub fn set_route(
        &mut self,
        ctx: &Ctx,
        t: TechIdx,
        jobs: Vec<JobIdx>,
        eval: crate::routing::RouteEval,
    ) {
        // Only jobs still indexed to `t` lose their position: a job that moved to another
        // route may already have been indexed there (moves between two routes set both).
        for &j in &self.routes[t].jobs {
            if matches!(self.pos[j], Some((u, _)) if u == t) {
                self.pos[j] = None;
            }
        }
        self.routes[t].set(ctx.p, jobs, eval);
        self.index_route(t);
        self.touched.push(t);
    }

    /// Removes `job` from its route (re-evaluating the route) and marks it unassigned.
    pub fn remove(&mut self, ctx: &Ctx, job: JobIdx) {
        let Some((t, k)) = self.pos[job] else { return };
        let mut jobs = self.routes[t].jobs.clone();
        jobs.remove(k);
        // With travel times that obey the triangle inequality a removal keeps the route
        // feasible; a user matrix need not, and then the whole route is released.
        match evaluate(ctx.p, &ctx.obj, t, &jobs) {
            Some(eval) => self.set_route(ctx, t, jobs, eval),
            None => {
                let empty = evaluate(ctx.p, &ctx.obj, t, &[]).expect("an empty route is feasible");
                self.set_route(ctx, t, Vec::new(), empty);
                self.unassigned.extend(jobs);
            }
        }
        self.pos[job] = None;
        self.unassigned.push(job);
    }

    /// The cheapest feasible insertion of `job` over its candidate technicians. Positions
    /// are screened in O(1) (capacity, relaxed time windows) and ranked by approximate cost;
    /// the best few are evaluated exactly. `blink` skips each position with that probability.
    pub fn best_insertion<R: Rng>(
        &self,
        ctx: &Ctx,
        job: JobIdx,
        blink: f64,
        rng: &mut R,
        buf: &mut Vec<JobIdx>,
    ) -> Option<Insertion> {
        let p = ctx.p;
        let mut cands: Vec<(f64, TechIdx, usize)> = Vec::new();
        for &t in ctx.elig.candidates(job) {
            let r = &self.routes[t];
            if !r.fits(p, job, None) {
                continue;
            }
            let base = ctx.obj.assignment_cost(job, t) as f64
                + ctx.per_tick[t] * p.jobs[job].duration as f64
                + if r.is_empty() { ctx.per_use[t] } else { 0.0 };
            for k in 0..=r.len() {
                if blink > 0.0 && rng.random::<f64>() < blink {
                    continue;
                }
                if !r.time_ok(p, job, k) {
                    continue;
                }
                let (dt, dd) = r.insert_delta(p, job, k);
                cands.push((base + ctx.approx(t, dt, dd), t, k));
            }
        }
        let order = |a: &(f64, TechIdx, usize), b: &(f64, TechIdx, usize)| {
            a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2))
        };
        // Only the first few are usually evaluated: select them, sort the rest lazily.
        if cands.len() > EXACT_TRIES {
            cands.select_nth_unstable_by(EXACT_TRIES, order);
        }
        let head = EXACT_TRIES.min(cands.len());
        cands[..head].sort_unstable_by(order);
        let mut best: Option<Insertion> = None;
        for tried in 0..cands.len() {
            if tried >= EXACT_TRIES && best.is_some() {
                break;
            }
            if tried == head {
                cands[head..].sort_unstable_by(order);
            }
            let (_, t, k) = cands[tried];
            let r = &self.routes[t];
            buf.clear();
            buf.extend_from_slice(&r.jobs[..k]);
            buf.push(job);
            buf.extend_from_slice(&r.jobs[k..]);
            if let Some(e) = evaluate(p, &ctx.obj, t, buf) {
                let delta = e.cost - r.cost();
                if best.is_none_or(|b| delta < b.delta) {
                    best = Some(Insertion { tech: t, at: k, delta });
                }
            }
        }
        best
    }

    /// Applies an insertion found by [`Solution::best_insertion`].
    pub fn insert(&mut self, ctx: &Ctx, job: JobIdx, ins: Insertion) {
        let mut jobs = self.routes[ins.tech].jobs.clone();
        jobs.insert(ins.at, job);
        let eval = evaluate(ctx.p, &ctx.obj, ins.tech, &jobs).expect("insertion was checked");
        self.set_route(ctx, ins.tech, jobs, eval);
        if let Some(i) = self.unassigned.iter().position(|&u| u == job) {
            self.unassigned.swap_remove(i);
        }
    }
}
