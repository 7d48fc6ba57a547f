import Foundation
import Testing

/// A second `up` after one field changed: only that service's container is replaced (the other
/// keeps its id), its volume's data stays, and `down` without `-v` keeps the volumes.
@Suite(.enabled(if: EngineHarness.privileged, "needs root and busybox-static"))
struct UpChangesCLITests {
    func write(_ file: String, image: String, mode: String) throws {
        try """
            name: changetest
            services:
              web:
                image: \(image)
                init: true
                command: ["httpd", "-f", "-p", "80"]
                environment: {MODE: \(mode)}
                volumes: [data:/data]
              worker:
                image: \(image)
                init: true
                command: ["sleep", "1000"]
            volumes:
              data: {}
            """.write(toFile: file, atomically: true, encoding: .utf8)
    }

    func id(_ engine: EngineHarness, _ name: String) throws -> String {
        let text = try engine.stack(["container", "inspect", name]).stdout
        return ((try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])?.first?["Id"] as? String) ?? ""
    }

    @Test func oneChangedFieldRecreatesOnlyItsServiceAndDownKeepsVolumes() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        let file = engine.directory + "/compose.yaml"
        try write(file, image: engine.image, mode: "a")
        #expect(try engine.stack(["-f", file, "up", "-d"]).status == 0)
        let (web, worker) = (try id(engine, "changetest-web-1"), try id(engine, "changetest-worker-1"))
        #expect(!web.isEmpty && !worker.isEmpty)
        #expect(try engine.stack(["-f", file, "exec", "-T", "web", "sh", "-c", "echo kept > /data/file"]).status == 0)

        try write(file, image: engine.image, mode: "b")
        let plan = try engine.stack(["-f", file, "up", "--dry-run"])
        #expect(plan.stdout.contains("recreate container changetest-web-1 as ") && plan.stdout.contains("(changed: environment)"),
                "\(plan)")
        #expect(!plan.stdout.contains("worker"), "\(plan)")
        let up = try engine.stack(["-f", file, "up", "-d"])
        #expect(up.status == 0 && up.stdout.contains("Container changetest-web-1  Recreated"), "\(up)")
        #expect(try id(engine, "changetest-worker-1") == worker, "the unchanged service is not touched")
        #expect(try id(engine, "changetest-web-1") != web)
        let mode = try engine.stack(["-f", file, "exec", "-T", "web", "sh", "-c", "echo $MODE"])
        #expect(mode.stdout == "b\n", "\(mode)")
        #expect(try engine.stack(["-f", file, "exec", "-T", "web", "cat", "/data/file"]).stdout == "kept\n")
        // Only one web container: the old one went, the new one has the name.
        #expect(try engine.stack(["container", "ls", "-a"]).stdout.components(separatedBy: "changetest-web").count == 2)

        // down without -v keeps the volume, and the next up finds the data.
        let down = try engine.stack(["-f", file, "down", "-t", "1"])
        #expect(down.status == 0, "\(down)")
        #expect(try engine.stack(["container", "ls", "-aq"]).stdout.isEmpty)
        #expect(try engine.stack(["volume", "ls", "-q"]).stdout.contains("changetest_data"))
        #expect(try engine.stack(["-f", file, "up", "-d"]).status == 0)
        #expect(try engine.stack(["-f", file, "exec", "-T", "web", "cat", "/data/file"]).stdout == "kept\n")
        #expect(try engine.stack(["-f", file, "down", "-v", "-t", "1"]).status == 0)
        #expect(try !engine.stack(["volume", "ls", "-q"]).stdout.contains("changetest_data"))
    }
}
