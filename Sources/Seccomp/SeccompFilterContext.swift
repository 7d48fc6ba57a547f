import LinuxOS
import CSeccomp
import CSeccompHelpers
import StackCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Owns one libseccomp filter context and releases it when it goes out of scope.
///
/// Every libseccomp failure becomes a `StackError(.system)` naming the step and the negative errno
/// libseccomp returned, e.g. `seccomp rule for "mount": EINVAL (Invalid argument)`.
struct SeccompFilterContext: ~Copyable {
    private let context: UnsafeMutableRawPointer

    /// `seccomp_init(defaultAction)`.
    init(defaultAction: SeccompAction, name: String) throws(StackError) {
        guard let context = seccomp_init(defaultAction.libseccompValue) else {
            var what = name
            switch defaultAction {
            case .errno(let code), .trace(let code): what += " (errnoRet \(code))"
            default: break
            }
            throw StackError(
                .system, "seccomp_init: libseccomp refused the default action \(what)",
                path: "linux.seccomp.defaultAction")
        }
        self.context = context
    }

    deinit { seccomp_release(context) }

    /// `seccomp_arch_add`; an architecture already present (the native one) is fine.
    func addArchitecture(_ token: UInt32, name: String, path: String) throws(StackError) {
        let rc = seccomp_arch_add(context, token)
        guard rc == 0 || rc == -EEXIST else {
            throw Self.failure("seccomp architecture \"\(name)\"", rc, path: path)
        }
    }

    /// `seccomp_attr_set(attribute, value)`; libseccomp refuses attributes the kernel cannot honour.
    func setAttribute(_ attribute: scmp_filter_attr, _ value: UInt32, what: String, path: String) throws(StackError) {
        let rc = seccomp_attr_set(context, attribute, value)
        guard rc == 0 else { throw Self.failure(what, rc, path: path) }
    }

    /// `seccomp_rule_add_array(action, syscall, comparisons)`.
    func addRule(
        _ action: SeccompAction, syscall: Int32, comparisons: [scmp_arg_cmp], syscallName: String, path: String
    ) throws(StackError) {
        let rc = comparisons.withUnsafeBufferPointer { buffer in
            seccomp_rule_add_array(
                context, action.libseccompValue, syscall, UInt32(buffer.count), buffer.baseAddress)
        }
        guard rc == 0 else { throw Self.failure("seccomp rule for \"\(syscallName)\"", rc, path: path) }
    }

    /// `seccomp_export_bpf` into a memfd, read back.
    func exportBPF() throws(StackError) -> [UInt8] {
        let fd = stk_memfd_create("seccomp-bpf")
        guard fd >= 0 else { throw Self.failure("memfd_create", fd, path: nil) }
        defer { close(fd) }
        let rc = seccomp_export_bpf(context, fd)
        guard rc == 0 else { throw Self.failure("seccomp_export_bpf", rc, path: nil) }
        let size = lseek(fd, 0, SEEK_END)
        guard size >= 0 else { throw Self.failure("lseek", -errno, path: nil) }
        var bytes = [UInt8](repeating: 0, count: Int(size))
        var done = 0
        while done < bytes.count {
            let count = bytes.withUnsafeMutableBytes { buffer in
                pread(fd, buffer.baseAddress.map { $0 + done }, buffer.count - done, off_t(done))
            }
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                throw Self.failure("read seccomp BPF", -code, path: nil)
            }
            if count == 0 { break }
            done += count
        }
        guard done == bytes.count, done % BPFProgram.instructionSize == 0 else {
            throw StackError(.internalError, "seccomp_export_bpf wrote \(size) bytes, read back \(done)")
        }
        return bytes
    }

    private static func failure(_ what: String, _ rc: Int32, path: String?) -> StackError {
        StackError(.system, "\(what): \(Errno(-rc).description)", path: path)
    }
}
