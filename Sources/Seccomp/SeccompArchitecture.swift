import CSeccomp
import StackCore

/// Resolves OCI architecture names (`SCMP_ARCH_X86_64`, `SCMP_ARCH_AARCH64`, …) to libseccomp tokens.
public enum SeccompArchitecture {
    /// The libseccomp token for `name` (with or without the `SCMP_ARCH_` prefix); an unknown name is an error.
    public static func token(for name: String, path: String? = nil) throws(StackError) -> UInt32 {
        var bare = Substring(name)
        if bare.hasPrefix("SCMP_ARCH_") { bare = bare.dropFirst("SCMP_ARCH_".count) }
        let token = bare.isEmpty ? 0 : seccomp_arch_resolve_name(bare.lowercased())
        guard token != 0 else {
            throw StackError(.invalidArgument, "unknown seccomp architecture \"\(name)\"", path: path)
        }
        return token
    }

    /// The token of the architecture this process runs on.
    public static var native: UInt32 { seccomp_arch_native() }
}
