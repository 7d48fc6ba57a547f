#!/usr/bin/env bash
# Installs what is needed, builds, and runs every test, as root on Debian 12. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
. scripts/env.sh

swift build --build-tests

# The Compose conformance corpus, when a shared/ folder sits next to the checkout. Known
# exceptions (listed with reasons in the script) are reported; any other failure fails the run.
if [ -d ../shared/conformance ]; then
  "$PYTHON" scripts/conformance.py --stack .build/debug/stack --corpus ../shared/conformance --summary-only --strict
fi

# Unit and integration tests (Swift Testing). The end-to-end engine tests (EngineTests: real
# daemons and containers through the CLI) block their threads while commands run; they get a run
# of their own, so the timing-sensitive async tests of the other targets never wait behind them
# for a thread of the 2-core cooperative pool.
swift test --skip-build --skip EngineTests
swift test --skip-build --filter EngineTests

# The corpus's end-to-end scenarios (e2e-stacks: `up`, `stop`, `scale`…), each on an engine of
# its own in a private network namespace, so root only. Known exceptions (listed with reasons in
# the script) are reported; any other failure, or a command stack lacks, fails the run.
if [ -d ../shared/conformance/e2e-stacks ] && [ "$(id -u)" = 0 ]; then
  "$PYTHON" scripts/conformance-up.py --bin .build/debug --corpus ../shared/conformance --strict
fi
