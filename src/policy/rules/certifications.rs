use super::Rule;
use crate::model::{JobIdx, Problem, TechIdx};

/// Every required certification held and valid on the plan date (expiry day inclusive).
pub struct Certifications;

impl Rule for Certifications {
    fn code(&self) -> &'static str {
        "certification"
    }
    fn allows(&self, p: &Problem, job: JobIdx, tech: TechIdx) -> bool {
        let t = &p.technicians[tech];
        p.jobs[job].certs.iter().all(|&c| t.certs_valid[c])
    }
    fn why_not(&self, p: &Problem, job: JobIdx, tech: TechIdx) -> String {
        let t = &p.technicians[tech];
        let c = p.jobs[job].certs.iter().copied().find(|&c| !t.certs_valid[c]).unwrap_or(0);
        match t.cert_expiry[c] {
            Some(d) => format!("{}'s {} expired on {}", t.id, p.cert_names[c], d),
            None => format!("{} does not hold {}", t.id, p.cert_names[c]),
        }
    }
    fn why_none(&self, p: &Problem, job: JobIdx) -> String {
        let j = &p.jobs[job];
        let mut parts = Vec::new();
        for &c in &j.certs {
            if p.technicians.iter().any(|t| t.certs_valid[c]) {
                continue;
            }
            let expired: Vec<String> = p
                .technicians
                .iter()
                .filter_map(|t| t.cert_expiry[c].map(|d| format!("{} expired {}", t.id, d)))
                .take(3)
                .collect();
            if expired.is_empty() {
                parts.push(format!("no technician holds certification {}", p.cert_names[c]));
            } else {
                parts.push(format!(
                    "certification {} is not valid on {} for anyone ({})",
                    p.cert_names[c],
                    p.date,
                    expired.join(", ")
                ));
            }
        }
        if parts.is_empty() {
            let names: Vec<&str> = j.certs.iter().map(|&c| p.cert_names[c].as_str()).collect();
            format!("no technician holds all of {} valid on {}", names.join(", "), p.date)
        } else {
            parts.join("; ")
        }
    }
}
