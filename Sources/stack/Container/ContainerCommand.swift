import ArgumentParser

/// `stack container …`: Docker's container commands against stackd.
struct ContainerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "container",
        abstract: "Manage containers.",
        subcommands: [
            ContainerRun.self, ContainerCreate.self, ContainerStart.self, ContainerStop.self, ContainerKill.self,
            ContainerRestart.self, ContainerPause.self, ContainerUnpause.self, ContainerRemove.self,
            ContainerList.self, ContainerInspectCommand.self, ContainerLogs.self, ContainerExec.self,
            ContainerAttach.self, ContainerTop.self, ContainerStats.self, ContainerWait.self, ContainerRename.self,
            ContainerPort.self, ContainerCopy.self,
        ]
    )
}
