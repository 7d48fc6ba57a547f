import LinuxOS
import Testing

@Suite struct MountOptionsTests {
    struct Case: Sendable, CustomStringConvertible {
        var options: [String]
        var flags: MountFlags
        var propagation: [MountFlags] = []
        var data = ""
        var description: String { options.joined(separator: ",") }
    }

    static let cases: [Case] = [
        Case(options: ["nosuid", "noexec", "nodev"], flags: [.noSuid, .noExec, .noDev]),
        Case(options: ["ro"], flags: .readOnly),
        Case(options: ["ro", "rw"], flags: []),
        Case(options: ["rw", "ro"], flags: .readOnly),
        Case(options: ["bind"], flags: .bind),
        Case(options: ["rbind", "ro"], flags: [.bind, .recursive, .readOnly]),
        Case(options: ["nosuid", "strictatime", "mode=755", "size=65536k"], flags: [.noSuid, .strictAtime],
             data: "mode=755,size=65536k"),
        Case(options: ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"],
             flags: [.noSuid, .noExec], data: "newinstance,ptmxmode=0666,mode=0620,gid=5"),
        Case(options: ["rbind", "rprivate"], flags: [.bind, .recursive], propagation: [[.private, .recursive]]),
        Case(options: ["shared"], flags: [], propagation: [.shared]),
        Case(options: ["rslave", "unbindable"], flags: [], propagation: [[.slave, .recursive], .unbindable]),
        Case(options: ["rshared"], flags: [], propagation: [[.shared, .recursive]]),
        Case(options: ["slave", "runbindable"], flags: [], propagation: [.slave, [.unbindable, .recursive]]),
        Case(options: ["private"], flags: [], propagation: [.private]),
        Case(options: ["remount", "ro", "bind"], flags: [.remount, .readOnly, .bind]),
        Case(options: ["relatime", "noatime", "nodiratime"], flags: [.relatime, .noAtime, .noDirAtime]),
        Case(options: ["sync", "dirsync"], flags: [.synchronous, .dirSync]),
        Case(options: ["sync", "async"], flags: []),
        Case(options: ["noexec", "exec", "nodev", "dev", "nosuid", "suid"], flags: []),
        Case(options: ["defaults"], flags: []),
        Case(options: ["lowerdir=/a:/b", "upperdir=/u", "workdir=/w"], flags: [],
             data: "lowerdir=/a:/b,upperdir=/u,workdir=/w"),
    ]

    @Test(arguments: cases)
    func parses(_ c: Case) {
        let parsed = MountOptions.parse(c.options)
        #expect(parsed.flags == c.flags, "flags \(parsed.flags) for \(c.options)")
        #expect(parsed.propagation == c.propagation)
        #expect(parsed.data == c.data)
    }

    @Test func clearedFlagsAreRemembered() {
        let parsed = MountOptions.parse(["ro", "rw", "exec"])
        #expect(parsed.clearedFlags == [.readOnly, .noExec])
        #expect(MountOptions.parse(["rw", "ro"]).clearedFlags.isEmpty)
    }

    @Test func recursiveAttributesAndExtensions() {
        let parsed = MountOptions.parse(["rbind", "rro", "rnosuid", "rnoatime", "tmpcopyup"])
        #expect(parsed.recursiveSet == [.readOnly, .noSuid, .noAtime])
        #expect(parsed.recursiveClear == .atimeMask)
        #expect(parsed.extensions == ["tmpcopyup"])
        #expect(parsed.isRecursiveBind)
        let undone = MountOptions.parse(["rro", "rrw"])
        #expect(undone.recursiveSet.isEmpty)
        #expect(undone.recursiveClear == .readOnly)
    }

    @Test func flagsRenderAsCConstants() {
        #expect(MountFlags([.noSuid, .noDev, .noExec]).description == "MS_NOSUID|MS_NODEV|MS_NOEXEC")
        #expect(MountFlags([.bind, .recursive, .readOnly]).description == "MS_RDONLY|MS_BIND|MS_REC")
        #expect(MountFlags([]).description == "0")
        #expect(MountFlags(rawValue: 1 << 40).description == "0x10000000000")
    }
}
