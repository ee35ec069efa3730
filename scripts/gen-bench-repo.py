#!/usr/bin/env python3
"""Generate a large, deterministic configuration repository for the validation benchmark.

    scripts/gen-bench-repo.py OUT_DIR [--files 10000] [--invalid-rate 0.01] [--seed 1]
                              [--template DIR] [--force] [--no-git]

The repository has the shape of config-repo-template/: the whole template is copied unchanged
(schemas/, its development/staging/production environments, the layer fragments under global/,
services/ and tenants/, secret files, hooks), and generated environments env-0001 ... env-NNNN
are added, each with the documents of the template's production or staging environment
(alternately) with varied values: replicas (keeping autoscaling min_replicas <= replicas <=
max_replicas), ports, and hosts, URLs and origins rewritten to name the generated environment.
--files counts the documents that a [[schema]] mapping matches, template ones included; a
remainder smaller than one environment is filled with copies of the template's layer fragments
(services/bench-fill-NN/...). cfgctl.toml is the template's, with `[repo] environments` listing
the template's environments and then the generated ones; its [[schema]] mappings (including
the production policy, which thus applies to the real production environment only), [rules]
and everything else are kept verbatim. The result is committed once, with a fixed date, so the
same arguments give the same commit id.

About --invalid-rate of the files are made invalid, all in generated environments:
schema violations (out-of-range number, value outside an enum, wrong type, missing required
key, unexpected property), each chosen from the schema so that exactly one rule breaks, and a
handful of files that do not parse at all (YAML with broken indentation, unterminated JSON,
an unterminated TOML string).

Besides the repository it writes OUT_DIR/.bench/ (git-ignored, never committed):
  manifest.json     every file, which are invalid and how, and per [[schema]] mapping the
                    files it matches, the parseable ones, and ready-made inputs for the
                    peer tools ("peer": schema, ajv --spec, -r and -d lists)
  peer-schemas/     copies of schemas/ for the peer tools: partial/ without `required`
                    (for mappings with partial = true) and ajv/<draft>/ copies of referenced
                    schemas whose $schema is rewritten to the referencing schema's draft
                    (ajv-cli cannot load a schema of another draft into the same instance)
  toml-as-json/     every parseable TOML document converted to JSON (ajv-cli reads JSON and
                    YAML only; it would run a .toml file through Node's require())
  staged/           five alternative, still valid, versions of existing files for the
                    `validate --staged` measurement

Python 3.11 standard library only. Reading the template's YAML uses a small parser for the
block-style subset configuration files use (mappings, sequences, plain and quoted scalars,
flow collections of scalars, block scalars); anchors, aliases and tags are refused.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path, PurePosixPath

SCRIPT_DIR = Path(__file__).resolve().parent
DEFAULT_TEMPLATE = SCRIPT_DIR.parent / "config-repo-template"
LAYER_DIRS = ("global", "services", "tenants")
FIXED_DATE = "2026-01-01T00:00:00+00:00"


class GenError(Exception):
    pass


# ----------------------------------------------------------------------------------------------
# YAML subset reader

_YAML_INT = re.compile(r"[-+]?[0-9]+$")
_YAML_OCT = re.compile(r"0o[0-7]+$")
_YAML_HEX = re.compile(r"0x[0-9a-fA-F]+$")
_YAML_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")


def _strip_comment(s: str) -> str:
    """Removes a trailing ` # comment` that is outside quotes."""
    quote = None
    i = 0
    while i < len(s):
        c = s[i]
        if quote:
            if quote == '"' and c == "\\":
                i += 2
                continue
            if c == quote:
                if quote == "'" and i + 1 < len(s) and s[i + 1] == "'":
                    i += 2
                    continue
                quote = None
        elif c in "'\"" and (i == 0 or s[i - 1] in " [{,:-"):
            quote = c
        elif c == "#" and (i == 0 or s[i - 1] in " \t"):
            return s[:i].rstrip()
        i += 1
    return s.rstrip()


def _split_key(content: str):
    """Splits `key: rest` (outside quotes); returns (key, rest) or None."""
    if content[0] in "'\"":
        q = content[0]
        j = 1
        while j < len(content):
            if content[j] == "\\" and q == '"':
                j += 2
                continue
            if content[j] == q:
                if q == "'" and j + 1 < len(content) and content[j + 1] == "'":
                    j += 2
                    continue
                break
            j += 1
        key_text = content[: j + 1]
        after = content[j + 1 :]
        if after == ":" or after.startswith(": "):
            return _yaml_scalar(key_text), after[1:].strip()
        return None
    m = re.match(r"([^:#\[\]{},][^:]*?|[^:#\[\]{},]?):( |$)", content)
    if not m:
        # keys may contain ':' not followed by a space, e.g. urls; search for ': ' or final ':'
        idx = content.find(": ")
        if idx <= 0:
            if content.endswith(":"):
                idx = len(content) - 1
            else:
                return None
        return content[:idx].strip(), content[idx + 1 :].strip()
    return m.group(1).strip(), content[m.end() :].strip()


def _yaml_scalar(text: str):
    t = text.strip()
    if not t:
        return None
    if t[0] in "&*!":
        raise GenError(f"YAML anchors, aliases and tags are not supported in the template: {t!r}")
    if t[0] == '"':
        if not t.endswith('"') or len(t) < 2:
            raise GenError(f"unterminated double-quoted scalar: {t!r}")
        return json.loads(t)
    if t[0] == "'":
        if not t.endswith("'") or len(t) < 2:
            raise GenError(f"unterminated single-quoted scalar: {t!r}")
        return t[1:-1].replace("''", "'")
    if t[0] in "[{":
        value, rest = _yaml_flow(t, 0)
        if t[rest:].strip():
            raise GenError(f"trailing text after flow collection: {t!r}")
        return value
    if t in ("null", "Null", "NULL", "~"):
        return None
    if t in ("true", "True", "TRUE"):
        return True
    if t in ("false", "False", "FALSE"):
        return False
    if _YAML_INT.match(t):
        return int(t)
    if _YAML_OCT.match(t):
        return int(t[2:], 8)
    if _YAML_HEX.match(t):
        return int(t[2:], 16)
    if _YAML_FLOAT.match(t) and any(ch.isdigit() for ch in t):
        return float(t)
    if t in (".inf", ".Inf", ".INF", "+.inf"):
        return float("inf")
    if t in ("-.inf", "-.Inf", "-.INF"):
        return float("-inf")
    if t in (".nan", ".NaN", ".NAN"):
        return float("nan")
    return t


def _yaml_flow(t: str, i: int):
    """Parses a flow collection of scalars starting at t[i]; returns (value, end index)."""
    opener = t[i]
    closer = "]" if opener == "[" else "}"
    items: list = []
    obj: dict = {}
    i += 1
    while True:
        while i < len(t) and t[i] == " ":
            i += 1
        if i >= len(t):
            raise GenError(f"unterminated flow collection: {t!r}")
        if t[i] == closer:
            return (items if opener == "[" else obj), i + 1
        # one entry
        if t[i] in "[{":
            val, i = _yaml_flow(t, i)
            entry_key, entry = None, val
        else:
            j = i
            quote = None
            while j < len(t):
                c = t[j]
                if quote:
                    if c == quote:
                        quote = None
                elif c in "'\"":
                    quote = c
                elif c in ",]}" or (c == ":" and opener == "{" and (j + 1 < len(t) and t[j + 1] == " ")):
                    break
                j += 1
            token = t[i:j]
            i = j
            entry_key = None
            if opener == "{" and i < len(t) and t[i] == ":":
                entry_key = _yaml_scalar(token)
                i += 1
                while t[i] == " ":
                    i += 1
                if t[i] in "[{":
                    entry, i = _yaml_flow(t, i)
                else:
                    j = i
                    quote = None
                    while j < len(t):
                        c = t[j]
                        if quote:
                            if c == quote:
                                quote = None
                        elif c in "'\"":
                            quote = c
                        elif c in ",}":
                            break
                        j += 1
                    entry = _yaml_scalar(t[i:j])
                    i = j
            else:
                entry = _yaml_scalar(token)
        if opener == "[":
            items.append(entry)
        else:
            if entry_key is None:
                raise GenError(f"flow mapping entry without a key: {t!r}")
            obj[entry_key] = entry
        while i < len(t) and t[i] == " ":
            i += 1
        if i < len(t) and t[i] == ",":
            i += 1


def parse_yaml(text: str, where: str):
    raw = text.splitlines()
    lines = []  # [indent, content, raw index]
    for idx, line in enumerate(raw):
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or stripped == "---":
            continue
        if stripped == "...":
            break
        if line[: len(line) - len(line.lstrip())].count("\t"):
            raise GenError(f"{where}:{idx + 1}: tab in indentation")
        indent = len(line) - len(line.lstrip(" "))
        lines.append([indent, _strip_comment(line.strip()), idx])
    pos = 0

    def is_seq(k):
        c = lines[k][1]
        return c == "-" or c.startswith("- ")

    def block_scalar(header: str, k: int, parent_indent: int):
        # consumes raw lines after lines[k] that are more indented than parent_indent (or blank)
        start_raw = lines[k][2] + 1
        body = []
        r = start_raw
        while r < len(raw):
            line = raw[r]
            if line.strip() and (len(line) - len(line.lstrip(" "))) <= parent_indent:
                break
            body.append(line)
            r += 1
        while body and not body[-1].strip():
            body.pop()
        ind = min((len(b) - len(b.lstrip(" ")) for b in body if b.strip()), default=0)
        body = [b[ind:] for b in body]
        if header.startswith("|"):
            value = "\n".join(body)
        else:
            value = " ".join(b.strip() for b in body)
        if not header.endswith("-"):
            value += "\n"
        # skip meaningful lines inside the block
        nk = k + 1
        while nk < len(lines) and lines[nk][2] < r:
            nk += 1
        return value, nk

    def parse_block(k, ind):
        if is_seq(k):
            return parse_seq(k, ind)
        return parse_map(k, ind)

    def parse_value(rest, k, ind):
        if rest in ("|", "|-", "|+", ">", ">-", ">+"):
            return block_scalar(rest, k, ind)
        if rest == "":
            if k + 1 < len(lines) and (lines[k + 1][0] > ind or (lines[k + 1][0] == ind and is_seq(k + 1))):
                return parse_block(k + 1, lines[k + 1][0])
            return None, k + 1
        return _yaml_scalar(rest), k + 1

    def parse_map(k, ind):
        out = {}
        while k < len(lines) and lines[k][0] == ind and not is_seq(k):
            kv = _split_key(lines[k][1])
            if kv is None:
                raise GenError(f"{where}:{lines[k][2] + 1}: expected `key: value`")
            key, rest = kv
            if key in out:
                raise GenError(f"{where}:{lines[k][2] + 1}: duplicate key {key!r}")
            out[key], k = parse_value(rest, k, ind)
        if k < len(lines) and lines[k][0] > ind:
            raise GenError(f"{where}:{lines[k][2] + 1}: unexpected indentation")
        return out, k

    def parse_seq(k, ind):
        out = []
        while k < len(lines) and lines[k][0] == ind and is_seq(k):
            content = lines[k][1]
            rest = content[1:].lstrip()
            if rest == "":
                if k + 1 < len(lines) and lines[k + 1][0] > ind:
                    val, k = parse_block(k + 1, lines[k + 1][0])
                else:
                    val, k = None, k + 1
            elif rest.startswith("- ") or (
                rest[0] not in "'\"[{" and _split_key(rest) is not None and not rest.startswith("${")
            ) or (rest[0] in "'\"" and _split_key(rest) is not None):
                # an inline mapping or nested sequence starting on the dash line
                new_ind = ind + (len(content) - len(rest))
                lines[k] = [new_ind, rest, lines[k][2]]
                val, k = parse_block(k, new_ind)
            else:
                val, k = _yaml_scalar(rest), k + 1
            out.append(val)
        return out, k

    if not lines:
        return None
    value, pos = parse_block(0, lines[0][0])
    if pos != len(lines):
        raise GenError(f"{where}:{lines[pos][2] + 1}: could not read line (unsupported YAML?)")
    return value


def leading_comments(text: str) -> list[str]:
    out = []
    for line in text.splitlines():
        if line.startswith("#"):
            out.append(line)
        elif line.strip() in ("", "---"):
            if out:
                out.append("")
            continue
        else:
            break
    while out and out[-1] == "":
        out.pop()
    return out


# ----------------------------------------------------------------------------------------------
# Writers

_YAML_RESERVED = {
    "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", "",
}
_PLAIN_SAFE = re.compile(r"[A-Za-z_/$][A-Za-z0-9_./:@$%{}()+=,~-]*( [A-Za-z0-9_./:@$%{}()+=,~-]+)*$")


def yaml_str(s: str) -> str:
    if (
        _PLAIN_SAFE.match(s)
        and s.lower() not in _YAML_RESERVED
        and ": " not in s
        and " #" not in s
        and not s.endswith(":")
        and not re.match(r"[0-9.+-]", s)
    ):
        return s
    return json.dumps(s, ensure_ascii=False)


def yaml_scalar_text(v) -> str:
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if v != v:
            return ".nan"
        if v in (float("inf"), float("-inf")):
            return ".inf" if v > 0 else "-.inf"
        r = repr(v)
        return r if ("." in r or "e" in r) else r + ".0"
    if isinstance(v, str):
        return yaml_str(v)
    if isinstance(v, dict) and not v:
        return "{}"
    if isinstance(v, list) and not v:
        return "[]"
    raise GenError(f"cannot write {v!r} as a YAML scalar")


def emit_yaml(obj, indent: int = 0) -> list[str]:
    pad = " " * indent
    out: list[str] = []
    if isinstance(obj, dict) and obj:
        for k, v in obj.items():
            key = yaml_str(str(k))
            if isinstance(v, dict) and v:
                out.append(f"{pad}{key}:")
                out.extend(emit_yaml(v, indent + 2))
            elif isinstance(v, list) and v:
                out.append(f"{pad}{key}:")
                out.extend(emit_yaml(v, indent + 2))
            else:
                out.append(f"{pad}{key}: {yaml_scalar_text(v)}")
    elif isinstance(obj, list) and obj:
        for item in obj:
            if (isinstance(item, dict) or isinstance(item, list)) and item:
                sub = emit_yaml(item, indent + 2)
                sub[0] = f"{pad}- " + sub[0][indent + 2 :]
                out.extend(sub)
            else:
                out.append(f"{pad}- {yaml_scalar_text(item)}")
    else:
        out.append(pad + yaml_scalar_text(obj))
    return out


def toml_key(k: str) -> str:
    return k if re.fullmatch(r"[A-Za-z0-9_-]+", k) else json.dumps(k, ensure_ascii=False)


def toml_value(v) -> str:
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if v != v:
            return "nan"
        if v in (float("inf"), float("-inf")):
            return "inf" if v > 0 else "-inf"
        r = repr(v)
        return r if ("." in r or "e" in r) else r + ".0"
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{toml_key(k)} = {toml_value(x)}" for k, x in v.items()) + " }"
    if hasattr(v, "isoformat"):
        return v.isoformat()
    if v is None:
        raise GenError("TOML has no null")
    raise GenError(f"cannot write {v!r} as TOML")


def _is_aot(v) -> bool:
    return isinstance(v, list) and bool(v) and all(isinstance(x, dict) for x in v)


def emit_toml(obj: dict) -> list[str]:
    out: list[str] = []

    def table(d: dict, prefix: list[str], header: str | None):
        scalars = [(k, v) for k, v in d.items() if not isinstance(v, dict) and not _is_aot(v)]
        subs = [(k, v) for k, v in d.items() if isinstance(v, dict) or _is_aot(v)]
        if header is not None and (scalars or not subs or header.startswith("[[")):
            if out:
                out.append("")
            out.append(header)
        for k, v in scalars:
            out.append(f"{toml_key(k)} = {toml_value(v)}")
        for k, v in subs:
            path = prefix + [toml_key(k)]
            if isinstance(v, dict):
                table(v, path, "[" + ".".join(path) + "]")
            else:
                for item in v:
                    table(item, path, "[[" + ".".join(path) + "]]")

    table(obj, [], None)
    return out


def to_jsonable(v):
    if isinstance(v, dict):
        return {k: to_jsonable(x) for k, x in v.items()}
    if isinstance(v, list):
        return [to_jsonable(x) for x in v]
    if hasattr(v, "isoformat") and not isinstance(v, (str, int, float, bool)):
        return v.isoformat()
    return v


# ----------------------------------------------------------------------------------------------
# Documents

def fmt_of(path: str) -> str | None:
    ext = PurePosixPath(path).suffix.lower()
    return {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".toml": "toml"}.get(ext)


def read_doc(path: Path, fmt: str):
    text = path.read_text(encoding="utf-8")
    if fmt == "json":
        return json.loads(text), []
    if fmt == "toml":
        return tomllib.loads(text), leading_comments(text)
    return parse_yaml(text, str(path)), leading_comments(text)


def write_doc(obj, fmt: str, comments: list[str]) -> str:
    if fmt == "json":
        return json.dumps(obj, indent=2, ensure_ascii=False) + "\n"
    body = emit_toml(obj) if fmt == "toml" else emit_yaml(obj)
    head = comments + [""] if comments else []
    return "\n".join(head + body) + "\n"


def break_doc(text: str, fmt: str) -> tuple[str, str]:
    """Returns (text that does not parse, description)."""
    lines = text.split("\n")
    if fmt == "json":
        cut = text.rstrip()
        assert cut.endswith("}")
        return cut[:-1].rstrip().rstrip(",") + "\n", "unterminated JSON object (closing brace removed)"
    if fmt == "toml":
        for i, line in enumerate(lines):
            m = re.match(r'^([A-Za-z0-9_-]+ = ")([^"\\]*)"$', line)
            if m:
                lines[i] = m.group(1) + m.group(2)
                return "\n".join(lines), f"unterminated TOML string on line {i + 1}"
        raise GenError("no TOML string line to break")
    # YAML: a sibling `key: value` line indented one space deeper than the previous scalar
    # entry, which every YAML parser rejects ("mapping values are not allowed here").
    for i in range(1, len(lines)):
        prev, cur = lines[i - 1], lines[i]
        pi = len(prev) - len(prev.lstrip(" "))
        ci = len(cur) - len(cur.lstrip(" "))
        if (
            pi == ci
            and pi > 0
            and re.match(r"\s*[A-Za-z0-9_]+: \S", prev)
            and re.match(r"\s*[A-Za-z0-9_]+: \S", cur)
            and not prev.lstrip().startswith("- ")
        ):
            lines[i] = " " + cur
            return "\n".join(lines), f"broken YAML indentation on line {i + 1}"
    raise GenError("no YAML line pair to break")


# ----------------------------------------------------------------------------------------------
# Schemas

class Schemas:
    """Loads schema files and answers 'which constraints apply at this instance path'."""

    def __init__(self, root: Path):
        self.root = root
        self.files: dict[str, dict] = {}
        self.by_id: dict[str, str] = {}
        for p in sorted(root.rglob("*.json")):
            rel = p.relative_to(root.parent).as_posix()
            data = json.loads(p.read_text(encoding="utf-8"))
            self.files[rel] = data
            if isinstance(data, dict) and isinstance(data.get("$id"), str):
                self.by_id[data["$id"].split("#")[0]] = rel

    def draft(self, rel: str) -> str:
        s = str(self.files[rel].get("$schema", ""))
        if "draft-07" in s or "draft-06" in s or "draft-04" in s:
            return "draft7"
        if "2019-09" in s:
            return "draft2019"
        return "draft2020"

    def resolve_ref(self, rel: str, ref: str):
        """Returns (file rel, subschema) for a $ref found in schema file `rel`."""
        target, _, frag = ref.partition("#")
        if target:
            if "://" in target:
                tfile = self.by_id.get(target)
                if tfile is None:
                    raise GenError(f"{rel}: $ref {ref!r} names no local schema")
            else:
                tfile = (PurePosixPath(rel).parent / target).as_posix()
                tfile = os.path.normpath(tfile).replace(os.sep, "/")
                if tfile not in self.files:
                    raise GenError(f"{rel}: $ref {ref!r} names no file ({tfile})")
        else:
            tfile = rel
        node = self.files[tfile]
        if frag:
            if not frag.startswith("/"):
                raise GenError(f"{rel}: anchors in $ref are not supported here: {ref!r}")
            for part in frag[1:].split("/"):
                part = part.replace("~1", "/").replace("~0", "~")
                node = node[int(part)] if isinstance(node, list) else node[part]
        return tfile, node

    def external_refs(self, rel: str) -> list[str]:
        """Schema files that `rel` references, transitively, in a stable order."""
        seen: list[str] = []

        def walk(file_rel, node):
            if isinstance(node, dict):
                for k, v in node.items():
                    if k == "$ref" and isinstance(v, str) and not v.startswith("#"):
                        tfile, _ = self.resolve_ref(file_rel, v.split("#")[0] + "#")
                        if tfile != rel and tfile not in seen:
                            seen.append(tfile)
                            walk(tfile, self.files[tfile])
                    else:
                        walk(file_rel, v)
            elif isinstance(node, list):
                for v in node:
                    walk(file_rel, v)

        walk(rel, self.files[rel])
        return seen

    # -- constraint lookup -------------------------------------------------------------------

    def expand(self, ctx: list) -> tuple[list, bool]:
        """Follows $ref and allOf; returns (list of (file, schema) that definitely apply, uncertain)."""
        out = []
        uncertain = False
        stack = list(ctx)
        guard = 0
        while stack:
            guard += 1
            if guard > 1000:
                raise GenError("schema expansion does not terminate")
            f, s = stack.pop(0)
            if s is True or s == {}:
                continue
            if s is False:
                uncertain = True
                continue
            if not isinstance(s, dict):
                continue
            out.append((f, s))
            if "$ref" in s:
                stack.append(self.resolve_ref(f, s["$ref"]))
            for sub in s.get("allOf", []):
                stack.append((f, sub))
            if any(k in s for k in ("anyOf", "oneOf", "if", "not", "$dynamicRef", "$recursiveRef",
                                    "dependentSchemas", "dependencies", "unevaluatedProperties")):
                uncertain = True
        return out, uncertain

    def child(self, ctx: list, key) -> tuple[list, bool]:
        parts, uncertain = self.expand(ctx)
        out = []
        for f, s in parts:
            if isinstance(key, int):
                if isinstance(s.get("prefixItems"), list):
                    uncertain = True
                items = s.get("items")
                if isinstance(items, dict):
                    out.append((f, items))
                elif isinstance(items, list):
                    uncertain = True
            else:
                props = s.get("properties", {})
                matched = False
                if key in props:
                    out.append((f, props[key]))
                    matched = True
                for pat, sub in s.get("patternProperties", {}).items():
                    if re.search(pat, key):
                        out.append((f, sub))
                        matched = True
                if not matched and isinstance(s.get("additionalProperties"), dict):
                    out.append((f, s["additionalProperties"]))
        return out, uncertain

    def info(self, ctx: list) -> dict:
        parts, uncertain = self.expand(ctx)
        info: dict = {"uncertain": uncertain, "types": None, "enum": None, "const": False,
                      "minimum": None, "maximum": None, "patterns": [], "required": [],
                      "closed": False, "known_keys": set(), "key_patterns": []}
        for _, s in parts:
            t = s.get("type")
            if t is not None:
                ts = set(t if isinstance(t, list) else [t])
                info["types"] = ts if info["types"] is None else info["types"] & ts
            if "enum" in s:
                info["enum"] = list(s["enum"])
            if "const" in s:
                info["const"] = True
            for k in ("minimum", "exclusiveMinimum"):
                if isinstance(s.get(k), (int, float)) and not isinstance(s.get(k), bool):
                    v = s[k] + (1 if k.startswith("exclusive") else 0)
                    info["minimum"] = v if info["minimum"] is None else max(info["minimum"], v)
            for k in ("maximum", "exclusiveMaximum"):
                if isinstance(s.get(k), (int, float)) and not isinstance(s.get(k), bool):
                    v = s[k] - (1 if k.startswith("exclusive") else 0)
                    info["maximum"] = v if info["maximum"] is None else min(info["maximum"], v)
            if isinstance(s.get("pattern"), str):
                info["patterns"].append(s["pattern"])
            if isinstance(s.get("required"), list):
                info["required"].extend(x for x in s["required"] if x not in info["required"])
            if s.get("additionalProperties") is False:
                info["closed"] = True
            info["known_keys"].update(s.get("properties", {}).keys())
            info["key_patterns"].extend(s.get("patternProperties", {}).keys())
            if any(k in s for k in ("minLength", "maxLength", "format", "multipleOf", "minItems",
                                    "maxItems", "uniqueItems", "minProperties", "maxProperties",
                                    "propertyNames", "contains")):
                info.setdefault("other", True)
        return info


# ----------------------------------------------------------------------------------------------
# Globs (globset semantics with literal separators: `*` stays inside one path segment)

def glob_to_regex(g: str) -> re.Pattern:
    out = []
    i = 0
    while i < len(g):
        if g.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif g.startswith("/**", i) and i + 3 == len(g):
            out.append("/.*")
            i += 3
        elif g.startswith("**", i):
            out.append(".*")
            i += 2
        elif g[i] == "*":
            out.append("[^/]*")
            i += 1
        elif g[i] == "?":
            out.append("[^/]")
            i += 1
        elif g[i] == "{":
            j = g.index("}", i)
            alts = g[i + 1 : j].split(",")
            out.append("(?:" + "|".join(glob_to_regex(a).pattern[:-2] for a in alts) + ")")
            i = j + 1
        elif g[i] == "[":
            j = g.index("]", i + 1)
            cls = g[i + 1 : j]
            if cls.startswith("!"):
                cls = "^" + cls[1:]
            out.append("[" + cls + "]")
            i = j + 1
        else:
            out.append(re.escape(g[i]))
            i += 1
    return re.compile("".join(out) + r"\Z")


# ----------------------------------------------------------------------------------------------
# Variation and mutation

PORT_KEYS = re.compile(r"(^|_)port$")
REPLICA_KEYS = ("replicas", "min_replicas", "max_replicas")


def leaves(obj, path=()):
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from leaves(v, path + (k,))
        if not obj:
            yield path, obj
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from leaves(v, path + (i,))
        if not obj:
            yield path, obj
    else:
        yield path, obj


def mappings(obj, path=()):
    if isinstance(obj, dict):
        yield path, obj
        for k, v in obj.items():
            yield from mappings(v, path + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from mappings(v, path + (i,))


def get_at(obj, path):
    for p in path:
        obj = obj[p]
    return obj


def set_at(obj, path, value):
    get_at(obj, path[:-1])[path[-1]] = value


def path_str(path) -> str:
    return ".".join(str(p) for p in path) or "(root)"


class DocModel:
    """One template document with its schema contexts, for one (base env, document) pair."""

    def __init__(self, schemas: Schemas, schema_rels: list[str], obj, comments, fmt, base_env):
        self.schemas = schemas
        self.roots = [(rel, schemas.files[rel]) for rel in schema_rels]
        self.obj = obj
        self.comments = comments
        self.fmt = fmt
        self.base_env = base_env
        self._ctx_cache: dict = {}

    def ctx(self, path) -> tuple[list, bool]:
        if path in self._ctx_cache:
            return self._ctx_cache[path]
        if not path:
            res = (list(self.roots), False)
        else:
            parent, unc = self.ctx(path[:-1])
            sub, unc2 = self.schemas.child(parent, path[-1])
            res = (sub, unc or unc2)
        self._ctx_cache[path] = res
        return res

    def info(self, path) -> dict:
        if ("info", path) in self._ctx_cache:
            return self._ctx_cache[("info", path)]
        ctx, unc = self.ctx(path)
        inf = self.schemas.info(ctx)
        inf["uncertain"] = inf["uncertain"] or unc
        self._ctx_cache[("info", path)] = inf
        return inf


def _pattern_ok(patterns: list[str], s: str) -> bool:
    for p in patterns:
        try:
            if not re.search(p, s):
                return False
        except re.error:
            return False
    return True


ENV_TOKENS = {"production": ("production", "prod"), "staging": ("staging", "stage", "stg"),
              "development": ("development", "dev")}
_URL = re.compile(r"^(?P<scheme>[a-z][a-z0-9+.-]*://)(?P<user>[^@/]*@)?(?P<host>[a-z0-9.-]+)(?P<rest>(:[0-9]+)?([/?#].*)?)$")
_HOST = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$")


def vary_host(host: str, base: str, env: str) -> str:
    """Names the generated environment in a host: replaces an environment token (a label or
    a hyphen-separated part of one, e.g. pg-primary.prod.internal, ledger.payments-staging.internal)
    or, for *.example.com hosts without one, adds a label (app.example.com -> app.env-0042.example.com)."""
    tokens = ENV_TOKENS.get(base, (base,))
    labels = host.split(".")
    changed = False
    for i, label in enumerate(labels):
        parts = label.split("-")
        for j, part in enumerate(parts):
            if part in tokens:
                parts[j] = env
                changed = True
        labels[i] = "-".join(parts)
    if changed:
        return ".".join(labels)
    if host.endswith(".example.com") and not host.startswith("registry."):
        return ".".join(labels[:-2] + [env] + labels[-2:])
    return host


def vary_string(val: str, base: str, env: str) -> str:
    m = _URL.match(val)
    if m:
        host = vary_host(m.group("host"), base, env)
        return f"{m.group('scheme')}{m.group('user') or ''}{host}{m.group('rest')}"
    if _HOST.match(val):
        return vary_host(val, base, env)
    return val


def vary(model: DocModel, env: str, rng: random.Random):
    """Returns a copy of the model's document with varied but valid values: hosts, URLs and
    origins name the generated environment, ports move (the same old port becomes the same
    new port everywhere in the document), replica counts change within the autoscaling bounds."""
    obj = copy.deepcopy(model.obj)
    base = model.base_env
    port_map: dict[int, int] = {}
    for path, val in list(leaves(obj)):
        if not path:
            continue
        key = path[-1] if isinstance(path[-1], str) else (path[-2] if len(path) > 1 else "")
        if isinstance(val, str):
            if val.startswith("${"):
                continue
            new = vary_string(val, base, env)
            if new == val:
                continue
            inf = model.info(path)
            if inf["enum"] is not None or inf["const"]:
                continue
            if _pattern_ok(inf["patterns"], new):
                set_at(obj, path, new)
        elif isinstance(val, int) and not isinstance(val, bool) and isinstance(key, str) and PORT_KEYS.search(key):
            inf = model.info(path)
            if inf["enum"] is not None or inf["const"] or val < 1024:
                continue
            lo = max(inf["minimum"] if inf["minimum"] is not None else 1, 1024)
            hi = min(inf["maximum"] if inf["maximum"] is not None else 65535, 65535)
            if lo <= hi:
                if val not in port_map:
                    port_map[val] = rng.randint(lo, hi)
                set_at(obj, path, port_map[val])
    # replicas: keep min_replicas <= replicas <= max_replicas, wherever the bounds sit (next to
    # replicas or one level down, e.g. autoscaling.min_replicas), each within its schema bounds
    for path, m in list(mappings(obj)):
        if not isinstance(m.get("replicas"), int) or isinstance(m.get("replicas"), bool):
            continue
        holders = {}
        for k in ("min_replicas", "max_replicas"):
            if k in m:
                holders[k] = (m, path)
            else:
                for ck, cv in m.items():
                    if isinstance(cv, dict) and k in cv:
                        holders[k] = (cv, path + (ck,))
                        break
        bounds = {}
        ok = True
        for k, (holder, hpath) in [("replicas", (m, path))] + list(holders.items()):
            v = holder[k]
            if not isinstance(v, int) or isinstance(v, bool):
                ok = False
                break
            inf = model.info(hpath + (k,))
            if inf["enum"] is not None or inf["const"]:
                ok = False
                break
            bounds[k] = (inf["minimum"] if inf["minimum"] is not None else 0,
                         inf["maximum"] if inf["maximum"] is not None else 1000)
        if not ok:
            continue
        cur = m["replicas"]
        lo, hi = bounds["replicas"]
        lo = max(lo, 1 if cur >= 1 else 0, bounds.get("min_replicas", (0, 0))[0])
        hi = min(hi, max(cur * 3, cur + 4), bounds.get("max_replicas", (0, 10**9))[1])
        if lo > hi:
            continue
        r = rng.randint(lo, hi)
        m["replicas"] = r
        if "min_replicas" in holders:
            holder, _ = holders["min_replicas"]
            mlo, mhi = bounds["min_replicas"]
            holder["min_replicas"] = max(mlo, min(mhi, r - rng.randint(0, 2), r))
        if "max_replicas" in holders:
            holder, _ = holders["max_replicas"]
            xlo, xhi = bounds["max_replicas"]
            holder["max_replicas"] = min(xhi, max(xlo, r + rng.randint(0, 3 * r + 2), r))
    return obj


def staged_edit(model: DocModel, obj):
    """A small valid edit for the --staged measurement: the first plain integer setting (not a
    replica count or port) that can grow by one within its schema bounds grows by one."""
    obj = copy.deepcopy(obj)
    for path, val in leaves(obj):
        if not path or not isinstance(val, int) or isinstance(val, bool):
            continue
        key = path[-1] if isinstance(path[-1], str) else ""
        if not key or "replicas" in key or PORT_KEYS.search(key):
            continue
        inf = model.info(path)
        if inf["uncertain"] or inf["enum"] is not None or inf["const"] or inf.get("other"):
            continue
        if inf["maximum"] is None or val + 1 <= inf["maximum"]:
            set_at(obj, path, val + 1)
            return obj, f"{path_str(path)}: {val} -> {val + 1}"
    return None, None


BOGUS_KEY = "bench_unexpected_setting"


def mutation_candidates(model: DocModel, obj) -> dict[str, list]:
    """Single-rule schema violations that can be applied to `obj` (a valid document)."""
    cands: dict[str, list] = {k: [] for k in
                              ("out_of_range", "bad_enum", "wrong_type", "missing_required", "extra_property")}
    for path, val in leaves(obj):
        if not path or isinstance(val, (dict, list)):
            continue
        inf = model.info(path)
        if inf["uncertain"]:
            continue
        key = path[-1]
        if isinstance(val, int) and not isinstance(val, bool) and inf["enum"] is None and not inf["const"]:
            if inf["maximum"] is not None:
                bad = 70000 if (isinstance(key, str) and PORT_KEYS.search(key) and inf["maximum"] < 70000) \
                    else int(inf["maximum"]) + 1
                cands["out_of_range"].append((path, bad, f"{path_str(path)} = {bad} (maximum {inf['maximum']})"))
            elif inf["minimum"] is not None:
                bad = int(inf["minimum"]) - 1
                cands["out_of_range"].append((path, bad, f"{path_str(path)} = {bad} (minimum {inf['minimum']})"))
        if inf["enum"] is not None and all(isinstance(e, str) for e in inf["enum"]) and isinstance(val, str):
            bad = "bench-not-an-option"
            cands["bad_enum"].append((path, bad, f"{path_str(path)} = {bad!r} (enum {inf['enum']})"))
        types = inf["types"]
        if types and inf["enum"] is None and not inf["const"]:
            if types <= {"integer", "number"} and isinstance(val, (int, float)) and not isinstance(val, bool):
                bad = "eleven"
                cands["wrong_type"].append((path, bad, f"{path_str(path)} = {bad!r} (type {sorted(types)})"))
            elif types == {"boolean"} and isinstance(val, bool):
                bad = "maybe"
                cands["wrong_type"].append((path, bad, f"{path_str(path)} = {bad!r} (type boolean)"))
            elif types == {"string"} and isinstance(val, str) and not val.startswith("${"):
                bad = 12345
                cands["wrong_type"].append((path, bad, f"{path_str(path)} = {bad} (type string)"))
    for path, m in mappings(obj):
        inf = model.info(path)
        if inf["uncertain"]:
            continue
        for req in inf["required"]:
            if req in m:
                cands["missing_required"].append((path + (req,), None, f"required key {path_str(path + (req,))} removed"))
        if inf["closed"] and BOGUS_KEY not in inf["known_keys"] and not any(
            re.search(p, BOGUS_KEY) for p in inf["key_patterns"]
        ):
            cands["extra_property"].append((path + (BOGUS_KEY,), True,
                                            f"unexpected key {path_str(path + (BOGUS_KEY,))} added"))
    return cands


def apply_mutation(obj, kind, cand):
    obj = copy.deepcopy(obj)
    path, value, _ = cand
    if kind == "missing_required":
        del get_at(obj, path[:-1])[path[-1]]
    else:
        set_at(obj, path, value)
    return obj


# ----------------------------------------------------------------------------------------------
# Main

def strip_required(node):
    """A copy of a schema without `required` (what partial = true ignores)."""
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if k == "required" and isinstance(v, list):
                continue
            if k in ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas"):
                out[k] = {pk: strip_required(pv) for pk, pv in v.items()} if isinstance(v, dict) else v
            else:
                out[k] = strip_required(v)
        return out
    if isinstance(node, list):
        return [strip_required(v) for v in node]
    return node


def write(path: Path, text: str):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def environments_line(envs: list[str]) -> str:
    lines = ["environments = ["]
    row = "    "
    for e in envs:
        item = json.dumps(e) + ", "
        if len(row) + len(item) > 100:
            lines.append(row.rstrip())
            row = "    "
        row += item
    if row.strip():
        lines.append(row.rstrip().rstrip(","))
    lines.append("]")
    return "\n".join(lines)


def rewrite_cfgctl_toml(text: str, envs: list[str]) -> str:
    """Replaces the value of `environments` in [repo], keeping everything else verbatim."""
    out = []
    in_repo = False
    skipping = False
    depth = 0
    replaced = False
    for line in text.splitlines():
        stripped = line.strip()
        if skipping:
            depth += line.count("[") - line.count("]")
            if depth <= 0:
                skipping = False
            continue
        if re.match(r"\[\[?[^\]]+\]\]?", stripped) and not stripped.startswith("environments"):
            in_repo = stripped == "[repo]"
        if in_repo and re.match(r"environments\s*=", stripped):
            value = stripped.split("=", 1)[1]
            comment = ""
            m = re.search(r"\]\s*(#.*)$", value)
            if m:
                comment = "  " + m.group(1)
            depth = value.split("#")[0].count("[") - value.split("#")[0].count("]")
            skipping = depth > 0
            out.append(f"# {len(envs)} environments: the template's own plus the generated env-NNNN{comment.replace('  #', ';')}")
            out.append(environments_line(envs))
            replaced = True
            continue
        out.append(line)
    if not replaced:
        raise GenError("cfgctl.toml: no `environments = [...]` in [repo]")
    result = "\n".join(out) + "\n"
    parsed = tomllib.loads(result)
    if parsed["repo"]["environments"] != envs:
        raise GenError("cfgctl.toml: rewriting environments failed")
    return result


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--files", type=int, default=10000, help="documents matched by [[schema]] (default 10000)")
    ap.add_argument("--invalid-rate", type=float, default=0.01, help="share of invalid files (default 0.01)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--template", type=Path, default=DEFAULT_TEMPLATE)
    ap.add_argument("--force", action="store_true", help="replace OUT_DIR if it exists")
    ap.add_argument("--no-git", action="store_true", help="skip git init and commit")
    args = ap.parse_args(argv)

    tpl: Path = args.template.resolve()
    out: Path = args.out_dir.resolve()
    if not (tpl / "cfgctl.toml").is_file() or not (tpl / "schemas").is_dir():
        raise GenError(f"template not found or incomplete: {tpl} (needs cfgctl.toml and schemas/)")
    if out.exists() and any(out.iterdir()):
        if not args.force:
            raise GenError(f"{out} exists and is not empty (use --force to replace it)")
        shutil.rmtree(out)
    rng = random.Random(args.seed)

    cfg_text = (tpl / "cfgctl.toml").read_text(encoding="utf-8")
    cfg = tomllib.loads(cfg_text)
    tpl_envs = list(cfg.get("repo", {}).get("environments", []))
    entries = cfg.get("schema", [])
    if not entries:
        raise GenError("template cfgctl.toml has no [[schema]] entries")
    for e in entries:
        e["_res"] = [glob_to_regex(g) for g in e["files"]]

    def entries_for(rel: str) -> list[int]:
        return [i for i, e in enumerate(entries) if any(r.match(rel) for r in e["_res"])]

    schemas = Schemas(tpl / "schemas")
    for e in entries:
        if e["schema"] not in schemas.files:
            raise GenError(f"cfgctl.toml names {e['schema']}, which is not under schemas/")

    # 1. The whole template is copied verbatim (its environments, layer fragments, secret
    #    files, hooks); `copied` are the copied documents that a [[schema]] mapping matches.
    tpl_files = sorted(p.relative_to(tpl).as_posix() for p in tpl.rglob("*")
                       if p.is_file() and ".git" not in p.relative_to(tpl).parts)
    copied = [rel for rel in tpl_files if fmt_of(rel) and entries_for(rel)]
    # 2. Base environments for the generated ones: production and staging (or whatever exists).
    base_envs = [e for e in ("production", "staging") if (tpl / "environments" / e).is_dir()]
    if not base_envs:
        base_envs = [p.name for p in sorted((tpl / "environments").iterdir()) if p.is_dir()][:1]
    if not base_envs:
        raise GenError("template has no environments/<env>/ directory")
    base_docs: dict[str, list[str]] = {}
    models: dict[tuple[str, str], DocModel] = {}
    for be in base_envs:
        names = []
        for p in sorted((tpl / "environments" / be).rglob("*")):
            if not p.is_file():
                continue
            name = p.relative_to(tpl / "environments" / be).as_posix()
            fmt = fmt_of(name)
            probe = f"environments/env-0001/{name}"
            ids = [i for i in entries_for(probe) if not entries[i].get("partial")]
            if not fmt or not ids:
                continue
            obj, comments = read_doc(p, fmt)
            comments = ["# {env}: generated by scripts/gen-bench-repo.py from "
                        f"environments/{be}/{name}; the template's notes follow.", "#"] + comments
            models[(be, name)] = DocModel(schemas, [entries[i]["schema"] for i in ids], obj, comments, fmt, be)
            names.append(name)
        base_docs[be] = names
    docs_per_env = len(base_docs[base_envs[0]])
    if any(len(v) != docs_per_env for v in base_docs.values()):
        raise GenError(f"base environments hold different document sets: {base_docs}")

    remaining = args.files - len(copied)
    n_envs = max(1, remaining // docs_per_env)
    n_fill = max(0, remaining - n_envs * docs_per_env)
    width = max(4, len(str(n_envs)))
    gen_envs = [f"env-{i:0{width}d}" for i in range(1, n_envs + 1)]
    all_envs = tpl_envs + [e for e in gen_envs if e not in tpl_envs]

    # Fill the remainder (fewer than one environment's worth) with copies of layer fragments.
    fragment_srcs = [c for c in copied if c.split("/")[0] in LAYER_DIRS]
    fill: list[tuple[str, str]] = []  # (dest, src)
    for i in range(n_fill):
        if not fragment_srcs:
            break
        src = fragment_srcs[i % len(fragment_srcs)]
        parts = src.split("/")
        if parts[0] == "global":
            dest = f"services/bench-fill-{i + 1:02d}/{'/'.join(parts[1:])}"
        else:
            dest = f"{parts[0]}/bench-fill-{i + 1:02d}/{'/'.join(parts[2:])}"
        if entries_for(dest):
            fill.append((dest, src))

    # 3. Write the repository.
    out.mkdir(parents=True, exist_ok=True)
    for rel in tpl_files:
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(tpl / rel, out / rel)
    write(out / "cfgctl.toml", rewrite_cfgctl_toml(cfg_text, all_envs))
    gitignore = (tpl / ".gitignore").read_text(encoding="utf-8") if (tpl / ".gitignore").is_file() else ""
    write(out / ".gitignore", gitignore + ("" if not gitignore or gitignore.endswith("\n") else "\n") + ".bench/\n")
    write(out / "README.md",
          "# cfgctl benchmark repository\n\n"
          f"Generated by `scripts/gen-bench-repo.py` (seed {args.seed}, --files {args.files}, "
          f"--invalid-rate {args.invalid_rate}) from `config-repo-template/`. "
          "About 1% of the documents are invalid on purpose; `.bench/manifest.json` lists them.\n")
    files: dict[str, dict] = {}
    for rel in copied:
        files[rel] = {"origin": "template"}
    for dest, src in fill:
        (out / dest).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(tpl / src, out / dest)
        files[dest] = {"origin": f"copy of {src}"}

    n_total = len(files) + n_envs * docs_per_env
    n_invalid = min(n_envs * docs_per_env, round(n_total * args.invalid_rate))
    n_broken = 0 if n_invalid < 4 else max(3, round(n_invalid * 0.05))
    gen_slots = [(env, name) for env in gen_envs for name in base_docs[base_envs[0]]]
    invalid_slots = set(rng.sample(range(len(gen_slots)), n_invalid))
    broken_order = sorted(invalid_slots)
    rng.shuffle(broken_order)
    # Unparseable files: alternate YAML, JSON, TOML, YAML, ... where such documents exist.
    broken: set[int] = set()
    want_fmt = ["yaml", "json", "toml", "yaml"]
    for k in range(n_broken):
        pref = want_fmt[k % len(want_fmt)]
        pick = next((s for s in broken_order if s not in broken and fmt_of(gen_slots[s][1]) == pref), None)
        if pick is None:
            pick = next((s for s in broken_order if s not in broken), None)
        if pick is not None:
            broken.add(pick)
    kinds = ["out_of_range", "bad_enum", "wrong_type", "missing_required", "extra_property"]
    kind_weights = [3, 2, 2, 2, 2]

    env_base = {env: base_envs[i % len(base_envs)] for i, env in enumerate(gen_envs)}
    staged_pick: list[tuple[str, str, str]] = []
    staged_names = list(base_docs[base_envs[0]])
    for slot, (env, name) in enumerate(gen_slots):
        be = env_base[env]
        model = models[(be, name)]
        obj = vary(model, env, rng)
        comments = [c.replace("{env}", env) for c in model.comments]
        rel = f"environments/{env}/{name}"
        meta: dict = {"origin": f"generated from environments/{be}/{name}"}
        if slot in broken:
            text, how = break_doc(write_doc(obj, model.fmt, comments), model.fmt)
            meta.update(invalid="unparseable", detail=how)
        elif slot in invalid_slots:
            cands = mutation_candidates(model, obj)
            order = rng.choices(kinds, weights=kind_weights, k=1) + [k for k in kinds]
            kind = next((k for k in order if cands[k]), None)
            if kind is None:
                raise GenError(f"no schema violation can be made in {rel}")
            pool = cands[kind]
            if kind == "out_of_range":  # prefer ports: "port 70000" is the classic mistake
                pool = [c for c in pool if isinstance(c[0][-1], str) and PORT_KEYS.search(c[0][-1])] or pool
            cand = rng.choice(pool)
            obj = apply_mutation(obj, kind, cand)
            text = write_doc(obj, model.fmt, comments)
            meta.update(invalid=kind, detail=cand[2])
        else:
            text = write_doc(obj, model.fmt, comments)
            # five valid files, one of each document, in five environments spread over the
            # repository, get an edited (still valid) version for the --staged measurement
            if staged_names and name == staged_names[0] and slot >= (len(staged_pick) + 1) * len(gen_slots) // 7:
                alt, how = staged_edit(model, obj)
                if alt is not None:
                    staged_pick.append((rel, write_doc(alt, model.fmt, comments), how))
                    staged_names.pop(0)
        write(out / rel, text)
        files[rel] = meta

    # 4. Manifest and peer inputs.
    bench = out / ".bench"
    bench.mkdir(exist_ok=True)
    peer_root = bench / "peer-schemas"
    for rel, data in schemas.files.items():
        write(peer_root / "partial" / rel, json.dumps(strip_required(data), indent=2) + "\n")

    def ajv_ref_copy(ref_rel: str, draft: str, partial: bool) -> str:
        src = schemas.files[ref_rel]
        if partial:
            src = strip_required(src)
        if schemas.draft(ref_rel) == draft:
            return (f".bench/peer-schemas/partial/{ref_rel}" if partial else ref_rel)
        meta_uri = {"draft7": "http://json-schema.org/draft-07/schema#",
                    "draft2019": "https://json-schema.org/draft/2019-09/schema",
                    "draft2020": "https://json-schema.org/draft/2020-12/schema"}[draft]
        data = dict(src)
        data["$schema"] = meta_uri
        sub = "ajv-partial" if partial else "ajv"
        dest = f".bench/peer-schemas/{sub}/{draft}/{ref_rel}"
        write(out / dest, json.dumps(data, indent=2) + "\n")
        return dest

    toml_json: dict[str, str] = {}
    for rel in sorted(files):
        meta = files[rel]
        meta["format"] = fmt_of(rel)
        meta["parseable"] = meta.get("invalid") != "unparseable"
        meta["schemas"] = [entries[i]["schema"] for i in entries_for(rel)]
        if meta["format"] == "toml" and meta["parseable"]:
            data = tomllib.loads((out / rel).read_text(encoding="utf-8"))
            dest = f".bench/toml-as-json/{rel}.json"
            write(out / dest, json.dumps(to_jsonable(data), indent=2) + "\n")
            toml_json[rel] = dest

    checks = []
    for i, e in enumerate(entries):
        matched = sorted(rel for rel in files if i in entries_for(rel))
        parseable = [rel for rel in matched if files[rel]["parseable"]]
        partial = bool(e.get("partial"))
        rel = e["schema"]
        draft = schemas.draft(rel)
        refs = schemas.external_refs(rel)
        peer_schema = f".bench/peer-schemas/partial/{rel}" if partial else rel
        checks.append({
            "index": i,
            "schema": rel,
            "globs": e["files"],
            "partial": partial,
            "severity": e.get("severity", "error"),
            "draft": draft,
            "refs": refs,
            "files": matched,
            "parseable_files": parseable,
            "peer": {
                "schema": peer_schema,
                "ajv_spec": draft,
                "ajv_refs": [ajv_ref_copy(r, draft, partial) for r in refs],
                "ajv_data": [toml_json.get(f, f) for f in parseable],
            },
        })
    staged_files = []
    for rel, alt_text, how in staged_pick[:5]:
        dest = f".bench/staged/{rel}"
        write(out / dest, alt_text)
        staged_files.append({"path": rel, "replacement": dest, "change": how})

    invalid = {rel: {"kind": m["invalid"], "detail": m["detail"]} for rel, m in sorted(files.items()) if "invalid" in m}
    manifest = {
        "generator": "scripts/gen-bench-repo.py",
        "seed": args.seed,
        "requested_files": args.files,
        "invalid_rate": args.invalid_rate,
        "template": str(tpl),
        "environments": {"total": len(all_envs), "template": tpl_envs, "generated": len(gen_envs),
                         "first": gen_envs[0], "last": gen_envs[-1]},
        "documents_per_environment": base_docs[base_envs[0]],
        "counts": {
            "files": len(files),
            "invalid": len(invalid),
            "unparseable": sum(1 for v in invalid.values() if v["kind"] == "unparseable"),
            "schema_invalid": sum(1 for v in invalid.values() if v["kind"] != "unparseable"),
            "by_kind": {k: sum(1 for v in invalid.values() if v["kind"] == k)
                        for k in kinds + ["unparseable"]},
            "by_format": {f: sum(1 for m in files.values() if m["format"] == f) for f in ("yaml", "json", "toml")},
            "file_schema_pairs": sum(len(c["files"]) for c in checks),
        },
        "invalid": invalid,
        "checks": checks,
        "staged": staged_files,
        "files": {rel: {k: v for k, v in m.items() if k != "detail"} for rel, m in sorted(files.items())},
    }
    write(bench / "manifest.json", json.dumps(manifest, indent=1) + "\n")

    # 5. git init + one commit with a fixed date (same inputs, same commit id).
    if not args.no_git:
        env = dict(os.environ, GIT_AUTHOR_DATE=FIXED_DATE, GIT_COMMITTER_DATE=FIXED_DATE)
        ident = ["-c", "user.name=bench", "-c", "user.email=bench@example.com", "-c", "commit.gpgsign=false"]
        subprocess.run(["git", "init", "-q", "-b", "main", str(out)], check=True)
        subprocess.run(["git", "-C", str(out), "add", "-A"], check=True)
        subprocess.run(["git", *ident, "-C", str(out), "commit", "-q", "-m",
                        f"bench repository: {len(files)} files, {len(invalid)} invalid (seed {args.seed})"],
                       check=True, env=env)

    c = manifest["counts"]
    print(f"wrote {out}: {c['files']} files ({c['by_format']}), {len(all_envs)} environments "
          f"({len(gen_envs)} generated), {c['invalid']} invalid ({c['schema_invalid']} schema, "
          f"{c['unparseable']} unparseable), {c['file_schema_pairs']} file/schema pairs")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except GenError as err:
        print(f"gen-bench-repo: error: {err}", file=sys.stderr)
        sys.exit(2)
