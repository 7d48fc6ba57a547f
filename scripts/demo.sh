#!/usr/bin/env bash
# The main job on a fresh Debian 12 machine, as root: install what is needed, build, check the
# bundled example with `stack config`, make its image from Debian's busybox-static, and run a
# container from it through the engine (stack → stackd → monitor → stack-runtime), two containers
# that talk by name on a network of their own, and `stack up -d` of the whole example (a one-shot
# seeding a volume, a healthchecked web server, two workers fetching from it by name across an
# internal network), then `stack down -v`. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
. scripts/env.sh
swift build -c release
bin="$PWD/.build/release"

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
  sh -c 'nslookup web | grep Address | tail -n 1; printf "GET / HTTP/1.0\r\n\r\n" | nc -w 5 web 80 | tail -n 1'
port=$("$bin/stack" container port demo-web 80 | head -n 1)
echo "published on $port:"
printf 'GET / HTTP/1.0\r\n\r\n' | /bin/busybox nc -w 5 "${port%:*}" "${port##*:}" | tail -n 1
"$bin/stack" container rm -f demo-web >/dev/null
"$bin/stack" network rm demo-net >/dev/null

echo "== stack up -d on examples/hello"
(cd examples/hello && "$bin/stack" down -v -t 1 >/dev/null 2>&1 || true)
(cd examples/hello && "$bin/stack" up -d)
"$bin/stack" container ls
sleep 2
echo "a worker's log (it fetches http://web:8080/ by name):"
"$bin/stack" container logs --tail 2 hello-worker-1
echo "the published port, 127.0.0.1:${WEB_PORT:-8080}:"
printf 'GET / HTTP/1.0\r\n\r\n' | /bin/busybox nc -w 5 127.0.0.1 "${WEB_PORT:-8080}" | tail -n 1
(cd examples/hello && "$bin/stack" up --dry-run)
(cd examples/hello && "$bin/stack" down -v -t 1)
