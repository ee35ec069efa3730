#!/usr/bin/env bash
# History benchmark: `cfgctl status` and `cfgctl log production` on a repository with a
# 5,000-commit history, against `git log --format=%H -- environments/production` (the same
# history walk, limited to the production directory) measured in the same hyperfine run.
#
#   scripts/bench-history.sh            (CFGCTL=path/to/cfgctl to measure another binary)
#
# The repository is target/bench-history/repo, generated only when missing (delete it to
# regenerate): the template (`cfgctl init DIR --no-commit` when the binary exists, else a copy
# of config-repo-template/) plus 5,000 commits written by scripts/gen-history-repo.py with
# `git fast-import` (a few seconds). When the binary is missing or has no `status`/`log`
# subcommands yet, the repository is still generated and git still timed, with a note.
#
# Installs hyperfine and GNU time with apt-get when missing. Progress goes to stderr; stdout
# is a Markdown section for BENCHMARKS.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CFGCTL="${CFGCTL:-$ROOT/target/release/cfgctl}"
COMMITS=5000
SEED=1
WORK="$ROOT/target/bench-history"
REPO="$WORK/repo"
WARMUP=2
RUNS=10

log() { echo "bench-history: $*" >&2; }

if [[ ! -x /usr/bin/time ]] || ! command -v hyperfine >/dev/null 2>&1; then
  log "installing hyperfine and GNU time"
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time hyperfine >&2
fi
mkdir -p "$WORK"

# What the binary can do: "none" (not built), "old" (no status/log yet) or "ok".
have_cfgctl=none
cfgctl_version="not built"
if [[ -x "$CFGCTL" ]]; then
  cfgctl_version="$("$CFGCTL" --version 2>/dev/null || echo "cfgctl (version unknown)")"
  help="$("$CFGCTL" --help 2>/dev/null || true)"   # no pipe into grep -q: SIGPIPE + pipefail
  if grep -q '^  log' <<<"$help" && grep -q '^  status' <<<"$help"; then
    have_cfgctl=ok
  else
    have_cfgctl=old
  fi
fi

# ---- the repository ---------------------------------------------------------------------------
if [[ ! -d "$REPO/.git" ]]; then
  tmp="$WORK/repo.tmp"
  rm -rf "$tmp"
  start=$(date +%s.%N)
  if [[ -x "$CFGCTL" ]]; then
    template="\`cfgctl init DIR --no-commit\` ($cfgctl_version)"
    "$CFGCTL" init "$tmp" --no-commit --color never >&2
  else
    template="a copy of config-repo-template/ (no cfgctl binary)"
    mkdir -p "$tmp"
    cp -R "$ROOT/config-repo-template/." "$tmp/"
  fi
  python3 "$ROOT/scripts/gen-history-repo.py" "$tmp" --commits "$COMMITS" --seed "$SEED" >&2
  end=$(date +%s.%N)
  mv "$tmp" "$REPO"
  secs=$(python3 -c "print(f'{$end - $start:.1f}')")
  printf 'seconds=%s\ntemplate=%s\n' "$secs" "$template" >"$WORK/generation.txt"
  log "generated $REPO in $secs s"
else
  log "reusing $REPO (delete it to regenerate)"
fi
gen_secs="$(sed -n 's/^seconds=//p' "$WORK/generation.txt" 2>/dev/null || true)"
gen_template="$(sed -n 's/^template=//p' "$WORK/generation.txt" 2>/dev/null || true)"

total=$(git -C "$REPO" rev-list --count main)
if [[ "$total" != "$((COMMITS + 1))" ]]; then
  log "$REPO has $total commits, expected $((COMMITS + 1)); delete it and run again"
  exit 2
fi
git -C "$REPO" fsck --strict --no-progress >&2 || { log "git fsck --strict failed on $REPO"; exit 2; }
[[ -z "$(git -C "$REPO" status --porcelain)" ]] || { log "$REPO: working tree differs from HEAD"; exit 2; }
prod=$(git -C "$REPO" log --format=%H -- environments/production | wc -l)
promotions=$(git -C "$REPO" log --format=%H --grep='^Cfgctl-Action: promote$' | wc -l)
rollbacks=$(git -C "$REPO" log --format=%H --grep='^Cfgctl-Action: rollback$' | wc -l)
packs=$(find "$REPO/.git/objects/pack" -name '*.pack' | wc -l)
log "$total commits, $prod touch environments/production, $promotions promotions, $rollbacks rollbacks"

# ---- measurements -----------------------------------------------------------------------------
# name | command (run without a shell: words split by hyperfine -N / by bash read -a)
names=("git log --format=%H -- environments/production" "git log --format=%H -- environments/production global services tenants" "git status --porcelain")
cmds=("git -C $REPO log --format=%H -- environments/production" "git -C $REPO log --format=%H -- environments/production global services tenants" "git -C $REPO status --porcelain")
if [[ $have_cfgctl == ok ]]; then
  names+=("cfgctl status" "cfgctl log production")
  cmds+=("$CFGCTL -C $REPO status" "$CFGCTL -C $REPO log production")
fi
if [[ "$REPO$CFGCTL" == *[[:space:]\'\"]* ]]; then
  log "paths with spaces or quotes are not supported: $REPO, $CFGCTL"
  exit 2
fi

# One run of each first: exit status and output size (a command that cannot run is not timed).
declare -a rcs lines
ignore=()
for i in "${!cmds[@]}"; do
  read -r -a argv <<<"${cmds[$i]}"
  set +e
  out="$("${argv[@]}" 2>"$WORK/stderr-$i.txt")"
  rcs[$i]=$?
  set -e
  lines[$i]=$(if [[ -n "$out" ]]; then printf '%s\n' "$out" | wc -l; else echo 0; fi)
  if ((rcs[$i] == 1)); then ignore=(-i); fi
  if ((rcs[$i] >= 2)); then
    log "${names[$i]} exited ${rcs[$i]}: $(head -3 "$WORK/stderr-$i.txt")"
  fi
done

hf_args=()
for i in "${!cmds[@]}"; do
  if ((rcs[$i] < 2)); then hf_args+=(-n "${names[$i]}" "${cmds[$i]}"); fi
done
shell_opt=()
hf_help="$(hyperfine --help 2>/dev/null || true)"
if grep -qE '^ +-N\b' <<<"$hf_help"; then shell_opt=(-N); fi
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
log "hyperfine --warmup $WARMUP --runs $RUNS ${shell_opt[*]} ${ignore[*]} ($(( ${#hf_args[@]} / 3 )) commands)"
hyperfine --warmup "$WARMUP" --runs "$RUNS" "${shell_opt[@]}" "${ignore[@]}" --style basic \
  --export-json "$WORK/hyperfine.json" "${hf_args[@]}" >&2

# peak RSS in KiB: the largest of three runs (GNU time %M, maximum resident set size)
rss=()
for i in "${!cmds[@]}"; do
  rss[$i]=""
  ((rcs[$i] < 2)) || continue
  read -r -a argv <<<"${cmds[$i]}"
  peak=0
  for _ in 1 2 3; do
    /usr/bin/time -f '%M' -o "$WORK/rss.txt" "${argv[@]}" >/dev/null 2>&1 || true
    r=$(tail -1 "$WORK/rss.txt")
    if ((r > peak)); then peak=$r; fi
  done
  rss[$i]=$peak
done
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

# mean ± σ in ms and the ratio to the first command (git log), from hyperfine's JSON
stats() {
  python3 - "$WORK/hyperfine.json" "$1" <<'EOF'
import json, sys
res = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
base = res["git log --format=%H -- environments/production"]["mean"]
r = res.get(sys.argv[2])
if r is None:
    print("not run|—")
else:
    print(f"{r['mean'] * 1000:.1f} ± {r['stddev'] * 1000:.1f}|{r['mean'] / base:.2f}×")
EOF
}

# ---- Markdown ---------------------------------------------------------------------------------
rel_cfgctl="${CFGCTL#"$ROOT"/}"
echo "## History: $(python3 -c "print(f'{$COMMITS:,}')") commits (\`scripts/bench-history.sh\`)"
echo
echo "Repository: \`scripts/gen-history-repo.py target/bench-history/repo --commits $COMMITS --seed $SEED\` on the template from ${gen_template:-an unknown source} — $(python3 -c "print(f'{$total:,}')") commits on \`main\` (one per hour from 2025-01-01), each changing one line of one file (about 50 % development, 25 % staging, 15 % production, 10 % layer fragments); $promotions promotion commits with \`Cfgctl-*\` trailers (every 50th, alternately development -> staging and staging -> production), $rollbacks rollbacks (every 500th); $prod commits touch \`environments/production\`. Written with \`git fast-import\` in ${gen_secs:-?} s; $packs pack, no \`git gc\`, no commit-graph."
echo
if [[ $have_cfgctl == none ]]; then
  echo "> **Note:** no cfgctl binary at \`$rel_cfgctl\` (build with \`cargo build --release\` or set \`CFGCTL\`): only git was measured."
  echo
elif [[ $have_cfgctl == old ]]; then
  echo "> **Note:** \`$rel_cfgctl\` ($cfgctl_version) has no \`status\`/\`log\` subcommands yet: only git was measured. Run the script again with a build that has them."
  echo
fi
echo "| command | output lines | exit | wall ms (mean ± σ) | peak MiB | ratio vs git log |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
for i in "${!cmds[@]}"; do
  s="$(stats "${names[$i]}")"
  if [[ -n "${rss[$i]}" ]]; then mib=$(python3 -c "print(f'{${rss[$i]} / 1024:.0f}')"); else mib="—"; fi
  echo "| \`${names[$i]}\` | ${lines[$i]} | ${rcs[$i]} | ${s%%|*} | $mib | ${s##*|} |"
done
echo
echo "- wall: hyperfine ${WARMUP} warm-up + ${RUNS} runs$([[ ${#shell_opt[@]} -gt 0 ]] && echo ", \`-N\` (no intermediate shell)")$([[ ${#ignore[@]} -gt 0 ]] && echo ", \`-i\` (a command exits 1)"), mean ± standard deviation; the ratio divides by the \`git log\` mean of the same run. \`git status --porcelain\` is there for scale only (it reads no history)."
for i in "${!cmds[@]}"; do
  if ((rcs[$i] >= 2)); then
    echo "- \`${names[$i]}\` exited ${rcs[$i]} (could not run), so it was not timed: $(head -1 "$WORK/stderr-$i.txt")"
  fi
done
echo "- peak: the largest maximum resident set size of three runs (GNU time \`%M\`)."
echo "- Each command runs with \`-C target/bench-history/repo\`, output discarded; the page cache is warm."
echo
echo "Commands:"
echo
echo '```'
printf 'hyperfine --warmup %s --runs %s %s' "$WARMUP" "$RUNS" "${shell_opt[*]}${ignore[*]:+ ${ignore[*]}}"
for i in "${!cmds[@]}"; do
  ((rcs[$i] < 2)) || continue
  c="${cmds[$i]//$REPO/target/bench-history/repo}"
  c="${c//$CFGCTL/$rel_cfgctl}"
  printf " \\\\\n  '%s'" "$c"
done
echo
echo '/usr/bin/time -f %M <command>'
echo '```'
echo
echo "Machine and versions:"
echo
echo '```'
echo "nproc: $(nproc); CPU: $(lscpu | sed -n 's/^Model name: *//p' | head -1)"
echo "load average (1, 5, 15 min): $load_before before the runs, $load_after after"
free -g
echo "$(git --version); $(hyperfine --version); $cfgctl_version"
echo '```'
