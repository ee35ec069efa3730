#!/usr/bin/env bash
# Times two commands (two cfgctl builds, say) alternately, run by run, so that a noisy machine
# slows both alike (a benchmark tool runs all of one command, then all of the other).
#
#   scripts/ab-alternate.sh RUNS REPO 'COMMAND A' 'COMMAND B'
#
# Each command is split on spaces and run in REPO, output discarded. Prints, per command: the
# median and the range of the wall time, the median user + system CPU time and the largest
# peak RSS (from the kernel's accounting of the child, to the microsecond; GNU time rounds to
# 10 ms, too coarse for runs of tens of milliseconds), then the ratios of the medians. Exit
# codes are ignored (validate exits 1 on findings).
set -euo pipefail
[[ $# -eq 4 ]] || { echo "usage: $0 RUNS REPO 'COMMAND A' 'COMMAND B'" >&2; exit 2; }
exec python3 - "$@" <<'PY'
import os, statistics, subprocess, sys, time

runs, repo, commands = int(sys.argv[1]), sys.argv[2], sys.argv[3:5]
rows = {0: [], 1: []}
for _ in range(runs):
    for side, command in enumerate(commands):
        start = time.perf_counter()
        child = subprocess.Popen(command.split(), cwd=repo, stdin=subprocess.DEVNULL,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, _, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        rows[side].append((wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss))

def show(name, rows):
    wall = [r[0] for r in rows]; cpu = [r[1] for r in rows]; peak = [r[2] for r in rows]
    print(f"{name}: wall {statistics.median(wall)*1000:.1f} ms ({min(wall)*1000:.1f}-{max(wall)*1000:.1f}), "
          f"cpu {statistics.median(cpu)*1000:.1f} ms, peak {max(peak)/1024:.0f} MiB, {len(rows)} runs")
    return statistics.median(wall), statistics.median(cpu)

wa, ca = show("A: " + commands[0], rows[0])
wb, cb = show("B: " + commands[1], rows[1])
print(f"A/B: wall {wa/wb:.2f}x, cpu {ca/cb:.2f}x")
PY
