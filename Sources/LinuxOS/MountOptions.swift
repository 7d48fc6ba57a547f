/// OCI mount options (`["rbind", "ro", "nosuid", "mode=755"]`) split into what `mount(2)` needs:
/// flags for the mount call, propagation changes for separate calls, recursive attributes for
/// `mount_setattr(2)`, and the rest as the comma-separated data string.
///
/// Options apply in order, so `["ro", "rw"]` ends read-write. Unknown options go to `data`
/// unchanged (the filesystem judges them).
public struct MountOptions: Sendable, Equatable {
    /// Flags to set in the mount call.
    public var flags: MountFlags = []
    /// Flags an option explicitly cleared (`rw`, `dev`, `exec`, `suid`, `atime`, …); a remount
    /// keeps them off.
    public var clearedFlags: MountFlags = []
    /// Propagation changes, in order, each for its own `mount(NULL, target, NULL, flags, NULL)`.
    public var propagation: [MountFlags] = []
    /// Attributes to set and clear recursively with `mount_setattr(AT_RECURSIVE)`.
    public var recursiveSet: MountAttributes = []
    public var recursiveClear: MountAttributes = []
    /// Filesystem-specific options joined with commas (`mode=755,size=65536k`).
    public var data: String = ""
    /// Runtime extensions that are not kernel options (`tmpcopyup`, `idmap`, `ridmap`).
    public var extensions: [String] = []

    public init() {}

    /// Whether this is a bind mount (`bind` or `rbind`).
    public var isBind: Bool { flags.contains(.bind) }
    /// Whether the bind is recursive (`rbind`).
    public var isRecursiveBind: Bool { flags.contains([.bind, .recursive]) }

    /// Parse a list of OCI mount options.
    public static func parse(_ options: [String]) -> MountOptions {
        var result = MountOptions()
        var data: [String] = []
        for option in options {
            if let (flag, clear) = flagOptions[option] {
                if clear {
                    result.flags.remove(flag)
                    result.clearedFlags.insert(flag)
                } else {
                    result.flags.insert(flag)
                    result.clearedFlags.remove(flag)
                }
            } else if let propagation = propagationOptions[option] {
                result.propagation.append(propagation)
            } else if let (attribute, clear) = recursiveOptions[option] {
                result.applyRecursive(option: option, attribute: attribute, clear: clear)
            } else if extensionOptions.contains(option) {
                result.extensions.append(option)
            } else if option == "defaults" || option.isEmpty {
                continue
            } else {
                data.append(option)
            }
        }
        result.data = data.joined(separator: ",")
        return result
    }

    private mutating func applyRecursive(option: String, attribute: MountAttributes, clear: Bool) {
        let atime = ["rrelatime", "rnoatime", "rstrictatime"]
        if atime.contains(option) {
            recursiveClear.insert(.atimeMask)
            recursiveSet.remove(.atimeMask)
            recursiveSet.insert(attribute)
        } else if clear {
            recursiveSet.remove(attribute)
            recursiveClear.insert(attribute)
        } else {
            recursiveClear.remove(attribute)
            recursiveSet.insert(attribute)
        }
    }

    /// option → (flag, whether the option clears it)
    private static let flagOptions: [String: (MountFlags, Bool)] = [
        "ro": (.readOnly, false), "rw": (.readOnly, true),
        "nosuid": (.noSuid, false), "suid": (.noSuid, true),
        "nodev": (.noDev, false), "dev": (.noDev, true),
        "noexec": (.noExec, false), "exec": (.noExec, true),
        "sync": (.synchronous, false), "async": (.synchronous, true),
        "dirsync": (.dirSync, false),
        "remount": (.remount, false),
        "mand": (.mandatoryLock, false), "nomand": (.mandatoryLock, true),
        "noatime": (.noAtime, false), "atime": (.noAtime, true),
        "nodiratime": (.noDirAtime, false), "diratime": (.noDirAtime, true),
        "relatime": (.relatime, false), "norelatime": (.relatime, true),
        "strictatime": (.strictAtime, false), "nostrictatime": (.strictAtime, true),
        "lazytime": (.lazyTime, false), "nolazytime": (.lazyTime, true),
        "iversion": (.iVersion, false), "noiversion": (.iVersion, true),
        "nosymfollow": (.noSymlinkFollow, false), "symfollow": (.noSymlinkFollow, true),
        "silent": (.silent, false), "loud": (.silent, true),
        "acl": (.posixACL, false),
        "bind": (.bind, false), "rbind": ([.bind, .recursive], false),
    ]

    private static let propagationOptions: [String: MountFlags] = [
        "private": .private, "rprivate": [.private, .recursive],
        "shared": .shared, "rshared": [.shared, .recursive],
        "slave": .slave, "rslave": [.slave, .recursive],
        "unbindable": .unbindable, "runbindable": [.unbindable, .recursive],
    ]

    /// option → (attribute, whether the option clears it)
    private static let recursiveOptions: [String: (MountAttributes, Bool)] = [
        "rro": (.readOnly, false), "rrw": (.readOnly, true),
        "rnosuid": (.noSuid, false), "rsuid": (.noSuid, true),
        "rnodev": (.noDev, false), "rdev": (.noDev, true),
        "rnoexec": (.noExec, false), "rexec": (.noExec, true),
        "rnodiratime": (.noDirAtime, false), "rdiratime": (.noDirAtime, true),
        "rnosymfollow": (.noSymlinkFollow, false), "rsymfollow": (.noSymlinkFollow, true),
        "rrelatime": (.relatime, false), "rnoatime": (.noAtime, false), "rstrictatime": (.strictAtime, false),
    ]

    private static let extensionOptions: Set<String> = ["tmpcopyup", "idmap", "ridmap"]
}
