#!/usr/bin/env python3
"""Write two large YAML documents that differ in a known way, for the diff benchmark.

    scripts/gen-big-doc.py OUT_DIR SIZE_MB [--seed 1]

OUT_DIR/a.yaml holds a `services` list of generated services (identified by `name`, so cfgctl
matches them by identity), each with nested mappings, lists and a multi-line string, until the
file reaches SIZE_MB megabytes. OUT_DIR/b.yaml is the same document with about 1% of the
services changed (a scalar, a port, a line of the multi-line string), 0.1% removed and 0.1%
added. Standard library only; deterministic for a seed.
"""

import argparse
import random
from pathlib import Path


def service(i: int, rng: random.Random, variant: int = 0) -> str:
    ports = "".join(
        f"      - name: p{p}\n        port: {8000 + p + (variant if p == 0 else 0)}\n        protocol: tcp\n"
        for p in range(3)
    )
    notes = "".join(f"      line {n} of the runbook for service {i}\n" for n in range(4))
    if variant:
        notes = notes.replace("line 2 of", f"line 2 (revised {variant}) of")
    return (
        f"  - name: svc-{i:07d}\n"
        f"    image: registry.example.com/team-{i % 97}/svc-{i}:{1 + (i % 7)}.{i % 13}.{variant}\n"
        f"    replicas: {2 + (i % 5) + variant}\n"
        f"    resources:\n      requests: {{cpu: {100 + i % 400}m, memory: {128 + i % 512}Mi}}\n"
        f"      limits: {{cpu: \"{1 + i % 3}\", memory: {256 + i % 1024}Mi}}\n"
        f"    autoscaling:\n      enabled: {'true' if i % 2 else 'false'}\n"
        f"      min_replicas: 2\n      max_replicas: {10 + i % 20}\n"
        f"    ports:\n{ports}"
        f"    labels:\n      team: team-{i % 97}\n      tier: {['web', 'worker', 'batch'][i % 3]}\n"
        f"    runbook: |\n{notes}"
        f"    weight: {rng.random():.6f}\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("size_mb", type=float)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    target = int(args.size_mb * 1_000_000)
    rng_a = random.Random(args.seed)
    pick = random.Random(args.seed + 1)
    a_parts, b_parts = ["services:\n"], ["services:\n"]
    size, i, added = 0, 0, 0
    while size < target:
        text = service(i, rng_a)
        a_parts.append(text)
        roll = pick.random()
        if roll < 0.001:
            pass  # removed in b
        elif roll < 0.011:
            b_parts.append(service(i, random.Random(i), variant=1 + i % 3).replace(
                f"    weight: ", "    weight: ", 1))
        else:
            b_parts.append(text)
        if pick.random() < 0.001:
            added += 1
            b_parts.append(service(10_000_000 + added, random.Random(added)))
        size += len(text)
        i += 1
    (args.out / "a.yaml").write_text("".join(a_parts))
    (args.out / "b.yaml").write_text("".join(b_parts))
    print(f"{i} services, {size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
