import Foundation
import StackCore
import Testing
import Volumes

#if canImport(Glibc)
import Glibc
#endif

@Suite struct VolumeNameTests {
    @Test func docksersLocalDriverRules() throws {
        for name in ["db", "my_volume", "a.b-c_1", "0abc", "x..y"] { try VolumeName.validate(name) }
        let short = try #require(throws: StackError.self) { try VolumeName.validate("a") }
        #expect(short.message == "volume name is too short, names should be at least two alphanumeric characters")
        for name in ["", "..", ".hidden", "-x", "a/b", "../up", "./data", "has space", "é-volume", "_x"] {
            let error = try #require(throws: StackError.self, "\(name)") { try VolumeName.validate(name) }
            #expect(error.code == .invalidArgument)
            #expect(name.count == 1 || error.message.contains("includes invalid characters for a local volume name"))
        }
    }

    @Test func anonymousNamesAre64HexDigitsAndDiffer() throws {
        let first = VolumeName.anonymous()
        let second = VolumeName.anonymous()
        #expect(first.count == 64 && first.allSatisfy(\.isHexDigit) && first == first.lowercased())
        #expect(first != second)
        try VolumeName.validate(first)
    }
}

@Suite struct LocalVolumeDriverTests {
    @Test func createIsIdempotentAndUsesDockersLayout() throws {
        let directory = try TemporaryDirectory()
        let driver = LocalVolumeDriver(root: directory.path + "/volumes")
        let mountpoint = try driver.create("data")
        #expect(mountpoint == directory.path + "/volumes/data/_data")
        #expect(driver.mountpoint("data") == mountpoint)
        #expect(try Files.lstat(directory.path + "/volumes").st_mode & 0o777 == 0o701)
        #expect(try Files.lstat(mountpoint).st_mode & 0o777 == 0o755)
        #expect(driver.isEmpty("data"))
        try Files.write(mountpoint + "/file", "12345")
        #expect(try driver.create("data") == mountpoint)
        #expect(try Files.read(mountpoint + "/file") == "12345")  // kept
        #expect(!driver.isEmpty("data"))
        #expect(throws: StackError.self) { _ = try driver.create("../escape") }
        #expect(!Files.exists(directory.path + "/escape"))
    }

    @Test func sizeCountsEachInodeOnce() throws {
        let directory = try TemporaryDirectory()
        let driver = LocalVolumeDriver(root: directory.path + "/volumes")
        let mountpoint = try driver.create("data")
        try Files.write(mountpoint + "/a", String(repeating: "x", count: 1000))
        try Files.mkdir(mountpoint + "/d")
        try Files.write(mountpoint + "/d/b", String(repeating: "y", count: 24))
        try Files.check(link(mountpoint + "/a", mountpoint + "/d/a-again"), "link")
        try Files.symlink("/etc/passwd-does-not-count", mountpoint + "/l")
        #expect(driver.size("data") == 1000 + 24 + 26)  // a symlink counts its own length, as in Docker
        #expect(driver.size("missing") == 0)
    }

    @Test func removeDeletesEverythingWithoutFollowingLinks() throws {
        let directory = try TemporaryDirectory()
        let driver = LocalVolumeDriver(root: directory.path + "/volumes")
        let mountpoint = try driver.create("data")
        let outside = directory.path + "/keep"
        try Files.mkdir(outside)
        try Files.write(outside + "/precious", "keep me")
        try Files.symlink(outside, mountpoint + "/link-out")
        try Files.mkdir(mountpoint + "/nested")
        try Files.write(mountpoint + "/nested/f", "x", mode: 0o000)
        try driver.remove("data")
        #expect(!Files.exists(directory.path + "/volumes/data"))
        #expect(try Files.read(outside + "/precious") == "keep me")
        try driver.remove("data")  // already gone: fine
        #expect(driver.names() == [])
    }

    @Test func namesListsVolumeDirectories() throws {
        let directory = try TemporaryDirectory()
        let driver = LocalVolumeDriver(root: directory.path + "/volumes")
        #expect(driver.names() == [])
        _ = try driver.create("zeta")
        _ = try driver.create("alpha")
        try Files.write(directory.path + "/volumes/metadata.db", "not a volume")
        try Files.symlink("/tmp", directory.path + "/volumes/linked")
        #expect(driver.names() == ["alpha", "zeta"])
    }
}
