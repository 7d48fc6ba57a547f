import Seccomp
import StackCore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A kernel that records calls: bounding set as a mask, capset arguments, ambient raises.
final class RecordingCapabilityKernel: CapabilityKernel {
    var last: UInt32 = 40
    var bounding: UInt64 = (UInt64(1) << 41) - 1
    var permitted: UInt64 = (UInt64(1) << 41) - 1
    var calls: [String] = []
    var failDrop: [UInt32: Int32] = [:]
    var failCapset: Int32 = 0
    var failRaise: [UInt32: Int32] = [:]

    func boundingSetRead(_ capability: UInt32) -> Int32 {
        guard capability <= last else { return -22 }
        return bounding & (UInt64(1) << UInt64(capability)) != 0 ? 1 : 0
    }

    func boundingSetDrop(_ capability: UInt32) -> Int32 {
        calls.append("drop \(capability)")
        if let code = failDrop[capability] { return code }
        bounding &= ~(UInt64(1) << UInt64(capability))
        return 0
    }

    func capget() -> (effective: UInt64, permitted: UInt64, inheritable: UInt64, errno: Int32) {
        (permitted, permitted, 0, 0)
    }

    func capset(effective: UInt64, permitted: UInt64, inheritable: UInt64) -> Int32 {
        let hex = { (mask: UInt64) in String(mask, radix: 16) }
        calls.append("capset e=\(hex(effective)) p=\(hex(permitted)) i=\(hex(inheritable))")
        return failCapset
    }

    func ambientClearAll() -> Int32 {
        calls.append("ambient clear")
        return 0
    }

    func ambientRaise(_ capability: UInt32) -> Int32 {
        calls.append("ambient raise \(capability)")
        return failRaise[capability] ?? 0
    }

    func setKeepCapabilities(_ keep: Bool) -> Int32 {
        calls.append("keepcaps \(keep)")
        return 0
    }
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
        let kernel = RecordingCapabilityKernel()
        kernel.last = 37
        #expect(try Capabilities(kernel: kernel).lastCapability() == 37)
    }

    @Test func realKernelLastCapabilityMatchesProc() throws {
        let text = try #require(readSmallFile("/proc/sys/kernel/cap_last_cap"))
        let expected = try #require(UInt32(String(text.filter(\.isNumber))))
        #expect(try Capabilities().lastCapability() == expected)
        let current = LinuxCapabilityKernel().capget()
        #expect(current.errno == 0)
        #expect(current.effective & ~current.permitted == 0)
    }

    @Test func boundingSetDropsOnlyWhatIsPresentAndNotKept() throws {
        let kernel = RecordingCapabilityKernel()
        kernel.last = 5
        kernel.bounding = 0b10_1111  // 4 is already gone
        try Capabilities(kernel: kernel).limitBoundingSet(to: [0, 2])
        #expect(kernel.calls == ["drop 1", "drop 3", "drop 5"])
        #expect(kernel.bounding == 0b101)
    }

    @Test func processSetsAreMasksThenAmbientClearThenRaise() throws {
        let kernel = RecordingCapabilityKernel()
        try Capabilities(kernel: kernel).setProcessSets(
            effective: [0, 33], permitted: [0, 12, 33], inheritable: [12], ambient: [12])
        #expect(kernel.calls == ["capset e=200000001 p=200001001 i=1000", "ambient clear", "ambient raise 12"])
    }

    @Test func applyDoesBoundingFirstAndWarnsAboutUnknownCapabilities() throws {
        let kernel = RecordingCapabilityKernel()
        kernel.last = 2
        kernel.bounding = 0b111
        let warnings = try Capabilities(kernel: kernel).apply(
            CapabilitySets(bounding: [0, 40], effective: [0, 40], permitted: [0, 40], inheritable: [], ambient: [40]))
        #expect(kernel.calls == ["drop 1", "drop 2", "capset e=1 p=1 i=0", "ambient clear"])
        #expect(
            warnings.map(\.message) == ["capability CAP_CHECKPOINT_RESTORE is not supported by this kernel; ignored"])
    }

    @Test func keepCapsIsForwarded() throws {
        let kernel = RecordingCapabilityKernel()
        let caps = Capabilities(kernel: kernel)
        try caps.setKeepCapabilities(true)
        try caps.setKeepCapabilities(false)
        #expect(kernel.calls == ["keepcaps true", "keepcaps false"])
    }

    @Test func errorsNameTheCapability() throws {
        let kernel = RecordingCapabilityKernel()
        kernel.failDrop[21] = 1
        let caps = Capabilities(kernel: kernel)
        do {
            try caps.limitBoundingSet(to: Array(0...20))
            Issue.record("drop should fail")
        } catch {
            #expect(
                error.message
                    == "prctl(PR_CAPBSET_DROP, CAP_SYS_ADMIN): EPERM (Operation not permitted): "
                    + "dropping from the bounding set needs CAP_SETPCAP"
            )
        }

        // EPERM on raise (not permitted and inheritable) is a warning, as runc and crun treat it;
        // any other errno is an error.
        kernel.failRaise[13] = 1
        let warnings = try caps.setProcessSets(effective: [], permitted: [13], inheritable: [], ambient: [13])
        #expect(
            warnings.map(\.message) == [
                "prctl(PR_CAP_AMBIENT_RAISE, CAP_NET_RAW): EPERM (Operation not permitted): "
                    + "an ambient capability must be permitted and inheritable; the ambient capability is not raised"
            ])
        kernel.failRaise[13] = 5
        do {
            try caps.setProcessSets(effective: [], permitted: [13], inheritable: [13], ambient: [13])
            Issue.record("raise should fail")
        } catch {
            #expect(error.message.hasPrefix("prctl(PR_CAP_AMBIENT_RAISE, CAP_NET_RAW): EIO"))
        }
        kernel.failRaise[13] = nil

        kernel.failCapset = 1
        kernel.permitted = 0b1
        do {
            try caps.setProcessSets(effective: [0], permitted: [0, 7], inheritable: [], ambient: [])
            Issue.record("capset should fail")
        } catch {
            #expect(
                error.message
                    == "capset: EPERM (Operation not permitted): CAP_SETUID is not in the current permitted set")
        }
        do {
            try caps.setProcessSets(effective: [0, 5], permitted: [0], inheritable: [], ambient: [])
            Issue.record("capset should fail")
        } catch {
            #expect(error.message == "capset: EPERM (Operation not permitted): CAP_KILL is effective but not permitted")
        }
    }

    private func readSmallFile(_ path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = fread(&buffer, 1, buffer.count, file)
        return String(decoding: buffer.prefix(count), as: UTF8.self)
    }
}
