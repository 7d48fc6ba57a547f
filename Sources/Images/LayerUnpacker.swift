import CArchive
import LinuxOS
import StackCore

#if canImport(Glibc)
import Glibc
#endif

/// Unpacks layer tarballs (plain, gzip, xz, zstd, bzip2) into `layers/<diffid-hex>` with libarchive,
/// computing the diff id (sha256 of the uncompressed tar) on the way.
///
/// Each layer is written into a fresh staging directory under `temporaryDirectory` and renamed into
/// place only when complete. OCI whiteouts become overlay whiteouts (`.wh.NAME` → character device
/// 0/0 `NAME`; `.wh..wh..opq` → `trusted.overlay.opaque=y` on the directory). No entry may write
/// outside the layer: names with `..`, entries whose parent is a symlink, hard links leaving the layer
/// or going through symlinks are refused, the staging directory is removed, and nothing is left.
/// Absolute names are refused (Docker strips the `/`; the issue asks for refusal). No `chdir`: paths are built absolute.
public struct LayerUnpacker: Sendable {
    public let layersDirectory: String
    public let temporaryDirectory: String

    /// Use (creating them) `layersDirectory` and `temporaryDirectory` (same file system).
    public init(layersDirectory: String, temporaryDirectory: String) throws(StackError) {
        try POSIXFile.makeDirectories(layersDirectory)
        try POSIXFile.makeDirectories(temporaryDirectory, mode: 0o700)
        self.layersDirectory = POSIXFile.realPath(layersDirectory)
        self.temporaryDirectory = POSIXFile.realPath(temporaryDirectory)
    }

    /// `layers/<hex>`.
    public func path(for diffID: Digest) -> String { layersDirectory + "/" + diffID.hex }

    /// True if the layer is unpacked.
    public func hasLayer(_ diffID: Digest) -> Bool { POSIXFile.isDirectory(path(for: diffID)) }

    /// Remove an unpacked layer; absent is fine.
    public func removeLayer(_ diffID: Digest) { POSIXFile.removeTree(path(for: diffID)) }

    /// Unpack the stream at `fd` (read to its end, not closed). `label` names the layer in errors
    /// (e.g. its blob digest); `expectedDiffID` is checked when given; `tee` receives the uncompressed tar.
    /// A layer already unpacked under the same diff id is kept (the new copy is discarded).
    public func unpack(fd: Int32, label: String, expectedDiffID: Digest? = nil, tee: BlobWriter? = nil)
        throws(StackError) -> UnpackedLayer
    {
        let staging = temporaryDirectory + "/layer-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        if mkdir(staging, 0o755) != 0 { throw StackError(.system, "mkdir \(staging)", cause: Errno.current) }
        let stream: DecompressingStream
        do {
            stream = try DecompressingStream(fd: fd, what: "layer \(label)", tee: tee)
            try extract(stream, into: staging, label: label, whiteouts: true)
            try stream.drain()
        } catch {
            POSIXFile.removeTree(staging)
            throw error
        }
        let size = stream.hasher.count
        let diffID = stream.hasher.finish()
        if let expectedDiffID, expectedDiffID != diffID {
            POSIXFile.removeTree(staging)
            throw StackError(.invalidArgument, "layer \(label): its content is \(diffID), expected \(expectedDiffID)")
        }
        let final = path(for: diffID)
        if POSIXFile.exists(final) {
            POSIXFile.removeTree(staging)
        } else if rename(staging, final) != 0 {
            let error = Errno.current
            POSIXFile.removeTree(staging)
            if !POSIXFile.isDirectory(final) { throw StackError(.system, "rename \(staging) to \(final)", cause: error) }
        }
        return UnpackedLayer(diffID: diffID, uncompressedSize: size, compression: stream.compression, path: final)
    }

    /// Unpack the file at `path`.
    public func unpack(path source: String, label: String, expectedDiffID: Digest? = nil, tee: BlobWriter? = nil)
        throws(StackError) -> UnpackedLayer
    {
        let fd = try POSIXFile.open(source, O_RDONLY)
        defer { close(fd) }
        return try unpack(fd: fd, label: label, expectedDiffID: expectedDiffID, tee: tee)
    }

    /// Extract any (possibly compressed) tar at `fd` into `destination`, which must not exist, with the
    /// same protections and no whiteout conversion (for `docker save` / OCI layout archives).
    public func extractArchive(fd: Int32, into destination: String, label: String) throws(StackError) {
        if mkdir(destination, 0o700) != 0 { throw StackError(.system, "mkdir \(destination)", cause: Errno.current) }
        do {
            let stream = try DecompressingStream(fd: fd, what: label, tee: nil)
            try extract(stream, into: POSIXFile.realPath(destination), label: label, whiteouts: false)
        } catch {
            POSIXFile.removeTree(destination)
            throw error
        }
    }

    /// The entry loop: tar entries from `stream` written under `root` (absolute, symlink-free).
    private func extract(_ stream: DecompressingStream, into root: String, label: String, whiteouts: Bool)
        throws(StackError)
    {
        guard let reader = archive_read_new(), let disk = archive_write_disk_new() else {
            throw StackError(.system, "libarchive: out of memory")
        }
        defer {
            archive_read_free(reader)
            archive_write_free(disk)
        }
        archive_read_support_format_tar(reader)
        var flags = ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_TIME | ARCHIVE_EXTRACT_XATTR
            | ARCHIVE_EXTRACT_SECURE_SYMLINKS | ARCHIVE_EXTRACT_SECURE_NODOTDOT
        if geteuid() == 0 { flags |= ARCHIVE_EXTRACT_OWNER }
        archive_write_disk_set_options(disk, flags)
        if stream.attach(to: reader) != ARCHIVE_OK {
            throw stream.failure ?? StackError(.invalidArgument, "\(label): \(ArchiveError.message(reader))")
        }
        let writer = LayerEntryWriter(root: root, label: label, disk: disk, whiteouts: whiteouts)
        var entry: OpaquePointer?
        while true {
            let status = archive_read_next_header(reader, &entry)
            if status == ARCHIVE_EOF { break }
            guard status >= ARCHIVE_WARN, let entry else {
                throw stream.failure
                    ?? StackError(.invalidArgument, "layer \(label): not a tar archive: \(ArchiveError.message(reader))")
            }
            try writer.write(entry: entry, from: reader)
        }
        if let failure = stream.failure { throw failure }
        if archive_write_close(disk) < ARCHIVE_WARN {
            throw StackError(.system, "layer \(label): finishing: \(ArchiveError.message(disk))")
        }
    }
}
