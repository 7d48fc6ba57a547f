# Sourced by the scripts: puts the Swift toolchain on PATH and picks a Python with PyYAML.
if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then
  export PATH="$PATH:/opt/swift/usr/bin"
fi
PYTHON=python3
if ! python3 -c 'import yaml' >/dev/null 2>&1; then PYTHON=/usr/bin/python3; fi
export PYTHON
