//! Criterion benches of the kernels that dominate a solve: the dense travel matrix build,
//! exact route evaluation (schedule + break placement), and short fixed-budget solves.
//! Run: `cargo bench --bench kernels`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use fieldopt::generate::{generate, GenerateParams};
use fieldopt::io::parse_problem_value;
use fieldopt::policy::Objective;
use fieldopt::routing::evaluate;
use fieldopt::travel::Travel;
use fieldopt::{solve, Problem, SolveParams};

fn sample(jobs: usize, techs: usize) -> Problem {
    parse_problem_value(generate(&GenerateParams { jobs, techs, seed: 7 })).expect("valid")
}

fn kernels(c: &mut Criterion) {
    let p = sample(500, 50);
    c.bench_function("travel_matrix_600_locations", |b| {
        b.iter(|| Travel::new(black_box(p.travel.exact.clone())))
    });

    // Routes of a real plan, as job indices per technician.
    let plan =
        solve(&p, &SolveParams { iterations: Some(2_000), threads: Some(1), ..Default::default() });
    let obj = Objective::new(&p, &p.policy);
    let routes: Vec<(usize, Vec<usize>)> = plan
        .routes
        .iter()
        .map(|r| {
            let t = p.technicians.iter().position(|t| t.id == r.technician).expect("known");
            let seq = r
                .stops
                .iter()
                .filter_map(|s| match s {
                    fieldopt::plan::Stop::Job { job, .. } => {
                        p.jobs.iter().position(|j| &j.id == job)
                    }
                    _ => None,
                })
                .collect();
            (t, seq)
        })
        .collect();
    c.bench_function("evaluate_all_routes_sample_day", |b| {
        b.iter(|| {
            routes.iter().map(|(t, s)| evaluate(&p, &obj, *t, s).map_or(0, |e| e.cost)).sum::<i64>()
        })
    });

    let mut g = c.benchmark_group("solve");
    g.sample_size(10);
    let small = sample(100, 10);
    g.bench_function("generated_100_jobs_1000_iterations_1_thread", |b| {
        b.iter(|| {
            solve(
                &small,
                &SolveParams { iterations: Some(1_000), threads: Some(1), ..Default::default() },
            )
        })
    });
    g.finish();
}

/// Memory-at-scale kernels: dense vs on-demand travel lookups, granular neighbour lists by
/// R*-tree walk vs all-pairs scan, road-graph many-to-many by our CSR Dijkstra vs petgraph.
fn scale_kernels(c: &mut Criterion) {
    use fieldopt::generate::road_grid;
    use fieldopt::matching::{job_neighbours_with, Eligibility};
    use fieldopt::travel::{NearIndex, RoadGraph};

    let p = sample(2_000, 200);
    let n = p.travel.len();
    // A fixed pseudo-random walk over location pairs (what a search touches is scattered).
    let pairs: Vec<(usize, usize)> = (0..100_000u64)
        .map(|i| ((i * 7919 % n as u64) as usize, (i * 104_729 % n as u64) as usize))
        .collect();
    let dense = Travel::dense(p.travel.exact.clone());
    let lazy = Travel::on_demand(p.travel.exact.clone());
    let mut g = c.benchmark_group("travel_lookup_100k_pairs_2400_locations");
    g.bench_function("dense", |b| {
        b.iter(|| pairs.iter().map(|&(a, z)| dense.time(a, z)).sum::<i64>())
    });
    g.bench_function("on_demand", |b| {
        b.iter(|| pairs.iter().map(|&(a, z)| lazy.time(a, z)).sum::<i64>())
    });
    g.finish();

    let elig = Eligibility::new(&p);
    let servable: Vec<usize> =
        (0..p.jobs.len()).filter(|&j| !elig.candidates(j).is_empty()).collect();
    let ix = NearIndex::new(&p.travel.exact, servable.iter().map(|&j| (p.jobs[j].loc, j)));
    let mut g = c.benchmark_group("neighbours_2000_jobs_k30");
    g.sample_size(10);
    g.bench_function("rtree_walk", |b| {
        b.iter(|| job_neighbours_with(&p, &elig, &servable, 30, ix.as_ref()))
    });
    g.bench_function("all_pairs_scan", |b| {
        b.iter(|| job_neighbours_with(&p, &elig, &servable, 30, None))
    });
    g.finish();

    let (coords, edges) = road_grid(100, 100, 1);
    let graph = RoadGraph::new(coords, edges);
    let nodes: Vec<u32> = (0..200u32).map(|i| i * 7_919 % 10_000).collect();
    let mut g = c.benchmark_group("road_matrix_10k_nodes_200_locations");
    g.sample_size(10);
    g.bench_function("own_csr_dijkstra", |b| b.iter(|| graph.matrix(black_box(&nodes))));
    g.bench_function("petgraph_dijkstra", |b| b.iter(|| graph.matrix_petgraph(black_box(&nodes))));
    g.finish();
}

criterion_group!(benches, kernels, scale_kernels);
criterion_main!(benches);
