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

criterion_group!(benches, kernels);
criterion_main!(benches);
