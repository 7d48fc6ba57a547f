import Foundation
import Testing

/// `stack up --dry-run` against a real engine: the plan for a fresh stack, orphans from the
/// engine's containers, and `up` without `--dry-run` refusing until the executor exists.
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
                command: "true"
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

    @Test func upWithoutDryRunRefusesAndChangesNothing() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        let file = try writeStack(engine)
        let up = try engine.stack(["-f", file, "up", "-d"])
        #expect(up.status != 0)
        #expect(up.stderr.contains("not implemented yet"), "\(up)")
        #expect(try engine.stack(["container", "ls", "-aq"]).stdout.isEmpty)
        #expect(try engine.stack(["volume", "ls", "-q"]).stdout.isEmpty)
        let bad = try engine.stack(["-f", file, "up", "--dry-run", "--scale", "web"])
        #expect(bad.status != 0 && bad.stderr.contains("SERVICE=NUM"), "\(bad)")
    }
}
