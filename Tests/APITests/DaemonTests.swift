import APIClient
import APIServer
import Daemon
import Foundation
import StackCore
import Testing

@Suite("Daemon: lock, paths, and a real stackd started by DaemonConnector")
struct DaemonTests {
    @Test func pathsComeFromFlagsThenEnvironmentThenDefaults() {
        let environment = ["STACK_ROOT": "/srv/stack", "STACK_RUN": ""]
        #expect(DaemonPaths(root: nil, run: nil, environment: environment) == DaemonPaths(root: "/srv/stack", run: "/run/stack"))
        #expect(DaemonPaths(root: "/r", run: "/x", environment: environment) == DaemonPaths(root: "/r", run: "/x"))
        #expect(DaemonPaths(root: nil, run: nil, environment: [:]) == DaemonPaths(root: "/var/lib/stack", run: "/run/stack"))
        #expect(DaemonPaths(root: "/r", run: "/x").socket == "/x/stackd.sock")
    }

    @Test func prepareCreatesDirectoriesWithTheirModes() throws {
        let directory = try TestDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let paths = DaemonPaths(root: directory + "/a/root", run: directory + "/run")
        try paths.prepare()
        var info = stat()
        #expect(stat(paths.root, &info) == 0 && info.st_mode & 0o777 == 0o711)
        #expect(stat(paths.run, &info) == 0 && info.st_mode & 0o777 == 0o700)
        try paths.prepare()  // again: nothing to do
    }

    @Test func theLockRefusesASecondHolder() throws {
        let directory = try TestDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let paths = DaemonPaths(root: directory, run: directory + "/run")
        let lock = try DaemonLock.acquire(paths)
        do {
            _ = try DaemonLock.acquire(paths)
            Issue.record("a second lock on the same root succeeded")
        } catch {
            #expect(error.message == "another stackd (pid \(getpid())) is running on \(directory)")
        }
        lock.release()
        let again = try DaemonLock.acquire(paths)
        again.release()
    }

    @Test func runnerServesUntilStoppedThenCleansUp() async throws {
        let directory = try TestDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let paths = DaemonPaths(root: directory + "/root", run: directory + "/run")
        let router = Router()
        DockerCompat.register(on: router, engineVersion: "test")
        let stop = Signal()
        let started = Signal()
        let runner = Task {
            try await DaemonRunner.run(
                paths: paths, router: router,
                hooks: DaemonHooks(onStart: { _ in started.fire() }),
                stop: {
                    await stop.wait()
                    return SIGTERM
                })
        }
        try await withTimeout(5) { await started.wait() }
        let client = APIClient(connector: DaemonConnector(socketPath: paths.socket, autostart: nil))
        var ping: APIClientResponse?
        for _ in 0..<500 where ping == nil {
            ping = try? await client.request("GET", "/_ping")
            if ping == nil { try await Task.sleep(for: .milliseconds(10)) }
        }
        #expect(ping?.status == 200)
        #expect(PidFile.read(paths.pidFile) == getpid())
        await client.close()
        stop.fire()
        try await runner.value
        #expect(access(paths.socket, F_OK) != 0)
        #expect(access(paths.pidFile, F_OK) != 0)
    }

    @Test func connectorStartsStackdOnceAndSIGTERMStopsIt() async throws {
        let stackd = builtExecutable("stackd")
        try #require(access(stackd, X_OK) == 0, "stackd not built at \(stackd)")
        let directory = try TestDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let paths = DaemonPaths(root: directory + "/root", run: directory + "/run")
        let connector = DaemonConnector(
            socketPath: paths.socket, autostart: .init(executable: stackd, root: paths.root, run: paths.run))
        let without = APIClient(connector: DaemonConnector(socketPath: paths.socket, autostart: nil))
        await #expect(throws: APIClientError.self) { _ = try await without.request("GET", "/_ping") }
        await without.close()

        // Two clients at once: both get answers from one daemon.
        let first = APIClient(connector: connector)
        let second = APIClient(connector: connector)
        async let one = first.request("GET", "/_ping")
        async let two = second.request("GET", "/version")
        let (ping, version) = try await (one, two)
        #expect(String(decoding: ping.body, as: UTF8.self) == "OK")
        #expect(try version.decode(DockerCompat.Version.self).Os == "linux")
        await first.close()
        await second.close()

        let pid = try #require(PidFile.read(paths.pidFile))
        var info = stat()
        #expect(stat(paths.socket, &info) == 0 && info.st_mode & 0o777 == 0o660)
        let log = String(decoding: FileManager.default.contents(atPath: paths.run + "/stackd.log") ?? Data(), as: UTF8.self)
        #expect(log.components(separatedBy: "listening on").count == 2, "\(log)")

        // Idle RSS and a fresh client's round trip, reported (not asserted).
        let rss = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("VmRSS") } ?? "?"
        var timings: [Double] = []
        for _ in 0..<20 {
            let clock = ContinuousClock()
            let start = clock.now
            let client = APIClient(connector: connector)
            _ = try await client.request("GET", "/_ping")
            timings.append(Double((clock.now - start).components.attoseconds) / 1e15 + Double((clock.now - start).components.seconds) * 1000)
            await client.close()
        }
        timings.sort()
        print("stackd idle \(rss); new client + connect + /_ping: median \(timings[timings.count / 2]) ms, min \(timings[0]) ms")

        #expect(kill(pid, SIGTERM) == 0)
        var gone = false
        for _ in 0..<500 {
            if access(paths.socket, F_OK) != 0 && access(paths.pidFile, F_OK) != 0 && kill(pid, 0) != 0 {
                gone = true
                break
            }
            var status: Int32 = 0
            _ = waitpid(pid, &status, WNOHANG)
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(gone, "stackd \(pid) did not exit and clean up after SIGTERM")
    }
}
