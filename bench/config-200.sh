#!/usr/bin/env bash
# Times `stack config` on a generated 200-service stack file (release build): wall time over
# RUNS runs (median, min, p90) and, when valgrind is installed, the instruction count, which is
# repeatable where wall time on a shared VM is not. Goal: <= 50 ms wall.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
RUNS=${RUNS:-40}
swift build -c release --product stack >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$PYTHON" bench/gen-stack.py 200 > "$work/compose.yaml"
bin=.build/release/stack
"$bin" -f "$work/compose.yaml" config -q   # fails loudly if the generated file is bad
"$PYTHON" - "$bin" "$work/compose.yaml" "$RUNS" <<'PY'
import statistics, subprocess, sys, time
binary, stack_file, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
for label, extra in (("config", []), ("config -q", ["-q"])):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([binary, "-f", stack_file, "config", *extra], stdout=subprocess.DEVNULL, check=True)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    print(f"stack {label}, 200 services: median {statistics.median(times):.1f} ms, "
          f"min {times[0]:.1f} ms, p90 {times[int(len(times) * 0.9) - 1]:.1f} ms over {runs} runs")
PY
if command -v valgrind >/dev/null 2>&1; then
  valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" "$bin" -f "$work/compose.yaml" config \
    >/dev/null 2>"$work/cg.err"
  grep -o 'Collected : [0-9]*' "$work/cg.err" | awk '{printf "instructions: %d\n", $3}'
fi
