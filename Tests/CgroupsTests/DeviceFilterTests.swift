import Foundation
import StackCore
import Testing

@testable import Cgroups

@Suite struct DeviceFilterProgramTests {
    typealias Rule = CgroupResources.DeviceRule

    @Test func denyAllIsTheHeaderAndADenial() {
        let program = DeviceFilterProgram.instructions(for: [Rule(allow: false)])
        // 6 loads of the context, then the rule (no tests: `a *:* rwm`), which ends the program.
        #expect(program.count == 6 + 2)
        #expect(program[6].code == 0xb7 && program[6].immediate == 0)  // r0 = 0
        #expect(program[7].code == 0x95)  // exit
    }

    @Test func ruleTestsJumpPastTheirBlock() {
        let rule = Rule(allow: true, kind: .char, major: 1, minor: 3, access: "rw")
        let program = DeviceFilterProgram.instructions(for: [rule])
        let block = Array(program[6..<(program.count - 2)])
        // type, access (3 instructions), major, minor, then r0 = 1; exit.
        #expect(block.map(\.code) == [0x55, 0xbc, 0x54, 0x55, 0x55, 0x55, 0xb7, 0x95])
        #expect(block[0].immediate == 2)  // BPF_DEVCG_DEV_CHAR
        #expect(block[2].immediate == 1)  // mknod is not allowed: ~(r|w) & 7
        #expect(block[4].immediate == 1 && block[5].immediate == 3)
        #expect(block[6].immediate == 1)
        // Each jump lands on the first instruction after the block.
        for (index, instruction) in block.enumerated() where instruction.code == 0x55 {
            #expect(index + 1 + Int(instruction.offset) == block.count)
        }
    }

    @Test func laterRulesAreTestedFirst() {
        let program = DeviceFilterProgram.instructions(for: [
            Rule(allow: false), Rule(allow: true, kind: .block, major: 8, minor: nil, access: "r"),
        ])
        // The block rule (last written) comes first after the header; the deny-all after it ends
        // the program (a default after it would be unreachable, which the verifier rejects).
        #expect(program[6].immediate == 1)  // BPF_DEVCG_DEV_BLOCK
        #expect(program.count == 6 + (1 + 3 + 1 + 2) + 2)
    }

    @Test func bytesAreEightPerInstructionLittleEndian() {
        let bytes = DeviceFilterProgram.bytes(for: [Rule(allow: true, kind: .char, major: 1, minor: 3)])
        #expect(bytes.count % 8 == 0)
        // r2 = *(u32 *)(r1 + 0): code 0x61, dst 2, src 1.
        #expect(Array(bytes[0..<8]) == [0x61, 0x12, 0, 0, 0, 0, 0, 0])
        // r4 = *(u32 *)(r1 + 4).
        #expect(Array(bytes[32..<40]) == [0x61, 0x14, 4, 0, 0, 0, 0, 0])
    }
}

/// The filter on a real cgroup2 hierarchy (this host's `unified` mount, or /sys/fs/cgroup on
/// pure v2): a shell moved into the cgroup can open only the allowed devices.
@Suite(.enabled(if: getuid() == 0 && unifiedCgroupMount() != nil, "needs root and a cgroup2 mount"))
struct DeviceFilterKernelTests {
    static var unifiedMount: String? { unifiedCgroupMount() }

    /// Runs `command` with `sh` after moving the shell into `cgroup`; returns its exit status.
    func run(_ command: String, in cgroup: String) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "echo $$ > \(cgroup)/cgroup.procs && exec sh -c '\(command)'"]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    @Test func onlyAllowedDevicesOpenAndAReplacementTakesOver() throws {
        let mount = try #require(Self.unifiedMount)
        let cgroup = "\(mount)/stack-devfilter-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        #expect(mkdir(cgroup, 0o755) == 0)
        defer { _ = rmdir(cgroup) }
        typealias Rule = CgroupResources.DeviceRule
        let loader = LinuxDeviceFilterLoader()
        try loader.install(
            DeviceFilterProgram.bytes(for: [
                Rule(allow: false),
                Rule(allow: true, kind: .char, major: 1, minor: 3, access: "rw"),  // /dev/null
                Rule(allow: true, kind: .char, major: 1, minor: 5, access: "r"),  // /dev/zero, read only
            ]), on: cgroup)
        #expect(try run("head -c 1 /dev/zero > /dev/null", in: cgroup) == 0)
        #expect(try run(": > /dev/zero", in: cgroup) != 0)
        #expect(try run("head -c 1 /dev/full", in: cgroup) != 0)

        // A new program replaces the old one (which would still deny /dev/full).
        try loader.install(
            DeviceFilterProgram.bytes(for: [
                Rule(allow: false),
                Rule(allow: true, kind: .char, major: 1, minor: nil, access: "rw"),
            ]), on: cgroup)
        #expect(try run("head -c 1 /dev/full > /dev/null", in: cgroup) == 0)
        #expect(try run("head -c 1 /dev/zero > /dev/null", in: cgroup) == 0)
    }
}

/// Where cgroup2 is mounted on this host, if anywhere.
func unifiedCgroupMount() -> String? {
    guard let text = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8),
        let layout = try? CgroupLayout.detect(mountinfo: text)
    else { return nil }
    return layout.unifiedMount?.mountPoint
}
