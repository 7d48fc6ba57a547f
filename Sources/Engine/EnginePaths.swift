/// Where the engine keeps things (DESIGN.md "On disk") and where its helper programs are.
public struct EnginePaths: Sendable, Hashable {
    /// `STACK_ROOT`: state.db, images/, containers/.
    public var root: String
    /// `STACK_RUN`: the socket, the pid file, and the runtime's state.
    public var run: String
    /// The directory holding `stack-runtime`, `stack-monitor` and `stack-init` (next to stackd).
    public var binaries: String

    public init(root: String, run: String, binaries: String) {
        self.root = root
        self.run = run
        self.binaries = binaries
    }

    public var database: String { root + "/state.db" }
    public var images: String { root + "/images" }
    public var containers: String { root + "/containers" }
    /// The local volume driver's root: `volumes/<name>/_data`.
    public var volumes: String { root + "/volumes" }
    /// `stack-runtime --root`.
    public var runtimeRoot: String { run + "/runtime" }

    public func container(_ id: String) -> String { containers + "/" + id }
    public func rootfs(_ id: String) -> String { container(id) + "/rootfs" }
    public func upper(_ id: String) -> String { container(id) + "/upper" }
    public func work(_ id: String) -> String { container(id) + "/work" }
    public func log(_ id: String) -> String { container(id) + "/\(id)-json.log" }
    public func exitFile(_ id: String) -> String { container(id) + "/exit.json" }
    public func monitorPIDFile(_ id: String) -> String { container(id) + "/monitor.pid" }
    public func attachSocket(_ id: String) -> String { container(id) + "/attach.sock" }
    public func controlSocket(_ id: String) -> String { container(id) + "/control.sock" }

    public var runtimeBinary: String { binaries + "/stack-runtime" }
    public var monitorBinary: String { binaries + "/stack-monitor" }
    public var initBinary: String { binaries + "/stack-init" }
}
