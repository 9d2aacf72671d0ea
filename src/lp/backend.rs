//! A small model container over good_lp and the one place that talks to the compiled
//! backend (HiGHS or microlp). Variables are addressed by `usize` in creation order, so
//! the models in this module never hold backend types.

use good_lp::{
    variable, Constraint, Expression, ProblemVariables, Solution, SolverModel, Variable,
};

use crate::error::{Error, Result};

/// A minimisation model under construction.
pub struct Model {
    vars: ProblemVariables,
    handles: Vec<Variable>,
    costs: Vec<f64>,
    rows: Vec<Constraint>,
}

/// Outcome of [`Model::solve`].
#[derive(Debug, Clone)]
pub struct Solved {
    /// Value of every variable, by index.
    pub values: Vec<f64>,
    /// Objective value (sum of cost x value, plus nothing else).
    pub objective: f64,
    /// True when the backend proved the value optimal within [`Limits::mip_rel_gap`] and an
    /// absolute 1e-6 (false: a limit stopped it with a feasible solution).
    pub optimal: bool,
}

/// Limits for one solve.
#[derive(Debug, Clone, Copy, Default)]
pub struct Limits {
    /// Wall-clock cap in seconds (`None` = none).
    pub time_limit: Option<f64>,
    /// Relative MIP gap at which the search may stop (0 = prove optimality; HiGHS also
    /// stops within an absolute gap of 1e-6 currency).
    pub mip_rel_gap: f32,
    /// Branch-and-bound nodes at most (HiGHS `mip_max_nodes`; `None` = no cap). Unlike a
    /// time cap it stops at the same point on every machine, for reproducible runs.
    pub max_nodes: Option<i32>,
    /// LPs only, HiGHS only: solve by interior point without crossover, so the values lie
    /// near the centre of the optimal face instead of at a vertex (microlp ignores it).
    pub central: bool,
}

impl Model {
    /// An empty model.
    pub fn new() -> Self {
        Model {
            vars: ProblemVariables::new(),
            handles: Vec::new(),
            costs: Vec::new(),
            rows: Vec::new(),
        }
    }

    /// Adds a continuous variable in `[lo, hi]` (`hi = f64::INFINITY` for none) with
    /// objective coefficient `cost`; returns its index.
    pub fn var(&mut self, lo: f64, hi: f64, cost: f64) -> usize {
        let def = if hi.is_finite() { variable().min(lo).max(hi) } else { variable().min(lo) };
        self.push(def, cost)
    }

    /// Adds a binary variable with objective coefficient `cost`; returns its index.
    pub fn binary(&mut self, cost: f64) -> usize {
        self.push(variable().binary(), cost)
    }

    /// [`Model::binary`] with a value in the MIP start (HiGHS starts from a feasible
    /// solution when every variable's start together is one; microlp ignores it).
    pub fn binary_from(&mut self, cost: f64, start: bool) -> usize {
        self.push(variable().binary().initial(if start { 1.0 } else { 0.0 }), cost)
    }

    /// [`Model::var`] with a value in the MIP start.
    pub fn var_from(&mut self, lo: f64, hi: f64, cost: f64, start: f64) -> usize {
        self.push(variable().min(lo).max(hi).initial(start), cost)
    }

    fn push(&mut self, def: good_lp::VariableDefinition, cost: f64) -> usize {
        self.handles.push(self.vars.add(def));
        self.costs.push(cost);
        self.handles.len() - 1
    }

    fn expr(&self, terms: &[(usize, f64)]) -> Expression {
        let mut e = Expression::with_capacity(terms.len());
        for &(v, c) in terms {
            e.add_mul(c, self.handles[v]);
        }
        e
    }

    /// Adds `sum terms <= rhs`.
    pub fn le(&mut self, terms: &[(usize, f64)], rhs: f64) {
        let e = self.expr(terms);
        self.rows.push(e.leq(rhs));
    }

    /// Adds `sum terms == rhs`.
    pub fn eq(&mut self, terms: &[(usize, f64)], rhs: f64) {
        let e = self.expr(terms);
        self.rows.push(e.eq(rhs));
    }

    /// Solves with the compiled backend: HiGHS on one thread (deterministic) or microlp.
    /// An infeasible or failed solve, or a time limit without any solution, is an
    /// [`Error::Solver`].
    pub fn solve(self, limits: Limits) -> Result<Solved> {
        let Model { vars, handles, costs, rows } = self;
        let mut objective = Expression::with_capacity(handles.len());
        for (h, &c) in handles.iter().zip(&costs) {
            if c != 0.0 {
                objective.add_mul(c, *h);
            }
        }
        let problem = vars.minimise(objective);
        let read = |sol: &dyn Fn(Variable) -> f64, optimal: bool| {
            let values: Vec<f64> = handles.iter().map(|&h| sol(h)).collect();
            let objective = values.iter().zip(&costs).map(|(v, c)| v * c).sum();
            Solved { values, objective, optimal }
        };
        let fail = |e: good_lp::ResolutionError| Error::Solver(format!("LP backend: {e}"));
        #[cfg(feature = "lp-highs")]
        {
            let mut m = problem
                .using(good_lp::solvers::highs::highs)
                .set_threads(1)
                .set_mip_rel_gap(limits.mip_rel_gap.max(0.0))
                .map_err(|e| Error::Solver(format!("LP backend: {e}")))?;
            m.set_verbose(false);
            if let Some(t) = limits.time_limit {
                m = m.set_time_limit(t.max(0.01));
            }
            if let Some(n) = limits.max_nodes {
                m = m.set_option("mip_max_nodes", n.max(1));
            }
            if limits.central {
                m = m.set_option("solver", "ipm").set_option("run_crossover", "off");
            }
            for r in rows {
                m.add_constraint(r);
            }
            let sol = m.solve().map_err(fail)?;
            let optimal = matches!(
                sol.status(),
                good_lp::SolutionStatus::Optimal | good_lp::SolutionStatus::GapLimit
            );
            Ok(read(&|v| sol.value(v), optimal))
        }
        #[cfg(all(feature = "lp-microlp", not(feature = "lp-highs")))]
        {
            use good_lp::{WithMipGap, WithTimeLimit};
            // microlp has no node cap: only its time limit stops it early.
            let _ = (limits.max_nodes, limits.central);
            let mut m = problem
                .using(good_lp::solvers::microlp::microlp)
                .with_mip_gap(limits.mip_rel_gap.max(0.0))
                .map_err(|e| Error::Solver(format!("LP backend: {e}")))?;
            if let Some(t) = limits.time_limit {
                m = m.with_time_limit(t.max(0.01));
            }
            for r in rows {
                m.add_constraint(r);
            }
            let sol = m.solve().map_err(fail)?;
            let optimal = matches!(sol.status(), good_lp::SolutionStatus::Optimal);
            Ok(read(&|v| sol.value(v), optimal))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solves_a_tiny_lp_and_mip() {
        // min -x - y  s.t. x + 2y <= 4, 3x + y <= 6, x, y in [0, 10]: optimum at (1.6, 1.2).
        let mut m = Model::new();
        let x = m.var(0.0, 10.0, -1.0);
        let y = m.var(0.0, 10.0, -1.0);
        m.le(&[(x, 1.0), (y, 2.0)], 4.0);
        m.le(&[(x, 3.0), (y, 1.0)], 6.0);
        let s = m.solve(Limits::default()).unwrap();
        assert!((s.objective + 2.8).abs() < 1e-6, "{}", s.objective);
        assert!(s.optimal);
        // Binary knapsack: values 5, 4, 3 weights 4, 3, 2, capacity 5 -> take 2 and 3 = 7.
        let mut m = Model::new();
        let v: Vec<usize> = [5.0, 4.0, 3.0].iter().map(|&c| m.binary(-c)).collect();
        m.le(&[(v[0], 4.0), (v[1], 3.0), (v[2], 2.0)], 5.0);
        let s = m.solve(Limits { time_limit: Some(10.0), ..Limits::default() }).unwrap();
        assert!((s.objective + 7.0).abs() < 1e-6, "{}", s.objective);
        assert!(s.values[0] < 0.5 && s.values[1] > 0.5 && s.values[2] > 0.5);
    }

    #[test]
    fn infeasible_is_an_error() {
        let mut m = Model::new();
        let x = m.var(0.0, 1.0, 1.0);
        m.eq(&[(x, 1.0)], 2.0);
        assert!(matches!(m.solve(Limits::default()), Err(Error::Solver(_))));
    }
}
