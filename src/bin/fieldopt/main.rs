//! `fieldopt`: command-line front end of the field-service routing engine.
//!
//! Subcommands: `solve` (one problem or a directory of them), `check` (verify any plan),
//! `compare` (one problem under several policies), `explain` (why a job is where it is),
//! `generate` (synthetic problem) and
//! `convert solomon` (benchmark instance to problem).
//! Exit codes: 0 ok / feasible, 1 infeasible plan, 2 invalid input or usage, 3 internal error.

mod affinity;
mod check;
mod compare;
mod explain;
mod solve;
mod tools;

use std::io::Write;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::OnceLock;
use std::time::Instant;

use clap::{Args, Parser, Subcommand};

/// Exit code: success, or the plan is feasible.
pub const EXIT_OK: u8 = 0;
/// Exit code: the checked plan is infeasible.
pub const EXIT_INFEASIBLE: u8 = 1;
/// Exit code: invalid input (unreadable file, bad document) or bad usage.
pub const EXIT_INVALID: u8 = 2;
/// Exit code: internal error (a bug in the engine).
pub const EXIT_INTERNAL: u8 = 3;

const EXIT_CODES: &str = "\
Exit codes:
  0  success (check: the plan is feasible)
  1  check: the plan is infeasible
  2  invalid input or usage: unreadable file, bad JSON, invalid problem or plan document,
     bad arguments; solve on a directory: at least one problem failed (3 if by an
     internal error)
  3  internal error (a bug in the engine; please report it)";

/// Field-service technician routing: solve problems, check plans, make test problems.
#[derive(Debug, Parser)]
#[command(name = "fieldopt", version, about, after_help = EXIT_CODES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Solve a problem (or every *.json problem of a directory) and write the plan.
    #[command(after_help = EXIT_CODES)]
    Solve(SolveArgs),
    /// Verify a plan against a problem: feasibility, every violation, and the KPIs.
    #[command(after_help = EXIT_CODES)]
    Check(CheckArgs),
    /// Solve one problem under several policies and print their KPIs side by side.
    #[command(after_help = EXIT_CODES)]
    Compare(CompareArgs),
    /// Explain jobs of a plan: who could do each, at what cost, and why it is where it is.
    #[command(after_help = EXIT_CODES)]
    Explain(ExplainArgs),
    /// Generate a synthetic field-service problem document.
    #[command(after_help = EXIT_CODES)]
    Generate(GenerateArgs),
    /// Convert a benchmark instance into a problem document.
    #[command(subcommand)]
    Convert(ConvertCommand),
}

/// Arguments of `fieldopt solve`.
#[derive(Debug, Args)]
pub struct SolveArgs {
    /// Problem document (fieldopt-problem/1), or a directory: then every *.json in it is
    /// solved (sorted by name; *.plan.json files are skipped).
    pub problem: PathBuf,
    /// Output plan file (default: stdout); for a directory of problems, the output
    /// directory (required, created if missing) that receives <stem>.plan.json files.
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// Seed of all random choices.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Wall-clock limit in seconds for the whole run, counted from the start of the
    /// process (for a directory: per problem, from the start of reading its file). Reading,
    /// validating and writing the plan are inside it: the search gets what is left, minus a
    /// reserve for building, writing and checking the plan (0.15 ms per job). If
    /// reading alone takes (nearly) all of it, the search is cut short and the plan is
    /// still complete (jobs not placed in time are unassigned with a reason). With
    /// --affinity the two solves share it; --bound and the MIP of --mode assign are only
    /// roughly bounded by it.
    #[arg(long, value_name = "S", value_parser = parse_seconds)]
    pub time_limit: Option<f64>,
    /// Worker threads (default: all cores).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=4096))]
    pub threads: Option<u64>,
    /// Search iterations in total; with it the plan depends only on problem, seed and
    /// iterations.
    #[arg(long, value_name = "N")]
    pub iterations: Option<u64>,
    /// No progress and no KPI summary on stderr (errors are still printed).
    #[arg(short, long)]
    pub quiet: bool,
    /// Policy preset instead of the problem's own weights: default, favourite_first,
    /// best_skill_fit, min_travel, lowest_cost, balanced.
    #[arg(long, value_name = "NAME", conflicts_with = "policy_file")]
    pub policy: Option<String>,
    /// Policy weights from a JSON file (an object like the problem's `policy`).
    #[arg(long, value_name = "PATH")]
    pub policy_file: Option<PathBuf>,
    /// Also price the customers' favourites: add `affinity` to the plan and a summary line
    /// (solves a second time under favourite_first, with the same seed and budget).
    #[arg(long)]
    pub affinity: bool,
    /// route (default): assign and route by the search; assign: exact job-to-technician
    /// assignment (a MIP), each technician's jobs then sequenced.
    #[arg(long, value_name = "MODE", default_value = "route", value_parser = parse_mode)]
    pub mode: fieldopt::solver::Mode,
    /// Also compute a lower bound on the objective with the LP (kpis.lower_bound, kpis.gap,
    /// kpis.bound_method).
    #[arg(long)]
    pub bound: bool,
    /// Seconds the bound's column generation may run (default 30; 0: only the arc-flow
    /// LP); implies --bound. Hard days certify later: give a nightly batch more.
    #[arg(long, value_name = "S", value_parser = parse_seconds_or_zero)]
    pub bound_seconds: Option<f64>,
    /// Split a large day into parts solved in parallel first (by team, then geography):
    /// auto (above 3,000 jobs, parts of about 1,500 jobs), off, or a number of parts.
    #[arg(long, value_name = "auto|off|N", default_value = "auto", value_parser = parse_decompose)]
    pub decompose: fieldopt::solver::Decompose,
}

/// Parses `--decompose`, naming the accepted values on error.
fn parse_decompose(s: &str) -> Result<fieldopt::solver::Decompose, String> {
    s.parse().map_err(|e: fieldopt::Error| e.to_string())
}

/// Parses `--mode`, naming the accepted values on error.
fn parse_mode(s: &str) -> Result<fieldopt::solver::Mode, String> {
    s.parse().map_err(|e: fieldopt::Error| e.to_string())
}

/// Arguments of `fieldopt explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Problem document (fieldopt-problem/1).
    pub problem: PathBuf,
    /// Plan document (fieldopt-plan/1) of that problem.
    pub plan: PathBuf,
    /// Job ids to explain.
    #[arg(required = true)]
    pub jobs: Vec<String>,
    /// The policy preset the plan was solved with (default: the problem's own weights).
    #[arg(long, value_name = "NAME", conflicts_with = "policy_file")]
    pub policy: Option<String>,
    /// Policy weights from a JSON file.
    #[arg(long, value_name = "PATH")]
    pub policy_file: Option<PathBuf>,
    /// Print a JSON array of explanations instead of the report.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `fieldopt compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Problem document (fieldopt-problem/1).
    pub problem: PathBuf,
    /// A policy preset to compare (repeatable); with no --policy and no --policy-file,
    /// every preset.
    #[arg(long, value_name = "NAME")]
    pub policy: Vec<String>,
    /// Policy weights from a JSON file, named by the file stem (repeatable).
    #[arg(long, value_name = "PATH")]
    pub policy_file: Vec<PathBuf>,
    /// Seed of all random choices (the same for every policy).
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Wall-clock limit in seconds per policy.
    #[arg(long, value_name = "S", value_parser = parse_seconds)]
    pub time_limit: Option<f64>,
    /// Worker threads per solve (default: all cores).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=4096))]
    pub threads: Option<u64>,
    /// Search iterations per policy; with it the table is reproducible.
    #[arg(long, value_name = "N")]
    pub iterations: Option<u64>,
    /// Also write the table as CSV, one row per policy.
    #[arg(long, value_name = "PATH")]
    pub csv: Option<PathBuf>,
    /// Also write each plan to DIR/<policy>.plan.json.
    #[arg(long, value_name = "DIR")]
    pub plans: Option<PathBuf>,
    /// No per-policy progress lines on stderr.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Arguments of `fieldopt check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Problem document (fieldopt-problem/1).
    pub problem: PathBuf,
    /// Plan document (fieldopt-plan/1); stop times are ignored and recomputed.
    pub plan: PathBuf,
    /// Print one JSON object {"feasible", "violations", "kpis"} instead of the report.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `fieldopt generate`.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Number of jobs.
    #[arg(long, value_name = "N")]
    pub jobs: usize,
    /// Number of technicians (at least 1).
    #[arg(long, value_name = "M", value_parser = parse_positive)]
    pub techs: usize,
    /// Seed; the same seed gives the same document.
    #[arg(long, value_name = "S", default_value_t = 0)]
    pub seed: u64,
    /// Output file (default: stdout).
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
enum ConvertCommand {
    /// Solomon / Gehring-Homberger VRPTW text instance (the name is the file stem).
    #[command(after_help = EXIT_CODES)]
    Solomon(ConvertArgs),
}

/// Arguments of `fieldopt convert solomon`.
#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// Instance text file.
    pub file: PathBuf,
    /// Output file (default: stdout).
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,
}

fn parse_seconds(s: &str) -> Result<f64, String> {
    seconds_from(s, false)
}

fn parse_seconds_or_zero(s: &str) -> Result<f64, String> {
    seconds_from(s, true)
}

/// A finite number of seconds above 0 (or equal to it when `zero` is allowed).
fn seconds_from(s: &str, zero: bool) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(x) if x.is_finite() && (x > 0.0 || (zero && x == 0.0)) => Ok(x),
        _ => Err(format!(
            "expected a number of seconds {} 0, got {s:?}",
            if zero { ">=" } else { ">" }
        )),
    }
}

fn parse_positive(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(x) if x >= 1 => Ok(x),
        _ => Err(format!("expected an integer >= 1, got {s:?}")),
    }
}

/// A command that could not complete: the exit code and what to print on stderr.
#[derive(Debug)]
pub struct Fail {
    /// Exit code (2 or 3).
    pub code: u8,
    /// Message, printed as `error: <message>` (empty: already reported).
    pub message: String,
}

impl Fail {
    /// Invalid input or usage (exit 2).
    pub fn input(message: impl Into<String>) -> Self {
        Fail { code: EXIT_INVALID, message: message.into() }
    }

    /// Internal error (exit 3).
    pub fn internal(message: impl Into<String>) -> Self {
        Fail { code: EXIT_INTERNAL, message: message.into() }
    }
}

/// Result of a subcommand: the exit code on success (0 or 1).
pub type CmdResult = Result<u8, Fail>;

/// When this process started (the first thing `main` does): `solve --time-limit` on one
/// file counts the whole run from here, reading and parsing included.
static PROCESS_START: OnceLock<Instant> = OnceLock::new();

/// The instant the process started (see [`PROCESS_START`]).
pub fn process_start() -> Instant {
    *PROCESS_START.get_or_init(Instant::now)
}

/// Reads and validates a problem; errors read `<path>: <message>`.
pub fn load_problem(path: &Path) -> Result<fieldopt::Problem, Fail> {
    match fieldopt::io::read_problem(path) {
        Ok(p) => Ok(p),
        // An I/O error already names the file.
        Err(e @ fieldopt::Error::Io { .. }) => Err(Fail::input(e.to_string())),
        Err(e) => Err(Fail::input(format!("{}: {e}", path.display()))),
    }
}

/// Held while an output file is written; an immediate exit (a second Ctrl-C) takes it
/// first, so it never leaves a temporary file behind or cuts a rename short.
pub static OUTPUT_LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Writes `text` atomically to `path`, or to stdout when `path` is `None`.
pub fn emit(path: Option<&Path>, text: &str) -> Result<(), Fail> {
    match path {
        Some(p) => {
            let _writing = OUTPUT_LOCK.lock().unwrap_or_else(|e| e.into_inner());
            fieldopt::io::write_atomic(p, text.as_bytes())
                .map_err(|e| Fail::input(format!("cannot write output: {e}")))
        }
        None => {
            let mut out = std::io::stdout().lock();
            match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
                // A closed pipe (`| head`) is the reader's choice, not an error.
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    Err(Fail::input(format!("cannot write to stdout: {e}")))
                }
                _ => Ok(()),
            }
        }
    }
}

/// Prints a line on stderr, ignoring a closed stderr.
#[macro_export]
macro_rules! note {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

fn run(cli: Cli) -> CmdResult {
    match cli.command {
        Command::Solve(a) => solve::run(&a),
        Command::Check(a) => check::run(&a),
        Command::Compare(a) => compare::run(&a),
        Command::Explain(a) => explain::run(&a),
        Command::Generate(a) => tools::generate(&a),
        Command::Convert(ConvertCommand::Solomon(a)) => tools::convert_solomon(&a),
    }
}

fn main() -> ExitCode {
    process_start();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.exit_code() == 0 { EXIT_OK } else { EXIT_INVALID });
        }
    };
    panic::set_hook(Box::new(|info| {
        note!("fieldopt: internal error: {info}");
        note!("  this is a bug in fieldopt; please report it with the input that caused it");
    }));
    match panic::catch_unwind(AssertUnwindSafe(|| run(cli))) {
        Ok(Ok(code)) => ExitCode::from(code),
        Ok(Err(fail)) => {
            if !fail.message.is_empty() {
                note!("error: {}", fail.message);
            }
            ExitCode::from(fail.code)
        }
        Err(_) => ExitCode::from(EXIT_INTERNAL),
    }
}
