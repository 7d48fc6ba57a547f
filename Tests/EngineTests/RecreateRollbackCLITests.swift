import Foundation
import Testing

/// A recreate whose replacement cannot start leaves the service as it was: the replacement is
/// removed and the old container runs again, and `up` names the failing step.
@Suite(.enabled(if: EngineHarness.privileged, "needs root and busybox-static"))
struct RecreateRollbackCLITests {
    @Test func aReplacementThatCannotStartIsRolledBack() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        let file = engine.directory + "/compose.yaml"
        func write(port: Int) throws {
            try """
                name: rollback
                services:
                  web:
                    image: \(engine.image)
                    command: ["httpd", "-f", "-p", "80"]
                    ports: ["127.0.0.1:\(port):80"]
                    stop_grace_period: 1s
                """.write(toFile: file, atomically: true, encoding: .utf8)
        }
        try write(port: 18080)
        #expect(try engine.stack(["-f", file, "up", "-d"]).status == 0)
        func id() throws -> String {
            let text = try engine.stack(["container", "inspect", "rollback-web-1"]).stdout
            let objects = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]]
            return objects?.first?["Id"] as? String ?? ""
        }
        let before = try id()
        // Another container holds the port the new configuration asks for.
        let squatter = try engine.stack([
            "container", "run", "-d", "--name", "squatter", "-p", "127.0.0.1:18081:80", engine.image, "sleep", "60",
        ])
        #expect(squatter.status == 0, "\(squatter)")
        try write(port: 18081)
        let failed = try engine.stack(["-f", file, "up", "-d"])
        #expect(failed.status != 0)
        #expect(failed.stderr.contains("start container") && failed.stderr.contains("port is already allocated"), "\(failed)")
        #expect(failed.stderr.contains("rolled back"), "\(failed)")
        // The old container runs again under its name, on its old port; no replacement is left.
        let listed = try engine.stack(["container", "ls", "-a"]).stdout
        #expect(listed.split(separator: "\n").filter { $0.contains("rollback-web") }.count == 1, "\(listed)")
        let after = try id()
        #expect(after == before && !after.isEmpty)
        let answer = try engine.inNetns("/usr/bin/curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:18080/"])
        #expect(answer.stdout == "404" || answer.stdout == "200", "\(answer)")
        // Once the port is free, the same up goes through.
        #expect(try engine.stack(["container", "rm", "-f", "squatter"]).status == 0)
        let retried = try engine.stack(["-f", file, "up", "-d"])
        #expect(retried.status == 0, "\(retried)")
        #expect(try engine.stack(["-f", file, "down", "-t", "0"]).status == 0)
    }
}
