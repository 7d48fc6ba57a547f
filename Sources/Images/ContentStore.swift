import LinuxOS
import StackCore

#if canImport(Glibc)
import Glibc
#endif

/// Content-addressed blobs under `root`: `root/blobs/sha256/<hex>`, written through `root/tmp/`
/// and renamed into place, so a blob that exists is always complete.
public struct ContentStore: Sendable {
    /// The store's directory (e.g. `$STACK_ROOT/images`).
    public let root: String

    /// Open (creating its directories) the store at `root`.
    public init(root: String) throws(StackError) {
        self.root = root
        try POSIXFile.makeDirectories(root + "/blobs/sha256")
        try POSIXFile.makeDirectories(root + "/tmp", mode: 0o700)
    }

    /// Where the blob `digest` lives (whether or not it exists).
    public func path(for digest: Digest) -> String { root + "/blobs/sha256/" + digest.hex }

    /// True if the blob is present.
    public func exists(_ digest: Digest) -> Bool { POSIXFile.exists(path(for: digest)) }

    /// The blob's size, nil if absent.
    public func size(of digest: Digest) -> Int64? { POSIXFile.size(path(for: digest)) }

    /// A fresh unique path under `tmp/`.
    public func temporaryPath(prefix: String) -> String {
        root + "/tmp/\(prefix)-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
    }

    /// Start writing a blob.
    public func writer() throws(StackError) -> BlobWriter { try BlobWriter(store: self) }

    /// Copy everything readable from `fd` (to end of file) into a blob; verify `expected` when given.
    @discardableResult
    public func ingest(fd: Int32, expected: Digest? = nil, expectedSize: Int64? = nil, what: String = "input")
        throws(StackError) -> (digest: Digest, size: Int64)
    {
        let writer = try writer()
        var chunk = [UInt8](repeating: 0, count: 1 << 17)
        while true {
            let n = try POSIXFile.read(fd, into: &chunk, what: what)
            if n == 0 { break }
            try writer.write(chunk[0..<n])
        }
        return try writer.commit(expected: expected, expectedSize: expectedSize)
    }

    /// Copy the file at `path` into a blob.
    @discardableResult
    public func ingest(path source: String, expected: Digest? = nil, expectedSize: Int64? = nil)
        throws(StackError) -> (digest: Digest, size: Int64)
    {
        let fd = try POSIXFile.open(source, O_RDONLY)
        defer { Glibc.close(fd) }
        return try ingest(fd: fd, expected: expected, expectedSize: expectedSize, what: source)
    }

    /// Store `bytes` as a blob.
    @discardableResult
    public func ingest(bytes: [UInt8], expected: Digest? = nil) throws(StackError) -> (digest: Digest, size: Int64) {
        let writer = try writer()
        try writer.write(bytes[...])
        return try writer.commit(expected: expected)
    }

    /// Open the blob for reading; the caller closes the descriptor.
    public func open(_ digest: Digest) throws(StackError) -> Int32 {
        guard exists(digest) else { throw StackError(.notFound, "blob \(digest) not found") }
        return try POSIXFile.open(path(for: digest), O_RDONLY)
    }

    /// The blob's bytes (for small blobs: configs, manifests).
    public func read(_ digest: Digest) throws(StackError) -> [UInt8] {
        guard exists(digest) else { throw StackError(.notFound, "blob \(digest) not found") }
        return try POSIXFile.readFile(path(for: digest))
    }

    /// Re-hash the blob and check it matches its name.
    public func verify(_ digest: Digest) throws(StackError) {
        let fd = try open(digest)
        defer { Glibc.close(fd) }
        let hasher = SHA256Hasher()
        var chunk = [UInt8](repeating: 0, count: 1 << 17)
        while true {
            let n = try POSIXFile.read(fd, into: &chunk, what: path(for: digest))
            if n == 0 { break }
            chunk.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        }
        let actual = hasher.finish()
        if actual != digest { throw StackError(.system, "blob \(digest) is corrupt: its content hashes to \(actual)") }
    }

    /// Remove the blob; absent is fine.
    public func delete(_ digest: Digest) throws(StackError) {
        if unlink(path(for: digest)) != 0 {
            let error = Errno.current
            if error != .ENOENT { throw StackError(.system, "unlink \(path(for: digest))", cause: error) }
        }
    }

    /// All blobs present.
    public func list() -> [Digest] {
        guard let dir = opendir(root + "/blobs/sha256") else { return [] }
        defer { closedir(dir) }
        var result: [Digest] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if let digest = Digest(hex: name) { result.append(digest) }
        }
        return result.sorted()
    }
}
