//! Road-graph matrix build, measured: a synthetic street grid (`generate::road_grid`),
//! random locations snapped to it, then the many-to-many (seconds, metres) matrix by our
//! CSR Dijkstra kernel and by `petgraph::algo::dijkstra`, on 1 and 2 threads.
//!
//! ```text
//! cargo run --release --no-default-features --example road_matrix -- [NODES] [LOCATIONS] [PETGRAPH_SOURCES]
//! ```
//! Defaults: 50,000 nodes, 2,000 locations, petgraph timed on 200 sources (scaled up to
//! all of them; its rows are checked equal to ours). Prints one JSON object on stdout.

use std::time::Instant;

use fieldopt::generate::road_grid;
use fieldopt::travel::RoadGraph;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn main() {
    let arg =
        |i: usize, d: usize| std::env::args().nth(i).and_then(|s| s.parse().ok()).unwrap_or(d);
    let (nodes, locations, pg_sources) = (arg(1, 50_000), arg(2, 2_000), arg(3, 200));
    let side = (nodes as f64).sqrt().ceil() as usize;
    let t0 = Instant::now();
    let (coords, edges) = road_grid(side, side, 1);
    let (lat0, lon0) = coords[0];
    let (lat1, lon1) = coords[coords.len() - 1];
    let graph = RoadGraph::new(coords, edges);
    let build_s = t0.elapsed().as_secs_f64();

    let mut rng = ChaCha8Rng::seed_from_u64(2);
    let t1 = Instant::now();
    let mut snapped: Vec<u32> = (0..locations)
        .filter_map(|_| graph.snap((rng.random_range(lat0..lat1), rng.random_range(lon0..lon1))))
        .map(|s| s.0)
        .collect();
    let snap_s = t1.elapsed().as_secs_f64();
    snapped.sort_unstable();
    snapped.dedup();

    let timed = |threads: usize, f: &(dyn Fn() -> Vec<fieldopt::travel::Leg> + Sync)| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("pool");
        let t = Instant::now();
        let m = pool.install(f);
        (t.elapsed().as_secs_f64(), m)
    };
    let (own_1, m1) = timed(1, &|| graph.matrix(&snapped));
    let (own_2, m2) = timed(2, &|| graph.matrix(&snapped));
    assert_eq!(m1, m2, "thread count changes nothing");
    let k = pg_sources.min(snapped.len());
    let sub = &snapped[..k];
    let (pg_2_sub, pg) = timed(2, &|| graph.matrix_petgraph(sub));
    let ours_sub = graph.matrix(sub);
    assert_eq!(pg, ours_sub, "petgraph and the CSR kernel agree");
    let reachable = m1.iter().filter(|l| l.secs.is_finite()).count() as f64 / m1.len() as f64;
    println!(
        "{}",
        serde_json::json!({
            "nodes": graph.node_count(), "edges": graph.edge_count(), "locations": locations,
            "distinct_nodes": snapped.len(), "graph_build_s": build_s, "snap_s": snap_s,
            "own_kernel_1_thread_s": own_1, "own_kernel_2_threads_s": own_2,
            "petgraph_2_threads_s_est": pg_2_sub * (snapped.len() as f64 / k as f64),
            "petgraph_sources_timed": k, "reachable_share": reachable,
            "matrix_mb": (m1.len() * 16) as f64 / 1e6,
        })
    );
}
