import StackCore
import Testing

@testable import RuntimeSpec

@Suite struct DefaultSpecTests {
    @Test func processMatchesRuncSpec() throws {
        let spec = DefaultSpec.make()
        #expect(spec.ociVersion == Spec.currentVersion)
        #expect(spec.root == Spec.Root(path: "rootfs", readonly: true))
        #expect(spec.hostname == "runc")
        let process = try #require(spec.process)
        #expect(process.terminal == true)
        #expect(process.args == ["sh"])
        #expect(process.cwd == "/")
        #expect(process.user == Spec.User(uid: 0, gid: 0))
        #expect(process.env == ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"])
        #expect(process.noNewPrivileges == true)
        let caps = ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"]
        #expect(process.capabilities == Spec.Capabilities(bounding: caps, effective: caps, permitted: caps))
        #expect(process.rlimits == [Spec.Rlimit(type: "RLIMIT_NOFILE", hard: 1024, soft: 1024)])
    }

    @Test func mountsMatchRuncSpec() {
        let mounts = DefaultSpec.make().mounts ?? []
        #expect(mounts.map(\.destination) == ["/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys", "/sys/fs/cgroup"])
        #expect(mounts.map { $0.type ?? "" } == ["proc", "tmpfs", "devpts", "tmpfs", "mqueue", "sysfs", "cgroup"])
        #expect(mounts[0].options == nil)
        #expect(mounts[1].options == ["nosuid", "strictatime", "mode=755", "size=65536k"])
        #expect(mounts[2].options == ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"])
        #expect(mounts[3].source == "shm")
        #expect(mounts[3].options == ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"])
        #expect(mounts[5].options?.last == "ro")
        #expect(mounts[6].options == ["nosuid", "noexec", "nodev", "relatime", "ro"])
    }

    @Test func linuxMatchesRuncSpec() throws {
        let linux = try #require(DefaultSpec.make().linux)
        #expect(linux.namespaces?.map(\.type) == ["pid", "network", "ipc", "uts", "mount"])
        #expect(linux.namespaces?.allSatisfy { $0.path == nil } == true)
        #expect(linux.maskedPaths?.count == 11)
        #expect(linux.maskedPaths?.contains("/proc/kcore") == true)
        #expect(linux.maskedPaths?.contains("/sys/firmware") == true)
        #expect(linux.readonlyPaths == ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"])
        #expect(linux.resources?.devices == [Spec.Linux.DeviceRule(allow: false, access: "rwm")])
        #expect(linux.uidMappings == nil)
        let withCgroupNamespace = DefaultSpec.make(cgroupNamespace: true)
        #expect(withCgroupNamespace.linux?.namespaces?.last?.kind == .cgroup)
    }

    @Test func rootlessVariant() throws {
        let spec = DefaultSpec.make(rootless: true, hostUID: 1000, hostGID: 1001)
        let linux = try #require(spec.linux)
        #expect(linux.namespaces?.map(\.type) == ["pid", "ipc", "uts", "mount", "user"])
        #expect(linux.uidMappings == [Spec.IDMapping(containerID: 0, hostID: 1000, size: 1)])
        #expect(linux.gidMappings == [Spec.IDMapping(containerID: 0, hostID: 1001, size: 1)])
        #expect(linux.resources == nil)
        let sys = try #require(spec.mounts?.first { $0.destination == "/sys" })
        #expect(sys == Spec.Mount(destination: "/sys", type: "none", source: "/sys", options: ["rbind", "nosuid", "noexec", "nodev", "ro"]))
        let pts = try #require(spec.mounts?.first { $0.destination == "/dev/pts" })
        #expect(pts.options == ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"])
    }

    @Test func defaultSpecsAreValid() {
        #expect(SpecValidator.problems(DefaultSpec.make()) == [])
        #expect(SpecValidator.problems(DefaultSpec.make(cgroupNamespace: true)) == [])
        #expect(SpecValidator.problems(DefaultSpec.make(rootless: true, hostUID: 1000, hostGID: 1000)) == [])
    }

    @Test func writesTabIndentedJSONThatReadsBack() throws {
        let text = try SpecLoader.encode(DefaultSpec.make())
        #expect(text.hasPrefix("{\n\t\"ociVersion\": \"1.1.0\",\n\t\"process\": {\n\t\t\"terminal\": true,"))
        #expect(try SpecLoader.decode(text: text) == DefaultSpec.make())
    }
}

@Suite struct NameTableTests {
    @Test func capabilitiesAreNumberedAsTheKernelNumbersThem() {
        #expect(Capability.allCases.count == 41)
        #expect(Capability.last.rawValue == 40)
        #expect(Capability(name: "CAP_CHOWN") == .chown && Capability.chown.rawValue == 0)
        #expect(Capability(name: "CAP_NET_BIND_SERVICE")?.rawValue == 10)
        #expect(Capability(name: "CAP_SYS_ADMIN")?.rawValue == 21)
        #expect(Capability(name: "CAP_AUDIT_WRITE")?.rawValue == 29)
        #expect(Capability(name: "CAP_PERFMON")?.rawValue == 38)
        #expect(Capability(name: "CAP_BPF")?.rawValue == 39)
        #expect(Capability(name: "CAP_CHECKPOINT_RESTORE")?.rawValue == 40)
        #expect(Capability(name: "CAP_NOPE") == nil && Capability(name: "SYS_ADMIN") == nil)
        #expect(Capability.allCases.allSatisfy { Capability(name: $0.name) == $0 })
        #expect(Set(Capability.allCases.map(\.name)).count == 41)
    }

    @Test func rlimitsAreNumberedAsOnX86_64AndArm64() {
        #expect(RlimitType.allCases.count == 16)
        #expect(RlimitType(name: "RLIMIT_CPU")?.rawValue == 0)
        #expect(RlimitType(name: "RLIMIT_NPROC")?.rawValue == 6)
        #expect(RlimitType(name: "RLIMIT_NOFILE")?.rawValue == 7)
        #expect(RlimitType(name: "RLIMIT_AS")?.rawValue == 9)
        #expect(RlimitType(name: "RLIMIT_RTTIME")?.rawValue == 15)
        #expect(RlimitType(name: "RLIMIT_NOFILES") == nil)
        #expect(RlimitType.allCases.allSatisfy { RlimitType(name: $0.name) == $0 })
    }

    @Test func namespaceFlagsAndProcNames() {
        #expect(NamespaceType.mount.cloneFlag == 0x20000 && NamespaceType.mount.procName == "mnt")
        #expect(NamespaceType.network.cloneFlag == 0x4000_0000 && NamespaceType.network.procName == "net")
        #expect(NamespaceType.user.cloneFlag == 0x1000_0000 && NamespaceType.time.cloneFlag == 0x80)
        #expect(NamespaceType.cgroup.procName == "cgroup")
        #expect(Set(NamespaceType.allCases.map(\.cloneFlag)).count == NamespaceType.allCases.count)
    }
}
