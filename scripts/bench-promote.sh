#!/usr/bin/env bash
# Promote benchmark: `cfgctl promote staging production` (the dry run plans every key, edits
# the target file in memory and validates the result) against `cfgctl diff` on the same two
# documents, at several sizes, to show that both grow linearly.
#
#   scripts/bench-promote.sh [path/to/cfgctl]      (default target/release/cfgctl)
#
# Documents come from scripts/gen-promote-docs.py: every key in one mapping (the worst case
# for an editor that walks a mapping per change), every value different, 1% of keys only in
# staging, 1% only in production, 1% pinned. Prints a Markdown table on stdout.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CFGCTL=$(realpath "${1:-$ROOT/target/release/cfgctl}")
[[ -x "$CFGCTL" ]] || { echo "build first: cargo build --release" >&2; exit 2; }
SIZES="${SIZES:-500 1000 2000 10000}"
RUNS="${RUNS:-5}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Median wall time in seconds of RUNS runs of a command (stdout discarded).
median() {
  local times=()
  for _ in $(seq "$RUNS"); do
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc)")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.3f", a[int((NR+1)/2)]}'
}

echo "| keys per document | format | promote (plan + edit + validate) s | diff s | changes |"
echo "| ---: | --- | ---: | ---: | ---: |"
for format in yaml json toml; do
  for keys in $SIZES; do
    repo="$work/$format-$keys"
    python3 "$ROOT/scripts/gen-promote-docs.py" "$repo" "$keys" --format "$format" --group 0 >/dev/null
    git -C "$repo" init -q -b main
    git -C "$repo" add -A
    git -C "$repo" -c user.name=bench -c user.email=bench@example.com commit -q -m init
    changes=$("$CFGCTL" -C "$repo" --format json promote staging production 2>/dev/null |
      python3 -c "import json,sys; print(sum(len(d['changes']) for d in json.load(sys.stdin)['documents']))")
    p=$(median "$CFGCTL" -C "$repo" promote staging production)
    d=$(median "$CFGCTL" -C "$repo" diff staging production)
    echo "| $keys | $format | $p | $d | $changes |"
  done
done
echo
echo "Machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'); $("$CFGCTL" --version); median of $RUNS runs."
