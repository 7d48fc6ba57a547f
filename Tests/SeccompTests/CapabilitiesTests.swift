import Seccomp
import StackCore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A kernel that knows capabilities 0 through `last`.
final class FakeCapabilityKernel: CapabilityKernel {
    var last: UInt32 = 40

    func boundingSetRead(_ capability: UInt32) -> Int32 { capability <= last ? 1 : -22 }
}

@Suite struct CapabilitiesTests {
    @Test func nameTableCoversZeroToForty() {
        #expect(CapabilityName.all.count == 41)
        #expect(CapabilityName.number(of: "CAP_CHOWN") == 0)
        #expect(CapabilityName.number(of: "CAP_NET_ADMIN") == 12)
        #expect(CapabilityName.number(of: "CAP_SYS_ADMIN") == 21)
        #expect(CapabilityName.number(of: "CAP_AUDIT_READ") == 37)
        #expect(CapabilityName.number(of: "CAP_CHECKPOINT_RESTORE") == 40)
        #expect(CapabilityName.number(of: "cap_chown") == nil)
        #expect(CapabilityName.name(of: 39) == "CAP_BPF")
        #expect(CapabilityName.name(of: 63) == "CAP_63")
        for (number, name) in CapabilityName.all.enumerated() {
            #expect(CapabilityName.number(of: name) == UInt32(number))
        }
        let parsed = CapabilityName.numbers(for: ["CAP_KILL", "CAP_FOO", "CAP_KILL", "CAP_MKNOD"])
        #expect(parsed.known == [5, 27])
        #expect(parsed.unknown == ["CAP_FOO"])
        #expect(throws: StackError.self) { try CapabilityName.strictNumbers(for: ["CAP_FOO"]) }
    }

    @Test func lastCapabilityIsProbed() throws {
        let kernel = FakeCapabilityKernel()
        kernel.last = 37
        #expect(try Capabilities(kernel: kernel).lastCapability() == 37)
    }

    @Test func realKernelLastCapabilityMatchesProc() throws {
        let text = try #require(readSmallFile("/proc/sys/kernel/cap_last_cap"))
        let expected = try #require(UInt32(String(text.filter(\.isNumber))))
        #expect(try Capabilities().lastCapability() == expected)
    }

    private func readSmallFile(_ path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = fread(&buffer, 1, buffer.count, file)
        return String(decoding: buffer.prefix(count), as: UTF8.self)
    }
}
