#!/usr/bin/env bash
# The main job on a fresh Debian 12 machine, as root: install what is needed, build, and run
# stack on the bundled example. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
. scripts/env.sh
swift build -c release --product stack
echo "== stack config on examples/hello"
.build/release/stack -f examples/hello/compose.yaml config
