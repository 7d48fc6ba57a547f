import LinuxOS
import Netlink
import StackCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Bridges and the veth pairs that connect container namespaces to them, over rtnetlink.
/// The session's namespace is "the host" (stackd's namespace); containers' namespaces are named by
/// the files `NetworkNamespace` binds them on.
public struct BridgeDriver {
    public let session: NetlinkSession

    /// `session`: a netlink session in stackd's network namespace.
    public init(session: NetlinkSession) { self.session = session }

    /// Makes sure the bridge `name` exists, carries `gateway` (the gateway address with the
    /// subnet's prefix, e.g. 172.18.0.1/16), has `mtu` when given, and is up. Idempotent; an
    /// existing link of that name that is not a bridge is a `.conflict`.
    public func ensureBridge(name: String, gateway: CIDR, mtu: UInt32?) throws(StackError) {
        var bridge = try existingLink(name)
        if bridge == nil {
            do {
                try session.linkAddBridge(name: name)
            } catch where error.code == .conflict {
                // Made meanwhile by someone else: checked below like any existing link.
            }
            bridge = try session.link(name: name)
        }
        guard let bridge else { throw StackError(.internalError, "bridge \(name) vanished after its creation") }
        guard bridge.kind == "bridge" else {
            throw StackError(.conflict, "link \(name) exists and is not a bridge (kind \(bridge.kind ?? "none"))")
        }
        if let mtu, bridge.mtu != mtu { try session.linkSetMTU(name, mtu: mtu) }
        let addresses = try session.addresses(link: name)
        if !addresses.contains(where: { $0.cidr == gateway }) {
            do {
                try session.addressAdd(name, cidr: gateway)
            } catch where error.code == .conflict {
                // Already there (added meanwhile).
            }
        }
        if !bridge.isUp { try session.linkSetUp(name) }
    }

    /// Deletes the bridge (its addresses and routes go with it). Quiet when absent.
    public func removeBridge(name: String) throws(StackError) {
        do {
            try session.linkDelete(name)
        } catch where error.code == .notFound {
        }
    }

    /// Connects the namespace bound at `namespacePath` to `bridge`: a veth pair whose host end
    /// `hostName` is enslaved to the bridge and up, and whose peer is created directly inside the
    /// namespace as `interface` (so it never exists under that name in stackd's namespace), with
    /// `macAddress` (e.g. 02:42:ac:11:00:02) when given, `address` (the container address with the
    /// subnet's prefix), up, and a default route via `gateway` when given. The veth gets the
    /// bridge's MTU when that is not 1500. On failure the pair is deleted again.
    public func attach(bridge: String, hostName: String, namespacePath: String, interface: String,
                       address: CIDR, macAddress: String?, gateway: IPAddress?) throws(StackError) {
        let mac = try macAddress.map { (text) throws(StackError) -> [UInt8] in
            guard let bytes = HardwareAddress.parse(text) else {
                throw StackError(.invalidArgument, "invalid MAC address \(text)")
            }
            return bytes
        }
        let bridgeLink = try session.link(name: bridge)
        let namespaceFD = try syscall("open \(namespacePath)") { open(namespacePath, O_RDONLY | O_CLOEXEC) }
        defer { close(namespaceFD) }
        try session.linkAddVeth(name: hostName, peer: interface, peerNamespaceFD: namespaceFD)
        do {
            let mtu = bridgeLink.mtu.flatMap { $0 == 1500 ? nil : $0 }
            if let mtu { try session.linkSetMTU(hostName, mtu: mtu) }
            try session.linkSetMaster(hostName, master: bridge)
            try session.linkSetUp(hostName)
            let inside = try NetworkNamespace.session(at: namespacePath)
            if let mtu { try inside.linkSetMTU(interface, mtu: mtu) }
            if let mac { try inside.linkSetHardwareAddress(interface, address: mac) }
            try inside.addressAdd(interface, cidr: address)
            try inside.linkSetUp(interface)
            if let gateway { try inside.routeAddDefault(gateway: gateway, device: interface) }
        } catch {
            try? session.linkDelete(hostName)
            throw error
        }
    }

    /// Deletes the veth pair by its host end (the peer inside the container goes with it).
    /// Quiet when it is gone already (e.g. its namespace was destroyed).
    public func detach(hostName: String) throws(StackError) {
        do {
            try session.linkDelete(hostName)
        } catch where error.code == .notFound {
        }
    }

    /// The links of stackd's namespace whose names start with `prefix` (for reconciliation).
    public func links(prefix: String) throws(StackError) -> [NetlinkLink] {
        try session.links().filter { $0.name.hasPrefix(prefix) }
    }

    private func existingLink(_ name: String) throws(StackError) -> NetlinkLink? {
        do {
            return try session.link(name: name)
        } catch where error.code == .notFound {
            return nil
        }
    }
}
