import ArgumentParser

/// `stack network …`: Docker's network commands against stackd.
struct NetworkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "network",
        abstract: "Manage networks.",
        subcommands: [
            NetworkCreate.self, NetworkList.self, NetworkInspectCommand.self, NetworkRemove.self, NetworkConnect.self,
            NetworkDisconnect.self, NetworkPrune.self,
        ]
    )
}
