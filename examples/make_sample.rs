//! Writes the bundled sample day: `cargo run --example make_sample -- OUT [JOBS TECHS SEED]`.
//!
//! Defaults: 500 jobs, 50 technicians, seed 7 (the committed `examples/data/sample_day.json`).

use fieldopt::generate::{generate, GenerateParams};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(out) = args.first() else {
        eprintln!("usage: make_sample OUT [JOBS TECHS SEED]");
        std::process::exit(2);
    };
    let arg = |i: usize, default: u64| -> u64 {
        match args.get(i) {
            None => default,
            Some(s) => s.parse().unwrap_or_else(|_| {
                eprintln!("make_sample: {s:?} is not a non-negative integer");
                std::process::exit(2)
            }),
        }
    };
    let params =
        GenerateParams { jobs: arg(1, 500) as usize, techs: arg(2, 50) as usize, seed: arg(3, 7) };
    let doc = generate(&params);
    let mut text = serde_json::to_string_pretty(&doc).expect("a JSON value always serializes");
    text.push('\n');
    if let Err(e) = fieldopt::io::write_atomic(out, text.as_bytes()) {
        eprintln!("make_sample: {e}");
        std::process::exit(1);
    }
    eprintln!(
        "wrote {out}: {} jobs, {} technicians, seed {}",
        params.jobs,
        params.techs.max(1),
        params.seed
    );
}
