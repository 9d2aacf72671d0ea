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
    /// Undo log of the current search step (see [`Solution::begin`]).
    journal: Journal,
}

/// What [`Solution::rollback`] needs to undo a step: the first version of every route the
/// step changed and the unassigned list before it. A step then costs O(routes it touches)
/// instead of a clone of the whole solution (at 20,000 jobs and 2,000 routes a clone is
/// ~8,000 allocations and ~1 MB copied, per step).
#[derive(Clone, Default)]
struct Journal {
    /// Recording (between `begin` and `commit` / `rollback`).
    active: bool,
    /// (technician, route before the step), at most once per technician.
    saved: Vec<(TechIdx, Route)>,
    /// Per technician: already in `saved`.
    marked: Vec<bool>,
    /// `unassigned` before the step.
    unassigned: Vec<JobIdx>,
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
            journal: Journal::default(),
        }
    }

    /// A solution with the given `(technician, jobs)` routes, each evaluated under the
    /// whole objective, every other job unassigned. A route that does not evaluate as
    /// feasible is left out (its jobs stay unassigned); the second value counts them.
    pub fn from_routes(
        ctx: &Ctx,
        routes: impl IntoIterator<Item = (TechIdx, Vec<JobIdx>)>,
    ) -> (Self, usize) {
        let mut sol = Solution::empty(ctx);
        let mut infeasible = 0;
        for (t, jobs) in routes.into_iter().filter(|(_, j)| !j.is_empty()) {
            match evaluate(ctx.p, &ctx.obj, t, &jobs) {
                Some(e) => sol.set_route(ctx, t, jobs, e),
                None => infeasible += 1,
            }
        }
        sol.unassigned = (0..ctx.p.jobs.len()).filter(|&j| sol.pos[j].is_none()).collect();
        sol.touched.clear();
        (sol, infeasible)
    }

    /// Starts recording a step that [`Solution::rollback`] can undo (or
    /// [`Solution::commit`] keep); clears `touched`.
    pub fn begin(&mut self) {
        let j = &mut self.journal;
        j.active = true;
        j.saved.clear();
        j.marked.resize(self.routes.len(), false);
        j.unassigned.clone_from(&self.unassigned);
        self.touched.clear();
    }

    /// Keeps the changes since [`Solution::begin`].
    pub fn commit(&mut self) {
        let j = &mut self.journal;
        for &(t, _) in &j.saved {
            j.marked[t] = false;
        }
        j.saved.clear();
        j.active = false;
    }

    /// Restores the solution as it was at [`Solution::begin`]: the saved routes, the
    /// positions of every job they held before or hold now, and the unassigned list.
    pub fn rollback(&mut self) {
        let mut saved = std::mem::take(&mut self.journal.saved);
        for &(t, _) in &saved {
            for &j in &self.routes[t].jobs {
                self.pos[j] = None;
            }
        }
        for (t, old) in saved.drain(..) {
            self.routes[t] = old;
            self.journal.marked[t] = false;
            self.index_route(t);
        }
        self.journal.saved = saved;
        std::mem::swap(&mut self.unassigned, &mut self.journal.unassigned);
        self.touched.clear();
        self.journal.active = false;
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
        if self.journal.active && !self.journal.marked[t] {
            self.journal.marked[t] = true;
            self.journal.saved.push((t, self.routes[t].clone()));
        }
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
        self.best_insertion_over(ctx, job, ctx.elig.candidates(job), blink, rng, buf)
    }

    /// [`Solution::best_insertion`] over the job's nearby routes only: its
    /// [`Ctx::near_techs`] plus the routes of its granular neighbours. The same as the full
    /// scan when the job has at most [`super::context::NEAR_TECHS`] candidates; otherwise
    /// O(nearby routes) instead of O(candidates), which is what keeps a recreate step
    /// independent of the fleet size. `techs` is a scratch buffer.
    pub fn best_insertion_near<R: Rng>(
        &self,
        ctx: &Ctx,
        job: JobIdx,
        blink: f64,
        rng: &mut R,
        buf: &mut Vec<JobIdx>,
        techs: &mut Vec<TechIdx>,
    ) -> Option<Insertion> {
        if !ctx.is_pruned(job) {
            return self.best_insertion(ctx, job, blink, rng, buf);
        }
        techs.clear();
        techs.extend_from_slice(ctx.near_techs(job));
        for &v in &ctx.neighbours[job] {
            if let Some((t, _)) = self.pos[v] {
                if ctx.elig.allowed(job, t) {
                    techs.push(t);
                }
            }
        }
        techs.sort_unstable();
        techs.dedup();
        self.best_insertion_over(ctx, job, techs, blink, rng, buf)
    }

    /// [`Solution::best_insertion_near`], then the full scan when that finds no insertion
    /// cheaper than leaving the job out: a job is never left out that the full scan places.
    pub fn best_insertion_fallback<R: Rng>(
        &self,
        ctx: &Ctx,
        job: JobIdx,
        rng: &mut R,
        buf: &mut Vec<JobIdx>,
        techs: &mut Vec<TechIdx>,
    ) -> Option<Insertion> {
        let near = self.best_insertion_near(ctx, job, 0.0, rng, buf, techs);
        let good =
            |i: &Option<Insertion>| i.is_some_and(|i| i.delta < ctx.obj.unassigned_cost(job));
        if good(&near) || !ctx.is_pruned(job) {
            return near;
        }
        self.best_insertion(ctx, job, 0.0, rng, buf)
    }

    /// The cheapest feasible insertion of `job` into the routes of `techs`.
    fn best_insertion_over<R: Rng>(
        &self,
        ctx: &Ctx,
        job: JobIdx,
        techs: &[TechIdx],
        blink: f64,
        rng: &mut R,
        buf: &mut Vec<JobIdx>,
    ) -> Option<Insertion> {
        let p = ctx.p;
        let mut cands: Vec<(f64, TechIdx, usize)> = Vec::new();
        for &t in techs {
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
