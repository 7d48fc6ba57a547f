import CRuntime
import LinuxOS
import StackCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Installs a device filter program on a cgroup v2 directory: the kernel seam of
/// `CgroupV2Manager`'s device rules, so tests on a fake tree can record instead.
public protocol DeviceFilterLoader: Sendable {
    /// Loads `program` and makes it the only device filter of the cgroup at `directory`
    /// (attaching the new one before detaching the old, so there is no unfiltered moment).
    func install(_ program: [UInt8], on directory: String) throws(StackError)
}

/// The real loader: bpf(2) through CRuntime.
public struct LinuxDeviceFilterLoader: DeviceFilterLoader {
    public init() {}

    public func install(_ program: [UInt8], on directory: String) throws(StackError) {
        let cgroup = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard cgroup >= 0 else { throw StackError(.system, "open \(directory)", cause: Errno.current) }
        defer { close(cgroup) }

        var previous = [UInt32](repeating: 0, count: 64)
        var count = UInt32(previous.count)
        let queried = cr_bpf_query_cgroup_device(cgroup, &previous, &count)
        if queried < 0 && queried != -ENOSPC {
            throw StackError(.system, "bpf(BPF_PROG_QUERY) on \(directory)", cause: Errno(-queried))
        }
        let old = Array(previous.prefix(Int(min(count, UInt32(previous.count)))))

        var log = [CChar](repeating: 0, count: 4096)
        let instructionCount = UInt32(program.count / 8)
        let fd = program.withUnsafeBytes { bytes in
            log.withUnsafeMutableBufferPointer { buffer in
                cr_bpf_load_cgroup_device(bytes.baseAddress, instructionCount, buffer.baseAddress, UInt32(buffer.count))
            }
        }
        guard fd >= 0 else {
            let verifier = String(decoding: log.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw StackError(
                .system, "bpf(BPF_PROG_LOAD) of the device filter\(verifier.isEmpty ? "" : " (verifier: \(verifier))")",
                cause: Errno(-fd))
        }
        defer { close(fd) }
        let attached = cr_bpf_attach_cgroup_device(cgroup, fd)
        guard attached >= 0 else {
            throw StackError(.system, "bpf(BPF_PROG_ATTACH) of the device filter to \(directory)", cause: Errno(-attached))
        }
        for id in old {
            let detached = cr_bpf_detach_cgroup_device(cgroup, id)
            if detached < 0 && detached != -ENOENT {
                throw StackError(
                    .system, "bpf(BPF_PROG_DETACH) of the old device filter \(id) from \(directory)",
                    cause: Errno(-detached))
            }
        }
    }
}
