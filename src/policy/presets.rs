//! Named policies: a dispatcher picks one by name (`--policy best_skill_fit`,
//! `fieldopt.solve(problem, policy="best_skill_fit")`) instead of writing weights.
//!
//! Every preset is the default policy with a few weights changed, so two presets differ
//! only where their names say they do. `benches/results/policy_comparison_2000x200.md` shows
//! what each one does to the KPIs on a 2000-job region.

use super::Policy;

/// Preset names, in the order tables list them.
const NAMES: [&str; 6] =
    ["default", "favourite_first", "best_skill_fit", "min_travel", "lowest_cost", "balanced"];

impl Policy {
    /// The names [`Policy::preset`] accepts.
    pub fn preset_names() -> &'static [&'static str] {
        &NAMES
    }

    /// A named policy, or `None` for an unknown name. Dashes and upper case are accepted
    /// (`Best-Skill-Fit` is `best_skill_fit`).
    ///
    /// - `default`: assign jobs by priority first, then travel and labour cost, with small
    ///   tie-breakers for favourites (30 per job), skill fit (1 per level) and rating.
    /// - `favourite_first`: the customer's favourite whenever that leaves no job out
    ///   (`unassigned` raised to 10^6 and `preferred` at the same 10^6, the largest weight
    ///   the validator accepts: the cap that protects priorities then sets it to
    ///   10^6 / (jobs with favourites + 1) per job).
    /// - `best_skill_fit`: the least over-qualified technician, scarce levels kept for work
    ///   that needs them (`skill_fit` 60, `fairness` 40).
    /// - `min_travel`: driving dominates (`travel_time` 300 per hour, `travel_distance` 10
    ///   per km, soft terms off, labour at a fifth).
    /// - `lowest_cost`: the least paid labour for the work done: the technicians' own pay
    ///   x5 (`labor` 5: contractors' call-out fee and higher hourly rate against salaried
    ///   staff, shorter days) and driving priced as `min_travel` prices it (300 per hour, 10
    ///   per km), soft terms off. Pay runs while a technician drives, and on a day with more
    ///   work than the shifts hold every driven hour is a job lost for the same pay: with
    ///   driving at 5 per hour the preset sent work to cheaper technicians across the region
    ///   and paid more labour, in total and per job, than `min_travel` (2000 x 200 region).
    /// - `balanced`: even days across the team (`workload` 300 per squared hour) and expert
    ///   hours spread over customers (`fairness` 10).
    ///
    /// ```
    /// use fieldopt::Policy;
    /// let p = Policy::preset("best_skill_fit").unwrap();
    /// assert!(p.skill_fit > Policy::default().skill_fit);
    /// assert!(Policy::preset("fastest").is_none());
    /// ```
    pub fn preset(name: &str) -> Option<Policy> {
        let key = name.trim().to_ascii_lowercase().replace('-', "_");
        let d = Policy::default();
        let p = match key.as_str() {
            "default" => d,
            "favourite_first" | "favorite_first" => Policy { preferred: 1e6, unassigned: 1e6, ..d },
            "best_skill_fit" => Policy { skill_fit: 60.0, fairness: 40.0, ..d },
            "min_travel" => Policy {
                travel_time: 300.0,
                travel_distance: 10.0,
                labor: 0.2,
                preferred: 0.0,
                skill_fit: 0.0,
                rating: 0.0,
                ..d
            },
            "lowest_cost" => Policy {
                labor: 5.0,
                travel_time: 300.0,
                travel_distance: 10.0,
                preferred: 0.0,
                skill_fit: 0.0,
                rating: 0.0,
                ..d
            },
            "balanced" => Policy { workload: 300.0, fairness: 10.0, ..d },
            _ => return None,
        };
        Some(p)
    }

    /// Every preset by name, as a JSON object `{name: weights}` (for the Python binding).
    pub fn presets_json() -> String {
        let map: serde_json::Map<String, serde_json::Value> = NAMES
            .iter()
            .filter_map(|&n| {
                let p = Policy::preset(n)?;
                Some((n.to_string(), serde_json::to_value(p).ok()?))
            })
            .collect();
        serde_json::Value::Object(map).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_is_a_preset_and_round_trips_through_the_validator() {
        for &n in Policy::preset_names() {
            let p = Policy::preset(n).unwrap_or_else(|| panic!("{n}"));
            let text = serde_json::to_string(&p).unwrap();
            assert_eq!(crate::io::parse_policy_str(&text).unwrap(), p, "{n}");
        }
        assert_eq!(Policy::preset("Best-Skill-Fit"), Policy::preset("best_skill_fit"));
        assert_eq!(Policy::preset("default"), Some(Policy::default()));
        assert!(Policy::preset("nope").is_none());
        let all: serde_json::Value = serde_json::from_str(&Policy::presets_json()).unwrap();
        assert_eq!(all.as_object().map(|m| m.len()), Some(NAMES.len()));
        assert_eq!(all["balanced"]["workload"], 300.0);
    }

    #[test]
    fn presets_differ_from_the_default_where_their_names_say() {
        let d = Policy::default();
        let get = |n| Policy::preset(n).unwrap();
        // At or above the cap `unassigned / (jobs with favourites + 1)` for any problem.
        let ff = get("favourite_first");
        assert!(ff.preferred >= ff.unassigned && ff.unassigned > d.unassigned);
        assert!(get("best_skill_fit").skill_fit > d.skill_fit);
        assert!(get("min_travel").travel_time > d.travel_time);
        assert!(get("lowest_cost").labor > d.labor);
        // Driving is paid time: lowest_cost prices it at least as min_travel does.
        let (lc, mt) = (get("lowest_cost"), get("min_travel"));
        assert!(lc.travel_time >= mt.travel_time && lc.travel_distance >= mt.travel_distance);
        assert!(lc.labor > mt.labor);
        assert!(get("balanced").workload > d.workload);
    }
}
