#!/usr/bin/env bash
# dnsperf against stack's embedded DNS server (issue 5): stackd runs in a network namespace of
# its own; a user network holds N containers (default 10); dnsperf, in that namespace, asks the
# network's gateway for their names (A records) with 100 queries in flight and with 1 in flight,
# for SECONDS seconds each (default 10). Prints queries/s and the average latency.
# Goal: >= 100k q/s and <= 0.075 ms (docker's embedded DNS here: 52k/s, 0.126 ms; aardvark-dns
# 57k/s, 0.075 ms).
#
# Uses the release binaries in .build/release (BUILD=1 builds them first). Needs root,
# busybox-static, dnsperf, util-linux (unshare/nsenter) and iproute2. Nothing leaves the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
SECONDS_EACH=${SECONDS_EACH:-10}
CONTAINERS=${CONTAINERS:-10}

if [ "$(id -u)" != 0 ]; then echo "dns bench: needs root" >&2; exit 1; fi
command -v dnsperf >/dev/null || { echo "dns bench: needs dnsperf (apt-get install dnsperf)" >&2; exit 1; }
if [ "${BUILD:-0}" = 1 ]; then swift build -c release >&2; fi
bin=$(readlink -f .build/release)

work=$(mktemp -d /tmp/stack-bench-dns.XXXXXX)
chmod 755 "$work"
ns=stack-bench-dns-$$
. bench/netns-stackd.sh
bench_netns_stackd "$ns" "$work" "$bin" bdns 10.123.0.0/16/24
export STACK_ROOT=$work/root STACK_RUN=$work/run
cleanup() {
  if [ -f "$STACK_RUN/stackd.pid" ]; then
    "$bin/stack" container rm -f $("$bin/stack" container ls -aq 2>/dev/null) >/dev/null 2>&1 || true
    "$bin/stack" network rm bench >/dev/null 2>&1 || true
    kill "$(cat "$STACK_RUN/stackd.pid")" 2>/dev/null || true
    sleep 0.5
  fi
  bench_netns_cleanup "$ns" "$work"
  rm -rf --one-file-system "$work"
}
trap cleanup EXIT

"$PYTHON" scripts/busybox-rootfs.py "$work/rootfs.tar" >/dev/null
"$bin/stack" image import "$work/rootfs.tar" stack-bench:latest >/dev/null
"$bin/stack" network create bench >/dev/null
: > "$work/queries"
for i in $(seq 1 "$CONTAINERS"); do
  "$bin/stack" container run -d --name "svc$i" --network bench stack-bench:latest sleep 3600 >/dev/null
  echo "svc$i A" >> "$work/queries"
done
gateway=$("$bin/stack" network inspect bench | "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)[0]["IPAM"]["Config"][0]["Gateway"])')

run() {  # $1 = queries in flight
  nsenter --net="$work/netns" dnsperf -s "$gateway" -d "$work/queries" -l "$SECONDS_EACH" -q "$1" -c 1 -T 1 2>&1
}
echo "stack embedded DNS on $gateway:53, $CONTAINERS names, ${SECONDS_EACH}s per run"
for inflight in 100 1; do
  out=$(run "$inflight")
  qps=$(echo "$out" | awk '/Queries per second/ {print $4}')
  lat=$(echo "$out" | awk '/Average Latency/ {print $4}')
  lost=$(echo "$out" | awk '/Queries lost/ {print $3}')
  printf '%4s in flight: %10s q/s   avg latency %s s   lost %s\n' "$inflight" "$qps" "$lat" "$lost"
done
ps -o rss= -p "$(cat "$STACK_RUN/stackd.pid")" | awk '{printf "stackd RSS after the runs: %.1f MB\n", $1/1024}'
