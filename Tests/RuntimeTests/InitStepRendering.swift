import ContainerInit
import LinuxOS

/// Steps rendered as the system calls they make, for readable expectations:
/// `mount("proc","/b/rootfs/proc","proc",0,"") [mkdir]`, `mknod("/b/rootfs/dev/null",S_IFCHR|0666,1:3)`.
extension InitStep {
    var rendered: String {
        func string(_ index: Int) -> String {
            guard index < items.count, case .string(let text) = items[index] else { return "?" }
            return text
        }
        func q(_ index: Int) -> String { SyscallRendering.quote(string(index)) }
        func mountFlags(_ value: UInt64) -> String { MountFlags(rawValue: UInt(value)).description }
        switch code {
        case .mount:
            var text = "mount(\(q(1)),\(q(2)),\(q(3)),\(mountFlags(a)),\(q(4)))"
            if flags.contains(.makeTarget) { text += " [mkdir]" }
            if flags.contains(.bindOnEPERM) { text += " [eperm: bind \(q(5)) remount \(mountFlags(b))]" }
            return text
        case .bind:
            return "bind(\(q(1)),\(q(2)),\(mountFlags(a)))" + (b == 0 ? "" : " remount \(mountFlags(b))")
        case .mkdir:
            var text = "mkdir(\(q(0)),\(SyscallRendering.octal(UInt32(a))))"
            if flags.contains(.parents) { text += " -p" }
            if flags.contains(.quiet) { text += " quiet" }
            return text
        case .makeFile: return "mkfile(\(q(0)))"
        case .mknod:
            let (major, minor) = Device.split(b)
            return "mknod(\(q(0)),\(SyscallRendering.nodeMode(UInt32(a))),\(major):\(minor))"
        case .symlink: return "symlink(\(q(0)),\(q(1)))"
        case .umask: return "umask(\(SyscallRendering.octal(UInt32(a))))"
        case .chdir: return "chdir(\(q(0)))"
        case .chroot: return "chroot(\(q(0)))"
        case .pivotRoot: return #"pivot_root(".",".")"#
        case .umount: return "umount2(\(q(0)),\(SyscallRendering.umountFlags(Int32(a))))"
        case .sethostname: return "sethostname(\(q(0)))"
        case .setdomainname: return "setdomainname(\(q(0)))"
        case .writeFile: return "write(\(q(0)),\(q(1)))"
        case .protect: return (flags.contains(.mask) ? "mask(" : "readonly(") + q(0) + ")"
        case .rlimit: return "setrlimit(\(a),\(b),\(c))"
        case .setresgid: return "setresgid(\(a))"
        case .setresuid: return "setresuid(\(a))"
        case .keepCapabilities: return "prctl(PR_SET_KEEPCAPS,\(a))"
        case .noNewPrivileges: return "prctl(PR_SET_NO_NEW_PRIVS,1)"
        case .setgroups:
            guard case .bytes(let bytes)? = items.first else { return "setgroups(?)" }
            let gids = stride(from: 0, to: bytes.count, by: 4).map { offset in
                bytes[offset..<offset + 4].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            }
            return "setgroups(\(gids))"
        case .seccomp:
            guard case .bytes(let bytes)? = items.first else { return "seccomp(?)" }
            return "seccomp(\(bytes.count))"
        default: return description
        }
    }
}

extension InitPlan {
    var rendered: [String] { steps.map(\.rendered) }
}
