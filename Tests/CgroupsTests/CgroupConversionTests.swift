import Cgroups
import StackCore
import Testing

@Suite struct CgroupConversionTests {
    @Test func sharesToWeight() {
        #expect(CgroupConversions.cpuWeight(shares: 2) == 1)
        #expect(CgroupConversions.cpuWeight(shares: 1024) == 39)
        #expect(CgroupConversions.cpuWeight(shares: 512) == 20)
        #expect(CgroupConversions.cpuWeight(shares: 262_144) == 10_000)
        #expect(CgroupConversions.cpuWeight(shares: 0) == 0)
        #expect(CgroupConversions.cpuWeight(shares: 1) == 1)
        #expect(CgroupConversions.cpuWeight(shares: 1_000_000) == 10_000)
    }

    @Test func blkioWeightToIOWeight() {
        #expect(CgroupConversions.ioWeight(blkioWeight: 10) == 1)
        #expect(CgroupConversions.ioWeight(blkioWeight: 500) == 4950)
        #expect(CgroupConversions.ioWeight(blkioWeight: 1000) == 10_000)
        #expect(CgroupConversions.ioWeight(blkioWeight: 100) == 910)
        #expect(CgroupConversions.ioWeight(blkioWeight: 0) == 0)
    }

    @Test func swapIsMemoryPlusSwapMinusMemory() throws {
        #expect(try CgroupConversions.swapMax(memorySwap: 3_000, memory: 1_000) == 2_000)
        #expect(try CgroupConversions.swapMax(memorySwap: 1_000, memory: 1_000) == 0)
        #expect(try CgroupConversions.swapMax(memorySwap: -1, memory: 1_000) == -1)
        #expect(try CgroupConversions.swapMax(memorySwap: nil, memory: -1) == -1)
        #expect(try CgroupConversions.swapMax(memorySwap: nil, memory: 1_000) == nil)
        #expect(try CgroupConversions.swapMax(memorySwap: 0, memory: nil) == nil)
    }

    @Test func swapErrors() {
        #expect(throws: StackError.self) { try CgroupConversions.swapMax(memorySwap: 500, memory: 1_000) }
        #expect(throws: StackError.self) { try CgroupConversions.swapMax(memorySwap: 500, memory: nil) }
        #expect(throws: StackError.self) { try CgroupConversions.swapMax(memorySwap: 500, memory: -1) }
    }

    @Test func deviceRuleLines() {
        typealias Rule = CgroupResources.DeviceRule
        #expect(Rule(allow: false).description == "a")
        #expect(Rule(allow: true, kind: .char, major: 1, minor: 3, access: "rwm").description == "c 1:3 rwm")
        #expect(Rule(allow: true, kind: .block, major: 8, minor: nil, access: "r").description == "b 8:* r")
        #expect(Rule(allow: true, kind: .char, major: nil, minor: nil, access: "m").description == "c *:* m")
    }

    @Test func errorsNamePathAndErrno() {
        let error = StackError(.system, "write /sys/fs/cgroup/memory/x/memory.limit_in_bytes", cause: CgroupErrno(16))
        #expect(error.description == "write /sys/fs/cgroup/memory/x/memory.limit_in_bytes: EBUSY (Device or resource busy)")
        #expect(error.cgroupErrno == 16)
    }
}
