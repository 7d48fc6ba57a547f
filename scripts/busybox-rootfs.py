#!/usr/bin/env python3
"""Writes a root filesystem tarball made from Debian's busybox-static: /bin/busybox with its
applets as symlinks, /etc/passwd and /etc/group, and the usual empty directories. The example
image (`stack image import`) and the benchmarks use it; no registry is needed.

usage: busybox-rootfs.py OUTPUT.tar
"""
import io
import subprocess
import sys
import tarfile

BUSYBOX = "/bin/busybox"


def add_directory(tar, name, mode=0o755):
    info = tarfile.TarInfo(name)
    info.type = tarfile.DIRTYPE
    info.mode = mode
    tar.addfile(info)


def add_file(tar, name, data, mode=0o644):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = mode
    tar.addfile(info, io.BytesIO(data))


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    applets = subprocess.run([BUSYBOX, "--list"], capture_output=True, text=True, check=True).stdout.split()
    with tarfile.open(sys.argv[1], "w") as tar:
        for name in ["bin", "etc", "root", "proc", "sys", "dev", "srv", "var"]:
            add_directory(tar, name)
        add_directory(tar, "tmp", 0o1777)
        tar.add(BUSYBOX, arcname="bin/busybox")
        for applet in applets:
            if applet == "busybox":
                continue
            info = tarfile.TarInfo("bin/" + applet)
            info.type = tarfile.SYMTYPE
            info.linkname = "busybox"
            tar.addfile(info)
        add_file(tar, "etc/passwd", b"root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n")
        add_file(tar, "etc/group", b"root:x:0:\nnogroup:x:65534:\n")


if __name__ == "__main__":
    main()
