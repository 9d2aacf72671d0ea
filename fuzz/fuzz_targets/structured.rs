//! Structure-aware: an `arbitrary` small problem (1-4 technicians, 0-12 jobs, every field of
//! the spec) rendered to a valid-ish JSON document whose numbers are either in a realistic
//! range for their field or an extreme (0, -0, -1, 1e300, 1e-300, 2^32, 2^53, 2^63, 2^64,
//! f64::MAX, 9.3e15 s = past i64 ticks, 1e999, NaN, Infinity, null, "5", 1.5 for integers),
//! then the same checks as `parse_solve`.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Special {
    Zero,
    NegZero,
    MinusOne,
    Huge,
    NegHuge,
    Tiny,
    Pow32,
    Pow53,
    Pow63,
    Pow64,
    TickOverflow,
    Day,
    Max,
    Exp999,
    NaN,
    Inf,
    NegInf,
    Null,
    Str,
    Half,
}

impl Special {
    fn text(self) -> &'static str {
        match self {
            Special::Zero => "0",
            Special::NegZero => "-0.0",
            Special::MinusOne => "-1",
            Special::Huge => "1e300",
            Special::NegHuge => "-1e300",
            Special::Tiny => "1e-300",
            Special::Pow32 => "4294967296",
            Special::Pow53 => "9007199254740993",
            Special::Pow63 => "9223372036854775808",
            Special::Pow64 => "18446744073709551616",
            Special::TickOverflow => "9300000000000000",
            Special::Day => "86400",
            Special::Max => "1.7976931348623157e308",
            Special::Exp999 => "1e999",
            Special::NaN => "NaN",
            Special::Inf => "Infinity",
            Special::NegInf => "-Infinity",
            Special::Null => "null",
            Special::Str => "\"5\"",
            Special::Half => "1.5",
        }
    }
}

/// A number: mostly a realistic value for its field, sometimes an extreme.
#[derive(Arbitrary, Debug, Clone, Copy)]
enum Num {
    /// `base + v / 255 * scale`, rounded to an integer.
    Int(u8),
    /// `base + v / 65535 * scale`, with fractions.
    Frac(u16),
    /// Anything of the field's scale, negative too.
    Wide(i16),
    Special(Special),
}

/// Where a number goes: its realistic range.
#[derive(Clone, Copy)]
struct Range {
    base: f64,
    scale: f64,
}

const TIME: Range = Range { base: 0.0, scale: 1000.0 };
const DUR: Range = Range { base: 0.0, scale: 120.0 };
const COORD: Range = Range { base: 0.0, scale: 100.0 };
const LAT: Range = Range { base: 48.0, scale: 0.3 };
const LEVEL: Range = Range { base: 0.0, scale: 6.0 };
const SMALL: Range = Range { base: 0.0, scale: 10.0 };
const MONEY: Range = Range { base: 0.0, scale: 100.0 };

fn num(n: Num, r: Range, integer: bool) -> String {
    let x = match n {
        Num::Int(v) => (r.base + v as f64 / 255.0 * r.scale).round(),
        Num::Frac(v) => {
            let x = r.base + v as f64 / 65535.0 * r.scale;
            if integer {
                x.round()
            } else {
                x
            }
        }
        Num::Wide(v) => (v as f64 / 1000.0 * r.scale).round(),
        Num::Special(s) => return s.text().to_string(),
    };
    format!("{x}")
}

#[derive(Arbitrary, Debug)]
enum Id {
    Index(u8),
    Empty,
    Spaces,
    Unicode(u8),
}

fn id(prefix: &str, i: &Id) -> String {
    match i {
        Id::Index(n) => format!("\"{prefix}{}\"", n % 6),
        Id::Empty => "\"\"".into(),
        Id::Spaces => "\" \"".into(),
        Id::Unicode(n) => format!("\"{prefix}\\u00e9\\u0000{}\"", n % 3),
    }
}

#[derive(Arbitrary, Debug)]
enum Date {
    Near(i8),
    Raw(u16, u8, u8),
    Junk,
}

fn date(d: &Date) -> String {
    match d {
        // 2026-11-20 .. plus or minus a few days, past month and year ends.
        Date::Near(k) => {
            let day = 20 + (*k as i32 % 12);
            let (m, day) = if day > 30 {
                (12, day - 30)
            } else if day < 1 {
                (10, day + 31)
            } else {
                (11, day)
            };
            format!("\"2026-{m:02}-{day:02}\"")
        }
        Date::Raw(y, m, d) => format!("\"{:04}-{:02}-{:02}\"", y % 10000, m % 14, d % 33),
        Date::Junk => "\"2026-02-30\"".into(),
    }
}

#[derive(Arbitrary, Debug)]
enum Travel {
    Haversine { speed: Num, detour: Option<Num> },
    Euclidean { speed: Option<Num> },
    Matrix { n: u8, durations: Vec<Num>, distances: Option<Vec<Num>>, ragged: bool },
}

#[derive(Arbitrary, Debug)]
struct Loc {
    a: Num,
    b: Num,
}

#[derive(Arbitrary, Debug)]
struct Tech {
    id: Id,
    start: Loc,
    end: Option<Loc>,
    shift: (Num, Num),
    max_overtime: Option<Num>,
    skills: Vec<(u8, Num)>,
    certs: Vec<(u8, Date)>,
    capacity: Option<Vec<Num>>,
    max_jobs: Option<Num>,
    brk: Option<(Num, Num, Num)>,
    cost: Option<(Num, Num, Num)>,
    rating: Option<Num>,
}

#[derive(Arbitrary, Debug)]
struct Job {
    id: Id,
    loc: Loc,
    duration: Num,
    windows: Option<Vec<(Num, Num)>>,
    skills: Vec<(u8, Num)>,
    certs: Vec<u8>,
    demand: Option<Vec<Num>>,
    priority: Option<Num>,
    unassigned_cost: Option<Num>,
    preferred: Vec<Id>,
    excluded: Vec<Id>,
    pinned: Option<Id>,
}

#[derive(Arbitrary, Debug)]
struct Problem {
    date: Date,
    travel: Travel,
    techs: Vec<Tech>,
    jobs: Vec<Job>,
    policy: Option<Vec<(u8, Num)>>,
}

const SKILLS: [&str; 3] = ["hvac", "electrical", "gas"];
const CERTS: [&str; 2] = ["gas-safe", "f-gas"];
const WEIGHTS: [&str; 5] = ["travel_time", "travel_distance", "labor", "unassigned", "travel_tme"];

fn list<T>(v: &[T], max: usize, f: impl Fn(&T) -> String) -> String {
    let items: Vec<String> = v.iter().take(max).map(f).collect();
    format!("[{}]", items.join(","))
}

fn render(p: &Problem) -> String {
    let kind = &p.travel;
    let n_matrix = match kind {
        Travel::Matrix { n, .. } => (*n % 6) as usize,
        _ => 0,
    };
    let loc = |l: &Loc| match kind {
        Travel::Haversine { .. } => format!(
            "{{\"lat\":{},\"lon\":{}}}",
            num(l.a, LAT, false),
            num(l.b, Range { base: 11.0, scale: 0.3 }, false)
        ),
        Travel::Euclidean { .. } => {
            format!("{{\"x\":{},\"y\":{}}}", num(l.a, COORD, false), num(l.b, COORD, false))
        }
        Travel::Matrix { .. } => {
            num(l.a, Range { base: 0.0, scale: n_matrix.max(1) as f64 - 0.51 }, true)
        }
    };
    let travel = match kind {
        Travel::Haversine { speed, detour } => {
            let mut s = format!(
                "{{\"kind\":\"haversine\",\"speed_kmh\":{}",
                num(*speed, Range { base: 1.0, scale: 80.0 }, false)
            );
            if let Some(d) = detour {
                s += &format!(
                    ",\"detour_factor\":{}",
                    num(*d, Range { base: 1.0, scale: 1.0 }, false)
                );
            }
            s + "}"
        }
        Travel::Euclidean { speed } => match speed {
            Some(v) => format!(
                "{{\"kind\":\"euclidean\",\"speed\":{}}}",
                num(*v, Range { base: 0.1, scale: 3.0 }, false)
            ),
            None => "{\"kind\":\"euclidean\"}".into(),
        },
        Travel::Matrix { durations, distances, ragged, .. } => {
            let matrix = |vals: &[Num]| {
                let rows: Vec<String> = (0..n_matrix)
                    .map(|i| {
                        let w = if *ragged && i == 0 { n_matrix + 1 } else { n_matrix };
                        let cells: Vec<String> = (0..w)
                            .map(|j| {
                                let v = vals.get(i * n_matrix + j).copied().unwrap_or(Num::Int(40));
                                num(v, Range { base: 0.0, scale: 100.0 }, false)
                            })
                            .collect();
                        format!("[{}]", cells.join(","))
                    })
                    .collect();
                format!("[{}]", rows.join(","))
            };
            let mut s = format!("{{\"kind\":\"matrix\",\"durations\":{}", matrix(durations));
            if let Some(d) = distances {
                s += &format!(",\"distances\":{}", matrix(d));
            }
            s + "}"
        }
    };
    let skills = |v: &[(u8, Num)]| {
        let items: Vec<String> = v
            .iter()
            .take(3)
            .map(|(k, n)| format!("\"{}\":{}", SKILLS[*k as usize % 3], num(*n, LEVEL, true)))
            .collect();
        format!("{{{}}}", items.join(","))
    };
    let techs = list(&p.techs, 4, |t| {
        let mut s = format!(
            "{{\"id\":{},\"start\":{},\"shift\":[{},{}]",
            id("T", &t.id),
            loc(&t.start),
            num(t.shift.0, TIME, false),
            num(t.shift.1, Range { base: 500.0, scale: 1000.0 }, false)
        );
        if let Some(e) = &t.end {
            s += &format!(",\"end\":{}", loc(e));
        }
        if let Some(o) = t.max_overtime {
            s += &format!(",\"max_overtime\":{}", num(o, DUR, false));
        }
        if !t.skills.is_empty() {
            s += &format!(",\"skills\":{}", skills(&t.skills));
        }
        if !t.certs.is_empty() {
            let items: Vec<String> = t
                .certs
                .iter()
                .take(2)
                .map(|(k, d)| format!("\"{}\":{}", CERTS[*k as usize % 2], date(d)))
                .collect();
            s += &format!(",\"certifications\":{{{}}}", items.join(","));
        }
        if let Some(c) = &t.capacity {
            s += &format!(",\"capacity\":{}", list(c, 3, |n| num(*n, MONEY, false)));
        }
        if let Some(m) = t.max_jobs {
            s += &format!(",\"max_jobs\":{}", num(m, SMALL, true));
        }
        if let Some((a, b, d)) = t.brk {
            s += &format!(
                ",\"break\":{{\"window\":[{},{}],\"duration\":{}}}",
                num(a, Range { base: 200.0, scale: 400.0 }, false),
                num(b, Range { base: 400.0, scale: 400.0 }, false),
                num(d, DUR, false)
            );
        }
        if let Some((f, h, k)) = t.cost {
            s += &format!(
                ",\"cost\":{{\"fixed\":{},\"per_hour\":{},\"per_km\":{}}}",
                num(f, MONEY, false),
                num(h, MONEY, false),
                num(k, SMALL, false)
            );
        }
        if let Some(r) = t.rating {
            s += &format!(",\"rating\":{}", num(r, LEVEL, false));
        }
        s + "}"
    });
    let jobs = list(&p.jobs, 12, |j| {
        let mut s = format!(
            "{{\"id\":{},\"location\":{},\"duration\":{}",
            id("J", &j.id),
            loc(&j.loc),
            num(j.duration, DUR, false)
        );
        if let Some(w) = &j.windows {
            s += &format!(
                ",\"time_windows\":{}",
                list(w, 3, |(a, b)| format!(
                    "[{},{}]",
                    num(*a, TIME, false),
                    num(*b, Range { base: 100.0, scale: 1000.0 }, false)
                ))
            );
        }
        if !j.skills.is_empty() {
            s += &format!(",\"skills\":{}", skills(&j.skills));
        }
        if !j.certs.is_empty() {
            s += &format!(
                ",\"certifications\":{}",
                list(&j.certs, 2, |k| format!("\"{}\"", CERTS[*k as usize % 2]))
            );
        }
        if let Some(d) = &j.demand {
            s += &format!(",\"demand\":{}", list(d, 3, |n| num(*n, SMALL, false)));
        }
        if let Some(pr) = j.priority {
            s += &format!(",\"priority\":{}", num(pr, SMALL, true));
        }
        if let Some(c) = j.unassigned_cost {
            s += &format!(",\"unassigned_cost\":{}", num(c, MONEY, false));
        }
        if !j.preferred.is_empty() {
            s += &format!(",\"preferred_technicians\":{}", list(&j.preferred, 2, |i| id("T", i)));
        }
        if !j.excluded.is_empty() {
            s += &format!(",\"excluded_technicians\":{}", list(&j.excluded, 2, |i| id("T", i)));
        }
        if let Some(t) = &j.pinned {
            s += &format!(",\"pinned_technician\":{}", id("T", t));
        }
        s + "}"
    });
    let mut doc = format!(
        "{{\"format\":\"fieldopt-problem/1\",\"date\":{},\"travel\":{travel},\"technicians\":{techs},\"jobs\":{jobs}",
        date(&p.date)
    );
    if let Some(pol) = &p.policy {
        let items: Vec<String> = pol
            .iter()
            .take(4)
            .map(|(k, n)| {
                format!("\"{}\":{}", WEIGHTS[*k as usize % WEIGHTS.len()], num(*n, MONEY, false))
            })
            .collect();
        doc += &format!(",\"policy\":{{{}}}", items.join(","));
    }
    doc + "}"
}

fuzz_target!(|p: Problem| {
    let text = render(&p);
    common::check_text(&text);
});
