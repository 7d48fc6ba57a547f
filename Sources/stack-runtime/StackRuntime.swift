import ArgumentParser
import Runtime
import StackCore

/// `stack-runtime`: an OCI runtime with runc's command line.
@main
struct StackRuntime: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stack-runtime",
        abstract: "Run containers from OCI bundles (runc's command line).",
        subcommands: [
            CreateCommand.self, StartCommand.self, StateCommand.self, KillCommand.self, DeleteCommand.self,
            RunCommand.self, ExecCommand.self, ListCommand.self, SpecCommand.self, PauseCommand.self,
            ResumeCommand.self, PsCommand.self, EventsCommand.self, UpdateCommand.self,
        ])

    /// runc's global options come before the command; ArgumentParser wants them after it.
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let reordered = GlobalArguments.reorder(arguments)
        if let invocation = RunInvocation(reordered) { invocation.run() }
        main(reordered)
    }
}

/// Moves global options given before the command name (`--root X state ID`) after it.
///
/// Plain `switch`es rather than `Set<String>`s: this runs at every start-up, and a set's first use
/// costs the Swift runtime a generic-metadata instantiation with protocol-conformance lookups.
enum GlobalArguments {
    /// `--root`, `--log`, `--log-format`.
    static func takesValue(_ name: Substring) -> Bool {
        switch name {
        case "--root", "--log", "--log-format": true
        default: false
        }
    }

    /// `--debug`, `--systemd-cgroup`.
    static func isFlag(_ argument: String) -> Bool {
        argument == "--debug" || argument == "--systemd-cgroup"
    }

    static func reorder(_ arguments: [String]) -> [String] {
        var globals: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            let name = argument.firstIndex(of: "=").map { argument[..<$0] } ?? argument[...]
            if takesValue(argument[...]), index + 1 < arguments.count {
                globals += [argument, arguments[index + 1]]
                index += 2
            } else if takesValue(name) || isFlag(argument) {
                globals.append(argument)
                index += 1
            } else {
                break
            }
        }
        guard !globals.isEmpty, index < arguments.count else { return arguments }
        return [arguments[index]] + globals + arguments[(index + 1)...]
    }
}

/// The options runc takes before the command; accepted before or after the command name here.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "Root directory for container state.")
    var root: String = StateDirectory.defaultRoot

    @Option(name: .long, help: "Log file (errors also go to stderr).")
    var log: String?

    @Option(name: .customLong("log-format"), help: "Log format: text or json.")
    var logFormat: String = "text"

    @Flag(name: .long, help: "Log debug messages.")
    var debug = false

    @Flag(name: .customLong("systemd-cgroup"), help: "Not supported: the systemd cgroup driver.")
    var systemdCgroup = false

    /// The options as plain values.
    var settings: GlobalSettings {
        GlobalSettings(root: root, log: log, logFormat: logFormat, debug: debug, systemdCgroup: systemdCgroup)
    }

    var runtimeLog: RuntimeLog { settings.runtimeLog }

    var store: StateDirectory { settings.store }

    /// The container operations on this state root, logging where the options say.
    var operations: ContainerOperations { ContainerOperations(store: store, log: runtimeLog) }

    mutating func validate() throws {
        guard RuntimeLog.Format(rawValue: logFormat) != nil else {
            throw ValidationError("invalid log format \"\(logFormat)\" (expected text or json)")
        }
    }

    /// Run `body`, reporting a failure to stderr and the log and exiting with status 1.
    func perform<T>(_ body: () throws(StackError) -> T) throws -> T {
        try settings.perform(body)
    }
}

/// The global options as plain values (`GlobalOptions` is only readable once ArgumentParser
/// parsed it; `RunInvocation` makes these without it).
struct GlobalSettings {
    var root: String = StateDirectory.defaultRoot
    var log: String?
    var logFormat: String = "text"
    var debug = false
    var systemdCgroup = false

    var runtimeLog: RuntimeLog {
        RuntimeLog(file: log, format: RuntimeLog.Format(rawValue: logFormat) ?? .text, debug: debug)
    }

    var store: StateDirectory { StateDirectory(root: root) }

    /// Run `body`, reporting a failure to stderr and the log and exiting with status 1.
    func perform<T>(_ body: () throws(StackError) -> T) throws -> T {
        do throws(StackError) {
            if systemdCgroup {
                throw StackError(
                    .unsupported, "--systemd-cgroup is not supported: stack-runtime manages cgroupfs directly")
            }
            return try body()
        } catch {
            runtimeLog.error(error.description)
            throw ExitCode(1)
        }
    }
}
