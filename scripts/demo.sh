#!/usr/bin/env bash
# The main job on a fresh Debian 12 machine, as root: install what is needed, build (release),
# make the examples' image from Debian's busybox-static, and `stack up --wait` the guestbook
# (examples/guestbook: a web front end calling an api by name across two networks, a healthcheck,
# a volume container used through volumes_from, a one-shot seeding job, restart: on-failure).
# It leaves the stack running and prints what to curl and how to stop it. Idempotent: a second
# run finds the image there and the stack converged, and changes nothing.
#
# GUESTBOOK_PORT (default 8080) chooses the published port on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
. scripts/env.sh
swift build -c release
bin="$PWD/.build/release"
export PATH="$bin:$PATH"
image=stack-example/busybox:latest
port=${GUESTBOOK_PORT:-8080}

echo "== the examples' image: $image, from busybox-static (stack image import)"
if stack image inspect "$image" >/dev/null 2>&1; then
  echo "already there"
else
  tarball=$(mktemp /tmp/stack-example-rootfs.XXXXXX.tar)
  trap 'rm -f "$tarball"' EXIT
  "$PYTHON" scripts/busybox-rootfs.py "$tarball"
  stack image import "$tarball" "$image"
fi

echo "== stack up --wait (in examples/guestbook; stackd starts on first use)"
cd examples/guestbook
stack up --wait --wait-timeout 60
stack ps

echo "== the guestbook, published on 127.0.0.1:$port"
echo "\$ curl http://127.0.0.1:$port/cgi-bin/entries"
curl -fsS --max-time 10 "http://127.0.0.1:$port/cgi-bin/entries"
cat <<TEXT

Try it:
  curl http://127.0.0.1:$port/                      # the page, with a form to sign the book
  curl http://127.0.0.1:$port/cgi-bin/entries       # the entries (web asks api, by name)
  curl --data-urlencode name=Ann --data-urlencode message='Hello!' http://127.0.0.1:$port/cgi-bin/entries
  export PATH=$bin:\$PATH; cd $PWD
  stack ps; stack logs api; stack up --dry-run     # a converged stack: nothing to do

The stack keeps running (and so does stackd). To stop it and remove its containers, networks and
volume:
  cd $PWD && $bin/stack down -v
TEXT
