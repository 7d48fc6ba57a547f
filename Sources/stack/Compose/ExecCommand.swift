import ArgumentParser
import Foundation
import Reconciler
import StackAPI

/// `stack exec SERVICE CMD…`: run a command in a service's container (number `--index`, 1 by
/// default), with a terminal when stdin is one (unless `-T`), as Compose does.
struct ExecCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec", abstract: "Execute a command in a running service container.", helpNames: [.long])

    @OptionGroup var global: GlobalOptions
    @Flag(name: .shortAndLong, help: "Detached mode: run the command in the background.") var detach = false
    @Flag(name: .customShort("T"), help: "Disable pseudo-TTY allocation (default: a TTY when stdin is one).") var noTTY = false
    @Option(name: .shortAndLong, help: "Set environment variables.") var env: [String] = []
    @Option(name: .shortAndLong, help: "Working directory inside the container.") var workdir: String?
    @Option(name: .shortAndLong, help: "Run the command as this user.") var user: String?
    @Flag(name: .long, help: "Give extended privileges to the process.") var privileged = false
    @Option(name: .long, help: "Index of the container if the service has several replicas.") var index = 1
    @Argument(help: "The service.") var service: String
    @Argument(parsing: .captureForPassthrough, help: "The command and its arguments.") var command: [String] = []

    func run() async throws {
        guard !command.isEmpty else { throw ValidationError("exec needs a command") }
        let project = try ProjectContainers.projectName(global)
        let (service, index) = (self.service, self.index)
        let container: String = try await EngineConnection.with { client in
            let running = try await ProjectContainers.list(client, project: project, all: false, services: [service])
            guard let match = running.first(where: { Int($0.labels[ComposeLabel.containerNumber] ?? "") == index }) else {
                throw ValidationError("service \"\(service)\" is not running" + (index == 1 ? "" : " (index \(index))"))
            }
            return ProjectContainers.name(match)
        }
        var arguments = ["-i"]
        if !noTTY && !detach && isatty(0) == 1 { arguments.append("-t") }
        if detach { arguments.append("-d") }
        if privileged { arguments.append("--privileged") }
        for item in env { arguments += ["-e", item] }
        if let workdir { arguments += ["-w", workdir] }
        if let user { arguments += ["-u", user] }
        let exec = try ContainerExec.parse(arguments + [container] + command)
        try await exec.run()
    }
}
