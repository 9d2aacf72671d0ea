//! Tests of the pricing labelling: bidirectional = one-way, the brute-force minimum over
//! every route (breaks included), elementary relaxed routes, the spread of columns, and
//! the bounds built on the pricing (coarse estimate, scaled prices) against enumeration.

use super::*;
use crate::io::parse_problem_value;
use crate::policy::Objective;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value};

/// One technician and 10-22 jobs: one or two windows (some wide, some tight), demand
/// under a capacity, sometimes a job cap.
fn problem(seed: u64) -> Value {
    let mut r = ChaCha8Rng::seed_from_u64(seed);
    let n = r.random_range(10..=22);
    let pt = |r: &mut ChaCha8Rng| json!({"x": r.random_range(0..50), "y": r.random_range(0..50)});
    let mut tech = json!({"id": "T", "start": pt(&mut r), "shift": [0, r.random_range(200..400)],
                          "capacity": [r.random_range(8..30)], "cost": {"per_hour": 10}});
    if r.random_bool(0.3) {
        tech["max_jobs"] = json!(r.random_range(2..6));
    }
    if r.random_bool(0.5) {
        let open = r.random_range(40..200);
        tech["break"] = json!({"window": [open, open + r.random_range(0..60)],
                               "duration": r.random_range(5..40)});
    }
    let jobs: Vec<Value> = (0..n)
        .map(|j| {
            let mut v = json!({"id": format!("J{j}"), "location": pt(&mut r),
                               "duration": r.random_range(1..20), "demand": [r.random_range(1..5)]});
            let open = r.random_range(0..250);
            let first = [open, open + r.random_range(5..150)];
            v["time_windows"] = if r.random_bool(0.3) {
                let second = first[1] + r.random_range(10..60);
                json!([first, [second, second + r.random_range(5..80)]])
            } else {
                json!([first])
            };
            v
        })
        .collect();
    json!({"format": "fieldopt-problem/1", "date": "2026-11-24",
           "travel": {"kind": "euclidean", "speed": 1.0},
           "technicians": [tech], "jobs": jobs,
           "policy": {"travel_time": 0, "travel_distance": 1, "unassigned": 500}})
}

/// Reduced cost of `seq` if it is a feasible ng-route of `class`, else `None`: windows,
/// the break (tried in every gap; none only when back before its window), end of day,
/// capacity, job cap and the ng rule, simulated from scratch.
fn route_rc(p: &Problem, co: &Coeffs, class: &Class, pi: &[f64], seq: &[u32]) -> Option<f64> {
    let tech = &p.technicians[class.rep];
    let limit = tech.shift.close + tech.max_overtime;
    let rest = |now: Time| {
        let b = tech.brk.expect("a break");
        (now <= b.window.close).then_some(now.max(b.window.open) + b.duration)
    };
    let back = |gap: Option<usize>| {
        let (mut at, mut t) = (tech.start, tech.shift.open);
        for (i, &k) in seq.iter().enumerate() {
            if gap == Some(i) {
                t = rest(t)?;
            }
            let job = &p.jobs[class.nodes[k as usize]];
            t = job.service_start(t + p.travel.time(at, job.loc))? + job.duration;
            at = job.loc;
        }
        if gap == Some(seq.len()) {
            t = rest(t)?;
        }
        Some(t + p.travel.time(at, tech.end))
    };
    let in_time = match tech.brk {
        None => back(None).is_some_and(|t| t <= limit),
        Some(b) => {
            back(None).is_some_and(|t| t <= limit.min(b.window.open))
                || (0..=seq.len()).any(|g| back(Some(g)).is_some_and(|t| t <= limit))
        }
    };
    let load: i64 = seq.iter().map(|&k| p.jobs[class.nodes[k as usize]].demand[0]).sum();
    for (i, &k) in seq.iter().enumerate() {
        // ng rule: a revisit of k needs a job between whose neighbourhood lacks k.
        if let Some(prev) = seq[..i].iter().rposition(|&x| x == k) {
            if seq[prev + 1..i].iter().all(|&x| class.ng[x as usize].contains(&k)) {
                return None;
            }
        }
    }
    let cap_ok = tech.capacity.as_ref().is_none_or(|c| load <= c[0]);
    let jobs_ok = tech.max_jobs.is_none_or(|m| seq.len() <= m);
    if !in_time || !cap_ok || !jobs_ok {
        return None;
    }
    let price: f64 = seq.iter().map(|&k| pi[class.nodes[k as usize]]).sum();
    Some(class.route_cost(p, co, seq) - price)
}

/// The problem of `seed`, its cost coefficients, its one class (every job) and nodes.
fn one_class(seed: u64) -> (Problem, Coeffs, Class, Vec<usize>) {
    let p = parse_problem_value(problem(seed)).expect("valid problem");
    let co = Coeffs::new(&p, &p.policy);
    let obj = Objective::new(&p, &p.policy);
    let nodes: Vec<usize> = (0..p.jobs.len()).collect();
    let class = Class::new(&p, &co, &obj, 0, 1, nodes.clone());
    (p, co, class, nodes)
}

#[test]
fn bidirectional_pricing_finds_the_same_minimum_as_one_way_labelling() {
    let far = Instant::now() + std::time::Duration::from_secs(3600);
    let mut negative = 0;
    for seed in 0..60 {
        let (p, co, class, nodes) = one_class(seed);
        assert!(class.bidirectional(&p));
        let mut r = ChaCha8Rng::seed_from_u64(1000 + seed);
        let scale = r.random_range(5.0..60.0);
        let pi: Vec<f64> = nodes.iter().map(|_| r.random_range(0.0..scale)).collect();
        let at = |nu| Prices { pi: &pi, nu, slot: &nodes, deadline: far, cut_masks: &[], mu: &[] };
        let one = class.label(&p, &co, &at(0.0), false, false, usize::MAX);
        let two = class.label(&p, &co, &at(0.0), false, true, usize::MAX);
        let (a, b) = (one.min_rc.expect("complete"), two.min_rc.expect("complete"));
        assert!((a - b).abs() < 1e-6, "seed {seed}: one-way {a}, bidirectional {b}");
        // A fleet price shifts every route's reduced cost by itself.
        let nu = scale / 2.0;
        let shifted = class.label(&p, &co, &at(nu), false, true, usize::MAX);
        let c = shifted.min_rc.expect("complete");
        assert!((c - (a + nu).min(0.0)).abs() < 1e-6, "seed {seed}: {c} vs {a} + {nu}");
        for seq in &shifted.routes {
            let rc = route_rc(&p, &co, &class, &pi, seq).expect("feasible route");
            assert!(rc + nu < 0.0, "seed {seed}: {seq:?} at {rc} is not below -{nu}");
        }
        for routes in [&one.routes, &two.routes] {
            for (i, seq) in routes.iter().enumerate() {
                let rc = route_rc(&p, &co, &class, &pi, seq);
                let rc = rc.unwrap_or_else(|| panic!("seed {seed}: infeasible {seq:?}"));
                assert!(rc < 0.0, "seed {seed}: route {seq:?} has reduced cost {rc}");
                if i == 0 {
                    assert!((rc - a).abs() < 1e-6, "seed {seed}: first route {rc} vs {a}");
                }
            }
        }
        negative += usize::from(a < -1e-6);
    }
    // The prices must make the comparison bite: most runs have negative routes.
    assert!(negative >= 40, "only {negative} of 60 runs found a negative route");
}

/// Every sequence of distinct nodes below `n`, depth first.
fn sequences(n: u32, prefix: &mut Vec<u32>, out: &mut Vec<Vec<u32>>) {
    if !prefix.is_empty() {
        out.push(prefix.clone());
    }
    for k in 0..n {
        if !prefix.contains(&k) {
            prefix.push(k);
            sequences(n, prefix, out);
            prefix.pop();
        }
    }
}

/// Cheapest reduced cost over `routes` (0 when none is negative or feasible).
fn brute_min(p: &Problem, pi: &[f64], routes: &[Vec<u32>]) -> f64 {
    let co = Coeffs::new(p, &p.policy);
    let obj = Objective::new(p, &p.policy);
    let class = Class::new(p, &co, &obj, 0, 1, (0..p.jobs.len()).collect());
    routes.iter().filter_map(|s| route_rc(p, &co, &class, pi, s)).fold(0.0, f64::min)
}

/// A problem small enough to enumerate: the first `jobs` jobs of `problem(seed)`, with a
/// break drawn from `r` when `brk`; its document, its one class (every job), cost
/// coefficients, nodes and every sequence of its jobs.
struct Small {
    doc: Value,
    p: Problem,
    co: Coeffs,
    class: Class,
    nodes: Vec<usize>,
    all: Vec<Vec<u32>>,
}

fn small(seed: u64, jobs: usize, brk: bool, r: &mut ChaCha8Rng) -> Small {
    let mut doc = problem(seed);
    doc["jobs"].as_array_mut().expect("jobs").truncate(jobs);
    if brk {
        let open = r.random_range(40..160);
        doc["technicians"][0]["break"] = json!({"window": [open, open + r.random_range(0..40)],
                                               "duration": r.random_range(20..60)});
    }
    let p = parse_problem_value(doc.clone()).expect("valid problem");
    let co = Coeffs::new(&p, &p.policy);
    let obj = Objective::new(&p, &p.policy);
    let nodes: Vec<usize> = (0..p.jobs.len()).collect();
    let class = Class::new(&p, &co, &obj, 0, 1, nodes.clone());
    let mut all = Vec::new();
    sequences(nodes.len() as u32, &mut Vec::new(), &mut all);
    Small { doc, p, co, class, nodes, all }
}

/// Asserts that one-way and bidirectional labelling at `q` both finish with the minimum
/// reduced cost `brute`.
fn assert_both_ways_find(
    p: &Problem,
    co: &Coeffs,
    class: &Class,
    q: &Prices,
    brute: f64,
    seed: u64,
) {
    for bidirectional in [false, true] {
        let got = class.label(p, co, q, false, bidirectional, usize::MAX);
        let got = got.min_rc.expect("complete");
        assert!(
            (got - brute).abs() < 1e-6,
            "seed {seed} (bidirectional {bidirectional}): labelling {got}, brute force {brute}"
        );
    }
}

#[test]
fn labelling_finds_the_brute_force_minimum_when_a_break_must_be_taken() {
    let far = Instant::now() + std::time::Duration::from_secs(3600);
    let mut bites = 0;
    for seed in 0..40 {
        // Six jobs, all in every ng-neighbourhood: ng-routes are elementary here.
        let mut r = ChaCha8Rng::seed_from_u64(2000 + seed);
        let Small { mut doc, p, co, class, nodes, all } = small(seed, 6, true, &mut r);
        let pi: Vec<f64> = nodes.iter().map(|_| r.random_range(20.0..120.0)).collect();
        let brute = brute_min(&p, &pi, &all);
        let q = Prices { pi: &pi, nu: 0.0, slot: &nodes, deadline: far, cut_masks: &[], mu: &[] };
        assert_both_ways_find(&p, &co, &class, &q, brute, seed);
        // The break must change the answer often, or the test proves little.
        doc["technicians"][0].as_object_mut().expect("technician").remove("break");
        let free = brute_min(&parse_problem_value(doc).expect("valid problem"), &pi, &all);
        bites += usize::from(free < brute - 1e-6);
    }
    assert!(bites >= 8, "the break changed the cheapest route in only {bites} of 40");
}

#[test]
fn coarse_pricing_never_exceeds_the_cheapest_elementary_route() {
    let far = Instant::now() + std::time::Duration::from_secs(3600);
    let mut negative = 0;
    for seed in 0..120 {
        // Seven jobs: every elementary route can be enumerated. A break in every other one.
        let mut r = ChaCha8Rng::seed_from_u64(3000 + seed);
        let Small { p, co, class, nodes, all, .. } = small(seed, 7, seed % 2 == 0, &mut r);
        let scale = r.random_range(20.0..120.0);
        let pi: Vec<f64> = nodes.iter().map(|_| r.random_range(0.0..scale)).collect();
        let nu = r.random_range(0.0..scale / 2.0);
        let cheapest = (brute_min(&p, &pi, &all) + nu).min(0.0);
        let q = Prices { pi: &pi, nu, slot: &nodes, deadline: far, cut_masks: &[], mu: &[] };
        let coarse = class.coarse(&p, &co, &q, 20).expect("finishes");
        assert!(
            coarse.min_rc <= cheapest + 1e-6,
            "seed {seed}: coarse {} above the cheapest route {cheapest}",
            coarse.min_rc
        );
        // Its routes are priced as the master prices them: the first is its minimum, and
        // none goes straight back to the job it came from.
        if let Some(first) = coarse.routes.first() {
            let price: f64 = first.iter().map(|&k| pi[nodes[k as usize]]).sum();
            let rc = class.route_cost(&p, &co, first) - price + nu;
            assert!((rc - coarse.min_rc).abs() < 1e-6, "seed {seed}: {rc} vs {}", coarse.min_rc);
        }
        for seq in &coarse.routes {
            assert!(seq.windows(3).all(|w| w[0] != w[2]), "seed {seed}: 2-cycle in {seq:?}");
        }
        negative += usize::from(cheapest < -1e-6);
    }
    assert!(negative >= 60, "only {negative} of 120 runs price a negative route");
}

#[test]
fn coarse_pricing_is_exact_when_no_job_can_come_back() {
    // Two jobs: a route may not come back (that would be a 2-cycle), so the coarse routes
    // are the real ones and only merged labels could make its minimum lower.
    let far = Instant::now() + std::time::Duration::from_secs(3600);
    let (mut equal, mut negative) = (0, 0);
    for seed in 0..200 {
        let mut r = ChaCha8Rng::seed_from_u64(5000 + seed);
        let Small { p, co, class, nodes, all, .. } = small(seed, 2, true, &mut r);
        let pi: Vec<f64> = nodes.iter().map(|_| r.random_range(20.0..120.0)).collect();
        let cheapest = brute_min(&p, &pi, &all);
        let q = Prices { pi: &pi, nu: 0.0, slot: &nodes, deadline: far, cut_masks: &[], mu: &[] };
        let coarse = class.coarse(&p, &co, &q, 20).expect("finishes").min_rc;
        assert!(coarse <= cheapest + 1e-6, "seed {seed}: coarse {coarse} above {cheapest}");
        equal += usize::from((coarse - cheapest).abs() < 1e-6);
        negative += usize::from(cheapest < -1e-6);
    }
    assert!(negative >= 100, "only {negative} of 200 runs price a negative route");
    assert!(equal >= 190, "coarse equals the cheapest route in only {equal} of 200");
}

#[test]
fn coarse_pricing_stays_near_the_ng_route_minimum() {
    let far = Instant::now() + std::time::Duration::from_secs(3600);
    let mut close = 0;
    for seed in 0..60 {
        let (p, co, class, nodes) = one_class(seed);
        let mut r = ChaCha8Rng::seed_from_u64(4000 + seed);
        let scale = r.random_range(5.0..80.0);
        let pi: Vec<f64> = nodes.iter().map(|_| r.random_range(0.0..scale)).collect();
        let q = Prices { pi: &pi, nu: 0.0, slot: &nodes, deadline: far, cut_masks: &[], mu: &[] };
        let exact = class.label(&p, &co, &q, false, true, usize::MAX).min_rc.expect("complete");
        let coarse = class.coarse(&p, &co, &q, 20).expect("finishes");
        close += usize::from(coarse.min_rc >= exact - 0.5 * exact.abs() - 1e-6);
    }
    // A relaxation, but not a loose one on problems of 10 to 22 jobs.
    assert!(close >= 30, "coarse within 50% of the ng-route minimum in only {close} of 60");
}

#[test]
fn relaxed_pricing_returns_elementary_negative_routes() {
    let far = Instant::now() + std::time::Duration::from_secs(3600);
    let mut found = 0;
    for seed in 0..30 {
        let (p, co, class, nodes) = one_class(seed);
        // High prices: long routes pay, and ng-routes could revisit jobs.
        let pi: Vec<f64> = nodes.iter().map(|_| 80.0).collect();
        let at = |nu| Prices { pi: &pi, nu, slot: &nodes, deadline: far, cut_masks: &[], mu: &[] };
        let x = class.label(&p, &co, &at(0.0), true, false, usize::MAX);
        assert!(x.min_rc.is_none(), "seed {seed}: a relaxed search proves nothing");
        for seq in &x.routes {
            let mut sorted = seq.clone();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(sorted.len(), seq.len(), "seed {seed}: {seq:?} repeats a job");
            let rc = route_rc(&p, &co, &class, &pi, seq).expect("feasible route");
            assert!(rc < 0.0, "seed {seed}: {seq:?} has reduced cost {rc}");
        }
        found += x.routes.iter().filter(|r| r.len() >= 4).count();
    }
    assert!(found > 0, "no long routes: the test does not reach revisits");
}

#[test]
fn spread_takes_disjoint_routes_before_variants_of_the_cheapest() {
    // Cheapest first: five variants through nodes 0-2, then three disjoint routes.
    let routes: Vec<Vec<u32>> = vec![
        vec![0, 1, 2],
        vec![0, 2, 1],
        vec![1, 0, 2],
        vec![0, 1],
        vec![2, 1],
        vec![3, 4],
        vec![5, 6, 7],
        vec![8],
    ];
    let got = spread(routes.clone(), 9, 4);
    assert_eq!(got, vec![vec![0, 1, 2], vec![3, 4], vec![5, 6, 7], vec![8]]);
    // Past the disjoint ones, the variants come back in order of cost.
    let got = spread(routes.clone(), 9, 6);
    assert_eq!(got.len(), 6);
    assert_eq!(got[4], vec![0, 2, 1]);
    assert_eq!(got[5], vec![1, 0, 2]);
    // A short list comes back whole and in order.
    assert_eq!(spread(routes[..3].to_vec(), 9, 4), routes[..3].to_vec());
    // Never a route twice, never one not offered.
    let all = spread(routes.clone(), 9, 8);
    let mut a = all.clone();
    a.sort();
    let mut b = routes.clone();
    b.sort();
    assert_eq!(a, b);
}

/// A problem small enough to solve by enumeration, with what column generation needs.
struct Enumerated {
    p: Problem,
    obj: Objective,
    elig: crate::matching::Eligibility,
    /// Jobs some technician can do.
    servable: Vec<usize>,
    /// Penalty of the others (currency), outside the column generation's bound.
    out: f64,
    /// The optimum, by enumeration.
    opt: crate::lp::Bound,
}

fn enumerated(v: Value, seed: u64) -> Enumerated {
    use crate::lp::{lower_bound, BoundMethod, BoundOptions};
    let p = parse_problem_value(v).expect("valid problem");
    let opt = lower_bound(&p, &p.policy, &BoundOptions::default()).expect("optimum");
    assert_eq!(opt.method, BoundMethod::Enumeration, "seed {seed}");
    let obj = Objective::new(&p, &p.policy);
    let elig = crate::matching::Eligibility::new(&p);
    let servable: Vec<usize> =
        (0..p.jobs.len()).filter(|&j| !elig.candidates(j).is_empty()).collect();
    let out: f64 = (0..p.jobs.len())
        .filter(|&j| elig.candidates(j).is_empty())
        .map(|j| obj.unassigned_cost(j) as f64 / crate::policy::COST_SCALE)
        .sum();
    Enumerated { p, obj, elig, servable, out, opt }
}

#[test]
fn coarse_bound_stays_below_the_optimum_when_every_search_is_cut_short() {
    use crate::lp::colgen::ColGen;
    let (mut sum, mut sum_opt) = (0.0, 0.0);
    for seed in 0..25 {
        let mut v = problem(seed);
        v["jobs"].as_array_mut().expect("jobs").truncate(7);
        let e = enumerated(v, seed);
        let (p, opt, out) = (&e.p, &e.opt, e.out);
        let Some(mut cg) = ColGen::new(p, &p.policy, &e.obj, &e.elig, &e.servable) else {
            panic!("seed {seed}: no column generation");
        };
        // No label for any search: every bound comes from the coarse pricing.
        cg.label_cap = 0;
        let r = cg.run(10.0, &[]).expect("a bound");
        let bound = out + r.value;
        assert!(
            bound <= opt.value + 1e-6,
            "seed {seed}: coarse {bound} above the optimum {}",
            opt.value
        );
        sum += bound;
        sum_opt += opt.value;
    }
    // Valid, and close enough to be worth reporting.
    assert!(sum >= 0.5 * sum_opt, "coarse bounds sum to {sum}, optima to {sum_opt}");
}

#[test]
fn labelling_with_subset_row_cuts_finds_the_brute_force_minimum() {
    let far = Instant::now() + std::time::Duration::from_secs(3600);
    let mut bites = 0;
    for seed in 0..40 {
        // Seven jobs, all in every ng-neighbourhood: ng-routes are elementary here.
        let mut r = ChaCha8Rng::seed_from_u64(3000 + seed);
        let brk = r.random_bool(0.5);
        let Small { p, co, class, nodes, all, .. } = small(seed, 7, brk, &mut r);
        let pi: Vec<f64> = nodes.iter().map(|_| r.random_range(20.0..120.0)).collect();
        let mut sets: Vec<[usize; 3]> = Vec::new();
        while sets.len() < r.random_range(2..6) {
            let mut s = [0; 3].map(|_| r.random_range(0..nodes.len()));
            s.sort_unstable();
            if s[0] < s[1] && s[1] < s[2] && !sets.contains(&s) {
                sets.push(s);
            }
        }
        let mu: Vec<f64> = sets.iter().map(|_| r.random_range(5.0..80.0)).collect();
        let mut cuts = super::super::cuts::SubsetRows::new(nodes.len());
        sets.into_iter().for_each(|set| cuts.push(set));
        // Brute force: each route's reduced cost plus its cut coefficients times prices.
        let brute = all
            .iter()
            .filter_map(|s| {
                let rc = route_rc(&p, &co, &class, &pi, s)?;
                let jobs: Vec<usize> = s.iter().map(|&k| k as usize).collect();
                let cut: f64 = cuts.coefficients(&jobs).iter().map(|&(c, a)| a * mu[c]).sum();
                Some(rc + cut)
            })
            .fold(0.0, f64::min);
        let q = Prices {
            pi: &pi,
            nu: 0.0,
            slot: &nodes,
            deadline: far,
            cut_masks: &cuts.masks,
            mu: &mu,
        };
        assert_both_ways_find(&p, &co, &class, &q, brute, seed);
        // The cuts must change the answer often, or the test proves little.
        bites += usize::from(brute > brute_min(&p, &pi, &all) + 1e-6);
    }
    assert!(bites >= 8, "the cuts changed the cheapest route in only {bites} of 40");
}

#[test]
fn scaled_prices_give_a_valid_bound_above_the_plain_lagrangian() {
    use crate::lp::colgen::ColGen;
    use crate::lp::cuts::SubsetRows;
    let far = Instant::now() + std::time::Duration::from_secs(3600);
    let mut better = 0;
    let mut started_below_one = 0;
    for seed in 0..20 {
        // Seven jobs and four identical technicians: one class of four, enumerable.
        let mut v = problem(seed);
        v["jobs"].as_array_mut().expect("jobs").truncate(7);
        let tech = v["technicians"][0].clone();
        let techs: Vec<Value> = (0..4)
            .map(|i| {
                let mut t = tech.clone();
                t["id"] = json!(format!("T{i}"));
                t
            })
            .collect();
        v["technicians"] = json!(techs);
        let e = enumerated(v, seed);
        let (p, opt, out) = (&e.p, &e.opt, e.out);
        let mut cg =
            ColGen::new(p, &p.policy, &e.obj, &e.elig, &e.servable).expect("column generation");
        assert_eq!(cg.classes.len(), 1, "seed {seed}");
        assert_eq!(cg.classes[0].size, 4, "seed {seed}");
        // Every job priced at its penalty, far above the LP's prices: the plain Lagrangian
        // pays the class's minimum four times.
        let pi = cg.penalty.clone();
        let cuts = SubsetRows::new(pi.len());
        let q = Prices { pi: &pi, nu: 0.0, slot: &cg.slot, deadline: far, cut_masks: &[], mu: &[] };
        let x = cg.classes[0].price(p, &cg.co, &q, Pricing::Exact, usize::MAX);
        let plain = pi.iter().sum::<f64>() + 4.0 * x.min_rc.expect("finished").min(0.0);
        let scaled = cg.scaled_bound(&pi, &[], &cuts, far).expect("a bound");
        // Started from the exact search's routes at these prices, the iteration skips the
        // step at theta 1 and goes on as from there (one step further at most): never
        // below the scaled bound unless theta 1's step was the best.
        if let Some(point) = cg.exact_point(&pi, &[], &cuts, &[x], 0.0) {
            let farley = cg.farley_bound(&point, &cuts, far).expect("a bound");
            assert!(out + farley <= opt.value + 1e-6, "seed {seed}: farley {farley}");
            assert!(
                farley.max(plain) >= scaled - 1e-6,
                "seed {seed}: farley {farley} plain {plain} scaled {scaled}"
            );
            started_below_one += 1;
        }
        assert!(
            out + scaled <= opt.value + 1e-6,
            "seed {seed}: scaled {} above the optimum {}",
            out + scaled,
            opt.value
        );
        assert!(scaled >= plain - 1e-6, "seed {seed}: scaled {scaled} below plain {plain}");
        if scaled > plain + 1.0 {
            better += 1;
        }
        // Through the coarse estimate alone (no label for any search): still valid.
        cg.label_cap = 0;
        let coarse = cg.scaled_bound(&pi, &[], &cuts, far).expect("a coarse bound");
        assert!(out + coarse <= opt.value + 1e-6, "seed {seed}: coarse scaled {coarse}");
    }
    assert!(better >= 10, "scaled prices beat the plain Lagrangian in {better} of 20");
    assert!(started_below_one >= 10, "an exact point in only {started_below_one} of 20");
}
