#!/usr/bin/env bash
# Validation benchmark: cfgctl against check-jsonschema and ajv-cli on the same generated repository.
#
#   scripts/bench-validate.sh [REPO_DIR]
#
# REPO_DIR defaults to target/bench-repo; it is generated (scripts/gen-bench-repo.py) when it
# has no .bench/manifest.json. Prints a Markdown report for BENCHMARKS.md on stdout; progress
# goes to stderr; raw outputs stay in target/bench-tools/results/.
#
# Environment:
#   CFGCTL        cfgctl binary (default target/release/cfgctl); when it is missing the peers
#                 are still measured and the report says cfgctl was not run
#   BENCH_FILES   documents in a generated repository (default 10000)
#   BENCH_SEED    generator seed (default 1)
#   CFGCTL_RUNS   timed cfgctl runs, median reported (default 5)
#   PEER_RUNS     timed runs of each peer, median reported (default 1: they take minutes);
#                 0 skips the peers (to re-measure cfgctl alone)
#   BENCH_TOOLS   where the peer tools are installed (default target/bench-tools)
#
# Installs what it needs when missing: GNU time and hyperfine (apt-get, as root),
# check-jsonschema (pip, into a venv under BENCH_TOOLS), ajv-cli and ajv-formats (npm, into
# BENCH_TOOLS). Re-runnable: the staged-file changes are undone on exit, even on failure.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SCRIPTS="$ROOT/scripts"
REPO="${1:-$ROOT/target/bench-repo}"
TOOLS="${BENCH_TOOLS:-$ROOT/target/bench-tools}"
CFGCTL="${CFGCTL:-$ROOT/target/release/cfgctl}"
FILES="${BENCH_FILES:-10000}"
SEED="${BENCH_SEED:-1}"
CFGCTL_RUNS="${CFGCTL_RUNS:-5}"
PEER_RUNS="${PEER_RUNS:-1}"
CHECK_JSONSCHEMA_VERSION="${CHECK_JSONSCHEMA_VERSION:-0.39.0}"
AJV_CLI_VERSION="${AJV_CLI_VERSION:-5.0.0}"
AJV_FORMATS_VERSION="${AJV_FORMATS_VERSION:-3.0.1}"

log() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] error: %s\n' "$*" >&2; exit 2; }

case "$CFGCTL" in /*) ;; *) CFGCTL="$PWD/$CFGCTL" ;; esac
mkdir -p "$TOOLS"
TOOLS="$(cd "$TOOLS" && pwd)"
OUT="$TOOLS/results"

# --- tools --------------------------------------------------------------------------------
if [[ ! -x /usr/bin/time ]] || ! command -v hyperfine >/dev/null 2>&1; then
  [[ "$(id -u)" == 0 ]] || die "GNU time and hyperfine are needed: apt-get install -y time hyperfine (as root)"
  log "installing GNU time and hyperfine (apt-get)"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time hyperfine >&2
fi
CJ="$TOOLS/venv/bin/check-jsonschema"
if [[ ! -x "$CJ" ]]; then
  log "installing check-jsonschema $CHECK_JSONSCHEMA_VERSION (pip, venv in $TOOLS/venv)"
  python3 -m venv "$TOOLS/venv"
  "$TOOLS/venv/bin/pip" install -q --disable-pip-version-check "check-jsonschema==$CHECK_JSONSCHEMA_VERSION" >&2
fi
AJV="$TOOLS/node_modules/.bin/ajv"
if [[ ! -x "$AJV" || ! -d "$TOOLS/node_modules/ajv-formats" ]]; then
  log "installing ajv-cli $AJV_CLI_VERSION and ajv-formats $AJV_FORMATS_VERSION (npm, in $TOOLS)"
  [[ -f "$TOOLS/package.json" ]] || printf '{ "name": "cfgctl-bench-tools", "private": true }\n' >"$TOOLS/package.json"
  npm install --prefix "$TOOLS" --no-audit --no-fund --loglevel=error \
    "ajv-cli@$AJV_CLI_VERSION" "ajv-formats@$AJV_FORMATS_VERSION" >&2
fi
pkg_version() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' "$1"; }
CJ_VERSION="$("$CJ" --version | awk '{print $NF}')"
AJV_CLI_V="$(pkg_version "$TOOLS/node_modules/ajv-cli/package.json")"
AJV_V="$(pkg_version "$TOOLS/node_modules/ajv/package.json")"
AJV_FORMATS_V="$(pkg_version "$TOOLS/node_modules/ajv-formats/package.json")"

# --- repository ---------------------------------------------------------------------------
GEN_COMMAND="scripts/gen-bench-repo.py $REPO --files $FILES --seed $SEED"
if [[ ! -f "$REPO/.bench/manifest.json" ]]; then
  if [[ -e "$REPO" ]] && [[ -n "$(ls -A "$REPO" 2>/dev/null)" ]]; then
    die "$REPO exists but has no .bench/manifest.json; remove it or pass another directory"
  fi
  log "generating $REPO ($FILES files, seed $SEED)"
  python3 "$SCRIPTS/gen-bench-repo.py" "$REPO" --files "$FILES" --seed "$SEED" >&2
else
  GEN_COMMAND="$(python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); print("scripts/gen-bench-repo.py %s --files %s --invalid-rate %s --seed %s" % (sys.argv[2], m["requested_files"], m["invalid_rate"], m["seed"]))' "$REPO/.bench/manifest.json" "$REPO")"
fi
REPO="$(cd "$REPO" && pwd)"
GEN_COMMAND="${GEN_COMMAND/$ROOT\//}"

# Staged files of an interrupted earlier run are put back before anything is measured.
mapfile -t STAGED < <(python3 -c 'import json,sys; [print(s["path"]) for s in json.load(open(sys.argv[1]))["staged"]]' "$REPO/.bench/manifest.json")
restore_staged() {
  if ((${#STAGED[@]})); then
    git -C "$REPO" reset -q -- "${STAGED[@]}" || true
    git -C "$REPO" checkout -q -- "${STAGED[@]}" || true
  fi
}
restore_staged
trap restore_staged EXIT

rm -rf "$OUT"
mkdir -p "$OUT/raw"
LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"
if awk -v l="${LOAD_START%% *}" 'BEGIN { exit !(l > 0.5) }'; then
  log "WARNING: load average is $LOAD_START before the runs; other work will inflate the timings"
fi
: >"$OUT/times.tsv"
python3 "$SCRIPTS/bench_report.py" plan --repo "$REPO" --out "$OUT" --cj "$CJ" --ajv "$AJV"

# run_timed TOOL RUN ID -- ARGV...: one timed process; appends to times.tsv; returns its exit code.
run_timed() {
  local tool="$1" run="$2" id="$3"
  shift 4
  local base="$OUT/raw/$tool-r$run-$id" rc=0 start end
  # GNU time gives the peak RSS; its wall time comes in 10 ms steps, too coarse for runs of
  # tens of milliseconds, so the wall time is taken around it in nanoseconds.
  start=$(date +%s%N)
  /usr/bin/time -f '%e %M' -o "$base.time" "$@" >"$base.out" 2>"$base.err" || rc=$?
  end=$(date +%s%N)
  local wall rss
  read -r _ rss < <(tail -n 1 "$base.time")
  wall=$(awk -v ns=$((end - start)) 'BEGIN { printf "%.4f", ns / 1e9 }')
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$tool" "$run" "$id" "$wall" "$rss" "$rc" >>"$OUT/times.tsv"
  return "$rc"
}

# --- cfgctl -------------------------------------------------------------------------------
CFGCTL_STATUS="ok"
CFGCTL_VERSION=""
STAGED_JSON=""
STAGED_RSS=""
if [[ ! -x "$CFGCTL" ]]; then
  CFGCTL_STATUS="no binary at $CFGCTL (build it with cargo build --release, or set CFGCTL)"
  log "NOTE: $CFGCTL_STATUS; measuring the peers only"
else
  CFGCTL_VERSION="$("$CFGCTL" --version 2>/dev/null || echo "unknown (--version failed)")"
  log "cfgctl: $CFGCTL_VERSION"
  for run in $(seq 1 "$CFGCTL_RUNS"); do
    rc=0
    run_timed cfgctl "$run" 00 -- "$CFGCTL" -C "$REPO" validate --format json --no-cache || rc=$?
    if ((rc > 1)); then
      CFGCTL_STATUS="cfgctl validate exited $rc (see $OUT/raw/cfgctl-r$run-00.err)"
      log "NOTE: $CFGCTL_STATUS"
      sed -n '1,5p' "$OUT/raw/cfgctl-r$run-00.err" >&2
      grep -v '^cfgctl' "$OUT/times.tsv" >"$OUT/times.tmp" || true
      mv "$OUT/times.tmp" "$OUT/times.tsv"
      break
    fi
    cp "$OUT/raw/cfgctl-r$run-00.out" "$OUT/cfgctl.json"
    log "cfgctl run $run: $(tail -n 1 "$OUT/raw/cfgctl-r$run-00.time") (wall s, peak KiB), exit $rc"
  done

  if [[ "$CFGCTL_STATUS" == ok ]] && ((${#STAGED[@]})); then
    log "staging ${#STAGED[@]} edited files: ${STAGED[*]}"
    while IFS= read -r f; do
      cp "$REPO/.bench/staged/$f" "$REPO/$f"
    done < <(printf '%s\n' "${STAGED[@]}")
    git -C "$REPO" add -- "${STAGED[@]}"
    staged_cmd="$(printf '%q ' "$CFGCTL" -C "$REPO" validate --staged)"
    rc=0
    /usr/bin/time -f '%e %M' -o "$OUT/staged.time" "$CFGCTL" -C "$REPO" validate --staged \
      >"$OUT/staged.out" 2>"$OUT/staged.err" || rc=$?
    ((rc == 0)) || log "NOTE: cfgctl validate --staged exited $rc on valid changes (see $OUT/staged.err)"
    read -r _ STAGED_RSS < <(tail -n 1 "$OUT/staged.time")
    hyperfine --warmup 3 --runs 20 -i --style basic --export-json "$OUT/staged.json" \
      --command-name "cfgctl validate --staged" "$staged_cmd" >&2
    STAGED_JSON="$OUT/staged.json"
    restore_staged
  fi
fi

# --- peers --------------------------------------------------------------------------------
cd "$REPO"
for tool in check-jsonschema ajv; do
  prefix=$([[ $tool == check-jsonschema ]] && echo cj || echo ajv)
  for run in $(seq 1 "$PEER_RUNS"); do
    while IFS=$'\t' read -r t id n _; do
      [[ "$t" == "$tool" ]] || continue
      mapfile -d '' argv <"$OUT/argv/$prefix-$(printf '%02d' "$id")"
      rc=0
      run_timed "$prefix" "$run" "$(printf '%02d' "$id")" -- "${argv[@]}" || rc=$?
      if ((rc > 1)); then
        log "WARNING: $tool exited $rc on mapping $id (see $OUT/raw/$prefix-r$run-$(printf '%02d' "$id").err)"
        sed -n '1,5p' "$OUT/raw/$prefix-r$run-$(printf '%02d' "$id").err" >&2
      fi
      log "$tool run $run, mapping $id ($n files): $(tail -n 1 "$OUT/raw/$prefix-r$run-$(printf '%02d' "$id").time") (wall s, peak KiB), exit $rc"
    done <"$OUT/plan.tsv"
  done
done
cd "$ROOT"
# times.tsv names the peers by their short prefix; the report wants tool names.
sed -i -e 's/^cj\t/check-jsonschema\t/' "$OUT/times.tsv"

python3 "$SCRIPTS/bench_report.py" report --repo "$REPO" --out "$OUT" \
  --gen-command "$GEN_COMMAND" --cfgctl-status "$CFGCTL_STATUS" --cfgctl-version "$CFGCTL_VERSION" \
  --cfgctl-runs "$CFGCTL_RUNS" --load-start "$LOAD_START" --staged-json "$STAGED_JSON" --staged-rss "$STAGED_RSS" \
  --cj-version "$CJ_VERSION" --ajv-cli-version "$AJV_CLI_V" --ajv-version "$AJV_V" \
  --ajv-formats-version "$AJV_FORMATS_V" --node-version "$(node --version)" \
  --hyperfine-version "$(hyperfine --version | awk '{print $2}')" | tee "$OUT/report.md"
