#!/usr/bin/env bash
# Flag evaluation benchmark: 1,000,000 (flag, context) evaluations in one process with the
# hidden `cfgctl flags bench`, over the template's production flag file (4 flags: a $ref
# evaluator plus a fractional split, sem_ver plus a 3-way shorthand fractional, an `or` of
# `===` and starts_with returning an object variant, and a disabled flag), cycling through the
# flags with a new targeting key (`user-<i>`) for every evaluation. Parsing and loading the
# file happen once, before the clock starts.
#
#   scripts/bench-flags.sh            (CFGCTL=path/to/cfgctl to measure another binary;
#                                      COUNT and RUNS change the size)
#
# Needs a release build (`cargo build --release`). Progress goes to stderr; stdout is a
# Markdown table for BENCHMARKS.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CFGCTL="${CFGCTL:-$ROOT/target/release/cfgctl}"
COUNT="${COUNT:-1000000}"
RUNS="${RUNS:-5}"
# Outside the source tree: `cfgctl init` commits into the repository that holds DIR, so a
# directory inside this checkout would put the template into the project's own history.
WORK="$(mktemp -d "${TMPDIR:-/tmp}/cfgctl-bench-flags.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
REPO="$WORK/repo"

log() { echo "bench-flags: $*" >&2; }

[[ -x "$CFGCTL" ]] || { log "no binary at $CFGCTL: run cargo build --release"; exit 2; }
GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com \
GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com \
  "$CFGCTL" init "$REPO" >/dev/null 2>&1

args=(-C "$REPO" flags bench --env production --count "$COUNT" --format json
      --context plan=pro --context app_version=2.4.0 --context tenant_id=t-900
      --context email=someone@corp.example)

echo "| run | evaluations | seconds | evaluations per second | peak MiB |"
echo "| ---: | ---: | ---: | ---: | ---: |"
for run in $(seq 1 "$RUNS"); do
  log "run $run of $RUNS"
  if [[ -x /usr/bin/time ]]; then
    out="$(/usr/bin/time -f '%M' -o "$WORK/time.txt" "$CFGCTL" "${args[@]}")"
    peak="$(awk '{printf "%.0f", $1 / 1024}' "$WORK/time.txt")"
  else
    out="$("$CFGCTL" "${args[@]}")"
    peak="—"
  fi
  python3 - "$run" "$peak" "$out" <<'PY'
import json, sys
run, peak, doc = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
print(f"| {run} | {doc['evaluations']:,} | {doc['seconds']:.3f} | {doc['per_second']:,.0f} | {peak} |")
PY
done
log "binary: $("$CFGCTL" --version)"
