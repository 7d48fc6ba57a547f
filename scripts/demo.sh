#!/usr/bin/env bash
# The main job on a fresh Debian 12 machine, as root: install what is needed, build, check the
# bundled example with `stack config`, make its image from Debian's busybox-static, and run a
# container from it through the engine (stack → stackd → monitor → stack-runtime), then two
# containers that talk by name on a network of their own, one with a published port. Idempotent.
# (`stack up` of the whole example comes with the reconciler issue.)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
. scripts/env.sh
swift build -c release
bin=.build/release

echo "== stack config on examples/hello"
"$bin/stack" -f examples/hello/compose.yaml config

echo "== the example's image, from busybox-static (stack image import)"
tarball=$(mktemp /tmp/stack-example-rootfs.XXXXXX.tar)
trap 'rm -f "$tarball"' EXIT
"$PYTHON" scripts/busybox-rootfs.py "$tarball"
"$bin/stack" image import "$tarball" stack-example/busybox:latest
"$bin/stack" image ls

echo "== a container from it (stack container run --rm)"
"$bin/stack" container run --rm --name hello-demo -m 64m --pids-limit 64 stack-example/busybox:latest \
  sh -c 'echo "hello from stack: pid $$ on $(hostname), $(wc -l < /proc/self/mounts) mounts"; cat /proc/self/cgroup | head -3'
echo "(stackd keeps running: $(cat "${STACK_RUN:-/run/stack}/stackd.pid" 2>/dev/null || echo '?'); stop it with: kill \$(cat ${STACK_RUN:-/run/stack}/stackd.pid))"

echo "== two containers on a user network: by name, and through a published port"
"$bin/stack" container rm -f demo-web >/dev/null 2>&1 || true
"$bin/stack" network rm demo-net >/dev/null 2>&1 || true
"$bin/stack" network create demo-net >/dev/null
"$bin/stack" container run -d --name demo-web --network demo-net --network-alias web -p 127.0.0.1::80 \
  stack-example/busybox:latest sh -c 'echo "hello from $(hostname) on demo-net" > /index.html && exec httpd -f -p 80 -h /' >/dev/null
"$bin/stack" container run --rm --network demo-net stack-example/busybox:latest \
  sh -c 'nslookup web | tail -n 2; printf "GET / HTTP/1.0\r\n\r\n" | nc -w 5 web 80 | tail -n 1'
port=$("$bin/stack" container port demo-web 80 | head -n 1)
echo "published on $port:"
printf 'GET / HTTP/1.0\r\n\r\n' | /bin/busybox nc -w 5 "${port%:*}" "${port##*:}" | tail -n 1
"$bin/stack" container rm -f demo-web >/dev/null
"$bin/stack" network rm demo-net >/dev/null
