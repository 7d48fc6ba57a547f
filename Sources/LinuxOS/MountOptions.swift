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
            if let (flag, clear) = flagOption(option) {
                if clear {
                    result.flags.remove(flag)
                    result.clearedFlags.insert(flag)
                } else {
                    result.flags.insert(flag)
                    result.clearedFlags.remove(flag)
                }
            } else if let propagation = propagationOption(option) {
                result.propagation.append(propagation)
            } else if let (attribute, clear) = recursiveOption(option) {
                result.applyRecursive(option: option, attribute: attribute, clear: clear)
            } else if isExtension(option) {
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

    /// option → (flag, whether the option clears it); a switch, not a dictionary built at first use
    private static func flagOption(_ option: String) -> (MountFlags, Bool)? {
        switch option {
        case "ro": return (.readOnly, false)
        case "rw": return (.readOnly, true)
        case "nosuid": return (.noSuid, false)
        case "suid": return (.noSuid, true)
        case "nodev": return (.noDev, false)
        case "dev": return (.noDev, true)
        case "noexec": return (.noExec, false)
        case "exec": return (.noExec, true)
        case "sync": return (.synchronous, false)
        case "async": return (.synchronous, true)
        case "dirsync": return (.dirSync, false)
        case "remount": return (.remount, false)
        case "mand": return (.mandatoryLock, false)
        case "nomand": return (.mandatoryLock, true)
        case "noatime": return (.noAtime, false)
        case "atime": return (.noAtime, true)
        case "nodiratime": return (.noDirAtime, false)
        case "diratime": return (.noDirAtime, true)
        case "relatime": return (.relatime, false)
        case "norelatime": return (.relatime, true)
        case "strictatime": return (.strictAtime, false)
        case "nostrictatime": return (.strictAtime, true)
        case "lazytime": return (.lazyTime, false)
        case "nolazytime": return (.lazyTime, true)
        case "iversion": return (.iVersion, false)
        case "noiversion": return (.iVersion, true)
        case "nosymfollow": return (.noSymlinkFollow, false)
        case "symfollow": return (.noSymlinkFollow, true)
        case "silent": return (.silent, false)
        case "loud": return (.silent, true)
        case "acl": return (.posixACL, false)
        case "bind": return (.bind, false)
        case "rbind": return ([.bind, .recursive], false)
        default: return nil
        }
    }


    /// option → propagation change
    private static func propagationOption(_ option: String) -> MountFlags? {
        switch option {
        case "private": return .private
        case "rprivate": return [.private, .recursive]
        case "shared": return .shared
        case "rshared": return [.shared, .recursive]
        case "slave": return .slave
        case "rslave": return [.slave, .recursive]
        case "unbindable": return .unbindable
        case "runbindable": return [.unbindable, .recursive]
        default: return nil
        }
    }


    /// option → (attribute, whether the option clears it)
    private static func recursiveOption(_ option: String) -> (MountAttributes, Bool)? {
        switch option {
        case "rro": return (.readOnly, false)
        case "rrw": return (.readOnly, true)
        case "rnosuid": return (.noSuid, false)
        case "rsuid": return (.noSuid, true)
        case "rnodev": return (.noDev, false)
        case "rdev": return (.noDev, true)
        case "rnoexec": return (.noExec, false)
        case "rexec": return (.noExec, true)
        case "rnodiratime": return (.noDirAtime, false)
        case "rdiratime": return (.noDirAtime, true)
        case "rnosymfollow": return (.noSymlinkFollow, false)
        case "rsymfollow": return (.noSymlinkFollow, true)
        case "rrelatime": return (.relatime, false)
        case "rnoatime": return (.noAtime, false)
        case "rstrictatime": return (.strictAtime, false)
        default: return nil
        }
    }


    private static func isExtension(_ option: String) -> Bool {
        option == "tmpcopyup" || option == "idmap" || option == "ridmap"
    }
}
