#!/usr/bin/env bash
# Fuzzes fieldopt's parse + validate + solve + verify with cargo-fuzz (libFuzzer).
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     default: 60 s each for parse_solve, structured
#                                             and road_graph
#
# cargo-fuzz needs a nightly compiler (-Zsanitizer); on a stable toolchain the script sets
# RUSTC_BOOTSTRAP=1, which lets stable rustc accept the nightly flags (the supported way
# is `rustup toolchain install nightly` and `cargo +nightly fuzz`). Install the driver once
# with `cargo install cargo-fuzz` (about 2 minutes).
#
# The targets are built with optimizations AND debug assertions / overflow checks (the
# cargo-fuzz default without -O), so an i64 tick overflow is a crash, not a wrap. Each
# target runs for SECONDS with a 10 s per-input timeout (a hang is a crash) and a 4 GB RSS
# limit, starting from the committed seeds in fuzz/corpus/<target>/ plus a scratch
# corpus in fuzz/corpus-work/<target>/ (git-ignored) that grows across runs. Crashes are
# written to fuzz/artifacts/<target>/ and make the script exit 1; reproduce one with
#   RUSTC_BOOTSTRAP=1 cargo fuzz run <target> fuzz/artifacts/<target>/<file>
# and add it as a regression test in tests/hostile.rs.
#
# Leak detection is off (-detect_leaks=0): every solve builds its own rayon pool, and the
# thread-local destructors its threads register (__cxa_thread_atexit_impl, 64 bytes per
# pool) are reported by LeakSanitizer as leaks, which stops the run on the first input.
#
# PARALLEL=1 runs the targets at the same time (one core each); JOBS is ignored.
# A CI smoke run: `scripts/fuzz.sh 20` (about 20 s per target plus the build: 5-9 min
# cold on 2 cores, under a minute when fuzz/target is cached).
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH="${1:-60}"
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=(parse_solve structured road_graph)
export RUSTC_BOOTSTRAP=1
command -v cargo-fuzz >/dev/null || { echo "cargo-fuzz missing: cargo install cargo-fuzz" >&2; exit 2; }

(cd fuzz && cargo fuzz build)

# Per-target libFuzzer options: road_graph's custom mutator writes whole documents (a few
# KB), which need more room than the 4 KB libFuzzer picks for a small seed corpus.
extra_args() {
  case "$1" in
    road_graph) echo "-max_len=16384" ;;
  esac
}

run_one() {
  local t="$1" log="fuzz/corpus-work/$1.log"
  mkdir -p "fuzz/corpus-work/$t" "fuzz/artifacts/$t"
  local status=0
  # shellcheck disable=SC2046
  (cd fuzz && cargo fuzz run "$t" "corpus-work/$t" "corpus/$t" -- \
      -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=4096 $(extra_args "$t") \
      -print_final_stats=1 -detect_leaks=0 -artifact_prefix="artifacts/$t/") >"$log" 2>&1 || status=$?
  local execs
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  local cov
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 || true)
  local units
  units=$(find "fuzz/corpus-work/$t" -type f | wc -l)
  echo "$t: ${SECONDS_EACH} s, executions ${execs:-?}, ${cov:-cov: ?}, corpus ${units} inputs, exit ${status}"
  if [ "$status" -ne 0 ]; then
    echo "  CRASH: see $log and fuzz/artifacts/$t/" >&2
    grep -m5 -E 'panicked|ERROR|SUMMARY|Test unit written' "$log" >&2 || true
  fi
  return "$status"
}

fail=0
if [ "${PARALLEL:-0}" = 1 ]; then
  pids=()
  for t in "${TARGETS[@]}"; do run_one "$t" & pids+=($!); done
  for p in "${pids[@]}"; do wait "$p" || fail=1; done
else
  for t in "${TARGETS[@]}"; do run_one "$t" || fail=1; done
fi
exit "$fail"
