//! Fuzz smoke run without cargo-fuzz or a nightly compiler: every file of
//! `fuzz/corpus/<target>/` goes through the entry points the fuzz targets use (parse +
//! validate with `parse_problem_str`, then a short solve: 50 iterations, 1 thread), with
//! this test's own small driver (not `fuzz/fuzz_targets/common.rs`):
//!
//! - no panic;
//! - a rejection is an `InvalidInput` error whose text starts with the field path it
//!   names; only JSON syntax errors and a non-object top level may have an empty path
//!   (as in the fuzz targets);
//! - an accepted document gives a plan that the engine's verifier and the independent
//!   checker of `tests/common` accept, with every job of the problem exactly once.
//!
//! The corpora of `parse_solve` and `road_graph` are JSON documents. Those of `structured`
//! are `arbitrary` byte strings that only its fuzz target turns into documents, so here they
//! exercise the parser's rejection of non-JSON text only. Directories with more than
//! [`MAX_PER_TARGET`] files are replayed on a deterministic subset (every k-th file by
//! name), to keep the run short.

mod common;

use std::fs;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use fieldopt::plan::verify::verify;
use fieldopt::{Error, SolveParams};
use serde_json::Value;

/// Most files replayed per target directory.
const MAX_PER_TARGET: usize = 200;
/// Largest problem solved (the fuzz targets' bound too); bigger accepted ones are only
/// parsed.
const MAX_JOBS: usize = 400;

/// What one corpus file did.
#[derive(Debug, PartialEq)]
enum Outcome {
    Rejected,
    Solved,
    TooBigToSolve,
}

/// The corpus files to replay, per target, sorted by name.
fn corpus() -> Vec<(String, Vec<PathBuf>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
    let mut dirs: Vec<PathBuf> = fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs.into_iter()
        .map(|d| {
            let mut files: Vec<PathBuf> = fs::read_dir(&d)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.is_file())
                .collect();
            files.sort();
            let step = files.len().div_ceil(MAX_PER_TARGET).max(1);
            let files = files.into_iter().step_by(step).collect();
            (d.file_name().unwrap().to_string_lossy().into_owned(), files)
        })
        .collect()
}

/// Parse, validate and (if accepted) solve one input text, asserting the contract.
fn replay(text: &str) -> Result<Outcome, String> {
    let problem = match fieldopt::io::parse_problem_str(text) {
        Err(Error::InvalidInput { path, message }) => {
            if message.is_empty() {
                return Err(format!("empty error message at {path:?}"));
            }
            let shown = Error::InvalidInput { path: path.clone(), message: message.clone() };
            if path.is_empty() {
                if !(message.starts_with("invalid JSON") || message.contains("top level")) {
                    return Err(format!("error without a field path: {message}"));
                }
            } else if !shown.to_string().starts_with(&path) {
                return Err(format!("error text does not start with its path {path:?}: {shown}"));
            }
            return Ok(Outcome::Rejected);
        }
        Err(other) => return Err(format!("not an InvalidInput error: {other}")),
        Ok(p) => p,
    };
    if problem.jobs.len() > MAX_JOBS {
        return Ok(Outcome::TooBigToSolve);
    }
    let params =
        SolveParams { seed: 0, iterations: Some(50), threads: Some(1), ..SolveParams::default() };
    let plan = fieldopt::solve(&problem, &params);
    let v = verify(&problem, &plan);
    if !v.feasible {
        return Err(format!("engine verifier: {:?}", v.violations));
    }
    let plan_json: Value = serde_json::from_str(&fieldopt::io::plan_to_string(&plan))
        .map_err(|e| format!("plan is not JSON: {e}"))?;
    let problem_json: Value =
        serde_json::from_str(text).map_err(|e| format!("accepted text is not JSON: {e}"))?;
    let rep = common::checker::check(&problem_json, &plan_json);
    if !rep.is_feasible() {
        return Err(format!("independent checker: {:?}", rep.violations));
    }
    let seen = common::checker::job_appearances(&plan_json);
    for j in &problem.jobs {
        if seen.get(&j.id) != Some(&1) {
            return Err(format!("job {:?} appears {:?} times", j.id, seen.get(&j.id)));
        }
    }
    if seen.len() != problem.jobs.len() {
        return Err("plan names jobs that are not in the problem".into());
    }
    Ok(Outcome::Solved)
}

#[test]
fn every_fuzz_corpus_file_is_rejected_with_a_field_or_solved_completely() {
    let mut failures = Vec::new();
    let mut summary = Vec::new();
    for (target, files) in corpus() {
        let (mut rejected, mut solved, mut big) = (0, 0, 0);
        for f in &files {
            let text = String::from_utf8_lossy(&fs::read(f).unwrap()).into_owned();
            match catch_unwind(AssertUnwindSafe(|| replay(&text))) {
                Ok(Ok(Outcome::Rejected)) => rejected += 1,
                Ok(Ok(Outcome::Solved)) => solved += 1,
                Ok(Ok(Outcome::TooBigToSolve)) => big += 1,
                Ok(Err(e)) => failures.push(format!("{}: {e}", f.display())),
                Err(_) => failures.push(format!("{}: panicked", f.display())),
            }
        }
        summary.push(format!(
            "{target}: {} files, {rejected} rejected, {solved} solved, {big} too big",
            files.len()
        ));
    }
    eprintln!("{}", summary.join("\n"));
    assert!(
        failures.is_empty(),
        "{} failing corpus file(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
    // The committed corpora are there and hold documents that are solved, not only
    // rejected (a missing or emptied corpus would pass the loop above vacuously).
    for t in ["parse_solve", "road_graph"] {
        let line = summary.iter().find(|l| l.starts_with(&format!("{t}: "))).expect(t);
        assert!(!line.contains(" 0 solved"), "{line}");
    }
}
