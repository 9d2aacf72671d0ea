//! The three cheapest approximate insertion positions of a job in a route, cached per
//! (job, route content). SWAP* needs the best insertion of `x` into route `t` with one job
//! removed for every partner it tries; scanning `t` each time cost O(route length) per pair
//! and was the largest share of search time on long routes. As in HGS (Vidal 2022), the
//! best position with the job at `skip` removed is the best of the top three that are not
//! next to `skip`, or `skip`'s own place: O(1) per pair once the top three of `(x, t)` are
//! known, and those stay valid until `t` changes.

use super::arcs;
use crate::model::{JobIdx, TechIdx};
use crate::solver::context::Ctx;
use crate::solver::solution::Solution;

/// Cached routes per job. SWAP* asks a job about the routes of its granular neighbours and
/// of the jobs that have it as a neighbour, usually a handful; a full set replaces its
/// oldest entry (which only costs a rescan later, never a wrong answer).
const WAYS: usize = 8;

/// The three cheapest positions of one job in one route, in (cost, position) order; unused
/// slots have infinite cost and position `u32::MAX`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Top3 {
    cost: [f64; 3],
    pos: [u32; 3],
}

impl Top3 {
    const EMPTY: Top3 = Top3 { cost: [f64::INFINITY; 3], pos: [u32::MAX; 3] };

    /// Scans every position of route `t` for `x`, by the same arc delta as [`insert_cost`].
    fn scan(sol: &Solution, ctx: &Ctx, x: JobIdx, t: TechIdx) -> Top3 {
        let mut top = Top3::EMPTY;
        for k in 0..=sol.routes[t].len() {
            top.add(insert_cost(sol, ctx, x, t, k, k), k as u32);
        }
        top
    }

    /// Keeps `(c, k)` if it is among the three cheapest so far. Positions arrive in
    /// increasing order and only a strictly cheaper one moves ahead, so ties stay ordered
    /// by position, as a scan that keeps the first minimum would have them.
    fn add(&mut self, c: f64, k: u32) {
        if c >= self.cost[2] {
            return;
        }
        let mut i = 2;
        while i > 0 && c < self.cost[i - 1] {
            self.cost[i] = self.cost[i - 1];
            self.pos[i] = self.pos[i - 1];
            i -= 1;
        }
        self.cost[i] = c;
        self.pos[i] = k;
    }

    /// Cheapest approximate insertion of `x` into route `t` with the job at position `skip`
    /// removed: `(cost, position in the route without it)`, `self` being the top three of
    /// `(x, t)`. Every position of the shorter route is either an arc of `t` not touching
    /// `skip` (the same cost as in `t`) or the new arc over `skip`'s place; at most two of
    /// the top three touch `skip`, so the first one that does not is the best of the
    /// former. Ties go to the earlier position, so the answer equals a full scan's.
    pub(crate) fn without(
        &self,
        sol: &Solution,
        ctx: &Ctx,
        x: JobIdx,
        t: TechIdx,
        skip: usize,
    ) -> (f64, usize) {
        let over = (insert_cost(sol, ctx, x, t, skip, skip + 1), skip);
        let kept = self
            .cost
            .iter()
            .zip(self.pos.map(|k| k as usize))
            .take_while(|&(_, k)| k != u32::MAX as usize)
            .find(|&(_, k)| k != skip && k != skip + 1)
            .map(|(&c, k)| (c, if k < skip { k } else { k - 1 }));
        match kept {
            Some((c, k)) if c < over.0 || (c == over.0 && k < over.1) => (c, k),
            _ => over,
        }
    }
}

/// Approximate cost of putting `x` between the node before position `before` and the node
/// at position `after` of route `t` (`after == before`: an insertion at `before`;
/// `after == before + 1`: in place of the job at `before`).
#[inline]
fn insert_cost(
    sol: &Solution,
    ctx: &Ctx,
    x: JobIdx,
    t: TechIdx,
    before: usize,
    after: usize,
) -> f64 {
    let p = ctx.p;
    let r = &sol.routes[t];
    let (a, b, lx) = (r.loc_before(p, before), r.loc_at(p, after), p.jobs[x].loc);
    arcs(ctx, t, &[(a, lx), (lx, b)], &[(a, b)])
}

/// [`Top3`]s per (job, route content) in flat vectors: job `x` owns slots
/// `x * WAYS .. (x + 1) * WAYS`, each keyed by the [`crate::routing::Route::stamp`] it was
/// computed for. A route that changes gets a new stamp, so its old entries never match
/// again, and a restored or cloned route keeps a stamp that still describes it; entries
/// therefore stay valid across local-search calls and search steps. The values also depend
/// on the [`Ctx`], so the cache starts empty whenever it is used with another one.
#[derive(Default)]
pub(crate) struct InsertCache {
    /// Stamp per slot (0: empty; no route has stamp 0).
    stamps: Vec<u64>,
    /// Value per slot.
    tops: Vec<Top3>,
    /// Per job: the slot to replace next.
    next: Vec<u8>,
    /// Address of the [`Ctx`] the entries were computed under.
    owner: usize,
}

impl InsertCache {
    /// The top three insertion positions of `x` in route `t` of `sol`, from the cache when
    /// `t` has not changed since they were computed.
    pub(crate) fn top3(&mut self, sol: &Solution, ctx: &Ctx, x: JobIdx, t: TechIdx) -> Top3 {
        self.prepare(ctx);
        let stamp = sol.routes[t].stamp();
        let base = x * WAYS;
        if let Some(w) = self.stamps[base..base + WAYS].iter().position(|&s| s == stamp) {
            return self.tops[base + w];
        }
        let top = Top3::scan(sol, ctx, x, t);
        let w = self.next[x] as usize;
        self.next[x] = ((w + 1) % WAYS) as u8;
        self.stamps[base + w] = stamp;
        self.tops[base + w] = top;
        top
    }

    /// Sizes the cache for `ctx`'s jobs, empty, unless it already serves `ctx`.
    fn prepare(&mut self, ctx: &Ctx) {
        let owner = ctx as *const Ctx as usize;
        let n = ctx.p.jobs.len();
        if self.owner == owner && self.next.len() == n {
            return;
        }
        self.owner = owner;
        self.stamps.clear();
        self.stamps.resize(n * WAYS, 0);
        self.tops.clear();
        self.tops.resize(n * WAYS, Top3::EMPTY);
        self.next.clear();
        self.next.resize(n, 0);
    }
}
