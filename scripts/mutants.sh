#!/usr/bin/env bash
# Mutation testing with cargo-mutants over the modules whose mistakes cost users most: the
# value cipher and the sops metadata block (a wrong byte makes a file sops cannot open, or
# leaks a value), the layer merge (a wrong value rendered), promotion, flag bucketing (users
# move between variants) and the validation rules (a finding missed or invented).
#
# NOT part of CI: a full run takes hours on a small machine. Run it by hand after changing
# one of these modules, and record the figures in TESTING.md.
#
#   scripts/mutants.sh                 every module, cheapest first
#   scripts/mutants.sh cipher merge    only these (fractional merge cipher metadata promote rules)
#   scripts/mutants.sh --again cipher  test again only what the last run of `cipher` did not
#                                      catch (after adding tests; the figures then cover both)
#   scripts/mutants.sh --summary       print the table of the last runs again
#
# Needs `cargo install --locked cargo-mutants` (written against 27.1). JOBS (default 1) is
# passed to `cargo mutants -j`; CARGO_TARGET_DIR is honoured, so the dependencies built for
# `cargo test` are reused by every mutant.
#
# Each module runs in two passes, so that a run stays affordable (a mutant costs one
# incremental build and one test run):
#   1. unit:  `cargo test --lib -- FILTERS`, the library's unit tests of the module and of the
#             modules that call it (about 2 s);
#   2. it:    only the mutants pass 1 missed or that timed out (`--iterate`), against the
#             integration modules that drive the mutated code (`cargo test --test it MODULE::`).
# Results go to mutants.out/MODULE/ (gitignored), one pass-N-KIND/ directory per pass. A table
# of caught / missed / timeout / unviable per file is printed at the end and kept in
# mutants.out/summary.txt.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT="$ROOT/mutants.out"
JOBS="${JOBS:-1}"

command -v cargo-mutants >/dev/null || {
  echo "mutants: cargo-mutants is not installed: cargo install --locked cargo-mutants" >&2
  exit 2
}

# module | files examined (cargo-mutants globs) | unit-test filters | integration-test filters
# The unit filters pick the library's tests that reach the module (libtest substring filters,
# `--skip` excludes). `flags::stage`'s widening test takes 11 s in a debug build, longer than
# all the others together; `place_bytes`'s other tests catch what it catches.
MODULES=(
  "fractional|src/flags/fractional.rs|flags:: --skip widening_never_removes_a_user|flags:: flags_testbed::"
  "merge|src/layers/merge.rs|layers:: environment:: diff:: validate|render:: diff::"
  "cipher|src/secrets/cipher.rs|secrets:: sops keys::|secrets:: secrets_git:: sops::"
  "metadata|src/secrets/metadata.rs|secrets:: sops keys::|secrets:: secrets_git:: sops::"
  "promote|src/promote/*.rs|promote|promote:: env::"
  "rules|src/rules/*.rs|rules:: validate cel|validate:: cel::"
)

AGAIN=0
SUMMARY_ONLY=0
if [[ "${1:-}" == --again ]]; then
  AGAIN=1
  shift
elif [[ "${1:-}" == --summary ]]; then
  SUMMARY_ONLY=1
  shift
fi
if [[ $# -gt 0 ]]; then
  wanted=("$@")
else
  wanted=()
  for spec in "${MODULES[@]}"; do wanted+=("${spec%%|*}"); done
fi

spec_of() {
  local spec
  for spec in "${MODULES[@]}"; do
    [[ "${spec%%|*}" == "$1" ]] && { echo "$spec"; return 0; }
  done
  echo "mutants: unknown module \`$1\`" >&2
  return 1
}

lines() { if [[ -f "$1" ]]; then grep -c . "$1" || true; else echo 0; fi; }
list() { if [[ -f "$2" ]]; then sed "s/^/$1 /" "$2"; fi; }

# cargo-mutants exits 2 when mutants were missed and 3 on timeouts: figures, not a failure.
mutants() {
  local rc=0
  cargo mutants -j "$JOBS" "$@" || rc=$?
  [[ $rc -eq 0 || $rc -eq 2 || $rc -eq 3 ]] || { echo "mutants: cargo mutants exited $rc" >&2; exit "$rc"; }
}

# One cargo-mutants pass; its results are kept in $dir/pass-N-KIND.
pass() {
  local dir="$1" kind="$2" n
  shift 2
  n=$(($(find "$dir" -maxdepth 1 -name 'pass-*' | wc -l) + 1))
  mutants --output "$dir" "$@"
  cp -r "$dir/mutants.out" "$dir/pass-$n-$kind"
}

last_pass() { find "$1" -maxdepth 1 -name 'pass-*' | sort -V | tail -n 1; }

left_after() {
  local last
  last="$(last_pass "$1")"
  echo $(($(lines "$last/missed.txt") + $(lines "$last/timeout.txt")))
}

run_module() {
  local name="$1" spec files unit filters dir iterate=()
  spec="$(spec_of "$name")"
  IFS='|' read -r _ files unit filters <<<"$spec"
  dir="$OUT/$name"
  local file_args=()
  for f in $files; do file_args+=(--file "$f"); done
  if [[ "$AGAIN" -eq 1 && -d "$dir/mutants.out" ]]; then
    iterate=(--iterate)
  else
    rm -rf "$dir"
    mkdir -p "$dir"
  fi

  echo "mutants: $name: unit tests ($files; $unit)" >&2
  # shellcheck disable=SC2086 # the filters are separate arguments to the test binary
  pass "$dir" unit "${file_args[@]}" "${iterate[@]}" \
    --cargo-arg=--lib --timeout 120 --build-timeout 600 -- -- $unit
  local left
  left="$(left_after "$dir")"
  if [[ "$left" -eq 0 ]]; then
    echo "mutants: $name: nothing left for tests/it" >&2
    return 0
  fi
  echo "mutants: $name: $left mutants against tests/it ($filters)" >&2
  # shellcheck disable=SC2086 # the filters are separate arguments to the test binary
  pass "$dir" it "${file_args[@]}" --iterate \
    --cargo-arg=--test=it --timeout 300 --build-timeout 600 -- -- $filters
}

# Per file: caught and unviable in any pass (each pass tests only what earlier ones left),
# missed and timeout in the last one.
summary() {
  local name dir last
  printf '%-34s %7s %7s %7s %8s\n' file caught missed timeout unviable
  for name in "${wanted[@]}"; do
    dir="$OUT/$name"
    last="$(last_pass "$dir" 2>/dev/null)"
    [[ -n "$last" ]] || continue
    {
      for p in "$dir"/pass-*; do
        list caught "$p/caught.txt"
        list unviable "$p/unviable.txt"
      done
      list missed "$last/missed.txt"
      list timeout "$last/timeout.txt"
    } | awk '{ split($2, p, ":"); n[p[1], $1]++; files[p[1]] = 1 }
      END { for (f in files) printf "%-34s %7d %7d %7d %8d\n", f,
            n[f, "caught"], n[f, "missed"], n[f, "timeout"], n[f, "unviable"] }' | sort
  done
}

for name in "${wanted[@]}"; do
  spec_of "$name" >/dev/null
done
if [[ "$SUMMARY_ONLY" -eq 0 ]]; then
  for name in "${wanted[@]}"; do
    run_module "$name"
  done
fi
mkdir -p "$OUT"
summary | tee "$OUT/summary.txt"
for name in "${wanted[@]}"; do
  last="$(last_pass "$OUT/$name" 2>/dev/null)"
  if [[ -n "$last" && -s "$last/missed.txt" ]]; then
    echo "== missed in $name"
    cat "$last/missed.txt"
  fi
done
