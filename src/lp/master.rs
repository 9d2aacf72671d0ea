//! The restricted master of column generation ([`super::colgen`]): its dual, solved for
//! the prices pricing reads, and its primal, solved for the route values that subset-row
//! cuts are separated from ([`super::cuts`]).

use std::time::Instant;

use super::backend::{Limits, Model};
use super::colgen::{ColGen, Column};
use super::cuts::SubsetRows;
use crate::error::{Error, Result};

/// The restricted master's dual: job prices (by servable slot), class fleet prices and cut
/// prices (all currency, `>= 0`) and its value.
pub(super) struct Dual {
    pub(super) pi: Vec<f64>,
    pub(super) nu: Vec<f64>,
    pub(super) mu: Vec<f64>,
    pub(super) value: f64,
}

impl ColGen<'_> {
    /// Solves the dual of the restricted master: max `sum pi - sum K_c nu_c - sum mu_s`
    /// subject to `sum_{j in r} pi_j - nu_c - sum_s a_sr mu_s <= cost_r` per column, where
    /// `a_sr` is the route's coefficient in cut `s`. Returns the prices (job prices clamped
    /// to `[0, penalty]`), the fleet and cut prices and the value.
    ///
    /// The prices are central: HiGHS solves by interior point without crossover, so they
    /// lie inside the face of optimal prices rather than at one of its vertices. From a
    /// warm start the master is highly degenerate (the plan's routes, all at one, admit
    /// many optimal prices) and a vertex puts everything on a few jobs (23 of 100 priced
    /// on R202), so pricing there returns routes through those jobs only; central prices
    /// spread over all jobs (with them and the spread of columns, 37 instead of 25 Solomon
    /// bounds certified within 20 s: benches/results/lp_bound_solomon_central.md). A
    /// failed interior solve is retried by simplex; microlp has only simplex.
    pub(super) fn solve_dual(
        &self,
        cols: &[Column],
        cuts: &SubsetRows,
        seconds: f64,
    ) -> Result<Dual> {
        let started = Instant::now();
        match self.solve_dual_with(cols, cuts, seconds, true) {
            Err(_) if cfg!(feature = "lp-highs") => {
                let left = seconds - started.elapsed().as_secs_f64();
                self.solve_dual_with(cols, cuts, left, false)
            }
            x => x,
        }
    }

    /// [`ColGen::solve_dual`] with central (interior point) or vertex (simplex) prices.
    fn solve_dual_with(
        &self,
        cols: &[Column],
        cuts: &SubsetRows,
        seconds: f64,
        central: bool,
    ) -> Result<Dual> {
        let mut m = Model::new();
        let pi: Vec<usize> = self.penalty.iter().map(|&u| m.var(0.0, u.max(0.0), -1.0)).collect();
        let nu: Vec<usize> =
            self.classes.iter().map(|c| m.var(0.0, f64::INFINITY, c.size as f64)).collect();
        let mu: Vec<usize> = (0..cuts.len()).map(|_| m.var(0.0, f64::INFINITY, 1.0)).collect();
        for (c, cost, _, jobs) in cols {
            let mut row: Vec<(usize, f64)> =
                visits(jobs).into_iter().map(|(s, n)| (pi[s], n)).collect();
            row.push((nu[*c], -1.0));
            row.extend(cuts.coefficients(jobs).into_iter().map(|(s, a)| (mu[s], -a)));
            m.le(&row, *cost);
        }
        let limits = Limits { time_limit: Some(seconds.max(0.01)), central, ..Limits::default() };
        let s = m.solve(limits)?;
        if !s.optimal {
            return Err(Error::Solver("column generation master hit its time limit".into()));
        }
        // The Lagrangian bound is valid only for prices within the master's bounds; an
        // interior solution may overshoot them by its tolerance.
        let prices = pi
            .iter()
            .zip(&self.penalty)
            .map(|(&v, &u)| s.values[v].clamp(0.0, u.max(0.0)))
            .collect();
        let nonneg = |v: &[usize]| v.iter().map(|&v| s.values[v].max(0.0)).collect();
        Ok(Dual { pi: prices, nu: nonneg(&nu), mu: nonneg(&mu), value: -s.objective })
    }

    /// The restricted master itself: min `sum cost_r x_r + sum penalty_j u_j` with every
    /// job covered (`sum_{r ni j} x_r + u_j >= 1`), at most `K_c` routes per class and the
    /// cuts. Returns `x` by column, at a vertex (simplex), whose fractional routes are what
    /// separation reads.
    pub(super) fn solve_primal(
        &self,
        cols: &[Column],
        cuts: &SubsetRows,
        seconds: f64,
    ) -> Result<Vec<f64>> {
        let mut m = Model::new();
        let x: Vec<usize> = cols.iter().map(|c| m.var(0.0, f64::INFINITY, c.1)).collect();
        let mut cover: Vec<Vec<(usize, f64)>> =
            self.penalty.iter().map(|&u| vec![(m.var(0.0, 1.0, u), -1.0)]).collect();
        let mut fleet: Vec<Vec<(usize, f64)>> = vec![Vec::new(); self.classes.len()];
        let mut cut_rows: Vec<Vec<(usize, f64)>> = vec![Vec::new(); cuts.len()];
        for ((c, _, _, jobs), &v) in cols.iter().zip(&x) {
            for (s, n) in visits(jobs) {
                cover[s].push((v, -n));
            }
            fleet[*c].push((v, 1.0));
            for (s, a) in cuts.coefficients(jobs) {
                cut_rows[s].push((v, a));
            }
        }
        for row in &cover {
            m.le(row, -1.0);
        }
        for (row, class) in fleet.iter().zip(&self.classes) {
            if !row.is_empty() {
                m.le(row, class.size as f64);
            }
        }
        for row in cut_rows.iter().filter(|r| !r.is_empty()) {
            m.le(row, 1.0);
        }
        let limits = Limits { time_limit: Some(seconds.max(0.01)), ..Limits::default() };
        let s = m.solve(limits)?;
        if !s.optimal {
            return Err(Error::Solver("column generation primal hit its time limit".into()));
        }
        Ok(x.iter().map(|&v| s.values[v]).collect())
    }
}

/// How often a route visits each of its jobs: `(servable slot, visits)`, each slot once
/// (an ng-route may come back to a job).
fn visits(jobs: &[usize]) -> Vec<(usize, f64)> {
    let mut out: Vec<(usize, f64)> = Vec::with_capacity(jobs.len());
    for &s in jobs {
        match out.iter_mut().find(|(t, _)| *t == s) {
            Some(e) => e.1 += 1.0,
            None => out.push((s, 1.0)),
        }
    }
    out
}
