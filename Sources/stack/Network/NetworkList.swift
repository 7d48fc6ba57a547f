import ArgumentParser
import Foundation
import StackAPI

/// `stack network ls`: Docker's table (NETWORK ID, NAME, DRIVER, SCOPE), ids only, or JSON lines.
struct NetworkList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ls", abstract: "List networks.", aliases: ["list"])

    @Flag(name: .shortAndLong, help: "Only display network ids.") var quiet = false
    @Flag(name: .customLong("no-trunc"), help: "Do not truncate the output.") var noTrunc = false
    @Option(name: [.customShort("f"), .customLong("filter")], help: "Filter (name=, id=, driver=, label=K[=V], type=custom|builtin).")
    var filter: [String] = []
    @Option(name: .long, help: "Output format: table or json.") var format = "table"

    func run() async throws {
        guard format == "table" || format == "json" else { throw ValidationError("--format must be table or json") }
        let networks = try await EngineConnection.with { client in
            try EngineConnection.decode([NetworkInspect].self, try await client.request("GET", "/networks"))
        }.filter { network in filter.allSatisfy { Self.matches(network, $0) } }
        if quiet {
            for network in networks { Output.line(noTrunc ? network.id : String(network.id.prefix(12))) }
            return
        }
        if format == "json" {
            for network in networks {
                let object: [String: Any] = [
                    "ID": String(network.id.prefix(12)), "Name": network.name, "Driver": network.driver,
                    "Scope": network.scope, "Internal": "\(network.internal)", "IPv6": "\(network.enableIPv6)",
                    "Labels": network.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","),
                    "CreatedAt": network.created,
                ]
                let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
                Output.line(String(decoding: data, as: UTF8.self))
            }
            return
        }
        var rows = [["NETWORK ID", "NAME", "DRIVER", "SCOPE"]]
        for network in networks {
            rows.append([noTrunc ? network.id : String(network.id.prefix(12)), network.name, network.driver, network.scope])
        }
        Table.print(rows)
    }

    /// Docker's `network ls` filters.
    static func matches(_ network: NetworkInspect, _ filter: String) -> Bool {
        let parts = filter.split(separator: "=", maxSplits: 1).map(String.init)
        let key = parts.first ?? ""
        let value = parts.count > 1 ? parts[1] : ""
        switch key {
        case "name": return network.name.contains(value)
        case "id": return network.id.hasPrefix(value)
        case "driver": return network.driver == value
        case "type":
            let builtin = ["bridge", "host", "none"].contains(network.name) && network.labels.isEmpty
            return value == "builtin" ? builtin : !builtin
        case "label":
            let label = value.split(separator: "=", maxSplits: 1).map(String.init)
            guard let labelKey = label.first, let actual = network.labels[labelKey] else { return false }
            return label.count == 1 || actual == label[1]
        default: return true
        }
    }
}
