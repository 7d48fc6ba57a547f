import Foundation
import Networking
import StackCore

/// A temp directory for namespace files, removed (namespaces unmounted first) at the end.
final class NamespaceFixture {
    let directory: String
    private var namespaces: [String] = []

    init(_ name: String) throws {
        var template = Array("/tmp/stack-\(name)-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw StackError(.system, "mkdtemp failed") }
        directory = String(cString: made)
    }

    /// A new network namespace bound on a file of the directory.
    func namespace(_ name: String) throws -> String {
        let path = directory + "/" + name
        try NetworkNamespace.create(at: path)
        namespaces.append(path)
        return path
    }

    deinit {
        for path in namespaces { NetworkNamespace.remove(at: path) }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Runs a tool to observe; returns its status and stdout.
    static func run(_ path: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// `nsenter --net=NAMESPACE COMMAND…`
    static func inside(_ namespace: String, _ command: [String]) throws -> (status: Int32, output: String) {
        try run("/usr/bin/nsenter", ["--net=\(namespace)"] + command)
    }

    /// Mount points of this process (field 5 of /proc/self/mountinfo).
    static func mountPoints() throws -> [String] {
        try String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)
            .split(separator: "\n")
            .compactMap { line in line.split(separator: " ").dropFirst(4).first.map(String.init) }
    }

    static var isRoot: Bool { getuid() == 0 }
}
