//! The Lagrangian bound at scaled-down prices: the last step of a column generation that
//! the clock stopped before its master converged.
//!
//! The Lagrangian bound `sum pi - sum mu + sum_c K_c min(0, rc_c)` pays the class's
//! minimum reduced cost once per technician of the class. When a class has many more
//! technicians than a plan needs (Solomon: 25 vehicles, and R2 plans use far fewer), an
//! unconverged master's prices make that term swamp the bound: on R203 at 20 s the best
//! Lagrangian value was about -810 against a master at 875. Prices scaled by `theta` in
//! `[0, 1]` are still valid (job prices stay within `[0, penalty]`, cut prices `>= 0`), and
//! at the `theta` where no route has a negative reduced cost the bound is `theta` times
//! the price sum (Farley's bound for set covering). `theta` comes from Dinkelbach's
//! iteration for the largest ratio of a route's prices to its cost: start at 1, price,
//! and take as the next `theta` the smallest cost-to-prices ratio among the negative
//! routes found, until none is negative. Real routes come first; the coarse estimate's
//! may collect a job's price twice, so their ratio can take `theta` far below where the
//! search finishes, and they are used only when the search found none. Each step is one
//! pricing (the exact search, or the coarse estimate where that is cut short) and every
//! step's value is a valid bound.
//!
//! Where the exact search is slow (R204: 5-9 s a run), it rarely finishes at the master's
//! last prices in the time left, and the coarse estimate's steps stay far below zero. A
//! run that saw the exact search finish for every class keeps those prices and the
//! Dinkelbach step its routes give ([`ExactPoint`]), stops the rounds while one such
//! search's time is left, and starts the iteration there ([`ColGen::farley_bound`]): at
//! scaled-down prices the exact search finishes in a fraction of that time. What time is
//! left after goes to the iteration at the master's last prices.

use std::time::Instant;

use rayon::prelude::*;

use super::colgen::{ColGen, EPS};
use super::cuts::SubsetRows;
use super::pricing::{Priced, Prices, Pricing};

/// Most pricing steps the scaled bound takes.
const STEPS: usize = 8;
/// Routes of each class the coarse estimate returns for the next `theta`.
const KEEP: usize = 8;
/// The rounds stop for [`ColGen::farley_bound`] when less than this many exact searches'
/// time is left.
const ROOM: f64 = 1.0;

/// Prices at which the exact search finished for every class and found routes below
/// zero, the first Dinkelbach step from them, and how long that search took.
pub(super) struct ExactPoint {
    /// Job prices by servable slot and cut prices (currency).
    pi: Vec<f64>,
    mu: Vec<f64>,
    /// The smallest cost-to-prices ratio among the routes found: the next `theta`.
    pub(super) theta: f64,
    /// Seconds the exact search took over all classes.
    secs: f64,
}

impl ExactPoint {
    /// True when less than [`ROOM`] exact searches' time is left before `end`.
    pub(super) fn due(&self, end: Instant) -> bool {
        end.saturating_duration_since(Instant::now()).as_secs_f64() < ROOM * self.secs
    }

    /// True when the point's prices are `pi` and `mu` (cuts added since priced at 0).
    pub(super) fn priced_at(&self, pi: &[f64], mu: &[f64]) -> bool {
        self.pi == pi && mu.starts_with(&self.mu) && mu[self.mu.len()..].iter().all(|&v| v == 0.0)
    }
}

/// One class's pricing at scaled prices: a lower estimate of its minimum reduced cost
/// (capped at 0), the routes below zero the search found (cuts priced) and those of the
/// coarse estimate (a job may come back, cuts not priced) when the search was cut short.
struct Step {
    min_rc: f64,
    routes: Vec<Vec<u32>>,
    coarse: Vec<Vec<u32>>,
}

impl ColGen<'_> {
    /// The best Lagrangian bound over the prices `theta x (pi, mu)` tried by Dinkelbach's
    /// iteration from `theta = 1` (so never below the bound at `pi`, `mu` themselves),
    /// fleet prices at 0; `None` if not one step finished by `deadline`. `pi` are the job
    /// prices by servable slot and `mu` the prices of `cuts` (currency, both `>= 0`).
    pub(super) fn scaled_bound(
        &self,
        pi: &[f64],
        mu: &[f64],
        cuts: &SubsetRows,
        deadline: Instant,
    ) -> Option<f64> {
        self.dinkelbach(pi, mu, cuts, deadline, 1.0, 2.0 / 3.0)
    }

    /// The point to start [`Self::farley_bound`] from, after an exact search at prices
    /// `pi`, `mu` that took `secs` seconds and found `priced`; `None` unless it finished
    /// for every class and found a route below zero.
    pub(super) fn exact_point(
        &self,
        pi: &[f64],
        mu: &[f64],
        cuts: &SubsetRows,
        priced: &[Priced],
        secs: f64,
    ) -> Option<ExactPoint> {
        if priced.iter().any(|x| x.min_rc.is_none()) {
            return None;
        }
        let ratios = priced
            .iter()
            .enumerate()
            .flat_map(|(c, x)| x.routes.iter().map(move |r| self.ratio(c, r, pi, mu, cuts, true)));
        let theta = ratios.fold(1.0, f64::min);
        (theta < 1.0).then(|| ExactPoint { pi: pi.to_vec(), mu: mu.to_vec(), theta, secs })
    }

    /// The best Lagrangian bound over Dinkelbach's iteration from `point` (its prices,
    /// from its `theta` on), the exact search given most of the time: from there it
    /// usually finishes where the coarse estimate stays far below zero. `None` if not one
    /// step finished by `deadline`.
    pub(super) fn farley_bound(
        &self,
        point: &ExactPoint,
        cuts: &SubsetRows,
        deadline: Instant,
    ) -> Option<f64> {
        // Cuts added since take no price.
        let mut mu = point.mu.clone();
        mu.resize(cuts.len(), 0.0);
        self.dinkelbach(&point.pi, &mu, cuts, deadline, point.theta, 0.9)
    }

    /// Dinkelbach's iteration from `theta`, each step's exact search given `share` of
    /// the time left and the coarse estimate the rest.
    fn dinkelbach(
        &self,
        pi: &[f64],
        mu: &[f64],
        cuts: &SubsetRows,
        deadline: Instant,
        theta: f64,
        share: f64,
    ) -> Option<f64> {
        let total = pi.iter().sum::<f64>() - mu.iter().sum::<f64>();
        let mut theta = theta;
        let mut best: Option<f64> = None;
        for _ in 0..STEPS {
            let now = Instant::now();
            if now >= deadline {
                break;
            }
            let scaled: Vec<f64> = pi.iter().map(|v| v * theta).collect();
            let mu_s: Vec<f64> = mu.iter().map(|v| v * theta).collect();
            // The exact search may take `share` of what is left; the coarse estimate,
            // which always finishes, the rest.
            let search = now + (deadline - now).mul_f64(share);
            let steps: Vec<Option<Step>> = self
                .classes
                .par_iter()
                .map(|class| {
                    // Checked per class: a search started after the deadline still runs a
                    // while (without this the sample day's 50 classes ran 15 s over).
                    if Instant::now() >= deadline {
                        return None;
                    }
                    let mut q = Prices {
                        pi: &scaled,
                        nu: 0.0,
                        slot: &self.slot,
                        deadline: search,
                        cut_masks: &cuts.masks,
                        mu: &mu_s,
                    };
                    let x = class.price(self.p, &self.co, &q, Pricing::Exact, self.label_cap);
                    if let Some(min_rc) = x.min_rc {
                        return Some(Step { min_rc, routes: x.routes, coarse: Vec::new() });
                    }
                    // The coarse estimate ignores the cuts (a lower estimate).
                    q.deadline = deadline;
                    q.cut_masks = &[];
                    q.mu = &[];
                    let y = class.coarse(self.p, &self.co, &q, KEEP)?;
                    Some(Step { min_rc: y.min_rc, routes: x.routes, coarse: y.routes })
                })
                .collect();
            let Some(steps) = steps.into_iter().collect::<Option<Vec<Step>>>() else { break };
            let value = self.lagrangian(theta * total, steps.iter().map(|s| s.min_rc));
            if std::env::var_os("FIELDOPT_TRACE").is_some() {
                eprintln!("  scaled prices: theta {theta:.5} bound {value:.4}");
            }
            best = Some(best.map_or(value, |b| b.max(value)));
            // Dinkelbach's step: the largest ratio of prices to cost among the routes
            // below zero at this `theta`. Real routes first: the coarse estimate's may
            // collect a job's price twice, and their ratio can take `theta` far below
            // the one where the search finishes.
            let lowest = |coarse: bool| {
                let negative = steps.iter().enumerate().filter(|(_, s)| s.min_rc < -EPS);
                negative
                    .flat_map(|(c, s)| {
                        let routes = if coarse { &s.coarse } else { &s.routes };
                        routes.iter().map(move |r| self.ratio(c, r, pi, mu, cuts, !coarse))
                    })
                    .fold(theta, f64::min)
            };
            let stalled = |next: f64| next >= theta * (1.0 - 1e-9);
            let mut next = lowest(false);
            if stalled(next) {
                next = lowest(true);
            }
            if stalled(next) {
                break;
            }
            theta = next;
        }
        best
    }

    /// Cost over prices of route `r` (local nodes of class `c`, a job may come back) at
    /// the unscaled prices `pi` (and the cut prices `mu` when `with_cuts`): the `theta` at
    /// which its reduced cost is zero; 1 when its prices do not exceed its cost.
    fn ratio(
        &self,
        c: usize,
        r: &[u32],
        pi: &[f64],
        mu: &[f64],
        cuts: &SubsetRows,
        with_cuts: bool,
    ) -> f64 {
        let cost = self.classes[c].route_cost(self.p, &self.co, r);
        let mut prices = self.prices_of(c, r, pi);
        if with_cuts {
            prices -= self.cut_cost(c, r, cuts, mu);
        }
        if cost > 0.0 && prices > cost {
            cost / prices
        } else {
            1.0
        }
    }
}
