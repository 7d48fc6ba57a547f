import Foundation
import Images
import LinuxOS
import StackCore
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite struct OverlayRootfsTests {
    @Test func overlayOptionsAndUnmount() throws {
        let syscalls = RecordingSyscalls()
        let overlay = OverlayRootfs(
            lowerDirectories: ["/l/top", "/l/a,b:c"], upperDirectory: "/c/upper", workDirectory: "/c/work",
            target: "/c/rootfs", indexOff: true)
        try overlay.mount(using: syscalls)
        try overlay.unmount(using: syscalls)
        #expect(syscalls.calls == [
            #"mount("overlay","/c/rootfs","overlay",0,"lowerdir=/l/top:/l/a\\,b\\:c,upperdir=/c/upper,workdir=/c/work,index=off")"#,
            #"umount2("/c/rootfs",MNT_DETACH)"#,
        ])
    }

    @Test func readOnlyOverlays() throws {
        let syscalls = RecordingSyscalls()
        try OverlayRootfs(lowerDirectories: ["/l/1", "/l/0"], upperDirectory: nil, workDirectory: nil,
                          target: "/r", indexOff: false).mount(using: syscalls)
        try OverlayRootfs(lowerDirectories: ["/l/only"], upperDirectory: nil, workDirectory: nil,
                          target: "/r", indexOff: false).mount(using: syscalls)
        #expect(syscalls.calls == [
            #"mount("overlay","/r","overlay",0,"lowerdir=/l/1:/l/0")"#,
            #"mount("/l/only","/r","",MS_BIND,"")"#,
            #"mount("","/r","",MS_RDONLY|MS_REMOUNT|MS_BIND,"")"#,
        ])
        #expect(throws: StackError.self) {
            try OverlayRootfs(lowerDirectories: [], upperDirectory: nil, workDirectory: nil, target: "/r")
                .mount(using: syscalls)
        }
        #expect(throws: StackError.self) {
            try OverlayRootfs(lowerDirectories: ["/a"], upperDirectory: "/u", workDirectory: nil, target: "/r")
                .mount(using: syscalls)
        }
    }

    @Test func manyLayersGoThroughShortLinks() throws {
        let dir = try TemporaryDirectory()
        let lowers = (0..<60).map { "/var/lib/stack/images/layers/" + Digest.of([UInt8($0)]).hex }
        let syscalls = RecordingSyscalls()
        let tooLong = OverlayRootfs(lowerDirectories: lowers, upperDirectory: "/u", workDirectory: "/w", target: "/r",
                                    indexOff: true)
        #expect(tooLong.options(lowers: lowers).utf8.count > OverlayRootfs.optionLimit)
        let error = #expect(throws: StackError.self) { try tooLong.mount(using: syscalls) }
        #expect(error?.message.contains("limit") == true)
        var linked = tooLong
        linked.linkDirectory = dir.sub("l")
        try linked.mount(using: syscalls)
        let call = try #require(syscalls.calls.last)
        #expect(call.contains("lowerdir=\(dir.sub("l"))/0:\(dir.sub("l"))/1:"))
        #expect(call.utf8.count < 4096)
        #expect(TestFS.readlink(dir.sub("l") + "/0") == lowers[0])
        #expect(TestFS.readlink(dir.sub("l") + "/1n") == lowers[59])
    }

    @Test func unmountOfSomethingNotMountedIsFine() throws {
        let syscalls = RecordingSyscalls()
        syscalls.fail("umount2", with: .EINVAL)
        try OverlayRootfs(lowerDirectories: ["/a"], upperDirectory: nil, workDirectory: nil, target: "/r")
            .unmount(using: syscalls)
        let failing = RecordingSyscalls()
        failing.fail("umount2", with: .EBUSY)
        #expect(throws: StackError.self) {
            try OverlayRootfs(lowerDirectories: ["/a"], upperDirectory: nil, workDirectory: nil, target: "/r")
                .unmount(using: failing)
        }
    }

    /// Privileged: two layers from the image store, the top one whiting out a lower file, mounted for
    /// real with an upper layer; writes land in upper; unmount leaves nothing in /proc/self/mountinfo.
    @Test func mountsTwoLayersWithAWhiteout() throws {
        guard TestFS.isRoot else {
            print("skipped: mounting overlays needs root")
            return
        }
        let dir = try TemporaryDirectory()
        let unpacker = try LayerUnpacker(layersDirectory: dir.sub("layers"), temporaryDirectory: dir.sub("tmp"))
        let lowerTar = dir.sub("lower.tar")
        let upperTar = dir.sub("upper.tar")
        try makeTar(lowerTar) { tar in
            try tar.add("etc", .directory)
            try tar.add("etc/hidden", .file(Array("lower".utf8)))
            try tar.add("etc/kept", .file(Array("kept".utf8)))
            try tar.add("opaque", .directory)
            try tar.add("opaque/old", .file(Array("old".utf8)))
        }
        try makeTar(upperTar) { tar in
            try tar.add("etc/.wh.hidden", .file([]))
            try tar.add("etc/new", .file(Array("new".utf8)))
            try tar.add("opaque/.wh..wh..opq", .file([]))
            try tar.add("opaque/fresh", .file(Array("fresh".utf8)))
        }
        let lower = try unpacker.unpack(path: lowerTar, label: "lower")
        let upper = try unpacker.unpack(path: upperTar, label: "upper")
        for name in ["upper", "work", "rootfs"] {
            try FileManager.default.createDirectory(atPath: dir.sub(name), withIntermediateDirectories: true)
        }
        let target = resolvedPath(dir.sub("rootfs"))
        let overlay = OverlayRootfs(
            lowerDirectories: [upper.path, lower.path], upperDirectory: dir.sub("upper"),
            workDirectory: dir.sub("work"), target: target)
        let syscalls = LinuxSyscalls()
        try overlay.mount(using: syscalls)
        var unmounted = false
        defer { if !unmounted { try? overlay.unmount(using: syscalls) } }
        #expect(TestFS.mounts().contains(" \(target) "))
        #expect(TestFS.listing(target + "/etc") == ["kept", "new"])
        #expect(TestFS.read(target + "/etc/kept") == "kept")
        #expect(!FileManager.default.fileExists(atPath: target + "/etc/hidden"))
        #expect(TestFS.listing(target + "/opaque") == ["fresh"])
        try TestFS.write(target + "/etc/written", "w")
        #expect(TestFS.read(dir.sub("upper/etc/written")) == "w")
        #expect(!FileManager.default.fileExists(atPath: lower.path + "/etc/written"))
        try overlay.unmount(using: syscalls)
        unmounted = true
        #expect(!TestFS.mounts().contains(" \(target) "))
        #expect(TestFS.listing(target) == [])

        // One read-only layer: a read-only bind.
        let single = OverlayRootfs(lowerDirectories: [lower.path], upperDirectory: nil, workDirectory: nil, target: target)
        try single.mount(using: syscalls)
        #expect(TestFS.read(target + "/etc/hidden") == "lower")
        #expect(open(target + "/etc/created", O_WRONLY | O_CREAT, 0o644) == -1)
        #expect(Errno.current == .EROFS)
        try single.unmount(using: syscalls)
        #expect(!TestFS.mounts().contains(" \(target) "))
    }
}

private func resolvedPath(_ path: String) -> String {
    guard let resolved = realpath(path, nil) else { return path }
    defer { free(resolved) }
    return String(cString: resolved)
}
