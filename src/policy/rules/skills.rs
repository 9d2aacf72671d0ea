use super::Rule;
use crate::model::{JobIdx, Problem, TechIdx};

/// Every required skill at or above the required level (levels 1-5).
pub struct Skills;

impl Rule for Skills {
    fn code(&self) -> &'static str {
        "skill"
    }
    fn allows(&self, p: &Problem, job: JobIdx, tech: TechIdx) -> bool {
        let t = &p.technicians[tech];
        p.jobs[job].skills.iter().all(|&(s, lvl)| t.skills[s] >= lvl)
    }
    fn why_not(&self, p: &Problem, job: JobIdx, tech: TechIdx) -> String {
        let t = &p.technicians[tech];
        let (s, lvl) = p.jobs[job]
            .skills
            .iter()
            .copied()
            .find(|&(s, lvl)| t.skills[s] < lvl)
            .unwrap_or((0, 0));
        format!("{} has {} level {}, needs {}", t.id, p.skill_names[s], t.skills[s], lvl)
    }
    fn why_none(&self, p: &Problem, job: JobIdx) -> String {
        let j = &p.jobs[job];
        let missing: Vec<String> = j
            .skills
            .iter()
            .filter(|&&(s, lvl)| p.technicians.iter().all(|t| t.skills[s] < lvl))
            .map(|&(s, lvl)| format!("{} >= {}", p.skill_names[s], lvl))
            .collect();
        if missing.is_empty() {
            let all: Vec<String> =
                j.skills.iter().map(|&(s, l)| format!("{} >= {}", p.skill_names[s], l)).collect();
            format!("no technician has all of {}", all.join(", "))
        } else {
            format!("no technician has skill {}", missing.join(", "))
        }
    }
}
