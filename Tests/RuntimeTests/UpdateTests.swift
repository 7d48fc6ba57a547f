import Foundation
import Runtime
import RuntimeSpec
import StackCore
import Testing

@testable import stack_runtime

@Suite struct UpdateTests {
    func request(_ arguments: [String]) throws -> ResourceUpdate {
        let command = try #require(try StackRuntime.parseAsRoot(["update"] + arguments) as? UpdateCommand)
        return try command.request()
    }

    @Test func flagsBecomeAPartialResources() throws {
        let update = try request([
            "--memory", "512m", "--memory-reservation", "256M", "--memory-swap", "-1", "--cpu-share", "512",
            "--cpu-quota", "-1", "--cpu-period", "100000", "--cpu-rt-runtime", "950", "--cpu-rt-period", "1000",
            "--cpuset-cpus", "0-1", "--cpuset-mems", "0", "--pids-limit", "42", "--blkio-weight", "300", "c1",
        ])
        let patch = update.patch
        #expect(patch.memory?.limit == 512 << 20)
        #expect(patch.memory?.reservation == 256 << 20)
        #expect(patch.memory?.swap == -1)
        #expect(patch.cpu?.shares == 512)
        #expect(patch.cpu?.quota == -1)
        #expect(patch.cpu?.period == 100_000)
        #expect(patch.cpu?.realtimeRuntime == 950)
        #expect(patch.cpu?.realtimePeriod == 1000)
        #expect(patch.cpu?.cpus == "0-1")
        #expect(patch.cpu?.mems == "0")
        #expect(patch.pids?.limit == 42)
        #expect(patch.blockIO?.weight == 300)
        #expect(patch.devices == nil && patch.hugepageLimits == nil)
        #expect(update.warnings.isEmpty)
    }

    @Test func onlyTheGivenFlagsAreSet() throws {
        let update = try request(["--pids-limit", "10", "c1"])
        #expect(update.patch.memory == nil)
        #expect(update.patch.cpu == nil)
        #expect(update.patch.blockIO == nil)
        #expect(update.patch.pids?.limit == 10)
        let cpus = try request(["--cpu-shares", "100", "c1"])
        #expect(cpus.patch.cpu == Spec.Linux.CPU(shares: 100))
        #expect(try request(["c1"]).patch == Spec.Linux.Resources())
    }

    @Test func kernelMemoryIsAcceptedWithAWarning() throws {
        let update = try request(["--kernel-memory", "64m", "c1"])
        #expect(update.patch.memory == nil)
        #expect(update.warnings.count == 1)
        #expect(update.warnings.first?.contains("kernel memory") == true)
    }

    @Test func badValuesNameTheirFlag() throws {
        for (flag, value) in [("--memory", "12x"), ("--cpu-period", "-5"), ("--pids-limit", "many"), ("--blkio-weight", "70000")] {
            do {
                _ = try request([flag, value, "c1"])
                Issue.record("\(flag) \(value) was accepted")
            } catch let error as StackError {
                #expect(error.code == .invalidArgument)
                #expect(error.message.contains(flag), "\(error.message)")
            }
        }
    }

    @Test func aResourcesFileIsAPatchAndDropsDeviceRules() throws {
        let file = NSTemporaryDirectory() + "update-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: file) }
        let json = """
            {"memory": {"limit": 1048576, "kernel": 1}, "pids": {"limit": 5},
             "devices": [{"allow": false, "access": "rwm"}], "unified": {"memory.high": "1M"}}
            """
        try json.write(toFile: file, atomically: true, encoding: .utf8)
        let update = try request(["-r", file, "--memory", "1g", "c1"])
        #expect(update.patch.memory?.limit == 1_048_576, "the file wins over the flags, as in runc")
        #expect(update.patch.pids?.limit == 5)
        #expect(update.patch.devices == nil)
        #expect(update.patch.unified == ["memory.high": "1M"])
        #expect(update.warnings.contains { $0.contains("kernel memory") })
        #expect(update.warnings.contains { $0.contains("devices") })
    }

    @Test func aBadResourcesFileIsAnError() throws {
        let file = NSTemporaryDirectory() + "update-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: file) }
        try #"{"memory": {"limit": "lots"}}"#.write(toFile: file, atomically: true, encoding: .utf8)
        #expect(throws: StackError.self) { try request(["--resources", file, "c1"]) }
        #expect(throws: StackError.self) { try request(["--resources", file + ".missing", "c1"]) }
    }

    @Test func mergeChangesOnlyTheGivenFields() {
        var base = Spec.Linux.Resources()
        base.memory = Spec.Linux.Memory(limit: 64 << 20, reservation: 32 << 20, swap: 128 << 20)
        base.memory?.swappiness = 10
        base.cpu = Spec.Linux.CPU(shares: 256, quota: 50_000, period: 100_000, cpus: "0")
        base.pids = Spec.Linux.Pids(limit: 100)
        base.devices = [Spec.Linux.DeviceRule(allow: false, access: "rwm")]
        var blockIO = Spec.Linux.BlockIO()
        blockIO.weight = 500
        blockIO.throttleReadBpsDevice = [.init(major: 8, minor: 0, rate: 100), .init(major: 8, minor: 16, rate: 200)]
        base.blockIO = blockIO

        var patch = Spec.Linux.Resources()
        patch.memory = Spec.Linux.Memory(limit: 256 << 20)
        patch.cpu = Spec.Linux.CPU(quota: -1)
        var throttles = Spec.Linux.BlockIO()
        throttles.throttleReadBpsDevice = [.init(major: 8, minor: 16, rate: 0), .init(major: 8, minor: 32, rate: 300)]
        patch.blockIO = throttles

        let merged = ResourceMerge.merge(patch, into: base)
        #expect(merged.memory?.limit == 256 << 20)
        #expect(merged.memory?.reservation == 32 << 20)
        #expect(merged.memory?.swap == 128 << 20)
        #expect(merged.memory?.swappiness == 10)
        #expect(merged.cpu == Spec.Linux.CPU(shares: 256, quota: -1, period: 100_000, cpus: "0"))
        #expect(merged.pids?.limit == 100)
        #expect(merged.devices == base.devices)
        #expect(merged.blockIO?.weight == 500)
        #expect(
            merged.blockIO?.throttleReadBpsDevice
                == [.init(major: 8, minor: 0, rate: 100), .init(major: 8, minor: 16, rate: 0), .init(major: 8, minor: 32, rate: 300)])
    }

    @Test func mergeIntoNothingIsThePatch() {
        var patch = Spec.Linux.Resources()
        patch.pids = Spec.Linux.Pids(limit: 7)
        patch.hugepageLimits = [.init(pageSize: "2MB", limit: 1 << 21)]
        let merged = ResourceMerge.merge(patch, into: nil)
        #expect(merged == patch)
        var again = Spec.Linux.Resources()
        again.hugepageLimits = [.init(pageSize: "2MB", limit: 0), .init(pageSize: "1GB", limit: 1 << 30)]
        #expect(
            ResourceMerge.merge(again, into: merged).hugepageLimits
                == [.init(pageSize: "2MB", limit: 0), .init(pageSize: "1GB", limit: 1 << 30)])
    }

    @Test func theChangedCgroupResourcesAreOnlyThePatch() {
        var patch = Spec.Linux.Resources()
        patch.memory = Spec.Linux.Memory(limit: 1 << 20)
        let changes = ResourceMapping.cgroupResources(patch)
        #expect(changes.memory.limit == 1 << 20)
        #expect(changes.memory.swap == nil)
        #expect(changes.pids.limit == nil)
        #expect(changes.cpu.shares == nil)
        #expect(changes.devices == nil, "an update never rewrites the device rules")
    }

    @Test func anUnknownContainerIsAnError() throws {
        let root = NSTemporaryDirectory() + "update-root-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let operations = ContainerOperations(store: StateDirectory(root: root), log: RuntimeLog())
        do {
            try operations.update("nope", ResourceUpdate(patch: Spec.Linux.Resources()))
            Issue.record("an update of an unknown container succeeded")
        } catch {
            #expect(error.code == .notFound)
            #expect(error.message.contains("does not exist"))
        }
    }
}
