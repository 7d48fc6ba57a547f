import LinuxOS
import StackCore

#if canImport(Glibc)
import Glibc
#endif

/// A blob being written into a `ContentStore`: bytes go to a file in `tmp/` while their size and
/// digest are computed; `commit` renames it to `blobs/sha256/<hex>`, `abort` removes it.
public final class BlobWriter {
    private let store: ContentStore
    private let temporaryPath: String
    private var fd: Int32
    private let hasher = SHA256Hasher()

    init(store: ContentStore) throws(StackError) {
        self.store = store
        temporaryPath = store.temporaryPath(prefix: "ingest")
        fd = try POSIXFile.open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL, 0o644)
    }

    deinit { abort() }

    /// Bytes written so far.
    public var size: Int64 { hasher.count }

    /// Append `buffer`.
    public func write(_ buffer: UnsafeRawBufferPointer) throws(StackError) {
        guard fd >= 0 else { throw StackError(.internalError, "blob writer used after commit or abort") }
        hasher.update(buffer)
        try POSIXFile.writeAll(fd, buffer, what: temporaryPath)
    }

    /// Append `bytes`.
    public func write(_ bytes: ArraySlice<UInt8>) throws(StackError) {
        guard fd >= 0 else { throw StackError(.internalError, "blob writer used after commit or abort") }
        bytes.withUnsafeBytes { hasher.update($0) }
        try POSIXFile.writeAll(fd, bytes, what: temporaryPath)
    }

    /// Finish: check `expected` (if given) and the size (if given), then move the blob into place.
    /// Returns the blob's digest and size. An existing identical blob is kept.
    @discardableResult
    public func commit(expected: Digest? = nil, expectedSize: Int64? = nil) throws(StackError) -> (digest: Digest, size: Int64) {
        guard fd >= 0 else { throw StackError(.internalError, "blob writer used after commit or abort") }
        let size = hasher.count
        let digest = hasher.finish()
        if fsync(fd) != 0 {
            let error = Errno.current
            abort()
            throw StackError(.system, "fsync \(temporaryPath)", cause: error)
        }
        Glibc.close(fd)
        fd = -1
        if let expected, expected != digest {
            unlink(temporaryPath)
            throw StackError(.invalidArgument, "blob digest mismatch: expected \(expected), got \(digest)")
        }
        if let expectedSize, expectedSize != size {
            unlink(temporaryPath)
            throw StackError(.invalidArgument, "blob \(digest): size \(size) differs from the expected \(expectedSize)")
        }
        let final = store.path(for: digest)
        if rename(temporaryPath, final) != 0 {
            let error = Errno.current
            unlink(temporaryPath)
            throw StackError(.system, "rename \(temporaryPath) to \(final)", cause: error)
        }
        return (digest, size)
    }

    /// Discard what was written.
    public func abort() {
        if fd >= 0 {
            Glibc.close(fd)
            fd = -1
            unlink(temporaryPath)
        }
    }
}
