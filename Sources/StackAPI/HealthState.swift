/// `State.Health` of an inspected container with a healthcheck (Docker's shape).
public struct HealthState: Codable, Sendable, Hashable {
    /// starting, healthy or unhealthy.
    public var status: String
    /// Consecutive failed probes.
    public var failingStreak: Int
    /// The last probes (at most five), oldest first.
    public var log: [HealthProbe]

    public init(status: String = "starting", failingStreak: Int = 0, log: [HealthProbe] = []) {
        self.status = status
        self.failingStreak = failingStreak
        self.log = log
    }

    enum CodingKeys: String, CodingKey { case status = "Status", failingStreak = "FailingStreak", log = "Log" }
}

/// One probe: when it ran, its exit code (-1 for a timeout) and its output (at most 4 KiB).
public struct HealthProbe: Codable, Sendable, Hashable {
    public var start: String
    public var end: String
    public var exitCode: Int
    public var output: String

    public init(start: String, end: String, exitCode: Int, output: String) {
        self.start = start
        self.end = end
        self.exitCode = exitCode
        self.output = output
    }

    enum CodingKeys: String, CodingKey { case start = "Start", end = "End", exitCode = "ExitCode", output = "Output" }
}
