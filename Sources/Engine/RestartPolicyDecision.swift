import StackAPI

/// Whether and when an exited container comes back, with moby's rules: `no` never; `always`
/// and `unless-stopped` unless stopped or killed by hand; `on-failure[:max]` after a non-zero exit
/// while fewer than `max` restarts happened (0 = no limit). The delay starts at 100 ms and doubles
/// per restart up to one minute, and starts over after a run of at least 10 seconds. A policy from
/// `deploy.restart_policy` may instead wait a fixed `delay` and count a run of `window` as the
/// success that starts the back-off over (Swarm's fields, which Compose ignores outside Swarm).
struct RestartPolicyDecision: Sendable, Equatable {
    /// Nil: stays exited.
    var delay: Double?

    static let initialDelay = 0.1
    static let maximumDelay = 60.0
    static let resetAfterRun = 10.0

    /// - Parameters:
    ///   - previousDelay: the delay before the previous restart (nil for none yet).
    ///   - ranFor: how long the run that just ended lasted, in seconds.
    init(
        policy: HostConfig.RestartPolicy, exitCode: Int32, restartCount: Int, manuallyStopped: Bool,
        previousDelay: Double?, ranFor: Double
    ) {
        let wanted: Bool
        switch policy.name {
        case "always", "unless-stopped": wanted = !manuallyStopped
        case "on-failure":
            wanted = !manuallyStopped && exitCode != 0
                && (policy.maximumRetryCount == 0 || restartCount < policy.maximumRetryCount)
        default: wanted = false
        }
        guard wanted else {
            delay = nil
            return
        }
        if let fixed = policy.delay {
            delay = Double(fixed) / 1e9
            return
        }
        let resetAfter = policy.window.map { Double($0) / 1e9 } ?? Self.resetAfterRun
        if let previousDelay, ranFor < resetAfter {
            delay = min(previousDelay * 2, Self.maximumDelay)
        } else {
            delay = Self.initialDelay
        }
    }

    /// Whether a container with `policy` comes back when stackd starts (moby: `always` even after
    /// a manual stop, `unless-stopped` unless it was stopped by hand).
    static func startsWithDaemon(_ policy: HostConfig.RestartPolicy, manuallyStopped: Bool) -> Bool {
        policy.name == "always" || (policy.name == "unless-stopped" && !manuallyStopped)
    }
}
