import StackModel

/// A service's configuration hash, as stored in `com.docker.compose.config-hash`, with one
/// short hash per top-level field so a plan can say *what* changed.
///
/// The digest is SHA-256 over the canonical text (members sorted, nulls and empty collections
/// left out) of the service's encoding without the fields Compose leaves out — `build`,
/// `pull_policy`, `scale`, `deploy.replicas`, `depends_on` and `profiles` — so scaling,
/// rebuilding or rewiring dependencies never recreates a container, and the order in which the
/// stack file wrote its keys does not matter. `develop` (watch rules) is left out as well: it
/// only steers the watcher, so editing it has no reason to recreate anything.
public struct ConfigHash: Sendable, Hashable {
    /// Top-level fields left out of the hash, in their stack-file spelling.
    public static let ignoredFields: Set<String> = ["build", "pull_policy", "scale", "depends_on", "profiles", "develop"]

    /// 64 hex digits of SHA-256 over the canonical text.
    public var digest: String
    /// Each hashed top-level field (stack-file spelling) → the first 12 hex digits of the
    /// SHA-256 of its canonical value.
    public var fields: [String: String]

    public init(digest: String, fields: [String: String]) {
        self.digest = digest
        self.fields = fields
    }

    /// The hash of `service`.
    public init(service: Service) {
        let canonical = Self.canonical(service)
        digest = SHA256.hex(canonical.text)
        fields = canonical.members.mapValues { String(SHA256.hex($0.text).prefix(12)) }
    }

    /// The canonical value that is hashed: the service's encoding, pruned, without the ignored
    /// fields and without `deploy.replicas`.
    public static func canonical(_ service: Service) -> CanonicalValue {
        // The model's encoders only write strings, numbers and containers; should one ever
        // throw, hashing the type's description keeps the result stable rather than crashing.
        let encoded = (try? CanonicalEncoder.encode(service)) ?? .string(String(describing: service))
        var members = encoded.pruned().members
        for field in ignoredFields { members[field] = nil }
        if case .object(var deploy)? = members["deploy"] {
            deploy["replicas"] = nil
            members["deploy"] = deploy.isEmpty ? nil : .object(deploy)
        }
        return .object(members)
    }

    /// SHA-256 over the canonical text of any model value (a network or volume definition).
    public static func digest<T: Encodable>(of value: T) -> String {
        let encoded = (try? CanonicalEncoder.encode(value)) ?? .string(String(describing: value))
        return SHA256.hex(encoded.pruned().text)
    }

    /// The per-field hashes as a label value: `field=hash` pairs sorted by field, comma-separated.
    public var fieldsLabel: String {
        fields.keys.sorted().map { "\($0)=\(fields[$0] ?? "")" }.joined(separator: ",")
    }

    /// Parses a `fieldsLabel` value; nil when it is malformed.
    public static func parseFieldsLabel(_ text: String) -> [String: String]? {
        var result: [String: String] = [:]
        if text.isEmpty { return result }
        for pair in text.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty else { return nil }
            result[String(parts[0])] = String(parts[1])
        }
        return result
    }

    /// The fields whose hashes differ from `old` (present in one and not the other, or with
    /// another value), sorted.
    public func changedFields(from old: [String: String]) -> [String] {
        Set(fields.keys).union(old.keys).filter { fields[$0] != old[$0] }.sorted()
    }
}
