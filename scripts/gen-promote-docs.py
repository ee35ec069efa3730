#!/usr/bin/env python3
"""Write a small configuration repository whose staging and production documents differ in
every key, for the promote benchmark.

    scripts/gen-promote-docs.py OUT_DIR KEYS [--format yaml|json|toml] [--group N] [--seed 1]

OUT_DIR gets cfgctl.toml (development, staging, production), and
environments/{staging,production}/big.<format>: KEYS leaf values in groups of N (default 50,
`group_0007.key_0042`; `--group 0` puts every key in one mapping), with a comment on every group in YAML and TOML. Every staging value
differs from production's, so a promotion plans and edits KEYS values; one key in a hundred
is pinned (`**.key_0000`), one in a hundred is only in staging (added) and one in a hundred
only in production (removed). Standard library only; deterministic for a seed. The caller
runs `git init` and commits.
"""

import argparse
import json
import random
from pathlib import Path

def values(keys: int, env: str, rng: random.Random, size: int) -> dict:
    doc: dict = {}
    for i in range(keys):
        group, key = divmod(i, size or keys)
        name = f"key_{key:04d}"
        # One key in a hundred exists in one environment only.
        if i % 100 == 37 and env == "production":
            continue
        if i % 100 == 73 and env == "staging":
            continue
        kind = i % 4
        if kind == 0:
            value = rng.randint(1, 10_000)
        elif kind == 1:
            value = f"{env}-{i}-{rng.randint(0, 999)}"
        elif kind == 2:
            value = rng.random() < 0.5
        else:
            value = round(rng.random(), 6)
        doc.setdefault(f"group_{group:04d}", {})[name] = value
    return doc


def yaml_scalar(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value)
    return str(value)


def write(path: Path, doc: dict, fmt: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "json":
        path.write_text(json.dumps(doc, indent=2) + "\n")
        return
    lines = []
    for group, members in doc.items():
        if fmt == "yaml":
            lines.append(f"# {group}: generated")
            lines.append(f"{group}:")
            lines.extend(f"  {k}: {yaml_scalar(v)}" for k, v in members.items())
        else:
            lines.append(f"# {group}: generated")
            lines.append(f"[{group}]")
            lines.extend(f"{k} = {yaml_scalar(v)}" for k, v in members.items())
            lines.append("")
    path.write_text("\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("keys", type=int)
    parser.add_argument("--format", choices=["yaml", "json", "toml"], default="yaml")
    parser.add_argument("--group", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "cfgctl.toml").write_text(
        '[repo]\nenvironments = ["development", "staging", "production"]\n\n'
        '[promote]\npinned = ["**.key_0000"]\n'
    )
    for env, seed in (("staging", args.seed), ("production", args.seed + 1)):
        doc = values(args.keys, env, random.Random(seed), args.group)
        write(args.out / "environments" / env / f"big.{args.format}", doc, args.format)
    print(f"{args.keys} keys per document ({args.format})")


if __name__ == "__main__":
    main()
