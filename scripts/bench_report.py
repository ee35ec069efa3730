#!/usr/bin/env python3
"""Helper of scripts/bench-validate.sh (Python 3.11 standard library only).

    bench_report.py plan   --repo R --out O --cj PATH --ajv PATH
        Writes one argv file per peer invocation (O/argv/<tool>-NN, NUL-separated) and
        O/plan.tsv (tool, id, files, command as printed), from R/.bench/manifest.json.
    bench_report.py report --repo R --out O [--cfgctl PATH] [--gen-command TEXT]
        Reads O/times.tsv, the tools' outputs and the manifest; prints the Markdown report.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shlex
import statistics
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

TOML_JSON_PREFIX = ".bench/toml-as-json/"


def load_manifest(repo: Path) -> dict:
    return json.loads((repo / ".bench" / "manifest.json").read_text(encoding="utf-8"))


def short(cmd: list[str], files: list[str], file_flag: str | None, note: str) -> str:
    """A command as printed: the first two files, then a count."""
    head = [shlex.quote(c) for c in cmd]
    shown = []
    for f in files[:2]:
        shown += ([file_flag] if file_flag else []) + [shlex.quote(f)]
    rest = len(files) - len(files[:2])
    tail = f" … ({len(files)} files: {note})" if rest > 0 else ""
    return " ".join(head + shown) + tail


def cmd_plan(args) -> int:
    repo = Path(args.repo).resolve()
    out = Path(args.out)
    m = load_manifest(repo)
    argv_dir = out / "argv"
    argv_dir.mkdir(parents=True, exist_ok=True)
    for old in argv_dir.iterdir():
        old.unlink()
    rows = []
    for c in m["checks"]:
        if not c["files"]:
            continue
        peer = c["peer"]
        note = ", ".join(c["globs"]) + (" (partial)" if c["partial"] else "")
        # check-jsonschema: every matched file (it reports files it cannot parse and goes on).
        # --base-uri: a file:// URI for the schema, so that its relative $refs are read from
        # disk instead of being fetched from the https $id (there is no network here).
        schema_abs = (repo / peer["schema"]).resolve()
        base = [args.cj, "--schemafile", peer["schema"], "--base-uri", schema_abs.as_uri(), "-o", "json"]
        shown = ["check-jsonschema", "--schemafile", peer["schema"], "--base-uri",
                 f"file://$PWD/{peer['schema']}", "-o", "json"]
        (argv_dir / f"cj-{c['index']:02d}").write_bytes(
            b"\0".join(a.encode() for a in base + c["files"]) + b"\0")
        rows.append(("check-jsonschema", c["index"], len(c["files"]),
                     short(shown, c["files"], None, note).replace("'file://$PWD/", '"file://$PWD/').replace(".json' -o", '.json" -o')))
        # ajv-cli: the parseable files only (it exits at the first file it cannot parse),
        # TOML documents as their JSON conversion (it cannot read TOML).
        if not peer["ajv_data"]:
            continue
        # --strict=false: the schemas carry extension keywords (x-kubernetes-validations,
        # x-cfgctl-rules) that strict mode refuses, and a refused schema validates nothing.
        base = [args.ajv, "validate", f"--spec={peer['ajv_spec']}", "-c", "ajv-formats", "--all-errors",
                "--strict=false", "--errors=line", "-s", peer["schema"]]
        for r in peer["ajv_refs"]:
            base += ["-r", r]
        data = []
        for f in peer["ajv_data"]:
            data += ["-d", f]
        (argv_dir / f"ajv-{c['index']:02d}").write_bytes(b"\0".join(a.encode() for a in base + data) + b"\0")
        rows.append(("ajv", c["index"], len(peer["ajv_data"]),
                     short(["ajv"] + base[1:], peer["ajv_data"], "-d", note)))
    with open(out / "plan.tsv", "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write("\t".join(str(x) for x in r) + "\n")
    return 0


# ----------------------------------------------------------------------------------------------

def invalid_from_cj(paths: list[Path]) -> set[str]:
    found = set()
    for p in paths:
        try:
            d = json.loads(p.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for key in ("errors", "parse_errors"):
            for e in d.get(key, []):
                found.add(e["filename"])
    return found


def invalid_from_ajv(paths: list[Path]) -> set[str]:
    found = set()
    for p in paths:
        try:
            text = p.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        for line in text.splitlines():
            m = re.match(r"^(\S+) invalid$", line)
            if m:
                f = m.group(1)
                if f.startswith(TOML_JSON_PREFIX) and f.endswith(".json"):
                    f = f[len(TOML_JSON_PREFIX):-len(".json")]
                found.add(f)
    return found


FILE_KEYS = ("file", "path", "filename", "location")


def invalid_from_cfgctl(path: Path) -> tuple[set[str] | None, set[str] | None, str]:
    """Files with error findings in cfgctl's JSON report, and the subset that come from a schema.

    The JSON shape is cfgctl's to define; this reads any object that names a file (file, path,
    filename, or location.file) and, where it has one, an error severity."""
    try:
        d = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        return None, None, f"could not read cfgctl's JSON ({err})"
    files: set[str] = set()
    schema_files: set[str] = set()

    def file_of(o: dict):
        for k in FILE_KEYS:
            v = o.get(k)
            if isinstance(v, str) and re.search(r"\.(ya?ml|json|toml)$", v):
                return v
            if isinstance(v, dict):
                inner = file_of(v)
                if inner:
                    return inner
        return None

    def walk(o, inherited_file=None):
        if isinstance(o, dict):
            f = file_of(o) or inherited_file
            sev = str(o.get("severity", o.get("level", ""))).lower()
            looks_like_finding = any(k in o for k in ("message", "rule", "kind", "code", "keyword", "error"))
            if f and looks_like_finding and sev in ("", "error"):
                files.add(f)
                src = " ".join(str(o.get(k, "")) for k in ("rule", "kind", "code", "source", "category", "check"))
                if "schema" in src.lower() or "parse" in src.lower() or "syntax" in src.lower() or "keyword" in o:
                    schema_files.add(f)
            if o.get("valid") is False and f:
                files.add(f)
            for v in o.values():
                walk(v, f)
        elif isinstance(o, list):
            for v in o:
                walk(v, inherited_file)

    walk(d)
    note = "" if files else f"no findings recognised; top-level keys: {list(d)[:10] if isinstance(d, dict) else type(d).__name__}"
    return files, schema_files, note


def median(xs):
    return statistics.median(xs) if xs else None


def fmt_s(x):
    if x is None:
        return "—"
    return f"{x:.3f}" if x < 10 else f"{x:.1f}"


def sh(cmd: str) -> str:
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=20).stdout.rstrip()
    except Exception:  # noqa: BLE001 - informational only
        return ""


def cmd_report(args) -> int:
    repo = Path(args.repo).resolve()
    out = Path(args.out)
    m = load_manifest(repo)
    counts = m["counts"]
    expected_all = set(m["invalid"])
    expected_schema = {f for f, v in m["invalid"].items() if v["kind"] != "unparseable"}

    # times.tsv: tool run id wall rss rc
    per_run = defaultdict(lambda: defaultdict(lambda: [0.0, 0, 0, []]))  # tool -> run -> [wall, rss, n, rcs]
    for line in (out / "times.tsv").read_text(encoding="utf-8").splitlines():
        tool, run, _id, wall, rss, rc = line.split("\t")
        acc = per_run[tool][run]
        acc[0] += float(wall)
        acc[1] = max(acc[1], int(rss))
        acc[2] += 1
        acc[3].append(int(rc))
    plan = [l.split("\t", 3) for l in (out / "plan.tsv").read_text(encoding="utf-8").splitlines()]
    n_inv = {t: sum(1 for p in plan if p[0] == t) for t in ("check-jsonschema", "ajv")}
    files_cj = len({f for c in m["checks"] for f in c["files"]})
    files_ajv = len({f for c in m["checks"] for f in c["parseable_files"] if c["peer"]["ajv_data"]})

    def summary(tool):
        runs = per_run.get(tool)
        if not runs:
            return None, None, 0
        walls = [v[0] for v in runs.values()]
        rss = max(v[1] for v in runs.values())
        return median(walls), rss, len(runs)

    rows = []
    cf_wall, cf_rss, cf_runs = summary("cfgctl")
    cfgctl_ok = cf_wall is not None and args.cfgctl_status == "ok"

    def ratio(w):
        if not cfgctl_ok or w is None or not cf_wall:
            return "n/a"
        return f"{w / cf_wall:.1f}×"

    if cfgctl_ok:
        rows.append(("`cfgctl validate --format json --no-cache` (cold)", f"{counts['files']:,}", fmt_s(cf_wall),
                     f"{cf_rss / 1024:.0f}", "1.0×"))
    else:
        rows.append(("`cfgctl validate --format json --no-cache` (cold)", f"{counts['files']:,}", "not run", "—", "—"))
    w, r, _ = summary("check-jsonschema")
    rows.append((f"check-jsonschema ({n_inv['check-jsonschema']} invocations, one per mapping)", f"{files_cj:,}",
                 fmt_s(w) if w is not None else "skipped", f"{r / 1024:.0f}" if r else "—", ratio(w)))
    w, r, _ = summary("ajv")
    rows.append((f"ajv-cli + ajv-formats ({n_inv['ajv']} invocations, one per mapping)", f"{files_ajv:,} ¹",
                 fmt_s(w) if w is not None else "skipped", f"{r / 1024:.0f}" if r else "—", ratio(w)))
    staged_row = None
    if args.staged_json and Path(args.staged_json).is_file():
        h = json.loads(Path(args.staged_json).read_text())["results"][0]
        st_rss = ""
        if args.staged_rss:
            st_rss = f"{int(args.staged_rss) / 1024:.0f}"
        staged_row = ("`cfgctl validate --staged` (5 files staged, warm cache)", str(len(m["staged"])),
                      f"{h['mean']:.3f} ± {h['stddev']:.3f}", st_rss or "—", "—")
        rows.append(staged_row)

    cpu = sh("lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1")
    nproc = sh("nproc")
    free = sh("free -g")
    load = sh("cat /proc/loadavg")
    p = print
    p(f"## Validation: {counts['files']:,} files\n")
    p(f"Repository: `{args.gen_command}` — {counts['files']:,} documents "
      f"({counts['by_format']['yaml']:,} YAML, {counts['by_format']['json']:,} JSON, {counts['by_format']['toml']:,} TOML) "
      f"in {m['environments']['total']:,} environments ({m['environments']['generated']:,} generated, "
      f"{m['environments']['first']} … {m['environments']['last']}, plus the template's "
      f"{', '.join(m['environments']['template'])}), {len(m['checks'])} `[[schema]]` mappings, "
      f"{counts['file_schema_pairs']:,} file/schema pairs; {counts['invalid']} files invalid on purpose "
      f"({counts['schema_invalid']} schema violations: "
      + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts["by_kind"].items() if k != "unparseable" and v)
      + f"; {counts['unparseable']} that do not parse).\n")
    p("| tool | files | wall s | peak MiB | ratio vs cfgctl |")
    p("| --- | ---: | ---: | ---: | ---: |")
    for row in rows:
        p("| " + " | ".join(row) + " |")
    p("")
    peer_runs = summary("check-jsonschema")[2]
    p(f"- wall: " + (f"median of {cf_runs} runs for cfgctl" if cfgctl_ok else "cfgctl not run")
      + (f", median of {peer_runs} run(s) for the peers" if peer_runs else ", peers skipped")
      + "; a peer's wall is the sum over its invocations (one per `[[schema]]` mapping, as a pre-commit "
      "or CI job would call it), each invocation timed to the nanosecond around GNU time. `--staged`: "
      "hyperfine, 3 warm-up runs + 20 runs, mean ± σ.")
    p("- peak: the largest maximum resident set size of one process (GNU time `%M`).")
    p("- cfgctl validates on all cores; check-jsonschema and ajv-cli use one core each. Each peer run "
      "pays its start-up and schema compilation again (ajv-cli: about half a second per run, so most "
      "of its total is fixed cost; check-jsonschema: a few tenths of a second).")
    p(f"- ¹ ajv-cli exits at the first file it cannot parse, so it gets the {files_ajv:,} parseable files "
      f"(the {counts['unparseable']} unparseable ones are left out). It cannot read TOML either: given a "
      "`.toml` file it falls back to Node's `require()`, which runs the file as JavaScript. So the "
      f"{counts['by_format']['toml']:,} TOML documents are handed to it as JSON, converted beforehand "
      "by the generator (`.bench/toml-as-json/`, not timed): ajv does slightly less parsing work than the others.")
    p("- ajv-cli cannot load a referenced schema written for another draft into the same run "
      "(`no schema with key or ref \"https://json-schema.org/draft/2020-12/schema\"`) and has no "
      "option to skip meta-validation, so for the draft-07 and 2019-09 schemas it gets a copy of "
      "`common.schema.json` whose `$schema` names the referencing schema's draft "
      "(`.bench/peer-schemas/ajv/<draft>/`; common.schema.json uses only keywords that mean the same in all three drafts).")
    p("- `partial = true` mappings (layer fragments): the peers have no such mode, so they get copies "
      "of the schemas without `required` (`.bench/peer-schemas/partial/`).")
    p("")

    # invalid-file agreement
    p("Invalid files found (files with at least one error):\n")
    p("| tool | found | expected | missed | unexpected |")
    p("| --- | ---: | ---: | ---: | ---: |")
    details = []

    def agree(name, found, expected):
        missed = sorted(expected - found)
        extra = sorted(found - expected)
        p(f"| {name} | {len(found)} | {len(expected)} | {len(missed)} | {len(extra)} |")
        if missed or extra:
            details.append(f"{name}: missed {missed[:5]}{' …' if len(missed) > 5 else ''}; "
                           f"unexpected {extra[:5]}{' …' if len(extra) > 5 else ''}")

    if cfgctl_ok:
        found, schema_found, note = invalid_from_cfgctl(out / "cfgctl.json")
        if found is None:
            p(f"| cfgctl | ? | {len(expected_all)} | ? | ? |")
            details.append(f"cfgctl: {note}")
        else:
            agree("cfgctl", found, expected_all)
            if schema_found and schema_found != found:
                agree("cfgctl (schema/parse findings only)", schema_found, expected_all)
            if note:
                details.append(f"cfgctl: {note}")
    else:
        p(f"| cfgctl | not run | {len(expected_all)} | | |")
    last = lambda tool: sorted(out.glob(f"raw/{tool}-r1-*.out" if tool == "cj" else f"raw/{tool}-r1-*.err"))
    if last("cj"):
        agree("check-jsonschema", invalid_from_cj(last("cj")), expected_all)
    if last("ajv"):
        agree("ajv-cli ¹", invalid_from_ajv(last("ajv")), expected_schema)
    p("")
    for d in details:
        p(f"- {d}")
    if details:
        p("")

    # machine and versions
    p("Machine and versions:\n")
    p("```")
    p(f"nproc: {nproc}; CPU: {cpu}")
    p(f"load average (1, 5, 15 min): {args.load_start} before the runs, {' '.join(load.split()[:3])} after")
    p(free)
    p(f"cfgctl: {args.cfgctl_version or 'not built'}")
    p(f"check-jsonschema: {args.cj_version}; Python {platform.python_version()}")
    p(f"ajv-cli {args.ajv_cli_version}, ajv {args.ajv_version}, ajv-formats {args.ajv_formats_version}; Node {args.node_version}")
    p(f"hyperfine: {args.hyperfine_version}")
    p("```\n")

    p("Commands (run from the repository root; full argument lists in "
      f"`{out}/argv/`, NUL-separated):\n")
    p("```sh")
    p(f"{args.gen_command}")
    p("cfgctl -C . validate --format json --no-cache")
    if m["staged"]:
        p("# staged: " + "; ".join(f"{s['path']} ({s['change']})" for s in m["staged"]))
        p("hyperfine --warmup 3 --runs 20 -i 'cfgctl -C . validate --staged'")
    for tool, _id, n, shown in plan:
        p(shown)
    p("```")
    if not cfgctl_ok:
        p(f"\n> cfgctl was not measured: {args.cfgctl_status}. The peer numbers above stand on their own.")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("plan")
    a.add_argument("--repo", required=True)
    a.add_argument("--out", required=True)
    a.add_argument("--cj", required=True)
    a.add_argument("--ajv", required=True)
    b = sub.add_parser("report")
    b.add_argument("--repo", required=True)
    b.add_argument("--out", required=True)
    b.add_argument("--gen-command", default="scripts/gen-bench-repo.py")
    b.add_argument("--cfgctl-status", default="not built")
    b.add_argument("--cfgctl-version", default="")
    b.add_argument("--cfgctl-runs", default="5")
    b.add_argument("--staged-json", default="")
    b.add_argument("--load-start", default="?")
    b.add_argument("--staged-rss", default="")
    for v in ("cj-version", "ajv-cli-version", "ajv-version", "ajv-formats-version", "node-version",
              "hyperfine-version"):
        b.add_argument(f"--{v}", default="?")
    args = ap.parse_args()
    return cmd_plan(args) if args.cmd == "plan" else cmd_report(args)


if __name__ == "__main__":
    sys.exit(main())
