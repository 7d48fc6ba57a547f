import ArgumentParser
import StackCore
import StackFile

/// `stack`: the command-line client.
@main
struct StackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stack",
        abstract: "A declarative, compose-style container orchestrator for Linux.",
        discussion: "Stack-file options (-f, -p, --profile, --env-file, --project-directory) may come before the command.",
        subcommands: [
            ConfigCommand.self, ContainerCommand.self, ImageCommand.self, NetworkCommand.self, SystemCommand.self, UpCommand.self,
            DownCommand.self, PsCommand.self, LogsCommand.self, ExecCommand.self,
            RunCommand.self, StartCommand.self, StopCommand.self, RestartCommand.self, KillCommand.self,
            PauseCommand.self, UnpauseCommand.self, RmCommand.self, TopCommand.self, StatsCommand.self,
            EventsCommand.self, ImagesCommand.self, PortCommand.self, ScaleCommand.self,
            VolumeCommand.self,
        ]
    )

    /// Compose's global options go before the command (`stack -f a.yaml config`); they are moved
    /// behind it so that only stack-file commands see them and `container logs -f` keeps its `-f`.
    static func main() async {
        let arguments = GlobalArgumentOrder.reorder(Array(CommandLine.arguments.dropFirst()))
        do {
            var command = try parseAsRoot(arguments)
            if var asynchronous = command as? AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}

/// Moves leading stack-file options behind the command word.
enum GlobalArgumentOrder {
    static let valued: Set<String> = ["-f", "--file", "-p", "--project-name", "--profile", "--env-file", "--project-directory"]
    static let longForm = ["-f": "--file", "-p": "--project-name"]

    static func reorder(_ arguments: [String]) -> [String] {
        var globals: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if valued.contains(argument), index + 1 < arguments.count {
                // Long forms behind the command word: there `-f`/`-p` may be the command's own
                // flags (`logs -f`, `rm -f`, `run -p`).
                globals += [longForm[argument] ?? argument, arguments[index + 1]]
                index += 2
            } else if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "="),
                valued.contains(String(argument[..<equals]))
            {
                globals.append(argument)
                index += 1
            } else {
                break
            }
        }
        guard index < arguments.count else { return arguments }
        let command = arguments[index]
        var rest = Array(arguments[(index + 1)...])
        if command == "logs" {
            // `logs -f` is --follow (Compose), while -f before the command is the stack file.
            rest = rest.map { $0 == "-f" ? "--follow" : $0 }
        }
        guard !globals.isEmpty || command == "logs" else { return arguments }
        return [command] + globals + rest
    }
}
