import ArgumentParser
import Reconciler
import StackFile

/// `stack scale SERVICE=N…`: set services' replica counts (as `up -d --scale`, leaving
/// containers that are there as they are; scaling down removes the highest numbers).
struct ScaleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "scale", abstract: "Scale services (SERVICE=REPLICAS).")

    @OptionGroup var global: GlobalOptions
    @Flag(name: .customLong("no-deps"), help: "Don't start linked services.") var noDeps = false
    @Argument(help: "SERVICE=REPLICAS pairs.") var pairs: [String] = []

    func run() async throws {
        var scales: [String: Int] = [:]
        for pair in pairs {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let count = Int(parts[1]), count >= 0 else {
                throw ValidationError("expected SERVICE=REPLICAS, got \"\(pair)\"")
            }
            scales[String(parts[0])] = count
        }
        guard !scales.isEmpty else { throw ValidationError("nothing to scale: give SERVICE=REPLICAS") }
        let services = scales.keys.sorted()
        let loaded: LoadedStack
        do {
            loaded = try StackLoader().load(global.loadOptions(interpolate: true, services: services))
        } catch {
            throw ExitCode(Terminal.fail(error))
        }
        Terminal.warn(loaded.warnings)
        var options = PlanOptions()
        options.recreate = .never
        options.noDeps = noDeps
        options.services = services
        let (project, files) = (loaded.project, loaded.files)
        try await EngineConnection.with { client in
            _ = try await UpCommand.converge(project: project, files: files, options: options, scales: scales, client: client)
        }
    }
}
