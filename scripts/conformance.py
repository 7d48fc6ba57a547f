#!/usr/bin/env python3
"""Runs the Compose conformance corpus against `stack config` and prints a report.

Usage: scripts/conformance.py [--stack PATH] [--corpus DIR] [--strict] [--summary-only]
                              [--verbose] [--filter REGEX] [--jobs N]

The corpus (a sibling `shared/conformance` folder by default) describes its formats in its own
README.md. Every case runs the CLI as a subprocess with a controlled environment
(PATH, HOME and the case's variables only), reads the normalized model as JSON
(`config --format json`) and compares it, as data, with the case's expectation. Inputs that
need writing (wrapped snippets, env files) go to a temporary directory; the corpus itself is
only read.

Output: one line per case (`PASS group/case` or `FAIL group/case: reason`), per-group
subtotals, then `conformance: N passed, M failed[, K skipped]`. Exit status is 0 unless
`--strict` is given and something failed.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

import yaml

# --------------------------------------------------------------------------------------------
# Outcomes and cases
# --------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    """The verdict on one case: `status` is PASS, FAIL or SKIP."""

    status: str
    reason: str = ""
    details: list = field(default_factory=list)


def passed(note: str = "", details: Optional[list] = None) -> Outcome:
    return Outcome("PASS", note, details or [])


def failed(reason: str, details: Optional[list] = None) -> Outcome:
    return Outcome("FAIL", reason, details or [])


@dataclass
class Case:
    group: str
    name: str
    run: Callable[[], Outcome]

    @property
    def label(self) -> str:
        return f"{self.group}/{self.name}"


class Missing:
    """Marks a key or index that does not exist in the actual model."""

    def __repr__(self) -> str:
        return "<missing>"


MISSING = Missing()

# --------------------------------------------------------------------------------------------
# Running the CLI
# --------------------------------------------------------------------------------------------


@dataclass
class StackRun:
    rc: int
    stdout: str
    stderr: str
    tree: Any = None
    bad_json: str = ""

    @property
    def message(self) -> str:
        """The error line the CLI printed (first `error:` line, else the last stderr line)."""
        lines = [line.strip() for line in self.stderr.splitlines() if line.strip()]
        chosen = next((line for line in lines if line.startswith("error:")),
                      lines[-1] if lines else "(no message)")
        for prefix in STRIP_PREFIXES:
            chosen = chosen.replace(prefix, "")
        return chosen

    @property
    def warnings(self) -> list:
        return [line for line in self.stderr.splitlines() if line.startswith("warning:")]


STRIP_PREFIXES: list = []  # directory prefixes (corpus, scratch root) cut from messages


class Runner:
    """Knows where the binary is and how to call it with a clean environment."""

    def __init__(self, stack: str, tmp_root: str, timeout: float = 30.0):
        self.stack = stack
        self.tmp_root = tmp_root
        self.home = os.path.join(tmp_root, "home")
        os.makedirs(self.home, exist_ok=True)
        self.path = "/usr/local/bin:/usr/bin:/bin"
        self.timeout = timeout
        self._counter = 0
        self._lock = threading.Lock()
        self._flags: dict = {}

    def supports(self, flag: str) -> bool:
        """Whether `stack config --help` lists `flag` (checked once per flag)."""
        with self._lock:
            if flag not in self._flags:
                try:
                    proc = subprocess.run([self.stack, "config", "--help"], capture_output=True,
                                          env={"PATH": self.path, "HOME": self.home},
                                          timeout=self.timeout)
                    text = (proc.stdout + proc.stderr).decode("utf-8", "replace")
                except (OSError, subprocess.TimeoutExpired):
                    text = ""
                self._flags[flag] = flag in text
            return self._flags[flag]

    def scratch(self, name: str = "case") -> str:
        """A fresh directory under the run's temporary root; `name` is its basename."""
        with self._lock:
            self._counter += 1
            parent = os.path.join(self.tmp_root, f"c{self._counter}")
        path = os.path.join(parent, name)
        os.makedirs(path)
        return path

    def config(self, files=(), cwd=".", env=None, project=None, env_files=(), extra=(),
               profiles=()) -> StackRun:
        cmd = [self.stack]
        for f in files:
            cmd += ["-f", f]
        for profile in profiles:
            cmd.append(f"--profile={profile}")
        if project is not None:
            cmd.append(f"--project-name={project}")
        for f in env_files:
            cmd.append(f"--env-file={f}")
        cmd += ["config", "--format", "json", *extra]
        full_env = {"PATH": self.path, "HOME": self.home}
        full_env.update({k: str(v) for k, v in (env or {}).items()})
        try:
            proc = subprocess.run(cmd, cwd=cwd, env=full_env, capture_output=True,
                                  timeout=self.timeout)
        except subprocess.TimeoutExpired:
            return StackRun(-1, "", f"error: timed out after {self.timeout:.0f} s")
        except OSError as error:
            return StackRun(-1, "", f"error: cannot run {self.stack}: {error}")
        out = proc.stdout.decode("utf-8", "replace")
        err = proc.stderr.decode("utf-8", "replace")
        run = StackRun(proc.returncode, out, err)
        if proc.returncode == 0:
            try:
                run.tree = json.loads(out) if out.strip() else {}
            except json.JSONDecodeError as error:
                run.bad_json = f"output is not JSON ({error})"
        return run


# --------------------------------------------------------------------------------------------
# Value helpers: durations, byte sizes, placeholders, short rendering
# --------------------------------------------------------------------------------------------

_DURATION_UNITS = {"ns": 1, "us": 1_000, "µs": 1_000, "μs": 1_000, "ms": 1_000_000,
                   "s": 1_000_000_000, "m": 60_000_000_000, "h": 3_600_000_000_000}
_DURATION_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)")


def parse_duration(value: Any) -> Optional[int]:
    """Go duration text ("1m30s", "10000ms") to nanoseconds; None when it is not one."""
    if not isinstance(value, str) or not value:
        return None
    text, sign = value, 1
    if text[0] in "+-":
        sign = -1 if text[0] == "-" else 1
        text = text[1:]
    if text == "0":
        return 0
    pos, total = 0, 0.0
    while pos < len(text):
        match = _DURATION_PART.match(text, pos)
        if not match:
            return None
        total += float(match.group(1)) * _DURATION_UNITS[match.group(2)]
        pos = match.end()
    return sign * int(round(total)) if pos else None


_BYTE_UNITS = {"": 1, "b": 1, "k": 1024, "kb": 1024, "m": 1024 ** 2, "mb": 1024 ** 2,
               "g": 1024 ** 3, "gb": 1024 ** 3, "t": 1024 ** 4, "tb": 1024 ** 4}


def parse_bytes(value: Any) -> Optional[int]:
    """Docker byte size ("2gb", "512m", 1024, "1024") to an int; None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if not isinstance(value, str):
        return None
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*", value)
    if not match or match.group(2).lower() not in _BYTE_UNITS:
        return None
    return int(float(match.group(1)) * _BYTE_UNITS[match.group(2).lower()])


def substitute(value: Any, table: dict) -> Any:
    """Replaces placeholders (`${WORKING_DIR}`, `<project>`...) in every string of a tree."""
    if isinstance(value, str):
        for key, replacement in table.items():
            value = value.replace(key, replacement)
        return value
    if isinstance(value, dict):
        return {substitute(k, table): substitute(v, table) for k, v in value.items()}
    if isinstance(value, list):
        return [substitute(v, table) for v in value]
    return value


def short(value: Any, limit: int = 70) -> str:
    if value is MISSING:
        return "<missing>"
    try:
        text = json.dumps(value, ensure_ascii=False, sort_keys=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def one_line(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def normalize_project_name(name: str) -> str:
    """Compose's rule for a directory-derived project name."""
    name = re.sub(r"[^a-z0-9_-]", "", name.lower())
    return re.sub(r"^[^a-z0-9]+", "", name)


# --------------------------------------------------------------------------------------------
# Expectation paths: a.b[0].c, environment["ENV.WITH.DOT"], with |len |absent |present ...
# --------------------------------------------------------------------------------------------

_OPS = ("len", "absent", "present", "absent_or_false")
_TOKEN = re.compile(r'\.?(?:\["((?:[^"\\]|\\.)*)"\]|\[(\d+)\]|([^.\[\]]+))')


def parse_path(expr: str):
    """`services.foo.ports[0].published|absent` -> (['services','foo','ports',0,'published'], 'absent')."""
    op = None
    if "|" in expr:
        head, _, tail = expr.rpartition("|")
        if tail in _OPS:
            expr, op = head, tail
    tokens, pos = [], 0
    while pos < len(expr):
        match = _TOKEN.match(expr, pos)
        if not match or match.end() == pos:
            raise ValueError(f"bad expectation path {expr!r}")
        quoted, index, key = match.groups()
        if quoted is not None:
            tokens.append(quoted.replace('\\"', '"'))
        elif index is not None:
            tokens.append(int(index))
        else:
            tokens.append(key)
        pos = match.end()
    return tokens, op


def render_path(tokens) -> str:
    out = ""
    for token in tokens:
        if isinstance(token, int):
            out += f"[{token}]"
        elif "." in token or "[" in token:
            out += f'["{token}"]'
        else:
            out += ("." if out else "") + token
    return out


def lookup(tree: Any, tokens) -> Any:
    node = tree
    for token in tokens:
        if isinstance(token, int):
            if not isinstance(node, list) or token >= len(node):
                return MISSING
            node = node[token]
        else:
            if not isinstance(node, dict) or token not in node:
                return MISSING
            node = node[token]
    return node


# --------------------------------------------------------------------------------------------
# Data comparison with the tolerances the corpus README asks for
# --------------------------------------------------------------------------------------------

DURATION_KEYS = {"interval", "timeout", "start_period", "start_interval", "stop_grace_period",
                 "delay", "monitor", "window"}
BYTE_KEYS = {"memory", "shm_size", "size", "mem_limit", "mem_reservation", "memswap_limit",
             "mem_swappiness_bytes"}
STRINGISH_KEYS = {"published", "uid", "gid"}
KV_KEYS = {"environment", "labels", "args", "annotations", "sysctls", "extra_hosts",
           "driver_opts", "options", "additional_contexts", "storage_opt", "ssh"}


@dataclass
class Compare:
    """How tolerant a comparison is. `bases` resolve relative expected paths."""

    bases: list = field(default_factory=list)
    home: str = ""
    lenient: bool = False  # whole-model compare: expected empty/null may be absent in actual
    exact: bool = False  # both sides come from the CLI: no normalization extras tolerated


def _is_empty(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return value is None or value == {} or value == []


def _last_key(tokens) -> Optional[str]:
    for token in reversed(tokens):
        if isinstance(token, str):
            return token
    return None


def _tolerated_extra(tokens, key: str, value: Any, cmp: "Compare") -> bool:
    """Keys normalization adds that an expectation written against compose-go may not list."""
    if cmp.exact:
        return False
    if value is False or (isinstance(value, (dict, list)) and not value):
        return True
    depth = len(tokens)
    if cmp.lenient:
        # The full example's expected.json is an older compose-go marshalling: it drops x-
        # extensions below the top level, `required: true` of env_file entries, and
        # `create_host_path: true` of short-syntax binds (the newer volume-short-syntax table
        # expects that one).
        if key.startswith("x-") and depth > 0:
            return True
        if key == "required" and value is True and depth == 4 and tokens[2] == "env_file":
            return True
        if key == "create_host_path" and value is True and tokens[-1:] == ["bind"]:
            return True
    if depth == 2 and tokens[0] in ("networks", "volumes", "secrets", "configs") and key == "name":
        return True
    if tokens == ["networks"] and key == "default":
        return True
    if depth == 0 and key == "networks" and isinstance(value, dict) and list(value) == ["default"]:
        return True
    if depth == 2 and tokens[0] == "services" and key == "networks" and value == {"default": None}:
        return True
    if depth == 3 and tokens[0] == "services" and tokens[2] == "networks" and key == "default" \
            and value is None:
        return True
    if depth == 3 and tokens[0] == "services" and tokens[2] == "build" and key == "dockerfile" \
            and value == "Dockerfile":
        return True
    return False


def _strip_annotation(text: str) -> str:
    """`testdata/extends (relative to this file; ...)` -> `testdata/extends`."""
    match = re.fullmatch(r"(\S+) \(.*\)", text, flags=re.S)
    return match.group(1) if match else text


def _paths_match(expected: str, actual: str, cmp: Compare) -> bool:
    expected = _strip_annotation(expected)
    if expected == actual:
        return True
    if not os.path.isabs(actual):
        return False
    if expected == "~" or expected.startswith("~/"):
        return os.path.normpath(cmp.home + expected[1:]) == os.path.normpath(actual)
    if os.path.isabs(expected):
        return os.path.normpath(expected) == os.path.normpath(actual)
    return any(os.path.normpath(os.path.join(base, expected)) == os.path.normpath(actual)
               for base in cmp.bases)


def _to_mode(value: Any) -> Optional[int]:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"0?[0-7]+", value):
        return int(value, 8)
    return None


def scalars_equal(expected: Any, actual: Any, key: Optional[str], cmp: Compare) -> bool:
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(expected) is type(actual) and expected == actual
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float)):
        if expected == actual:
            return True
    elif type(expected) is type(actual) and expected == actual:
        return True
    if expected is None or actual is None:
        return False
    if key in STRINGISH_KEYS and str(expected) == str(actual):
        return True
    if key == "mode":
        a, b = _to_mode(expected), _to_mode(actual)
        if a is not None and a == b:
            return True
    if key in DURATION_KEYS or (isinstance(expected, str) and isinstance(actual, str)):
        a, b = parse_duration(expected), parse_duration(actual)
        if a is not None and a == b:
            return True
    if key in BYTE_KEYS:
        a, b = parse_bytes(expected), parse_bytes(actual)
        if a is not None and a == b:
            return True
    if isinstance(expected, str) and isinstance(actual, str):
        return _paths_match(expected, actual, cmp)
    return False


def _kv_pairs(value: Any, key: str):
    """A mapping or a `K=V` list as (key, value) pairs; None when it is neither."""
    pairs = []
    if isinstance(value, dict):
        for k, v in value.items():
            if isinstance(v, list):
                pairs += [(str(k), None if e is None else str(e)) for e in v]
            else:
                pairs.append((str(k), None if v is None else _scalar_text(v)))
        return pairs
    if isinstance(value, list):
        for item in value:
            if not isinstance(item, str):
                return None
            if "=" in item:
                k, v = item.split("=", 1)
            elif key == "extra_hosts" and ":" in item:
                k, v = item.split(":", 1)
            else:
                k, v = item, None
            pairs.append((k, v))
        return pairs
    return None


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _kv_equal(expected: Any, actual: Any, key: str) -> Optional[bool]:
    a, b = _kv_pairs(expected, key), _kv_pairs(actual, key)
    if a is None or b is None:
        return None
    if key == "extra_hosts":
        return sorted(a, key=repr) == sorted(b, key=repr)
    return dict(a) == dict(b)


def compare(expected: Any, actual: Any, tokens: list, cmp: Compare) -> list:
    """Differences between expected and actual as (path, expected, actual) triples."""
    key = _last_key(tokens)
    if isinstance(expected, dict) and isinstance(actual, dict):
        diffs = []
        for k, v in expected.items():
            if k not in actual:
                if cmp.lenient and _is_empty(v):
                    continue
                diffs.append((render_path(tokens + [k]), v, MISSING))
            else:
                diffs += compare(v, actual[k], tokens + [k], cmp)
        for k in actual:
            if k not in expected and not _tolerated_extra(tokens, k, actual[k], cmp):
                diffs.append((render_path(tokens + [k]), MISSING, actual[k]))
        if diffs and key in KV_KEYS and _kv_equal(expected, actual, key):
            return []
        return diffs
    if key in KV_KEYS and (isinstance(expected, (dict, list)) and isinstance(actual, (dict, list))):
        verdict = _kv_equal(expected, actual, key)
        if verdict is not None:
            if verdict:
                return []
            if type(expected) is not type(actual):
                return [(render_path(tokens), expected, actual)]
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return [(render_path(tokens), expected, actual)]
        diffs = []
        for i, (e, a) in enumerate(zip(expected, actual)):
            diffs += compare(e, a, tokens + [i], cmp)
        return diffs
    if expected is None and isinstance(actual, dict):
        if all(_tolerated_extra(tokens, k, v, cmp) for k, v in actual.items()):
            return []
        return [(render_path(tokens), expected, actual)]
    if isinstance(expected, (dict, list)) or isinstance(actual, (dict, list)):
        return [(render_path(tokens), expected, actual)]
    if scalars_equal(expected, actual, key, cmp):
        return []
    return [(render_path(tokens), expected, actual)]


def check_expectations(expect: dict, tree: Any, cmp: Compare) -> list:
    """Evaluates an `expect:` block; returns human-readable mismatch strings."""
    problems = []
    for expr, expected in expect.items():
        try:
            tokens, op = parse_path(str(expr))
        except ValueError as error:
            problems.append(str(error))
            continue
        actual = lookup(tree, tokens)
        shown = render_path(tokens)
        if op in ("absent", "absent_or_false") and tokens[:1] == ["services"] \
                and len(tokens) > 2 and lookup(tree, tokens[:2]) is MISSING:
            problems.append(f"{shown}|{op}: the service {render_path(tokens[:2])} is missing")
        elif op == "absent":
            if (actual is MISSING) != bool(expected):
                problems.append(f"{shown}: expected {'absent' if expected else 'present'}, "
                                f"got {short(actual)}")
        elif op == "present":
            if (actual is not MISSING) != bool(expected):
                problems.append(f"{shown}: expected {'present' if expected else 'absent'}, "
                                f"got {short(actual)}")
        elif op == "absent_or_false":
            ok = actual is MISSING or actual is False or actual is None
            if ok != bool(expected):
                problems.append(f"{shown}: expected absent or false, got {short(actual)}")
        elif op == "len":
            if actual is MISSING:
                if len(tokens) > 1 and lookup(tree, tokens[:-1]) is MISSING:
                    problems.append(f"{shown}|len: {render_path(tokens[:-1])} is missing")
                    continue
                size = 0  # a normalized model omits empty lists
            elif isinstance(actual, (list, dict, str)):
                size = len(actual)
            else:
                problems.append(f"{shown}: expected a list of length {expected}, "
                                f"got {short(actual)}")
                continue
            if size != expected:
                problems.append(f"{shown}|len: expected {expected}, got {size}"
                                f" ({short(actual, 60)})")
        else:
            if actual is MISSING:
                problems.append(f"{shown}: missing (expected {short(expected)})")
                continue
            for path, e, a in compare(expected, actual, tokens, cmp):
                problems.append(f"{path}: expected {short(e)}, got {short(a)}")
    return problems


# --------------------------------------------------------------------------------------------
# Shared verdicts
# --------------------------------------------------------------------------------------------


def expect_rejection(run: StackRun, wording: Optional[str] = None, extra: str = "") -> Outcome:
    """A case that must fail with exit status 2; the message is shown, its wording advisory."""
    if run.rc == 2:
        note = f"rejected: {one_line(run.message, 150)}"
        if wording and wording.lower() not in run.stderr.lower():
            note += f"  [compose-go: {one_line(wording, 80)}]"
        return passed(extra + note)
    if run.rc == 0:
        return failed(f"accepted; expected a rejection ({one_line(wording or 'any error', 90)})")
    return failed(f"exit {run.rc} instead of 2: {one_line(run.message, 150)}")


def expect_success(run: StackRun) -> Optional[Outcome]:
    """None when the run loaded; otherwise the failing outcome."""
    if run.rc != 0:
        return failed(f"rejected (exit {run.rc}): {one_line(run.message, 160)}")
    if run.bad_json:
        return failed(run.bad_json)
    return None


def verdict(problems: list, total: int) -> Outcome:
    if not problems:
        return passed()
    head = "; ".join(problems[:3])
    more = f" (+{len(problems) - 3} more)" if len(problems) > 3 else ""
    return failed(f"{len(problems)}/{total} expectations differ: {one_line(head, 300)}{more}",
                  problems)


def load_yaml(path: str) -> Any:
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def write_yaml(path: str, data: Any) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        yaml.safe_dump(data, handle, sort_keys=False, allow_unicode=True, width=10_000)


class TagTolerantLoader(yaml.SafeLoader):
    """Reads compose files with `!reset` / `!override` tags as plain data."""


def _untagged(loader, _suffix, node):
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node, deep=True)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_scalar(node)


TagTolerantLoader.add_multi_constructor("!", _untagged)


def env_file_paths(docs: list) -> list:
    """Every env_file path the services of these documents name."""
    paths = []
    for doc in docs:
        services = doc.get("services") if isinstance(doc, dict) else None
        for service in (services or {}).values():
            entries = service.get("env_file") if isinstance(service, dict) else None
            if isinstance(entries, (str, dict)):
                entries = [entries]
            for entry in entries or []:
                path = entry.get("path") if isinstance(entry, dict) else entry
                if isinstance(path, str) and path:
                    paths.append(path)
    return paths


def consistency_shim(docs: list) -> dict:
    """A stack file that makes raw merge snippets pass the consistency check: an image for
    services with neither image nor build, and declarations for referenced resources."""
    def names(value, key=None):
        if isinstance(value, dict):
            return [str(k) for k in value]
        if isinstance(value, list):
            out = []
            for item in value:
                if isinstance(item, str):
                    out.append(item)
                elif isinstance(item, dict) and key and item.get(key):
                    out.append(str(item[key]))
            return out
        return []

    declared = {kind: set() for kind in ("networks", "volumes", "secrets", "configs")}
    wanted = {kind: set() for kind in declared}
    imageless: dict = {}
    for doc in docs:
        if not isinstance(doc, dict):
            continue
        for kind in declared:
            declared[kind].update(names(doc.get(kind)))
        services = doc.get("services")
        if not isinstance(services, dict):
            continue
        for name, service in services.items():
            if not isinstance(service, dict):
                service = {}
            has_image = "image" in service or "build" in service
            imageless[name] = imageless.get(name, True) and not has_image
            wanted["networks"].update(n for n in names(service.get("networks")) if n != "default")
            wanted["secrets"].update(names(service.get("secrets"), "source"))
            wanted["configs"].update(names(service.get("configs"), "source"))
            for volume in service.get("volumes") or []:
                source = None
                if isinstance(volume, str) and ":" in volume:
                    source = volume.split(":", 1)[0]
                elif isinstance(volume, dict) and volume.get("type", "volume") == "volume":
                    source = volume.get("source")
                if source and not source.startswith(("/", ".", "~", "$")):
                    wanted["volumes"].add(source)
    shim: dict = {}
    services = {name: {"image": "conformance-shim"} for name, bare in imageless.items() if bare}
    if services:
        shim["services"] = services
    for kind in ("networks", "volumes"):
        missing = sorted(wanted[kind] - declared[kind])
        if missing:
            shim[kind] = {n: {} for n in missing}
    for kind in ("secrets", "configs"):
        missing = sorted(wanted[kind] - declared[kind])
        if missing:
            shim[kind] = {n: {"file": "/dev/null"} for n in missing}
    return shim


# --------------------------------------------------------------------------------------------
# The suite: one method per case group
# --------------------------------------------------------------------------------------------


class Suite:
    def __init__(self, corpus: str, runner: Runner):
        self.corpus = corpus
        self.runner = runner
        self.skipped_lines: list = []  # (group, count, line)

    def p(self, *parts: str) -> str:
        return os.path.join(self.corpus, *parts)

    # ----- generic expect.yaml case ---------------------------------------------------------

    def expect_case(self, cwd: str, spec: dict, files=None, env=None) -> Outcome:
        files = files if files is not None else (spec.get("load_files") or spec.get("files")
                                                 or ["compose.yaml"])
        env = spec.get("env") if env is None else env
        run = self.runner.config(files=files, cwd=cwd, env=env or {})
        if "expect_error" in spec:
            return expect_rejection(run, spec.get("expect_error"))
        note = ""
        if run.rc == 2 and self.runner.supports("--no-consistency"):
            # Several inputs were transcribed from compose-go tests that skip the consistency
            # check (e.g. a service without image): compare what the loader builds anyway.
            retry = self.runner.config(files=files, cwd=cwd, env=env or {},
                                       extra=["--no-consistency"])
            if retry.rc == 0:
                note = f"only with --no-consistency ({one_line(run.message, 100)})"
                run = retry
        bad = expect_success(run)
        if bad:
            return bad
        expect = spec.get("expect") or {}
        if not expect:
            return failed("case has neither expect nor expect_error")
        project_dir = os.path.dirname(os.path.join(cwd, files[0])) if files else cwd
        table = {"${WORKING_DIR}": project_dir, "<project>": str(run.tree.get("name", ""))}
        cmp = Compare(bases=[cwd, project_dir], home=self.runner.home)
        problems = check_expectations(substitute(expect, table), run.tree, cmp)
        outcome = verdict(problems, len(expect))
        if note:
            outcome.reason = f"{outcome.reason}; {note}" if outcome.reason else note
        return outcome

    def dir_cases(self, group: str, root: str, skip=()) -> list:
        cases = []
        if not os.path.isdir(root):
            return cases
        for name in sorted(os.listdir(root)):
            spec_path = os.path.join(root, name, "expect.yaml")
            if name in skip or not os.path.isfile(spec_path):
                continue
            spec = load_yaml(spec_path) or {}
            cwd = os.path.join(root, name)
            if "expect_normalized_json" in spec:
                cases.append(Case(group, name, lambda c=cwd, s=spec: self.full_example(c, s)))
            else:
                cases.append(Case(group, name, lambda c=cwd, s=spec: self.expect_case(c, s)))
        return cases

    # ----- parse ----------------------------------------------------------------------------

    def parse_cases(self) -> list:
        return self.dir_cases("parse", self.p("parse"), skip=("invalid", "volume-short-syntax"))

    def full_example(self, cwd: str, spec: dict) -> Outcome:
        home = os.path.join(self.runner.tmp_root, "full-example-home")
        table = {"${WORKING_DIR}": cwd, "${HOME_DIR}": home}
        env = substitute(spec.get("env") or {}, table)
        files = spec.get("files") or ["compose.yaml"]
        # compose-go loaded this file with SkipConsistencyCheck (it has network_mode together
        # with networks, depends_on on absent services...).
        no_consistency = self.runner.supports("--no-consistency")
        run = self.runner.config(files=files, cwd=cwd, env=env,
                                 extra=["--no-consistency"] if no_consistency else [])
        bad = expect_success(run)
        if bad:
            if not no_consistency:
                bad.reason += " (compose-go skipped the consistency check here; " \
                              "stack config has no --no-consistency)"
            return bad
        with open(os.path.join(cwd, spec["expect_normalized_json"]), encoding="utf-8") as handle:
            expected = substitute(json.load(handle), table)
        cmp = Compare(bases=[cwd], home=home, lenient=True)
        diffs = compare(expected, run.tree, [], cmp)
        if not diffs:
            return passed()
        paths = [d[0] for d in diffs]
        shown = ", ".join(paths[:12]) + (f" (+{len(paths) - 12} more)" if len(paths) > 12 else "")
        details = [f"{p}: expected {short(e, 400)}, got {short(a, 400)}" for p, e, a in diffs]
        return failed(f"{len(diffs)} paths differ from expected.json: {shown}", details)

    def invalid_cases(self) -> list:
        root = self.p("parse", "invalid")
        if not os.path.isdir(root):
            return []
        spec = load_yaml(os.path.join(root, "expectations.yaml")) or {}
        entries = list(spec.get("cases") or [])
        listed = {e.get("file") for e in entries}
        for name in sorted(os.listdir(root)):
            if name.endswith((".yaml", ".yml")) and name != "expectations.yaml" \
                    and name not in listed:
                entries.append({"file": name, "expect_error_contains": ""})
        cases = []
        for entry in entries:
            name = entry["file"]
            cases.append(Case("parse/invalid", name, lambda e=entry: self.invalid_case(root, e)))
        return cases

    def invalid_case(self, root: str, entry: dict) -> Outcome:
        stage = entry.get("stage", "?")
        notes = entry.get("notes") or ""
        if "must NOT fail" in notes:
            # A CLI derives the name from the directory, so the file loads; only when no name
            # can be derived (a directory whose name normalizes to nothing) must it be rejected.
            run = self.runner.config(files=[entry["file"]], cwd=root)
            bad = expect_success(run)
            if bad:
                return failed(f"a CLI must derive the project name from the directory: {bad.reason}")
            want = normalize_project_name(os.path.basename(root))
            if run.tree.get("name") != want:
                return failed(f"name: expected {want!r} (directory), got {short(run.tree.get('name'))}")
            scratch = self.runner.scratch("___")
            shutil.copy(os.path.join(root, entry["file"]), scratch)
            run = self.runner.config(files=[entry["file"]], cwd=scratch)
            outcome = expect_rejection(run, entry.get("expect_error_contains"),
                                       extra=f"[{stage}] dir name ok; in dir '___': ")
            if outcome.status == "FAIL":
                outcome.reason = "in a directory named '___' (no derivable name): " + outcome.reason
            return outcome
        run = self.runner.config(files=[entry["file"]], cwd=root)
        return expect_rejection(run, entry.get("expect_error_contains") or None, extra=f"[{stage}] ")

    def volume_cases(self) -> list:
        path = self.p("parse", "volume-short-syntax", "cases.yaml")
        if not os.path.isfile(path):
            return []
        cases = []
        for entry in (load_yaml(path) or {}).get("cases") or []:
            spec = entry.get("spec", "")
            cases.append(Case("parse/volume-short-syntax", f"[{spec}]",
                              lambda e=entry: self.volume_case(e)))
        return cases

    def volume_case(self, entry: dict) -> Outcome:
        work = self.runner.scratch("volumes")
        write_yaml(os.path.join(work, "compose.yaml"), {
            "name": "conformance",
            "services": {"svc": {"image": "busybox", "volumes": [entry.get("spec", "")]}},
            "volumes": {"name": {}},
        })
        run = self.runner.config(files=["compose.yaml"], cwd=work)
        if "expect_error" in entry:
            return expect_rejection(run, entry["expect_error"])
        bad = expect_success(run)
        if bad:
            return bad
        actual = lookup(run.tree, ["services", "svc", "volumes", 0])
        if "expect" not in entry:
            return passed(f"loaded as {short(actual, 100)}") if isinstance(actual, dict) \
                else failed(f"loaded, but services.svc.volumes[0] is {short(actual)}")
        if actual is MISSING:
            return failed(f"services.svc.volumes[0] missing; got {short(lookup(run.tree, ['services', 'svc']))}")
        cmp = Compare(bases=[work], home=self.runner.home)
        diffs = compare(entry["expect"], actual, ["volumes", 0], cmp)
        if not diffs:
            return passed()
        return failed(f"expected {short(entry['expect'], 120)}, got {short(actual, 160)}",
                      [f"{p}: expected {short(e)}, got {short(a)}" for p, e, a in diffs])

    # ----- interpolation --------------------------------------------------------------------

    def template_cases(self) -> list:
        path = self.p("interpolation", "template-cases.json")
        if not os.path.isfile(path):
            return []
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        env = data.get("env") or {}
        cases = []
        for i, entry in enumerate(data.get("cases") or []):
            name = f"{i:02d}-{entry.get('test', 'case')}"
            cases.append(Case("interpolation/template", name,
                              lambda e=entry, v=env: self.template_case(e, v)))
        return cases

    def template_case(self, entry: dict, env: dict) -> Outcome:
        work = self.runner.scratch("template")
        write_yaml(os.path.join(work, "compose.yaml"), {
            "name": "conformance",
            "services": {"svc": {"image": "busybox"}},
            "x-test": entry["template"],
        })
        run = self.runner.config(files=["compose.yaml"], cwd=work, env=env)
        template = short(entry["template"], 50)
        if "expect_error" in entry:
            outcome = expect_rejection(run, entry["expect_error"])
            if outcome.status == "FAIL":
                outcome.reason = f"{template}: {outcome.reason}"
            return outcome
        bad = expect_success(run)
        if bad:
            bad.reason = f"{template}: {bad.reason}"
            return bad
        actual = lookup(run.tree, ["x-test"])
        if actual != entry["expect"] or not isinstance(actual, str):
            return failed(f"{template}: expected {short(entry['expect'])}, got {short(actual)}")
        test = entry.get("test", "")
        if test == "TestLazyDefaultWarnsWhenUsed":
            if not any(re.search(r"\bB\b", w) for w in run.warnings):
                return failed(f"{template}: no warning that B is unset (stderr: "
                              f"{one_line(run.stderr, 80) or 'empty'})")
        if test == "TestLazyDefaultDoesNotWarn":
            noisy = [w for w in run.warnings if re.search(r"\bA\b", w)]
            if noisy:
                return failed(f"{template}: warned about the unused branch: {one_line(noisy[0], 100)}")
        return passed()

    def tree_cases(self) -> list:
        path = self.p("interpolation", "tree-cases.json")
        if not os.path.isfile(path):
            return []
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        cases = []
        for group in data.get("groups") or []:
            for i, entry in enumerate(group.get("cases") or []):
                cases.append(Case("interpolation/tree", f"{group.get('name', 'group')}[{i}]",
                                  lambda e=entry, g=group: self.tree_case(e, g.get("env") or {})))
        return cases

    def tree_case(self, entry: dict, env: dict) -> Outcome:
        tokens = (entry.get("path") or "myservice.environment.TESTVAR").split(".")
        service: dict = {}
        node = service
        for token in tokens[1:-1]:
            node = node.setdefault(token, {})
        node[tokens[-1]] = entry["value"]
        if "image" not in service:
            service["image"] = "busybox"
        work = self.runner.scratch("tree")
        write_yaml(os.path.join(work, "compose.yaml"),
                   {"name": "conformance", "services": {tokens[0]: service}})
        run = self.runner.config(files=["compose.yaml"], cwd=work, env=env)
        value = short(entry["value"], 40)
        if "expect_error" in entry:
            outcome = expect_rejection(run, entry["expect_error"])
            if outcome.status == "FAIL":
                outcome.reason = f"{value}: {outcome.reason}"
            return outcome
        bad = expect_success(run)
        if bad:
            bad.reason = f"{value}: {bad.reason}"
            return bad
        actual = lookup(run.tree, ["services"] + tokens)
        if actual != entry["expect"]:
            return failed(f"{value}: expected {short(entry['expect'])}, got {short(actual)}")
        return passed()

    def cli_cases(self) -> list:
        path = self.p("interpolation", "cli-cases.yaml")
        if not os.path.isfile(path):
            return []
        cases = []
        for entry in (load_yaml(path) or {}).get("cases") or []:
            subs = entry.get("cases")
            if subs:
                for sub in subs:
                    merged = {k: v for k, v in entry.items() if k != "cases"}
                    merged.update(sub)
                    label = sub.get("project_name") or json.dumps(sub.get("process_env") or {})
                    cases.append(Case("interpolation/cli", f"{entry['name']}[{label}]",
                                      lambda e=merged: self.cli_case(e)))
            else:
                cases.append(Case("interpolation/cli", entry["name"],
                                  lambda e=entry: self.cli_case(e)))
        return cases

    def cli_case(self, entry: dict) -> Outcome:
        if entry.get("dir") is None and "dotenv" in entry:
            return self.dotenv_precedence_case(entry)
        cwd = self.p("interpolation", entry["dir"])
        env_files = [os.path.join(cwd, f) for f in entry.get("env_files") or []
                     if "(default" not in f]
        run = self.runner.config(files=entry.get("files") or [], cwd=cwd,
                                 env=entry.get("process_env") or {},
                                 project=entry.get("project_name"), env_files=env_files)
        if "expect_error" in entry:
            return expect_rejection(run, entry["expect_error"])
        bad = expect_success(run)
        if bad:
            return bad
        expect = dict(entry.get("expect") or {})
        problems = []
        name = expect.get("name")
        if isinstance(name, str) and name.startswith("<basename"):
            want = normalize_project_name(os.path.basename(cwd))
            expect.pop("name")
            if run.tree.get("name") != want:
                problems.append(f"name: expected {want!r} (from the directory), "
                                f"got {short(run.tree.get('name'))}")
        compose_files = expect.pop("compose_files", None)
        if compose_files is not None:
            explicit = self.runner.config(files=compose_files, cwd=cwd,
                                          env=entry.get("process_env") or {},
                                          project=entry.get("project_name"), env_files=env_files)
            if explicit.rc != 0:
                problems.append(f"compose_files: -f {' '.join(compose_files)} itself failed: "
                                f"{one_line(explicit.message, 100)}")
            else:
                diffs = compare(explicit.tree, run.tree, [], Compare(bases=[cwd]))
                if diffs:
                    problems.append(f"compose_files: the discovered model differs from "
                                    f"-f {' '.join(compose_files)} at {diffs[0][0]}")
        cmp = Compare(bases=[cwd], home=self.runner.home)
        problems += check_expectations(expect, run.tree, cmp)
        return verdict(problems, len(entry.get("expect") or {}))

    def dotenv_precedence_case(self, entry: dict) -> Outcome:
        work = self.runner.scratch("dotenv")
        with open(os.path.join(work, ".env"), "w", encoding="utf-8") as handle:
            handle.write(entry["dotenv"].rstrip("\n") + "\n")
        keys = list((entry.get("expect_env") or {}).keys())
        write_yaml(os.path.join(work, "compose.yaml"), {
            "name": "conformance",
            "services": {"probe": {"image": "busybox",
                                   "environment": {k: "${" + k + "}" for k in keys}}},
        })
        run = self.runner.config(files=["compose.yaml"], cwd=work,
                                 env=entry.get("process_env") or {})
        bad = expect_success(run)
        if bad:
            return bad
        actual = lookup(run.tree, ["services", "probe", "environment"])
        expect = {f"services.probe.environment.{k}": v
                  for k, v in (entry.get("expect_env") or {}).items()}
        return verdict(check_expectations(expect, run.tree, Compare()), len(expect)) \
            if actual is not MISSING else failed("services.probe.environment missing")

    def dotenv_cases(self) -> list:
        root = self.p("interpolation", "dotenv")
        path = os.path.join(root, "cases.json")
        if not os.path.isfile(path):
            return []
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        cases = []
        for entry in data.get("fixtures") or []:
            cases.append(Case("interpolation/dotenv", f"fixtures/{os.path.basename(entry['file'])}",
                              lambda e=entry: self.dotenv_case(
                                  None, os.path.join(root, e["file"]), e["expect"])))
        for i, entry in enumerate(data.get("lines") or []):
            cases.append(Case("interpolation/dotenv", f"lines[{i}]",
                              lambda e=entry: self.dotenv_case(
                                  e["input"], None, {e["key"]: e["value"]})))
        for i, entry in enumerate(data.get("expansion") or []):
            cases.append(Case("interpolation/dotenv", f"expansion[{i}]",
                              lambda e=entry: self.dotenv_case(e["input"], None, e["expect"])))
        return cases

    def dotenv_case(self, text: Optional[str], file: Optional[str], expect: dict) -> Outcome:
        """The env file reaches the model through a service's env_file: environment == expect."""
        work = self.runner.scratch("dotenv")
        if file is None:
            file = os.path.join(work, "case.env")
            with open(file, "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
        write_yaml(os.path.join(work, "compose.yaml"), {
            "name": "conformance",
            "services": {"probe": {"image": "busybox", "env_file": [file]}},
        })
        run = self.runner.config(files=["compose.yaml"], cwd=work)
        label = short(text, 40) if text is not None else os.path.basename(file)
        bad = expect_success(run)
        if bad:
            bad.reason = f"{label}: {bad.reason}"
            return bad
        actual = lookup(run.tree, ["services", "probe", "environment"])
        if actual is MISSING:
            actual = {}
        if actual == expect:
            return passed()
        diffs = []
        for k in sorted(set(expect) | set(actual), key=str):
            e, a = expect.get(k, MISSING), actual.get(k, MISSING)
            if e != a:
                diffs.append(f"{k}: expected {short(e, 40)}, got {short(a, 40)}")
        return failed(f"{label}: {'; '.join(diffs[:4])}" + (f" (+{len(diffs) - 4} more)"
                                                            if len(diffs) > 4 else ""), diffs)

    def compose_level_cases(self) -> list:
        return self.dir_cases("interpolation", self.p("interpolation"),
                              skip=("dotenv", "cli-simple", "cli-env-file"))

    # ----- merge ----------------------------------------------------------------------------

    def field_merge_cases(self) -> list:
        root = self.p("merge", "field-merge")
        cases = []
        if not os.path.isdir(root):
            return cases
        for field_name in sorted(os.listdir(root)):
            field_dir = os.path.join(root, field_name)
            if not os.path.isdir(field_dir):
                continue
            for name in sorted(os.listdir(field_dir)):
                case_dir = os.path.join(field_dir, name)
                if os.path.isfile(os.path.join(case_dir, "expected.yaml")):
                    cases.append(Case("merge/field-merge", f"{field_name}/{name}",
                                      lambda d=case_dir: self.field_merge_case(d)))
        return cases

    def field_merge_case(self, case_dir: str) -> Outcome:
        # The snippets are raw merge inputs (compose-go merges them without validation), so a
        # shim file, appended to both runs, gives image-less services an image and declares
        # the networks/volumes/secrets/configs they refer to; both sides see the same shim.
        docs = []
        for name in ("compose.yaml", "compose.override.yaml", "expected.yaml"):
            try:
                with open(os.path.join(case_dir, name), encoding="utf-8") as handle:
                    docs.append(yaml.load(handle, Loader=TagTolerantLoader) or {})
            except (OSError, yaml.YAMLError):
                docs.append({})
        expected_raw = docs[-1] if isinstance(docs[-1], dict) else {}
        shim_doc = consistency_shim(docs)
        shim = []
        if shim_doc:
            work = self.runner.scratch("shim")
            shim_path = os.path.join(work, "consistency-shim.yaml")
            write_yaml(shim_path, shim_doc)
            shim = [shim_path]
        missing = [f for f in env_file_paths(docs)
                   if not os.path.isabs(f) and not os.path.exists(os.path.join(case_dir, f))]
        if missing:
            # env_file entries name files the snippets do not ship: run on a copy that has
            # them (empty), so the merge result can be compared at all.
            copy = os.path.join(self.runner.scratch("copy"), os.path.basename(case_dir))
            shutil.copytree(case_dir, copy)
            for f in missing:
                target = os.path.join(copy, f)
                os.makedirs(os.path.dirname(target), exist_ok=True)
                open(target, "w", encoding="utf-8").close()
            case_dir = copy
        # Services with profiles would be left out of both models: activate every profile.
        profiles = sorted({str(p) for doc in docs if isinstance(doc, dict)
                           for svc in (doc.get("services") or {}).values()
                           if isinstance(svc, dict) and isinstance(svc.get("profiles"), list)
                           for p in svc["profiles"]})
        merged = self.runner.config(files=["compose.yaml", "compose.override.yaml"] + shim,
                                    cwd=case_dir, profiles=profiles)
        wanted = self.runner.config(files=["expected.yaml"] + shim, cwd=case_dir,
                                    profiles=profiles)
        if wanted.rc != 0 and merged.rc != 0:
            return failed(f"cannot compare, both sides rejected (compose-go merges these raw "
                          f"snippets without validation): {one_line(merged.message, 220)}",
                          [f"merged: {merged.message}", f"expected.yaml: {wanted.message}"])
        if wanted.rc != 0:
            return failed(f"expected.yaml rejected (exit {wanted.rc}): {one_line(wanted.message, 150)}")
        bad = expect_success(merged)
        if bad:
            return bad
        if wanted.bad_json:
            return failed(wanted.bad_json)
        # Both sides come from the CLI, so also check that the expected.yaml run kept what the
        # file says (a loader that dropped a field would otherwise pass on both sides).
        lost = [f"services.{n}.{k}" for n, svc in (expected_raw.get("services") or {}).items()
                for k in (svc if isinstance(svc, dict) else {})
                if lookup(wanted.tree, ["services", n, k]) is MISSING]
        lost += [f"{kind}.{n}" for kind in ("networks", "volumes", "secrets", "configs")
                 for n in (expected_raw.get(kind) or {})
                 if lookup(wanted.tree, [kind, n]) is MISSING]
        if lost:
            return failed(f"loading expected.yaml dropped {', '.join(lost[:5])}")
        diffs = compare(wanted.tree, merged.tree, [], Compare(bases=[case_dir], exact=True))
        if not diffs:
            return passed()
        details = [f"{p}: expected {short(e, 400)}, got {short(a, 400)}" for p, e, a in diffs]
        return failed(f"{len(diffs)} paths differ: " + one_line("; ".join(details[:3]), 300),
                      details)

    def merge_loader_cases(self) -> list:
        return self.dir_cases("merge/loader", self.p("merge", "loader"))

    # ----- extends / include ----------------------------------------------------------------

    def extends_cases(self) -> list:
        root = self.p("extends")
        path = os.path.join(root, "cases.yaml")
        if not os.path.isfile(path):
            return []
        cases = []
        for entry in (load_yaml(path) or {}).get("cases") or []:
            cases.append(Case("extends", entry["name"],
                              lambda e=entry: self.expect_case(root, e, env=e.get("env") or {})))
            for i, extra in enumerate(entry.get("extra_runs") or [], start=2):
                spec = {k: v for k, v in entry.items() if k not in ("expect", "expect_error")}
                spec.update(extra)
                cases.append(Case("extends", f"{entry['name']}[run {i}]",
                                  lambda s=spec: self.expect_case(root, s, env=s.get("env") or {})))
        return cases

    # ----- e2e ------------------------------------------------------------------------------

    def e2e_skip(self) -> None:
        root = self.p("e2e-stacks")
        if not os.path.isdir(root):
            return
        count = 0
        for name in sorted(os.listdir(root)):
            scenario = os.path.join(root, name, "scenario.yaml")
            if os.path.isfile(scenario):
                data = load_yaml(scenario) or {}
                count += max(1, len(data.get("scenarios") or []))
        self.skipped_lines.append(("e2e-stacks", count,
                                   f"SKIP e2e-stacks ({count} scenarios): runtime scenarios, run "
                                   f"by scripts/conformance-up.py (root)"))

    def all_cases(self) -> list:
        self.e2e_skip()
        return (self.parse_cases() + self.invalid_cases() + self.volume_cases()
                + self.template_cases() + self.tree_cases() + self.cli_cases()
                + self.dotenv_cases() + self.compose_level_cases()
                + self.field_merge_cases() + self.merge_loader_cases() + self.extends_cases())


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------


# Cases where stack deliberately differs from the corpus, each with its reason. They are reported
# as XFAIL and do not count as failures; one that starts passing is reported as XPASS.
KNOWN_EXCEPTIONS = {
    "interpolation/dotenv/fixtures/plain.env":
        "`456 = ABC`: compose-go's dotenv Read() drops keys that start with a digit, but the path Compose "
        "uses for .env and env_file keeps them; stack keeps them too",
    "merge/field-merge/build/merge-yaml-args-mixed":
        "the fixture uses `build.platform`, which the Compose schema does not define (only `platforms`); "
        "compose-go merged it without validation, stack validates the merged file",
    "merge/field-merge/build/merge-yaml-build-sequence":
        "same fixture problem: `build.platform` is not a Compose key",
    "merge/field-merge/ulimits/merge-yaml-ulimits":
        "the override gives `nproc: {soft: 65535}` without `hard`, which the Compose schema requires; "
        "compose-go merged it without validation",
}


def main(argv=None) -> int:
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser(description="Run the Compose conformance corpus "
                                                 "against `stack config`.")
    parser.add_argument("--stack", default=os.path.join(repo, ".build", "debug", "stack"),
                        help="the stack binary (default: .build/debug/stack)")
    parser.add_argument("--corpus", default=os.path.join(os.path.dirname(repo), "shared",
                                                         "conformance"),
                        help="the corpus directory (default: ../shared/conformance)")
    parser.add_argument("--strict", action="store_true",
                        help="exit non-zero when a case fails")
    parser.add_argument("--summary-only", action="store_true",
                        help="print only the subtotals and the total")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="print every difference under a failing case")
    parser.add_argument("--filter", help="only run cases whose group/name matches this regex")
    parser.add_argument("--jobs", type=int, default=2, help="parallel runs (default 2)")
    args = parser.parse_args(argv)

    corpus = os.path.abspath(args.corpus)
    if not os.path.isdir(corpus):
        print(f"conformance: corpus not found at {corpus}; nothing to run")
        return 0
    stack = os.path.abspath(args.stack)
    if not os.access(stack, os.X_OK):
        print(f"conformance: no executable stack binary at {stack} (run `swift build`)")
        return 1 if args.strict else 0

    tmp_root = tempfile.mkdtemp(prefix="stack-conformance-")
    STRIP_PREFIXES[:] = [corpus + os.sep, re.sub(r"/+$", "", tmp_root) + os.sep]
    try:
        runner = Runner(stack, tmp_root)
        suite = Suite(corpus, runner)
        cases = suite.all_cases()
        if args.filter:
            pattern = re.compile(args.filter)
            cases = [c for c in cases if pattern.search(c.label)]
            suite.skipped_lines = [s for s in suite.skipped_lines if pattern.search(s[0])]

        def guarded(case: Case) -> Outcome:
            try:
                return case.run()
            except Exception as error:  # a runner bug must not hide the other cases
                return failed(f"runner error: {type(error).__name__}: {error}")

        totals: dict = {}
        order: list = []
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            futures = [(case, pool.submit(guarded, case)) for case in cases]
            for case, future in futures:
                outcome = future.result()
                known = KNOWN_EXCEPTIONS.get(case.label)
                if known and outcome.status == "FAIL":
                    outcome = Outcome("XFAIL", f"known exception: {known}", outcome.details)
                elif known:
                    outcome = Outcome("PASS", "XPASS: listed as a known exception but passes", outcome.details)
                if case.group not in totals:
                    totals[case.group] = {"PASS": 0, "FAIL": 0, "SKIP": 0, "XFAIL": 0}
                    order.append(case.group)
                totals[case.group][outcome.status] += 1
                if args.summary_only:
                    continue
                line = f"{outcome.status} {case.label}"
                if outcome.reason:
                    line += (": " if outcome.status in ("FAIL", "XFAIL") else "  ") + outcome.reason
                print(line, flush=True)
                if args.verbose and outcome.status == "FAIL":
                    for detail in outcome.details:
                        print(f"    {detail}")
        for group, count, line in suite.skipped_lines:
            if not args.summary_only:
                print(line)
            totals.setdefault(group, {"PASS": 0, "FAIL": 0, "SKIP": 0, "XFAIL": 0})["SKIP"] += count
            if group not in order:
                order.append(group)

        n_pass = n_fail = n_skip = n_xfail = 0
        for group in order:
            t = totals[group]
            n_pass, n_fail, n_skip = n_pass + t["PASS"], n_fail + t["FAIL"], n_skip + t["SKIP"]
            n_xfail += t.get("XFAIL", 0)
            sub = f"  {group}: {t['PASS']} passed, {t['FAIL']} failed"
            if t.get("XFAIL"):
                sub += f", {t['XFAIL']} known exceptions"
            if t["SKIP"]:
                sub += f", {t['SKIP']} skipped"
            print(sub)
        total = f"conformance: {n_pass} passed, {n_fail} failed"
        if n_xfail:
            total += f", {n_xfail} known exceptions"
        if n_skip:
            total += f", {n_skip} skipped"
        print(total, flush=True)
        return 1 if args.strict and n_fail else 0
    finally:
        shutil.rmtree(tmp_root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
