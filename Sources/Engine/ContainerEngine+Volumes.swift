import StackAPI
import StackCore
import Store
import Volumes

/// Which volumes `GET /volumes` and `POST /volumes/prune` consider (Docker's `filters`).
public struct VolumeFilter: Sendable, Hashable {
    /// `dangling=true|false`: only volumes no container uses (or only used ones).
    public var dangling: Bool?
    /// `label=KEY` or `label=KEY=VALUE`, all must match.
    public var labels: [String] = []
    /// `name=TEXT`: names containing the text.
    public var names: [String] = []
    /// `driver=NAME`: volumes of one of these drivers.
    public var drivers: [String] = []
    /// Prune only: `all=true` prunes named volumes too (Docker prunes only anonymous ones by default).
    public var all = false

    public init(dangling: Bool? = nil, labels: [String] = [], names: [String] = [], all: Bool = false) {
        self.dangling = dangling
        self.labels = labels
        self.names = names
        self.all = all
    }

    /// Docker's `filters` query value: `{"dangling":["true"],"label":["a=b"]}`.
    public init(json: [String: [String]]) throws(StackError) {
        for (key, values) in json {
            switch key {
            case "dangling":
                for value in values {
                    switch value.lowercased() {
                    case "true", "1": dangling = true
                    case "false", "0": dangling = false
                    default: throw StackError(.invalidArgument, "invalid filter 'dangling=\(value)'")
                    }
                }
            case "label": labels += values
            case "name": names += values
            case "all": all = values.contains { $0 == "true" || $0 == "1" }
            case "driver": drivers += values
            default: throw StackError(.invalidArgument, "invalid filter '\(key)'")
            }
        }
    }

    func matches(_ record: VolumeRecord, users: Int) -> Bool {
        if let dangling, dangling != (users == 0) { return false }
        for name in names where !record.name.contains(name) { return false }
        if !drivers.isEmpty && !drivers.contains(record.driver) { return false }
        for label in labels {
            let parts = label.split(separator: "=", maxSplits: 1).map(String.init)
            guard let value = record.labels[parts[0]] else { return false }
            if parts.count == 2 && value != parts[1] { return false }
        }
        return true
    }
}

extension ContainerEngine {
    /// `POST /volumes/create`: a new local volume; an existing name answers that volume (as Docker).
    public func createVolume(_ request: VolumeCreateRequest) throws(StackError) -> Volume {
        guard request.driver.isEmpty || request.driver == "local" else {
            throw StackError(.notFound, "plugin \"\(request.driver)\" not found: only the \"local\" volume driver exists")
        }
        // A random name, as Docker gives; not an anonymous volume (prune without `all` keeps it).
        let name = request.name.isEmpty ? VolumeName.anonymous() : request.name
        try VolumeName.validate(name)
        try Self.checkDriverOptions(request.driverOpts)
        if let existing = try store.volumes.get(name) { return volume(existing) }
        _ = try volumeDriver.create(name)
        let record = VolumeRecord(
            name: name, labels: request.labels, options: request.driverOpts, createdAt: Self.volumeTime())
        do {
            try store.volumes.insert(record)
        } catch {
            try? volumeDriver.remove(name)
            throw error
        }
        event(type: "volume", action: "create", actor: name, attributes: ["driver": "local"])
        return volume(record)
    }

    /// `GET /volumes`.
    public func listVolumes(_ filter: VolumeFilter = VolumeFilter()) throws(StackError) -> VolumeListResponse {
        var result: [Volume] = []
        for record in try store.volumes.list() {
            let users = try store.volumes.users(volume: record.name).count
            if filter.matches(record, users: users) { result.append(volume(record)) }
        }
        return VolumeListResponse(volumes: result)
    }

    /// `GET /volumes/{name}`.
    public func inspectVolume(_ name: String) throws(StackError) -> Volume {
        guard let record = try store.volumes.get(name) else { throw Self.noSuchVolume(name) }
        return volume(record)
    }

    /// `DELETE /volumes/{name}`: refused while a container uses it (the error names the
    /// containers); `force` makes a missing volume no error.
    public func removeVolume(_ name: String, force: Bool) throws(StackError) {
        guard try store.volumes.get(name) != nil else {
            if force { return }
            throw Self.noSuchVolume(name)
        }
        let users = try store.volumes.users(volume: name)
        if !users.isEmpty {
            throw StackError(.conflict, "remove \(name): volume is in use - [\(users.joined(separator: ", "))]")
        }
        try volumeDriver.remove(name)
        try store.volumes.delete(name)
        event(type: "volume", action: "destroy", actor: name, attributes: ["driver": "local"])
    }

    /// `POST /volumes/prune`: unused anonymous volumes (with `all`, unused named ones too).
    public func pruneVolumes(_ filter: VolumeFilter = VolumeFilter()) throws(StackError) -> VolumePruneResponse {
        var response = VolumePruneResponse()
        for record in try store.volumes.list() where filter.all || record.anonymous {
            guard try store.volumes.users(volume: record.name).isEmpty, filter.matches(record, users: 0) else { continue }
            let size = volumeDriver.size(record.name)
            do {
                try volumeDriver.remove(record.name)
                try store.volumes.delete(record.name)
            } catch {
                continue
            }
            event(type: "volume", action: "destroy", actor: record.name, attributes: ["driver": "local"])
            response.volumesDeleted.append(record.name)
            response.spaceReclaimed += UInt64(max(0, size))
        }
        return response
    }

    /// The local driver's options: `type`, `device` and `o`; with any of them, `type` and `device`
    /// are needed (as Docker's local driver), and a bind (`o=bind`) needs an existing directory.
    static func checkDriverOptions(_ options: [String: String]) throws(StackError) {
        for key in options.keys.sorted() where !["type", "device", "o"].contains(key) {
            throw StackError(.invalidArgument, "invalid option key: \"\(key)\"")
        }
        guard !options.isEmpty else { return }
        for key in ["type", "device"] where (options[key] ?? "").isEmpty {
            throw StackError(.invalidArgument, "missing required option: \"\(key)\"")
        }
        let flags = (options["o"] ?? "").split(separator: ",")
        if flags.contains("bind") || flags.contains("rbind"), let device = options["device"], !FileSystem.exists(device) {
            throw StackError(.invalidArgument, "invalid mount config: bind source path does not exist: \(device)")
        }
    }

    /// The API's view of a record.
    func volume(_ record: VolumeRecord) -> Volume {
        Volume(
            name: record.name, driver: record.driver, mountpoint: volumeDriver.mountpoint(record.name),
            createdAt: record.createdAt, labels: record.labels, options: record.options)
    }

    /// Docker's `CreatedAt` of volumes: RFC 3339 in whole seconds.
    static func volumeTime() -> String {
        let text = TimeText.rfc3339(TimeText.now())
        guard let dot = text.firstIndex(of: ".") else { return text }
        return String(text[..<dot]) + "Z"
    }

    static func noSuchVolume(_ name: String) -> StackError {
        StackError(.notFound, "get \(name): no such volume")
    }
}
