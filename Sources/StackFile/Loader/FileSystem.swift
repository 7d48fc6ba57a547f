#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import StackCore

/// What the loader needs from a file system: read files and look at paths.
///
/// The seam that lets loader tests run on an in-memory tree.
public protocol StackFileSystem: Sendable {
    /// The bytes of the file at `path`.
    func read(_ path: String) throws(StackError) -> [UInt8]
    /// Whether anything exists at `path`.
    func exists(_ path: String) -> Bool
    /// Whether `path` is a directory.
    func isDirectory(_ path: String) -> Bool
}

/// The real file system, through POSIX calls.
public struct LocalFileSystem: StackFileSystem {
    public init() {}

    public func read(_ path: String) throws(StackError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            throw StackError(.notFound, "cannot open \(path): \(String(cString: strerror(code)))")
        }
        defer { close(fd) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                let code = errno
                if code == EINTR { continue }
                throw StackError(.system, "cannot read \(path): \(String(cString: strerror(code)))")
            }
            if n == 0 { break }
            result.append(contentsOf: chunk[0..<n])
            if result.count > 256 << 20 {
                throw StackError(.invalidStackFile, "\(path) is larger than 256 MiB")
            }
        }
        return result
    }

    public func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }

    public func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// The process's current directory.
    public static func currentDirectory() -> String {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let found = buffer.withUnsafeMutableBufferPointer { pointer in
            pointer.baseAddress.map { base in
                base.withMemoryRebound(to: CChar.self, capacity: pointer.count) { getcwd($0, pointer.count) != nil }
            } ?? false
        }
        guard found, let end = buffer.firstIndex(of: 0) else { return "/" }
        return String(decoding: buffer[..<end], as: UTF8.self)
    }
}

/// An in-memory file tree for tests: absolute paths to contents; directories are implied.
public struct InMemoryFileSystem: StackFileSystem {
    public var files: [String: [UInt8]]

    public init(_ files: [String: String]) {
        self.files = Dictionary(uniqueKeysWithValues: files.map { (PathName.clean($0.key), Array($0.value.utf8)) })
    }

    public init(bytes: [String: [UInt8]]) {
        self.files = Dictionary(uniqueKeysWithValues: bytes.map { (PathName.clean($0.key), $0.value) })
    }

    public func read(_ path: String) throws(StackError) -> [UInt8] {
        guard let bytes = files[PathName.clean(path)] else {
            throw StackError(.notFound, "cannot open \(path): No such file or directory")
        }
        return bytes
    }

    public func exists(_ path: String) -> Bool { files[PathName.clean(path)] != nil || isDirectory(path) }

    public func isDirectory(_ path: String) -> Bool {
        let prefix = PathName.clean(path) == "/" ? "/" : PathName.clean(path) + "/"
        return files.keys.contains { $0.hasPrefix(prefix) }
    }
}
