//! The problem document as read, before conversion to [`crate::model::Problem`].
//!
//! [`Doc`] is a JSON tree that keeps object members in document order (the crate's
//! `serde_json` has no `preserve_order`), so that validation reports errors in the same
//! order as the reference checker and skill names are numbered in first-seen order.
//! The `Raw*` records hold one checked document in its own units (seconds, degrees,
//! names), ready for `validate::build` to index and scale.

use std::collections::HashMap;
use std::fmt;

use chrono::NaiveDate;
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Number, Value};

use crate::model::{Cost, TechKind};

/// Objects with more members than this get a hash index while reading duplicate keys.
const LINEAR_KEYS: usize = 32;

/// A JSON value whose objects keep their members in document order.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Doc {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A finite number (integer or float, as written).
    Num(Number),
    /// A string.
    Str(String),
    /// An array.
    Arr(Vec<Doc>),
    /// An object; a repeated key keeps its first position and its last value (like Python).
    Obj(Vec<(String, Doc)>),
}

impl Doc {
    /// The members of an object, or `None` for any other value.
    pub(super) fn as_object(&self) -> Option<&[(String, Doc)]> {
        match self {
            Doc::Obj(m) => Some(m),
            _ => None,
        }
    }

    /// The elements of an array, or `None` for any other value.
    pub(super) fn as_array(&self) -> Option<&[Doc]> {
        match self {
            Doc::Arr(a) => Some(a),
            _ => None,
        }
    }

    /// The text of a string, or `None` for any other value.
    pub(super) fn as_str(&self) -> Option<&str> {
        match self {
            Doc::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The value of a number (always finite), or `None` for any other value.
    pub(super) fn as_f64(&self) -> Option<f64> {
        match self {
            Doc::Num(n) => n.as_f64().filter(|x| x.is_finite()),
            _ => None,
        }
    }

    /// The value of a number written as an integer, or `None` (floats such as `3.0` too).
    pub(super) fn as_int(&self) -> Option<i128> {
        match self {
            Doc::Num(n) => n.as_i64().map(i128::from).or_else(|| n.as_u64().map(i128::from)),
            _ => None,
        }
    }

    /// True for `null`.
    pub(super) fn is_null(&self) -> bool {
        matches!(self, Doc::Null)
    }

    /// Member `key` of an object, even if it is `null`; `None` if absent or not an object.
    pub(super) fn get(&self, key: &str) -> Option<&Doc> {
        self.as_object()?.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Member `key` of an object unless it is absent or `null` (the checker's `.get() is not None`).
    pub(super) fn opt(&self, key: &str) -> Option<&Doc> {
        self.get(key).filter(|v| !v.is_null())
    }

    /// Python's type name of the value, for messages that mirror the checker.
    pub(super) fn type_name(&self) -> &'static str {
        match self {
            Doc::Null => "NoneType",
            Doc::Bool(_) => "bool",
            Doc::Num(n) if n.is_f64() => "float",
            Doc::Num(_) => "int",
            Doc::Str(_) => "str",
            Doc::Arr(_) => "list",
            Doc::Obj(_) => "dict",
        }
    }

    /// Renders the value like Python's `json.dumps` (", " and ": " separators).
    pub(super) fn dumps(&self) -> String {
        let mut out = String::new();
        self.write_dumps(&mut out);
        out
    }

    /// [`Doc::dumps`] cut to at most `max` characters, as the checker does for long values.
    pub(super) fn dumps_cut(&self, max: usize) -> String {
        self.dumps().chars().take(max).collect()
    }

    fn write_dumps(&self, out: &mut String) {
        match self {
            Doc::Null => out.push_str("null"),
            Doc::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Doc::Num(n) => out.push_str(&n.to_string()),
            Doc::Str(s) => out.push_str(&Value::String(s.clone()).to_string()),
            Doc::Arr(a) => {
                out.push('[');
                for (i, x) in a.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    x.write_dumps(out);
                }
                out.push(']');
            }
            Doc::Obj(m) => {
                out.push('{');
                for (i, (k, v)) in m.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(&Value::String(k.clone()).to_string());
                    out.push_str(": ");
                    v.write_dumps(out);
                }
                out.push('}');
            }
        }
    }

    /// Converts back to a `serde_json::Value` (for serde-derived parts such as the policy).
    pub(super) fn to_value(&self) -> Value {
        match self {
            Doc::Null => Value::Null,
            Doc::Bool(b) => Value::Bool(*b),
            Doc::Num(n) => Value::Number(n.clone()),
            Doc::Str(s) => Value::String(s.clone()),
            Doc::Arr(a) => Value::Array(a.iter().map(Doc::to_value).collect()),
            Doc::Obj(m) => {
                Value::Object(m.iter().map(|(k, v)| (k.clone(), v.to_value())).collect())
            }
        }
    }
}

impl From<Value> for Doc {
    fn from(v: Value) -> Self {
        match v {
            Value::Null => Doc::Null,
            Value::Bool(b) => Doc::Bool(b),
            Value::Number(n) => Doc::Num(n),
            Value::String(s) => Doc::Str(s),
            Value::Array(a) => Doc::Arr(a.into_iter().map(Doc::from).collect()),
            Value::Object(m) => Doc::Obj(m.into_iter().map(|(k, v)| (k, Doc::from(v))).collect()),
        }
    }
}

impl<'de> Deserialize<'de> for Doc {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DocVisitor)
    }
}

/// Builds a [`Doc`] from any self-describing format (JSON text here).
struct DocVisitor;

impl<'de> Visitor<'de> for DocVisitor {
    type Value = Doc;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Doc, E> {
        Ok(Doc::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Doc, E> {
        Ok(Doc::Num(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Doc, E> {
        Ok(Doc::Num(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Doc, E> {
        Number::from_f64(v).map(Doc::Num).ok_or_else(|| E::custom("number is not finite"))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Doc, E> {
        Ok(Doc::Str(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Doc, E> {
        Ok(Doc::Str(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Doc, E> {
        Ok(Doc::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Doc, E> {
        Ok(Doc::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Doc, D::Error> {
        Doc::deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Doc, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(x) = seq.next_element::<Doc>()? {
            out.push(x);
        }
        Ok(Doc::Arr(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Doc, A::Error> {
        let mut members: Vec<(String, Doc)> = Vec::new();
        let mut index: Option<HashMap<String, usize>> = None;
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value::<Doc>()?;
            insert_member(&mut members, &mut index, key, value);
        }
        Ok(Doc::Obj(members))
    }
}

/// Adds `key: value`, replacing the value of an earlier equal key in place.
fn insert_member(
    members: &mut Vec<(String, Doc)>,
    index: &mut Option<HashMap<String, usize>>,
    key: String,
    value: Doc,
) {
    if index.is_none() && members.len() >= LINEAR_KEYS {
        *index = Some(members.iter().enumerate().map(|(i, (k, _))| (k.clone(), i)).collect());
    }
    let found = match index {
        Some(ix) => ix.get(&key).copied(),
        None => members.iter().position(|(k, _)| *k == key),
    };
    match found {
        Some(i) => {
            if let Some(slot) = members.get_mut(i) {
                slot.1 = value;
            }
        }
        None => {
            if let Some(ix) = index {
                ix.insert(key.clone(), members.len());
            }
            members.push((key, value));
        }
    }
}

/// A checked location: a point (lat/lon or x/y) or a matrix index.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Loc {
    /// (lat, lon) in degrees or (x, y) in instance units.
    Point(f64, f64),
    /// Row/column of the travel matrices.
    Index(usize),
}

/// A checked travel model, in document units.
#[derive(Debug, Clone)]
pub(super) enum RawTravel {
    /// Great circle; speed in km/h.
    Haversine {
        /// Kilometres per hour.
        speed_kmh: f64,
        /// Multiplier on the great-circle distance.
        detour: f64,
    },
    /// Straight line.
    Euclidean {
        /// Distance units per time unit.
        speed: f64,
    },
    /// User matrices, row-major `n x n`.
    Matrix {
        /// Side of the matrices.
        n: usize,
        /// Durations, row-major.
        durations: Vec<f64>,
        /// Distances, row-major, when given.
        distances: Option<Vec<f64>>,
    },
    /// Road network; locations are (lat, lon) snapped to the nearest node.
    Road {
        /// The graph (shared: building it is the expensive part).
        graph: std::sync::Arc<crate::travel::RoadGraph>,
        /// Farthest a location may be from its node, metres (`None` = any).
        max_snap_m: Option<f64>,
    },
}

/// A checked technician, in document units.
#[derive(Debug, Clone)]
pub(super) struct RawTech {
    /// Unique id.
    pub id: String,
    /// Where the day starts.
    pub start: Loc,
    /// Where the day ends (= start when not given).
    pub end: Loc,
    /// (start, end) of the shift.
    pub shift: (f64, f64),
    /// Overtime allowed after the shift end.
    pub max_overtime: f64,
    /// (skill name, level) in document order.
    pub skills: Vec<(String, u8)>,
    /// (certification name, last valid day) in document order.
    pub certs: Vec<(String, NaiveDate)>,
    /// Capacity per dimension.
    pub capacity: Option<Vec<f64>>,
    /// Most jobs in a day.
    pub max_jobs: Option<usize>,
    /// (window start, window end, duration).
    pub brk: Option<(f64, f64, f64)>,
    /// Labour cost.
    pub cost: Cost,
    /// Average rating 0..=5.
    pub rating: Option<f64>,
    /// Employee or contractor.
    pub kind: TechKind,
    /// Free-text team.
    pub team: Option<String>,
}

/// A checked job, in document units; technicians already resolved to indices.
#[derive(Debug, Clone)]
pub(super) struct RawJob {
    /// Unique id.
    pub id: String,
    /// Customer account.
    pub customer: Option<String>,
    /// Where the job is.
    pub loc: Loc,
    /// Service duration.
    pub duration: f64,
    /// Windows as given (sorted by `validate`); `None` = any time.
    pub windows: Option<Vec<(f64, f64)>>,
    /// (skill name, minimum level) in document order.
    pub skills: Vec<(String, u8)>,
    /// Required certification names in document order.
    pub certs: Vec<String>,
    /// Demand per dimension.
    pub demand: Option<Vec<f64>>,
    /// Importance to assign.
    pub priority: u32,
    /// Cost of leaving the job out.
    pub unassigned_cost: Option<f64>,
    /// Preferred technician indices (deduplicated, document order).
    pub preferred: Vec<usize>,
    /// Excluded technician indices (deduplicated, document order).
    pub excluded: Vec<usize>,
    /// Pinned technician index.
    pub pinned: Option<usize>,
    /// Free-text kind.
    pub kind: Option<String>,
}
