#!/usr/bin/env bash
# Times `up -d`, a no-op `up -d` and `down` of stacks of 10 and 50 services (SIZES), side by side
# with docker-compose (against a dockerd this script starts in a network namespace of its own,
# with its own data root, and stops by pid) and podman-compose when they are installed (Debian
# packages docker.io + docker-compose, podman + podman-compose). Median over RUNS rounds (default
# 3), the tools taking turns. Each service is busybox `sleep` on the project's default network;
# `down -t 0` everywhere, so no tool waits out a stop timeout.
# Goals (issue 7): 10 services up <= 0.5 s, down <= 0.5 s, no-op up <= 0.1 s; 50 services up <= 2 s.
#
# Uses the release binaries in .build/release (BUILD=1 builds them first). Needs root and
# busybox-static. Everything lives in a temporary directory, removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
RUNS=${RUNS:-3}
SIZES=${SIZES:-10 50}

if [ "$(id -u)" != 0 ]; then echo "compose-up: needs root" >&2; exit 1; fi
[ -x /bin/busybox ] || { echo "compose-up: needs busybox-static" >&2; exit 1; }
if [ "${BUILD:-0}" = 1 ]; then swift build -c release >&2; fi
bin=$(readlink -f .build/release)
for b in stack stackd stack-runtime stack-monitor stack-proxy; do
  [ -x "$bin/$b" ] || { echo "compose-up: $bin/$b is not built (BUILD=1 or swift build -c release)" >&2; exit 1; }
done

work=$(mktemp -d /tmp/stack-bench-compose.XXXXXX)
chmod 755 "$work"
. bench/netns-stackd.sh
bench_netns_stackd compose "$work" "$bin" bcmp 10.126.0.0/16/24
export STACK_ROOT=$work/root STACK_RUN=$work/run
dockerd_pid=
# podman bind-mounts /run/netns onto itself for its namespaces; undone at the end if it was not so.
run_netns_was_mounted=$(grep -c ' /run/netns ' /proc/mounts || true)
cleanup() {
  for n in $SIZES; do
    (cd "$work/s$n" 2>/dev/null && "$bin/stack" -p "bench$n" down -t 0 >/dev/null 2>&1) || true
    if [ -n "$dockerd_pid" ]; then
      (cd "$work/s$n" 2>/dev/null && DOCKER_HOST=unix://$work/docker.sock docker-compose -p "bench$n" down -t 0 >/dev/null 2>&1) || true
    fi
    if command -v podman-compose >/dev/null 2>&1; then
      (cd "$work/s$n" 2>/dev/null && podman_in_ns podman-compose -p "bench$n" down -t 0 >/dev/null 2>&1) || true
    fi
  done
  if [ -f "$STACK_RUN/stackd.pid" ]; then kill "$(cat "$STACK_RUN/stackd.pid")" 2>/dev/null || true; fi
  if [ -n "$dockerd_pid" ]; then
    kill "$dockerd_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$dockerd_pid" 2>/dev/null || break; sleep 0.2; done
  fi
  sleep 0.3
  bench_netns_cleanup compose "$work"
  if [ "$run_netns_was_mounted" = 0 ] && grep -q ' /run/netns ' /proc/mounts && [ -z "$(ls -A /run/netns)" ]; then
    umount /run/netns 2>/dev/null || true
  fi
  rm -rf --one-file-system "$work" 2>/dev/null || true
}
trap cleanup EXIT

# podman with a storage of its own, inside the namespace.
podman_in_ns() {
  nsenter --net="$work/netns" env CONTAINERS_STORAGE_CONF="$work/podman-storage.conf" \
    XDG_RUNTIME_DIR="$work/podman-run" XDG_CONFIG_HOME="$work/podman-config" "$@"
}

"$PYTHON" scripts/busybox-rootfs.py "$work/rootfs.tar" >/dev/null
"$bin/stack" image import "$work/rootfs.tar" stack-bench:latest >/dev/null

for n in $SIZES; do
  mkdir -p "$work/s$n"
  {
    # `version:` and no `name:` for docker-compose 1.x (stack warns that version is obsolete).
    echo 'version: "3.8"'
    echo "services:"
    for i in $(seq 1 "$n"); do
      printf '  svc%02d:\n    image: stack-bench:latest\n    command: ["sleep", "1000"]\n' "$i"
    done
  } > "$work/s$n/compose.yaml"
done

tools=("stack=$bin/stack")
if command -v dockerd >/dev/null 2>&1 && command -v docker-compose >/dev/null 2>&1; then
  mkdir -p "$work/docker" "$work/docker-exec"
  nsenter --net="$work/netns" dockerd --data-root "$work/docker" --exec-root "$work/docker-exec" \
    --pidfile "$work/dockerd.pid" -H "unix://$work/docker.sock" --bridge none >"$work/dockerd.log" 2>&1 &
  dockerd_pid=$!
  for _ in $(seq 100); do DOCKER_HOST=unix://$work/docker.sock docker info >/dev/null 2>&1 && break; sleep 0.2; done
  if DOCKER_HOST=unix://$work/docker.sock docker import "$work/rootfs.tar" stack-bench:latest >/dev/null 2>&1; then
    tools+=("docker-compose=env DOCKER_HOST=unix://$work/docker.sock docker-compose")
  else
    echo "note: dockerd did not start ($(tail -n 2 "$work/dockerd.log" | tr '\n' ' ')); docker-compose not timed"
  fi
else
  echo "note: docker.io/docker-compose not installed; docker-compose not timed"
fi
if command -v podman-compose >/dev/null 2>&1; then
  mkdir -p "$work/podman-run" "$work/podman-config/containers"
  printf '[storage]\ndriver = "overlay"\nrunroot = "%s/podman-runroot"\ngraphroot = "%s/podman-root"\n' "$work" "$work" \
    > "$work/podman-storage.conf"
  if podman_in_ns podman import "$work/rootfs.tar" localhost/stack-bench:latest >/dev/null 2>&1; then
    tools+=("podman-compose=podman_in_ns podman-compose")
  else
    echo "note: podman could not import the image; podman-compose not timed"
  fi
else
  echo "note: podman-compose not installed; not timed"
fi

declare -A times
run_timed() { # label phase n command...
  local label=$1 phase=$2 n=$3; shift 3
  local start end
  start=$(date +%s%N)
  if ! (cd "$work/s$n" && eval "$*") >"$work/last.out" 2>&1; then
    echo "$label $phase of $n services failed: $(tail -n 3 "$work/last.out" | tr '\n' ' ')" >&2
    times[$label,$phase,$n]+="fail "
    return 0
  fi
  end=$(date +%s%N)
  times[$label,$phase,$n]+="$(( (end - start) / 1000000 )) "
}

for round in $(seq 1 "$RUNS"); do
  for n in $SIZES; do
    for entry in "${tools[@]}"; do
      label=${entry%%=*} command=${entry#*=}
      run_timed "$label" up "$n" "$command -p bench$n up -d"
      run_timed "$label" noop "$n" "$command -p bench$n up -d"
      run_timed "$label" down "$n" "$command -p bench$n down -t 0"
    done
  done
done

"$PYTHON" - "$RUNS" "$SIZES" "${tools[@]%%=*}" <<PY
import statistics, sys
runs, sizes, labels = int(sys.argv[1]), sys.argv[2].split(), sys.argv[3:]
raw = {$(for k in "${!times[@]}"; do printf '"%s": "%s", ' "$k" "${times[$k]}"; done)}
def median(key):
    values = raw.get(key, "").split()
    if not values or "fail" in values: return None
    return statistics.median(float(v) for v in values)
print(f"up -d / no-op up -d / down -t 0 of N busybox services, median of {runs} rounds (ms)")
for n in sizes:
    for phase in ("up", "noop", "down"):
        row = {label: median(f"{label},{phase},{n}") for label in labels}
        text = "  ".join(f"{l} {'failed' if v is None else f'{v:7.0f}'}" for l, v in row.items())
        ratios = "  ".join(f"stack/{l} {row['stack'] / v:.2f}x" for l, v in row.items()
                           if l != "stack" and v and row.get("stack"))
        print(f"{n:3} services {phase:5} {text}   {ratios}")
PY
