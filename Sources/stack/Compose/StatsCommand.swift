import ArgumentParser
import Foundation
import StackAPI

/// `stack stats [--no-stream] [--format table|json] [SERVICE…]`: resource use of the services'
/// running containers, as `docker stats` shows it — refreshed until interrupted, or one
/// reading with `--no-stream`; `--format json` prints one object per container per reading.
struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "Display the containers' resource usage.")

    @OptionGroup var global: GlobalOptions
    @Flag(name: .customLong("no-stream"), help: "Print one reading and exit.") var noStream = false
    @Option(name: .long, help: "table or json.") var format = "table"
    @Argument(help: "Services (default: all).") var services: [String] = []

    func run() async throws {
        guard format == "table" || format == "json" else { throw ValidationError("--format must be table or json") }
        let project = try ProjectContainers.projectName(global)
        let (services, json, noStream) = (self.services, format == "json", self.noStream)
        repeat {
            let samples: [ContainerStatsSample] = try await EngineConnection.with { client in
                let running = try await ProjectContainers.list(client, project: project, all: false, services: services)
                return try await withThrowingTaskGroup(of: ContainerStatsSample?.self) { group in
                    for container in running {
                        group.addTask {
                            // A container that stopped since the listing has no reading.
                            guard let response = try? await client.request("GET", "/containers/\(container.id)/stats", query: [("stream", "0")])
                            else { return nil }
                            return try EngineConnection.decode(ContainerStatsSample.self, response)
                        }
                    }
                    var samples: [ContainerStatsSample] = []
                    for try await sample in group { if let sample { samples.append(sample) } }
                    return samples.sorted { $0.name < $1.name }
                }
            }
            if json {
                for sample in samples { Output.line(Self.json(sample)) }
            } else {
                if !noStream { Output.write(1, Array("\u{1B}[2J\u{1B}[H".utf8)) }
                Table.print(ContainerStats.rows(samples))
            }
        } while !noStream
    }

    /// `docker stats --format json`'s object for one reading (figures the engine does not
    /// measure, block and network I/O, are "--").
    static func json(_ sample: ContainerStatsSample) -> String {
        let memoryPercent = sample.memoryLimit > 0 ? Double(sample.memoryUsage) / Double(sample.memoryLimit) * 100 : 0
        let object: [String: String] = [
            "BlockIO": "--", "CPUPerc": String(format: "%.2f%%", sample.cpuPercent), "Container": String(sample.id.prefix(12)),
            "ID": String(sample.id.prefix(12)), "MemPerc": String(format: "%.2f%%", memoryPercent),
            "MemUsage": "\(Bytes.human(sample.memoryUsage)) / \(Bytes.human(sample.memoryLimit))",
            "Name": sample.name.hasPrefix("/") ? String(sample.name.dropFirst()) : sample.name, "NetIO": "--",
            "PIDs": String(sample.pids),
        ]
        let options: JSONSerialization.WritingOptions = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: options) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
