/// A `volumes_from` entry: mount all volumes of another service or container.
public struct VolumesFrom: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Where the volumes come from.
    public enum Source: Sendable, Hashable, Codable {
        /// A service of this project.
        case service(String)
        /// A container by name or ID (`container:name`).
        case container(String)
    }

    public var source: Source
    /// True for `:ro`; the default is read-write.
    public var readOnly: Bool

    public init(_ source: Source, readOnly: Bool = false) {
        self.source = source
        self.readOnly = readOnly
    }

    /// Parses `svc`, `svc:ro`, `svc:rw`, `container:name`, `container:name:ro`; nil when malformed.
    public init?(parsing text: String) {
        var parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        var readOnly = false
        if parts.count > 1, let last = parts.last, last == "ro" || last == "rw" {
            readOnly = last == "ro"
            parts.removeLast()
        }
        switch parts.count {
        case 1 where !parts[0].isEmpty:
            self.init(.service(parts[0]), readOnly: readOnly)
        case 2 where parts[0] == "container" && !parts[1].isEmpty:
            self.init(.container(parts[1]), readOnly: readOnly)
        default:
            return nil
        }
    }

    /// The Compose spelling, e.g. `container:name:ro` (`:rw` is left out).
    public var description: String {
        let base: String
        switch source {
        case .service(let name): base = name
        case .container(let name): base = "container:\(name)"
        }
        return readOnly ? base + ":ro" : base
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = VolumesFrom(parsing: text) else {
            throw container.invalid(
                "invalid volumes_from \"\(text)\"; expected \"service[:ro|:rw]\" or \"container:name[:ro|:rw]\"")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
