use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::Arc;

use crate::policy::Policy;

/// How to solve: seed, threads, and when to stop.
///
/// With `iterations` set the result depends only on the problem, the seed and the
/// iteration budget (not on `threads` or machine speed). `time_limit` is a ceiling in
/// seconds; a run stopped by it is not reproducible.
#[derive(Debug, Clone, Default)]
pub struct SolveParams {
    /// Seed of all random choices.
    pub seed: u64,
    /// Worker threads; `None` = all cores.
    pub threads: Option<usize>,
    /// Wall-clock ceiling in seconds; `None` = no ceiling.
    pub time_limit: Option<f64>,
    /// Search iterations in total (ruin-and-recreate steps summed over all workers);
    /// `None` = a default scaled to the problem size when there is no time limit.
    pub iterations: Option<u64>,
    /// Set to true from another thread to stop early; the best plan so far is returned.
    pub cancel: Option<Arc<AtomicBool>>,
    /// Counters the search updates as it goes (for progress bars); never blocks.
    pub progress: Option<Arc<Progress>>,
    /// Objective weights to use instead of the problem's own `policy`.
    pub policy: Option<Policy>,
    /// What to solve: routes (default) or an exact job-to-technician assignment.
    pub mode: Mode,
    /// Also compute a lower bound on the objective (`kpis.lower_bound`, `kpis.gap`,
    /// `kpis.bound_method`) with the LP backend; ignored in builds without one.
    pub lower_bound: bool,
    /// Seconds the bound's column generation may run (`None`: 30; 0: only the arc-flow
    /// LP); setting it asks for the bound as `lower_bound` does. Hard days converge later:
    /// on Solomon the mean gap to the distance-only best known is 3.2 % with 20 s and
    /// 1.6 % with 60 s, R2 and RC2 8-10 % and 4-5 %
    /// (`benches/results/lp_bound_solomon_scaled.md`, `lp_bound_solomon_farley.md`).
    /// Days with many distinct technicians get the arc-flow LP, a loose floor (48 % below
    /// a 500-job plan whose work fits, `lp_bound_region500.md`).
    pub bound_seconds: Option<f64>,
    /// Whether to split a large day into parts solved in parallel first (default: above
    /// [`DECOMPOSE_ABOVE_JOBS`](crate::solver::DECOMPOSE_ABOVE_JOBS) jobs). Used by
    /// [`crate::solve`]; [`crate::solver::solve_with`] takes it from its options instead.
    pub decompose: Decompose,
}

impl SolveParams {
    /// The search options [`crate::solve`] uses: the defaults with this `decompose`.
    // The update keeps options added later at their defaults.
    #[allow(clippy::needless_update)]
    pub fn solver_options(&self) -> SolverOptions {
        SolverOptions { decompose: self.decompose, ..SolverOptions::default() }
    }

    /// Threads the solve uses: `threads`, or rayon's default; at least one.
    pub fn thread_count(&self) -> usize {
        self.threads.unwrap_or_else(rayon::current_num_threads).max(1)
    }

    /// Runs `f` on a pool of [`SolveParams::thread_count`] threads, so every parallel
    /// part of a solve (search, reasons, the bound) keeps to the thread count asked for;
    /// on the caller's pool when one cannot be built.
    pub fn on_threads<R: Send>(&self, f: impl FnOnce() -> R + Send) -> R {
        match rayon::ThreadPoolBuilder::new().num_threads(self.thread_count()).build() {
            Ok(pool) => pool.install(f),
            Err(_) => f(),
        }
    }
}

/// What [`crate::solve`] optimises.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Mode {
    /// Assignment and routing by the parallel search (the default).
    #[default]
    Route,
    /// Generalised assignment solved exactly as a MIP (`lp` module), then each
    /// technician's jobs sequenced into a feasible route. Needs an LP backend; without one
    /// it falls back to `Route`.
    Assign,
}

impl std::str::FromStr for Mode {
    type Err = crate::Error;

    /// `"route"` or `"assign"` (case-insensitive); anything else is an error naming `mode`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "route" | "routing" => Ok(Mode::Route),
            "assign" | "assignment" => Ok(Mode::Assign),
            other => Err(crate::Error::invalid(
                "mode",
                format!("unknown mode {other:?}; expected \"route\" or \"assign\""),
            )),
        }
    }
}

/// Live counters of a running solve, written by the workers with relaxed atomics.
#[derive(Debug, Default)]
pub struct Progress {
    /// Iterations done so far, all workers together.
    pub iterations: AtomicU64,
    /// Best objective so far in micro-currency (`i64::MAX` before the first solution).
    pub best_objective: AtomicI64,
    /// Jobs assigned in the best solution so far.
    pub best_assigned: AtomicU64,
}

impl Progress {
    /// Fresh counters.
    pub fn new() -> Self {
        Progress {
            iterations: AtomicU64::new(0),
            best_objective: AtomicI64::new(i64::MAX),
            best_assigned: AtomicU64::new(0),
        }
    }

    /// Records a new best if it is better than the stored one.
    pub fn offer(&self, objective: i64, assigned: u64) {
        let prev = self.best_objective.fetch_min(objective, Ordering::Relaxed);
        if objective < prev {
            self.best_assigned.store(assigned, Ordering::Relaxed);
        }
    }
}

/// Options of the routing search that [`crate::solver::solve_with`] takes next to
/// [`SolveParams`]. (They are not fields of `SolveParams` because some callers build that
/// struct field by field, without `..Default::default()`, and a new field would break them;
/// `decompose` is in both, and [`crate::solve`] passes `SolveParams::decompose` here.)
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SolverOptions {
    /// Whether to split the day into geographic parts solved in parallel first.
    pub decompose: Decompose,
    /// LP assists of the search (route-pool recombination, assignment-MIP fallback).
    pub lp: LpAssist,
}

/// The LP assists of the routing search (`solver::pool`, `solver::fallback`); both need an
/// LP backend and are skipped without one or above 2,000 servable jobs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LpAssist {
    /// Pool the routes of the workers' solutions and solve a set-partitioning MIP over
    /// them at 30, 50, 70 and 85 % of the budget (each within 2 % of a time limit). Off:
    /// no measurable gain at 30 s (benches/results/recombination.md).
    pub recombine: bool,
    /// After the search, if high-priority jobs stay unassigned (or nothing is routed),
    /// try the assignment MIP with them required, sequenced, and keep it if better.
    pub fallback: bool,
}

impl Default for LpAssist {
    fn default() -> Self {
        LpAssist { recombine: false, fallback: true }
    }
}

/// Decomposition of large days (`solver::decompose`): technicians are split by `team` when
/// they have one (whole teams per part, small neighbouring teams grouped) and by the
/// geography of their start locations, each job follows its nearest eligible technician,
/// the parts are solved as separate problems in parallel, merged into one plan, and the
/// search then continues on the whole plan across the part boundaries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Decompose {
    /// Split when the day has more than
    /// [`DECOMPOSE_ABOVE_JOBS`](crate::solver::DECOMPOSE_ABOVE_JOBS) servable jobs, into
    /// parts of about [`PART_JOBS`](crate::solver::PART_JOBS) jobs.
    #[default]
    Auto,
    /// Never split.
    Off,
    /// Always split into this many parts (at most one per technician; fewer than two means
    /// no split), whatever the size: for tests and experiments. With teams, a team is split
    /// only when it has more technicians than a part's share.
    Parts(usize),
}

impl std::str::FromStr for Decompose {
    type Err = crate::Error;

    /// `"auto"`, `"off"` or a number of parts (`"0"` and `"1"` mean no split, like
    /// `off`); anything else is an error naming `decompose`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(Decompose::Auto),
            "off" | "none" => Ok(Decompose::Off),
            other => other.parse::<usize>().map(Decompose::Parts).map_err(|_| {
                crate::Error::invalid(
                    "decompose",
                    format!(
                        "unknown value {other:?}; expected \"auto\", \"off\" or a number of parts"
                    ),
                )
            }),
        }
    }
}
