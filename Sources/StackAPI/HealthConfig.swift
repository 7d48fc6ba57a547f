/// `Config.Healthcheck` of a create request (Docker's `HealthConfig`): the probe and its timing.
///
/// Durations are nanoseconds; 0 (left out of the JSON, as Docker's `omitempty`) means "inherit the
/// image's value, else the default". `Test` is `["CMD", arg…]`, `["CMD-SHELL", command]`, `["NONE"]`
/// (no healthcheck), or empty (inherit the image's probe).
public struct HealthConfig: Codable, Sendable, Hashable {
    public var test: [String]
    public var interval: Int64
    public var timeout: Int64
    /// Consecutive failures before the container is unhealthy; 0 inherits.
    public var retries: Int
    public var startPeriod: Int64
    public var startInterval: Int64

    public init(
        test: [String] = [], interval: Int64 = 0, timeout: Int64 = 0, retries: Int = 0, startPeriod: Int64 = 0,
        startInterval: Int64 = 0
    ) {
        self.test = test
        self.interval = interval
        self.timeout = timeout
        self.retries = retries
        self.startPeriod = startPeriod
        self.startInterval = startInterval
    }

    enum CodingKeys: String, CodingKey {
        case test = "Test", interval = "Interval", timeout = "Timeout", retries = "Retries"
        case startPeriod = "StartPeriod", startInterval = "StartInterval"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        test = try c.decodeIfPresent([String].self, forKey: .test) ?? []
        interval = try c.decodeIfPresent(Int64.self, forKey: .interval) ?? 0
        timeout = try c.decodeIfPresent(Int64.self, forKey: .timeout) ?? 0
        retries = try c.decodeIfPresent(Int.self, forKey: .retries) ?? 0
        startPeriod = try c.decodeIfPresent(Int64.self, forKey: .startPeriod) ?? 0
        startInterval = try c.decodeIfPresent(Int64.self, forKey: .startInterval) ?? 0
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        if !test.isEmpty { try c.encode(test, forKey: .test) }
        if interval != 0 { try c.encode(interval, forKey: .interval) }
        if timeout != 0 { try c.encode(timeout, forKey: .timeout) }
        if retries != 0 { try c.encode(retries, forKey: .retries) }
        if startPeriod != 0 { try c.encode(startPeriod, forKey: .startPeriod) }
        if startInterval != 0 { try c.encode(startInterval, forKey: .startInterval) }
    }
}
