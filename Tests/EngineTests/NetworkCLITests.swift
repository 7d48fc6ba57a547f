import Foundation
import Testing

/// Networks end to end through the CLI, with stackd in the test's own network namespace:
/// name resolution and traffic between containers, isolation, static addresses, internal
/// networks, `container:` mode, published ports, upstream forwarding, restarts, clean-up.
@Suite(.enabled(if: EngineHarness.privileged, "needs root and busybox-static"))
struct NetworkCLITests {
    /// A web server container answering "hello from NAME" on port 80.
    func runWeb(_ engine: EngineHarness, name: String, _ extra: [String]) throws -> EngineHarness.Result {
        try engine.stack(
            ["container", "run", "-d", "--name", name] + extra + [
                engine.image, "sh", "-c", "mkdir -p /www && echo hello from \(name) > /www/index.html && exec httpd -f -p 80 -h /www",
            ])
    }

    /// An HTTP GET from a new container on `network` (busybox nc: busybox wget crashes on this host).
    func fetch(_ engine: EngineHarness, network: String, host: String, timeout: Int = 5) throws -> EngineHarness.Result {
        try engine.stack([
            "container", "run", "--rm", "--network", network, engine.image, "sh", "-c",
            "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w \(timeout) \(host) 80",
        ])
    }

    /// An HTTP GET from stackd's namespace (the "host" of this test), with curl.
    func curl(_ engine: EngineHarness, _ url: String) throws -> EngineHarness.Result {
        try engine.inNetns("/usr/bin/curl", ["-s", "-m", "5", url])
    }

    /// The subnet of the network as `network inspect` reports it.
    func networkSubnet(_ engine: EngineHarness, _ network: String) throws -> String {
        let inspect = try engine.stack(["network", "inspect", network])
        let objects = try JSONSerialization.jsonObject(with: Data(inspect.stdout.utf8)) as? [[String: Any]]
        let config = ((objects?.first?["IPAM"] as? [String: Any])?["Config"] as? [[String: Any]])?.first
        return config?["Subnet"] as? String ?? ""
    }

    func gateway(_ engine: EngineHarness, _ network: String) throws -> String {
        let inspect = try engine.stack(["network", "inspect", network])
        let objects = try JSONSerialization.jsonObject(with: Data(inspect.stdout.utf8)) as? [[String: Any]]
        let config = ((objects?.first?["IPAM"] as? [String: Any])?["Config"] as? [[String: Any]])?.first
        return config?["Gateway"] as? String ?? ""
    }

    @Test func containersResolveEachOtherAndTalkOnlyWithinTheirNetwork() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        #expect(try engine.stack(["network", "create", "app"]).status == 0)
        #expect(try engine.stack(["network", "create", "other"]).status == 0)
        let web = try runWeb(engine, name: "web", ["--network", "app", "--network-alias", "www", "-l", "com.docker.compose.service=frontend"])
        #expect(web.status == 0, "\(web)")
        for name in ["web", "www", "frontend"] {
            let fetched = try fetch(engine, network: "app", host: name)
            #expect(fetched.stdout.hasSuffix("\r\n\r\nhello from web\n"), "\(name): \(fetched)")
        }
        let resolved = try engine.stack(["container", "run", "--rm", "--network", "app", engine.image, "nslookup", "web"])
        #expect(resolved.status == 0 && resolved.stdout.contains("Address"), "\(resolved)")
        // From another network: no name, and no route through.
        let unresolved = try engine.stack(["container", "run", "--rm", "--network", "other", engine.image, "nslookup", "web"])
        #expect(unresolved.status != 0 || unresolved.stdout.contains("NXDOMAIN") || unresolved.stdout.contains("can't find"), "\(unresolved)")
        let inspect = try engine.stack(["container", "inspect", "web"])
        let address = try #require(
            inspect.stdout.range(of: #""IPAddress" : "([0-9.]+)""#, options: .regularExpression).map {
                String(inspect.stdout[$0]).split(separator: "\"")[2]
            })
        let blocked = try fetch(engine, network: "other", host: String(address), timeout: 2)
        #expect(!blocked.stdout.contains("hello"), "\(blocked)")
        // The container's resolv.conf names its gateway; it has a default route through it.
        let resolv = try engine.stack(["container", "exec", "web", "cat", "/etc/resolv.conf"])
        #expect(resolv.stdout.hasPrefix("nameserver \(try gateway(engine, "app"))\n"), "\(resolv)")
    }

    @Test func staticAddressInternalNetworkAndContainerMode() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        let base = engine.addressPool.split(separator: ".").prefix(2).joined(separator: ".")
        let subnet = "\(base).250.0/24"
        #expect(try engine.stack(["network", "create", "--internal", "--subnet", subnet, "private"]).status == 0)
        let run = try engine.stack(
            ["container", "run", "-d", "--name", "fixed", "--network", "private", "--ip", "\(base).250.77", engine.image, "sleep", "60"])
        #expect(run.status == 0, "\(run)")
        let addresses = try engine.stack(["container", "exec", "fixed", "ip", "-4", "addr", "show", "eth0"])
        #expect(addresses.stdout.contains("\(base).250.77/24"), "\(addresses)")
        let routes = try engine.stack(["container", "exec", "fixed", "ip", "route"])
        #expect(!routes.stdout.contains("default"), "an internal network has no default route: \(routes)")
        // A restart right away gets the same address (the old veth may still be on its way out).
        #expect(try engine.stack(["container", "restart", "-t", "0", "fixed"]).status == 0)
        let again = try engine.stack(["container", "exec", "fixed", "ip", "-4", "addr", "show", "eth0"])
        #expect(again.stdout.contains("\(base).250.77/24"), "\(again)")
        // The address is taken: a second container cannot have it.
        let taken = try engine.stack(
            ["container", "run", "--rm", "--network", "private", "--ip", "\(base).250.77", engine.image, "true"])
        #expect(taken.status != 0 && taken.stderr.contains("\(base).250.77"), "\(taken)")
        // container: mode shares the namespace (same address).
        let shared = try engine.stack(["container", "run", "--rm", "--network", "container:fixed", engine.image, "ip", "-4", "addr"])
        #expect(shared.stdout.contains("\(base).250.77/24"), "\(shared)")
        // A network without --internal gets a default route and masquerading.
        #expect(try engine.stack(["network", "create", "open"]).status == 0)
        let open = try engine.stack(["container", "run", "--rm", "--network", "open", engine.image, "ip", "route"])
        #expect(open.stdout.contains("default via \(try gateway(engine, "open"))"), "\(open)")
        let rules = try engine.inNetns("/usr/sbin/nft", ["list", "table", "ip", engine.networkPrefix])
        #expect(rules.stdout.contains("masquerade"), "\(rules)")
        #expect(rules.stdout.contains(try networkSubnet(engine, "open")), "\(rules)")
    }

    @Test func publishedPortsAnswerOnLoopbackAndTheBridgeAddress() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        let port = Int.random(in: 20000...29000)
        let web = try runWeb(engine, name: "pub", ["-p", "\(port):80", "-p", "127.0.0.1::80"])
        #expect(web.status == 0, "\(web)")
        let loopback = try curl(engine, "http://127.0.0.1:\(port)/")
        #expect(loopback.stdout == "hello from pub\n", "\(loopback)")
        let bridgeSide = try gateway(engine, "bridge")
        let viaBridge = try curl(engine, "http://\(bridgeSide):\(port)/")
        #expect(viaBridge.stdout == "hello from pub\n", "\(viaBridge)")
        let ports = try engine.stack(["container", "port", "pub"])
        #expect(ports.stdout.contains("80/tcp -> 0.0.0.0:\(port)"), "\(ports)")
        #expect(ports.stdout.contains("80/tcp -> 127.0.0.1:"), "\(ports)")
        let random = try #require(ports.stdout.split(separator: "\n").first { $0.contains("127.0.0.1:") }?.split(separator: ":").last)
        let viaRandom = try curl(engine, "http://127.0.0.1:\(random)/")
        #expect(viaRandom.stdout == "hello from pub\n", "\(viaRandom)")
        // The same port again: a clear error, and the container does not run.
        let clash = try runWeb(engine, name: "clash", ["-p", "\(port):80"])
        #expect(clash.status != 0 && clash.stderr.contains("\(port)"), "\(clash)")
        let running = try engine.stack(["container", "ls", "-q"])
        #expect(running.stdout.split(separator: "\n").count == 1, "\(running)")
    }

    @Test func upstreamForwardingAndDNSAcrossADaemonRestart() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        // A fake upstream on the namespace's loopback answering one name.
        let upstreamPort = Int.random(in: 30000...39000)
        let script = """
            import socket, struct, sys
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.bind(('127.0.0.1', int(sys.argv[1])))
            while True:
                data, peer = s.recvfrom(4096)
                qid = data[:2]; q = data[12:]
                end = q.index(0) + 5
                answer = b'\\xc0\\x0c' + struct.pack('>HHIH', 1, 1, 30, 4) + bytes([192, 0, 2, 7])
                s.sendto(qid + b'\\x81\\x80' + struct.pack('>HHHH', 1, 1, 0, 0) + q[:end] + answer, peer)
            """
        let upstream = Process()
        upstream.executableURL = URL(fileURLWithPath: "/usr/bin/nsenter")
        upstream.arguments = ["--net=\(engine.netns)", "/usr/bin/python3", "-c", script, "\(upstreamPort)"]
        try upstream.run()
        // SIGKILL: the child inherits the test thread's blocked signals, SIGTERM would wait.
        defer { kill(upstream.processIdentifier, SIGKILL); upstream.waitUntilExit() }
        // The image import started stackd; the next one reads the setting.
        if let first = engine.daemonPid {
            kill(first, SIGTERM)
            #expect(engine.eventually { kill(first, 0) != 0 })
        }
        engine.daemonEnvironment["STACK_DNS_UPSTREAM"] = "127.0.0.1:\(upstreamPort)"
        #expect(try engine.stack(["network", "create", "dnsnet"]).status == 0)
        #expect(try runWeb(engine, name: "named", ["--network", "dnsnet"]).status == 0)
        let forwarded = try engine.stack(["container", "run", "--rm", "--network", "dnsnet", engine.image, "nslookup", "outside.example"])
        #expect(forwarded.stdout.contains("192.0.2.7"), "\(forwarded)")
        // Restart stackd: the names answer again once it is back.
        let daemon = try #require(engine.daemonPid)
        kill(daemon, SIGKILL)
        #expect(engine.eventually { kill(daemon, 0) != 0 })
        let again = try fetch(engine, network: "dnsnet", host: "named")
        #expect(again.stdout.hasSuffix("hello from named\n"), "\(again)")
        #expect(engine.daemonPid != daemon)
    }

    @Test func nothingIsLeftAfterContainersAndNetworksAreRemoved() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        #expect(try engine.stack(["network", "create", "tmp"]).status == 0)
        #expect(try runWeb(engine, name: "alpha", ["--network", "tmp", "-p", "\(Int.random(in: 40000...49000)):80"]).status == 0)
        #expect(try runWeb(engine, name: "beta", []).status == 0)
        let connect = try engine.stack(["network", "connect", "tmp", "beta"])
        #expect(connect.status == 0, "\(connect)")
        let links = try engine.inNetns("/usr/sbin/ip", ["-o", "link"])
        #expect(links.stdout.contains(engine.networkPrefix + "-"), "\(links)")
        #expect(try engine.stack(["container", "rm", "-f", "alpha", "beta"]).status == 0)
        #expect(try engine.stack(["network", "rm", "tmp"]).status == 0)
        // Stopping the daemon takes the idle default bridge and the rules with it.
        if let pid = engine.daemonPid {
            kill(pid, SIGTERM)
            #expect(engine.eventually { kill(pid, 0) != 0 })
        }
        let after = try engine.inNetns("/usr/sbin/ip", ["-o", "link"])
        #expect(after.stdout.split(separator: "\n").count == 1, "only lo is left: \(after)")
        let table = try engine.inNetns("/usr/sbin/nft", ["list", "ruleset"])
        #expect(!table.stdout.contains("table ip \(engine.networkPrefix)"), "\(table)")
        let mounts = try String(contentsOfFile: "/proc/self/mounts", encoding: .utf8)
        #expect(!mounts.contains(engine.run + "/netns"))
        let processes = try engine.inNetns("/bin/busybox", ["pgrep", "-f", engine.directory + "/root/containers"])
        #expect(processes.stdout.isEmpty, "\(processes)")
    }
}
