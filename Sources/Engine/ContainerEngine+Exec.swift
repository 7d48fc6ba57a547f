import CRuntime
import ContainerConfig
import LinuxOS
import RuntimeSpec
import StackAPI
import StackCore
import Store

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A process started (or to be started) in a running container by `exec`.
struct ExecInstance: Sendable {
    var id: String
    var containerID: String
    var request: ExecRequest
    var running = false
    var exitCode: Int32?
    var pid: Int32 = 0
}

/// `GET /exec/{id}/json`'s answer.
public struct ExecInspect: Codable, Sendable, Hashable {
    public var id: String
    public var containerID: String
    public var running: Bool
    public var exitCode: Int32?
    public var pid: Int32

    enum CodingKeys: String, CodingKey {
        case id = "ID", containerID = "ContainerID", running = "Running", exitCode = "ExitCode", pid = "Pid"
    }
}

extension ContainerEngine {
    /// `POST /containers/{id}/exec`: register a process to run; `startExec` runs it.
    public func createExec(_ reference: String, _ request: ExecRequest) throws(StackError) -> String {
        let record = try record(reference)
        guard record.state == .running else {
            throw StackError(
                .conflict,
                record.state == .paused ? "container \(record.id) is paused, unpause the container before exec"
                    : "container \(record.id) is not running")
        }
        guard !request.cmd.isEmpty else { throw StackError(.invalidArgument, "no exec command specified") }
        let id = ContainerIdentity.newID()
        execs[id] = ExecInstance(id: id, containerID: record.id, request: request)
        return id
    }

    /// `GET /exec/{id}/json`.
    public func inspectExec(_ id: String) throws(StackError) -> ExecInspect {
        guard let exec = execs[id] else { throw StackError(.notFound, "No such exec instance: \(id)") }
        return ExecInspect(
            id: exec.id, containerID: exec.containerID, running: exec.running, exitCode: exec.exitCode, pid: exec.pid)
    }

    /// `POST /exec/{id}/start`: run the process through `stack-runtime exec`. With `client` its
    /// output goes to the client (framed unless it has a terminal) and the client's bytes to its
    /// stdin, until it exits; without (detached) this returns once it started.
    public func startExec(_ id: String, client: ClientStream?) async throws {
        guard var exec = execs[id] else { throw StackError(.notFound, "No such exec instance: \(id)") }
        guard !exec.running, exec.exitCode == nil else {
            throw StackError(.conflict, "exec \(id) has already run")
        }
        let record = try record(exec.containerID)
        guard record.state == .running else { throw StackError(.conflict, "container \(record.id) is not running") }
        let processFile = paths.container(record.id) + "/exec-\(ContainerIdentity.short(id)).json"
        try FileSystem.write(processFile, try processJSON(record: record, request: exec.request))
        let tty = exec.request.tty && client != nil
        // The process's own pid (a probe over its timeout is killed by it, not just the runtime's).
        let pidFile = execPIDFile(exec.containerID, id)
        var arguments = ["stack-runtime", "--root", paths.runtimeRoot, "exec", "--process", processFile, "--pid-file", pidFile]
        // In the run directory: a container directory under a deep root can be too long for sun_path.
        let consolePath = paths.run + "/exec-\(ContainerIdentity.short(id)).sock"
        var listener: Int32 = -1
        if tty {
            listener = try UnixSocket.listen(consolePath)
            arguments += ["--tty", "--console-socket", consolePath]
        }
        if client == nil { arguments.append("--detach") }
        arguments.append(record.id)
        defer {
            if listener >= 0 {
                close(listener)
                unlink(consolePath)
            }
        }

        // stdio: pipes when the client is attached without a terminal, else /dev/null.
        var pipes: [Int32] = []  // our ends: stdin write, stdout read, stderr read
        var childEnds: [Int32] = []
        var mappings: [FDMapping] = []
        let null = open("/dev/null", O_RDWR | O_CLOEXEC)
        defer { if null >= 0 { close(null) } }
        if client != nil && !tty {
            for index in 0..<3 {
                var fds: [Int32] = [-1, -1]
                let made = fds.withUnsafeMutableBufferPointer { buffer -> Int in
                    guard let base = buffer.baseAddress else { return -1 }
                    return cr_sys_pipe2(base, O_CLOEXEC)
                }
                guard made == 0 else { throw StackError.system("pipe2", Errno(Int32(-made))) }
                if index == 0 {
                    childEnds.append(fds[0])
                    pipes.append(fds[1])
                } else {
                    childEnds.append(fds[1])
                    pipes.append(fds[0])
                }
            }
            mappings = [FDMapping(from: childEnds[0], to: 0), FDMapping(from: childEnds[1], to: 1),
                FDMapping(from: childEnds[2], to: 2)]
        } else {
            mappings = [FDMapping(from: null, to: 0), FDMapping(from: null, to: 1), FDMapping(from: null, to: 2)]
        }
        var request = SpawnRequest(path: paths.runtimeBinary, arguments: arguments, environment: ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"])
        request.fds = mappings
        request.usesClone3 = false
        let process: SpawnedProcess
        do {
            process = try Spawner().spawn(request)
            try process.release()
        } catch {
            for fd in pipes + childEnds { close(fd) }
            unlink(processFile)
            throw error
        }
        for fd in childEnds { close(fd) }
        let pid = process.pid
        exec.running = true
        exec.pid = pid
        execs[id] = exec

        guard let client else {
            // Detached: `exec --detach` returns once the process started; reap it off the pool.
            let status = await ChildReaper.wait(pid)
            unlink(processFile)
            unlink(pidFile)
            execs[id]?.running = false
            if status != 0 { execs[id]?.exitCode = status }
            if status != 0 { throw StackError(.system, "exec failed (status \(status))") }
            return
        }

        if tty {
            let master: Int32
            do {
                master = try await Self.receiveTerminal(listener)
            } catch {
                _ = Glibc.kill(pid, SIGKILL)
                _ = await ChildReaper.wait(pid)
                throw error
            }
            let input = Task {
                do {
                    for try await chunk in client.input { try await FDStream.write(master, chunk) }
                } catch {}
            }
            let readable = dup(master)
            for try await chunk in FDStream.reads(readable) { try? await client.write(chunk) }
            input.cancel()
            close(master)
        } else {
            let stdinFD = pipes[0]
            let input = Task {
                do {
                    for try await chunk in client.input { try await FDStream.write(stdinFD, chunk) }
                } catch {}
                close(stdinFD)
            }
            await withTaskGroup(of: Void.self) { group in
                for (index, fd) in pipes.dropFirst().enumerated() {
                    let stream = UInt8(index + 1)
                    group.addTask {
                        do {
                            for try await chunk in FDStream.reads(fd) {
                                try await client.write(StreamFrame.frame(stream: stream, chunk))
                            }
                        } catch {}
                    }
                }
            }
            input.cancel()
        }
        let status = await ChildReaper.wait(pid)
        client.closeWrite()
        unlink(processFile)
        unlink(pidFile)
        execs[id]?.running = false
        execs[id]?.exitCode = status
    }

    /// Where `stack-runtime exec` writes the pid of exec `id`'s process.
    func execPIDFile(_ containerID: String, _ id: String) -> String {
        paths.container(containerID) + "/exec-\(ContainerIdentity.short(id)).pid"
    }

    private static func receiveTerminal(_ listener: Int32) async throws -> Int32 {
        let result: Result<Int32, StackError> = await withCheckedContinuation { continuation in
            BlockingThread.run {
                do throws(StackError) {
                    continuation.resume(returning: .success(try UnixSocket.receiveFD(listener, timeout: 10_000)))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }

    /// The OCI process of an exec: the container's own (capabilities, rlimits, seccomp, user),
    /// with the command, extra environment, directory, user and terminal of the request.
    func processJSON(record: Store.ContainerRecord, request: ExecRequest) throws(StackError) -> String {
        guard let text = FileSystem.readText(paths.container(record.id) + "/config.json") else {
            throw StackError(.system, "container \(record.id) has no config.json")
        }
        let spec = try SpecLoader.decode(text: text)
        guard var process = spec.process else { throw StackError(.internalError, "container \(record.id) has no process") }
        process.args = request.cmd
        process.terminal = request.tty
        if request.tty, let size = request.consoleSize, size.count == 2, size[0] > 0, size[1] > 0 {
            process.consoleSize = Spec.ConsoleSize(height: UInt(size[0]), width: UInt(size[1]))
        }
        var env = process.env ?? []
        for item in request.env {
            let key = item.split(separator: "=", maxSplits: 1).first.map(String.init) ?? item
            env.removeAll { $0.hasPrefix(key + "=") || $0 == key }
            env.append(item)
        }
        process.env = env
        if let directory = request.workingDir, !directory.isEmpty { process.cwd = directory }
        if let user = request.user, !user.isEmpty {
            let rootfs = paths.rootfs(record.id)
            let identity = try UserResolver.resolve(
                user, passwd: FileSystem.readText(rootfs + "/etc/passwd"), group: FileSystem.readText(rootfs + "/etc/group"))
            process.user = Spec.User(
                uid: identity.uid, gid: identity.gid, additionalGids: identity.additionalGids.isEmpty ? nil : identity.additionalGids)
        }
        return try JSONValueEncoder().encodeString(process)
    }
}

/// Waiting for our own children (exec's runtime processes) off the cooperative pool.
enum ChildReaper {
    /// The exit status of child `pid`, 128+N when a signal ended it.
    static func wait(_ pid: Int32) async -> Int32 {
        await withCheckedContinuation { continuation in
            let started = BlockingThread.run {
                var status: Int32 = 0
                while waitpid(pid, &status, 0) < 0 {
                    if Errno.current != .EINTR {
                        continuation.resume(returning: 255)
                        return
                    }
                }
                let signal = status & 0x7f
                continuation.resume(returning: signal == 0 ? (status >> 8) & 0xff : 128 + signal)
            }
            if !started { continuation.resume(returning: 255) }
        }
    }
}
