/// A service's use of a secret or config (`secrets:` / `configs:` entries in long syntax).
public struct FileReference: Sendable, Hashable, Codable {
    /// The key of the secret or config in the project.
    public var source: String
    /// Where it appears in the container; nil for the default (`/run/secrets/<source>` or `/<source>`).
    public var target: String?
    public var uid: String?
    public var gid: String?
    public var mode: FileMode?

    public init(source: String, target: String? = nil, uid: String? = nil, gid: String? = nil, mode: FileMode? = nil) {
        self.source = source
        self.target = target
        self.uid = uid
        self.gid = gid
        self.mode = mode
    }
}

/// An `env_file` entry, resolved to an absolute path.
public struct EnvFile: Sendable, Hashable, Codable {
    public var path: String
    /// False: a missing file is skipped.
    public var required: Bool
    /// `raw` disables interpolation and quoting rules; nil is the default dotenv format.
    public var format: String?

    public init(path: String, required: Bool = true, format: String? = nil) {
        self.path = path
        self.required = required
        self.format = format
    }

    public init(from decoder: any Decoder) throws {
        if let path = try? decoder.singleValueContainer().decode(String.self) {
            self.init(path: path)
            return
        }
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            path: try c.decode(String.self, forKey: .path), required: try c.value(.required, or: true),
            format: try c.optional(.format))
    }
}
