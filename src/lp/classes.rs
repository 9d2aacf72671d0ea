//! Technician classes: technicians that are interchangeable for routing and cost (same
//! start and end depot, shift, overtime, job limit, capacity, break, labour cost, skills
//! and the same candidate jobs at the same assignment costs), such as the 25 identical
//! vehicles of a Solomon instance. A route found for one member is a route of every
//! member, so the column generation bound and the route pool keep one column per class.
//!
//! Needs no LP backend (the route pool of the search uses it in every build).

use std::collections::HashMap;

use crate::model::{JobIdx, Problem, TechIdx};
use crate::policy::Objective;

/// A route of any technician of a class: its jobs in order and its cost (micro-currency).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolRoute {
    /// Class index in [`TechClasses::members`].
    pub class: usize,
    /// Jobs in visiting order (never empty).
    pub jobs: Vec<JobIdx>,
    /// Exact route cost: route terms plus assignment costs.
    pub cost: i64,
}

/// The classes of a problem's technicians.
#[derive(Debug, Clone, Default)]
pub struct TechClasses {
    /// Class of each technician; `None` for technicians without candidate jobs.
    pub of: Vec<Option<usize>>,
    /// Members of each class in increasing technician order (the first stands for all).
    pub members: Vec<Vec<TechIdx>>,
}

impl TechClasses {
    /// Groups the technicians of `p`; `cand[t]` are the jobs technician `t` may do, in
    /// increasing order. Classes are numbered by their first member.
    pub fn new(p: &Problem, obj: &Objective, cand: &[Vec<JobIdx>]) -> Self {
        // Technicians whose start (end) locations coincide share one key: the same depot
        // is often listed once per vehicle.
        let mut canon: HashMap<usize, usize> = HashMap::new();
        let mut reps_loc: Vec<usize> = Vec::new();
        let mut canonical = |loc: usize| -> usize {
            if let Some(&c) = canon.get(&loc) {
                return c;
            }
            let same = |a: usize, b: usize| {
                p.travel.time(a, b) == 0
                    && p.travel.time(b, a) == 0
                    && p.travel.dist(a, b) == 0
                    && p.travel.dist(b, a) == 0
            };
            let c = reps_loc.iter().copied().find(|&r| same(r, loc)).unwrap_or_else(|| {
                reps_loc.push(loc);
                loc
            });
            canon.insert(loc, c);
            c
        };
        let mut keys: HashMap<Vec<i64>, usize> = HashMap::new();
        let mut out = TechClasses { of: vec![None; p.technicians.len()], members: Vec::new() };
        for (t, jobs) in cand.iter().enumerate().take(p.technicians.len()) {
            if jobs.is_empty() {
                continue;
            }
            let tech = &p.technicians[t];
            let brk = tech
                .brk
                .as_ref()
                .map_or([-1, -1, -1], |b| [b.window.open, b.window.close, b.duration]);
            let mut key = vec![
                canonical(tech.start) as i64,
                canonical(tech.end) as i64,
                tech.shift.open,
                tech.shift.close,
                tech.max_overtime,
                tech.max_jobs.map_or(-1, |m| m as i64),
                tech.cost.fixed.to_bits() as i64,
                tech.cost.per_hour.to_bits() as i64,
                tech.cost.per_km.to_bits() as i64,
            ];
            key.extend(brk);
            key.extend(tech.skills.iter().map(|&s| s as i64));
            key.push(-1);
            key.extend(tech.capacity.iter().flatten().copied());
            key.push(-1);
            for &j in jobs {
                key.push(j as i64);
                key.push(obj.assignment_cost(j, t));
            }
            let c = *keys.entry(key).or_insert_with(|| {
                out.members.push(Vec::new());
                out.members.len() - 1
            });
            out.members[c].push(t);
            out.of[t] = Some(c);
        }
        out
    }

    /// One representative technician and the class size, per class.
    pub fn reps(&self) -> impl Iterator<Item = (TechIdx, usize)> + '_ {
        self.members.iter().map(|m| (m[0], m.len()))
    }
}

/// Test fixture: two identical technicians at the origin and one job of 60 s per x
/// coordinate in `xs` (ids `J0`, `J1`, ...), on a line.
#[cfg(test)]
pub(crate) fn two_identical_technicians(xs: &[i64]) -> Problem {
    let jobs: Vec<String> = xs
        .iter()
        .enumerate()
        .map(|(k, x)| {
            format!(r#"{{"id": "J{k}", "location": {{"x": {x}, "y": 0}}, "duration": 60}}"#)
        })
        .collect();
    let doc = format!(
        r#"{{"format": "fieldopt-problem/1", "date": "2026-11-24",
          "travel": {{"kind": "euclidean", "speed": 1.0}},
          "technicians": [
            {{"id": "A", "start": {{"x": 0, "y": 0}}, "shift": [0, 100000]}},
            {{"id": "B", "start": {{"x": 0, "y": 0}}, "shift": [0, 100000]}}],
          "jobs": [{}]}}"#,
        jobs.join(",")
    );
    crate::io::parse_problem_str(&doc).expect("valid fixture")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::parse_problem_str;
    use crate::policy::Policy;

    #[test]
    fn identical_technicians_share_a_class_and_others_do_not() {
        let p = parse_problem_str(
            r#"{"format": "fieldopt-problem/1", "date": "2026-11-24",
              "travel": {"kind": "euclidean", "speed": 1.0},
              "technicians": [
                {"id": "A", "start": {"x": 0, "y": 0}, "shift": [0, 100000]},
                {"id": "B", "start": {"x": 0, "y": 0}, "shift": [0, 100000]},
                {"id": "C", "start": {"x": 0, "y": 0}, "shift": [0, 50000]},
                {"id": "D", "start": {"x": 0, "y": 0}, "shift": [0, 100000],
                 "cost": {"fixed": 10}}],
              "jobs": [{"id": "J", "location": {"x": 30, "y": 40}, "duration": 60}]}"#,
        )
        .unwrap();
        let obj = Objective::new(&p, &Policy::default());
        let cand = vec![vec![0]; 4];
        let c = TechClasses::new(&p, &obj, &cand);
        assert_eq!(c.of, vec![Some(0), Some(0), Some(1), Some(2)]);
        assert_eq!(c.reps().collect::<Vec<_>>(), vec![(0, 2), (2, 1), (3, 1)]);
        let mut none = cand.clone();
        none[1].clear();
        assert_eq!(TechClasses::new(&p, &obj, &none).of[1], None);
    }
}
