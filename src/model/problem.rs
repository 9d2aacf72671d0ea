use chrono::NaiveDate;

use super::time::{Time, FAR};
use crate::policy::Policy;
use crate::travel::Travel;

/// Dense index of a technician in `Problem::technicians`.
pub type TechIdx = usize;
/// Dense index of a job in `Problem::jobs`.
pub type JobIdx = usize;
/// Dense index of a location in the travel model.
pub type LocIdx = usize;

/// A time window `[open, close]` on the service start, in ticks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeWindow {
    /// Earliest service start (ticks, rounded up).
    pub open: Time,
    /// Latest arrival (ticks) that still starts service inside the window: the close rounded
    /// down, or `open - 1` for a window narrower than one tick (start = open then).
    pub close: Time,
}

impl TimeWindow {
    /// A window that never binds.
    pub const ANY: TimeWindow = TimeWindow { open: -FAR, close: FAR };
}

/// The lunch break of a technician: `duration` ticks starting inside `window`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Break {
    /// Where the break may start (ticks).
    pub window: TimeWindow,
    /// Length of the break (ticks).
    pub duration: Time,
    /// Exact values in seconds, for output: (open, close, duration).
    pub exact: (f64, f64, f64),
}

/// Labour cost of a technician, in currency units.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Cost {
    /// Paid once if the technician does at least one job.
    pub fixed: f64,
    /// Paid per hour of route span (leave start to return at end).
    pub per_hour: f64,
    /// Paid per kilometre driven (per 1000 distance units on planar instances).
    pub per_km: f64,
}

/// Employment kind of a technician.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TechKind {
    /// Salaried staff (default).
    #[default]
    Employee,
    /// Paid per call-out.
    Contractor,
}

/// A technician's day: where, when, what they can do.
#[derive(Debug, Clone)]
pub struct Technician {
    /// External id from the document.
    pub id: String,
    /// Where the day starts.
    pub start: LocIdx,
    /// Where the day ends.
    pub end: LocIdx,
    /// Leave start no earlier than `shift.open`; back by `shift.close + max_overtime` (ticks).
    pub shift: TimeWindow,
    /// Overtime allowed after `shift.close` (ticks).
    pub max_overtime: Time,
    /// Exact shift in seconds, for output and KPIs: (start, end, max_overtime).
    pub shift_exact: (f64, f64, f64),
    /// Skill level per skill index (0 = does not have it); length = `Problem::skill_names`.
    pub skills: Vec<u8>,
    /// Certification held and valid on the plan date, per certification index.
    pub certs_valid: Vec<bool>,
    /// Expiry (last valid day) per certification index, `None` if not held.
    pub cert_expiry: Vec<Option<NaiveDate>>,
    /// Capacity per dimension (1/1000 units); `None` = unlimited.
    pub capacity: Option<Vec<i64>>,
    /// Most jobs in a day; `None` = unlimited.
    pub max_jobs: Option<usize>,
    /// Lunch break, if any.
    pub brk: Option<Break>,
    /// Labour cost.
    pub cost: Cost,
    /// Customers' average rating 0..=5.
    pub rating: Option<f64>,
    /// Employee or contractor.
    pub kind: TechKind,
    /// Free-text team or region.
    pub team: Option<String>,
}

/// A job to be served at most once by one technician.
#[derive(Debug, Clone)]
pub struct Job {
    /// External id from the document.
    pub id: String,
    /// Customer account; jobs of one customer share it.
    pub customer: Option<String>,
    /// Where the job is.
    pub loc: LocIdx,
    /// Service time on site (ticks, rounded up).
    pub duration: Time,
    /// Exact service time in seconds, for output.
    pub duration_exact: f64,
    /// Windows on the service start, sorted; `[TimeWindow::ANY]` when none are given.
    pub windows: Vec<TimeWindow>,
    /// Exact windows in seconds, sorted (empty = any time).
    pub windows_exact: Vec<(f64, f64)>,
    /// Required (skill index, minimum level).
    pub skills: Vec<(usize, u8)>,
    /// Required certification indices.
    pub certs: Vec<usize>,
    /// Demand per capacity dimension (1/1000 units); empty = none.
    pub demand: Vec<i64>,
    /// Importance to assign; higher = more important.
    pub priority: u32,
    /// What leaving the job out costs, in currency, if given.
    pub unassigned_cost: Option<f64>,
    /// The customer's favourite technicians (soft).
    pub preferred: Vec<TechIdx>,
    /// Technicians banned from this job (hard).
    pub excluded: Vec<TechIdx>,
    /// If assigned, only to this technician (hard).
    pub pinned: Option<TechIdx>,
    /// Free-text kind ("repair", "maintenance", ...).
    pub kind: Option<String>,
}

impl Job {
    /// The hull of all windows: earliest open and latest close (ticks). Windows are sorted
    /// by open, so a nested window may close before an earlier one: take the maximum.
    pub fn window_hull(&self) -> TimeWindow {
        TimeWindow {
            open: self.windows.first().map_or(-FAR, |w| w.open),
            close: self.windows.iter().map(|w| w.close).max().unwrap_or(FAR),
        }
    }

    /// Earliest feasible service start when arriving at `t`, or `None` if every window closed.
    pub fn service_start(&self, t: Time) -> Option<Time> {
        self.windows.iter().find(|w| t <= w.close).map(|w| t.max(w.open))
    }
}

/// A validated problem with dense indices and integer units.
#[derive(Debug, Clone)]
pub struct Problem {
    /// Echoed into the plan.
    pub name: Option<String>,
    /// The plan day; certifications are checked against it.
    pub date: NaiveDate,
    /// Technicians in document order.
    pub technicians: Vec<Technician>,
    /// Jobs in document order.
    pub jobs: Vec<Job>,
    /// Travel durations and distances between locations.
    pub travel: Travel,
    /// Objective weights.
    pub policy: Policy,
    /// Skill names by skill index.
    pub skill_names: Vec<String>,
    /// Certification names by certification index.
    pub cert_names: Vec<String>,
    /// Number of capacity dimensions (0 if none).
    pub dims: usize,
}
