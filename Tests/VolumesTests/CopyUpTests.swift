import Foundation
import StackCore
import Testing
import Volumes

#if canImport(Glibc)
import Glibc
#endif

@Suite struct CopyUpTests {
    static let isRoot = geteuid() == 0

    /// Builds an image-like tree under `source` and returns the xattr support flag.
    static func makeTree(_ source: String, outside: String) throws -> Bool {
        try Files.mkdir(source, mode: 0o750)
        try Files.mkdir(source + "/a", mode: 0o2750)
        try Files.write(source + "/a/tool", "#!/bin/sh\n", mode: 0o4755)
        try Files.check(link(source + "/a/tool", source + "/a/tool-hardlink"), "link")
        try Files.mkdir(source + "/tmp", mode: 0o1777)
        try Files.symlink("/etc/passwd", source + "/a/absolute-link")
        try Files.symlink(outside, source + "/outside-link")
        try Files.symlink("../../../../..", source + "/a/dotdot-link")
        try Files.check(mkfifo(source + "/a/pipe", 0o640), "mkfifo")
        try Files.write(source + "/empty", "", mode: 0o600)
        if isRoot {
            for path in ["/a", "/a/tool", "/a/absolute-link", "/tmp"] {
                try Files.check(lchown(source + path, 1000, 2000), "lchown \(path)")
            }
            try Files.check(chmod(source + "/a/tool", 0o4755), "chmod")  // chown cleared setuid
            try Files.check(chmod(source + "/a", 0o2750), "chmod")
            try Files.check(mknod(source + "/null", S_IFCHR | 0o666, makedev(1, 3)), "mknod")
        }
        let xattrs = try Files.setXattr(source + "/a/tool", "user.origin", "image")
        if isRoot { _ = try Files.setXattr(source + "/a", "trusted.overlay.opaque", "y") }
        try Files.setTimes(source + "/a/tool", seconds: 1_500_000_000, nanoseconds: 123_456_789)
        try Files.setTimes(source + "/a/absolute-link", seconds: 1_400_000_000)
        try Files.setTimes(source + "/a", seconds: 1_600_000_000)
        try Files.setTimes(source, seconds: 1_300_000_000)
        return xattrs
    }

    static func makedev(_ major: UInt32, _ minor: UInt32) -> dev_t {
        dev_t((UInt64(major & 0xfff) << 8) | UInt64(minor & 0xff) | (UInt64(minor & ~0xff) << 12)
            | (UInt64(major & ~0xfff) << 32))
    }

    @Test func copiesContentOwnersModesTimesLinksAndXattrs() throws {
        let directory = try TemporaryDirectory()
        let source = directory.path + "/image-data"
        let destination = directory.path + "/volume"
        let outside = directory.path + "/secret"
        try Files.mkdir(outside)
        try Files.write(outside + "/key", "do not copy")
        let xattrs = try Self.makeTree(source, outside: outside)
        try Files.mkdir(destination, mode: 0o755)

        try CopyUp.copy(from: source, to: destination)

        // Times first: reading a file below would move its atime (relatime).
        let tool = try Files.lstat(destination + "/a/tool")
        #expect(tool.st_mtim.tv_sec == 1_500_000_000 && tool.st_mtim.tv_nsec == 123_456_789)
        #expect(tool.st_atim.tv_sec == 1_500_000_000)
        // Content and modes, setuid/setgid/sticky included.
        #expect(try Files.read(destination + "/a/tool") == "#!/bin/sh\n")
        #expect(try Files.lstat(destination + "/a/tool").st_mode & 0o7777 == 0o4755)
        #expect(try Files.lstat(destination + "/a").st_mode & 0o7777 == 0o2750)
        #expect(try Files.lstat(destination + "/tmp").st_mode & 0o7777 == 0o1777)
        #expect(try Files.lstat(destination + "/empty").st_mode & 0o7777 == 0o600)
        // The volume's root takes the source directory's mode and times.
        #expect(try Files.lstat(destination).st_mode & 0o7777 == 0o750)
        #expect(try Files.lstat(destination).st_mtim.tv_sec == 1_300_000_000)
        // Times: files to the nanosecond; directories after their content was written.
        #expect(try Files.lstat(destination + "/a").st_mtim.tv_sec == 1_600_000_000)
        #expect(try Files.lstat(destination + "/a/absolute-link").st_mtim.tv_sec == 1_400_000_000)
        // Hard links stay links.
        let hard = try Files.lstat(destination + "/a/tool-hardlink")
        #expect(hard.st_ino == tool.st_ino && hard.st_nlink == 2)
        // Symlinks are copied as links, never followed.
        #expect(try Files.readLink(destination + "/a/absolute-link") == "/etc/passwd")
        #expect(try Files.readLink(destination + "/a/dotdot-link") == "../../../../..")
        #expect(try Files.lstat(destination + "/outside-link").st_mode & S_IFMT == S_IFLNK)
        #expect(!Files.exists(destination + "/key"))
        // Fifos are recreated.
        let pipe = try Files.lstat(destination + "/a/pipe")
        #expect(pipe.st_mode & S_IFMT == S_IFIFO && pipe.st_mode & 0o777 == 0o640)
        if xattrs { #expect(Files.xattr(destination + "/a/tool", "user.origin") == "image") }
        if Self.isRoot {
            #expect(tool.st_uid == 1000 && tool.st_gid == 2000)
            #expect(try Files.lstat(destination + "/a").st_uid == 1000)
            #expect(try Files.lstat(destination + "/a/absolute-link").st_gid == 2000)  // the link's own owner
            #expect(try Files.lstat(destination + "/tmp").st_gid == 2000)
            let null = try Files.lstat(destination + "/null")
            #expect(null.st_mode & S_IFMT == S_IFCHR && null.st_rdev == Self.makedev(1, 3))
            #expect(Files.xattr(destination + "/a", "trusted.overlay.opaque") == nil)
        }
    }

    @Test func copiesNothingIntoANonEmptyVolumeOrFromAMissingPath() throws {
        let directory = try TemporaryDirectory()
        let source = directory.path + "/src"
        try Files.mkdir(source)
        try Files.write(source + "/new", "image")
        let destination = directory.path + "/volume"
        try Files.mkdir(destination)
        try Files.write(destination + "/existing", "volume data")
        try CopyUp.copy(from: source, to: destination)
        #expect(!Files.exists(destination + "/new"))
        #expect(try Files.read(destination + "/existing") == "volume data")

        let empty = directory.path + "/empty-volume"
        try Files.mkdir(empty)
        try CopyUp.copy(from: directory.path + "/missing", to: empty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: empty).isEmpty)
    }

    @Test func refusesAFileSourceAndASymlinkedDestination() throws {
        let directory = try TemporaryDirectory()
        try Files.write(directory.path + "/file", "x")
        try Files.mkdir(directory.path + "/volume")
        let notDirectory = try #require(throws: StackError.self) {
            try CopyUp.copy(from: directory.path + "/file", to: directory.path + "/volume")
        }
        #expect(notDirectory.code == .invalidArgument)
        try Files.mkdir(directory.path + "/src")
        try Files.write(directory.path + "/src/f", "x")
        try Files.symlink(directory.path + "/volume", directory.path + "/volume-link")
        #expect(throws: StackError.self) {
            try CopyUp.copy(from: directory.path + "/src", to: directory.path + "/volume-link")
        }
        #expect(!Files.exists(directory.path + "/volume/f"))
    }

    @Test func deepTreesAndManyHardLinks() throws {
        let directory = try TemporaryDirectory()
        let source = directory.path + "/src"
        try Files.mkdir(source)
        var path = source
        for level in 0..<40 {
            path += "/d\(level)"
            try Files.mkdir(path)
            try Files.write(path + "/f", "level \(level)")
        }
        try Files.write(source + "/shared", "one inode")
        for index in 0..<20 { try Files.check(link(source + "/shared", source + "/d0/l\(index)"), "link") }
        let destination = directory.path + "/volume"
        try Files.mkdir(destination)
        try CopyUp.copy(from: source, to: destination)
        let inode = try Files.lstat(destination + "/shared").st_ino
        for index in 0..<20 { #expect(try Files.lstat(destination + "/d0/l\(index)").st_ino == inode) }
        #expect(try Files.lstat(destination + "/shared").st_nlink == 21)
        #expect(try Files.read(path.replacingOccurrences(of: source, with: destination) + "/f") == "level 39")
    }
}
