import ArgumentParser
import Cgroups
import ContainerInit
import Runtime
import RuntimeSpec
import StackCore

#if canImport(Glibc)
import Glibc
#endif

struct ExecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "exec", abstract: "Run a process in a container.")

    @OptionGroup var globals: GlobalOptions
    @Option(name: [.short, .long], help: "A process.json file.") var process: String?
    @Flag(name: [.short, .customLong("tty")], help: "Allocate a pseudo-TTY.") var tty = false
    @Option(name: .long, help: "Working directory in the container.") var cwd: String?
    @Option(name: [.short, .long], help: "Environment variable (NAME=value); repeatable.") var env: [String] = []
    @Flag(name: [.short, .long], help: "Do not wait for the process.") var detach = false
    @Option(name: .customLong("pid-file")) var pidFile: String?
    @Option(name: .customLong("console-socket")) var consoleSocket: String?
    @Argument var id: String
    @Argument(parsing: .captureForPassthrough) var arguments: [String] = []

    func run() throws {
        let store = globals.store
        let log = globals.runtimeLog
        // In the foreground without a console socket, a terminal is relayed through our stdio.
        let relay = try globals.perform { () throws(StackError) in
            detach || consoleSocket != nil ? nil : try TerminalRelay()
        }
        defer { relay?.close() }
        let pid = try globals.perform { () throws(StackError) in
            let spec = try store.loadSpec(id)
            var process: Spec.Process
            if let file = self.process {
                process = try SpecLoader.decodeProcess(data: try FileIO.read(file), file: file)
            } else {
                guard !arguments.isEmpty else { throw StackError(.invalidArgument, "exec: no command given") }
                process = ExecRunner.process(base: spec.process, args: arguments, env: env, cwd: cwd, tty: tty)
            }
            return try ExecRunner(store: store, log: log).exec(
                id: id, process: process, consoleSocket: consoleSocket, pidFile: pidFile, terminalRelay: relay)
        }
        if detach { return }
        if let master = relay?.takeMaster() {
            TerminalRelay.copy(master: master)
            close(master)
        }
        let code = ChildWait.exitCode(of: pid)
        if code != 0 { throw ExitCode(code) }
    }
}

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List containers.")

    @OptionGroup var globals: GlobalOptions
    @Option(name: [.short, .long], help: "table or json.") var format: String = "table"
    @Flag(name: [.short, .long], help: "Print only ids.") var quiet = false

    func run() throws {
        let states = globals.operations.list()
        if quiet {
            for state in states { print(state.id) }
            return
        }
        if format == "json" {
            let text = try globals.perform { () throws(StackError) in try JSONValueEncoder().encodeString(states) }
            print(text)
            return
        }
        let rows = [["ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"]]
            + states.map { [$0.id, String($0.pid), $0.status.rawValue, $0.bundle, $0.created, $0.owner] }
        print(Table.render(rows), terminator: "")
    }
}

struct SpecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "spec", abstract: "Write a default config.json.")

    @OptionGroup var globals: GlobalOptions
    @Flag(name: .long, help: "A spec for an unprivileged user.") var rootless = false
    @Option(name: [.short, .long], help: "Where to write config.json.") var bundle: String = "."

    func run() throws {
        try globals.perform { () throws(StackError) in
            let path = SpecLoader.configPath(bundle: bundle)
            if FileIO.exists(path) {
                throw StackError(.invalidArgument, "File \(path) exists. Remove it first")
            }
            var cgroupNamespace = false
            if case .unified = try? CgroupLayout.detect() { cgroupNamespace = true }
            let spec = DefaultSpec.make(
                rootless: rootless, hostUID: geteuid(), hostGID: getegid(), cgroupNamespace: cgroupNamespace)
            try FileIO.write(path, try SpecLoader.encode(spec))
        }
    }
}

struct PsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ps", abstract: "List a container's processes.")

    @OptionGroup var globals: GlobalOptions
    @Option(name: [.short, .long], help: "table or json.") var format: String = "table"
    @Argument var id: String

    func run() throws {
        let pids = try globals.perform { () throws(StackError) in
            try globals.operations.processes(id)
        }
        if format == "json" {
            print("[" + pids.map(String.init).joined(separator: ",") + "]")
            return
        }
        let rows = [["PID", "CMD"]] + pids.map { pid in
            let bytes = (try? FileIO.read("/proc/\(pid)/cmdline")) ?? []
            let command = bytes.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }.joined(separator: " ")
            return [String(pid), command]
        }
        print(Table.render(rows), terminator: "")
    }
}

struct EventsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "events", abstract: "Print container statistics.")

    @OptionGroup var globals: GlobalOptions
    @Flag(name: .long, help: "Print statistics once and exit.") var stats = false
    @Option(name: .long, help: "Seconds between statistics.") var interval: Int = 5
    @Argument var id: String

    func run() throws {
        let operations = globals.operations
        repeat {
            let line = try globals.perform { () throws(StackError) in try operations.statsJSON(id) }
            print(line)
            fflush(nil)
            if stats { return }
            sleep(UInt32(max(1, interval)))
        } while true
    }
}

/// Columns padded to their widest cell, as Go's tabwriter prints them.
enum Table {
    static func render(_ rows: [[String]]) -> String {
        let widths = (0..<(rows.first?.count ?? 0)).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count + 3)
            }.joined()
        }.joined(separator: "\n") + "\n"
    }
}
