#!/usr/bin/env bash
# Kills cfgctl writers with SIGKILL at random moments and checks, after each kill, that the
# next cfgctl run leaves the repository consistent: the branch, the index and the working tree
# agree (`git status` clean after settling), no temporary file is left in the working tree,
# every release tag points to a commit on the branch, and `git fsck` is happy.
#
# Usage: scripts/kill-writers.sh [TRIALS_PER_WRITER] (default 30). Needs a built binary
# (cargo build --release) and git. Prints one line per writer and a total; exit 1 on any
# inconsistency. Results are recorded in RELIABILITY.md.
set -euo pipefail
trials=${1:-30}
root=$(cd "$(dirname "$0")/.." && pwd)
cfgctl=${CFGCTL:-$root/target/release/cfgctl}
[ -x "$cfgctl" ] || { echo "build first: cargo build --release" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME=$work/home GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 \
  GIT_AUTHOR_NAME=Kill GIT_AUTHOR_EMAIL=kill@example.com GIT_COMMITTER_NAME=Kill \
  GIT_COMMITTER_EMAIL=kill@example.com CFGCTL_NOW=2026-06-01T10:00:00Z
mkdir -p "$HOME"

fresh() {
  rm -rf "$work/repo"
  mkdir "$work/repo"
  "$cfgctl" -C "$work/repo" init . >/dev/null 2>&1
}

# The writers, each run from a fresh template repository. A release is made first where the
# writer needs one.
writers=(
  "promote development staging --execute"
  "flags stage dark-mode full --env staging --execute"
  "packs release prompt-injection 1.0.0 --execute"
  "packs activate staging prompt-injection@1.0.0 --execute"
  "rollback --env staging --to HEAD~1 --execute"
)

check() {
  local repo=$1 what=$2
  # Settle: any writer (here a dry run) completes or rolls back an interrupted write.
  "$cfgctl" -C "$repo" flags stage dark-mode beta --env staging >/dev/null 2>&1 || true
  local status
  status=$(git -C "$repo" status --porcelain)
  if [ -n "$status" ]; then
    echo "INCONSISTENT after $what: git status:" >&2
    echo "$status" >&2
    return 1
  fi
  if find "$repo" -path "$repo/.git" -prune -o -name '.tmp*' -print | grep -q .; then
    echo "INCONSISTENT after $what: temporary files in the working tree" >&2
    return 1
  fi
  local tag
  for tag in $(git -C "$repo" tag --list); do
    if ! git -C "$repo" merge-base --is-ancestor "$tag" HEAD; then
      echo "INCONSISTENT after $what: tag $tag is not on the branch" >&2
      return 1
    fi
  done
  git -C "$repo" fsck --no-dangling >/dev/null 2>&1 || {
    echo "INCONSISTENT after $what: git fsck" >&2
    return 1
  }
}

failures=0
total=0
for writer in "${writers[@]}"; do
  landed=0 killed=0 bad=0
  for ((i = 0; i < trials; i++)); do
    fresh
    case $writer in
      "packs activate"*) "$cfgctl" -C "$work/repo" packs release prompt-injection 1.0.0 --execute >/dev/null 2>&1 ;;
      rollback*) "$cfgctl" -C "$work/repo" flags stage dark-mode full --env staging --execute >/dev/null 2>&1 ;;
    esac
    before=$(git -C "$work/repo" rev-parse HEAD)
    # shellcheck disable=SC2086
    "$cfgctl" -C "$work/repo" $writer >/dev/null 2>&1 &
    pid=$!
    # A random moment within the first ~60 ms, where the whole write happens.
    sleep "0.0$((RANDOM % 60 + 1))" 2>/dev/null || sleep 0.01
    if kill -9 "$pid" 2>/dev/null; then killed=$((killed + 1)); fi
    wait "$pid" 2>/dev/null || true
    [ "$(git -C "$work/repo" rev-parse HEAD)" != "$before" ] && landed=$((landed + 1))
    if ! check "$work/repo" "$writer (trial $i)"; then bad=$((bad + 1)); fi
    total=$((total + 1))
  done
  failures=$((failures + bad))
  printf '%-60s trials %3d  killed %3d  landed %3d  inconsistent %d\n' "$writer" "$trials" "$killed" "$landed" "$bad"
done
echo "$total trials, $failures inconsistent"
[ "$failures" -eq 0 ]
