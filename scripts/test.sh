#!/usr/bin/env bash
# Builds and runs every test: formatting, lints, Rust unit/integration/doc tests, the Python
# package (built by maturin) and its pytest suite. Usage: scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== build tools (cmake, g++, libclang for HiGHS)"
scripts/build_tools.sh
echo "== rustfmt"
cargo fmt --all -- --check
echo "== clippy"
cargo clippy --all-targets --features cli -- -D warnings
echo "== cargo test"
cargo test --features cli
echo "== pure-Rust LP build (microlp, no C++) compiles"
cargo check --lib --quiet --no-default-features --features cli,lp-microlp
echo "== benches compile"
cargo bench --no-run --quiet
echo "== python package"
scripts/build_python.sh
echo "== pytest"
python3 -m pytest tests/python -q
