#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import StackCore

/// The real cgroup file system, through POSIX calls.
///
/// `root` prefixes every path (empty for the host; a temp directory for `FakeCgroupFileSystem`);
/// error messages always show the path as given, without the prefix.
public struct LocalCgroupFileSystem: CgroupFileSystem {
    /// Prepended to every path before the system call.
    public let root: String
    /// Whether `write` creates missing files (for directory trees that stand in for cgroupfs;
    /// the real cgroupfs never creates files, so the kernel's ENOENT is kept there).
    public let createsMissingFiles: Bool

    public init(root: String = "", createsMissingFiles: Bool = false) {
        self.root = root
        self.createsMissingFiles = createsMissingFiles
    }

    public func read(_ path: String) throws(StackError) -> String {
        let fd = try openFile(path, flags: O_RDONLY | O_CLOEXEC, operation: "read")
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                throw .cgroupSystem("read", path, errno: code)
            }
            if count == 0 { break }
            bytes.append(contentsOf: buffer[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    public func write(_ path: String, _ value: String) throws(StackError) {
        let flags = O_WRONLY | O_TRUNC | O_CLOEXEC | (createsMissingFiles ? O_CREAT : 0)
        let fd = try openFile(path, flags: flags, operation: "write")
        defer { close(fd) }
        let bytes = Array(value.utf8)
        while true {
            let count = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if count >= 0 { return }
            let code = errno
            if code != EINTR { throw .cgroupSystem("write", path, errno: code) }
        }
    }

    public func mkdir(_ path: String) throws(StackError) {
        if Glibc.mkdir(root + path, 0o755) != 0 {
            let code = errno
            if code != EEXIST { throw .cgroupSystem("mkdir", path, errno: code) }
        }
    }

    public func rmdir(_ path: String) throws(StackError) {
        if Glibc.rmdir(root + path) != 0 {
            throw .cgroupSystem("rmdir", path, errno: errno)
        }
    }

    public func list(_ path: String) throws(StackError) -> [CgroupDirEntry] {
        guard let dir = opendir(root + path) else { throw .cgroupSystem("opendir", path, errno: errno) }
        defer { closedir(dir) }
        var entries: [CgroupDirEntry] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            var isDirectory = entry.pointee.d_type == UInt8(DT_DIR)
            if entry.pointee.d_type == UInt8(DT_UNKNOWN) {
                var info = stat()
                isDirectory = lstat(root + path + "/" + name, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
            }
            entries.append(CgroupDirEntry(name: name, isDirectory: isDirectory))
        }
        return entries.sorted { $0.name < $1.name }
    }

    public func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(root + path, &info) == 0
    }

    private func openFile(_ path: String, flags: Int32, operation: String) throws(StackError) -> Int32 {
        while true {
            let fd = open(root + path, flags, 0o644)
            if fd >= 0 { return fd }
            let code = errno
            if code != EINTR { throw .cgroupSystem(operation, path, errno: code) }
        }
    }
}
