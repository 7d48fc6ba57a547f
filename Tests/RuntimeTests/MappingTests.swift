import Cgroups
import RuntimeSpec
import Seccomp
import Testing

@testable import Runtime

@Suite struct ResourceMappingTests {
    @Test func memoryCPUPidsAndBlockIOMapOneToOne() {
        var resources = Spec.Linux.Resources()
        resources.memory = Spec.Linux.Memory(limit: 64 << 20, reservation: 32 << 20, swap: -1)
        resources.cpu = Spec.Linux.CPU(shares: 512, quota: 50_000, period: 100_000, cpus: "0")
        resources.pids = Spec.Linux.Pids(limit: 32)
        var blockIO = Spec.Linux.BlockIO()
        blockIO.weight = 300
        blockIO.throttleReadBpsDevice = [Spec.Linux.ThrottleDevice(major: 8, minor: 0, rate: 1_048_576)]
        resources.blockIO = blockIO
        resources.unified = ["memory.high": "1G"]

        let mapped = ResourceMapping.cgroupResources(resources)
        #expect(mapped.memory.limit == 64 << 20)
        #expect(mapped.memory.reservation == 32 << 20)
        #expect(mapped.memory.swap == -1)
        #expect(mapped.cpu.shares == 512)
        #expect(mapped.cpu.quota == 50_000)
        #expect(mapped.cpu.period == 100_000)
        #expect(mapped.cpu.cpus == "0")
        #expect(mapped.pids.limit == 32)
        #expect(mapped.blockIO.weight == 300)
        #expect(mapped.blockIO.throttleReadBps == [CgroupResources.ThrottleDevice(major: 8, minor: 0, rate: 1_048_576)])
        #expect(mapped.unified == ["memory.high": "1G"])
        #expect(mapped.devices == nil)
    }

    @Test func deviceRulesAreTheSpecsThenSpecDevicesThenTheDefaults() throws {
        var resources = Spec.Linux.Resources()
        resources.devices = [Spec.Linux.DeviceRule(allow: false, access: "rwm")]
        let fuse = Spec.Device(type: "c", path: "/dev/fuse", major: 10, minor: 229)
        let mapped = try #require(ResourceMapping.cgroupResources(resources, devices: [fuse]).devices)
        #expect(mapped.first == CgroupResources.DeviceRule(allow: false, kind: .all, access: "rwm"))
        #expect(mapped[1] == CgroupResources.DeviceRule(allow: true, kind: .char, major: 10, minor: 229))
        #expect(Array(mapped.dropFirst(2)) == ResourceMapping.defaultDeviceRules)
        #expect(mapped.contains { $0.description == "c 1:3 rwm" })
        #expect(mapped.contains { $0.description == "c 136:* rwm" })
    }

    @Test func noResourcesLeavesDevicesAlone() {
        #expect(ResourceMapping.cgroupResources(nil) == CgroupResources())
    }
}

@Suite struct SeccompMappingTests {
    @Test func everyFieldReachesTheProfile() throws {
        var seccomp = Spec.Linux.Seccomp(defaultAction: "SCMP_ACT_ERRNO")
        seccomp.architectures = ["SCMP_ARCH_X86_64"]
        seccomp.flags = ["SECCOMP_FILTER_FLAG_LOG"]
        seccomp.defaultErrnoRet = 38
        seccomp.syscalls = [
            Spec.Linux.Syscall(
                names: ["mkdir", "mkdirat"], action: "SCMP_ACT_ERRNO", errnoRet: 13,
                args: [Spec.Linux.SyscallArg(index: 1, value: 0o700, valueTwo: nil, op: "SCMP_CMP_EQ")])
        ]
        let profile = SeccompMapping.profile(seccomp)
        #expect(profile.defaultAction == "SCMP_ACT_ERRNO")
        #expect(profile.defaultErrnoRet == 38)
        #expect(profile.architectures == ["SCMP_ARCH_X86_64"])
        #expect(profile.flags == ["SECCOMP_FILTER_FLAG_LOG"])
        #expect(profile.syscalls.count == 1)
        #expect(profile.syscalls[0].names == ["mkdir", "mkdirat"])
        #expect(profile.syscalls[0].errnoRet == 13)
        #expect(profile.syscalls[0].args == [SeccompProfile.Argument(index: 1, value: 0o700, valueTwo: 0, op: "SCMP_CMP_EQ")])
        // And libseccomp accepts it.
        let program = try SeccompCompiler.compile(profile)
        #expect(program.instructionCount > 0)
    }
}

@Suite struct StatusDerivationTests {
    @Test func statusFollowsTheInitTheFIFOAndTheFreezer() {
        #expect(StatusDerivation.status(initAlive: false, fifoExists: true, frozen: false) == .stopped)
        #expect(StatusDerivation.status(initAlive: false, fifoExists: false, frozen: true) == .stopped)
        #expect(StatusDerivation.status(initAlive: true, fifoExists: true, frozen: false) == .created)
        #expect(StatusDerivation.status(initAlive: true, fifoExists: false, frozen: false) == .running)
        #expect(StatusDerivation.status(initAlive: true, fifoExists: false, frozen: true) == .paused)
    }

    @Test func stateOutputReportsPidZeroOnceStopped() {
        let record = ContainerRecord(
            id: "a", pid: 42, initStartTime: 1, bundle: "/b", rootfs: "/b/rootfs", created: "t", cgroupPath: "/x",
            cgroupPaths: [:])
        #expect(StateOutput(record: record, status: .running).pid == 42)
        #expect(StateOutput(record: record, status: .stopped).pid == 0)
    }

    @Test func procStatParsingHandlesSpacesAndParensInTheName() throws {
        let line = "1234 (a (b) c) S 1 1234 1234 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 100 18446744073709551615"
        let parsed = try #require(ProcessProbe.parseStat(line))
        #expect(parsed.state == "S")
        #expect(parsed.startTime == 987654)
        #expect(ProcessProbe.parseStat("garbage") == nil)
    }
}

@Suite struct SignalNameTests {
    @Test func namesAndNumbers() throws {
        #expect(try SignalName.parse("KILL") == 9)
        #expect(try SignalName.parse("SIGTERM") == 15)
        #expect(try SignalName.parse("sigusr1") == 10)
        #expect(try SignalName.parse("9") == 9)
        #expect(try SignalName.parse("RTMIN+2") == 36)
        #expect(throws: (any Error).self) { try SignalName.parse("NOPE") }
        #expect(throws: (any Error).self) { try SignalName.parse("0") }
        #expect(throws: (any Error).self) { try SignalName.parse("65") }
    }

    @Test func containerIdsAreCheckedAsRuncDoes() {
        #expect(throws: Never.self) { try StateDirectory.validate(id: "web-1_a.b+c") }
        #expect(throws: (any Error).self) { try StateDirectory.validate(id: "../x") }
        #expect(throws: (any Error).self) { try StateDirectory.validate(id: "") }
        #expect(throws: (any Error).self) { try StateDirectory.validate(id: "..") }
    }
}
