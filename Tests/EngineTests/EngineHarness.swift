import Foundation

/// A private engine for one test: its own STACK_ROOT and STACK_RUN under a temp directory, a
/// busybox image imported from Debian's busybox-static, the built `stack` CLI (which starts
/// `stackd` on first use), and a teardown that leaves nothing behind (containers, monitors,
/// mounts, the daemon, files).
final class EngineHarness: @unchecked Sendable {
    static var privileged: Bool { geteuid() == 0 && FileManager.default.isExecutableFile(atPath: "/bin/busybox") }

    let directory: String
    var root: String { directory + "/root" }
    var run: String { directory + "/run" }
    let image = "busybox-test:latest"

    struct Result: CustomStringConvertible {
        var status: Int32
        var stdout: String
        var stderr: String
        var description: String { "status \(status)\nstdout: \(stdout)\nstderr: \(stderr)" }
    }

    /// The build directory that holds `stack`, `stackd`, `stack-runtime` and `stack-monitor`.
    static var binaries: String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        while dir.path.contains(".xctest") { dir = dir.deletingLastPathComponent() }
        return dir.path
    }

    /// The network namespace stackd runs in (bound on a file of this test's directory by
    /// `unshare --net=FILE`; no /run/netns), so bridges, veths,
    /// nftables and published ports of this test touch neither the host nor other tests.
    let netns: String
    /// This test's prefix for kernel names and its address pool.
    let networkPrefix: String
    let addressPool: String
    /// Extra environment for stackd (set before its first start).
    var daemonEnvironment: [String: String] = [:]

    init(importImage: Bool = true) throws {
        var buffer = Array("/tmp/stack-engine-test-XXXXXX".utf8CString)
        guard let made = mkdtemp(&buffer) else { throw POSIXError(.EIO) }
        directory = String(cString: made)
        chmod(directory, 0o755)
        let letters = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        networkPrefix = "t" + String((0..<4).map { _ in letters[Int.random(in: 0..<letters.count)] })
        netns = directory + "/netns"
        let (second, third) = (Int.random(in: 100...250), Int.random(in: 0...63) * 4)
        addressPool = "10.\(second).\(third).0/22/26"
        guard FileManager.default.createFile(atPath: netns, contents: nil),
            try Self.execute("/usr/bin/unshare", ["--net=\(netns)", "true"], environment: [:]).status == 0,
            try Self.execute("/usr/bin/nsenter", ["--net=\(netns)", "/usr/sbin/ip", "link", "set", "lo", "up"], environment: [:])
                .status == 0
        else { throw HarnessError(message: "making the network namespace \(netns) failed") }
        let wrapper = directory + "/stackd-in-netns"
        try "#!/bin/sh\nexec /usr/bin/nsenter --net=\(netns) \(Self.binaries)/stackd \"$@\"\n"
            .write(toFile: wrapper, atomically: true, encoding: .utf8)
        chmod(wrapper, 0o755)
        if importImage {
            let tarball = try Self.makeBusyboxTarball(in: directory)
            let result = try stack(["image", "import", tarball, image])
            guard result.status == 0 else { throw HarnessError(message: "image import failed: \(result)") }
        }
    }

    struct HarnessError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// A rootfs tarball: /bin/busybox with its applets as symlinks, /etc/passwd and /etc/group,
    /// /tmp — written with Python's tarfile (a test-side tool).
    static func makeBusyboxTarball(in directory: String) throws -> String {
        let path = directory + "/busybox-rootfs.tar"
        let script = """
            import subprocess, tarfile, io, sys
            applets = subprocess.run(['/bin/busybox', '--list'], capture_output=True, text=True).stdout.split()
            with tarfile.open(sys.argv[1], 'w') as tar:
                def add_dir(name, mode=0o755):
                    info = tarfile.TarInfo(name); info.type = tarfile.DIRTYPE; info.mode = mode; tar.addfile(info)
                def add_file(name, data, mode=0o644):
                    info = tarfile.TarInfo(name); info.size = len(data); info.mode = mode; tar.addfile(info, io.BytesIO(data))
                for d in ['bin', 'etc', 'tmp', 'root', 'proc', 'sys', 'dev']:
                    add_dir(d, 0o1777 if d == 'tmp' else 0o755)
                tar.add('/bin/busybox', arcname='bin/busybox')
                for applet in applets:
                    if applet == 'busybox': continue
                    info = tarfile.TarInfo('bin/' + applet); info.type = tarfile.SYMTYPE; info.linkname = 'busybox'
                    tar.addfile(info)
                add_file('etc/passwd', b'root:x:0:0:root:/root:/bin/sh\\nnobody:x:65534:65534:nobody:/:/bin/false\\napp:x:1000:1000::/tmp:/bin/sh\\n')
                add_file('etc/group', b'root:x:0:\\nnogroup:x:65534:\\napp:x:1000:\\nextra:x:2000:app\\n')
            """
        let result = try Self.execute("/usr/bin/python3", ["-c", script, path], environment: [:])
        guard result.status == 0 else { throw HarnessError(message: "making the busybox tarball failed: \(result)") }
        return path
    }

    var environment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["STACK_ROOT"] = root
        env["STACK_RUN"] = run
        env["STACKD"] = directory + "/stackd-in-netns"
        env["STACK_NETWORK_PREFIX"] = networkPrefix
        env["STACK_ADDRESS_POOLS"] = addressPool
        // Nothing may leave the machine: by default DNS forwards to a closed loopback port.
        env["STACK_DNS_UPSTREAM"] = "127.0.0.1:9"
        for (key, value) in daemonEnvironment { env[key] = value }
        return env
    }

    /// Run the `stack` CLI with this engine's environment.
    @discardableResult
    func stack(_ arguments: [String], stdin: String? = nil) throws -> Result {
        try Self.execute(Self.binaries + "/stack", arguments, environment: environment, stdin: stdin, directory: directory)
    }

    /// Run a program; output goes through files (a daemon it starts must not hold our pipes).
    static func execute(
        _ program: String, _ arguments: [String], environment: [String: String], stdin: String? = nil,
        directory: String = NSTemporaryDirectory()
    ) throws -> Result {
        let stem = directory + "/out-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: stem, contents: nil)
        _ = FileManager.default.createFile(atPath: stem + ".err", contents: nil)
        defer {
            try? FileManager.default.removeItem(atPath: stem)
            try? FileManager.default.removeItem(atPath: stem + ".err")
            try? FileManager.default.removeItem(atPath: stem + ".in")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.environment = environment
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stem))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stem + ".err"))
        if let stdin {
            _ = FileManager.default.createFile(atPath: stem + ".in", contents: Data(stdin.utf8))
            process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: stem + ".in"))
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        try process.run()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            stdout: (try? String(contentsOfFile: stem, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: stem + ".err", encoding: .utf8)) ?? "")
    }

    /// Run a program inside this test's network namespace (as a client on the "host" side).
    @discardableResult
    func inNetns(_ program: String, _ arguments: [String]) throws -> Result {
        try Self.execute("/usr/bin/nsenter", ["--net=\(netns)", program] + arguments, environment: [:], directory: directory)
    }

    /// The daemon's pid, from its pid file.
    var daemonPid: Int32? {
        (try? String(contentsOfFile: run + "/stackd.pid", encoding: .utf8))
            .flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// Poll `condition` every 50 ms for up to `seconds`.
    func eventually(_ seconds: Double = 10, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            usleep(50_000)
        }
        return try condition()
    }

    /// Remove every container, stop the daemon, kill strays, unmount, delete the directory.
    func tearDown() {
        if let ids = try? stack(["container", "ls", "-aq", "--no-trunc"]).stdout.split(separator: "\n"), !ids.isEmpty {
            _ = try? stack(["container", "rm", "-f"] + ids.map(String.init))
        }
        if let pid = daemonPid {
            kill(pid, SIGTERM)
            _ = eventually(10) { kill(pid, 0) != 0 }
        }
        // Containers the runtime still knows (a killed daemon's): delete --force kills their processes.
        for id in (try? FileManager.default.contentsOfDirectory(atPath: run + "/runtime")) ?? [] {
            _ = try? Self.execute(
                Self.binaries + "/stack-runtime", ["--root", run + "/runtime", "delete", "--force", id], environment: [:])
        }
        // Anything else still running from this root (monitors).
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry), pid != getpid(),
                let command = try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8),
                command.contains(directory)
            else { continue }
            kill(pid, SIGKILL)
        }
        let mounts = (try? String(contentsOfFile: "/proc/self/mounts", encoding: .utf8)) ?? ""
        for line in mounts.split(separator: "\n").reversed() {
            let fields = line.split(separator: " ")
            if fields.count > 1, fields[1].hasPrefix(directory) { umount2(String(fields[1]), Int32(MNT_DETACH)) }
        }
        try? FileManager.default.removeItem(atPath: directory)
    }
}
