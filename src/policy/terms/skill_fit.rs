use crate::model::{JobIdx, Problem, TechIdx};
use crate::policy::{micro, Term};

/// Highest weight of one skill level (a level held by one technician in ten or fewer of
/// those with the skill counts 10).
pub const MAX_RARITY: f64 = 10.0;

/// Over-qualification: for each skill a job requires at level `r` done by a technician at
/// level `l > r`, the levels `r+1..=l` each cost `weight * rarity`, where the rarity of
/// level `k` of a skill is (technicians with the skill) / (technicians at level `k` or
/// above), between 1 and `MAX_RARITY`. A level-5 expert on a level-1 job therefore costs
/// far more than a level-2 technician on it, so experts stay free for work only they can do.
pub struct SkillFit {
    weight: f64,
    /// `rarity[s][k]` for skill `s` and level `k` (index 0 unused), 1..=MAX_RARITY.
    rarity: Vec<[f64; 6]>,
}

impl SkillFit {
    /// The term for `problem` with `weight` currency per scarcity-weighted level.
    pub fn new(problem: &Problem, weight: f64) -> Self {
        let rarity = (0..problem.skill_names.len())
            .map(|s| {
                let at_least = |k: u8| {
                    problem
                        .technicians
                        .iter()
                        .filter(|t| t.skills.get(s).is_some_and(|&l| l >= k))
                        .count()
                };
                let holders = at_least(1).max(1) as f64;
                let mut r = [1.0; 6];
                for (k, x) in r.iter_mut().enumerate().skip(1) {
                    *x = (holders / at_least(k as u8).max(1) as f64).clamp(1.0, MAX_RARITY);
                }
                r
            })
            .collect();
        SkillFit { weight, rarity }
    }

    /// Scarcity-weighted levels above the requirement of `job` for `tech` (0 when exact).
    pub fn excess(&self, p: &Problem, job: JobIdx, tech: TechIdx) -> f64 {
        let t = &p.technicians[tech];
        p.jobs[job]
            .skills
            .iter()
            .map(|&(s, r)| {
                let l = t.skills.get(s).copied().unwrap_or(0).min(5);
                (r.saturating_add(1)..=l).map(|k| self.rarity[s][k as usize]).sum::<f64>()
            })
            .sum()
    }
}

impl Term for SkillFit {
    fn name(&self) -> &'static str {
        "skill_fit"
    }
    fn assignment_cost(&self, p: &Problem, job: JobIdx, tech: TechIdx) -> i64 {
        if self.weight == 0.0 || p.jobs[job].skills.is_empty() {
            return 0;
        }
        micro(self.weight * self.excess(p, job, tech))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::parse_problem_str;

    /// hvac holders: A 5, B 2, C 1, D 1 (rarity of level 2 = 4/2, 3..5 = 4/1).
    const DOC: &str = r#"{"format": "fieldopt-problem/1", "date": "2026-11-24",
      "travel": {"kind": "euclidean"},
      "technicians": [
        {"id": "A", "start": {"x": 0, "y": 0}, "shift": [0, 100], "skills": {"hvac": 5}},
        {"id": "B", "start": {"x": 0, "y": 0}, "shift": [0, 100], "skills": {"hvac": 2}},
        {"id": "C", "start": {"x": 0, "y": 0}, "shift": [0, 100], "skills": {"hvac": 1}},
        {"id": "D", "start": {"x": 0, "y": 0}, "shift": [0, 100], "skills": {"hvac": 1, "gas": 3}}],
      "jobs": [
        {"id": "J1", "location": {"x": 1, "y": 0}, "duration": 1, "skills": {"hvac": 1}},
        {"id": "J2", "location": {"x": 1, "y": 0}, "duration": 1},
        {"id": "J3", "location": {"x": 1, "y": 0}, "duration": 1, "skills": {"hvac": 2}}]}"#;

    #[test]
    fn scarce_levels_cost_more() {
        let p = parse_problem_str(DOC).unwrap();
        let f = SkillFit::new(&p, 1.0);
        // (job, tech, scarcity-weighted excess)
        let cases = [
            (0, 0, 2.0 + 4.0 + 4.0 + 4.0), // expert on a level-1 job
            (0, 1, 2.0),
            (0, 2, 0.0),
            (0, 3, 0.0), // gas is not required
            (1, 0, 0.0), // no requirement
            (2, 0, 12.0),
            (2, 1, 0.0),
        ];
        for (j, t, want) in cases {
            assert_eq!(f.excess(&p, j, t), want, "job {j} tech {t}");
            assert_eq!(f.assignment_cost(&p, j, t), micro(want), "job {j} tech {t}");
        }
        assert_eq!(SkillFit::new(&p, 0.0).assignment_cost(&p, 0, 0), 0);
        assert_eq!(SkillFit::new(&p, 2.5).assignment_cost(&p, 0, 1), 5_000_000);
    }
}
