/// A secret or config of the project (top-level `secrets:` / `configs:`).
///
/// Exactly one source is normally set: `file`, `environment`, `content`, or `external`.
public struct FileObject: Sendable, Hashable, Codable {
    /// The key under `secrets:` / `configs:`, which services use as `source`.
    public var key: String
    /// The real name (after name resolution).
    public var name: String
    /// A host file (absolute after loading).
    public var file: String?
    /// The name of an environment variable holding the content.
    public var environment: String?
    /// Inline content (configs).
    public var content: String?
    public var external: Bool
    public var labels: [String: String]

    public init(
        key: String, name: String, file: String? = nil, environment: String? = nil, content: String? = nil,
        external: Bool = false, labels: [String: String] = [:]
    ) {
        self.key = key
        self.name = name
        self.file = file
        self.environment = environment
        self.content = content
        self.external = external
        self.labels = labels
    }

    enum CodingKeys: String, CodingKey {
        case name, file, environment, content, external, labels
    }

    /// Decodes a definition; `key` is the last key of the coding path.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            key: decoder.codingPath.last?.stringValue ?? "", name: try c.value(.name, or: ""),
            file: try c.optional(.file), environment: try c.optional(.environment), content: try c.optional(.content),
            external: try c.externalFlag(.external), labels: try c.stringMap(.labels))
    }
}

/// A top-level secret definition.
public typealias SecretDefinition = FileObject
/// A top-level config definition.
public typealias ConfigDefinition = FileObject
