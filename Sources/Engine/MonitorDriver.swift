import Monitor
import StackCore

/// Starting a container's monitor (which creates the container under it) and recognising a
/// running monitor after a daemon restart, behind a protocol so tests can fake both.
public protocol MonitorDriver: Sendable {
    /// Start the monitor for `options` and wait until the container is created (or failed to be).
    func launch(_ options: MonitorOptions) throws(StackError) -> MonitorResult
    /// Whether `pid` is still the monitor of `containerID` (pids are reused).
    func isMonitor(pid: Int32, containerID: String) -> Bool
}

/// The real driver: `stack-monitor` started by `Monitor.MonitorLauncher`.
public struct MonitorProcessDriver: MonitorDriver {
    /// The `stack-monitor` binary.
    public var binary: String

    public init(binary: String) {
        self.binary = binary
    }

    public func launch(_ options: MonitorOptions) throws(StackError) -> MonitorResult {
        try MonitorLauncher(binary: binary).launch(options)
    }

    public func isMonitor(pid: Int32, containerID: String) -> Bool {
        MonitorProcess.isMonitor(pid: pid, containerID: containerID)
    }
}
