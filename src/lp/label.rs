//! Labels of the pricing search and their dominance store (one bucket of labels per job).

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::colgen::EPS;
use crate::model::Time;

/// Labels the relaxed search keeps per job (the cheapest).
const RELAXED_PER_JOB: usize = 16;

/// A partial route in the labelling.
#[derive(Clone, Copy)]
pub(super) struct Label {
    pub(super) node: u32,
    pub(super) count: u32,
    /// Service start at `node` (ticks).
    pub(super) time: Time,
    /// Reduced cost so far (currency).
    pub(super) cost: f64,
    /// Visited jobs remembered: bit `q` = `ng[node][q]`.
    pub(super) mem: u32,
    /// Previous label, or `u32::MAX` at the first job.
    pub(super) pred: u32,
    pub(super) dead: bool,
}

/// What dominance reads of a label, stored inline in its job's bucket so the scans run
/// over contiguous memory instead of indexing the label arena.
#[derive(Clone, Copy)]
pub(super) struct Entry {
    time: Time,
    cost: f64,
    mem: u32,
    count: u32,
    id: u32,
}

/// Adds label `l` (with load `load`) at its node unless an existing label dominates it;
/// removes the labels it dominates. Dominance: no later, no heavier, no more jobs, no
/// dearer, and remembering a subset of jobs; `relaxed` compares time and cost alone.
#[allow(clippy::too_many_arguments)]
pub(super) fn insert(
    l: Label,
    load: &[i64],
    labels: &mut Vec<Label>,
    loads: &mut Vec<i64>,
    bucket: &mut [Vec<Entry>],
    queue: &mut BinaryHeap<Reverse<(Time, u32)>>,
    dims: usize,
    relaxed: bool,
) {
    let b = &mut bucket[l.node as usize];
    let le_load =
        |x: u32, y: &[i64], loads: &[i64]| (0..dims).all(|d| loads[x as usize * dims + d] <= y[d]);
    for e in b.iter() {
        if e.time <= l.time
            && e.count <= l.count
            && e.cost <= l.cost + EPS
            && (relaxed || (e.mem & !l.mem == 0 && le_load(e.id, load, loads)))
        {
            return;
        }
    }
    let id = labels.len() as u32;
    b.retain(|e| {
        let dominated = l.time <= e.time
            && l.count <= e.count
            && l.cost <= e.cost
            && (relaxed
                || (l.mem & !e.mem == 0
                    && (0..dims).all(|d| load[d] <= loads[e.id as usize * dims + d])));
        if dominated {
            labels[e.id as usize].dead = true;
        }
        !dominated
    });
    if relaxed && b.len() >= RELAXED_PER_JOB {
        // Keep the cheapest few: the relaxed search is a heuristic anyway.
        let (k, worst) = b
            .iter()
            .enumerate()
            .max_by(|x, y| x.1.cost.total_cmp(&y.1.cost))
            .map(|(k, e)| (k, *e))
            .expect("non-empty bucket");
        if worst.cost <= l.cost {
            return;
        }
        labels[worst.id as usize].dead = true;
        b.swap_remove(k);
    }
    b.push(Entry { time: l.time, cost: l.cost, mem: l.mem, count: l.count, id });
    labels.push(l);
    loads.extend_from_slice(load);
    queue.push(Reverse((l.time, id)));
}

/// True when demands `a` and `b` together fit `cap` (no capacity: always).
pub(super) fn fits(cap: Option<&[i64]>, a: &[i64], b: &[i64]) -> bool {
    cap.is_none_or(|cap| {
        cap.iter()
            .enumerate()
            .all(|(d, &c)| a.get(d).copied().unwrap_or(0) + b.get(d).copied().unwrap_or(0) <= c)
    })
}
