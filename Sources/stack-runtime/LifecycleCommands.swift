import ArgumentParser
import ContainerInit
import Runtime
import RuntimeSpec
import StackCore

#if canImport(Glibc)
import Glibc
#endif

struct CreateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a container.")

    @OptionGroup var globals: GlobalOptions
    @Option(name: [.short, .long], help: "The bundle directory.") var bundle: String = "."
    @Option(name: .customLong("pid-file"), help: "Write the init's pid here.") var pidFile: String?
    @Option(name: .customLong("console-socket"), help: "Unix socket that receives the pty master.")
    var consoleSocket: String?
    @Flag(name: .customLong("no-pivot"), help: "Use chroot instead of pivot_root.") var noPivot = false
    @Argument(help: "The container id.") var id: String

    func run() throws {
        let options = CreateOptions(
            id: id, bundle: bundle, pidFile: pidFile, consoleSocket: consoleSocket, noPivotRoot: noPivot)
        _ = try globals.perform { () throws(StackError) in
            try ContainerCreator(store: globals.store, log: globals.runtimeLog).create(options)
        }
    }
}

struct StartCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "start", abstract: "Start a created container.")

    @OptionGroup var globals: GlobalOptions
    @Argument var id: String

    func run() throws {
        try globals.perform { () throws(StackError) in
            try globals.operations.start(id)
        }
    }
}

struct StateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "state", abstract: "Print a container's state.")

    @OptionGroup var globals: GlobalOptions
    @Argument var id: String

    func run() throws {
        let text = try globals.perform { () throws(StackError) in
            try globals.operations.container(id).stateJSON(pretty: true)
        }
        print(text)
    }
}

struct KillCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "kill", abstract: "Send a signal to a container.")

    @OptionGroup var globals: GlobalOptions
    @Flag(name: [.short, .long], help: "Signal every process of the container.") var all = false
    @Argument var id: String
    @Argument(help: "A signal name or number (default SIGTERM).") var signal: String = "SIGTERM"

    func run() throws {
        try globals.perform { () throws(StackError) in
            let number = try SignalName.parse(signal)
            try globals.operations.kill(id, signal: number, all: all)
        }
    }
}

struct DeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a container.")

    @OptionGroup var globals: GlobalOptions
    @Flag(name: [.short, .long], help: "Kill a running container first.") var force = false
    @Argument var id: String

    func run() throws {
        try globals.perform { () throws(StackError) in
            try globals.operations.delete(id, force: force)
        }
    }
}

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Create and start a container, and wait for it.")

    @OptionGroup var globals: GlobalOptions
    @Option(name: [.short, .long]) var bundle: String = "."
    @Option(name: .customLong("pid-file")) var pidFile: String?
    @Option(name: .customLong("console-socket")) var consoleSocket: String?
    @Flag(name: .customLong("no-pivot")) var noPivot = false
    @Flag(name: [.short, .long], help: "Do not wait for the container.") var detach = false
    @Argument var id: String

    func run() throws {
        let options = CreateOptions(
            id: id, bundle: bundle, pidFile: pidFile, consoleSocket: consoleSocket, noPivotRoot: noPivot)
        try Self.execute(globals.settings, options: options, detach: detach)
    }

    /// `run` itself, for ArgumentParser and for `RunInvocation`.
    static func execute(_ globals: GlobalSettings, options: CreateOptions, detach: Bool) throws {
        var options = options
        let store = globals.store
        let log = globals.runtimeLog
        // In the foreground without a console socket, a terminal is relayed through our stdio.
        let relay = try globals.perform { () throws(StackError) in
            detach || options.consoleSocket != nil ? nil : try TerminalRelay()
        }
        defer { relay?.close() }
        options.terminalRelay = relay
        // The container stays in memory from create to delete: no state read back from disk.
        let container = try globals.perform { () throws(StackError) in
            let container = try ContainerCreator(store: store, log: log).createContainer(options)
            do throws(StackError) {
                try ContainerOperations(store: store, log: log).start(container)
            } catch {
                try? ContainerOperations(store: store, log: log).delete(container, force: true)
                throw error
            }
            return container
        }
        if detach { return }
        if let master = relay?.takeMaster() {
            TerminalRelay.copy(master: master)
            close(master)
        }
        let code = ChildWait.exitCode(of: container.record.pid)
        try globals.perform { () throws(StackError) in
            try ContainerOperations(store: store, log: log).delete(container, force: true)
        }
        if code != 0 { throw ExitCode(code) }
    }
}

struct PauseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pause", abstract: "Freeze a container.")

    @OptionGroup var globals: GlobalOptions
    @Argument var id: String

    func run() throws {
        try globals.perform { () throws(StackError) in
            try globals.operations.pause(id)
        }
    }
}

struct ResumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "resume", abstract: "Thaw a paused container.")

    @OptionGroup var globals: GlobalOptions
    @Argument var id: String

    func run() throws {
        try globals.perform { () throws(StackError) in
            try globals.operations.resume(id)
        }
    }
}
