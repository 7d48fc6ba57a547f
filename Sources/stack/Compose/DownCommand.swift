import APIClient
import ArgumentParser
import Foundation
import Reconciler
import StackAPI
import StackCore
import StackFile

/// `stack down`: stop and remove the stack's containers (reverse dependency order), then its
/// networks; its volumes with `-v`.
struct DownCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "down", abstract: "Stop and remove the stack's containers and networks.")

    @OptionGroup var global: GlobalOptions
    @Flag(name: .shortAndLong, help: "Remove named volumes declared in the stack file and anonymous volumes.")
    var volumes = false
    @Flag(name: .customLong("remove-orphans"), help: "Remove containers of services not in the stack file.")
    var removeOrphans = false
    @Option(name: [.customShort("t"), .long], help: "Shutdown timeout in seconds.") var timeout: Int?
    @Flag(name: .customLong("dry-run"), help: "Print the plan and change nothing.") var dryRun = false
    @Option(name: .customLong("rmi"), help: "Remove images used by services: local (images without a custom tag: none, as stack has no builder) or all.")
    var removeImages: String?

    func validate() throws {
        if let removeImages, removeImages != "local" && removeImages != "all" {
            throw ValidationError("--rmi must be local or all, not \"\(removeImages)\"")
        }
    }

    func run() async throws {
        let loaded: LoadedStack
        do {
            loaded = try StackLoader().load(global.loadOptions(interpolate: true))
        } catch {
            throw ExitCode(Terminal.fail(error))
        }
        let project = loaded.project
        let files = loaded.files
        let options = DownOptions(removeVolumes: volumes, removeOrphans: removeOrphans)
        let dryRun = self.dryRun
        let timeout = self.timeout
        // Compose's `local` means images built for the stack, named after it; stack builds none.
        let images = removeImages == "all" ? Array(Set(project.services.compactMap(\.image))).sorted() : []
        try await EngineConnection.with { client in
            try await PlanExecutor.awaitRunningDeployment(client, project: project.name)
            let observed = try await UpCommand.observe(client, project: project.name)
            let desired = try DesiredState(project: project, options: DesiredOptions(configFiles: files, version: "stack"))
            let plan = Planner.planDown(desired: desired, observed: observed, options: options)
            if dryRun {
                Output.write(1, Array(plan: plan))
                return
            }
            var executor = PlanExecutor(client: client, desired: desired, project: project)
            executor.stopTimeout = timeout
            executor.removeVolumes = options.removeVolumes
            try await executor.run(plan)
            var failed = false
            for image in images {
                do {
                    _ = try await client.request("DELETE", "/images/remove", query: [("name", image)])
                    Output.line("✔ Image \(image)  Removed")
                } catch {
                    EngineConnection.report(error)
                    failed = true
                }
            }
            if failed { throw ExitCode(1) }
        }
    }
}
