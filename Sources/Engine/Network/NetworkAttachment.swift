import StackCore

/// How a container is networked, from its `--network` (HostConfig.NetworkMode).
enum NetworkAttachment: Sendable, Hashable {
    /// The host's namespace.
    case host
    /// Its own namespace with loopback only (made by the runtime).
    case none
    /// The namespace of another container (`container:NAME`), by reference as given.
    case container(String)
    /// Its own namespace made by stackd, with one veth per network (the default bridge or named networks).
    case bridged(primary: String)

    init(mode: String) {
        switch mode {
        case "host": self = .host
        case "none": self = .none
        case "", "default", "bridge": self = .bridged(primary: "bridge")
        default:
            if mode.hasPrefix("container:") {
                self = .container(String(mode.dropFirst("container:".count)))
            } else {
                self = .bridged(primary: mode)
            }
        }
    }
}
