# Sourced by the benchmarks: binds a new network namespace on file $2/netns (loopback up; no
# /run/netns), and writes $2/stackd, a wrapper that runs $3/stackd inside it, so the benchmark's
# bridges, rules and ports never touch the host's network. Exports STACKD and this run's network
# settings ($4 = kernel name prefix, $5 = address pool). $1 is unused (kept for the callers' names).
bench_netns_stackd() {
  : > "$2/netns"
  unshare --net="$2/netns" true
  nsenter --net="$2/netns" ip link set lo up
  printf '#!/bin/sh\nexec nsenter --net=%s %s/stackd "$@"\n' "$2/netns" "$3" > "$2/stackd"
  chmod 755 "$2/stackd"
  export STACKD=$2/stackd STACK_NETWORK_PREFIX=$4 STACK_ADDRESS_POOLS=$5 STACK_DNS_UPSTREAM=127.0.0.1:9
}

# Undo it: unmount everything under $2 (the namespace's file included).
bench_netns_cleanup() {
  { grep -o " $2[^ ]*" /proc/mounts || true; } | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
}
