#!/usr/bin/env bash
# Times `RUNTIME run --bundle B ID` of /bin/true on a busybox bundle for stack-runtime
# (.build/release/stack-runtime, or $STACK_RUNTIME), crun and runc, whichever are present:
# median and min wall time over RUNS runs each (default 30; `bench/runtime-run.sh 50` or
# RUNS=50), then the ratios stack-runtime/crun and stack-runtime/runc.
# Goal (issue 3): stack-runtime <= 1.2x crun and <= 0.5x runc. Needs root and busybox-static.
#
# STATIC_STDLIB=1 first builds stack-runtime with the Swift standard library and Foundation
# linked in (`swift build -c release --product stack-runtime --static-swift-stdlib
# --scratch-path .build-static`, a separate build directory) and times that binary: no dynamic
# loading of the Swift libraries, about 2 ms less per process, and `run` starts two (the runtime
# and the container's init). BUILD=1 builds the default (dynamically linked) release binary
# first. Without either, the binary is used as it is. The binary timed is printed.
#
# On a hybrid cgroup host (v1 controllers plus a cgroup2 mount at /sys/fs/cgroup/unified)
# crun refuses to run, so crun is timed inside a private mount namespace (unshare -m) where
# /sys/fs/cgroup/unified is unmounted; stack-runtime is then timed there too, and its ratio
# to crun uses those figures. The host's mounts are not touched.
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

if [ "${STATIC_STDLIB:-0}" = 1 ] && [ -z "${STACK_RUNTIME:-}" ]; then
  swift build -c release --product stack-runtime --static-swift-stdlib --scratch-path .build-static >&2
  STACK_RUNTIME=.build-static/release/stack-runtime
elif [ "${BUILD:-0}" = 1 ] && [ -z "${STACK_RUNTIME:-}" ]; then
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

# One timing series: LABEL PATH ENV; prints one JSON line. ENV "host" runs here; "hidden"
# runs in a private mount namespace without the cgroup2 mount.
cat > "$work/time_run.py" <<'PY'
import json, statistics, subprocess, sys, time
label, runtime, env, bundle, prefix, runs, warmup = sys.argv[1:8]
runs, warmup = int(runs), int(warmup)
times, error = [], None
for i in range(warmup + runs):
    cid = f"{prefix}-{label}-{env}-{i}"
    start = time.perf_counter()
    proc = subprocess.run([runtime, "run", "--bundle", bundle, cid],
                          stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = (time.perf_counter() - start) * 1000
    subprocess.run([runtime, "delete", "-f", cid], stdin=subprocess.DEVNULL,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if proc.returncode != 0:
        error = f"exit {proc.returncode}: " + proc.stderr.decode(errors="replace").strip()[-300:]
        break
    if i >= warmup:
        times.append(elapsed)
print(json.dumps({"label": label, "env": env, "times": times, "error": error}))
PY

results=$work/results.jsonl
: > "$results"
time_series() {   # LABEL PATH ENV
  if [ "$3" = hidden ]; then
    unshare -m --propagation private sh -c 'umount /sys/fs/cgroup/unified && exec "$@"' sh \
      "$PYTHON" "$work/time_run.py" "$1" "$2" "$3" "$bundle" "$prefix" "$RUNS" "$WARMUP" >> "$results"
  else
    "$PYTHON" "$work/time_run.py" "$1" "$2" "$3" "$bundle" "$prefix" "$RUNS" "$WARMUP" >> "$results"
  fi
}
for entry in "${runtimes[@]}"; do
  label=${entry%%=*}; path=${entry#*=}
  case $label in
    crun) if [ $hybrid = 1 ]; then time_series crun "$path" hidden; else time_series crun "$path" host; fi ;;
    stack-runtime) time_series "$label" "$path" host
                   if [ $hybrid = 1 ]; then time_series "$label" "$path" hidden; fi ;;
    *) time_series "$label" "$path" host ;;
  esac
done

"$PYTHON" - "$results" "$RUNS" "$hybrid" <<'PY'
import json, statistics, sys
path, runs, hybrid = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1"
rows = [json.loads(line) for line in open(path)]
print(f"run of /bin/true on a busybox bundle, {runs} runs each (wall time incl. fork/exec of the runtime)")
if hybrid:
    print("hybrid cgroup host: crun (and stack-runtime, second row) timed in a private mount "
          "namespace with /sys/fs/cgroup/unified unmounted")
medians = {}
for row in rows:
    name = row["label"] + (" (unified hidden)" if row["env"] == "hidden" else "")
    if row["error"] or not row["times"]:
        print(f"{name:32} skipped: {row['error']}")
        continue
    t = sorted(row["times"])
    medians[(row["label"], row["env"])] = statistics.median(t)
    print(f"{name:32} median {statistics.median(t):6.1f} ms   min {t[0]:6.1f} ms")
def ratio(a, b, note=""):
    if a in medians and b in medians:
        print(f"{a[0]}/{b[0]}{note}: {medians[a] / medians[b]:.2f}x (median)")
env = "hidden" if hybrid else "host"
ratio(("stack-runtime", env), ("crun", env), " (both with unified hidden)" if hybrid else "")
ratio(("stack-runtime", "host"), ("runc", "host"))
if ("stack-runtime", "host") not in medians and ("crun", env) in medians and ("runc", "host") in medians:
    ratio(("crun", env), ("runc", "host"))
PY
