#!/usr/bin/env bash
# Times `stack container run --rm IMAGE /bin/true` end to end (CLI → stackd → monitor →
# stack-runtime), side by side with `runc run` of /bin/true on the same root filesystem and with
# `docker run --rm` when a Docker daemon answers: median and min over RUNS runs (default 30),
# and the ratio stack/runc. Also reports the idle stackd's RSS and one monitor's RSS.
# Goal (issue 4): stack <= 2x runc; idle stackd <= 15 MB RSS; each monitor <= 0.5 MB.
#
# Uses the release binaries in .build/release (BUILD=1 builds them first). Needs root and
# busybox-static. Everything lives in a temporary STACK_ROOT/STACK_RUN, removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
RUNS=${1:-${RUNS:-30}}
WARMUP=${WARMUP:-3}

if [ "$(id -u)" != 0 ]; then echo "container-run: needs root" >&2; exit 1; fi
[ -x /bin/busybox ] || { echo "container-run: needs busybox-static" >&2; exit 1; }
if [ "${BUILD:-0}" = 1 ]; then swift build -c release >&2; fi
bin=$(readlink -f .build/release)
for b in stack stackd stack-runtime stack-monitor; do
  [ -x "$bin/$b" ] || { echo "container-run: $bin/$b is not built (BUILD=1 or swift build -c release)" >&2; exit 1; }
done

work=$(mktemp -d /tmp/stack-bench-run.XXXXXX)
chmod 755 "$work"
# stackd runs in a network namespace of its own (made with iproute2 here), so the default bridge,
# its rules and forwarding do not touch the host's network.
ns=stack-bench-run-$$
. bench/netns-stackd.sh
bench_netns_stackd "$ns" "$work" "$bin" brun 10.124.0.0/16/24
export STACK_ROOT=$work/root STACK_RUN=$work/run
cleanup() {
  if [ -f "$STACK_RUN/stackd.pid" ]; then
    "$bin/stack" container rm -f $("$bin/stack" container ls -aq 2>/dev/null) >/dev/null 2>&1 || true
    kill "$(cat "$STACK_RUN/stackd.pid")" 2>/dev/null || true
    sleep 0.3
  fi
  bench_netns_cleanup "$ns" "$work"
  for id in $(command -v runc >/dev/null && runc list -q 2>/dev/null | grep '^stack-bench-' || true); do
    runc delete -f "$id" >/dev/null 2>&1 || true
  done
  rm -rf --one-file-system "$work"
}
trap cleanup EXIT

# One rootfs for everyone: busybox with its applets, as a tarball (imported by stack) and
# unpacked (runc's bundle).
"$PYTHON" scripts/busybox-rootfs.py "$work/rootfs.tar" >/dev/null
"$bin/stack" image import "$work/rootfs.tar" stack-bench:latest >/dev/null

# `stack` is Docker's default (a veth on the default bridge); `stack-none` has no network, as runc's bundle.
targets=("stack=$bin/stack container run --rm stack-bench:latest /bin/true"
  "stack-none=$bin/stack container run --rm --network none stack-bench:latest /bin/true")
if command -v runc >/dev/null 2>&1; then
  mkdir -p "$work/bundle/rootfs"
  "$PYTHON" -c "import tarfile,sys; tarfile.open(sys.argv[1]).extractall(sys.argv[2])" "$work/rootfs.tar" "$work/bundle/rootfs"
  runc spec --bundle "$work/bundle"
  "$PYTHON" - "$work/bundle/config.json" <<'PY'
import json, sys
config = json.load(open(sys.argv[1]))
config["process"]["terminal"] = False
config["process"]["args"] = ["/bin/true"]
json.dump(config, open(sys.argv[1], "w"), indent=2)
PY
  targets+=("runc=runc run --bundle $work/bundle stack-bench-{i}")
fi
if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
  docker import "$work/rootfs.tar" stack-bench:latest >/dev/null
  targets+=("docker=docker run --rm stack-bench:latest /bin/true")
else
  echo "note: no Docker daemon answers; docker not timed"
fi

"$PYTHON" - "$RUNS" "$WARMUP" "${targets[@]}" <<'PY'
import shlex, statistics, subprocess, sys, time
runs, warmup = int(sys.argv[1]), int(sys.argv[2])
targets = [t.split("=", 1) for t in sys.argv[3:]]
times = {label: [] for label, _ in targets}
failed = {}
# The commands take turns (one run of each per round), so load from elsewhere hits them alike.
for i in range(warmup + runs):
    for label, command in targets:
        if label in failed:
            continue
        argv = [a.replace("{i}", str(i)) for a in shlex.split(command)]
        start = time.perf_counter()
        proc = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        elapsed = (time.perf_counter() - start) * 1000
        if proc.returncode != 0:
            failed[label] = proc.stderr.decode(errors="replace").strip()[-300:]
        elif i >= warmup:
            times[label].append(elapsed)
print(f"run of /bin/true, {runs} rounds, the commands taking turns (wall time of the whole command)")
medians = {}
for label, _ in targets:
    if label in failed:
        print(f"{label:8} failed: {failed[label]}")
        continue
    t = sorted(times[label])
    medians[label] = statistics.median(t)
    print(f"{label:8} median {medians[label]:7.1f} ms   min {t[0]:7.1f} ms")
for mine in ("stack", "stack-none"):
    for other in ("runc", "docker"):
        if mine in medians and other in medians:
            print(f"{mine}/{other}: {medians[mine] / medians[other]:.2f}x (median)")
PY

# Memory: the daemon right after the runs and idle (stackd gives its read-only file pages back
# after 5 s without requests), and one monitor of a running container.
rss() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
pss() { awk '/^Pss:/ {print $2}' "/proc/$1/smaps_rollup" 2>/dev/null || echo "?"; }
daemon=$(cat "$STACK_RUN/stackd.pid")
echo "stackd right after the runs: VmRSS $(rss "$daemon") kB, Pss $(pss "$daemon") kB"
sleep 7
echo "stackd idle (7 s without requests): VmRSS $(rss "$daemon") kB, Pss $(pss "$daemon") kB (goal <= 15 MB)"
id=$("$bin/stack" container run -d stack-bench:latest sleep 60)
monitor=$(cat "$STACK_ROOT/containers/$id/monitor.pid")
echo "monitor: VmRSS $(rss "$monitor") kB, Pss $(pss "$monitor") kB (goal <= 0.5 MB; $(file -b "$bin/stack-monitor" | cut -d, -f1-2))"
echo "stackd with one container: VmRSS $(rss "$daemon") kB"
