#!/usr/bin/env bash
# Thread scaling at short budgets (issue 3): runs the `solomon` example once per instance
# and configuration, configurations back to back per instance with their order alternating,
# and writes one CSV row per run. A configuration is THREADS:SECONDS.
#   benches/threads_budget.sh SETDIR OUT.csv "1:5 2:5 1:10" INSTANCE...
# Build first: cargo build --release --features cli --example solomon
# (SOLOMON_BIN overrides the binary; default: the release example of CARGO_TARGET_DIR).
set -euo pipefail
set_dir=$1 out=$2 configs=$3
shift 3
bin=${SOLOMON_BIN:-${CARGO_TARGET_DIR:-target}/release/examples/solomon}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "instance,config,vehicles,distance,feasible,seconds" > "$out"
k=0
for inst in "$@"; do
  # One instance per directory: `--only` matches prefixes (C1_2_1 would take C1_2_10).
  rm -rf "$work/set" && mkdir -p "$work/set"
  ln -s "$(realpath "$set_dir/$inst.txt")" "$work/set/"
  ln -s "$(realpath "$set_dir/bks.csv")" "$work/set/"
  order=$configs
  if (( k % 2 == 1 )); then order=$(printf '%s\n' $configs | tac); fi
  for c in $order; do
    "$bin" "$work/set" --time-limit "${c##*:}" --threads "${c%%:*}" --csv "$work/run.csv" > /dev/null
    tail -n 1 "$work/run.csv" | awk -F, -v c="$c" '{print $1","c","$2","$3","$10","$11}' >> "$out"
  done
  k=$((k + 1))
done
