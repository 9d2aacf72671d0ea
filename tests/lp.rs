//! The LP module: the lower bound never exceeds a plan's objective (random problems) and
//! equals the optimum found by brute force on tiny problems; `mode = assign` matches brute
//! force on dispatch waves (one job per technician) and on hours allocations (co-located
//! jobs), and always returns a complete plan. Every plan is verified by the independent
//! checker of `tests/common/` (written from the spec, not from the engine).
#![cfg(any(feature = "lp-highs", feature = "lp-microlp"))]

mod common;

use common::checker::check;
use common::random::random_problem;
use fieldopt::lp::{lower_bound, lower_bound_from, BoundMethod, BoundOptions};
use fieldopt::matching::Eligibility;
use fieldopt::policy::{Objective, COST_SCALE};
use fieldopt::routing::evaluate;
use fieldopt::solver::Mode;
use fieldopt::{io, Plan, Problem, SolveParams};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value};

/// Solves `doc` and asserts the checker accepts the plan, with the engine's KPIs agreeing.
fn solve_checked(doc: &Value, params: &SolveParams) -> (Problem, Plan) {
    let problem = io::parse_problem_value(doc.clone()).expect("valid problem");
    let plan = fieldopt::solve(&problem, params);
    let value: Value = serde_json::from_str(&io::plan_to_string(&plan)).expect("plan JSON");
    let rep = check(doc, &value);
    assert!(rep.violations.is_empty(), "checker: {:?}\n{value:#}", rep.violations);
    let diff = rep.kpis.diff(&value["kpis"], 1e-6);
    assert!(diff.is_empty(), "{diff:?}");
    let routed = plan
        .routes
        .iter()
        .flat_map(|r| &r.stops)
        .filter(|s| matches!(s, fieldopt::plan::Stop::Job { .. }))
        .count();
    assert_eq!(routed + plan.unassigned.len(), problem.jobs.len(), "every job accounted for");
    (problem, plan)
}

/// Cheapest objective over every assignment of jobs to technicians (or none) and every
/// order of each technician's jobs, by the engine's exact route evaluation (micro-currency
/// summed, then in currency).
fn brute_force(p: &Problem) -> f64 {
    let obj = Objective::new(p, &p.policy);
    let elig = Eligibility::new(p);
    let n = p.jobs.len();
    let m = p.technicians.len();
    let mut best = i64::MAX;
    let mut choice = vec![m; n]; // m = unassigned
    loop {
        if choice.iter().enumerate().all(|(j, &t)| t == m || elig.allowed(j, t)) {
            let mut total: i64 =
                (0..n).filter(|&j| choice[j] == m).map(|j| obj.unassigned_cost(j)).sum();
            let mut ok = true;
            for t in 0..m {
                let jobs: Vec<usize> = (0..n).filter(|&j| choice[j] == t).collect();
                match best_order(p, &obj, t, jobs) {
                    Some(c) => total += c,
                    None => {
                        ok = false;
                        break;
                    }
                }
            }
            if ok {
                best = best.min(total);
            }
        }
        // Next choice vector (odometer).
        let mut k = 0;
        while k < n && choice[k] == 0 {
            choice[k] = m;
            k += 1;
        }
        if k == n {
            break;
        }
        choice[k] -= 1;
    }
    best as f64 / COST_SCALE
}

/// Cheapest feasible order of `jobs` for `t` (all permutations), `None` if none is feasible.
fn best_order(p: &Problem, obj: &Objective, t: usize, mut jobs: Vec<usize>) -> Option<i64> {
    fn permute(
        p: &Problem,
        obj: &Objective,
        t: usize,
        jobs: &mut Vec<usize>,
        k: usize,
        best: &mut Option<i64>,
    ) {
        if k == jobs.len() {
            if let Some(e) = evaluate(p, obj, t, jobs) {
                *best = Some(best.map_or(e.cost, |b| b.min(e.cost)));
            }
            return;
        }
        for i in k..jobs.len() {
            jobs.swap(k, i);
            permute(p, obj, t, jobs, k + 1, best);
            jobs.swap(k, i);
        }
    }
    let mut best = None;
    permute(p, obj, t, &mut jobs, 0, &mut best);
    best
}

/// A tiny random problem: 2-3 technicians (skills, shifts, sometimes a break, capacity or
/// max_jobs), 3-5 jobs (windows, skills, demand, priorities, preferences).
fn tiny(seed: u64) -> Value {
    let mut r = ChaCha8Rng::seed_from_u64(seed);
    let n_t = r.random_range(2..=3);
    let n_j = r.random_range(3..=5);
    let pt = |r: &mut ChaCha8Rng| json!({"x": r.random_range(0..60), "y": r.random_range(0..60)});
    let techs: Vec<Value> = (0..n_t)
        .map(|t| {
            let mut v = json!({
                "id": format!("T{t}"), "start": pt(&mut r),
                "shift": [0, r.random_range(150..400)],
                "skills": {"a": r.random_range(1..=3)},
                "cost": {"fixed": r.random_range(0..3) * 10, "per_hour": r.random_range(0..50)},
            });
            if r.random_bool(0.3) {
                v["break"] = json!({"window": [60, 140], "duration": 20});
            }
            if r.random_bool(0.3) {
                v["capacity"] = json!([r.random_range(3..8)]);
            }
            if r.random_bool(0.2) {
                v["max_jobs"] = json!(r.random_range(1..3));
            }
            v
        })
        .collect();
    let jobs: Vec<Value> = (0..n_j)
        .map(|j| {
            let mut v = json!({
                "id": format!("J{j}"), "location": pt(&mut r),
                "duration": r.random_range(5..40),
                "skills": {"a": r.random_range(1..=3)},
                "demand": [r.random_range(1..4)],
                "priority": r.random_range(0..3),
            });
            if r.random_bool(0.6) {
                let open = r.random_range(0..200);
                v["time_windows"] = json!([[open, open + r.random_range(10..120)]]);
            }
            if r.random_bool(0.3) {
                v["preferred_technicians"] = json!([format!("T{}", r.random_range(0..n_t))]);
            }
            v
        })
        .collect();
    json!({"format": "fieldopt-problem/1", "date": "2026-11-24",
           "travel": {"kind": "euclidean", "speed": 1.0},
           "technicians": techs, "jobs": jobs,
           "policy": {"travel_time": 300, "travel_distance": 10, "unassigned": 500}})
}

#[test]
fn bound_equals_brute_force_optimum_on_tiny_problems() {
    for seed in 0..25 {
        let doc = tiny(seed);
        let p = io::parse_problem_value(doc.clone()).unwrap();
        let opt = brute_force(&p);
        let b = lower_bound(&p, &p.policy, &BoundOptions::default()).unwrap();
        assert_eq!(b.method, BoundMethod::Enumeration, "seed {seed}");
        assert!((b.value - opt).abs() < 1e-4, "seed {seed}: bound {} optimum {opt}", b.value);
        // The arc relaxation alone is valid too (weaker, never above the optimum).
        let lp = BoundOptions { enumerate_up_to: 0, colgen_seconds: 0.0, ..Default::default() };
        let arc = lower_bound(&p, &p.policy, &lp).unwrap();
        assert!(matches!(arc.method, BoundMethod::ArcRelaxation | BoundMethod::Enumeration));
        assert!(arc.value <= opt + 1e-6, "seed {seed}: arc bound {} > optimum {opt}", arc.value);
        // A searched plan is never below the optimum, and the reported gap is consistent.
        let params = SolveParams {
            iterations: Some(300),
            threads: Some(1),
            lower_bound: true,
            ..Default::default()
        };
        let (_, plan) = solve_checked(&doc, &params);
        assert!(plan.kpis.objective >= opt - 1e-6, "seed {seed}");
        let lb = plan.kpis.lower_bound.expect("bound computed");
        let gap = plan.kpis.gap.expect("gap computed");
        assert!((lb - opt).abs() < 1e-4);
        assert_eq!(plan.kpis.bound_method, Some(BoundMethod::Enumeration), "seed {seed}");
        assert!(
            (gap - (plan.kpis.objective - lb) / plan.kpis.objective).abs() < 1e-9 || gap == 0.0
        );
    }
}

#[test]
fn arc_bound_never_exceeds_the_objective_on_random_problems() {
    let opts = BoundOptions { enumerate_up_to: 0, colgen_seconds: 0.0, ..Default::default() };
    let mut positive = 0;
    for seed in 0..30 {
        let doc = random_problem(seed);
        let params = SolveParams { iterations: Some(500), threads: Some(1), ..Default::default() };
        let (p, plan) = solve_checked(&doc, &params);
        let b = lower_bound(&p, &p.policy, &opts).unwrap();
        assert!(
            b.value <= plan.kpis.objective * (1.0 + 1e-9) + 1e-6,
            "seed {seed}: bound {} above objective {}",
            b.value,
            plan.kpis.objective
        );
        if b.value > 0.0 {
            positive += 1;
        }
    }
    // The bound says something: positive on most problems (travel or penalties cost).
    assert!(positive >= 20, "{positive} positive bounds of 30");
}

/// Options that force the column generation bound (no enumeration).
fn colgen_only() -> BoundOptions {
    BoundOptions { enumerate_up_to: 0, colgen_seconds: 60.0, ..BoundOptions::default() }
}

#[test]
fn colgen_bound_never_exceeds_the_optimum_and_beats_the_arc_bound_on_tiny_problems() {
    let (mut cg_sum, mut arc_sum, mut opt_sum) = (0.0, 0.0, 0.0);
    for seed in 0..25 {
        let p = io::parse_problem_value(tiny(seed)).unwrap();
        let opt = brute_force(&p);
        let cg = lower_bound(&p, &p.policy, &colgen_only()).unwrap();
        // Enumeration when nothing is servable (the bound is then exact).
        assert!(
            matches!(cg.method, BoundMethod::ColumnGeneration | BoundMethod::Enumeration),
            "seed {seed}: {:?}",
            cg.method
        );
        assert!(cg.value <= opt + 1e-6, "seed {seed}: colgen bound {} > optimum {opt}", cg.value);
        let arc = BoundOptions { enumerate_up_to: 0, colgen_seconds: 0.0, ..Default::default() };
        let arc = lower_bound(&p, &p.policy, &arc).unwrap();
        cg_sum += cg.value;
        arc_sum += arc.value;
        opt_sum += opt;
    }
    // Route columns see windows, shifts and capacity along whole routes: tighter overall.
    assert!(cg_sum >= arc_sum, "colgen {cg_sum} below arc {arc_sum} (optimum {opt_sum})");
    assert!(cg_sum >= 0.9 * opt_sum, "colgen {cg_sum} far below the optimum {opt_sum}");
}

#[test]
fn colgen_bound_sees_a_day_the_break_makes_too_short() {
    // Four 20-tick jobs at the technician's base, a 100-tick day and a 30-tick break from
    // 40 on: 80 ticks of work fit the day, but not with the break, so one job stays out.
    // A bound that drops the break is the cost of serving all four.
    let jobs: Vec<Value> = (0..4)
        .map(|j| json!({"id": format!("J{j}"), "location": {"x": 0, "y": 0}, "duration": 20}))
        .collect();
    let mut doc = json!({"format": "fieldopt-problem/1", "date": "2026-11-24",
        "travel": {"kind": "euclidean", "speed": 1.0},
        "technicians": [{"id": "T", "start": {"x": 0, "y": 0}, "shift": [0, 100],
                         "break": {"window": [40, 60], "duration": 30},
                         "cost": {"per_hour": 36}}],
        "jobs": jobs, "policy": {"unassigned": 1000}});
    let p = io::parse_problem_value(doc.clone()).unwrap();
    let opt = brute_force(&p);
    let b = lower_bound(&p, &p.policy, &colgen_only()).unwrap();
    assert_eq!(b.method, BoundMethod::ColumnGeneration);
    assert!(b.value >= 1000.0 && b.value <= opt + 1e-6, "bound {} (optimum {opt})", b.value);
    let (_, plan) = solve_checked(&doc, &SolveParams { threads: Some(1), ..Default::default() });
    assert_eq!(plan.unassigned.len(), 1);
    // Without the break all four fit: the same bound drops below one job's penalty.
    doc["technicians"][0].as_object_mut().unwrap().remove("break");
    let p = io::parse_problem_value(doc).unwrap();
    let free = lower_bound(&p, &p.policy, &colgen_only()).unwrap();
    assert!(free.value < 1000.0, "bound without a break {}", free.value);
}

#[test]
fn bound_stays_valid_when_a_detour_is_faster_than_the_direct_drive() {
    // A matrix that breaks the triangle inequality: base to B takes 100, but base to A to
    // B takes 10 + 5 + 10, inside B's window [0, 30]. Reading B's earliest start as the
    // direct drive, a route search would call B unreachable and bound its penalty in.
    let doc = json!({"format": "fieldopt-problem/1", "date": "2026-11-24",
        "travel": {"kind": "matrix", "durations": [[0, 10, 100], [10, 0, 10], [100, 10, 0]]},
        "technicians": [{"id": "T", "start": 0, "shift": [0, 200], "cost": {"per_hour": 36}}],
        "jobs": [{"id": "A", "location": 1, "duration": 5},
                 {"id": "B", "location": 2, "duration": 5, "time_windows": [[0, 30]]}],
        "policy": {"unassigned": 1000}});
    let p = io::parse_problem_value(doc.clone()).unwrap();
    let opt = brute_force(&p);
    assert!(opt < 1000.0, "both jobs can be served: optimum {opt}");
    for opts in [
        colgen_only(),
        BoundOptions { enumerate_up_to: 0, colgen_seconds: 0.0, ..Default::default() },
    ] {
        let b = lower_bound(&p, &p.policy, &opts).unwrap();
        assert!(b.value <= opt + 1e-6, "{:?} bound {} above the optimum {opt}", b.method, b.value);
    }
    let (_, plan) = solve_checked(&doc, &SolveParams { threads: Some(1), ..Default::default() });
    assert!(plan.unassigned.is_empty());
}

#[test]
fn warm_started_colgen_bound_is_the_cold_one_whatever_the_routes() {
    for seed in 0..25 {
        let doc = tiny(seed);
        let p = io::parse_problem_value(doc.clone()).unwrap();
        let opt = brute_force(&p);
        let params = SolveParams { iterations: Some(200), threads: Some(1), ..Default::default() };
        let (_, plan) = solve_checked(&doc, &params);
        // The plan's routes, plus routes that break windows and shifts (every job, in
        // reverse order, for every technician): a warm start steers, it never certifies.
        let mut routes = fieldopt::lp::plan_routes(&p, &plan);
        assert_eq!(
            routes.iter().map(|r| r.1.len()).sum::<usize>(),
            p.jobs.len() - plan.unassigned.len()
        );
        for t in 0..p.technicians.len() {
            routes.push((t, (0..p.jobs.len()).rev().collect()));
        }
        // Without cuts: which cuts are separated depends on the master's columns.
        let opts = BoundOptions { subset_row_cuts: false, ..colgen_only() };
        let cold = lower_bound(&p, &p.policy, &opts).unwrap();
        let warm = lower_bound_from(&p, &p.policy, &opts, &routes).unwrap();
        assert!(warm.value <= opt + 1e-6, "seed {seed}: warm bound {} > optimum {opt}", warm.value);
        assert!(
            (warm.value - cold.value).abs() <= 1e-4 * (1.0 + cold.value.abs()),
            "seed {seed}: warm {} vs cold {} ({:?}, {:?})",
            warm.value,
            cold.value,
            warm.method,
            cold.method
        );
    }
}

#[test]
fn colgen_bound_never_exceeds_the_objective_on_random_problems() {
    for seed in 0..30 {
        let doc = random_problem(seed);
        let params = SolveParams { iterations: Some(500), threads: Some(1), ..Default::default() };
        let (p, plan) = solve_checked(&doc, &params);
        let b = lower_bound(&p, &p.policy, &colgen_only()).unwrap();
        assert!(
            b.value <= plan.kpis.objective * (1.0 + 1e-9) + 1e-6,
            "seed {seed}: {:?} bound {} above objective {}",
            b.method,
            b.value,
            plan.kpis.objective
        );
    }
}

#[test]
fn subset_row_cuts_raise_the_colgen_bound_and_keep_it_valid() {
    let (mut raised, mut tiny_raised) = (0, 0);
    // Tiny problems: never above the optimum by enumeration (their LPs are mostly integral).
    let no_cuts = BoundOptions { subset_row_cuts: false, ..colgen_only() };
    for seed in 0..25 {
        let p = io::parse_problem_value(tiny(seed)).unwrap();
        let opt = brute_force(&p);
        let cut = lower_bound(&p, &p.policy, &colgen_only()).unwrap();
        let plain = lower_bound(&p, &p.policy, &no_cuts).unwrap();
        assert!(
            cut.value <= opt + 1e-6,
            "seed {seed}: bound with cuts {} > optimum {opt}",
            cut.value
        );
        assert!(cut.value >= plain.value - 1e-6, "seed {seed}: cuts lowered the bound");
        tiny_raised += usize::from(cut.value > plain.value + 1e-6);
    }
    // The first 30 customers of RC101 and RC102: route LPs far below the optimum (16 % and
    // 11 % without cuts), which the cuts close.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/benchmarks/solomon");
    for name in ["RC101", "RC102"] {
        let text = std::fs::read_to_string(dir.join(format!("{name}.txt"))).expect("Solomon file");
        let mut doc = io::solomon::to_problem(&text, name).unwrap();
        doc["jobs"].as_array_mut().unwrap().truncate(30);
        let params = SolveParams { iterations: Some(2000), threads: Some(1), ..Default::default() };
        let (p, plan) = solve_checked(&doc, &params);
        let cut = lower_bound(&p, &p.policy, &colgen_only()).unwrap();
        let plain = lower_bound(&p, &p.policy, &no_cuts).unwrap();
        let objective = plan.kpis.objective * (1.0 + 1e-9) + 1e-6;
        assert!(cut.value <= objective, "{name}: bound {} above the plan", cut.value);
        assert!(cut.value >= plain.value - 1e-6, "{name}: cuts lowered the bound");
        raised += usize::from(cut.value > plain.value + 1e-6);
    }
    // The cuts must bite somewhere, or this proves nothing about them.
    assert!(raised == 2, "cuts raised {tiny_raised} tiny and {raised} Solomon bounds");
}

#[test]
fn colgen_bound_is_within_a_few_percent_of_the_optimum_on_solomon_c101() {
    // C101's optimum is 828.94 in exact Euclidean distances (827.3 with distances truncated
    // to one decimal, the DIMACS convention); the converter's objective is the distance.
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/benchmarks/solomon/C101.txt");
    let Ok(text) = std::fs::read_to_string(&path) else {
        panic!("{} is missing", path.display());
    };
    let doc = io::solomon::to_problem(&text, "C101").unwrap();
    let p = io::parse_problem_value(doc).unwrap();
    let b = lower_bound(&p, &p.policy, &colgen_only()).unwrap();
    assert_eq!(b.method, BoundMethod::ColumnGeneration);
    assert!(b.value <= 828.94 + 0.01, "bound {} above the optimum", b.value);
    assert!(b.value >= 0.97 * 828.94, "bound {} more than 3 % below the optimum", b.value);
}

#[test]
fn bound_is_skipped_unless_asked() {
    let doc = tiny(3);
    let params = SolveParams { iterations: Some(100), threads: Some(1), ..Default::default() };
    let (_, plan) = solve_checked(&doc, &params);
    assert_eq!((plan.kpis.lower_bound, plan.kpis.gap), (None, None));
    assert_eq!(plan.kpis.bound_method, None);
    let text = io::plan_to_string(&plan);
    assert!(!text.contains("lower_bound"), "absent from the JSON when not computed");
}

/// One job per technician (max_jobs 1): random skills, preferences, ratings, costs.
fn dispatch_wave(seed: u64) -> Value {
    let mut r = ChaCha8Rng::seed_from_u64(seed ^ 0xd15);
    let n_t = r.random_range(2..=4);
    let n_j = r.random_range(2..=5);
    let pt = |r: &mut ChaCha8Rng| json!({"x": r.random_range(0..50), "y": r.random_range(0..50)});
    let techs: Vec<Value> = (0..n_t)
        .map(|t| {
            json!({"id": format!("T{t}"), "start": pt(&mut r), "shift": [0, 300], "max_jobs": 1,
                   "skills": {"s": r.random_range(1..=5)}, "rating": r.random_range(2..=5),
                   "cost": {"fixed": r.random_range(0..20), "per_hour": r.random_range(10..60)}})
        })
        .collect();
    let jobs: Vec<Value> = (0..n_j)
        .map(|j| {
            let mut v = json!({"id": format!("J{j}"), "location": pt(&mut r),
                   "duration": r.random_range(10..60), "skills": {"s": r.random_range(1..=4)},
                   "priority": r.random_range(0..4)});
            if r.random_bool(0.4) {
                v["preferred_technicians"] = json!([format!("T{}", r.random_range(0..n_t))]);
            }
            v
        })
        .collect();
    json!({"format": "fieldopt-problem/1", "date": "2026-11-24",
           "travel": {"kind": "euclidean", "speed": 1.0},
           "technicians": techs, "jobs": jobs,
           "policy": {"skill_fit": 5, "preferred": 20, "rating": 3, "unassigned": 200}})
}

/// Jobs and technicians at one place, no windows: an hours-capacity allocation.
fn hours_allocation(seed: u64) -> Value {
    let mut r = ChaCha8Rng::seed_from_u64(seed ^ 0x40a5);
    let n_t = r.random_range(2..=3);
    let n_j = r.random_range(3..=6);
    let here = json!({"x": 5, "y": 5});
    let techs: Vec<Value> = (0..n_t)
        .map(|t| {
            json!({"id": format!("T{t}"), "start": here, "shift": [0, r.random_range(60..160)],
                   "skills": {"s": r.random_range(1..=3)},
                   "cost": {"fixed": r.random_range(0..30), "per_hour": r.random_range(10..90)}})
        })
        .collect();
    let jobs: Vec<Value> = (0..n_j)
        .map(|j| {
            json!({"id": format!("J{j}"), "location": here, "duration": r.random_range(10..70),
                   "skills": {"s": r.random_range(1..=3)}, "priority": r.random_range(0..3)})
        })
        .collect();
    json!({"format": "fieldopt-problem/1", "date": "2026-11-24",
           "travel": {"kind": "euclidean", "speed": 1.0},
           "technicians": techs, "jobs": jobs,
           "policy": {"skill_fit": 2, "unassigned": 0.5}})
}

#[test]
fn assign_mode_matches_brute_force_on_dispatch_waves_and_hours_allocations() {
    let params = SolveParams { mode: Mode::Assign, ..Default::default() };
    for seed in 0..20 {
        for doc in [dispatch_wave(seed), hours_allocation(seed)] {
            let (p, plan) = solve_checked(&doc, &params);
            let opt = brute_force(&p);
            assert!(
                (plan.kpis.objective - opt).abs() < 1e-4,
                "seed {seed}: assign mode {} brute force {opt}\n{doc}",
                plan.kpis.objective
            );
        }
    }
}

#[test]
fn assign_mode_gives_complete_feasible_plans_on_random_problems() {
    let params = SolveParams { mode: Mode::Assign, lower_bound: true, ..Default::default() };
    for seed in 0..20 {
        let doc = random_problem(seed);
        let (_, plan) = solve_checked(&doc, &params);
        assert!(plan.unassigned.iter().all(|u| !u.code.is_empty() && !u.reason.is_empty()));
        if let Some(lb) = plan.kpis.lower_bound {
            assert!(lb <= plan.kpis.objective * (1.0 + 1e-9) + 1e-6, "seed {seed}");
        }
    }
}

#[test]
fn mode_names_parse_and_bad_ones_name_the_field() {
    assert_eq!("assign".parse::<Mode>().unwrap(), Mode::Assign);
    assert_eq!(" Route ".parse::<Mode>().unwrap(), Mode::Route);
    let e = "fastest".parse::<Mode>().unwrap_err();
    assert_eq!(e.path(), Some("mode"));
    assert!(e.to_string().contains("fastest"));
}

#[test]
fn bound_seconds_sets_the_column_generation_budget() {
    // Zero seconds leave the arc-flow LP; the default budget lets column generation certify
    // C101 (828.94) within it.
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/benchmarks/solomon/C101.txt");
    let text = std::fs::read_to_string(&path).expect("C101.txt");
    let p = io::parse_problem_value(io::solomon::to_problem(&text, "C101").unwrap()).unwrap();
    let base = SolveParams { iterations: Some(300), threads: Some(1), ..Default::default() };
    let run = |bound_seconds| {
        let params = SolveParams { lower_bound: true, bound_seconds, ..base.clone() };
        let plan = fieldopt::solve(&p, &params);
        let method = plan.kpis.bound_method.expect("written with the bound");
        (plan.kpis.lower_bound.expect("a bound"), plan.kpis.objective, method)
    };
    let (arc, objective, arc_method) = run(Some(0.0));
    let (full, _, full_method) = run(None);
    assert_eq!(
        (arc_method, full_method),
        (BoundMethod::ArcRelaxation, BoundMethod::ColumnGeneration)
    );
    assert!(full <= 828.94 + 0.01 && full <= objective + 1e-6, "{full} (plan {objective})");
    assert!(full >= 0.97 * 828.94, "default budget: {full}");
    assert!(arc < full - 1.0, "with 0 s the arc-flow LP: {arc} against {full}");
}
