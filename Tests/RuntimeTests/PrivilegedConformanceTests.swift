import Foundation
import RuntimeSpec
import Testing

/// Behaviour the OCI runtime validation suite checks: user namespaces, no mount namespace, root
/// propagation, delete of a created container, the state prestart hooks see.
@Suite(.enabled(if: BusyboxBundle.privileged, "needs root and /bin/busybox"))
struct PrivilegedConformanceTests {
    /// Words of each line of `text`.
    private func words(_ text: String) -> [[String]] {
        text.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
    }

    @Test func aUserNamespaceInitIsItsRootWithCapabilities() throws {
        let bundle = try BusyboxBundle(args: ["sh", "-c", "cat /proc/self/uid_map; id -u; sleep 100"]) { spec in
            spec.linux?.namespaces?.append(Spec.Namespace(type: "user"))
            spec.linux?.uidMappings = [Spec.IDMapping(containerID: 0, hostID: 100_000, size: 65536)]
            spec.linux?.gidMappings = [Spec.IDMapping(containerID: 0, hostID: 100_000, size: 65536)]
        }
        defer { bundle.tearDown() }
        // Host uid 100000 must reach the bundle, and finds the mount points it cannot make.
        #expect(chmod(bundle.directory, 0o755) == 0)
        for directory in ["proc", "dev", "sys"] {
            try FileManager.default.createDirectory(atPath: "\(bundle.directory)/rootfs/\(directory)", withIntermediateDirectories: true)
        }
        let created = try bundle.runtime(["run", "-d", "--bundle", bundle.directory, bundle.id])
        #expect(created.status == 0, "\(created.stderr)")
        let exec = try bundle.runtime(["exec", bundle.id, "sh", "-c", "id -u; grep CapEff /proc/self/status"])
        #expect(exec.status == 0, "\(exec.stderr)")
        let lines = words(exec.stdout)
        #expect(lines.first == ["0"] as [String])
        #expect(exec.stdout.contains("CapEff:\t0000000020000420"), "\(exec.stdout)")
        #expect(try bundle.runtime(["delete", "--force", bundle.id]).status == 0)
        #expect(bundle.leftovers() == [])
    }

    @Test func aContainerWithoutAMountNamespaceStartsInAChroot() throws {
        let bundle = try BusyboxBundle(args: ["sh", "-c", "echo started; ls /"]) { spec in
            spec.linux?.namespaces?.removeAll { $0.type == "mount" }
            spec.root?.readonly = false
        }
        defer { bundle.tearDown() }
        let result = try bundle.run()
        #expect(result.status == 0, "\(result.stderr)")
        // Nothing was mounted or created in the rootfs: no /proc, no /dev.
        #expect(result.stdout == "started\nbin\ntmp\n", "\(result.stdout)")
        #expect(bundle.leftovers() == [])
    }

    /// The optional fields of the mount at `/` in the container's mountinfo.
    private func rootMountFields(propagation: String) throws -> [String] {
        let bundle = try BusyboxBundle(args: ["cat", "/proc/self/mountinfo"]) { $0.linux?.rootfsPropagation = propagation }
        defer { bundle.tearDown() }
        let result = try bundle.run()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(bundle.leftovers() == [])
        let root = words(result.stdout).first { $0.count > 6 && $0[4] == "/" } ?? []
        return Array(root.dropFirst(6).prefix { $0 != "-" })
    }

    @Test func sharedRootPropagationIsSharedInside() throws {
        #expect(try rootMountFields(propagation: "shared").contains { $0.hasPrefix("shared:") })
    }

    @Test func unbindableRootPropagationIsUnbindableInside() throws {
        #expect(try rootMountFields(propagation: "unbindable") == ["unbindable"])
    }

    @Test func deletingACreatedContainerNeedsForce() throws {
        let bundle = try BusyboxBundle(args: ["true"])
        defer { bundle.tearDown() }
        #expect(try bundle.runtime(["create", "--bundle", bundle.directory, bundle.id]).status == 0)
        let refused = try bundle.runtime(["delete", bundle.id])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("not stopped: created"), "\(refused.stderr)")
        #expect(try bundle.status() == "created")
        #expect(try bundle.runtime(["delete", "--force", bundle.id]).status == 0)
        #expect(bundle.leftovers() == [])
    }

    @Test func prestartSeesCreatedAndCreateRuntimeSeesCreating() throws {
        let bundle = try BusyboxBundle(args: ["true"])
        defer { bundle.tearDown() }
        func hook(_ name: String) -> Spec.Hook {
            Spec.Hook(path: "/bin/sh", args: ["sh", "-c", "cat > \(bundle.directory)/\(name).json"])
        }
        let configPath = bundle.directory + "/config.json"
        var spec = try SpecLoader.decode(data: Array(try Data(contentsOf: URL(fileURLWithPath: configPath))))
        var hooks = Spec.Hooks()
        hooks.prestart = [hook("prestart")]
        hooks.createRuntime = [hook("createRuntime")]
        spec.hooks = hooks
        try bundle.write(spec)
        #expect(try bundle.run().status == 0)
        func status(_ name: String) throws -> String? {
            let data = try Data(contentsOf: URL(fileURLWithPath: "\(bundle.directory)/\(name).json"))
            return (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["status"] as? String
        }
        #expect(try status("prestart") == "created")
        #expect(try status("createRuntime") == "creating")
    }

    @Test func poststartHooksRunOnceTheProcessIsExecuted() throws {
        let bundle = try BusyboxBundle(args: ["sleep", "100"])
        defer { bundle.tearDown() }
        let comm = bundle.directory + "/comm"
        // The hook reads the container's pid from the state and records what that process is.
        let script = #"read -r s; pid=$(echo "$s" | sed 's/.*"pid":\([0-9]*\).*/\1/'); cat /proc/$pid/comm > "# + comm
        let configPath = bundle.directory + "/config.json"
        var spec = try SpecLoader.decode(data: Array(try Data(contentsOf: URL(fileURLWithPath: configPath))))
        var hooks = Spec.Hooks()
        hooks.poststart = [Spec.Hook(path: "/bin/sh", args: ["sh", "-c", script])]
        // A slow startContainer hook keeps the init from exec'ing for a while after start's go.
        hooks.startContainer = [Spec.Hook(path: "/bin/sleep", args: ["sleep", "1"])]
        spec.hooks = hooks
        try bundle.write(spec)
        #expect(try bundle.runtime(["create", "--bundle", bundle.directory, bundle.id]).status == 0)
        #expect(try bundle.runtime(["start", bundle.id]).status == 0)
        #expect(try String(contentsOfFile: comm, encoding: .utf8) == "sleep\n")
        #expect(try bundle.runtime(["delete", "--force", bundle.id]).status == 0)
        #expect(bundle.leftovers() == [])
    }
}
