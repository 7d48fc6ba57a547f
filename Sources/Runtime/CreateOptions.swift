/// What `create` (and `run`) were asked.
public struct CreateOptions: Sendable {
    public var id: String
    /// The bundle directory (made absolute by `create`).
    public var bundle: String
    public var pidFile: String?
    /// A unix socket that receives the pty master (`process.terminal`).
    public var consoleSocket: String?
    /// Use chroot instead of pivot_root.
    public var noPivotRoot: Bool
    /// Without a console socket: where the init sends the pty master when `process.terminal` is
    /// set (`run` in the foreground relays the terminal itself). Unused when there is no terminal.
    public var terminalRelay: TerminalRelay?

    public init(
        id: String, bundle: String, pidFile: String? = nil, consoleSocket: String? = nil, noPivotRoot: Bool = false
    ) {
        self.id = id
        self.bundle = bundle
        self.pidFile = pidFile
        self.consoleSocket = consoleSocket
        self.noPivotRoot = noPivotRoot
    }
}
