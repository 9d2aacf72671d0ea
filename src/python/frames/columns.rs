//! Arrow columns as typed accessors: every column of a frame is normalised once (strings to
//! `Utf8`, integers to `Int64`, floats to `Float64`, times to raw units) and then read one
//! cell at a time as a [`Cell`], the Rust counterpart of the Python value the per-row path
//! (`python/fieldopt/cells.py`) sees.

use std::str::FromStr;

use arrow_array::cast::AsArray;
use arrow_array::timezone::Tz;
use arrow_array::types::{
    Date32Type, DurationMicrosecondType, DurationMillisecondType, DurationNanosecondType,
    DurationSecondType, Int64Type, Time32MillisecondType, Time32SecondType, Time64MicrosecondType,
    Time64NanosecondType,
};
use arrow_array::{
    Array, ArrayRef, BooleanArray, Float64Array, Int64Array, PrimitiveArray, StringArray,
};
use arrow_buffer::NullBuffer;
use arrow_cast::{cast_with_options, CastOptions};
use arrow_schema::{DataType, TimeUnit};
use chrono::{NaiveDate, Offset, TimeZone};

/// Seconds in a day.
const DAY: i64 = 86_400;

/// One column, normalised for cell access.
pub(super) enum Col {
    /// A column of nulls only (Arrow `null`).
    Null(usize),
    Bool(BooleanArray),
    Int(Int64Array),
    Float(Float64Array),
    Str(StringArray),
    /// Datetimes as wall-clock units since 1970-01-01 00:00 in their own time zone.
    DateTime {
        local: Vec<Option<i64>>,
        per_sec: i64,
    },
    Date(PrimitiveArray<Date32Type>),
    /// Times of day and durations, in seconds.
    Time(Vec<Option<f64>>),
    Duration(Vec<Option<f64>>),
    List {
        /// `starts[i]..starts[i + 1]` are the child rows of row `i`.
        starts: Vec<usize>,
        nulls: Option<NullBuffer>,
        child: Box<Col>,
    },
    Struct {
        names: Vec<String>,
        fields: Vec<Col>,
        nulls: Option<NullBuffer>,
    },
}

/// One value of a column, as the Python path would see it after `_plain`.
#[derive(Clone, Copy)]
pub(super) enum Cell<'a> {
    /// Null (Python `None`).
    Missing,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(&'a str),
    /// Wall-clock units since 1970-01-01 00:00 and units per second.
    DateTime(i64, i64),
    Date(NaiveDate),
    Time(f64),
    Duration(f64),
    /// Rows `start..end` of a list column's child.
    List(&'a Col, usize, usize),
    /// Row `i` of a struct column (a dict; null fields count as absent keys).
    Struct(&'a Col, usize),
}

fn options() -> CastOptions<'static> {
    // Never turn a value that does not fit into a silent null.
    CastOptions { safe: false, ..CastOptions::default() }
}

fn cast(arr: &ArrayRef, to: &DataType) -> Result<ArrayRef, String> {
    cast_with_options(arr, to, &options())
        .map_err(|e| format!("cannot read Arrow type {} as {to}: {e}", arr.data_type()))
}

fn per_sec(unit: &TimeUnit) -> i64 {
    match unit {
        TimeUnit::Second => 1,
        TimeUnit::Millisecond => 1_000,
        TimeUnit::Microsecond => 1_000_000,
        TimeUnit::Nanosecond => 1_000_000_000,
    }
}

/// Seconds (as Python's `total_seconds()`) of `raw` units at `per` units per second.
fn seconds(raw: i64, per: i64) -> f64 {
    raw as f64 / per as f64
}

fn scaled<T: arrow_array::ArrowPrimitiveType>(arr: &ArrayRef, per: i64) -> Vec<Option<f64>>
where
    T::Native: Into<i64>,
{
    arr.as_primitive::<T>().iter().map(|v| v.map(|x| seconds(x.into(), per))).collect()
}

impl Col {
    /// Normalises one Arrow column; `Err` names a type the Arrow path does not read (the
    /// caller then falls back to the Python path).
    pub(super) fn load(arr: &ArrayRef) -> Result<Col, String> {
        use DataType as D;
        Ok(match arr.data_type() {
            D::Null => Col::Null(arr.len()),
            D::Boolean => Col::Bool(arr.as_boolean().clone()),
            D::Int8
            | D::Int16
            | D::Int32
            | D::Int64
            | D::UInt8
            | D::UInt16
            | D::UInt32
            | D::UInt64 => Col::Int(cast(arr, &D::Int64)?.as_primitive::<Int64Type>().clone()),
            D::Float16 | D::Float32 | D::Float64 => Col::Float(
                cast(arr, &D::Float64)?.as_primitive::<arrow_array::types::Float64Type>().clone(),
            ),
            D::Utf8 | D::LargeUtf8 | D::Utf8View => {
                Col::Str(cast(arr, &D::Utf8)?.as_string::<i32>().clone())
            }
            D::Dictionary(_, values) => Col::load(&cast(arr, values)?)?,
            D::Timestamp(unit, tz) => {
                let per = per_sec(unit);
                let raw = cast(arr, &D::Int64)?;
                let raw = raw.as_primitive::<Int64Type>();
                let local = match tz {
                    None => raw.iter().collect(),
                    Some(name) => {
                        let tz = Tz::from_str(name)
                            .map_err(|e| format!("unknown time zone {name:?}: {e}"))?;
                        raw.iter().map(|v| v.map(|u| to_local(u, per, &tz))).collect()
                    }
                };
                Col::DateTime { local, per_sec: per }
            }
            D::Date32 => Col::Date(arr.as_primitive::<Date32Type>().clone()),
            D::Date64 => Col::Date(cast(arr, &D::Date32)?.as_primitive::<Date32Type>().clone()),
            D::Time32(TimeUnit::Second) => Col::Time(scaled::<Time32SecondType>(arr, 1)),
            D::Time32(TimeUnit::Millisecond) => {
                Col::Time(scaled::<Time32MillisecondType>(arr, 1_000))
            }
            D::Time64(TimeUnit::Microsecond) => {
                Col::Time(scaled::<Time64MicrosecondType>(arr, 1_000_000))
            }
            D::Time64(TimeUnit::Nanosecond) => {
                Col::Time(scaled::<Time64NanosecondType>(arr, 1_000_000_000))
            }
            D::Duration(unit) => Col::Duration(match unit {
                TimeUnit::Second => scaled::<DurationSecondType>(arr, 1),
                TimeUnit::Millisecond => scaled::<DurationMillisecondType>(arr, 1_000),
                TimeUnit::Microsecond => scaled::<DurationMicrosecondType>(arr, 1_000_000),
                TimeUnit::Nanosecond => scaled::<DurationNanosecondType>(arr, 1_000_000_000),
            }),
            D::List(_) => {
                let l = arr.as_list::<i32>();
                let starts = l.value_offsets().iter().map(|&o| o as usize).collect();
                let child = Box::new(Col::load(l.values())?);
                Col::List { starts, nulls: l.nulls().cloned(), child }
            }
            D::LargeList(_) => {
                let l = arr.as_list::<i64>();
                let starts = l.value_offsets().iter().map(|&o| o as usize).collect();
                let child = Box::new(Col::load(l.values())?);
                Col::List { starts, nulls: l.nulls().cloned(), child }
            }
            D::FixedSizeList(_, size) => {
                let l = arr.as_fixed_size_list();
                let size = *size as usize;
                let first = l.offset() * size;
                let starts = (0..=l.len()).map(|i| first + i * size).collect();
                let child = Box::new(Col::load(l.values())?);
                Col::List { starts, nulls: l.nulls().cloned(), child }
            }
            D::Struct(fields) => {
                let s = arr.as_struct();
                let names = fields.iter().map(|f| f.name().clone()).collect();
                let fields = s.columns().iter().map(Col::load).collect::<Result<_, _>>()?;
                Col::Struct { names, fields, nulls: s.nulls().cloned() }
            }
            other => return Err(format!("Arrow type {other} is not read by the Arrow path")),
        })
    }

    /// The value of row `i`.
    pub(super) fn cell(&self, i: usize) -> Cell<'_> {
        fn valid(nulls: &Option<NullBuffer>, i: usize) -> bool {
            nulls.as_ref().is_none_or(|n| n.is_valid(i))
        }
        match self {
            Col::Null(_) => Cell::Missing,
            Col::Bool(a) if a.is_valid(i) => Cell::Bool(a.value(i)),
            Col::Int(a) if a.is_valid(i) => Cell::Int(a.value(i)),
            Col::Float(a) if a.is_valid(i) => Cell::Float(a.value(i)),
            Col::Str(a) if a.is_valid(i) => Cell::Str(a.value(i)),
            Col::Bool(_) | Col::Int(_) | Col::Float(_) | Col::Str(_) => Cell::Missing,
            Col::DateTime { local, per_sec } => {
                local[i].map(|u| Cell::DateTime(u, *per_sec)).unwrap_or(Cell::Missing)
            }
            Col::Date(a) => a
                .is_valid(i)
                .then(|| a.value_as_date(i))
                .flatten()
                .map(Cell::Date)
                .unwrap_or(Cell::Missing),
            Col::Time(v) => v[i].map(Cell::Time).unwrap_or(Cell::Missing),
            Col::Duration(v) => v[i].map(Cell::Duration).unwrap_or(Cell::Missing),
            Col::List { starts, nulls, .. } => {
                if valid(nulls, i) {
                    Cell::List(self, starts[i], starts[i + 1])
                } else {
                    Cell::Missing
                }
            }
            Col::Struct { nulls, .. } => {
                if valid(nulls, i) {
                    Cell::Struct(self, i)
                } else {
                    Cell::Missing
                }
            }
        }
    }

    /// Number of rows.
    pub(super) fn len(&self) -> usize {
        match self {
            Col::Null(n) => *n,
            Col::Bool(a) => a.len(),
            Col::Int(a) => a.len(),
            Col::Float(a) => a.len(),
            Col::Str(a) => a.len(),
            Col::DateTime { local, .. } => local.len(),
            Col::Date(a) => a.len(),
            Col::Time(v) | Col::Duration(v) => v.len(),
            Col::List { starts, .. } => starts.len().saturating_sub(1),
            Col::Struct { fields, .. } => fields.first().map_or(0, Col::len),
        }
    }
}

/// Wall-clock units since the epoch of the UTC instant `units` in `tz`.
fn to_local(units: i64, per: i64, tz: &Tz) -> i64 {
    let secs = units.div_euclid(per);
    let Some(utc) = chrono::DateTime::from_timestamp(secs, 0) else {
        return units;
    };
    let offset = tz.offset_from_utc_datetime(&utc.naive_utc()).fix().local_minus_utc();
    units.saturating_add(i64::from(offset).saturating_mul(per))
}

impl<'a> Cell<'a> {
    /// The items of a list cell.
    pub(super) fn items(self) -> Option<impl Iterator<Item = Cell<'a>>> {
        match self {
            Cell::List(Col::List { child, .. }, start, end) => {
                Some((start..end).map(move |k| child.cell(k)))
            }
            _ => None,
        }
    }

    /// The present (non-null) fields of a struct cell, in field order.
    pub(super) fn fields(self) -> Option<impl Iterator<Item = (&'a str, Cell<'a>)>> {
        match self {
            Cell::Struct(Col::Struct { names, fields, .. }, i) => Some(
                names
                    .iter()
                    .zip(fields)
                    .map(move |(n, c)| (n.as_str(), c.cell(i)))
                    .filter(|(_, c)| !matches!(c, Cell::Missing)),
            ),
            _ => None,
        }
    }

    /// The field `name` of a struct cell, when present.
    pub(super) fn field(self, name: &str) -> Option<Cell<'a>> {
        self.fields()?.find(|(n, _)| *n == name).map(|(_, c)| c)
    }

    pub(super) fn is_list(self) -> bool {
        matches!(self, Cell::List(..))
    }

    pub(super) fn is_struct(self) -> bool {
        matches!(self, Cell::Struct(..))
    }

    /// Python's `_missing`: None or NaN.
    pub(super) fn is_missing(self) -> bool {
        match self {
            Cell::Missing => true,
            Cell::Float(f) => f.is_nan(),
            _ => false,
        }
    }
}

/// Days from 1970-01-01 to `date`.
pub(super) fn epoch_days(date: NaiveDate) -> i64 {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    (date - epoch).num_days()
}

/// The calendar day of wall-clock `units` since the epoch.
pub(super) fn day_of(units: i64, per: i64) -> Option<NaiveDate> {
    let days = units.div_euclid(per).div_euclid(DAY);
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1)?;
    epoch.checked_add_signed(chrono::TimeDelta::try_days(days)?)
}

/// Seconds from midnight of the day `epoch_days` to wall-clock `units`.
pub(super) fn since_midnight(units: i64, per: i64, day: i64) -> f64 {
    let midnight = (day as i128) * (DAY as i128) * (per as i128);
    ((units as i128 - midnight) as f64) / per as f64
}
