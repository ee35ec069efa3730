#!/usr/bin/env bash
# Encrypts and decrypts 1,000 secret files of 20 values each: cfgctl in one call per step,
# against a shell loop that calls the age CLI once per file on the same plaintext.
#   scripts/bench-secrets.sh [path/to/cfgctl]      (needs age, age-keygen, python3)
set -euo pipefail
cfgctl=$(realpath "${1:-target/release/cfgctl}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
age-keygen -o key.txt 2>/dev/null
recipient=$(age-keygen -y key.txt)
python3 - <<'PY'
import os, random
random.seed(7)
os.makedirs("plain", exist_ok=True)
for i in range(1000):
    lines = [f"service_{i}:"]
    for j in range(20):
        lines.append(f"    secret_{j}: {''.join(random.choice('abcdefghijklmnopqrstuvwxyz0123456789') for _ in range(32))}")
    open(f"plain/s{i:04}.secret.yaml", "w").write("\n".join(lines) + "\n")
PY
cp -r plain cfg
cp -r plain agecli
export SOPS_AGE_KEY_FILE=$work/key.txt

# Wall time and peak memory of one command (its stdout is discarded).
t() { /usr/bin/time -f "%e s wall, %U s user, %M KiB peak" "$@" >/dev/null; }

echo "cfgctl secrets encrypt --in-place (1000 files, one call):"
t "$cfgctl" -q secrets encrypt --in-place --age "$recipient" cfg/*.secret.yaml
echo "cfgctl secrets check (decrypt every value + verify every MAC, one call):"
t "$cfgctl" -q secrets check cfg
echo "cfgctl secrets rotate (decrypt + new data key + re-encrypt, one call):"
t "$cfgctl" -q secrets rotate cfg
echo "age CLI, one process per file, encrypt:"
t bash -c 'for f in agecli/*.secret.yaml; do age -e -r '"$recipient"' -o "$f.age" "$f"; done'
echo "cfgctl secrets check after rotate (every file still opens):"
t "$cfgctl" -q secrets check cfg
echo "age CLI, one process per file, decrypt:"
t bash -c 'for f in agecli/*.age; do age -d -i key.txt "$f" >/dev/null; done'
