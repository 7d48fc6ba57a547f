import Foundation
import RuntimeSpec
import Testing

/// `process.terminal` through `--console-socket`: the runtime hands the pty master to a listener,
/// as runc's `recvtty` receives it.
@Suite(.enabled(if: BusyboxBundle.privileged, "needs root and /bin/busybox"))
struct PrivilegedTerminalTests {
    func terminalBundle(_ args: [String], size: Spec.ConsoleSize? = nil) throws -> BusyboxBundle {
        try BusyboxBundle(args: args) { spec in
            spec.process?.terminal = true
            spec.process?.consoleSize = size
        }
    }

    func waitUntilStopped(_ bundle: BusyboxBundle) throws -> Bool {
        for _ in 0..<500 {
            if try bundle.status() == "stopped" { return true }
            usleep(10_000)
        }
        return false
    }

    @Test func createHandsThePtyMasterToTheConsoleSocket() throws {
        let bundle = try terminalBundle(["sh", "-c", "tty; stty size; echo ok"], size: .init(height: 30, width: 100))
        defer { bundle.tearDown() }
        let listener = try ConsoleSocketListener(path: bundle.directory + "/tty.sock")
        let created = try bundle.runtime(["create", "--console-socket", listener.path, "--bundle", bundle.directory, bundle.id])
        try #require(created.status == 0, "\(created.stderr)")
        let (master, name) = try listener.receive()
        defer { close(master) }
        #expect(name.hasPrefix("/dev/pts/"), "payload: \(name)")
        #expect(isatty(master) == 1)

        let started = try bundle.runtime(["start", bundle.id])
        #expect(started.status == 0, "\(started.stderr)")
        let output = ConsoleSocketListener.read(master) { $0.contains("ok\r\n") }
        let lines = output.split(separator: "\r\n").map(String.init)
        #expect(lines.first?.hasPrefix("/dev/pts/") == true, "output: \(output.debugDescription)")
        #expect(lines.contains("30 100"), "output: \(output.debugDescription)")
        #expect(lines.contains("ok"), "output: \(output.debugDescription)")

        #expect(try waitUntilStopped(bundle))
        #expect(try bundle.runtime(["delete", bundle.id]).status == 0)
        #expect(bundle.leftovers() == [])
    }

    @Test func theContainerReadsWhatIsTypedOnTheMaster() throws {
        let bundle = try terminalBundle(["sh", "-c", "read line; echo got:$line; test -t 0 && test -t 1 && echo both-ttys"])
        defer { bundle.tearDown() }
        let listener = try ConsoleSocketListener(path: bundle.directory + "/tty.sock")
        let created = try bundle.runtime(["create", "--console-socket", listener.path, "-b", bundle.directory, bundle.id])
        try #require(created.status == 0, "\(created.stderr)")
        let (master, _) = try listener.receive()
        defer { close(master) }
        #expect(try bundle.runtime(["start", bundle.id]).status == 0)
        let line = Array("hello\n".utf8)
        #expect(line.withUnsafeBytes { write(master, $0.baseAddress, $0.count) } == line.count)
        let output = ConsoleSocketListener.read(master) { $0.contains("both-ttys") }
        #expect(output.contains("got:hello"), "output: \(output.debugDescription)")
        #expect(output.contains("both-ttys"), "output: \(output.debugDescription)")
        #expect(try waitUntilStopped(bundle))
        #expect(try bundle.runtime(["delete", bundle.id]).status == 0)
        #expect(bundle.leftovers() == [])
    }

    @Test func deleteForceOfATerminalContainerLeavesNothing() throws {
        let bundle = try terminalBundle(["sleep", "100"])
        defer { bundle.tearDown() }
        let listener = try ConsoleSocketListener(path: bundle.directory + "/tty.sock")
        try #require(
            try bundle.runtime(["run", "-d", "--console-socket", listener.path, "-b", bundle.directory, bundle.id]).status == 0)
        let (master, _) = try listener.receive()
        #expect(try bundle.status() == "running")
        #expect(try bundle.runtime(["delete", "--force", bundle.id]).status == 0)
        close(master)
        #expect(bundle.leftovers() == [])
    }

    @Test func aDetachedTerminalWithoutAConsoleSocketIsRefusedClearly() throws {
        let bundle = try terminalBundle(["true"])
        defer { bundle.tearDown() }
        let result = try bundle.runtime(["run", "-d", "-b", bundle.directory, bundle.id])
        #expect(result.status != 0)
        #expect(result.stderr.contains("no --console-socket"), "\(result.stderr)")
        let created = try bundle.runtime(["create", "-b", bundle.directory, bundle.id])
        #expect(created.status != 0)
        #expect(created.stderr.contains("no --console-socket"), "\(created.stderr)")
        #expect(bundle.leftovers() == [])
    }

    @Test func runInTheForegroundRelaysTheTerminal() throws {
        let bundle = try terminalBundle(["sh", "-c", "tty; stty size; echo ok; exit 3"], size: .init(height: 24, width: 90))
        defer { bundle.tearDown() }
        let result = try bundle.run()
        #expect(result.status == 3, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\r\n").map(String.init)
        #expect(lines.first?.hasPrefix("/dev/pts/") == true, "output: \(result.stdout.debugDescription)")
        #expect(lines.contains("24 90"), "output: \(result.stdout.debugDescription)")
        #expect(lines.contains("ok"), "output: \(result.stdout.debugDescription)")
        #expect(bundle.leftovers() == [])
    }

    @Test func execWithATtyInTheForegroundRelaysTheTerminal() throws {
        let bundle = try BusyboxBundle(args: ["sleep", "100"])
        defer { bundle.tearDown() }
        try #require(try bundle.runtime(["run", "-d", "-b", bundle.directory, bundle.id]).status == 0)
        let result = try bundle.runtime(["exec", "-t", bundle.id, "sh", "-c", "tty; test -t 0 && echo ok"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("/dev/pts/"), "output: \(result.stdout.debugDescription)")
        #expect(result.stdout.contains("ok\r\n"), "output: \(result.stdout.debugDescription)")
        let detached = try bundle.runtime(["exec", "-t", "-d", bundle.id, "true"])
        #expect(detached.status != 0)
        #expect(detached.stderr.contains("no --console-socket"), "\(detached.stderr)")
        #expect(try bundle.runtime(["delete", "--force", bundle.id]).status == 0)
        #expect(bundle.leftovers() == [])
    }

    @Test func execWithATtyHandsItsMasterToTheConsoleSocket() throws {
        let bundle = try BusyboxBundle(args: ["sleep", "100"])
        defer { bundle.tearDown() }
        try #require(try bundle.runtime(["run", "-d", "-b", bundle.directory, bundle.id]).status == 0)
        let listener = try ConsoleSocketListener(path: bundle.directory + "/tty.sock")
        let result = try bundle.runtime(["exec", "-t", "-d", "--console-socket", listener.path, bundle.id, "sh", "-c", "tty; echo ok"])
        #expect(result.status == 0, "\(result.stderr)")
        let (master, _) = try listener.receive()
        defer { close(master) }
        let output = ConsoleSocketListener.read(master) { $0.contains("ok\r\n") }
        #expect(output.hasPrefix("/dev/pts/"), "output: \(output.debugDescription)")
        #expect(output.contains("ok\r\n"), "output: \(output.debugDescription)")
        #expect(try bundle.runtime(["delete", "--force", bundle.id]).status == 0)
        #expect(bundle.leftovers() == [])
    }

    @Test func aConsoleSocketWithoutATerminalIsRefused() throws {
        let bundle = try BusyboxBundle(args: ["true"])
        defer { bundle.tearDown() }
        let listener = try ConsoleSocketListener(path: bundle.directory + "/tty.sock")
        let result = try bundle.runtime(["create", "--console-socket", listener.path, "-b", bundle.directory, bundle.id])
        #expect(result.status != 0)
        #expect(result.stderr.contains("console socket"), "\(result.stderr)")
        #expect(bundle.leftovers() == [])
    }
}
