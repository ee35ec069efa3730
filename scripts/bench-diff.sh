#!/usr/bin/env bash
# Diff benchmark: two environments of the generated 10,000-file repository, and two large
# documents at two sizes (to show cost grows linearly).
#
#   scripts/bench-diff.sh
#
# Needs target/bench-repo (scripts/gen-bench-repo.py, or run scripts/bench-validate.sh once)
# and a release build (CFGCTL, default target/release/cfgctl). Installs hyperfine and GNU time
# with apt-get when missing. Prints Markdown for BENCHMARKS.md on stdout.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CFGCTL="${CFGCTL:-$ROOT/target/release/cfgctl}"
REPO="${REPO:-$ROOT/target/bench-repo}"
WORK="$ROOT/target/bench-diff"
[[ -x "$CFGCTL" ]] || { echo "build first: cargo build --release" >&2; exit 2; }
if [[ ! -x /usr/bin/time ]] || ! command -v hyperfine >/dev/null 2>&1; then
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time hyperfine >&2
fi
if [[ ! -f "$REPO/cfgctl.toml" ]]; then
  python3 "$ROOT/scripts/gen-bench-repo.py" "$REPO" --files 10000 --seed 1 >&2
fi
mkdir -p "$WORK"

# mean seconds of a command (hyperfine JSON), and peak RSS in MiB (GNU time)
measure() {
  local json="$WORK/hf.json"
  hyperfine --warmup 1 --runs "${RUNS:-5}" -i --export-json "$json" "$1" >/dev/null 2>&1
  local mean stddev
  mean=$(python3 -c "import json;r=json.load(open('$json'))['results'][0];print(f\"{r['mean']:.3f} ± {r['stddev']:.3f}\")")
  local rss
  /usr/bin/time -f '%M' -o "$WORK/rss" bash -c "$1" >/dev/null 2>&1 || true
  rss=$(tail -1 "$WORK/rss")
  echo "$mean|$((rss / 1024))"
}

echo "## Diff"
echo
echo "| comparison | size | changes | wall s (mean ± σ) | peak MiB |"
echo "| --- | ---: | ---: | ---: | ---: |"
for pair in "staging production" "env-0001 env-0002"; do
  set -- $pair
  cmd="'$CFGCTL' -C '$REPO' diff $1 $2 --format json"
  n=$(bash -c "$cmd" | python3 -c "import json,sys;print(len(json.load(sys.stdin)['changes']))")
  r=$(measure "$cmd > /dev/null")
  echo "| \`diff $1 $2\` (rendered, 10,000-file repository) | 5 documents | $n | ${r%%|*} | ${r##*|} |"
done
for mb in 5 10 20; do
  dir="$WORK/doc-$mb"
  [[ -f "$dir/b.yaml" ]] || python3 "$ROOT/scripts/gen-big-doc.py" "$dir" "$mb" >&2
  cmd="'$CFGCTL' diff '$dir/a.yaml' '$dir/b.yaml' --format json"
  n=$(bash -c "$cmd" | python3 -c "import json,sys;print(len(json.load(sys.stdin)['changes']))")
  bytes=$(stat -c %s "$dir/a.yaml")
  r=$(measure "$cmd > /dev/null")
  echo "| two YAML documents | $((bytes / 1000000)) MB each | $n | ${r%%|*} | ${r##*|} |"
done
echo
echo "Machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/Mem:/{print $2}') GiB; $("$CFGCTL" --version)."
echo "Commands: \`cfgctl -C target/bench-repo diff A B --format json\` and \`cfgctl diff a.yaml b.yaml --format json\` (scripts/bench-diff.sh, hyperfine 1 warm-up + ${RUNS:-5} runs)."
