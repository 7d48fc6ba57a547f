import Foundation
import StackAPI
import Testing

@testable import stack

/// The pure parts of the Compose service commands: ordering, the one-off request, and the
/// shapes of their output.
@Suite struct ServiceCommandLogicTests {
    /// A loaded stack: `web` needs `api` and `cache`; `api` needs `db` (and takes volumes from `files`).
    func project() throws -> ComposeProject {
        let directory = NSTemporaryDirectory() + "svc-logic-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/compose.yaml"
        try """
            name: demo
            services:
              web:
                image: busybox
                container_name: fixed-web
                command: httpd -f
                environment: {A: "1", B: "2"}
                ports: ["8080:80"]
                restart: always
                labels: {team: web}
                depends_on: [api, cache]
              api:
                image: busybox
                depends_on: [db]
                volumes_from: [files]
              cache: {image: busybox}
              db: {image: busybox}
              files: {image: busybox}
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return try ComposeProject.load(try GlobalOptions.parse(["--file", path]))
    }

    @Test func wavesPutDependenciesFirst() throws {
        let compose = try project()
        #expect(compose.needs("api") == ["db", "files"])
        #expect(compose.selection(["web"], dependencies: false) == ["web"])
        #expect(compose.selection(["api"], dependencies: true) == ["api", "db", "files"])
        let waves = compose.waves(compose.selection([], dependencies: false))
        #expect(waves.count == 3, "\(waves)")
        #expect(Set(waves[0]) == ["cache", "db", "files"] && waves[1] == ["api"] && waves[2] == ["web"], "\(waves)")
        #expect(compose.waves(["web", "db"]) == [["db", "web"]], "no path between the two within the selection")
    }

    @Test func oneOffRequestIsTheServiceWithRunChanges() throws {
        let compose = try project()
        let service = try #require(compose.desired.service(named: "web"))
        var run = RunRequest(slug: String(repeating: "ab", count: 32))
        run.command = ["echo", "hi"]
        run.environment = ["B=override", "C=3"]
        run.labels = ["extra": "yes"]
        run.publish = ["127.0.0.1:9090:90"]
        let (name, request) = try run.build(for: service, desired: compose.desired)
        #expect(name == "demo-web-run-abababababab", "container_name does not apply to one-offs")
        #expect(request.labels["com.docker.compose.oneoff"] == "True")
        #expect(request.labels["com.docker.compose.service"] == "web" && request.labels["team"] == "web")
        #expect(request.labels["com.docker.compose.slug"] == run.slug && request.labels["extra"] == "yes")
        #expect(request.cmd == ["echo", "hi"])
        #expect(request.env.contains("A=1") && request.env.contains("B=override") && request.env.contains("C=3"))
        #expect(!request.env.contains("B=2"))
        #expect(request.hostConfig.restartPolicy.name == "" || request.hostConfig.restartPolicy.name == "no")
        #expect(request.hostConfig.portBindings["80/tcp"] == nil, "service ports only with --service-ports")
        #expect(request.hostConfig.portBindings["90/tcp"]?.first?.hostPort == "9090")
        let aliases = request.networkingConfig?.endpointsConfig.values.map { $0.aliases ?? [] } ?? []
        #expect(!aliases.isEmpty && aliases.allSatisfy { $0 == [name] }, "\(aliases)")

        run.servicePorts = true
        run.entrypoint = ["/bin/sh", "-c"]
        run.command = []
        run.name = "custom"
        let (custom, withPorts) = try run.build(for: service, desired: compose.desired)
        #expect(custom == "custom")
        #expect(withPorts.hostConfig.portBindings["80/tcp"]?.first?.hostPort == "8080")
        #expect(withPorts.entrypoint == ["/bin/sh", "-c"] && withPorts.cmd == [], "an entrypoint without a command clears it")
    }

    @Test func runFlagHelpers() throws {
        #expect(RunCommand.resolve(["A=1", "HOME", "MISSING"], variables: ["HOME": "/root"]) == ["A=1", "HOME=/root"])
        // Leading stack-file options move behind the command word in their long form, so `run -p`
        // stays --publish and `rm -f` stays --force.
        let moved = GlobalArgumentOrder.reorder(["-p", "demo", "--file=x.yaml", "run", "-p", "80", "web"])
        #expect(moved == ["run", "--project-name", "demo", "--file=x.yaml", "-p", "80", "web"])
        let run = try RunCommand.parse(Array(moved.dropFirst()))
        #expect(run.stackFile.projectName == "demo" && run.stackFile.file == ["x.yaml"] && run.publish == ["80"])
        let rm = try RmCommand.parse(Array(GlobalArgumentOrder.reorder(["-f", "x.yaml", "rm", "-f", "web"]).dropFirst()))
        #expect(rm.force && rm.stackFile.file == ["x.yaml"] && rm.services == ["web"])
        let plain = try RmCommand.parse(["-f", "web"])
        #expect(plain.force && plain.stackFile.file.isEmpty, "parsed as written")
        #expect(RunRequest.absolute("./data:/data", in: "/srv/app") == "/srv/app/./data:/data")
        #expect(RunRequest.absolute("named:/data", in: "/srv/app") == "named:/data")
        #expect(RunRequest.randomSlug().count == 64)
        #expect(RunRequest.randomSlug() != RunRequest.randomSlug())
    }

    @Test func confirmationAnswers() {
        for yes in ["y", "Y", "yes", "true", "1", " y "] { #expect(Confirmation.isYes(yes), "\(yes)") }
        for no in ["", "n", "no", "nope", "false"] { #expect(!Confirmation.isYes(no), "\(no)") }
    }

    @Test func topTableLeadsWithServiceAndEndsWithCommand() {
        let a = ContainerTopResponse(titles: ["UID", "PID", "CMD"], processes: [["root", "10", "httpd -f"]])
        let b = ContainerTopResponse(titles: ["PID", "CMD", "EXTRA"], processes: [["20", "sleep 9", "x"]])
        let rows = TopCommand.table([("web", "1", a), ("db", "2", b)])
        #expect(rows[0] == ["SERVICE", "#", "UID", "PID", "EXTRA", "CMD"])
        #expect(rows[1] == ["web", "1", "root", "10", "-", "httpd -f"])
        #expect(rows[2] == ["db", "2", "-", "20", "x", "sleep 9"])
    }

    @Test func portAndImageShapes() {
        let ports = [
            ContainerPortSummary(ip: "", privatePort: 80, publicPort: nil, type: "tcp"),
            ContainerPortSummary(ip: "127.0.0.1", privatePort: 80, publicPort: 8080, type: "tcp"),
            ContainerPortSummary(ip: "0.0.0.0", privatePort: 53, publicPort: 5353, type: "udp"),
        ]
        #expect(PortCommand.binding(ports, port: 80, protocol: "tcp") == "127.0.0.1:8080")
        #expect(PortCommand.binding(ports, port: 53, protocol: "udp") == "0.0.0.0:5353")
        #expect(PortCommand.binding(ports, port: 53, protocol: "tcp") == nil)
        #expect(ImagesCommand.repositoryAndTag(reference: "b:2", tags: ["a:1", "b:2"]) == ("b", "2"))
        #expect(ImagesCommand.repositoryAndTag(reference: "gone", tags: ["reg:5000/a:1"]) == ("reg:5000/a", "1"))
        #expect(ImagesCommand.repositoryAndTag(reference: "x", tags: []) == ("<none>", "<none>"))
        #expect(ImagesCommand.bareID("sha256:abc") == "abc")
    }

    @Test func eventShapes() throws {
        let event = ComposeEvent(
            timeNano: 1_780_000_000_123_456_789, service: "web", id: "abc", action: "start",
            attributes: ["name": "demo-web-1", "image": "busybox"])
        #expect(event.text.hasSuffix(".123456 container start abc (image=busybox, name=demo-web-1)"), "\(event.text)")
        let object = try JSONSerialization.jsonObject(with: Data(event.json.utf8)) as? [String: Any] ?? [:]
        #expect(object["type"] as? String == "container" && object["service"] as? String == "web")
        #expect(object["id"] as? String == "abc" && object["action"] as? String == "start")
        #expect((object["attributes"] as? [String: String])?["name"] == "demo-web-1")
        #expect((object["time"] as? String)?.hasPrefix("2026-") == true, "\(event.json)")
    }
}
