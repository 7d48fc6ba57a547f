# Sourced by the benchmarks: makes network namespace $1 (loopback up) and, in directory $2, a
# `stackd` wrapper that runs $3/stackd inside it, so the benchmark's bridges, rules and ports never
# touch the host's network. Exports STACKD and this run's network settings ($4 = prefix, $5 = pool).
bench_netns_stackd() {
  ip netns add "$1"
  ip -n "$1" link set lo up
  printf '#!/bin/sh\nexec nsenter --net=/run/netns/%s %s/stackd "$@"\n' "$1" "$3" > "$2/stackd"
  chmod 755 "$2/stackd"
  export STACKD=$2/stackd STACK_NETWORK_PREFIX=$4 STACK_ADDRESS_POOLS=$5 STACK_DNS_UPSTREAM=127.0.0.1:9
}

# Undo it: unmount what is left under $2, delete namespace $1.
bench_netns_cleanup() {
  grep -o " $2[^ ]*" /proc/mounts | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
  ip netns del "$1" 2>/dev/null || true
}
