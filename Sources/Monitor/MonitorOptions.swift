/// Everything `stack-monitor` is started with (see the monitor contract): which container, where
/// its bundle and directory are, which runtime creates it, and how its output is logged.
public struct MonitorOptions: Sendable, Equatable {
    /// The container id given to the runtime.
    public var id: String
    /// The OCI bundle directory (config.json + rootfs).
    public var bundle: String
    /// The runtime binary (`stack-runtime`).
    public var runtime: String
    /// The runtime's `--root`.
    public var runtimeRoot: String
    /// The container's directory: monitor.pid, container.pid, exit.json, attach.sock, control.sock live here.
    public var directory: String
    /// The json-file log (`<id>-json.log`).
    public var logFile: String
    /// Rotate when the log reaches this many bytes; nil: never.
    public var logMaxSize: Int64?
    /// Files kept in all, the live one included (Docker's max-file); nil: 1.
    public var logMaxFiles: Int?
    /// Give the container a stdin pipe fed from attach clients (else /dev/null).
    public var openStdin: Bool
    /// Give the container a pty (received over a console socket) instead of pipes.
    public var terminal: Bool

    public init(
        id: String, bundle: String, runtime: String, runtimeRoot: String, directory: String, logFile: String,
        logMaxSize: Int64? = nil, logMaxFiles: Int? = nil, openStdin: Bool = false, terminal: Bool = false
    ) {
        self.id = id
        self.bundle = bundle
        self.runtime = runtime
        self.runtimeRoot = runtimeRoot
        self.directory = directory
        self.logFile = logFile
        self.logMaxSize = logMaxSize
        self.logMaxFiles = logMaxFiles
        self.openStdin = openStdin
        self.terminal = terminal
    }

    /// The monitor's arguments after argv[0], with the sync pipe at `syncFD` in the monitor.
    public func arguments(syncFD: Int32) -> [String] {
        var arguments = [
            "--id", id, "--bundle", bundle, "--runtime", runtime, "--runtime-root", runtimeRoot,
            "--dir", directory, "--log-file", logFile,
        ]
        if let logMaxSize { arguments += ["--log-max-size", String(logMaxSize)] }
        if let logMaxFiles { arguments += ["--log-max-files", String(logMaxFiles)] }
        if openStdin { arguments.append("--stdin") }
        if terminal { arguments.append("--terminal") }
        arguments += ["--sync-fd", String(syncFD)]
        return arguments
    }

    /// Paths of the files the monitor keeps in `directory`.
    public var exitRecordPath: String { directory + "/exit.json" }
    public var monitorPidPath: String { directory + "/monitor.pid" }
    public var containerPidPath: String { directory + "/container.pid" }
    public var attachSocketPath: String { directory + "/attach.sock" }
    public var controlSocketPath: String { directory + "/control.sock" }
}
