#!/usr/bin/env bash
# Installs what building and testing stack needs on Debian 12, as root. Idempotent: installs
# only what is missing, and runs `apt-get update` only when something is.
set -euo pipefail

packages=(
  libyaml-dev        # CYAML: the stack file parser
  libarchive-dev     # CArchive: image layers
  libseccomp-dev     # CSeccomp: seccomp filters
  libsqlite3-dev     # CSQLite: the state store
  libssl-dev         # CCrypto: sha256 of image blobs (OpenSSL EVP)
  musl-dev           # stack-monitor links statically against musl (~160 kB RSS per container)
  pkg-config         # finds the libraries above
  busybox-static     # the example image and test rootfs
  python3-yaml       # scripts/conformance.py (system python)
  nftables           # `nft -f -`: stackd's NAT and port rules
  iproute2           # tests only: `ip netns` makes each test's network namespace, `ip` observes
  curl               # tests only: published ports from the test's namespace (busybox wget crashes here)
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
  if [ -x /opt/swift/usr/bin/swift ]; then
    echo "note: swift is at /opt/swift/usr/bin; the scripts add it to PATH" >&2
  else
    echo "error: no Swift toolchain found (need Swift 6.1 or later on PATH or in /opt/swift)" >&2
    exit 1
  fi
fi
