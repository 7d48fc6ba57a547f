import LinuxOS
import StackCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The few file operations the engine needs, as system calls with errors that name the path.
enum FileSystem {
    /// Write `text` to `path` (0644) through a temporary file and rename, so readers never see half.
    static func write(_ path: String, _ text: String, mode: mode_t = 0o644) throws(StackError) {
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw StackError.system("open \(temporary)", Errno.current) }
        if let error = writeAll(fd, Array(text.utf8)) {
            close(fd)
            unlink(temporary)
            throw StackError.system("write \(temporary)", error)
        }
        close(fd)
        guard rename(temporary, path) == 0 else {
            let error = Errno.current
            unlink(temporary)
            throw StackError.system("rename \(temporary)", error)
        }
    }

    /// Write all of `bytes` to `fd` (retrying after EINTR); the errno of a failed write.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Errno? {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return Glibc.write(fd, base + offset, raw.count - offset)
            }
            if written < 0 {
                let error = Errno.current
                if error == .EINTR { continue }
                return error
            }
            offset += written
        }
        return nil
    }

    /// Replace the content of `path` in place (same inode), so a bind mount of it shows the new text.
    static func overwrite(_ path: String, _ text: String) throws(StackError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw StackError.system("open \(path)", Errno.current) }
        defer { close(fd) }
        if let error = writeAll(fd, Array(text.utf8)) { throw StackError.system("write \(path)", error) }
    }

    /// The whole text of a file, or nil when it cannot be read.
    static func readText(_ path: String, limit: Int = 16 << 20) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var result = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while result.count < limit {
            let got = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if got < 0, Errno.current == .EINTR { continue }
            if got <= 0 { break }
            result.append(contentsOf: buffer[0..<got])
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// `relative` from the first (top-most) layer that has it, as the overlay would show it.
    static func readFromLayers(_ layers: [String], _ relative: String) -> String? {
        for layer in layers {
            var info = stat()
            let path = layer + "/" + relative
            if lstat(path, &info) == 0 {
                // A whiteout (character device 0/0) hides the file of the layers below.
                if (info.st_mode & S_IFMT) == S_IFCHR { return nil }
                return readText(path)
            }
        }
        return nil
    }

    /// The device numbers of a block device path, for blkio limits.
    static func deviceNumber(_ path: String) -> (major: Int64, minor: Int64)? {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFBLK || (info.st_mode & S_IFMT) == S_IFCHR
        else { return nil }
        let device = UInt64(info.st_rdev)
        let major = ((device >> 8) & 0xfff) | ((device >> 32) & ~UInt64(0xfff))
        let minor = (device & 0xff) | ((device >> 12) & ~UInt64(0xff))
        return (Int64(major), Int64(minor))
    }

    /// rm -rf, not following symlinks and not crossing into mounts; errors are ignored (best effort).
    static func removeTree(_ path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            for name in list(path) { removeTree(path + "/" + name) }
            rmdir(path)
        } else {
            unlink(path)
        }
    }

    /// The names in a directory (not `.` and `..`); empty when it cannot be read.
    static func list(_ path: String) -> [String] {
        guard let directory = opendir(path) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }
}
