import StackCore

/// Linux capabilities (linux/capability.h), numbered as the kernel numbers them.
public enum Capability: Int32, Sendable, Hashable, CaseIterable {
    case chown = 0
    case dacOverride = 1
    case dacReadSearch = 2
    case fowner = 3
    case fsetid = 4
    case kill = 5
    case setgid = 6
    case setuid = 7
    case setpcap = 8
    case linuxImmutable = 9
    case netBindService = 10
    case netBroadcast = 11
    case netAdmin = 12
    case netRaw = 13
    case ipcLock = 14
    case ipcOwner = 15
    case sysModule = 16
    case sysRawio = 17
    case sysChroot = 18
    case sysPtrace = 19
    case sysPacct = 20
    case sysAdmin = 21
    case sysBoot = 22
    case sysNice = 23
    case sysResource = 24
    case sysTime = 25
    case sysTtyConfig = 26
    case mknod = 27
    case lease = 28
    case auditWrite = 29
    case auditControl = 30
    case setfcap = 31
    case macOverride = 32
    case macAdmin = 33
    case syslog = 34
    case wakeAlarm = 35
    case blockSuspend = 36
    case auditRead = 37
    case perfmon = 38
    case bpf = 39
    case checkpointRestore = 40

    /// The highest capability this table knows (CAP_LAST_CAP of Linux 5.9+).
    public static let last = Capability.checkpointRestore

    /// The `CAP_*` name used in config.json.
    public var name: String { CapabilityName.name(of: UInt32(rawValue)) }

    /// The capability named `name` (`CAP_SYS_ADMIN`); names are matched exactly, as runc does.
    public init?(name: String) {
        guard let number = CapabilityName.number(of: name), let capability = Capability(rawValue: Int32(number)) else {
            return nil
        }
        self = capability
    }
}
