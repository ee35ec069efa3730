#!/usr/bin/env bash
# Decrypts files cfgctl writes with sops-age (npm), a third, independent SOPS+age reader, and
# compares the result with the plaintext. Needs node and npm; run by hand, not by the tests:
#   scripts/interop-sops-age.sh [path/to/cfgctl]
set -euo pipefail
cfgctl=${1:-target/release/cfgctl}
cfgctl=$(realpath "$cfgctl")
keys=$(realpath tests/fixtures/sops/keys.txt)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm init -y >/dev/null
npm install --silent sops-age@4.0.2 >/dev/null
recipient=age1yt3tfqlfrwdwx0z0ynwplcr6qxcxfaqycuprpmy89nr83ltx74tqdpszlw
printf '# note\ndb:\n  user: admin\n  password: "s3:cr#t"\n  port: 5432\n  ratio: 0.25\n  tls: true\n  hosts: [a, b]\n  cert: |\n    line1\n    line2\napi_token: tok\nflags_unencrypted:\n  beta: true\n' > t.yaml
printf '{\n  "a": "x",\n  "n": 12,\n  "f": 1.5,\n  "b": false,\n  "l": [1, "two"],\n  "o": {"k": "v"}\n}\n' > t.json
"$cfgctl" secrets encrypt --age "$recipient" t.yaml > t.enc.yaml
"$cfgctl" secrets encrypt --age "$recipient" t.json > t.enc.json
cat > check.mjs <<'JS'
import { decryptSops } from "sops-age";
import { readFileSync } from "node:fs";
const key = readFileSync(process.argv[2], "utf8").split("\n").find((l) => l.startsWith("AGE-SECRET-KEY-"));
const want = {
  "t.enc.yaml": {db: {user: "admin", password: "s3:cr#t", port: 5432, ratio: 0.25, tls: true, hosts: ["a", "b"], cert: "line1\nline2\n"}, api_token: "tok", flags_unencrypted: {beta: true}},
  "t.enc.json": {a: "x", n: 12, f: 1.5, b: false, l: [1, "two"], o: {k: "v"}},
};
for (const [path, expected] of Object.entries(want)) {
  const got = await decryptSops({ path, secretKey: key });
  if (JSON.stringify(got) !== JSON.stringify(expected)) {
    console.error(`${path}: got ${JSON.stringify(got)}`);
    process.exit(1);
  }
  console.log(`${path}: sops-age decrypts it to the original values`);
}
JS
node check.mjs "$keys"
