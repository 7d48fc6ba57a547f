import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The host sockets `PortProxy.bind` opened, in the order of its mappings, and the ports they got.
///
/// Owns the fds: `close()` (or deinit) closes them. After `PortProxy.launch` the proxy holds its
/// own copies, so close these then; while stackd keeps them open a stopped proxy's ports stay taken.
public final class BoundPorts: Sendable {
    /// The mappings as bound: `hostPort` is the actual port (the kernel's choice where 0 was asked).
    public let mappings: [ProxyMapping]
    private let sockets: Mutex<[Int32]>

    init(mappings: [ProxyMapping], fds: [Int32]) {
        self.mappings = mappings
        self.sockets = Mutex(fds)
    }

    /// The open sockets, one per mapping; empty once closed.
    public var fileDescriptors: [Int32] { sockets.withLock { $0 } }

    /// Whether `close()` ran.
    public var isClosed: Bool { sockets.withLock { $0.isEmpty } }

    /// The actual host port of the first mapping for `containerPort`/`proto`.
    public func hostPort(containerPort: UInt16, proto: String = "tcp") -> UInt16? {
        mappings.first { $0.containerPort == containerPort && $0.proto == proto }?.hostPort
    }

    /// Closes the sockets (idempotent).
    public func close() {
        let fds = sockets.withLock { fds in
            defer { fds = [] }
            return fds
        }
        for fd in fds { _ = Glibc.close(fd) }
    }

    deinit { close() }
}
