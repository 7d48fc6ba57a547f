#!/usr/bin/env bash
# Fuzzes the stack file loader with libFuzzer for SECONDS (default 60). Crashes land in
# bench/out/fuzz/ as reproducers; replay one with `.build/debug/stack-fuzz FILE`.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
SECONDS_TO_RUN=${1:-60}
swift build -c release --product stack-fuzz --scratch-path .build-fuzz \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DSTACK_LIBFUZZER -Xswiftc -parse-as-library
mkdir -p bench/out/fuzz/corpus
cp examples/*/compose.yaml bench/out/fuzz/corpus/ 2>/dev/null || true
.build-fuzz/release/stack-fuzz -max_total_time="$SECONDS_TO_RUN" -max_len=4096 -timeout=5 \
  -artifact_prefix=bench/out/fuzz/ bench/out/fuzz/corpus
