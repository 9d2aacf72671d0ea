//! Recombination: the set-partitioning MIP over a pool of routes found by the search plus
//! the incumbent's routes (so the incumbent is a feasible MIP start and the result is
//! never worse), at most class-size routes per technician class, every job in at most one
//! route or paid for as unassigned. Routes of a class go to its members in order.

use std::collections::HashMap;

use super::backend::Limits;
use super::classes::{PoolRoute, TechClasses};
use super::enumerate::Column;
use super::partition::Partitioning;
use crate::error::Result;
use crate::model::{JobIdx, Problem};
use crate::policy::Objective;
use crate::routing::evaluate;

/// Routes per technician of the best plan the MIP assembles from `pool` and `incumbent`
/// (routes by technician index) within `time_limit` seconds and `max_nodes`
/// branch-and-bound nodes, or `None` when it is no cheaper than the incumbent.
pub fn recombine(
    p: &Problem,
    obj: &Objective,
    classes: &TechClasses,
    pool: &[PoolRoute],
    incumbent: &[Vec<JobIdx>],
    time_limit: Option<f64>,
    max_nodes: Option<i32>,
) -> Result<Option<Vec<Vec<JobIdx>>>> {
    let mut columns: Vec<Column> = Vec::with_capacity(pool.len() + incumbent.len());
    let mut index: HashMap<(usize, &[JobIdx]), usize> = HashMap::new();
    let rep = |c: usize| classes.members[c][0];
    for r in pool.iter().filter(|r| !r.jobs.is_empty() && r.class < classes.members.len()) {
        let k = *index.entry((r.class, r.jobs.as_slice())).or_insert(columns.len());
        if k == columns.len() {
            columns.push(Column { tech: rep(r.class), jobs: r.jobs.clone(), cost: r.cost });
        }
    }
    let mut start = Vec::new();
    let mut inc_cost: i64 = 0;
    let mut covered = vec![false; p.jobs.len()];
    for (t, jobs) in incumbent.iter().enumerate().filter(|(_, j)| !j.is_empty()) {
        let (Some(c), Some(e)) = (classes.of[t], evaluate(p, obj, t, jobs)) else {
            return Ok(None); // not a plan of this problem: nothing to improve on
        };
        inc_cost = inc_cost.saturating_add(e.cost);
        jobs.iter().for_each(|&j| covered[j] = true);
        let k = match index.get(&(c, jobs.as_slice())) {
            Some(&k) => {
                columns[k].cost = columns[k].cost.min(e.cost);
                k
            }
            None => {
                columns.push(Column { tech: rep(c), jobs: jobs.clone(), cost: e.cost });
                columns.len() - 1
            }
        };
        start.push(k);
    }
    let inc_obj = (0..p.jobs.len())
        .filter(|&j| !covered[j])
        .fold(inc_cost, |a, j| a.saturating_add(obj.unassigned_cost(j)));
    let mut per_tech = vec![0; p.technicians.len()];
    for m in &classes.members {
        per_tech[m[0]] = m.len();
    }
    let model = Partitioning { per_tech: &per_tech, start: &start };
    let limits = Limits { time_limit, max_nodes, ..Limits::default() };
    let part = model.solve(p, obj, &columns, true, limits)?;
    // Not cheaper by more than the solver's tolerance (1e-6 currency = 1 micro-currency).
    let micro = (part.objective * crate::policy::COST_SCALE).round() as i64;
    if micro >= inc_obj.saturating_sub(1) {
        return Ok(None);
    }
    let mut routes = vec![Vec::new(); p.technicians.len()];
    let mut used = vec![0usize; classes.members.len()];
    for &k in &part.chosen {
        let c = classes.of[columns[k].tech].expect("columns belong to classes");
        let Some(&t) = classes.members[c].get(used[c]) else { return Ok(None) };
        used[c] += 1;
        routes[t].clone_from(&columns[k].jobs);
    }
    Ok(Some(routes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lp::classes::two_identical_technicians;
    use crate::policy::Policy;

    /// Two identical technicians, four jobs on a line: the incumbent pairs far jobs, the
    /// pool holds the two routes of near pairs, and recombination picks those.
    #[test]
    fn picks_the_cheaper_pair_of_pooled_routes() {
        let p = two_identical_technicians(&[-1000, -1100, 1000, 1100]);
        let obj = Objective::new(&p, &Policy::default());
        let classes = TechClasses::new(&p, &obj, &[vec![0, 1, 2, 3], vec![0, 1, 2, 3]]);
        assert_eq!(classes.members, vec![vec![0, 1]]);
        let route = |jobs: Vec<usize>| {
            let cost = evaluate(&p, &obj, 0, &jobs).unwrap().cost;
            PoolRoute { class: 0, jobs, cost }
        };
        let pool = vec![route(vec![0, 1]), route(vec![2, 3])];
        let incumbent = vec![vec![0, 2], vec![1, 3]];
        let got = recombine(&p, &obj, &classes, &pool, &incumbent, Some(10.0), None).unwrap();
        let mut got = got.expect("the near pairs are cheaper");
        got.sort();
        assert_eq!(got, vec![vec![0, 1], vec![2, 3]]);
        // The incumbent itself is not improved on by its own routes.
        let own: Vec<PoolRoute> = incumbent.iter().map(|j| route(j.clone())).collect();
        assert!(recombine(&p, &obj, &classes, &own, &incumbent, Some(10.0), None)
            .unwrap()
            .is_none());
    }
}
