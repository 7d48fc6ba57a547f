import CArchive
import StackCore

/// The uncompressed bytes of a (possibly gzip/xz/zstd/bzip2-compressed) stream, read through libarchive's
/// "raw" format, hashed as they pass (the layer's diff id) and optionally copied to a blob.
///
/// It is the data source of a second libarchive reader (the tar parser) via `archive_read_open`.
final class DecompressingStream {
    private let archive: OpaquePointer
    private let buffer: UnsafeMutableRawPointer
    private let bufferSize = 1 << 17
    private let tee: BlobWriter?
    let hasher = SHA256Hasher()
    /// The first error met while reading (libarchive only sees -1).
    private(set) var failure: StackError?
    private var ended = false
    /// The compression detected.
    private(set) var compression: LayerCompression = .none

    /// Start reading `fd` (not closed here); `what` names the stream in errors.
    init(fd: Int32, what: String, tee: BlobWriter?) throws(StackError) {
        guard let archive = archive_read_new() else { throw StackError(.system, "archive_read_new failed") }
        self.archive = archive
        self.tee = tee
        buffer = UnsafeMutableRawPointer.allocate(byteCount: bufferSize, alignment: 16)
        archive_read_support_filter_all(archive)
        archive_read_support_format_raw(archive)
        var status = archive_read_open_fd(archive, fd, 1 << 16)
        if status == ARCHIVE_OK {
            let entry = UnsafeMutablePointer<OpaquePointer?>.allocate(capacity: 1)
            defer { entry.deallocate() }
            status = archive_read_next_header(archive, entry)
        }
        if status != ARCHIVE_OK && status != ARCHIVE_WARN {
            let message = ArchiveError.message(archive)
            throw StackError(.invalidArgument, "\(what): cannot read: \(message)")
        }
        compression = LayerCompression(filterCode: archive_filter_code(archive, 0))
    }

    deinit {
        archive_read_free(archive)
        buffer.deallocate()
    }

    /// The next chunk: its length (0 at the end, -1 on error) with `pointer` set to it.
    func next(_ pointer: UnsafeMutablePointer<UnsafeRawPointer?>?) -> Int {
        if ended || failure != nil { return failure == nil ? 0 : -1 }
        let n = archive_read_data(archive, buffer, bufferSize)
        if n < 0 {
            failure = StackError(.invalidArgument, "decompressing: \(ArchiveError.message(archive))")
            return -1
        }
        if n == 0 {
            ended = true
            return 0
        }
        let chunk = UnsafeRawBufferPointer(start: buffer, count: n)
        hasher.update(chunk)
        if let tee {
            do throws(StackError) {
                try tee.write(chunk)
            } catch {
                failure = error
                return -1
            }
        }
        pointer?.pointee = UnsafeRawPointer(buffer)
        return n
    }

    /// Read (and hash) whatever follows the point where the tar parser stopped.
    func drain() throws(StackError) {
        while true {
            let n = next(nil)
            if n == 0 { return }
            if n < 0 { throw failure ?? StackError(.system, "decompressing failed") }
        }
    }

    /// Open `reader` (a new libarchive read handle) on this stream's uncompressed bytes.
    func attach(to reader: OpaquePointer) -> Int32 {
        archive_read_open(reader, Unmanaged.passUnretained(self).toOpaque(), nil, decompressingStreamRead, nil)
    }
}

/// libarchive's read callback for a `DecompressingStream` client.
private func decompressingStreamRead(
    _ archive: OpaquePointer?, _ client: UnsafeMutableRawPointer?, _ buffer: UnsafeMutablePointer<UnsafeRawPointer?>?
) -> la_ssize_t {
    guard let client else { return -1 }
    let stream = Unmanaged<DecompressingStream>.fromOpaque(client).takeUnretainedValue()
    return la_ssize_t(stream.next(buffer))
}

/// libarchive error strings.
enum ArchiveError {
    static func message(_ archive: OpaquePointer?) -> String {
        guard let text = archive_error_string(archive) else { return "unknown libarchive error" }
        return String(cString: text)
    }
}
