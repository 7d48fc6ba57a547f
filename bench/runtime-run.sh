#!/usr/bin/env bash
# Times `RUNTIME run --bundle B ID` of /bin/true on a busybox bundle for stack-runtime
# (.build/release/stack-runtime, or $STACK_RUNTIME), crun and runc, whichever are present:
# median and min wall time and median CPU time over RUNS runs each (default 30;
# `bench/runtime-run.sh 50` or RUNS=50), the runtimes taking turns, then the ratios
# stack-runtime/crun and stack-runtime/runc.
# Goal (issue 3): stack-runtime <= 1.2x crun and <= 0.5x runc. Needs root and busybox-static.
#
# BUILD=1 first builds the release binary (`swift build -c release --product stack-runtime`);
# without it the binary is used as it is. Release builds link the Swift libraries statically
# (Package.swift: -static-stdlib for the stack-runtime target in release); the linkage of the
# binary timed is printed. A debug build is far slower and not what the figures below are about.
#
# Last figures (2 cores shared with other builds, so noisy; medians of 40 runs, interleaved):
#   see README ("Running a container with stack-runtime") for the table and how they were taken.
#
# On a hybrid cgroup host (v1 controllers plus a cgroup2 mount at /sys/fs/cgroup/unified)
# crun refuses to run, so crun is timed inside a private mount namespace (unshare -m) where
# /sys/fs/cgroup/unified is unmounted, taking turns with stack-runtime there, and the ratio to
# crun uses those figures; runc and stack-runtime take turns on the host. The host's mounts
# are not touched.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
RUNS=${1:-${RUNS:-30}}
WARMUP=${WARMUP:-3}

if [ "$(id -u)" != 0 ]; then
  echo "runtime-run: needs root (containers are created for real)" >&2
  exit 1
fi
busybox=""
for b in /bin/busybox /usr/bin/busybox; do [ -x "$b" ] && { busybox=$b; break; }; done
if [ -z "$busybox" ] || ldd "$busybox" >/dev/null 2>&1; then
  echo "runtime-run: needs a static busybox (apt-get install busybox-static)" >&2
  exit 1
fi

work=$(mktemp -d /tmp/stack-bench.XXXXXX)
chmod 755 "$work"
prefix="stack-bench-$$"
runtimes=()   # label=path
cleanup() {
  local entry path id
  for entry in "${runtimes[@]}"; do
    path=${entry#*=}
    for id in $("$path" list -q 2>/dev/null | grep "^$prefix-" || true); do
      "$path" delete -f "$id" >/dev/null 2>&1 || true
    done
  done
  rm -rf --one-file-system "$work"
}
trap cleanup EXIT

# The bundle: busybox and its applet links, config.json from `runc spec` (or `crun spec`)
# made to run /bin/true with no terminal.
bundle=$work/bundle
mkdir -p "$bundle/rootfs/bin" "$bundle/rootfs"/{dev,proc,sys,tmp,etc}
cp "$busybox" "$bundle/rootfs/bin/busybox"
for applet in $("$busybox" --list); do
  [ -e "$bundle/rootfs/bin/$applet" ] || ln -s busybox "$bundle/rootfs/bin/$applet"
done
if command -v runc >/dev/null 2>&1; then
  runc spec --bundle "$bundle"
elif command -v crun >/dev/null 2>&1; then
  (cd "$bundle" && crun spec)
else
  echo "runtime-run: neither runc nor crun is installed (apt-get install runc crun)" >&2
  exit 1
fi
"$PYTHON" - "$bundle/config.json" <<'PY'
import json, sys
path = sys.argv[1]
with open(path) as f:
    config = json.load(f)
config["process"]["terminal"] = False
config["process"]["args"] = ["/bin/true"]
with open(path, "w") as f:
    json.dump(config, f, indent=2)
PY

if [ "${BUILD:-0}" = 1 ] && [ -z "${STACK_RUNTIME:-}" ]; then
  swift build -c release --product stack-runtime >&2
fi
stack_runtime=${STACK_RUNTIME:-.build/release/stack-runtime}
if [ -x "$stack_runtime" ]; then
  runtimes+=("stack-runtime=$(readlink -f "$stack_runtime")")
  linkage="Swift libraries linked dynamically"
  if ! ldd "$stack_runtime" 2>/dev/null | grep -q libswiftCore; then linkage="static Swift stdlib"; fi
  echo "stack-runtime: $(readlink -f "$stack_runtime") ($linkage)"
else
  echo "note: $stack_runtime not built (swift build -c release --product stack-runtime); skipped"
fi
for r in crun runc; do
  if command -v "$r" >/dev/null 2>&1; then runtimes+=("$r=$(command -v "$r")"); fi
done

hybrid=0
if [ "$(findmnt -n -o FSTYPE /sys/fs/cgroup 2>/dev/null)" = tmpfs ] &&
   [ "$(findmnt -n -o FSTYPE /sys/fs/cgroup/unified 2>/dev/null)" = cgroup2 ]; then
  hybrid=1
fi

# One timing group: ENV then LABEL=PATH...; the runtimes of a group are run in turn (one run
# of each per round), so load from elsewhere hits them alike. Prints one JSON line per runtime
# with wall times and CPU times (user+sys of the runtime and everything it waited for). ENV
# "host" runs here; "hidden" runs in a private mount namespace without the cgroup2 mount.
cat > "$work/time_run.py" <<'PY'
import json, resource, subprocess, sys, time
env, bundle, prefix, runs, warmup = sys.argv[1:6]
runs, warmup = int(runs), int(warmup)
entries = [arg.split("=", 1) for arg in sys.argv[6:]]
rows = {label: {"label": label, "env": env, "times": [], "cpu": [], "error": None} for label, _ in entries}
for i in range(warmup + runs):
    for label, runtime in entries:
        row = rows[label]
        if row["error"]:
            continue
        cid = f"{prefix}-{label}-{env}-{i}"
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.run([runtime, "run", "--bundle", bundle, cid],
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        elapsed = (time.perf_counter() - start) * 1000
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([runtime, "delete", "-f", cid], stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if proc.returncode != 0:
            row["error"] = f"exit {proc.returncode}: " + proc.stderr.decode(errors="replace").strip()[-300:]
            continue
        if i >= warmup:
            row["times"].append(elapsed)
            row["cpu"].append((after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * 1000)
for row in rows.values():
    print(json.dumps(row))
PY

results=$work/results.jsonl
: > "$results"
time_group() {   # ENV LABEL=PATH...
  local env=$1; shift
  if [ "$env" = hidden ]; then
    unshare -m --propagation private sh -c 'umount /sys/fs/cgroup/unified && exec "$@"' sh \
      "$PYTHON" "$work/time_run.py" "$env" "$bundle" "$prefix" "$RUNS" "$WARMUP" "$@" >> "$results"
  else
    "$PYTHON" "$work/time_run.py" "$env" "$bundle" "$prefix" "$RUNS" "$WARMUP" "$@" >> "$results"
  fi
}
# crun (where the host is hybrid, only with the cgroup2 mount hidden) against stack-runtime in
# the same environment; runc against stack-runtime on the host as it is.
crun_env=host
if [ $hybrid = 1 ]; then crun_env=hidden; fi
host_group=(); crun_group=()
for entry in "${runtimes[@]}"; do
  case ${entry%%=*} in
    stack-runtime) host_group+=("$entry"); if [ $crun_env = hidden ]; then crun_group+=("$entry"); fi ;;
    crun) if [ $crun_env = hidden ]; then crun_group+=("$entry"); else host_group+=("$entry"); fi ;;
    *) host_group+=("$entry") ;;
  esac
done
if [ ${#host_group[@]} -gt 0 ]; then time_group host "${host_group[@]}"; fi
if [ ${#crun_group[@]} -gt 0 ]; then time_group hidden "${crun_group[@]}"; fi

"$PYTHON" - "$results" "$RUNS" "$WARMUP" "$hybrid" <<'PY'
import json, statistics, sys
path, runs, warmup, hybrid = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == "1"
rows = [json.loads(line) for line in open(path)]
print(f"run of /bin/true on a busybox bundle: {runs} runs each after {warmup} warm-up runs, runtimes "
      "taking turns; wall time of `RUNTIME run` (incl. its own fork/exec) and the CPU time it used")
if hybrid:
    print("hybrid cgroup host: crun, and stack-runtime beside it, timed in a private mount namespace "
          "with /sys/fs/cgroup/unified unmounted")
medians = {}
for row in rows:
    name = row["label"] + (" (unified hidden)" if row["env"] == "hidden" else "")
    if row["error"] or not row["times"]:
        print(f"{name:32} skipped: {row['error']}")
        continue
    t, c = sorted(row["times"]), sorted(row["cpu"])
    medians[(row["label"], row["env"])] = (statistics.median(t), statistics.median(c))
    print(f"{name:32} median {statistics.median(t):6.1f} ms   min {t[0]:6.1f} ms   "
          f"CPU median {statistics.median(c):6.1f} ms")
def ratio(a, b, note=""):
    if a in medians and b in medians:
        print(f"{a[0]}/{b[0]}{note}: {medians[a][0] / medians[b][0]:.2f}x wall, "
              f"{medians[a][1] / medians[b][1]:.2f}x CPU (medians)")
env = "hidden" if hybrid else "host"
ratio(("stack-runtime", env), ("crun", env), " (both with unified hidden)" if hybrid else "")
ratio(("stack-runtime", "host"), ("runc", "host"))
if ("stack-runtime", "host") not in medians and ("crun", env) in medians and ("runc", "host") in medians:
    ratio(("crun", env), ("runc", "host"))
PY
