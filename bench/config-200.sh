#!/usr/bin/env bash
# Times `stack config` on a generated 200-service stack file (release build).
# Prints the median and min wall time over RUNS runs; goal: <= 50 ms.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
RUNS=${RUNS:-30}
swift build -c release --product stack >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$PYTHON" bench/gen-stack.py 200 > "$work/compose.yaml"
bin=.build/release/stack
"$bin" -f "$work/compose.yaml" config -q   # warm the page cache; fails loudly if the file is bad
if command -v hyperfine >/dev/null 2>&1; then
  hyperfine -N --warmup 3 --runs "$RUNS" "$bin -f $work/compose.yaml config" 
else
  times=()
  for _ in $(seq "$RUNS"); do
    start=$(date +%s%N)
    "$bin" -f "$work/compose.yaml" config >/dev/null
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "stack config, 200 services: median %.1f ms, min %.1f ms over %d runs\n", a[int((NR+1)/2)]/1000, a[1]/1000, NR}'
fi
