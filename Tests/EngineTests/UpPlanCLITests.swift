import Foundation
import Testing

/// `stack up` against a real engine: the plan for a fresh stack (`--dry-run`), orphans from the
/// engine's containers, `up -d` carrying the plan out, a converged second run, and `down -v`.
@Suite(.enabled(if: EngineHarness.privileged, "needs root and busybox-static"))
struct UpPlanCLITests {
    func writeStack(_ engine: EngineHarness) throws -> String {
        let path = engine.directory + "/compose.yaml"
        try """
            name: plantest
            services:
              web:
                image: \(engine.image)
                command: httpd -f -p 80
                networks: [front]
                volumes: [data:/data]
              job:
                image: \(engine.image)
                command: ["sh", "-c", "echo seeded"]
                restart: "no"
            networks:
              front: {}
            volumes:
              data: {}
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func dryRunPrintsThePlanAndReportsOrphans() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        let file = try writeStack(engine)
        let fresh = try engine.stack(["-f", file, "up", "--dry-run"])
        #expect(fresh.status == 0, "\(fresh)")
        for line in [
            "create network plantest_front", "create network plantest_default", "create volume plantest_data",
            "create container plantest-web-1 (new)", "start container plantest-web-1", "create container plantest-job-1 (new)",
        ] {
            #expect(fresh.stdout.contains(line), "\(line) in \(fresh.stdout)")
        }
        // A container of this project whose service is gone is an orphan; with --remove-orphans it goes.
        let orphan = try engine.stack([
            "container", "create", "--name", "plantest-old-1", "-l", "com.docker.compose.project=plantest",
            "-l", "com.docker.compose.service=old", "-l", "com.docker.compose.container-number=1", engine.image, "true",
        ])
        #expect(orphan.status == 0, "\(orphan)")
        let warned = try engine.stack(["-f", file, "up", "--dry-run"])
        #expect(warned.stdout.contains("orphan containers (plantest-old-1)"), "\(warned)")
        let removing = try engine.stack(["-f", file, "up", "--dry-run", "--remove-orphans"])
        #expect(removing.stdout.contains("remove container plantest-old-1"), "\(removing)")
        // Nothing was changed by planning.
        let listed = try engine.stack(["network", "ls", "-q", "--filter", "name=plantest"])
        #expect(listed.stdout.isEmpty, "\(listed)")
    }

    @Test func upDashDRunsThePlanAndDownUndoesIt() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        let file = try writeStack(engine)
        let up = try engine.stack(["-f", file, "up", "--wait", "--wait-timeout", "60"])
        #expect(up.status == 0, "\(up)")
        #expect(up.stdout.contains("Container plantest-web-1  Started"), "\(up)")
        let listed = try engine.stack(["container", "ls", "-a", "--format", "json"])
        #expect(listed.stdout.contains("plantest-web-1") && listed.stdout.contains("plantest-job-1"), "\(listed)")
        #expect(try engine.stack(["network", "ls", "-q", "--filter", "name=plantest_front"]).stdout.count > 0)
        #expect(try engine.stack(["volume", "ls", "-q"]).stdout.contains("plantest_data"))
        // ps and logs over the project's containers.
        let ps = try engine.stack(["-f", file, "ps", "-a", "--format", "json"])
        let rows = try JSONSerialization.jsonObject(with: Data(ps.stdout.utf8)) as? [[String: Any]] ?? []
        #expect(Set(rows.compactMap { $0["Service"] as? String }) == ["web", "job"], "\(ps)")
        #expect(rows.allSatisfy { $0["Project"] as? String == "plantest" && $0["RestartCount"] != nil })
        #expect(rows.first { $0["Service"] as? String == "web" }?["State"] as? String == "running")
        #expect(rows.first { $0["Service"] as? String == "job" }?["State"] as? String == "exited", "--wait saw it complete")
        #expect(try engine.stack(["-f", file, "ps", "--services"]).stdout == "web\n")
        let logs = try engine.stack(["-f", file, "logs", "--no-color", "job", "web"])
        #expect(logs.status == 0 && logs.stdout.contains("plantest-job-1 | seeded"), "\(logs)")
        let exec = try engine.stack(["-f", file, "exec", "-T", "-e", "GREETING=hi", "web", "sh", "-c", "echo $GREETING; exit 4"])
        #expect(exec.stdout == "hi\n" && exec.status == 4, "\(exec)")
        let notRunning = try engine.stack(["-f", file, "exec", "-T", "job", "true"])
        #expect(notRunning.status != 0 && notRunning.stderr.contains("not running"), "\(notRunning)")
        // Converged: a second up plans nothing; the one-shot that exited 0 is not run again.
        let again = try engine.stack(["-f", file, "up", "--dry-run"])
        #expect(again.stdout.contains("nothing to do"), "\(again)")
        let down = try engine.stack(["-f", file, "down", "-v", "-t", "1"])
        #expect(down.status == 0, "\(down)")
        #expect(try engine.stack(["container", "ls", "-aq"]).stdout.isEmpty)
        #expect(try engine.stack(["network", "ls", "-q", "--filter", "name=plantest"]).stdout.isEmpty)
        #expect(try engine.stack(["volume", "ls", "-q"]).stdout.isEmpty)
        // down --rmi all also removes the services' images (local: none, stack builds no images).
        #expect(try engine.stack(["-f", file, "up", "-d"]).status == 0)
        #expect(try engine.stack(["-f", file, "down", "--rmi", "bogus"]).status != 0)
        let rmi = try engine.stack(["-f", file, "down", "--rmi", "all", "-t", "0", "-v"])
        #expect(rmi.status == 0 && rmi.stdout.contains("Image \(engine.image)  Removed"), "\(rmi)")
        #expect(try !engine.stack(["image", "ls"]).stdout.contains("busybox-test"))
        let bad = try engine.stack(["-f", file, "up", "--dry-run", "--scale", "web"])
        #expect(bad.status != 0 && bad.stderr.contains("SERVICE=NUM"), "\(bad)")
    }
}
