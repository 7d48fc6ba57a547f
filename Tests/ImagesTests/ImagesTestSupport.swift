import Foundation
import Images
import StackCore

#if canImport(Glibc)
import Glibc
#endif

/// A temporary directory removed when the value goes away.
final class TemporaryDirectory {
    let path: String

    init() throws {
        var template = Array("/tmp/stack-images-test-XXXXXX".utf8CString)
        let made: String? = template.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress, let result = mkdtemp(base) else { return nil }
            return String(cString: result)
        }
        guard let made else { throw StackError(.system, "mkdtemp failed") }
        path = made
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func sub(_ name: String) -> String { path + "/" + name }
}

enum TestFS {
    static var isRoot: Bool { geteuid() == 0 }

    static func lstatInfo(_ path: String) -> stat? {
        var info = stat()
        return lstat(path, &info) == 0 ? info : nil
    }

    static func fileType(_ path: String) -> mode_t? { lstatInfo(path).map { $0.st_mode & S_IFMT } }

    static func read(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    static func write(_ path: String, _ text: String, mode: Int = 0o644) throws {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        chmod(path, mode_t(mode))
    }

    static func listing(_ path: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
    }

    static func readlink(_ path: String) -> String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: path)
    }

    /// `os.getxattr` through Python (Swift's Glibc lacks getxattr).
    static func xattr(_ path: String, _ name: String) -> String? {
        let output = run(["python3", "-c", "import os,sys\ntry:\n print(os.getxattr(sys.argv[1], sys.argv[2], follow_symlinks=False).decode())\nexcept OSError:\n sys.exit(3)", path, name])
        guard output.status == 0 else { return nil }
        return output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func run(_ arguments: [String], stdin: String? = nil) -> (status: Int32, stdout: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        if stdin != nil { process.standardInput = Pipe() }
        do { try process.run() } catch { return (-1, "") }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// sha256 of a file, through the store's hasher.
    static func sha256(ofFile path: String) -> Digest? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return Digest.of([UInt8](data))
    }

    static func mounts() -> String { read("/proc/self/mountinfo") ?? "" }
}

/// Build a tar file at `path` from `entries`.
func makeTar(_ path: String, compression: LayerCompression = .none, _ build: (TarWriter) throws -> Void) throws {
    let writer = try TarWriter(path: path, compression: compression)
    try build(writer)
    try writer.finish()
}

/// A busybox root file system tar made from the host's /bin/busybox: bin/busybox plus applet symlinks.
func makeBusyboxTar(_ path: String, compression: LayerCompression) throws {
    try makeTar(path, compression: compression) { tar in
        try tar.add("bin", .directory)
        try tar.addFile("bin/busybox", contentsOf: "/bin/busybox", mode: 0o755)
        for applet in ["sh", "ls", "cat", "echo", "true"] {
            try tar.add("bin/\(applet)", .symlink("busybox"))
        }
        try tar.add("etc", .directory)
        try tar.add("etc/hostname", .file(Array("busybox\n".utf8)))
        try tar.add("tmp", .directory, mode: 0o1777)
    }
}
