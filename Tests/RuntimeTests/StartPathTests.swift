import ContainerInit
import Foundation
import RuntimeSpec
import StackCore
import Testing

@testable import Runtime
@testable import stack_runtime

/// The pieces of the create/start/run path that keep it short: `run`'s own argument parsing,
/// which cgroup files the init joins through, and the in-memory container of `run`.
@Suite struct StartPathTests {
    /// What RunInvocation and ArgumentParser's RunCommand make of the same words, as one string.
    func fastRun(_ arguments: [String]) -> String? {
        RunInvocation(GlobalArguments.reorder(arguments)).map {
            [$0.globals.root, $0.globals.log ?? "-", $0.globals.logFormat, "\($0.globals.debug)", $0.options.id,
             $0.options.bundle, $0.options.pidFile ?? "-", $0.options.consoleSocket ?? "-",
             "\($0.options.noPivotRoot)", "\($0.detach)"].joined(separator: " ")
        }
    }

    func parsedRun(_ arguments: [String]) throws -> String? {
        guard let run = try StackRuntime.parseAsRoot(GlobalArguments.reorder(arguments)) as? RunCommand else { return nil }
        return [run.globals.root, run.globals.log ?? "-", run.globals.logFormat, "\(run.globals.debug)", run.id,
                run.bundle, run.pidFile ?? "-", run.consoleSocket ?? "-", "\(run.noPivot)", "\(run.detach)"]
            .joined(separator: " ")
    }

    @Test(arguments: [
        ["run", "--bundle", "/b", "c1"],
        ["run", "c1", "-b", "/b"],
        ["run", "--bundle=/b", "--pid-file", "/p", "--no-pivot", "-d", "c1"],
        ["--root", "/r", "--log", "/l", "--log-format", "json", "--debug", "run", "--console-socket", "/s", "c1"],
        ["run", "--root=/r", "--detach", "c1"],
        ["run", "c1"],
    ])
    func runIsRecognisedAsArgumentParserParsesIt(arguments: [String]) throws {
        let fast = fastRun(arguments)
        #expect(fast != nil)
        #expect(fast == (try parsedRun(arguments)))
    }

    @Test(arguments: [
        ["run"], ["run", "--help"], ["run", "-h", "c1"], ["run", "c1", "c2"], ["run", "--bundle"],
        ["run", "--bundle", "/a", "--bundle", "/b", "c1"], ["run", "-d", "-d", "c1"], ["run", "--", "c1"],
        ["run", "--log-format", "xml", "c1"], ["run", "--systemd-cgroup", "c1"], ["run", "-db", "/b", "c1"],
        ["run", "--bundle", "-x", "c1"], ["run", "--unknown", "c1"], ["create", "c1"], ["state", "run"],
    ])
    func otherRunInvocationsAreLeftToArgumentParser(arguments: [String]) {
        #expect(fastRun(arguments) == nil)
    }

    @Test func v1HierarchiesAreJoinedThroughTasksAndCgroup2ThroughItsDirectory() {
        let hybrid = CgroupJoin.plan(paths: [
            "cpu": "/sys/fs/cgroup/cpu,cpuacct/c1", "cpuacct": "/sys/fs/cgroup/cpu,cpuacct/c1",
            "memory": "/sys/fs/cgroup/memory/c1", "": "/sys/fs/cgroup/unified/c1",
        ])
        // Co-mounted controllers share one directory: its tasks file is written once.
        #expect(hybrid.taskFiles == ["/sys/fs/cgroup/cpu,cpuacct/c1/tasks", "/sys/fs/cgroup/memory/c1/tasks"])
        #expect(hybrid.unifiedDirectory == "/sys/fs/cgroup/unified/c1")

        let unified = CgroupJoin.plan(paths: ["": "/sys/fs/cgroup/c1"])
        #expect(unified.taskFiles == [])
        #expect(unified.unifiedDirectory == "/sys/fs/cgroup/c1")

        let legacy = CgroupJoin.plan(paths: ["pids": "/sys/fs/cgroup/pids/c1"])
        #expect(legacy.taskFiles == ["/sys/fs/cgroup/pids/c1/tasks"])
        #expect(legacy.unifiedDirectory == nil)
    }

    /// `run` keeps its container in memory; when a `delete --force` from elsewhere removed it
    /// while `run` waited, run's own delete does nothing (the poststop hooks ran once already).
    @Test func deletingAContainerSomeoneElseDeletedDoesNothing() throws {
        let root = NSTemporaryDirectory() + "stack-runtime-state-\(UInt32.random(in: 0...UInt32.max))"
        let marker = root + "-poststop"
        defer {
            try? FileManager.default.removeItem(atPath: root)
            try? FileManager.default.removeItem(atPath: marker)
        }
        let store = StateDirectory(root: root)
        var spec = Spec()
        var hooks = Spec.Hooks()
        hooks.poststop = [Spec.Hook(path: "/bin/sh", args: ["sh", "-c", "echo x >> \(marker)"])]
        spec.hooks = hooks
        let record = ContainerRecord(
            id: "gone", pid: Int32.max, initStartTime: 1, bundle: "/nonexistent", rootfs: "/nonexistent/rootfs",
            created: "2024-01-01T00:00:00Z", cgroupPath: "/stack-runtime-test-never-made/gone", cgroupPaths: [:])
        let container = Container(record: record, spec: spec, store: store)
        let operations = ContainerOperations(store: store, log: RuntimeLog(file: nil, format: .text, debug: false))
        try operations.delete(container, force: true)
        #expect(!FileManager.default.fileExists(atPath: marker))
        #expect(throws: StackError.self) { try operations.delete(container, force: false) }
        // Still saved: deleted as usual, hooks included.
        try store.create("gone")
        try store.save(record)
        try operations.delete(container, force: true)
        #expect(FileManager.default.fileExists(atPath: marker))
        #expect(!FileManager.default.fileExists(atPath: store.directory("gone")))
    }
}

@Suite(.enabled(if: BusyboxBundle.privileged, "needs root and /bin/busybox"))
struct PrivilegedStartPathTests {
    /// The init is in the container's cgroup in every hierarchy before `start`.
    @Test func theCreatedInitIsInTheContainersCgroupEverywhere() throws {
        let bundle = try BusyboxBundle(args: ["sleep", "100"])
        defer { bundle.tearDown() }
        let pidFile = bundle.directory + "/pid"
        let created = try bundle.runtime(["create", "--bundle", bundle.directory, "--pid-file", pidFile, bundle.id])
        #expect(created.status == 0, "\(created.stderr)")
        let pid = try String(contentsOfFile: pidFile, encoding: .utf8)
        let lines = try String(contentsOfFile: "/proc/\(pid)/cgroup", encoding: .utf8).split(separator: "\n")
        #expect(!lines.isEmpty)
        for line in lines {
            // hierarchy-id:controllers:path, seen from the host's cgroup namespace.
            #expect(line.hasSuffix("/stack-runtime/\(bundle.id)"), "\(line)")
        }
        #expect(try bundle.runtime(["delete", "--force", bundle.id]).status == 0)
        #expect(bundle.leftovers() == [])
    }
}
