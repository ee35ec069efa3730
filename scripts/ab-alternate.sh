#!/usr/bin/env bash
# Times two commands (two cfgctl builds, say) alternately, run by run, so that a noisy machine
# slows both alike (a benchmark tool runs all of one command, then all of the other).
#
#   scripts/ab-alternate.sh RUNS REPO 'COMMAND A' 'COMMAND B'
#
# Each command is split on spaces and run in REPO. Prints, per command: the median and the
# range of the wall time, the median user + system CPU time and the largest peak RSS (GNU
# time), then the ratios of the medians. Exit codes are ignored (validate exits 1 on findings).
set -euo pipefail
[[ $# -eq 4 ]] || { echo "usage: $0 RUNS REPO 'COMMAND A' 'COMMAND B'" >&2; exit 2; }
RUNS="$1" REPO="$2" A="$3" B="$4"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
for ((i = 0; i < RUNS; i++)); do
  for side in A B; do
    cmd="$A"; [[ $side == B ]] && cmd="$B"
    # shellcheck disable=SC2086 # the command is meant to be split
    ( cd "$REPO" && /usr/bin/time -f "%e %U %S %M" -o "$OUT/t" $cmd >/dev/null 2>&1 ) || true
    cat "$OUT/t" >> "$OUT/$side"
  done
done
python3 - "$OUT/A" "$OUT/B" "$A" "$B" <<'PY'
import statistics, sys
def load(p):
    rows = [l.split() for l in open(p) if l.strip() and l.split()[0][0].isdigit()]
    return [(float(w), float(u) + float(s), int(m)) for w, u, s, m in rows]
def show(name, rows):
    wall = [r[0] for r in rows]; cpu = [r[1] for r in rows]; peak = [r[2] for r in rows]
    print(f"{name}: wall {statistics.median(wall)*1000:.0f} ms ({min(wall)*1000:.0f}-{max(wall)*1000:.0f}), "
          f"cpu {statistics.median(cpu)*1000:.0f} ms, peak {max(peak)/1024:.0f} MiB, {len(rows)} runs")
    return statistics.median(wall), statistics.median(cpu)
wa, ca = show("A: " + sys.argv[3], load(sys.argv[1]))
wb, cb = show("B: " + sys.argv[4], load(sys.argv[2]))
print(f"A/B: wall {wa/wb:.2f}x, cpu {ca/cb:.2f}x")
PY
