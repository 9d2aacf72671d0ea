//! Explanations and the price of affinity, on scenarios small enough to know the answer.
//! Every plan the engine returns is verified by the independent checker of
//! `tests/common/`, and so is every what-if the explanations claim: the job moved into the
//! favourite's day, or placed after the proposed relaxation of the problem.

mod common;

use common::checker::check;
use fieldopt::plan::affinity::{price_of_affinity, price_with_favourite_first, Affinity};
use fieldopt::plan::explain::{explain, rank_technicians};
use fieldopt::plan::whatif::job_routes;
use fieldopt::{io, Plan, Policy, SolveParams};
use serde_json::{json, Value};

fn params(policy: Option<Policy>) -> SolveParams {
    SolveParams { seed: 0, iterations: Some(200), threads: Some(1), policy, ..Default::default() }
}

/// Solves `doc` and asserts the checker accepts the plan.
fn solve(doc: &Value, policy: Option<Policy>) -> Plan {
    let problem = io::parse_problem_value(doc.clone()).expect("valid problem");
    let plan = fieldopt::solve(&problem, &params(policy));
    assert_feasible(doc, &plan_value(&plan));
    plan
}

fn plan_value(plan: &Plan) -> Value {
    serde_json::from_str(&io::plan_to_string(plan)).expect("plan JSON")
}

fn assert_feasible(doc: &Value, plan: &Value) {
    let rep = check(doc, plan);
    assert!(rep.violations.is_empty(), "checker: {:?}\n{plan:#}", rep.violations);
}

fn preset(name: &str) -> Policy {
    Policy::preset(name).unwrap_or_else(|| panic!("preset {name}"))
}

fn tech(id: &str, x: f64, extra: Value) -> Value {
    let mut t = json!({"id": id, "start": {"x": x, "y": 0}, "shift": [0, 36000]});
    if let (Some(t), Some(e)) = (t.as_object_mut(), extra.as_object()) {
        t.extend(e.clone());
    }
    t
}

fn job(id: &str, x: f64, duration: f64, extra: Value) -> Value {
    let mut j = json!({"id": id, "location": {"x": x, "y": 0}, "duration": duration});
    if let (Some(j), Some(e)) = (j.as_object_mut(), extra.as_object()) {
        j.extend(e.clone());
    }
    j
}

fn doc(techs: Vec<Value>, jobs: Vec<Value>) -> Value {
    json!({"format": "fieldopt-problem/1", "date": "2026-11-24",
           "travel": {"kind": "euclidean", "speed": 1.0}, "technicians": techs, "jobs": jobs})
}

/// A plan (without times: the checker recomputes them) from technician -> job ids.
fn plan_of(routes: &[(&str, Vec<String>)], unassigned: &[String]) -> Value {
    let routes: Vec<Value> = routes
        .iter()
        .map(|(t, jobs)| {
            let stops: Vec<Value> = jobs
                .iter()
                .map(|j| json!({"job": j, "arrival": 0.0, "start": 0.0, "end": 0.0}))
                .collect();
            json!({"technician": t, "stops": stops})
        })
        .collect();
    let un: Vec<Value> = unassigned.iter().map(|j| json!({"job": j, "reason": "x"})).collect();
    json!({"format": "fieldopt-plan/1", "routes": routes, "unassigned": un})
}

/// The plan's routes as technician id -> job ids.
fn id_routes(doc: &Value, plan: &Plan) -> Vec<(String, Vec<String>)> {
    let problem = io::parse_problem_value(doc.clone()).unwrap();
    job_routes(&problem, plan)
        .iter()
        .enumerate()
        .map(|(t, seq)| {
            let ids = seq.iter().map(|&j| problem.jobs[j].id.clone()).collect();
            (problem.technicians[t].id.clone(), ids)
        })
        .collect()
}

/// True when some position of `job` in `tech`'s day (with `job` taken out of any other
/// day, and the jobs in `moved` sent to their technicians at some position) passes the
/// checker on `doc`.
fn placeable(doc: &Value, routes: &[(String, Vec<String>)], job: &str, tech: &str) -> bool {
    let mut base: Vec<(String, Vec<String>)> = routes
        .iter()
        .map(|(t, js)| (t.clone(), js.iter().filter(|j| *j != job).cloned().collect()))
        .collect();
    let all: Vec<String> = doc["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["id"].as_str().unwrap().to_string())
        .collect();
    let Some(k) = base.iter().position(|(t, _)| t == tech) else { return false };
    let n = base[k].1.len();
    for pos in 0..=n {
        base[k].1.insert(pos, job.to_string());
        let routed: Vec<&String> = base.iter().flat_map(|(_, js)| js.iter()).collect();
        let un: Vec<String> = all.iter().filter(|j| !routed.contains(j)).cloned().collect();
        let refs: Vec<(&str, Vec<String>)> =
            base.iter().map(|(t, js)| (t.as_str(), js.clone())).collect();
        if check(doc, &plan_of(&refs, &un)).violations.is_empty() {
            return true;
        }
        base[k].1.remove(pos);
    }
    false
}

fn who(plan: &Plan, job: &str) -> Option<String> {
    plan.routes
        .iter()
        .find(|r| {
            r.stops
                .iter()
                .any(|s| matches!(s, fieldopt::plan::Stop::Job { job: j, .. } if j == job))
        })
        .map(|r| r.technician.clone())
}

// ---------------------------------------------------------------------------------------
// Price of affinity
// ---------------------------------------------------------------------------------------

fn affinity_of(d: &Value, policy: &Policy, plan: &Plan) -> Affinity {
    let problem = io::parse_problem_value(d.clone()).unwrap();
    price_of_affinity(&problem, policy, plan, None)
}

#[test]
fn a_favourite_with_room_costs_the_extra_drive() {
    let d = doc(
        vec![tech("NEAR", 0.0, json!({})), tech("FAV", 300.0, json!({}))],
        vec![job("J", 100.0, 600.0, json!({"preferred_technicians": ["FAV"]}))],
    );
    let policy = preset("min_travel");
    let plan = solve(&d, Some(policy.clone()));
    assert_eq!(who(&plan, "J").as_deref(), Some("NEAR"));
    let a = affinity_of(&d, &policy, &plan);
    assert_eq!(
        (a.summary.jobs_with_favourites, a.summary.honoured, a.summary.not_honoured),
        (1, 0, 1)
    );
    let row = &a.jobs[0];
    assert_eq!((row.status.as_str(), row.favourite.as_deref()), ("fits", Some("FAV")));
    // NEAR: 100 + 100 s; FAV: 200 + 200 s.
    assert!((row.extra_travel_minutes.unwrap() - 200.0 / 60.0).abs() < 1e-9, "{row:?}");
    assert!(row.extra_cost.unwrap() > 0.0);
    assert_eq!(row.jobs_pushed_out, Some(0));
    assert!(placeable(&d, &id_routes(&d, &plan), "J", "FAV"));
    assert!(a.summary_line().contains("1 of 1 jobs with a favourite"), "{}", a.summary_line());

    // The whole favourite_first policy against this plan.
    let problem = io::parse_problem_value(d.clone()).unwrap();
    let full = price_with_favourite_first(&problem, &policy, &plan, &params(None));
    let ff = full.favourite_first.expect("favourite_first price");
    assert_eq!((ff.honoured, ff.honoured_policy, ff.jobs_pushed_out), (0, 1, 0));
    assert_eq!((ff.preferred_rate, ff.preferred_rate_policy), (Some(0.0), Some(1.0)));
    assert!((ff.extra_travel_minutes - 200.0 / 60.0).abs() < 1e-9);
    // Its plan is a real plan too.
    let ff_plan = solve(&d, Some(preset("favourite_first")));
    assert_eq!(who(&ff_plan, "J").as_deref(), Some("FAV"));
}

#[test]
fn a_full_favourite_day_displaces_a_job_that_goes_elsewhere_or_out() {
    // FAV's 1000 s day holds F1 (800 s at its door); J (100 s at x=100) does not fit on top.
    let fav = tech("FAV", 300.0, json!({"shift": [0, 1000]}));
    let j = job("J", 100.0, 100.0, json!({"preferred_technicians": ["FAV"]}));
    for (banned, pushed) in [(false, 0usize), (true, 1)] {
        let f1 = if banned {
            job("F1", 300.0, 800.0, json!({"excluded_technicians": ["NEAR"]}))
        } else {
            job("F1", 300.0, 800.0, json!({}))
        };
        let d = doc(vec![tech("NEAR", 0.0, json!({})), fav.clone()], vec![j.clone(), f1]);
        let policy = preset("min_travel");
        let plan = solve(&d, Some(policy.clone()));
        assert_eq!(
            (who(&plan, "J").as_deref(), who(&plan, "F1").as_deref()),
            (Some("NEAR"), Some("FAV"))
        );
        let a = affinity_of(&d, &policy, &plan);
        let row = &a.jobs[0];
        assert_eq!(row.status, "displaces", "{row:?}");
        assert_eq!(row.displaced, ["F1"]);
        assert_eq!(row.jobs_pushed_out, Some(pushed));
        // Before: NEAR 200 s. After: FAV 400 s, and NEAR 600 s when it takes F1.
        let minutes = if banned { 200.0 } else { 800.0 } / 60.0;
        assert!((row.extra_travel_minutes.unwrap() - minutes).abs() < 1e-9, "{row:?}");
        if banned {
            assert_eq!(row.pushed_out, ["F1"]);
            assert!(row.reason.contains("F1 left out"), "{}", row.reason);
        } else {
            assert!(row.reason.contains("F1 to NEAR"), "{}", row.reason);
        }
        // The what-if is a feasible plan: J at FAV, F1 at NEAR (or out).
        let mut routes = vec![("FAV", vec!["J".to_string()])];
        if !banned {
            routes.push(("NEAR", vec!["F1".to_string()]));
        }
        let un: Vec<String> = if banned { vec!["F1".into()] } else { vec![] };
        assert_feasible(&d, &plan_of(&routes, &un));
    }
}

#[test]
fn a_favourite_the_rules_forbid_is_not_allowed() {
    let d = doc(
        vec![
            tech("NEAR", 0.0, json!({"skills": {"hvac": 3}})),
            tech("FAV", 50.0, json!({"skills": {"hvac": 1}})),
        ],
        vec![job(
            "J",
            40.0,
            60.0,
            json!({"skills": {"hvac": 2}, "preferred_technicians": ["FAV"]}),
        )],
    );
    let policy = Policy::default();
    let plan = solve(&d, None);
    let a = affinity_of(&d, &policy, &plan);
    let row = &a.jobs[0];
    assert_eq!((row.status.as_str(), row.extra_travel_minutes), ("not_allowed", None));
    assert!(row.reason.contains("FAV has hvac level 1, needs 2"), "{}", row.reason);
    assert_eq!(a.summary.honourable, 0);
}

#[test]
fn honoured_jobs_have_no_price_and_the_sum_is_over_rows() {
    let d = doc(
        vec![tech("A", 0.0, json!({})), tech("B", 200.0, json!({}))],
        vec![
            job("J1", 10.0, 60.0, json!({"preferred_technicians": ["A"]})),
            job("J2", 20.0, 60.0, json!({"preferred_technicians": ["B"]})),
            job("J3", 190.0, 60.0, json!({})),
        ],
    );
    let policy = preset("min_travel");
    let plan = solve(&d, Some(policy.clone()));
    let a = affinity_of(&d, &policy, &plan);
    assert_eq!((a.summary.jobs_with_favourites, a.summary.honoured), (2, 1));
    assert_eq!(a.jobs.iter().map(|r| r.job.as_str()).collect::<Vec<_>>(), ["J2"]);
    let sum: f64 = a.jobs.iter().filter_map(|r| r.extra_travel_minutes).sum();
    assert!((a.summary.extra_travel_minutes - sum).abs() < 1e-9);
    for row in &a.jobs {
        assert!(placeable(&d, &id_routes(&d, &plan), &row.job, row.favourite.as_deref().unwrap()));
    }
}

// ---------------------------------------------------------------------------------------
// Explanations
// ---------------------------------------------------------------------------------------

fn explained(d: &Value, plan: &Plan, job: &str) -> fieldopt::plan::explain::Explanation {
    let problem = io::parse_problem_value(d.clone()).unwrap();
    explain(&problem, &problem.policy, plan, job).expect("known job")
}

#[test]
fn assigned_to_the_cheapest_with_the_runner_up_and_terms() {
    let d = doc(
        vec![tech("A", 0.0, json!({})), tech("B", 500.0, json!({}))],
        vec![job("J", 100.0, 60.0, json!({}))],
    );
    let plan = solve(&d, None);
    let e = explained(&d, &plan, "J");
    assert_eq!(
        (e.status.as_str(), e.technician.as_deref(), e.code.as_str()),
        ("assigned", Some("A"), "cheapest")
    );
    assert!(e.reason.contains("for B, the next cheapest"), "{}", e.reason);
    let (a, b) = (&e.technicians[0], &e.technicians[1]);
    assert_eq!((a.technician.as_str(), a.rank, a.assigned), ("A", Some(1), true));
    assert_eq!((b.technician.as_str(), b.rank, b.assigned), ("B", Some(2), false));
    // A drives 200 s for it, B would drive 800 s.
    assert!((a.extra_travel_minutes.unwrap() - 200.0 / 60.0).abs() < 1e-9);
    assert!((b.extra_travel_minutes.unwrap() - 800.0 / 60.0).abs() < 1e-9);
    for t in [a, b] {
        let split: f64 = t.terms.values().sum();
        assert!((split - t.cost.unwrap()).abs() < 1e-6, "{t:?}");
        assert!(t.terms.contains_key("travel_time"), "{t:?}");
    }
}

#[test]
fn pinned_and_only_eligible_name_the_rule() {
    let d = doc(
        vec![
            tech("A", 0.0, json!({"skills": {"hvac": 3}})),
            tech("B", 500.0, json!({"skills": {"hvac": 3}})),
            tech("C", 0.0, json!({})),
        ],
        vec![
            job("PIN", 100.0, 60.0, json!({"pinned_technician": "B"})),
            job(
                "SKILL",
                100.0,
                60.0,
                json!({"skills": {"hvac": 2}, "excluded_technicians": ["B"]}),
            ),
        ],
    );
    let plan = solve(&d, None);
    let e = explained(&d, &plan, "PIN");
    assert_eq!((e.technician.as_deref(), e.code.as_str()), (Some("B"), "pinned"));
    let others: Vec<Option<&str>> =
        e.technicians.iter().filter(|t| !t.assigned).map(|t| t.rule.as_deref()).collect();
    assert_eq!(others, [Some("pinned"), Some("pinned")]);
    let e = explained(&d, &plan, "SKILL");
    assert_eq!((e.technician.as_deref(), e.code.as_str()), (Some("A"), "only_eligible"));
    let c = e.technicians.iter().find(|t| t.technician == "C").unwrap();
    assert_eq!(c.why_not, ["C has hvac level 0, needs 2"]);
    assert!(e.reason.contains("excluded 1") && e.reason.contains("skill 1"), "{}", e.reason);
}

#[test]
fn an_unreachable_window_names_the_smallest_widening_that_places_it() {
    // W at x=1000 opens [0, 900]: arrival at 1000 is too late; 5 minutes wider is enough.
    let d = doc(
        vec![tech("A", 0.0, json!({}))],
        vec![job("W", 1000.0, 60.0, json!({"time_windows": [[0, 900]]}))],
    );
    let plan = solve(&d, None);
    let e = explained(&d, &plan, "W");
    assert_eq!((e.status.as_str(), e.code.as_str()), ("unassigned", "no_feasible_time"));
    let r = e.cheapest_relaxation().expect("a relaxation");
    assert_eq!(
        (r.kind.as_str(), r.minutes, r.technician.as_deref()),
        ("window", Some(5.0), Some("A"))
    );
    // Checked: with the window closing 5 minutes later, A can serve it.
    let mut relaxed = d.clone();
    relaxed["jobs"][0]["time_windows"] = json!([[0, 1200]]);
    assert_feasible(&relaxed, &plan_of(&[("A", vec!["W".into()])], &[]));
    // And 4 minutes would not do (so 5 is the smallest step that works).
    let mut tight = d.clone();
    tight["jobs"][0]["time_windows"] = json!([[0, 960]]);
    assert!(!check(&tight, &plan_of(&[("A", vec!["W".into()])], &[])).violations.is_empty());
}

#[test]
fn a_short_shift_names_the_overtime_that_places_it() {
    let d = doc(
        vec![tech("A", 0.0, json!({"shift": [0, 1500]}))],
        vec![job("FAR", 1000.0, 0.0, json!({}))],
    );
    let plan = solve(&d, None);
    let e = explained(&d, &plan, "FAR");
    let r = e.cheapest_relaxation().expect("a relaxation");
    // 2000 s of driving in a 1500 s day: 500 s short, the 10-minute step is the first.
    assert_eq!((r.kind.as_str(), r.minutes), ("shift", Some(10.0)));
    let mut relaxed = d.clone();
    relaxed["technicians"][0]["max_overtime"] = json!(600);
    assert_feasible(&relaxed, &plan_of(&[("A", vec!["FAR".into()])], &[]));
}

#[test]
fn an_expired_certification_is_renewed() {
    let d = doc(
        vec![
            tech("T", 0.0, json!({"certifications": {"gas-safe": "2026-11-20"}})),
            tech("U", 0.0, json!({})),
        ],
        vec![job("G", 10.0, 60.0, json!({"certifications": ["gas-safe"]}))],
    );
    let plan = solve(&d, None);
    let e = explained(&d, &plan, "G");
    assert_eq!(e.code, "certification");
    let r = e.cheapest_relaxation().expect("a relaxation");
    assert_eq!((r.kind.as_str(), r.technician.as_deref()), ("certification", Some("T")));
    assert!(r.description.contains("T renews gas-safe (expired 2026-11-20)"), "{}", r.description);
    // U would need a new certificate: listed after the renewal.
    assert!(
        e.relaxations[1].description.contains("U gets certified gas-safe"),
        "{:?}",
        e.relaxations
    );
    let mut relaxed = d.clone();
    relaxed["technicians"][0]["certifications"] = json!({"gas-safe": "2027-11-20"});
    assert_feasible(&relaxed, &plan_of(&[("T", vec!["G".into()])], &[]));
}

#[test]
fn not_worth_it_names_the_price_that_would_place_it() {
    let d = doc(
        vec![tech("A", 0.0, json!({"cost": {"per_hour": 3600.0}}))],
        vec![job("CHEAP_OUT", 100.0, 10.0, json!({"unassigned_cost": 50}))],
    );
    let policy = Policy { outsourcing: 1.0, ..Policy::default() };
    let problem = io::parse_problem_value(d.clone()).unwrap();
    let plan = solve(&d, Some(policy.clone()));
    let e = explain(&problem, &policy, &plan, "CHEAP_OUT").unwrap();
    assert_eq!(e.code, "not_worth_it");
    let r = e.cheapest_relaxation().expect("a relaxation");
    assert_eq!(r.kind, "priority");
    assert!(r.description.starts_with("an outsourcing price above"), "{}", r.description);
    // It would add 210 s of labour at 1 per second (200 travel + 10 service) plus travel.
    assert!(r.cost.unwrap() > 210.0, "{r:?}");
}

#[test]
fn rank_without_a_plan_and_unknown_jobs() {
    let d = doc(
        vec![
            tech("A", 0.0, json!({"rating": 3.0})),
            tech("B", 0.0, json!({"rating": 5.0})),
            tech("C", 0.0, json!({"shift": [0, 10]})),
        ],
        vec![job("J", 100.0, 60.0, json!({"priority": 3, "preferred_technicians": ["A"]}))],
    );
    let problem = io::parse_problem_value(d.clone()).unwrap();
    let empty = vec![Vec::new(); 3];
    let rows = rank_technicians(&problem, &problem.policy, &empty, 0);
    let names: Vec<&str> = rows.iter().map(|r| r.technician.as_str()).collect();
    // Same drive; A (the favourite) pays its rating, 2 points x (1 + priority 3) = 8, and
    // B pays the favourite term, 30.
    assert_eq!(names, ["A", "B", "C"]);
    assert_eq!((rows[0].terms.get("rating"), rows[0].terms.get("preferred")), (Some(&8.0), None));
    assert_eq!((rows[1].terms.get("preferred"), rows[1].terms.get("rating")), (Some(&30.0), None));
    assert!(rows[0].preferred && !rows[1].preferred);
    assert_eq!((rows[2].fits, rows[2].limit.as_deref(), rows[2].rank), (false, Some("time"), None));
    let plan = solve(&d, None);
    let err = explain(&problem, &problem.policy, &plan, "NOPE").unwrap_err();
    assert_eq!(err.path(), Some("job"));
}

/// Every honourable row of the price of affinity on a generated region, rebuilt by brute
/// force over the positions and checked: some placement of the job in the favourite's day
/// and of each displaced job in its new day passes the checker, and one of those has
/// exactly the travel time the row claims.
#[test]
fn affinity_what_ifs_pass_the_checker_on_a_generated_region() {
    use fieldopt::generate::{generate, GenerateParams};
    let mut d = generate(&GenerateParams { jobs: 70, techs: 7, seed: 5 });
    // Without lunch breaks a route is its job order alone (no break stop to place).
    for t in d["technicians"].as_array_mut().unwrap() {
        t.as_object_mut().unwrap().remove("break");
    }
    let policy = preset("min_travel");
    let plan = solve(&d, Some(policy.clone()));
    let base = check(&d, &plan_value(&plan)).kpis.travel_time;
    let a = affinity_of(&d, &policy, &plan);
    let all: Vec<String> =
        d["jobs"].as_array().unwrap().iter().map(|j| j["id"].as_str().unwrap().into()).collect();
    let mut verified = 0;
    for row in a.jobs.iter().filter(|r| r.status == "fits" || r.status == "displaces") {
        // The days without the job and without the displaced jobs.
        let out: Vec<&String> = std::iter::once(&row.job).chain(&row.displaced).collect();
        let days: Vec<(String, Vec<String>)> = id_routes(&d, &plan)
            .into_iter()
            .map(|(t, js)| (t, js.into_iter().filter(|j| !out.contains(&j)).collect()))
            .collect();
        let mut moves = vec![(row.job.clone(), row.favourite.clone().unwrap())];
        for (job, to) in row.displaced.iter().zip(&row.displaced_to) {
            if let Some(t) = to {
                moves.push((job.clone(), t.clone()));
            }
        }
        let mut travel = Vec::new();
        place_all(&d, &all, days, &moves, &mut travel);
        assert!(!travel.is_empty(), "no feasible placement for {row:?}");
        let want = base + row.extra_travel_minutes.unwrap() * 60.0;
        assert!(
            travel.iter().any(|&t| (t - want).abs() <= 1e-6 * want.max(1.0)),
            "{row:?}: travel {want} not among the feasible placements' {travel:?}"
        );
        verified += 1;
    }
    assert!(verified >= 3, "only {verified} rows to verify: {:?}", a.summary);
}

/// Tries every position of each `(job, technician)` of `moves` in turn; records the
/// checker's travel time of every complete placement that is feasible.
fn place_all(
    d: &Value,
    all: &[String],
    days: Vec<(String, Vec<String>)>,
    moves: &[(String, String)],
    travel: &mut Vec<f64>,
) {
    let Some(((job, tech), rest)) = moves.split_first() else {
        let routed: Vec<&String> = days.iter().flat_map(|(_, js)| js.iter()).collect();
        let un: Vec<String> = all.iter().filter(|j| !routed.contains(j)).cloned().collect();
        let refs: Vec<(&str, Vec<String>)> =
            days.iter().map(|(t, js)| (t.as_str(), js.clone())).collect();
        let rep = check(d, &plan_of(&refs, &un));
        if rep.violations.is_empty() {
            travel.push(rep.kpis.travel_time);
        }
        return;
    };
    let k = days.iter().position(|(t, _)| t == tech).expect("technician");
    for pos in 0..=days[k].1.len() {
        let mut next = days.clone();
        next[k].1.insert(pos, job.clone());
        place_all(d, all, next, rest, travel);
    }
}
