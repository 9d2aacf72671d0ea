//! Set partitioning over route columns: pick at most one route per technician so that each
//! job is in at most one picked route, paying the unassigned cost of the rest.
//!
//! As a MIP over every feasible route ([`super::enumerate_routes`]) it is the exact
//! optimum; over a pool of routes found by the search it recombines them; its LP
//! relaxation over a complete column set is a lower bound.

use super::backend::{Limits, Model};
use super::enumerate::Column;
use crate::error::Result;
use crate::model::Problem;
use crate::policy::{Objective, COST_SCALE};

/// The picked columns and the objective of the model (currency).
#[derive(Debug, Clone)]
pub struct Partition {
    /// Indices into the column slice, in increasing order (integer solves only).
    pub chosen: Vec<usize>,
    /// Objective value in currency: picked route costs plus unassigned costs.
    pub objective: f64,
    /// True when the backend proved the value optimal for the model.
    pub optimal: bool,
}

/// Solves the set-partitioning model over `columns` (costs in micro-currency), as a MIP
/// when `integer` or as its LP relaxation otherwise, within `time_limit` seconds.
pub fn partition(
    p: &Problem,
    obj: &Objective,
    columns: &[Column],
    integer: bool,
    time_limit: Option<f64>,
) -> Result<Partition> {
    let model = Partitioning { per_tech: &vec![1; p.technicians.len()], start: &[] };
    model.solve(p, obj, columns, integer, Limits { time_limit, ..Limits::default() })
}

/// The general model: `per_tech[t]` routes of technician `t` at most (a technician class
/// under its representative may drive as many routes as it has members), and an optional
/// MIP start (indices of columns picked in a feasible solution, e.g. the incumbent plan).
pub struct Partitioning<'a> {
    /// Most columns per technician, by technician index.
    pub per_tech: &'a [usize],
    /// Columns of a known feasible solution (empty = none).
    pub start: &'a [usize],
}

impl Partitioning<'_> {
    /// Solves over `columns` (costs in micro-currency) within `limits`.
    pub fn solve(
        &self,
        p: &Problem,
        obj: &Objective,
        columns: &[Column],
        integer: bool,
        limits: Limits,
    ) -> Result<Partition> {
        let unassigned_all: f64 =
            (0..p.jobs.len()).map(|j| obj.unassigned_cost(j) as f64 / COST_SCALE).sum();
        if columns.is_empty() {
            return Ok(Partition { chosen: Vec::new(), objective: unassigned_all, optimal: true });
        }
        let mut picked = vec![false; columns.len()];
        let warm = integer && !self.start.is_empty();
        let mut covered = vec![false; p.jobs.len()];
        for &c in self.start {
            picked[c] = true;
            columns[c].jobs.iter().for_each(|&j| covered[j] = true);
        }
        let mut m = Model::new();
        let lambda: Vec<usize> = columns
            .iter()
            .enumerate()
            .map(|(c, col)| {
                let cost = col.cost as f64 / COST_SCALE;
                if warm {
                    m.binary_from(cost, picked[c])
                } else if integer {
                    m.binary(cost)
                } else {
                    m.var(0.0, 1.0, cost)
                }
            })
            .collect();
        let mut per_job: Vec<Vec<(usize, f64)>> = vec![Vec::new(); p.jobs.len()];
        let mut per_tech: Vec<Vec<(usize, f64)>> = vec![Vec::new(); p.technicians.len()];
        for (c, col) in columns.iter().enumerate() {
            per_tech[col.tech].push((lambda[c], 1.0));
            for &j in &col.jobs {
                per_job[j].push((lambda[c], 1.0));
            }
        }
        let mut constant = 0.0;
        for (j, mut row) in per_job.into_iter().enumerate() {
            let u = obj.unassigned_cost(j) as f64 / COST_SCALE;
            if row.is_empty() {
                constant += u;
                continue;
            }
            let slack = if warm {
                m.var_from(0.0, 1.0, u, if covered[j] { 0.0 } else { 1.0 })
            } else {
                m.var(0.0, 1.0, u)
            };
            row.push((slack, 1.0));
            m.eq(&row, 1.0);
        }
        for (t, row) in per_tech.into_iter().enumerate() {
            let most = self.per_tech.get(t).copied().unwrap_or(1);
            if row.len() > most {
                m.le(&row, most as f64);
            }
        }
        let s = m.solve(limits)?;
        let chosen = if integer {
            (0..columns.len()).filter(|&c| s.values[lambda[c]] > 0.5).collect()
        } else {
            Vec::new()
        };
        Ok(Partition { chosen, objective: s.objective + constant, optimal: s.optimal })
    }
}
