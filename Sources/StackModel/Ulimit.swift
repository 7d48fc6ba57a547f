/// A resource limit (`ulimits.<name>`): an integer for both limits, or `{soft, hard}`.
public struct Ulimit: Sendable, Hashable, Codable {
    public var soft: Int64
    public var hard: Int64

    public init(soft: Int64, hard: Int64) {
        self.soft = soft
        self.hard = hard
    }

    /// The same value for the soft and the hard limit.
    public init(_ both: Int64) { self.init(soft: both, hard: both) }

    enum CodingKeys: String, CodingKey { case soft, hard, single }

    public init(from decoder: any Decoder) throws {
        if let both = try? decoder.singleValueContainer().decode(Int64.self) {
            self.init(both)
            return
        }
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let both = try c.decodeIfPresent(Int64.self, forKey: .single) {
            self.init(both)
            return
        }
        self.init(soft: try c.decode(Int64.self, forKey: .soft), hard: try c.decode(Int64.self, forKey: .hard))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(soft, forKey: .soft)
        try c.encode(hard, forKey: .hard)
    }
}
