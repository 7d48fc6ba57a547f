import Foundation
import Testing

/// The bundled example stacks, brought up from their own directories (as a user would) against a
/// private engine, each under the test's own project name and a random published port: what they
/// serve through the published port, DNS across their two networks, one-shots run once, a second
/// `up -d` that touches nothing, and `down -v` leaving nothing behind.
@Suite(.enabled(if: EngineHarness.privileged, "needs root and busybox-static"))
struct ExampleStacksCLITests {
    /// `examples/NAME` of this checkout.
    static func example(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples/" + name).path
    }

    /// One example stack under test: `stack` runs in its directory with the engine's environment,
    /// the harness's image for `STACK_EXAMPLE_IMAGE`, and `variables`.
    struct Example {
        let engine: EngineHarness
        let directory: String
        let project: String
        let variables: [String: String]

        @discardableResult
        func stack(_ arguments: [String]) throws -> EngineHarness.Result {
            var environment = engine.environment
            environment["STACK_EXAMPLE_IMAGE"] = engine.image
            for (key, value) in variables { environment[key] = value }
            // The CLI starts in the example's directory; its output files stay in the test's.
            return try EngineHarness.execute(
                "/bin/sh", ["-c", "cd \"$1\" && shift && exec \"$0\" \"$@\"", EngineHarness.binaries + "/stack", directory]
                    + ["-p", project] + arguments,
                environment: environment, directory: engine.directory)
        }

        /// `ps -a --format json`, one dictionary per container.
        func containers() throws -> [[String: Any]] {
            let ps = try stack(["ps", "-a", "--format", "json"])
            return try JSONSerialization.jsonObject(with: Data(ps.stdout.utf8)) as? [[String: Any]] ?? []
        }

        /// The project's container ids, sorted.
        func ids() throws -> [String] {
            try stack(["ps", "-a", "-q"]).stdout.split(separator: "\n").map(String.init).sorted()
        }

        /// curl in the engine's network namespace: the HTTP status line's code and the body.
        func curl(_ port: Int, _ path: String, _ options: [String] = []) throws -> (code: String, body: String) {
            let result = try engine.inNetns(
                "/usr/bin/curl", ["-sS", "--max-time", "10", "-w", "\n%{http_code}"] + options + ["http://127.0.0.1:\(port)\(path)"])
            var lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let code = lines.popLast() ?? ""
            return (code, lines.joined(separator: "\n"))
        }

        /// `down -v` and the check that the project left no container, network, volume, bridge or veth.
        func downLeavesNothing() throws {
            let prefix = engine.networkPrefix
            let before = try engine.inNetns("/usr/sbin/ip", ["-o", "link", "show"]).stdout
            #expect(before.contains(": \(prefix)-") && before.contains(": \(prefix)v"), "the stack's bridges and veths: \(before)")
            let down = try stack(["down", "-v", "-t", "2"])
            #expect(down.status == 0, "\(down)")
            #expect(try engine.stack(["container", "ls", "-aq"]).stdout.isEmpty)
            #expect(try engine.stack(["network", "ls", "-q", "--filter", "name=\(project)"]).stdout.isEmpty)
            #expect(try engine.stack(["volume", "ls", "-q"]).stdout.isEmpty)
            // In the kernel: no network's bridge (PREFIX-…) and no container's veth (PREFIXv…) is left.
            let links = try engine.inNetns("/usr/sbin/ip", ["-o", "link", "show"]).stdout
            #expect(!links.contains(": \(prefix)-") && !links.contains(": \(prefix)v"), "\(links)")
        }
    }

    @Test func guestbook() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        let port = Int.random(in: 20000...29999)
        let book = Example(
            engine: engine, directory: Self.example("guestbook"), project: "gbtest",
            variables: ["GUESTBOOK_PORT": "\(port)"])
        let up = try book.stack(["up", "--wait", "--wait-timeout", "60"])
        #expect(up.status == 0, "\(up)")
        let rows = try book.containers()
        func row(_ service: String) -> [String: Any]? { rows.first { $0["Service"] as? String == service } }
        #expect(Set(rows.compactMap { $0["Service"] as? String }) == ["web", "api", "data", "seed"], "\(rows)")
        #expect(row("api")?["Health"] as? String == "healthy", "\(rows)")
        #expect(row("web")?["State"] as? String == "running", "\(rows)")
        for oneShot in ["data", "seed"] {
            #expect(row(oneShot)?["State"] as? String == "exited" && row(oneShot)?["ExitCode"] as? Int == 0, "\(rows)")
        }

        // Through the published port: web's CGI asks api, by name on the back network.
        let page = try book.curl(port, "/")
        #expect(page.code == "200" && page.body.contains("<form method=\"post\""), "\(page)")
        let seeded = try book.curl(port, "/cgi-bin/entries")
        #expect(seeded.code == "200", "\(seeded)")
        #expect(seeded.body == "1. stack: Welcome to the guestbook.\n2. busybox: Served by httpd, one CGI script per service.\n", "\(seeded)")
        let signed = try book.curl(
            port, "/cgi-bin/entries", ["--data-urlencode", "name=Test", "--data-urlencode", "message=Hi & bye"])
        #expect(signed.code == "201" && signed.body.hasPrefix("entry 3 added"), "\(signed)")
        let refused = try book.curl(port, "/cgi-bin/entries", ["--data-urlencode", "name=Nobody"])
        #expect(refused.code == "400", "\(refused)")
        #expect(try book.curl(port, "/cgi-bin/entries").body.hasSuffix("\n3. Test: Hi & bye\n"))

        // DNS across the two networks: web (front and back) finds api; a container on front only does not.
        let fromWeb = try book.stack(["exec", "-T", "web", "nslookup", "api"])
        #expect(fromWeb.status == 0 && fromWeb.stdout.contains("Name:"), "\(fromWeb)")
        let frontOnly = try engine.stack([
            "container", "run", "--rm", "--network", "gbtest_front", engine.image, "sh", "-c",
            "nslookup web >/dev/null && echo web found; nslookup api >/dev/null || echo api not found",
        ])
        #expect(frontOnly.stdout == "web found\napi not found\n", "\(frontOnly)")

        // The seed ran once, and a second up changes nothing.
        let ids = try book.ids()
        #expect(ids.count == 4)
        let again = try book.stack(["up", "-d"])
        #expect(again.status == 0, "\(again)")
        #expect(try book.ids() == ids)
        #expect(try book.stack(["up", "--dry-run"]).stdout.contains("nothing to do"))
        let seedLog = try book.stack(["logs", "--no-log-prefix", "seed"])
        #expect(seedLog.stdout == "seed: wrote 2 entries\n", "\(seedLog)")

        // restart: on-failure: api's httpd killed, the container comes back (healthy) with its entries.
        // (The exec'd shell may itself be killed with the container: 137 is fine.)
        let kill = try book.stack(["exec", "-T", "api", "sh", "-c", "kill $(pidof httpd)"])
        #expect(kill.status == 0 || kill.status == 137, "\(kill)")
        let restarted = engine.eventually(20) {
            guard let api = (try? book.containers())?.first(where: { $0["Service"] as? String == "api" }) else { return false }
            return api["RestartCount"] as? Int == 1 && api["Health"] as? String == "healthy"
        }
        #expect(restarted, "\((try? book.containers()) ?? [])")
        let after = try book.curl(port, "/cgi-bin/entries")
        #expect(after.body.hasSuffix("\n3. Test: Hi & bye\n"), "\(after)")

        try book.downLeavesNothing()
    }

    @Test func wordcount() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        let port = Int.random(in: 20000...29999)
        let directory = Self.example("wordcount")
        let pipeline = Example(
            engine: engine, directory: directory, project: "wctest",
            variables: ["WORDCOUNT_PORT": "\(port)", "WORK_DELAY": "0.2"])
        // What the report must add up to: the texts' words, in jobs of CHUNK_LINES (4) lines.
        let texts = try FileManager.default.contentsOfDirectory(atPath: directory + "/texts").filter { $0.hasSuffix(".txt") }
        var words = 0
        var jobs = 0
        for text in texts {
            let content = try String(contentsOfFile: directory + "/texts/" + text, encoding: .utf8)
            words += content.split(whereSeparator: { $0 == " " || $0 == "\n" }).count
            jobs += (content.split(separator: "\n").count + 3) / 4
        }
        #expect(words > 0 && jobs > 3)

        let up = try pipeline.stack(["up", "--wait", "--wait-timeout", "60"])
        #expect(up.status == 0, "\(up)")
        let workers = try pipeline.containers().filter { $0["Service"] as? String == "worker" }
        #expect(workers.count == 3 && workers.allSatisfy { $0["State"] as? String == "running" }, "\(workers)")

        // The pipeline finishes every job, once, and the report adds them up.
        var report = (code: "", body: "")
        let finished = try engine.eventually(30) {
            report = try pipeline.curl(port, "/cgi-bin/report")
            return report.body.hasPrefix("jobs: \(jobs) done, 0 in progress, 0 waiting")
        }
        #expect(finished, "\(report)")
        #expect(report.body.contains("\nwords: \(words)\n"), "\(report)")

        // `worker` resolves to every replica (each answers on its own address with its hostname).
        let answers = try pipeline.curl(port, "/cgi-bin/workers").body.split(separator: "\n").map { $0.split(separator: " ") }
        #expect(answers.count == 3 && Set(answers.map { $0.first ?? "" }).count == 3, "\(answers)")
        #expect(Set(answers.compactMap { $0.count == 3 ? $0[1] : nil }).count == 3, "\(answers)")
        #expect(answers.compactMap { $0.count == 3 ? Int($0[2]) : nil }.reduce(0, +) == jobs, "\(answers)")
        let frontOnly = try engine.stack([
            "container", "run", "--rm", "--network", "wctest_front", engine.image, "sh", "-c",
            "nslookup report >/dev/null && echo report found; nslookup worker >/dev/null || echo worker not found",
        ])
        #expect(frontOnly.stdout == "report found\nworker not found\n", "\(frontOnly)")

        // env_file and interpolation (the shell's WORK_DELAY over worker.env's), limits, read-only root.
        let environment = try pipeline.stack(["exec", "-T", "worker", "env"])
        #expect(environment.stdout.contains("POLL_INTERVAL=1\n") && environment.stdout.contains("WORK_DELAY=0.2\n"), "\(environment)")
        let readOnly = try pipeline.stack(["exec", "-T", "worker", "sh", "-c", "touch /x || echo refused; touch /tmp/x && echo tmp ok"])
        #expect(readOnly.stdout.contains("refused\ntmp ok"), "\(readOnly)")
        let inspect = try engine.stack(["container", "inspect", "wctest-worker-1"])
        let host = (try JSONSerialization.jsonObject(with: Data(inspect.stdout.utf8)) as? [[String: Any]])?.first?["HostConfig"]
            as? [String: Any]
        #expect(host?["Memory"] as? Int == 32 << 20 && host?["NanoCpus"] as? Int == 250_000_000, "\(inspect)")
        #expect(host?["PidsLimit"] as? Int == 32 && host?["ReadonlyRootfs"] as? Bool == true, "\(inspect)")

        // The producer ran once; a second up changes nothing; scaling down keeps the rest.
        let producerLog = try pipeline.stack(["logs", "--no-log-prefix", "producer"])
        #expect(producerLog.stdout == "producer: \(jobs) jobs of 4 lines\n", "\(producerLog)")
        let ids = try pipeline.ids()
        #expect(try pipeline.stack(["up", "-d"]).status == 0)
        #expect(try pipeline.ids() == ids)
        let scaled = try pipeline.stack(["up", "--wait", "--scale", "worker=2"])
        #expect(scaled.status == 0, "\(scaled)")
        let left = try pipeline.ids()
        #expect(left.count == ids.count - 1 && Set(left).isSubset(of: Set(ids)), "\(left) of \(ids)")
        #expect(try pipeline.curl(port, "/cgi-bin/workers").body.split(separator: "\n").count == 2)

        try pipeline.downLeavesNothing()
    }
}
