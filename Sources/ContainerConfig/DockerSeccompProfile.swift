import RuntimeSpec
import StackCore

/// A seccomp profile in Docker's format (`--security-opt seccomp=PROFILE.json`): rules may apply only for
/// some capabilities or architectures (`includes`/`excludes`), and `archMap` lists the architectures to add
/// for each native one. `ociSeccomp(…)` resolves those against a container and gives the OCI form.
public struct DockerSeccompProfile: Codable, Sendable, Hashable {
    public var defaultAction: String
    public var defaultErrnoRet: UInt32?
    public var architectures: [String]?
    public var archMap: [ArchMapEntry]?
    public var syscalls: [Rule]?
    public var flags: [String]?
    public var listenerPath: String?
    public var listenerMetadata: String?

    public init(
        defaultAction: String, defaultErrnoRet: UInt32? = nil, architectures: [String]? = nil,
        archMap: [ArchMapEntry]? = nil, syscalls: [Rule]? = nil
    ) {
        self.defaultAction = defaultAction
        self.defaultErrnoRet = defaultErrnoRet
        self.architectures = architectures
        self.archMap = archMap
        self.syscalls = syscalls
    }

    /// The architectures to add when the native architecture is `architecture`.
    public struct ArchMapEntry: Codable, Sendable, Hashable {
        public var architecture: String
        public var subArchitectures: [String]?

        public init(architecture: String, subArchitectures: [String]? = nil) {
            self.architecture = architecture
            self.subArchitectures = subArchitectures
        }
    }

    /// One rule. `name` (one syscall) or `names`.
    public struct Rule: Codable, Sendable, Hashable {
        public var name: String?
        public var names: [String]?
        public var action: String
        public var args: [Argument]?
        public var errnoRet: UInt32?
        public var includes: Filter?
        public var excludes: Filter?
        public var comment: String?

        public init(
            names: [String], action: String = "SCMP_ACT_ALLOW", args: [Argument]? = nil, errnoRet: UInt32? = nil,
            includes: Filter? = nil, excludes: Filter? = nil
        ) {
            self.names = names
            self.action = action
            self.args = args
            self.errnoRet = errnoRet
            self.includes = includes
            self.excludes = excludes
        }
    }

    /// `args[index] op value` (MASKED_EQ: `args[index] & value == valueTwo`).
    public struct Argument: Codable, Sendable, Hashable {
        public var index: UInt32
        public var value: UInt64
        public var valueTwo: UInt64?
        public var op: String

        public init(index: UInt32, value: UInt64, valueTwo: UInt64? = nil, op: String) {
            self.index = index
            self.value = value
            self.valueTwo = valueTwo
            self.op = op
        }
    }

    /// When a rule applies: all `caps` held (bounding set), the native arch (Go name: `amd64`, `arm64`, …)
    /// listed, a kernel at least `minKernel` (`4.8`).
    public struct Filter: Codable, Sendable, Hashable {
        public var caps: [String]?
        public var arches: [String]?
        public var minKernel: String?

        public init(caps: [String]? = nil, arches: [String]? = nil, minKernel: String? = nil) {
            self.caps = caps
            self.arches = arches
            self.minKernel = minKernel
        }
    }

    /// Decodes a profile from its JSON text; errors name `path` and the member.
    public static func decode(json: String, path: String = "seccomp profile") throws(StackError) -> DockerSeccompProfile {
        do {
            return try JSONValueDecoder(file: path).decode(DockerSeccompProfile.self, from: Array(json.utf8))
        } catch {
            throw StackError(.invalidArgument, "invalid seccomp profile: \(error.message)", path: path)
        }
    }

    /// The Go name of the architecture this program was built for (`amd64`, `arm64`, …).
    public static var nativeArchitecture: String {
        #if arch(x86_64)
            return "amd64"
        #elseif arch(arm64)
            return "arm64"
        #elseif arch(i386)
            return "386"
        #elseif arch(arm)
            return "arm"
        #elseif arch(s390x)
            return "s390x"
        #elseif arch(powerpc64le)
            return "ppc64le"
        #elseif arch(riscv64)
            return "riscv64"
        #else
            return "unknown"
        #endif
    }

    /// Go architecture names → libseccomp's.
    static let seccompArchitecture: [String: String] = [
        "amd64": "SCMP_ARCH_X86_64", "386": "SCMP_ARCH_X86", "arm64": "SCMP_ARCH_AARCH64", "arm": "SCMP_ARCH_ARM",
        "s390x": "SCMP_ARCH_S390X", "ppc64le": "SCMP_ARCH_PPC64LE", "riscv64": "SCMP_ARCH_RISCV64",
        "mips64": "SCMP_ARCH_MIPS64", "mips64le": "SCMP_ARCH_MIPSEL64", "loong64": "SCMP_ARCH_LOONGARCH64",
    ]

    /// The OCI filter for a container holding `capabilities` (its bounding set, `CAP_*` names) on
    /// `architecture` (Go name), running on a kernel `kernel` (major, minor; nil = assume new enough).
    public func ociSeccomp(
        capabilities: [String], architecture: String = nativeArchitecture, kernel: (Int, Int)? = nil,
        path: String = "seccomp profile"
    ) throws(StackError) -> Spec.Linux.Seccomp {
        if !(architectures ?? []).isEmpty && !(archMap ?? []).isEmpty {
            throw StackError(
                .invalidArgument,
                "both 'architectures' and 'archMap' are specified in the seccomp profile, use either 'architectures' or 'archMap'",
                path: path)
        }
        var seccomp = Spec.Linux.Seccomp(defaultAction: defaultAction)
        seccomp.defaultErrnoRet = defaultErrnoRet
        seccomp.flags = flags
        seccomp.listenerPath = listenerPath
        seccomp.listenerMetadata = listenerMetadata
        if let archMap, !archMap.isEmpty {
            let native = Self.seccompArchitecture[architecture] ?? architecture
            var arches: [String] = []
            for entry in archMap where entry.architecture == native {
                arches.append(entry.architecture)
                arches.append(contentsOf: entry.subArchitectures ?? [])
            }
            seccomp.architectures = arches
        } else {
            seccomp.architectures = architectures ?? []
        }
        let held = Set(capabilities)
        var rules: [Spec.Linux.Syscall] = []
        var unconditional = Set<String>()
        for (index, rule) in (syscalls ?? []).enumerated() {
            let rulePath = "\(path).syscalls[\(index)]"
            guard try applies(rule, capabilities: held, architecture: architecture, kernel: kernel, path: rulePath) else {
                continue
            }
            var names = rule.names ?? []
            if let name = rule.name {
                if !names.isEmpty {
                    throw StackError(
                        .invalidArgument,
                        "'name' and 'names' were specified in the seccomp profile, use either 'name' or 'names'",
                        path: rulePath)
                }
                names = [name]
            }
            if rule.args?.isEmpty ?? true {
                // The same unconditional rule reached twice (e.g. syslog via CAP_SYS_ADMIN and CAP_SYSLOG).
                let key = "\(rule.action)/\(rule.errnoRet.map { String($0) } ?? "")/"
                names = names.filter { unconditional.insert(key + $0).inserted }
            }
            if names.isEmpty { continue }
            let args = rule.args.map { list in
                list.map { Spec.Linux.SyscallArg(index: $0.index, value: $0.value, valueTwo: $0.valueTwo ?? 0, op: $0.op) }
            }
            rules.append(Spec.Linux.Syscall(names: names, action: rule.action, errnoRet: rule.errnoRet, args: args))
        }
        seccomp.syscalls = rules
        return seccomp
    }

    private func applies(
        _ rule: Rule, capabilities: Set<String>, architecture: String, kernel: (Int, Int)?, path: String
    ) throws(StackError) -> Bool {
        let native = Self.seccompArchitecture[architecture] ?? architecture
        let matchesArch: ([String]) -> Bool = { $0.contains(architecture) || $0.contains(native) }
        if let excludes = rule.excludes {
            if let arches = excludes.arches, matchesArch(arches) { return false }
            if let caps = excludes.caps, caps.contains(where: { capabilities.contains($0) }) { return false }
        }
        if let includes = rule.includes {
            if let arches = includes.arches, !arches.isEmpty, !matchesArch(arches) { return false }
            if let caps = includes.caps, !caps.allSatisfy({ capabilities.contains($0) }) { return false }
            if let minKernel = includes.minKernel, let kernel {
                let parts = minKernel.split(separator: ".").map { Int($0) }
                guard parts.count >= 2, let major = parts[0], let minor = parts[1] else {
                    throw StackError(.invalidArgument, "invalid kernel version \"\(minKernel)\"", path: path + ".includes.minKernel")
                }
                if kernel < (major, minor) { return false }
            }
        }
        return true
    }
}
