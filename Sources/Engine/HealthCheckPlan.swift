import StackAPI

/// A healthcheck as stackd runs it: the probe's command line and Docker's defaults for what the
/// request leaves at 0 (interval and timeout 30 s, 3 retries, no start period).
struct HealthCheckPlan: Sendable, Hashable {
    var command: [String]
    /// Nanoseconds.
    var interval: Int64
    var timeout: Int64
    var startPeriod: Int64
    var startInterval: Int64
    var retries: Int

    static let defaultInterval: Int64 = 30_000_000_000

    /// Nil when there is nothing to run (`NONE`, or no test: this engine's images carry none).
    init?(_ config: HealthConfig?) {
        guard let config, let kind = config.test.first else { return nil }
        switch kind {
        case "CMD":
            command = Array(config.test.dropFirst())
        case "CMD-SHELL":
            command = ["/bin/sh", "-c", config.test.dropFirst().joined(separator: " ")]
        default:
            return nil
        }
        guard !command.isEmpty else { return nil }
        interval = config.interval > 0 ? config.interval : Self.defaultInterval
        timeout = config.timeout > 0 ? config.timeout : Self.defaultInterval
        startPeriod = max(config.startPeriod, 0)
        startInterval = config.startInterval > 0 ? config.startInterval : interval
        retries = config.retries > 0 ? config.retries : 3
    }

    /// The state after `probe`: success → healthy with the streak reset; a failure counts
    /// (unless still in the start period) and makes it unhealthy at `retries` in a row.
    func applying(_ probe: HealthProbe, to state: HealthState, inStartPeriod: Bool) -> HealthState {
        var next = state
        next.log = Array((state.log + [probe]).suffix(5))
        if probe.exitCode == 0 {
            next.status = "healthy"
            next.failingStreak = 0
        } else if !inStartPeriod {
            next.failingStreak += 1
            if next.failingStreak >= retries { next.status = "unhealthy" }
        }
        return next
    }
}
