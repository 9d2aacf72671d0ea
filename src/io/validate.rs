//! Validation of a problem document (`spec/problem-format.md`) and its conversion into
//! [`Problem`].
//!
//! The rules, their order, the field paths and the messages mirror `ProblemValidator` in
//! `shared/tools/check_plan.py`, except that only the first error is reported. Unknown keys
//! are accepted everywhere (forward compatibility) except inside `policy`.

mod build;
mod fields;
mod job;
mod road;
mod technician;
mod travel;

use serde_json::Value;

use self::fields::{date, fmt_doc_num, invalid};
use crate::error::Result;
use crate::io::schema::Doc;
use crate::io::PROBLEM_FORMAT;
use crate::model::Problem;
use crate::policy::Policy;

/// Parses JSON text, then validates and converts it.
pub(super) fn from_str(text: &str) -> Result<Problem> {
    from_doc(&parse_text(text)?, None)
}

/// [`from_str`] for a document read from a file in folder `base` (relative paths inside
/// the document, such as road-graph CSV files, are read from there).
pub(super) fn from_str_at(text: &str, base: Option<&std::path::Path>) -> Result<Problem> {
    from_doc(&parse_text(text)?, base)
}

/// Parses a policy object given on its own (a policy file, a Python argument); errors name
/// `policy.<key>` as they would inside a problem document.
pub(super) fn policy_from_str(text: &str) -> Result<Policy> {
    policy(Some(&parse_text(text)?))
}

/// Validates and converts an already parsed JSON value.
pub(super) fn from_value(doc: Value) -> Result<Problem> {
    from_doc(&Doc::from(doc), None)
}

/// JSON text to an order-preserving tree; syntax errors name the path reached, if any.
fn parse_text(text: &str) -> Result<Doc> {
    let mut de = serde_json::Deserializer::from_str(text);
    let doc: Doc = serde_path_to_error::deserialize(&mut de)
        .map_err(|e| invalid(known_path(e.path()), format!("invalid JSON: {}", e.into_inner())))?;
    de.end().map_err(|e| invalid("", format!("invalid JSON: {e}")))?;
    Ok(doc)
}

/// A serde path as a field path (`jobs[0].duration`), cut before the first unknown segment.
fn known_path(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for seg in path.iter() {
        match seg {
            Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Segment::Unknown => break,
        }
    }
    out
}

/// All rules in document order, then the conversion.
fn from_doc(doc: &Doc, base: Option<&std::path::Path>) -> Result<Problem> {
    if doc.as_object().is_none() {
        return Err(invalid("", "top level must be a JSON object"));
    }
    check_format(doc)?;
    let name = match doc.opt("name") {
        None => None,
        Some(Doc::Str(s)) => Some(s.clone()),
        Some(_) => return Err(invalid("name", "must be a string")),
    };
    let date = match doc.get("date") {
        None => return Err(invalid("date", "missing (plan day, YYYY-MM-DD)")),
        Some(d) => date("date", Some(d))?,
    };
    let travel = travel::model(doc.get("travel"), base)?;
    let policy = policy(doc.opt("policy"))?;
    let space = travel::Space::of(&travel);
    let techs = technician::all(doc.get("technicians"), space)?;
    let jobs = job::all(doc.get("jobs"), space, &techs)?;
    road::check_snaps(&travel, &techs.list, &jobs)?;
    Ok(build::problem(build::RawProblem { name, date, travel, policy, techs: techs.list, jobs }))
}

/// `format` must be exactly [`PROBLEM_FORMAT`].
fn check_format(doc: &Doc) -> Result<()> {
    let f = doc.get("format");
    if f.and_then(Doc::as_str) == Some(PROBLEM_FORMAT) {
        return Ok(());
    }
    Err(invalid("format", format!("expected \"{PROBLEM_FORMAT}\", got {}", fields::dumps(f))))
}

/// `policy`: an object deserialized into [`Policy`] (unknown keys are errors); every
/// numeric weight must be finite and `>= 0`.
fn policy(p: Option<&Doc>) -> Result<Policy> {
    let Some(p) = p else {
        return Ok(Policy::default());
    };
    if p.as_object().is_none() {
        return Err(invalid("policy", "must be an object"));
    }
    let policy: Policy = serde_path_to_error::deserialize(p.to_value()).map_err(|e| {
        let path = known_path(e.path());
        let path = if path.is_empty() { "policy".to_owned() } else { format!("policy.{path}") };
        invalid(path, e.into_inner().to_string())
    })?;
    non_negative("policy", p)?;
    Ok(policy)
}

/// Largest policy weight. Costs are summed as i64 micro-currency (about 9.2e12 currency
/// units); weights above this could saturate that range, and then distinct plans would tie.
pub const MAX_WEIGHT: f64 = 1e6;

/// Every number at or below `d` (a weight) is in `0..=MAX_WEIGHT`; JSON numbers are always
/// finite.
fn non_negative(path: &str, d: &Doc) -> Result<()> {
    match d {
        Doc::Num(_) if d.as_f64().is_none_or(|x| !(0.0..=MAX_WEIGHT).contains(&x)) => Err(invalid(
            path,
            format!(
                "weight must be a finite number >= 0 and <= {MAX_WEIGHT:e}, got {}",
                fmt_doc_num(d)
            ),
        )),
        Doc::Obj(m) => m.iter().try_for_each(|(k, v)| non_negative(&format!("{path}.{k}"), v)),
        Doc::Arr(a) => {
            a.iter().enumerate().try_for_each(|(i, v)| non_negative(&format!("{path}[{i}]"), v))
        }
        _ => Ok(()),
    }
}
