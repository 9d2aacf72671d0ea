//! Reading and writing documents: the problem schema of `spec/problem-format.md` with
//! validation that names the field path of every error, plan output (atomic writes), and
//! readers for benchmark formats.

pub mod kovacs;
pub mod solomon;
// schema.rs (serde structs of the document) and validate.rs (rules -> model::Problem)
// are private; the public surface is the functions below.
mod schema;
mod validate;

use std::path::Path;

use crate::error::{Error, Result};
use crate::model::Problem;
use crate::plan::Plan;

/// Format tag of problem documents.
pub const PROBLEM_FORMAT: &str = "fieldopt-problem/1";

/// Parses and validates a problem document from JSON text.
pub fn parse_problem_str(text: &str) -> Result<Problem> {
    validate::from_str(text)
}

/// Validates a problem document already parsed as JSON.
pub fn parse_problem_value(doc: serde_json::Value) -> Result<Problem> {
    validate::from_value(doc)
}

/// Parses policy weights given on their own as a JSON object (a policy file or a Python
/// argument); errors name `policy.<key>`, unknown keys and negative weights included.
pub fn parse_policy_str(text: &str) -> Result<crate::policy::Policy> {
    validate::policy_from_str(text)
}

/// Reads, parses and validates a problem document from a file.
pub fn read_problem(path: impl AsRef<Path>) -> Result<Problem> {
    let path = path.as_ref();
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::Io { path: path.display().to_string(), message: e.to_string() })?;
    validate::from_str_at(&text, path.parent())
}

/// Serializes a plan as pretty JSON.
pub fn plan_to_string(plan: &Plan) -> String {
    serde_json::to_string_pretty(plan).expect("a plan always serializes")
}

/// Writes `contents` to `path` atomically: a temporary file in the same folder, then rename,
/// so a reader never sees a half-written file.
pub fn write_atomic(path: impl AsRef<Path>, contents: &[u8]) -> Result<()> {
    use std::io::Write;
    let path = path.as_ref();
    let err =
        |e: std::io::Error| Error::Io { path: path.display().to_string(), message: e.to_string() };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let name = path.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp.{}", std::process::id()));
    let mut f = std::fs::File::create(&tmp).map_err(err)?;
    let res = f.write_all(contents).and_then(|_| f.sync_all());
    drop(f);
    if let Err(e) = res {
        let _ = std::fs::remove_file(&tmp);
        return Err(err(e));
    }
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        err(e)
    })
}

/// Small valid documents shared by unit tests.
#[cfg(test)]
pub(crate) mod tests_support {
    /// Two technicians, three jobs, euclidean travel.
    pub const TINY: &str = r#"{
      "format": "fieldopt-problem/1", "date": "2026-11-24",
      "travel": {"kind": "euclidean", "speed": 1.0},
      "technicians": [
        {"id": "A", "start": {"x": 0, "y": 0}, "shift": [0, 1000], "skills": {"hvac": 3}},
        {"id": "B", "start": {"x": 10, "y": 0}, "shift": [0, 1000], "cost": {"per_hour": 36.0}}
      ],
      "jobs": [
        {"id": "J1", "location": {"x": 3, "y": 4}, "duration": 10, "skills": {"hvac": 2}},
        {"id": "J2", "location": {"x": 10, "y": 5}, "duration": 10, "time_windows": [[0, 100]]},
        {"id": "J3", "location": {"x": 5, "y": 5}, "duration": 10, "priority": 3}
      ]
    }"#;
}
