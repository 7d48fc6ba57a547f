import ContainerInit
import LinuxOS
import RuntimeSpec
import Seccomp
import StackCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Compiled seccomp filters kept under the runtime's state root (`<root>/seccomp-cache/`), keyed by
/// the spec's seccomp section: compiling Docker's default profile with libseccomp costs ~15 ms,
/// and an engine starts its containers with a handful of distinct profiles. An entry holds the
/// exact section it was compiled from and is used only when that matches byte for byte (the
/// file name is just a hash of it); anything unreadable is recompiled and rewritten.
struct SeccompCache {
    let directory: String

    init(root: String) { directory = root + "/seccomp-cache" }

    /// The filter for `seccomp`: from the cache, or compiled (and then cached, best effort).
    func program(for seccomp: Spec.Linux.Seccomp, log: RuntimeLog) throws(StackError) -> BPFProgram {
        let key = try JSONValueEncoder().encodeString(seccomp) + "\n" + Self.machine
        let path = directory + "/" + Self.fnv1a(key) + ".filter"
        if let cached = Self.read(path, key: key) { return cached }
        let program = try SeccompCompiler.compile(SeccompMapping.profile(seccomp))
        for warning in program.warnings { log.warning(warning.description) }
        if mkdir(directory, 0o700) == 0 || Errno.current == .EEXIST {
            let text = "stack-seccomp-cache 1\nflags \(program.flags.rawValue)\nunknown "
                + program.unknownSyscalls.joined(separator: ",") + "\nbpf " + Hex.encode(program.bytes) + "\nkey " + key
            try? FileIO.write(path + ".\(getpid())", text, mode: 0o600)
            rename(path + ".\(getpid())", path)
        }
        return program
    }

    static func read(_ path: String, key: String) -> BPFProgram? {
        guard let bytes = try? FileIO.read(path) else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        let lines = text.split(separator: "\n", maxSplits: 4, omittingEmptySubsequences: false)
        guard lines.count == 5, lines[0] == "stack-seccomp-cache 1", lines[1].hasPrefix("flags "),
            lines[2].hasPrefix("unknown "), lines[3].hasPrefix("bpf "), lines[4].hasPrefix("key "),
            lines[4].dropFirst(4) == key[...],
            let flags = UInt32(lines[1].dropFirst(6)), let program = Hex.decode(String(lines[3].dropFirst(4))),
            !program.isEmpty, program.count % BPFProgram.instructionSize == 0
        else { return nil }
        let unknown = lines[2].dropFirst(8).split(separator: ",").map(String.init)
        return BPFProgram(bytes: program, flags: SeccompFilterFlags(rawValue: flags), unknownSyscalls: unknown)
    }

    /// The machine the filter was compiled on (uname -m): part of the key.
    static let machine: String = {
        var name = utsname()
        uname(&name)
        return withUnsafeBytes(of: name.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }()

    /// FNV-1a, 64 bits, as 16 hex digits: a file name, not a check (the key is compared whole).
    static func fnv1a(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
