import ContainerInit
import RuntimeSpec
import StackCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Where the runtime reports: stderr for errors and warnings, plus the `--log` file in text
/// (`time="…" level=error msg="…"`) or JSON (`{"level":"error","msg":"…","time":"…"}`) lines.
public struct RuntimeLog: Sendable {
    public enum Format: String, Sendable { case text, json }

    public var file: String?
    public var format: Format
    public var debug: Bool

    public init(file: String? = nil, format: Format = .text, debug: Bool = false) {
        self.file = file
        self.format = format
        self.debug = debug
    }

    public func error(_ message: String) {
        emit("error", message, toStderr: true)
    }

    public func warning(_ message: String) {
        emit("warning", message, toStderr: true)
    }

    public func debug(_ message: String) {
        guard debug else { return }
        emit("debug", message, toStderr: file == nil)
    }

    /// One formatted log line (without newline).
    public func line(level: String, message: String, time: String) -> String {
        switch format {
        case .json:
            return JSONWriter.write(
                .object([.init("level", .string(level)), .init("msg", .string(message)), .init("time", .string(time))]))
        case .text:
            return "time=\(quote(time)) level=\(level) msg=\(quote(message))"
        }
    }

    private func quote(_ text: String) -> String {
        JSONWriter.write(.string(text))
    }

    private func emit(_ level: String, _ message: String, toStderr: Bool) {
        if toStderr {
            let prefix = level == "error" ? "" : "\(level): "
            writeAll(2, prefix + message + "\n")
        }
        guard let file else { return }
        let fd = open(file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return }
        writeAll(fd, line(level: level, message: message, time: FileIO.timestamp()) + "\n")
        close(fd)
    }

    private func writeAll(_ fd: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress.map { $0 + offset }, bytes.count - offset) }
            if written <= 0 { return }
            offset += written
        }
    }
}
