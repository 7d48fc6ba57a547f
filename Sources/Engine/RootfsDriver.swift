import Images
import LinuxOS
import StackCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Mounting and unmounting a container's overlay root filesystem, behind a protocol so tests
/// without the privilege to mount can fake it.
public protocol RootfsDriver: Sendable {
    /// Whether something is mounted on `target`.
    func isMounted(_ target: String) -> Bool
    /// Mount `overlay` (its directories exist).
    func mount(_ overlay: OverlayRootfs) throws(StackError)
    /// Unmount everything stacked on `target` (lazily); quiet when nothing is mounted.
    func unmount(_ target: String)
}

/// The real driver: overlayfs through the kernel, mount points read from /proc/self/mountinfo.
public struct OverlayRootfsDriver: RootfsDriver {
    public init() {}

    public func isMounted(_ target: String) -> Bool { MountTable.isMountPoint(target) }

    public func mount(_ overlay: OverlayRootfs) throws(StackError) { try overlay.mount(using: LinuxSyscalls()) }

    public func unmount(_ target: String) {
        while MountTable.isMountPoint(target) {
            if umount2(target, Int32(MNT_DETACH)) != 0 { break }
        }
    }
}
