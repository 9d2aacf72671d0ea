//! Labels of the pricing search and their dominance store (one bucket of labels per job).

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::colgen::EPS;
use super::cuts::{price_of, CutBits};
use super::day::PENDING;
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

impl Label {
    /// A live label at `node` reached from label `pred` (`u32::MAX` at a route's end).
    pub(super) fn new(node: usize, count: u32, time: Time, cost: f64, mem: u32, pred: u32) -> Self {
        Label { node: node as u32, count, time, cost, mem, pred, dead: false }
    }
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

/// The labels of one pricing run: an arena (with loads, `dims` per label), one bucket of
/// non-dominated labels per node, and the queue of labels to extend, earliest service
/// start first (so a label is usually dominated before it is extended, not after).
pub(super) struct Labels {
    arena: Vec<Label>,
    loads: Vec<i64>,
    bucket: Vec<Vec<Entry>>,
    queue: BinaryHeap<Reverse<(Time, u32)>>,
    dims: usize,
    /// Dominance on time and cost alone, keeping the cheapest [`RELAXED_PER_JOB`] per node.
    relaxed: bool,
    /// Relaxed only: the jobs each label's route visited, `words` bits per label, so the
    /// relaxed search builds elementary routes (dominance that ignores the ng memory
    /// otherwise keeps routes that cycle back through jobs their memory forgot, which
    /// count twice in the master and rarely help it).
    visited: Vec<u64>,
    words: usize,
    /// Price of each subset-row cut (currency), by bit.
    mu: Vec<f64>,
    /// Each label's parities of visits to the cuts' jobs (bit per cut), only while there
    /// are cuts: kept apart so labels stay small without them.
    parities: Vec<CutBits>,
}

impl Labels {
    /// An empty store over `nodes` jobs with `dims` capacity dimensions; `mu` prices the
    /// subset-row cuts that labels' parities track.
    pub(super) fn new(nodes: usize, dims: usize, relaxed: bool, mu: &[f64]) -> Self {
        Labels {
            arena: Vec::new(),
            loads: Vec::new(),
            bucket: vec![Vec::new(); nodes],
            queue: BinaryHeap::new(),
            dims,
            relaxed,
            visited: Vec::new(),
            words: if relaxed { nodes.div_ceil(64) } else { 0 },
            mu: mu.to_vec(),
            parities: Vec::new(),
        }
    }

    /// True when the route of label `id` already visits `node` (relaxed search only;
    /// always false otherwise, where the ng memory rules revisits).
    pub(super) fn visits(&self, id: u32, node: usize) -> bool {
        let w = self.words;
        w > 0 && self.visited[id as usize * w + node / 64] >> (node % 64) & 1 == 1
    }

    /// Labels created so far (dominated ones included).
    pub(super) fn len(&self) -> usize {
        self.arena.len()
    }

    pub(super) fn get(&self, id: u32) -> Label {
        self.arena[id as usize]
    }

    /// Cut parities of label `id` (0 without cuts).
    pub(super) fn parities(&self, id: u32) -> CutBits {
        self.parities.get(id as usize).copied().unwrap_or(0)
    }

    /// Load of label `id`, one value per capacity dimension.
    pub(super) fn load(&self, id: u32) -> &[i64] {
        &self.loads[id as usize * self.dims..(id as usize + 1) * self.dims]
    }

    /// The labels not dominated, with their ids, in creation order.
    pub(super) fn alive(&self) -> impl Iterator<Item = (u32, &Label)> {
        self.arena.iter().enumerate().filter(|(_, l)| !l.dead).map(|(id, l)| (id as u32, l))
    }

    /// The next label to extend that is not dominated yet.
    pub(super) fn pop(&mut self) -> Option<u32> {
        while let Some(Reverse((_, id))) = self.queue.pop() {
            if !self.arena[id as usize].dead {
                return Some(id);
            }
        }
        None
    }

    /// The nodes of the route that ends with label `id`, first to last.
    pub(super) fn route(&self, id: u32) -> Vec<u32> {
        let mut seq = Vec::new();
        let mut cur = id;
        while cur != u32::MAX {
            seq.push(self.arena[cur as usize].node);
            cur = self.arena[cur as usize].pred;
        }
        seq.reverse();
        seq
    }

    /// Adds label `l` (with load `load`) at its node unless an existing label dominates
    /// it; removes the labels it dominates. Dominance: no later, no heavier, no more jobs,
    /// no dearer, and remembering a subset of jobs (the break still due counts as one);
    /// relaxed, time, cost and the break alone. A label with an odd count in a cut where
    /// the other's is even may pay that cut's price later, so it counts as dearer by it.
    pub(super) fn insert(&mut self, l: Label, load: &[i64], sr: CutBits) {
        let (dims, relaxed) = (self.dims, self.relaxed);
        let mask = if relaxed { PENDING } else { u32::MAX };
        let (arena, loads, mu, par) = (&mut self.arena, &self.loads, &self.mu, &self.parities);
        let cuts = !relaxed && !mu.is_empty();
        // What label `x`'s odd cut parities may still cost beyond `y`'s (0 relaxed).
        let extra = |x: CutBits, y: CutBits| if cuts { price_of(mu, x & !y) } else { 0.0 };
        let sr_of = |id: u32| if cuts { par[id as usize] } else { 0 };
        let b = &mut self.bucket[l.node as usize];
        let le_load = |x: u32| (0..dims).all(|d| loads[x as usize * dims + d] <= load[d]);
        let ge_load = |x: u32| (0..dims).all(|d| load[d] <= loads[x as usize * dims + d]);
        for e in b.iter() {
            if e.time <= l.time
                && e.count <= l.count
                && e.cost + extra(sr_of(e.id), sr) <= l.cost + EPS
                && e.mem & !l.mem & mask == 0
                && (relaxed || le_load(e.id))
            {
                return;
            }
        }
        b.retain(|e| {
            let dominated = l.time <= e.time
                && l.count <= e.count
                && l.cost + extra(sr, sr_of(e.id)) <= e.cost
                && l.mem & !e.mem & mask == 0
                && (relaxed || ge_load(e.id));
            if dominated {
                arena[e.id as usize].dead = true;
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
            arena[worst.id as usize].dead = true;
            b.swap_remove(k);
        }
        let id = arena.len() as u32;
        b.push(Entry { time: l.time, cost: l.cost, mem: l.mem, count: l.count, id });
        if cuts {
            self.parities.push(sr);
        }
        arena.push(l);
        self.loads.extend_from_slice(load);
        let w = self.words;
        if w > 0 {
            let start = self.visited.len();
            if l.pred == u32::MAX {
                self.visited.resize(start + w, 0);
            } else {
                self.visited.extend_from_within(l.pred as usize * w..(l.pred as usize + 1) * w);
            }
            self.visited[start + l.node as usize / 64] |= 1 << (l.node % 64);
        }
        self.queue.push(Reverse((l.time, id)));
    }
}
