import Foundation
import StackCore
import Testing
import Volumes

#if canImport(Glibc)
import Glibc
#endif

@Suite struct PathArchiveTests {
    /// A container-like root with symlinks that try to leave it.
    static func makeRoot(_ root: String) throws {
        try Files.mkdir(root)
        try Files.mkdir(root + "/etc")
        try Files.write(root + "/etc/passwd", "root:x:0:0::/root:/bin/sh\n")
        try Files.mkdir(root + "/data", mode: 0o750)
        try Files.write(root + "/data/a.txt", "alpha", mode: 0o640)
        try Files.mkdir(root + "/data/sub")
        try Files.write(root + "/data/sub/b.txt", "beta")
        try Files.check(link(root + "/data/a.txt", root + "/data/sub/a-link"), "link")
        try Files.symlink("../a.txt", root + "/data/sub/relative")
        try Files.symlink("/etc", root + "/absolute")
        try Files.symlink("../../../../../../etc", root + "/dotdot")
        try Files.symlink("/data", root + "/data-link")
        try Files.symlink("loop2", root + "/loop1")
        try Files.symlink("loop1", root + "/loop2")
        try Files.setTimes(root + "/data/a.txt", seconds: 1_234_567_890)
    }

    @Test func resolveStaysInsideTheRoot() throws {
        let directory = try TemporaryDirectory()
        let root = directory.path + "/root"
        try Self.makeRoot(root)
        #expect(try PathArchive.resolve(root: root, path: "/absolute/passwd") == root + "/etc/passwd")
        #expect(try PathArchive.resolve(root: root, path: "/dotdot/passwd") == root + "/etc/passwd")
        #expect(try PathArchive.resolve(root: root, path: "../../../etc") == root + "/etc")
        #expect(try PathArchive.resolve(root: root, path: "/data/sub/relative") == root + "/data/a.txt")
        #expect(try PathArchive.resolve(root: root, path: "/data-link/sub/../a.txt") == root + "/data/a.txt")
        #expect(try PathArchive.resolve(root: root, path: "/") == root)
        #expect(try PathArchive.resolve(root: root, path: "/missing/x") == root + "/missing/x")
        let loop = try #require(throws: StackError.self) { try PathArchive.resolve(root: root, path: "/loop1/x") }
        #expect(loop.message.contains("too many levels of symbolic links"))
    }

    @Test func packAndUnpackRoundTrip() throws {
        let directory = try TemporaryDirectory()
        let root = directory.path + "/root"
        try Self.makeRoot(root)
        if geteuid() == 0 { try Files.check(lchown(root + "/data/sub/b.txt", 1000, 2000), "lchown") }
        let xattrs = try Files.setXattr(root + "/data/a.txt", "user.note", "kept")
        let tar = directory.path + "/data.tar"
        let fd = open(tar, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        try PathArchive.pack(root: root, path: "/data-link/", to: fd)
        close(fd)
        let names = try tarEntryNames(tar)
        #expect(names.first == "data-link/")  // pax marks directories with a trailing /
        #expect(names.contains("data-link/sub/b.txt"))

        let target = directory.path + "/target"
        try Files.mkdir(target)
        try Files.mkdir(target + "/restore")
        let input = open(tar, O_RDONLY)
        defer { close(input) }
        try PathArchive.unpack(root: target, path: "/restore", from: input)
        let restored = target + "/restore/data-link"
        #expect(try Files.read(restored + "/a.txt") == "alpha")
        #expect(try Files.read(restored + "/sub/b.txt") == "beta")
        #expect(try Files.lstat(restored + "/a.txt").st_mode & 0o777 == 0o640)
        #expect(try Files.lstat(restored).st_mode & 0o777 == 0o750)
        #expect(try Files.lstat(restored + "/a.txt").st_mtim.tv_sec == 1_234_567_890)
        #expect(try Files.lstat(restored + "/sub/a-link").st_ino == Files.lstat(restored + "/a.txt").st_ino)
        #expect(try Files.readLink(restored + "/sub/relative") == "../a.txt")
        if xattrs { #expect(Files.xattr(restored + "/a.txt", "user.note") == "kept") }
        if geteuid() == 0 {
            let info = try Files.lstat(restored + "/sub/b.txt")
            #expect(info.st_uid == 1000 && info.st_gid == 2000)
        }
    }

    @Test func packNamesFollowDockersCopySemantics() throws {
        let directory = try TemporaryDirectory()
        let root = directory.path + "/root"
        try Self.makeRoot(root)
        func names(_ path: String) throws -> [String] {
            let tar = directory.path + "/out.tar"
            let fd = open(tar, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            defer { close(fd) }
            try PathArchive.pack(root: root, path: path, to: fd)
            return try tarEntryNames(tar)
        }
        #expect(try names("/etc/passwd") == ["passwd"])
        #expect(try names("/data/.").contains("./a.txt"))
        #expect(try names("/data/.").first == "./")
        #expect(try names("/absolute") == ["absolute"])  // the link itself
        #expect(try names("/absolute/passwd") == ["passwd"])  // a parent link is resolved inside the root
        let missing = try #require(throws: StackError.self) { try names("/dotdot/shadow") }
        #expect(missing.code == .notFound)
    }

    @Test func unpackRefusesEscapingEntries() throws {
        let directory = try TemporaryDirectory()
        let root = directory.path + "/root"
        try Files.mkdir(root)
        try Files.mkdir(root + "/dest")
        let outside = directory.path + "/outside"
        try Files.mkdir(outside)
        try Files.write(outside + "/victim", "original")
        let cases: [(String, [(String, RawTar.Kind)])] = [
            ("dotdot", [("../../outside/victim", .file("owned"))]),
            ("nested dotdot", [("sub/../../../outside/victim", .file("owned"))]),
            ("absolute", [(outside + "/victim", .file("owned"))]),
            ("symlinked parent", [("link", .symlink(outside)), ("link/victim", .file("owned"))]),
            ("relative symlinked parent", [("up", .symlink("../..")), ("up/outside/victim", .file("owned"))]),
            ("hard link out", [("h", .hardLink("../../outside/victim"))]),
            ("hard link through symlink", [("l", .symlink(outside)), ("h", .hardLink("l/victim"))]),
        ]
        for (label, entries) in cases {
            let tar = directory.path + "/hostile.tar"
            let writer = try RawTar(path: tar)
            for (name, kind) in entries { try writer.add(name, kind) }
            try writer.finish()
            let fd = open(tar, O_RDONLY)
            defer { close(fd) }
            #expect(throws: StackError.self, "\(label)") { try PathArchive.unpack(root: root, path: "/dest", from: fd) }
            #expect(try Files.read(outside + "/victim") == "original", "\(label)")
            #expect(try Files.lstat(outside + "/victim").st_nlink == 1, "\(label)")
        }
        // A symlink entry itself may point anywhere: it is stored, not followed.
        let tar = directory.path + "/link.tar"
        let writer = try RawTar(path: tar)
        try writer.add("etc-link", .symlink("/etc"))
        try writer.finish()
        let fd = open(tar, O_RDONLY)
        defer { close(fd) }
        try PathArchive.unpack(root: root, path: "/dest", from: fd)
        #expect(try Files.readLink(root + "/dest/etc-link") == "/etc")
    }

    @Test func unpackReplacesExistingSymlinksInsteadOfFollowingThem() throws {
        let directory = try TemporaryDirectory()
        let root = directory.path + "/root"
        try Files.mkdir(root)
        let outside = directory.path + "/outside"
        try Files.mkdir(outside)
        try Files.symlink(outside, root + "/evil")
        try Files.symlink(outside + "/file", root + "/file-link")
        let tar = directory.path + "/in.tar"
        let writer = try RawTar(path: tar)
        try writer.add("evil", .directory)
        try writer.add("evil/x", .file("inside"))
        try writer.add("file-link", .file("replaced"))
        try writer.finish()
        let fd = open(tar, O_RDONLY)
        defer { close(fd) }
        try PathArchive.unpack(root: root, path: "/", from: fd)
        #expect(try Files.read(root + "/evil/x") == "inside")
        #expect(try Files.lstat(root + "/evil").st_mode & S_IFMT == S_IFDIR)
        #expect(try Files.read(root + "/file-link") == "replaced")
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside).isEmpty)
    }

    @Test func unpackResolvesTheDestinationInsideTheRoot() throws {
        let directory = try TemporaryDirectory()
        let root = directory.path + "/root"
        try Files.mkdir(root)
        try Files.mkdir(root + "/real")
        try Files.symlink("/real", root + "/alias")
        try Files.symlink("../../..", root + "/escape")
        try Files.write(root + "/file", "x")
        let tar = directory.path + "/in.tar"
        let writer = try RawTar(path: tar)
        try writer.add("dir", .directory, mode: 0o700)
        try writer.add("dir/new.txt", .file("new"), mode: 0o600)
        try writer.finish()
        for (path, expected) in [("/alias", root + "/real/dir/new.txt"), ("/escape", root + "/dir/new.txt")] {
            let fd = open(tar, O_RDONLY)
            defer { close(fd) }
            try PathArchive.unpack(root: root, path: path, from: fd)
            #expect(try Files.read(expected) == "new")
        }
        #expect(try Files.lstat(root + "/dir").st_mode & 0o777 == 0o700)
        let fd = open(tar, O_RDONLY)
        defer { close(fd) }
        let notDirectory = try #require(throws: StackError.self) {
            try PathArchive.unpack(root: root, path: "/file", from: fd)
        }
        #expect(notDirectory.message.contains("not a directory"))
        let missing = try #require(throws: StackError.self) {
            try PathArchive.unpack(root: root, path: "/nowhere", from: fd)
        }
        #expect(missing.code == .notFound)
    }

    @Test func unpackWithAnOwnerOverride() throws {
        guard geteuid() == 0 else { return }
        let directory = try TemporaryDirectory()
        let root = directory.path + "/root"
        try Files.mkdir(root)
        let tar = directory.path + "/in.tar"
        let writer = try RawTar(path: tar)
        try writer.add("f", .file("x"), uid: 1234, gid: 5678)
        try writer.add("g", .file("y"), uid: 1234, gid: 5678)
        try writer.finish()
        var fd = open(tar, O_RDONLY)
        try PathArchive.unpack(root: root, path: "/", from: fd)
        close(fd)
        #expect(try Files.lstat(root + "/f").st_uid == 1234)
        fd = open(tar, O_RDONLY)
        try PathArchive.unpack(root: root, path: "/", from: fd, owner: (uid: 0, gid: 0))
        close(fd)
        #expect(try Files.lstat(root + "/g").st_gid == 0)
    }
}
