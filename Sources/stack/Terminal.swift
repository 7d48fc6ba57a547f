import StackCore

#if canImport(Glibc)
import Glibc
#endif

/// Writing to the terminal, and turning errors into exit statuses.
enum Terminal {
    static func out(_ text: String) { write(fd: 1, text) }

    static func err(_ text: String) { write(fd: 2, text) }

    static func warn(_ warnings: [StackWarning]) {
        for warning in warnings { err("warning: \(warning)\n") }
    }

    /// Prints `error` and returns the exit code for it.
    static func fail(_ error: StackError) -> Int32 {
        err("error: \(error)\n")
        return error.exitStatus
    }

    /// Writes all of `text` to `fd`, retrying short writes.
    private static func write(fd: Int32, _ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return
            }
            bytes = bytes.dropFirst(n)
        }
    }
}
