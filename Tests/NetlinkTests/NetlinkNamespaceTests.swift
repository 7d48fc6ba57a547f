import CRuntime
import Foundation
import Netlink
import StackCore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Runs `body` on a thread of its own that first moves into a new, anonymous network namespace
/// (unshare(CLONE_NEWNET) affects only the calling thread). The thread ends afterwards, so the
/// namespace — and every link made in it — goes with it; the host's links are never touched.
private final class Outcome<T>: @unchecked Sendable {
    var result: Result<T, any Error>?
    init() {}
}

private func inNewNetworkNamespace<T: Sendable>(_ body: @escaping @Sendable () throws -> T) throws -> T {
    let outcome = Outcome<T>()
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
        defer { done.signal() }
        let status = cr_sys_unshare(cloneNewNet)
        guard status == 0 else {
            outcome.result = .failure(StackError(.system, "unshare(CLONE_NEWNET): errno \(-status)"))
            return
        }
        outcome.result = Result { try body() }
    }
    thread.start()
    done.wait()
    guard let result = outcome.result else { throw StackError(.internalError, "namespace thread gave no result") }
    return try result.get()
}

private let cloneNewNet: Int32 = 0x4000_0000  // CLONE_NEWNET

private func runObserver(_ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/nsenter")
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}

/// What the namespace looked like, read back over netlink and through `ip -d link` as an observer.
private struct Observed: Sendable {
    var links: [NetlinkLink] = []
    var peerLinks: [NetlinkLink] = []
    var bridgeAddresses: [NetlinkAddress] = []
    var routes: [NetlinkRoute] = []
    var duplicateError: StackError?
    var ipLink = ""
    var routesAfterDelete: [NetlinkRoute] = []
    var bridgeAddressesAfterDelete: [NetlinkAddress] = []
    var peerLinksAfterMove: [String] = []
    var linksAfterDelete: [String] = []
    var peerLinksAfterDelete: [String] = []
}

@Suite(.serialized, .enabled(if: getuid() == 0, "needs root for network namespaces"))
struct NetlinkNamespaceTests {
    @Test func bridgeVethAddressesRoutesInFreshNamespaces() throws {
        let observed = try inNewNetworkNamespace { () throws -> Observed in
            var observed = Observed()
            let home = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC)
            guard home >= 0 else { throw StackError(.system, "open own netns: errno \(errno)") }
            defer { close(home) }
            // A second namespace for the veth peer; back home right after.
            guard cr_sys_unshare(cloneNewNet) == 0 else { throw StackError(.system, "second unshare failed") }
            let peer = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC)
            guard peer >= 0 else { throw StackError(.system, "open peer netns: errno \(errno)") }
            defer { close(peer) }
            let peerSession = try NetlinkSession()
            guard cr_sys_setns(home, cloneNewNet) == 0 else { throw StackError(.system, "setns home failed") }
            let session = try NetlinkSession()

            try session.linkAddBridge(name: "br-nltest")
            do {
                try session.linkAddBridge(name: "br-nltest")
            } catch {
                observed.duplicateError = error as? StackError
            }
            try session.linkAddVeth(name: "ve-nltest", peer: "vp-nltest", peerNamespaceFD: peer)
            try session.linkSetMaster("ve-nltest", master: "br-nltest")
            try session.linkSetMTU("ve-nltest", mtu: 1400)
            try session.linkSetUp("lo")
            try session.linkSetUp("br-nltest")
            try session.linkSetUp("ve-nltest")
            try peerSession.linkSetName("vp-nltest", to: "eth0")
            try peerSession.linkSetUp("eth0")
            try session.addressAdd("br-nltest", cidr: try #require(CIDR("172.30.9.1/24")))
            try session.addressAdd("br-nltest", cidr: try #require(CIDR("fd00:30:9::1/64")))
            try session.routeAddDefault(gateway: try #require(IPAddress("172.30.9.254")))

            observed.links = try session.links()
            observed.peerLinks = try peerSession.links()
            observed.bridgeAddresses = try session.addresses(link: "br-nltest")
            observed.routes = try session.routes()
            observed.ipLink = try runObserver(["--net=/proc/\(getpid())/fd/\(home)", "ip", "-d", "link", "show"])

            try session.routeDeleteDefault(gateway: try #require(IPAddress("172.30.9.254")))
            observed.routesAfterDelete = try session.routes()
            try session.addressDelete("br-nltest", cidr: try #require(CIDR("fd00:30:9::1/64")))
            observed.bridgeAddressesAfterDelete = try session.addresses(link: "br-nltest")
            try session.linkAddVeth(name: "vx-nltest", peer: "vy-nltest")
            try session.linkSetNamespace("vy-nltest", namespaceFD: peer)
            observed.peerLinksAfterMove = try peerSession.links().map(\.name)

            try session.linkDelete("vx-nltest")
            try session.linkDelete("ve-nltest")
            try session.linkDelete("br-nltest")
            observed.linksAfterDelete = try session.links().map(\.name)
            observed.peerLinksAfterDelete = try peerSession.links().map(\.name)
            return observed
        }

        let bridge = try #require(observed.links.first { $0.name == "br-nltest" })
        let veth = try #require(observed.links.first { $0.name == "ve-nltest" })
        #expect(bridge.kind == "bridge")
        #expect(bridge.isUp)
        #expect(veth.kind == "veth")
        #expect(veth.isUp)
        #expect(veth.masterIndex == bridge.index)
        #expect(veth.mtu == 1400)
        #expect(!observed.links.contains { $0.name == "vp-nltest" || $0.name == "eth0" })
        let moved = try #require(observed.peerLinks.first { $0.name == "eth0" })
        #expect(moved.kind == "veth")
        #expect(moved.isUp)

        let duplicate = try #require(observed.duplicateError)
        #expect(duplicate.code == .conflict)
        #expect(duplicate.description.hasPrefix("netlink: add link br-nltest"))
        #expect(duplicate.description.hasSuffix("EEXIST (File exists)"))

        #expect(Set(observed.bridgeAddresses.map(\.cidr)).isSuperset(of: [CIDR("172.30.9.1/24"), CIDR("fd00:30:9::1/64")]))
        #expect(observed.bridgeAddresses.allSatisfy { $0.linkIndex == bridge.index })
        let defaults = observed.routes.filter { $0.isDefault && $0.table == 254 && $0.family == NetlinkConstant.familyIPv4 }
        #expect(defaults.count == 1)
        #expect(defaults.first?.gateway == IPAddress("172.30.9.254"))
        #expect(defaults.first?.outputIndex == bridge.index)
        #expect(observed.routes.contains { $0.destination == CIDR("172.30.9.0/24") && $0.outputIndex == bridge.index })

        #expect(observed.ipLink.contains("br-nltest:"))
        #expect(observed.ipLink.contains("ve-nltest@"))
        #expect(observed.ipLink.contains("master br-nltest"))
        #expect(observed.ipLink.contains("bridge forward_delay"))

        #expect(!observed.routesAfterDelete.contains { $0.isDefault && $0.family == NetlinkConstant.familyIPv4 })
        #expect(observed.bridgeAddressesAfterDelete.contains { $0.cidr == CIDR("172.30.9.1/24") })
        #expect(!observed.bridgeAddressesAfterDelete.contains { $0.cidr == CIDR("fd00:30:9::1/64") })
        #expect(observed.peerLinksAfterMove.sorted() == ["eth0", "lo", "vy-nltest"])

        #expect(observed.linksAfterDelete == ["lo"])
        #expect(observed.peerLinksAfterDelete == ["lo"])
    }
}
