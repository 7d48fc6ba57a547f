import ArgumentParser
import StackCore
import StackFile

/// `stack`: the command-line client.
@main
struct StackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stack",
        abstract: "A declarative, compose-style container orchestrator for Linux.",
        subcommands: [ConfigCommand.self, ContainerCommand.self, ImageCommand.self]
    )

    @OptionGroup var global: GlobalOptions
}
