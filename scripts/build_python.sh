#!/usr/bin/env bash
# Builds the fieldopt Python package (the Rust extension fieldopt._core, through maturin)
# and installs it into the current Python (`$PYTHON`, default `python3`).
#
#   scripts/build_python.sh            release wheel, installed with --force-reinstall --no-deps
#   FIELDOPT_PY_TARGET=DIR ...         cargo target directory (default ~/.cache/fieldopt/target-py)
#
# The target directory is separate from the one plain `cargo` uses, so the two never
# invalidate each other's builds, and it survives between runs (incremental rebuilds).
# Missing build/test tools (maturin, pandas, pytest, polars, matplotlib, tqdm, nbclient,
# ipykernel, nbformat, mkdocs, mypy, dask[distributed]) are installed quietly with pip first.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${PYTHON:-python3}"
export CARGO_TARGET_DIR="${FIELDOPT_PY_TARGET:-$HOME/.cache/fieldopt/target-py}"

if [[ ! -f "$ROOT/README.md" ]]; then
    echo "build_python: $ROOT/README.md is missing; Cargo.toml names it as the readme and maturin needs it" >&2
    exit 1
fi

need=()
"$PY" -c 'import maturin' 2>/dev/null || command -v maturin >/dev/null || need+=('maturin>=1.16,<2')
# Runtime, notebook, plotting and docs tools the tests use (each installed only when missing).
for spec in 'pandas:pandas>=2.2' 'pytest:pytest>=8' 'polars:polars>=1.0' \
    'matplotlib:matplotlib>=3.8' 'tqdm:tqdm>=4.66' 'nbclient:nbclient>=0.10' \
    'ipykernel:ipykernel>=6.29' 'nbformat:nbformat>=5.10' 'mkdocs:mkdocs>=1.6' \
    'mypy:mypy>=1.10' 'pyarrow:pyarrow>=15' \
    'distributed:dask[distributed]>=2024.8'; do
    "$PY" -c "import ${spec%%:*}" 2>/dev/null || need+=("${spec#*:}")
done
if ((${#need[@]})); then
    echo "build_python: installing ${need[*]}" >&2
    "$PY" -m pip install --quiet "${need[@]}"
fi
if "$PY" -c 'import maturin' 2>/dev/null; then
    MATURIN=("$PY" -m maturin)
else
    MATURIN=(maturin)
fi

OUT="$(mktemp -d "${TMPDIR:-/tmp}/fieldopt-wheel.XXXXXX")"
trap 'rm -rf "$OUT"' EXIT

start=$SECONDS
(cd "$ROOT" && "${MATURIN[@]}" build --release --interpreter "$PY" --out "$OUT")
wheels=("$OUT"/fieldopt-*.whl)
"$PY" -m pip install --quiet --force-reinstall --no-deps "${wheels[0]}"
echo "build_python: installed $(basename "${wheels[0]}") in $((SECONDS - start)) s" >&2
"$PY" -c 'import fieldopt; print("fieldopt", fieldopt.__version__, "from", fieldopt.__file__)'
