#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LinuxOS
import StackCore

#if canImport(Glibc)
import Glibc
#endif

/// Small file-descriptor helpers with errors that name the call and path.
enum POSIXFile {
    static func open(_ path: String, _ flags: Int32, _ mode: mode_t = 0o644) throws(StackError) -> Int32 {
        let fd = Glibc.open(path, flags | O_CLOEXEC, mode)
        if fd < 0 { throw StackError(.system, "open \(path)", cause: Errno.current) }
        return fd
    }

    /// Read up to `buffer.count` bytes, retrying on EINTR; 0 at end of file.
    static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, what: String) throws(StackError) -> Int {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            let error = Errno.current
            if error != .EINTR { throw StackError(.system, "read \(what)", cause: error) }
        }
    }

    /// Write all of `buffer`, retrying on EINTR and short writes.
    static func writeAll(_ fd: Int32, _ buffer: UnsafeRawBufferPointer, what: String) throws(StackError) {
        var offset = 0
        while offset < buffer.count {
            let n = Glibc.write(fd, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
            if n < 0 {
                let error = Errno.current
                if error == .EINTR { continue }
                throw StackError(.system, "write \(what)", cause: error)
            }
            offset += n
        }
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8], what: String) throws(StackError) {
        try writeAll(fd, bytes[...], what: what)
    }

    static func writeAll(_ fd: Int32, _ bytes: ArraySlice<UInt8>, what: String) throws(StackError) {
        var offset = bytes.startIndex
        while offset < bytes.endIndex {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                let error = Errno.current
                if error == .EINTR { continue }
                throw StackError(.system, "write \(what)", cause: error)
            }
            offset += n
        }
    }

    /// Read into `chunk` (up to its size), retrying on EINTR; 0 at end of file.
    static func read(_ fd: Int32, into chunk: inout [UInt8], what: String) throws(StackError) -> Int {
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n >= 0 { return n }
            let error = Errno.current
            if error != .EINTR { throw StackError(.system, "read \(what)", cause: error) }
        }
    }

    /// The whole file at `path`.
    static func readFile(_ path: String) throws(StackError) -> [UInt8] {
        let fd = try open(path, O_RDONLY)
        defer { Glibc.close(fd) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = try read(fd, into: &chunk, what: path)
            if n == 0 { return result }
            result.append(contentsOf: chunk[0..<n])
        }
    }

    /// Write `bytes` to `path` through a temporary file in the same directory and rename.
    static func writeAtomically(_ path: String, _ bytes: [UInt8], mode: mode_t = 0o644) throws(StackError) {
        let temporary = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = try open(temporary, O_WRONLY | O_CREAT | O_EXCL, mode)
        do {
            try writeAll(fd, bytes, what: temporary)
            Glibc.close(fd)
        } catch {
            Glibc.close(fd)
            unlink(temporary)
            throw error
        }
        if rename(temporary, path) != 0 {
            let error = Errno.current
            unlink(temporary)
            throw StackError(.system, "rename \(temporary) to \(path)", cause: error)
        }
    }

    /// `mkdir -p`.
    static func makeDirectories(_ path: String, mode: Int = 0o755) throws(StackError) {
        try Directories.make(path, mode: mode_t(mode))
    }

    /// `rm -rf`; missing is fine.
    static func removeTree(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    static func size(_ path: String) -> Int64? {
        var info = stat()
        return stat(path, &info) == 0 ? Int64(info.st_size) : nil
    }

    /// The canonical absolute path (symlinks resolved), or the path itself if it cannot be resolved.
    static func realPath(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
