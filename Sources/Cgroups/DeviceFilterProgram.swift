/// The eBPF program that enforces device rules on cgroup v2, where there is no `devices.allow`
/// file: a BPF_PROG_TYPE_CGROUP_DEVICE filter the kernel runs on every device open and mknod.
///
/// The rules keep cgroup v1's meaning: the last rule that matches a request decides, and a
/// request no rule matches is denied. The program reads the request from its context
/// (`struct bpf_cgroup_dev_ctx { u32 access_type; u32 major; u32 minor; }`, the access bits in the
/// upper half of `access_type` and the device type in the lower), then tests the rules from the
/// last to the first; each test jumps to the next on a mismatch and returns 1 (allow) or 0 (deny)
/// on a match.
public enum DeviceFilterProgram {
    /// One eBPF instruction (`struct bpf_insn`).
    struct Instruction: Equatable {
        var code: UInt8
        var dst: UInt8 = 0
        var src: UInt8 = 0
        var offset: Int16 = 0
        var immediate: Int32 = 0

        var bytes: [UInt8] {
            let off = UInt16(bitPattern: offset)
            let imm = UInt32(bitPattern: immediate)
            return [
                code, (src << 4) | (dst & 0x0f), UInt8(off & 0xff), UInt8(off >> 8),
                UInt8(imm & 0xff), UInt8((imm >> 8) & 0xff), UInt8((imm >> 16) & 0xff), UInt8(imm >> 24),
            ]
        }
    }

    // Opcodes (linux/bpf.h): classes, sizes, modes, operations.
    private static let loadWord: UInt8 = 0x61  // BPF_LDX | BPF_MEM | BPF_W
    private static let and32Immediate: UInt8 = 0x54  // BPF_ALU | BPF_AND | BPF_K
    private static let rightShift32Immediate: UInt8 = 0x74  // BPF_ALU | BPF_RSH | BPF_K
    private static let move32Register: UInt8 = 0xbc  // BPF_ALU | BPF_MOV | BPF_X
    private static let move64Immediate: UInt8 = 0xb7  // BPF_ALU64 | BPF_MOV | BPF_K
    private static let jumpNotEqualImmediate: UInt8 = 0x55  // BPF_JMP | BPF_JNE | BPF_K
    private static let exit: UInt8 = 0x95  // BPF_JMP | BPF_EXIT

    // Registers: r1 = context; r2 = type, r3 = access, r4 = major, r5 = minor, r6 = scratch.
    private static let (context, type, access, major, minor, scratch): (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
        (1, 2, 3, 4, 5, 6)

    /// BPF_DEVCG_DEV_BLOCK / BPF_DEVCG_DEV_CHAR.
    static func typeCode(_ kind: CgroupResources.DeviceRule.Kind) -> Int32? {
        switch kind {
        case .block: return 1
        case .char: return 2
        case .all: return nil
        }
    }

    /// BPF_DEVCG_ACC_MKNOD (1), READ (2), WRITE (4) for an `rwm` string.
    static func accessBits(_ access: String) -> Int32 {
        var bits: Int32 = 0
        if access.contains("m") { bits |= 1 }
        if access.contains("r") { bits |= 2 }
        if access.contains("w") { bits |= 4 }
        return bits
    }

    /// The program for `rules`, as the bytes `bpf(BPF_PROG_LOAD)` takes.
    public static func bytes(for rules: [CgroupResources.DeviceRule]) -> [UInt8] {
        instructions(for: rules).flatMap(\.bytes)
    }

    static func instructions(for rules: [CgroupResources.DeviceRule]) -> [Instruction] {
        var program: [Instruction] = [
            Instruction(code: loadWord, dst: type, src: context, offset: 0),
            Instruction(code: and32Immediate, dst: type, immediate: 0xffff),
            Instruction(code: loadWord, dst: access, src: context, offset: 0),
            Instruction(code: rightShift32Immediate, dst: access, immediate: 16),
            Instruction(code: loadWord, dst: major, src: context, offset: 4),
            Instruction(code: loadWord, dst: minor, src: context, offset: 8),
        ]
        for rule in rules.reversed() {
            program += block(for: rule)
            // A rule that matches every request ends the program: what would follow is unreachable,
            // which the verifier rejects.
            if matchesEverything(rule) { return program }
        }
        program += [Instruction(code: move64Immediate, dst: 0, immediate: 0), Instruction(code: exit)]
        return program
    }

    private static func matchesEverything(_ rule: CgroupResources.DeviceRule) -> Bool {
        typeCode(rule.kind) == nil && accessBits(rule.access) == 7 && rule.major == nil && rule.minor == nil
    }

    /// The tests of one rule, each jumping past the block on a mismatch, then the verdict.
    private static func block(for rule: CgroupResources.DeviceRule) -> [Instruction] {
        var tests: [[Instruction]] = []
        if let code = typeCode(rule.kind) {
            tests.append([Instruction(code: jumpNotEqualImmediate, dst: type, immediate: code)])
        }
        let allowed = accessBits(rule.access)
        if allowed != 7 {
            // The requested access must be a subset of the rule's: (access & ~allowed) == 0.
            tests.append([
                Instruction(code: move32Register, dst: scratch, src: access),
                Instruction(code: and32Immediate, dst: scratch, immediate: ~allowed & 7),
                Instruction(code: jumpNotEqualImmediate, dst: scratch, immediate: 0),
            ])
        }
        if let number = rule.major {
            tests.append([Instruction(code: jumpNotEqualImmediate, dst: major, immediate: Int32(truncatingIfNeeded: number))])
        }
        if let number = rule.minor {
            tests.append([Instruction(code: jumpNotEqualImmediate, dst: minor, immediate: Int32(truncatingIfNeeded: number))])
        }
        let verdict = [
            Instruction(code: move64Immediate, dst: 0, immediate: rule.allow ? 1 : 0), Instruction(code: exit),
        ]
        // Each jump skips what follows it in this block.
        var block: [Instruction] = []
        var remaining = tests.reduce(0) { $0 + $1.count } + verdict.count
        for test in tests {
            for var instruction in test {
                remaining -= 1
                if instruction.code == jumpNotEqualImmediate { instruction.offset = Int16(remaining) }
                block.append(instruction)
            }
        }
        return block + verdict
    }
}
