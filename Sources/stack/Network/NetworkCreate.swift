import ArgumentParser
import Foundation
import StackAPI
import StackCore

/// `stack network create`: a user-defined bridge network; prints its id.
struct NetworkCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a network.")

    @Option(name: [.customShort("d"), .long], help: "Driver to manage the network (bridge).") var driver = "bridge"
    @Option(name: .long, help: "Subnet in CIDR format (e.g. 172.30.0.0/16).") var subnet: String?
    @Option(name: .long, help: "IPv4 gateway for the subnet.") var gateway: String?
    @Option(name: .customLong("ip-range"), help: "Allocate container addresses from a sub-range.") var ipRange: String?
    @Flag(name: .long, help: "Restrict external access to the network.") var `internal` = false
    @Flag(name: .long, help: "Enable manual container attachment (accepted; always on).") var attachable = false
    @Option(name: .long, help: "Set metadata on a network (KEY=VALUE).") var label: [String] = []
    @Option(name: [.customShort("o"), .customLong("opt")], help: "Driver options (com.docker.network.bridge.name=NAME).")
    var opt: [String] = []
    @Argument(help: "The network's name.") var name: String

    func run() async throws {
        if gateway != nil && subnet == nil { throw ValidationError("--gateway needs --subnet") }
        if ipRange != nil && subnet == nil { throw ValidationError("--ip-range needs --subnet") }
        var request = NetworkCreateRequest(name: name)
        request.driver = driver
        request.internal = self.internal
        request.attachable = attachable
        request.labels = try Self.pairs(label, flag: "--label")
        request.options = try Self.pairs(opt, flag: "--opt")
        if let subnet {
            request.ipam = NetworkIPAM(
                driver: "default", config: [NetworkIPAMConfig(subnet: subnet, ipRange: ipRange ?? "", gateway: gateway ?? "")])
        }
        let response = try await EngineConnection.with { client in
            try EngineConnection.decode(
                NetworkCreateResponse.self,
                try await client.request("POST", "/networks/create", body: try EngineConnection.encode(request)))
        }
        Output.line(response.id)
    }

    static func pairs(_ items: [String], flag: String) throws -> [String: String] {
        var result: [String: String] = [:]
        for item in items {
            guard let equals = item.firstIndex(of: "=") else {
                result[item] = ""
                continue
            }
            result[String(item[..<equals])] = String(item[item.index(after: equals)...])
        }
        return result
    }
}
