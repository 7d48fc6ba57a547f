import ArgumentParser
import ContainerConfig
import Foundation
import StackAPI
import StackCore

/// `stack volume …`: the engine's local volumes.
struct VolumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "volume", abstract: "Manage volumes.",
        subcommands: [VolumeCreate.self, VolumeList.self, VolumeInspect.self, VolumeRemove.self, VolumePrune.self])
}

/// `stack volume create [--label K=V] [-o opt] [-d local] [NAME]`.
struct VolumeCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a volume.")
    @Option(name: [.customShort("d"), .long], help: "Volume driver name (only local).") var driver = "local"
    @Option(name: .long, help: "Set metadata for a volume (KEY=VALUE).") var label: [String] = []
    @Option(name: [.customShort("o"), .customLong("opt")], help: "Set driver specific options (KEY=VALUE).")
    var opt: [String] = []
    @Argument(help: "The volume's name (a random one when omitted).") var name: String?

    func run() async throws {
        var request = VolumeCreateRequest(name: name ?? "", driver: driver)
        for item in label {
            let (key, value) = try RunFlagParsing.label(item)
            request.labels[key] = value
        }
        for item in opt {
            guard let equals = item.firstIndex(of: "="), equals != item.startIndex else {
                throw ValidationError("invalid option \"\(item)\": expected KEY=VALUE")
            }
            request.driverOpts[String(item[..<equals])] = String(item[item.index(after: equals)...])
        }
        let volume = try await EngineConnection.with { client in
            try EngineConnection.decode(Volume.self, try await client.request("POST", "/volumes/create", json: request))
        }
        Output.line(volume.name)
    }
}

/// Docker's `filters` query value from `--filter KEY=VALUE` flags.
enum VolumeFilters {
    static func query(_ filters: [String], extra: [String: [String]] = [:]) throws -> [(String, String)] {
        var map = extra
        for filter in filters {
            guard let equals = filter.firstIndex(of: "=") else {
                throw ValidationError("bad format of filter (expected name=value): \(filter)")
            }
            map[String(filter[..<equals]), default: []].append(String(filter[filter.index(after: equals)...]))
        }
        guard !map.isEmpty else { return [] }
        let data = try JSONEncoder().encode(map)
        return [("filters", String(decoding: data, as: UTF8.self))]
    }
}

/// `stack volume ls [-q] [--filter dangling=true|label=…|name=…]`.
struct VolumeList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ls", abstract: "List volumes.", aliases: ["list"])
    @Flag(name: .shortAndLong, help: "Only display volume names.") var quiet = false
    @Option(name: [.customShort("f"), .long], help: "Filter output (dangling=true, label=KEY[=VALUE], name=TEXT).")
    var filter: [String] = []

    func run() async throws {
        let query = try VolumeFilters.query(filter)
        let list = try await EngineConnection.with { client in
            try EngineConnection.decode(VolumeListResponse.self, try await client.request("GET", "/volumes", query: query))
        }
        if quiet {
            for volume in list.volumes { Output.line(volume.name) }
            return
        }
        Table.print([["DRIVER", "VOLUME NAME"]] + list.volumes.map { [$0.driver, $0.name] })
    }
}

/// `stack volume inspect NAME...`: a JSON array as `docker volume inspect` prints.
struct VolumeInspect: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "inspect", abstract: "Display detailed information on volumes.")
    @Argument(help: "Volumes.") var volumes: [String]

    func run() async throws {
        try await InspectOutput.print(volumes) { client, reference in
            try await client.request("GET", "/volumes/\(reference)")
        }
    }
}

/// `stack volume rm [-f] NAME...`: a volume a container uses is refused (the error names it).
struct VolumeRemove: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove volumes.", aliases: ["remove"])
    @Flag(name: .shortAndLong, help: "Do not fail on volumes that do not exist.") var force = false
    @Argument(help: "Volumes.") var volumes: [String]

    func run() async throws {
        try await EachContainer.run(volumes) { client, volume in
            _ = try await client.request("DELETE", "/volumes/\(volume)", query: [("force", force ? "1" : "0")])
        }
    }
}

/// `stack volume prune [-f] [-a]`: remove unused anonymous volumes (with `-a`, unused named ones too).
struct VolumePrune: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "prune", abstract: "Remove unused local volumes.")
    @Flag(name: .shortAndLong, help: "Remove all unused volumes, not just anonymous ones.") var all = false
    @Flag(name: .shortAndLong, help: "Do not prompt for confirmation.") var force = false
    @Option(name: .long, help: "Provide filter values (label=KEY[=VALUE]).") var filter: [String] = []

    func run() async throws {
        if !force {
            let what = all ? "all local volumes" : "anonymous local volumes"
            FileHandle.standardError.write(
                Data("WARNING! This will remove \(what) not used by at least one container.\nAre you sure you want to continue? [y/N] ".utf8))
            let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
            guard answer == "y" || answer == "yes" else { return }
        }
        let query = try VolumeFilters.query(filter, extra: all ? ["all": ["true"]] : [:])
        let response = try await EngineConnection.with { client in
            try EngineConnection.decode(
                VolumePruneResponse.self, try await client.request("POST", "/volumes/prune", query: query))
        }
        if !response.volumesDeleted.isEmpty {
            Output.line("Deleted Volumes:")
            for name in response.volumesDeleted { Output.line(name) }
            Output.line("")
        }
        Output.line("Total reclaimed space: " + DecimalBytes.human(Int64(response.spaceReclaimed)))
    }
}
