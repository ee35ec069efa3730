#!/usr/bin/env bash
# Times `cfgctl validate` on a generated repository from cold and through its result cache:
#
#   scripts/bench-validate-cache.sh [REPO]     (default target/bench-repo, made by
#                                               scripts/gen-bench-repo.py when missing)
#
# Rows: cold (`--no-cache`), warm with nothing changed, warm with one file changed (a new
# value before every run, so each run checks that file again), and `--staged` with five staged
# files (the manifest's `staged` set) on a warm cache. Wall time: hyperfine, mean ± σ and the
# median (this machine's outliers pull the mean); peak: GNU time %M of one more run. Prints a
# Markdown table on stdout; progress on stderr. The repository is left as it was found (the
# edited and staged files are restored on exit).
#
# Environment: CFGCTL (default target/release/cfgctl), RUNS (default 10), BENCH_FILES and
# BENCH_SEED for a repository that has to be generated (default 10000 and 1).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO="${1:-$ROOT/target/bench-repo}"
CFGCTL="${CFGCTL:-$ROOT/target/release/cfgctl}"
RUNS="${RUNS:-10}"
log() { printf '[bench-cache] %s\n' "$*" >&2; }

command -v hyperfine >/dev/null || { log "hyperfine is needed (apt-get install hyperfine)"; exit 2; }
[[ -x /usr/bin/time ]] || { log "GNU time is needed (apt-get install time)"; exit 2; }
[[ -x "$CFGCTL" ]] || { log "no cfgctl at $CFGCTL (cargo build --release, or set CFGCTL)"; exit 2; }
if [[ ! -f "$REPO/.bench/manifest.json" ]]; then
  log "generating $REPO"
  python3 "$ROOT/scripts/gen-bench-repo.py" "$REPO" --files "${BENCH_FILES:-10000}" --seed "${BENCH_SEED:-1}" >&2
fi
REPO="$(cd "$REPO" && pwd)"
mapfile -t STAGED < <(python3 -c 'import json,sys; [print(s["path"]) for s in json.load(open(sys.argv[1]))["staged"]]' "$REPO/.bench/manifest.json")
# The file edited for the one-file-changed row: the first staged file, edited in place.
EDITED="${STAGED[0]}"
restore() {
  git -C "$REPO" reset -q -- "${STAGED[@]}" || true
  git -C "$REPO" checkout -q -- "${STAGED[@]}" || true
}
restore
trap restore EXIT

FILES="$(git -C "$REPO" ls-files | wc -l)"
OUT="$(mktemp -d)"
# row NAME PREPARE COMMAND: hyperfine mean ± σ (ms) and the peak RSS (MiB) of one more run.
row() {
  local name="$1" prepare="$2" command="$3"
  log "$name"
  local args=(--warmup 2 --runs "$RUNS" --style basic --export-json "$OUT/h.json")
  [[ -n "$prepare" ]] && args+=(--prepare "$prepare")
  hyperfine "${args[@]}" -i "$command" >&2
  [[ -n "$prepare" ]] && bash -c "$prepare"
  # shellcheck disable=SC2086
  /usr/bin/time -f '%M' -o "$OUT/rss" $command >/dev/null 2>&1 || true
  python3 - "$OUT/h.json" "$(tail -n 1 "$OUT/rss")" "$name" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print(f"| {sys.argv[3]} | {r['mean'] * 1000:.1f} ± {r['stddev'] * 1000:.1f} | {r['median'] * 1000:.1f} | {int(sys.argv[2]) / 1024:.0f} |")
PY
}

V="$CFGCTL -C $REPO validate --format json"
# A value nobody wrote before, so the edited file's key is new on every run.
EDIT="sed -i -E '0,/: [0-9]+\$/s//: '\$((RANDOM * 32768 + RANDOM))'/' $REPO/$EDITED"
{
  echo "| $FILES files in git | wall ms (mean ± σ) | median ms | peak MiB |"
  echo "| --- | ---: | ---: | ---: |"
  row "cold: \`validate --no-cache\`" "" "$V --no-cache"
  rm -rf "$REPO/.git/cfgctl/cache"
  $V >/dev/null 2>&1 || true
  row "warm, nothing changed: \`validate\`" "" "$V"
  row "warm, one file changed (\`$EDITED\`, a new value before each run)" "$EDIT" "$V"
  restore
  for f in "${STAGED[@]}"; do cp "$REPO/.bench/staged/$f" "$REPO/$f"; done
  git -C "$REPO" add -- "${STAGED[@]}"
  row "warm, \`validate --staged\` (${#STAGED[@]} files staged)" "" "$CFGCTL -C $REPO validate --staged"
  row "cold, \`validate --staged --no-cache\`" "" "$CFGCTL -C $REPO validate --staged --no-cache"
} | tee "$OUT/table.md"
log "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$OUT"
