#!/usr/bin/env bash
# dnsperf against stack's embedded DNS server (issue 5): stackd runs in a network namespace of
# its own; a user network holds N containers (default 10); dnsperf, in that namespace, asks the
# network's gateway for their names (A records) with 100 queries in flight and with 1 in flight,
# for SECONDS seconds each (default 10). Prints queries/s and the average latency.
# Goal: >= 100k q/s and <= 0.075 ms (docker's embedded DNS here: 52k/s, 0.126 ms; aardvark-dns
# 57k/s, 0.075 ms).
#
# Uses the release binaries in .build/release (BUILD=1 builds them first). Needs root,
# busybox-static, dnsperf and iproute2 (to make the namespace). Nothing leaves the machine.
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
ip netns add "$ns"
ip -n "$ns" link set lo up
printf '#!/bin/sh\nexec nsenter --net=/run/netns/%s %s/stackd "$@"\n' "$ns" "$bin" > "$work/stackd"
chmod 755 "$work/stackd"
export STACK_ROOT=$work/root STACK_RUN=$work/run STACKD=$work/stackd
export STACK_NETWORK_PREFIX=bdns STACK_ADDRESS_POOLS=10.123.0.0/16/24 STACK_DNS_UPSTREAM=127.0.0.1:9
cleanup() {
  if [ -f "$STACK_RUN/stackd.pid" ]; then
    "$bin/stack" container rm -f $("$bin/stack" container ls -aq 2>/dev/null) >/dev/null 2>&1 || true
    "$bin/stack" network rm bench >/dev/null 2>&1 || true
    kill "$(cat "$STACK_RUN/stackd.pid")" 2>/dev/null || true
    sleep 0.5
  fi
  grep -o " $work[^ ]*" /proc/mounts | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
  ip netns del "$ns" 2>/dev/null || true
  rm -rf --one-file-system "$work"
}
trap cleanup EXIT

"$PYTHON" - "$work/rootfs.tar" <<'PY'
import subprocess, sys, tarfile
applets = subprocess.run(['/bin/busybox', '--list'], capture_output=True, text=True).stdout.split()
with tarfile.open(sys.argv[1], 'w') as tar:
    for d in ['bin', 'etc', 'tmp', 'proc', 'sys', 'dev']:
        info = tarfile.TarInfo(d); info.type = tarfile.DIRTYPE; info.mode = 0o755; tar.addfile(info)
    tar.add('/bin/busybox', arcname='bin/busybox')
    for applet in applets:
        if applet == 'busybox': continue
        info = tarfile.TarInfo('bin/' + applet); info.type = tarfile.SYMTYPE; info.linkname = 'busybox'; tar.addfile(info)
PY
"$bin/stack" image import "$work/rootfs.tar" stack-bench:latest >/dev/null
"$bin/stack" network create bench >/dev/null
: > "$work/queries"
for i in $(seq 1 "$CONTAINERS"); do
  "$bin/stack" container run -d --name "svc$i" --network bench stack-bench:latest sleep 3600 >/dev/null
  echo "svc$i A" >> "$work/queries"
done
gateway=$("$bin/stack" network inspect bench | "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)[0]["IPAM"]["Config"][0]["Gateway"])')

run() {  # $1 = queries in flight
  ip netns exec "$ns" dnsperf -s "$gateway" -d "$work/queries" -l "$SECONDS_EACH" -q "$1" -c 1 -T 1 2>&1
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
