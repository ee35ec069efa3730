#!/usr/bin/env python3
"""Give a configuration repository a long, deterministic Git history for the history benchmark.

    scripts/gen-history-repo.py DIR [--commits 5000] [--seed 1]

DIR holds the files of a configuration repository (the template, written by `cfgctl init DIR
--no-commit` or copied from config-repo-template/) and no .git yet. The script creates a Git
repository there (branch main, SHA-1) and feeds one stream to `git fast-import`:

  * commit 0: every file of DIR, subject "Initial configuration from the template";
  * commits 1 ... N (N = --commits), each changing one line of one file. Which file: 50 %
    environments/development/, 25 % environments/staging/, 15 % environments/production/,
    10 % layer fragments (global/, services/, tenants/); secret files (*.secret.*) are never
    touched, they are sops-encrypted. The change is either a number on a known line toggled
    between its template value and that value + 1 (max_connections, retention_days,
    rate_limit_per_minute, p95_latency_ms, requests_per_minute: all stay within the schemas
    and the production policy; JSON files always get this kind), or a trailing
    `# revision <i>` comment line, replaced or appended;
  * every 50th commit is a promotion, alternately development -> staging and staging ->
    production, that toggles a number in the target environment, with the message

        promote: staging -> production (1 files, 1 keys)

        Cfgctl-Action: promote
        Cfgctl-From: staging@<12 hex: the last commit that changed staging>
        Cfgctl-To: production
        Approved-by: Dana Reyes <dana@example.com>

  * every 500th commit is a rollback (instead of a promotion): it undoes the last change to
    production, so production's files become those of that change's parent P, with subject
    `rollback: production to <12 hex of P>` and trailers Cfgctl-Action: rollback,
    Cfgctl-To: production.

Author and committer are fixed (Cfgctl Bench <bench@example.com>); commit i is dated
2025-01-01T00:00:00Z + i hours. The commit ids that messages name are computed here from the
object contents (blob, tree and commit hashing as Git does it), and the script checks that
the id Git reports for main is the computed one. The same arguments give the same commit ids.
Afterwards the working tree is checked out to match HEAD. No `git gc`: the history stays in
the single pack fast-import wrote.

Prints a summary on stderr. Python 3.11 standard library only.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path

NAME = "Cfgctl Bench"
EMAIL = "bench@example.com"
APPROVER = "Dana Reyes <dana@example.com>"
START = 1735689600  # 2025-01-01T00:00:00Z
ENVS = ("development", "staging", "production")
# (share in percent, selector) for ordinary commits
SHARES = ((50, "development"), (25, "staging"), (15, "production"), (10, "layers"))
LAYER_DIRS = ("global/", "services/", "tenants/")
# keys whose integer value may go up by one anywhere without breaking a schema or a rule
VALUE_LINE = re.compile(
    r"^(?!\s*#).*?\b(?P<key>max_connections|retention_days|rate_limit_per_minute|p95_latency_ms"
    r'|requests_per_minute)"?\s*[:=]\s*(?P<num>\d+)'
)
REVISION_LINE = re.compile(r"^# revision \d+$")


class GenError(Exception):
    pass


# ----------------------------------------------------------------------------------------------
# Git object ids


def blob_id(data: bytes) -> bytes:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).digest()


def tree_id(files: dict[str, bytes]) -> bytes:
    """Id of the root tree of `files` (path -> blob id, all mode 100644)."""
    root: dict = {}
    for path, oid in files.items():
        node = root
        *dirs, leaf = path.split("/")
        for d in dirs:
            node = node.setdefault(d, {})
        node[leaf] = oid

    def write(node: dict) -> bytes:
        entries = []
        for name, child in node.items():
            if isinstance(child, dict):
                entries.append((name + "/", b"40000 " + name.encode() + b"\0" + write(child)))
            else:
                entries.append((name, b"100644 " + name.encode() + b"\0" + child))
        entries.sort(key=lambda e: e[0].encode())
        body = b"".join(e[1] for e in entries)
        return hashlib.sha1(b"tree %d\0" % len(body) + body).digest()

    return write(root)


def commit_bytes(tree: bytes, parent: str | None, when: int, message: str) -> bytes:
    ident = f"{NAME} <{EMAIL}> {when} +0000"
    head = f"tree {tree.hex()}\n"
    if parent:
        head += f"parent {parent}\n"
    head += f"author {ident}\ncommitter {ident}\n\n"
    return (head + message).encode()


def commit_id(body: bytes) -> str:
    return hashlib.sha1(b"commit %d\0" % len(body) + body).hexdigest()


# ----------------------------------------------------------------------------------------------
# History


class History:
    def __init__(self, root: Path, seed: int) -> None:
        self.rng = random.Random(seed)
        self.content: dict[str, bytes] = {}
        for p in sorted(root.rglob("*")):
            rel = p.relative_to(root).as_posix()
            if rel == ".git" or rel.startswith(".git/"):
                continue
            if p.is_symlink() or (p.is_file() and os.access(p, os.X_OK)):
                raise GenError(f"{rel}: symlinks and executable files are not supported")
            if p.is_file():
                self.content[rel] = p.read_bytes()
        if "cfgctl.toml" not in self.content:
            raise GenError(f"{root}: no cfgctl.toml (write the template first)")
        self.blobs = {p: blob_id(c) for p, c in self.content.items()}
        self.template = dict(self.content)
        editable = [
            p for p in self.content
            if p.endswith((".yaml", ".yml", ".toml", ".json")) and ".secret." not in p
        ]
        self.pools: dict[str, list[str]] = {
            env: [p for p in editable if p.startswith(f"environments/{env}/")] for env in ENVS
        }
        self.pools["layers"] = [p for p in editable if p.startswith(LAYER_DIRS)]
        for name, pool in self.pools.items():
            if not pool:
                raise GenError(f"no editable files for {name}")
        for env in ENVS[1:]:
            if not self.value_files(env):
                raise GenError(f"environments/{env}/ has no line a promotion can change")
        self.parent: str | None = None
        self.last_sha: dict[str, str] = {}  # environment -> last commit that changed it
        self.last_prod: tuple[str, str, bytes] | None = None  # (parent sha, path, old content)
        self.stats = {"promote": 0, "rollback": 0, "value": 0, "revision": 0}
        self.touched = {name: 0 for name in self.pools}

    def value_lines(self, path: str) -> list[int]:
        lines = self.content[path].decode().split("\n")
        return [i for i, line in enumerate(lines) if VALUE_LINE.match(line)]

    def value_files(self, env: str) -> list[str]:
        return [p for p in self.pools[env] if self.value_lines(p)]

    # -- edits: each returns (new content, short description)

    def toggle_value(self, path: str) -> tuple[bytes, str]:
        lines = self.content[path].decode().split("\n")
        idx = self.rng.choice(self.value_lines(path))
        orig_line = self.template[path].decode().split("\n")[idx]
        m, o = VALUE_LINE.match(lines[idx]), VALUE_LINE.match(orig_line)
        old, base = int(m["num"]), int(o["num"])
        new = base + 1 if old == base else base
        lines[idx] = lines[idx][: m.start("num")] + str(new) + lines[idx][m.end("num"):]
        self.stats["value"] += 1
        return "\n".join(lines).encode(), f"{m['key']} {old} -> {new}"

    def revision_comment(self, path: str, i: int) -> tuple[bytes, str]:
        text = self.content[path].decode()
        if not text.endswith("\n"):
            text += "\n"
        lines = text[:-1].split("\n")
        if lines and REVISION_LINE.match(lines[-1]):
            lines[-1] = f"# revision {i}"
        else:
            lines.append(f"# revision {i}")
        self.stats["revision"] += 1
        return ("\n".join(lines) + "\n").encode(), f"revision {i}"

    def ordinary_edit(self, path: str, i: int) -> tuple[bytes, str]:
        has_values = bool(self.value_lines(path))
        if path.endswith(".json"):
            if not has_values:
                raise GenError(f"{path}: JSON file without a number this script can change")
            return self.toggle_value(path)
        if has_values and self.rng.random() < 0.6:
            return self.toggle_value(path)
        return self.revision_comment(path, i)

    # -- commits

    def next_commit(self, i: int) -> tuple[str, str, bytes]:
        """(message, path, new content) of commit i >= 1."""
        if i % 500 == 0 and self.last_prod:
            target, path, old = self.last_prod
            self.stats["rollback"] += 1
            msg = (f"rollback: production to {target[:12]}\n\n"
                   f"Cfgctl-Action: rollback\nCfgctl-To: production\n")
            return msg, path, old
        if i % 50 == 0:
            k = self.stats["promote"]
            src, dst = ("development", "staging") if k % 2 == 0 else ("staging", "production")
            self.stats["promote"] += 1
            path = self.rng.choice(self.value_files(dst))
            new, _ = self.toggle_value(path)
            frm = f"Cfgctl-From: {src}@{self.last_sha[src][:12]}\n" if src in self.last_sha else ""
            msg = (f"promote: {src} -> {dst} (1 files, 1 keys)\n\n"
                   f"Cfgctl-Action: promote\n{frm}Cfgctl-To: {dst}\n"
                   f"Approved-by: {APPROVER}\n")
            return msg, path, new
        r = self.rng.randrange(100)
        for share, name in SHARES:
            if r < share:
                break
            r -= share
        self.touched[name] += 1
        path = self.rng.choice(self.pools[name])
        new, what = self.ordinary_edit(path, i)
        scope = path.split("/")[1] if name != "layers" else path.split("/")[0]
        msg = f"{scope}: {path.rsplit('/', 1)[-1]}: {what}\n"
        return msg, path, new

    def stream(self, commits: int, out) -> str:
        """Writes the fast-import stream; returns the id of the last commit."""
        def data(b: bytes) -> None:
            out.write(b"data %d\n" % len(b))
            out.write(b)
            out.write(b"\n")

        def emit(i: int, msg: str, changed: dict[str, bytes]) -> None:
            when = START + 3600 * i
            for p, c in changed.items():
                self.content[p] = c
                self.blobs[p] = blob_id(c)
            body = commit_bytes(tree_id(self.blobs), self.parent, when, msg)
            sha = commit_id(body)
            out.write(b"commit refs/heads/main\nmark :%d\n" % (i + 1))
            ident = f"{NAME} <{EMAIL}> {when} +0000".encode()
            out.write(b"author " + ident + b"\ncommitter " + ident + b"\n")
            data(msg.encode())
            if i == 0:
                out.write(b"deleteall\n")
            for p, c in changed.items():
                out.write(b"M 100644 inline " + p.encode() + b"\n")
                data(c)
            out.write(b"\n")
            for p in changed if i > 0 else ():
                if p.startswith("environments/"):
                    env = p.split("/")[1]
                    if env == "production":
                        self.last_prod = (self.parent, p, old_content[p])
                    self.last_sha[env] = sha
            self.parent = sha

        old_content: dict[str, bytes] = {}
        emit(0, "Initial configuration from the template\n", dict(self.content))
        for i in range(1, commits + 1):
            msg, path, new = self.next_commit(i)
            if new == self.content[path]:
                raise GenError(f"commit {i} would not change {path}")
            old_content = {path: self.content[path]}
            emit(i, msg, {path: new})
        out.write(b"done\n")
        return self.parent


def run(cmd: list[str], cwd: Path, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=cwd, check=True, **kw)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dir", type=Path)
    ap.add_argument("--commits", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    root = a.dir.resolve()
    if (root / ".git").exists():
        raise GenError(f"{root} already has a .git")
    t0 = time.monotonic()
    hist = History(root, a.seed)
    env = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull)
    run(["git", "init", "-q", "--object-format=sha1", "-b", "main", str(root)], root, env=env)
    fi = subprocess.Popen(["git", "fast-import", "--quiet", "--done"], cwd=root, env=env,
                          stdin=subprocess.PIPE)
    try:
        expected = hist.stream(a.commits, fi.stdin)
        fi.stdin.close()
    except BaseException:
        fi.kill()
        raise
    if fi.wait() != 0:
        raise GenError("git fast-import failed")
    head = run(["git", "rev-parse", "main"], root, env=env, capture_output=True,
               text=True).stdout.strip()
    if head != expected:
        raise GenError(f"main is {head}, the computed id is {expected}: messages name wrong ids")
    run(["git", "checkout", "-q", "-f", "main"], root, env=env)
    run(["git", "reset", "-q", "--hard", "main"], root, env=env)
    s = hist.stats
    print(f"{root}: {a.commits + 1} commits, HEAD {head[:12]}, "
          f"{s['promote']} promotions, {s['rollback']} rollbacks, "
          f"{s['value']} value changes, {s['revision']} revision comments; ordinary commits per "
          f"area: {hist.touched}; {time.monotonic() - t0:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (GenError, subprocess.CalledProcessError, OSError) as e:
        print(f"gen-history-repo: {e}", file=sys.stderr)
        sys.exit(2)
