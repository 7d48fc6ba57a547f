import Foundation
import Netlink
import Networking
import StackCore
import Testing

@Suite(.serialized, .enabled(if: NamespaceFixture.isRoot, "needs root for network namespaces"))
struct NetworkNamespaceTests {
    @Test func createBindsANewNamespaceWithLoopbackUpAndRemoveLeavesNothing() throws {
        let fixture = try NamespaceFixture("dp-ns")
        let path = fixture.directory + "/c1"
        let ownInode = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/net")

        try NetworkNamespace.create(at: path)
        #expect(try NamespaceFixture.mountPoints().contains(path))
        #expect(NetworkNamespace.isNamespaceFile(path))
        // Another namespace than ours: nsenter sees its own lo only, and it is up.
        let links = try NetworkNamespace.session(at: path).links()
        #expect(links.map(\.name) == ["lo"])
        #expect(links.first?.isUp == true)
        let inode = try NamespaceFixture.inside(path, ["/bin/busybox", "readlink", "/proc/self/ns/net"]).output
        #expect(inode.hasPrefix("net:["))
        #expect(!inode.contains(ownInode))
        // The caller's thread stayed at home.
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self/ns/net") == ownInode)

        do {
            try NetworkNamespace.create(at: path)
            Issue.record("a second namespace was bound on \(path)")
        } catch {
            #expect(error.code == .conflict)
        }
        #expect(try NamespaceFixture.mountPoints().filter { $0 == path }.count == 1)

        NetworkNamespace.remove(at: path)
        #expect(try !NamespaceFixture.mountPoints().contains(path))
        #expect(!FileManager.default.fileExists(atPath: path))
        NetworkNamespace.remove(at: path)  // quiet when absent
    }

    @Test func createFailsCleanlyWhereNoFileCanBeMade() throws {
        let path = "/nonexistent-stack-dir/c1"
        #expect(throws: StackError.self) { try NetworkNamespace.create(at: path) }
        #expect(try !NamespaceFixture.mountPoints().contains(path))
    }

    @Test func performRunsInsideAndSessionsWorkFromAnyThread() throws {
        let fixture = try NamespaceFixture("dp-perform")
        let path = try fixture.namespace("n1")
        let inside = try NetworkNamespace.perform(in: path) { () throws(StackError) -> String in
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self/ns/net")) ?? ""
        }
        let expected = try NamespaceFixture.inside(path, ["/bin/busybox", "readlink", "/proc/self/ns/net"]).output
        #expect(inside + "\n" == expected)

        // A session made in the namespace creates links there, not here.
        let session = try NetworkNamespace.session(at: path)
        try session.linkAddBridge(name: "dpt-perf0")
        let listed = try NamespaceFixture.inside(path, ["/usr/sbin/ip", "-o", "link", "show", "dpt-perf0"])
        #expect(listed.status == 0)
        #expect(listed.output.contains("dpt-perf0"))
        #expect(try NamespaceFixture.run("/usr/sbin/ip", ["-o", "link", "show", "dpt-perf0"]).status != 0)
    }

    @Test func ipForwardingIsPerNamespace() throws {
        let fixture = try NamespaceFixture("dp-fwd")
        let path = try fixture.namespace("n1")
        let hostBefore = try String(contentsOfFile: "/proc/sys/net/ipv4/ip_forward", encoding: .utf8)
        // A new namespace inherits the host's IPv4 settings (net.core.devconf_inherit_init_net = 0),
        // so start it from "off" explicitly.
        let before = try NetworkNamespace.perform(in: path) { () throws(StackError) -> Bool in
            try FileSystemProbe.write("/proc/sys/net/ipv4/ip_forward", "0")
            return IPForwarding.isEnabled
        }
        #expect(!before)
        let after = try NetworkNamespace.perform(in: path) { () throws(StackError) -> Bool in
            try IPForwarding.enable()
            try IPForwarding.enable()  // idempotent
            return IPForwarding.isEnabled
        }
        #expect(after)
        #expect(try NamespaceFixture.inside(path, ["/bin/cat", "/proc/sys/net/ipv4/ip_forward"]).output == "1\n")
        #expect(try String(contentsOfFile: "/proc/sys/net/ipv4/ip_forward", encoding: .utf8) == hostBefore)
    }
}

/// Writing a /proc/sys value from inside a namespace (the calling thread's).
enum FileSystemProbe {
    static func write(_ path: String, _ value: String) throws(StackError) {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw StackError(.system, "open \(path): errno \(errno)") }
        defer { close(fd) }
        let bytes = Array(value.utf8)
        guard bytes.withUnsafeBytes({ Glibc.write(fd, $0.baseAddress, $0.count) }) == bytes.count else {
            throw StackError(.system, "write \(path): errno \(errno)")
        }
    }
}
