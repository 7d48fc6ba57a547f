import ContainerConfig
import Foundation
import RuntimeSpec
import StackAPI
import Testing

let runsPrivileged = geteuid() == 0 && FileManager.default.isExecutableFile(atPath: "/bin/busybox")

/// Privileged (root): specs from `OCISpecBuilder` run by the real `stack-runtime` on a busybox rootfs
/// (with the host's /usr bound read-only, so glibc programs run too), to check Docker's defaults —
/// the seccomp allowlist above all — let ordinary programs work and keep the dangerous calls out.
@Suite(.enabled(if: runsPrivileged, "needs root and /bin/busybox"))
struct BuiltSpecRunTests {

    static func binary(_ name: String) -> String {
        URL(fileURLWithPath: StackInitTests.binary).deletingLastPathComponent().appendingPathComponent(name).path
    }

    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Builds a spec for `change`d request on a fresh busybox bundle, runs it, removes everything.
    func run(_ change: (inout ContainerCreateRequest) -> Void) throws -> Outcome {
        let fm = FileManager.default
        let directory = NSTemporaryDirectory() + "ctrconfig-run-\(UUID().uuidString)"
        let id = "ctrconfig-\(UInt32.random(in: 0...UInt32.max))"
        let stateRoot = directory + "/state"
        defer {
            _ = try? execute(Self.binary("stack-runtime"), ["--root", stateRoot, "delete", "--force", id], in: directory)
            try? fm.removeItem(atPath: directory)
        }
        let rootfs = directory + "/rootfs"
        for sub in ["bbin", "usr", "etc", "tmp", "proc", "sys", "dev", "sbin"] {
            try fm.createDirectory(atPath: rootfs + "/" + sub, withIntermediateDirectories: true)
        }
        try fm.copyItem(atPath: "/bin/busybox", toPath: rootfs + "/bbin/busybox")
        for applet in ["sh", "cat", "echo", "id", "unshare", "mount", "hostname", "sleep", "ls", "grep", "touch"] {
            try fm.createSymbolicLink(atPath: rootfs + "/bbin/" + applet, withDestinationPath: "busybox")
        }
        for link in ["bin", "lib", "lib64"] where fm.fileExists(atPath: "/usr/" + link) {
            try fm.createSymbolicLink(atPath: rootfs + "/" + link, withDestinationPath: "usr/" + link)
        }
        let passwd = "root:x:0:0:root:/root:/bbin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bbin/sh\n"
        try passwd.write(toFile: rootfs + "/etc/passwd", atomically: true, encoding: .utf8)
        try "root:x:0:\nnogroup:x:65534:\n".write(toFile: rootfs + "/etc/group", atomically: true, encoding: .utf8)
        try "127.0.0.1 localhost\n".write(toFile: directory + "/hosts", atomically: true, encoding: .utf8)

        var request = ContainerCreateRequest(image: "test")
        request.hostConfig.binds = ["/usr:/usr:ro"]
        change(&request)
        let identity = try UserResolver.resolve(request.user, passwd: passwd, group: "root:x:0:\nnogroup:x:65534:\n")
        var spec = try OCISpecBuilder.build(
            request: request, image: ImageDefaults(env: ["PATH=/bbin:/usr/bin"]), rootfs: rootfs, hostname: "c0ffee",
            identity: identity, etcFiles: ["/etc/hosts": directory + "/hosts"], initPath: Self.binary("stack-init"),
            cgroupsPath: "/stack-runtime/\(id)", netnsPath: nil)
        spec.process?.terminal = false
        try SpecLoader.encode(spec).write(toFile: directory + "/config.json", atomically: true, encoding: .utf8)
        let outcome = try execute(Self.binary("stack-runtime"), ["--root", stateRoot, "run", "--bundle", directory, id], in: directory)
        return outcome
    }

    /// Runs a program with output through files (a container keeps the runtime's stdio open).
    func execute(_ path: String, _ arguments: [String], in directory: String) throws -> Outcome {
        let out = directory + "/out-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: out + ".err", contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: out + ".err"))
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus,
            stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: out + ".err", encoding: .utf8)) ?? "")
    }

    @Test func busyboxAndGlibcProgramsRunUnderTheDefaults() throws {
        let script = """
            set -e
            echo "host=$(hostname)"
            /usr/bin/ls / >/dev/null && echo ls-ok
            /usr/bin/id -u
            /usr/bin/date +%Y >/dev/null && echo date-ok
            /usr/bin/sort </etc/hosts >/dev/null && echo sort-ok
            /usr/bin/sh -c 'echo dash-ok'
            /usr/bin/seq 1 300000 | /usr/bin/sort -n --parallel=4 -S 64M | /usr/bin/tail -n 1
            /usr/bin/env | /usr/bin/grep -c '^HOSTNAME=c0ffee$'
            grep -c Seccomp:.2 /proc/self/status
            """
        let outcome = try run { $0.cmd = ["sh", "-c", script] }
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout == "host=c0ffee\nls-ok\n0\ndate-ok\nsort-ok\ndash-ok\n300000\n1\n1\n", "\(outcome.stderr)")
    }

    @Test func seccompAndCapabilitiesKeepPrivilegedCallsOut() throws {
        let denied = try run { $0.cmd = ["sh", "-c", "unshare -m true 2>&1 || echo unshare-denied; mount -t tmpfs t /tmp 2>&1 || echo mount-denied"] }
        #expect(denied.stdout.contains("unshare-denied"), "\(denied.stdout)\(denied.stderr)")
        #expect(denied.stdout.contains("mount-denied"), "\(denied.stdout)\(denied.stderr)")
        let admin = try run {
            $0.hostConfig.capAdd = ["SYS_ADMIN"]
            $0.cmd = ["sh", "-c", "mount -t tmpfs t /tmp && echo mounted"]
        }
        #expect(admin.stdout == "mounted\n", "\(admin.stderr)")
    }

    @Test func initForwardsExitStatus() throws {
        let outcome = try run {
            $0.hostConfig.initProcess = true
            $0.cmd = ["sh", "-c", "cat /proc/1/cmdline | grep -c stack-init; exit 7"]
        }
        #expect(outcome.status == 7, "\(outcome.stderr)")
        #expect(outcome.stdout == "1\n")
    }

    @Test func userAndReadOnlyRoot() throws {
        let outcome = try run {
            $0.user = "nobody"
            $0.hostConfig.readonlyRootfs = true
            $0.cmd = ["sh", "-c", "id -u; id -g; touch /x 2>/dev/null || echo read-only"]
        }
        #expect(outcome.stdout == "65534\n65534\nread-only\n", "\(outcome.stderr)")
    }
}
