import Foundation
import Testing

/// `stack container run` end to end (CLI → stackd → monitor → stack-runtime) on a busybox image.
@Suite(.serialized, .enabled(if: EngineHarness.privileged, "needs root and busybox-static"))
struct ContainerRunTests {
    @Test func runPrintsOutputAndReturnsTheExitStatus() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        let ok = try engine.stack(["container", "run", "--rm", engine.image, "echo", "hello from busybox"])
        #expect(ok.status == 0, "\(ok)")
        #expect(ok.stdout == "hello from busybox\n")
        let failed = try engine.stack(["container", "run", "--rm", engine.image, "sh", "-c", "echo oops >&2; exit 3"])
        #expect(failed.status == 3)
        #expect(failed.stderr.contains("oops"))
        #expect(failed.stdout.isEmpty)
        // --rm removed both.
        let left = try engine.stack(["container", "ls", "-aq"])
        #expect(left.stdout.isEmpty, "\(left)")
    }

    @Test func isolationPid1HostnameOwnRootAndDiscardedWrites() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        let result = try engine.stack([
            "container", "run", "--name", "iso", "-h", "boxhost", engine.image, "sh", "-c",
            "echo pid=$$; hostname; ls /; echo scratch > /tmp/written; cat /tmp/written",
        ])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("pid=1\n"))
        #expect(result.stdout.contains("boxhost\n"))
        // Its own root: the image's directories, not the host's (the image has no /usr).
        #expect(result.stdout.contains("bin\n"))
        #expect(!result.stdout.contains("usr\n"))
        #expect(result.stdout.contains("scratch\n"))
        // A second container from the same image does not see the first one's write.
        let second = try engine.stack(["container", "run", "--rm", engine.image, "sh", "-c", "cat /tmp/written || echo absent"])
        #expect(second.stdout.contains("absent"), "\(second)")
        // The default hostname is the short id.
        let inspect = try engine.stack(["container", "inspect", "iso"])
        #expect(inspect.stdout.contains("\"Hostname\" : \"boxhost\""), "\(inspect)")
    }

    @Test func exitCodesForEngineAndExecErrors() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        let missingImage = try engine.stack(["container", "run", "--rm", "no-such-image:1", "true"])
        #expect(missingImage.status == 125, "\(missingImage)")
        let notFound = try engine.stack(["container", "run", "--rm", engine.image, "/no/such/program"])
        #expect(notFound.status == 127, "\(notFound)")
        let notExecutable = try engine.stack(["container", "run", "--rm", engine.image, "/etc/passwd"])
        #expect(notExecutable.status == 126, "\(notExecutable)")
        // (PID 1 ignores signals it has no handler for, so a child shell is the one signalled.)
        let signalled = try engine.stack(["container", "run", "--rm", engine.image, "sh", "-c", "sh -c 'kill -TERM $$'; exit $?"])
        #expect(signalled.status == 143, "\(signalled)")
    }

    @Test func detachedRunLsInspectStopAndRemove() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        let started = try engine.stack(["container", "run", "-d", "--name", "sleeper", "-l", "role=test", engine.image, "sleep", "300"])
        #expect(started.status == 0, "\(started)")
        let id = started.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(id.count == 64)
        let listed = try engine.stack(["container", "ls", "--format", "json"])
        let line = listed.stdout.split(separator: "\n").first.map(String.init) ?? ""
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        #expect(object?["ID"] as? String == id)
        #expect(object?["Names"] as? String == "sleeper")
        #expect(object?["State"] as? String == "running")
        #expect(object?["Labels"] as? String == "role=test")
        let inspect = try engine.stack(["container", "inspect", "sleeper"])
        let array = try JSONSerialization.jsonObject(with: Data(inspect.stdout.utf8)) as? [[String: Any]]
        let state = array?.first?["State"] as? [String: Any]
        #expect(state?["Status"] as? String == "running")
        #expect((state?["Pid"] as? Int ?? 0) > 0)
        let refused = try engine.stack(["container", "rm", "sleeper"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("running"))
        let stopped = try engine.stack(["container", "stop", "-t", "1", "sleeper"])
        #expect(stopped.status == 0, "\(stopped)")
        let after = try engine.stack(["container", "inspect", "sleeper"])
        let afterState = (try JSONSerialization.jsonObject(with: Data(after.stdout.utf8)) as? [[String: Any]])?.first?["State"]
            as? [String: Any]
        #expect(afterState?["Status"] as? String == "exited")
        // sleep as PID 1 has no SIGTERM handler, so the kernel ignores SIGTERM: SIGKILL after 1 s.
        #expect(afterState?["ExitCode"] as? Int == 137)
        #expect(try engine.stack(["container", "rm", "sleeper"]).status == 0)
        #expect(try engine.stack(["container", "ls", "-aq"]).stdout.isEmpty)
    }
}
