#!/bin/sh
# Benchmark of the embedded DNS server's local answer path with dnsperf (not a test).
#
#   bench/dns-server.sh [SECONDS] [CONTAINERS] [PORT]
#
# Builds stack-dns-bench (release), starts it on 127.0.0.1:PORT with CONTAINERS fake containers,
# then runs dnsperf with 100 queries in flight and with 1 in flight against a query file of the
# registered names, and prints queries/s and average latency, first with the listeners' answer
# cache (repeated questions), then without it (every reply decoded and encoded anew). Loopback only.
# (dnsperf paces itself oddly with -q 1: its queries/s there mean nothing, its latency does.)
set -eu
seconds=${1:-10}
containers=${2:-1000}
port=${3:-15353}
cd "$(dirname "$0")/.."

command -v dnsperf >/dev/null || { echo "dnsperf is not installed (apt-get install dnsperf)" >&2; exit 1; }
swift build -c release --product stack-dns-bench 2>&1 | grep -E "error|warning: " || true
binary=$(swift build -c release --show-bin-path)/stack-dns-bench

run() {
    inflight=$1
    dnsperf -s 127.0.0.1 -p "$port" -d "$work/queries" -l "$seconds" -q "$inflight" >"$work/out" 2>&1
    qps=$(awk '/Queries per second/ {print $4}' "$work/out")
    latency=$(awk '/Average Latency/ {printf "%.3f", $4 * 1000}' "$work/out")
    lost=$(awk '/Queries lost/ {print $3, $4}' "$work/out")
    codes=$(awk -F: '/Response codes/ {print $2}' "$work/out")
    printf '%3d in flight: %10.0f queries/s  average latency %s ms  lost %s  (%s)\n' \
        "$inflight" "$qps" "$latency" "$lost" "$(echo $codes)"
}

work=$(mktemp -d)
server=
trap 'if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; fi; rm -rf "$work"' EXIT INT TERM

start() {
    "$binary" "$port" "$containers" "$work/queries" >"$work/server.log" 2>&1 &
    server=$!
    i=0
    until grep -q ready "$work/server.log" 2>/dev/null; do
        i=$((i + 1))
        if [ $i -gt 300 ] || ! kill -0 "$server" 2>/dev/null; then cat "$work/server.log" >&2; exit 1; fi
        sleep 0.1
    done
}

stop() {
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    server=
}

echo "stack-dns-bench: $containers containers, dnsperf ${seconds}s per run, $(nproc) cores"
echo "with the answer cache:"
start
run 100
run 1
stop
echo "without it (decode, look up, encode every query):"
export STACK_DNS_BENCH_NOCACHE=1
start
run 100
run 1
stop
