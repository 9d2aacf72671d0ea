//! Road-network travel (`"kind": "road_graph"`): nodes with lat/lon, directed edges with
//! seconds and metres, stored as a petgraph CSR graph; locations snapped to the nearest
//! node with an R*-tree; many-to-many shortest paths by one Dijkstra per source, sources in
//! parallel (rayon).
//!
//! A path's cost is the pair (seconds, metres) compared lexicographically: the fastest
//! path, and among equally fast ones the shortest, so durations and distances come from
//! one and the same path and the result does not depend on the order of the search.
//!
//! Two kernels give identical matrices: [`RoadGraph::matrix`] (our own Dijkstra over the
//! CSR slices with flat `Vec` labels, stopping once every target is settled) and
//! [`RoadGraph::matrix_petgraph`] (`petgraph::algo::dijkstra`, which labels every node in a
//! `HashMap`). The first is the one used; `benches/kernels.rs` measures both.

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::ops::Add;

use geo::{Distance, Haversine, Point};
use petgraph::csr::Csr;
use petgraph::Directed;
use rayon::prelude::*;
use rstar::primitives::GeomWithData;
use rstar::RTree;

use super::near::unit_sphere;

/// Cost of a path: travel seconds, then metres (lexicographic order).
#[derive(Debug, Clone, Copy, Default, PartialEq, PartialOrd)]
pub struct Leg {
    /// Seconds of driving.
    pub secs: f64,
    /// Metres driven.
    pub metres: f64,
}

impl Leg {
    /// No path.
    pub const UNREACHABLE: Leg = Leg { secs: f64::INFINITY, metres: f64::INFINITY };

    /// Total order (both fields are finite or +inf, never NaN).
    fn cmp_total(&self, o: &Leg) -> Ordering {
        self.secs.total_cmp(&o.secs).then(self.metres.total_cmp(&o.metres))
    }
}

impl Add for Leg {
    type Output = Leg;
    fn add(self, o: Leg) -> Leg {
        Leg { secs: self.secs + o.secs, metres: self.metres + o.metres }
    }
}

/// A heap entry: smallest cost first, ties by node index.
#[derive(Clone, Copy)]
struct Entry(Leg, u32);

impl PartialEq for Entry {
    fn eq(&self, o: &Self) -> bool {
        self.cmp(o) == Ordering::Equal
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Entry {
    fn cmp(&self, o: &Self) -> Ordering {
        // Reversed: BinaryHeap is a max-heap.
        o.0.cmp_total(&self.0).then(o.1.cmp(&self.1))
    }
}

/// A directed road graph with a spatial index over its nodes.
pub struct RoadGraph {
    /// Outgoing edges per node (CSR), weighted by [`Leg`].
    csr: Csr<(), Leg, Directed, u32>,
    /// (lat, lon) in degrees per node.
    coords: Vec<(f64, f64)>,
    /// Nodes on the unit sphere, tagged with their index.
    index: RTree<GeomWithData<[f64; 3], u32>>,
}

impl std::fmt::Debug for RoadGraph {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RoadGraph({} nodes, {} edges)", self.coords.len(), self.csr.edge_count())
    }
}

impl RoadGraph {
    /// Builds the graph from node coordinates (lat, lon in degrees) and directed edges
    /// `(from, to, cost)` with node indices `< coords.len()` (checked by the caller).
    /// Parallel edges keep the cheapest; self-loops are dropped (they never shorten a path).
    pub fn new(coords: Vec<(f64, f64)>, mut edges: Vec<(u32, u32, Leg)>) -> Self {
        edges.retain(|e| e.0 != e.1);
        edges.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)).then(a.2.cmp_total(&b.2)));
        edges.dedup_by(|later, first| (later.0, later.1) == (first.0, first.1));
        let mut csr: Csr<(), Leg, Directed, u32> =
            Csr::from_sorted_edges(&edges).unwrap_or_else(|_| Csr::new());
        while csr.node_count() < coords.len() {
            csr.add_node(());
        }
        let pts = coords
            .iter()
            .enumerate()
            .map(|(i, &c)| GeomWithData::new(unit_sphere(c), i as u32))
            .collect();
        RoadGraph { csr, coords, index: RTree::bulk_load(pts) }
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.coords.len()
    }

    /// Number of directed edges (after merging parallel edges).
    pub fn edge_count(&self) -> usize {
        self.csr.edge_count()
    }

    /// The nearest node to (lat, lon) in degrees and its great-circle distance in metres;
    /// among nodes equally near, the lowest index. `None` for a graph without nodes.
    pub fn snap(&self, at: (f64, f64)) -> Option<(u32, f64)> {
        let q = unit_sphere(at);
        let mut it = self.index.nearest_neighbor_iter(&q);
        let first = it.next()?;
        let d2 = |g: &GeomWithData<[f64; 3], u32>| {
            let p = g.geom();
            (p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2) + (p[2] - q[2]).powi(2)
        };
        let limit = d2(first) * (1.0 + 1e-9) + 1e-24;
        let here = Point::new(at.1, at.0);
        std::iter::once(first)
            .chain(it.take_while(|g| d2(g) <= limit))
            .map(|g| {
                let (lat, lon) = self.coords[g.data as usize];
                (Haversine.distance(here, Point::new(lon, lat)), g.data)
            })
            .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)))
            .map(|(d, n)| (n, d))
    }

    /// Costs from every node of `nodes` to every node of `nodes` (row-major `k x k`,
    /// `k = nodes.len()`; [`Leg::UNREACHABLE`] where there is no path), one Dijkstra per
    /// source in parallel, each stopping once all of `nodes` are settled.
    pub fn matrix(&self, nodes: &[u32]) -> Vec<Leg> {
        let n = self.node_count();
        let mut slot = vec![u32::MAX; n];
        let mut distinct = 0usize;
        for (i, &v) in nodes.iter().enumerate() {
            if slot[v as usize] == u32::MAX {
                slot[v as usize] = i as u32;
                distinct += 1;
            }
        }
        let rows: Vec<Vec<Leg>> =
            nodes.par_iter().map(|&s| self.one_to_many(s, nodes, &slot, distinct)).collect();
        rows.concat()
    }

    /// One row of [`RoadGraph::matrix`]: costs from `src` to each of `nodes`.
    fn one_to_many(&self, src: u32, nodes: &[u32], slot: &[u32], targets: usize) -> Vec<Leg> {
        let n = self.node_count();
        let mut best = vec![Leg::UNREACHABLE; n];
        let mut done = vec![false; n];
        let mut heap = BinaryHeap::new();
        let mut left = targets;
        best[src as usize] = Leg::default();
        heap.push(Entry(Leg::default(), src));
        while let Some(Entry(d, u)) = heap.pop() {
            let ui = u as usize;
            if done[ui] {
                continue;
            }
            done[ui] = true;
            if slot[ui] != u32::MAX {
                left -= 1;
                if left == 0 {
                    break;
                }
            }
            let heads = self.csr.neighbors_slice(u);
            let costs = self.csr.edges_slice(u);
            for (&v, &w) in heads.iter().zip(costs) {
                let nd = d + w;
                let vi = v as usize;
                if !done[vi] && nd.cmp_total(&best[vi]) == Ordering::Less {
                    best[vi] = nd;
                    heap.push(Entry(nd, v));
                }
            }
        }
        nodes
            .iter()
            .map(|&t| if done[t as usize] { best[t as usize] } else { Leg::UNREACHABLE })
            .collect()
    }

    /// The same matrix through `petgraph::algo::dijkstra` (every node labelled, in a
    /// `HashMap`), kept to measure against [`RoadGraph::matrix`].
    pub fn matrix_petgraph(&self, nodes: &[u32]) -> Vec<Leg> {
        let rows: Vec<Vec<Leg>> = nodes
            .par_iter()
            .map(|&s| {
                let m = petgraph::algo::dijkstra(&self.csr, s, None, |e| *e.weight());
                nodes.iter().map(|t| m.get(t).copied().unwrap_or(Leg::UNREACHABLE)).collect()
            })
            .collect();
        rows.concat()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leg(secs: f64, metres: f64) -> Leg {
        Leg { secs, metres }
    }

    /// 0 -> 1 -> 2 and a direct 0 -> 2 as fast but longer; 3 unreachable from the rest.
    fn small() -> RoadGraph {
        let coords = vec![(50.0, 4.0), (50.0, 4.01), (50.0, 4.02), (51.0, 5.0)];
        let edges = vec![
            (0, 1, leg(10.0, 100.0)),
            (1, 2, leg(10.0, 100.0)),
            (0, 2, leg(20.0, 500.0)),
            (0, 2, leg(25.0, 50.0)), // parallel, slower: dropped
            (2, 0, leg(30.0, 300.0)),
            (1, 1, leg(0.0, 0.0)), // self-loop: dropped
        ];
        RoadGraph::new(coords, edges)
    }

    #[test]
    fn fastest_then_shortest_and_directed() {
        let g = small();
        assert_eq!(g.edge_count(), 4);
        let m = g.matrix(&[0, 2, 3]);
        assert_eq!(m[1], leg(20.0, 200.0), "0 -> 2: equally fast paths, the shorter one");
        assert_eq!(m[3], leg(30.0, 300.0), "2 -> 0 uses the only edge back");
        assert_eq!(m[2], Leg::UNREACHABLE);
        assert_eq!(m[0], Leg::default());
        assert_eq!(m, g.matrix_petgraph(&[0, 2, 3]));
    }

    #[test]
    fn snaps_to_nearest_node() {
        let g = small();
        let (n, d) = g.snap((50.0001, 4.0101)).expect("nodes");
        assert_eq!(n, 1);
        assert!(d > 5.0 && d < 20.0, "{d} m");
    }

    #[test]
    fn own_kernel_equals_petgraph_on_a_grid() {
        // 30 x 30 grid, two-way streets with uneven costs, and repeated targets.
        let side = 30u32;
        let coords: Vec<(f64, f64)> = (0..side * side)
            .map(|i| (50.0 + (i / side) as f64 * 1e-3, 4.0 + (i % side) as f64 * 1e-3))
            .collect();
        let mut edges = Vec::new();
        for i in 0..side * side {
            let (r, c) = (i / side, i % side);
            let w = |k: u32| leg(5.0 + (k * 7 % 11) as f64, 60.0 + (k * 13 % 17) as f64);
            if c + 1 < side {
                edges.push((i, i + 1, w(i)));
                edges.push((i + 1, i, w(i + 3)));
            }
            if r + 1 < side {
                edges.push((i, i + side, w(i + 5)));
                edges.push((i + side, i, w(i + 1)));
            }
        }
        let g = RoadGraph::new(coords, edges);
        let nodes: Vec<u32> =
            (0..40).map(|k| (k * 97 + 13) % (side * side)).chain([13, 13]).collect();
        let a = g.matrix(&nodes);
        assert_eq!(a, g.matrix_petgraph(&nodes));
        assert!(a.iter().all(|l| l.secs.is_finite()));
        // Triangle inequality on the shortest-path costs.
        let k = nodes.len();
        for i in 0..k {
            for j in 0..k {
                for m in 0..k {
                    assert!(a[i * k + j].secs <= a[i * k + m].secs + a[m * k + j].secs + 1e-9);
                }
            }
        }
    }
}
