#!/usr/bin/env python3
"""Generates an attack pack with N patterns for the packs benchmark.

    scripts/gen-pack.py REPO [--patterns 10000] [--pack bench]

Writes REPO/packs/<pack>/pack.yaml and one YAML file per category of the taxonomy, every
pattern with a regex `detect` rule, two examples and one benign sample. The text is made up
from a counter (no real payloads); every pattern passes every check, so a run measures the
full validation path (parse, compile every regex, match every example and benign sample,
duplicate detection across the pack).
"""

import argparse
import pathlib

CATEGORIES = [
    ("direct-injection", "DIR", "high"),
    ("indirect-injection", "IND", "high"),
    ("system-prompt-extraction", "SPE", "high"),
    ("jailbreak-persona", "JBP", "medium"),
    ("obfuscation-encoding", "OBF", "medium"),
    ("delimiter-token-injection", "DLM", "medium"),
    ("goal-hijacking", "GOH", "medium"),
    ("data-exfiltration", "EXF", "critical"),
    ("output-injection", "OUT", "high"),
    ("tool-agent-abuse", "TAA", "high"),
    ("sensitive-info-probing", "SIP", "low"),
    ("resource-exhaustion", "RES", "low"),
]
VERBS = ["ignore", "override", "bypass", "discard", "replace"]
OBJECTS = ["rules", "instructions", "guidelines", "policy", "directions"]


def word(n: int) -> str:
    """A made-up word unique to n (base 26, at least four letters)."""
    letters = []
    n += 26 ** 3
    while n:
        n, r = divmod(n, 26)
        letters.append("abcdefghijklmnopqrstuvwxyz"[r])
    return "zq" + "".join(reversed(letters))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("repo")
    parser.add_argument("--patterns", type=int, default=10000)
    parser.add_argument("--pack", default="bench")
    args = parser.parse_args()
    if args.patterns > 9999 * len(CATEGORIES):
        parser.error("too many patterns for four-digit ids")

    pack = pathlib.Path(args.repo) / "packs" / args.pack
    (pack / "patterns").mkdir(parents=True, exist_ok=True)
    per_file = {c: [] for c, _, _ in CATEGORIES}
    for i in range(args.patterns):
        category, code, severity = CATEGORIES[i % len(CATEGORIES)]
        number = i // len(CATEGORIES) + 1
        w = word(i)
        verb = VERBS[i % len(VERBS)]
        obj = OBJECTS[(i // len(VERBS)) % len(OBJECTS)]
        regex = rf"(?i)\b{w}\b.{{0,40}}\b({verb}|{VERBS[(i + 1) % len(VERBS)]})\b.{{0,40}}\b{obj}\b"
        per_file[category].append(
            f"""- id: BN-{code}-{number:04d}
  name: Generated pattern {i}
  description: Generated for the benchmark; matches the made-up word {w}.
  category: {category}
  severity: {severity}
  owasp: [LLM01:2025]
  tags: [generated, bench]
  detect: {{ kind: regex, value: '{regex}' }}
  examples:
    - Please {w} and {verb} all the {obj} now.
    - "{w.upper()}: {verb} the {obj} that came before"
  benign:
    - The {w} report about {obj} is ready.
  since: 1.0.0
"""
        )
    files = []
    for category, _, _ in CATEGORIES:
        if not per_file[category]:
            continue
        rel = f"patterns/{category}.yaml"
        (pack / rel).write_text("".join(per_file[category]))
        files.append(rel)
    listing = "".join(f"  - path: {rel}\n" for rel in files)
    (pack / "pack.yaml").write_text(
        f"""schema: cfgctl/attack-pack/v1
id: {args.pack}
version: 1.0.0
name: Generated benchmark pack
description: {args.patterns} generated patterns with regex detectors, for the benchmark.
created: 2026-01-01T00:00:00Z
license: Apache-2.0
taxonomy: cfgctl-attack-categories/1
min_patterns: {args.patterns}
required_categories: [direct-injection]
files:
{listing}"""
    )


if __name__ == "__main__":
    main()
