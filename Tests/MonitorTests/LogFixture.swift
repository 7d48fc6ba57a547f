import Foundation

/// A temp directory for log files written by the tests, removed by `tearDown()`.
struct LogFixture {
    let directory: String
    var log: String { directory + "/ctr-json.log" }

    init() throws {
        directory = try makeTemporaryDirectory("stack-monitor-log")
    }

    /// One json-file line as the monitor writes it.
    static func line(_ text: String, stream: String = "stdout", time: String) -> String {
        let escaped = String(decoding: (try? JSONEncoder().encode(text)) ?? Data(), as: UTF8.self)
        return "{\"log\":\(escaped),\"stream\":\"\(stream)\",\"time\":\"\(time)\"}\n"
    }

    func write(_ path: String, _ lines: [String]) throws {
        try lines.joined().write(toFile: path, atomically: false, encoding: .utf8)
    }

    func append(_ path: String, _ text: String) throws {
        guard let handle = FileHandle(forWritingAtPath: path) else { throw POSIXError(.ENOENT) }
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
    }

    func tearDown() {
        try? FileManager.default.removeItem(atPath: directory)
    }
}

func makeTemporaryDirectory(_ prefix: String) throws -> String {
    var template = Array((NSTemporaryDirectory() + prefix + "-XXXXXX").utf8CString)
    guard let made = mkdtemp(&template) else { throw POSIXError(.EIO) }
    return String(cString: made)
}

/// Polls `condition` every 20 ms until it holds or `seconds` pass.
func waitUntil(seconds: Double = 10, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        usleep(20_000)
    }
    return condition()
}
