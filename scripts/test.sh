#!/usr/bin/env bash
# Builds and runs every test: formatting, lints, Rust unit/integration/doc tests, the Python
# package (built by maturin) and its pytest suite. Usage: scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== rustfmt"
cargo fmt --all -- --check
echo "== clippy"
cargo clippy --all-targets --features cli -- -D warnings
echo "== cargo test"
cargo test --features cli
echo "== benches compile"
cargo bench --no-run --quiet
echo "== python package"
scripts/build_python.sh
echo "== pytest"
python3 -m pytest tests/python -q
