import LinuxOS
import StackCore

#if canImport(Glibc)
import Glibc
#endif

/// A container root file system: an overlay of image layers (top first) plus the container's upper
/// and work directories, mounted through `Syscalls` (no `mount` binary).
///
/// `index=off` is passed when the kernel knows the option (/sys/module/overlay/parameters/index): the
/// same lower layers are shared by many containers and overlay's inode index would tie them to one
/// mount. When the option string would pass the kernel's one-page limit, the layers are reached
/// through short symlinks `<linkDirectory>/<n>` instead. One layer without an upper directory is
/// mounted as a read-only bind (overlay needs two lower layers when it has no upper).
public struct OverlayRootfs: Sendable {
    /// Layer directories, top-most first.
    public var lowerDirectories: [String]
    /// The container's writable layer and overlay's work directory (same file system); nil for a
    /// read-only overlay.
    public var upperDirectory: String?
    public var workDirectory: String?
    /// Where the rootfs is mounted.
    public var target: String
    /// A directory for short layer symlinks, used only when the options are too long.
    public var linkDirectory: String?
    /// Whether to pass `index=off` (default: when the running kernel supports it).
    public var indexOff: Bool

    /// The kernel's limit on mount data: one page.
    public static let optionLimit = 4096 - 1

    public init(
        lowerDirectories: [String], upperDirectory: String?, workDirectory: String?, target: String,
        linkDirectory: String? = nil, indexOff: Bool = OverlayRootfs.kernelHasIndexOption
    ) {
        self.lowerDirectories = lowerDirectories
        self.upperDirectory = upperDirectory
        self.workDirectory = workDirectory
        self.target = target
        self.linkDirectory = linkDirectory
        self.indexOff = indexOff
    }

    /// True when overlayfs has the `index` parameter (Linux ≥ 4.13).
    public static var kernelHasIndexOption: Bool { access("/sys/module/overlay/parameters/index", F_OK) == 0 }

    /// The overlay mount data for `lowers` (escaping `,` `:` and `\` in paths, as overlayfs expects).
    public func options(lowers: [String]) -> String {
        var parts = ["lowerdir=" + lowers.map(OverlayRootfs.escape).joined(separator: ":")]
        if let upperDirectory, let workDirectory {
            parts.append("upperdir=" + OverlayRootfs.escape(upperDirectory))
            parts.append("workdir=" + OverlayRootfs.escape(workDirectory))
        }
        if indexOff { parts.append("index=off") }
        return parts.joined(separator: ",")
    }

    static func escape(_ path: String) -> String {
        var result = ""
        for character in path {
            if character == "," || character == ":" || character == "\\" { result.append("\\") }
            result.append(character)
        }
        return result
    }

    /// Create the upper, work and target directories if missing.
    public func makeDirectories() throws(StackError) {
        for directory in [upperDirectory, workDirectory, target].compactMap({ $0 }) {
            try POSIXFile.makeDirectories(directory)
        }
    }

    /// Mount. Errors name the step (`mount /…/rootfs: EINVAL (Invalid argument)`).
    public func mount(using syscalls: some Syscalls) throws(StackError) {
        guard !lowerDirectories.isEmpty else { throw StackError(.invalidArgument, "overlay: no lower layers") }
        guard (upperDirectory == nil) == (workDirectory == nil) else {
            throw StackError(.invalidArgument, "overlay: upper and work directories go together")
        }
        if lowerDirectories.count == 1 && upperDirectory == nil, let only = lowerDirectories.first {
            try syscalls.mount(source: only, target: target, fstype: nil, flags: [.bind], data: nil)
            do {
                try syscalls.mount(
                    source: nil, target: target, fstype: nil, flags: [.bind, .remount, .readOnly], data: nil)
            } catch {
                try? syscalls.umount2(target, flags: OverlayRootfs.detach)
                throw error
            }
            return
        }
        var data = options(lowers: lowerDirectories)
        if data.utf8.count > OverlayRootfs.optionLimit {
            guard let linkDirectory else {
                throw StackError(
                    .invalidArgument,
                    "overlay: \(lowerDirectories.count) layers make mount options of \(data.utf8.count) bytes (limit \(OverlayRootfs.optionLimit)); no link directory given")
            }
            let links = try makeLinks(in: linkDirectory)
            data = options(lowers: links)
            if data.utf8.count > OverlayRootfs.optionLimit {
                throw StackError(
                    .invalidArgument,
                    "overlay: \(lowerDirectories.count) layers are too many even through \(linkDirectory) (\(data.utf8.count) bytes)")
            }
        }
        try syscalls.mount(source: "overlay", target: target, fstype: "overlay", flags: [], data: data)
    }

    /// `<linkDirectory>/<n>` → each lower directory; returns the link paths, in order.
    private func makeLinks(in directory: String) throws(StackError) -> [String] {
        try POSIXFile.makeDirectories(directory, mode: 0o700)
        var links: [String] = []
        for (index, lower) in lowerDirectories.enumerated() {
            let link = directory + "/" + String(index, radix: 36)
            unlink(link)
            if symlink(lower, link) != 0 { throw StackError(.system, "symlink \(link)", cause: Errno.current) }
            links.append(link)
        }
        return links
    }

    /// `MNT_DETACH`.
    public static let detach: Int32 = 2

    /// Unmount (lazily, `MNT_DETACH`); a target that is not mounted is fine.
    public func unmount(using syscalls: some Syscalls) throws(StackError) {
        do {
            try syscalls.umount2(target, flags: OverlayRootfs.detach)
        } catch {
            if let errno = error.cause as? Errno, errno == .EINVAL || errno == .ENOENT { return }
            throw error
        }
    }
}
