import StackCore

/// One line of a uid or gid map: `size` ids from `containerID` map to ids from `hostID`.
public struct IDMapping: Sendable, Hashable {
    public var containerID: UInt32
    public var hostID: UInt32
    public var size: UInt32

    public init(containerID: UInt32, hostID: UInt32, size: UInt32) {
        self.containerID = containerID
        self.hostID = hostID
        self.size = size
    }
}

/// Setting up a child's user namespace from the parent, while the child waits.
public enum UserNamespace {
    /// The text of a uid_map/gid_map file: one `container host size` line per mapping.
    public static func mapText(_ mappings: [IDMapping]) -> String {
        mappings.map { "\($0.containerID) \($0.hostID) \($0.size)\n" }.joined()
    }

    /// Write `/proc/PID/uid_map`, then (if asked) `deny` to `/proc/PID/setgroups`, then
    /// `/proc/PID/gid_map`. Each map goes in one `write(2)`, as the kernel requires.
    ///
    /// `denySetgroups` is needed when the writer lacks CAP_SETGID over the parent namespace
    /// (rootless), and makes `setgroups(2)` fail inside the namespace.
    public static func writeMappings(
        pid: Int32, uid: [IDMapping], gid: [IDMapping], denySetgroups: Bool = false,
        syscalls: any Syscalls = LinuxSyscalls()
    ) throws(StackError) {
        if !uid.isEmpty { try syscalls.writeFile("/proc/\(pid)/uid_map", contents: mapText(uid)) }
        if denySetgroups { try syscalls.writeFile("/proc/\(pid)/setgroups", contents: "deny") }
        if !gid.isEmpty { try syscalls.writeFile("/proc/\(pid)/gid_map", contents: mapText(gid)) }
    }
}
