//! What the trade looks like: skills, certifications and job kinds with their frequencies.

/// Skill names (trades).
pub(super) const SKILLS: [&str; 6] =
    ["hvac", "electrical", "plumbing", "gas", "refrigeration", "solar"];

/// How common each trade is, among technicians' main trades and among jobs.
pub(super) const SKILL_WEIGHTS: [f64; 6] = [25.0, 22.0, 22.0, 13.0, 8.0, 10.0];

/// Trades that go together (second skills of technicians and of two-skill jobs).
pub(super) const RELATED: [&[usize]; 6] = [
    &[4, 3, 1], // hvac: refrigeration, gas, electrical
    &[5, 0],    // electrical: solar, hvac
    &[3, 0],    // plumbing: gas, hvac
    &[2, 0],    // gas: plumbing, hvac
    &[0, 1],    // refrigeration: hvac, electrical
    &[1],       // solar: electrical
];

/// Level of a technician's main trade: 1..=5, experts rare.
pub(super) const MAIN_LEVEL_WEIGHTS: [f64; 5] = [10.0, 25.0, 38.0, 20.0, 7.0];
/// Level of a technician's secondary trades.
pub(super) const SECOND_LEVEL_WEIGHTS: [f64; 5] = [45.0, 35.0, 17.0, 3.0, 0.0];
/// Level a job requires: mostly 1-3, occasionally 4-5.
pub(super) const JOB_LEVEL_WEIGHTS: [f64; 5] = [40.0, 32.0, 18.0, 8.0, 2.0];

/// Certification names.
pub(super) const CERTS: [&str; 5] =
    ["gas-safe", "f-gas", "working-at-height", "confined-space", "asbestos-awareness"];

/// Chance that a technician holds each certification, given their skills (index into
/// [`SKILLS`] and the level, 0 if absent).
pub(super) fn tech_cert_chance(cert: usize, level: impl Fn(usize) -> u8) -> f64 {
    match cert {
        0 if level(3) > 0 => 0.95,
        0 if level(2) >= 3 || level(0) >= 3 => 0.25,
        1 if level(4) > 0 => 0.9,
        1 if level(0) > 0 => 0.45,
        2 if level(5) > 0 => 0.9,
        2 => 0.3,
        3 => 0.1,
        4 => 0.15,
        _ => 0.0,
    }
}

/// Chance that a job needs each certification, given the skills it requires.
pub(super) fn job_cert_chance(cert: usize, needs: impl Fn(usize) -> bool) -> f64 {
    match cert {
        0 if needs(3) => 0.9,
        1 if needs(4) => 0.85,
        1 if needs(0) => 0.15,
        2 if needs(5) => 0.8,
        2 if needs(1) => 0.05,
        3 => 0.02,
        4 => 0.02,
        _ => 0.0,
    }
}

/// A kind of job: how long it takes, how much van stock it uses, how many skills it needs.
#[derive(Debug, Clone, Copy)]
pub(super) struct JobKind {
    /// Name written to the job's `kind`.
    pub name: &'static str,
    /// Share of all jobs.
    pub weight: f64,
    /// Service duration range in minutes (drawn skewed towards the low end by `skew`).
    pub minutes: (f64, f64),
    /// Exponent on a uniform draw: 1 = uniform in `minutes`, larger = more short jobs.
    pub skew: f64,
    /// Demand range (units of van stock).
    pub demand: (i64, i64),
    /// Chances of needing 0, 1 and 2 skills.
    pub skill_count: [f64; 3],
    /// Highest skill level this kind may require.
    pub max_level: u8,
    /// Chance of priority 0, 1, 2, 3.
    pub priority: [f64; 4],
}

/// The job kinds.
pub(super) const KINDS: [JobKind; 4] = [
    JobKind {
        name: "repair",
        weight: 40.0,
        minutes: (20.0, 75.0),
        skew: 2.0,
        demand: (2, 15),
        skill_count: [0.12, 0.73, 0.15],
        max_level: 5,
        priority: [0.04, 0.56, 0.28, 0.12],
    },
    JobKind {
        name: "maintenance",
        weight: 24.0,
        minutes: (25.0, 60.0),
        skew: 1.6,
        demand: (3, 10),
        skill_count: [0.15, 0.75, 0.10],
        max_level: 4,
        priority: [0.15, 0.75, 0.08, 0.02],
    },
    JobKind {
        name: "install",
        weight: 6.0,
        minutes: (90.0, 180.0),
        skew: 2.0,
        demand: (15, 40),
        skill_count: [0.0, 0.5, 0.5],
        max_level: 5,
        priority: [0.05, 0.7, 0.2, 0.05],
    },
    JobKind {
        name: "inspection",
        weight: 30.0,
        minutes: (20.0, 30.0),
        skew: 1.0,
        demand: (0, 3),
        skill_count: [0.45, 0.55, 0.0],
        max_level: 2,
        priority: [0.2, 0.7, 0.08, 0.02],
    },
];
