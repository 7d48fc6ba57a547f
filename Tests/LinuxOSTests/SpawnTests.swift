import LinuxOS
import StackCore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Real clones into real namespaces: root only. Every child is reaped and checked gone.
@Suite(.enabled(if: SpawnSupport.isRoot, "needs root for namespaces"))
struct SpawnTests {
    typealias S = SpawnSupport
    static let isolated: Set<Namespace> = [.pid, .uts, .ipc, .mount, .network]

    @Test(arguments: [true, false])
    func trueRunsInNewNamespaces(clone3: Bool) throws {
        var request = SpawnRequest(path: "/bin/true", arguments: ["true"])
        request.namespaces = Self.isolated
        request.wantsPidfd = true
        request.usesClone3 = clone3
        let process = try Spawner().spawn(request)
        #expect(process.pidfd != nil)
        #expect(process.usedClone3 == clone3)
        try process.release()
        #expect(S.reap(process.pid) == .exited(0))
        #expect(S.isGone(process.pid))
    }

    @Test(arguments: [true, false])
    func childIsPidOneWithItsOwnNamespaces(clone3: Bool) throws {
        // An ignored signal in the parent must not stay ignored in the child.
        let previous = signal(SIGUSR2, SIG_IGN)
        defer { signal(SIGUSR2, previous) }
        var request = SpawnRequest(
            path: "/bin/sh",
            arguments: [
                "sh", "-c",
                "echo $$; for n in uts ipc mnt net pid; do readlink /proc/self/ns/$n; done; grep -E '^Sig(Blk|Ign)' /proc/self/status",
            ],
            environment: S.environment)
        request.namespaces = Self.isolated
        request.usesClone3 = clone3
        let (output, status, pid) = try S.run(request)
        let lines = output.split(separator: "\n").map(String.init)
        #expect(status == .exited(0))
        #expect(lines.first == "1")
        for (index, kind) in ["uts", "ipc", "mnt", "net"].enumerated() {
            let theirs = lines.dropFirst().dropFirst(index).first ?? ""
            #expect(theirs.hasPrefix("\(kind):["))
            #expect(theirs != S.readLink("/proc/self/ns/\(kind)"), "\(kind) namespace not new")
        }
        #expect(lines.dropFirst(5).first != S.readLink("/proc/self/ns/pid"))
        #expect(lines.contains("SigBlk:\t0000000000000000"))
        #expect(lines.contains("SigIgn:\t0000000000000000"))
        #expect(S.isGone(pid))
    }

    @Test func newSessionAndWorkingDirectory() throws {
        var request = SpawnRequest(
            path: "/bin/sh", arguments: ["sh", "-c", "echo $$; cut -d' ' -f6 /proc/$$/stat; pwd"],
            environment: S.environment)
        request.newSession = true
        request.workingDirectory = "/usr/bin"
        let (output, status, _) = try S.run(request)
        let lines = output.split(separator: "\n").map(String.init)
        #expect(status == .exited(0))
        #expect(lines.count == 3)
        #expect(lines.first == lines.dropFirst().first, "the child leads its own session")
        #expect(lines.last == "/usr/bin")

        request.workingDirectory = "/nonexistent-directory"
        let process = try Spawner().spawn(request)
        #expect {
            try process.release()
        } throws: { error in
            (error as? StackError)?.description == "chdir: ENOENT (No such file or directory)"
        }
    }

    @Test func missingProgramReportsExecveENOENT() throws {
        var request = SpawnRequest(path: "/nonexistent/program", arguments: ["program"])
        request.namespaces = [.pid, .uts]
        let process = try Spawner().spawn(request)
        #expect {
            try process.release()
        } throws: { error in
            (error as? StackError)?.description == "execve: ENOENT (No such file or directory)"
        }
        // release() reaped the failed child.
        #expect(S.reap(process.pid) == nil)
        #expect(S.isGone(process.pid))
    }

    @Test func fdsAreRemappedAndOthersClosed() throws {
        // Two pipes whose write ends land on each other's fd numbers in the child (a swap),
        // and a stray inheritable fd that must not reach the child.
        let first = try S.pipe()
        let second = try S.pipe()
        let stray = open("/dev/null", O_RDONLY)  // deliberately not O_CLOEXEC
        defer {
            close(first.read)
            close(second.read)
            close(stray)
        }
        let a = first.write
        let b = second.write
        var request = SpawnRequest(
            path: "/bin/bash",
            arguments: ["bash", "-c", "echo one >&\(b); echo two >&\(a); [ -e /proc/$$/fd/\(stray) ] && echo leak >&\(a); true"],
            environment: S.environment)
        request.fds = [FDMapping(from: a, to: b), FDMapping(from: b, to: a)]
        request.namespaces = [.pid]
        let process = try Spawner().spawn(request)
        close(a)
        close(b)
        try process.release()
        let viaFirst = S.readAll(first.read)
        let viaSecond = S.readAll(second.read)
        #expect(S.reap(process.pid) == .exited(0))
        #expect(viaFirst == "one\n")  // fd b in the child is the first pipe
        #expect(viaSecond == "two\n")
    }

    @Test(arguments: [true, false])
    func joinsNamespacesByPath(clone3: Bool) throws {
        // A holder: pid 1 of new pid+net namespaces, alive until its stdin closes.
        let stdin = try S.pipe()
        var holderRequest = SpawnRequest(path: "/bin/sh", arguments: ["sh", "-c", "cat >/dev/null"], environment: S.environment)
        holderRequest.namespaces = [.pid, .network]
        holderRequest.fds = [FDMapping(from: stdin.read, to: 0)]
        let holder = try Spawner().spawn(holderRequest)
        close(stdin.read)
        defer {
            close(stdin.write)
            #expect(S.reap(holder.pid) == .exited(0))
            #expect(S.isGone(holder.pid))
        }
        try holder.release()

        // Joining net only (and a new uts): one clone.
        var request = SpawnRequest(
            path: "/bin/sh", arguments: ["sh", "-c", "readlink /proc/self/ns/net"], environment: S.environment)
        request.joins = [NamespaceJoin(.network, path: "/proc/\(holder.pid)/ns/net")]
        request.namespaces = [.uts]
        request.usesClone3 = clone3
        let (netOutput, netStatus, _) = try S.run(request)
        #expect(netStatus == .exited(0))
        #expect(netOutput == S.readLink("/proc/\(holder.pid)/ns/net") + "\n")

        // Joining its pid namespace: two stages; the child is not pid 1 there.
        request.arguments = ["sh", "-c", "echo $$; readlink /proc/self/ns/pid"]
        request.joins = [
            NamespaceJoin(.pid, path: "/proc/\(holder.pid)/ns/pid"),
            NamespaceJoin(.network, path: "/proc/\(holder.pid)/ns/net"),
        ]
        var twoStage = false
        let (pidOutput, pidStatus, _) = try S.run(request) { twoStage = $0.twoStage }
        let lines = pidOutput.split(separator: "\n").map(String.init)
        #expect(twoStage)
        #expect(pidStatus == .exited(0))
        #expect(lines.first.flatMap { Int($0) }.map { $0 > 1 } == true)
        #expect(lines.last == S.readLink("/proc/\(holder.pid)/ns/pid"))
    }

    @Test func setnsIntoTheWrongKindNamesTheStep() throws {
        var request = SpawnRequest(path: "/bin/true", arguments: ["true"])
        request.joins = [NamespaceJoin(.network, path: "/proc/self/ns/uts")]
        request.usesClone3 = false
        let process = try Spawner().spawn(request)
        #expect {
            try process.release()
        } throws: { error in
            (error as? StackError)?.description == "setns(net): EINVAL (Invalid argument)"
        }
        #expect(S.isGone(process.pid))
    }

    @Test(.enabled(if: SpawnSupport.userNamespacesAllowed, "user namespaces disabled"))
    func userNamespaceGetsItsMaps() throws {
        var request = SpawnRequest(
            path: "/bin/sh",
            arguments: ["sh", "-c", "cat /proc/self/uid_map /proc/self/gid_map; readlink /proc/self/ns/user"],
            environment: S.environment)
        request.namespaces = [.user, .uts, .pid]
        let map = [IDMapping(containerID: 0, hostID: 100000, size: 65536)]
        let (output, status, pid) = try S.run(request) { process in
            try UserNamespace.writeMappings(pid: process.pid, uid: map, gid: map)
        }
        let lines = output.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
        #expect(status == .exited(0))
        #expect(lines.prefix(2) == ["0 100000 65536", "0 100000 65536"])
        #expect(lines.last?.hasPrefix("user:[") == true)
        #expect(lines.last != S.readLink("/proc/self/ns/user"))
        #expect(S.isGone(pid))
    }

    @Test(.enabled(if: SpawnSupport.cgroup2Root != nil, "no cgroup2 mount"), arguments: [true, false])
    func startsInsideTheCgroup(clone3: Bool) throws {
        let root = try #require(S.cgroup2Root)
        let name = "stack-spawn-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let path = "\(root)/\(name)"
        try #require(mkdir(path, 0o755) == 0)
        defer { #expect(rmdir(path) == 0, "cgroup \(path) left behind") }
        let dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        try #require(dirfd >= 0)
        defer { close(dirfd) }
        var request = SpawnRequest(path: "/bin/cat", arguments: ["cat", "/proc/self/cgroup"])
        request.cgroupFD = dirfd
        request.namespaces = [.pid]
        request.usesClone3 = clone3
        var intoCgroup = false
        let (output, status, _) = try S.run(request) { intoCgroup = $0.startedIntoCgroup }
        #expect(status == .exited(0))
        #expect(output.split(separator: "\n").contains("0::/\(name)"))
        // clone3 with CLONE_INTO_CGROUP on kernels >= 5.7; else the parent wrote cgroup.procs.
        #expect(intoCgroup == clone3)
    }

    @Test func abortKillsAndReapsAWaitingChild() throws {
        var request = SpawnRequest(path: "/bin/true", arguments: ["true"])
        request.namespaces = [.pid, .mount]
        let process = try Spawner().spawn(request)
        let pid = process.pid
        #expect(!S.isGone(pid))
        process.abort()
        #expect(process.isSettled)
        #expect(S.isGone(pid))
        #expect(throws: StackError.self) { try process.release() }
    }

    @Test func droppingAnUnreleasedChildKillsIt() throws {
        var pid: Int32 = 0
        do {
            let process = try Spawner().spawn(SpawnRequest(path: "/bin/true", arguments: ["true"]))
            pid = process.pid
        }
        #expect(pid > 0)
        #expect(S.isGone(pid))
    }

    @Test func invalidRequestsAreRefusedBeforeCloning() {
        var request = SpawnRequest(path: "/bin/true", arguments: ["true"])
        request.namespaces = [.network]
        request.joins = [NamespaceJoin(.network, path: "/proc/self/ns/net")]
        #expect(throws: StackError.self) { try Spawner().spawn(request) }
        request.joins = []
        request.fds = [FDMapping(from: 1, to: 5), FDMapping(from: 2, to: 5)]
        #expect(throws: StackError.self) { try Spawner().spawn(request) }
    }
}
