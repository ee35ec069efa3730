#!/usr/bin/env bash
# Attack-pack benchmark: `cfgctl packs validate` on a generated pack of 10,000 patterns, each
# with a regex detect rule (compiled, matched against two examples and one benign sample).
#
#   scripts/bench-packs.sh            (CFGCTL=path/to/cfgctl, PATTERNS=N, RUNS=N to change)
#
# Needs a release build (cargo build --release) and GNU time (/usr/bin/time, installed with
# apt-get when missing). The repository is target/bench-packs/repo, regenerated on every run.
# Progress goes to stderr; stdout is Markdown for BENCHMARKS.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CFGCTL="${CFGCTL:-$ROOT/target/release/cfgctl}"
PATTERNS="${PATTERNS:-10000}"
RUNS="${RUNS:-5}"
WORK="$ROOT/target/bench-packs"
REPO="$WORK/repo"
[[ -x "$CFGCTL" ]] || { echo "build first: cargo build --release" >&2; exit 2; }
if [[ ! -x /usr/bin/time ]]; then
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >&2
fi

rm -rf "$REPO"
mkdir -p "$REPO"
# The repository gets its own Git directory first: `cfgctl init` commits into the repository
# that holds DIR, and target/ is inside this project's.
git init -q "$REPO"
"$CFGCTL" init "$REPO" >/dev/null
rm -rf "$REPO/packs/prompt-injection"
python3 "$ROOT/scripts/gen-pack.py" "$REPO" --patterns "$PATTERNS"
bytes=$(du -sb "$REPO/packs/bench" | cut -f1)
echo "generated $PATTERNS patterns ($bytes bytes) in $REPO/packs/bench" >&2

# One line per run: wall seconds, user seconds, peak RSS KiB, exit code.
run() {
  local out="$WORK/time.txt"
  local code=0
  /usr/bin/time -v -o "$out" "$@" >"$WORK/stdout.json" 2>/dev/null || code=$?
  local wall user rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$out" | awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
  user=$(awk -F': ' '/User time/ {print $2}' "$out")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$out")
  echo "$wall $user $rss $code"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

bench() {
  local label="$1"; shift
  local rows=()
  for _ in $(seq "$RUNS"); do rows+=("$(run "$@")"); done
  local wall user rss code
  wall=$(printf '%s\n' "${rows[@]}" | cut -d' ' -f1 | median)
  user=$(printf '%s\n' "${rows[@]}" | cut -d' ' -f2 | median)
  rss=$(printf '%s\n' "${rows[@]}" | cut -d' ' -f3 | sort -n | tail -1)
  code=$(printf '%s\n' "${rows[@]}" | cut -d' ' -f4 | sort -u | tr '\n' ' ')
  echo "| \`$label\` | $PATTERNS | $wall | $user | $((rss / 1024)) | $code|"
}

cd "$REPO"
echo "## Attack packs: validating $PATTERNS patterns (\`scripts/bench-packs.sh\`)"
echo
echo "| command | patterns | wall s (median of $RUNS) | user s | peak MiB | exit |"
echo "| --- | ---: | ---: | ---: | ---: | --- |"
bench "cfgctl packs validate --format json" "$CFGCTL" packs validate --format json
findings=$(python3 -c "import json;d=json.load(open('$WORK/stdout.json'));print(d['summary']['errors'], d['summary']['warnings'])")
bench "cfgctl validate --format json" "$CFGCTL" validate --format json
echo
echo "Errors and warnings reported by packs validate: $findings (the generated pack is valid)."
echo
echo '```'
echo "nproc: $(nproc); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$("$CFGCTL" --version); pack files: $bytes bytes in $(ls "$REPO/packs/bench/patterns" | wc -l) pattern files"
echo '```'
