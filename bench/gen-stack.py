#!/usr/bin/env python3
"""Writes a stack file with N services (default 200) that uses most of the syntax the loader
handles: anchors and merge keys, interpolation, short ports and volumes, env lists, depends_on,
healthchecks, networks and resource limits."""
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
out = ["name: bench", "x-common: &common", "  restart: unless-stopped",
       "  labels:", "    com.example.tier: ${TIER:-backend}", "services:"]
for i in range(n):
    out += [
        f"  svc{i}:",
        "    <<: *common",
        f"    image: registry.local/app{i % 7}:${{TAG:-1.{i}}}",
        f"    command: sh -c 'echo service {i} && sleep 3600'",
        "    ports:",
        f"      - \"127.0.0.1:{20000 + i}:80\"",
        f"      - \"{30000 + i}:{30000 + i}/udp\"",
        "    environment:",
        f"      - INDEX={i}",
        "      - MODE=${MODE:-prod}",
        "      - EMPTY=",
        "    volumes:",
        f"      - data{i % 10}:/var/lib/app",
        f"      - ./conf/{i}:/etc/app:ro",
        "    networks: [front, back]",
        "    healthcheck:",
        "      test: wget -q -O /dev/null http://127.0.0.1/ || exit 1",
        "      interval: 10s",
        "      timeout: 2s",
        "      retries: 3",
        "    deploy:",
        "      resources:",
        "        limits: {cpus: '0.5', memory: 128m}",
    ]
    if i > 0:
        out += ["    depends_on:", f"      svc{i - 1}:", "        condition: service_started"]
out += ["networks:", "  front: {}", "  back: {internal: true}", "volumes:"]
out += [f"  data{j}: {{}}" for j in range(10)]
print("\n".join(out))
