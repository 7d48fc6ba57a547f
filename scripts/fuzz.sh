#!/usr/bin/env bash
# Fuzzes the stack file loader (TARGET loader, the default) or the embedded DNS server's answer
# path (TARGET dns: malformed packets, compression loops, truncation must get no crash and no
# reply larger than the asker allows) with libFuzzer for SECONDS (default 60).
# Usage: scripts/fuzz.sh [SECONDS] [loader|dns]. Crashes land in bench/out/fuzz/ as reproducers;
# replay one with `[STACK_FUZZ_TARGET=dns] .build/debug/stack-fuzz FILE`.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
SECONDS_TO_RUN=${1:-60}
TARGET=${2:-loader}
if [ "$TARGET" = dns ]; then export STACK_FUZZ_TARGET=dns; fi
swift build -c release --product stack-fuzz --scratch-path .build-fuzz \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DSTACK_LIBFUZZER -Xswiftc -parse-as-library
corpus=bench/out/fuzz/corpus-$TARGET
mkdir -p "$corpus"
if [ "$TARGET" = dns ]; then
  # Seeds: a query for a known name, one with EDNS0, a PTR query (written here, no capture needed).
  printf '\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x03web\x00\x00\x01\x00\x01' > "$corpus/a-web"
  printf '\x12\x35\x01\x00\x00\x01\x00\x00\x00\x00\x00\x01\x02db\x00\x00\x1c\x00\x01\x00\x00\x29\x10\x00\x00\x00\x00\x00\x00\x00' > "$corpus/aaaa-db-edns"
  printf '\x12\x36\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x012\x010\x019\x0210\x07in-addr\x04arpa\x00\x00\x0c\x00\x01' > "$corpus/ptr"
else
  cp examples/*/compose.yaml "$corpus/" 2>/dev/null || true
fi
.build-fuzz/release/stack-fuzz -max_total_time="$SECONDS_TO_RUN" -max_len=4096 -timeout=5 \
  -artifact_prefix=bench/out/fuzz/ "$corpus"
