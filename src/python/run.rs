//! Running a solve with the GIL released while staying responsive to Ctrl-C.
//!
//! The solve runs on a scoped worker thread; the calling thread (usually Python's main
//! thread, the only one that sees signals) wakes every [`TICK`], re-attaches to the
//! interpreter just long enough to call `check_signals`, and on an exception (Ctrl-C is
//! `KeyboardInterrupt`) sets the solver's cancel flag and waits for the best plan so far.
//! Worker threads never take the GIL.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::Arc;
use std::time::Duration;

use pyo3::prelude::*;

use super::errors::guarded;
use crate::error::{Error, Result};
use crate::model::Problem;
use crate::plan::Plan;
use crate::solver::{solve, Progress, SolveParams};

/// How often the waiting thread checks for signals.
const TICK: Duration = Duration::from_millis(200);

/// What a watched solve produced: the plan (or the engine's error), and the exception a
/// signal handler raised during the solve, if any (the solve was then cancelled early).
pub(super) struct Watched {
    pub plan: Result<Plan>,
    pub signal: Option<PyErr>,
}

/// Solves `problem` with the GIL released, checking for signals every [`TICK`] and, when
/// `progress` is given, calling it then with `(iterations, best_objective, assigned,
/// elapsed_seconds)` (`best_objective` is `None` before the first solution). An exception
/// raised by the callback cancels the solve like a signal does.
pub(super) fn solve_watched(
    py: Python<'_>,
    problem: &Problem,
    mut params: SolveParams,
    progress: Option<Py<PyAny>>,
) -> Watched {
    let cancel = params.cancel.get_or_insert_with(|| Arc::new(AtomicBool::new(false))).clone();
    let counters = params.progress.get_or_insert_with(|| Arc::new(Progress::new())).clone();
    let started = std::time::Instant::now();
    let poll = move |py: Python<'_>| -> PyResult<()> {
        py.check_signals()?;
        if let Some(cb) = &progress {
            let best = counters.best_objective.load(Ordering::Relaxed);
            let best = (best != i64::MAX).then(|| best as f64 / crate::policy::COST_SCALE);
            let args = (
                counters.iterations.load(Ordering::Relaxed),
                best,
                counters.best_assigned.load(Ordering::Relaxed),
                started.elapsed().as_secs_f64(),
            );
            cb.call1(py, args)?;
        }
        Ok(())
    };
    py.detach(move || {
        std::thread::scope(|scope| {
            let (tx, rx) = mpsc::channel();
            let worker = std::thread::Builder::new().name("fieldopt-solve".into());
            let spawned = worker.spawn_scoped(scope, move || {
                let plan = guarded(|| Ok(solve(problem, &params)));
                // The receiver outlives this thread (same scope), so send cannot fail.
                let _ = tx.send(plan);
            });
            if let Err(e) = spawned {
                let plan = Err(Error::Solver(format!("cannot start the solver thread: {e}")));
                return Watched { plan, signal: None };
            }
            let mut signal = None;
            loop {
                match rx.recv_timeout(TICK) {
                    Ok(plan) => return Watched { plan, signal },
                    Err(RecvTimeoutError::Timeout) if signal.is_none() => {
                        if let Err(e) = Python::attach(&poll) {
                            cancel.store(true, Ordering::Relaxed);
                            signal = Some(e);
                        }
                    }
                    Err(RecvTimeoutError::Timeout) => {}
                    Err(RecvTimeoutError::Disconnected) => {
                        let plan = Err(Error::Solver("solver thread ended without a plan".into()));
                        return Watched { plan, signal };
                    }
                }
            }
        })
    })
}
