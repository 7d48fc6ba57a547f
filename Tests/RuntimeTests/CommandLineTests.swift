import ArgumentParser
import Testing

@testable import stack_runtime

@Suite struct CommandLineTests {
    @Test func globalOptionsBeforeTheCommandMoveAfterIt() {
        #expect(
            GlobalArguments.reorder(["--root", "/r", "--log-format=json", "--debug", "state", "c1"])
                == ["state", "--root", "/r", "--log-format=json", "--debug", "c1"])
        #expect(GlobalArguments.reorder(["state", "c1"]) == ["state", "c1"])
        #expect(GlobalArguments.reorder(["--root", "/r"]) == ["--root", "/r"])
    }

    @Test func createTakesRuncsFlags() throws {
        let command = try StackRuntime.parseAsRoot(
            GlobalArguments.reorder(["--root", "/r", "create", "--bundle", "/b", "--pid-file", "/p", "--console-socket", "/s", "c1"]))
        let create = try #require(command as? CreateCommand)
        #expect(create.globals.root == "/r")
        #expect(create.bundle == "/b")
        #expect(create.pidFile == "/p")
        #expect(create.consoleSocket == "/s")
        #expect(create.id == "c1")
    }

    @Test func killTakesASignalAndAll() throws {
        let kill = try #require(try StackRuntime.parseAsRoot(["kill", "--all", "c1", "KILL"]) as? KillCommand)
        #expect(kill.all)
        #expect(kill.signal == "KILL")
        let plain = try #require(try StackRuntime.parseAsRoot(["kill", "c1"]) as? KillCommand)
        #expect(plain.signal == "SIGTERM")
    }

    @Test func execPassesTheCommandThrough() throws {
        let exec = try #require(
            try StackRuntime.parseAsRoot(["exec", "--cwd", "/tmp", "-e", "A=1", "c1", "sh", "-c", "echo -n x"]) as? ExecCommand)
        #expect(exec.id == "c1")
        #expect(exec.cwd == "/tmp")
        #expect(exec.env == ["A=1"])
        #expect(exec.arguments == ["sh", "-c", "echo -n x"])
    }

    @Test func runDeleteListAndSpecFlags() throws {
        let run = try #require(try StackRuntime.parseAsRoot(["run", "-d", "-b", "/b", "c1"]) as? RunCommand)
        #expect(run.detach && run.bundle == "/b")
        let delete = try #require(try StackRuntime.parseAsRoot(["delete", "--force", "c1"]) as? DeleteCommand)
        #expect(delete.force)
        let list = try #require(try StackRuntime.parseAsRoot(["list", "--format", "json"]) as? ListCommand)
        #expect(list.format == "json")
        let spec = try #require(try StackRuntime.parseAsRoot(["spec", "--rootless", "--bundle", "/b"]) as? SpecCommand)
        #expect(spec.rootless && spec.bundle == "/b")
    }

    @Test func aBadLogFormatIsRefused() {
        #expect(throws: (any Error).self) { try StackRuntime.parseAsRoot(["list", "--log-format", "xml"]) }
    }
}
