import StackCore

/// iproute2-shaped verbs over a `NetlinkSocket`. Every call is one request (plus a name → index
/// look-up where the kernel wants an index); errors name the operation and the errno.
public struct NetlinkSession {
    public let socket: any NetlinkSocket

    public init(socket: any NetlinkSocket) { self.socket = socket }

    /// A session over a new NETLINK_ROUTE socket in the calling thread's network namespace.
    public init() throws(StackError) { self.init(socket: try RouteNetlinkSocket()) }

    /// Creates a bridge.
    public func linkAddBridge(name: String) throws(StackError) {
        _ = try socket.exchange(NetlinkRequest.addBridge(name: name), operation: "add link \(name)")
    }

    /// Creates a veth pair; the peer lands in the namespace of `peerNamespaceFD` when given.
    public func linkAddVeth(name: String, peer: String, peerNamespaceFD: Int32? = nil) throws(StackError) {
        _ = try socket.exchange(NetlinkRequest.addVeth(name: name, peer: peer, peerNamespaceFD: peerNamespaceFD),
            operation: "add veth \(name) peer \(peer)")
    }

    /// Enslaves `name` to the bridge `master`.
    public func linkSetMaster(_ name: String, master: String) throws(StackError) {
        let masterIndex = try linkIndex(name: master)
        _ = try socket.exchange(NetlinkRequest.setMaster(name: name, masterIndex: masterIndex),
            operation: "set link \(name) master \(master)")
    }

    public func linkSetUp(_ name: String) throws(StackError) {
        _ = try socket.exchange(NetlinkRequest.setUp(name: name, up: true), operation: "set link \(name) up")
    }

    public func linkSetDown(_ name: String) throws(StackError) {
        _ = try socket.exchange(NetlinkRequest.setUp(name: name, up: false), operation: "set link \(name) down")
    }

    public func linkSetMTU(_ name: String, mtu: UInt32) throws(StackError) {
        _ = try socket.exchange(NetlinkRequest.setMTU(name: name, mtu: mtu), operation: "set link \(name) mtu \(mtu)")
    }

    /// Moves a link into the network namespace open at `namespaceFD` (e.g. a container's /proc/PID/ns/net).
    public func linkSetNamespace(_ name: String, namespaceFD: Int32) throws(StackError) {
        _ = try socket.exchange(NetlinkRequest.setNamespace(name: name, namespaceFD: namespaceFD),
            operation: "set link \(name) netns fd \(namespaceFD)")
    }

    /// Renames a link (the kernel refuses while it is up: EBUSY).
    public func linkSetName(_ name: String, to newName: String) throws(StackError) {
        let index = try linkIndex(name: name)
        _ = try socket.exchange(NetlinkRequest.setName(index: index, to: newName),
            operation: "set link \(name) name \(newName)")
    }

    /// Deletes a link (for a veth, both ends go).
    public func linkDelete(_ name: String) throws(StackError) {
        _ = try socket.exchange(NetlinkRequest.deleteLink(name: name), operation: "delete link \(name)")
    }

    /// The link's index; a missing link is a `.notFound` error (ENODEV).
    public func linkIndex(name: String) throws(StackError) -> Int32 {
        try link(name: name).index
    }

    /// One link by name.
    public func link(name: String) throws(StackError) -> NetlinkLink {
        let replies = try socket.exchange(NetlinkRequest.getLink(name: name), operation: "get link \(name)")
        guard let reply = replies.first(where: { $0.type == NetlinkConstant.newLink }) else {
            throw StackError(.system, "netlink: get link \(name): no RTM_NEWLINK in the reply")
        }
        return try NetlinkLink(reply)
    }

    /// Every link in the namespace.
    public func links() throws(StackError) -> [NetlinkLink] {
        var links: [NetlinkLink] = []
        for reply in try socket.exchange(NetlinkRequest.dumpLinks(), operation: "dump links")
        where reply.type == NetlinkConstant.newLink {
            links.append(try NetlinkLink(reply))
        }
        return links
    }

    /// Adds `cidr` (e.g. 172.28.0.1/16) to the link.
    public func addressAdd(_ name: String, cidr: CIDR) throws(StackError) {
        let index = try linkIndex(name: name)
        _ = try socket.exchange(NetlinkRequest.addAddress(index: index, cidr: cidr),
            operation: "add address \(cidr) dev \(name)")
    }

    /// Removes `cidr` from the link.
    public func addressDelete(_ name: String, cidr: CIDR) throws(StackError) {
        let index = try linkIndex(name: name)
        _ = try socket.exchange(NetlinkRequest.deleteAddress(index: index, cidr: cidr),
            operation: "delete address \(cidr) dev \(name)")
    }

    /// The addresses of one link (by name), or of every link.
    public func addresses(link name: String? = nil) throws(StackError) -> [NetlinkAddress] {
        let index = try name.map { (name) throws(StackError) in try linkIndex(name: name) }
        var addresses: [NetlinkAddress] = []
        for reply in try socket.exchange(NetlinkRequest.dumpAddresses(), operation: "dump addresses")
        where reply.type == NetlinkConstant.newAddress {
            let address = try NetlinkAddress(reply)
            if index == nil || address.linkIndex == index { addresses.append(address) }
        }
        return addresses
    }

    /// Adds a default route via `gateway` (optionally pinned to `device`) to the main table.
    public func routeAddDefault(gateway: IPAddress, device: String? = nil) throws(StackError) {
        let index = try device.map { (device) throws(StackError) in try linkIndex(name: device) }
        _ = try socket.exchange(NetlinkRequest.addDefaultRoute(gateway: gateway, outputIndex: index),
            operation: "add default route via \(gateway)")
    }

    /// Removes the main table's default route via `gateway`.
    public func routeDeleteDefault(gateway: IPAddress) throws(StackError) {
        _ = try socket.exchange(NetlinkRequest.deleteDefaultRoute(gateway: gateway),
            operation: "delete default route via \(gateway)")
    }

    /// Every route of every table and family.
    public func routes() throws(StackError) -> [NetlinkRoute] {
        var routes: [NetlinkRoute] = []
        for reply in try socket.exchange(NetlinkRequest.dumpRoutes(), operation: "dump routes")
        where reply.type == NetlinkConstant.newRoute {
            routes.append(try NetlinkRoute(reply))
        }
        return routes
    }
}
