//! `fieldopt solve`: one problem, or every problem of a directory.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, OnceLock};
use std::time::{Duration, Instant};

use fieldopt::plan::verify::verify;
use fieldopt::plan::BoundMethod;
use fieldopt::travel::ExactTravel;
use fieldopt::{Plan, Problem, Progress, SolveParams};

use crate::{emit, load_problem, note, CmdResult, Fail, SolveArgs, EXIT_OK};

/// How often the main thread polls the solver's progress counters.
const POLL: Duration = Duration::from_millis(200);
/// Interval between progress lines when stderr is not a terminal.
const LOG_EVERY: Duration = Duration::from_secs(5);

/// Seconds per job that the solver keeps back from the limit it is given for building the
/// plan after its search (the solver's own `PLAN_BUILD_SECS_PER_JOB`, 100 us). The solver
/// caps its reserve at 10 % of that limit; [`solver_limit`] keeps the full reserve even
/// when reading the document left little of the budget.
const PLAN_BUILD_SECS_PER_JOB: f64 = 100e-6;
/// Seconds per job kept back for what the CLI does after the solve returns: serialising
/// and writing the plan, verifying it (the self-check) and exiting. Measured 20-35 ms at
/// 2,000 jobs on the loaded 2-core machine; 50 us/job leaves a margin.
const OUTPUT_SECS_PER_JOB: f64 = 50e-6;

/// The time limit (seconds) to give the solver so that a run limited to `limit` seconds
/// ends in time: `elapsed` seconds are already spent (reading, validating), the output
/// reserve is kept for the end, the rest is split evenly over `solves` solves (2 with
/// `--affinity`), and within each the search must stop [`PLAN_BUILD_SECS_PER_JOB`] per
/// job before its end. 0 when nothing is left: the solver then stops at once (its
/// construction is cut short too) and still returns a complete plan.
pub(crate) fn solver_limit(limit: f64, elapsed: f64, jobs: usize, solves: u32) -> f64 {
    let n = jobs as f64;
    let window = (limit - elapsed - OUTPUT_SECS_PER_JOB * n) / f64::from(solves.max(1));
    let build = PLAN_BUILD_SECS_PER_JOB * n;
    let search = window - build;
    if search <= 0.0 {
        0.0
    } else if build <= 0.1 * window {
        // The solver's own reserve is the whole of `build`: its search ends at `search`.
        window
    } else {
        // The solver keeps 10 % of what it is given: give it `search / 0.9`, so that its
        // search still ends at `search`.
        search / 0.9
    }
}

/// Runs `fieldopt solve`.
pub fn run(a: &SolveArgs) -> CmdResult {
    // The time limit covers the whole run: reading the document is part of it.
    let started = crate::process_start();
    // Resolved before any solve, so a bad name or file fails fast with exit 2.
    crate::compare::chosen_policy(a.policy.as_deref(), a.policy_file.as_deref())?;
    if a.problem.is_dir() {
        return run_dir(a);
    }
    let problem = load_problem(&a.problem)?;
    let plan = solve_one(&problem, a, started)?;
    let (text, affinity) = crate::affinity::plan_output(&problem, &plan, a, started)?;
    emit(a.output.as_deref(), &text)?;
    if !a.quiet {
        summary(&problem, &plan);
        affinity.iter().for_each(|x| note!("{}", x.summary_line()));
    }
    self_check(&problem, &plan)?;
    Ok(EXIT_OK)
}

/// Solves every `*.json` of a directory (sorted, `*.plan.json` skipped) into `-o DIR`,
/// continuing past failures; the exit code is the worst failure's (2 or 3), else 0.
fn run_dir(a: &SolveArgs) -> CmdResult {
    let dir = &a.problem;
    let Some(out_dir) = a.output.as_deref() else {
        return Err(Fail::input(format!(
            "{}: is a directory; solving a directory needs -o OUTPUT_DIR",
            dir.display()
        )));
    };
    let files = problem_files(dir)?;
    if files.is_empty() {
        return Err(Fail::input(format!("{}: no *.json problem files", dir.display())));
    }
    std::fs::create_dir_all(out_dir)
        .map_err(|e| Fail::input(format!("{}: cannot create directory: {e}", out_dir.display())))?;
    let (n, mut failed, mut worst) = (files.len(), Vec::new(), EXIT_OK);
    for (i, path) in files.iter().enumerate() {
        if interrupted() {
            let rest: Vec<String> = files[i..].iter().map(|p| p.display().to_string()).collect();
            note!("interrupted: {} problem(s) not solved: {}", rest.len(), rest.join(", "));
            return Err(Fail { code: EXIT_INTERRUPTED, message: String::new() });
        }
        if !a.quiet {
            note!("[{}/{n}] {}", i + 1, path.display());
        }
        let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let out = out_dir.join(format!("{stem}.plan.json"));
        // Each problem's time limit counts from the start of reading its file.
        let started = Instant::now();
        let res = load_problem(path).and_then(|problem| {
            let plan = solve_one(&problem, a, started)?;
            let (text, affinity) = crate::affinity::plan_output(&problem, &plan, a, started)?;
            emit(Some(&out), &text)?;
            if !a.quiet {
                summary(&problem, &plan);
                affinity.iter().for_each(|x| note!("{}", x.summary_line()));
            }
            self_check(&problem, &plan)
        });
        if let Err(f) = res {
            if !f.message.is_empty() {
                note!("error: {}", f.message);
            }
            worst = worst.max(f.code);
            failed.push(path.display().to_string());
        }
    }
    if failed.is_empty() {
        if !a.quiet {
            note!("solved {n} of {n} problems into {}", out_dir.display());
        }
        Ok(EXIT_OK)
    } else {
        note!("solved {} of {n} problems; failed: {}", n - failed.len(), failed.join(", "));
        Err(Fail { code: worst, message: String::new() })
    }
}

/// The `*.json` files of `dir` (not `*.plan.json`), sorted by path.
fn problem_files(dir: &Path) -> Result<Vec<PathBuf>, Fail> {
    let rd = std::fs::read_dir(dir)
        .map_err(|e| Fail::input(format!("{}: cannot read directory: {e}", dir.display())))?;
    let mut files: Vec<PathBuf> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().map(|s| s.to_string_lossy()).unwrap_or_default();
            p.is_file() && name.ends_with(".json") && !name.ends_with(".plan.json")
        })
        .collect();
    files.sort();
    Ok(files)
}

/// Solves on a worker thread while the calling thread reports progress on stderr. A
/// `--time-limit` counts from `started` (see [`solver_limit`]).
fn solve_one(problem: &Problem, a: &SolveArgs, started: Instant) -> Result<Plan, Fail> {
    let progress = Arc::new(Progress::new());
    let solves = if a.affinity { 2 } else { 1 };
    let time_limit = a
        .time_limit
        .map(|t| solver_limit(t, started.elapsed().as_secs_f64(), problem.jobs.len(), solves));
    let params = SolveParams {
        seed: a.seed,
        threads: a.threads.map(|t| t as usize),
        time_limit,
        iterations: a.iterations,
        progress: Some(Arc::clone(&progress)),
        cancel: Some(ctrl_c_flag()),
        policy: crate::compare::chosen_policy(a.policy.as_deref(), a.policy_file.as_deref())?,
        mode: a.mode,
        lower_bound: a.bound,
        bound_seconds: a.bound_seconds,
        decompose: a.decompose,
    };
    let tty = std::io::stderr().is_terminal();
    let started = Instant::now();
    std::thread::scope(|s| {
        let (tx, rx) = mpsc::channel();
        let worker = s.spawn(move || {
            let _ = tx.send(fieldopt::solve(problem, &params));
        });
        let mut last_log = started;
        let mut shown = false;
        let plan = loop {
            match rx.recv_timeout(POLL) {
                Ok(plan) => break Some(plan),
                Err(mpsc::RecvTimeoutError::Disconnected) => break None,
                Err(mpsc::RecvTimeoutError::Timeout) if a.quiet => {}
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    let line = progress_line(started, &progress, problem.jobs.len());
                    if tty {
                        note_raw(&format!("\r{line:<78}"));
                        shown = true;
                    } else if last_log.elapsed() >= LOG_EVERY {
                        note!("{line}");
                        last_log = Instant::now();
                    }
                }
            }
        };
        if shown {
            note_raw(&format!("\r{:78}\r", ""));
        }
        let joined = worker.join();
        match (plan, joined) {
            (Some(plan), _) => Ok(plan),
            // The panic hook already printed the panic message.
            _ => Err(Fail::internal("the solver stopped without a plan")),
        }
    })
}

/// Exit code after a second Ctrl-C, or when a directory run stops early (128 + SIGINT).
const EXIT_INTERRUPTED: u8 = 130;

/// The solver's cancel flag, set by Ctrl-C. The first Ctrl-C stops the search: the best
/// plan so far is verified and written as usual (a directory run then stops after the
/// current problem, exit 130). A second Ctrl-C exits at once with 130; the atomic write
/// means the output is then the old file or none, never half a plan.
fn ctrl_c_flag() -> Arc<AtomicBool> {
    static FLAG: OnceLock<Arc<AtomicBool>> = OnceLock::new();
    FLAG.get_or_init(|| {
        let flag = Arc::new(AtomicBool::new(false));
        let seen = Arc::clone(&flag);
        let installed = ctrlc::set_handler(move || {
            if seen.swap(true, Ordering::SeqCst) {
                note!("interrupted again: exiting without writing");
                // Wait for a write in progress (milliseconds) so no temporary file is left.
                let _writing = crate::OUTPUT_LOCK.lock().unwrap_or_else(|e| e.into_inner());
                std::process::exit(i32::from(EXIT_INTERRUPTED));
            }
            note!("interrupted: stopping the search, writing the best plan so far (Ctrl-C again to quit now)");
        });
        if let Err(e) = installed {
            note!("warning: Ctrl-C will not write the best plan: {e}");
        }
        flag
    })
    .clone()
}

/// True once Ctrl-C was pressed.
fn interrupted() -> bool {
    ctrl_c_flag().load(Ordering::SeqCst)
}

fn note_raw(s: &str) {
    use std::io::Write as _;
    let mut e = std::io::stderr().lock();
    let _ = e.write_all(s.as_bytes()).and_then(|_| e.flush());
}

fn progress_line(started: Instant, p: &Progress, jobs: usize) -> String {
    let best = p.best_objective.load(Ordering::Relaxed);
    let best = if best == i64::MAX {
        "-".to_string()
    } else {
        format!("{:.2}", best as f64 / fieldopt::policy::COST_SCALE)
    };
    format!(
        "solving: {:.1} s, best objective {best}, assigned {}/{jobs}, {} iterations",
        started.elapsed().as_secs_f64(),
        p.best_assigned.load(Ordering::Relaxed),
        p.iterations.load(Ordering::Relaxed),
    )
}

/// Prints the KPI summary on stderr (hours and km for real maps, raw units for planar ones).
fn summary(problem: &Problem, plan: &Plan) {
    let k = &plan.kpis;
    type Show = fn(f64) -> String;
    let (time, dist): (Show, Show) = match problem.travel.exact {
        ExactTravel::Haversine { .. } => {
            (|t: f64| format!("{:.2} h", t / 3600.0), |d: f64| format!("{:.1} km", d / 1000.0))
        }
        ExactTravel::Matrix { .. } => {
            (|t: f64| format!("{:.2} h", t / 3600.0), |d: f64| format!("{d:.1}"))
        }
        ExactTravel::Euclidean { .. } => (|t: f64| format!("{t:.1}"), |d: f64| format!("{d:.1}")),
    };
    note!(
        "jobs assigned {}/{}, technicians used {}/{}",
        k.assigned,
        k.jobs,
        k.technicians_used,
        problem.technicians.len()
    );
    note!(
        "travel {}, distance {}, labour cost {:.2}, overtime {}, objective {:.2}",
        time(k.travel_time),
        dist(k.travel_distance),
        k.labor_cost,
        time(k.overtime),
        k.objective
    );
    if let (Some(lb), Some(gap), Some(method)) = (k.lower_bound, k.gap, k.bound_method) {
        let how = match method {
            BoundMethod::Enumeration => "enumeration",
            BoundMethod::ColumnGeneration => "column generation",
            BoundMethod::ArcRelaxation => "arc flow",
        };
        note!("lower bound {lb:.2} ({how}), gap at most {:.2}%", 100.0 * gap);
        if method == BoundMethod::ArcRelaxation && gap > 0.1 {
            // The weak bound, not necessarily the plan: say so where the planner reads it.
            note!(
                "  (the arc-flow LP, the loosest bound: column generation certified none \
                 better, out of time or too large a day for it, so the gap says more about \
                 the bound than the plan; docs/lp.md)"
            );
        }
    }
}

/// Verifies the engine's own plan; a violation is a bug (exit 3), reported in full.
pub(crate) fn self_check(problem: &Problem, plan: &Plan) -> Result<(), Fail> {
    let v = verify(problem, plan);
    if v.feasible {
        return Ok(());
    }
    for x in v.violations.iter().take(20) {
        note!("  {:<20} {}", x.kind, x.message);
    }
    Err(Fail::internal(format!(
        "the engine's plan fails verification ({} violations); it was written anyway",
        v.violations.len()
    )))
}

#[cfg(test)]
mod tests {
    use super::solver_limit;

    /// Where the solver's search ends for a limit `l` on `jobs` jobs (its own reserve is
    /// 100 us/job, at most 10 % of `l`).
    fn search_end(l: f64, jobs: usize) -> f64 {
        l - (100e-6 * jobs as f64).min(0.1 * l)
    }

    #[test]
    fn the_limit_shrinks_by_the_time_already_spent() {
        // 100 jobs, 10 s, nothing spent: all but the 5 ms output reserve.
        assert!((solver_limit(10.0, 0.0, 100, 1) - (10.0 - 0.005)).abs() < 1e-12);
        // 0.5 s spent reading.
        assert!((solver_limit(10.0, 0.5, 100, 1) - (9.5 - 0.005)).abs() < 1e-12);
    }

    #[test]
    fn the_search_always_leaves_the_full_plan_building_reserve() {
        for (limit, spent, jobs) in [(1.0, 0.55, 2000), (1.0, 0.0, 2000), (5.0, 0.2, 500)] {
            let l = solver_limit(limit, spent, jobs, 1);
            let end = spent + search_end(l, jobs);
            let want = limit - (100e-6 + 50e-6) * jobs as f64;
            assert!((end - want).abs() < 1e-9, "{limit} {spent} {jobs}: search ends {end}");
        }
    }

    #[test]
    fn nothing_left_gives_zero_and_two_solves_share() {
        assert_eq!(solver_limit(1.0, 0.95, 2000, 1), 0.0);
        assert_eq!(solver_limit(1.0, 3.0, 10, 1), 0.0);
        let one = solver_limit(10.0, 1.0, 100, 1);
        let two = solver_limit(10.0, 1.0, 100, 2);
        assert!((two - (10.0 - 1.0 - 0.005) / 2.0).abs() < 1e-12, "{one} {two}");
    }
}
