extension SpecChecker {
    mutating func checkResources(_ resources: Spec.Linux.Resources) {
        let base = "linux.resources"
        for (position, rule) in (resources.devices ?? []).enumerated() {
            let item = SpecPath.item(base + ".devices", position)
            if let type = rule.type, !["a", "b", "c"].contains(type) {
                error(item + ".type", "unknown device type \"\(type)\" (expected a, b or c)")
            }
            if let access = rule.access, !access.allSatisfy({ "rwm".contains($0) }) {
                error(item + ".access", "\"\(access)\" may only contain r, w and m")
            }
        }
        if let memory = resources.memory {
            if let swappiness = memory.swappiness, swappiness > 100 {
                error(base + ".memory.swappiness", "must be between 0 and 100, got \(swappiness)")
            }
            if let limit = memory.limit, let swap = memory.swap, limit > 0, swap > 0, swap < limit {
                error(base + ".memory.swap", "memory+swap \(swap) must not be below the memory limit \(limit)")
            }
        }
        if let cpu = resources.cpu {
            for (name, list) in [("cpus", cpu.cpus), ("mems", cpu.mems)] {
                if let list, !list.isEmpty, !Self.isCPUList(list) {
                    error(base + ".cpu.\(name)", "\"\(list)\" is not a list like 0-3,7")
                }
            }
        }
        if let blockIO = resources.blockIO { checkBlockIO(blockIO, path: base + ".blockIO") }
        for (position, limit) in (resources.hugepageLimits ?? []).enumerated() where !Self.isPageSize(limit.pageSize) {
            error(SpecPath.item(base + ".hugepageLimits", position) + ".pageSize", "\"\(limit.pageSize)\" is not a size like 2MB or 1GB")
        }
        for key in (resources.unified ?? [:]).keys.sorted() where key.contains("/") || !key.contains(".") {
            error(SpecPath.member(base + ".unified", key), "must be a cgroup file name like memory.high")
        }
    }

    mutating func checkBlockIO(_ blockIO: Spec.Linux.BlockIO, path: String) {
        func checkWeight(_ weight: UInt16?, _ at: String) {
            if let weight, weight != 0, !(10...1000).contains(weight) {
                error(at, "must be between 10 and 1000, got \(weight)")
            }
        }
        checkWeight(blockIO.weight, path + ".weight")
        checkWeight(blockIO.leafWeight, path + ".leafWeight")
        for (position, device) in (blockIO.weightDevice ?? []).enumerated() {
            let item = SpecPath.item(path + ".weightDevice", position)
            checkWeight(device.weight, item + ".weight")
            checkWeight(device.leafWeight, item + ".leafWeight")
        }
    }

    /// `^[1-9][0-9]*[KMG]B$`.
    static func isPageSize(_ text: String) -> Bool {
        let utf8 = Array(text.utf8)
        guard utf8.count >= 3, utf8.last == UInt8(ascii: "B"), [UInt8(ascii: "K"), UInt8(ascii: "M"), UInt8(ascii: "G")]
            .contains(utf8[utf8.count - 2])
        else { return false }
        let digits = utf8[..<(utf8.count - 2)]
        guard let first = digits.first, first != UInt8(ascii: "0") else { return false }
        return digits.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }
}
