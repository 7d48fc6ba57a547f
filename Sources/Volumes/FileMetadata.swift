#if canImport(Glibc)
import Glibc
#endif

/// What copy-up and `cp` carry over from one file to another besides its content.
struct FileMetadata {
    var uid: UInt32
    var gid: UInt32
    /// Permission bits including setuid, setgid and sticky (`mode & 07777`).
    var permissions: UInt32
    var accessTime: timespec
    var modificationTime: timespec
    /// Extended attributes in the order listed; raw values.
    var xattrs: [(name: String, value: [UInt8])]

    init(uid: UInt32, gid: UInt32, permissions: UInt32, accessTime: timespec, modificationTime: timespec,
        xattrs: [(name: String, value: [UInt8])] = []) {
        self.uid = uid
        self.gid = gid
        self.permissions = permissions
        self.accessTime = accessTime
        self.modificationTime = modificationTime
        self.xattrs = xattrs
    }

    /// The owner, permission bits and times of `info` (xattrs are read separately).
    init(_ info: stat) {
        self.init(
            uid: info.st_uid, gid: info.st_gid, permissions: UInt32(info.st_mode) & 0o7777, accessTime: info.st_atim,
            modificationTime: info.st_mtim)
    }
}

/// The file types copy-up and `cp` handle, from `st_mode`.
enum FileKind: Equatable {
    case regular, directory, symlink, characterDevice, blockDevice, fifo, socket

    init?(mode: mode_t) {
        switch mode & S_IFMT {
        case S_IFREG: self = .regular
        case S_IFDIR: self = .directory
        case S_IFLNK: self = .symlink
        case S_IFCHR: self = .characterDevice
        case S_IFBLK: self = .blockDevice
        case S_IFIFO: self = .fifo
        case S_IFSOCK: self = .socket
        default: return nil
        }
    }

    /// The `S_IF*` bits for `mknod`.
    var typeBits: mode_t {
        switch self {
        case .regular: S_IFREG
        case .directory: S_IFDIR
        case .symlink: S_IFLNK
        case .characterDevice: S_IFCHR
        case .blockDevice: S_IFBLK
        case .fifo: S_IFIFO
        case .socket: S_IFSOCK
        }
    }
}
