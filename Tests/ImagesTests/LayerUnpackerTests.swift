import Foundation
import Images
import StackCore
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite struct LayerUnpackerTests {
    /// A store-like layout: layers/, tmp/ and an `outside` directory hostile entries aim at.
    struct Fixture {
        let dir: TemporaryDirectory
        let unpacker: LayerUnpacker
        var outside: String { dir.sub("outside") }

        init() throws {
            dir = try TemporaryDirectory()
            unpacker = try LayerUnpacker(layersDirectory: dir.sub("layers"), temporaryDirectory: dir.sub("tmp"))
            try FileManager.default.createDirectory(atPath: dir.sub("outside"), withIntermediateDirectories: true)
        }

        /// Nothing was left behind in tmp/, layers/ or outside/.
        func expectNothingWritten() {
            #expect(TestFS.listing(dir.sub("tmp")) == [])
            #expect(TestFS.listing(dir.sub("layers")) == [])
            #expect(TestFS.listing(outside) == [])
            #expect(TestFS.listing(dir.path) == ["layers", "outside", "tmp"])
        }
    }

    @Test func unpacksFilesDirectoriesLinksAndMetadata() throws {
        let fixture = try Fixture()
        let tar = fixture.dir.sub("layer.tar")
        try makeTar(tar) { tar in
            try tar.add("./etc/", .directory, mode: 0o750, mtime: 1_600_000_000)
            try tar.add("./etc/motd", .file(Array("hello\n".utf8)), mode: 0o640, uid: 1000, gid: 1001,
                        mtime: 1_650_000_000, xattrs: ["user.note": Array("yes".utf8)])
            try tar.add("./etc/motd.link", .hardLink("./etc/motd"))
            try tar.add("./etc/alias", .symlink("motd"))
            try tar.add("./pipe", .fifo)
        }
        let layer = try fixture.unpacker.unpack(path: tar, label: "test")
        #expect(layer.diffID == TestFS.sha256(ofFile: tar))
        #expect(layer.compression == .none)
        #expect(layer.path == fixture.unpacker.path(for: layer.diffID))
        #expect(TestFS.read(layer.path + "/etc/motd") == "hello\n")
        let motd = try #require(TestFS.lstatInfo(layer.path + "/etc/motd"))
        #expect(motd.st_mode & 0o7777 == 0o640)
        #expect(motd.st_mtim.tv_sec == 1_650_000_000)
        #expect(motd.st_nlink == 2)
        let link = try #require(TestFS.lstatInfo(layer.path + "/etc/motd.link"))
        #expect(link.st_ino == motd.st_ino)
        if TestFS.isRoot {
            #expect(motd.st_uid == 1000 && motd.st_gid == 1001)
        }
        #expect(TestFS.xattr(layer.path + "/etc/motd", "user.note") == "yes")
        #expect(TestFS.readlink(layer.path + "/etc/alias") == "motd")
        #expect(TestFS.lstatInfo(layer.path + "/etc").map { $0.st_mode & 0o7777 } == 0o750)
        #expect(TestFS.fileType(layer.path + "/pipe") == S_IFIFO)
        #expect(TestFS.listing(fixture.dir.sub("tmp")) == [])
    }

    @Test(arguments: [LayerCompression.gzip, .xz, .zstd])
    func diffIDIsTheDigestOfTheUncompressedTar(compression: LayerCompression) throws {
        let fixture = try Fixture()
        func build(_ tar: TarWriter) throws {
            try tar.add("a", .directory)
            try tar.add("a/b", .file(Array(repeating: 65, count: 100_000)))
        }
        let plain = fixture.dir.sub("plain.tar")
        let packed = fixture.dir.sub("packed.tar.x")
        try makeTar(plain, build)
        try makeTar(packed, compression: compression, build)
        #expect(TestFS.sha256(ofFile: plain) != TestFS.sha256(ofFile: packed))
        let layer = try fixture.unpacker.unpack(path: packed, label: "packed")
        #expect(layer.compression == compression)
        #expect(layer.diffID == TestFS.sha256(ofFile: plain))
        #expect(layer.uncompressedSize == Int64(try #require(FileManager.default.contents(atPath: plain)).count))
        #expect(TestFS.lstatInfo(layer.path + "/a/b")?.st_size == 100_000)
    }

    @Test func expectedDiffIDMismatchIsRefusedAndCleanedUp() throws {
        let fixture = try Fixture()
        let tar = fixture.dir.sub("layer.tar")
        try makeTar(tar) { try $0.add("x", .file([1, 2, 3])) }
        let wrong = Digest.of(Array("other".utf8))
        #expect(throws: StackError.self) {
            try fixture.unpacker.unpack(path: tar, label: "test", expectedDiffID: wrong)
        }
        try FileManager.default.removeItem(atPath: tar)
        fixture.expectNothingWritten()
    }

    @Test func notATarIsRefused() throws {
        let fixture = try Fixture()
        let junk = fixture.dir.sub("junk")
        try TestFS.write(junk, String(repeating: "not a tar archive ", count: 100))
        let error = #expect(throws: StackError.self) { try fixture.unpacker.unpack(path: junk, label: "junk") }
        #expect(error?.message.contains("junk") == true)
        try FileManager.default.removeItem(atPath: junk)
        fixture.expectNothingWritten()
    }

    /// Hostile archives: each is refused naming the entry, and nothing exists outside or half-made.
    @Test(arguments: [
        ("dotdot", "'../x' escapes the layer"),
        ("absolute", "'/etc/x' has an absolute path"),
        ("hardlink-absolute", "hard link 'h' to '/etc/passwd' escapes the layer"),
        ("nested-dotdot", "'a/../../x' escapes the layer"),
        ("symlink-parent", "'a/x' goes through the symlink 'a'"),
        ("symlink-parent-relative", "'up/outside/x' goes through the symlink 'up'"),
        ("hardlink-outside", "hard link 'passwd' to '../../etc/passwd' escapes the layer"),
        ("hardlink-through-symlink", "goes through the symlink 'a'"),
        ("hardlink-missing", "the target is not in the layer"),
        ("symlinked-symlink-parent", "'b/x' goes through the symlink 'b'"),
    ])
    func hostileArchiveIsRejected(name: String, expected: String) throws {
        let fixture = try Fixture()
        let outside = fixture.outside
        let tar = fixture.dir.sub("hostile.tar")
        try makeTar(tar) { tar in
            try tar.add("ok", .file(Array("fine".utf8)))
            switch name {
            case "dotdot":
                try tar.add("../x", .file(Array("evil".utf8)))
            case "absolute":
                try tar.add("/etc/x", .file(Array("evil".utf8)))
            case "hardlink-absolute":
                try tar.add("h", .hardLink("/etc/passwd"))
            case "nested-dotdot":
                try tar.add("a", .directory)
                try tar.add("a/../../x", .file(Array("evil".utf8)))
            case "symlink-parent":
                try tar.add("a", .symlink(outside))
                try tar.add("a/x", .file(Array("evil".utf8)))
            case "symlink-parent-relative":
                try tar.add("up", .symlink("../.."))
                try tar.add("up/outside/x", .file(Array("evil".utf8)))
            case "hardlink-outside":
                try tar.add("passwd", .hardLink("../../etc/passwd"))
            case "hardlink-through-symlink":
                try tar.add("a", .symlink(outside))
                try tar.add("stolen", .hardLink("a/secret"))
            case "hardlink-missing":
                try tar.add("stolen", .hardLink("nothing/here"))
            case "symlinked-symlink-parent":
                try tar.add("a", .symlink(outside))
                try tar.add("b", .hardLink("a"))
                try tar.add("b/x", .file(Array("evil".utf8)))
            default:
                Issue.record("unknown case \(name)")
            }
        }
        try TestFS.write(outside + "/secret", "secret")
        let error = #expect(throws: StackError.self) {
            try fixture.unpacker.unpack(path: tar, label: "sha256:feed")
        }
        #expect(error?.message.hasPrefix("layer sha256:feed: ") == true)
        #expect(error?.message.contains(expected) == true, "\(String(describing: error?.message))")
        #expect(TestFS.listing(outside) == ["secret"])
        #expect(TestFS.read(outside + "/secret") == "secret")
        try FileManager.default.removeItem(atPath: outside + "/secret")
        try FileManager.default.removeItem(atPath: tar)
        fixture.expectNothingWritten()
        #expect(!FileManager.default.fileExists(atPath: "/tmp/x") || TestFS.read("/tmp/x") != "evil")
    }

    @Test func aFileReplacingASymlinkDoesNotWriteThroughIt() throws {
        let fixture = try Fixture()
        try TestFS.write(fixture.outside + "/target", "original")
        let tar = fixture.dir.sub("layer.tar")
        try makeTar(tar) { tar in
            try tar.add("a", .symlink(fixture.outside + "/target"))
            try tar.add("a", .file(Array("replaced".utf8)))
        }
        let layer = try fixture.unpacker.unpack(path: tar, label: "test")
        #expect(TestFS.read(fixture.outside + "/target") == "original")
        #expect(TestFS.fileType(layer.path + "/a") == S_IFREG)
        #expect(TestFS.read(layer.path + "/a") == "replaced")
    }

    @Test func directoryMetadataFixupsDoNotFollowAReplacingSymlink() throws {
        let fixture = try Fixture()
        try TestFS.write(fixture.outside + "/target", "original", mode: 0o600)
        let before = try #require(TestFS.lstatInfo(fixture.outside + "/target"))
        let tar = fixture.dir.sub("layer.tar")
        try makeTar(tar) { tar in
            // The directory's mode and time are applied when the archive ends, by which time "d" is a symlink.
            try tar.add("d", .directory, mode: 0o777, mtime: 1_000)
            try tar.add("d", .symlink(fixture.outside + "/target"))
        }
        let layer = try fixture.unpacker.unpack(path: tar, label: "test")
        #expect(TestFS.fileType(layer.path + "/d") == S_IFLNK)
        let after = try #require(TestFS.lstatInfo(fixture.outside + "/target"))
        #expect(after.st_mode == before.st_mode)
        #expect(after.st_mtim.tv_sec == before.st_mtim.tv_sec)
        #expect(TestFS.read(fixture.outside + "/target") == "original")
    }

    @Test func whiteoutsBecomeOverlayWhiteouts() throws {
        guard TestFS.isRoot else {
            print("skipped: overlay whiteouts need root (mknod 0/0, trusted.* xattrs)")
            return
        }
        let fixture = try Fixture()
        let tar = fixture.dir.sub("layer.tar")
        try makeTar(tar) { tar in
            try tar.add("etc", .directory)
            try tar.add("etc/.wh.passwd", .file([]))
            try tar.add("var/.wh..wh..opq", .file([]))
            try tar.add("var/kept", .file(Array("k".utf8)))
            try tar.add("opaque-dir", .directory, mode: 0o700)
            try tar.add("opaque-dir/.wh..wh..opq", .file([]))
            try tar.add("etc/.wh.evil", .file([]), xattrs: ["trusted.overlay.redirect": Array("/x".utf8)])
            try tar.add("plain", .file([1]), xattrs: ["trusted.overlay.opaque": Array("y".utf8)])
            try tar.add(".wh..wh.plnk", .directory)
        }
        let layer = try fixture.unpacker.unpack(path: tar, label: "test")
        let whiteout = try #require(TestFS.lstatInfo(layer.path + "/etc/passwd"))
        #expect(whiteout.st_mode & S_IFMT == S_IFCHR)
        #expect(whiteout.st_rdev == 0)
        #expect(!FileManager.default.fileExists(atPath: layer.path + "/etc/.wh.passwd"))
        #expect(TestFS.xattr(layer.path + "/var", "trusted.overlay.opaque") == "y")
        #expect(TestFS.read(layer.path + "/var/kept") == "k")
        #expect(!FileManager.default.fileExists(atPath: layer.path + "/var/.wh..wh..opq"))
        #expect(TestFS.xattr(layer.path + "/opaque-dir", "trusted.overlay.opaque") == "y")
        #expect(TestFS.lstatInfo(layer.path + "/opaque-dir").map { $0.st_mode & 0o7777 } == 0o700)
        #expect(TestFS.xattr(layer.path + "/plain", "trusted.overlay.opaque") == nil, "overlay xattrs are not taken from archives")
        #expect(TestFS.listing(layer.path) == ["etc", "opaque-dir", "plain", "var"], "AUFS metadata entries are skipped")
    }

    @Test func devicesAreCreatedWhenRoot() throws {
        guard TestFS.isRoot else {
            print("skipped: device nodes need root")
            return
        }
        let fixture = try Fixture()
        let tar = fixture.dir.sub("layer.tar")
        try makeTar(tar) { tar in
            try tar.add("dev", .directory)
            try tar.add("dev/null", .characterDevice(major: 1, minor: 3), mode: 0o666)
        }
        let layer = try fixture.unpacker.unpack(path: tar, label: "test")
        let null = try #require(TestFS.lstatInfo(layer.path + "/dev/null"))
        #expect(null.st_mode & S_IFMT == S_IFCHR)
        #expect(null.st_rdev == (1 << 8 | 3))
    }

    @Test func sameLayerTwiceKeepsOneDirectory() throws {
        let fixture = try Fixture()
        let tar = fixture.dir.sub("layer.tar")
        try makeTar(tar) { try $0.add("x", .file([1])) }
        let first = try fixture.unpacker.unpack(path: tar, label: "one")
        let second = try fixture.unpacker.unpack(path: tar, label: "two")
        #expect(first == second)
        #expect(TestFS.listing(fixture.dir.sub("layers")) == [first.diffID.hex])
        #expect(TestFS.listing(fixture.dir.sub("tmp")) == [])
    }
}
