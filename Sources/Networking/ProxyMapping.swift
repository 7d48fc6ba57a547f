import StackCore

/// One published port the userland proxy serves: a host socket (`hostIP:hostPort/proto`) relayed to
/// `containerIP:containerPort`. IPv4 only.
public struct ProxyMapping: Sendable, Hashable, CustomStringConvertible {
    /// `"tcp"` or `"udp"`.
    public var proto: String
    /// The host address to bind; `""` means all addresses (`0.0.0.0`).
    public var hostIP: String
    /// The host port; 0 lets the kernel choose one at bind time (`BoundPorts.mappings` has it then).
    public var hostPort: UInt16
    /// The container's address on its network.
    public var containerIP: String
    public var containerPort: UInt16

    public init(proto: String, hostIP: String = "", hostPort: UInt16, containerIP: String, containerPort: UInt16) {
        self.proto = proto
        self.hostIP = hostIP
        self.hostPort = hostPort
        self.containerIP = containerIP
        self.containerPort = containerPort
    }

    /// The host address as bound: `hostIP`, or `0.0.0.0` when empty.
    public var bindAddress: String { hostIP.isEmpty ? "0.0.0.0" : hostIP }

    /// `0.0.0.0:8080/tcp -> 172.17.0.2:80`
    public var description: String {
        "\(bindAddress):\(hostPort)/\(proto) -> \(containerIP):\(containerPort)"
    }

    /// The proxy's command-line form for the socket at `fd`: `tcp:3:172.17.0.2:80`.
    func argument(fd: Int32) -> String { "\(proto):\(fd):\(containerIP):\(containerPort)" }

    /// Checks what the proxy can serve: tcp or udp, IPv4 addresses, a container port.
    func validate() throws(StackError) {
        guard proto == "tcp" || proto == "udp" else {
            throw StackError(.unsupported, "port \(bindAddress):\(hostPort)/\(proto): the port proxy serves tcp and udp only")
        }
        guard let host = IPAddress(bindAddress) else {
            throw StackError(.invalidArgument, "port \(bindAddress):\(hostPort)/\(proto): invalid host address \(hostIP)")
        }
        guard host.isIPv4 else {
            throw StackError(
                .unsupported, "port [\(hostIP)]:\(hostPort)/\(proto): IPv6 host addresses are not supported by the port proxy yet")
        }
        guard let container = IPAddress(containerIP), container.isIPv4 else {
            throw StackError(
                .invalidArgument, "port \(bindAddress):\(hostPort)/\(proto): container address \(containerIP) is not an IPv4 address")
        }
        guard containerPort != 0 else {
            throw StackError(.invalidArgument, "port \(bindAddress):\(hostPort)/\(proto): container port 0")
        }
    }
}
