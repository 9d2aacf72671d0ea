//! Converts a checked document into the indexed, integer-unit [`Problem`].

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::io::schema::{Loc, RawJob, RawTech, RawTravel};
use crate::model::time::{ticks_down, ticks_up};
use crate::model::{Break, Job, Problem, Technician, TimeWindow};
use crate::policy::Policy;
use crate::travel::{ExactTravel, Travel};

/// Everything the document said, checked, in document units.
pub(super) struct RawProblem {
    /// Optional name.
    pub name: Option<String>,
    /// Plan day.
    pub date: NaiveDate,
    /// Travel model.
    pub travel: RawTravel,
    /// Objective weights.
    pub policy: Policy,
    /// Technicians in document order.
    pub techs: Vec<RawTech>,
    /// Jobs in document order.
    pub jobs: Vec<RawJob>,
}

/// Names numbered in first-seen order.
#[derive(Default)]
struct Names {
    list: Vec<String>,
    index: HashMap<String, usize>,
}

impl Names {
    /// The index of `name`, adding it if new.
    fn intern(&mut self, name: &str) -> usize {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        self.index.insert(name.to_owned(), self.list.len());
        self.list.push(name.to_owned());
        self.list.len() - 1
    }

    /// The index of a name already interned.
    fn get(&self, name: &str) -> usize {
        self.index.get(name).copied().unwrap_or(0)
    }
}

/// Builds the model problem (cannot fail: every rule was checked before).
pub(super) fn problem(raw: RawProblem) -> Problem {
    let (skills, certs) = name_tables(&raw.techs, &raw.jobs);
    let dims = dimensions(&raw.techs, &raw.jobs);
    let (exact, (tech_locs, job_locs)) = locations(raw.travel, &raw.techs, &raw.jobs);
    let technicians = raw
        .techs
        .iter()
        .zip(tech_locs)
        .map(|(t, (s, e))| technician(t, s, e, &skills, &certs, raw.date))
        .collect();
    let jobs = raw
        .jobs
        .into_iter()
        .zip(job_locs)
        .map(|(j, loc)| job(j, loc, &skills, &certs, dims))
        .collect();
    Problem {
        name: raw.name,
        date: raw.date,
        technicians,
        jobs,
        travel: Travel::new(exact),
        policy: raw.policy,
        skill_names: skills.list,
        cert_names: certs.list,
        dims,
    }
}

/// Skill and certification names over technicians then jobs, first-seen order.
fn name_tables(techs: &[RawTech], jobs: &[RawJob]) -> (Names, Names) {
    let mut skills = Names::default();
    let mut certs = Names::default();
    for t in techs {
        for (s, _) in &t.skills {
            skills.intern(s);
        }
        for (c, _) in &t.certs {
            certs.intern(c);
        }
    }
    for j in jobs {
        for (s, _) in &j.skills {
            skills.intern(s);
        }
        for c in &j.certs {
            certs.intern(c);
        }
    }
    (skills, certs)
}

/// Capacity dimensions: from technician capacity, else from job demand, else 0.
fn dimensions(techs: &[RawTech], jobs: &[RawJob]) -> usize {
    techs
        .iter()
        .find_map(|t| t.capacity.as_ref().map(Vec::len))
        .or_else(|| jobs.iter().find_map(|j| j.demand.as_ref().map(Vec::len)))
        .unwrap_or(0)
}

/// Locations per technician (start, end) and per job.
type LocIndices = (Vec<(usize, usize)>, Vec<usize>);

/// The exact travel model with the location indices of technicians and jobs.
/// The raw matrices are moved, not copied (they can be 1.6 GB).
fn locations(travel: RawTravel, techs: &[RawTech], jobs: &[RawJob]) -> (ExactTravel, LocIndices) {
    match travel {
        RawTravel::Matrix { n, durations, distances } => {
            let distances = distances.unwrap_or_else(|| durations.clone());
            let exact = ExactTravel::Matrix { n, durations, distances };
            let t = techs.iter().map(|t| (matrix_index(t.start), matrix_index(t.end))).collect();
            (exact, (t, jobs.iter().map(|j| matrix_index(j.loc)).collect()))
        }
        RawTravel::Haversine { speed_kmh, detour } => {
            let (points, ix) = point_list(techs, jobs);
            (ExactTravel::Haversine { points, speed_ms: speed_kmh / 3.6, detour }, ix)
        }
        RawTravel::Euclidean { speed } => {
            let (points, ix) = point_list(techs, jobs);
            (ExactTravel::Euclidean { points, speed }, ix)
        }
        RawTravel::Road { graph, .. } => road_matrix(&graph, techs, jobs),
    }
}

/// Snaps every location to its nearest road node; the distinct nodes (first-seen order:
/// technician starts and ends, then jobs) become the rows of an exact matrix of
/// (seconds, metres) along the fastest paths, `inf` where there is no path.
fn road_matrix(
    graph: &crate::travel::RoadGraph,
    techs: &[RawTech],
    jobs: &[RawJob],
) -> (ExactTravel, LocIndices) {
    let mut slot: HashMap<u32, usize> = HashMap::new();
    let mut nodes: Vec<u32> = Vec::new();
    let mut at = |l: Loc| {
        let Loc::Point(lat, lon) = l else { return 0 };
        let node = graph.snap((lat, lon)).map_or(0, |s| s.0);
        *slot.entry(node).or_insert_with(|| {
            nodes.push(node);
            nodes.len() - 1
        })
    };
    let t: Vec<(usize, usize)> = techs.iter().map(|t| (at(t.start), at(t.end))).collect();
    let j: Vec<usize> = jobs.iter().map(|j| at(j.loc)).collect();
    let legs = graph.matrix(&nodes);
    let durations = legs.iter().map(|l| l.secs).collect();
    let distances = legs.iter().map(|l| l.metres).collect();
    (ExactTravel::Matrix { n: nodes.len(), durations, distances }, (t, j))
}

/// The index of a matrix location (validation guarantees the variant).
fn matrix_index(l: Loc) -> usize {
    match l {
        Loc::Index(i) => i,
        Loc::Point(..) => 0,
    }
}

/// One point per technician start, per technician end, then per job, in that order.
fn point_list(techs: &[RawTech], jobs: &[RawJob]) -> (Vec<(f64, f64)>, LocIndices) {
    let mut points = Vec::with_capacity(2 * techs.len() + jobs.len());
    let mut push = |l: Loc| {
        points.push(match l {
            Loc::Point(a, b) => (a, b),
            Loc::Index(_) => (0.0, 0.0),
        });
        points.len() - 1
    };
    let t: Vec<(usize, usize)> = techs.iter().map(|t| (push(t.start), push(t.end))).collect();
    let j: Vec<usize> = jobs.iter().map(|j| push(j.loc)).collect();
    (points, (t, j))
}

/// An exact window in ticks: open rounded up, close rounded down. A window narrower than a
/// tick keeps `close = open - 1`: arriving by then means waiting and starting exactly at the
/// exact open, which lies inside the window.
fn ticks_window((open, close): (f64, f64)) -> TimeWindow {
    let open = ticks_up(open);
    TimeWindow { open, close: ticks_down(close).max(open - 1) }
}

/// Scales a capacity (rounded down) or demand (rounded up) vector by 1000.
fn scaled(v: &[f64], up: bool) -> Vec<i64> {
    v.iter().map(|&x| if up { ticks_up(x) } else { ticks_down(x) }).collect()
}

/// One model technician.
fn technician(
    t: &RawTech,
    start: usize,
    end: usize,
    skills: &Names,
    certs: &Names,
    date: NaiveDate,
) -> Technician {
    let mut levels = vec![0u8; skills.list.len()];
    for (s, l) in &t.skills {
        if let Some(slot) = levels.get_mut(skills.get(s)) {
            *slot = *l;
        }
    }
    let mut expiry = vec![None; certs.list.len()];
    for (c, d) in &t.certs {
        if let Some(slot) = expiry.get_mut(certs.get(c)) {
            *slot = Some(*d);
        }
    }
    let (s0, s1) = t.shift;
    Technician {
        id: t.id.clone(),
        start,
        end,
        shift: ticks_window(t.shift),
        max_overtime: ticks_down(t.max_overtime),
        shift_exact: (s0, s1, t.max_overtime),
        skills: levels,
        certs_valid: expiry.iter().map(|e| e.is_some_and(|d| d >= date)).collect(),
        cert_expiry: expiry,
        capacity: t.capacity.as_deref().map(|c| scaled(c, false)),
        max_jobs: t.max_jobs,
        brk: t.brk.map(|(a, b, d)| Break {
            window: ticks_window((a, b)),
            duration: ticks_up(d),
            exact: (a, b, d),
        }),
        cost: t.cost,
        rating: t.rating,
        kind: t.kind,
        team: t.team.clone(),
    }
}

/// One model job.
fn job(j: RawJob, loc: usize, skills: &Names, certs: &Names, dims: usize) -> Job {
    let windows_exact = j.windows.unwrap_or_default();
    let windows = if windows_exact.is_empty() {
        vec![TimeWindow::ANY]
    } else {
        windows_exact.iter().copied().map(ticks_window).collect()
    };
    let mut cert_ix: Vec<usize> = Vec::with_capacity(j.certs.len());
    for c in &j.certs {
        let i = certs.get(c);
        if !cert_ix.contains(&i) {
            cert_ix.push(i);
        }
    }
    Job {
        id: j.id,
        customer: j.customer,
        loc,
        duration: ticks_up(j.duration),
        duration_exact: j.duration,
        windows,
        windows_exact,
        skills: j.skills.iter().map(|(s, l)| (skills.get(s), *l)).collect(),
        certs: cert_ix,
        demand: j.demand.as_deref().map_or_else(|| vec![0; dims], |d| scaled(d, true)),
        priority: j.priority,
        unassigned_cost: j.unassigned_cost,
        preferred: j.preferred,
        excluded: j.excluded,
        pinned: j.pinned,
        kind: j.kind,
    }
}
