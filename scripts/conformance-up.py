#!/usr/bin/env python3
"""Runs the conformance corpus's end-to-end scenarios (e2e-stacks/*/scenario.yaml) against real
engines, as root, and prints a report.

Usage: scripts/conformance-up.py [--bin DIR] [--corpus DIR] [--strict] [--jobs N]
                                 [--filter REGEX] [--verbose] [--keep]

Each scenario gets an engine of its own, as Tests/EngineTests/EngineHarness.swift and
bench/netns-stackd.sh make them: a temporary directory with STACK_ROOT and STACK_RUN, a network
namespace bound on a file there (stackd runs inside it, so its bridges, nftables rules and
published ports touch neither the host nor the other scenarios), its own kernel-name prefix and
address pool, and DNS forwarding to a closed loopback port (nothing leaves the machine). The
stack directory is copied from the corpus into that temporary directory (the corpus is only
read; nothing of it is written into the repository) and the project is named after it.

Images: the scenarios name `alpine`, `bash` and `nginx`. They are all made from Debian's
busybox-static (scripts/busybox-rootfs.py, built once per run) and imported into each engine
with `stack image import`: `bash` adds /bin/bash (a script that runs busybox sh), `nginx` serves
"Welcome to nginx!" with busybox httpd on port 80 and ships /bin/curl, a script that makes one
HTTP/1.0 GET with busybox nc (busybox has no curl, and its wget crashes in containers here).

Steps: `compose ...` command lines become `stack ...`. `--menu=false` and `--ansi=never` are
dropped when stack does not know them (stack draws no menu and writes no colour to a pipe); any
other command or flag stack does not have makes the scenario NEEDS (as does a command that
answers "not implemented"). After each step the runner checks exit_code (0 when not given, as
docker compose's e2e helpers assert success), output_contains / output_matches (on stdout and
stderr together; a pattern's `.` crosses lines, as `A(?m:.*)B` means "A, later B"), service_state, service_not_created, service_scale (running containers),
replica_numbers and not_recreated (same container ids as after the previous step), reading the
engine's containers with `stack container ls -a --format json`.

Teardown, always: `stack down -v -t 0`, `stack container rm -f` of whatever is left, SIGTERM to
stackd by its pid file (SIGKILL after 10 s), `stack-runtime delete --force` of containers the
runtime still knows, SIGKILL of processes whose command line names the scenario's directory or
that live in its network namespace (each is logged), unmount of everything under it (the namespace file included), removal of the directory; then a
check that no mount, process or container cgroup of the scenario is left (else it FAILs).
SIGTERM or Ctrl-C stops the run after tearing down the scenarios under way.

Output: one line per scenario (`PASS`, `FAIL: what differs`, `NEEDS <command/flag>`, `XFAIL` /
`XNEEDS` for known exceptions with their reason), then a total. Exit status 0 unless `--strict`
is given and a scenario failed or needed something without being a known exception.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import io
import json
import os
import random
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Optional

import yaml

# Scenarios where today's result is known, each with its reason. An entry excuses only the
# outcome it names: a NEEDS entry does not hide a FAIL once the command exists, and an entry
# whose scenario passes is reported (XPASS) so that it can be removed.
KNOWN_EXCEPTIONS: dict = {}

PATH = "/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
DEFAULT_TIMEOUT = 60.0
SCENARIO_DIR_PREFIX = "stack-cup-"

# --------------------------------------------------------------------------------------------
# Outcomes
# --------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    """The verdict on one scenario: PASS, FAIL or NEEDS, with the reason and the step log."""

    status: str
    reason: str = ""
    details: list = field(default_factory=list)


class Needs(Exception):
    """A command or flag the stack CLI does not have (yet)."""


class StepFailed(Exception):
    """A step's result differs from the scenario's expectation."""


def one_line(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def tail(text: str, limit: int = 260) -> str:
    """The end of a command's output on one line (errors come last)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else "..." + text[-(limit - 3):]


# --------------------------------------------------------------------------------------------
# Images: busybox-static root filesystems standing in for alpine, bash and nginx
# --------------------------------------------------------------------------------------------

BASH_SCRIPT = b"#!/bin/sh\n# bash stand-in for the conformance runner: busybox sh.\nexec /bin/sh \"$@\"\n"

# One HTTP/1.0 GET of an http:// URL with busybox nc; prints the body (what curl prints).
CURL_SCRIPT = rb"""#!/bin/sh
# curl stand-in for the conformance runner: GET one http:// URL with busybox nc, print the body.
url=""
for arg in "$@"; do case "$arg" in -*) ;; *) url=$arg ;; esac; done
rest=${url#http://}
case "$rest" in */*) hostport=${rest%%/*}; path=/${rest#*/} ;; *) hostport=$rest; path=/ ;; esac
host=${hostport%%:*}
port=80
case "$hostport" in *:*) port=${hostport##*:} ;; esac
[ -n "$host" ] || { echo "curl: no URL" >&2; exit 2; }
response=$(printf 'GET %s HTTP/1.0\r\nHost: %s\r\n\r\n' "$path" "$host" | nc -w 5 "$host" "$port") || {
  echo "curl: (7) Failed to connect to $host port $port" >&2; exit 7; }
[ -n "$response" ] || { echo "curl: (52) Empty reply from server" >&2; exit 52; }
printf '%s\n' "$response" | awk 'body { print } /^\r?$/ { body = 1 }'
"""

NGINX_INDEX = b"<!DOCTYPE html>\n<html><head><title>Welcome to nginx!</title></head>\n" \
              b"<body><h1>Welcome to nginx!</h1><p>busybox httpd standing in for nginx</p></body></html>\n"


@dataclass
class ImageRecipe:
    """Extra files on top of the busybox rootfs, and `image import --change` instructions."""

    files: list  # (path, bytes, mode)
    directories: list
    changes: list


IMAGE_RECIPES = {
    "alpine": ImageRecipe([], [], ['CMD ["/bin/sh"]']),
    "bash": ImageRecipe([("bin/bash", BASH_SCRIPT, 0o755)], [], ['CMD ["bash"]']),
    "nginx": ImageRecipe(
        [("usr/share/nginx/html/index.html", NGINX_INDEX, 0o644), ("bin/curl", CURL_SCRIPT, 0o755)],
        ["usr", "usr/share", "usr/share/nginx", "usr/share/nginx/html"],
        ['CMD ["httpd", "-f", "-p", "80", "-h", "/usr/share/nginx/html"]']),
}


def image_base_name(reference: str) -> str:
    """`docker.io/library/alpine:3.19` -> `alpine`."""
    name = reference.split("@", 1)[0]
    last = name.rsplit("/", 1)[-1]
    return last.split(":", 1)[0]


def build_images(repo: str, directory: str) -> dict:
    """Writes one rootfs tarball per recipe under `directory`; returns name -> tarball path."""
    base = os.path.join(directory, "busybox-rootfs.tar")
    subprocess.run([sys.executable, os.path.join(repo, "scripts", "busybox-rootfs.py"), base],
                   check=True, capture_output=True)
    tarballs = {}
    for name, recipe in IMAGE_RECIPES.items():
        path = os.path.join(directory, f"{name}-rootfs.tar")
        shutil.copyfile(base, path)
        with tarfile.open(path, "a") as tar:
            for entry in recipe.directories:
                info = tarfile.TarInfo(entry)
                info.type = tarfile.DIRTYPE
                info.mode = 0o755
                tar.addfile(info)
            for entry, data, mode in recipe.files:
                info = tarfile.TarInfo(entry)
                info.size = len(data)
                info.mode = mode
                tar.addfile(info, io.BytesIO(data))
        tarballs[name] = path
    return tarballs


def images_named(stack_dir: str) -> set:
    """The images the stack's compose.yaml names (by base name)."""
    names = set()
    for file in ("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"):
        path = os.path.join(stack_dir, file)
        if not os.path.isfile(path):
            continue
        with open(path, encoding="utf-8") as handle:
            doc = yaml.safe_load(handle) or {}
        for service in (doc.get("services") or {}).values():
            if isinstance(service, dict) and isinstance(service.get("image"), str):
                names.add(service["image"])
    return names


# --------------------------------------------------------------------------------------------
# What the CLI offers (from its help), to tell NEEDS from FAIL
# --------------------------------------------------------------------------------------------


class Capabilities:
    """The stack CLI's subcommands and each subcommand's flags, read from `--help` once."""

    def __init__(self, stack: str):
        self.stack = stack
        self._help: dict = {}
        self._lock = threading.Lock()

    def help_text(self, command: Optional[str]) -> str:
        with self._lock:
            if command not in self._help:
                argv = [self.stack] + ([command] if command else []) + ["--help"]
                proc = subprocess.run(argv, capture_output=True, env={"PATH": PATH, "HOME": "/nonexistent"},
                                      timeout=30)
                self._help[command] = (proc.stdout + proc.stderr).decode("utf-8", "replace")
            return self._help[command]

    def has_command(self, command: str) -> bool:
        text = self.help_text(None)
        section = text.split("SUBCOMMANDS:", 1)[-1]
        return re.search(rf"^\s+{re.escape(command)}(\s|$)", section, flags=re.M) is not None

    def has_flag(self, command: str, flag: str) -> bool:
        text = self.help_text(command)
        return re.search(rf"(^|[\s,]){re.escape(flag)}([\s,=<]|$)", text, flags=re.M) is not None


VALUED_GLOBALS = {"-f", "--file", "-p", "--project-name", "--profile", "--env-file", "--project-directory",
                  "--ansi", "--progress", "--parallel"}
DROPPABLE = {"--menu": "stack draws no interactive menu", "--ansi": "stack writes no colour to a pipe"}


def translate(line: str, caps: Capabilities, project_placeholder: str) -> tuple:
    """`compose [globals] CMD [args]` -> (globals, stack argv without the binary, notes).
    Raises Needs for a command or flag stack does not have."""
    tokens = shlex.split(line.replace("<project>", project_placeholder))
    if not tokens or tokens[0] not in ("compose", "docker-compose"):
        raise StepFailed(f"runner: not a compose command line: {line!r}")
    tokens = tokens[1:]
    notes = []
    leading: list = []  # (option, [value])
    index = 0
    while index < len(tokens) and tokens[index].startswith("-"):
        token = tokens[index]
        takes_value = token.split("=", 1)[0] in VALUED_GLOBALS and "=" not in token
        value = [tokens[index + 1]] if takes_value and index + 1 < len(tokens) else []
        leading.append((token, value))
        index += 1 + len(value)
    if index >= len(tokens):
        raise StepFailed(f"runner: no command in {line!r}")
    command, rest = tokens[index], tokens[index + 1:]
    if not caps.has_command(command):
        raise Needs(f"`stack {command}`")
    globals_: list = []
    for token, value in leading:
        name = token.split("=", 1)[0]
        if caps.has_flag(command, name):
            globals_ += [token] + value
        elif name in DROPPABLE:
            notes.append(f"dropped {shlex.join([token] + value)} ({DROPPABLE[name]})")
        else:
            raise Needs(f"`stack {name} … {command}`")
    args = []
    for token in rest:
        if token.startswith("-") and token != "-":
            name = token.split("=", 1)[0]
            if name in DROPPABLE and not caps.has_flag(command, name):
                notes.append(f"dropped {token} ({DROPPABLE[name]})")
                continue
            if not caps.has_flag(command, name):
                raise Needs(f"`stack {command} {name}`")
        args.append(token)
    return globals_, globals_ + [command] + args, notes


# --------------------------------------------------------------------------------------------
# One engine per scenario
# --------------------------------------------------------------------------------------------


@dataclass
class Container:
    id: str
    name: str
    state: str
    service: str
    number: int
    oneoff: bool


def parse_labels(text: str) -> dict:
    """`a=b,c=d` (container ls's Labels) -> dict; a segment without `=` continues the last value."""
    labels: dict = {}
    last = None
    for segment in text.split(",") if text else []:
        if "=" in segment:
            key, _, value = segment.partition("=")
            labels[key] = value
            last = key
        elif last is not None:
            labels[last] += "," + segment
    return labels


class Engine:
    """A private stackd (in its own network namespace) with STACK_ROOT/RUN under a temp dir."""

    def __init__(self, bin_dir: str, label: str, directory: Optional[str] = None):
        """A new engine directory, or (`directory`) one a `--keep` run left, to tear down."""
        self.bin_dir = bin_dir
        self.stack = os.path.join(bin_dir, "stack")
        self.directory = directory or tempfile.mkdtemp(prefix=SCENARIO_DIR_PREFIX)
        os.chmod(self.directory, 0o755)
        self.label = label
        self.root = os.path.join(self.directory, "root")
        self.run = os.path.join(self.directory, "run")
        self.home = os.path.join(self.directory, "home")
        os.makedirs(self.home, exist_ok=True)
        self.netns = os.path.join(self.directory, "netns")
        self.wrapper = os.path.join(self.directory, "stackd-in-netns")
        letters = "abcdefghijklmnopqrstuvwxyz0123456789"
        self.prefix = "u" + "".join(random.choice(letters) for _ in range(4))
        self.pool = f"10.{random.randint(100, 250)}.{random.randint(0, 63) * 4}.0/22/26"
        self.seen_ids: set = set()
        self.ready = bool(directory) and self.netns in self.mounts()

    def start(self) -> None:
        open(self.netns, "w").close()
        subprocess.run(["unshare", f"--net={self.netns}", "true"], check=True, capture_output=True)
        subprocess.run(["nsenter", f"--net={self.netns}", "ip", "link", "set", "lo", "up"], check=True,
                       capture_output=True)
        with open(self.wrapper, "w", encoding="utf-8") as handle:
            handle.write(f"#!/bin/sh\nexec nsenter --net={self.netns} {self.bin_dir}/stackd \"$@\"\n")
        os.chmod(self.wrapper, 0o755)
        self.ready = True

    def environment(self, extra: Optional[dict] = None) -> dict:
        env = {"PATH": PATH, "HOME": self.home, "STACK_ROOT": self.root, "STACK_RUN": self.run,
               "STACKD": self.wrapper, "STACK_NETWORK_PREFIX": self.prefix,
               "STACK_ADDRESS_POOLS": self.pool, "STACK_DNS_UPSTREAM": "127.0.0.1:9"}
        env.update({k: str(v) for k, v in (extra or {}).items()})
        return env

    def cli(self, args: list, cwd: Optional[str] = None, env: Optional[dict] = None,
            timeout: float = DEFAULT_TIMEOUT) -> tuple:
        """Runs `stack args`; returns (exit status or None on timeout, stdout+stderr, seconds).
        Output goes through a file, so a stackd the CLI starts cannot hold our pipes."""
        out_path = os.path.join(self.directory, f"out-{time.monotonic_ns()}-{threading.get_ident()}")
        started = time.monotonic()
        with open(out_path, "wb") as out, open(os.devnull, "rb") as null:
            try:
                proc = subprocess.Popen([self.stack] + args, cwd=cwd or self.directory, env=self.environment(env),
                                        stdin=null, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
            except OSError as error:
                raise StepFailed(f"runner: cannot run {self.stack}: {error}") from None
            try:
                status = proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)  # the CLI's own session, started above
                except ProcessLookupError:
                    pass
                proc.wait()
                status = None
        elapsed = time.monotonic() - started
        with open(out_path, "rb") as handle:
            output = handle.read().decode("utf-8", "replace")
        os.unlink(out_path)
        return status, output, elapsed

    def containers(self, project: str) -> list:
        """The project's containers, from `stack container ls -a --format json`."""
        status, output, _ = self.cli(["container", "ls", "-a", "--no-trunc", "--format", "json"], timeout=30)
        if status != 0:
            raise StepFailed(f"runner: `stack container ls` failed ({status}): {one_line(output)}")
        result = []
        for line in output.splitlines():
            line = line.strip()
            if not line.startswith("{"):
                continue
            item = json.loads(line)
            labels = parse_labels(item.get("Labels", ""))
            self.seen_ids.add(item.get("ID", ""))
            if labels.get("com.docker.compose.project") != project:
                continue
            try:
                number = int(labels.get("com.docker.compose.container-number", "0"))
            except ValueError:
                number = 0
            result.append(Container(item.get("ID", ""), item.get("Names", ""), item.get("State", ""),
                                    labels.get("com.docker.compose.service", ""), number,
                                    labels.get("com.docker.compose.oneoff", "False").lower() == "true"))
        return result

    def import_image(self, tarball: str, reference: str, changes: list) -> None:
        args = ["image", "import"]
        for change in changes:
            args += ["--change", change]
        status, output, _ = self.cli(args + [tarball, reference], timeout=120)
        if status != 0:
            raise StepFailed(f"runner: image import of {reference} failed ({status}): {one_line(output)}")

    def teardown(self, stack_cwd: Optional[str], down_globals: list) -> tuple:
        """Leaves nothing behind. Returns (notes on what had to be forced, what is still there
        afterwards: empty when clean). Every phase runs even when an earlier one failed."""
        notes: list = []
        self._remember_containers()
        phases = [("down", lambda: self._remove_containers(stack_cwd, down_globals)),
                  ("daemon", self._stop_daemon),
                  ("runtime", self._delete_runtime_containers),
                  ("processes", lambda: self._kill_leftovers(notes)),
                  ("mounts", self._unmount),
                  ("cgroups", lambda: self._remove_cgroups(notes)),
                  ("directory", lambda: shutil.rmtree(self.directory, ignore_errors=True))]
        for name, phase in phases:
            try:
                phase()
            except Exception as error:  # noted; the next phases still run
                notes.append(f"{name}: {type(error).__name__}: {error}")
        # What is still there? (Killed processes take a moment to go.)
        problems = []
        deadline = time.monotonic() + 5
        while self.processes() and time.monotonic() < deadline:
            time.sleep(0.1)
        if self.processes() or self.container_processes():
            problems.append("processes left: " + ", ".join(f"{self.command_of(p)} ({p})" for p in self.processes() + self.container_processes()))
        if self.mounts():
            problems.append(f"mounts left: {self.mounts()}")
        if os.path.exists(self.directory):
            problems.append(f"directory left: {self.directory}")
        cgroups = self.cgroups_left()
        if cgroups:
            problems.append(f"cgroups left: {cgroups[:3]}")
        return notes, problems

    def _remember_containers(self) -> None:
        """Container ids from the engine's directories (before anything is removed), so that the
        last-resort phases find the containers without the CLI."""
        for sub in ("root/containers", "run/runtime", "run/netns"):
            path = os.path.join(self.directory, sub)
            for entry in os.listdir(path) if os.path.isdir(path) else []:
                if re.fullmatch(r"[0-9a-f]{64}", entry):
                    self.seen_ids.add(entry)

    def _remove_containers(self, stack_cwd: Optional[str], down_globals: list) -> None:
        """`down -v -t 0`, then `container rm -f` of anything else (only if stackd ever ran)."""
        if not (self.ready and os.path.exists(os.path.join(self.run, "stackd.pid"))):
            return
        if stack_cwd and os.path.isdir(stack_cwd):
            self.cli(down_globals + ["down", "-v", "-t", "0"], cwd=stack_cwd, timeout=60)
        status, output, _ = self.cli(["container", "ls", "-aq", "--no-trunc"], timeout=30)
        ids = output.split() if status == 0 else []
        self.seen_ids.update(ids)
        if ids:
            self.cli(["container", "rm", "-f"] + ids, timeout=60)

    def _stop_daemon(self) -> None:
        """SIGTERM to stackd by its pid file (only if that pid is still this engine's stackd)."""
        pid = self.daemon_pid()
        if not pid or self.directory not in self.command_of(pid, limit=4096):
            return
        try:
            os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and self.alive(pid):
                time.sleep(0.05)
            if self.alive(pid):
                os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def _delete_runtime_containers(self) -> None:
        """Containers the runtime still knows (a daemon that died): delete --force kills them."""
        runtime_root = os.path.join(self.run, "runtime")
        if not os.path.isdir(runtime_root):
            return
        for entry in os.listdir(runtime_root):
            self.seen_ids.add(entry)
            subprocess.run([os.path.join(self.bin_dir, "stack-runtime"), "--root", runtime_root, "delete",
                            "--force", entry], capture_output=True, env={"PATH": PATH}, timeout=30)

    def _kill_leftovers(self, notes: list) -> None:
        """SIGKILL to this engine's processes: by directory, network namespace, or container cgroup."""
        by_cgroup = set(self.container_processes())
        for pid in sorted(set(self.processes()) | by_cgroup):
            why = f"container {self.cgroup_id(pid)[:12]}" if pid in by_cgroup else self.where(pid)
            notes.append(f"killed {self.command_of(pid)} ({pid}; {why})")
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def _unmount(self) -> None:
        for mount in reversed(self.mounts()):
            subprocess.run(["umount", "-l", mount], capture_output=True)

    def _remove_cgroups(self, notes: list) -> None:
        """Last resort: empty cgroups named after this engine's containers (deepest first)."""
        deadline = time.monotonic() + 5
        while self.container_processes() and time.monotonic() < deadline:
            time.sleep(0.1)
        for path in sorted(self.cgroups_left(), key=len, reverse=True):
            for top, dirs, _ in os.walk(path, topdown=False):
                for name in dirs:
                    os.rmdir(os.path.join(top, name))
            os.rmdir(path)
            notes.append(f"removed cgroup {path}")

    def where(self, pid: int) -> str:
        """Why `pid` counts as this engine's: its command line, or which namespace of ours."""
        try:
            netns = os.readlink(f"/proc/{pid}/ns/net")
        except OSError:
            netns = "?"
        mounts = [m for m in self.mounts(kind="nsfs") if f"net:[{os.stat(m).st_ino}]" == netns]
        names = ", ".join(os.path.relpath(m, self.directory)[:40] for m in mounts) or "command line"
        return f"{netns} = {names}; cgroup {self.cgroup_id(pid)[:12]}"

    @staticmethod
    def cgroup_id(pid: int) -> str:
        """The last component of the process's first cgroup path (a container id, for those)."""
        try:
            with open(f"/proc/{pid}/cgroup", encoding="utf-8") as handle:
                return handle.readline().strip().rsplit("/", 1)[-1]
        except OSError:
            return "?"

    def container_processes(self) -> list:
        """Processes in a cgroup named after one of this engine's containers."""
        ids = {i for i in self.seen_ids if len(i) >= 12}
        found = []
        for entry in os.listdir("/proc") if ids else []:
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/cgroup", encoding="utf-8") as handle:
                    cgroups = handle.read()
            except OSError:
                continue
            if any(i in cgroups for i in ids) and self.alive(int(entry)):
                found.append(int(entry))
        return found

    @staticmethod
    def command_of(pid: int, limit: int = 80) -> str:
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as handle:
                return one_line(handle.read().replace(b"\0", b" ").decode("utf-8", "replace"), limit)
        except OSError:
            return "?"

    def daemon_pid(self) -> Optional[int]:
        try:
            with open(os.path.join(self.run, "stackd.pid"), encoding="utf-8") as handle:
                return int(handle.read().strip())
        except (OSError, ValueError):
            return None

    @staticmethod
    def alive(pid: int) -> bool:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        try:
            with open(f"/proc/{pid}/stat", encoding="utf-8") as handle:
                return handle.read().split(")")[-1].split()[0] != "Z"
        except OSError:
            return False

    def processes(self) -> list:
        """Processes whose command line names this engine's directory, or that live in a network
        namespace mounted under it (stackd's, its containers'). Only namespaces mounted right now
        count: a mount keeps its namespace alive, while the inode number of one that is gone may
        already belong to somebody else's new namespace."""
        found = []
        in_netns = set()
        for mount in self.mounts(kind="nsfs"):
            try:
                in_netns.add(f"net:[{os.stat(mount).st_ino}]")
            except OSError:
                continue
        for entry in os.listdir("/proc"):
            if not entry.isdigit() or int(entry) == os.getpid():
                continue
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as handle:
                    command = handle.read().decode("utf-8", "replace")
                netns = os.readlink(f"/proc/{entry}/ns/net")
            except OSError:
                continue
            if (self.directory in command or netns in in_netns) and self.alive(int(entry)):
                found.append(int(entry))
        return found

    def mounts(self, kind: Optional[str] = None) -> list:
        """Mount points under the engine's directory (of filesystem type `kind` if given)."""
        with open("/proc/self/mounts", encoding="utf-8") as handle:
            fields = [line.split() for line in handle]
        return [f[1] for f in fields if len(f) > 2 and f[1].startswith(self.directory + "/")
                and (kind is None or f[2] == kind)]

    def cgroups_left(self) -> list:
        ids = {i for i in self.seen_ids if len(i) >= 12}
        if not ids:
            return []
        left = []
        for top, dirs, _ in os.walk("/sys/fs/cgroup"):
            if top.count("/") > 5:  # ids sit in /sys/fs/cgroup/<controller>[/<parent>]/
                dirs[:] = []
                continue
            for name in dirs:
                if any(i in name or i[:12] == name for i in ids):
                    left.append(os.path.join(top, name))
        return left


# --------------------------------------------------------------------------------------------
# Scenarios
# --------------------------------------------------------------------------------------------


def normalize_project_name(name: str) -> str:
    """Compose's rule for a directory-derived project name."""
    name = re.sub(r"[^a-z0-9_-]", "", name.lower())
    return re.sub(r"^[^a-z0-9]+", "", name)


@dataclass
class Scenario:
    stack: str
    name: str
    stack_dir: str
    steps: list

    @property
    def label(self) -> str:
        return f"{self.stack}/{self.name}"


def load_scenarios(corpus: str) -> list:
    root = os.path.join(corpus, "e2e-stacks")
    scenarios = []
    for stack in sorted(os.listdir(root)) if os.path.isdir(root) else []:
        path = os.path.join(root, stack, "scenario.yaml")
        if not os.path.isfile(path):
            continue
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle) or {}
        for entry in data.get("scenarios") or []:
            scenarios.append(Scenario(stack, str(entry.get("name", "?")), os.path.join(root, stack),
                                      list(entry.get("steps") or [])))
    return scenarios


class ScenarioRun:
    """Runs one scenario on its own engine and judges every step."""

    def __init__(self, scenario: Scenario, bin_dir: str, images: dict, caps: Capabilities, keep: bool):
        self.scenario = scenario
        self.bin_dir = bin_dir
        self.images = images
        self.caps = caps
        self.keep = keep
        self.log: list = []
        self.project = normalize_project_name(scenario.stack)
        self.globals: list = []  # the last step's global options (profiles...), for `down`

    def run(self) -> Outcome:
        engine = Engine(self.bin_dir, self.scenario.label)
        work = os.path.join(engine.directory, "work", self.scenario.stack)
        outcome: Outcome
        try:
            engine.start()
            shutil.copytree(self.scenario.stack_dir, work, ignore=shutil.ignore_patterns("scenario.yaml"))
            for reference in sorted(images_named(work)):
                base = image_base_name(reference)
                if base not in self.images:
                    raise StepFailed(f"runner: no stand-in image for {reference!r}")
                engine.import_image(self.images[base], reference, IMAGE_RECIPES[base].changes)
            previous: list = []
            for number, step in enumerate(self.scenario.steps, start=1):
                previous = self.step(engine, work, number, step, previous)
            outcome = Outcome("PASS")
        except Needs as need:
            outcome = Outcome("NEEDS", str(need))
        except StepFailed as failure:
            outcome = Outcome("FAIL", str(failure))
        except Exception as error:  # a runner bug must not hide the other scenarios
            outcome = Outcome("FAIL", f"runner error: {type(error).__name__}: {error}")
        finally:
            if self.keep:
                self.log.append(f"kept {engine.directory}")
            else:
                try:
                    notes, problems = engine.teardown(work, self.globals)
                except Exception as error:  # report it, and still say how the steps went
                    notes, problems = [], [f"teardown error: {type(error).__name__}: {error}"]
                self.log += [f"teardown: {note}" for note in notes]
                if problems:
                    # Something outlived the teardown: a failure whatever the steps did.
                    self.log.append("teardown left: " + "; ".join(problems))
                    outcome = Outcome("FAIL", f"{self.log[-1]} (steps: {outcome.status} {outcome.reason})")
        outcome.details = self.log
        return outcome

    def step(self, engine: Engine, work: str, number: int, step: dict, previous: list) -> tuple:
        line = str(step.get("run", ""))
        where = f"step {number} `{line}`"
        try:
            globals_, argv, notes = translate(line, self.caps, self.project)
        except Needs as need:
            raise Needs(f"{need} (step {number} `{line}`)") from None
        self.globals = globals_
        timeout = float(step.get("timeout_s") or DEFAULT_TIMEOUT)
        status, output, seconds = engine.cli(argv, cwd=work, env=step.get("env") or {}, timeout=timeout)
        self.log.append(f"{where}: stack {shlex.join(argv)} -> {status} in {seconds:.1f}s"
                        + (f" ({'; '.join(notes)})" if notes else ""))
        for out_line in output.splitlines()[-15:]:
            self.log.append(f"    | {out_line}")
        if status is None:
            raise StepFailed(f"{where}: timed out after {timeout:.0f} s; output: {tail(output)}")
        if status != 0 and re.search(r"not implemented|not supported yet", output):
            message = next((l for l in output.splitlines() if re.search(r"not implemented|not supported yet", l)), "")
            raise Needs(f"{one_line(message, 140)} ({where})")
        wanted = int(step.get("exit_code", 0))
        problems = []
        if status != wanted:
            problems.append(f"exit status {status}, wanted {wanted}")
        for text in step.get("output_contains") or []:
            text = str(text).replace("<project>", self.project)
            if text not in output:
                problems.append(f"output lacks {text!r}")
        pattern = step.get("output_matches")
        if pattern:
            # The expectation's intent is order across lines (`A(?m:.*)B`); Go's `.` would not
            # cross a newline, so it is matched with DOTALL.
            if not re.search(str(pattern).replace("<project>", self.project), output, flags=re.S):
                problems.append(f"output does not match /{pattern}/")
        containers = [c for c in engine.containers(self.project) if not c.oneoff]
        problems += self.check_state(step, containers, previous)
        if problems:
            raise StepFailed(f"{where}: " + "; ".join(problems)
                             + (f"; output: {tail(output)}" if output.strip() else "; no output"))
        return containers

    def check_state(self, step: dict, containers: list, previous: list) -> list:
        problems = []

        def of(service: str, pool: list) -> list:
            return [c for c in pool if c.service == service]

        for service, state in (step.get("service_state") or {}).items():
            found = of(service, containers)
            if not found:
                problems.append(f"{service}: no container, wanted {state}")
            elif any(c.state != state for c in found):
                problems.append(f"{service}: " + ", ".join(f"{c.name} {c.state}" for c in found) + f", wanted {state}")
        for service in step.get("service_not_created") or []:
            found = of(service, containers)
            if found:
                problems.append(f"{service} should not exist: " + ", ".join(f"{c.name} {c.state}" for c in found))
        for service, count in (step.get("service_scale") or {}).items():
            running = [c for c in of(service, containers) if c.state == "running"]
            if len(running) != int(count):
                problems.append(f"{service}: {len(running)} running, wanted {count} ("
                                + ", ".join(f"{c.name} {c.state}" for c in of(service, containers)) + ")")
        for service, numbers in (step.get("replica_numbers") or {}).items():
            got = sorted(c.number for c in of(service, containers))
            if got != sorted(int(n) for n in numbers):
                problems.append(f"{service}: replica numbers {got}, wanted {sorted(numbers)}")
        for service in step.get("not_recreated") or []:
            before = sorted(c.id for c in of(service, previous))
            after = sorted(c.id for c in of(service, containers))
            if not before or before != after:
                problems.append(f"{service} recreated: ids {[i[:12] for i in before]} -> {[i[:12] for i in after]}")
        return problems


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------


def judge(label: str, outcome: Outcome) -> Outcome:
    """Applies KNOWN_EXCEPTIONS: (kind, reason) excuses only an outcome of that kind."""
    known = KNOWN_EXCEPTIONS.get(label)
    if not known:
        return outcome
    kind, reason = known
    if outcome.status == kind:
        return Outcome("X" + kind, f"known: {reason} [{outcome.reason}]", outcome.details)
    if outcome.status == "PASS":
        return Outcome("PASS", f"XPASS: listed as known {kind} ({reason}) but passes: remove it", outcome.details)
    return outcome


def cleanup(directories: list, bin_dir: str) -> int:
    """Tears down engine directories left by `--keep` (the project is read from work/)."""
    status = 0
    for directory in directories:
        directory = os.path.abspath(directory)
        if not os.path.basename(directory).startswith(SCENARIO_DIR_PREFIX) or not os.path.isdir(directory):
            print(f"conformance-up: {directory} is not an engine directory of this script")
            status = 1
            continue
        work = os.path.join(directory, "work")
        stacks = os.listdir(work) if os.path.isdir(work) else []
        engine = Engine(bin_dir, "cleanup", directory)
        notes, problems = engine.teardown(os.path.join(work, stacks[0]) if stacks else None, [])
        for line in notes:
            print(f"{directory}: {line}")
        print(f"{directory}: " + ("; ".join(problems) if problems else "clean"))
        status = status or (1 if problems else 0)
    return status


def interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def main(argv=None) -> int:
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser(description="Run the conformance corpus's e2e scenarios against stack.")
    parser.add_argument("--bin", default=os.path.join(repo, ".build", "debug"),
                        help="directory holding stack, stackd, stack-runtime... (default: .build/debug)")
    parser.add_argument("--corpus", default=os.path.join(os.path.dirname(repo), "shared", "conformance"),
                        help="the corpus directory (default: ../shared/conformance)")
    parser.add_argument("--strict", action="store_true",
                        help="exit non-zero when a scenario fails or needs something, unless a known exception")
    parser.add_argument("--jobs", type=int, default=2, help="scenarios at a time (default 2)")
    parser.add_argument("--filter", help="only scenarios whose stack/name matches this regex")
    parser.add_argument("-v", "--verbose", action="store_true", help="print each scenario's step log")
    parser.add_argument("--keep", action="store_true",
                        help="keep engines and directories (debugging; tear them down with --cleanup)")
    parser.add_argument("--cleanup", nargs="+", metavar="DIR",
                        help=f"tear down engine directories a --keep run left (/tmp/{SCENARIO_DIR_PREFIX}*)")
    args = parser.parse_args(argv)
    if args.cleanup:
        return cleanup(args.cleanup, os.path.abspath(args.bin))

    corpus = os.path.abspath(args.corpus)
    if not os.path.isdir(os.path.join(corpus, "e2e-stacks")):
        print(f"conformance-up: no e2e-stacks in {corpus}; nothing to run")
        return 0
    if os.geteuid() != 0:
        print("conformance-up: needs root (engines, network namespaces)")
        return 1 if args.strict else 0
    bin_dir = os.path.abspath(args.bin)
    for tool in ("stack", "stackd", "stack-runtime"):
        if not os.access(os.path.join(bin_dir, tool), os.X_OK):
            print(f"conformance-up: no executable {tool} in {bin_dir} (run `swift build`)")
            return 1
    if not os.access("/bin/busybox", os.X_OK):
        print("conformance-up: /bin/busybox (busybox-static) is missing")
        return 1

    scenarios = load_scenarios(corpus)
    if args.filter:
        pattern = re.compile(args.filter)
        scenarios = [s for s in scenarios if pattern.search(s.label)]
    image_dir = tempfile.mkdtemp(prefix="stack-cup-images-")
    try:
        images = build_images(repo, image_dir)
        caps = Capabilities(os.path.join(bin_dir, "stack"))

        def guarded(scenario: Scenario) -> Outcome:
            try:
                return ScenarioRun(scenario, bin_dir, images, caps, args.keep).run()
            except Exception as error:
                return Outcome("FAIL", f"runner error: {type(error).__name__}: {error}")

        totals = {"PASS": 0, "FAIL": 0, "NEEDS": 0, "XFAIL": 0, "XNEEDS": 0}
        started = time.monotonic()
        # SIGTERM (a CI timeout) unwinds like Ctrl-C: running scenarios still tear down.
        signal.signal(signal.SIGTERM, interrupt)
        pool = concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs))
        try:
            futures = [(s, pool.submit(guarded, s)) for s in scenarios]
            for scenario, future in futures:
                outcome = judge(scenario.label, future.result())
                totals[outcome.status] += 1
                line = f"{outcome.status} e2e-stacks/{scenario.label}"
                if outcome.reason:
                    line += (": " if outcome.status != "PASS" else "  ") + outcome.reason
                print(line, flush=True)
                if args.verbose:
                    for detail in outcome.details:
                        print(f"    {detail}")
        except KeyboardInterrupt:
            print("conformance-up: interrupted; tearing down the running scenarios", flush=True)
            pool.shutdown(wait=True, cancel_futures=True)
            return 130
        pool.shutdown(wait=True)
        total = f"conformance-up: {totals['PASS']} passed, {totals['FAIL']} failed, {totals['NEEDS']} need commands"
        if totals["XFAIL"] or totals["XNEEDS"]:
            total += f", {totals['XFAIL'] + totals['XNEEDS']} known exceptions"
        print(total + f" ({time.monotonic() - started:.0f} s)", flush=True)
        return 1 if args.strict and (totals["FAIL"] or totals["NEEDS"]) else 0
    finally:
        shutil.rmtree(image_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
