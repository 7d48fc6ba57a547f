import Foundation

/// The user's terminal in raw mode while a container's terminal is attached (`-t`).
struct TerminalMode: Sendable {
    let fd: Int32
    let saved: termios

    /// Switch `fd` to raw mode; nil when it is not a terminal.
    static func makeRaw(_ fd: Int32) -> TerminalMode? {
        var original = termios()
        guard tcgetattr(fd, &original) == 0 else { return nil }
        var raw = original
        cfmakeraw(&raw)
        guard tcsetattr(fd, TCSANOW, &raw) == 0 else { return nil }
        return TerminalMode(fd: fd, saved: original)
    }

    func restore() {
        var saved = self.saved
        _ = tcsetattr(fd, TCSANOW, &saved)
    }

    /// The window size of terminal `fd`.
    static func size(_ fd: Int32) -> (rows: Int, columns: Int)? {
        var size = winsize()
        guard ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0 else { return nil }
        return (Int(size.ws_row), Int(size.ws_col))
    }
}
